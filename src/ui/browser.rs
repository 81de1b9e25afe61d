//! General browser glue, each call wrapped so that a missing or refusing
//! API becomes an `Err` with a message for the user: the clipboard, file
//! downloads (exports, chart images), reading a chosen file, the date, and
//! selecting the text of a field. Sharing, measurements and the charts use
//! it; nothing here knows about the scenario.

use js_sys::{Array, Date, Function, Promise, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, BlobPropertyBag, Element, HtmlAnchorElement, IntersectionObserver,
    IntersectionObserverEntry, ResizeObserver, ResizeObserverEntry, Url,
};

use crate::ui::state::schedule;

/// Calls `done` once with the outcome of `promise`. If `then` cannot be
/// called (not a promise), `done` gets the error at once.
pub fn settle(promise: &JsValue, done: impl FnOnce(Result<JsValue, JsValue>) + 'static) {
    let done = std::rc::Rc::new(std::cell::Cell::new(Some(done)));
    let on_ok = {
        let done = done.clone();
        Closure::once_into_js(move |value: JsValue| {
            if let Some(f) = done.take() {
                f(Ok(value));
            }
        })
    };
    let on_err = {
        let done = done.clone();
        Closure::once_into_js(move |err: JsValue| {
            if let Some(f) = done.take() {
                f(Err(err));
            }
        })
    };
    let then = Reflect::get(promise, &JsValue::from_str("then"))
        .ok()
        .and_then(|f| f.dyn_into::<Function>().ok());
    let called = then.map(|then| then.call2(promise, &on_ok, &on_err));
    if !matches!(called, Some(Ok(_))) {
        if let Some(f) = done.take() {
            f(Err(JsValue::from_str("not a promise")));
        }
    }
}

/// Writes `text` to the clipboard. `Err` when the page has no clipboard
/// API (an insecure origin, some `file://` pages) or the browser refuses.
pub fn copy_text(text: &str, done: impl FnOnce(Result<(), String>) + 'static) {
    let navigator = window().navigator();
    let clipboard = Reflect::get(&navigator, &JsValue::from_str("clipboard")).unwrap_or_default();
    if clipboard.is_undefined() || clipboard.is_null() {
        done(Err("this page has no access to the clipboard".into()));
        return;
    }
    let clipboard: web_sys::Clipboard = clipboard.unchecked_into();
    let promise: Promise = clipboard.write_text(text);
    settle(&promise, move |result| {
        done(
            result
                .map(|_| ())
                .map_err(|_| "the browser refused to copy".into()),
        )
    });
}

/// How long a download's object URL is kept, ms: long enough for the
/// browser to have started reading it.
const OBJECT_URL_KEPT_MS: i32 = 10_000;

/// Saves `href` (an object or `data:` URL) as a file named `file_name`,
/// through a temporary `<a download>` in the document.
pub fn save_as(href: &str, file_name: &str) -> Result<(), String> {
    let doc = document();
    let anchor = doc
        .create_element("a")
        .ok()
        .and_then(|a| a.dyn_into::<HtmlAnchorElement>().ok())
        .ok_or_else(|| format!("The browser refused to create {file_name}."))?;
    anchor.set_href(href);
    anchor.set_download(file_name);
    anchor.set_hidden(true);
    // Some browsers follow only a link that is in the document.
    match doc.body() {
        Some(body) if body.append_child(&anchor).is_ok() => {
            anchor.click();
            anchor.remove();
        }
        _ => anchor.click(),
    }
    Ok(())
}

/// Offers `content` as a file download named `file_name`. The file is made
/// in the page (a Blob): nothing is sent anywhere.
pub fn download(file_name: &str, mime: &str, content: &str) -> Result<(), String> {
    let refused = |_| format!("The browser refused to create {file_name}.");
    let parts = Array::of1(&JsValue::from_str(content));
    let options = BlobPropertyBag::new();
    options.set_type(mime);
    let blob = Blob::new_with_str_sequence_and_options(&parts, &options).map_err(refused)?;
    let url = Url::create_object_url_with_blob(&blob).map_err(refused)?;
    let saved = save_as(&url, file_name);
    // The download has started from the URL by now; free it a little later.
    schedule(OBJECT_URL_KEPT_MS, move || {
        let _ = Url::revoke_object_url(&url);
    });
    saved
}

/// Calls `changed` with `element`'s size each time the browser finds it
/// changed (the first time as it starts watching), until the component
/// that called it is cleaned up.
pub fn watch_size(element: &Element, mut changed: impl FnMut(&ResizeObserverEntry) + 'static) {
    let on_resize = Closure::<dyn FnMut(Array)>::new(move |entries: Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<ResizeObserverEntry>().ok())
        {
            changed(&entry);
        }
    });
    let Ok(observer) = ResizeObserver::new(on_resize.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(element);
    let kept = StoredValue::new_local((observer, on_resize));
    on_cleanup(move || {
        kept.try_with_value(|(observer, _)| observer.disconnect());
    });
}

/// Calls `changed` with whether `element` is on the screen (any part of it
/// within the window) each time the browser finds that it changed, the
/// first time as it starts watching, until the component that called it is
/// cleaned up.
pub fn watch_visible(element: &Element, mut changed: impl FnMut(bool) + 'static) {
    let on_view = Closure::<dyn FnMut(Array)>::new(move |entries: Array| {
        if let Some(entry) = entries
            .iter()
            .last()
            .and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
        {
            changed(entry.is_intersecting());
        }
    });
    let Ok(observer) = IntersectionObserver::new(on_view.as_ref().unchecked_ref()) else {
        return;
    };
    observer.observe(element);
    let kept = StoredValue::new_local((observer, on_view));
    on_cleanup(move || {
        kept.try_with_value(|(observer, _)| observer.disconnect());
    });
}

/// Reads a chosen file as text.
pub fn read_text(file: &web_sys::File, done: impl FnOnce(Result<String, String>) + 'static) {
    let promise = file.text();
    settle(&promise, move |result| {
        done(match result {
            Ok(text) => text
                .as_string()
                .ok_or_else(|| "The file could not be read as text.".to_string()),
            Err(_) => Err("The browser could not read the file.".to_string()),
        })
    });
}

fn two(n: u32) -> String {
    format!("{n:02}")
}

/// Today in the page's time zone, `YYYY-MM-DD` (for file names).
pub fn today() -> String {
    let d = Date::new_0();
    format!(
        "{}-{}-{}",
        d.get_full_year(),
        two(d.get_month() + 1),
        two(d.get_date())
    )
}

/// Now as ISO 8601 in UTC (what a saved scenario stores).
pub fn now_iso() -> String {
    String::from(Date::new_0().to_iso_string())
}

/// An ISO 8601 time as `YYYY-MM-DD HH:MM` in the page's time zone, or the
/// text as given when it is not a time.
pub fn local_date_time(iso: &str) -> String {
    let d = Date::new(&JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_string();
    }
    format!(
        "{}-{}-{} {}:{}",
        d.get_full_year(),
        two(d.get_month() + 1),
        two(d.get_date()),
        two(d.get_hours()),
        two(d.get_minutes())
    )
}

/// Focuses a text field or text area and selects all its text, so the user
/// can copy it by hand.
pub fn select_all(element: &Element) {
    if let Some(el) = element.dyn_ref::<web_sys::HtmlElement>() {
        let _ = el.focus();
    }
    if let Ok(select) = Reflect::get(element, &JsValue::from_str("select")) {
        if let Ok(select) = select.dyn_into::<Function>() {
            let _ = select.call0(element);
        }
    }
}
