//! The model checked against a measured run: its p99 at the run's own
//! throughput, workers and connections, beside the p99 the run measured.
//!
//! The queue is the one the sizing uses ([`QueueLayout`]), for one instance
//! of the run's framework with the run's workers as its processes (Uvicorn's
//! shared socket, or one queue per Node process), serving the run's class of
//! request alone: each request holds a process for the class's CPU time from
//! the figures in use ([`framework_cost_s`]), slowed by the framework's USL
//! at that many workers, and an I/O-bound request also waits the scenario's
//! I/O time away from it. It is fed the run's measured throughput.
//!
//! A load tool holds a fixed number of connections open, each sending its
//! next request when the last one is answered: however fast requests come,
//! no more than that many are in the server, and a request waits at most
//! for all the others ahead of it. With the model's constant time per
//! request that wait is `S × max(C / c, 1)` for `C` connections on `c`
//! processes (the other `C - c` requests of a shared queue, `c` at a time;
//! or the `C / c` of a process's own queue, one at a time), plus any time
//! away. The model's p99 for a run is the open queue's, capped there; at or
//! past the model's capacity, where the open queue's wait has no end, it is
//! that cap. Without a connection count such a run has no model p99.
//!
//! A large gap between the two means the run was not at steady state, the
//! load generator shared the CPU with the server, or the model's
//! service-time figures do not fit this endpoint ([`GAP_MEANING`]).

use super::assumptions::{AssumptionSet, FigureKind, Pick};
use super::estimate::{framework_cost_s, QueueLayout};
use super::format::{significant, whole};
use super::measured::{LoadKind, MeasuredClass, Measurement};
use super::queueing::{usl_capacity, ClassTime};
use super::scenario::{Balancing, NumField, Scenario};

/// What a large gap between a run's measured p99 and the model's means, in
/// one sentence.
pub const GAP_MEANING: &str = "A large gap means the run was not at steady state, the load generator shared the CPU with the server, or the model's service-time figures do not fit this endpoint.";

/// The model's p99 at a measured run, beside the run's own.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RunCheck {
    /// The 99th percentile the run measured, ms.
    pub measured_p99_ms: f64,
    /// The model's p99 at the run's throughput, workers and connections,
    /// ms; `None` at or past the model's capacity with no connection count
    /// to bound the wait.
    pub model_p99_ms: Option<f64>,
    /// What the model gives the run's workers at full load, req/s.
    pub capacity_rps: f64,
    /// Whether the run's connections set the model's p99 (the open queue's
    /// wait was longer, or had no end at that throughput).
    pub bounded_by_connections: bool,
}

impl RunCheck {
    /// Measured over model p99; `None` where the model gives none or 0.
    pub fn ratio(&self) -> Option<f64> {
        self.model_p99_ms
            .filter(|m| *m > 0.0)
            .map(|m| self.measured_p99_ms / m)
    }
}

/// The model's p99 at `run`, with the figures of `set` at their typical
/// values and the scenario `s` (its Node.js version and Uvicorn flags, its
/// I/O wait). `None` for a run without a measured p99, or whose load
/// counts users rather than workers.
pub fn check_run(run: &Measurement, s: &Scenario, set: &AssumptionSet) -> Option<RunCheck> {
    let measured_p99_ms = run.latency_p99_ms?;
    if run.load_kind != LoadKind::Workers || run.load == 0 {
        return None;
    }
    let f = set.resolve(Pick::Typical);
    let fw = run.framework;
    let workers = f64::from(run.load);
    let alpha = f.of(fw, FigureKind::UslAlpha).clamp(0.0, 1.0);
    let beta = f.of(fw, FigureKind::UslBeta).max(0.0);
    // Contention and coherency slow each process down, as in the sizing.
    let slowdown = workers / usl_capacity(workers, alpha, beta).max(1e-9);
    let service_s = framework_cost_s(fw, run.class.figure(), s, &f) * slowdown;
    let away_s = match run.class {
        MeasuredClass::Json => 0.0,
        MeasuredClass::Io => s.get(NumField::IoWaitMs) * 1e-3,
    };
    let classes = [ClassTime {
        share: 1.0,
        service_s,
        outside_s: away_s,
    }];
    let layout = QueueLayout::new(Balancing::RoundRobin, !fw.on_node(), 1, u64::from(run.load));
    let mu = 1.0 / service_s.max(1e-12);
    let open_s = layout.p99_s(&classes, mu, run.requests_per_second, 0.0);
    let cap_s = run
        .connections
        .map(|c| service_s * (f64::from(c) / workers).max(1.0) + away_s);
    let (model_s, bounded) = match cap_s {
        Some(cap) if open_s.is_nan() || open_s > cap => (Some(cap), true),
        _ => (open_s.is_finite().then_some(open_s), false),
    };
    Some(RunCheck {
        measured_p99_ms,
        model_p99_ms: model_s.map(|v| v * 1e3),
        capacity_rps: workers * mu,
        bounded_by_connections: bounded,
    })
}

/// One run of the check as the page shows it, with units.
#[derive(Clone, Debug, PartialEq)]
pub struct CheckRow {
    /// The run: "FastAPI json, 1 worker, 64 connections, 4,759 req/s".
    pub run: String,
    /// The p99 it measured: "58.4 ms".
    pub measured: String,
    /// The model's p99 there, or "none".
    pub model: String,
    /// Measured over model: "4.15x", or "–".
    pub ratio: String,
    /// How the model's p99 was reached, when it matters.
    pub note: Option<String>,
}

/// The check of every run of `runs` that has one ([`check_run`]), in
/// order, as the page lists it.
pub fn check_rows(runs: &[Measurement], s: &Scenario, set: &AssumptionSet) -> Vec<CheckRow> {
    runs.iter()
        .filter_map(|run| check_run(run, s, set).map(|c| (run, c)))
        .map(|(run, c)| {
            let connections = run.connections.map_or(String::new(), |k| {
                format!(", {} connection{}", whole(f64::from(k)), if k == 1 { "" } else { "s" })
            });
            let note = if c.bounded_by_connections {
                Some(format!(
                    "at or past the model's capacity of {} req/s: the wait behind the run's connections",
                    whole(c.capacity_rps)
                ))
            } else if c.model_p99_ms.is_none() {
                Some(format!(
                    "at or past the model's capacity of {} req/s, and the run does not say how many connections it held",
                    whole(c.capacity_rps)
                ))
            } else {
                None
            };
            CheckRow {
                run: format!(
                    "{} {}, {}{connections}, {} req/s",
                    run.framework.label(),
                    run.endpoint,
                    run.load_kind.count(run.load),
                    whole(run.requests_per_second)
                ),
                measured: format!("{} ms", significant(c.measured_p99_ms)),
                model: c
                    .model_p99_ms
                    .map_or("none".to_string(), |m| format!("{} ms", significant(m))),
                ratio: c
                    .ratio()
                    .map_or("–".to_string(), |r| format!("{}x", significant(r))),
                note,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Framework;

    fn run(class: MeasuredClass, workers: u32, rps: f64, connections: Option<u32>) -> Measurement {
        Measurement {
            framework: Framework::Fastify,
            class,
            endpoint: class.key().into(),
            load: workers,
            load_kind: LoadKind::Workers,
            requests_per_second: rps,
            latency_p99_ms: Some(20.0),
            connections,
            source: "wrk, test".into(),
        }
    }

    /// A set where Fastify's JSON request costs exactly `us` µs, neither
    /// contention nor coherency slows it, and Node 24 changes nothing.
    fn fastify_at(us: f64) -> (Scenario, AssumptionSet) {
        let mut set = AssumptionSet::published();
        for (kind, v) in [
            (FigureKind::JsonCpuUs, us),
            (FigureKind::IoCpuUs, us),
            (FigureKind::Node24Speedup, 1.0),
            (FigureKind::UslAlpha, 0.0),
            (FigureKind::UslBeta, 0.0),
        ] {
            let id = crate::model::AssumptionId::Framework(Framework::Fastify, kind);
            set.set(id, set.get(id).pinned(v)).unwrap();
        }
        (Scenario::default(), set)
    }

    #[test]
    fn a_saturated_run_waits_behind_its_connections() {
        // 100 µs a request, 2 Node processes (a queue each), 64 connections
        // at 25,000 req/s, past the 20,000 the model gives them: each
        // request waits behind the 32 of its process's queue, 3.2 ms.
        let (s, set) = fastify_at(100.0);
        let check = check_run(&run(MeasuredClass::Json, 2, 25_000.0, Some(64)), &s, &set).unwrap();
        assert!((check.capacity_rps - 20_000.0).abs() < 1e-6);
        assert!(check.bounded_by_connections);
        assert!(
            (check.model_p99_ms.unwrap() - 3.2).abs() < 1e-9,
            "{check:?}"
        );
        assert!((check.ratio().unwrap() - 20.0 / 3.2).abs() < 1e-9);
        // Without a connection count there is no model p99.
        let none = check_run(&run(MeasuredClass::Json, 2, 25_000.0, None), &s, &set).unwrap();
        assert_eq!(none.model_p99_ms, None);
        assert_eq!(none.ratio(), None);
    }

    #[test]
    fn below_capacity_it_is_the_sizing_s_queue() {
        // At half the capacity the open queue's p99 is well under the cap
        // of 64 connections, and is the M/D/1 queue's of each process.
        let (s, set) = fastify_at(100.0);
        let check = check_run(&run(MeasuredClass::Json, 2, 10_000.0, Some(64)), &s, &set).unwrap();
        assert!(!check.bounded_by_connections);
        let layout = QueueLayout::new(Balancing::RoundRobin, false, 1, 2);
        let classes = [ClassTime {
            share: 1.0,
            service_s: 1e-4,
            outside_s: 0.0,
        }];
        let want = layout.p99_s(&classes, 1e4, 10_000.0, 0.0) * 1e3;
        assert!(
            (check.model_p99_ms.unwrap() - want).abs() < 1e-9,
            "{check:?}"
        );
        assert!(want > 0.1 && want < 3.2, "{want}");
    }

    #[test]
    fn the_page_s_rows_say_the_run_both_p99_and_their_ratio() {
        let (s, set) = fastify_at(100.0);
        let runs = [
            run(MeasuredClass::Json, 2, 25_000.0, Some(64)),
            run(MeasuredClass::Json, 2, 25_000.0, None),
            Measurement {
                latency_p99_ms: None,
                ..run(MeasuredClass::Json, 1, 1_000.0, Some(4))
            },
        ];
        let rows = check_rows(&runs, &s, &set);
        assert_eq!(rows.len(), 2);
        assert_eq!(
            rows[0],
            CheckRow {
                run: "Fastify json, 2 workers, 64 connections, 25,000 req/s".into(),
                measured: "20 ms".into(),
                model: "3.2 ms".into(),
                ratio: "6.25x".into(),
                note: Some("at or past the model's capacity of 20,000 req/s: the wait behind the run's connections".into()),
            }
        );
        assert_eq!(
            (rows[1].model.as_str(), rows[1].ratio.as_str()),
            ("none", "–")
        );
        assert!(rows[1]
            .note
            .as_deref()
            .unwrap()
            .contains("does not say how many connections"));
    }

    #[test]
    fn an_io_run_adds_the_scenario_s_wait_and_users_are_not_checked() {
        let (s, set) = fastify_at(100.0);
        let io = check_run(&run(MeasuredClass::Io, 1, 1_000.0, Some(1)), &s, &set).unwrap();
        let wait = s.get(NumField::IoWaitMs);
        // One connection: no queue, the request's CPU time and its wait.
        assert!(
            (io.model_p99_ms.unwrap() - (0.1 + wait)).abs() < 1e-9,
            "{io:?}"
        );
        let users = Measurement {
            load_kind: LoadKind::Users,
            ..run(MeasuredClass::Json, 4, 1_000.0, Some(4))
        };
        assert_eq!(check_run(&users, &s, &set), None);
        let no_p99 = Measurement {
            latency_p99_ms: None,
            ..run(MeasuredClass::Json, 1, 1_000.0, Some(4))
        };
        assert_eq!(check_run(&no_p99, &s, &set), None);
    }
}
