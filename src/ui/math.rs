//! "How is this computed": every formula of the model in plain words, with
//! the current scenario's numbers plugged in for one stack.
//!
//! Titles, formulas, explanations, references and the numbers plugged in
//! come from [`crate::model::Formula`]; this panel only shows them.

use leptos::prelude::*;

use super::state::{use_app_state, Shown};
use crate::model::{Formula, Stack};

/// The "How is this computed" panel. Off the screen it follows a change
/// once the typing stops, or as it comes into view ([`Shown`]).
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    let section = NodeRef::<leptos::html::Section>::new();
    let shown = Shown::of(state, section);
    let chosen = RwSignal::new(None::<Stack>);
    // The stack picked, or else today's cheapest: the options' `selected`
    // changes only when it does.
    let stack = Memo::new(move |_| {
        chosen
            .get()
            .unwrap_or_else(|| shown.estimate.with(|e| e.cheapest))
    });
    view! {
        <section class="panel skippable" id="math" aria-labelledby="math-heading" node_ref=section>
            <h2 id="math-heading">"How is this computed"</h2>
            <div class="field inline">
                <label for="math-stack">"Show the numbers for"</label>
                <select
                    id="math-stack"
                    autocomplete="off"
                    on:change:target=move |ev| chosen.set(Stack::from_key(&ev.target().value()))
                >
                    {Stack::ALL
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! { <option value=s.key() selected=move || stack.get() == s>{s.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <ol class="formulas">
                {Formula::ALL
                    .iter()
                    .map(|f| {
                        let f = *f;
                        view! {
                            <li>
                                <h3>{f.title()}</h3>
                                <p class="formula"><code>{f.expression()}</code></p>
                                <p>{f.explanation()}</p>
                                <p class="plugged">
                                    {move || shown.scenario.with(|s| shown.estimate.with(|e| f.plugged(s, e, stack.get())))}
                                </p>
                                <p class="reference">"Reference: " {f.reference()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
