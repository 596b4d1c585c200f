use crate::services::assembler::{self, Outcome};
use std::rc::Rc;
use yew::prelude::*;

/// Assembles `source`, again only when it changed.
#[hook]
pub fn use_assembly(source: Rc<str>) -> Rc<Outcome> {
    use_memo(source, |src| assembler::run(src))
}
