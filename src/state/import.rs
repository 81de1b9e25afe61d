//! From an imported load-test file to the runs "Your measurements" is made
//! of.
//!
//! A Stackwise measurements file says which framework and endpoint each run
//! measured; a single k6, autocannon, wrk or oha result does not, so the page
//! asks the user, and [`runs_from_result`] takes their answer. Endpoints map
//! to figures: `json` and `post` set the JSON/CRUD cost, `io` the I/O-bound
//! cost; `cpu` runs are reported but not used (the CPU-bound input is the
//! user's own figure).

use crate::model::{Framework, MeasuredClass, Measurement};

use super::loadtest::measurements::Measurements;
use super::loadtest::LoadTestResult;

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
            workers: run.workers.max(1),
            requests_per_second: run.result.requests_per_second,
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
        workers: workers.max(1),
        requests_per_second: result.requests_per_second,
        source: format!("{}, {file_name}", result.tool.label()),
    }
}
