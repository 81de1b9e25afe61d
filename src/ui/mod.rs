//! The page: Leptos components (client-side rendering only, `wasm32`).
//!
//! State flows one way. The scenario and the assumption set live in
//! [`state::AppState`], provided once as context; the estimate is a `Memo` of
//! them; components only display, and effects only push state out (the
//! link, storage, canvases). Inputs keep the text the user typed and write
//! the scenario only when the model accepts it.
//!
//! Every text field, slider, list and text area says `autocomplete="off"`:
//! the scenario lives in the link, not in the browser's saved form state,
//! and Chromium writes that state out for every control that keeps one
//! each time the page rewrites its address (with the page's 250 controls,
//! a rewrite took 2.0 ms of the main thread with the state and 0.7 ms
//! without).

mod assumptions;
mod browser;
mod canvas;
mod charts_panel;
mod inputs;
mod manifests;
mod math;
mod measure;
mod report;
mod results;
mod share;
pub mod state;
mod uncertainty;
mod worker;

use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

pub use canvas::ChartCanvas;
pub use inputs::{InputsPanel, NumberInput};
pub use results::EstimateTable;

use state::{provide_app_state, use_app_state, ThemeChoice};

/// Light / dark / system switch, remembered in this browser.
#[component]
fn ThemeToggle() -> impl IntoView {
    let state = use_app_state();
    let choices = [
        (ThemeChoice::System, "system", "Auto"),
        (ThemeChoice::Light, "light", "Light"),
        (ThemeChoice::Dark, "dark", "Dark"),
    ];
    view! {
        <div class="field inline theme-toggle">
            <label for="theme-choice">"Theme"</label>
            <select
                id="theme-choice"
                autocomplete="off"
                on:change:target=move |ev| {
                    let v = ev.target().value();
                    let pick = choices.iter().find(|c| c.1 == v).map_or(ThemeChoice::System, |c| c.0);
                    state.theme.set(pick);
                }
            >
                {choices
                    .iter()
                    .map(|(choice, key, label)| {
                        let choice = *choice;
                        view! { <option value=*key selected=move || state.theme.get() == choice>{*label}</option> }
                    })
                    .collect_view()}
            </select>
        </div>
    }
}

/// Id of the loading screen in `index.html`: the page's header and a
/// status line, shown while the wasm loads.
const LOADING_SCREEN_ID: &str = "boot";

/// Takes the loading screen out of the page. Called once the app is
/// mounted, in the same task, so no frame shows both or neither.
pub fn remove_loading_screen() {
    if let Some(screen) = document().get_element_by_id(LOADING_SCREEN_ID) {
        screen.remove();
    }
}

/// The whole Stackwise page. With `?embed=1` in the link it drops the header,
/// inputs and footer and shows the answer and the charts first.
#[component]
pub fn App() -> impl IntoView {
    let state = provide_app_state();
    share::sync_url(state);
    if state.embed {
        share::report_height();
        view! { <EmbedLayout /> }.into_any()
    } else {
        view! { <FullLayout /> }.into_any()
    }
}

/// Notes about the page itself: a link that could not be fully read, storage
/// that is blocked.
#[component]
fn Notices() -> impl IntoView {
    let state = use_app_state();
    view! {
        <div class="notices" role="status">
            <For each=move || state.notices.get().into_iter().enumerate() key=|(i, _)| *i let:item>
                <p class="note warning">
                    {item.1}
                    <button
                        type="button"
                        class="link-button"
                        on:click=move |_| state.notices.update(|n| {
                            if item.0 < n.len() {
                                n.remove(item.0);
                            }
                        })
                    >
                        "Dismiss"
                    </button>
                </p>
            </For>
        </div>
    }
}

/// The parts of the results column, by fragment and name, for the section
/// menu (each part's element has that id, so `#charts` opens on it).
const SECTIONS: [(&str, &str); 8] = [
    ("answer", "Answer"),
    ("estimate", "Table"),
    ("charts", "Charts"),
    ("uncertainty", "How sure"),
    ("assumptions", "Assumptions"),
    ("math", "How it is computed"),
    ("measurements", "Your measurements"),
    ("saved", "Saved"),
];

/// A way around the results: a link to each part. On a wide screen it
/// stays at the top while the results scroll, one line tall or two as the
/// column's width decides; its height, kept in `--section-menu-height` on
/// the results column, puts below it what else stays in view (the charts'
/// legend) and the top of a part reached by its links.
#[component]
fn SectionMenu() -> impl IntoView {
    let nav = NodeRef::<leptos::html::Nav>::new();
    nav.on_load(|menu| {
        browser::watch_size(&menu, |entry| {
            let menu = entry.target();
            let height = menu.get_bounding_client_rect().height();
            if let Some(column) = menu.parent_element() {
                let _ = column.set_attribute("style", &format!("--section-menu-height:{height}px"));
            }
        });
    });
    view! {
        <nav class="section-menu" aria-label="Results sections" node_ref=nav>
            <ul>
                {SECTIONS
                    .iter()
                    .map(|(id, label)| view! { <li><a href=format!("#{id}")>{*label}</a></li> })
                    .collect_view()}
            </ul>
        </nav>
    }
}

/// The panels far below the first screen, built one a frame after the
/// page's first frame (in [`AfterFrame`]): hundreds of elements that do
/// not hold up the first paint of the answer, the table and the charts,
/// nor, built all at once, the first frames after it.
const LATER_PANELS: u32 = 5;

/// Shows `children` just after the `frame`th frame of the page is painted
/// (the first for 1): a task after that frame, so it neither delays the
/// frame nor joins the work of another `AfterFrame`'s.
#[component]
pub(crate) fn AfterFrame(frame: u32, children: ChildrenFn) -> impl IntoView {
    let ready = RwSignal::new(false);
    state::after_frames(frame, move || {
        state::schedule(0, move || {
            ready.try_set(true);
        });
    });
    move || ready.get().then(|| children())
}

/// The panels and the chart cards the browser skips while they are off the
/// screen (`content-visibility: auto` in style/app.css).
const SKIPPABLE: &str = ".skippable, .charts .chart-card";

/// Lays out the panels and chart cards the browser skips while they are off
/// the screen ([`SKIPPABLE`]: "Assumptions", "How is this computed", ...),
/// for one frame, each time an uncertainty run has finished. The browser
/// then remembers their real heights (`contain-intrinsic-size: auto`): the
/// page is as long as it will be and the scroll bar tells the truth, a jump
/// to one of them lands where it should, and their first layout (some
/// 10 ms) is done here rather than in the middle of the user's typing. Only
/// those off the screen: one on it is laid out already, and switched back
/// it would be skipped for the frame after, blank.
///
/// When: once a run has finished and the charts off the screen have caught
/// up with it ([`state::SETTLE_MS`] after a change), since the run and the
/// inputs before it change what they hold (the chances of being cheapest,
/// the tornado's bars and read-out, the run's own tables). A part skipped
/// since its last layout keeps the height of that layout, and it grew or
/// shrank under the reader scrolling to it. A run finishes only once the
/// inputs have been quiet a moment, and inputs changed again since put this
/// off to the next run's end, so it is never during typing or a drag. A
/// card that catches up later lays itself out the same way (`ChartCard`).
fn measure_skipped_panels(app: state::AppState) {
    let finished = move || {
        app.uncertainty
            .try_with_untracked(|u| matches!(u, state::Uncertainty::Done { .. }))
            == Some(true)
    };
    Effect::new(move |_| {
        app.uncertainty.track();
        if finished() {
            // Not if the inputs have changed since (a drag begun, say): the
            // run they start measures when it finishes.
            state::schedule(state::SETTLE_MS, move || {
                state::after_paint(move || {
                    if finished() {
                        measure_now();
                    }
                });
            });
        }
    });
}

/// Lays out the skippable panels off the screen for one frame.
fn measure_now() {
    let bottom = window()
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let off_screen: Vec<web_sys::Element> = skippable_parts()
        .into_iter()
        .filter(|panel| {
            let r = panel.get_bounding_client_rect();
            r.bottom() <= 0.0 || r.top() >= bottom
        })
        .collect();
    lay_out_once(off_screen);
}

/// Every panel and chart card the browser may skip ([`SKIPPABLE`]).
fn skippable_parts() -> Vec<web_sys::Element> {
    let Ok(all) = document().query_selector_all(SKIPPABLE) else {
        return Vec::new();
    };
    (0..all.length())
        .filter_map(|i| all.item(i)?.dyn_into::<web_sys::Element>().ok())
        .collect()
}

/// Lays out `parts`, skipped while off the screen, in the next frame only
/// (style/app.css, `[data-measure]`), so the browser remembers their
/// heights as they are now.
pub(crate) fn lay_out_once(parts: Vec<web_sys::Element>) {
    for part in &parts {
        let _ = part.set_attribute("data-measure", "");
    }
    state::after_paint(move || {
        for part in &parts {
            let _ = part.remove_attribute("data-measure");
        }
    });
}

thread_local! {
    /// Whether the page opened on a part (`#assumptions`) and the reader
    /// has not scrolled, clicked or typed since: the parts above it change
    /// height as the first run and the charts fill them in, and Chromium
    /// does not keep the part in place as they do (its scroll anchoring
    /// did not, in any of the tests of `e2e/layout.test.mjs`).
    static HOLD_FRAGMENT: Cell<bool> = const { Cell::new(false) };
}

/// Scrolls back to the part the page opened on while it holds it
/// ([`HOLD_FRAGMENT`]); called as the results change height, before the
/// frame is painted.
fn keep_fragment_in_view() {
    if HOLD_FRAGMENT.get() {
        if let Some(target) = fragment_target() {
            target.scroll_into_view();
        }
    }
}

/// Scrolls to the part of the page the link's fragment names (`#charts`),
/// once the app has rendered it, the panels built after the first frame
/// included (the last of them is built just after frame
/// [`LATER_PANELS`]): the browser looked for it when the page loaded,
/// before the app was there.
fn scroll_to_fragment() {
    state::after_frames(LATER_PANELS, || state::schedule(0, scroll_now));
}

/// The element the link's fragment names, if there is one.
fn fragment_target() -> Option<web_sys::Element> {
    let hash = window().location().hash().unwrap_or_default();
    let id = hash.trim_start_matches('#');
    if id.is_empty() {
        return None;
    }
    document().get_element_by_id(id)
}

/// Scrolls to the element the fragment names, and holds it there until
/// the reader scrolls, clicks or types.
fn scroll_now() {
    let Some(target) = fragment_target() else {
        return;
    };
    // The parts the browser skips have a guessed height until they are
    // laid out once: lay them all out for this frame, scrolling in it (the
    // scroll reads the layout), so the jump lands on the part and not
    // where the guesses above it put it.
    lay_out_once(skippable_parts());
    target.scroll_into_view();
    HOLD_FRAGMENT.set(true);
    let release = Closure::<dyn FnMut()>::new(|| HOLD_FRAGMENT.set(false));
    for event in ["wheel", "touchstart", "keydown", "pointerdown"] {
        let _ = window().add_event_listener_with_callback(event, release.as_ref().unchecked_ref());
    }
    // Lives as long as the page.
    release.forget();
}

#[component]
fn FullLayout() -> impl IntoView {
    Effect::new(|_| scroll_to_fragment());
    measure_skipped_panels(use_app_state());
    let column = NodeRef::<leptos::html::Main>::new();
    column.on_load(|column| browser::watch_size(&column, |_| keep_fragment_in_view()));
    view! {
        <a class="skip-link" href="#results">"Skip to the results"</a>
        <header class="app-header">
            <h1>"Stackwise"</h1>
            <p class="tagline">
                "FastAPI, Express, Fastify, NestJS or a hybrid: what would each cost your team to run and to adopt? "
                "Set your team, workload and traffic; every figure behind the answer is shown, sourced and editable. "
                "Everything runs in your browser."
            </p>
            <div class="header-tools">
                <share::ShareBar />
                <ThemeToggle />
            </div>
        </header>
        <Notices />
        <div class="layout">
            <aside class="inputs-column" aria-label="Inputs">
                <InputsPanel />
            </aside>
            <main class="results-column" id="results" node_ref=column>
                <report::PrintHeader />
                <SectionMenu />
                <results::ResultsPanel />
                <manifests::ManifestsPanel />
                <charts_panel::ChartsPanel />
                <AfterFrame frame=1>
                    <uncertainty::Panel />
                </AfterFrame>
                <AfterFrame frame=2>
                    <assumptions::Panel />
                </AfterFrame>
                <AfterFrame frame=3>
                    <math::Panel />
                </AfterFrame>
                <AfterFrame frame=4>
                    <measure::Panel />
                </AfterFrame>
                <AfterFrame frame=LATER_PANELS>
                    <share::SavedPanel />
                    <report::PrintChanges />
                </AfterFrame>
            </main>
        </div>
        <results::SummaryBar />
        <footer class="app-footer">
            <p>
                "Stackwise runs entirely in this page: no request leaves it, nothing is tracked. "
                "Figures: published benchmarks (TechEmpower Round 23, fastify/benchmarks, HttpArena, a same-day one-machine run) "
                "and the article's figures, each with its source in the assumptions panel."
            </p>
        </footer>
    }
}

#[component]
fn EmbedLayout() -> impl IntoView {
    view! {
        <main class="embed" id="results">
            <Notices />
            <results::ResultsPanel />
            <charts_panel::ChartsPanel />
            <p class="embed-open">
                <a href=share::full_page_href target="_blank" rel="noopener">
                    "Open in Stackwise to change the inputs"
                </a>
            </p>
        </main>
    }
}
