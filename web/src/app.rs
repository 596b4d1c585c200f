//! The page: all state lives here; the components only show it and report input.

use crate::components::editor::{reveal, Editor};
use crate::components::header::Header;
use crate::components::output::OutputPanel;
use crate::hooks::use_assembly;
use crate::services::assembler::Outcome;
use crate::services::examples::STARTER;
use std::rc::Rc;
use yew::prelude::*;

#[function_component]
pub fn App() -> Html {
    let source = use_state(|| Rc::<str>::from(STARTER));
    let outcome = use_assembly((*source).clone());
    let editor = use_node_ref();

    let on_input = {
        let source = source.clone();
        Callback::from(move |text: String| source.set(text.into()))
    };
    let on_show_error = {
        let (editor, source, outcome) = (editor.clone(), (*source).clone(), outcome.clone());
        Callback::from(move |()| {
            if let Outcome::Error(e) = &*outcome {
                reveal(&editor, e.error.line, e.utf16_offset(&source));
            }
        })
    };

    html! {
        <>
            <Header />
            <main class="workspace">
                <Editor
                    node_ref={editor}
                    value={(*source).clone()}
                    error_line={outcome.error_line()}
                    {on_input}
                />
                <OutputPanel {outcome} {on_show_error} />
            </main>
        </>
    }
}
