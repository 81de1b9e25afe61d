//! How long the model takes: `cargo bench --bench estimate`.
//!
//! Prints criterion's figures for one estimate of every stack, at the
//! default scenario and at a heavy one (ML on, 100,000 req/s, 64 vCPUs).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use stackwise::model::{estimate, AssumptionSet, NumField, RangeEstimate, Scenario};

fn heavy() -> Scenario {
    let mut s = Scenario::default();
    s.set(NumField::AvgRps, 100_000.0).ok();
    s.set(NumField::MlShare, 15.0).ok();
    s.set(NumField::Vcpu, 64.0).ok();
    s.set(NumField::MemGib, 256.0).ok();
    s.set(NumField::HorizonYears, 5.0).ok();
    s
}

fn bench(c: &mut Criterion) {
    let set = AssumptionSet::published();
    let default = Scenario::default();
    let heavy = heavy();
    c.bench_function("estimate/all stacks, default scenario", |b| {
        b.iter(|| estimate(black_box(&default), black_box(&set)))
    });
    c.bench_function("estimate/all stacks, heavy scenario", |b| {
        b.iter(|| estimate(black_box(&heavy), black_box(&set)))
    });
    c.bench_function("estimate/low-typical-high range, default", |b| {
        b.iter(|| RangeEstimate::new(black_box(&default), black_box(&set)))
    });
}

criterion_group!(benches, bench);
criterion_main!(benches);
