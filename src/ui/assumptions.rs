//! (Being built.)

use leptos::prelude::*;

/// Placeholder while the panel is built.
#[component]
pub fn Panel() -> impl IntoView {
    view! { <section class="panel"></section> }
}
