//! How sure the answer is: the Monte Carlo's percentiles and probabilities,
//! and the drivers of the sensitivity sweep, as tables.
//!
//! Both run after input settles, in background workers (see `worker.rs`);
//! until they finish the panel says how far along they are. The charts of
//! the same numbers live with the other charts.

use leptos::prelude::*;

use super::state::{use_app_state, Uncertainty};
use crate::model::format::{self, money, number, whole};
use crate::model::{NumField, Percentiles};

fn range_text(p: &Percentiles, show: impl Fn(f64) -> String) -> String {
    format!("{} – {} – {}", show(p.p5), show(p.p50), show(p.p95))
}

/// The uncertainty panel.
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    // The tables follow the results and the currency, not every input.
    let currency = Memo::new(move |_| state.scenario.with(|s| s.currency));
    let status = move || {
        match state.uncertainty.get() {
        Uncertainty::Pending => "Waiting for the inputs to settle…".to_string(),
        Uncertainty::Running(done, total) => format!(
            "Drawing figures from their ranges: {} of {}…",
            whole(f64::from(done)),
            whole(f64::from(total))
        ),
        Uncertainty::Done {
            sweep_ms,
            draws_ms,
            wall_ms,
            workers,
        } => format!(
            "Computed in this browser{}: the draws in {} ms, the sweep in {} ms ({} ms start to finish{}).",
            match workers {
                0 => String::new(),
                1 => ", in a background worker".to_string(),
                n => format!(", in {n} background workers at once"),
            },
            number(draws_ms, 1),
            number(sweep_ms, 1),
            whole(wall_ms),
            if workers > 0 {
                "; the page stays free meanwhile"
            } else {
                ", in slices that keep the page responsive"
            }
        ),
    }
    };
    let outcomes = move || {
        let c = currency.get();
        state.monte_carlo.get().map(|mc| {
            let rows = mc
                .stacks
                .iter()
                .map(|o| {
                    view! {
                        <tr>
                            <th scope="row">{o.stack.label()}</th>
                            <td class="num">{format::share(o.p_cheapest)}</td>
                            <td class="num">{range_text(&o.total, |v| money(v, c))}</td>
                            <td class="num">{range_text(&o.monthly, |v| money(v, c))}</td>
                            <td class="num">{range_text(&o.instances, whole)}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="table-scroll"
                    tabindex="0"
                    role="region"
                    aria-label="How often each stack is cheapest, scrollable"
                >
                    <table class="outcomes">
                        <caption>
                            {format!(
                                "Over {} draws (seed {}): how often each stack is cheapest (within 0.5%), and p5 – median – p95",
                                whole(f64::from(mc.draws)),
                                mc.seed
                            )}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"Stack"</th>
                                <th scope="col" class="num">"Cheapest in"</th>
                                <th scope="col" class="num">"Total over the horizon"</th>
                                <th scope="col" class="num">"Monthly cost"</th>
                                <th scope="col" class="num">"Instances"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    };
    let drivers = move || {
        let c = currency.get();
        state.sensitivity.get().map(|sens| {
            let base = sens.base;
            let rows = sens
                .swings
                .iter()
                .filter(|sw| sw.moves_anything(base))
                .take(10)
                .map(|sw| {
                    let verdict = sens.outcome(sw, c);
                    view! {
                        <tr>
                            <th scope="row">{sw.driver.label()}</th>
                            <td class="num">
                                {format!("{} to {}", sw.driver.show(sw.values.0, c), sw.driver.show(sw.values.1, c))}
                            </td>
                            <td class="num">
                                {format!("{} to {}", money(sw.totals.0, c), money(sw.totals.1, c))}
                            </td>
                            <td class="num">
                                {format!("{} to {}", money(sw.margins.0, c), money(sw.margins.1, c))}
                            </td>
                            <td>{verdict}</td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <div
                    class="table-scroll"
                    tabindex="0"
                    role="region"
                    aria-label="What the answer turns on, scrollable"
                >
                    <table class="drivers-table">
                        <caption>
                            {format!(
                                "What the answer turns on: {} over the next cheapest stack ({} today) as each input or figure moves",
                                sens.lead_of(),
                                money(sens.base_margin, c)
                            )}
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"Input or figure"</th>
                                <th scope="col" class="num">"Moved from – to"</th>
                                <th scope="col" class="num">{format!("{}'s total at each end", base.label())}</th>
                                <th scope="col" class="num">"Lead at each end"</th>
                                <th scope="col">"Outcome"</th>
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            }
        })
    };
    let horizon = move || {
        state
            .scenario
            .with(|s| format::years(s.get(NumField::HorizonYears)))
    };
    view! {
        <section class="panel skippable" id="uncertainty" aria-labelledby="uncertainty-heading">
            <h2 id="uncertainty-heading">"How sure is this?"</h2>
            <p class="help">
                "Low and high are the 5th and 95th percentiles; typical is the median. "
                "Stackwise draws every figure from a distribution with those three percentiles "
                "(a stack's CPU figures move together, as do its memory figures), prices every stack over "
                {horizon}
                ", and counts how often each is cheapest, by the answer's own rule: a stack within 0.5% of the cheapest costs the same, so it counts too. Inputs are then moved one at a time (halved and doubled, or ±20 points) "
                "and figures across their ranges, to find what the answer turns on."
            </p>
            <p class="progress" role="status">{status}</p>
            {outcomes}
            {drivers}
        </section>
    }
}
