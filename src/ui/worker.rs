//! The page's side of the uncertainty worker: the sensitivity sweep and the
//! Monte Carlo run in a Web Worker (`src/bin/worker.rs`), never on the main
//! thread while the worker answers.
//!
//! After the inputs settle the page numbers a new job and posts it; the
//! worker drops the job it was running and answers with each step, and the
//! page shows the steps of the newest job only (a step of an older one is
//! stale and dropped). A job that finishes within [`SHOW_STEPS_AFTER_MS`]
//! shows nothing until it is done, then its sweep and its draws at once; a
//! longer one shows its progress from then on. Where the machine has the
//! cores, several workers share each job ([`workers_for`]: two on two
//! logical processors, one fewer than the processors from three, four at
//! most): the page deals its draws to them a range at a time, the next
//! range to whichever is free, in ranges that shrink towards the end
//! ([`Dealer`]), so a worker slowed by another program on its core holds
//! up the run by little; the range from the first draw also sweeps. The
//! page merges the ranges' draws into the same result one worker gives
//! ([`crate::model::merge`]). Each worker keeps the run's prepared strata,
//! and the figures it has drawn ([`crate::model::Plan`]), for its next
//! range, and for the next run while the figures stay the same (the
//! strata alone for a run of other figures). The workers are started with
//! the first job, after the first estimate is on screen: they are not part
//! of the page's first load.
//! The hosted page starts it from its own file (`worker_loader.js`, which
//! trunk writes); the single file (`stackwise.html`) carries the worker's
//! script in a data block and starts it from a `blob:` URL.
//!
//! If a worker cannot start (no `Worker`, a Content-Security-Policy that
//! refuses it, a load error, no answer within [`START_TIMEOUT_MS`]), speaks
//! another protocol or fails later, the page runs the same job itself, in
//! steps between frames, as it did before there were workers; a request a
//! worker refuses is run the same way. Either way the figures are the same
//! for the same inputs and seed.

use std::cell::{Cell, RefCell};
use std::rc::Rc;
use std::sync::Arc;

use js_sys::{Array, Float64Array, Reflect};
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, BlobPropertyBag, MessageEvent, Url, Worker};

use super::state::{now_ms, schedule, AppState, Uncertainty};
use crate::model::{merge, Drawn, Plan, Sensitivity, DEFAULT_DRAWS, DEFAULT_SEED};
use crate::state::codec::State;
use crate::state::worker::{workers_for, Dealer, Message, Reply, Request, Step, PROTOCOL};

/// Quiet time after the last input change before the uncertainty reruns, ms.
const UNCERTAINTY_DELAY_MS: i32 = 150;
/// How long a job runs before the page shows its progress and its sweep
/// ahead of its draws, ms. A job done sooner (the usual case: 20 to 45 ms
/// in two workers on a two-core machine) changes the page once, when it
/// finishes: the main thread stays idle while the workers draw rather than
/// taking a core from them to show steps nobody could read.
const SHOW_STEPS_AFTER_MS: f64 = 200.0;
/// How long starting workers may take to say they are ready before the
/// page computes on its own, ms (each loads its own wasm first).
pub const START_TIMEOUT_MS: i32 = 15_000;
/// The worker's script beside the page, as trunk names it (the binary's
/// name, unhashed, and `_loader.js`).
const WORKER_SCRIPT: &str = "worker_loader.js";
/// Id of the data block holding the whole worker script in the single file
/// (written by scripts/single-file.mjs).
const WORKER_BUNDLE_ID: &str = "stackwise-worker";

/// Where the jobs run.
enum Engine {
    /// No job asked for yet: no worker is loaded before the first.
    Idle,
    /// Started, not all ready yet; the newest job is posted once they are.
    Starting {
        workers: Vec<Worker>,
        ready: Vec<bool>,
        /// The `blob:` URL they were started from, freed once all are ready.
        blob_url: Option<String>,
    },
    /// Ready: each job is split among them as it comes.
    Ready(Vec<Worker>),
    /// No worker: the page runs the jobs itself.
    Page,
}

/// Clock readings of the newest job.
#[derive(Clone, Copy, Default)]
struct Timing {
    started: f64,
    sweep: f64,
    draws: f64,
    /// Draws made so far.
    done: u32,
    /// Workers that ran it; 0 on the page.
    workers: u32,
}

/// How the workers share the newest job.
struct Sharing {
    /// Deals the draws not yet asked of a worker.
    dealer: Dealer,
    /// Per worker: draws made of the range it is on.
    done: Vec<u32>,
    /// Per worker: its time drawing, ms.
    draws_ms: Vec<f64>,
    /// The draws of every range finished.
    drawn: Vec<Drawn>,
}

impl Sharing {
    /// Draws made so far, in the ranges finished and those under way.
    fn made(&self) -> u32 {
        let finished: usize = self.drawn.iter().map(Drawn::len).sum();
        finished as u32 + self.done.iter().sum::<u32>()
    }
}

/// The page's uncertainty runner.
struct Client {
    state: AppState,
    engine: RefCell<Engine>,
    /// Id of the newest job; every other job's steps are stale.
    latest_id: Cell<u64>,
    /// The newest job until it finishes, to rerun on the page if a worker
    /// fails.
    latest: RefCell<Option<Request>>,
    /// How the workers share the newest job.
    sharing: RefCell<Sharing>,
    /// A job the page took over from the workers (one refused it): their
    /// replies to it are dropped.
    taken_over: Cell<Option<u64>>,
    timing: Cell<Timing>,
    /// The newest job's sweep, held until its draws finish or it has run
    /// for [`SHOW_STEPS_AFTER_MS`].
    held_sweep: RefCell<Option<Sensitivity>>,
    /// The plan of the last run made on the page, figures kept, for the
    /// next while the figures stay the same (as a worker keeps its own).
    page_plan: RefCell<Option<Arc<Plan>>>,
}

/// Reruns the sweep and the Monte Carlo whenever the inputs change, after a
/// quiet spell, in the workers (or, failing that, on the page). A newer
/// input cancels an older run.
pub fn start_uncertainty(state: AppState) {
    let client = Rc::new(Client {
        state,
        engine: RefCell::new(Engine::Idle),
        latest_id: Cell::new(0),
        latest: RefCell::new(None),
        sharing: RefCell::new(Sharing {
            dealer: Dealer::new(0..0, 1),
            done: Vec::new(),
            draws_ms: Vec::new(),
            drawn: Vec::new(),
        }),
        taken_over: Cell::new(None),
        timing: Cell::new(Timing::default()),
        held_sweep: RefCell::new(None),
        page_plan: RefCell::new(None),
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
                let state = State {
                    scenario,
                    assumptions,
                };
                client.submit(Request::whole(id, state, DEFAULT_DRAWS, DEFAULT_SEED));
            }
        });
    });
}

/// What [`Client::submit`] does with a job, decided before acting so that
/// no borrow is held while signals change.
enum Submit {
    StartWorkers,
    Wait,
    Post(Vec<Worker>),
    RunOnPage,
}

impl Client {
    fn submit(self: &Rc<Self>, request: Request) {
        self.timing.set(Timing {
            started: now_ms(),
            ..Timing::default()
        });
        *self.held_sweep.borrow_mut() = None;
        let (id, draws) = (request.id, request.draws);
        let client = self.clone();
        schedule(SHOW_STEPS_AFTER_MS as i32, move || {
            client.show_steps(id, draws)
        });
        *self.latest.borrow_mut() = Some(request.clone());
        let action = match &*self.engine.borrow() {
            Engine::Idle => Submit::StartWorkers,
            Engine::Starting { .. } => Submit::Wait,
            Engine::Ready(workers) => Submit::Post(workers.clone()),
            Engine::Page => Submit::RunOnPage,
        };
        match action {
            Submit::StartWorkers => self.start_workers(),
            Submit::Wait => {}
            Submit::Post(workers) => self.post(&workers, &request),
            Submit::RunOnPage => self.run_on_page(request),
        }
    }

    /// Posts `request` to `workers`: whole to one, dealt among more (each
    /// its first range; the next when it has finished one).
    fn post(self: &Rc<Self>, workers: &[Worker], request: &Request) {
        let mut dealer = Dealer::new(request.range.clone(), workers.len() as u32);
        let firsts: Vec<Request> = workers
            .iter()
            .map_while(|_| dealer.deal().map(|range| request.share(range)))
            .collect();
        *self.sharing.borrow_mut() = Sharing {
            dealer,
            done: vec![0; workers.len()],
            draws_ms: vec![0.0; workers.len()],
            drawn: Vec::new(),
        };
        let mut timing = self.timing.get();
        timing.workers = firsts.len() as u32;
        self.timing.set(timing);
        for (worker, first) in workers.iter().zip(&firsts) {
            self.post_to(worker, first);
        }
    }

    /// Posts one request to one worker; the workers fail if it cannot go.
    fn post_to(self: &Rc<Self>, worker: &Worker, request: &Request) {
        if worker
            .post_message(&JsValue::from_str(&request.encode()))
            .is_err()
        {
            self.fail();
        }
    }

    /// Starts the workers; the newest job is posted when all are ready.
    fn start_workers(self: &Rc<Self>) {
        let count = workers_for(window().navigator().hardware_concurrency());
        let Ok((workers, blob_url)) = create_workers(count) else {
            self.fail();
            return;
        };
        for (k, worker) in workers.iter().enumerate() {
            let on_message = {
                let client = self.clone();
                Closure::<dyn Fn(MessageEvent)>::new(move |event: MessageEvent| {
                    client.on_reply(k, &event.data())
                })
            };
            worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            // The workers are kept for the page's life.
            on_message.forget();
            let on_error = {
                let client = self.clone();
                Closure::<dyn Fn()>::new(move || client.fail())
            };
            worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
            on_error.forget();
        }
        let ready = vec![false; workers.len()];
        *self.engine.borrow_mut() = Engine::Starting {
            workers,
            ready,
            blob_url,
        };
        let client = self.clone();
        schedule(START_TIMEOUT_MS, move || {
            let starting = matches!(*client.engine.borrow(), Engine::Starting { .. });
            if starting {
                client.fail();
            }
        });
    }

    /// A message from worker `k`: text, or a part's `[text, Float64Array]`.
    fn on_reply(self: &Rc<Self>, k: usize, data: &JsValue) {
        let message = match data.dyn_ref::<Array>() {
            Some(pair) => Message {
                text: pair.get(0).as_string().unwrap_or_default(),
                values: pair
                    .get(1)
                    .dyn_into::<Float64Array>()
                    .map(|values| values.to_vec())
                    .unwrap_or_default(),
            },
            None => Message {
                text: data.as_string().unwrap_or_default(),
                values: Vec::new(),
            },
        };
        match Reply::decode_message(message) {
            Ok(Reply::Ready { protocol }) if protocol == PROTOCOL => self.ready(k),
            Ok(Reply::Ready { .. }) | Err(_) => self.fail(),
            Ok(Reply::Step { id, step, ms }) => self.apply_share(k, id, step, ms),
            Ok(Reply::Refused { id, .. }) => {
                let newest = self.latest.borrow().clone();
                if let Some(request) = newest {
                    if id.is_none_or(|id| id == request.id) {
                        self.taken_over.set(Some(request.id));
                        self.run_on_page(request);
                    }
                }
            }
        }
    }

    /// Worker `k` is ready; once all are, the newest job is posted.
    fn ready(self: &Rc<Self>, k: usize) {
        let engine = self.engine.replace(Engine::Idle);
        let Engine::Starting {
            workers,
            mut ready,
            blob_url,
        } = engine
        else {
            // Ready twice, or after the page gave up on it: leave as was.
            self.engine.replace(engine);
            return;
        };
        if let Some(slot) = ready.get_mut(k) {
            *slot = true;
        }
        if !ready.iter().all(|r| *r) {
            self.engine.replace(Engine::Starting {
                workers,
                ready,
                blob_url,
            });
            return;
        }
        if let Some(url) = blob_url {
            let _ = Url::revoke_object_url(&url);
        }
        *self.engine.borrow_mut() = Engine::Ready(workers.clone());
        let newest = self.latest.borrow().clone();
        if let Some(request) = newest {
            self.post(&workers, &request);
        }
    }

    /// The workers cannot be used: stop them, and from now on run every
    /// job on the page, starting with the newest if it has not finished.
    fn fail(self: &Rc<Self>) {
        let engine = self.engine.replace(Engine::Page);
        match engine {
            Engine::Page => return,
            Engine::Idle => {}
            Engine::Starting {
                workers, blob_url, ..
            } => {
                workers.iter().for_each(Worker::terminate);
                if let Some(url) = blob_url {
                    let _ = Url::revoke_object_url(&url);
                }
            }
            Engine::Ready(workers) => workers.iter().for_each(Worker::terminate),
        }
        let newest = self.latest.borrow().clone();
        if let Some(request) = newest {
            self.run_on_page(request);
        }
    }

    /// A step of worker `k`'s range of job `id`: shown if the job is the
    /// newest (and still the workers'), dropped otherwise. A worker that
    /// finishes a range is dealt the next at once. Progress is the draws of
    /// every range together; the result comes once every draw is in, the
    /// ranges' draws merged, and the draws took as long as the worker that
    /// spent longest drawing.
    fn apply_share(self: &Rc<Self>, k: usize, id: u64, step: Step, ms: f64) {
        if id != self.latest_id.get() || self.taken_over.get() == Some(id) {
            return;
        }
        let Some((draws, seed)) = self.latest.borrow().as_ref().map(|r| (r.draws, r.seed)) else {
            return;
        };
        let mut next = None;
        let shown = {
            let mut sharing = self.sharing.borrow_mut();
            let sharing = &mut *sharing;
            if k >= sharing.done.len() {
                return;
            }
            match step {
                Step::Swept(sweep) => Some((Step::Swept(sweep), ms)),
                Step::Drawn { done, .. } => {
                    sharing.done[k] = done;
                    sharing.draws_ms[k] += ms;
                    let done = sharing.made();
                    Some((Step::Drawn { done, total: draws }, 0.0))
                }
                // One worker ran the whole job.
                Step::Finished(result) => Some((Step::Finished(result), sharing.draws_ms[k] + ms)),
                Step::Part(drawn) => {
                    sharing.draws_ms[k] += ms;
                    sharing.done[k] = 0;
                    sharing.drawn.push(drawn);
                    next = sharing.dealer.deal();
                    let done = sharing.made();
                    if next.is_none() && done >= draws {
                        let longest = sharing.draws_ms.iter().copied().fold(0.0, f64::max);
                        let drawn = std::mem::take(&mut sharing.drawn);
                        merge(seed, drawn).map(|result| (Step::Finished(result), longest))
                    } else {
                        Some((Step::Drawn { done, total: draws }, 0.0))
                    }
                }
            }
        };
        if let Some(range) = next {
            let worker = match &*self.engine.borrow() {
                Engine::Ready(workers) => workers.get(k).cloned(),
                _ => None,
            };
            let share = self.latest.borrow().as_ref().map(|r| r.share(range));
            match (worker, share) {
                (Some(worker), Some(share)) => self.post_to(&worker, &share),
                _ => return self.fail(),
            }
        }
        if let Some((step, ms)) = shown {
            self.apply(id, step, ms);
        }
    }

    /// Shows a step of job `id` if it is the newest; drops it otherwise.
    /// `ms` is added to the sweep's or the draws' time.
    fn apply(&self, id: u64, step: Step, ms: f64) {
        if id != self.latest_id.get() {
            return;
        }
        let mut timing = self.timing.get();
        let state = self.state;
        let show_steps = now_ms() - timing.started >= SHOW_STEPS_AFTER_MS;
        match step {
            Step::Swept(sweep) => {
                timing.sweep += ms;
                self.timing.set(timing);
                if show_steps {
                    state.sensitivity.set(Some(sweep));
                } else {
                    *self.held_sweep.borrow_mut() = Some(sweep);
                }
            }
            Step::Drawn { done, total } => {
                timing.draws += ms;
                timing.done = done;
                self.timing.set(timing);
                if show_steps {
                    self.release_sweep();
                    state.uncertainty.set(Uncertainty::Running(done, total));
                }
            }
            Step::Finished(result) => {
                timing.draws += ms;
                self.timing.set(timing);
                *self.latest.borrow_mut() = None;
                self.release_sweep();
                state.monte_carlo.set(Some(result));
                state.uncertainty.set(Uncertainty::Done {
                    sweep_ms: timing.sweep,
                    draws_ms: timing.draws,
                    wall_ms: now_ms() - timing.started,
                    workers: timing.workers,
                });
            }
            // A part is merged before it is shown ([`Client::apply_part`]).
            Step::Part(_) => {}
        }
    }

    /// Job `id` has run for [`SHOW_STEPS_AFTER_MS`]: if it is still the
    /// newest and not finished, shows its sweep and its draws so far (the
    /// workers may still be starting, or the machine is slow), and from
    /// now on every step as it comes.
    fn show_steps(&self, id: u64, draws: u32) {
        if id != self.latest_id.get() || self.latest.borrow().is_none() {
            return;
        }
        self.release_sweep();
        if self
            .state
            .uncertainty
            .with_untracked(|u| *u == Uncertainty::Pending)
        {
            let done = self.timing.get().done;
            self.state
                .uncertainty
                .set(Uncertainty::Running(done, draws));
        }
    }

    /// Shows the newest job's sweep if it is held.
    fn release_sweep(&self) {
        let held = self.held_sweep.borrow_mut().take();
        if let Some(sweep) = held {
            self.state.sensitivity.set(Some(sweep));
        }
    }

    /// Runs `request` on the page, one step per macrotask so the page
    /// paints and answers input in between; stops when a newer job comes.
    fn run_on_page(self: &Rc<Self>, request: Request) {
        let mut timing = self.timing.get();
        timing.sweep = 0.0;
        timing.draws = 0.0;
        timing.workers = 0;
        self.timing.set(timing);
        let plan = self.page_plan.borrow_mut().take();
        let job = Rc::new(RefCell::new(request.job(plan)));
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
    if let Some(plan) = job.borrow().plan() {
        let mut kept = client.page_plan.borrow_mut();
        if !kept.as_ref().is_some_and(|k| Arc::ptr_eq(k, plan)) {
            *kept = Some(plan.clone());
        }
    }
    let Some(step) = step else {
        return;
    };
    let finished = matches!(step, Step::Finished(_));
    client.apply(id, step, ms);
    if !finished {
        schedule(0, move || page_step(client, job));
    }
}

/// Starts `count` workers: from the single file's data block through a
/// `blob:` URL where there is one, else from their file beside the page.
/// Returns the `blob:` URL to free once they have loaded.
fn create_workers(count: usize) -> Result<(Vec<Worker>, Option<String>), JsValue> {
    let Some(bundle) = document().get_element_by_id(WORKER_BUNDLE_ID) else {
        let workers = (0..count)
            .map(|_| Worker::new(WORKER_SCRIPT))
            .collect::<Result<_, _>>()?;
        return Ok((workers, None));
    };
    // The script stays a JS string: it is not copied through the wasm.
    let script = Reflect::get(&bundle, &JsValue::from_str("textContent"))?;
    let options = BlobPropertyBag::new();
    options.set_type("text/javascript");
    let blob = Blob::new_with_str_sequence_and_options(&Array::of1(&script), &options)?;
    let url = Url::create_object_url_with_blob(&blob)?;
    match (0..count).map(|_| Worker::new(&url)).collect() {
        Ok(workers) => Ok((workers, Some(url))),
        Err(err) => {
            let _ = Url::revoke_object_url(&url);
            Err(err)
        }
    }
}
