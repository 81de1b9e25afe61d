//! The printed report: what a printout (or a PDF) holds besides the answer,
//! the table and the first two charts, which the print stylesheet keeps from
//! the page: the date, the figure set, the link that reopens this scenario,
//! and every input and edited figure that differs from the defaults. Hidden
//! on screen; the print stylesheet shows it and hides the rest. It follows
//! the inputs once they settle (`AppState::settled`), not every keystroke.

use leptos::prelude::*;

use super::share::link_to;
use super::state::use_app_state;
use crate::state::codec::State;
use crate::state::compare::changes_from_defaults;

/// The top of the printed report: the title, the date, the figures used and
/// the link that reopens the scenario.
#[component]
pub fn PrintHeader() -> impl IntoView {
    let state = use_app_state();
    let date = js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
        .chars()
        .take(10)
        .collect::<String>();
    // Follows the inputs once they settle, not every keystroke.
    let link = move || {
        state.settled.track();
        untrack(|| link_to(state, false))
    };
    view! {
        <section class="print-report" aria-label="Report">
            <p>
                {format!("Stackwise report, {date}. Figures: ")}
                {move || state.assumptions.with(|a| a.kind.label())}
                "."
            </p>
            <p class="print-link">"Reopen this scenario: " <span class="url">{link}</span></p>
        </section>
    }
}

/// The end of the printed report: every input and edited figure that
/// differs from the defaults.
#[component]
pub fn PrintChanges() -> impl IntoView {
    let state = use_app_state();
    // Follows the inputs once they settle, not every keystroke.
    let changes = Memo::new(move |_| {
        state.settled.track();
        changes_from_defaults(&State {
            scenario: state.scenario.get_untracked(),
            assumptions: state.assumptions.get_untracked(),
        })
    });
    view! {
        <section class="print-report" aria-label="Changed from the defaults">
            <h2>"Inputs and figures changed from the defaults"</h2>
            {move || {
                let changes = changes.get();
                if changes.is_empty() {
                    view! { <p>"None: every input and figure is at its default."</p> }.into_any()
                } else {
                    view! {
                        <table class="print-changes">
                            <thead>
                                <tr>
                                    <th scope="col">"Input or figure"</th>
                                    <th scope="col">"Default"</th>
                                    <th scope="col">"This scenario"</th>
                                </tr>
                            </thead>
                            <tbody>
                                {changes
                                    .into_iter()
                                    .map(|c| view! { <tr><th scope="row">{c.label}</th><td>{c.a}</td><td>{c.b}</td></tr> })
                                    .collect_view()}
                            </tbody>
                        </table>
                    }
                    .into_any()
                }
            }}
        </section>
    }
}
