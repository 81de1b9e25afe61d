//! The only code that touches a `<canvas>` element.
//!
//! [`ChartCanvas`] sizes the canvas buffer to its CSS size times
//! `devicePixelRatio` (crisp on HiDPI screens), picks the light or dark chart
//! theme the page is using, and redraws when the data, the element's size or
//! the colour scheme changes; each chart's data is its own `Memo`, so a chart
//! whose numbers did not change is not redrawn. The CSS size comes from the
//! resize observer (read there, where layout is already clean), so a redraw
//! never forces a layout. Pointer, touch and arrow keys pick a hover position
//! through the [`PlotFrame`] the drawing returned. Drawing itself is the
//! chart's own function, generic over the backend: [`download_svg`] runs the
//! same function into SVG, [`download_png`] onto a detached canvas, and both
//! save through `ui::browser`. A browser that cannot give a 2D context, or a
//! drawing error, shows a visible note instead of a blank box.

use leptos::html;
use leptos::prelude::*;
use plotters::prelude::{IntoDrawingArea, SVGBackend};
use plotters_canvas::CanvasBackend;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{HtmlCanvasElement, KeyboardEvent, MediaQueryList, PointerEvent, ResizeObserver};

use super::browser::{download, save_as};
use super::state::AppState;
use crate::charts::frame::step_key;
use crate::charts::{Along, AnyChart, Chart, PlotFrame, Theme};

/// Media query that tells whether the system prefers dark colours.
const DARK_QUERY: &str = "(prefers-color-scheme: dark)";
/// Said when a 2D context is refused.
const NO_CANVAS: &str =
    "This browser did not provide a 2D canvas, so the chart cannot be drawn. The numbers are in its table.";

/// The theme the page shows: the user's light/dark choice in the app state
/// when there is one, else `<html data-theme>`, else the system's.
pub fn page_theme() -> Theme {
    let choice = use_context::<AppState>().map(|s| s.theme.get_untracked());
    let forced = match choice {
        Some(choice) => choice.attr().map(str::to_string),
        None => document()
            .document_element()
            .and_then(|root| root.get_attribute("data-theme")),
    };
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

/// `devicePixelRatio`, 1 when the browser reports nonsense.
fn device_ratio() -> f64 {
    let ratio = window().device_pixel_ratio();
    if ratio.is_finite() && ratio > 0.0 {
        ratio
    } else {
        1.0
    }
}

/// `css` CSS pixels at `ratio` as a buffer size; `None` when empty.
fn buffer_size(css: (f64, f64), ratio: f64) -> Option<(u32, u32)> {
    // Saturating casts: absurd sizes clamp instead of wrapping.
    let width = (css.0 * ratio).round() as u32;
    let height = (css.1 * ratio).round() as u32;
    (width > 0 && height > 0).then_some((width, height))
}

/// Draws `data` on `canvas` at CSS size `css`; the frame for hovering, or a
/// message for the user. `Ok(None)` when there is nothing to draw on yet.
fn draw_on(
    canvas: &HtmlCanvasElement,
    css: (f64, f64),
    data: &AnyChart,
    theme: Theme,
) -> Result<Option<PlotFrame>, String> {
    let ratio = device_ratio();
    let Some((width, height)) = buffer_size(css, ratio) else {
        return Ok(None);
    };
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
    let backend =
        CanvasBackend::with_canvas_object(canvas.clone()).ok_or_else(|| NO_CANVAS.to_string())?;
    let area = backend.into_drawing_area();
    let frame = data
        .draw(&area, &theme.with_scale(ratio))
        .map_err(|e| format!("The chart could not be drawn: {e}"))?;
    area.present()
        .map_err(|e| format!("The chart could not be drawn: {e}"))?;
    Ok(Some(frame))
}

/// The file name a chart is saved under.
fn file_name(data: &AnyChart, extension: &str) -> String {
    format!("stackwise-{}.{extension}", data.key())
}

/// Saves the chart as an SVG file drawn at `css` pixels, title and legend
/// included, in the page's colours.
pub fn download_svg(data: &AnyChart, css: (f64, f64)) -> Result<(), String> {
    let Some(size) = buffer_size(css, 1.0) else {
        return Err("The chart has no size yet; try again once it is shown.".to_string());
    };
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        data.draw(&area, &page_theme().standalone().for_svg())
            .map_err(|e| format!("The SVG could not be made: {e}"))?;
        area.present()
            .map_err(|e| format!("The SVG could not be made: {e}"))?;
    }
    download(&file_name(data, "svg"), "image/svg+xml", &svg)
}

/// Saves the chart as a PNG file at the screen's pixel density, title and
/// legend included, drawn on a canvas that is never shown.
pub fn download_png(data: &AnyChart, css: (f64, f64)) -> Result<(), String> {
    let canvas: HtmlCanvasElement = document()
        .create_element("canvas")
        .map_err(|_| NO_CANVAS.to_string())?
        .unchecked_into();
    let frame = draw_on(&canvas, css, data, page_theme().standalone())?;
    if frame.is_none() {
        return Err("The chart has no size yet; try again once it is shown.".to_string());
    }
    let url = canvas
        .to_data_url()
        .map_err(|_| "The browser refused to turn the chart into a PNG.".to_string())?;
    save_as(&url, &file_name(data, "png"))
}

/// Browser hooks that trigger a redraw; kept alive as long as the component.
struct Watchers {
    observer: Option<ResizeObserver>,
    scheme: Option<MediaQueryList>,
    on_resize: Closure<dyn FnMut()>,
    on_scheme: Closure<dyn FnMut()>,
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
                self.on_scheme.as_ref().unchecked_ref(),
            );
        }
        let _ = &self.on_resize;
    }
}

/// A chart on a `<canvas>`, redrawn whenever `data`, the canvas size or the
/// colour scheme changes, with a guide over the hovered position.
#[component]
pub fn ChartCanvas(
    /// The chart data to draw.
    data: Memo<AnyChart>,
    /// The canvas element (the caller exports from it).
    canvas_ref: NodeRef<html::Canvas>,
    /// The hovered position; `None` when nothing is pointed at.
    hover: RwSignal<Option<usize>>,
    /// The canvas's CSS size, kept up to date by a resize observer.
    size: RwSignal<Option<(f64, f64)>>,
    /// Whether the canvas has keyboard focus (read-outs are announced then).
    focused: RwSignal<bool>,
    /// What the chart shows, for screen readers.
    #[prop(into)]
    label: Signal<String>,
    /// Id of the element with the read-out.
    described_by: String,
    /// Whether the chart may be drawn yet (a chart off the screen is first
    /// drawn just after the page's first frame, not in it); always when
    /// not given.
    #[prop(optional, into)]
    ready: Option<Signal<bool>>,
) -> impl IntoView {
    let note = RwSignal::new(None::<String>);
    let frame = RwSignal::new(None::<PlotFrame>);
    // Bumped by the colour-scheme listener.
    let scheme = RwSignal::new(0u32);
    let watchers = StoredValue::new_local(None::<Watchers>);

    canvas_ref.on_load(move |canvas| {
        let observed = canvas.clone();
        let on_resize = Closure::<dyn FnMut()>::new(move || {
            // Layout is clean inside a resize observer callback: reading the
            // size here costs no extra layout.
            let rect = observed.get_bounding_client_rect();
            let next = Some((rect.width(), rect.height()));
            if size.try_get_untracked() != Some(next) {
                size.try_set(next);
            }
        });
        let observer = ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            observer.observe(&canvas);
        }
        let on_scheme = Closure::<dyn FnMut()>::new(move || {
            scheme.try_update(|n| *n = n.wrapping_add(1));
        });
        let query = window().match_media(DARK_QUERY).ok().flatten();
        if let Some(query) = &query {
            let _ = query
                .add_event_listener_with_callback("change", on_scheme.as_ref().unchecked_ref());
        }
        watchers.set_value(Some(Watchers {
            observer,
            scheme: query,
            on_resize,
            on_scheme,
        }));
    });
    on_cleanup(move || {
        watchers.try_with_value(|w| {
            if let Some(w) = w {
                w.disconnect();
            }
        });
    });

    // The page's own light/dark switch, when it has one.
    let choice = use_context::<AppState>().map(|s| s.theme);
    Effect::new(move |_| {
        scheme.track();
        if let Some(choice) = choice {
            choice.track();
        }
        if ready.is_some_and(|r| !r.get()) {
            return;
        }
        let Some(css) = size.get() else {
            return;
        };
        let Some(canvas) = canvas_ref.get() else {
            return;
        };
        let outcome = data.with(|d| draw_on(&canvas, css, d, page_theme()));
        match outcome {
            Ok(Some(drawn)) => {
                if frame.with_untracked(|f| f.as_ref() != Some(&drawn)) {
                    frame.set(Some(drawn));
                }
                if note.with_untracked(Option::is_some) {
                    note.set(None);
                }
            }
            Ok(None) => {}
            Err(message) => note.set(Some(message)),
        }
    });

    // Pointer and touch: the nearest position; leaving with a mouse clears
    // it, lifting a finger keeps it (so it can be read).
    let pick = move |x: i32, y: i32| -> Option<usize> {
        frame.with_untracked(|f| {
            f.as_ref().and_then(|f| {
                let s = if f.scale > 0.0 { f.scale } else { 1.0 };
                f.nearest(f64::from(x) * s, f64::from(y) * s)
            })
        })
    };
    let point = move |ev: PointerEvent| {
        let at = pick(ev.offset_x(), ev.offset_y());
        if (at.is_some() || ev.pointer_type() == "mouse") && hover.get_untracked() != at {
            hover.set(at);
        }
    };
    let leave = move |ev: PointerEvent| {
        if ev.pointer_type() != "touch" && hover.get_untracked().is_some() {
            hover.set(None);
        }
    };
    let key = move |ev: KeyboardEvent| {
        if ev.key() == "Escape" {
            hover.set(None);
            return;
        }
        let (count, home) = data.with_untracked(|d| (d.positions(), d.home()));
        let current = hover.get_untracked().or(home).unwrap_or(0);
        if let Some(next) = step_key(&ev.key(), current, count) {
            ev.prevent_default();
            hover.set(Some(next));
        }
    };

    // The guide: a line at the hovered x, or a band over the hovered row.
    let guide = move || {
        let at = hover.get()?;
        frame.with(|f| {
            let f = f.as_ref()?;
            let centre = f.mark_css(at)?;
            let (l, t, r, b) = f.plot_css();
            Some(match f.along {
                Along::X => (
                    "chart-guide along-x",
                    format!("left:{centre:.1}px;top:{t:.1}px;height:{:.1}px", b - t),
                ),
                Along::Y => {
                    let half = f64::from(f.half_row) / f.scale.max(1.0);
                    (
                        "chart-guide along-y",
                        format!(
                            "left:{l:.1}px;width:{:.1}px;top:{:.1}px;height:{:.1}px",
                            r - l,
                            centre - half,
                            2.0 * half
                        ),
                    )
                }
            })
        })
    };

    view! {
        // Marked once drawn: off the screen, a drawn chart's card is then
        // neither laid out nor painted (style/app.css). The pointer is read
        // on the frame, which the canvas fills: a move that lands in the
        // frame the moment it comes on screen, before its canvas is laid
        // out again, still reads out. A move that lands on the card while
        // it is still skipped reaches neither; the pointer is then read
        // when the browser finds it over the canvas (`pointerover`), as it
        // is when a chart scrolls under a resting pointer.
        <div
            class="chart-frame"
            class:drawn=move || frame.with(Option::is_some)
            on:pointermove=point
            on:pointerover=point
            on:pointerdown=point
            on:pointerleave=leave
        >
            <canvas
                node_ref=canvas_ref
                tabindex="0"
                role="img"
                aria-label=move || label.get()
                aria-describedby=described_by
                on:keydown=key
                on:focus=move |_| focused.set(true)
                on:blur=move |_| focused.set(false)
            ></canvas>
            {move || {
                guide()
                    .map(|(class, style)| {
                        view! { <div class=class style=style aria-hidden="true"></div> }
                    })
            }}
        </div>
        {move || note.get().map(|text| view! { <p class="note warning" role="status">{text}</p> })}
    }
}
