//! Embedding: the `<iframe>` snippet for the current scenario, and, inside
//! such a frame, the page's height reported to the parent page.
//!
//! The message is `{ type: "stackwise:height", height: <CSS pixels> }`,
//! posted to the parent with target origin `"*"`: it carries one whole
//! number and nothing about the scenario, so any page may read it. It is
//! sent once the page is laid out and again whenever the height changes.

use std::cell::Cell;
use std::rc::Rc;

use js_sys::{Object, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};

use super::link::link_to;
use crate::ui::browser::{copy_text, select_all};
use crate::ui::state::{schedule, use_app_state};

/// `type` of the height message.
pub const HEIGHT_MESSAGE: &str = "stackwise:height";

/// Height of the frame in the snippet, in CSS pixels, for a parent page
/// that does not listen for the height message: about the compact layout's
/// answer and table at a typical document width (the charts follow, and
/// the frame scrolls to them).
const SNIPPET_HEIGHT_PX: u32 = 900;

thread_local! {
    /// Whether [`report_height`] has started.
    static REPORTING: Cell<bool> = const { Cell::new(false) };
}

/// Posts the document's height to the parent frame once laid out and
/// whenever it changes (a `ResizeObserver` on the root element). Does
/// nothing outside a frame, or when already started. A browser without
/// `ResizeObserver` posts nothing; the snippet's height stands.
pub fn report_height() {
    if REPORTING.with(|r| r.replace(true)) {
        return;
    }
    let window = window();
    let parent = match window.parent() {
        Ok(Some(parent)) => parent,
        _ => return,
    };
    if JsValue::from(parent.clone()) == JsValue::from(window.clone()) {
        return; // Not in a frame: nobody to tell.
    }
    let Some(root) = document().document_element() else {
        return;
    };
    let last = Rc::new(Cell::new(-1.0_f64));
    let post = {
        let root = root.clone();
        move || {
            let height = root.get_bounding_client_rect().height().ceil();
            if !height.is_finite() || height <= 0.0 || height == last.get() {
                return;
            }
            last.set(height);
            let message = Object::new();
            let _ = Reflect::set(&message, &"type".into(), &HEIGHT_MESSAGE.into());
            let _ = Reflect::set(&message, &"height".into(), &JsValue::from_f64(height));
            let _ = parent.post_message(&message, "*");
        }
    };
    // A ResizeObserver reports every observed element once when observing
    // starts, so the first height needs no call of its own.
    let on_resize = Closure::<dyn FnMut()>::new(post);
    match web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()) {
        Ok(observer) => {
            observer.observe(&root);
            // Both live as long as the page.
            std::mem::forget(observer);
            on_resize.forget();
        }
        Err(_) => {
            // No ResizeObserver: the snippet's own height stands.
        }
    }
}

/// The `<iframe>` element for a link.
pub fn snippet(src: &str) -> String {
    let src = src.replace('&', "&amp;").replace('"', "&quot;");
    format!(
        "<iframe src=\"{src}\" title=\"Stackwise: backend cost estimate\" width=\"100%\" height=\"{SNIPPET_HEIGHT_PX}\" loading=\"lazy\" style=\"border:0;max-width:100%\"></iframe>"
    )
}

/// "Embed": shows or hides the snippet panel.
#[component]
pub fn EmbedButton(
    /// Whether the snippet panel is open.
    open: RwSignal<bool>,
    /// The button element, for returning focus to it.
    button: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    view! {
        <button
            type="button"
            class="button"
            node_ref=button
            aria-expanded=move || if open.get() { "true" } else { "false" }
            aria-controls="embed-panel"
            on:click=move |_| open.update(|o| *o = !*o)
        >
            "Embed"
        </button>
    }
}

/// The snippet for the current scenario, with a copy button.
#[component]
pub fn EmbedPanel(
    /// Whether the panel is open.
    open: RwSignal<bool>,
    /// The Embed button, which gets the focus back on close.
    button: NodeRef<leptos::html::Button>,
) -> impl IntoView {
    let state = use_app_state();
    // Made when read: the textarea reads it only while the panel is open,
    // so a change of the inputs does not write the link for a closed panel.
    let code = Memo::new(move |_| snippet(&link_to(state, true)));
    let from_file = window().location().protocol().unwrap_or_default() == "file:";
    let message = RwSignal::new(String::new());
    let area = NodeRef::<leptos::html::Textarea>::new();
    // Opening moves the focus to the code, selected, ready to copy.
    Effect::new(move |was_open: Option<bool>| {
        let is_open = open.get();
        if is_open && was_open == Some(false) {
            if let Some(el) = area.get_untracked() {
                schedule(0, move || select_all(&el));
            }
        }
        is_open
    });
    let copy = move |_| {
        message.set(String::new());
        copy_text(&code.get_untracked(), move |result| match result {
            Ok(()) => message.set("Code copied to the clipboard.".into()),
            Err(why) => {
                message.set(format!(
                    "Could not copy ({why}). The code is selected: copy it with Ctrl+C (⌘C on a Mac)."
                ));
                if let Some(el) = area.get_untracked() {
                    select_all(&el);
                }
            }
        });
    };
    view! {
        <div class="share-panel" id="embed-panel" hidden=move || !open.get()>
            <label for="embed-code">"Embed code for this scenario"</label>
            <textarea id="embed-code" autocomplete="off" readonly rows="4" node_ref=area prop:value=move || if open.get() { code.get() } else { String::new() }></textarea>
            <div class="share-copy-row">
                <button type="button" class="button" on:click=copy>
                    "Copy code"
                </button>
                <button
                    type="button"
                    class="link-button"
                    on:click=move |_| {
                        open.set(false);
                        if let Some(b) = button.get_untracked() {
                            let _ = b.focus();
                        }
                    }
                >
                    "Close"
                </button>
                <span class="note" role="status">{move || message.get()}</span>
            </div>
            <p class="help">
                "The frame shows the answer and the charts without the inputs. It tells your page its height in a message "
                <code>"{ type: \"stackwise:height\", height }"</code>
                " so the frame can be resized to fit."
            </p>
            {from_file.then(|| view! {
                <p class="note warning">
                    "This copy is opened from a file, so this address only works on this computer. Embed the hosted page instead."
                </p>
            })}
        </div>
    }
}
