use crate::services::highlight;
use std::rc::Rc;
use web_sys::{HtmlTextAreaElement, ScrollIntoViewOptions, ScrollLogicalPosition};
use yew::prelude::*;

/// What the editor marks: the line with the error (and its message) and the line of the
/// verifier step shown (1-based lines).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Marks {
    pub error_line: Option<usize>,
    pub error_message: Option<String>,
    pub current_line: Option<usize>,
}

#[derive(Properties, PartialEq)]
pub struct EditorProps {
    pub value: Rc<str>,
    pub marks: Marks,
    #[prop_or_default]
    pub readonly: bool,
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
    let m = &props.marks;
    let invalid = m.error_line.is_some();
    let onkeydown = {
        let on_input = props.on_input.clone();
        Callback::from(move |e: KeyboardEvent| {
            if e.ctrl_key() || e.meta_key() || e.alt_key() {
                return;
            }
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            match e.key().as_str() {
                // Tab indents (Shift+Tab and Escape-then-Tab still leave the editor).
                "Tab" if !e.shift_key() => {
                    e.prevent_default();
                    insert(&area, "    ");
                    on_input.emit(area.value());
                }
                // Enter keeps the indentation of the line.
                "Enter" if !e.shift_key() => {
                    let v = area.value();
                    let at = area.selection_start().ok().flatten().unwrap_or(0) as usize;
                    let before: String = v
                        .encode_utf16()
                        .take(at)
                        .map(|c| char::from_u32(c as u32).unwrap_or(' '))
                        .collect();
                    let line = before.rsplit('\n').next().unwrap_or("");
                    let indent: String =
                        line.chars().take_while(|c| *c == ' ' || *c == '\t').collect();
                    e.prevent_default();
                    insert(&area, &format!("\n{indent}"));
                    on_input.emit(area.value());
                }
                _ => {}
            }
        })
    };

    html! {
        <>
            <div class="editor-scroll">
                <div class="editor-body">
                    <div class="editor-lines" aria-hidden="true">
                        { for props.value.split('\n').enumerate().map(|(i, text)| {
                            let n = i + 1;
                            let error = m.error_line == Some(n);
                            html! { <LineRow {n} {error} current={m.current_line == Some(n)} text={text.to_string()}
                                message={if error { m.error_message.clone() } else { None }} /> }
                        }) }
                    </div>
                    <textarea
                        id="source"
                        ref={props.node_ref.clone()}
                        class="editor-input"
                        value={props.value.to_string()}
                        {oninput}
                        {onkeydown}
                        readonly={props.readonly}
                        aria-label="Program source"
                        wrap="off"
                        spellcheck="false"
                        autocomplete="off"
                        autocapitalize="off"
                        aria-describedby="syntax-note"
                        aria-invalid={invalid.to_string()}
                        aria-errormessage={invalid.then_some("verdict")}
                    />
                </div>
            </div>
            <p id="syntax-note" class="panel-foot">
                {"Declare maps with lines like "}<code>{"map counts: hash key=4 value=8 max=64"}</code>{". "}
                {"Write either syntax, or mix them line by line: pseudo-C as the kernel prints it, "}
                <code>{"r0 = *(u32 *)(r1 +4)"}</code>
                {", or uBPF, "}
                <code>{"ldxw %r0, [%r1+4]"}</code>
                {". Comments start with "}<code>{"//"}</code>{", "}<code>{";"}</code>{" or "}<code>{"#"}</code>{"."}
            </p>
        </>
    }
}

/// Replaces the selection with `text`, as typing would.
fn insert(area: &HtmlTextAreaElement, text: &str) {
    let start = area.selection_start().ok().flatten().unwrap_or(0);
    let end = area.selection_end().ok().flatten().unwrap_or(start);
    let _ = area.set_range_text_with_start_and_end_and_mode(text, start, end, "end");
}

#[derive(Properties, PartialEq)]
struct LineRowProps {
    n: usize,
    error: bool,
    current: bool,
    /// The line's text, drawn highlighted under the (transparent) textarea's text.
    text: String,
    message: Option<String>,
}

#[function_component]
fn LineRow(p: &LineRowProps) -> Html {
    html! {
        <div class={classes!("line", p.error.then_some("line-error"), p.current.then_some("line-current"))} data-line={p.n.to_string()}>
            <span class="line-number">{ p.n }</span>
            <span class="line-code">
                { for highlight::line(&p.text).into_iter().map(|(k, t)| match k {
                    highlight::Kind::Plain => html! { { t } },
                    _ => html! { <span class={k.class()}>{ t }</span> },
                }) }
                if let Some(m) = &p.message {
                    {"   "}<span class="line-message">{ m }</span>
                }
            </span>
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
