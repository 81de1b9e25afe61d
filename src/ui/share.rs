//! Sharing, embedding, saving and exporting: everything that takes the
//! scenario out of the page, or brings it back in.
//!
//! - [`sync_url`]: the address bar always holds the scenario, the figures
//!   and any edited figure (`history.replaceState`, so Back is not
//!   polluted).
//! - [`report_height`]: in a frame, the page's height to the parent page.
//! - [`ShareBar`], in the header: copy the link, the `<iframe>` snippet,
//!   CSV and JSON downloads, and the import of that JSON.
//! - [`SavedPanel`]: scenarios saved in this browser's storage: save, load,
//!   rename, delete, and compare two side by side.
//!
//! The wire formats (link query, export file, stored library) belong to
//! `crate::state`; this module only moves them between the page and the
//! browser. Every browser API here can fail (clipboard, storage, downloads,
//! files): each failure becomes a visible note, never a panic.

mod compare;
mod embed;
mod link;
mod saved;
mod transfer;

use leptos::prelude::*;

use super::state::{schedule, use_app_state, AppState};

/// How long a status line ("Link copied…") stays, in milliseconds.
const STATUS_SHOWN_MS: i32 = 6_000;

pub use saved::SavedPanel;

/// Starts the effect that keeps the link in the address bar on the
/// scenario. Safe to call more than once; only the first call does
/// anything.
pub fn sync_url(state: AppState) {
    link::sync_url(state);
}

/// Starts posting the page's height to the parent frame, once laid out and
/// whenever it changes. Does nothing outside a frame; safe to call more
/// than once.
pub fn report_height() {
    embed::report_height();
}

/// The full link to the current scenario, in embed mode or not.
pub fn link_to(state: AppState, embed: bool) -> String {
    link::link_to(state, embed)
}

/// Link to the full page with the current scenario, relative to this page
/// (`?v=1&…`), for the embed layout's "open in Stackwise" link.
pub fn full_page_href() -> String {
    link::full_page_href()
}

/// Copy link, embed snippet, downloads and import, in the page header.
///
/// The buttons sit in the header; what they open (the status line, the
/// link to copy by hand, the embed code, import problems) drops down below
/// them over the page, each with its own way to close, and Escape closes
/// them all.
#[component]
pub fn ShareBar() -> impl IntoView {
    sync_url(use_app_state());
    let status = RwSignal::new(String::new());
    let fallback = RwSignal::new(None::<String>);
    let embed_open = RwSignal::new(false);
    let refused = RwSignal::new(None::<transfer::Refused>);
    let copy_button = NodeRef::<leptos::html::Button>::new();
    let embed_button = NodeRef::<leptos::html::Button>::new();
    // A status line is a passing note: it goes after a while unless a newer
    // one replaced it.
    Effect::new(move |_| {
        let shown = status.get();
        if !shown.is_empty() {
            schedule(STATUS_SHOWN_MS, move || {
                if status.with_untracked(|now| *now == shown) {
                    status.set(String::new());
                }
            });
        }
    });
    let close_all = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() != "Escape" {
            return;
        }
        // Focus goes back to the button that opened what closes.
        let back = if embed_open.get_untracked() {
            embed_button.get_untracked()
        } else if fallback.with_untracked(Option::is_some) {
            copy_button.get_untracked()
        } else {
            None
        };
        status.set(String::new());
        fallback.set(None);
        embed_open.set(false);
        refused.set(None);
        if let Some(button) = back {
            let _ = button.focus();
        }
    };
    view! {
        <div class="share-bar" on:keydown=close_all>
            <div class="share-actions" role="group" aria-label="Share and export">
                <link::CopyLinkButton status=status fallback=fallback button=copy_button />
                <embed::EmbedButton open=embed_open button=embed_button />
                <transfer::DownloadButtons status=status />
                <transfer::ImportButton status=status refused=refused />
                <PrintButton />
            </div>
            <div class="share-popups">
                <p class="share-status" role="status">{move || status.get()}</p>
                <link::CopyFallback fallback=fallback />
                <embed::EmbedPanel open=embed_open button=embed_button />
                <transfer::ImportProblems refused=refused />
            </div>
        </div>
    }
}

/// "Print or save as PDF": the browser's print dialog, on the print
/// stylesheet's report (the answer, the table, the first two charts, what
/// differs from the defaults, the date and the link).
#[component]
fn PrintButton() -> impl IntoView {
    view! {
        <button
            type="button"
            on:click=move |_| {
                let _ = window().print();
            }
        >
            "Print or save as PDF"
        </button>
    }
}
