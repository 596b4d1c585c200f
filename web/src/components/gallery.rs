use crate::services::cobject::c_examples;
use crate::services::examples::{gallery, Expect};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub on_close: Callback<()>,
    /// An assembly example, by id.
    pub on_example: Callback<String>,
    /// A C example, by id.
    pub on_c_example: Callback<String>,
}

pub fn type_label(t: bpfplay_core::progtype::ProgType) -> &'static str {
    t.title()
}

/// The examples, each with its explanation; choosing one loads and verifies it.
#[function_component]
pub fn Gallery(p: &GalleryProps) -> Html {
    let close = p.on_close.reform(|_| ());
    html! {
        <div class="overlay" role="dialog" aria-modal="true" aria-labelledby="gallery-title">
            <div class="dialog wide">
                <div class="dialog-head">
                    <h2 id="gallery-title">{"Examples"}</h2>
                    <button type="button" class="action" onclick={close} aria-label="Close">{"✕"}</button>
                </div>
                <ul class="cards" id="examples">
                    { for gallery().into_iter().map(|ex| {
                        let id = ex.id.to_string();
                        let rejected = matches!(ex.expect, Some(Expect::Rejected(_)));
                        html! {
                            <li class="card">
                                <button type="button" class="card-button" data-example={id.clone()}
                                    onclick={p.on_example.reform(move |_| id.clone())}>
                                    <span class="card-title">{ &ex.title }</span>
                                    <span class="card-tags">
                                        <span class="tag">{ type_label(ex.prog_type) }</span>
                                        if ex.unpriv { <span class="tag">{"unprivileged"}</span> }
                                        <span class={classes!("tag", if rejected { "tag-bad" } else { "tag-good" })}>{ if rejected { "rejected" } else { "accepted" } }</span>
                                    </span>
                                    <span class="card-about">{ &ex.about }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
                <h3 class="cards-title">{"In C, compiled by clang"}</h3>
                <p class="panel-hint">{"The C source shows beside the program's instructions; stepping through the verifier highlights the C line of each instruction."}</p>
                <ul class="cards" id="c-examples">
                    { for c_examples().into_iter().map(|ex| {
                        let id = ex.id.to_string();
                        html! {
                            <li class="card">
                                <button type="button" class="card-button" data-c-example={id.clone()}
                                    onclick={p.on_c_example.reform(move |_| id.clone())}>
                                    <span class="card-title">{ &ex.title }</span>
                                    <span class="card-tags">
                                        <span class="tag">{ ex.prog_type.map(type_label).unwrap_or("") }</span>
                                        <span class="tag">{"C"}</span>
                                    </span>
                                    <span class="card-about">{ &ex.about }</span>
                                </button>
                            </li>
                        }
                    }) }
                </ul>
            </div>
        </div>
    }
}
