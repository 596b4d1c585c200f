use crate::services::run::{self, chartable, hex, int_le, ints, MapEdit, RunOutcome, RunState};
use bpfplay_core::run::{MapSnapshot, PacketSpec, KPROBE_DEFAULTS};
use bpfplay_core::ProgType;
use bpfplay_core::{MapDef, MapKind};
use std::collections::BTreeMap;
use std::rc::Rc;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct RunProps {
    pub prog_type: ProgType,
    /// The Run tab's fields by name (`in.packet`, `in.runs`, ...).
    pub inputs: BTreeMap<String, String>,
    /// The maps kept between runs and the last run's outcome.
    pub run: RunState,
    /// The maps the program declares.
    pub maps: Rc<Vec<MapDef>>,
    pub embed: bool,
    /// A field changed: its name and value (empty clears it).
    pub on_input: Callback<(String, String)>,
    pub on_run: Callback<()>,
    pub on_reset_maps: Callback<()>,
    pub on_map_edit: Callback<MapEdit>,
}

fn field(send: &Callback<(String, String)>, name: impl Into<String>) -> Callback<InputEvent> {
    let name: String = name.into();
    send.reform(move |e: InputEvent| {
        let v = e
            .target_dyn_into::<HtmlInputElement>()
            .map(|i| i.value())
            .or_else(|| e.target_dyn_into::<HtmlTextAreaElement>().map(|t| t.value()))
            .unwrap_or_default();
        (name.clone(), v)
    })
}

/// Inputs, the run's result, and the map inspector.
#[function_component]
pub fn RunPanel(p: &RunProps) -> Html {
    let t = p.prog_type;
    let get = |k: &str| p.inputs.get(k).cloned().unwrap_or_default();
    let runs = get("in.runs");
    html! {
        <div class="run">
            <section class="inputs" aria-labelledby="inputs-title">
                <h3 id="inputs-title">{"Input"}</h3>
                { match t {
                    ProgType::SocketFilter | ProgType::Xdp => html! { <PacketInput inputs={p.inputs.clone()} on_input={p.on_input.clone()} /> },
                    ProgType::Kprobe => html! {
                        <div class="grid-fields">
                            { for KPROBE_DEFAULTS.iter().map(|(r, _)| {
                                let key = format!("in.reg.{r}");
                                html! {
                                    <label class="field"><span>{ format!("pt_regs->{r}") }</span>
                                        <input type="text" value={get(&key)} placeholder="default" oninput={field(&p.on_input, key)} /></label>
                                }
                            }) }
                        </div>
                    },
                    ProgType::Tracepoint => html! {
                        <div class="grid-fields">
                            <label class="field"><span>{"id (syscall nr)"}</span><input type="text" value={get("in.tp.id")} placeholder="0" oninput={field(&p.on_input, "in.tp.id")} /></label>
                            { for (0..6).map(|i| {
                                let key = format!("in.tp.arg{i}");
                                html! { <label class="field"><span>{ format!("args[{i}]") }</span><input type="text" value={get(&key)} placeholder="0" oninput={field(&p.on_input, key)} /></label> }
                            }) }
                        </div>
                    },
                } }
                <h3>{"World"}</h3>
                <div class="grid-fields">
                    <label class="field"><span>{"pid"}</span><input type="text" id="in-pid" value={get("in.pid")} placeholder="1000" oninput={field(&p.on_input, "in.pid")} /></label>
                    <label class="field"><span>{"comm"}</span><input type="text" value={get("in.comm")} placeholder="bpfplay" oninput={field(&p.on_input, "in.comm")} /></label>
                    <label class="field"><span>{"time (ns)"}</span><input type="text" value={get("in.time")} placeholder="1000000000" oninput={field(&p.on_input, "in.time")} /></label>
                    <label class="field"><span>{"runs"}</span><input type="number" id="in-runs" min="1" max="10000" value={runs} placeholder="1" oninput={field(&p.on_input, "in.runs")} /></label>
                </div>
                <div class="run-actions">
                    <button type="button" class="action primary" id="run-button" onclick={p.on_run.reform(|_| ())}>{"Run"}</button>
                    <button type="button" class="action" id="reset-maps" onclick={p.on_reset_maps.reform(|_| ())} title="Empty every map">{"Reset maps"}</button>
                </div>
            </section>
            <RunResultView error={p.run.error.clone()} outcome={p.run.last.clone()} prog_type={t} />
            if !p.embed {
                <MapInspector maps={p.maps.clone()} run={p.run.clone()} on_map_edit={p.on_map_edit.clone()} />
            }
        </div>
    }
}

#[derive(Properties, PartialEq)]
struct PacketProps {
    inputs: BTreeMap<String, String>,
    on_input: Callback<(String, String)>,
}

#[function_component]
fn PacketInput(p: &PacketProps) -> Html {
    let text = p.inputs.get("in.packet").cloned().unwrap_or_else(run::default_packet);
    let spec = use_state(PacketSpec::default);
    let on_proto = {
        let spec = spec.clone();
        Callback::from(move |e: Event| {
            let v = e.target_unchecked_into::<HtmlSelectElement>().value();
            let mut s = (*spec).clone();
            s.ipv6 = v.ends_with('6');
            s.proto = match v.trim_end_matches('6') {
                "udp" => 17,
                "icmp" => 1,
                _ => 6,
            };
            spec.set(s);
        })
    };
    let num = |f: fn(&mut PacketSpec, usize)| {
        let spec = spec.clone();
        Callback::from(move |e: InputEvent| {
            let v: usize =
                e.target_unchecked_into::<HtmlInputElement>().value().parse().unwrap_or(0);
            let mut s = (*spec).clone();
            f(&mut s, v);
            spec.set(s);
        })
    };
    let build = {
        let spec = spec.clone();
        p.on_input.reform(move |_| ("in.packet".into(), hex(&spec.build())))
    };
    let vary = p.inputs.get("in.vary").is_some_and(|v| v == "1");
    html! {
        <>
            <label class="field block"><span>{"Packet (hex, Ethernet frame)"}</span>
                <textarea id="in-packet" class="hex-input" rows="4" spellcheck="false" value={text} oninput={field(&p.on_input, "in.packet")} />
            </label>
            <details class="builder">
                <summary>{"Build a packet"}</summary>
                <div class="grid-fields">
                    <label class="field"><span>{"Headers"}</span>
                        <select id="pkt-proto" onchange={on_proto}>
                            <option value="tcp">{"Ethernet / IPv4 / TCP"}</option>
                            <option value="udp">{"Ethernet / IPv4 / UDP"}</option>
                            <option value="icmp">{"Ethernet / IPv4"}</option>
                            <option value="tcp6">{"Ethernet / IPv6 / TCP"}</option>
                            <option value="udp6">{"Ethernet / IPv6 / UDP"}</option>
                        </select></label>
                    <label class="field"><span>{"Source port"}</span><input type="number" min="0" max="65535" value={spec.src_port.to_string()} oninput={num(|s, v| s.src_port = v as u16)} /></label>
                    <label class="field"><span>{"Destination port"}</span><input type="number" id="pkt-dport" min="0" max="65535" value={spec.dst_port.to_string()} oninput={num(|s, v| s.dst_port = v as u16)} /></label>
                    <label class="field"><span>{"Payload bytes"}</span><input type="number" min="0" max="9000" value={spec.payload.to_string()} oninput={num(|s, v| s.payload = v.min(9000))} /></label>
                </div>
                <button type="button" class="action" id="pkt-build" onclick={build}>{"Use this packet"}</button>
            </details>
            <label class="check">
                <input type="checkbox" checked={vary} onchange={p.on_input.reform(move |_| ("in.vary".into(), if vary { String::new() } else { "1".into() }))} />
                {" Vary the length on each run (for accounting examples)"}
            </label>
        </>
    }
}

#[derive(Properties, PartialEq)]
struct ResultProps {
    /// Why the last run could not start.
    error: Option<String>,
    outcome: Option<RunOutcome>,
    prog_type: ProgType,
}

#[function_component]
fn RunResultView(p: &ResultProps) -> Html {
    if let Some(e) = &p.error {
        return html! { <div class="verdict verdict-error" id="run-result" role="alert"><p class="verdict-message">{ e }</p></div> };
    }
    let Some(o) = &p.outcome else {
        return html! { <p class="muted" id="run-result">{"Press Run to run the program (it is verified first)."}</p> };
    };
    let r = &o.last;
    let t = p.prog_type;
    html! {
        <section class="result" id="run-result" aria-label="Run result">
            if let Some(e) = &r.error {
                <div class="verdict verdict-error" role="alert">
                    <p class="verdict-title">{"Run-time error"}</p>
                    <p class="verdict-message">{ format!("{e}") }{ o.error_line.map(|l| format!(" (line {l})")).unwrap_or_default() }</p>
                </div>
            }
            <dl class="facts">
                <dt>{"r0"}</dt>
                <dd id="r0"><code>{ format!("{} ({:#x})", r.r0, r.r0) }</code>{" "}<span id="r0-meaning">{ t.retval_meaning(r.r0) }</span></dd>
                <dt>{"Instructions"}</dt>
                <dd id="insns">{ if o.runs > 1 { format!("{} in the last run, {} in {} runs", r.insns_executed, o.insns_total, o.runs) } else { r.insns_executed.to_string() } }</dd>
                if o.runs > 1 {
                    <dt>{"Return values"}</dt>
                    <dd>{ o.retvals.iter().map(|(v, n)| format!("{v} × {n}")).collect::<Vec<_>>().join(", ") }</dd>
                }
                if !r.packet_out.is_empty() {
                    <dt>{"Packet out"}</dt>
                    <dd><code class="hex" id="packet-out">{ hex(&r.packet_out) }</code></dd>
                }
            </dl>
            if !o.printk.is_empty() {
                <h3>{"bpf_trace_printk"}</h3>
                <pre class="printk" id="printk">{ o.printk.join("\n") }</pre>
            }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct InspectorProps {
    maps: Rc<Vec<MapDef>>,
    run: RunState,
    on_map_edit: Callback<MapEdit>,
}

#[function_component]
fn MapInspector(p: &InspectorProps) -> Html {
    let maps = &*p.maps;
    if maps.is_empty() {
        return html! { <section class="maps" id="maps"><h3>{"Maps"}</h3><p class="muted">{"The program declares no maps."}</p></section> };
    }
    let snap = p.run.snapshot();
    let defs_match = matches!(&p.run.maps, Some((d, _)) if d == maps);
    html! {
        <section class="maps" id="maps" aria-labelledby="maps-title">
            <h3 id="maps-title">{"Maps"}</h3>
            if let Some(e) = &p.run.edit_error {
                <p class="error-text" role="alert">{ e }</p>
            }
            if let Some(n) = &p.run.edit_note {
                <p class="muted" role="status">{ n }</p>
            }
            { for maps.iter().enumerate().map(|(i, def)| {
                let now = if defs_match { snap.get(i).cloned() } else { None };
                let before = if defs_match { p.run.before.get(i).cloned() } else { None };
                let note = if defs_match { p.run.map_note(i) } else { None };
                html! { <MapTable index={i} name={def.name.clone()} kind={def.kind.name()} key_size={def.key_size} value_size={def.value_size}
                    max={def.max_entries} {now} {before} {note} on_edit={p.on_map_edit.clone()} /> }
            }) }
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct MapTableProps {
    index: usize,
    name: String,
    kind: &'static str,
    key_size: u32,
    value_size: u32,
    max: u32,
    now: Option<MapSnapshot>,
    before: Option<MapSnapshot>,
    /// A line under the heading (queue order, bloom filter bits, ...).
    note: Option<String>,
    on_edit: Callback<MapEdit>,
}

#[function_component]
fn MapTable(p: &MapTableProps) -> Html {
    let entries = p.now.as_ref().map(|s| s.entries.clone()).unwrap_or_default();
    let kind = MapKind::parse(p.kind).unwrap_or(MapKind::Hash);
    let old = |k: &[u8]| {
        p.before
            .as_ref()
            .and_then(|b| b.entries.iter().find(|(bk, _)| bk == k).map(|(_, v)| v.clone()))
    };
    let chart = use_state(|| false);
    let key = use_state(String::new);
    let value = use_state(String::new);
    let idx = p.index;
    let upd = |s: &UseStateHandle<String>| {
        let s = s.clone();
        Callback::from(move |e: InputEvent| {
            s.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let set = {
        let (k, v) = (key.clone(), value.clone());
        p.on_edit.reform(move |_| MapEdit {
            map: idx,
            key: (*k).clone(),
            value: Some((*v).clone()),
        })
    };
    let keyless = kind.is_keyless();
    let del = {
        // A keyless map's second button pops (queue, stack) or tests the value (bloom).
        let k = if keyless { value.clone() } else { key.clone() };
        p.on_edit.reform(move |_| MapEdit { map: idx, key: (*k).clone(), value: None })
    };
    let bloom = kind == MapKind::BloomFilter;
    let queue = matches!(kind, MapKind::Queue | MapKind::Stack);
    let (set_label, del_label) = match kind {
        MapKind::BloomFilter => ("Add", "Test"),
        MapKind::Queue | MapKind::Stack => ("Push", "Pop"),
        _ => ("Set", "Delete"),
    };
    let can_chart = chartable(kind, p.value_size as usize) && !entries.is_empty();
    let ring = kind == MapKind::Ringbuf;
    let max_val = entries.iter().filter_map(|(_, v)| int_le(v)).max().unwrap_or(0).max(1);
    html! {
        <div class="map" data-map={p.name.clone()}>
            <div class="map-head">
                <h4>{ &p.name }</h4>
                <span class="muted">{ if ring { format!("ringbuf, {} bytes", p.max) } else { format!("{}, key {} B, value {} B, max {}", p.kind, p.key_size, p.value_size, p.max) } }</span>
                if can_chart {
                    <button type="button" class="link-button" onclick={{ let c = chart.clone(); move |_| c.set(!*c) }}>{ if *chart { "Table" } else { "Bar chart" } }</button>
                }
            </div>
            if let Some(n) = &p.note {
                <p class="muted map-note">{ n }</p>
            }
            if bloom {
            } else if *chart && can_chart {
                <div class="chart" role="img" aria-label={format!("Bar chart of {}", p.name)}>
                    if entries.iter().all(|(_, v)| int_le(v).unwrap_or(0) == 0) {
                        <p class="muted">{"Every counter is zero."}</p>
                    }
                    { for entries.iter().filter(|(_, v)| int_le(v).unwrap_or(0) != 0).map(|(k, v)| {
                        let n = int_le(v).unwrap_or(0);
                        let width = format!("w{}", ((n as f64 / max_val as f64 * 20.0).round() as u32).max(1));
                        html! {
                            <div class="bar-row">
                                <span class="bar-key">{ int_le(k).map(|x| x.to_string()).unwrap_or_else(|| hex(k)) }</span>
                                <span class="bar-track"><span class={classes!("bar", width)}></span></span>
                                <span class="bar-value">{ n }</span>
                            </div>
                        }
                    }) }
                </div>
            } else {
                <table class="map-table">
                    <thead><tr>
                        <th scope="col">{ if ring { "Record" } else if queue { "Position" } else { "Key" } }</th>
                        <th scope="col">{ if ring { "Bytes" } else { "Value" } }</th>
                        <th scope="col">{"As integers"}</th>
                    </tr></thead>
                    <tbody>
                        if entries.is_empty() {
                            <tr><td colspan="3" class="empty-cell">{ if ring { "no records" } else { "empty" } }</td></tr>
                        }
                        { for entries.iter().map(|(k, v)| {
                            let was = old(k);
                            let changed = p.before.is_some() && was.as_ref() != Some(v);
                            html! {
                                <tr class={classes!(changed.then_some("changed"))}>
                                    <td><code>{ hex(k) }</code>{ int_le(k).map(|x| format!(" ({x})")).unwrap_or_default() }</td>
                                    <td><code>{ hex(v) }</code></td>
                                    <td class="ints">{ ints(v) }
                                        if changed { if let Some(o) = &was { <span class="was">{ format!(" (was {})", ints(o)) }</span> } else { <span class="was">{" (new)"}</span> } }
                                    </td>
                                </tr>
                            }
                        }) }
                    </tbody>
                </table>
            }
            if !ring && kind != MapKind::ProgArray {
                <div class="map-edit">
                    if !keyless {
                        <input type="text" aria-label={format!("{} key", p.name)} placeholder={format!("key ({} bytes hex, or a number)", p.key_size)} value={(*key).clone()} oninput={upd(&key)} />
                    }
                    <input type="text" aria-label={format!("{} value", p.name)} placeholder={format!("value ({} bytes hex, or a number)", p.value_size)} value={(*value).clone()} oninput={upd(&value)} />
                    <button type="button" class="action" onclick={set}>{ set_label }</button>
                    <button type="button" class="action" onclick={del}>{ del_label }</button>
                </div>
            }
        </div>
    }
}
