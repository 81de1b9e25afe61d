//! The estimate as a table: one row per stack.

use leptos::prelude::*;

use super::format::whole;
use crate::model::Estimate;

/// "Estimate per stack": instances (every tier, at today's peak) and money
/// per month for every stack, in the scenario's currency.
#[component]
pub fn EstimateTable(
    /// The current estimate.
    estimate: Memo<Estimate>,
) -> impl IntoView {
    let rows = move || {
        estimate.with(|e| {
            let symbol = e.currency.symbol();
            e.stacks
                .iter()
                .map(|s| {
                    let cost = format!("{symbol}{}", whole(s.monthly.total()));
                    (s.stack.label(), s.instances, cost)
                })
                .collect::<Vec<_>>()
        })
    };
    let currency = move || estimate.with(|e| e.currency.code());
    view! {
        <table class="estimate">
            <caption>"Estimate per stack"</caption>
            <thead>
                <tr>
                    <th scope="col">"Stack"</th>
                    <th scope="col" class="num">"Instances"</th>
                    <th scope="col" class="num">"Monthly cost (" {currency} ")"</th>
                </tr>
            </thead>
            <tbody>
                {move || {
                    rows()
                        .into_iter()
                        .map(|(label, instances, cost)| {
                            view! {
                                <tr>
                                    <th scope="row">{label}</th>
                                    <td class="num">{instances}</td>
                                    <td class="num">{cost}</td>
                                </tr>
                            }
                        })
                        .collect_view()
                }}
            </tbody>
        </table>
    }
}

/// The answer: recommendation and the table.
#[component]
pub fn ResultsPanel() -> impl IntoView {
    let state = super::state::use_app_state();
    view! {
        <section class="panel">
            <EstimateTable estimate=state.estimate />
        </section>
    }
}
