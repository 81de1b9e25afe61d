//! The page: Leptos components (client-side rendering only, `wasm32`).
//!
//! State flows one way. The scenario lives in one `RwSignal`; the estimate
//! and the chart data are `Memo`s of it; components only display them, and
//! effects only push state out (to the canvas). Inputs keep the text the user
//! typed and write the scenario only when it parses and the model accepts it.

mod canvas;
mod format;
mod inputs;
mod results;

use leptos::prelude::*;

use crate::charts::{draw_instances, instances_vs_traffic};
use crate::model::{estimate, AssumptionSet, NumField, Scenario};

pub use canvas::ChartCanvas;
pub use inputs::NumberInput;
pub use results::EstimateTable;

/// The whole Stackwise page.
#[component]
pub fn App() -> impl IntoView {
    let scenario = RwSignal::new(Scenario::default());
    let assumptions = StoredValue::new(AssumptionSet::published());

    let result = Memo::new(move |_| scenario.with(|s| assumptions.with_value(|a| estimate(s, a))));
    let instances_chart = Memo::new(move |_| {
        scenario.with(|s| assumptions.with_value(|a| instances_vs_traffic(s, a)))
    });

    view! {
        <main class="app">
            <header class="app-header">
                <h1>"Stackwise"</h1>
                <p class="tagline">
                    "How many instances, and how much money, would FastAPI, Express, Fastify, "
                    "NestJS or a hybrid of Node and Python need for your traffic? "
                    "Everything is computed in your browser."
                </p>
            </header>
            <section class="panel" aria-labelledby="traffic-heading">
                <h2 id="traffic-heading">"Traffic"</h2>
                <NumberInput field=NumField::AvgRps scenario=scenario />
            </section>
            <section class="panel">
                <EstimateTable estimate=result />
            </section>
            <section class="panel" aria-labelledby="instances-chart-heading">
                <h2 id="instances-chart-heading">"Instances vs traffic"</h2>
                <ChartCanvas
                    data=instances_chart
                    draw=draw_instances
                    label="Line chart: instances each stack needs as average requests per second grow, log scales."
                />
            </section>
        </main>
    }
}
