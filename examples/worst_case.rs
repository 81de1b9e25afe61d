//! Looks for the valid scenario the model is slowest on, and times it.
//!
//! `cargo run --release --example worst_case [-- --scenarios N]` draws
//! seeded random scenarios across every input's range (and every choice),
//! plus the corners that stress the sizing searches (192 vCPUs, the largest
//! traffic, p99 targets at their floor, memory that barely fits), times one
//! estimate (best of three; the slowest ten again, best of twenty), one
//! sensitivity sweep (the slowest ten again, best of five) and 1,000 Monte
//! Carlo draws of each, then 10,000 draws of the twenty slowest to draw and
//! of every corner (the slowest five again, best of three), and prints the
//! worst of each beside the targets (100 µs, 10 ms, 100 ms). `WORST_TRACE=MS` prints the link of every
//! scenario slower than MS milliseconds; `WORST_LOOP=N` only runs the slowest one N times (for
//! a profiler); `-- --repeat "random scenario 12" draws` (or `sweep`, or
//! `estimate`) times that part of one scenario twenty times (a number
//! after it changes how many); a link (`--repeat "?v=1&..." sweep`) times
//! the scenario it opens. Native only.
#![allow(clippy::print_stdout)] // a report

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::run();
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::time::Instant;

    use stackwise::model::{
        estimate, merge, monte_carlo, sensitivity, AssumptionSet, Balancing, Choice, ChoiceField,
        MonteCarlo, NumField, Runner, Scenario, DEFAULT_SEED,
    };

    struct Rng(u64);
    impl Rng {
        fn next(&mut self) -> f64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = self.0;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            ((x ^ (x >> 31)) >> 11) as f64 / (1u64 << 53) as f64
        }
    }

    /// A random valid scenario: every numeric input anywhere in its range
    /// (log-uniform where the range spans decades), every choice at random.
    fn random_scenario(rng: &mut Rng) -> Scenario {
        let mut s = Scenario::default();
        for field in NumField::ALL {
            if NumField::MIX.contains(&field) {
                continue;
            }
            let _ = s.set(field, field.spec().at(rng.next()));
        }
        let _ = s.set_mix([rng.next(), rng.next(), rng.next(), rng.next()].map(|x| x * 100.0));
        let pick = |rng: &mut Rng, n: usize| ((rng.next() * n as f64) as usize).min(n - 1);
        for field in ChoiceField::ALL {
            let options = field.options();
            let _ = s.set_choice(field, options[pick(rng, options.len())].key);
        }
        s
    }

    /// The corners that make the sizing searches work hardest.
    fn corners() -> Vec<(String, Scenario)> {
        let mut out = Vec::new();
        for balancing in Balancing::ALL {
            for (name, values) in [
                (
                    "192 vCPUs, 2M req/s x 50, 1 ms p99, ML 40%, memory at the edge",
                    vec![
                        (NumField::Vcpu, 192.0),
                        (NumField::AvgRps, 2_000_000.0),
                        (NumField::PeakRatio, 50.0),
                        (NumField::P99TargetMs, 1.0),
                        (NumField::MlShare, 40.0),
                        (NumField::ModelMib, 10_000.0),
                        (NumField::MemGib, 2_048.0),
                        (NumField::HorizonYears, 10.0),
                        (NumField::GrowthPct, 1_000.0),
                    ],
                ),
                (
                    "192 vCPUs, slow CPU-bound work, p99 just reachable, 10-year growth",
                    vec![
                        (NumField::Vcpu, 192.0),
                        (NumField::CpuShare, 60.0),
                        (NumField::CpuMs, 50.0),
                        (NumField::AvgRps, 100_000.0),
                        (NumField::PeakRatio, 10.0),
                        (NumField::P99TargetMs, 600.0),
                        (NumField::UtilCeiling, 95.0),
                        (NumField::HorizonYears, 10.0),
                        (NumField::GrowthPct, 300.0),
                        (NumField::MemGib, 16.0),
                    ],
                ),
            ] {
                let mut s = Scenario::default();
                s.balancing = balancing;
                for (field, value) in values {
                    let _ = s.set(field, value);
                }
                out.push((format!("{name}, {}", balancing.label()), s));
            }
        }
        out
    }

    fn time<T>(f: impl FnOnce() -> T) -> (f64, T) {
        let start = Instant::now();
        let out = f();
        (start.elapsed().as_secs_f64(), out)
    }

    /// The query string of the page's link to `s` under `set`.
    fn link_of(s: &Scenario, set: &AssumptionSet) -> String {
        let state = stackwise::state::codec::State {
            scenario: s.clone(),
            assumptions: set.clone(),
        };
        let pairs: Vec<String> = stackwise::state::codec::encode(&state)
            .into_iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        pairs.join("&")
    }

    /// Runs one part of the model on one scenario again and again, for a
    /// profiler, printing the best time.
    fn repeat(s: &Scenario, set: &AssumptionSet, what: &str, times: usize) {
        let mut best = f64::INFINITY;
        for _ in 0..times {
            let t = match what {
                "sweep" => time(|| sensitivity(s, set)).0,
                "estimate" => time(|| estimate(s, set)).0,
                _ => time(|| monte_carlo(s, set, 10_000, DEFAULT_SEED)).0,
            };
            best = best.min(t);
        }
        println!("{what}: best of {times} {:.3} ms", best * 1e3);
        println!("link: ?{}", link_of(s, set));
    }

    pub fn run() {
        let args: Vec<String> = std::env::args().collect();
        let count = args
            .iter()
            .position(|a| a == "--scenarios")
            .and_then(|i| args.get(i + 1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(2_000usize);
        let set = AssumptionSet::published();
        let mut rng = Rng(DEFAULT_SEED);
        let mut candidates = corners();
        candidates.push(("the default scenario".to_string(), Scenario::default()));
        for i in 0..count {
            candidates.push((format!("random scenario {i}"), random_scenario(&mut rng)));
        }
        if let Some(i) = args.iter().position(|a| a == "--repeat") {
            let name = args.get(i + 1).map_or("", String::as_str);
            let what = args.get(i + 2).map_or("draws", String::as_str);
            let times = args.get(i + 3).and_then(|v| v.parse().ok()).unwrap_or(20);
            // A link (`?v=1&...`) times the scenario and figures it opens.
            if name.starts_with('?') {
                let state = stackwise::state::codec::from_query(name).state;
                repeat(&state.scenario, &state.assumptions, what, times);
                return;
            }
            let Some((_, s)) = candidates.iter().find(|(n, _)| n == name) else {
                println!("no scenario named {name:?}");
                return;
            };
            repeat(s, &set, what, times);
            return;
        }
        let mut slowest: Vec<(f64, String, Scenario)> = candidates
            .into_iter()
            .map(|(name, s)| {
                // Best of three, so a scheduling hiccup does not win.
                let t = (0..3)
                    .map(|_| time(|| estimate(&s, &set)).0)
                    .fold(f64::INFINITY, f64::min);
                let trace_ms = std::env::var("WORST_TRACE")
                    .ok()
                    .map(|v| v.parse::<f64>().unwrap_or(1.0));
                if trace_ms.is_some_and(|ms| t > ms * 1e-3) {
                    println!("slow: {:.1} ms {name}: ?{}", t * 1e3, link_of(&s, &set));
                }
                (t, name, s)
            })
            .collect();
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The slowest again, best of twenty.
        for entry in slowest.iter_mut().take(10) {
            entry.0 = (0..20)
                .map(|_| time(|| estimate(&entry.2, &set)).0)
                .fold(f64::INFINITY, f64::min);
        }
        slowest.sort_by(|a, b| b.0.total_cmp(&a.0));
        println!(
            "{} scenarios timed ({} random); slowest single estimates of every stack:",
            slowest.len(),
            count
        );
        for (t, name, _) in slowest.iter().take(5) {
            println!("  {:>8.1} µs  {name}", t * 1e6);
        }
        if let Ok(n) = std::env::var("WORST_LOOP") {
            let n: usize = n.parse().unwrap_or(1000);
            let (_, name, s) = &slowest[0];
            println!("looping {n} estimates of {name}");
            if n == 1 {
                std::env::set_var("TRACE_TIERS", "1");
                estimate(s, &set);
                return;
            }
            for _ in 0..n {
                std::hint::black_box(estimate(s, &set));
            }
            return;
        }
        // The sweep of every scenario, and 1,000 draws of every scenario;
        // then 10,000 draws of the twenty slowest to draw, and of every
        // corner. (Those slowest to estimate or to sweep are not those
        // slowest to draw: a tier whose sizing is cheap but whose memory
        // search is not only shows in the draws.)
        let mut by_sweep: Vec<(f64, String, Scenario)> = slowest
            .iter()
            .map(|(_, name, s)| (time(|| sensitivity(s, &set)).0, name.clone(), s.clone()))
            .collect();
        by_sweep.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The slowest again, best of five: a scheduling hiccup is not the
        // scenario's.
        for entry in by_sweep.iter_mut().take(10) {
            entry.0 = (0..5)
                .map(|_| time(|| sensitivity(&entry.2, &set)).0)
                .fold(f64::INFINITY, f64::min);
        }
        by_sweep.sort_by(|a, b| b.0.total_cmp(&a.0));
        let worst_sweep = (by_sweep[0].0, by_sweep[0].1.clone());
        let mut by_few_draws: Vec<(f64, &String, &Scenario)> = slowest
            .iter()
            .map(|(_, name, s)| {
                (
                    time(|| monte_carlo(s, &set, 1_000, DEFAULT_SEED)).0,
                    name,
                    s,
                )
            })
            .collect();
        by_few_draws.sort_by(|a, b| b.0.total_cmp(&a.0));
        let mut candidates: Vec<(String, Scenario)> = by_few_draws
            .iter()
            .take(20)
            .map(|(_, name, s)| ((*name).clone(), (*s).clone()))
            .collect();
        for (name, s) in corners() {
            candidates.push((name, s));
        }
        let mut by_draws: Vec<(f64, &String, &Scenario)> = candidates
            .iter()
            .map(|(name, s)| {
                (
                    time(|| monte_carlo(s, &set, 10_000, DEFAULT_SEED)).0,
                    name,
                    s,
                )
            })
            .collect();
        by_draws.sort_by(|a, b| b.0.total_cmp(&a.0));
        // The slowest five again, best of three.
        for entry in by_draws.iter_mut().take(5) {
            entry.0 = (0..3)
                .map(|_| time(|| monte_carlo(entry.2, &set, 10_000, DEFAULT_SEED)).0)
                .fold(f64::INFINITY, f64::min);
        }
        by_draws.sort_by(|a, b| b.0.total_cmp(&a.0));
        let worst_draws = (by_draws[0].0, by_draws[0].1.clone());
        let worst_halves = (0..3)
            .map(|_| time(|| in_halves(by_draws[0].2, &set)).0)
            .fold(f64::INFINITY, f64::min);
        println!(
            "sweeps and 1,000 draws timed: {}; 10,000 draws timed for the {} slowest to draw and the corners",
            by_sweep.len(),
            candidates.len()
        );
        for (t, name, _) in by_draws.iter().take(5) {
            println!("  {:>8.1} ms  {name}", t * 1e3);
        }
        let default_draws = (0..5)
            .map(|_| time(|| monte_carlo(&Scenario::default(), &set, 10_000, DEFAULT_SEED)).0)
            .fold(f64::INFINITY, f64::min);
        println!(
            "default scenario: 10,000 draws {:.1} ms (best of five)",
            default_draws * 1e3
        );
        let (t, name, _) = &slowest[0];
        println!("worst case, target in brackets:");
        println!("  one estimate      {:>9.1} µs (100 µs)  {name}", t * 1e6);
        println!(
            "  sensitivity sweep {:>9.2} ms (10 ms)   {}",
            worst_sweep.0 * 1e3,
            worst_sweep.1
        );
        println!(
            "  10,000 draws      {:>9.1} ms (100 ms)  {}",
            worst_draws.0 * 1e3,
            worst_draws.1
        );
        println!(
            "  the same draws in two halves at once, as the page's two workers make them: {:.1} ms",
            worst_halves * 1e3
        );
    }

    /// 10,000 draws made as two halves on two threads and merged, as the
    /// page's two workers make them.
    fn in_halves(s: &Scenario, set: &AssumptionSet) -> MonteCarlo {
        const DRAWS: u32 = 10_000;
        let parts = std::thread::scope(|scope| {
            let halves = [0..DRAWS / 2, DRAWS / 2..DRAWS].map(|range| {
                scope.spawn(move || {
                    let mut part = Runner::part(DRAWS, DEFAULT_SEED, range);
                    part.step(s, set, DRAWS);
                    part.into_drawn()
                })
            });
            halves.map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
        });
        merge(DEFAULT_SEED, parts.into())
            .unwrap_or_else(|| monte_carlo(s, set, DRAWS, DEFAULT_SEED))
    }
}
