//! The charts section. (Being built: see the charts work.)

use leptos::prelude::*;

/// Every chart of the estimate, with legend, read-out, tables and export.
#[component]
pub fn ChartsPanel() -> impl IntoView {
    view! { <section class="panel" id="charts" aria-labelledby="charts-heading"><h2 id="charts-heading">"Charts"</h2></section> }
}
