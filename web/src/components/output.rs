use crate::services::assembler::{Listing, Outcome, Row, SourceError};
use std::rc::Rc;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct OutputProps {
    pub outcome: Rc<Outcome>,
    /// Asks for the editor to show the error's position.
    pub on_show_error: Callback<()>,
}

/// The assembler's output: the instruction listing, or the error that stopped it.
#[function_component]
pub fn OutputPanel(props: &OutputProps) -> Html {
    let (status, body) = match &*props.outcome {
        Outcome::Listing(listing) => {
            (summary(listing), html! { <ListingTable listing={listing.clone()} /> })
        }
        Outcome::Error(e) => (
            format!("Error on line {}", e.error.line),
            html! { <ErrorView error={e.clone()} on_show={props.on_show_error.clone()} /> },
        ),
    };
    let failed = matches!(*props.outcome, Outcome::Error(_));

    html! {
        <section class="panel output-panel" aria-labelledby="output-title">
            <div class="panel-head">
                <h2 id="output-title">{"Bytecode"}</h2>
                <span id="asm-status" class={classes!("status", failed.then_some("status-error"))} role="status">
                    { status }
                </span>
            </div>
            <div class="output-scroll">{ body }</div>
        </section>
    }
}

fn summary(listing: &Listing) -> String {
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    format!(
        "{} · {}",
        plural(listing.slots, "instruction", "instructions"),
        plural(listing.bytes(), "byte", "bytes")
    )
}

#[derive(Properties, PartialEq)]
struct ListingProps {
    listing: Listing,
}

#[function_component]
fn ListingTable(ListingProps { listing }: &ListingProps) -> Html {
    if listing.rows.is_empty() {
        return html! {
            <p class="empty">{"No instructions yet. Type some in the editor, for example "}<code>{"r0 = 0"}</code>{" and "}<code>{"exit"}</code>{"."}</p>
        };
    }
    html! {
        <>
            <table class="listing" aria-label="Encoded instructions and their disassembly">
                <thead>
                    <tr>
                        <th scope="col" class="col-index">{"#"}</th>
                        <th scope="col" class="col-bytes">{"Bytes"}</th>
                        <th scope="col" class="col-asm">{"Disassembly"}</th>
                    </tr>
                </thead>
                <tbody>
                    { for listing.rows.iter().map(|row| html! { <ListingRow row={row.clone()} /> }) }
                </tbody>
            </table>
            if listing.hidden() > 0 {
                <p class="more">{ format!("… and {} more instructions, not shown.", listing.hidden()) }</p>
            }
        </>
    }
}

#[derive(Properties, PartialEq)]
struct RowProps {
    row: Row,
}

#[function_component]
fn ListingRow(RowProps { row }: &RowProps) -> Html {
    html! {
        <tr title={format!("source line {}", row.line)}>
            <td class="col-index">{ format!("{}:", row.index) }</td>
            <td class="col-bytes">{ &row.bytes }</td>
            <td class="col-asm">
                if !row.text.is_empty() {
                    <span class="opcode">{ &row.opcode }</span>{" "}<span class="insn">{ &row.text }</span>
                }
            </td>
        </tr>
    }
}

#[derive(Properties, PartialEq)]
struct ErrorProps {
    error: SourceError,
    on_show: Callback<()>,
}

#[function_component]
fn ErrorView(ErrorProps { error, on_show }: &ErrorProps) -> Html {
    let onclick = on_show.reform(|_: MouseEvent| ());
    let gutter = error.error.line.to_string();
    let blank = " ".repeat(gutter.len());
    html! {
        <div id="asm-error" class="asm-error">
            <p class="asm-error-title">
                { format!("Line {}, column {}", error.error.line, error.error.col) }
            </p>
            <p class="asm-error-message">{ &error.error.message }</p>
            <pre class="asm-error-snippet" aria-hidden="true">
                <span class="snippet-gutter">{ format!("{gutter} | ") }</span>{ &error.source_line }{"\n"}
                <span class="snippet-gutter">{ format!("{blank} | ") }</span>{ error.caret_padding() }<span class="caret">{"^"}</span>
            </pre>
            <button type="button" class="link-button" {onclick}>{"Show in editor"}</button>
        </div>
    }
}
