//! Sharing, embedding, saving and exporting. (Being built.)

use leptos::prelude::*;

/// Copy link, embed snippet, exports and import, in the page header.
#[component]
pub fn ShareBar() -> impl IntoView {
    view! { <div class="share-bar"></div> }
}

/// Saved scenarios: save, list, load, rename, delete, compare.
#[component]
pub fn SavedPanel() -> impl IntoView {
    view! { <section class="panel" id="saved"></section> }
}

/// Link to the full page with the current scenario (for the embed layout).
pub fn full_page_href() -> String {
    String::from("?")
}
