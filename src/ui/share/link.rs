//! The scenario as a link: kept in the address bar, copied on request.
//!
//! The query comes from `crate::state::codec::to_query` (format version
//! first, defaults left out), plus `embed=1` when the page is in embed mode.
//! The address bar is rewritten with `history.replaceState` after every
//! change of the scenario or the figures, never pushed, so Back leaves the
//! page instead of stepping through every slider move; while the user types
//! or drags, at most once every [`REWRITE_EVERY_MS`] and once more after the
//! last change, never in the frame that shows the change (`replaceState`
//! costs milliseconds a call in Chromium, most of them in the browser).
//! While a slider is held the address waits until it is let go: a drag
//! moves every frame, and a rewrite in a frame's spare time made that move
//! late (`scripts/bench-typing.mjs`). The link as first opened is left
//! alone until something changes (a bad link stays visible next to its
//! note).

use std::cell::{Cell, RefCell};

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use crate::state::codec::{to_query, Key, State};
use crate::ui::browser::{copy_text, select_all};
use crate::ui::state::{after_paint, now_ms, schedule, AppState};

/// The least time between two rewrites of the address bar, in
/// milliseconds.
pub const REWRITE_EVERY_MS: f64 = 250.0;

thread_local! {
    /// Whether [`sync_url`] has started its effect.
    static SYNCING: Cell<bool> = const { Cell::new(false) };
    /// When the address bar was last rewritten (`performance.now()`).
    static LAST_REWRITE: Cell<f64> = const { Cell::new(f64::NEG_INFINITY) };
    /// Whether a rewrite is already waiting for its turn.
    static REWRITE_PENDING: Cell<bool> = const { Cell::new(false) };
    /// Whether a slider is held down (the pointer pressed on it and not
    /// yet let go).
    static SLIDER_HELD: Cell<bool> = const { Cell::new(false) };
    /// Whether something changed while a slider was held.
    static CHANGED_WHILE_HELD: Cell<bool> = const { Cell::new(false) };
    /// The query the address bar was last given (or would have been given
    /// for the link as opened).
    static LAST_QUERY: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The query (without `?`) for the current scenario, read reactively.
fn current_query(state: AppState, embed: bool) -> String {
    let query = state.scenario.with(|scenario| {
        state.assumptions.with(|assumptions| {
            to_query(&State {
                scenario: scenario.clone(),
                assumptions: assumptions.clone(),
            })
        })
    });
    if embed {
        format!("{query}&{}=1", Key::Embed.as_str())
    } else {
        query
    }
}

/// The page's address without query and fragment (`https://host/path/`, or
/// the file's `file://` address).
fn page_base() -> String {
    let href = window().location().href().unwrap_or_default();
    let end = href.find(['?', '#']).unwrap_or(href.len());
    href[..end].to_string()
}

/// The full link to the current scenario, in embed mode or not.
pub fn link_to(state: AppState, embed: bool) -> String {
    format!("{}?{}", page_base(), current_query(state, embed))
}

/// Starts the effect that keeps the address bar on the current scenario.
/// Only the first call does anything.
pub fn sync_url(state: AppState) {
    if SYNCING.with(|s| s.replace(true)) {
        return;
    }
    Effect::new(move |first: Option<()>| {
        state.scenario.track();
        state.assumptions.track();
        match first {
            // The link as opened, as the page would write it: a change that
            // leads back to it leaves the address bar alone.
            None => {
                let query = untrack(|| current_query(state, state.embed));
                LAST_QUERY.with(|q| *q.borrow_mut() = Some(query));
            }
            // The query is made when the address bar is rewritten, not on
            // every keystroke.
            Some(()) if SLIDER_HELD.with(Cell::get) => CHANGED_WHILE_HELD.with(|c| c.set(true)),
            Some(()) => rewrite_soon(state),
        }
    });
    follow_held_sliders(state);
}

/// Keeps [`SLIDER_HELD`] up to date, and rewrites the address once a slider
/// that changed something is let go. The page's listeners, for its life.
fn follow_held_sliders(state: AppState) {
    let press = Closure::<dyn FnMut(web_sys::Event)>::new(|event: web_sys::Event| {
        let on_slider = event
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            .is_some_and(|input| input.type_() == "range");
        if on_slider {
            SLIDER_HELD.with(|h| h.set(true));
        }
    });
    let release = Closure::<dyn FnMut()>::new(move || {
        if SLIDER_HELD.with(|h| h.replace(false)) && CHANGED_WHILE_HELD.with(|c| c.replace(false)) {
            rewrite_soon(state);
        }
    });
    let window = window();
    let _ = window.add_event_listener_with_callback_and_bool(
        "pointerdown",
        press.as_ref().unchecked_ref(),
        true,
    );
    for event in ["pointerup", "pointercancel"] {
        let _ = window.add_event_listener_with_callback_and_bool(
            event,
            release.as_ref().unchecked_ref(),
            true,
        );
    }
    press.forget();
    release.forget();
}

/// Rewrites the address bar just after the next frame if the last rewrite
/// is [`REWRITE_EVERY_MS`] old, else once that much time has passed (again
/// after a frame), with the scenario as it is then.
fn rewrite_soon(state: AppState) {
    if REWRITE_PENDING.with(Cell::get) {
        return;
    }
    let wait = LAST_REWRITE.with(Cell::get) + REWRITE_EVERY_MS - now_ms();
    let rewrite = move || {
        REWRITE_PENDING.with(|p| p.set(false));
        LAST_REWRITE.with(|l| l.set(now_ms()));
        let query = state
            .scenario
            .try_with_untracked(|_| ())
            .map(|()| untrack(|| current_query(state, state.embed)));
        if let Some(query) = query {
            let same = LAST_QUERY.with(|last| last.borrow().as_deref() == Some(query.as_str()));
            if !same {
                replace_query(&query);
                LAST_QUERY.with(|last| *last.borrow_mut() = Some(query));
            }
        }
    };
    // Never in a change's own frame: just after the next frame is painted,
    // so the browser's work for the new address does not hold up the
    // figures a keystroke changed.
    REWRITE_PENDING.with(|p| p.set(true));
    if wait <= 0.0 {
        after_paint(rewrite);
    } else {
        schedule(wait.ceil() as i32, move || after_paint(rewrite));
    }
}

/// Rewrites the address bar's query, keeping the path and the fragment.
/// A browser that refuses (some `file://` pages) keeps the old address; the
/// copied link is built from the scenario, not read from the bar.
fn replace_query(query: &str) {
    let window = window();
    let hash = window.location().hash().unwrap_or_default();
    if let Ok(history) = window.history() {
        let _ =
            history.replace_state_with_url(&JsValue::NULL, "", Some(&format!("?{query}{hash}")));
    }
}

/// Link to the full page with the current scenario, relative to this page
/// (`?v=1&…`), for the embed layout's "open in Stackwise" link.
pub fn full_page_href() -> String {
    match use_context::<AppState>() {
        Some(state) => format!("?{}", current_query(state, false)),
        None => String::from("?"),
    }
}

/// "Copy link": copies the link to the current scenario. When the clipboard
/// is missing or refuses, `fallback` gets the link, shown selected in a
/// read-only field by [`CopyFallback`].
#[component]
pub fn CopyLinkButton(
    /// The share bar's status line.
    status: RwSignal<String>,
    /// The link to show for copying by hand.
    fallback: RwSignal<Option<String>>,
    /// The button element, for returning focus to it.
    button: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let state = crate::ui::state::use_app_state();
    let copy = move |_| {
        let link = link_to(state, false);
        status.set(String::new());
        fallback.set(None);
        let shown = link.clone();
        copy_text(&link, move |result| match result {
            Ok(()) => status.set("Link copied to the clipboard.".into()),
            Err(why) => {
                status.set(format!(
                    "Could not copy ({why}). The link is selected below: copy it with Ctrl+C (⌘C on a Mac)."
                ));
                fallback.set(Some(shown));
            }
        });
    };
    view! {
        <button type="button" class="button" node_ref=button on:click=copy>
            "Copy link"
        </button>
    }
}

/// The link in a read-only field, selected, when copying failed.
#[component]
pub fn CopyFallback(
    /// The link, when copying failed.
    fallback: RwSignal<Option<String>>,
) -> impl IntoView {
    let field = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if fallback.with(Option::is_some) {
            if let Some(input) = field.get() {
                // After the value is in place: setting it moves the caret.
                schedule(0, move || select_all(&input));
            }
        }
    });
    view! {
        <Show when=move || fallback.with(Option::is_some)>
            <div class="share-panel">
                <label for="share-link">"Link to this scenario"</label>
                <div class="share-copy-row">
                    <input
                        id="share-link"
                        type="text"
                        autocomplete="off"
                        readonly
                        node_ref=field
                        prop:value=move || fallback.get().unwrap_or_default()
                        on:focus:target=move |ev| ev.target().select()
                    />
                    <button type="button" class="link-button" on:click=move |_| fallback.set(None)>
                        "Close"
                    </button>
                </div>
            </div>
        </Show>
    }
}
