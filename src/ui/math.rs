//! "How is this computed": every formula of the model in plain words, with
//! the current scenario's numbers plugged in for one stack.
//!
//! Titles, formulas, explanations, references and the numbers plugged in
//! come from [`crate::model::Formula`]; this panel only shows them.

use leptos::prelude::*;

use super::state::use_app_state;
use crate::model::{Formula, Stack};

/// The "How is this computed" panel.
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    let chosen = RwSignal::new(None::<Stack>);
    let stack = move || {
        chosen
            .get()
            .unwrap_or_else(|| state.estimate.with(|e| e.cheapest))
    };
    view! {
        <section class="panel skippable" id="math" aria-labelledby="math-heading">
            <h2 id="math-heading">"How is this computed"</h2>
            <div class="field inline">
                <label for="math-stack">"Show the numbers for"</label>
                <select
                    id="math-stack"
                    on:change:target=move |ev| chosen.set(Stack::from_key(&ev.target().value()))
                >
                    {Stack::ALL
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! { <option value=s.key() selected=move || stack() == s>{s.label()}</option> }
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
                                    {move || state.scenario.with(|s| state.estimate.with(|e| f.plugged(s, e, stack())))}
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
