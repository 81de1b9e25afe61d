//! A measurements file made by the bench kit becomes "Your measurements",
//! and the estimate follows it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use stackwise::model::{
    estimate, AssumptionId, AssumptionSet, FigureKind, Framework, MeasuredClass, NumField,
    Scenario, SetKind, Stack,
};
use stackwise::state::import::{runs_from_file, runs_from_result};
use stackwise::state::loadtest::{parse, parse_measurements};

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
