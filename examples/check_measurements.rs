//! Reads a Stackwise measurements file (as `bench-kit/run.sh` writes it) the
//! way the page imports it, and prints the figures it would use:
//! `cargo run --example check_measurements -- FILE`. Exits 1, naming the
//! problem, if the page would refuse the file.

use std::process::ExitCode;

use stackwise::model::AssumptionSet;
use stackwise::state::import::runs_from_file;
use stackwise::state::loadtest::parse_measurements;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: check_measurements FILE");
        return ExitCode::FAILURE;
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let m = match parse_measurements(&text) {
        Ok(m) => m,
        Err(e) => {
            eprintln!("{path}: {e}");
            return ExitCode::FAILURE;
        }
    };
    let (runs, notes) = runs_from_file(&m, &path);
    for note in &notes {
        eprintln!("note: {note}");
    }
    if let Err(e) = AssumptionSet::with_measurements(&runs) {
        eprintln!("{path}: {e}");
        return ExitCode::FAILURE;
    }
    for run in &runs {
        let us = run.cpu_us().unwrap_or(f64::NAN);
        eprintln!(
            "{:<8} {:<22} {:>9.0} req/s on {} worker(s) -> {:>7.1} us CPU per request",
            run.framework.label(),
            run.class.label(),
            run.requests_per_second,
            run.workers,
            us
        );
    }
    eprintln!(
        "{path}: {} runs usable; the page would import it.",
        runs.len()
    );
    ExitCode::SUCCESS
}
