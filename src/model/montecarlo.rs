//! How sure the answer is: a seeded Monte Carlo over every figure's range.
//!
//! Each draw picks every figure from its range, evaluates every stack, and
//! notes which are cheapest over the horizon: the cheapest, and every stack
//! that costs the same within 0.5%, the answer's own rule for a tie
//! ([`costs_the_same`]). Reported per stack: p5 / p50 / p95 of instances,
//! monthly cost and total cost, and the share of draws in which it is
//! among the cheapest (each stack of a tie counts the draw, so the shares
//! add up to 1 or more); and for the run, how many draws had each set of
//! stacks cheapest together ([`CheapestSets`]), which answers for a group
//! of stacks at once ("Fastify or Hybrid is cheapest in 93%").
//!
//! What a range means: a figure's low and high are its 5th and 95th
//! percentiles and its typical value is its median (a 90% interval). Each
//! figure is drawn from a distribution that has exactly those three
//! quantiles ([`Spread`]): a split (two-piece) log-normal with its median at
//! typical where the low end is above 0, each half's sigma set so low and
//! high fall at the 5th and 95th percentiles; a split normal censored at 0
//! (values below 0 become 0, which keeps every quantile at or above the 5th
//! where it was) where the low end is 0. Shares are also capped at 100%.
//!
//! A draw starts from one standard normal score per source and maps it
//! through the figure's quantile function. The scores come from a centred
//! Latin hypercube over the run (McKay, Beckman and Conover, Technometrics
//! 21, 1979): each source's N draws take the middle of each of N equal
//! strata of (0, 1) once, in a shuffled order, so the draws' percentiles sit
//! on the figures' own even in a short run, and Φ⁻¹ is computed N times per
//! run rather than once per figure and draw. The inverse normal CDF is Acklam's
//! rational approximation (P. J. Acklam, "An algorithm for computing the
//! inverse normal cumulative distribution function", 2003; relative error
//! below 1.15e-9). The generator is xoshiro256++ seeded through SplitMix64
//! (Blackman and Vigna, 2018). Only IEEE 754's exactly rounded operations
//! are used (the logarithm and exponential are written out below), so a seed
//! draws the same figures on every machine and in the browser.
//!
//! Correlation: figures measured in the same run move together. Each
//! framework's two CPU-cost figures (JSON and I/O request) share one normal
//! score, as do its two memory figures: a framework that is slow on this
//! hardware is slow for both. Different frameworks draw independently: the
//! sources disagree between frameworks by more than hardware explains.

use std::ops::Range;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

use super::assumptions::{Assumption, AssumptionId, AssumptionSet, FigureKind, Figures, Unit};
use super::estimate::{cheapest_index, stack_costs, StackCosts};
use super::portable;
use super::recommend::costs_the_same;
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

/// The standard normal score of the 95th percentile, Φ⁻¹(0.95): a range's
/// high end is this many (upper-half) sigmas above its median.
pub const Z95: f64 = 1.644_853_626_951_472_2;

/// Φ⁻¹(p), the standard normal quantile, by Acklam's rational approximation
/// (2003; relative error below 1.15e-9 over (0, 1)). `p` at or outside
/// (0, 1), or NaN, returns negative or positive infinity or NaN as the
/// limit says.
pub fn inverse_normal_cdf(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    const P_LOW: f64 = 0.024_25;
    if p.is_nan() {
        return f64::NAN;
    }
    if p <= 0.0 {
        return f64::NEG_INFINITY;
    }
    if p >= 1.0 {
        return f64::INFINITY;
    }
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < P_LOW {
        tail((-2.0 * portable::ln(p)).sqrt())
    } else if p > 1.0 - P_LOW {
        -tail((-2.0 * portable::ln(1.0 - p)).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// A figure's distribution, fixed by its three quantiles: low at the 5th
/// percentile, typical at the median, high at the 95th. Map a standard
/// normal score through [`Spread::at`] to draw it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Spread {
    /// No range: always this value.
    Point(f64),
    /// Split log-normal: `median x exp(sigma x z)`, with the lower half's
    /// sigma below the median and the upper half's above it.
    LogNormal {
        /// The median (typical value).
        median: f64,
        /// ln(typical / low) / [`Z95`].
        sigma_low: f64,
        /// ln(high / typical) / [`Z95`].
        sigma_high: f64,
        /// Largest value drawn (1 for shares, else infinity).
        cap: f64,
    },
    /// Split normal censored at 0, for ranges that reach 0: `median + sd x
    /// z`, each half with its own sd; values below 0 are drawn as 0.
    Normal {
        /// The median (typical value).
        median: f64,
        /// (typical - low) / [`Z95`].
        sd_low: f64,
        /// (high - typical) / [`Z95`].
        sd_high: f64,
        /// Largest value drawn (1 for shares, else infinity).
        cap: f64,
    },
}

impl Spread {
    /// The distribution of a figure. A range of zero width, or one that is
    /// not valid (see [`Assumption::check`]), is a point at its typical value.
    pub fn of(a: &Assumption) -> Spread {
        if a.check().is_err() || a.high <= a.low {
            return Spread::Point(a.typical);
        }
        let cap = if a.unit == Unit::Fraction {
            1.0_f64.max(a.high)
        } else {
            f64::INFINITY
        };
        if a.low > 0.0 {
            Spread::LogNormal {
                median: a.typical,
                sigma_low: portable::ln(a.typical / a.low) / Z95,
                sigma_high: portable::ln(a.high / a.typical) / Z95,
                cap,
            }
        } else {
            Spread::Normal {
                median: a.typical,
                sd_low: (a.typical - a.low) / Z95,
                sd_high: (a.high - a.typical) / Z95,
                cap,
            }
        }
    }

    /// The value at standard normal score `z` (the quantile function at
    /// Φ(z)). Never negative; NaN `z` gives the median.
    pub fn at(&self, z: f64) -> f64 {
        let z = if z.is_nan() { 0.0 } else { z };
        match *self {
            Spread::Point(v) => v,
            Spread::LogNormal {
                median,
                sigma_low,
                sigma_high,
                cap,
            } => {
                let sigma = if z < 0.0 { sigma_low } else { sigma_high };
                (median * portable::exp(sigma * z)).min(cap)
            }
            Spread::Normal {
                median,
                sd_low,
                sd_high,
                cap,
            } => {
                let sd = if z < 0.0 { sd_low } else { sd_high };
                (median + sd * z).clamp(0.0, cap)
            }
        }
    }

    /// The value at quantile `p` in (0, 1).
    pub fn quantile(&self, p: f64) -> f64 {
        self.at(inverse_normal_cdf(p))
    }
}

/// p5, p50 and p95 of one quantity.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
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
    /// Reorders `values` (three selections, not a sort).
    pub fn of(values: &mut [f64]) -> Percentiles {
        if values.is_empty() {
            return Percentiles::default();
        }
        let n = values.len();
        let index = |q: f64| ((q * n as f64).ceil() as usize).clamp(1, n) - 1;
        let (i5, i50, i95) = (index(0.05), index(0.50), index(0.95));
        // Each selection leaves what is below its rank before it.
        let p95 = *values.select_nth_unstable_by(i95, f64::total_cmp).1;
        let p50 = *values[..=i95].select_nth_unstable_by(i50, f64::total_cmp).1;
        let p5 = *values[..=i50].select_nth_unstable_by(i5, f64::total_cmp).1;
        Percentiles { p5, p50, p95 }
    }
}

/// What the draws say about one stack.
#[derive(Clone, Debug, PartialEq)]
pub struct StackOutcome {
    /// The stack.
    pub stack: Stack,
    /// Instances at today's peak.
    pub instances: Percentiles,
    /// Money per month at today's peak.
    pub monthly: Percentiles,
    /// Total cost over the horizon.
    pub total: Percentiles,
    /// Share of draws in which it is among the cheapest (the cheapest, or
    /// within 0.5% of it), 0 to 1.
    pub p_cheapest: f64,
}

/// The result of a Monte Carlo run.
#[derive(Clone, Debug, PartialEq)]
pub struct MonteCarlo {
    /// Draws made.
    pub draws: u32,
    /// Seed used.
    pub seed: u64,
    /// One per [`Stack::ALL`].
    pub stacks: Vec<StackOutcome>,
    /// How many draws had each set of stacks cheapest together.
    pub cheapest: CheapestSets,
}

impl MonteCarlo {
    /// A run's result from each stack's outcome (in the order of
    /// [`Stack::ALL`]) and the sets of cheapest stacks, from which each
    /// stack's share of being among the cheapest is set.
    pub fn new(
        draws: u32,
        seed: u64,
        mut stacks: Vec<StackOutcome>,
        cheapest: CheapestSets,
    ) -> MonteCarlo {
        for o in &mut stacks {
            o.p_cheapest = cheapest.share_of(o.stack);
        }
        MonteCarlo {
            draws,
            seed,
            stacks,
            cheapest,
        }
    }

    /// The outcome of one stack.
    pub fn stack(&self, stack: Stack) -> &StackOutcome {
        &self.stacks[stack.index()]
    }

    /// Share of draws in which at least one of `stacks` is among the
    /// cheapest, 0 to 1.
    pub fn share_cheapest(&self, stacks: &[Stack]) -> f64 {
        let want = CheapestSets::bits(stacks);
        self.cheapest.share(|set| set & want != 0)
    }

    /// Share of draws in which every one of `stacks` is among the cheapest,
    /// so that they cost the same, 0 to 1.
    pub fn share_tied(&self, stacks: &[Stack]) -> f64 {
        let want = CheapestSets::bits(stacks);
        self.cheapest.share(|set| set & want == want)
    }

    /// The stack most often cheapest.
    pub fn most_often_cheapest(&self) -> &StackOutcome {
        self.stacks
            .iter()
            .max_by(|a, b| a.p_cheapest.total_cmp(&b.p_cheapest))
            .unwrap_or(&self.stacks[0])
    }
}

/// Which normal score a figure draws: its own, or its framework's shared
/// CPU or memory score.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Score {
    Own,
    Cpu(usize),
    Memory(usize),
}

/// A set's ranges flattened once, so each draw is a tight loop. Two sets
/// with equal samplers draw the same figures.
#[derive(Clone, Debug, PartialEq)]
pub struct Sampler {
    base: Figures,
    /// Each figure with a range, its distribution and the index of the
    /// normal score it reads.
    ranges: Vec<(AssumptionId, Spread, usize)>,
    /// How many independent normal scores a draw needs.
    scores: usize,
}

impl Sampler {
    /// Prepares to draw from `set`. Figures whose range is a point are fixed
    /// once and not drawn again.
    pub fn new(set: &AssumptionSet) -> Sampler {
        let base = set.resolve(super::assumptions::Pick::Typical);
        let mut groups: Vec<Score> = Vec::new();
        let mut ranges = Vec::new();
        for id in set.figures() {
            let spread = Spread::of(set.get(id));
            if matches!(spread, Spread::Point(_)) {
                continue;
            }
            let score = match id {
                AssumptionId::Framework(fw, FigureKind::JsonCpuUs | FigureKind::IoCpuUs) => {
                    Score::Cpu(fw.index())
                }
                AssumptionId::Framework(fw, FigureKind::RuntimeMib | FigureKind::InflightMib) => {
                    Score::Memory(fw.index())
                }
                _ => Score::Own,
            };
            let index = match groups
                .iter()
                .position(|g| *g == score && score != Score::Own)
            {
                Some(i) => i,
                None => {
                    groups.push(score);
                    groups.len() - 1
                }
            };
            ranges.push((id, spread, index));
        }
        Sampler {
            base,
            ranges,
            scores: groups.len(),
        }
    }

    /// How many independent normal scores one draw reads.
    pub fn scores(&self) -> usize {
        self.scores
    }

    /// The figures at the given normal scores (one per [`Sampler::scores`];
    /// missing scores count as 0, the median).
    pub fn at(&self, z: &[f64]) -> Figures {
        let mut figures = self.base;
        for &(id, spread, i) in &self.ranges {
            figures.set(id, spread.at(z.get(i).copied().unwrap_or(0.0)));
        }
        figures
    }

    /// Draws one set of figures with independent uniforms (no strata).
    pub fn draw(&self, rng: &mut Rng) -> Figures {
        let z: Vec<f64> = (0..self.scores)
            .map(|_| inverse_normal_cdf(open_unit(rng)))
            .collect();
        self.at(&z)
    }
}

/// A uniform number in (0, 1): never 0 or 1, so its normal score is finite.
fn open_unit(rng: &mut Rng) -> f64 {
    rng.unit() + 1.0 / (1u64 << 54) as f64
}

/// A uniform index below `n` (Lemire's multiply-shift: the high 64 bits of
/// the 128-bit product of 64 random bits and `n`; `n` > 0).
///
/// The product is taken in two 32-bit halves so that it stays in 64-bit
/// arithmetic: wasm has no 64 x 64 -> 128 multiply, and a run shuffles its
/// strata with some 450,000 of these. With `x = h 2^32 + l`, the high word
/// of `x n` is `(h n + (l n >> 32)) >> 32`, exactly (the low 32 bits of `l n`
/// are a fraction below 1 that the outer shift drops either way), and
/// `h n + (l n >> 32)` stays below 2^64 because `n` < 2^32.
fn below(rng: &mut Rng, n: u32) -> u32 {
    high_word(rng.next_u64(), n)
}

/// `(x n) >> 64` in 64-bit arithmetic (see [`below`]).
fn high_word(x: u64, n: u32) -> u32 {
    let n = u64::from(n);
    let (high, low) = (x >> 32, x & 0xFFFF_FFFF);
    // Below 2^32 by the shift.
    ((high * n + ((low * n) >> 32)) >> 32) as u32
}

/// The strata of a Latin hypercube: for each score, the order in which a run
/// of `draws` visits its `draws` equal strata of (0, 1), each stratum read at
/// its middle (a centred Latin hypercube), so the normal scores are computed
/// once per run, not once per draw.
///
/// The scores are shuffled in turn from one generator, so the strata of a
/// run with fewer scores are the first ones of a run with more, from the
/// same draws and seed: a plan for other figures reuses them
/// ([`Runner::after`]).
#[derive(Clone, Debug)]
struct Strata {
    /// Φ⁻¹ at the middle of each stratum, lowest first.
    grid: Vec<f64>,
    /// Per score, a shuffled order of the strata.
    order: Vec<Vec<u32>>,
}

impl Strata {
    fn new(scores: usize, draws: u32, rng: &mut Rng) -> Strata {
        let n = f64::from(draws.max(1));
        let grid = (0..draws)
            .map(|k| inverse_normal_cdf((f64::from(k) + 0.5) / n))
            .collect();
        let order = (0..scores)
            .map(|_| {
                let mut v: Vec<u32> = (0..draws).collect();
                // Fisher-Yates.
                for i in (1..draws).rev() {
                    v.swap(i as usize, below(rng, i + 1) as usize);
                }
                v
            })
            .collect();
        Strata { grid, order }
    }

    /// The normal scores of draw `i`, written into `z` (0, the median, past
    /// the end of the run).
    fn scores(&self, i: u32, z: &mut [f64]) {
        for (slot, order) in z.iter_mut().zip(&self.order) {
            *slot = order
                .get(i as usize)
                .and_then(|k| self.grid.get(*k as usize))
                .copied()
                .unwrap_or(0.0);
        }
    }
}

/// The figures of every draw a run of `draws` from `seed` makes, in order:
/// what [`monte_carlo`] evaluates.
pub fn run_figures(set: &AssumptionSet, draws: u32, seed: u64) -> Vec<Figures> {
    let mut all = Vec::with_capacity(draws as usize);
    Plan::new(set, draws, seed).each_draw(0..draws, |figures| all.push(*figures));
    all
}

/// Runs `draws` evaluations of every stack with figures drawn from `set`.
/// The same scenario, set, draws and seed give the same result.
pub fn monte_carlo(s: &Scenario, set: &AssumptionSet, draws: u32, seed: u64) -> MonteCarlo {
    let mut runner = Runner::new(draws, seed);
    runner.step(s, set, draws);
    runner.finish()
}

/// A Monte Carlo run that can be advanced in chunks, so a page can keep
/// answering input between them; or a part of one (a range of its draws,
/// as workers that share a run are dealt them), whose draws [`merge`] puts
/// together with the other parts'.
#[derive(Clone, Debug)]
pub struct Runner {
    seed: u64,
    /// Draws in the whole run (the strata are laid out for all of them).
    draws: u32,
    /// The first draw this runner makes.
    first: u32,
    /// One past the last draw it makes.
    target: u32,
    /// The next draw to make.
    done: u32,
    drawn: Drawn,
    /// Prepared by the first step, or given ([`Runner::with_plan`]).
    plan: Option<Arc<Plan>>,
    /// Strata of an earlier plan the first step may prepare its plan with
    /// ([`Runner::after`]).
    strata: Option<Arc<Strata>>,
}

/// What every draw of a run reads, prepared once: the figures' ranges
/// flattened ([`Sampler`]) and the Latin hypercube's strata for all of the
/// run's draws. It depends on the figures, the draws and the seed, not on
/// the scenario, so a worker that makes several parts of a run, or of runs
/// that differ only in their inputs, prepares it once ([`Plan::fits`]).
///
/// It also keeps the figures of each draw once a second run has drawn
/// them, so later runs that differ only in their inputs (the user typing a
/// new traffic, the common case) do not draw them again: drawing is about a
/// quarter of a draw's time, the figures' quantile functions and their
/// `exp`. A first run draws as it goes, since most plans are used once
/// (writing the figures down costs a fresh run about a tenth more). They
/// are kept 125 draws at a time, for runs of up to 10,000 draws (at most
/// 6.2 MB); a longer run always draws them as it goes.
pub struct Plan {
    draws: u32,
    seed: u64,
    sampler: Sampler,
    /// Shared with the plans of other figures for the same draws and seed.
    strata: Arc<Strata>,
    /// Per chunk of [`KEPT_CHUNK`] draws, their figures, once drawn a
    /// second time; empty for a run of more than [`KEEP_UP_TO`] draws.
    kept: Vec<OnceLock<Box<[Figures]>>>,
    /// Per chunk, whether a run has drawn it once.
    drawn_once: Vec<AtomicBool>,
}

/// Draws whose figures a [`Plan`] keeps together: drawn all at once the
/// second time a run reaches one of them. The ranges the page deals two
/// workers from a run of 10,000 (2,500, 1,250, 625, 500 and 750 draws)
/// all start and end on a multiple of 125, so no part draws figures it
/// does not evaluate.
const KEPT_CHUNK: u32 = 125;

/// Longest run whose figures a [`Plan`] keeps: the page's run, 10,000
/// draws of [`Figures`] (616 bytes each), keeps at most 6.2 MB per worker.
/// A longer run draws its figures as it goes.
const KEEP_UP_TO: u32 = DEFAULT_DRAWS;

impl std::fmt::Debug for Plan {
    /// The plan without its strata and the figures it keeps, which run to
    /// megabytes: how many of its draws have their figures kept.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let kept = self.kept.iter().filter_map(OnceLock::get).map(|c| c.len());
        f.debug_struct("Plan")
            .field("draws", &self.draws)
            .field("seed", &self.seed)
            .field("sampler", &self.sampler)
            .field("draws_kept", &kept.sum::<usize>())
            .finish_non_exhaustive()
    }
}

impl Plan {
    /// Prepares a run of `draws` draws from `seed` with the figures of `set`.
    pub fn new(set: &AssumptionSet, draws: u32, seed: u64) -> Plan {
        Plan::with_strata(set, draws, seed, None)
    }

    /// [`Plan::new`], with the strata of `earlier` (a run of the same
    /// draws and seed) where they hold a score for each of `set`'s.
    fn with_strata(
        set: &AssumptionSet,
        draws: u32,
        seed: u64,
        earlier: Option<Arc<Strata>>,
    ) -> Plan {
        let sampler = Sampler::new(set);
        let strata = match earlier {
            Some(strata) if strata.order.len() >= sampler.scores() => strata,
            _ => Arc::new(Strata::new(sampler.scores(), draws, &mut Rng::new(seed))),
        };
        let chunks = if draws <= KEEP_UP_TO {
            draws.div_ceil(KEPT_CHUNK)
        } else {
            0
        };
        Plan {
            draws,
            seed,
            sampler,
            strata,
            kept: (0..chunks).map(|_| OnceLock::new()).collect(),
            drawn_once: (0..chunks).map(|_| AtomicBool::new(false)).collect(),
        }
    }

    /// Whether this is the plan of a run of `draws` draws from `seed` with
    /// the figures of `set` (or of a set that draws the same figures).
    pub fn fits(&self, set: &AssumptionSet, draws: u32, seed: u64) -> bool {
        self.draws == draws && self.seed == seed && self.sampler == Sampler::new(set)
    }

    /// The figures of draw `i`, drawn now.
    fn draw(&self, i: u32, z: &mut [f64]) -> Figures {
        self.strata.scores(i, z);
        self.sampler.at(z)
    }

    /// Hands `each` the figures of the draws of `range`, in order: those
    /// kept, as kept; the others drawn, and kept where a run drew them
    /// before and the run is short enough ([`KEEP_UP_TO`]).
    fn each_draw(&self, range: Range<u32>, mut each: impl FnMut(&Figures)) {
        let end = range.end.min(self.draws);
        let mut z = vec![0.0; self.sampler.scores()];
        let mut i = range.start;
        while i < end {
            let chunk = i / KEPT_CHUNK;
            let start = chunk * KEPT_CHUNK;
            let stop = end.min(start.saturating_add(KEPT_CHUNK));
            let again = |c: usize| {
                self.drawn_once
                    .get(c)
                    .is_some_and(|once| once.swap(true, Ordering::Relaxed))
            };
            match self.kept.get(chunk as usize) {
                Some(cell) if cell.get().is_some() || again(chunk as usize) => {
                    let kept = cell.get_or_init(|| {
                        (start..self.draws.min(start + KEPT_CHUNK))
                            .map(|k| self.draw(k, &mut z))
                            .collect()
                    });
                    kept[(i - start) as usize..(stop - start) as usize]
                        .iter()
                        .for_each(&mut each);
                }
                _ => (i..stop).for_each(|k| each(&self.draw(k, &mut z))),
            }
            i = stop;
        }
    }
}

/// What the draws of a run, or of a part of it, gave every stack, in the
/// order of [`Stack::ALL`]: the figures of each draw, and how many draws
/// had each set of stacks cheapest together.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Drawn {
    /// Instances at today's peak, per stack, one per draw.
    pub instances: Vec<Vec<f64>>,
    /// Money per month at today's peak, per stack, one per draw.
    pub monthly: Vec<Vec<f64>>,
    /// Total cost over the horizon, per stack, one per draw.
    pub total: Vec<Vec<f64>>,
    /// How many draws had each set of stacks cheapest together.
    pub cheapest: CheapestSets,
}

impl Drawn {
    fn with_capacity(draws: usize) -> Drawn {
        let n = Stack::ALL.len();
        Drawn {
            instances: vec![Vec::with_capacity(draws); n],
            monthly: vec![Vec::with_capacity(draws); n],
            total: vec![Vec::with_capacity(draws); n],
            cheapest: CheapestSets::default(),
        }
    }

    /// Draws held.
    pub fn len(&self) -> usize {
        self.total.first().map_or(0, Vec::len)
    }

    /// Whether no draw is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether every stack has the same number of draws of each figure,
    /// and the sets of cheapest stacks count each draw once: the shape
    /// [`merge`] needs (a part read from a message is checked with this).
    pub fn is_whole(&self) -> bool {
        let n = Stack::ALL.len();
        let len = self.len();
        [&self.instances, &self.monthly, &self.total]
            .iter()
            .all(|series| series.len() == n && series.iter().all(|v| v.len() == len))
            && self.cheapest.draws() == len as u64
    }
}

/// Sets of stacks as bits, one per stack in the order of [`Stack::ALL`].
const SETS: usize = 1 << Stack::ALL.len();

/// How many draws had each set of stacks cheapest together: the draw's
/// cheapest stack that can run, and every stack that can run as it does
/// and costs the same within 0.5% ([`costs_the_same`]). Indexed by the set's bits (bit `i` for
/// `Stack::ALL[i]`); the empty set is never counted, since every draw has a
/// cheapest stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CheapestSets([u32; SETS]);

impl CheapestSets {
    /// The bits of `stacks`.
    pub fn bits(stacks: &[Stack]) -> u8 {
        stacks.iter().fold(0, |bits, s| bits | 1 << s.index())
    }

    /// Counts one more draw with the stacks of `bits` cheapest together.
    fn count(&mut self, bits: u8) {
        if let Some(n) = self.0.get_mut(usize::from(bits)) {
            *n = n.saturating_add(1);
        }
    }

    /// Adds `n` draws with the stacks of `bits` cheapest together; `None`
    /// for the empty set, a set of stacks that do not exist, or a count
    /// past what the run can hold.
    pub fn add(&mut self, bits: u8, n: u32) -> Option<()> {
        if bits == 0 {
            return None;
        }
        let slot = self.0.get_mut(usize::from(bits))?;
        *slot = slot.checked_add(n)?;
        Some(())
    }

    /// Every set counted at least once, as its bits and its draws, in the
    /// order of the bits.
    pub fn counted(&self) -> impl Iterator<Item = (u8, u32)> + '_ {
        (0u8..).zip(self.0).filter(|(bits, n)| *bits != 0 && *n > 0)
    }

    /// Draws counted.
    pub fn draws(&self) -> u64 {
        self.0.iter().map(|n| u64::from(*n)).sum()
    }

    /// Share of the counted draws in which `stack` is among the cheapest.
    pub fn share_of(&self, stack: Stack) -> f64 {
        self.share(|set| set & 1 << stack.index() != 0)
    }

    /// Share of the counted draws whose set passes `keep`; 0 with none.
    fn share(&self, keep: impl Fn(u8) -> bool) -> f64 {
        let all = self.draws();
        if all == 0 {
            return 0.0;
        }
        let kept: u64 = self
            .counted()
            .filter(|(bits, _)| keep(*bits))
            .map(|(_, n)| u64::from(n))
            .sum();
        kept as f64 / all as f64
    }

    fn merge(&mut self, other: &CheapestSets) {
        for (mine, theirs) in self.0.iter_mut().zip(other.0) {
            *mine = mine.saturating_add(theirs);
        }
    }
}

/// The stacks cheapest in one draw, as bits ([`CheapestSets`]): the
/// cheapest of those that can run (of all, when none can), and every stack
/// that can run as it can and costs the same within 0.5%
/// ([`costs_the_same`]), as the headline counts a tie.
pub(crate) fn cheapest_set(costs: &[StackCosts]) -> u8 {
    let winner = cheapest_index(costs.iter().map(|x| (x.total, x.standing)));
    let Some(best) = costs.get(winner) else {
        return 0;
    };
    (0u8..)
        .zip(costs)
        .filter(|(_, x)| x.standing == best.standing && costs_the_same(x.total, best.total))
        .fold(0, |bits, (i, _)| bits | 1 << i)
}

/// The result of a run from its parts' draws (in any order; a run made
/// whole is one part). `None` when a part is not [`Drawn::is_whole`].
pub fn merge(seed: u64, parts: Vec<Drawn>) -> Option<MonteCarlo> {
    if !parts.iter().all(Drawn::is_whole) {
        return None;
    }
    let mut all = Drawn::with_capacity(parts.iter().map(Drawn::len).sum());
    for part in parts {
        for i in 0..Stack::ALL.len() {
            all.instances[i].extend_from_slice(&part.instances[i]);
            all.monthly[i].extend_from_slice(&part.monthly[i]);
            all.total[i].extend_from_slice(&part.total[i]);
        }
        all.cheapest.merge(&part.cheapest);
    }
    Some(outcome(seed, all))
}

/// The result of a run's draws, all of them.
fn outcome(seed: u64, mut all: Drawn) -> MonteCarlo {
    let draws = all.len();
    let stacks = Stack::ALL
        .iter()
        .map(|st| {
            let i = st.index();
            StackOutcome {
                stack: *st,
                instances: Percentiles::of(&mut all.instances[i]),
                monthly: Percentiles::of(&mut all.monthly[i]),
                total: Percentiles::of(&mut all.total[i]),
                p_cheapest: 0.0,
            }
        })
        .collect();
    MonteCarlo::new(
        u32::try_from(draws).unwrap_or(u32::MAX),
        seed,
        stacks,
        all.cheapest,
    )
}

impl Runner {
    /// A run of `draws` draws from `seed`, none made yet.
    pub fn new(draws: u32, seed: u64) -> Runner {
        Runner::part(draws, seed, 0..draws)
    }

    /// Draws `range` of a run of `draws` draws from `seed`: the same draws
    /// the whole run makes there.
    pub fn part(draws: u32, seed: u64, range: Range<u32>) -> Runner {
        let end = range.end.min(draws);
        let first = range.start.min(end);
        Runner {
            seed,
            draws,
            first,
            target: end,
            done: first,
            drawn: Drawn::with_capacity((end - first) as usize),
            plan: None,
            strata: None,
        }
    }

    /// [`Runner::part`], after a run planned with `earlier`: the first step
    /// prepares its plan with the earlier plan's strata where the two runs
    /// have the same draws and seed (their figures differ), and keeps
    /// nothing else of it (not its drawn figures).
    pub fn after(earlier: &Plan, draws: u32, seed: u64, range: Range<u32>) -> Runner {
        let mut runner = Runner::part(draws, seed, range);
        if earlier.draws == draws && earlier.seed == seed {
            runner.strata = Some(earlier.strata.clone());
        }
        runner
    }

    /// Draws `range` of the run `plan` was prepared for, with that plan:
    /// the draws [`Runner::part`] makes there, without preparing them again.
    /// Every step must pass the plan's figures.
    pub fn with_plan(plan: Arc<Plan>, range: Range<u32>) -> Runner {
        let mut runner = Runner::part(plan.draws, plan.seed, range);
        runner.plan = Some(plan);
        runner
    }

    /// The run's plan, once the first step has prepared it (or it was given).
    pub fn plan(&self) -> Option<&Arc<Plan>> {
        self.plan.as_ref()
    }

    /// Draws made so far.
    pub fn done(&self) -> u32 {
        self.done - self.first
    }

    /// Share of the run (or part) done, 0 to 1.
    pub fn progress(&self) -> f64 {
        let all = self.target - self.first;
        if all == 0 {
            1.0
        } else {
            f64::from(self.done()) / f64::from(all)
        }
    }

    /// Whether every draw is made.
    pub fn is_done(&self) -> bool {
        self.done >= self.target
    }

    /// Makes up to `chunk` more draws. Every call of one run must pass the
    /// same set (the first call prepares the run's [`Plan`], unless one was
    /// given).
    pub fn step(&mut self, s: &Scenario, set: &AssumptionSet, chunk: u32) {
        let end = self.target.min(self.done.saturating_add(chunk));
        let (draws, seed) = (self.draws, self.seed);
        let strata = &mut self.strata;
        let plan = self
            .plan
            .get_or_insert_with(|| Arc::new(Plan::with_strata(set, draws, seed, strata.take())));
        let drawn = &mut self.drawn;
        plan.each_draw(self.done..end, |figures| {
            let costs = stack_costs(s, figures);
            drawn.cheapest.count(cheapest_set(&costs));
            for (i, x) in costs.iter().enumerate() {
                drawn.instances[i].push(x.instances as f64);
                drawn.monthly[i].push(x.monthly);
                drawn.total[i].push(x.total);
            }
        });
        self.done = end;
    }

    /// The draws made so far: a part's share of its run ([`merge`]).
    pub fn into_drawn(self) -> Drawn {
        self.drawn
    }

    /// The result of the draws made so far.
    pub fn finish(self) -> MonteCarlo {
        outcome(self.seed, self.drawn)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NumField;

    #[test]
    fn inverse_normal_cdf_matches_known_quantiles() {
        // Φ⁻¹ to 16 digits (Python's statistics.NormalDist, Wichura AS241).
        for (p, z) in [
            (0.5, 0.0),
            (0.95, 1.644_853_626_951_472_2),
            (0.975, 1.959_963_984_540_054),
            (0.01, -2.326_347_874_040_840_8),
            (0.02425, -1.972_961_051_311_884_5),
            (0.001, -3.090_232_306_167_813),
            (1e-12, -7.034_483_825_301_131),
        ] {
            let got = inverse_normal_cdf(p);
            assert!(
                (got - z).abs() <= 1.2e-9 * z.abs().max(1.0),
                "{p}: {got} vs {z}"
            );
            if p > 1e-6 {
                // 1 - p is exact enough here to check the symmetry.
                let mirror = inverse_normal_cdf(1.0 - p);
                assert!(
                    (mirror + z).abs() <= 1.2e-9 * z.abs().max(1.0),
                    "{p}: {mirror}"
                );
            }
        }
        assert_eq!(inverse_normal_cdf(0.0), f64::NEG_INFINITY);
        assert_eq!(inverse_normal_cdf(1.0), f64::INFINITY);
        assert!(inverse_normal_cdf(f64::NAN).is_nan());
    }

    #[test]
    fn the_shuffles_index_is_the_high_word_of_the_full_product() {
        // By hand: 2^63 x 10 / 2^64 = 5; (2^64 - 1)(2^32 - 1) / 2^64 =
        // 2^32 - 1 - (2^32 - 1) / 2^64, whose floor is 2^32 - 2.
        assert_eq!(high_word(1 << 63, 10), 5);
        assert_eq!(high_word(u64::MAX, u32::MAX), u32::MAX - 1);
        assert_eq!(high_word(u64::MAX, 1), 0);
        assert_eq!(high_word(0, u32::MAX), 0);
        // The 128-bit product it replaces, over a million pairs: the same
        // index, so a seed shuffles its strata exactly as before.
        let mut rng = Rng::new(7);
        for _ in 0..1_000_000 {
            let x = rng.next_u64();
            let n = (rng.next_u64() >> (rng.next_u64() % 64)) as u32 | 1;
            let wide = ((u128::from(x) * u128::from(n)) >> 64) as u32;
            assert_eq!(high_word(x, n), wide, "{x} x {n}");
        }
    }

    fn fig(low: f64, typical: f64, high: f64, unit: Unit) -> Assumption {
        Assumption {
            low,
            typical,
            high,
            unit,
            source: "test".into(),
        }
    }

    #[test]
    fn a_spread_puts_low_typical_high_at_the_5th_50th_95th_percentiles() {
        for a in [
            fig(59.0, 134.0, 714.0, Unit::MicrosPerRequest),
            fig(0.0, 10.0, 15.0, Unit::HoursPerSprint),
            fig(0.0, 0.0001, 0.0005, Unit::Coefficient),
            fig(1.0, 1.0, 2.0, Unit::ProcessesPerVcpu),
            fig(0.8, 0.9, 0.95, Unit::Fraction),
        ] {
            let s = Spread::of(&a);
            for (p, want) in [(0.05, a.low), (0.5, a.typical), (0.95, a.high)] {
                let got = s.quantile(p);
                assert!(
                    (got - want).abs() <= 1e-6 * (a.high - a.low),
                    "{a:?} at {p}: {got}"
                );
            }
        }
        // Censored at 0 below, capped at 100% for shares; a point is a point.
        let zero = Spread::of(&fig(0.0, 1.0, 2.0, Unit::Ms));
        assert_eq!(zero.quantile(0.01), 0.0);
        let share = Spread::of(&fig(0.9, 0.95, 0.99, Unit::Fraction));
        assert_eq!(share.at(8.0), 1.0);
        assert_eq!(Spread::of(&fig(3.0, 3.0, 3.0, Unit::Ms)).at(2.0), 3.0);
        assert_eq!(
            Spread::of(&fig(59.0, 134.0, 714.0, Unit::Ms)).at(f64::NAN),
            134.0
        );
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
    fn a_draws_cheapest_are_the_cheapest_and_every_stack_within_half_a_percent() {
        // By hand: FastAPI $100,000 is the cheapest of the stacks that fit
        // (NestJS at $99,000 does not fit, so it cannot win); 0.5% over it
        // is $100,500. Express at $100,400 and Hybrid at $100,490 cost the
        // same; Fastify at $100,600 does not. Bits 0, 1 and 4.
        use crate::model::Standing::{CannotRun, Delivers, MissesTarget};
        let cost = |total: f64, standing| StackCosts {
            total,
            standing,
            ..StackCosts::default()
        };
        let costs = [
            cost(100_000.0, Delivers),
            cost(100_400.0, Delivers),
            cost(100_600.0, Delivers),
            cost(99_000.0, CannotRun),
            cost(100_490.0, Delivers),
        ];
        assert_eq!(cheapest_set(&costs), 0b10011);
        assert_eq!(
            CheapestSets::bits(&[Stack::FastApi, Stack::Express, Stack::Hybrid]),
            0b10011
        );
        // When none fits, the cheapest of all, and its ties among them.
        let none_fit = costs.map(|c| StackCosts {
            standing: CannotRun,
            ..c
        });
        assert_eq!(cheapest_set(&none_fit), 0b01000);
        // One fits: it alone, however much more it costs.
        let mut one = none_fit;
        one[2].standing = MissesTarget;
        assert_eq!(cheapest_set(&one), 0b00100);
        // One that meets the p99 target beats those that miss it, and they
        // beat those that cannot run: Express, however much more it costs.
        one[1].standing = Delivers;
        assert_eq!(cheapest_set(&one), 0b00010);
    }

    #[test]
    fn a_run_made_in_parts_is_the_run_made_whole() {
        // Two workers each make half the draws; merged, their parts give
        // the whole run's result to the last bit, ties included: in the
        // default scenario the four Node.js stacks cost the same in most
        // draws (622 of 1,001), all five in 5, FastAPI alone in 374.
        let set = AssumptionSet::published();
        let s = Scenario::default();
        let whole = monte_carlo(&s, &set, 1_001, 7);
        assert_eq!(
            whole.cheapest.counted().collect::<Vec<_>>(),
            [(0b00001, 374), (0b11110, 622), (0b11111, 5)]
        );
        for cut in [0, 1, 500, 1_000, 1_001] {
            let mut parts = Vec::new();
            for range in [cut..1_001, 0..cut] {
                let mut part = Runner::part(1_001, 7, range);
                part.step(&s, &set, 300);
                part.step(&s, &set, u32::MAX);
                assert!(part.is_done());
                parts.push(part.into_drawn());
            }
            assert_eq!(merge(7, parts), Some(whole.clone()), "cut at {cut}");
        }
    }

    #[test]
    fn figures_kept_by_a_plan_are_the_figures_drawn_afresh() {
        // A plan reused for runs with other inputs (the second keeps the
        // figures, the later ones read them), and for parts whose ends fall
        // inside a kept chunk (125 draws), gives each run what a fresh run
        // gives, to the last bit. A run too long to keep draws each figure
        // as it goes, as every first run does.
        let set = AssumptionSet::published();
        let (draws, seed) = (1_001, 7);
        let mut busy = Scenario::default();
        assert!(busy.set(NumField::AvgRps, 9_000.0).is_ok());
        let plan = Arc::new(Plan::new(&set, draws, seed));
        let mut first = Runner::with_plan(plan.clone(), 0..draws);
        first.step(&busy, &set, u32::MAX);
        assert_eq!(first.finish(), monte_carlo(&busy, &set, draws, seed));
        assert!(
            plan.kept.iter().all(|chunk| chunk.get().is_none()),
            "a first run keeps nothing"
        );
        for s in [Scenario::default(), busy.clone(), Scenario::default()] {
            let fresh = monte_carlo(&s, &set, draws, seed);
            let mut parts = Vec::new();
            for range in [600..1_001, 0..130, 130..600] {
                let mut part = Runner::with_plan(plan.clone(), range);
                part.step(&s, &set, 77);
                part.step(&s, &set, u32::MAX);
                parts.push(part.into_drawn());
            }
            assert_eq!(merge(seed, parts), Some(fresh));
        }
        assert!(plan.kept.iter().all(|chunk| chunk.get().is_some()));
        // The kept figures, read back, are those a fresh plan draws.
        let mut kept = Vec::new();
        plan.each_draw(0..draws, |figures| kept.push(*figures));
        assert_eq!(kept, run_figures(&set, draws, seed));
        let long = Plan::new(&set, KEEP_UP_TO + 1, seed);
        assert!(long.kept.is_empty(), "a longer run keeps nothing");
    }

    #[test]
    fn a_plan_for_other_figures_reuses_the_strata_and_draws_what_a_fresh_one_does() {
        // The published set draws 48 scores, the article's 44: the
        // article's run after a published one reuses its strata (its 44
        // are the first of the 48), the published run after that reuses
        // them again, and each gives what a fresh run gives to the last
        // bit; a run of other draws or seed prepares its own.
        let (published, article) = (AssumptionSet::published(), AssumptionSet::article());
        let s = Scenario::default();
        let (draws, seed) = (600, 3);
        let mut earlier = Arc::new(Plan::new(&published, draws, seed));
        assert_eq!(earlier.sampler.scores(), 48);
        for set in [&article, &published, &article] {
            let mut runner = Runner::after(&earlier, draws, seed, 0..draws);
            runner.step(&s, set, u32::MAX);
            let plan = runner.plan().cloned().expect("planned by the step");
            assert!(Arc::ptr_eq(&plan.strata, &earlier.strata), "strata reused");
            assert!(plan.fits(set, draws, seed));
            assert_eq!(runner.finish(), monte_carlo(&s, set, draws, seed));
            earlier = plan;
        }
        assert_eq!(earlier.sampler.scores(), 44);
        for (d, sd) in [(draws + 1, seed), (draws, seed + 1)] {
            let mut runner = Runner::after(&earlier, d, sd, 0..d);
            runner.step(&s, &published, u32::MAX);
            let plan = runner.plan().cloned().expect("planned by the step");
            assert!(!Arc::ptr_eq(&plan.strata, &earlier.strata));
            assert_eq!(runner.finish(), monte_carlo(&s, &published, d, sd));
        }
        // Fewer strata than the figures need: prepared afresh.
        let few = Plan::new(&article, draws, seed);
        let mut runner = Runner::after(&few, draws, seed, 0..draws);
        runner.step(&s, &published, u32::MAX);
        let plan = runner.plan().cloned().expect("planned by the step");
        assert!(!Arc::ptr_eq(&plan.strata, &few.strata));
        assert_eq!(runner.finish(), monte_carlo(&s, &published, draws, seed));
    }

    #[test]
    fn a_part_of_the_wrong_shape_is_not_merged() {
        let set = AssumptionSet::published();
        let mut part = Runner::part(10, 1, 0..10);
        part.step(&Scenario::default(), &set, 10);
        let mut drawn = part.into_drawn();
        assert!(drawn.is_whole() && drawn.len() == 10);
        let mut counted_twice = drawn.clone();
        assert_eq!(counted_twice.cheapest.add(0b00001, 1), Some(()));
        assert!(
            !counted_twice.is_whole(),
            "ten draws hold ten sets of cheapest stacks"
        );
        assert_eq!(merge(1, vec![counted_twice]), None);
        drawn.monthly[2].pop();
        assert_eq!(merge(1, vec![drawn]), None);
    }

    #[test]
    fn a_set_of_cheapest_stacks_is_never_empty_nor_more_than_five() {
        let mut sets = CheapestSets::default();
        assert_eq!(sets.add(0, 1), None, "every draw has a cheapest stack");
        assert_eq!(sets.add(32, 1), None, "there are five stacks");
        assert_eq!(sets.add(31, u32::MAX), Some(()));
        assert_eq!(sets.add(31, 1), None, "past what a run holds");
        assert_eq!(sets.draws(), u64::from(u32::MAX));
    }

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<f64> = (1..=100).map(f64::from).collect();
        let p = Percentiles::of(&mut v);
        assert_eq!((p.p5, p.p50, p.p95), (5.0, 50.0, 95.0));
        assert_eq!(Percentiles::of(&mut []), Percentiles::default());
    }
}
