use crate::services::cobject::LoadedRef;
use web_sys::{Element, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct CSourceProps {
    pub loaded: LoadedRef,
    /// The C line (1-based) of the stepper's current instruction.
    pub current: Option<usize>,
    /// Another program of the object, by name.
    pub on_pick: Callback<String>,
}

/// The C source of a program compiled by clang, beside its assembly: the line of the
/// stepper's current instruction is highlighted and kept in view. An object with several
/// programs offers a choice.
#[function_component]
pub fn CSourcePanel(p: &CSourceProps) -> Html {
    let l = &p.loaded.0;
    let Some(c) = &l.c else { return html! {} };
    let body = use_node_ref();
    {
        let body = body.clone();
        use_effect_with(p.current, move |cur| {
            if let (Some(n), Some(el)) = (cur, body.cast::<Element>()) {
                if let Some(row) = el.children().item(n.saturating_sub(1) as u32) {
                    let opts = ScrollIntoViewOptions::new();
                    opts.set_block(ScrollLogicalPosition::Nearest);
                    row.scroll_into_view_with_scroll_into_view_options(&opts);
                }
            }
        });
    }
    let programs: Vec<String> = l.object.programs.iter().map(|x| x.name.clone()).collect();
    let onchange = p.on_pick.reform(|e: Event| {
        let sel: web_sys::HtmlSelectElement = e.target_unchecked_into();
        sel.value()
    });
    html! {
        <section class="panel c-panel" aria-labelledby="c-title" id="c-panel">
            <div class="panel-head">
                <h2 id="c-title">{ &c.file }</h2>
                if programs.len() > 1 {
                    <label class="panel-hint">{"program "}
                        <select id="c-program" {onchange}>
                            { for programs.iter().map(|n| html! { <option value={n.clone()} selected={*n == l.program}>{ n }</option> }) }
                        </select>
                    </label>
                } else {
                    <span class="panel-hint">{ format!("{} · {}", l.name, l.program) }</span>
                }
            </div>
            if c.from_line_info {
                <p class="panel-hint c-note">{"Only the lines named by the object's line info (.BTF.ext) are known."}</p>
            }
            <div class="c-scroll">
                <div class="c-lines" ref={body}>
                    { for c.lines.iter().enumerate().map(|(i, text)| {
                        let n = i + 1;
                        let cur = p.current == Some(n);
                        html! {
                            <div class={classes!("line", cur.then_some("line-current"))} data-c-line={n.to_string()} aria-current={cur.then_some("true")}>
                                <span class="line-number">{ n }</span>
                                <span class="line-code">{ text }</span>
                            </div>
                        }
                    }) }
                </div>
            </div>
            <p class="panel-foot">{"Compiled by clang -O2 -g -target bpf. The editor holds the same program as bpfplay assembly; "}
                <code>{"; … @ file.c:N"}</code>{" comments give each instruction's C line."}</p>
        </section>
    }
}
