//! The uncertainty job (the sensitivity sweep, then the Monte Carlo in
//! steps) and the messages that carry it between the page and the Web
//! Worker that runs it.
//!
//! A [`Job`] is plain Rust: the worker (`src/bin/worker.rs`) and the page's
//! main-thread fallback both advance it one [`Step`] at a time, so the two
//! give the same figures for the same scenario and seed. Between steps the
//! worker reads its messages, so a newer job replaces the running one
//! after at most one step ([`WorkerLoop`]).
//!
//! Messages are one line of text. The page sends a [`Request`]: a job id,
//! the number of draws, the seed, and the scenario and figures as the link
//! codec writes them (exact: numbers round-trip). The worker answers with a
//! [`Reply`]: that it is ready (with its [`PROTOCOL`]), each step of a job
//! with the milliseconds it took, or that it refused a request and why.
//! Everything read is checked: a message that is not exactly one of these
//! is an error that says why, never a panic.

use std::fmt;
use std::ops::Range;
use std::sync::Arc;

use super::codec::{from_query, to_query, State};
use crate::model::{
    sensitivity, AssumptionId, CheapestSets, Drawn, Driver, MonteCarlo, NumField, Percentiles,
    Plan, Runner, Sensitivity, Stack, StackOutcome, Standing, Swing,
};

/// Version of the messages: the page uses a worker only when it answers
/// with the same number (a worker cached from another build may not).
pub const PROTOCOL: u32 = 7;

/// Draws made per step: progress is reported, and a newer job can take
/// over, between steps.
pub const DRAWS_PER_STEP: u32 = 1_000;

/// Most draws a request may ask for (memory grows with the draws).
pub const MAX_DRAWS: u32 = 1_000_000;

/// One job: the sweep, then the draws, for one scenario; or a part of
/// one (a range of its draws, as workers that share a run make them,
/// [`Dealer`]), which sweeps only if it starts at the first draw and ends
/// with its draws as they are, for the page to merge with the other parts'.
#[derive(Clone, Debug)]
pub struct Job {
    id: u64,
    state: State,
    /// Draws this job makes.
    total: u32,
    swept: bool,
    /// Whether it is a part of a run (it ends with [`Step::Part`]).
    part: bool,
    /// `None` once finished.
    runner: Option<Runner>,
    /// The run's plan, once prepared: kept for the next part.
    plan: Option<Arc<Plan>>,
}

/// What one step of a [`Job`] produced.
#[derive(Clone, Debug, PartialEq)]
pub enum Step {
    /// The sensitivity sweep (the first step).
    Swept(Sensitivity),
    /// Draws made so far, out of the run's total.
    Drawn {
        /// Draws made.
        done: u32,
        /// Draws in the run.
        total: u32,
    },
    /// The last draws made: the run's result (the last step).
    Finished(MonteCarlo),
    /// The last draws of a part: its draws, to merge with the other parts'
    /// ([`crate::model::merge`]).
    Part(Drawn),
}

impl Job {
    /// A job `id` for `state`: the sweep, then `draws` draws from `seed`.
    pub fn new(id: u64, state: State, draws: u32, seed: u64) -> Job {
        Request::whole(id, state, draws, seed).job(None)
    }

    /// The run's plan, once a step has prepared it (or it was given): what
    /// a later part of the same run, or a run of the same figures, draws
    /// and seed, can reuse ([`Plan::fits`]).
    pub fn plan(&self) -> Option<&Arc<Plan>> {
        self.plan.as_ref()
    }

    /// The job's id, as the page numbered it.
    pub fn id(&self) -> u64 {
        self.id
    }

    /// Whether every step is done.
    pub fn is_finished(&self) -> bool {
        self.runner.is_none()
    }

    /// Does the next piece of work: the sweep first, then up to
    /// [`DRAWS_PER_STEP`] draws, the last of which also returns the result.
    /// `None` once finished.
    pub fn step(&mut self) -> Option<Step> {
        let mut runner = self.runner.take()?;
        let (s, set) = (&self.state.scenario, &self.state.assumptions);
        if !self.swept {
            self.swept = true;
            self.runner = Some(runner);
            return Some(Step::Swept(sensitivity(s, set)));
        }
        runner.step(s, set, DRAWS_PER_STEP);
        if self.plan.is_none() {
            self.plan = runner.plan().cloned();
        }
        if runner.is_done() {
            Some(if self.part {
                Step::Part(runner.into_drawn())
            } else {
                Step::Finished(runner.finish())
            })
        } else {
            let done = runner.done();
            self.runner = Some(runner);
            Some(Step::Drawn {
                done,
                total: self.total,
            })
        }
    }
}

/// A job as the page asks for it.
#[derive(Clone, Debug, PartialEq)]
pub struct Request {
    /// The page's number for it; replies carry it back.
    pub id: u64,
    /// The scenario and the figures.
    pub state: State,
    /// Draws to make.
    pub draws: u32,
    /// Seed of the draws.
    pub seed: u64,
    /// The draws of the run this job makes: all of them, or a part (its
    /// last step is then [`Step::Part`]); the part from the first draw
    /// also sweeps.
    pub range: Range<u32>,
}

impl Request {
    /// The message text: `job <protocol> <id> <draws> <seed> <first draw>
    /// <end of the draws> <link query>`.
    pub fn encode(&self) -> String {
        let mut out = JOB.to_string();
        put(&mut out, PROTOCOL);
        put(&mut out, self.id);
        put(&mut out, self.draws);
        put(&mut out, self.seed);
        put(&mut out, self.range.start);
        put(&mut out, self.range.end);
        // Percent-encoded: never a space, never empty (it has the version).
        put_key(&mut out, &to_query(&self.state));
        out
    }

    /// Reads a request. `Err` says what is wrong, with the job's id when it
    /// could be read: another protocol, not a request of this shape, draws
    /// out of range, or a scenario the link codec does not read exactly
    /// (any note would make the worker's figures differ from the page's).
    pub fn decode(text: &str) -> Result<Request, (Option<u64>, String)> {
        let mut t = Tokens::new(text);
        let kind = t.word("the kind").map_err(|e| (None, e))?;
        if kind != JOB {
            return Err((None, format!("not a job request: \"{}\"", echo(kind))));
        }
        let protocol: u32 = t.parse("the protocol").map_err(|e| (None, e))?;
        let id: u64 = t.parse("the job id").map_err(|e| (None, e))?;
        let fail = |e: String| (Some(id), e);
        if protocol != PROTOCOL {
            return Err(fail(format!(
                "protocol {protocol} asked for, this worker speaks {PROTOCOL}"
            )));
        }
        let draws: u32 = t.parse("draws").map_err(fail)?;
        let seed: u64 = t.parse("the seed").map_err(fail)?;
        let first: u32 = t.parse("the first draw").map_err(fail)?;
        let end: u32 = t.parse("the end of the draws").map_err(fail)?;
        let query = t.word("the scenario").map_err(fail)?;
        t.end().map_err(fail)?;
        if draws == 0 || draws > MAX_DRAWS {
            return Err(fail(format!("draws must be 1 to {MAX_DRAWS}, not {draws}")));
        }
        if first >= end || end > draws {
            return Err(fail(format!(
                "draws {first} to {end} are not a part of a run of {draws}"
            )));
        }
        let decoded = from_query(query);
        if !decoded.notes.is_empty() {
            return Err(fail(format!(
                "the scenario was not read exactly: {}",
                decoded.notes.join(" ")
            )));
        }
        Ok(Request {
            id,
            state: decoded.state,
            draws,
            seed,
            range: first..end,
        })
    }

    /// The whole run, `draws` draws from `seed`, as one request.
    pub fn whole(id: u64, state: State, draws: u32, seed: u64) -> Request {
        Request {
            id,
            state,
            draws,
            seed,
            range: 0..draws,
        }
    }

    /// The same job's draws `range` (the part from the first draw also
    /// sweeps), as a [`Dealer`] hands them to a worker.
    pub fn share(&self, range: Range<u32>) -> Request {
        Request {
            range,
            ..self.clone()
        }
    }

    /// The job this request asks for: draws of its range of the run, with
    /// `plan` where it is this run's plan ([`Plan::fits`]), so that they are
    /// not prepared again, and a plan of its own otherwise (with `plan`'s
    /// strata where the draws and seed agree, [`Runner::after`]).
    pub fn job(self, plan: Option<Arc<Plan>>) -> Job {
        let Request {
            id,
            state,
            draws,
            seed,
            range,
        } = self;
        // A plan for other figures is dropped here, its drawn figures with
        // it; its strata serve the new plan when the draws and seed agree.
        let (runner, plan) = match plan {
            Some(plan) if plan.fits(&state.assumptions, draws, seed) => {
                (Runner::with_plan(plan.clone(), range.clone()), Some(plan))
            }
            Some(earlier) => (Runner::after(&earlier, draws, seed, range.clone()), None),
            None => (Runner::part(draws, seed, range.clone()), None),
        };
        Job {
            id,
            total: range.end.saturating_sub(range.start),
            swept: range.start > 0,
            part: range != (0..draws),
            runner: Some(runner),
            plan,
            state,
        }
    }
}

/// Most workers that share a run: past four, each more saves a
/// millisecond or two of a 10,000-draw run and costs its own start (its
/// wasm loaded and compiled, its own strata prepared).
pub const MOST_WORKERS: usize = 4;

/// How many workers share the runs on a machine whose browser reports
/// `logical_processors` (`navigator.hardwareConcurrency`): one per
/// processor but one, left to the page and the browser, so that typing
/// during a run does not wait for a core; two on a two-processor machine,
/// where two workers finish a run in 23 to 31 ms against 40 to 44 for one
/// (the page is idle while they draw); one where it reports one, or nothing
/// usable; at most [`MOST_WORKERS`].
pub fn workers_for(logical_processors: f64) -> usize {
    if logical_processors.is_nan() || logical_processors < 2.0 {
        return 1;
    }
    // A whole number from 2 to MOST_WORKERS.
    (logical_processors.floor() - 1.0).clamp(2.0, MOST_WORKERS as f64) as usize
}

/// Fewest draws dealt to a worker at once ([`Dealer`]): each range costs a
/// message to the page and back, and a range this size some 2 to 5 ms of
/// drawing.
pub const LEAST_SHARE: u32 = 500;

/// Deals a run's draws to the workers that share it, a range at a time as
/// each one is free, by the factoring rule (S. F. Hummel, E. Schonberg and
/// L. E. Flynn, "Factoring: a method for scheduling parallel loops",
/// Communications of the ACM 35(8), 1992): in rounds of one range per
/// worker, each range the draws left at the round's start over twice the
/// workers. The ranges shrink as the run nears its end, so a worker that
/// draws slower (its core shared with another program, as the page's own
/// thread shares one) holds up the end of the run by a small range, where
/// halves fixed in advance would wait for the slow half. No range is
/// smaller than [`LEAST_SHARE`] draws, except all of a smaller run; the
/// last range takes what would otherwise be left below it. One worker is
/// dealt the whole run at once.
///
/// 10,000 draws for two workers: rounds of 2,500, 1,250 and 625 draws a
/// range, then 500 and the last 750.
#[derive(Clone, Debug)]
pub struct Dealer {
    next: u32,
    end: u32,
    workers: u32,
    /// Size of the ranges of the current round.
    size: u32,
    /// Ranges of the current round not dealt yet.
    round_left: u32,
}

impl Dealer {
    /// Deals `draws` among `workers` (at least one).
    pub fn new(draws: Range<u32>, workers: u32) -> Dealer {
        Dealer {
            next: draws.start,
            end: draws.end.max(draws.start),
            workers: workers.max(1),
            size: 0,
            round_left: 0,
        }
    }

    /// The next range to hand to a free worker; `None` once every draw has
    /// been dealt.
    pub fn deal(&mut self) -> Option<Range<u32>> {
        let left = self.end - self.next;
        if left == 0 {
            return None;
        }
        if self.workers == 1 {
            self.next = self.end;
            return Some(self.end - left..self.end);
        }
        if self.round_left == 0 {
            self.size = left.div_ceil(2 * self.workers).max(LEAST_SHARE);
            self.round_left = self.workers;
        }
        self.round_left -= 1;
        let size = if left - self.size.min(left) < LEAST_SHARE {
            left
        } else {
            self.size
        };
        let range = self.next..self.next + size;
        self.next += size;
        Some(range)
    }
}

/// What the worker says.
#[derive(Clone, Debug, PartialEq)]
pub enum Reply {
    /// Started and listening, speaking this protocol.
    Ready {
        /// The worker's [`PROTOCOL`].
        protocol: u32,
    },
    /// One step of job `id`, which took `ms` milliseconds in the worker.
    Step {
        /// The job.
        id: u64,
        /// What the step produced.
        step: Step,
        /// Its time in the worker, ms.
        ms: f64,
    },
    /// A request the worker could not run (the page runs it itself).
    Refused {
        /// The job, when its id could be read.
        id: Option<u64>,
        /// Why.
        reason: String,
    },
}

/// A reply as it travels: its text and, for [`Step::Part`], the part's
/// draws as numbers, sent beside the text as they are (the worker
/// transfers them as a `Float64Array`), not written out.
#[derive(Clone, Debug, PartialEq)]
pub struct Message {
    /// The reply's text ([`Reply::encode`]).
    pub text: String,
    /// A part's draws: instances, then money per month, then totals, each
    /// stack by stack in the order of [`Stack::ALL`]; empty otherwise.
    pub values: Vec<f64>,
}

/// Why a reply could not be read.
#[derive(Clone, Debug, PartialEq)]
pub struct BadReply(pub String);

impl fmt::Display for BadReply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unreadable reply from the worker: {}", self.0)
    }
}

impl Reply {
    /// The message text (see the wire form at the end of this file).
    pub fn encode(&self) -> String {
        match self {
            Reply::Ready { protocol } => {
                let mut out = READY.to_string();
                put(&mut out, protocol);
                out
            }
            Reply::Refused { id, reason } => {
                let mut out = REFUSED.to_string();
                match id {
                    Some(id) => put(&mut out, id),
                    None => put_key(&mut out, NONE),
                }
                put_key(&mut out, reason);
                out
            }
            Reply::Step { id, step, ms } => {
                let kind = match step {
                    Step::Swept(_) => SWEPT,
                    Step::Drawn { .. } => DRAWN,
                    Step::Finished(_) => FINISHED,
                    Step::Part(_) => PART,
                };
                let mut out = kind.to_string();
                put(&mut out, id);
                put(&mut out, ms);
                match step {
                    Step::Swept(s) => encode_sensitivity(&mut out, s),
                    Step::Drawn { done, total } => {
                        put(&mut out, done);
                        put(&mut out, total);
                    }
                    Step::Finished(mc) => encode_monte_carlo(&mut out, mc),
                    Step::Part(drawn) => {
                        put(&mut out, drawn.len());
                        encode_sets(&mut out, &drawn.cheapest);
                    }
                }
                out
            }
        }
    }

    /// The reply as it travels: its text and a part's draws beside it.
    pub fn message(&self) -> Message {
        let values = match self {
            Reply::Step {
                step: Step::Part(drawn),
                ..
            } => [&drawn.instances, &drawn.monthly, &drawn.total]
                .into_iter()
                .flatten()
                .flatten()
                .copied()
                .collect(),
            _ => Vec::new(),
        };
        Message {
            text: self.encode(),
            values,
        }
    }

    /// Reads a reply that came as a [`Message`]: a part's text with its
    /// draws, every other reply's text alone.
    pub fn decode_message(message: Message) -> Result<Reply, BadReply> {
        Reply::read(&message.text, Some(message.values)).map_err(BadReply)
    }

    /// Reads a reply: exactly one of the forms [`Reply::encode`] writes,
    /// with every stack, driver and figure one this build knows.
    pub fn decode(text: &str) -> Result<Reply, BadReply> {
        Reply::read(text, None).map_err(BadReply)
    }

    fn read(text: &str, values: Option<Vec<f64>>) -> Result<Reply, String> {
        let mut t = Tokens::new(text);
        let kind = t.word("the kind")?;
        if kind == REFUSED {
            let id = match t.word("the job id")? {
                NONE => None,
                token => Some(
                    token
                        .parse()
                        .map_err(|_| format!("the job id is not a number: \"{}\"", echo(token)))?,
                ),
            };
            return Ok(Reply::Refused {
                id,
                reason: t.rest(),
            });
        }
        if kind == READY {
            let protocol = t.parse("the protocol")?;
            t.end()?;
            return Ok(Reply::Ready { protocol });
        }
        let id = t.parse("the job id")?;
        let ms = t.num("the step's time")?;
        let step = match kind {
            SWEPT => Step::Swept(decode_sensitivity(&mut t)?),
            DRAWN => Step::Drawn {
                done: t.parse("draws done")?,
                total: t.parse("draws in all")?,
            },
            FINISHED => Step::Finished(decode_monte_carlo(&mut t)?),
            PART => Step::Part(decode_part(&mut t, values.unwrap_or_default())?),
            other => return Err(format!("unknown reply \"{}\"", echo(other))),
        };
        t.end()?;
        Ok(Reply::Step { id, step, ms })
    }
}

/// The worker's side: the job it is running, replaced whenever a newer
/// request arrives. The worker's script calls [`WorkerLoop::receive`] for
/// every message and [`WorkerLoop::work`] while [`WorkerLoop::busy`],
/// letting its message queue run in between.
#[derive(Debug, Default)]
pub struct WorkerLoop {
    job: Option<Job>,
    /// The last run's plan: the next part of the run, or the next run while
    /// the figures stay the same, draws without preparing it again.
    plan: Option<Arc<Plan>>,
}

impl WorkerLoop {
    /// An idle worker.
    pub fn new() -> WorkerLoop {
        WorkerLoop::default()
    }

    /// The message that says the worker is listening.
    pub fn ready() -> String {
        Reply::Ready { protocol: PROTOCOL }.encode()
    }

    /// Takes a message from the page: a request replaces the running job
    /// (the page only wants the newest). An unreadable one is answered with
    /// a refusal (and the running job, if any, goes on).
    pub fn receive(&mut self, text: &str) -> Option<String> {
        match Request::decode(text) {
            Ok(request) => {
                // The plan of the job replaced, else of the last run: the
                // new job keeps it if it fits and its strata if not; either
                // way no other copy is held, so a plan for other figures,
                // and the figures it drew, is freed before the new one draws.
                let last = self.plan.take();
                let plan = self.job.take().and_then(|job| job.plan).or(last);
                self.job = Some(request.job(plan));
                None
            }
            Err((id, reason)) => Some(Reply::Refused { id, reason }.encode()),
        }
    }

    /// Whether a job has work left.
    pub fn busy(&self) -> bool {
        self.job.is_some()
    }

    /// Does one step of the running job and returns the reply to post,
    /// timed with `clock` (milliseconds); the job is dropped once finished.
    pub fn work(&mut self, clock: &mut impl FnMut() -> f64) -> Option<Message> {
        let job = self.job.as_mut()?;
        let begun = clock();
        let step = job.step();
        let ms = clock() - begun;
        let id = job.id();
        if let Some(plan) = job.plan() {
            self.plan = Some(plan.clone());
        }
        if job.is_finished() {
            self.job = None;
        }
        step.map(|step| Reply::Step { id, step, ms }.message())
    }
}

// --- The wire form ---------------------------------------------------------
//
// One line of tokens separated by single spaces: the kind, then its fields
// in a fixed order. Numbers are written with `{:?}`, Rust's shortest form
// that parses back to the same bits (`inf`, `-inf` and `NaN` included);
// stacks, inputs and figures by their link keys, which have no spaces; a
// missing optional value is `-`. A refusal's reason, the only free text,
// is the rest of its line. Written and read by hand rather than with
// serde's derives: the page's wasm carries the reader, and this one is a
// fraction of their size.

const READY: &str = "ready";
const JOB: &str = "job";
const SWEPT: &str = "swept";
const DRAWN: &str = "drawn";
const FINISHED: &str = "finished";
const PART: &str = "part";
const REFUSED: &str = "refused";
const NONE: &str = "-";
const INPUT: &str = "input:";
const FIGURE: &str = "figure:";

/// Appends ` value` to a message.
fn put(out: &mut String, value: impl fmt::Debug) {
    use fmt::Write;
    let _ = write!(out, " {value:?}");
}

/// Appends ` key` (a name written as is).
fn put_key(out: &mut String, key: &str) {
    out.push(' ');
    out.push_str(key);
}

/// A set of stacks as one token: `1` for each member, `0` for each other
/// stack, in the order of [`Stack::ALL`] ("01100": Express and Fastify).
fn group_key(group: &[bool; 5]) -> String {
    group.iter().map(|&m| if m { '1' } else { '0' }).collect()
}

fn put_percentiles(out: &mut String, p: &Percentiles) {
    put(out, p.p5);
    put(out, p.p50);
    put(out, p.p95);
}

fn driver_key(d: &Driver) -> String {
    match d {
        Driver::Input(field) => format!("{INPUT}{}", field.spec().key),
        Driver::Figure(id) => format!("{FIGURE}{}", id.key()),
    }
}

fn encode_sensitivity(out: &mut String, s: &Sensitivity) {
    put_key(out, s.base.key());
    put(out, s.ties.len());
    for stack in &s.ties {
        put_key(out, stack.key());
    }
    put(out, s.base_total);
    put(out, s.base_margin);
    put(out, s.swings.len());
    for sw in &s.swings {
        put_key(out, &driver_key(&sw.driver));
        for v in [
            sw.today,
            sw.values.0,
            sw.values.1,
            sw.totals.0,
            sw.totals.1,
            sw.margins.0,
            sw.margins.1,
        ] {
            put(out, v);
        }
        put_key(out, sw.cheapest.0.key());
        put_key(out, sw.cheapest.1.key());
        put_key(out, sw.rivals.0.key());
        put_key(out, sw.rivals.1.key());
        put_key(out, &group_key(&sw.groups.0));
        put_key(out, &group_key(&sw.groups.1));
        put_key(out, &standings_key(&sw.standings.0));
        put_key(out, &standings_key(&sw.standings.1));
        match sw.threshold {
            Some((at, st)) => {
                put(out, at);
                put_key(out, st.key());
            }
            None => {
                put_key(out, NONE);
                put_key(out, NONE);
            }
        }
        match sw.until {
            Some(v) => put(out, v),
            None => put_key(out, NONE),
        }
        put(out, u8::from(sw.steady));
        put(out, standing_key(sw.beyond));
    }
}

/// A [`Standing`] as one digit.
fn standing_key(standing: Standing) -> u8 {
    match standing {
        Standing::CannotRun => 0,
        Standing::MissesTarget => 1,
        Standing::Delivers => 2,
    }
}

/// The [`Standing`] a digit stands for.
fn standing_of(digit: u8) -> Option<Standing> {
    match digit {
        b'0' => Some(Standing::CannotRun),
        b'1' => Some(Standing::MissesTarget),
        b'2' => Some(Standing::Delivers),
        _ => None,
    }
}

/// Five stacks' standings as one token, a digit each.
fn standings_key(standings: &[Standing; 5]) -> String {
    standings
        .iter()
        .map(|s| char::from(b'0' + standing_key(*s)))
        .collect()
}

fn encode_monte_carlo(out: &mut String, mc: &MonteCarlo) {
    put(out, mc.draws);
    put(out, mc.seed);
    put(out, mc.stacks.len());
    for o in &mc.stacks {
        put_key(out, o.stack.key());
        put_percentiles(out, &o.instances);
        put_percentiles(out, &o.monthly);
        put_percentiles(out, &o.total);
    }
    encode_sets(out, &mc.cheapest);
}

/// The sets of cheapest stacks: how many, then each one's bits and draws.
fn encode_sets(out: &mut String, sets: &CheapestSets) {
    put(out, sets.counted().count());
    for (bits, n) in sets.counted() {
        put(out, bits);
        put(out, n);
    }
}

/// Reads a message's tokens in order, naming what is missing or wrong.
struct Tokens<'a> {
    parts: std::str::Split<'a, char>,
}

impl<'a> Tokens<'a> {
    fn new(text: &'a str) -> Tokens<'a> {
        Tokens {
            parts: text.split(' '),
        }
    }

    fn word(&mut self, what: &str) -> Result<&'a str, String> {
        self.parts
            .next()
            .filter(|t| !t.is_empty())
            .ok_or_else(|| format!("{what} is missing"))
    }

    fn parse<T: std::str::FromStr>(&mut self, what: &str) -> Result<T, String> {
        let token = self.word(what)?;
        token
            .parse()
            .map_err(|_| format!("{what} is not a number: \"{}\"", echo(token)))
    }

    fn num(&mut self, what: &str) -> Result<f64, String> {
        self.parse(what)
    }

    /// Takes the next token if it is `-` (no value), and says so.
    fn none(&mut self) -> bool {
        let none = self.parts.clone().next() == Some(NONE);
        if none {
            self.parts.next();
        }
        none
    }

    /// A number, or `None` where the token is `-`.
    fn maybe_num(&mut self, what: &str) -> Result<Option<f64>, String> {
        if self.none() {
            Ok(None)
        } else {
            self.num(what).map(Some)
        }
    }

    fn stack(&mut self, what: &str) -> Result<Stack, String> {
        let key = self.word(what)?;
        Stack::from_key(key).ok_or_else(|| format!("{what}: unknown stack \"{}\"", echo(key)))
    }

    /// A set of stacks ([`group_key`]): one `0` or `1` per stack of
    /// [`Stack::ALL`], at least one `1`.
    fn group(&mut self, what: &str) -> Result<[bool; 5], String> {
        let key = self.word(what)?;
        let bits = key.as_bytes();
        if bits.len() != 5 || bits.iter().any(|b| !matches!(b, b'0' | b'1')) {
            return Err(format!("{what}: \"{}\" is not five 0s and 1s", echo(key)));
        }
        if !bits.contains(&b'1') {
            return Err(format!("{what}: names no stack"));
        }
        Ok(std::array::from_fn(|i| bits[i] == b'1'))
    }

    /// `N` standings, a digit each ([`standings_key`]).
    fn standings<const N: usize>(&mut self, what: &str) -> Result<[Standing; N], String> {
        let key = self.word(what)?;
        let digits = key.as_bytes();
        if digits.len() != N || digits.iter().any(|d| standing_of(*d).is_none()) {
            return Err(format!(
                "{what}: \"{}\" is not {N} of 0, 1 and 2",
                echo(key)
            ));
        }
        Ok(std::array::from_fn(|i| {
            standing_of(digits[i]).unwrap_or_default()
        }))
    }

    fn percentiles(&mut self, what: &str) -> Result<Percentiles, String> {
        Ok(Percentiles {
            p5: self.num(what)?,
            p50: self.num(what)?,
            p95: self.num(what)?,
        })
    }

    /// A count of the items that follow, each `tokens` long: refused unless
    /// the message holds that many (so a huge count allocates nothing).
    fn count(&mut self, what: &str, tokens: usize) -> Result<usize, String> {
        let n: usize = self.parse(what)?;
        let left = self.parts.clone().count();
        if n.saturating_mul(tokens) > left {
            return Err(format!("{n} {what} announced, the message is too short"));
        }
        Ok(n)
    }

    /// The rest of the message, as written.
    fn rest(self) -> String {
        self.parts.collect::<Vec<_>>().join(" ")
    }

    fn end(mut self) -> Result<(), String> {
        match self.parts.next() {
            None => Ok(()),
            Some(extra) => Err(format!("unexpected \"{}\" at the end", echo(extra))),
        }
    }
}

/// At most 40 characters of untrusted text, for a message.
fn echo(text: &str) -> String {
    text.chars().take(40).collect()
}

fn driver(key: &str) -> Result<Driver, String> {
    let found = if let Some(k) = key.strip_prefix(INPUT) {
        NumField::from_key(k).map(Driver::Input)
    } else if let Some(k) = key.strip_prefix(FIGURE) {
        AssumptionId::from_key(k).map(Driver::Figure)
    } else {
        None
    };
    found.ok_or_else(|| format!("unknown driver \"{}\"", echo(key)))
}

/// Tokens per swing: the driver, seven numbers, four stacks (the cheapest
/// and the rival at each end), the group and the standings at each end, the
/// threshold (two), until, steady, the standing beyond the threshold.
const SWING_TOKENS: usize = 21;
/// Tokens per stack outcome: the stack, three times three percentiles.
const OUTCOME_TOKENS: usize = 10;

fn decode_sensitivity(t: &mut Tokens<'_>) -> Result<Sensitivity, String> {
    let base = t.stack("the cheapest stack")?;
    let n = t.count("stacks tied with it", 1)?;
    let mut ties = Vec::with_capacity(n);
    for _ in 0..n {
        let stack = t.stack("a stack tied with it")?;
        if stack == base || ties.contains(&stack) {
            return Err(format!("{} is tied with the cheapest twice", stack.label()));
        }
        ties.push(stack);
    }
    let base_total = t.num("its total")?;
    let base_margin = t.num("its margin")?;
    let n = t.count("swings", SWING_TOKENS)?;
    let mut swings = Vec::with_capacity(n);
    for _ in 0..n {
        let driver = driver(t.word("a driver")?)?;
        let mut nums = [0.0; 7];
        for v in &mut nums {
            *v = t.num("a swing's value")?;
        }
        let cheapest = (
            t.stack("the cheapest at the low end")?,
            t.stack("the cheapest at the high end")?,
        );
        let rivals = (
            t.stack("the rival at the low end")?,
            t.stack("the rival at the high end")?,
        );
        let groups = (
            t.group("the stacks named at the low end")?,
            t.group("the stacks named at the high end")?,
        );
        let standings = (
            t.standings::<5>("the standings at the low end")?,
            t.standings::<5>("the standings at the high end")?,
        );
        let threshold = if t.none() {
            if !t.none() {
                return Err("a threshold's stack without its value".into());
            }
            None
        } else {
            Some((t.num("the threshold")?, t.stack("the stack beyond it")?))
        };
        let until = t.maybe_num("until")?;
        let steady = match t.word("steady")? {
            "0" => false,
            "1" => true,
            other => return Err(format!("steady is 0 or 1, not \"{}\"", echo(other))),
        };
        let [beyond] = t.standings::<1>("the standing beyond the threshold")?;
        swings.push(Swing {
            driver,
            today: nums[0],
            values: (nums[1], nums[2]),
            totals: (nums[3], nums[4]),
            margins: (nums[5], nums[6]),
            cheapest,
            rivals,
            groups,
            standings,
            threshold,
            beyond,
            until,
            steady,
        });
    }
    Ok(Sensitivity {
        base,
        ties,
        base_total,
        base_margin,
        swings,
    })
}

/// One outcome per stack, in [`Stack::ALL`] order, as [`MonteCarlo::stack`]
/// reads them.
fn decode_monte_carlo(t: &mut Tokens<'_>) -> Result<MonteCarlo, String> {
    let draws = t.parse("draws")?;
    let seed = t.parse("the seed")?;
    let n = t.count("stack outcomes", OUTCOME_TOKENS)?;
    if n != Stack::ALL.len() {
        return Err(format!("{n} stack outcomes, expected {}", Stack::ALL.len()));
    }
    let stacks = Stack::ALL
        .iter()
        .map(|want| {
            let stack = t.stack("an outcome's stack")?;
            if stack != *want {
                return Err(format!(
                    "stack outcomes out of order: \"{}\" where \"{}\" belongs",
                    stack.key(),
                    want.key()
                ));
            }
            Ok(StackOutcome {
                stack,
                instances: t.percentiles("instances")?,
                monthly: t.percentiles("monthly cost")?,
                total: t.percentiles("total cost")?,
                p_cheapest: 0.0,
            })
        })
        .collect::<Result<Vec<StackOutcome>, String>>()?;
    let cheapest = decode_sets(t, u64::from(draws))?;
    Ok(MonteCarlo::new(draws, seed, stacks, cheapest))
}

/// The sets of cheapest stacks ([`encode_sets`]), in increasing order of
/// their bits, counting `draws` draws in all.
fn decode_sets(t: &mut Tokens<'_>, draws: u64) -> Result<CheapestSets, String> {
    let n = t.count("sets of cheapest stacks", 2)?;
    let mut sets = CheapestSets::default();
    let mut last = 0u8;
    for _ in 0..n {
        let bits: u8 = t.parse("a set of cheapest stacks")?;
        let count: u32 = t.parse("a set's draws")?;
        if bits != 0 && bits <= last {
            return Err(format!(
                "the sets of cheapest stacks are out of order at {bits}"
            ));
        }
        sets.add(bits, count)
            .ok_or_else(|| format!("{bits} is not a set of stacks"))?;
        last = bits;
    }
    if sets.draws() != draws {
        return Err(format!(
            "the sets of cheapest stacks count {} draws, not {draws}",
            sets.draws()
        ));
    }
    Ok(sets)
}

/// A part's draws: their number and each stack's wins in the text, the
/// figures of every draw in `values` ([`Message::values`]), which must
/// hold exactly three figures per stack per draw.
fn decode_part(t: &mut Tokens<'_>, values: Vec<f64>) -> Result<Drawn, String> {
    let len: usize = t.parse("draws in the part")?;
    if len > MAX_DRAWS as usize {
        return Err(format!("a part of {len} draws: more than {MAX_DRAWS}"));
    }
    let stacks = Stack::ALL.len();
    let cheapest = decode_sets(t, len as u64)?;
    if values.len() != 3 * stacks * len {
        return Err(format!(
            "a part of {len} draws came with {} figures, not {}",
            values.len(),
            3 * stacks * len
        ));
    }
    let mut series = values.chunks_exact(len.max(1)).map(<[f64]>::to_vec);
    let mut next = |_| series.next().unwrap_or_default();
    let drawn = Drawn {
        instances: (0..stacks).map(&mut next).collect(),
        monthly: (0..stacks).map(&mut next).collect(),
        total: (0..stacks).map(&mut next).collect(),
        cheapest,
    };
    Ok(drawn)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use super::*;
    use crate::model::{monte_carlo, NumField, DEFAULT_SEED};

    fn busy_state() -> State {
        let mut state = State::default();
        state.scenario.set(NumField::AvgRps, 20_000.0).unwrap();
        state
    }

    fn run(job: &mut Job) -> Vec<Step> {
        std::iter::from_fn(|| job.step()).collect()
    }

    #[test]
    fn a_job_sweeps_then_draws_in_steps_and_matches_the_model() {
        let state = busy_state();
        let mut job = Job::new(7, state.clone(), 2_500, DEFAULT_SEED);
        let steps = run(&mut job);
        assert_eq!(
            steps.len(),
            1 + 3,
            "the sweep, two steps of draws, the last"
        );
        assert_eq!(
            steps[0],
            Step::Swept(sensitivity(&state.scenario, &state.assumptions))
        );
        assert_eq!(
            steps[1],
            Step::Drawn {
                done: 1_000,
                total: 2_500
            }
        );
        assert_eq!(
            steps[3],
            Step::Finished(monte_carlo(
                &state.scenario,
                &state.assumptions,
                2_500,
                DEFAULT_SEED
            ))
        );
        assert!(job.is_finished());
        assert_eq!(job.step(), None);
    }

    #[test]
    fn replies_round_trip_exactly() {
        let state = busy_state();
        let mut job = Job::new(3, state, 1_200, 11);
        for step in run(&mut job) {
            let reply = Reply::Step {
                id: 3,
                step,
                ms: 1.25,
            };
            assert_eq!(Reply::decode(&reply.encode()).unwrap(), reply);
        }
        for reply in [
            Reply::Ready { protocol: PROTOCOL },
            Reply::Refused {
                id: None,
                reason: "why".into(),
            },
        ] {
            assert_eq!(Reply::decode(&reply.encode()).unwrap(), reply);
        }
    }

    #[test]
    fn a_sweep_with_a_tie_round_trips_and_a_doubled_tie_is_refused() {
        // The page's default at 20,000 req/s: Fastify and Hybrid cost the
        // same, so the sweep names Hybrid as tied with Fastify.
        let state = crate::state::codec::from_query("v=1&rps=20000").state;
        let sens = sensitivity(&state.scenario, &state.assumptions);
        assert_eq!(
            (sens.base, sens.ties.as_slice()),
            (Stack::Fastify, &[Stack::Hybrid][..])
        );
        let reply = Reply::Step {
            id: 2,
            step: Step::Swept(sens),
            ms: 1.0,
        };
        let text = reply.encode();
        assert_eq!(Reply::decode(&text).unwrap(), reply);
        assert!(text.contains(" fastify 1 hybrid "), "{text}");
        for bad in [
            text.replacen(" fastify 1 hybrid ", " fastify 2 hybrid hybrid ", 1),
            text.replacen(" fastify 1 hybrid ", " fastify 1 fastify ", 1),
            text.replacen(" fastify 1 hybrid ", " fastify 1 cobol ", 1),
            text.replacen(" fastify 1 hybrid ", " fastify 99 hybrid ", 1),
        ] {
            assert!(Reply::decode(&bad).is_err(), "{bad}");
        }
    }

    /// The stacks named at each end of a move travel as five 0s and 1s;
    /// anything else, or none named, is refused with what it is.
    #[test]
    fn the_stacks_named_at_a_move_s_end_are_read_only_as_written() {
        let state = crate::state::codec::from_query("v=1&rps=20000").state;
        let sens = sensitivity(&state.scenario, &state.assumptions);
        let text = Reply::Step {
            id: 2,
            step: Step::Swept(sens),
            ms: 1.0,
        }
        .encode();
        let tokens: Vec<&str> = text.split(' ').collect();
        let at = tokens
            .iter()
            .position(|t| t.len() == 5 && t.bytes().all(|b| b == b'0' || b == b'1'))
            .expect("a group token");
        for (bad, why) in [
            ("01x00", "is not five 0s and 1s"),
            ("0110", "is not five 0s and 1s"),
            ("011000", "is not five 0s and 1s"),
            ("00000", "names no stack"),
        ] {
            let mut changed = tokens.clone();
            changed[at] = bad;
            let err = Reply::decode(&changed.join(" ")).expect_err(bad).0;
            assert!(
                err.contains("the stacks named at the low end") && err.contains(why),
                "{err}"
            );
        }
    }

    #[test]
    fn non_finite_numbers_travel_as_words() {
        let mut mc = monte_carlo(&busy_state().scenario, &State::default().assumptions, 50, 1);
        mc.stacks[0].total.p95 = f64::INFINITY;
        mc.stacks[1].total.p5 = f64::NEG_INFINITY;
        mc.stacks[2].monthly.p50 = f64::NAN;
        let text = Reply::Step {
            id: 1,
            step: Step::Finished(mc),
            ms: 0.0,
        }
        .encode();
        assert!(text.contains(" inf ") && text.contains(" -inf ") && text.contains(" NaN "));
        let Ok(Reply::Step {
            step: Step::Finished(back),
            ..
        }) = Reply::decode(&text)
        else {
            panic!("not a finished step: {text}");
        };
        assert_eq!(back.stacks[0].total.p95, f64::INFINITY);
        assert_eq!(back.stacks[1].total.p5, f64::NEG_INFINITY);
        assert!(back.stacks[2].monthly.p50.is_nan());
    }

    #[test]
    fn requests_round_trip_and_bad_ones_are_refused_with_a_reason() {
        let request = Request::whole(42, busy_state(), 10_000, DEFAULT_SEED);
        assert_eq!(Request::decode(&request.encode()).unwrap(), request);
        for range in [0..2_500, 9_250..10_000] {
            let part = request.share(range);
            assert_eq!(Request::decode(&part.encode()).unwrap(), part);
        }

        let other = request
            .encode()
            .replacen(&format!("job {PROTOCOL} "), "job 99 ", 1);
        let (id, why) = Request::decode(&other).unwrap_err();
        assert_eq!(id, Some(42));
        assert!(why.contains("protocol 99"), "{why}");

        let none = request.encode().replacen(" 10000 ", " 0 ", 1);
        assert!(Request::decode(&none).unwrap_err().1.contains("draws"));
        for range in [" 5 5 ", " 0 10001 ", " 7 3 "] {
            let outside = request.encode().replacen(" 0 10000 ", range, 1);
            let (id, why) = Request::decode(&outside).unwrap_err();
            assert_eq!(id, Some(42));
            assert!(
                why.contains("not a part of a run of 10000"),
                "{range}: {why}"
            );
        }

        let bad_link = request.encode().replace("rps=20000", "rps=lots");
        let (id, why) = Request::decode(&bad_link).unwrap_err();
        assert_eq!(id, Some(42));
        assert!(why.contains("not read exactly"), "{why}");

        let longer = format!("{} extra", request.encode());
        assert!(Request::decode(&longer).unwrap_err().1.contains("extra"));

        for junk in [
            "",
            "job",
            "job 1",
            "job 1 x",
            "ready 1",
            "job  1 2",
            "{\"id\":3}",
        ] {
            let (id, _) = Request::decode(junk).unwrap_err();
            assert_eq!(id, None, "{junk}");
        }
    }

    /// The ranges dealt for 10,000 draws and two workers, worked by hand:
    /// rounds of two ranges, each 1/4 of the draws left at the round's
    /// start (10,000 / 4 = 2,500; 5,000 / 4 = 1,250; 2,500 / 4 = 625);
    /// then 1,250 / 4 = 313 is below the least share, so 500, which leaves
    /// 750, and 750 less 500 would leave 250, so the last range takes 750.
    #[test]
    fn the_dealer_deals_shrinking_ranges_of_every_draw_once() {
        let sizes = |draws: u32, workers: u32| -> Vec<u32> {
            let mut dealer = Dealer::new(0..draws, workers);
            let mut next = 0;
            let mut sizes = Vec::new();
            while let Some(range) = dealer.deal() {
                assert_eq!(range.start, next, "{draws} draws, {workers} workers");
                next = range.end;
                sizes.push(range.len() as u32);
            }
            assert_eq!(next, draws, "every draw dealt");
            assert_eq!(dealer.deal(), None, "and none twice");
            sizes
        };
        assert_eq!(
            sizes(10_000, 2),
            [2_500, 2_500, 1_250, 1_250, 625, 625, 500, 750]
        );
        assert_eq!(sizes(10, 2), [10], "a small run is one range");
        assert_eq!(sizes(999, 2), [999]);
        assert_eq!(sizes(1_000, 2), [500, 500]);
        assert_eq!(sizes(0, 2), Vec::<u32>::new());
        assert_eq!(sizes(10_000, 1), [10_000], "one worker runs it whole");
        for draws in [1, 499, 500, 501, 1_999, 2_000, 7_777, 10_000, 1_000_000] {
            for workers in 1..=4 {
                let sizes = sizes(draws, workers);
                let (last, before) = sizes.split_last().unwrap();
                assert!(
                    before.iter().all(|n| *n >= LEAST_SHARE),
                    "{draws} / {workers}: {sizes:?}"
                );
                assert!(
                    *last >= LEAST_SHARE || sizes.len() == 1,
                    "{draws} / {workers}: {sizes:?}"
                );
                assert!(
                    before.windows(2).all(|w| w[0] >= w[1]),
                    "ranges never grow before the last: {draws} / {workers}: {sizes:?}"
                );
            }
        }
    }

    #[test]
    fn one_processor_is_left_to_the_page_where_there_are_three_or_more() {
        for (processors, workers) in [
            (f64::NAN, 1),
            (-1.0, 1),
            (0.0, 1),
            (1.0, 1),
            (1.5, 1),
            (2.0, 2),
            (3.0, 2),
            (4.0, 3),
            (5.0, 4),
            (8.0, 4),
            (128.0, 4),
            (f64::INFINITY, 4),
        ] {
            assert_eq!(workers_for(processors), workers, "{processors}");
        }
    }

    /// Two workers share a run as the page deals it, one drawing three
    /// steps for each of the other's: the faster makes more of the draws,
    /// each worker prepares the run's plan once, only the range from the
    /// first draw sweeps, and the ranges' draws merged are the whole run's
    /// result to the last bit.
    #[test]
    fn a_run_dealt_to_workers_of_unequal_speed_is_the_run_made_whole() {
        let state = busy_state();
        let whole = Request::whole(5, state.clone(), 10_000, 13);
        let mut dealer = Dealer::new(0..10_000, 2);
        let mut workers = [WorkerLoop::new(), WorkerLoop::new()];
        for worker in &mut workers {
            let range = dealer.deal().unwrap();
            assert_eq!(worker.receive(&whole.share(range).encode()), None);
        }
        let mut clock = || 0.0;
        let (mut drawn, mut made, mut sweeps) = (Vec::new(), [0, 0], 0);
        let mut plans: [Option<Arc<Plan>>; 2] = [None, None];
        while workers.iter().any(WorkerLoop::busy) {
            for (k, steps) in [(0, 3), (1, 1)] {
                for _ in 0..steps {
                    let Some(message) = workers[k].work(&mut clock) else {
                        break;
                    };
                    // Prepared by the worker's first draws, then the same.
                    if let Some(plan) = workers[k].plan.clone() {
                        let first = plans[k].get_or_insert_with(|| plan.clone());
                        assert!(Arc::ptr_eq(first, &plan), "worker {k} prepared again");
                    }
                    match Reply::decode_message(message).unwrap() {
                        Reply::Step {
                            step: Step::Swept(_),
                            ..
                        } => sweeps += 1,
                        Reply::Step {
                            step: Step::Part(d),
                            ..
                        } => {
                            made[k] += d.len();
                            drawn.push(d);
                            if let Some(range) = dealer.deal() {
                                workers[k].receive(&whole.share(range).encode());
                            }
                        }
                        Reply::Step {
                            step: Step::Drawn { .. },
                            ..
                        } => {}
                        other => panic!("{other:?}"),
                    }
                }
            }
        }
        assert_eq!(sweeps, 1, "only the range from the first draw sweeps");
        assert!(made[0] > made[1], "the faster worker drew more: {made:?}");
        assert_eq!(made[0] + made[1], 10_000);
        let merged = crate::model::merge(13, drawn).unwrap();
        assert_eq!(
            merged,
            monte_carlo(&state.scenario, &state.assumptions, 10_000, 13)
        );
    }

    /// A worker keeps a run's plan for the next run with the same figures,
    /// draws and seed (the inputs alone changed), and prepares a new one
    /// when the figures, the draws or the seed change: every run's result
    /// is the model's own for its figures.
    #[test]
    fn a_worker_reuses_a_plan_only_for_the_same_figures_draws_and_seed() {
        let mut worker = WorkerLoop::new();
        let mut clock = || 0.0;
        let mut finish = |worker: &mut WorkerLoop, request: &Request| {
            assert_eq!(worker.receive(&request.encode()), None);
            let mut last = None;
            while let Some(message) = worker.work(&mut clock) {
                last = Some(Reply::decode_message(message).unwrap());
            }
            let Some(Reply::Step {
                step: Step::Finished(result),
                ..
            }) = last
            else {
                panic!("{last:?}");
            };
            assert_eq!(
                result,
                monte_carlo(
                    &request.state.scenario,
                    &request.state.assumptions,
                    request.draws,
                    request.seed
                )
            );
            worker.plan.clone().unwrap()
        };
        let first = finish(&mut worker, &Request::whole(1, busy_state(), 1_200, 7));
        let mut other_inputs = busy_state();
        other_inputs
            .scenario
            .set(NumField::AvgRps, 3_000.0)
            .unwrap();
        let same = finish(&mut worker, &Request::whole(2, other_inputs, 1_200, 7));
        assert!(Arc::ptr_eq(&first, &same), "inputs alone changed");

        let mut other_figures = busy_state();
        // A figure's range narrowed: its high end halfway to its typical.
        let set = &other_figures.assumptions;
        let id = set
            .figures()
            .find(|id| set.get(*id).high > set.get(*id).typical)
            .unwrap();
        let mut figure = set.get(id).clone();
        figure.high = (figure.typical + figure.high) / 2.0;
        other_figures.assumptions.set(id, figure).unwrap();
        let mut plans = vec![same];
        for request in [
            Request::whole(3, other_figures, 1_200, 7),
            Request::whole(4, busy_state(), 1_300, 7),
            Request::whole(5, busy_state(), 1_300, 8),
        ] {
            let plan = finish(&mut worker, &request);
            assert!(
                plans.iter().all(|p| !Arc::ptr_eq(p, &plan)),
                "job {} prepared its own plan",
                request.id
            );
            plans.push(plan);
        }
    }

    #[test]
    fn the_sets_of_cheapest_stacks_are_read_only_as_written() {
        let read = |text: &str, draws: u64| decode_sets(&mut Tokens::new(text), draws);
        // Fastify and Hybrid (bits 2 and 4) in 9 draws, Express alone in 1.
        let sets = read("2 2 1 20 9", 10).unwrap();
        assert_eq!(sets.counted().collect::<Vec<_>>(), [(2, 1), (20, 9)]);
        let mut out = String::new();
        encode_sets(&mut out, &sets);
        assert_eq!(out.trim(), "2 2 1 20 9");
        for (text, why) in [
            ("2 20 9 2 1", "out of order at 2"),
            ("2 2 1 2 9", "out of order at 2"),
            ("1 0 10", "0 is not a set of stacks"),
            ("1 32 10", "32 is not a set of stacks"),
            ("1 2 9", "count 9 draws, not 10"),
            (
                "3 2 1",
                "3 sets of cheapest stacks announced, the message is too short",
            ),
        ] {
            let err = read(text, 10).unwrap_err();
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn a_part_whose_draws_do_not_match_its_text_is_refused() {
        let mut job = Request::whole(1, busy_state(), 10, 3)
            .share(5..10)
            .job(None);
        let Some(Step::Part(drawn)) = run(&mut job).pop() else {
            panic!("a part ends with its draws");
        };
        let message = Reply::Step {
            id: 1,
            step: Step::Part(drawn),
            ms: 0.5,
        }
        .message();
        assert_eq!(message.values.len(), 5 * 3 * 5);
        assert!(Reply::decode_message(message.clone()).is_ok());
        let mut short = message.clone();
        short.values.pop();
        let why = Reply::decode_message(short).unwrap_err().0;
        assert!(why.contains("74 figures, not 75"), "{why}");
        assert!(Reply::decode(&message.text).is_err(), "no draws beside it");
        // The sets of cheapest stacks count each of the five draws once.
        let (head, last) = message.text.rsplit_once(' ').unwrap();
        let bumped = format!("{head} {}", last.parse::<u64>().unwrap() + 1);
        let why = Reply::decode_message(Message {
            text: bumped,
            ..message.clone()
        })
        .unwrap_err()
        .0;
        assert!(
            why.contains("the sets of cheapest stacks count 6 draws, not 5"),
            "{why}"
        );
        let huge = message
            .text
            .replacen("part 1 0.5 5 ", "part 1 0.5 99999999999 ", 1);
        let why = Reply::decode_message(Message {
            text: huge,
            ..message.clone()
        })
        .unwrap_err()
        .0;
        assert!(why.contains("more than 1000000"), "{why}");
        let more = message.text.replacen("part 1 0.5 5 ", "part 1 0.5 6 ", 1);
        assert!(Reply::decode_message(Message {
            text: more,
            ..message
        })
        .is_err());
    }

    #[test]
    fn replies_that_are_not_whole_are_refused_not_trusted() {
        let mut job = Job::new(1, busy_state(), 10, 77);
        let steps = run(&mut job);
        let finished = Reply::Step {
            id: 1,
            step: steps[steps.len() - 1].clone(),
            ms: 0.5,
        }
        .encode();
        let swept = Reply::Step {
            id: 1,
            step: steps[0].clone(),
            ms: 0.5,
        }
        .encode();
        let (first, second) = (Stack::ALL[0].key(), Stack::ALL[1].key());
        let bad = [
            finished.replacen(&format!(" {second} "), " cobol ", 1),
            // Out of order would make MonteCarlo::stack answer for another.
            finished.replacen(
                &format!(" {second} "),
                &format!(" {} ", Stack::ALL[0].key()),
                1,
            ),
            finished.replacen(&format!(" 5 {first} "), &format!(" 4 {first} "), 1),
            finished.replacen(
                &format!(" 5 {first} "),
                &format!(" 99999999999 {first} "),
                1,
            ),
            format!("{finished} 1"),
            finished.rsplit_once(' ').unwrap().0.to_string(),
            swept.replacen(" input:", " nonsense:", 1),
            swept.replacen(" input:", " figure:", 1),
            finished.replacen("finished", "other", 1),
            String::new(),
            "ready".to_string(),
            "ready one".to_string(),
            "refused x why".to_string(),
        ];
        for text in bad {
            assert!(Reply::decode(&text).is_err(), "{text}");
        }
    }

    #[test]
    fn a_newer_request_replaces_the_running_job_between_steps() {
        let mut worker = WorkerLoop::new();
        let mut clock = {
            let mut t = 0.0;
            move || {
                t += 1.0;
                t
            }
        };
        let first = Request::whole(1, busy_state(), 5_000, 1);
        assert_eq!(worker.receive(&first.encode()), None);
        let mut ids = Vec::new();
        for _ in 0..2 {
            let text = worker.work(&mut clock).unwrap().text;
            let Ok(Reply::Step { id, ms, .. }) = Reply::decode(&text) else {
                panic!("{text}");
            };
            assert_eq!(ms, 1.0, "timed with the clock given");
            ids.push(id);
        }
        let second = Request::whole(2, State::default(), 1_500, 2);
        assert_eq!(worker.receive(&second.encode()), None);
        let mut last = None;
        while worker.busy() {
            let text = worker.work(&mut clock).unwrap().text;
            let Ok(Reply::Step { id, step, .. }) = Reply::decode(&text) else {
                panic!("{text}");
            };
            ids.push(id);
            last = Some(step);
        }
        assert_eq!(ids, [1, 1, 2, 2, 2], "job 1 stops as soon as job 2 arrives");
        assert_eq!(
            last,
            Some(Step::Finished(monte_carlo(
                &second.state.scenario,
                &second.state.assumptions,
                1_500,
                2
            )))
        );
        assert_eq!(worker.work(&mut clock), None, "idle once finished");

        // A bad message is refused, and does not stop the running job.
        assert_eq!(worker.receive(&first.encode()), None);
        let refusal = worker.receive("job 1 9 0 1 v=1").unwrap();
        assert!(matches!(
            Reply::decode(&refusal),
            Ok(Reply::Refused { id: Some(9), .. })
        ));
        assert!(worker.busy());
    }
}
