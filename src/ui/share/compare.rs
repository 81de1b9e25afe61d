//! Two saved scenarios side by side, as `crate::state::compare` works them
//! out: for each stack the instances and the total cost over the horizon
//! under A and under B, and every input that differs between them.

use leptos::prelude::*;

use crate::state::compare::{differences, horizon, per_stack, Side};

/// The comparison tables for two saved scenarios.
#[component]
pub fn Comparison(
    /// Scenario A.
    a: Side,
    /// Scenario B.
    b: Side,
) -> impl IntoView {
    let rows = per_stack(&a, &b)
        .into_iter()
        .map(|r| {
            view! {
                <tr>
                    <th scope="row">{r.stack.label()}</th>
                    <td class="num">{r.instances.0}</td>
                    <td class="num">{r.instances.1}</td>
                    <td class="num">{r.total.0}</td>
                    <td class="num">{r.total.1}</td>
                </tr>
            }
        })
        .collect_view();
    let horizon = horizon(&a, &b);
    let differences = differences(&a, &b);
    let inputs = if differences.is_empty() {
        view! { <p class="note">"The two scenarios have the same inputs and figures."</p> }
            .into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Inputs that differ, scrollable">
                <table class="compare-inputs">
                    <caption>"Inputs that differ"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Input"</th>
                            <th scope="col">"A: " {a.name.clone()}</th>
                            <th scope="col">"B: " {b.name.clone()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {differences
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <tr>
                                        <th scope="row">{d.label}</th>
                                        <td>{d.a}</td>
                                        <td>{d.b}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Comparison per stack, scrollable">
            <table class="compare">
                <caption>
                    {format!("A: {} and B: {}, per stack (total cost {horizon})", a.name, b.name)}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Stack"</th>
                        <th scope="col" class="num">"Instances A"</th>
                        <th scope="col" class="num">"Instances B"</th>
                        <th scope="col" class="num">"Total cost A"</th>
                        <th scope="col" class="num">"Total cost B"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {inputs}
    }
}
