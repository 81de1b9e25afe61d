//! The page's state, provided once as context.
//!
//! One [`AppState`] (a `Copy` bundle of signals) holds the scenario and the
//! assumption set; the estimate is a `Memo` of them; everything else only
//! reads. Initial state comes from the link, else the defaults. The
//! uncertainty (sensitivity sweep and Monte Carlo) is heavier than one
//! estimate, so it runs after input settles, in a Web Worker, with its
//! progress shown (`worker.rs`): typing never waits for it.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

use crate::model::{estimate, AssumptionSet, Estimate, MonteCarlo, Scenario, Sensitivity, Stack};
use crate::state::codec::{from_query, Key, State};

/// Every localStorage key the page uses: one place, never typed twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StorageKey {
    /// Saved scenarios.
    Saved,
    /// Saved-scenario text that could not be read, kept aside.
    SavedSetAside,
    /// The light/dark choice. `index.html` reads it too, to paint its
    /// loading screen in the same theme.
    Theme,
}

impl StorageKey {
    /// The key as stored.
    pub fn as_str(self) -> &'static str {
        match self {
            StorageKey::Saved => "stackwise.saved.v1",
            StorageKey::SavedSetAside => "stackwise.saved.set-aside",
            StorageKey::Theme => "stackwise.theme",
        }
    }
}

/// Reads a localStorage value; `Err` with a message when storage is blocked
/// (private mode, a sandboxed iframe, a file:// page in some browsers).
pub fn storage_get(key: StorageKey) -> Result<Option<String>, String> {
    let storage = window()
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| "This browser does not allow this page to store data.".to_string())?;
    storage
        .get_item(key.as_str())
        .map_err(|_| "This browser refused to read stored data.".to_string())
}

/// Writes a localStorage value, with a message when storage is blocked or
/// full.
pub fn storage_set(key: StorageKey, value: &str) -> Result<(), String> {
    let storage = window()
        .local_storage()
        .ok()
        .flatten()
        .ok_or_else(|| "This browser does not allow this page to store data.".to_string())?;
    storage
        .set_item(key.as_str(), value)
        .map_err(|_| "The browser refused to store the data (storage full or blocked).".to_string())
}

/// Light or dark: the system's choice unless the user picked one.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ThemeChoice {
    /// Follow `prefers-color-scheme`.
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl ThemeChoice {
    /// Stored and `data-theme` value; `None` for the system's choice.
    pub fn attr(self) -> Option<&'static str> {
        match self {
            ThemeChoice::System => None,
            ThemeChoice::Light => Some("light"),
            ThemeChoice::Dark => Some("dark"),
        }
    }
    fn from_attr(v: &str) -> ThemeChoice {
        match v {
            "light" => ThemeChoice::Light,
            "dark" => ThemeChoice::Dark,
            _ => ThemeChoice::System,
        }
    }
}

/// Quiet time after the last change of the inputs before work that is not
/// on the screen catches up (charts out of view, the printed report), ms: a
/// pause in typing, longer than the gap between two keystrokes of someone
/// typing a number (100-300 ms), so that work waits for the pause instead of
/// running between every two keystrokes (about 20 ms of the main thread's
/// time each, `scripts/bench-typing.mjs`); and longer than the gap between
/// two moves of a dragged slider. A chart that comes into view catches up
/// at once.
pub const SETTLE_MS: i32 = 400;

/// Progress of the uncertainty analysis.
#[derive(Clone, Debug, PartialEq)]
pub enum Uncertainty {
    /// Waiting for input to settle.
    Pending,
    /// Draws made so far, out of the total.
    Running(u32, u32),
    /// Finished: milliseconds spent on the sweep and on the draws (every
    /// step added up), and from start to finish including the pauses
    /// between steps (and, for the first run, the worker's start).
    Done {
        /// Time spent on the sensitivity sweep, ms.
        sweep_ms: f64,
        /// Time spent drawing, ms.
        draws_ms: f64,
        /// Time from start to finish, ms.
        wall_ms: f64,
        /// Background workers that shared it; 0 where it ran on the page,
        /// in steps between frames.
        workers: u32,
    },
}

/// The page's state. `Copy`: pass it around or take it from context.
#[derive(Clone, Copy)]
pub struct AppState {
    /// The inputs.
    pub scenario: RwSignal<Scenario>,
    /// The figures, with any the user edited.
    pub assumptions: RwSignal<AssumptionSet>,
    /// The estimate at typical figures.
    pub estimate: Memo<Estimate>,
    /// Stacks hidden from the charts (legend toggles), by [`Stack::index`].
    pub hidden: RwSignal<[bool; 5]>,
    /// Notes for the user about the page itself (a bad link, storage).
    pub notices: RwSignal<Vec<String>>,
    /// Compact layout for iframes (`?embed=1`).
    pub embed: bool,
    /// The sensitivity sweep, once run for the current inputs.
    pub sensitivity: RwSignal<Option<Sensitivity>>,
    /// The Monte Carlo, once run for the current inputs.
    pub monte_carlo: RwSignal<Option<MonteCarlo>>,
    /// Progress of both.
    pub uncertainty: RwSignal<Uncertainty>,
    /// Light, dark or the system's choice (charts redraw when it changes).
    pub theme: RwSignal<ThemeChoice>,
    /// The last "Your measurements" set made from imported results, kept so
    /// the set picker can switch back to it.
    pub measured: RwSignal<Option<AssumptionSet>>,
    /// Bumped once the scenario and the figures have not changed for
    /// [`SETTLE_MS`]: what nobody sees while typing (the printed report)
    /// follows this instead of every keystroke.
    pub settled: ReadSignal<u64>,
}

impl AppState {
    /// Replaces the scenario and figures at once (a link, an import, a saved
    /// scenario).
    pub fn load(&self, state: State) {
        self.assumptions.set(state.assumptions);
        self.scenario.set(state.scenario);
    }

    /// The scenario and figures as they are now.
    pub fn snapshot(&self) -> State {
        State {
            scenario: self.scenario.get_untracked(),
            assumptions: self.assumptions.get_untracked(),
        }
    }

    /// Whether a stack is shown in the charts.
    pub fn shown(&self, stack: Stack) -> bool {
        !self.hidden.with(|h| h[stack.index()])
    }

    /// Shows or hides a stack in every chart.
    pub fn toggle(&self, stack: Stack) {
        self.hidden.update(|h| h[stack.index()] = !h[stack.index()]);
    }
}

/// The page's query string, without the `?`.
fn page_query() -> String {
    window()
        .location()
        .search()
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_string()
}

/// Creates the state from the link (or the defaults), provides it as
/// context and starts the uncertainty runner.
pub fn provide_app_state() -> AppState {
    let query = page_query();
    let embed = query
        .split('&')
        .any(|p| p == format!("{}=1", Key::Embed.as_str()));
    let decoded = from_query(&query);
    let mut notices = Vec::new();
    if !decoded.notes.is_empty() {
        notices.push(format!(
            "Part of this link could not be used, so defaults fill the gaps: {}",
            decoded.notes.join(" ")
        ));
    }
    let measured = (decoded.state.assumptions.kind == crate::model::SetKind::Measured)
        .then(|| decoded.state.assumptions.clone());
    let scenario = RwSignal::new(decoded.state.scenario);
    let assumptions = RwSignal::new(decoded.state.assumptions);
    let estimate = Memo::new(move |_| scenario.with(|s| assumptions.with(|a| estimate(s, a))));
    let (settled, set_settled) = signal(0u64);
    let quiet_since = StoredValue::new(0u64);
    let settle = move || {
        set_settled.try_update(|n| *n = n.wrapping_add(1));
    };
    Effect::new(move |first: Option<()>| {
        scenario.track();
        assumptions.track();
        if first.is_none() {
            return;
        }
        quiet_since.update_value(|g| *g = g.wrapping_add(1));
        let mine = quiet_since.get_value();
        schedule(SETTLE_MS, move || {
            if quiet_since.try_get_value() == Some(mine) {
                settle();
            }
        });
    });
    // A printout does not wait for the pause: printed at once after a
    // change, the page shows what it would after it (what follows
    // `settled` catches up in the microtasks after this listener, before
    // the browser lays the page out for paper).
    // The pause's own wait is dropped: it would only settle them again.
    let print_now = Closure::<dyn FnMut()>::new(move || {
        quiet_since.update_value(|g| *g = g.wrapping_add(1));
        settle();
    });
    let _ = window()
        .add_event_listener_with_callback("beforeprint", print_now.as_ref().unchecked_ref());
    // Lives as long as the page.
    print_now.forget();
    let state = AppState {
        scenario,
        assumptions,
        estimate,
        hidden: RwSignal::new([false; 5]),
        notices: RwSignal::new(notices),
        embed,
        sensitivity: RwSignal::new(None),
        monte_carlo: RwSignal::new(None),
        uncertainty: RwSignal::new(Uncertainty::Pending),
        measured: RwSignal::new(measured),
        settled,
        theme: RwSignal::new(
            storage_get(StorageKey::Theme)
                .ok()
                .flatten()
                .map_or(ThemeChoice::System, |v| ThemeChoice::from_attr(&v)),
        ),
    };
    // The page's colours follow the choice; it is remembered when storage
    // allows (a blocked store just forgets it).
    Effect::new(move |_| {
        let choice = state.theme.get();
        if let Some(root) = document().document_element() {
            let _ = match choice.attr() {
                Some(v) => root.set_attribute("data-theme", v),
                None => root.remove_attribute("data-theme"),
            };
        }
        let _ = storage_set(StorageKey::Theme, choice.attr().unwrap_or("system"));
    });
    provide_context(state);
    super::worker::start_uncertainty(state);
    state
}

/// The state provided by [`provide_app_state`].
pub fn use_app_state() -> AppState {
    expect_context::<AppState>()
}

/// Milliseconds from the page's clock (`performance.now()`); 0 when there is
/// none. `std::time::Instant` panics on wasm32.
pub fn now_ms() -> f64 {
    window().performance().map_or(0.0, |p| p.now())
}

/// Runs `f` at the start of the `frames`th animation frame from now (the
/// next one for 0 or 1), before that frame's style, layout and paint.
pub fn after_frames(frames: u32, f: impl FnOnce() + 'static) {
    request_animation_frame(move || {
        if frames <= 1 {
            f();
        } else {
            after_frames(frames - 1, f);
        }
    });
}

/// Runs `f` just after the next frame is painted: a task posted from the
/// next animation frame, so that frame's style, layout and paint are not
/// held up by `f`, which shows in the frame after.
pub fn after_paint(f: impl FnOnce() + 'static) {
    request_animation_frame(move || schedule(0, f));
}

/// Whether a part of the page is on the screen, as the browser last said
/// (on it until the browser has said, so a first look is never late).
#[derive(Clone, Copy)]
struct Seen {
    on: RwSignal<bool>,
}

/// A part on the screen until [`Seen::watch`] learns otherwise.
impl Default for Seen {
    fn default() -> Seen {
        Seen {
            on: RwSignal::new(true),
        }
    }
}

impl Seen {
    /// Follows `element`, the part, from now on.
    fn watch(self, element: &web_sys::Element) {
        super::browser::watch_visible(element, move |on| {
            self.on.maybe_update(|now| replace_if_new(now, on));
        });
    }

    /// Whether the part is on the screen; tracked, so that an effect that
    /// asks runs again when it comes into view.
    fn on_screen(self) -> bool {
        self.on.try_get().unwrap_or(true)
    }
}

/// The scenario and its estimate as one part of the page shows them. While
/// the part is on the screen they are the page's own, changed in the same
/// frame; while it is off the screen they wait until the inputs have been
/// still for [`SETTLE_MS`] (the `settled` signal), so that neither a
/// keystroke's frame nor a dragged slider's frames do work for figures
/// nobody sees: the answer and the table below a phone's inputs, the answer
/// scrolled above a wide screen, the panels below. A part that comes into
/// view catches up as the browser says so, in the frame after the one that
/// first showed it, when it is behind at all. Changed in the keystroke's
/// own frame, they made typing on a phone wait (keystroke to next frame,
/// p50 8.1-12.0 ms against 5.4-6.6 ms, `scripts/bench-typing.mjs`); caught
/// up after every frame, they doubled a phone's main-thread time per
/// keystroke (21 ms against 11-13 ms at 390 px).
#[derive(Clone, Copy)]
pub struct Shown {
    /// The scenario as the part shows it.
    pub scenario: ReadSignal<Scenario>,
    /// The estimate as the part shows it.
    pub estimate: ReadSignal<Estimate>,
}

impl Shown {
    /// Follows `state` for the part of the page that `part` will hold.
    pub fn of<E>(state: AppState, part: NodeRef<E>) -> Shown
    where
        E: leptos::html::ElementType + 'static,
        E::Output: JsCast + Clone + 'static,
    {
        let seen = Seen::default();
        part.on_load(move |element| seen.watch(element.unchecked_ref()));
        Shown::follow(state, seen)
    }

    /// Follows `state` for a part that is on the screen when `seen` says.
    fn follow(state: AppState, seen: Seen) -> Shown {
        let (scenario, set_scenario) = signal(state.scenario.get_untracked());
        let (estimate, set_estimate) = signal(state.estimate.get_untracked());
        let catch_up = move || {
            if let (Some(s), Some(e)) = (
                state.scenario.try_get_untracked(),
                state.estimate.try_get_untracked(),
            ) {
                // Unchanged values are not set again: what follows them
                // would be rebuilt for nothing.
                set_scenario.maybe_update(|now| replace_if_new(now, s));
                set_estimate.maybe_update(|now| replace_if_new(now, e));
            }
        };
        // On the screen: every change, and coming into view. The first run
        // catches up too, with whatever changed since the copies were taken
        // (nothing, mostly: then nothing is set).
        Effect::new(move |_| {
            state.scenario.track();
            state.estimate.track();
            if seen.on_screen() {
                catch_up();
            }
        });
        // Off the screen: once the inputs are still.
        Effect::new(move |first: Option<()>| {
            state.settled.track();
            if first.is_some() {
                catch_up();
            }
        });
        Shown { scenario, estimate }
    }
}

/// Puts `new` in `slot` if it differs; whether it did.
fn replace_if_new<T: PartialEq>(slot: &mut T, new: T) -> bool {
    let differs = *slot != new;
    if differs {
        *slot = new;
    }
    differs
}

/// Runs `f` once after `delay_ms` (a macrotask, so the page can paint and
/// handle input in between).
pub fn schedule(delay_ms: i32, f: impl FnOnce() + 'static) {
    let callback = Closure::once_into_js(f);
    let _ = window()
        .set_timeout_with_callback_and_timeout_and_arguments_0(callback.unchecked_ref(), delay_ms);
}

/// Re-exported for components that only need the type.
pub use crate::state::codec::State as ScenarioState;
