//! The page's side of the uncertainty worker: the sensitivity sweep and the
//! Monte Carlo run in a Web Worker (`src/bin/worker.rs`), never on the main
//! thread while the worker answers.
//!
//! After the inputs settle the page numbers a new job and posts it; the
//! worker drops the job it was running and answers with each step, and the
//! page shows the steps of the newest job only (a step of an older one is
//! stale and dropped). The worker is started with the first job, after the
//! first estimate is on screen: it is not part of the page's first load.
//! The hosted page starts it from its own file (`worker_loader.js`, which
//! trunk writes); the single file (`stackwise.html`) carries the worker's
//! script in a data block and starts it from a `blob:` URL.
//!
//! If the worker cannot start (no `Worker`, a Content-Security-Policy that
//! refuses it, a load error, no answer within [`START_TIMEOUT_MS`]), speaks
//! another protocol or fails later, the page runs the same [`Job`] itself,
//! in steps between frames, as it did before there was a worker; a request
//! the worker refuses is run the same way. Either way the figures are the
//! same for the same inputs and seed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use js_sys::{Array, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

use super::state::{now_ms, schedule, AppState, Uncertainty};
use crate::model::{DEFAULT_DRAWS, DEFAULT_SEED};
use crate::state::codec::State;
use crate::state::worker::{Reply, Request, Step, PROTOCOL};

/// Quiet time after the last input change before the uncertainty reruns, ms.
const UNCERTAINTY_DELAY_MS: i32 = 150;
/// How long a starting worker may take to say it is ready before the page
/// computes on its own, ms (it loads its own wasm first).
pub const START_TIMEOUT_MS: i32 = 15_000;
/// The worker's script beside the page, as trunk names it (the binary's
/// name, unhashed, and `_loader.js`).
const WORKER_SCRIPT: &str = "worker_loader.js";
/// Id of the data block holding the whole worker script in the single file
/// (written by scripts/single-file.mjs).
const WORKER_BUNDLE_ID: &str = "stackwise-worker";

/// Where the jobs run.
enum Engine {
    /// No job asked for yet: the worker is not loaded before the first.
    Idle,
    /// Started, not yet ready; the newest job is posted once it is.
    Starting {
        worker: Worker,
        /// The `blob:` URL it was started from, freed once it is ready.
        blob_url: Option<String>,
    },
    /// Ready: jobs are posted as they come.
    Ready(Worker),
    /// No worker: the page runs the jobs itself.
    Page,
}

/// Clock readings of the newest job.
#[derive(Clone, Copy, Default)]
struct Timing {
    started: f64,
    sweep: f64,
    draws: f64,
    background: bool,
}

/// The page's uncertainty runner.
struct Client {
    state: AppState,
    engine: RefCell<Engine>,
    /// Id of the newest job; every other job's steps are stale.
    latest_id: Cell<u64>,
    /// The newest job until it finishes, to rerun on the page if the
    /// worker fails.
    latest: RefCell<Option<Request>>,
    timing: Cell<Timing>,
}

/// Reruns the sweep and the Monte Carlo whenever the inputs change, after a
/// quiet spell, in the worker (or, failing that, on the page). A newer
/// input cancels an older run.
pub fn start_uncertainty(state: AppState) {
    let client = Rc::new(Client {
        state,
        engine: RefCell::new(Engine::Idle),
        latest_id: Cell::new(0),
        latest: RefCell::new(None),
        timing: Cell::new(Timing::default()),
    });
    Effect::new(move |_| {
        state.scenario.track();
        state.assumptions.track();
        let id = client.latest_id.get() + 1;
        client.latest_id.set(id);
        if state
            .uncertainty
            .with_untracked(|u| *u != Uncertainty::Pending)
        {
            state.uncertainty.set(Uncertainty::Pending);
        }
        let client = client.clone();
        schedule(UNCERTAINTY_DELAY_MS, move || {
            // The newest job reads the inputs as they are now: no copy of
            // them is made for each keystroke.
            if client.latest_id.get() == id {
                let (Some(scenario), Some(assumptions)) = (
                    state.scenario.try_get_untracked(),
                    state.assumptions.try_get_untracked(),
                ) else {
                    return;
                };
                client.submit(Request {
                    id,
                    state: State {
                        scenario,
                        assumptions,
                    },
                    draws: DEFAULT_DRAWS,
                    seed: DEFAULT_SEED,
                });
            }
        });
    });
}

/// What [`Client::submit`] does with a job, decided before acting so that
/// no borrow is held while signals change.
enum Submit {
    StartWorker,
    Wait,
    Post(Worker),
    RunOnPage,
}

impl Client {
    fn submit(self: &Rc<Self>, request: Request) {
        self.timing.set(Timing {
            started: now_ms(),
            ..Timing::default()
        });
        self.state
            .uncertainty
            .set(Uncertainty::Running(0, request.draws));
        *self.latest.borrow_mut() = Some(request.clone());
        let action = match &*self.engine.borrow() {
            Engine::Idle => Submit::StartWorker,
            Engine::Starting { .. } => Submit::Wait,
            Engine::Ready(worker) => Submit::Post(worker.clone()),
            Engine::Page => Submit::RunOnPage,
        };
        match action {
            Submit::StartWorker => self.start_worker(),
            Submit::Wait => {}
            Submit::Post(worker) => self.post(&worker, &request),
            Submit::RunOnPage => self.run_on_page(request),
        }
    }

    fn post(self: &Rc<Self>, worker: &Worker, request: &Request) {
        if worker
            .post_message(&JsValue::from_str(&request.encode()))
            .is_err()
        {
            self.fail();
        }
    }

    /// Starts the worker; the newest job is posted when it says it is ready.
    fn start_worker(self: &Rc<Self>) {
        let Ok((worker, blob_url)) = create_worker() else {
            self.fail();
            return;
        };
        let on_message = {
            let client = self.clone();
            Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                client.on_reply(event.data().as_string().unwrap_or_default())
            })
        };
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        // One worker per page, kept for the page's life.
        on_message.forget();
        let on_error = {
            let client = self.clone();
            Closure::<dyn Fn()>::new(move || client.fail())
        };
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        on_error.forget();
        *self.engine.borrow_mut() = Engine::Starting { worker, blob_url };
        let client = self.clone();
        schedule(START_TIMEOUT_MS, move || {
            let starting = matches!(*client.engine.borrow(), Engine::Starting { .. });
            if starting {
                client.fail();
            }
        });
    }

    fn on_reply(self: &Rc<Self>, text: String) {
        match Reply::decode(&text) {
            Ok(Reply::Ready { protocol }) if protocol == PROTOCOL => self.ready(),
            Ok(Reply::Ready { .. }) | Err(_) => self.fail(),
            Ok(Reply::Step { id, step, ms }) => self.apply(id, step, ms, true),
            Ok(Reply::Refused { id, .. }) => {
                let newest = self.latest.borrow().clone();
                if let Some(request) = newest {
                    if id.is_none_or(|id| id == request.id) {
                        self.run_on_page(request);
                    }
                }
            }
        }
    }

    fn ready(self: &Rc<Self>) {
        let engine = self.engine.replace(Engine::Idle);
        let Engine::Starting { worker, blob_url } = engine else {
            // Ready twice, or after the page gave up on it: leave as was.
            self.engine.replace(engine);
            return;
        };
        if let Some(url) = blob_url {
            let _ = Url::revoke_object_url(&url);
        }
        *self.engine.borrow_mut() = Engine::Ready(worker.clone());
        let newest = self.latest.borrow().clone();
        if let Some(request) = newest {
            self.post(&worker, &request);
        }
    }

    /// The worker cannot be used: stop it, and from now on run every job on
    /// the page, starting with the newest if it has not finished.
    fn fail(self: &Rc<Self>) {
        let engine = self.engine.replace(Engine::Page);
        match engine {
            Engine::Page => return,
            Engine::Idle => {}
            Engine::Starting { worker, blob_url } => {
                worker.terminate();
                if let Some(url) = blob_url {
                    let _ = Url::revoke_object_url(&url);
                }
            }
            Engine::Ready(worker) => worker.terminate(),
        }
        let newest = self.latest.borrow().clone();
        if let Some(request) = newest {
            self.run_on_page(request);
        }
    }

    /// Shows a step of job `id` if it is the newest; drops it otherwise.
    fn apply(&self, id: u64, step: Step, ms: f64, background: bool) {
        if id != self.latest_id.get() {
            return;
        }
        let mut timing = self.timing.get();
        timing.background = background;
        let state = self.state;
        match step {
            Step::Swept(sweep) => {
                timing.sweep += ms;
                self.timing.set(timing);
                state.sensitivity.set(Some(sweep));
            }
            Step::Drawn { done, total } => {
                timing.draws += ms;
                self.timing.set(timing);
                state.uncertainty.set(Uncertainty::Running(done, total));
            }
            Step::Finished(result) => {
                timing.draws += ms;
                self.timing.set(timing);
                *self.latest.borrow_mut() = None;
                state.monte_carlo.set(Some(result));
                state.uncertainty.set(Uncertainty::Done {
                    sweep_ms: timing.sweep,
                    draws_ms: timing.draws,
                    wall_ms: now_ms() - timing.started,
                    background,
                });
            }
        }
    }

    /// Runs `request` on the page, one step per macrotask so the page
    /// paints and answers input in between; stops when a newer job comes.
    fn run_on_page(self: &Rc<Self>, request: Request) {
        let mut timing = self.timing.get();
        timing.sweep = 0.0;
        timing.draws = 0.0;
        self.timing.set(timing);
        let job = Rc::new(RefCell::new(request.job()));
        page_step(self.clone(), job);
    }
}

fn page_step(client: Rc<Client>, job: Rc<RefCell<crate::state::worker::Job>>) {
    let id = job.borrow().id();
    if client.latest_id.get() != id {
        return;
    }
    let begun = now_ms();
    let step = job.borrow_mut().step();
    let ms = now_ms() - begun;
    let Some(step) = step else {
        return;
    };
    let finished = matches!(step, Step::Finished(_));
    client.apply(id, step, ms, false);
    if !finished {
        schedule(0, move || page_step(client, job));
    }
}

/// Starts the worker: from the single file's data block through a `blob:`
/// URL where there is one, else from its file beside the page. Returns the
/// `blob:` URL to free once it has loaded.
fn create_worker() -> Result<(Worker, Option<String>), JsValue> {
    let Some(bundle) = document().get_element_by_id(WORKER_BUNDLE_ID) else {
        return Ok((Worker::new(WORKER_SCRIPT)?, None));
    };
    // The script stays a JS string: it is not copied through the wasm.
    let script = Reflect::get(&bundle, &JsValue::from_str("textContent"))?;
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&script), &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    match Worker::new(&url) {
        Ok(worker) => Ok((worker, Some(url))),
        Err(err) => {
            let _ = Url::revoke_object_url(&url);
            Err(err)
        }
    }
}
