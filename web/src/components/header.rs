use yew::prelude::*;

/// Actions that are planned but not built yet: shown, disabled, and labelled as such.
const COMING_SOON: &[(&str, &str)] = &[
    (
        "Verify",
        "Check the program the way the kernel verifier does",
    ),
    ("Run", "Run the program on a test packet or context"),
    ("Maps", "Inspect and edit the program's maps"),
];

#[function_component]
pub fn Header() -> Html {
    html! {
        <header class="topbar">
            <div class="brand">
                <Logo />
                <span class="brand-name">{"bpfplay"}</span>
                <span class="brand-tagline">{"eBPF playground"}</span>
            </div>
            <nav class="actions" aria-label="Program actions">
                { for COMING_SOON.iter().map(|&(name, what)| html! {
                    <button type="button" class="action" disabled=true title={format!("{what} (coming soon)")}>
                        <span>{ name }</span>
                        <span class="soon">{"coming soon"}</span>
                    </button>
                }) }
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
