//! "Your measurements": the user's own load-test results as a set of figures.
//!
//! A run that kept the server's workers busy measures CPU time per request
//! directly: `workers / requests per second`. Each measured figure replaces
//! the published one for that framework; everything not measured stays
//! published and says so. A single run gets a range of +-20%, the drift the
//! shipped one-machine readings show between runs.
//!
//! What is assumed: the server, not the load tool or the network, was the
//! bottleneck (run the tool on other cores or another machine), and every
//! worker was busy. If not, the figure overstates the cost per request.
//! The Node.js speed-up and Uvicorn's access-log factor are set to 1 for a
//! measured framework: the run already used the user's own versions and
//! flags.

use std::borrow::Cow;

use super::assumptions::{Assumption, AssumptionId, AssumptionSet, FigureKind, SetKind, Unit};
use super::stack::Framework;

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
}

/// One measured run, already attributed to a framework.
#[derive(Clone, Debug, PartialEq)]
pub struct Measurement {
    /// The framework that served it.
    pub framework: Framework,
    /// What the endpoint did.
    pub class: MeasuredClass,
    /// Worker processes (or cores) the server used.
    pub workers: u32,
    /// Throughput the tool measured.
    pub requests_per_second: f64,
    /// Where it came from: tool, file name and date, in words.
    pub source: String,
}

impl Measurement {
    /// CPU time per request on one worker, µs, or an error naming the
    /// problem.
    pub fn cpu_us(&self) -> Result<f64, String> {
        if self.workers == 0 {
            return Err(format!("{}: workers must be at least 1.", self.source));
        }
        if !self.requests_per_second.is_finite() || self.requests_per_second <= 0.0 {
            return Err(format!(
                "{}: requests per second must be a positive number (got {}).",
                self.source, self.requests_per_second
            ));
        }
        let us = f64::from(self.workers) / self.requests_per_second * 1e6;
        if !us.is_finite() {
            return Err(format!(
                "{}: {} workers at {:e} requests per second give a CPU cost per request that is not a finite number.",
                self.source, self.workers, self.requests_per_second
            ));
        }
        Ok(us)
    }
}

impl AssumptionSet {
    /// The published figures with each measured one put in its place. Several
    /// runs of the same framework and class give their range (and their mean
    /// as typical). Refuses the whole set, naming the run, if any run is
    /// impossible.
    pub fn with_measurements(runs: &[Measurement]) -> Result<AssumptionSet, String> {
        let mut set = AssumptionSet::shipped(SetKind::Measured);
        if runs.is_empty() {
            return Err("No measured runs to use.".into());
        }
        for fw in Framework::ALL {
            for class in [MeasuredClass::Json, MeasuredClass::Io] {
                let mine: Vec<&Measurement> = runs
                    .iter()
                    .filter(|r| r.framework == fw && r.class == class)
                    .collect();
                if mine.is_empty() {
                    continue;
                }
                let costs = mine
                    .iter()
                    .map(|r| r.cpu_us())
                    .collect::<Result<Vec<f64>, String>>()?;
                let mean = costs.iter().sum::<f64>() / costs.len() as f64;
                let (lo, hi) = if costs.len() == 1 {
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
                let text = format!(
                    "Your measurement: {} ({} run{}; workers / requests per second).",
                    sources.join("; "),
                    costs.len(),
                    if costs.len() == 1 {
                        ", range +-20%"
                    } else {
                        "s, their range"
                    }
                );
                set.set(
                    AssumptionId::Framework(fw, class.figure()),
                    Assumption {
                        low: lo,
                        typical: mean,
                        high: hi,
                        unit: Unit::MicrosPerRequest,
                        source: Cow::Owned(text),
                    },
                )
                .map_err(|e| format!("{e} (low {lo}, typical {mean}, high {hi} µs)"))?;
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
        }
        Ok(set)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(fw: Framework, rps: f64) -> Measurement {
        Measurement {
            framework: fw,
            class: MeasuredClass::Json,
            workers: 2,
            requests_per_second: rps,
            source: "wrk, run.txt, 2026-11-27".into(),
        }
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
