//! The deployment targets against cases worked by hand: the scale-out
//! lag's headroom, a month of functions, the cold-start share, a function
//! that cannot hold its model; and properties over random scenarios on
//! every target (no NaN, cost never falling as traffic rises).

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod common;

use common::scenario;
use proptest::prelude::*;
use stackwise::model::{
    cold_share, estimate, function_month, lag_headroom, recommend, AssumptionSet, Constraint,
    DeployTarget, MlDevice, NumField, Scenario, Stack, SECONDS_PER_MONTH,
};

fn published(s: &Scenario) -> stackwise::model::Estimate {
    estimate(s, &AssumptionSet::published())
}

fn close(a: f64, b: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * b.abs().max(1e-12)
}

/// JSON requests only, `rps` of them a second all day (no peak), on
/// `target`.
fn json_flat(rps: f64, target: DeployTarget) -> Scenario {
    let mut s = Scenario::default();
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    s.set(NumField::PeakRatio, 1.0).unwrap();
    s.set(NumField::AvgRps, rps).unwrap();
    s.deploy = target;
    s
}

/// The published figures with the idle timeout `key` (a shared figure, in
/// minutes) set to `seconds`.
fn idle_timeout(key: &str, seconds: f64) -> AssumptionSet {
    let mut set = AssumptionSet::published();
    let id = stackwise::model::AssumptionId::from_key(key).unwrap();
    set.set(id, set.get(id).pinned(seconds / 60.0)).unwrap();
    set
}

#[test]
fn the_lag_s_headroom_adds_an_instance_and_is_named() {
    // JSON only, Fastify on Node 24, 2 vCPUs: capacity 2 / (1 + 0.025 +
    // 0.0002) / 25 µs = 78,034 req/s, at the 65% ceiling 50,722 req/s an
    // instance. 32,000 req/s average x 3 = 96,000 at peak: 1.893 -> 2
    // instances without a lag.
    // Lag on instances: 60 s reaction + 40 s provisioning + 170 MB / 80
    // MB/s pull (2.125 s) + 231 ms start-up = 102.356 s. Traffic climbs from
    // 32,000 to 96,000 in 15 minutes, so in the lag it rises by 64,000 x
    // 102.356 / 900 = 7,279 req/s: at the start of the climb, (3 - 1) x
    // 102.356 / 900 = 22.746% of the traffic it rises from. (Counted as a
    // share of the peak, 7.582%, the instances ran 14% over early in the
    // climb.) 96,000 x 1.22746 / 50,722 = 2.323 -> 3 instances, decided by
    // the lag.
    let mut s = Scenario::default();
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    s.set(NumField::AvgRps, 32_000.0).unwrap();
    let e = published(&s);
    let st = e.stack(Stack::Fastify);
    let d = &st.deployment.tiers[0];
    assert!(close(d.lag_s, 102.356, 1e-6), "{}", d.lag_s);
    assert!(close(d.headroom, 2.0 * 102.356 / 900.0, 1e-6));
    assert_eq!(d.instances_without_lag, 2);
    assert_eq!(st.tiers[0].instances, 3);
    assert_eq!(st.binding, Constraint::ScaleOutLag);
    assert_eq!(st.binding.label(), "scale-out lag");
    // The planned utilisation leaves the headroom: 65% / 1.22746.
    assert!(close(st.tiers[0].utilisation, 0.65 / 1.227_458, 1e-4));

    // On Kubernetes a pod starts on a node already running: 62.356 s, a
    // headroom of 2 x 62.356 / 900 = 13.857%: 96,000 x 1.13857 / 50,722 =
    // 2.155 -> 3, decided by the lag still (with the headroom as a share
    // of the peak, 4.619%, it was 1.980 -> 2, the CPU ceiling's count).
    s.deploy = DeployTarget::Kubernetes;
    let e = published(&s);
    let st = e.stack(Stack::Fastify);
    assert!(close(st.deployment.tiers[0].lag_s, 62.356, 1e-6));
    assert!(close(
        st.deployment.tiers[0].headroom,
        2.0 * 62.356 / 900.0,
        1e-6
    ));
    assert_eq!(st.tiers[0].instances, 3);
    assert_eq!(st.binding, Constraint::ScaleOutLag);
    // A slower climb leaves the CPU ceiling's count: over an hour, 2 x
    // 62.356 / 3,600 = 3.464%, 96,000 x 1.03464 / 50,722 = 1.958 -> 2.
    s.set(NumField::RampMinutes, 60.0).unwrap();
    let st = published(&s).stack(Stack::Fastify).clone();
    assert_eq!(st.tiers[0].instances, 2);
    assert_eq!(st.binding, Constraint::Cpu);
}

#[test]
fn lag_headroom_edges() {
    assert_eq!(lag_headroom(1.0, 100.0, 60.0), 0.0);
    assert_eq!(lag_headroom(3.0, 0.0, 60.0), 0.0);
    // A lag longer than the climb: the whole climb arrives within it, and
    // the instances sized for the average carry the peak.
    assert!(close(lag_headroom(4.0, 600.0, 60.0), 3.0, 1e-12));
    assert!(close(lag_headroom(4.0, 600.0, 0.0), 3.0, 1e-12));
    assert!(close(lag_headroom(3.0, 90.0, 900.0), 0.2, 1e-12));
    assert_eq!(lag_headroom(f64::NAN, 1.0, 1.0), 0.0);
}

#[test]
fn a_month_of_functions_by_hand() {
    // 100 req/s for a month of 730 h: 262.8 million requests. Fee: 262.8 x
    // $0.20 = $52.56. Duration: 50 ms at 512 MB = 0.025 GB-s a request,
    // 6.57 million GB-s x $16.6667 per million = $109.50. $162.06 in all.
    let month = function_month(100.0, 0.050, 512.0, 0.20, 16.6667);
    assert!(close(month, 52.56 + 109.500_219, 1e-6), "{month}");
    assert_eq!(function_month(0.0, 0.05, 512.0, 0.2, 16.6667), 0.0);

    // The page's own: JSON only on Fastify at 10 req/s. One environment
    // needs 66 + 1 MiB: the 128 MB minimum, 128 / 1,769 of a vCPU, so a
    // 25 µs request runs 0.3455 ms. 26.28 million requests x ($0.20 +
    // 0.0003455 s x 0.125 GB x $16.6667) per million = $5.2749.
    let mut s = Scenario::default();
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    s.set(NumField::AvgRps, 10.0).unwrap();
    s.deploy = DeployTarget::Functions;
    let e = published(&s);
    let st = e.stack(Stack::Fastify);
    let d = &st.deployment.tiers[0];
    assert_eq!(d.function_mb, 128.0);
    let duration = 25e-6 * 1_769.0 / 128.0;
    assert!(
        close(d.duration_ms, duration * 1e3, 1e-9),
        "{}",
        d.duration_ms
    );
    let expected = 10.0 * SECONDS_PER_MONTH * (0.20 + duration * 0.125 * 16.6667) / 1e6;
    assert!(
        close(st.monthly.total(), expected, 1e-9),
        "{}",
        st.monthly.total()
    );
    assert!(close(expected, 5.2749, 1e-3));
    assert_eq!(st.binding, Constraint::OneRequestEach);
}

#[test]
fn the_cold_start_share_by_hand() {
    // One request every 100 s on average, environments kept 10 minutes:
    // a request starts cold when none came in the 600 s before it,
    // exp(-0.01 x 600) = exp(-6) = 0.248%.
    assert!(close(cold_share(0.01, 600.0, 0.0), (-6.0f64).exp(), 1e-12));
    // 200 req/s: idle expiry never happens; the day's climb from 200 to
    // 600 req/s at 6 ms a request adds 2.4 environments, 2.4 cold starts
    // among 17.28 million requests.
    assert!(close(
        cold_share(200.0, 600.0, 2.4),
        2.4 / 17_280_000.0,
        1e-9
    ));
    assert_eq!(cold_share(0.0, 600.0, 0.0), 1.0);
    assert_eq!(cold_share(f64::NAN, 600.0, 0.0), 1.0);

    // A cold Fastify function pays Lambda's Node.js start (160 ms) and
    // Fastify's own start-up (231 ms).
    let mut s = Scenario::default();
    s.deploy = DeployTarget::Functions;
    let e = published(&s);
    let d = &e.stack(Stack::Fastify).deployment.tiers[0];
    assert!(close(d.cold_start_ms, 160.0 + 231.0, 1e-9));
}

#[test]
fn rare_requests_pay_the_cold_start_in_the_p99() {
    // 0.1 req/s, flat, environments kept 10 minutes: exp(-60), no request
    // starts cold.
    let s = json_flat(0.1, DeployTarget::Functions);
    let fast = published(&s);
    let d = fast.stack(Stack::Fastify).deployment.tiers[0];
    assert!(d.cold_share < 1e-6);
    // The idle timeout is a figure: edit it to 10 s and 0.1 req/s leaves
    // exp(-1) = 37% cold, so the p99 is a cold request: Lambda's Node.js
    // start (160 ms) + Fastify's start-up (231 ms) + its warm 0.35 ms.
    let e = estimate(&s, &idle_timeout("shared.fn_idle_min", 10.0));
    let st = e.stack(Stack::Fastify);
    let d = &st.deployment.tiers[0];
    assert!(
        close(d.cold_share, (-1.0f64).exp(), 1e-9),
        "{}",
        d.cold_share
    );
    assert!(
        close(st.p99_ms, 160.0 + 231.0 + d.duration_ms, 1e-6),
        "{}",
        st.p99_ms
    );
    // With a 300 ms target that misses: said, not hidden.
    assert!(!st.meets_p99);
}

#[test]
fn a_serverless_container_tier_without_requests_bills_nothing_and_holds_no_nan() {
    // Every request is ML inference on the GPU: FastAPI's own API tier
    // serves none of them (the GPU tier answers them all), so each of its
    // request classes has share 0 and a request's time there is 0 s. Cloud
    // Run bills the instance-seconds with a request in flight: none, at
    // any traffic. Its busy share at one instance's load is then
    // 1 - e^(-0) = 0, not 0 / 0 (it was NaN, and a link or a saved scenario
    // of this case no longer reopened to an equal estimate).
    let mut s = Scenario::default();
    s.set_mix([0.0, 0.0, 0.0, 100.0]).unwrap();
    s.ml_device = MlDevice::Gpu;
    s.deploy = DeployTarget::ServerlessContainers;
    let e = published(&s);
    let st = e.stack(Stack::FastApi);
    let api = &st.deployment.tiers[0];
    assert_eq!(st.tiers[0].traffic_share, 0.0);
    assert_eq!(api.duration_ms, 0.0);
    assert_eq!(api.billed_instances, 0.0);
    assert_eq!(api.busy_when_loaded, 0.0);
    assert_eq!(st.tiers[0].monthly.total(), 0.0);
    assert_eq!(e, published(&s), "the same scenario, the same estimate");
}

#[test]
fn serverless_containers_bill_the_instances_kept_warm_at_the_idle_rate() {
    // Fastify, JSON only, 5 req/s flat, on the default 2 vCPUs and 4 GiB,
    // two minimum replicas kept warm (Cloud Run's min-instances). A request
    // is in an instance W ≈ 0.026 ms (Fastify's JSON), so one instance has
    // one in flight 1 - e^(-5 W) ≈ 0.013% of the time (B). The two kept
    // instances are idle the rest: 2 - B instance-seconds a second.
    // Busy, per instance-second: 2 x $24 + 4 x $2.50 per million = $58e-6.
    // Idle: 2 x $2.50 (Cloud Run's idle min-instance CPU) + 4 x $2.50
    // (memory, the same price idle) per million = $15e-6.
    // A month (2,628,000 s): (2 - B) x 15e-6 x 2,628,000 ≈ $78.83 idle,
    // B x 58e-6 x 2,628,000 ≈ $0.02 busy, and 5 x 2,628,000 requests at
    // $0.40 per million = $5.26: about $84.1. Scaled to zero (0 minimum
    // replicas) the idle $78.83 goes, and so does the table's second
    // instance.
    let mut s = json_flat(5.0, DeployTarget::ServerlessContainers);
    s.set(NumField::MinReplicas, 2.0).unwrap();
    let warm = published(&s);
    let st = warm.stack(Stack::Fastify);
    let d = &st.deployment.tiers[0];
    let w = d.duration_ms / 1e3;
    let busy = 1.0 - (-5.0 * w).exp();
    assert!(
        close(d.billed_instances, busy, 1e-9),
        "{}",
        d.billed_instances
    );
    assert!(
        close(d.idle_instances, 2.0 - busy, 1e-9),
        "{}",
        d.idle_instances
    );
    let month = SECONDS_PER_MONTH;
    let expected = (2.0 - busy) * 15e-6 * month + busy * 58e-6 * month + 5.0 * 0.4e-6 * month;
    assert!(
        close(st.monthly.total(), expected, 1e-9),
        "{} against {expected}",
        st.monthly.total()
    );
    assert!(close(expected, 84.1, 2e-3), "{expected}");
    assert_eq!(st.instances, 2);
    // The horizon bills every month the same way: flat traffic, so each
    // month is this one.
    let mut flat = s.clone();
    flat.set(NumField::GrowthPct, 0.0).unwrap();
    let e = published(&flat);
    let st = e.stack(Stack::Fastify);
    assert!(
        close(st.infra_horizon, expected * f64::from(e.months), 1e-9),
        "{}",
        st.infra_horizon
    );

    s.set(NumField::MinReplicas, 0.0).unwrap();
    let cold = published(&s);
    let st = cold.stack(Stack::Fastify);
    let d = &st.deployment.tiers[0];
    assert_eq!(d.idle_instances, 0.0);
    let expected = busy * 58e-6 * month + 5.0 * 0.4e-6 * month;
    assert!(
        close(st.monthly.total(), expected, 1e-9),
        "{} against {expected}",
        st.monthly.total()
    );
    assert_eq!(st.instances, 1, "an instance serves, none is kept");
}

#[test]
fn an_instance_kept_warm_spares_the_idle_cold_start() {
    // One request every 10 s, flat, with Cloud Run's idle timeout edited to
    // 10 s. Scaled to zero, a request finds none warm when none came in
    // the 10 s before it: e^(-0.1 x 10) = e^(-1) = 36.8% start cold. With
    // one instance kept, none do (the climb adds none: the traffic is
    // flat).
    let mut s = json_flat(0.1, DeployTarget::ServerlessContainers);
    s.set(NumField::MinReplicas, 0.0).unwrap();
    let set = idle_timeout("shared.run_idle_min", 10.0);
    let d = estimate(&s, &set).stack(Stack::Fastify).deployment.tiers[0];
    assert!(
        close(d.cold_share, (-1.0f64).exp(), 1e-9),
        "{}",
        d.cold_share
    );
    s.set(NumField::MinReplicas, 1.0).unwrap();
    let d = estimate(&s, &set).stack(Stack::Fastify).deployment.tiers[0];
    assert_eq!(d.cold_share, 0.0);
    // The day's climb still starts instances cold beyond the kept ones:
    // 1 kept, 20,000 req/s average to 60,000 at the peak, an instance
    // planned at r ≈ 50,700 req/s (2 vCPUs at the 65% ceiling): the climb
    // adds 60,000/r - max(1, 20,000/r) ≈ 0.18 instances a day, whose cold
    // starts fall among the day's 1.728 billion requests.
    s.set(NumField::AvgRps, 20_000.0).unwrap();
    s.set(NumField::PeakRatio, 3.0).unwrap();
    let d = published(&s).stack(Stack::Fastify).deployment.tiers[0];
    let r = d.per_instance_rps;
    let added = 60_000.0 / r - (20_000.0 / r).max(1.0);
    assert!(added > 0.1 && added < 0.3, "{added}");
    assert!(
        close(d.cold_share, added / (20_000.0 * 86_400.0), 1e-9),
        "{}",
        d.cold_share
    );
}

#[test]
fn a_function_that_cannot_hold_the_model_is_ruled_out_with_the_reason() {
    // A 12,000 MiB model: with the ML runtime one environment needs more
    // than the 10,240 MB a function may have. Every stack runs CPU
    // inference in a FastAPI process, so every one is ruled out, and says
    // why; on instances the same scenario is not.
    let mut s = Scenario::default();
    s.set(NumField::MlShare, 10.0).unwrap();
    s.set(NumField::ModelMib, 12_000.0).unwrap();
    s.set(NumField::MemGib, 64.0).unwrap();
    s.deploy = DeployTarget::Functions;
    let e = published(&s);
    let fastapi = e.stack(Stack::FastApi);
    let why = fastapi.deployment.ruled_out.unwrap().to_string();
    assert!(why.contains("cannot hold the model"), "{why}");
    assert!(why.contains("10,240 MB"), "{why}");
    assert!(fastapi
        .notes
        .iter()
        .any(|n| n.starts_with("Ruled out on serverless functions")));
    s.deploy = DeployTarget::Instances;
    assert!(published(&s)
        .stacks
        .iter()
        .all(|x| x.deployment.ruled_out.is_none()));

    // On GPU the model lives on GPU instances, which stay by the hour: the
    // Node API runs as a function.
    s.deploy = DeployTarget::Functions;
    s.ml_device = MlDevice::Gpu;
    s.set(NumField::GpuMemGib, 24.0).unwrap();
    let e = published(&s);
    assert!(e.stack(Stack::Fastify).deployment.ruled_out.is_none());
}

#[test]
fn the_answer_says_when_the_target_changes_the_cheapest_stack() {
    let s = Scenario::default();
    let e = published(&s);
    assert_eq!(e.cheapest_by_target.len(), DeployTarget::COUNT);
    let rec = recommend(&s, &e, None, None);
    let differs = e
        .cheapest_by_target
        .iter()
        .any(|(_, st)| *st != rec.stack && !rec.ties.contains(st));
    assert_eq!(
        rec.headline
            .contains("The deployment target changes the answer"),
        differs
    );
    // Kubernetes only adds a fee per month to every stack: the same answer
    // as instances.
    let on = |t| {
        e.cheapest_by_target
            .iter()
            .find(|(x, _)| *x == t)
            .unwrap()
            .1
    };
    assert_eq!(on(DeployTarget::Kubernetes), on(DeployTarget::Instances));

    // 60% inference at 1,000 req/s: FastAPI is cheapest off instances, and
    // the sentence names the targets as a sentence does, products kept.
    let s = stackwise::state::codec::from_query("v=1&ml=60&rps=1000")
        .state
        .scenario;
    let e = published(&s);
    let rec = recommend(&s, &e, None, None);
    assert!(
        rec.headline.ends_with(
            " The deployment target changes the answer: the cheapest would be FastAPI on \
             serverless functions (Lambda-style) and FastAPI on serverless containers (Cloud Run-style)."
        ),
        "{}",
        rec.headline
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn cost_never_falls_as_traffic_rises_on_any_target(s in scenario(), more in 1.0f64..10.0) {
        let set = AssumptionSet::published();
        for target in DeployTarget::ALL {
            let mut s = s.clone();
            s.deploy = target;
            let before = estimate(&s, &set);
            let mut s2 = s.clone();
            let rps = (s.get(NumField::AvgRps) * more).min(NumField::AvgRps.spec().max);
            s2.set(NumField::AvgRps, rps).unwrap();
            let after = estimate(&s2, &set);
            for st in Stack::ALL {
                let (a, b) = (before.stack(st), after.stack(st));
                prop_assert!(
                    b.monthly.total() >= a.monthly.total() * (1.0 - 1e-12) - 1e-9,
                    "{target:?} {st:?}: {} -> {}", a.monthly.total(), b.monthly.total()
                );
                prop_assert!(b.total >= a.total * (1.0 - 1e-12) - 1e-6, "{target:?} {st:?}");
            }
        }
    }

    #[test]
    fn every_instance_kept_warm_is_billed_busy_or_idle_and_more_never_cost_less(
        s in scenario(),
        more in 1.0f64..10.0,
    ) {
        // Serverless containers: a kept instance is billed either way, so
        // the busy and the idle instance-seconds cover the kept ones, the
        // idle ones never exceed them, and keeping more never lowers the
        // bill, today or over the horizon. Other targets keep none.
        let set = AssumptionSet::published();
        let mut s = s.clone();
        s.deploy = DeployTarget::ServerlessContainers;
        let kept = s.get(NumField::MinReplicas);
        let e = estimate(&s, &set);
        for st in &e.stacks {
            for (t, d) in st.tiers.iter().zip(&st.deployment.tiers) {
                if d.as_sized {
                    continue;
                }
                prop_assert!(d.kept_warm == kept || (d.kept_warm == 0.0 && d.duration_ms == 0.0));
                prop_assert!(d.idle_instances >= 0.0 && d.idle_instances <= d.kept_warm);
                // The month's bill is the busy, the idle and the requests.
                let bill = (d.billed_instances * d.per_instance_second
                    + d.idle_instances * d.idle_instance_second
                    + d.avg_rps * d.per_request)
                    * SECONDS_PER_MONTH;
                prop_assert!(close(t.monthly.total(), bill, 1e-9) || (bill == 0.0 && t.monthly.total() == 0.0),
                    "{:?} {:?}: {} against {bill}", st.stack, t.role, t.monthly.total());
                prop_assert!(
                    d.idle_instances + d.billed_instances >= d.kept_warm * (1.0 - 1e-12),
                    "{:?} {:?}: {} idle + {} busy < {} kept", st.stack, t.role,
                    d.idle_instances, d.billed_instances, d.kept_warm
                );
            }
        }
        let mut s2 = s.clone();
        let more_kept = (kept * more).ceil().min(NumField::MinReplicas.spec().max);
        s2.set(NumField::MinReplicas, more_kept).unwrap();
        let e2 = estimate(&s2, &set);
        for st in Stack::ALL {
            let (a, b) = (e.stack(st), e2.stack(st));
            // More kept instances can change the sizing itself (fewer
            // requests in flight on each, so more processes fit in memory
            // and an instance takes more): the busy bill then follows the
            // new rate. A GPU tier is priced by the hour as sized, its
            // minimum replicas and its later months by its own sizing.
            // Compared where the rate stays and every tier is billed as
            // serverless.
            let rate = |x: &stackwise::model::StackEstimate| {
                x.deployment.tiers.iter().map(|d| d.per_instance_rps).collect::<Vec<_>>()
            };
            if rate(a) != rate(b) || a.deployment.tiers.iter().any(|d| d.as_sized) {
                continue;
            }
            prop_assert!(b.monthly.total() >= a.monthly.total() * (1.0 - 1e-12) - 1e-9,
                "{st:?}: {kept} kept {} -> {more_kept} kept {}", a.monthly.total(), b.monthly.total());
            prop_assert!(b.infra_horizon >= a.infra_horizon * (1.0 - 1e-12) - 1e-6,
                "{st:?}: {kept} kept {} -> {more_kept} kept {}", a.infra_horizon, b.infra_horizon);
        }
        for target in [DeployTarget::Instances, DeployTarget::Kubernetes, DeployTarget::Functions] {
            let mut s = s.clone();
            s.deploy = target;
            for st in &estimate(&s, &set).stacks {
                prop_assert!(st.deployment.tiers.iter().all(|d| d.kept_warm == 0.0 && d.idle_instances == 0.0));
            }
        }
    }

    #[test]
    fn every_target_is_finite_and_its_shares_are_shares(s in scenario()) {
        let set = AssumptionSet::published();
        for target in DeployTarget::ALL {
            let mut s = s.clone();
            s.deploy = target;
            let e = estimate(&s, &set);
            for st in &e.stacks {
                prop_assert!(st.total.is_finite() && st.monthly.total().is_finite());
                prop_assert!(st.p99_ms.is_finite());
                for d in &st.deployment.tiers {
                    prop_assert!((0.0..=1.0).contains(&d.cold_share));
                    // At most the whole climb, as a share of the average.
                    let climb = s.get(NumField::PeakRatio) - 1.0;
                    prop_assert!(d.headroom >= 0.0 && d.headroom <= climb + 1e-12);
                    prop_assert!(d.lag_s.is_finite() && d.cold_start_ms.is_finite());
                    prop_assert!((0.0..=1.0).contains(&d.busy_when_loaded), "{:?}", d.busy_when_loaded);
                }
            }
        }
    }
}
