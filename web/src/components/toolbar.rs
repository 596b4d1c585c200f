use crate::services::verify::Settings;
use bpfplay_core::ProgType;
use web_sys::HtmlSelectElement;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub settings: Settings,
    pub on_settings: Callback<Settings>,
    pub on_verify: Callback<()>,
    pub on_run: Callback<()>,
    pub embed: bool,
    pub busy: bool,
    /// In an embed: the playground's address for this program.
    pub open_in_playground: Option<String>,
}

/// Above the editor: how to load the program, and the actions.
#[function_component]
pub fn Toolbar(p: &ToolbarProps) -> Html {
    let s = p.settings;
    let on_type = {
        let send = p.on_settings.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            if let Some(t) = ProgType::parse(&sel.value()) {
                send.emit(Settings { prog_type: t, ..s });
            }
        })
    };
    let on_mode = {
        let send = p.on_settings.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            send.emit(Settings { unpriv: sel.value() == "unpriv", ..s });
        })
    };
    let on_log = {
        let send = p.on_settings.clone();
        Callback::from(move |e: Event| {
            let sel: HtmlSelectElement = e.target_unchecked_into();
            send.emit(Settings { log_level: if sel.value() == "1" { 1 } else { 2 }, ..s });
        })
    };
    html! {
        <div class="toolbar" role="toolbar" aria-label="Program settings and actions">
            <label class="field">
                <span>{"Type"}</span>
                <select id="prog-type" onchange={on_type} disabled={p.embed}>
                    { for ProgType::ALL.iter().map(|&t| html! {
                        <option value={t.name()} selected={t == s.prog_type}>{ t.title() }</option>
                    }) }
                </select>
            </label>
            <label class="field">
                <span>{"Mode"}</span>
                <select id="mode" onchange={on_mode} title="Privileged: root (CAP_SYS_ADMIN). Unprivileged: CAP_BPF only, with the kernel's stricter checks">
                    <option value="priv" selected={!s.unpriv}>{"privileged"}</option>
                    <option value="unpriv" selected={s.unpriv}>{"unprivileged"}</option>
                </select>
            </label>
            <label class="field">
                <span>{"Log"}</span>
                <select id="log-level" onchange={on_log}>
                    <option value="1" selected={s.log_level == 1}>{"level 1"}</option>
                    <option value="2" selected={s.log_level != 1}>{"level 2"}</option>
                </select>
            </label>
            <div class="toolbar-actions">
                <button type="button" id="verify" class="action primary" disabled={p.busy}
                    onclick={p.on_verify.reform(|_| ())} title="Verify (Ctrl+Enter)">
                    {"Verify"}<kbd class="kbd">{"Ctrl ↵"}</kbd>
                </button>
                <button type="button" id="run" class="action" onclick={p.on_run.reform(|_| ())} title="Run the program on the input of the Run tab">
                    {"Run"}
                </button>
                if let Some(url) = &p.open_in_playground {
                    <a class="action" href={url.clone()} target="_blank" rel="noopener" id="open-playground">{"Open in playground"}</a>
                }
            </div>
        </div>
    }
}
