//! How sure the answer is: a seeded Monte Carlo over every figure's range.
//!
//! Each draw picks every figure from a triangular distribution on its
//! (low, typical, high), evaluates every stack, and notes which is cheapest
//! over the horizon. Reported per stack: p5 / p50 / p95 of instances,
//! monthly cost and total cost, and the share of draws in which it is the
//! cheapest (a tie splits the draw evenly, so the shares sum to 1).
//!
//! Why triangular: the sources give ranges, not distributions; a triangle is
//! fixed by exactly the three numbers each figure has, keeps more weight in
//! the tails than PERT (honest when a range is a guess), and its inverse CDF
//! needs only `sqrt`, which IEEE 754 rounds exactly, so a seed draws the same
//! figures on every machine and in the browser. The generator is
//! xoshiro256++ seeded through SplitMix64 (Blackman and Vigna, 2018).
//!
//! Correlation: figures measured in the same run move together. Each
//! framework's two CPU-cost figures (JSON and I/O request) share one
//! quantile, as do its two memory figures: a framework that is slow on this
//! hardware is slow for both. Different frameworks draw independently: the
//! sources disagree between frameworks by more than hardware explains.

use serde::Serialize;

use super::assumptions::{AssumptionId, AssumptionSet, FigureKind, Figures};
use super::estimate::{cheapest_index, stack_costs};
use super::scenario::Scenario;
use super::stack::Stack;

/// Default number of draws.
pub const DEFAULT_DRAWS: u32 = 10_000;
/// Default seed: any fixed number; shown with the result so it can be
/// reproduced.
pub const DEFAULT_SEED: u64 = 0x5EED_2026;

/// A small, fast, reproducible generator (xoshiro256++).
#[derive(Clone, Debug)]
pub struct Rng {
    s: [u64; 4],
}

impl Rng {
    /// Seeds the state through SplitMix64, so any seed (even 0) is fine.
    pub fn new(seed: u64) -> Rng {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            x ^ (x >> 31)
        };
        Rng {
            s: [next(), next(), next(), next()],
        }
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.s;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// A uniform number in [0, 1) with 53 random bits.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }
}

/// The value at quantile `u` of the triangular distribution on
/// (`low`, `mode`, `high`). A zero-width range returns `mode`.
pub fn triangular(u: f64, low: f64, mode: f64, high: f64) -> f64 {
    let width = high - low;
    if width.is_nan() || width <= 0.0 {
        return mode;
    }
    let split = (mode - low) / width;
    if u < split {
        low + (u * width * (mode - low)).sqrt()
    } else {
        high - ((1.0 - u) * width * (high - mode)).sqrt()
    }
}

/// p5, p50 and p95 of one quantity.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct Percentiles {
    /// 5th percentile.
    pub p5: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
}

impl Percentiles {
    /// Percentiles of `values` by the nearest-rank method; zeros when empty.
    pub fn of(values: &mut [f64]) -> Percentiles {
        if values.is_empty() {
            return Percentiles::default();
        }
        values.sort_by(f64::total_cmp);
        let at = |q: f64| {
            let rank = (q * values.len() as f64).ceil() as usize;
            values[rank.clamp(1, values.len()) - 1]
        };
        Percentiles {
            p5: at(0.05),
            p50: at(0.50),
            p95: at(0.95),
        }
    }
}

/// What the draws say about one stack.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackOutcome {
    /// The stack.
    pub stack: Stack,
    /// Instances at today's peak.
    pub instances: Percentiles,
    /// Money per month at today's peak.
    pub monthly: Percentiles,
    /// Total cost over the horizon.
    pub total: Percentiles,
    /// Share of draws in which it is the cheapest, 0 to 1.
    pub p_cheapest: f64,
}

/// The result of a Monte Carlo run.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct MonteCarlo {
    /// Draws made.
    pub draws: u32,
    /// Seed used.
    pub seed: u64,
    /// One per [`Stack::ALL`].
    pub stacks: Vec<StackOutcome>,
}

impl MonteCarlo {
    /// The outcome of one stack.
    pub fn stack(&self, stack: Stack) -> &StackOutcome {
        &self.stacks[stack.index()]
    }
    /// The stack most often cheapest.
    pub fn most_often_cheapest(&self) -> &StackOutcome {
        self.stacks
            .iter()
            .max_by(|a, b| a.p_cheapest.total_cmp(&b.p_cheapest))
            .unwrap_or(&self.stacks[0])
    }
}

/// Which quantile a figure draws: its own, or its framework's shared CPU
/// or memory quantile.
#[derive(Clone, Copy, Debug)]
enum Quantile {
    Own,
    Cpu(usize),
    Memory(usize),
}

/// A set's ranges flattened once, so each draw is a tight loop.
#[derive(Clone, Debug)]
pub struct Sampler {
    base: Figures,
    ranges: Vec<(AssumptionId, f64, f64, f64, Quantile)>,
}

impl Sampler {
    /// Prepares to draw from `set`. Figures whose range is a point are fixed
    /// once and not drawn again.
    pub fn new(set: &AssumptionSet) -> Sampler {
        let base = set.resolve(super::assumptions::Pick::Typical);
        let ranges = AssumptionId::all()
            .map(|id| {
                let a = set.get(id);
                let q = match id {
                    AssumptionId::Framework(fw, FigureKind::JsonCpuUs | FigureKind::IoCpuUs) => {
                        Quantile::Cpu(fw.index())
                    }
                    AssumptionId::Framework(
                        fw,
                        FigureKind::RuntimeMib | FigureKind::InflightMib,
                    ) => Quantile::Memory(fw.index()),
                    _ => Quantile::Own,
                };
                (id, a.low, a.typical, a.high, q)
            })
            .filter(|(_, low, _, high, _)| high > low)
            .collect();
        Sampler { base, ranges }
    }

    /// Draws one set of figures.
    pub fn draw(&self, rng: &mut Rng) -> Figures {
        let mut cpu_q = [0.0; 4];
        let mut mem_q = [0.0; 4];
        for i in 0..4 {
            cpu_q[i] = rng.unit();
            mem_q[i] = rng.unit();
        }
        let mut figures = self.base;
        for &(id, low, mode, high, q) in &self.ranges {
            let u = match q {
                Quantile::Own => rng.unit(),
                Quantile::Cpu(i) => cpu_q[i],
                Quantile::Memory(i) => mem_q[i],
            };
            figures.set(id, triangular(u, low, mode, high));
        }
        figures
    }
}

/// Draws one set of figures from `set`. Correlated groups share a quantile.
pub fn draw_figures(set: &AssumptionSet, rng: &mut Rng) -> Figures {
    Sampler::new(set).draw(rng)
}

/// Runs `draws` evaluations of every stack with figures drawn from `set`.
/// The same scenario, set, draws and seed give the same result.
pub fn monte_carlo(s: &Scenario, set: &AssumptionSet, draws: u32, seed: u64) -> MonteCarlo {
    let mut runner = Runner::new(draws, seed);
    runner.step(s, set, draws);
    runner.finish()
}

/// A Monte Carlo run that can be advanced in chunks, so a page can keep
/// answering input between them.
#[derive(Clone, Debug)]
pub struct Runner {
    rng: Rng,
    seed: u64,
    target: u32,
    done: u32,
    instances: Vec<Vec<f64>>,
    monthly: Vec<Vec<f64>>,
    total: Vec<Vec<f64>>,
    wins: Vec<f64>,
    sampler: Option<Sampler>,
}

impl Runner {
    /// A run of `draws` draws from `seed`, none made yet.
    pub fn new(draws: u32, seed: u64) -> Runner {
        let n = Stack::ALL.len();
        let cap = draws as usize;
        Runner {
            rng: Rng::new(seed),
            seed,
            target: draws,
            done: 0,
            instances: vec![Vec::with_capacity(cap); n],
            monthly: vec![Vec::with_capacity(cap); n],
            total: vec![Vec::with_capacity(cap); n],
            wins: vec![0.0; n],
            sampler: None,
        }
    }

    /// Draws made so far.
    pub fn done(&self) -> u32 {
        self.done
    }

    /// Share of the run done, 0 to 1.
    pub fn progress(&self) -> f64 {
        if self.target == 0 {
            1.0
        } else {
            f64::from(self.done) / f64::from(self.target)
        }
    }

    /// Whether every draw is made.
    pub fn is_done(&self) -> bool {
        self.done >= self.target
    }

    /// Makes up to `chunk` more draws. Every call of one run must pass the
    /// same set (the first call prepares the sampler).
    pub fn step(&mut self, s: &Scenario, set: &AssumptionSet, chunk: u32) {
        let end = self.target.min(self.done.saturating_add(chunk));
        let sampler = self.sampler.take().unwrap_or_else(|| Sampler::new(set));
        while self.done < end {
            let figures = sampler.draw(&mut self.rng);
            let costs = stack_costs(s, &figures);
            // Only stacks that fit their memory can win (all can when none fits).
            let winner = cheapest_index(costs.iter().map(|x| (x.total, x.fits)));
            let eligible = |x: &super::estimate::StackCosts| x.fits || !costs[winner].fits;
            let best = costs[winner].total;
            let tied = costs
                .iter()
                .filter(|x| eligible(x) && x.total <= best)
                .count()
                .max(1) as f64;
            for (i, x) in costs.iter().enumerate() {
                self.instances[i].push(x.instances as f64);
                self.monthly[i].push(x.monthly);
                self.total[i].push(x.total);
                if eligible(x) && x.total <= best {
                    self.wins[i] += 1.0 / tied;
                }
            }
            self.done += 1;
        }
        self.sampler = Some(sampler);
    }

    /// The result of the draws made so far.
    pub fn finish(mut self) -> MonteCarlo {
        let draws = self.done.max(1);
        let stacks = Stack::ALL
            .iter()
            .map(|st| {
                let i = st.index();
                StackOutcome {
                    stack: *st,
                    instances: Percentiles::of(&mut self.instances[i]),
                    monthly: Percentiles::of(&mut self.monthly[i]),
                    total: Percentiles::of(&mut self.total[i]),
                    p_cheapest: self.wins[i] / f64::from(draws),
                }
            })
            .collect();
        MonteCarlo {
            draws: self.done,
            seed: self.seed,
            stacks,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn triangular_hits_its_ends_and_mode() {
        assert_eq!(triangular(0.0, 1.0, 2.0, 4.0), 1.0);
        assert!((triangular(1.0 - 1e-16, 1.0, 2.0, 4.0) - 4.0).abs() < 1e-6);
        // The CDF at the mode is (mode - low) / (high - low) = 1/3.
        assert!((triangular(1.0 / 3.0, 1.0, 2.0, 4.0) - 2.0).abs() < 1e-12);
        assert_eq!(triangular(0.7, 3.0, 3.0, 3.0), 3.0);
    }

    #[test]
    fn generator_is_reproducible_and_uniform_enough() {
        let mut a = Rng::new(42);
        let mut b = Rng::new(42);
        assert!((0..100).all(|_| a.next_u64() == b.next_u64()));
        let mut r = Rng::new(7);
        let mean = (0..10_000).map(|_| r.unit()).sum::<f64>() / 10_000.0;
        assert!((mean - 0.5).abs() < 0.01, "{mean}");
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        let p = Percentiles::of(&mut v);
        assert_eq!((p.p5, p.p50, p.p95), (5.0, 50.0, 95.0));
        assert_eq!(Percentiles::of(&mut []), Percentiles::default());
    }
}
