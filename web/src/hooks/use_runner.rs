use crate::services::run;
use crate::state::{Model, Msg};
use yew::prelude::*;

/// Runs the program in the interpreter each time the model asks for a run (`run_gen`), on
/// the inputs and maps of that moment, and hands the maps and outcome back as [`Msg::Ran`].
#[hook]
pub fn use_runner(model: &UseReducerHandle<Model>) {
    let m = model.clone();
    use_effect_with(model.run_gen, move |&gen| {
        if gen > 0 {
            let st = run::run(&m.source, m.settings, &m.inputs, m.current().map(|c| &**c), &m.run);
            m.dispatch(Msg::Ran(Box::new(st)));
        }
    });
}
