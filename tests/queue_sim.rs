//! The queueing model against a discrete-event simulation of the same tier.
//!
//! The simulator knows nothing of Erlang C or Allen-Cunneen: it pushes
//! seeded Poisson arrivals through the structure the model describes
//! (instances behind a balancer; inside each, one FIFO queue shared by the
//! processes for Uvicorn, one FIFO queue per process for Node's cluster)
//! and measures every response: its wait, its time on a process and its
//! time outside one. Over random scenarios that span the inputs' ranges the
//! model's p99 at the planned load must be within 25% of the simulated p99
//! (every round-robin scenario; at least 90% of least-outstanding ones), and
//! its "meets the p99 target" verdict must agree wherever the simulated p99
//! is more than 10% away from the target. `SIM_N` and `SIM_SEED` run a
//! longer or another pass: `SIM_N=500 cargo test --release --test
//! queue_sim -- --nocapture`.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic
#![allow(clippy::print_stdout)] // the comparison prints its figures

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use stackwise::model::{
    estimate, AssumptionSet, Balancing, MlDevice, NumField, Scenario, Stack, TierEstimate,
};

/// splitmix64: small, seeded, good enough for arrivals and routing.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut x = self.0;
        x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        x ^ (x >> 31)
    }
    /// Uniform in (0, 1].
    fn unit(&mut self) -> f64 {
        ((self.next_u64() >> 11) as f64 + 1.0) / (1u64 << 53) as f64
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n as u64) as usize
    }
    fn log_uniform(&mut self, lo: f64, hi: f64) -> f64 {
        (lo.ln() + self.unit() * (hi.ln() - lo.ln())).exp()
    }
}

/// Seconds as ordered integers (nanoseconds) for the heaps.
fn ns(t: f64) -> u64 {
    (t * 1e9) as u64
}

/// Simulates `tier` at its planned load (today's peak over its instances)
/// and returns the 99th percentile of the response time, ms.
fn simulate_p99_ms(tier: &TierEstimate, requests: usize, seed: u64) -> f64 {
    simulate(tier, requests, seed).0
}

/// Simulates `tier` at its planned load; returns the 99th percentile of
/// the response time, ms, and its mean, s.
fn simulate(tier: &TierEstimate, requests: usize, seed: u64) -> (f64, f64) {
    let mut rng = Rng(seed);
    let n = tier.instances as usize;
    let c = tier.servers as usize;
    let lambda = tier.peak_rps;
    let classes: Vec<_> = tier.classes.iter().filter(|k| k.share > 0.0).collect();
    let total_share: f64 = classes.iter().map(|k| k.share).sum();
    // Per instance: free time of each server; for Node each server is its
    // own queue, for Uvicorn the instance's servers share one queue.
    let mut free = vec![vec![0.0_f64; c]; n];
    // Completion times of the requests each instance has in progress, for
    // least-outstanding routing.
    let mut outstanding: Vec<BinaryHeap<Reverse<u64>>> = vec![BinaryHeap::new(); n];
    let warm_up = requests / 10;
    let mut responses = Vec::with_capacity(requests - warm_up);
    let mut t = 0.0;
    for i in 0..requests {
        t += -rng.unit().ln() / lambda;
        // The class of this request.
        let mut pick = rng.unit() * total_share;
        let mut class = classes[classes.len() - 1];
        for k in &classes {
            if pick <= k.share {
                class = k;
                break;
            }
            pick -= k.share;
        }
        // Which instance.
        let instance = match tier.balancing {
            Balancing::RoundRobin => rng.below(n),
            Balancing::LeastOutstanding => {
                let now = ns(t);
                let mut best = 0;
                let mut best_count = usize::MAX;
                // Start at a random instance so ties are broken at random.
                let offset = rng.below(n);
                for j in 0..n {
                    let idx = (j + offset) % n;
                    let heap = &mut outstanding[idx];
                    while heap.peek().is_some_and(|Reverse(done)| *done <= now) {
                        heap.pop();
                    }
                    if heap.len() < best_count {
                        best_count = heap.len();
                        best = idx;
                    }
                }
                best
            }
        };
        // Which server: the earliest free of the shared queue, or the
        // process the cluster hands it to.
        let servers = &mut free[instance];
        let server = if tier.shared_socket {
            let mut s = 0;
            for (j, f) in servers.iter().enumerate() {
                if *f < servers[s] {
                    s = j;
                }
            }
            s
        } else {
            rng.below(c)
        };
        let start = t.max(servers[server]);
        let done_cpu = start + class.service_s;
        servers[server] = done_cpu;
        let done = done_cpu + class.outside_s;
        if tier.balancing == Balancing::LeastOutstanding {
            outstanding[instance].push(Reverse(ns(done)));
        }
        if i >= warm_up {
            responses.push(done - t);
        }
    }
    let mean = responses.iter().sum::<f64>() / responses.len() as f64;
    responses.sort_by(f64::total_cmp);
    let at = ((responses.len() as f64) * 0.99).ceil() as usize - 1;
    (responses[at.min(responses.len() - 1)] * 1e3, mean)
}

/// A random scenario across the inputs' ranges, kept to tiers the
/// simulator can run quickly (at most 4,000 processes in all).
fn random_scenario(rng: &mut Rng) -> (Scenario, Stack) {
    let mut s = Scenario::default();
    let mut shares = [0.0; 4];
    for share in shares.iter_mut().take(3) {
        *share = if rng.unit() < 0.25 {
            0.0
        } else {
            rng.unit() * 100.0
        };
    }
    shares[3] = if rng.unit() < 0.3 {
        rng.unit() * 40.0
    } else {
        0.0
    };
    if shares.iter().sum::<f64>() <= 0.0 {
        shares[0] = 100.0;
    }
    s.set_mix(shares).unwrap();
    s.ml_device = MlDevice::Cpu;
    let set = |s: &mut Scenario, f: NumField, v: f64| {
        let spec = f.spec();
        s.set(f, v.clamp(spec.min, spec.max)).unwrap();
    };
    set(&mut s, NumField::CpuMs, rng.log_uniform(0.05, 40.0));
    set(
        &mut s,
        NumField::VectorisedShare,
        (rng.unit() * 100.0).round(),
    );
    set(
        &mut s,
        NumField::IoWaitMs,
        rng.log_uniform(1.0, 400.0).round(),
    );
    set(&mut s, NumField::InferenceMs, rng.log_uniform(2.0, 200.0));
    set(
        &mut s,
        NumField::Vcpu,
        [1.0, 2.0, 4.0, 8.0, 16.0][rng.below(5)],
    );
    set(&mut s, NumField::MemGib, 64.0);
    set(
        &mut s,
        NumField::AvgRps,
        rng.log_uniform(5.0, 5_000.0).round(),
    );
    set(
        &mut s,
        NumField::PeakRatio,
        1.0 + (rng.unit() * 30.0).round() / 10.0,
    );
    set(
        &mut s,
        NumField::UtilCeiling,
        (40.0 + rng.unit() * 55.0).round(),
    );
    set(
        &mut s,
        NumField::P99TargetMs,
        rng.log_uniform(5.0, 3_000.0).round(),
    );
    set(&mut s, NumField::MinReplicas, 1.0 + rng.below(3) as f64);
    s.balancing = if rng.unit() < 0.5 {
        Balancing::RoundRobin
    } else {
        Balancing::LeastOutstanding
    };
    let stack = Stack::ALL[rng.below(Stack::ALL.len())];
    (s, stack)
}

/// Simulates `count` random scenarios balanced by `balancing` and returns
/// the share of them whose model p99 is within 25% of the simulated one;
/// panics when a verdict disagrees where the simulation is clear.
fn compare(balancing: Balancing, seed: u64, count: usize) -> f64 {
    let mut rng = Rng(seed);
    let set = AssumptionSet::published();
    let mut tried = 0;
    let mut rows: Vec<(f64, String)> = Vec::new();
    let mut disagreements = Vec::new();
    while rows.len() < count {
        tried += 1;
        assert!(tried < 5_000, "too few scenarios fit the simulator");
        let (mut s, stack) = random_scenario(&mut rng);
        s.balancing = balancing;
        let e = estimate(&s, &set);
        let tier = &e.stack(stack).tiers[0];
        let processes = tier.instances.saturating_mul(u64::from(tier.servers));
        if tier.peak_rps <= 0.0 || processes > 4_000 || tier.p99_ms >= 1e8 {
            continue;
        }
        let simulated = simulate_p99_ms(tier, 300_000, seed ^ rows.len() as u64);
        let ratio = tier.p99_ms / simulated;
        let target = s.get(NumField::P99TargetMs);
        let label = format!(
            "{} n={} c={} util={:.0}% scv={:.1}: model {:.2} ms, simulated {:.2} ms, target {target} ms",
            stack.label(),
            tier.instances,
            tier.servers,
            100.0 * tier.peak_rps / (tier.instances as f64 * tier.capacity_rps),
            tier.service_scv,
            tier.p99_ms,
            simulated,
        );
        if (simulated - target).abs() > 0.1 * target && tier.meets_p99 != (simulated <= target) {
            disagreements.push(label.clone());
        }
        rows.push((ratio, label));
    }
    rows.sort_by(|a, b| (b.0 - 1.0).abs().total_cmp(&(a.0 - 1.0).abs()));
    let within = rows.iter().filter(|(r, _)| (r - 1.0).abs() <= 0.25).count();
    println!(
        "{balancing:?}: {count} scenarios simulated ({tried} drawn), {within} with the model's p99 within 25%; worst model/simulated ratios:"
    );
    for (ratio, label) in rows.iter().take(6) {
        println!("  {ratio:.3}  {label}");
    }
    assert!(
        disagreements.is_empty(),
        "{balancing:?}: verdicts disagree:\n{}",
        disagreements.join("\n")
    );
    within as f64 / count as f64
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Round-robin: every instance (or process) its own M/G/c queue. The
/// model's p99 is within 25% of the simulation's in every scenario.
#[test]
fn round_robin_p99_agrees_with_a_discrete_event_simulation() {
    let count = setting("SIM_N", 60) as usize;
    let share = compare(
        Balancing::RoundRobin,
        setting("SIM_SEED", 0x5eed_0001),
        count,
    );
    assert_eq!(
        share, 1.0,
        "some round-robin scenarios are off by more than 25%"
    );
}

/// Least outstanding requests: the model interpolates between a blind and a
/// pooled layout (`QueueLayout::p99_s`). The balancer counts requests
/// awaiting I/O, so it can even herd work onto an instance whose CPU queue
/// is long; the approximation holds in most scenarios, not all, and the
/// test says how many.
#[test]
fn least_outstanding_p99_agrees_with_a_discrete_event_simulation_in_most_scenarios() {
    let count = setting("SIM_N", 60) as usize;
    let share = compare(
        Balancing::LeastOutstanding,
        setting("SIM_SEED", 0x5eed_0002),
        count,
    );
    assert!(share >= 0.9, "only {:.0}% within 25%", share * 100.0);
}

/// Finding: behind least outstanding requests, a Node.js tier read no wait
/// at all wherever the pooled layout (one queue per process slot across
/// the instances) kept 99% of requests from waiting, though Node's cluster
/// deals each instance's requests to its processes blind. This Fastify
/// tier (157 instances of 2 processes, half its requests 20 ms of CPU) was
/// planned at 45% busy with a p99 of 20.07 ms, its CPU time alone, within
/// a 26 ms target; simulated there, its p99 is 39.5 ms. Planned now, it
/// meets the target in the simulation as the model says: 219 instances,
/// where the simulation needs 200-205 (26.0 ms at 200, 31.3 at 195).
#[test]
fn a_least_outstanding_node_tier_meets_its_target_where_the_model_says_it_does() {
    let link = "v=1&json=17.851652947162147&io=29.888599373280083&cpu=51.64139443032795\
        &ml=0.6183532492298108&iowait=8&cpums=19.555548429649196&vector=55\
        &infms=136.46328835781136&rps=3869&peak=3.5&p99=26&replicas=3&memgib=64\
        &util=58&lb=lor&productivity=1";
    let state = stackwise::state::codec::from_query(link).state;
    let e = estimate(&state.scenario, &state.assumptions);
    let tier = &e.stack(Stack::Fastify).tiers[0];
    let simulated = simulate_p99_ms(tier, 1_000_000, 0x5eed_0009);
    println!(
        "{} instances of {}: model {:.1} ms, simulated {simulated:.1} ms, target 26 ms",
        tier.instances, tier.servers, tier.p99_ms
    );
    assert!(tier.meets_p99);
    assert!(simulated <= 26.0, "simulated {simulated} ms");
}

/// Share of `requests` Poisson arrivals at `rate` per second, each busy
/// `duration` seconds in an environment of its own, that find no idle warm
/// environment, when an environment is kept `idle` seconds after its last
/// request (AWS Lambda's behaviour as measured: one request at a time per
/// environment, the most recently used idle one reused first).
fn simulate_cold_share(rate: f64, duration: f64, idle: f64, requests: usize, seed: u64) -> f64 {
    let mut rng = Rng(seed);
    // When each environment became free: busy until then, warm until then
    // plus `idle`.
    let mut free_at: Vec<f64> = Vec::new();
    let (mut now, mut cold) = (0.0_f64, 0usize);
    for _ in 0..requests {
        now += -rng.unit().ln() / rate;
        free_at.retain(|&f| f + idle >= now);
        let reuse = free_at
            .iter()
            .enumerate()
            .filter(|(_, &f)| f <= now)
            .max_by(|a, b| a.1.total_cmp(b.1))
            .map(|(i, _)| i);
        match reuse {
            Some(i) => free_at[i] = now + duration,
            None => {
                cold += 1;
                free_at.push(now + duration);
            }
        }
    }
    cold as f64 / requests as f64
}

#[test]
fn the_cold_start_share_agrees_with_a_simulation_of_an_idle_timeout() {
    // Arrivals from one every 2 idle timeouts to 8 in one, requests short
    // against the gaps (a 20 ms function, a 10-minute timeout): the model's
    // exp(-λ T) within 10% (or 0.003) of the simulated share.
    let idle = 600.0;
    for (i, per_timeout) in [0.5, 1.0, 2.0, 4.0, 8.0].into_iter().enumerate() {
        let rate = per_timeout / idle;
        let simulated = simulate_cold_share(rate, 0.02, idle, 40_000, 7 + i as u64);
        let model = stackwise::model::cold_share(rate, idle, 0.0);
        println!("λT = {per_timeout}: simulated {simulated:.4}, model {model:.4}");
        assert!(
            (simulated - model).abs() <= 0.1 * model + 0.003,
            "λT = {per_timeout}: simulated {simulated}, model {model}"
        );
    }
    // Busy traffic (200 req/s of 50 ms functions, 10 concurrent): with a
    // steady rate no environment idles out, and the concurrency's own ups
    // and downs start environments cold rarely: under 1 in 10,000 after
    // the first ones, as the model's 0 for no climb says.
    let simulated = simulate_cold_share(200.0, 0.05, idle, 400_000, 3);
    assert!(simulated < 1e-4, "{simulated}");
}

/// Time averages of the instances with a request in flight, and of the
/// `kept` instances kept warm that stand idle, when `requests` Poisson
/// arrivals at `rate` per second, each in an instance an exponential time
/// of mean `mean_s`, are spread at random over `instances` instances (one:
/// it takes them all).
fn simulate_kept_idle(
    rate: f64,
    mean_s: f64,
    instances: usize,
    kept: f64,
    requests: usize,
    seed: u64,
) -> (f64, f64) {
    let mut rng = Rng(seed);
    // Each instance's time with a request in flight, as merged intervals.
    let mut current: Vec<Option<(f64, f64)>> = vec![None; instances];
    let mut edges: Vec<(f64, i32)> = Vec::new();
    let mut now = 0.0_f64;
    for _ in 0..requests {
        now += -rng.unit().ln() / rate;
        let end = now - rng.unit().ln() * mean_s;
        let i = rng.below(instances);
        current[i] = match current[i] {
            Some((start, until)) if now <= until => Some((start, until.max(end))),
            Some((start, until)) => {
                edges.extend([(start, 1), (until, -1)]);
                Some((now, end))
            }
            None => Some((now, end)),
        };
    }
    edges.extend(
        current
            .into_iter()
            .flatten()
            .flat_map(|(s, e)| [(s, 1), (e, -1)]),
    );
    edges.sort_by(|a, b| a.0.total_cmp(&b.0));
    // Up to the last arrival: the tails after it are not a steady state.
    let (mut busy, mut idle, mut in_flight, mut last) = (0.0, 0.0, 0i32, 0.0_f64);
    for (t, step) in edges {
        let t = t.min(now);
        busy += f64::from(in_flight) * (t - last);
        idle += (kept - f64::from(in_flight)).max(0.0) * (t - last);
        in_flight += step;
        last = t;
    }
    (busy / now, idle / now)
}

#[test]
fn the_instances_kept_warm_bill_idle_as_a_simulation_counts_them() {
    use stackwise::model::{billed_instance_share, idle_kept};
    // One instance takes the traffic (below its planned load r): at most
    // one is busy, so the kept instances stand idle `kept - busy` of the
    // time, exactly. By hand, 5 req/s of 50 ms: busy 1 - e^(-0.25) =
    // 0.2212, two kept idle 1.7788 instance-seconds a second.
    for (i, (rate, mean_s, kept)) in [(5.0, 0.05, 2.0), (50.0, 0.01, 3.0), (0.5, 0.2, 1.0)]
        .into_iter()
        .enumerate()
    {
        let (busy, idle) = simulate_kept_idle(rate, mean_s, 1, kept, 400_000, 11 + i as u64);
        let model_busy = billed_instance_share(rate, mean_s, 1e9);
        let model_idle = idle_kept(kept, model_busy);
        println!("{rate} req/s x {mean_s} s, {kept} kept: busy {busy:.4} (model {model_busy:.4}), idle {idle:.4} (model {model_idle:.4})");
        assert!(
            (busy - model_busy).abs() <= 0.02 * model_busy,
            "busy {busy} against {model_busy}"
        );
        assert!(
            (idle - model_idle).abs() <= 0.01 * model_idle,
            "idle {idle} against {model_idle}"
        );
    }
    // Above one instance's load the model counts the busy instances on
    // average (λ/r of them, each busy 1 - e^(-rW)); their number varies,
    // so more kept ones stand idle than `kept - busy`: the model's idle is
    // a lower bound. 4 instances at r = 25 req/s of 20 ms (each busy
    // 1 - e^(-0.5) = 39.3%), 2 kept: the model says 0.43 idle, the
    // binomial count 2 x 0.607^4 + 4 x 0.393 x 0.607^3 = 0.62. The bill,
    // at Cloud Run's prices for 2 vCPUs and 4 GiB ($58 busy, $15 idle per
    // million instance-seconds), is within 5%.
    let (busy, idle) = simulate_kept_idle(100.0, 0.02, 4, 2.0, 400_000, 5);
    let model_busy = billed_instance_share(100.0, 0.02, 25.0);
    let model_idle = idle_kept(2.0, model_busy);
    println!("4 instances, 2 kept: busy {busy:.4} (model {model_busy:.4}), idle {idle:.4} (model {model_idle:.4})");
    assert!(
        (busy - model_busy).abs() <= 0.02 * model_busy,
        "busy {busy} against {model_busy}"
    );
    assert!(
        model_idle <= idle && (idle - 0.62).abs() < 0.02,
        "idle {idle}, model {model_idle}"
    );
    let (bill, model_bill) = (
        58.0 * busy + 15.0 * idle,
        58.0 * model_busy + 15.0 * model_idle,
    );
    assert!(
        (bill - model_bill).abs() <= 0.05 * bill,
        "{bill} against {model_bill}"
    );
}

/// Round-robin tiers whose count today the minimum replicas set, loaded at
/// the rate later months are planned for (`max_rps` an instance, which the
/// horizon adds instances past): where the simulation is clear (more than
/// 10% from the target) it meets the p99 target. Planned at the CPU
/// ceiling's load, as they were, some missed it by far.
#[test]
fn the_load_later_months_are_planned_at_meets_the_p99_in_a_simulation() {
    let count = setting("SIM_N", 60) as usize / 2;
    let mut rng = Rng(setting("SIM_SEED", 0x5eed_0003));
    let set = AssumptionSet::published();
    let (mut tried, mut simulated_count, mut below_ceiling) = (0, 0, 0);
    let mut misses = Vec::new();
    while simulated_count < count {
        tried += 1;
        assert!(tried < 20_000, "too few scenarios fit the simulator");
        let (mut s, stack) = random_scenario(&mut rng);
        s.balancing = Balancing::RoundRobin;
        s.set(NumField::MinReplicas, 4.0 + rng.below(12) as f64)
            .unwrap();
        let e = estimate(&s, &set);
        let today = e.stack(stack).tiers[0];
        let target = s.get(NumField::P99TargetMs);
        if !today.meets_p99 || today.binding != stackwise::model::Constraint::Replicas {
            continue;
        }
        // The same instances, each at the planned load.
        let mut planned = today;
        planned.peak_rps = today.max_rps * today.instances as f64;
        let processes = planned.instances.saturating_mul(u64::from(planned.servers));
        if planned.peak_rps <= 0.0 || processes > 4_000 {
            continue;
        }
        let model = planned.p99_ms_at_utilisation(planned.utilisation);
        let simulated = simulate_p99_ms(&planned, 200_000, tried as u64);
        simulated_count += 1;
        // The ceiling's load, less the scale-out lag's headroom: what the
        // tier was planned at before the p99 was asked.
        let headroom = e.stack(stack).deployment.tiers[0].headroom;
        let ceiling = s.get(NumField::UtilCeiling) / 100.0 / (1.0 + headroom);
        if planned.utilisation < ceiling * 0.999 {
            below_ceiling += 1;
        }
        println!(
            "{} n={} c={} planned {:.0}% (ceiling less the lag's headroom {:.0}%): model {model:.1} ms, simulated {simulated:.1} ms, target {target} ms",
            stack.label(),
            planned.instances,
            planned.servers,
            planned.utilisation * 100.0,
            ceiling * 100.0,
        );
        assert!(
            model <= target * 1.001,
            "the model's own p99 at the planned load: {model} ms against {target} ms"
        );
        if simulated > target * 1.1 {
            misses.push(format!(
                "{}: simulated {simulated:.1} ms against {target} ms",
                stack.label()
            ));
        }
    }
    println!("{simulated_count} scenarios ({tried} drawn), {below_ceiling} planned below the ceiling's load for the p99");
    assert!(
        below_ceiling > 0,
        "no scenario tried a load under the ceiling"
    );
    assert!(
        misses.is_empty(),
        "planned loads that miss the p99:\n{}",
        misses.join("\n")
    );
}

/// Tiers whose memory binds (small instances, long waits), with any
/// minimum replicas, loaded at the load one instance is planned for (later
/// months reach it): the requests in flight there (the
/// simulated mean response, by Little's law) are at most 5% more than the
/// model counts and, round-robin, at most 10% fewer; they never overflow
/// the instance by more than 5%. Where the memory
/// binds with the ceiling's load, the instance is planned at the load that
/// fills the room the processes leave.
#[test]
fn an_instance_planned_at_the_load_its_memory_holds_holds_it_in_a_simulation() {
    use stackwise::model::{AssumptionId, Constraint, FigureKind};
    let count = setting("SIM_N", 60) as usize / 3;
    let mut rng = Rng(setting("SIM_SEED", 0x5eed_0004));
    let set = AssumptionSet::published();
    let (mut tried, mut checked) = (0, 0);
    while checked < count {
        tried += 1;
        assert!(tried < 20_000, "too few memory-bound scenarios");
        let (mut s, stack) = random_scenario(&mut rng);
        s.set(NumField::MemGib, [0.5, 1.0, 2.0][rng.below(3)])
            .unwrap();
        s.set(NumField::IoWaitMs, rng.log_uniform(500.0, 10_000.0).round())
            .unwrap();
        s.set(NumField::AvgRps, rng.log_uniform(200.0, 5_000.0).round())
            .unwrap();
        // Any minimum replicas: later months load every instance to the
        // planned load, however thinly they share today's peak.
        s.set(NumField::MinReplicas, [1.0, 2.0, 6.0][rng.below(3)])
            .unwrap();
        let e = estimate(&s, &set);
        let st = e.stack(stack);
        let tier = st.tiers[0];
        if tier.binding != Constraint::Memory || !tier.memory.fits() || tier.peak_rps <= 0.0 {
            continue;
        }
        // The load the memory was worked out at: the planned load, before
        // the scale-out lag's headroom took a share off it.
        let headroom = st.deployment.tiers[0].headroom;
        let load = tier.max_rps * (1.0 + headroom);
        let mut planned = tier;
        planned.peak_rps = load * tier.instances as f64;
        let processes = planned.instances.saturating_mul(u64::from(planned.servers));
        if processes > 4_000 || planned.peak_rps * 20.0 > 2e6 {
            continue;
        }
        let each = set
            .get(AssumptionId::Framework(
                tier.framework,
                FigureKind::InflightMib,
            ))
            .typical;
        let model = tier.memory.inflight_mib / each;
        let (_, mean_s) = simulate(&planned, 200_000, tried as u64);
        let simulated = load * mean_s;
        checked += 1;
        println!(
            "{} {:?} {} processes, {:.2} GiB: {model:.1} requests in flight by the model, {simulated:.1} simulated ({} MiB each, {:.0} of {:.0} MiB)",
            stack.label(), s.balancing, tier.processes, s.get(NumField::MemGib), each, tier.memory.total_mib(), tier.memory.available_mib
        );
        // Behind least outstanding the model reads an instance's own
        // queues, which the pooling only shortens: fewer may be in flight
        // (a third as many in one busy single-process case).
        let fewest = match s.balancing {
            Balancing::RoundRobin => 0.9,
            Balancing::LeastOutstanding => 0.0,
        };
        assert!(
            simulated <= 1.05 * model && simulated >= fewest * model,
            "{simulated} against {model}, {:?}",
            s.balancing
        );
        let used = tier.memory.total_mib() - tier.memory.inflight_mib + simulated * each;
        assert!(
            used <= 1.05 * tier.memory.available_mib,
            "{used} MiB in {} MiB",
            tier.memory.available_mib
        );
    }
    println!("{checked} memory-bound scenarios ({tried} drawn)");
}

/// One GPU that batches: seeded Poisson arrivals at `lambda` req/s; when
/// the GPU is free it starts on everything waiting, up to `max_batch`, and
/// a batch of `b` takes `t1 (1 + g (b - 1))`; every request of a batch
/// leaves when it ends, then spends `outside` seconds away. The 99th
/// percentile of the response, ms, over `requests` (the first 5% left out
/// as warm-up).
fn simulate_batching_p99_ms(
    (t1, g, max_batch, outside): (f64, f64, usize, f64),
    lambda: f64,
    requests: usize,
    seed: u64,
) -> f64 {
    let mut rng = Rng(seed);
    let mut clock = 0.0;
    let arrivals: Vec<f64> = (0..requests)
        .map(|_| {
            clock += -rng.unit().ln() / lambda;
            clock
        })
        .collect();
    let mut responses = Vec::with_capacity(requests);
    let (mut free_at, mut next) = (0.0_f64, 0);
    while next < requests {
        let start = free_at.max(arrivals[next]);
        let mut end = next;
        while end < requests && arrivals[end] <= start && end - next < max_batch {
            end += 1;
        }
        let done = start + t1 * (1.0 + g * ((end - next) as f64 - 1.0));
        responses.extend(arrivals[next..end].iter().map(|a| done - a + outside));
        free_at = done;
        next = end;
    }
    let mut kept = responses.split_off(requests / 20);
    kept.sort_by(f64::total_cmp);
    kept[kept.len() * 99 / 100] * 1e3
}

/// GPU tiers that batch, over the inputs' ranges (inference 2-200 ms,
/// batches of 1-256, the batch cost over its range and above it up to 1,
/// targets of 20-5,000 ms): one GPU simulated at today's load has a p99
/// no more than the model's (5% for a sample's noise) and no less than 55%
/// of it, and where the model says the target is met at the load later
/// months are planned for, so does the simulation. The model once took a request to wait only
/// for the batch in progress (p99 `t1 (1 + x)` or `2 t(b)`): a simulated
/// GPU at 80% of its batching capacity had a p99 of 10 inferences where it
/// said 3.3. Then it read the wait as one inference at a time at the same
/// share of the capacity alone: batches of 256 at 77% of it were simulated
/// at 1.22 times that (185 against 152 ms), and a 160 ms target "met";
/// batches of 8 at a batch cost of 0.25 and 90% of it at 0.44 times. Above
/// the range it left out the requests that join a batch after a request:
/// at a batch cost of 1, up to 1.3 times (batches of 8 at 80%). Read with
/// the M/D/1 tail's asymptote alone, without the requests that join while
/// a request waits and its own batch, it read up to 1.17 times low at
/// targets of 2 inferences; without the joiners' spread (`g² √m`), batch
/// costs of 0.8-0.9 read up to 1.07 times low at 20-40% of the capacity.
#[test]
fn a_batching_gpu_s_p99_is_the_simulation_s_within_its_bounds() {
    use stackwise::model::{AssumptionId, SharedFigure};
    let count = setting("SIM_N", 60) as usize / 2;
    let mut rng = Rng(setting("SIM_SEED", 0x5eed_0005));
    let id = AssumptionId::Shared(SharedFigure::GpuBatchCost);
    let published = AssumptionSet::published();
    let (low, high) = (published.get(id).low, published.get(id).high);
    let (mut tried, mut checked, mut latency_bound) = (0, 0, 0);
    let mut worst = (f64::INFINITY, 0.0_f64);
    while checked < count {
        tried += 1;
        assert!(tried < 20_000, "too few GPU scenarios");
        let (mut s, stack) = random_scenario(&mut rng);
        s.ml_device = MlDevice::Gpu;
        s.set(NumField::MlShare, 10.0 + rng.below(80) as f64)
            .unwrap();
        s.set(
            NumField::GpuMaxBatch,
            [1.0, 2.0, 4.0, 8.0, 32.0, 256.0][rng.below(6)],
        )
        .unwrap();
        s.set(
            NumField::P99TargetMs,
            rng.log_uniform(20.0, 5_000.0).round(),
        )
        .unwrap();
        // Half over the figure's range, half over what an edited figure
        // may be beyond it, up to one full inference a request.
        let g = if rng.below(2) == 0 {
            low + (high - low) * rng.unit()
        } else {
            high + (1.0 - high) * rng.unit()
        };
        let mut set = published.clone();
        set.set(id, published.get(id).pinned(g)).unwrap();
        let e = estimate(&s, &set);
        let st = e.stack(stack);
        let Some((i, tier)) = st.tiers.iter().enumerate().find(|(_, t)| t.on_gpu) else {
            continue;
        };
        let max_batch = s.get(NumField::GpuMaxBatch);
        let t1 = max_batch / (tier.capacity_rps * (1.0 + g * (max_batch - 1.0)));
        let gpu = (t1, g, max_batch as usize, tier.classes[0].outside_s);
        let today = tier.peak_rps / tier.instances as f64;
        if today * t1 < 1e-3 || tier.capacity_rps * 2_000.0 > 5e6 {
            continue;
        }
        checked += 1;
        let simulated = simulate_batching_p99_ms(gpu, today, 200_000, tried as u64);
        let ratio = simulated / tier.p99_ms;
        worst = (worst.0.min(ratio), worst.1.max(ratio));
        println!(
            "B={max_batch} g={g:.2} t1={:.1} ms at {:.0}% of capacity: model {:.1} ms, simulated {simulated:.1} ms",
            t1 * 1e3,
            today / tier.capacity_rps * 100.0,
            tier.p99_ms
        );
        assert!(
            (0.55..=1.05).contains(&ratio),
            "today: simulated {simulated} ms against the model's {} ms (B={max_batch}, g={g}, {:.0}%)",
            tier.p99_ms,
            today / tier.capacity_rps * 100.0
        );
        let target = s.get(NumField::P99TargetMs);
        if tier.meets_p99 && tier.binding == stackwise::model::Constraint::Latency {
            latency_bound += 1;
            let headroom = st.deployment.tiers[i].headroom;
            let planned = tier.max_rps * (1.0 + headroom);
            let at_planned = simulate_batching_p99_ms(gpu, planned, 200_000, tried as u64 + 1);
            assert!(
                at_planned <= 1.05 * target,
                "planned {planned:.1}/s: simulated {at_planned} ms against a {target} ms target (B={max_batch}, g={g})"
            );
        }
    }
    println!(
        "{checked} GPU tiers ({tried} drawn, {latency_bound} sized by the p99): simulated over model {:.2} to {:.2}",
        worst.0, worst.1
    );
    assert!(latency_bound > 0, "no GPU tier sized by the p99");
}

/// A GPU with batching off is an M/D/1 queue, and the model reads it
/// exactly: at the most load the model allows within a target, from 1.6 to
/// 30 inferences, a simulated GPU meets the target (3% for a sample's
/// noise), and at a tenth more load it misses it, so no GPU is planned
/// that the traffic does not need. The heavy-traffic tail the model read
/// it with before planned 43% more GPUs at a target of 3 inferences (a
/// simulated GPU met it at 1.43 times the load) and 58% more at 2.5.
#[test]
fn a_gpu_with_batching_off_is_planned_at_the_most_load_that_meets_its_target() {
    use stackwise::model::BatchingGpu;
    let t1 = 0.014;
    for (i, inferences) in [1.6, 2.0, 2.5, 3.0, 4.0, 6.0, 10.0, 30.0]
        .into_iter()
        .enumerate()
    {
        let target_ms = inferences * t1 * 1e3;
        let gpu = BatchingGpu {
            t1_s: t1,
            batch_cost: 0.25,
            max_batch: 1.0,
        };
        let most = gpu.most_within(target_ms / 1e3);
        let seed = 0x0ff_0000 + i as u64;
        let at_most = simulate_batching_p99_ms((t1, 0.25, 1, 0.0), most, 400_000, seed);
        let above = simulate_batching_p99_ms((t1, 0.25, 1, 0.0), 1.1 * most, 400_000, seed);
        println!(
            "target {inferences} inferences: {:.1}% busy, simulated p99 {:.2} inferences, {:.2} at a tenth more",
            most * t1 * 100.0,
            at_most / (t1 * 1e3),
            above / (t1 * 1e3)
        );
        assert!(
            at_most <= 1.03 * target_ms,
            "at {most:.2}/s: simulated {at_most} ms against a {target_ms} ms target"
        );
        assert!(
            above > target_ms,
            "at {:.2}/s: simulated {above} ms, still within a {target_ms} ms target",
            1.1 * most
        );
    }
}

/// Traffic that climbs from the average to the peak over the ramp, on
/// instances an autoscaler adds as the traffic it saw a lag ago asks,
/// each planned at the load the model plans it for (its headroom taken
/// off): in every 5 s window of the climb, counted with Poisson noise, the
/// requests per instance stay within 2% of the load one instance was sized
/// for before the headroom (the ceiling's or the p99's). The headroom was
/// the rise in the lag as a share of the peak, `(1 - 1/ratio) lag / ramp`:
/// early in the climb, where the traffic rises fastest for its size, the
/// instances took up to 14% more (ratio 3, a lag of a tenth of the ramp);
/// now `(ratio - 1) lag / ramp`, the rise over the average.
#[test]
fn instances_added_a_lag_late_carry_the_climb_in_a_simulation() {
    use stackwise::model::DeployTarget;
    let count = setting("SIM_N", 60) as usize / 3;
    let mut rng = Rng(setting("SIM_SEED", 0x5eed_0006));
    let set = AssumptionSet::published();
    let (mut tried, mut checked) = (0, 0);
    let mut worst = 0.0_f64;
    while checked < count {
        tried += 1;
        assert!(tried < 20_000, "too few scenarios with a lag");
        let (mut s, stack) = random_scenario(&mut rng);
        s.deploy = DeployTarget::Instances;
        s.set(
            NumField::AvgRps,
            rng.log_uniform(2_000.0, 200_000.0).round(),
        )
        .unwrap();
        s.set(
            NumField::PeakRatio,
            1.5 + (rng.unit() * 25.0).round() / 10.0,
        )
        .unwrap();
        s.set(NumField::RampMinutes, rng.log_uniform(1.0, 60.0).round())
            .unwrap();
        s.set(NumField::MinReplicas, 1.0).unwrap();
        let e = estimate(&s, &set);
        let st = e.stack(stack);
        let (tier, lag) = (st.tiers[0], st.deployment.tiers[0]);
        let peak = tier.peak_rps;
        let avg = peak / s.get(NumField::PeakRatio);
        // Enough instances at the average that rounding up leaves no room.
        if lag.headroom <= 0.0 || avg / tier.max_rps < 30.0 || tier.max_rps <= 0.0 {
            continue;
        }
        checked += 1;
        let sized_for = tier.max_rps * (1.0 + lag.headroom);
        let ramp = s.get(NumField::RampMinutes) * 60.0;
        let rate = |t: f64| avg + (peak - avg) * (t / ramp).clamp(0.0, 1.0);
        let window = 5.0;
        let mut most = 0.0_f64;
        let mut t = 0.0;
        while t < ramp + lag.lag_s + 60.0 {
            // Instances serving through the window: those asked for a lag
            // before its start (the traffic only rises).
            let instances = (rate(t - lag.lag_s) / tier.max_rps).ceil().max(1.0);
            let mean = 0.5 * (rate(t) + rate(t + window)) * window;
            // Poisson, by its normal approximation (thousands a window).
            let u = (rng.unit(), rng.unit());
            let normal = (-2.0 * u.0.ln()).sqrt() * (std::f64::consts::TAU * u.1).cos();
            let arrived = (mean + mean.sqrt() * normal).max(0.0);
            most = most.max(arrived / window / instances / sized_for);
            t += window;
        }
        worst = worst.max(most);
        println!(
            "{} ratio {:.1}, lag {:.0} s over a {:.0} s climb: headroom {:.1}%, busiest window {:.1}% of the load sized for",
            stack.label(),
            s.get(NumField::PeakRatio),
            lag.lag_s,
            ramp,
            lag.headroom * 100.0,
            most * 100.0
        );
        assert!(most <= 1.02, "{most}");
    }
    println!(
        "{checked} climbs ({tried} drawn): the busiest window at {:.1}% of the load sized for",
        worst * 100.0
    );
}
