//! Reads a Stackwise measurements file (as `bench-kit/run.sh` writes it) the
//! way the page imports it, and prints the figures it would use:
//! `cargo run --example check_measurements -- FILE`. Runs of one framework
//! and endpoint at several worker counts (`bench-kit/run.sh --sweep`) are
//! fitted with the Universal Scalability Law, as the page fits them, and
//! each fit is printed with its 95% intervals and peak, or why there is
//! none. Exits 1, naming the problem, if the page would refuse the file.

use std::process::ExitCode;

use stackwise::model::format::significant;
use stackwise::model::{fit_runs, AssumptionSet};
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
            "{:<8} {:<6} {:>9.0} req/s on {} worker(s) -> {:>7.1} us CPU per request",
            run.framework.label(),
            run.endpoint,
            run.requests_per_second,
            run.load,
            us
        );
    }
    for f in fit_runs(&runs) {
        match &f.fit {
            Ok(u) => {
                let [s, k, g] = u.interval;
                let interval = |(lo, hi): (f64, f64)| {
                    if lo.is_finite() && hi.is_finite() {
                        format!(" (95%: {} to {})", significant(lo), significant(hi))
                    } else {
                        " (no interval)".to_string()
                    }
                };
                let peak = u.peak().map_or("no peak (κ = 0)".to_string(), |(n, x)| {
                    format!(
                        "peak {} workers at {} req/s",
                        significant(n),
                        significant(x)
                    )
                });
                eprintln!(
                    "fit {}: σ {}{}, κ {}{}, γ {} req/s{}, R² {}, {peak}; {}",
                    f.label(),
                    significant(u.sigma),
                    interval(s),
                    significant(u.kappa),
                    interval(k),
                    significant(u.gamma),
                    interval(g),
                    significant(u.r_squared),
                    f.figures()
                        .map_or_else(|why| format!("not used: {why}"), |_| "used".to_string())
                );
            }
            Err(e) => eprintln!("fit {}: none: {e}", f.label()),
        }
    }
    eprintln!(
        "{path}: {} runs usable; the page would import it.",
        runs.len()
    );
    ExitCode::SUCCESS
}
