use std::rc::Rc;
use web_sys::{HtmlTextAreaElement, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: Rc<str>,
    /// The 1-based line to mark as wrong, if any.
    pub error_line: Option<usize>,
    pub on_input: Callback<String>,
    /// The textarea, for [`reveal`].
    pub node_ref: NodeRef,
}

/// The source editor: a plain textarea over a layer of line rows that draws the line numbers
/// and marks the line with the error. The rows keep the textarea's line height, and the
/// textarea grows with its content, so the two scroll together with no script.
#[function_component]
pub fn Editor(props: &EditorProps) -> Html {
    let oninput = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            on_input.emit(area.value());
        })
    };
    let lines = props.value.split('\n').count();
    let invalid = props.error_line.is_some();

    html! {
        <section class="panel editor-panel" aria-labelledby="editor-title">
            <div class="panel-head">
                <h2 id="editor-title"><label for="source">{"Program"}</label></h2>
                <span class="panel-hint">{"pseudo-C or uBPF syntax"}</span>
            </div>
            <div class="editor-scroll">
                <div class="editor-body">
                    <div class="editor-lines" aria-hidden="true">
                        { for (1..=lines).map(|n| html! { <LineRow {n} error={props.error_line == Some(n)} /> }) }
                    </div>
                    <textarea
                        id="source"
                        ref={props.node_ref.clone()}
                        class="editor-input"
                        value={props.value.to_string()}
                        {oninput}
                        wrap="off"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        aria-describedby="syntax-note"
                        aria-invalid={invalid.to_string()}
                        aria-errormessage={invalid.then_some("asm-error")}
                    />
                </div>
            </div>
            <p id="syntax-note" class="panel-foot">
                {"Write either syntax, or mix them line by line: pseudo-C as the kernel prints it, "}
                <code>{"r0 = *(u32 *)(r1 +4)"}</code>
                {", or uBPF, "}
                <code>{"ldxw %r0, [%r1+4]"}</code>
                {". Comments start with "}<code>{"//"}</code>{", "}<code>{";"}</code>{" or "}<code>{"#"}</code>{"."}
            </p>
        </section>
    }
}

#[derive(Properties, PartialEq)]
struct LineRowProps {
    n: usize,
    error: bool,
}

#[function_component]
fn LineRow(&LineRowProps { n, error }: &LineRowProps) -> Html {
    html! {
        <div class={classes!("line", error.then_some("line-error"))} data-line={n.to_string()}>
            <span class="line-number">{ n }</span>
        </div>
    }
}

/// Focuses the editor with the caret at `offset` (UTF-16 units) on 1-based `line`, and scrolls
/// that line into view.
pub fn reveal(editor: &NodeRef, line: usize, offset: u32) {
    let Some(area) = editor.cast::<HtmlTextAreaElement>() else {
        return;
    };
    let _ = area.focus();
    let _ = area.set_selection_range(offset, offset);
    let row = area
        .previous_element_sibling()
        .and_then(|rows| rows.children().item(line.saturating_sub(1) as u32));
    if let Some(row) = row {
        let opts = ScrollIntoViewOptions::new();
        opts.set_block(ScrollLogicalPosition::Nearest);
        row.scroll_into_view_with_scroll_into_view_options(&opts);
    }
}
