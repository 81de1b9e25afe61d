//! The only code that touches a `<canvas>` element.
//!
//! [`ChartCanvas`] sizes the canvas buffer to its CSS size times
//! `devicePixelRatio` (crisp on HiDPI screens), picks the light or dark chart
//! theme the page is using, and redraws when the data, the element's size or
//! the colour scheme changes. Drawing itself is a `charts::draw` function
//! generic over the backend. A browser that cannot give a 2D context, or a
//! drawing error, shows a visible note instead of a blank box.

use leptos::html;
use leptos::prelude::*;
use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend, IntoDrawingArea};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, MediaQueryList, ResizeObserver};

use crate::charts::Theme;

/// A chart drawing function for the canvas backend.
pub type DrawFn<T> =
    fn(
        &DrawingArea<CanvasBackend, Shift>,
        &T,
        &Theme,
    ) -> Result<(), DrawingAreaErrorKind<<CanvasBackend as DrawingBackend>::ErrorType>>;

/// Media query that tells whether the system prefers dark colours.
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// The theme the page shows: `<html data-theme>` wins, then the system.
fn page_theme() -> Theme {
    let forced = document()
        .document_element()
        .and_then(|root| root.get_attribute("data-theme"));
    let dark = match forced.as_deref() {
        Some("dark") => true,
        Some("light") => false,
        _ => window()
            .match_media(DARK_QUERY)
            .ok()
            .flatten()
            .is_some_and(|m| m.matches()),
    };
    if dark {
        Theme::dark()
    } else {
        Theme::light()
    }
}

/// Sizes the buffer and draws; returns a message for the user on failure.
/// A canvas with no layout size yet (hidden, not attached) is skipped.
fn redraw<T>(canvas: &HtmlCanvasElement, data: &T, draw: DrawFn<T>) -> Result<(), String> {
    let rect = canvas.get_bounding_client_rect();
    let ratio = window().device_pixel_ratio();
    let ratio = if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    };
    // Saturating casts: absurd sizes clamp instead of wrapping.
    let width = (rect.width() * ratio).round() as u32;
    let height = (rect.height() * ratio).round() as u32;
    if width == 0 || height == 0 {
        return Ok(());
    }
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend = CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| {
        "This browser did not provide a 2D canvas, so the chart cannot be drawn. \
         The table has the same numbers."
            .to_string()
    })?;
    let area = backend.into_drawing_area();
    let theme = page_theme().with_scale(ratio);
    draw(&area, data, &theme).map_err(|e| format!("The chart could not be drawn: {e}"))?;
    area.present()
        .map_err(|e| format!("The chart could not be drawn: {e}"))
}

/// Browser hooks that trigger a redraw; kept alive as long as the component.
struct Watchers {
    observer: Option<ResizeObserver>,
    scheme: Option<MediaQueryList>,
    callback: Closure<dyn FnMut()>,
}

impl Watchers {
    fn disconnect(&self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        if let Some(scheme) = &self.scheme {
            // Nothing useful to do if removal fails: the page is going away.
            let _ = scheme.remove_event_listener_with_callback(
                "change",
                self.callback.as_ref().unchecked_ref(),
            );
        }
    }
}

/// A chart on a `<canvas>`, redrawn whenever `data`, the canvas size or the
/// colour scheme changes.
#[component]
pub fn ChartCanvas<T>(
    /// The chart data to draw.
    data: Memo<T>,
    /// Draws `data` on the canvas backend.
    draw: DrawFn<T>,
    /// What the chart shows, for screen readers (`aria-label`).
    label: &'static str,
) -> impl IntoView
where
    T: PartialEq + Send + Sync + 'static,
{
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let note = RwSignal::new(None::<String>);
    // Bumped by the resize observer and the colour-scheme listener.
    let layout = RwSignal::new(0u32);
    let watchers = StoredValue::new_local(None::<Watchers>);

    canvas_ref.on_load(move |canvas| {
        let callback = Closure::<dyn FnMut()>::new(move || {
            layout.try_update(|n| *n = n.wrapping_add(1));
        });
        let function: &js_sys::Function = callback.as_ref().unchecked_ref();
        let observer = ResizeObserver::new(function).ok();
        if let Some(observer) = &observer {
            observer.observe(&canvas);
        }
        let scheme = window().match_media(DARK_QUERY).ok().flatten();
        if let Some(scheme) = &scheme {
            let _ = scheme.add_event_listener_with_callback("change", function);
        }
        watchers.set_value(Some(Watchers {
            observer,
            scheme,
            callback,
        }));
    });
    on_cleanup(move || {
        watchers.try_with_value(|w| {
            if let Some(w) = w {
                w.disconnect();
            }
        });
    });

    Effect::new(move |_| {
        layout.track();
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let outcome = data.with(|d| redraw(&canvas, d, draw));
        note.set(outcome.err());
    });

    view! {
        <div class="chart-frame">
            <canvas node_ref=canvas_ref role="img" aria-label=label></canvas>
        </div>
        {move || note.get().map(|text| view! { <p class="note warning" role="status">{text}</p> })}
    }
}
