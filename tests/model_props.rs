//! Properties of the model over random valid scenarios: no NaN anywhere,
//! never fewer instances than the minimum replicas, monotone in traffic,
//! price and model size, a batching GPU's p99 rising with its load, the
//! traffic chart's figures the estimate's, and a mix that always sums to 1.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod common;

use common::scenario;
use proptest::prelude::*;
use stackwise::model::{
    estimate, estimate_with, peak_figures, AssumptionSet, BatchingGpu, Constraint, DeployTarget,
    Estimate, NumField, Pick, Scenario, Stack,
};

fn all_finite(e: &Estimate) -> Result<(), String> {
    let json = serde_json::to_value(e).map_err(|err| err.to_string())?;
    fn walk(v: &serde_json::Value, path: &str) -> Result<(), String> {
        match v {
            serde_json::Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(()),
                _ => Err(format!("{path} is not finite")),
            },
            // serde_json writes NaN and infinity as null.
            serde_json::Value::Null => Err(format!("{path} is null (NaN or infinity)")),
            serde_json::Value::Array(a) => a
                .iter()
                .enumerate()
                .try_for_each(|(i, x)| walk(x, &format!("{path}[{i}]"))),
            serde_json::Value::Object(o) => o
                .iter()
                .try_for_each(|(k, x)| walk(x, &format!("{path}.{k}"))),
            _ => Ok(()),
        }
    }
    walk(&json, "estimate")
}

/// The scenario with its p99 target `more` times further off (within its
/// range), and the published estimates before and after.
fn with_a_looser_target(s: &Scenario, more: f64) -> (Scenario, Estimate, Estimate) {
    let set = AssumptionSet::published();
    let f = NumField::P99TargetMs;
    let mut looser = s.clone();
    looser.set(f, (s.get(f) * more).min(f.spec().max)).unwrap();
    let (before, after) = (estimate(s, &set), estimate(&looser, &set));
    (looser, before, after)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn no_nan_or_infinity_anywhere(s in scenario()) {
        for set in [AssumptionSet::published(), AssumptionSet::article()] {
            let e = estimate(&s, &set);
            prop_assert!(all_finite(&e).is_ok(), "{:?}", all_finite(&e));
        }
    }

    #[test]
    fn never_fewer_instances_than_minimum_replicas(s in scenario()) {
        let e = estimate(&s, &AssumptionSet::published());
        let min = s.get(NumField::MinReplicas) as u64;
        // Serverless targets scale from zero: the provider keeps them
        // available, so the minimum replicas do not apply.
        prop_assume!(!s.deploy.is_serverless());
        for st in &e.stacks {
            for t in &st.tiers {
                prop_assert!(t.instances >= min, "{:?} {:?}", st.stack, t.role);
            }
        }
    }

    #[test]
    fn the_answer_meets_the_p99_target_where_any_stack_does(s in scenario()) {
        // And runs where any stack runs; among those that stand as it
        // does, it is the cheapest.
        let e = estimate(&s, &AssumptionSet::published());
        let best = e.stack(e.cheapest);
        for st in &e.stacks {
            prop_assert!(st.standing() <= best.standing(), "{:?} {:?} over {:?} {:?}", st.stack, st.standing(), best.stack, best.standing());
            if st.standing() == best.standing() {
                prop_assert!(st.total >= best.total, "{:?} {} under {:?} {}", st.stack, st.total, best.stack, best.total);
            }
        }
        if e.stacks.iter().any(|st| st.runs() && st.meets_p99) {
            prop_assert!(best.runs() && best.meets_p99);
        }
    }

    #[test]
    fn a_stack_s_reason_is_that_of_a_service_with_the_most_instances(s in scenario()) {
        let e = estimate(&s, &AssumptionSet::published());
        for st in &e.stacks {
            let most = st.tiers.iter().map(|t| t.instances).max().unwrap_or(0);
            let said = st.sized_by();
            let named = st.tiers.iter().any(|t| {
                t.instances == most
                    && (said == t.binding.label()
                        || said == format!("{}: {}", t.role.label(), t.binding.label()))
            });
            prop_assert!(named, "{:?}: {said:?}", st.stack);
            // A service is named exactly where the services differ, but
            // for a GPU ceiling, which only the GPU service has.
            let alike = st.tiers.iter().all(|t| t.binding == st.tiers[0].binding);
            let gpu = said == Constraint::Gpu.label();
            prop_assert_eq!(said.contains(": "), !alike && !gpu, "{:?}: {}", st.stack, said);
        }
    }

    #[test]
    fn instances_and_cost_never_fall_as_traffic_rises(s in scenario(), more in 1.0f64..10.0) {
        let set = AssumptionSet::published();
        let before = estimate(&s, &set);
        let mut s2 = s.clone();
        let rps = (s.get(NumField::AvgRps) * more).min(NumField::AvgRps.spec().max);
        s2.set(NumField::AvgRps, rps).unwrap();
        let after = estimate(&s2, &set);
        for st in Stack::ALL {
            let (a, b) = (before.stack(st), after.stack(st));
            prop_assert!(b.instances >= a.instances, "{st:?}: {} -> {}", a.instances, b.instances);
            // To rounding: the same instances summed in another order can
            // come out an ulp apart, 1.5e-8 of a $134 million month.
            prop_assert!(b.monthly.total() >= a.monthly.total() * (1.0 - 1e-12) - 1e-9);
            prop_assert!(b.total >= a.total * (1.0 - 1e-12) - 1e-6);
        }
    }

    #[test]
    fn cost_never_falls_as_prices_rise(s in scenario(), more in 1.0f64..3.0) {
        let set = AssumptionSet::published();
        let before = estimate(&s, &set);
        let mut s2 = s.clone();
        for f in [NumField::PriceVcpuHour, NumField::PriceGibHour, NumField::GpuPriceHour] {
            s2.set(f, (s.get(f) * more).min(f.spec().max)).unwrap();
        }
        let after = estimate(&s2, &set);
        for st in Stack::ALL {
            prop_assert!(
                after.stack(st).monthly.total()
                    >= before.stack(st).monthly.total() * (1.0 - 1e-12) - 1e-9
            );
        }
    }

    #[test]
    fn more_minimum_replicas_never_cost_less(s in scenario(), more in 1.0f64..3.0) {
        // Keeping more instances up can only add to the bill, today and in
        // every later month. It did not where the replicas shared today's
        // peak thinly: memory was read at that load, so more processes
        // fitted and later months were planned at a load an instance could
        // not hold (down 56% in one of 12,875 random stack estimates); and
        // where they took a GPU tier's count off the p99, later months were
        // planned at a higher load per GPU than where the p99 set it.
        let set = AssumptionSet::published();
        let f = NumField::MinReplicas;
        let mut s2 = s.clone();
        s2.set(f, (s.get(f) * more).ceil().min(f.spec().max)).unwrap();
        let (before, after) = (estimate(&s, &set), estimate(&s2, &set));
        for (a, b) in before.stacks.iter().zip(&after.stacks) {
            // A stack that does not run is priced as sized, which says
            // nothing.
            if a.runs() && b.runs() {
                prop_assert!(
                    b.total >= a.total * (1.0 - 1e-9),
                    "{:?}: {} replicas {:.0}, {} replicas {:.0}",
                    a.stack, s.get(f), a.total, s2.get(f), b.total
                );
            }
        }
    }

    #[test]
    fn a_looser_p99_target_never_costs_more_where_both_are_met(s in scenario(), more in 1.0f64..3.0) {
        // A target further off lets each instance take as much load or
        // more. Where it cannot be met, a tier is sized by its ceilings and
        // flagged, so only stacks whose every tier meets both targets are
        // compared.
        let (s2, before, after) = with_a_looser_target(&s, more);
        let f = NumField::P99TargetMs;
        for (a, b) in before.stacks.iter().zip(&after.stacks) {
            let met = |st: &stackwise::model::StackEstimate| st.tiers.iter().all(|t| t.meets_p99);
            if a.runs() && b.runs() && met(a) && met(b) {
                prop_assert!(
                    b.total <= a.total * (1.0 + 1e-9),
                    "{:?}: {} ms {:.0}, {} ms {:.0}",
                    a.stack, s.get(f), a.total, s2.get(f), b.total
                );
            }
        }
    }

    #[test]
    fn a_looser_p99_target_never_needs_more_gpus(s in scenario(), more in 1.0f64..3.0) {
        // The same for GPU tiers alone, whose p99 rises with the load
        // under each of its readings (the queued wait, full batches, a long
        // batch, the rest of one inference), so the most load within a
        // target rises with the target.
        let mut s = s;
        s.deploy = DeployTarget::Instances;
        s.ml_device = stackwise::model::MlDevice::Gpu;
        if s.get(NumField::MlShare) < 1.0 {
            s.set(NumField::MlShare, 30.0).unwrap();
        }
        let (s2, before, after) = with_a_looser_target(&s, more);
        let f = NumField::P99TargetMs;
        for (a, b) in before.stacks.iter().zip(&after.stacks) {
            for (t, u) in a.tiers.iter().zip(&b.tiers).filter(|(t, u)| t.on_gpu && t.meets_p99 && u.meets_p99) {
                prop_assert!(
                    u.instances <= t.instances && u.max_rps >= t.max_rps,
                    "{:?}: {} ms {} GPUs at {}/s, {} ms {} GPUs at {}/s",
                    a.stack, s.get(f), t.instances, t.max_rps, s2.get(f), u.instances, u.max_rps
                );
            }
        }
    }

    #[test]
    fn memory_never_falls_as_the_model_grows(s in scenario(), more in 1.0f64..4.0) {
        let set = AssumptionSet::published();
        let before = estimate(&s, &set);
        let mut s2 = s.clone();
        let f = NumField::ModelMib;
        s2.set(f, (s.get(f) * more).min(f.spec().max)).unwrap();
        let after = estimate(&s2, &set);
        for st in Stack::ALL {
            let (a, b) = (before.stack(st), after.stack(st));
            for (ta, tb) in a.tiers.iter().zip(&b.tiers) {
                // Per process the model only grows; memory per instance may
                // drop only because fewer processes then fit.
                if ta.processes == tb.processes {
                    prop_assert!(tb.memory.model_mib >= ta.memory.model_mib);
                }
            }
            // A function's memory is its CPU (a share of a vCPU per 1,769
            // MB): a larger model makes each request faster and fewer
            // environments busy at once.
            // A stack that cannot hold even one request beside a process
            // once the model grows is sized as if it could, and said not to
            // fit: its count says nothing.
            if s.deploy != DeployTarget::Functions && b.fits_memory {
                prop_assert!(b.instances >= a.instances, "{st:?}: {} -> {}", a.instances, b.instances);
            }
        }
    }

    #[test]
    fn the_traffic_chart_s_peak_figures_are_the_estimate_s(s in scenario()) {
        // The traffic chart reads each stack's instances and money per
        // month at each level without the rest of the estimate.
        let set = AssumptionSet::published();
        for pick in [Pick::Optimistic, Pick::Typical, Pick::Pessimistic] {
            let f = set.resolve(pick);
            let e = estimate_with(&s, &f);
            for (st, (instances, monthly)) in e.stacks.iter().zip(peak_figures(&s, &f)) {
                prop_assert_eq!(st.instances, instances, "{:?} {:?}", st.stack, pick);
                let total = st.monthly.total();
                prop_assert!(
                    (total - monthly).abs() <= 1e-12 * total.abs(),
                    "{:?} {:?}: {} a month in the estimate, {} in the chart", st.stack, pick, total, monthly
                );
            }
        }
    }

    #[test]
    fn the_p99_at_today_s_load_is_the_estimate_s(s in scenario()) {
        // Serverless p99s carry cold starts, and a function runs one
        // request alone: no queue to read the p99 from.
        prop_assume!(!s.deploy.is_serverless());
        let e = estimate(&s, &AssumptionSet::published());
        for st in &e.stacks {
            for t in st.tiers.iter().filter(|t| !t.on_gpu) {
                let servers = f64::from(t.servers);
                let capacity = servers * t.rate_per_process();
                prop_assert!((capacity - t.capacity_rps).abs() <= 1e-9 * t.capacity_rps);
                let again = t.p99_ms_at_utilisation(t.load_today());
                prop_assert!(
                    (again - t.p99_ms).abs() <= 1e-6 * t.p99_ms.max(1.0),
                    "{:?} {:?}: {} ms at today's load, {} ms in the estimate",
                    st.stack, t.role, again, t.p99_ms
                );
            }
        }
    }

    #[test]
    fn later_months_are_planned_at_a_load_that_meets_the_p99(s in scenario()) {
        // The horizon sizes each month at the load one instance is planned
        // for (`max_rps`, kept as the planned utilisation): where today's
        // instances meet the p99 target, that load must meet it too, or a
        // month of more traffic would be planned at a load that misses. It
        // did not where the minimum replicas (or rounding up) left today's
        // load well under the CPU ceiling: later months were planned at
        // the ceiling's load whatever its p99. Serverless targets bill
        // the traffic, not planned instances.
        let mut s = s;
        if s.deploy.is_serverless() {
            s.deploy = DeployTarget::Instances;
        }
        let e = estimate(&s, &AssumptionSet::published());
        let target = s.get(NumField::P99TargetMs);
        for st in &e.stacks {
            for t in st.tiers.iter().filter(|t| !t.on_gpu && t.meets_p99) {
                let planned = t.p99_ms_at_utilisation(t.utilisation);
                prop_assert!(
                    planned <= target * 1.001,
                    "{:?} {:?}: {} ms at the planned {:.1}% against {} ms (today {} ms at {:.1}%, {} instances, {:?})",
                    st.stack, t.role, planned, t.utilisation * 100.0, target, t.p99_ms,
                    t.load_today() * 100.0, t.instances, t.binding
                );
            }
        }
    }

    #[test]
    fn a_gpu_tier_s_later_months_have_as_many_gpus_as_sizing_them_afresh(
        s in scenario(),
        grown in 1.0f64..20.0,
    ) {
        // A GPU tier is sized from its load alone (no memory or process
        // count couples it to the traffic), so the count the horizon gives
        // a month of `grown` times today's traffic, from the load one GPU
        // is planned for, is what sizing that traffic afresh gives. It was
        // fewer where the minimum replicas met the p99 today: the later
        // months were planned at the GPU ceiling's load, whose p99 can miss
        // the target (by up to 12% in one case). And it was more where the
        // p99 set today's count: later months were planned at today's load
        // per GPU, below the most that meets the target, so that more
        // minimum replicas could lower the bill.
        let mut s = s;
        s.deploy = DeployTarget::Instances;
        s.ml_device = stackwise::model::MlDevice::Gpu;
        if s.get(NumField::MlShare) < 1.0 {
            s.set(NumField::MlShare, 30.0).unwrap();
        }
        let rps = s.get(NumField::AvgRps) * grown;
        prop_assume!(rps <= NumField::AvgRps.spec().max);
        let set = AssumptionSet::published();
        let today = estimate(&s, &set);
        let mut later = s.clone();
        later.set(NumField::AvgRps, rps).unwrap();
        let afresh = estimate(&later, &set);
        let floor = s.get(NumField::MinReplicas).max(1.0);
        for (a, b) in today.stacks.iter().zip(&afresh.stacks) {
            for (t, u) in a.tiers.iter().zip(&b.tiers).filter(|(t, _)| t.on_gpu) {
                let planned = t.instances_at_traffic(grown).max(floor);
                prop_assert!(
                    planned == u.instances as f64,
                    "{:?}: {planned} GPUs planned at {grown:.2}x, {} sized afresh", a.stack, u.instances
                );
            }
        }
    }

    #[test]
    fn a_batching_gpu_s_p99_rises_with_its_load_and_its_most_within_is_the_most(
        t1_ms in 1.0f64..500.0,
        batch_cost in 0.0f64..=1.0,
        max_batch in 1u32..=256,
        share in 0.0f64..1.0,
        above in 1.0f64..50.0,
    ) {
        // The sizing reads a GPU's count from the most load within the
        // target, and its p99 at today's load: both hold only if the p99
        // rises with the load, and the most within `allowed` is where it
        // reaches `allowed` (or the capacity).
        let gpu = BatchingGpu { t1_s: t1_ms * 1e-3, batch_cost, max_batch: f64::from(max_batch) };
        let capacity = gpu.capacity_rps();
        let (lo, hi) = (share * capacity, (share + (1.0 - share) * 0.5) * capacity);
        prop_assert!(gpu.p99_s(lo) <= gpu.p99_s(hi), "{} at {lo}/s, {} at {hi}/s", gpu.p99_s(lo), gpu.p99_s(hi));
        prop_assert!(gpu.p99_s(lo) >= gpu.t1_s);
        let allowed = gpu.t1_s * above;
        let most = gpu.most_within(allowed);
        prop_assert!(most < capacity && most >= 0.0);
        prop_assert!(gpu.p99_s(most) <= allowed * (1.0 + 1e-9), "{} over {allowed} at {most}/s", gpu.p99_s(most));
        let beyond = most * (1.0 + 1e-6) + 1e-9;
        prop_assert!(
            beyond >= capacity || gpu.p99_s(beyond) > allowed,
            "{} at {beyond}/s, within {allowed}: not the most", gpu.p99_s(beyond)
        );
    }

    #[test]
    fn without_growth_every_month_costs_today_s(s in scenario()) {
        // Traffic flat over the horizon: each month is sized again at
        // today's traffic, so it costs today's month. A GPU tier whose
        // count the p99 sets is planned at today's load over today's count;
        // today's peak over that came out a hair over the count
        // (61.000000000000007), and every month paid one GPU more. (Within
        // a millionth: a function's month and its sum over months are
        // worked out in different orders.)
        let mut s = s;
        s.set(NumField::GrowthPct, 0.0).unwrap();
        let e = estimate(&s, &AssumptionSet::published());
        for st in &e.stacks {
            let months = f64::from(e.months) * st.monthly.total();
            prop_assert!(
                (st.infra_horizon - months).abs() <= 1e-6 * months.abs(),
                "{:?} on {:?}: {} over the horizon, {} a month x {}",
                st.stack, s.deploy, st.infra_horizon, st.monthly.total(), e.months
            );
        }
    }

    #[test]
    fn a_service_does_not_fit_only_where_one_request_cannot_fit_beside_one_process(s in scenario()) {
        // Where the requests in flight at the CPU ceiling's load overflow
        // an instance, it is planned at the load its memory holds; only
        // where one process and one request in flight overflow it does no
        // load fit. It said "does not fit" wherever the ceiling's load
        // overflowed with one process.
        let set = AssumptionSet::published();
        let e = estimate(&s, &set);
        for st in &e.stacks {
            for t in st.tiers.iter().filter(|t| !t.on_gpu && !t.memory.fits()) {
                let m = t.memory;
                let one_process = (m.runtime_mib + m.ml_runtime_mib + m.model_mib) / f64::from(t.processes.max(1));
                let one_request = set
                    .get(stackwise::model::AssumptionId::Framework(
                        t.framework,
                        stackwise::model::FigureKind::InflightMib,
                    ))
                    .typical;
                prop_assert!(
                    one_process + one_request > m.available_mib,
                    "{:?} {:?}: {} MiB a process and {} a request fit in {} MiB, yet it does not fit ({} processes, {} MiB)",
                    st.stack, t.role, one_process, one_request, m.available_mib, t.processes, m.total_mib()
                );
            }
        }
    }

    #[test]
    fn the_mix_always_sums_to_one(s in scenario(), field in 0usize..4, pct in 0.0f64..=100.0) {
        let mut s = s;
        s.set(NumField::MIX[field], pct).unwrap();
        let sum: f64 = s.mix().iter().sum();
        prop_assert!((sum - 1.0).abs() < 1e-9);
        let pcts: f64 = NumField::MIX.iter().map(|f| s.get(*f)).sum();
        prop_assert!((pcts - 100.0).abs() < 1e-6);
    }

    #[test]
    fn out_of_range_values_are_refused_and_named(field in 0usize..NumField::ALL.len(), over in 1.0001f64..1e6) {
        let field = NumField::ALL[field];
        let spec = field.spec();
        let mut s = Scenario::default();
        let bad = spec.max * over + 1.0;
        let err = s.set(field, bad).unwrap_err();
        prop_assert!(err.to_string().starts_with(spec.label));
        prop_assert_eq!(s, Scenario::default());
    }
}
