//! From an imported load-test file to the runs "Your measurements" is made
//! of.
//!
//! A Stackwise measurements file says which framework and endpoint each run
//! measured; a single k6, autocannon, wrk or oha result does not, so the page
//! asks the user, and [`runs_from_result`] takes their answer. Endpoints map
//! to figures: `json` and `post` set the JSON/CRUD cost, `io` the I/O-bound
//! cost; `cpu` runs are reported but not used (the CPU-bound input is the
//! user's own figure). A CSV of `load,throughput` rows ([`runs_from_csv`])
//! is runs of one framework and endpoint at several loads, attributed like
//! a single result, with what its load counts.

use crate::model::{Framework, LoadKind, MeasuredClass, Measurement};

use super::loadtest::measurements::Measurements;
use super::loadtest::{LoadTestResult, UslCsv};

/// The most worker processes a run may have had, as the measurements file
/// allows.
pub const MAX_WORKERS: u32 = 4096;

/// The tail latency of a result, where it is a real 99th percentile.
fn p99_of(result: &LoadTestResult) -> Option<f64> {
    if result.has_exact_p99() {
        result.latency_p99_ms
    } else {
        None
    }
}

/// Runs of a measurements file that Stackwise can use, and a note for each
/// it cannot.
pub fn runs_from_file(m: &Measurements, file_name: &str) -> (Vec<Measurement>, Vec<String>) {
    let mut runs = Vec::new();
    let mut notes = Vec::new();
    let date = m.created.as_deref().unwrap_or("undated");
    for run in &m.runs {
        let Some(framework) = Framework::from_key(&run.stack.to_ascii_lowercase()) else {
            notes.push(format!(
                "{}: stack \"{}\" is not one Stackwise models (fastapi, express, fastify, nestjs); skipped.",
                run.label(),
                run.stack
            ));
            continue;
        };
        let class = match run.endpoint.as_str() {
            "json" | "post" => MeasuredClass::Json,
            "io" => MeasuredClass::Io,
            other => {
                notes.push(format!(
                    "{}: endpoint \"{other}\" is shown but not used (CPU-bound cost is your own input).",
                    run.label()
                ));
                continue;
            }
        };
        runs.push(Measurement {
            framework,
            class,
            endpoint: run.endpoint.clone(),
            load: run.workers.max(1),
            load_kind: LoadKind::Workers,
            requests_per_second: run.result.requests_per_second,
            latency_p99_ms: p99_of(&run.result),
            connections: run.result.connections,
            source: format!(
                "{} measured with {}, {file_name}, {date}",
                run.label(),
                run.measured_with.as_deref().unwrap_or("an unnamed tool")
            ),
        });
    }
    (runs, notes)
}

/// The run a single tool result makes, once the user has said what it
/// measured.
pub fn runs_from_result(
    result: &LoadTestResult,
    framework: Framework,
    class: MeasuredClass,
    workers: u32,
    file_name: &str,
) -> Measurement {
    Measurement {
        framework,
        class,
        endpoint: class.key().to_string(),
        load: workers.max(1),
        load_kind: LoadKind::Workers,
        requests_per_second: result.requests_per_second,
        latency_p99_ms: p99_of(result),
        connections: result.connections,
        source: format!("{}, {file_name}", result.tool.label()),
    }
}

/// The runs a `load,throughput` CSV makes, once the user has said which
/// framework and endpoint it measured and what its load counts: one run a
/// row, their endpoint named after the class and the file (`json
/// (runs.csv)`), so a CSV is fitted as the one data set it is. Refused, naming the line, when the load counts workers and a row
/// has more than [`MAX_WORKERS`].
pub fn runs_from_csv(
    csv: &UslCsv,
    framework: Framework,
    class: MeasuredClass,
    load_kind: LoadKind,
    file_name: &str,
) -> Result<Vec<Measurement>, String> {
    if load_kind == LoadKind::Workers {
        if let Some(p) = csv.points.iter().find(|p| p.load > MAX_WORKERS) {
            return Err(format!(
                "{file_name}: line {}, column load: {} is more worker processes than a run has (1 to {MAX_WORKERS}); if the load counts concurrent users, say so",
                p.line, p.load
            ));
        }
    }
    Ok(csv
        .points
        .iter()
        .map(|p| Measurement {
            framework,
            class,
            endpoint: format!("{} ({file_name})", class.key()),
            load: p.load,
            load_kind,
            requests_per_second: p.throughput,
            latency_p99_ms: None,
            connections: None,
            source: format!("CSV, {file_name}, line {}", p.line),
        })
        .collect())
}
