//! A measurements file made by the bench kit becomes "Your measurements",
//! and the estimate follows it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use stackwise::model::{
    check_run, estimate, fit_runs, run_figures, AssumptionId, AssumptionSet, FigureKind, Framework,
    LoadKind, MeasuredClass, NumField, Percentiles, Scenario, SetKind, Stack, DEFAULT_SEED,
};
use stackwise::state::import::{runs_from_csv, runs_from_file, runs_from_result};
use stackwise::state::loadtest::{parse, parse_measurements, parse_usl_csv};

const KIT_RUN: &str = include_str!("fixtures/loadtest/stackwise-measurements-quick.json");

#[test]
fn a_kit_run_becomes_your_measurements() {
    let m = parse_measurements(KIT_RUN).unwrap();
    let (runs, notes) = runs_from_file(&m, "measurements.json");
    // json, post and io for three frameworks; the cpu runs are reported.
    assert_eq!(runs.len(), 9, "{runs:?}");
    assert_eq!(notes.len(), 3, "{notes:?}");
    let set = AssumptionSet::with_measurements(&runs).unwrap();
    assert_eq!(set.kind, SetKind::Measured);
    let id = AssumptionId::Framework(Framework::FastApi, FigureKind::JsonCpuUs);
    assert!(set.get(id).source.contains("measurements.json"));
    // NestJS was not measured: it keeps the published figure.
    let nest = AssumptionId::Framework(Framework::NestJs, FigureKind::JsonCpuUs);
    assert_eq!(set.get(nest), AssumptionSet::published().get(nest));
}

#[test]
fn measured_throughput_moves_instances() {
    let mut s = Scenario::default();
    s.set(NumField::AvgRps, 20_000.0).unwrap();
    let published = estimate(&s, &AssumptionSet::published());
    // A wrk run of one Fastify worker, said by the user to be a JSON endpoint
    // at a tenth of the published speed.
    let wrk = include_str!("fixtures/loadtest/wrk-fastify-json-c1.txt");
    let (_, result) = parse(wrk).unwrap().remove(0);
    let mut run = runs_from_result(
        &result,
        Framework::Fastify,
        MeasuredClass::Json,
        1,
        "wrk.txt",
    );
    run.requests_per_second = 4_000.0;
    let measured = estimate(&s, &AssumptionSet::with_measurements(&[run]).unwrap());
    assert!(
        measured.stack(Stack::Fastify).instances > published.stack(Stack::Fastify).instances,
        "a slower measurement needs more instances"
    );
    assert_eq!(
        measured.stack(Stack::Express).instances,
        published.stack(Stack::Express).instances,
        "other stacks keep their figures"
    );
}

/// A measurements file of FastAPI's JSON endpoint at 1 to 6 workers, as
/// `bench-kit/run.sh --sweep` writes it, from the law with `σ = 0.04`,
/// `κ = 0.003`, `γ = 4,000 req/s`, each run off by up to ±1.5%.
fn sweep_file() -> String {
    let noise = [0.01, -0.015, 0.005, 0.012, -0.008, -0.003];
    let runs: Vec<String> = (1..=6)
        .zip(noise)
        .map(|(n, e)| {
            let x = f64::from(n);
            let rps = 4_000.0 * x / (1.0 + 0.04 * (x - 1.0) + 0.003 * x * (x - 1.0)) * (1.0 + e);
            format!(
                r#"{{"stack": "fastapi", "endpoint": "json", "workers": {n}, "tool": "wrk",
                    "requests_per_second": {rps:.2}, "latency_ms": {{"p50": 12.0, "p99": 40.0}},
                    "connections": 64}}"#
            )
        })
        .collect();
    format!(
        r#"{{"format": "stackwise-measurements", "version": 1, "created": "2026-12-01T10:00:00Z",
            "runs": [{}]}}"#,
        runs.join(",")
    )
}

#[test]
fn a_sweep_becomes_a_fit_whose_uncertainty_the_draws_carry() {
    let m = parse_measurements(&sweep_file()).unwrap();
    let (runs, _) = runs_from_file(&m, "sweep.json");
    let fits = fit_runs(&runs);
    assert_eq!(fits.len(), 1);
    let u = fits[0].fit.clone().unwrap();
    assert!((u.gamma / 4_000.0 - 1.0).abs() < 0.03, "{u:?}");
    let set = AssumptionSet::with_measurements(&runs).unwrap();
    let alpha = AssumptionId::Framework(Framework::FastApi, FigureKind::UslAlpha);
    let a = set.get(alpha).clone();
    assert!(a.low < a.typical && a.typical < a.high, "{a:?}");
    // The draws put the fit's 90% interval at their 5th and 95th
    // percentiles: the Monte Carlo carries the fit's uncertainty.
    let mut drawn: Vec<f64> = run_figures(&set, 4_000, DEFAULT_SEED)
        .iter()
        .map(|f| f.of(Framework::FastApi, FigureKind::UslAlpha))
        .collect();
    let p = Percentiles::of(&mut drawn);
    let width = a.high - a.low;
    for (got, want) in [(p.p5, a.low), (p.p50, a.typical), (p.p95, a.high)] {
        assert!((got - want).abs() < 0.03 * width, "{got} vs {want} ({a:?})");
    }
    // Processes per instance stop at the fitted peak.
    let mut s = Scenario::default();
    s.set(NumField::Vcpu, 64.0).unwrap();
    let peak = ((1.0 - set.get(alpha).typical)
        / set
            .get(AssumptionId::Framework(
                Framework::FastApi,
                FigureKind::UslBeta,
            ))
            .typical)
        .sqrt();
    let e = estimate(&s, &set);
    let api = &e.stack(Stack::FastApi).tiers[0];
    assert_eq!(f64::from(api.processes), peak.floor(), "peak {peak}");
    assert!(e.stack(Stack::Express).tiers[0].processes > api.processes);
}

#[test]
fn every_kit_run_with_a_p99_is_checked_against_the_model() {
    let s = Scenario::default();
    for text in [KIT_RUN.to_string(), sweep_file()] {
        let m = parse_measurements(&text).unwrap();
        let (runs, _) = runs_from_file(&m, "measurements.json");
        let set = AssumptionSet::with_measurements(&runs).unwrap();
        for run in &runs {
            let check = check_run(run, &s, &set).unwrap_or_else(|| panic!("{run:?}"));
            let model = check.model_p99_ms.unwrap();
            assert!(model.is_finite() && model > 0.0, "{run:?}: {check:?}");
            assert!(check.ratio().unwrap().is_finite());
        }
    }
    // The quick run's FastAPI JSON run: 4,759 req/s on one worker at 64
    // connections is past the measured set's capacity (its JSON cost is
    // the mean of the json and post runs, 1 / 4,553 s), so the 64 requests
    // queue: 64 / 4,553 s = 14.1 ms, against 58.4 ms measured.
    let m = parse_measurements(KIT_RUN).unwrap();
    let (runs, _) = runs_from_file(&m, "measurements.json");
    let set = AssumptionSet::with_measurements(&runs).unwrap();
    let json = &runs[0];
    assert_eq!(
        (json.framework, json.endpoint.as_str()),
        (Framework::FastApi, "json")
    );
    let cost_s = set
        .get(AssumptionId::Framework(
            Framework::FastApi,
            FigureKind::JsonCpuUs,
        ))
        .typical
        * 1e-6;
    let check = check_run(json, &s, &set).unwrap();
    assert!(
        (check.capacity_rps - 1.0 / cost_s).abs() < 1e-6,
        "{check:?}"
    );
    assert!(check.bounded_by_connections);
    let model = check.model_p99_ms.unwrap();
    assert!((model - 64.0 * cost_s * 1e3).abs() < 1e-9, "{check:?}");
    assert!((model - 14.06).abs() < 0.01, "{check:?}");
    assert!((check.ratio().unwrap() - 58.42 / model).abs() < 1e-12);
}

#[test]
fn a_csv_is_one_data_set_attributed_as_a_whole() {
    let csv = parse_usl_csv(include_str!("fixtures/loadtest/usl-raytracer.csv")).unwrap();
    let runs = runs_from_csv(
        &csv,
        Framework::FastApi,
        MeasuredClass::Json,
        LoadKind::Workers,
        "raytracer.csv",
    )
    .unwrap();
    assert_eq!(runs.len(), 11);
    assert_eq!(runs[0].endpoint, "json (raytracer.csv)");
    assert_eq!(runs[10].source, "CSV, raytracer.csv, line 12");
    // A kit run of the same framework and endpoint does not join its fit.
    let m = parse_measurements(KIT_RUN).unwrap();
    let (mut all, _) = runs_from_file(&m, "measurements.json");
    all.extend(runs);
    let fits = fit_runs(&all);
    assert_eq!(fits.len(), 1, "{fits:?}");
    assert_eq!(fits[0].points.len(), 11);
    assert!(fits[0].fit.is_ok());
    // More workers than a run has are refused by line; as users they are
    // fine.
    let big = parse_usl_csv("load,throughput\n1,10\n5000,20\n9000,25\n").unwrap();
    let err = runs_from_csv(
        &big,
        Framework::Express,
        MeasuredClass::Io,
        LoadKind::Workers,
        "big.csv",
    )
    .unwrap_err();
    assert_eq!(
        err,
        "big.csv: line 3, column load: 5000 is more worker processes than a run has (1 to 4096); if the load counts concurrent users, say so"
    );
    assert!(runs_from_csv(
        &big,
        Framework::Express,
        MeasuredClass::Io,
        LoadKind::Users,
        "big.csv"
    )
    .is_ok());
}
