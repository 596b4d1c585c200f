use crate::dom;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub on_examples: Callback<()>,
    pub on_exercises: Callback<()>,
    pub on_help: Callback<()>,
    /// A `.o` file was read: its name and bytes, or why it could not be read.
    pub on_object: Callback<Result<(String, Vec<u8>), String>>,
}

#[function_component]
pub fn Header(p: &HeaderProps) -> Html {
    let dark = use_state(dom::is_dark);
    let toggle = {
        let dark = dark.clone();
        Callback::from(move |_| {
            let next = !*dark;
            dom::set_theme(if next { "dark" } else { "light" });
            dark.set(next);
        })
    };
    let copied = use_state(|| false);
    let share = {
        let copied = copied.clone();
        Callback::from(move |_| {
            dom::copy(&dom::url_with_fragment(&dom::fragment()));
            copied.set(true);
        })
    };
    let open_object = {
        let send = p.on_object.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            let send = send.clone();
            dom::read_file(&input, bpfplay_core::elf::MAX_OBJECT_BYTES as u32, move |r| {
                send.emit(r)
            });
            input.set_value("");
        })
    };
    html! {
        <header class="topbar">
            <div class="brand">
                <Logo />
                <span class="brand-name">{"bpfplay"}</span>
                <span class="brand-tagline">{"eBPF playground"}</span>
            </div>
            <nav class="actions" aria-label="Pages and settings">
                <button type="button" id="open-examples" class="action" onclick={p.on_examples.reform(|_| ())}>{"Examples"}</button>
                <label class="action file-action" title="Open an eBPF object compiled by clang (clang -O2 -g -target bpf -c prog.c)">
                    {"Open .o"}
                    <input type="file" id="open-object" accept=".o,application/x-object" onchange={open_object} />
                </label>
                <button type="button" id="open-exercises" class="action" onclick={p.on_exercises.reform(|_| ())}>{"Exercises"}</button>
                <button type="button" id="share" class="action" onclick={share} title="Copy a link to this program, its settings and the current step">
                    { if *copied { "Link copied" } else { "Copy link" } }
                </button>
                <button type="button" id="theme" class="action icon" onclick={toggle}
                    aria-label={if *dark { "Switch to the light theme" } else { "Switch to the dark theme" }}
                    title={if *dark { "Light theme" } else { "Dark theme" }}>
                    { if *dark { "☀" } else { "☾" } }
                </button>
                <button type="button" id="help" class="action icon" aria-label="Help and keyboard shortcuts" title="Help (?)"
                    onclick={p.on_help.reform(|_| ())}>{"?"}</button>
            </nav>
        </header>
    }
}

#[function_component]
fn Logo() -> Html {
    html! {
        <svg class="logo" viewBox="0 0 32 32" width="28" height="28" aria-hidden="true" focusable="false">
            <rect x="1" y="1" width="30" height="30" rx="8" class="logo-bg" />
            <path d="M9 8v16M9 16c0-3 2-5 5-5s5 2 5 5-2 5-5 5-5-2-5-5M21 11v13M21 11h3" class="logo-fg" />
        </svg>
    }
}
