use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
}

const SHORTCUTS: &[(&str, &str)] = &[
    ("Ctrl+Enter / ⌘+Enter", "Verify the program"),
    ("← / →", "Step back / forward through the verifier's walk (outside the editor)"),
    ("Home / End", "First step / the step with the error"),
    ("Tab", "Indent in the editor (Esc, then Tab, leaves the editor)"),
    ("?", "This help"),
    ("Esc", "Close a dialog"),
];

#[function_component]
pub fn Help(p: &HelpProps) -> Html {
    let close = p.on_close.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="help-title" id="help-dialog">
            <div class="dialog">
                <div class="dialog-head">
                    <h2 id="help-title">{"Help"}</h2>
                    <button type="button" class="action" onclick={close} aria-label="Close">{"✕"}</button>
                </div>
                <p>{"Write eBPF assembly (pseudo-C as the kernel prints it, or uBPF), choose the program type and mode, and verify: bpfplay answers as the Linux 6.18 verifier would, with its log. Step through the verifier's walk to see what it knew at each instruction. Run accepted programs on a packet or context, and inspect their maps."}</p>
                <h3>{"Keyboard shortcuts"}</h3>
                <table class="shortcuts">
                    <tbody>
                        { for SHORTCUTS.iter().map(|(k, what)| html! { <tr><th scope="row"><kbd>{ *k }</kbd></th><td>{ *what }</td></tr> }) }
                    </tbody>
                </table>
                <h3>{"Maps"}</h3>
                <p>{"Declare maps in the source: "}<code>{"map NAME: KIND key=N value=N max=N"}</code>{", kinds hash, array, percpu_hash, percpu_array, lru_hash, ringbuf (key=0 value=0, max a power-of-2 multiple of 4096), prog_array. Refer to them with "}<code>{"r1 = map[NAME] ll"}</code>{"."}</p>
                <h3>{"Links"}</h3>
                <p>{"The address bar always holds the whole state (program, settings, inputs, step), compressed: copy it to share exactly what you see."}</p>
            </div>
        </div>
    }
}
