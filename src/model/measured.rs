//! "Your measurements": the user's own load-test results as a set of figures.
//!
//! A run that kept the server's workers busy measures CPU time per request
//! directly: `workers / requests per second`. Each measured figure replaces
//! the published one for that framework; everything not measured stays
//! published and says so. A single run gets a range of +-20%, the drift the
//! shipped one-machine readings show between runs.
//!
//! Runs of one framework and endpoint at several worker counts are fitted
//! with the Universal Scalability Law ([`fit_runs`], through
//! [`super::usl_fit`]). A usable fit replaces those runs: its throughput of
//! one process `γ` gives the CPU per request (`1 / γ`), and its contention
//! `σ` and coherency `κ` become the framework's own USL coefficients
//! ([`FigureKind::UslAlpha`], [`FigureKind::UslBeta`]), so its processes per
//! instance stop at the fitted peak. A fit's ranges are its 90% intervals
//! (`estimate ± t(0.95, n - 3) × standard error`, the width of every range
//! in Stackwise) and the CPU per request's is `1 / γ` at the ends of `γ`'s;
//! the Monte Carlo so carries the fit's uncertainty. Runs whose load counts
//! concurrent users are fitted for the page to show, and set no figure: they
//! describe one server under rising load, not how its processes scale.
//!
//! What is assumed: the server, not the load tool or the network, was the
//! bottleneck (run the tool on other cores or another machine), and every
//! worker was busy. If not, the figure overstates the cost per request.
//! The Node.js speed-up and Uvicorn's access-log factor are set to 1 for a
//! measured framework: the run already used the user's own versions and
//! flags.

use std::borrow::Cow;

use super::assumptions::{Assumption, AssumptionId, AssumptionSet, FigureKind, SetKind, Unit};
use super::format::{significant, whole, with_unit};
use super::stack::Framework;
use super::usl_fit::{fit, FitError, UslFit};

/// Range given to a single measured reading, as a share either side.
pub const SINGLE_RUN_SPREAD: f64 = 0.2;

/// Which kind of request a run measured.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MeasuredClass {
    /// A JSON or validated-JSON endpoint: sets the JSON/CRUD cost.
    Json,
    /// An endpoint that awaits I/O: sets the I/O-bound cost.
    Io,
}

impl MeasuredClass {
    /// The figure it sets.
    pub fn figure(self) -> FigureKind {
        match self {
            MeasuredClass::Json => FigureKind::JsonCpuUs,
            MeasuredClass::Io => FigureKind::IoCpuUs,
        }
    }
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            MeasuredClass::Json => "JSON / CRUD endpoint",
            MeasuredClass::Io => "I/O-bound endpoint",
        }
    }
    /// Stable key, also the endpoint name of a run attributed by hand.
    pub fn key(self) -> &'static str {
        match self {
            MeasuredClass::Json => "json",
            MeasuredClass::Io => "io",
        }
    }
}

/// What a run's load counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LoadKind {
    /// The server's worker processes (or cores): the model's processes.
    Workers,
    /// Concurrent users (or connections) of the load tool, at one server.
    Users,
}

impl LoadKind {
    /// Label shown to the user, plural.
    pub fn label(self) -> &'static str {
        match self {
            LoadKind::Workers => "worker processes or cores",
            LoadKind::Users => "concurrent users",
        }
    }
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            LoadKind::Workers => "workers",
            LoadKind::Users => "users",
        }
    }
    /// `"1 worker"`, `"4 workers"`, `"18 users"`.
    pub fn count(self, n: u32) -> String {
        let noun = match self {
            LoadKind::Workers => "worker",
            LoadKind::Users => "user",
        };
        format!("{n} {noun}{}", if n == 1 { "" } else { "s" })
    }
}

/// One measured run, already attributed to a framework.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The framework that served it.
    pub framework: Framework,
    /// What the endpoint did.
    pub class: MeasuredClass,
    /// The endpoint as its file names it (`json`, `post`, `io`), the
    /// class's key for a tool's file attributed by hand, or the class's key
    /// and the file's name for the rows of a CSV (`json (runs.csv)`): runs
    /// of one framework and endpoint are fitted together.
    pub endpoint: String,
    /// The load the run was made at: worker processes (or cores) of the
    /// server, or concurrent users, as [`Measurement::load_kind`] says; at
    /// least 1.
    pub load: u32,
    /// What [`Measurement::load`] counts.
    pub load_kind: LoadKind,
    /// Throughput the tool measured, req/s.
    pub requests_per_second: f64,
    /// The 99th percentile of latency the run measured, ms, where it
    /// reported one (not another percentile in its place).
    pub latency_p99_ms: Option<f64>,
    /// Concurrent connections the load tool held, where known.
    pub connections: Option<u32>,
    /// Where it came from: tool, file name and date, in words.
    pub source: String,
}

impl Measurement {
    /// CPU time per request on one worker, µs, or an error naming the
    /// problem (a run at a number of users has none).
    pub fn cpu_us(&self) -> Result<f64, String> {
        if self.load_kind == LoadKind::Users {
            return Err(format!(
                "{}: a run at {} gives no CPU per request; only runs at a number of workers do.",
                self.source,
                self.load_kind.count(self.load)
            ));
        }
        if self.load == 0 {
            return Err(format!("{}: workers must be at least 1.", self.source));
        }
        if !self.requests_per_second.is_finite() || self.requests_per_second <= 0.0 {
            return Err(format!(
                "{}: requests per second must be a positive number (got {}).",
                self.source, self.requests_per_second
            ));
        }
        let us = f64::from(self.load) / self.requests_per_second * 1e6;
        if !us.is_finite() {
            return Err(format!(
                "{}: {} at {:e} requests per second give a CPU cost per request that is not a finite number.",
                self.source,
                with_unit(&self.load.to_string(), "workers"),
                self.requests_per_second
            ));
        }
        Ok(us)
    }
}

/// The runs of one framework and endpoint at several loads, fitted.
#[derive(Clone, Debug, PartialEq)]
pub struct RunFit {
    /// The framework the runs measured.
    pub framework: Framework,
    /// What the endpoint did.
    pub class: MeasuredClass,
    /// The endpoint, as the runs name it.
    pub endpoint: String,
    /// What the loads count.
    pub load_kind: LoadKind,
    /// `(load, req/s)` of each run, in import order.
    pub points: Vec<(f64, f64)>,
    /// The fit, or why there is none (fewer than three distinct loads, ...).
    pub fit: Result<UslFit, FitError>,
}

/// The three figures a usable fit gives "Your measurements", each `(low,
/// typical, high)`: 90% intervals, as every range in Stackwise.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FittedFigures {
    /// CPU per request of one process, µs: `1e6 / γ`, its range `1e6 /` the
    /// ends of `γ`'s interval.
    pub cpu_us: (f64, f64, f64),
    /// Contention `σ` (the model's α), its interval cut at 0 and 1.
    pub alpha: (f64, f64, f64),
    /// Coherency `κ` (the model's β), its interval cut at 0 and 1.
    pub beta: (f64, f64, f64),
}

impl RunFit {
    /// `"FastAPI, json"`.
    pub fn label(&self) -> String {
        format!("{}, {}", self.framework.label(), self.endpoint)
    }

    /// The lowest and highest load of the runs.
    pub fn load_span(&self) -> (f64, f64) {
        self.points
            .iter()
            .fold((f64::INFINITY, 0.0_f64), |(lo, hi), p| {
                (lo.min(p.0), hi.max(p.0))
            })
    }

    /// The figures the fit gives, or, in a sentence, why it gives none: no
    /// fit, a load of users, no interval (as many runs as coefficients), an
    /// interval of `γ` that reaches 0, or a figure outside what Stackwise
    /// allows.
    pub fn figures(&self) -> Result<FittedFigures, String> {
        let u = self.fit.as_ref().map_err(ToString::to_string)?;
        if self.load_kind == LoadKind::Users {
            return Err("its load counts concurrent users: the fit describes one server under rising load, not how its processes scale, so it sets no figure".into());
        }
        let Some([sigma, kappa, gamma]) = u.interval_90() else {
            return Err(format!(
                "{} runs fit three coefficients exactly and leave no interval; add a run at another load to use it",
                u.points
            ));
        };
        if gamma.0 <= 0.0 {
            return Err(format!(
                "the 90% interval of one process's throughput reaches 0 ({} ± {} req/s): too uncertain to use; add runs",
                significant(u.gamma),
                significant(u.gamma - gamma.0)
            ));
        }
        let figures = FittedFigures {
            cpu_us: (1e6 / gamma.1, 1e6 / u.gamma, 1e6 / gamma.0),
            alpha: (sigma.0.max(0.0), u.sigma, sigma.1.min(1.0)),
            beta: (kappa.0.max(0.0), u.kappa, kappa.1.min(1.0)),
        };
        for (kind, (low, typical, high)) in [
            (self.class.figure(), figures.cpu_us),
            (FigureKind::UslAlpha, figures.alpha),
            (FigureKind::UslBeta, figures.beta),
        ] {
            let id = AssumptionId::Framework(self.framework, kind);
            let (min, max, why) = id.valid_range();
            if [low, typical, high]
                .iter()
                .any(|v| !v.is_finite() || *v < min || *v > max)
            {
                return Err(format!(
                    "it gives {} of {} to {}, outside {} to {} ({why})",
                    kind.label().to_ascii_lowercase(),
                    significant(low),
                    significant(high),
                    significant(min),
                    significant(max)
                ));
            }
        }
        Ok(figures)
    }
}

/// The fits of a list of runs: one per framework, endpoint and kind of
/// load with two runs or more, in the order first imported (a group of one
/// run is no attempt at a fit). A group with fewer than three distinct
/// loads gets no fit and says so ([`FitError::TooFewLoads`]).
pub fn fit_runs(runs: &[Measurement]) -> Vec<RunFit> {
    let mut groups: Vec<RunFit> = Vec::new();
    for run in runs {
        let point = (f64::from(run.load), run.requests_per_second);
        match groups.iter_mut().find(|g| {
            g.framework == run.framework
                && g.class == run.class
                && g.endpoint == run.endpoint
                && g.load_kind == run.load_kind
        }) {
            Some(g) => g.points.push(point),
            None => groups.push(RunFit {
                framework: run.framework,
                class: run.class,
                endpoint: run.endpoint.clone(),
                load_kind: run.load_kind,
                points: vec![point],
                fit: Err(FitError::TooFewLoads { distinct: 1 }),
            }),
        }
    }
    groups.retain(|g| g.points.len() > 1);
    for g in &mut groups {
        g.fit = fit(&g.points);
    }
    groups
}

/// A fit as the page shows it, in words and numbers with their units.
#[derive(Clone, Debug, PartialEq)]
pub struct FitSummary {
    /// "FastAPI, json: 6 runs at 1 to 6 workers".
    pub heading: String,
    /// `(what, value)` per coefficient: σ, κ and γ with their 95%
    /// intervals, the peak, R². Empty without a fit.
    pub rows: Vec<(String, String)>,
    /// What the fit sets in "Your measurements", or why it sets nothing.
    pub verdict: String,
    /// Whether it sets any figure.
    pub used: bool,
}

/// `"0.0277 (95% interval 0.0067 to 0.0487)"`, or the value alone with why
/// there is no interval.
fn with_interval(value: f64, (low, high): (f64, f64), unit: &str) -> String {
    if low.is_finite() && high.is_finite() {
        format!(
            "{}{unit} (95% interval {} to {}{unit})",
            significant(value),
            significant(low),
            significant(high)
        )
    } else {
        format!(
            "{}{unit} (no interval: as many runs as coefficients)",
            significant(value)
        )
    }
}

/// The fits of `runs` as the page shows them, in the order of
/// [`fit_runs`]: each fit's coefficients with their 95% intervals, its peak
/// and R², and what it sets in "Your measurements" (with the 90% ranges it
/// gives the figures), or why it sets nothing.
pub fn fit_summaries(runs: &[Measurement]) -> Vec<FitSummary> {
    let fits = fit_runs(runs);
    fits.iter()
        .map(|f| {
            let (lo, hi) = f.load_span();
            let heading = format!(
                "{}: {} at {} to {}",
                f.label(),
                with_unit(&f.points.len().to_string(), "runs"),
                whole(lo),
                f.load_kind.count(hi.round() as u32)
            );
            let rows = match &f.fit {
                Ok(u) => {
                    let count = |n: f64| {
                        let unit = match f.load_kind {
                            LoadKind::Workers => "workers",
                            LoadKind::Users => "users",
                        };
                        with_unit(&significant(n), unit)
                    };
                    vec![
                        (
                            "Contention σ".to_string(),
                            with_interval(u.sigma, u.interval[0], ""),
                        ),
                        (
                            "Coherency κ".to_string(),
                            with_interval(u.kappa, u.interval[1], ""),
                        ),
                        (
                            "Throughput of one unit γ".to_string(),
                            with_interval(u.gamma, u.interval[2], " req/s"),
                        ),
                        (
                            "Peak N* = sqrt((1 − σ) / κ)".to_string(),
                            match u.peak() {
                                Some((n, x)) => format!("{}, {} req/s", count(n), whole(x)),
                                None => "none: κ is 0, throughput keeps rising".to_string(),
                            },
                        ),
                        ("R²".to_string(), significant(u.r_squared)),
                    ]
                }
                Err(_) => Vec::new(),
            };
            let (verdict, used) = match (&f.fit, f.figures()) {
                (Err(e), _) => (format!("No fit: {e}."), false),
                (Ok(_), Err(why)) => (format!("Shown, not used: {why}."), false),
                (Ok(_), Ok(figures)) => {
                    let sets_coefficients = coefficient_fits(&fits, f.framework)
                        .iter()
                        .any(|c| std::ptr::eq(*c, f));
                    let (c_lo, c_typ, c_hi) = figures.cpu_us;
                    let mut text = format!(
                        "Sets {}'s {} in \"Your measurements\": 1 / γ = {} µs (90% range {} to {} µs)",
                        f.framework.label(),
                        f.class.figure().label(),
                        significant(c_typ),
                        significant(c_lo),
                        significant(c_hi)
                    );
                    if sets_coefficients {
                        text.push_str(&format!(
                            ", and its own USL coefficients: α = σ, 90% range {} to {}; β = κ, 90% range {} to {}",
                            significant(figures.alpha.0),
                            significant(figures.alpha.2),
                            significant(figures.beta.0),
                            significant(figures.beta.2)
                        ));
                    }
                    text.push('.');
                    (text, true)
                }
            };
            FitSummary {
                heading,
                rows,
                verdict,
                used,
            }
        })
        .collect()
}

/// The fits that give framework `fw` its own USL coefficients: its usable
/// fits of JSON endpoints, else of I/O endpoints.
fn coefficient_fits(fits: &[RunFit], fw: Framework) -> Vec<&RunFit> {
    let usable = |class: MeasuredClass| -> Vec<&RunFit> {
        fits.iter()
            .filter(|f| f.framework == fw && f.class == class && f.figures().is_ok())
            .collect()
    };
    let json = usable(MeasuredClass::Json);
    if json.is_empty() {
        usable(MeasuredClass::Io)
    } else {
        json
    }
}

/// `(low, typical, high)` of several ranges: the lowest low, the mean of
/// the typicals, the highest high.
fn combined(ranges: impl Iterator<Item = (f64, f64, f64)>) -> (f64, f64, f64) {
    let (mut low, mut sum, mut high, mut n) = (f64::INFINITY, 0.0, 0.0_f64, 0.0);
    for (l, t, h) in ranges {
        low = low.min(l);
        sum += t;
        high = high.max(h);
        n += 1.0;
    }
    (low, sum / n, high)
}

/// What a fitted figure's source says of its range.
const FIT_RANGE: &str = "the range is its 90% interval, estimate ± t(0.95, n - 3) × the fit's standard error (the fit reports 95% intervals; Stackwise's ranges are 5th to 95th percentiles)";

/// `"fastapi/json at 1-4 workers (7 runs, R² 0.998)"` for each fit.
fn fits_named(fits: &[(&RunFit, FittedFigures)]) -> String {
    fits.iter()
        .map(|(f, _)| {
            let (lo, hi) = f.load_span();
            let r2 = f.fit.as_ref().map_or(f64::NAN, |u| u.r_squared);
            format!(
                "{}/{} at {}-{} workers ({} runs, R² {})",
                f.framework.key(),
                f.endpoint,
                whole(lo),
                whole(hi),
                f.points.len(),
                significant(r2)
            )
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl AssumptionSet {
    /// The published figures with each measured one put in its place. Runs
    /// of a framework and class with a usable fit ([`RunFit::figures`]) give
    /// the figure through it; otherwise several runs give their range (and
    /// their mean as typical), a single run ±20%. A framework's usable fits
    /// of its JSON endpoints (else of its I/O endpoints) give its own USL
    /// coefficients. Runs whose load counts users set nothing. Refuses the
    /// whole set, naming the run, if any run is impossible.
    pub fn with_measurements(runs: &[Measurement]) -> Result<AssumptionSet, String> {
        let mut set = AssumptionSet::shipped(SetKind::Measured);
        if runs.is_empty() {
            return Err("No measured runs to use.".into());
        }
        let fits = fit_runs(runs);
        let usable = |fw: Framework, class: MeasuredClass| -> Vec<(&RunFit, FittedFigures)> {
            fits.iter()
                .filter(|f| f.framework == fw && f.class == class)
                .filter_map(|f| f.figures().ok().map(|figures| (f, figures)))
                .collect()
        };
        for fw in Framework::ALL {
            for class in [MeasuredClass::Json, MeasuredClass::Io] {
                let fitted = usable(fw, class);
                let figure = if fitted.is_empty() {
                    match Self::from_runs(runs, fw, class)? {
                        Some(a) => a,
                        None => continue,
                    }
                } else {
                    let (low, typical, high) = combined(fitted.iter().map(|(_, f)| f.cpu_us));
                    Assumption {
                        low,
                        typical,
                        high,
                        unit: Unit::MicrosPerRequest,
                        source: Cow::Owned(format!(
                            "Your measurement: 1 / γ, the throughput of one process fitted by the Universal Scalability Law to {}: γ = {} req/s; {FIT_RANGE}, and 1 / γ at its ends.",
                            fits_named(&fitted),
                            fitted
                                .iter()
                                .map(|(f, _)| f.fit.as_ref().map_or("–".into(), |u| significant(u.gamma)))
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    }
                };
                let id = AssumptionId::Framework(fw, class.figure());
                set.set(id, figure.clone()).map_err(|e| {
                    format!(
                        "{e} (low {}, typical {}, high {} µs)",
                        figure.low, figure.typical, figure.high
                    )
                })?;
                let neutral = |what: &str| Assumption {
                    low: 1.0,
                    typical: 1.0,
                    high: 1.0,
                    unit: Unit::Multiplier,
                    source: Cow::Owned(format!(
                        "Measured on your own {what}: no adjustment applied."
                    )),
                };
                let knob = if fw.on_node() {
                    (FigureKind::Node24Speedup, neutral("Node.js version"))
                } else {
                    (FigureKind::AccessLogFactor, neutral("Uvicorn flags"))
                };
                set.set(AssumptionId::Framework(fw, knob.0), knob.1)?;
            }
            let fitted: Vec<(&RunFit, FittedFigures)> = coefficient_fits(&fits, fw)
                .into_iter()
                .filter_map(|f| f.figures().ok().map(|figures| (f, figures)))
                .collect();
            if fitted.is_empty() {
                continue;
            }
            for kind in [FigureKind::UslAlpha, FigureKind::UslBeta] {
                let (name, (low, typical, high)) = if kind == FigureKind::UslAlpha {
                    (
                        "contention σ",
                        combined(fitted.iter().map(|(_, f)| f.alpha)),
                    )
                } else {
                    ("coherency κ", combined(fitted.iter().map(|(_, f)| f.beta)))
                };
                let a = Assumption {
                    low,
                    typical,
                    high,
                    unit: Unit::Coefficient,
                    source: Cow::Owned(format!(
                        "Your measurement: {name} fitted by the Universal Scalability Law (least squares, as R's usl package) to {}; {FIT_RANGE}, cut at 0 and 1.",
                        fits_named(&fitted)
                    )),
                };
                set.set(AssumptionId::Framework(fw, kind), a)?;
            }
        }
        Ok(set)
    }

    /// The figure of framework `fw` and `class` from its runs at a number
    /// of workers, without a fit: `None` when there is none.
    fn from_runs(
        runs: &[Measurement],
        fw: Framework,
        class: MeasuredClass,
    ) -> Result<Option<Assumption>, String> {
        let mine: Vec<&Measurement> = runs
            .iter()
            .filter(|r| r.framework == fw && r.class == class && r.load_kind == LoadKind::Workers)
            .collect();
        if mine.is_empty() {
            return Ok(None);
        }
        let costs = mine
            .iter()
            .map(|r| r.cpu_us())
            .collect::<Result<Vec<f64>, String>>()?;
        let mean = costs.iter().sum::<f64>() / costs.len() as f64;
        let (low, high) = if costs.len() == 1 {
            (
                mean * (1.0 - SINGLE_RUN_SPREAD),
                mean * (1.0 + SINGLE_RUN_SPREAD),
            )
        } else {
            costs
                .iter()
                .fold((f64::INFINITY, 0.0_f64), |(a, b), c| (a.min(*c), b.max(*c)))
        };
        let sources: Vec<&str> = mine.iter().map(|r| r.source.as_str()).collect();
        Ok(Some(Assumption {
            low,
            typical: mean,
            high,
            unit: Unit::MicrosPerRequest,
            source: Cow::Owned(format!(
                "Your measurement: {} ({} run{}; workers / requests per second).",
                sources.join("; "),
                costs.len(),
                if costs.len() == 1 {
                    ", range +-20%"
                } else {
                    "s, their range"
                }
            )),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fw: Framework, rps: f64) -> Measurement {
        Measurement {
            framework: fw,
            class: MeasuredClass::Json,
            endpoint: "json".into(),
            load: 2,
            load_kind: LoadKind::Workers,
            requests_per_second: rps,
            latency_p99_ms: None,
            connections: None,
            source: "wrk, run.txt, 2026-11-27".into(),
        }
    }

    /// Runs of `fw`'s JSON endpoint at `loads` workers, from the law with
    /// `σ = 0.05`, `κ = 0.002`, `γ = 5,000 req/s`, each off by up to ±1%
    /// (a fixed pattern).
    fn sweep(fw: Framework, loads: &[u32]) -> Vec<Measurement> {
        let noise = [0.004, -0.007, 0.009, -0.002, 0.006, -0.009, 0.001, -0.004];
        loads
            .iter()
            .zip(noise.iter().cycle())
            .map(|(&n, e)| {
                let x = f64::from(n);
                let rps = 5_000.0 * x / (1.0 + 0.05 * (x - 1.0) + 0.002 * x * (x - 1.0));
                Measurement {
                    load: n,
                    requests_per_second: rps * (1.0 + e),
                    source: format!("sweep, {n} workers"),
                    ..run(fw, 1.0)
                }
            })
            .collect()
    }

    #[test]
    fn a_sweep_s_fit_sets_the_cpu_per_request_and_the_framework_s_own_coefficients() {
        let runs = sweep(Framework::FastApi, &[1, 2, 3, 4, 6, 8, 12, 16]);
        let fits = fit_runs(&runs);
        assert_eq!(fits.len(), 1);
        let u = fits[0].fit.clone().unwrap();
        let f = fits[0].figures().unwrap();
        let set = AssumptionSet::with_measurements(&runs).unwrap();
        let cpu = set.get(AssumptionId::Framework(
            Framework::FastApi,
            FigureKind::JsonCpuUs,
        ));
        // 1 / γ, about 200 µs, its range 1 / the ends of γ's 90% interval.
        assert!((cpu.typical - 1e6 / u.gamma).abs() < 1e-9, "{cpu:?}");
        assert!((cpu.typical / 200.0 - 1.0).abs() < 0.02, "{cpu:?}");
        let [_, _, gamma] = u.interval_90().unwrap();
        assert!((cpu.low - 1e6 / gamma.1).abs() < 1e-9 && (cpu.high - 1e6 / gamma.0).abs() < 1e-9);
        assert!(
            cpu.source.starts_with("Your measurement: 1 / γ"),
            "{}",
            cpu.source
        );
        assert!(cpu.source.contains("90% interval"), "{}", cpu.source);
        assert!(
            cpu.source.contains("fastapi/json at 1-16 workers (8 runs"),
            "{}",
            cpu.source
        );
        for (kind, truth, fitted) in [
            (FigureKind::UslAlpha, 0.05, f.alpha),
            (FigureKind::UslBeta, 0.002, f.beta),
        ] {
            let id = AssumptionId::Framework(Framework::FastApi, kind);
            let a = set.get(id);
            assert!(set.holds(id) && set.is_edited(id));
            assert_eq!((a.low, a.typical, a.high), fitted);
            assert!(a.low <= truth && truth <= a.high, "{kind:?}: {a:?}");
            assert_eq!(a.basis(), crate::model::Basis::Measured);
        }
        // Other frameworks keep the shared coefficients.
        let express = AssumptionId::Framework(Framework::Express, FigureKind::UslAlpha);
        assert!(!set.holds(express));
    }

    #[test]
    fn a_fit_is_summed_up_with_its_intervals_and_what_it_sets() {
        let mut runs = sweep(Framework::FastApi, &[1, 2, 3, 4, 6, 8, 12, 16]);
        runs.extend(sweep(Framework::Express, &[1, 2]));
        let summaries = fit_summaries(&runs);
        assert_eq!(summaries.len(), 2);
        let fit = &summaries[0];
        assert_eq!(fit.heading, "FastAPI, json: 8 runs at 1 to 16 workers");
        let names: Vec<&str> = fit.rows.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(
            names,
            [
                "Contention σ",
                "Coherency κ",
                "Throughput of one unit γ",
                "Peak N* = sqrt((1 − σ) / κ)",
                "R²"
            ]
        );
        assert!(fit.rows[0].1.contains("(95% interval "), "{:?}", fit.rows);
        assert!(fit.rows[2].1.ends_with(" req/s)"), "{:?}", fit.rows);
        assert!(fit.rows[3].1.contains(" workers, "), "{:?}", fit.rows);
        assert!(fit.used);
        assert!(
            fit.verdict.starts_with(
                "Sets FastAPI's CPU per JSON/CRUD request in \"Your measurements\": 1 / γ = "
            ),
            "{}",
            fit.verdict
        );
        assert!(fit
            .verdict
            .contains("its own USL coefficients: α = σ, 90% range"));
        let none = &summaries[1];
        assert!(!none.used && none.rows.is_empty());
        assert_eq!(
            none.verdict,
            "No fit: a fit needs runs at 3 or more different loads; these have 2."
        );
        // Three runs: the fit is shown without intervals, and not used.
        let exact = fit_summaries(&sweep(Framework::Fastify, &[1, 2, 4]));
        assert!(
            exact[0].rows[0].1.contains("no interval"),
            "{:?}",
            exact[0].rows
        );
        assert!(exact[0]
            .verdict
            .starts_with("Shown, not used: 3 runs fit three coefficients exactly"));
    }

    #[test]
    fn runs_at_fewer_than_three_loads_are_not_fitted() {
        let runs = sweep(Framework::Fastify, &[1, 2]);
        let fits = fit_runs(&runs);
        assert_eq!(fits[0].fit, Err(FitError::TooFewLoads { distinct: 2 }));
        let why = fits[0].figures().unwrap_err();
        assert!(why.contains("3 or more different loads"), "{why}");
        // The runs still set the CPU per request, as runs do.
        let set = AssumptionSet::with_measurements(&runs).unwrap();
        let cpu = set.get(AssumptionId::Framework(
            Framework::Fastify,
            FigureKind::JsonCpuUs,
        ));
        assert!(cpu.source.contains("2 runs, their range"), "{}", cpu.source);
        assert!(!set.holds(AssumptionId::Framework(
            Framework::Fastify,
            FigureKind::UslAlpha
        )));
        // A single run is no attempt at a fit.
        assert!(fit_runs(&runs[..1]).is_empty());
    }

    #[test]
    fn a_fit_without_an_interval_or_over_users_sets_no_figure() {
        let exact = sweep(Framework::Express, &[1, 2, 4]);
        let fits = fit_runs(&exact);
        assert!(fits[0].fit.is_ok());
        let why = fits[0].figures().unwrap_err();
        assert!(why.contains("no interval"), "{why}");
        let users: Vec<Measurement> = sweep(Framework::Express, &[1, 2, 4, 8, 16])
            .into_iter()
            .map(|r| Measurement {
                load_kind: LoadKind::Users,
                ..r
            })
            .collect();
        let fits = fit_runs(&users);
        assert!(fits[0].fit.is_ok());
        assert!(fits[0].figures().unwrap_err().contains("concurrent users"));
        // Runs over users set nothing: the set is the published one.
        let set = AssumptionSet::with_measurements(&users).unwrap();
        assert!(AssumptionId::all().all(|id| !set.is_edited(id)));
        assert!(users[0].cpu_us().is_err());
    }

    #[test]
    fn a_run_becomes_cpu_per_request() {
        let set = AssumptionSet::with_measurements(&[run(Framework::Fastify, 40_000.0)]).unwrap();
        let a = set.get(AssumptionId::Framework(
            Framework::Fastify,
            FigureKind::JsonCpuUs,
        ));
        assert!((a.typical - 50.0).abs() < 1e-9);
        assert!((a.low - 40.0).abs() < 1e-9 && (a.high - 60.0).abs() < 1e-9);
        assert!(a.source.contains("wrk, run.txt"));
        let speed = set.get(AssumptionId::Framework(
            Framework::Fastify,
            FigureKind::Node24Speedup,
        ));
        assert_eq!(speed.typical, 1.0);
        assert_eq!(set.kind, SetKind::Measured);
    }

    #[test]
    fn impossible_runs_are_refused_by_name() {
        let err = AssumptionSet::with_measurements(&[run(Framework::Express, 0.0)]).unwrap_err();
        assert!(err.contains("wrk, run.txt"), "{err}");
        assert!(AssumptionSet::with_measurements(&[]).is_err());
    }
}
