//! How long the model takes: `cargo bench --bench estimate`.
//!
//! Prints criterion's figures for one estimate of every stack, at the
//! default scenario and at a heavy one (ML on, 100,000 req/s, 64 vCPUs).

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use stackwise::model::{
    estimate, monte_carlo, sensitivity, AssumptionSet, NumField, RangeEstimate, Scenario,
    DEFAULT_SEED,
};

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
    let mut group = c.benchmark_group("monte carlo");
    group.sample_size(10);
    group.bench_function("10,000 draws, all stacks, default scenario", |b| {
        b.iter(|| monte_carlo(black_box(&default), black_box(&set), 10_000, DEFAULT_SEED))
    });
    group.bench_function("sensitivity sweep, every input and figure, default", |b| {
        b.iter(|| sensitivity(black_box(&default), black_box(&set)))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
