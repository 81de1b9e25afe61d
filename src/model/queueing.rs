//! Queueing and scalability formulas, each written once.
//!
//! Every single-threaded event loop (a Uvicorn worker, a Node process) is one
//! server. A tier's requests wait in one or more FIFO queues of `c` servers
//! each ([`QueueLayout`]); each queue is an M/G/c queue: Poisson arrivals, a
//! general service-time distribution given by the tier's request classes.
//! References:
//! - Erlang C: A. K. Erlang (1917); stable recurrence through Erlang B as in
//!   Kleinrock, *Queueing Systems* vol. 1 (1975), and Harchol-Balter,
//!   *Performance Modeling and Design of Computer Systems* (2013), ch. 14;
//!   for many servers, Erlang B through Temme's uniform expansion of the
//!   incomplete gamma function (SIAM J. Math. Anal. 10(4), 1979).
//! - M/G/c waiting time: the Allen-Cunneen approximation (A. O. Allen,
//!   *Probability, Statistics and Queueing Theory*, 2nd ed., 1990, §6.4:
//!   `Wq(M/G/c) ≈ Wq(M/M/c) (1 + c_s²) / 2`), with the conditional wait
//!   taken as exponential, as in W. Whitt, "Approximations for the GI/G/m
//!   queue", Production and Operations Management 2(2), 1993.
//! - Universal Scalability Law: N. J. Gunther, *Guerrilla Capacity
//!   Planning* (2007).
//! - Little's law: J. D. C. Little, Operations Research 9(3), 1961.

use serde::Serialize;

/// The 99th percentile: the share of requests allowed above it.
const P99_TAIL: f64 = 0.01;

/// Probability that an arriving request waits, in an M/M/c queue with `c`
/// servers and offered load `a = lambda / mu` (Erlang C), from Erlang B:
/// `C = c B / (c - a (1 - B))`.
///
/// Erlang B comes from one of two places, both in constant time or close:
/// - up to 32 servers (`RECURRENCE_SERVERS`), the stable recurrence
///   `1/B(k) = 1 + (k/a) / B(k-1)` from `k = 0` (exact to rounding);
/// - above, Temme's uniform asymptotic expansion of the incomplete gamma
///   function (`inverse_erlang_b_uniform`), which holds uniformly in
///   `c / a` and is within 4e-7 of the exact value from 33 servers up
///   (`the_uniform_expansion_agrees_with_the_exact_recurrence`), for any
///   load: a thousand servers or ten million cost the same.
///
/// Where `B` is below 1e-18 the answer is 0 (to double precision for any
/// `c` this model sees). Returns 1 when the queue is saturated (`a >= c`)
/// or `a` is NaN, 0 when `a <= 0`, and never NaN.
pub fn erlang_c(c: u64, a: f64) -> f64 {
    erlang_c_with_slope(c, a).0
}

/// Erlang C as [`erlang_c`] gives it, and the slope of its logarithm in the
/// offered load, `d ln C / da = c/a - 1 + (1 - B) / (c - a (1 - B))`: from
/// `dB/da = B (c/a - 1 + B)` (Jagerman, "Some properties of the Erlang loss
/// function", Bell Syst. Tech. J. 53(3), 1974) and
/// `C = B / (1 - (a/c)(1 - B))`, the `B` terms cancel. For one server it is
/// `1/a`, as `C = a` there. The slope is 0 wherever `C` is 0 or 1.
pub fn erlang_c_with_slope(c: u64, a: f64) -> (f64, f64) {
    if c == 0 || a.is_nan() {
        return (1.0, 0.0);
    }
    if a <= 0.0 {
        return (0.0, 0.0);
    }
    let servers = c as f64;
    if a >= servers {
        return (1.0, 0.0);
    }
    let inverse_b = if c <= RECURRENCE_SERVERS {
        inverse_erlang_b_recurrence(c, a)
    } else {
        inverse_erlang_b_uniform(c, a)
    };
    if inverse_b.is_nan() || inverse_b > NEGLIGIBLE_INVERSE_B {
        return (0.0, 0.0);
    }
    // With `B = 1/inverse_b`, `C = c B / (c - a (1 - B)) = c / d` and the
    // slope's last term `(1 - B) / (c - a (1 - B)) = (1/B - 1) / d`, for
    // `d = (c - a) / B + a`: one division for both.
    let d = inverse_b * (servers - a) + a;
    if d <= 0.0 {
        return (1.0, 0.0);
    }
    let per_d = 1.0 / d;
    let slope = servers / a - 1.0 + (inverse_b - 1.0) * per_d;
    ((servers * per_d).clamp(0.0, 1.0), slope)
}

/// Server counts up to which Erlang B comes from its recurrence (at most
/// this many steps); above, from the uniform expansion.
const RECURRENCE_SERVERS: u64 = 32;

/// `1/B` above which Erlang B, and so Erlang C, is taken as 0.
const NEGLIGIBLE_INVERSE_B: f64 = 1e18;

/// `1/B(c, a)` by the Erlang B recurrence from `1/B(0) = 1` (Kleinrock,
/// *Queueing Systems* vol. 1, 1975; Harchol-Balter, 2013, ch. 14). Stops
/// once past [`NEGLIGIBLE_INVERSE_B`].
fn inverse_erlang_b_recurrence(c: u64, a: f64) -> f64 {
    let per_erlang = 1.0 / a;
    let mut inverse_b = 1.0;
    let mut k = 0.0;
    for _ in 0..c {
        k += 1.0;
        inverse_b = 1.0 + inverse_b * k * per_erlang;
        if inverse_b > NEGLIGIBLE_INVERSE_B {
            break;
        }
    }
    inverse_b
}

/// `1/B(c, a)` for `a < c` from Temme's uniform asymptotic expansion of the
/// regularised incomplete gamma function (N. M. Temme, "The asymptotic
/// expansion of the incomplete gamma functions", SIAM J. Math. Anal. 10(4),
/// 1979; NIST DLMF §8.12). With `X ~ Poisson(a)`, `B = P(X = c) / P(X <= c)`
/// and `P(X <= c) = Q(s, a)` for `s = c + 1`. With `λ = a/s`,
/// `φ = λ - 1 - ln λ`, `η = -sqrt(2φ)` (negative: `λ < 1`) and `y = s φ`:
///
/// `Q(s, a) = ½ erfc(η sqrt(s/2)) + e^(-y) / sqrt(2π s) (c₀(η) + c₁(η)/s + …)`
///
/// and Stirling's series gives `P(X = c) = e^(-y) sqrt(s) / (a sqrt(2π))
/// e^(-θ(s))`, so
///
/// `1/B = (a e^θ / s) [sqrt(π s / 2) (2 e^y - erfcx(sqrt y)) + c₀ + c₁/s]`.
///
/// The next term, `c₂/s²`, is what is left out: a relative error below
/// 4e-7 from `s = 33` up, shrinking as `1/s`. Infinite where `y > 45`
/// (`B` below 1e-19).
fn inverse_erlang_b_uniform(c: u64, a: f64) -> f64 {
    let s = c as f64 + 1.0;
    let sigma = a / s - 1.0; // λ - 1, in (-1, 0)
    let phi = sigma - sigma.ln_1p();
    let y = s * phi;
    if y.is_nan() || y > 45.0 {
        return f64::INFINITY;
    }
    let root_y = y.sqrt();
    let eta = -std::f64::consts::SQRT_2 * phi.sqrt();
    // Stirling's series: ln Γ(s) = (s - ½) ln s - s + ½ ln 2π + θ(s); θ is
    // below 1/400 here, so e^θ to its third term is exact to 3e-9.
    let inverse_s = 1.0 / s;
    let inverse_s2 = inverse_s * inverse_s;
    let theta = inverse_s * (1.0 / 12.0 - inverse_s2 * (1.0 / 360.0 - inverse_s2 * (1.0 / 1260.0)));
    let exp_theta = 1.0 + theta * (1.0 + 0.5 * theta);
    // erfcx is below 1 and e^y above 5e8 from y = 20: no need to compute it.
    let tail = if y > 20.0 { 0.0 } else { erfcx(root_y) };
    let bracket = (std::f64::consts::PI * s / 2.0).sqrt() * (2.0 * y.exp() - tail)
        + temme_c0(eta, sigma)
        + temme_c1(eta, sigma) * inverse_s;
    a * exp_theta * inverse_s * bracket
}

/// Below this `|η|` the coefficients of the uniform expansion come from
/// their Taylor series: their closed forms cancel near `η = 0`.
const TEMME_SERIES_ETA: f64 = 0.5;

/// `c₀(η) = 1/(λ - 1) - 1/η` (DLMF 8.12.9); its Taylor coefficients are
/// Temme's (1979), the later ones as tabulated by DiDonato and Morris
/// (1986); the tests check them against the closed form.
fn temme_c0(eta: f64, sigma: f64) -> f64 {
    const SERIES: [f64; 15] = [
        -1.0 / 3.0,
        1.0 / 12.0,
        -2.0 / 135.0,
        1.0 / 864.0,
        1.0 / 2835.0,
        -139.0 / 777_600.0,
        1.0 / 25_515.0,
        -571.0 / 261_273_600.0,
        -1.854_062_210_715_16e-06,
        8.296_711_340_953_087e-07,
        -1.766_595_273_682_607_8e-07,
        6.707_853_543_401_498e-09,
        1.026_180_978_424_030_9e-08,
        -4.382_036_018_453_353e-09,
        9.147_699_582_236_79e-10,
    ];
    if eta.abs() < TEMME_SERIES_ETA {
        horner(&SERIES, eta)
    } else {
        1.0 / sigma - 1.0 / eta
    }
}

/// `c₁(η) = 1/η³ - 1/(λ - 1)³ - 1/(λ - 1)² - 1/(12 (λ - 1))` (DLMF
/// 8.12.9); its Taylor coefficients as tabulated for Temme's expansion
/// (A. R. DiDonato and A. H. Morris, "Computation of the incomplete gamma
/// function ratios and their inverse", ACM TOMS 12(4), 1986), checked
/// against the closed form in the tests.
fn temme_c1(eta: f64, sigma: f64) -> f64 {
    const SERIES: [f64; 9] = [
        -0.001_851_851_851_851_852,
        -0.003_472_222_222_222_222,
        0.002_645_502_645_502_645_4,
        -0.000_990_226_337_448_559_6,
        0.000_205_761_316_872_427_98,
        -4.018_775_720_164_609e-07,
        -1.809_855_033_448_997_7e-05,
        7.649_160_916_081_11e-06,
        -1.612_090_089_456_344_6e-06,
    ];
    if eta.abs() < TEMME_SERIES_ETA {
        horner(&SERIES, eta)
    } else {
        1.0 / eta.powi(3) - 1.0 / sigma.powi(3) - 1.0 / sigma.powi(2) - 1.0 / (12.0 * sigma)
    }
}

/// `Σ coefficients[i] x^i`.
fn horner(coefficients: &[f64], x: f64) -> f64 {
    coefficients.iter().rev().fold(0.0, |acc, c| acc * x + c)
}

/// The scaled complementary error function `erfcx(z) = e^(z²) erfc(z)` for
/// `z >= 0`, to a relative error below 1.2e-7 (the Chebyshev fit of W. H.
/// Press et al., *Numerical Recipes*, 2nd ed., 1992, §6.2, `erfcc`, without
/// its `e^(-z²)` factor).
fn erfcx(z: f64) -> f64 {
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    t * poly.exp()
}

/// A request class as one queue sees it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct ClassTime {
    /// Share of the queue's requests, 0 to 1.
    pub share: f64,
    /// Time on a server (CPU time, after the scalability slowdown), seconds.
    pub service_s: f64,
    /// Time away from a server (I/O wait, a network hop), seconds: it adds
    /// to the response time but holds no server on an async runtime.
    pub outside_s: f64,
}

impl ClassTime {
    /// Response time with no queueing.
    pub fn unqueued_s(&self) -> f64 {
        self.service_s + self.outside_s
    }
}

/// Mean and squared coefficient of variation (`c_s² = Var S / E[S]²`) of
/// the service time of a class mix. Each class's own service time is taken
/// as constant, so the variance is that of the mix:
/// `E[S²] = Σ w_k s_k²`, `c_s² = E[S²] / E[S]² - 1`. Shares need not sum to
/// one (they are normalised). A mix with no time gives `(0, 0)`.
pub fn service_moments(classes: &[ClassTime]) -> (f64, f64) {
    let total: f64 = classes.iter().map(|c| c.share.max(0.0)).sum();
    if total <= 0.0 {
        return (0.0, 0.0);
    }
    let (mut m1, mut m2) = (0.0, 0.0);
    for c in classes {
        let w = c.share.max(0.0) / total;
        m1 += w * c.service_s;
        m2 += w * c.service_s * c.service_s;
    }
    if m1 <= 0.0 {
        return (0.0, 0.0);
    }
    (m1, (m2 / (m1 * m1) - 1.0).max(0.0))
}

/// The waiting time of an M/G/c queue, as the Allen-Cunneen approximation
/// gives it: a request waits with probability `p_wait` (Erlang C), and then
/// for an exponential time with mean `mean_if_waiting_s`
/// `= (1 + c_s²) / 2 / (c mu - lambda)`. With `c_s² = 1` this is exact for
/// M/M/c; for M/G/1 its mean is the Pollaczek-Khinchine formula.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct WaitTail {
    /// Probability of waiting at all.
    pub p_wait: f64,
    /// Mean wait of the requests that wait, seconds; infinite past
    /// saturation.
    pub mean_if_waiting_s: f64,
}

impl WaitTail {
    /// The wait of `servers` servers of rate `mu` each, fed `lambda` req/s,
    /// with service-time variability `scv`.
    pub fn mgc(servers: u64, mu: f64, lambda: f64, scv: f64) -> WaitTail {
        let mut wait = WaitTail::mgc_given(servers, mu, lambda, scv);
        if !wait.saturated() && lambda > 0.0 {
            wait.p_wait = erlang_c(servers, lambda / mu);
        }
        wait
    }

    /// The wait as [`WaitTail::mgc`] gives it, and the slope of the log of
    /// its probability in the arrival rate, `d ln p / d lambda` per req/s.
    pub fn mgc_with_slope(servers: u64, mu: f64, lambda: f64, scv: f64) -> (WaitTail, f64) {
        let mut wait = WaitTail::mgc_given(servers, mu, lambda, scv);
        let mut slope = 0.0;
        if !wait.saturated() && lambda > 0.0 {
            let (p, per_erlang) = erlang_c_with_slope(servers, lambda / mu);
            wait.p_wait = p;
            slope = per_erlang / mu;
        }
        (wait, slope)
    }

    /// The mean wait of those that wait in [`WaitTail::mgc`]'s queue, with
    /// no queueing formula: a bound on its mean wait over all requests
    /// ([`WaitTail::mean_s`] is this times a probability). Infinite where
    /// the queue is saturated.
    pub fn most_mean_s(servers: u64, mu: f64, lambda: f64, scv: f64) -> f64 {
        WaitTail::mgc_given(servers, mu, lambda, scv).mean_if_waiting_s
    }

    /// The wait with its probability left at 0 (the caller sets it).
    fn mgc_given(servers: u64, mu: f64, lambda: f64, scv: f64) -> WaitTail {
        let capacity = servers as f64 * mu;
        if capacity.is_nan() || capacity <= lambda || !mu.is_finite() {
            return WaitTail {
                p_wait: 1.0,
                mean_if_waiting_s: f64::INFINITY,
            };
        }
        if lambda <= 0.0 {
            return WaitTail::default();
        }
        WaitTail {
            p_wait: 0.0,
            mean_if_waiting_s: 0.5 * (1.0 + scv.max(0.0)) / (capacity - lambda),
        }
    }

    /// Whether the queue is saturated (waits grow without bound).
    pub fn saturated(&self) -> bool {
        !self.mean_if_waiting_s.is_finite()
    }

    /// Mean wait over all requests, seconds.
    pub fn mean_s(&self) -> f64 {
        if self.p_wait <= 0.0 {
            0.0
        } else {
            self.p_wait * self.mean_if_waiting_s
        }
    }

    /// `P(W > t)`.
    pub fn tail(&self, t: f64) -> f64 {
        if t < 0.0 {
            1.0
        } else if self.p_wait <= 0.0 || self.mean_if_waiting_s <= 0.0 {
            0.0
        } else {
            self.p_wait * (-t / self.mean_if_waiting_s).exp()
        }
    }

    /// The 99th percentile of the wait alone, seconds.
    pub fn p99_s(&self) -> f64 {
        if self.saturated() {
            return f64::INFINITY;
        }
        if self.p_wait <= P99_TAIL {
            return 0.0;
        }
        self.mean_if_waiting_s * (self.p_wait / P99_TAIL).ln()
    }
}

/// A class mix as the response-time percentiles read it: the unqueued time
/// `T_k` of each class with a share, slowest first, and its share of the
/// requests (summing to 1). Made once per queue shape; every p99 and tail
/// question about that shape then reads it without sorting or summing.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Mix {
    /// `(T_k, share_k)`, slowest first.
    times: [(f64, f64); MAX_MIX],
    len: usize,
}

/// The most classes a [`Mix`] holds; more are ignored (the model has five).
const MAX_MIX: usize = 8;

/// An exponential decay past which a tail term is dropped: `e^-40` is
/// 4e-18, nothing a 1% tail can see.
const NEGLIGIBLE_DECAY: f64 = 40.0;

impl Mix {
    /// The mix of `classes`; classes without a positive share are left out,
    /// and shares are normalised. Empty when no class has a share.
    pub fn new(classes: &[ClassTime]) -> Mix {
        let mut mix = Mix::default();
        let total: f64 = classes.iter().map(|c| c.share.max(0.0)).sum();
        if total <= 0.0 {
            return mix;
        }
        for c in classes.iter().filter(|c| c.share > 0.0).take(MAX_MIX) {
            mix.times[mix.len] = (c.unqueued_s(), c.share / total);
            mix.len += 1;
        }
        // Slowest first, ties in their order: an insertion sort, as
        // `sort_by` would give, without its machinery for long slices (a
        // mix is built for every process count a sizing tries).
        for i in 1..mix.len {
            let mut j = i;
            while j > 0 && mix.times[j - 1].0.total_cmp(&mix.times[j].0).is_lt() {
                mix.times.swap(j - 1, j);
                j -= 1;
            }
        }
        mix
    }

    fn classes(&self) -> &[(f64, f64)] {
        &self.times[..self.len]
    }

    /// The 99th percentile of the response time `R = W + T_k`, seconds: a
    /// request of class `k` (probability `share_k`) waits `W` (from `wait`,
    /// independent of its class under FIFO), then takes its class's
    /// unqueued time `T_k`. Solves `Σ share_k P(W > t - T_k) = 1%` exactly:
    /// between two consecutive `T_k` the left side is `A + B e^(-t/m)` (`A`
    /// the share of classes still slower than `t`), so each piece inverts in
    /// closed form, from the slowest class down. Infinite when the queue is
    /// saturated; 0 for an empty mix.
    pub fn p99_s(&self, wait: WaitTail) -> f64 {
        if wait.saturated() {
            return f64::INFINITY;
        }
        let times = self.classes();
        let (p, m) = (wait.p_wait, wait.mean_if_waiting_s);
        let waits = p > 0.0 && m > 0.0;
        // The tail weight of each class and those faster than it, relative
        // to its own time: `weight_j = Σ_{k>=j} share_k e^((T_k - T_j)/m)`,
        // built up from the fastest class with one exponential a class.
        let mut weights = [0.0_f64; MAX_MIX];
        if waits {
            let mut below = 0.0;
            for j in (0..times.len()).rev() {
                if j + 1 < times.len() {
                    let decay = (times[j].0 - times[j + 1].0) / m;
                    below = if decay > NEGLIGIBLE_DECAY {
                        0.0
                    } else {
                        below * (-decay).exp()
                    };
                }
                below += times[j].1;
                weights[j] = below;
            }
        }
        // Going down from the slowest class: `above` is the share of
        // classes slower than the piece.
        let mut above = 0.0;
        for (j, &(top, share)) in times.iter().enumerate() {
            let room = P99_TAIL - above;
            if room <= 0.0 {
                // The classes above already hold more than 1%: the p99 is
                // the slowest of them, reached at its own time.
                return times[j - 1].0;
            }
            // On [T_top, T_above): P(R > t) = above + p weight e^(-(t - T_top)/m).
            if waits && p * weights[j] > room {
                let t = top + m * (p * weights[j] / room).ln();
                let ceiling = if j == 0 {
                    f64::INFINITY
                } else {
                    times[j - 1].0
                };
                return t.min(ceiling);
            }
            // Within 1% from T_top up: look further down.
            above += share;
        }
        // Below the fastest class every request is still in progress.
        times.last().map_or(0.0, |t| t.0)
    }

    /// `P(R > target_s) - 1%`: at most 0 exactly when the p99 is within the
    /// target; 1 - 1% when the queue is saturated. It rises with the load.
    pub fn excess_at(&self, wait: WaitTail, target_s: f64) -> f64 {
        if wait.saturated() {
            return 1.0 - P99_TAIL;
        }
        self.late_at(wait, target_s, 0.0, 0.0).0 - P99_TAIL
    }

    /// `P(R > target_s)` of an unsaturated queue, and its slope in the
    /// arrival rate given `d ln p / d lambda` and `2 / (1 + c_s²)` (0 and 0
    /// where no slope is wanted; see [`Mix::log_late_with_slope`]).
    fn late_at(
        &self,
        wait: WaitTail,
        target_s: f64,
        log_p_slope: f64,
        per_kappa: f64,
    ) -> (f64, f64) {
        // Slowest class first, so the slack to the target only grows: once a
        // class's tail has decayed past e^-40 (a share below 1e-17), every
        // faster one's has too.
        let (p, m) = (wait.p_wait, wait.mean_if_waiting_s);
        let (mut late, mut rising) = (0.0, 0.0);
        for &(t_k, share) in self.classes() {
            let slack = target_s - t_k;
            if slack < 0.0 {
                late += share;
                continue;
            }
            let decay = slack / m;
            if !(p > 0.0 && m > 0.0) || decay > NEGLIGIBLE_DECAY {
                break;
            }
            let tail = share * p * (-decay).exp();
            late += tail;
            rising += tail * (log_p_slope + slack * per_kappa);
        }
        (late, rising)
    }

    /// `ln(P(R > target_s) / 1%)` (minus infinity when no request is late):
    /// at most 0 exactly when the p99 is within the target, rising with the
    /// load; and its slope in the arrival rate, for a Newton step. `log_p_slope` is
    /// `d ln p / d lambda` ([`WaitTail::mgc_with_slope`]) and `scv` the
    /// service time's, so that the mean wait of those who wait is
    /// `kappa / (c mu - lambda)`, `kappa = (1 + c_s²) / 2`: each class's
    /// tail `share_k p e^(-s_k (c mu - lambda) / kappa)` then has the slope
    /// `tail_k (d ln p / d lambda + s_k / kappa)`. The slope is 0 when the
    /// queue is saturated or no request is late.
    pub fn log_late_with_slope(
        &self,
        wait: WaitTail,
        target_s: f64,
        log_p_slope: f64,
        scv: f64,
    ) -> (f64, f64) {
        if wait.saturated() {
            return ((1.0 / P99_TAIL).ln(), 0.0);
        }
        let per_kappa = 2.0 / (1.0 + scv.max(0.0));
        let (late, rising) = self.late_at(wait, target_s, log_p_slope, per_kappa);
        if late <= 0.0 {
            return (f64::NEG_INFINITY, 0.0);
        }
        ((late / P99_TAIL).ln(), rising / late)
    }

    /// Whether the p99 is at most `target_s`: the same answer as
    /// `p99_s(..) <= target_s`, from one evaluation of the tail at the
    /// target.
    pub fn within(&self, wait: WaitTail, target_s: f64) -> bool {
        self.excess_at(wait, target_s) <= 0.0
    }
}

/// The 99th percentile of the response time of a class mix, seconds
/// ([`Mix::p99_s`]).
pub fn p99_response_s(classes: &[ClassTime], wait: WaitTail) -> f64 {
    Mix::new(classes).p99_s(wait)
}

/// The weights of a Poisson count of mean `mean`, `(k, P(K = k))` from `k
/// = 0`, the count held at `most`: its weight is all that is left. Ends
/// past the mean once what is left is below 1e-12.
struct PoissonWeights {
    term: f64,
    left: f64,
    k: f64,
    mean: f64,
    most: f64,
    done: bool,
}

impl PoissonWeights {
    fn new(mean: f64, most: f64) -> PoissonWeights {
        PoissonWeights {
            term: (-mean).exp(),
            left: 1.0,
            k: 0.0,
            mean,
            most,
            done: false,
        }
    }
}

impl Iterator for PoissonWeights {
    type Item = (f64, f64);

    fn next(&mut self) -> Option<(f64, f64)> {
        if self.done {
            return None;
        }
        let k = self.k;
        let weight = if k >= self.most {
            self.left.max(0.0)
        } else {
            self.term
        };
        self.left -= self.term;
        self.done = k >= self.most || (k > self.mean && self.left < 1e-12);
        self.k += 1.0;
        self.term *= self.mean / self.k;
        Some((k, weight))
    }
}

/// One GPU with dynamic batching: when it is free it runs every waiting
/// inference, up to `max_batch`, as one batch, and a batch of `b` takes
/// `t(b) = t1 (1 + g (b - 1))`: `t1` one inference alone, `g` the cost of
/// each extra request (NVIDIA's TensorRT BERT figures on a T4). Every
/// request of a batch leaves when it ends.
///
/// Its p99 is this page's approximation, from readings each checked
/// against a simulation of this GPU (`tests/queue_sim.rs`):
/// - **queued** (`queued_wait_p99_s`): a request waits while the GPU is
///   busy (a share `min(x, 1)` of the time, `x = λ t1`), then as one
///   inference at a time would at the same share `f` of the batching
///   capacity (M/D/1 of service `t1`), its tail read the shorter of two
///   ways: the heavy-traffic one of [`WaitTail::mgc`] and the
///   Cramér-Lundberg asymptote. Then its own inference, and the requests
///   that join its batch while it waits (`joiners_s`). Where a batch costs
///   nearly a full inference a request, those that join it behind a long
///   queue are read apart (`joined`), and that is taken where longer;
/// - **full batches** ([`BatchingGpu::p99_s`]): the queue ahead
///   clears `B` at a time, as one server of the batching capacity would,
///   and the request waits out the batch in progress and runs in its own,
///   `2 t(B)`. Where batches are full this is the shorter of the two (a
///   third of the queued reading's wait for batches of 8 at a batch cost of
///   0.25 and 90% of the capacity), and where they are short the longer:
///   the shorter of the two is taken;
/// - **batches that run long** ([`BatchingGpu::long_batch_s`]): a request
///   that comes in during a batch waits out the whole of it, then runs in
///   the next, which holds what arrived meanwhile, its batches' 99th
///   percentile read off a gamma distribution. Where batches are seldom
///   full this is longer than either, and taken: batches of up to 256 at a
///   batch cost of 0.5 and 80% of the capacity are simulated at 1.24 times
///   the queued reading;
/// - **its own batch** ([`BatchingGpu::own_batch_s`]): a request that
///   comes in during a batch waits out the rest of it, then runs with
///   those that came in meanwhile, summed over how many: the reading of
///   light and moderate load, where the GPU is seldom busy for long. Taken
///   where longer.
///
/// Over batch costs of 0.25 to 1 (its range is 0.25-0.6; an edited figure
/// may go up to 1), batches of 2 to 256 and 2% to 90% of the capacity, the
/// simulated p99 is 0.67 to 1.02 times the page's (up to 1.08 at 95%,
/// where a sample is noisy: the M/D/1 reading, exact with batching off,
/// shows the same spread there). At the most load the page plans within a
/// target, a simulated GPU meets it (within 0.3%); the page plans up to 87%
/// more GPUs than needed within the figure's range at targets of 2.5-3
/// inferences (batches of 4 at a batch cost of 0.25), 13-28% for the
/// typical batches of 8 at 0.5, where it planned up to 3.7 and 2.0 times
/// before the light-load readings (the asymptote, the joiners and its own
/// batch) were added.
///
/// With batching off (`B = 1`) the GPU is an M/D/1 queue, and its p99 is
/// read exactly instead (`md1_late`): the readings above planned up to
/// 58% more GPUs than it needs at tight targets (2.5 inferences).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatchingGpu {
    /// One inference alone, seconds.
    pub t1_s: f64,
    /// The cost of each extra request in a batch, a share of `t1` (0 to 1).
    pub batch_cost: f64,
    /// The largest batch, requests (at least 1).
    pub max_batch: f64,
}

/// The standard normal quantile at 99%.
const Z99: f64 = 2.326_347_874_040_841;

impl BatchingGpu {
    /// How long a batch of `b` takes, seconds.
    pub fn batch_time_s(&self, b: f64) -> f64 {
        self.t1_s * (1.0 + self.batch_cost * (b - 1.0))
    }

    /// The most it serves, req/s: full batches, `B / t(B)`.
    pub fn capacity_rps(&self) -> f64 {
        self.max_batch / self.batch_time_s(self.max_batch)
    }

    /// The mean batch at `lambda` req/s: what arrived while the one before
    /// ran, `b = λ t(b)`, so `b = x (1 - g) / (1 - x g)`; batches of one
    /// below one inference's worth of load (`x < 1`), at most `B`.
    pub fn mean_batch(&self, lambda: f64) -> f64 {
        let (x, g) = (lambda * self.t1_s, self.batch_cost);
        if x < 1.0 {
            1.0
        } else if x * g < 1.0 {
            (x * (1.0 - g) / (1.0 - x * g)).min(self.max_batch)
        } else {
            self.max_batch
        }
    }

    /// The queued reading of the wait at `lambda` req/s: entered while the
    /// GPU is busy, `p = min(x, 1)`, then M/D/1 of service `t1` at `f = λ /
    /// capacity`: `P(W > w) = p exp(-2 (1 - f) w / t1)`. Saturated from the
    /// capacity up.
    pub fn wait(&self, lambda: f64) -> WaitTail {
        let t1 = self.t1_s;
        let share = lambda / self.capacity_rps();
        if share >= 1.0 || share.is_nan() {
            return WaitTail::mgc(1, 1.0, 1.0, 0.0);
        }
        WaitTail {
            p_wait: (lambda * t1).min(1.0),
            ..WaitTail::mgc(1, 1.0 / t1, share / t1, 0.0)
        }
    }

    /// The mean response at `lambda` req/s, seconds: one inference and the
    /// queued reading's mean wait (what memory in flight is read at).
    pub fn mean_response_s(&self, lambda: f64) -> f64 {
        self.t1_s + self.wait(lambda).mean_s()
    }

    /// The p99 response at `lambda` req/s, seconds, time away excluded: the
    /// shorter of the queued and full batches' readings, or the long
    /// batches' where that is longer; with batching off, one inference and
    /// the M/D/1 wait's exact p99 (`md1_wait_p99`). Rises with the load,
    /// infinite from the capacity up.
    // Out of line, as is `most_within_below`: the sizing calls both from several
    // places, and one copy of each keeps the page's wasm 0.3 KB smaller.
    #[inline(never)]
    pub fn p99_s(&self, lambda: f64) -> f64 {
        if self.max_batch <= 1.0 {
            return self.t1_s * (1.0 + md1_wait_p99(lambda * self.t1_s));
        }
        let queued_wait = self.queued_wait_p99_s(lambda);
        let queued = self.queued_s(lambda, queued_wait);
        let full = 2.0 * self.batch_time_s(self.max_batch) + self.full_batch_wait_s(queued_wait);
        queued
            .min(full)
            .max(self.long_batch_s(lambda))
            .max(self.own_batch_s(lambda))
    }

    /// The queued reading's wait p99, seconds: a request finds the GPU busy
    /// a share `p = min(x, 1)` of the time, then waits as a request that
    /// waits in an M/D/1 queue of service `t1` at `f = λ / capacity` would,
    /// `P(W > w) = p P_f(W > w | W > 0)`. That queue's conditional tail is
    /// read twice, each reading above it at every wait (checked in the
    /// tests against Erlang's exact sum), and the shorter taken:
    /// - its heavy-traffic (diffusion) tail, `e^(-2 (1 - f) w / t1)`
    ///   ([`BatchingGpu::wait`]), the closer near saturation;
    /// - its Cramér-Lundberg asymptote, `(C / f) e^(-y w / t1)` with `e^y =
    ///   1 + y / f` and `C = (1 - f) / (y + f - 1)` (at most 1), the closer
    ///   at light and moderate load, where the diffusion rate `2 (1 - f)`
    ///   is far below `y` (at 20% of the capacity, 1.6 against 3.0).
    ///
    /// 0 while at most 1% find the GPU busy; infinite from the capacity up.
    fn queued_wait_p99_s(&self, lambda: f64) -> f64 {
        let diffusion = self.wait(lambda).p99_s();
        let f = lambda / self.capacity_rps();
        let p = (lambda * self.t1_s).min(1.0);
        if !(f > 0.0 && f < 1.0) || p <= P99_TAIL {
            return diffusion;
        }
        let (y, weight) = md1_asymptote(f);
        let asymptote = self.t1_s * (p * weight / (f * P99_TAIL)).ln().max(0.0) / y;
        diffusion.min(asymptote)
    }

    /// The requests that join a request's batch after it while it waits,
    /// `g t1` each, seconds. Those that come in during its wait join it
    /// (only those of the batch just before its own, and where the queued
    /// reading is the longest that batch lasts about one inference): `m =
    /// λ min(W, t1)` of them on average, Poisson. At the p99 more join than
    /// on average, and the more so the more each costs: `m + g² √m`, at
    /// most `B - 1`. The weight `g²` on the count's standard deviation is
    /// fitted to the simulation (`tests/queue_sim.rs`): with none, batch
    /// costs of 0.8-0.9 read up to 7% low at 20-40% of the capacity; with
    /// `g`, the figure's range planned up to a fifth more GPUs again.
    fn joiners_s(&self, lambda: f64, wait_s: f64) -> f64 {
        let mean = lambda * wait_s.min(self.t1_s);
        let g = self.batch_cost;
        let joiners = (mean + g * g * mean.sqrt()).min(self.max_batch - 1.0);
        g * self.t1_s * joiners
    }

    /// The p99 of a request that comes in during a batch and runs in the
    /// next, seconds, read in full at light and moderate load: the batch in
    /// progress lasts `T = t(b)` at the mean batch `b`; the request waits
    /// out its rest, `R`, even on `[0, T]`, then runs with the `K` others
    /// that came in during it, `K ~ Poisson(λ T)` (at most `B - 1`):
    /// `t1 + R + g t1 K`. Only a request that finds the GPU busy (`p =
    /// min(x, 1)`) waits, so `P(late by u) = p Σ_k P(K = k) P(R > u - g t1
    /// k)`, which falls with `u`, piecewise linear: its 1% point is found
    /// exactly, by sweeping its pieces in order (below). It
    /// adds to the queued reading what that reading's one inference leaves
    /// out: a request's own batch runs longer than one inference, by `g t1`
    /// for each request in it. `t1` while at most 1% wait.
    pub fn own_batch_s(&self, lambda: f64) -> f64 {
        let (t1, g) = (self.t1_s, self.batch_cost);
        let busy = (lambda * t1).min(1.0);
        if busy <= P99_TAIL || busy.is_nan() {
            return t1;
        }
        let batch = self.batch_time_s(self.mean_batch(lambda));
        let mean = lambda * batch;
        let most = (self.max_batch - 1.0).max(0.0);
        // The share of the waiting requests late by `u` is `Σ_k w_k
        // clamp(1 - (u - g t1 k) / T, 0, 1)`: each term falls from 1 to 0
        // over `[g t1 k, g t1 k + T]`, so the sum is piecewise linear, and
        // it is swept up through those ends in order, its value and slope
        // kept, to where it falls to `1% / p`. The weights are Poisson's,
        // summed until the tail left is below 1e-12 of a request, the last
        // `k` taking all of it.
        let share = P99_TAIL / busy;
        let (step, per) = (g * t1, 1.0 / batch);
        let weights = || PoissonWeights::new(mean, most);
        let (mut starts, mut ends) = (weights(), weights());
        let (mut next_start, mut next_end) = (starts.next(), ends.next());
        let (mut u, mut late, mut slope) = (0.0, 1.0, 0.0);
        while let Some((k_end, w_end)) = next_end {
            let start = next_start.map(|(k, w)| (step * k, w));
            let end = step * k_end + batch;
            let (at, opening) = match start {
                Some((at, w)) if at <= end => (at, Some(w)),
                _ => (end, None),
            };
            let there = late + slope * (at - u);
            if there <= share {
                return t1 + u + (late - share) / -slope;
            }
            (u, late) = (at, there);
            if let Some(w) = opening {
                slope -= w * per;
                next_start = starts.next();
            } else {
                slope += w_end * per;
                next_end = ends.next();
            }
        }
        t1 + u
    }

    /// The queued reading of the p99, seconds, from its wait's p99: one
    /// inference and the wait, or, where longer, one inference, the full
    /// batches' wait and the requests that join the request's batch after
    /// it ([`BatchingGpu::joined`]).
    fn queued_s(&self, lambda: f64, queued_wait_s: f64) -> f64 {
        let alone = self.t1_s + queued_wait_s + self.joiners_s(lambda, queued_wait_s);
        if self.joined_at_most(lambda, queued_wait_s) <= alone {
            return alone;
        }
        alone.max(self.joined(lambda, queued_wait_s))
    }

    /// At least [`BatchingGpu::joined`], seconds, without its logarithm:
    /// `ln(A) / κ` is at most `g t1 (B - 1)`. Where this is within the wait
    /// alone, as always at batch costs up to 0.5, the joiners need no more.
    fn joined_at_most(&self, lambda: f64, queued_wait_s: f64) -> f64 {
        let (t1, g) = (self.t1_s, self.batch_cost);
        let wait = self.full_batch_wait_s(queued_wait_s);
        t1 + wait + (g * t1 * (self.max_batch - 1.0)).min(lambda * t1 * g * wait)
    }

    /// The p99 of a request whose batch ends only when the requests that
    /// join it after it are done, `g t1` each, seconds. Behind a queue a
    /// request's place in its batch is as likely any of `B`, so `J`, the
    /// requests after it, is even on `0..B - 1`; the queue ahead clears in
    /// full batches, the full batches' wait `Wf`, whose tail is `p exp(-κ
    /// w)` with `κ = 2 (1 - f) / u`, `u = 1 / capacity`. The p99 of `Wf + g
    /// t1 J` is `ln(100 p A) / κ`, `A` the mean of `exp(κ g t1 j)` over `j`;
    /// no more join than arrive during the wait, `x g Wf`; and one
    /// inference. At a batch cost of 1 this is exact where the queue is
    /// long (`Wf` is then the work ahead); at costs up to 0.5 it is never
    /// the longer reading. Batches of 8 at a batch cost of 1 and 80% of the
    /// capacity: 16.4 t1, simulated 15.6, where the wait alone gives 12.0.
    fn joined(&self, lambda: f64, queued_wait_s: f64) -> f64 {
        let (t1, g, b) = (self.t1_s, self.batch_cost, self.max_batch);
        let capacity = self.capacity_rps();
        let wait = self.full_batch_wait_s(queued_wait_s);
        let free = 1.0 - lambda / capacity;
        if b <= 1.0 || g <= 0.0 || wait <= 0.0 || free.is_nan() || free <= 0.0 {
            return t1;
        }
        let kappa = 2.0 * free * capacity;
        // ln A for A = mean of exp(s j), j = 0..B-1, s = κ g t1, kept finite
        // for large s B: s (B - 1) + ln((1 - e^-sB) / (B (1 - e^-s))); below
        // s B = 0.001, where 1 - e^-s loses digits, the mean and variance of
        // j (`(B - 1) / 2` and `(B² - 1) / 12`), to 1e-6 of it.
        let s = kappa * g * t1;
        let ln_mean = if s * b < 1e-3 {
            let (mean, variance) = (0.5 * (b - 1.0), (b * b - 1.0) / 12.0);
            s * mean + 0.5 * s * s * variance
        } else {
            let (all, one) = (1.0 - (-s * b).exp(), 1.0 - (-s).exp());
            s * (b - 1.0) + (all / (b * one)).ln()
        };
        let arrived = lambda * t1 * g * wait;
        t1 + wait + (ln_mean / kappa).min(arrived)
    }

    /// The full batches' wait p99, seconds, from the queued reading's: the
    /// same tail (entered with the same `p`, at the same `f`), but the queue
    /// ahead clears `B` at a time, as one server of the batching capacity
    /// would, M/D/1 of service `1 / capacity` in place of `t1`.
    fn full_batch_wait_s(&self, queued_wait_s: f64) -> f64 {
        queued_wait_s / (self.t1_s * self.capacity_rps())
    }

    /// The p99 of a request that comes in during a batch, seconds: it waits
    /// out the whole batch in progress, `T`, then a share `g` of each
    /// request that came in during it, `ρ T` with `ρ = x g`: `(1 + ρ) T`.
    /// While the GPU is always busy, a batch holds what arrived during the
    /// one before, `b' ~ Poisson(λ t(b))`: mean `m = x (1 - g) / (1 - ρ)`,
    /// variance `m / (1 - ρ²)`. A request sees the batches weighted by
    /// their size: a gamma distribution of scale `θ = 1 / (1 - ρ²)` and
    /// shape `k + 1`, `k = m / θ = x (1 - g) (1 + ρ)`, whose 99th
    /// percentile `b99` (Wilson-Hilferty) is taken, at most `B`. Below one
    /// inference's worth of load the GPU is busy a share `x` of the time,
    /// and the batch's requests past the first are weighted by it: `T = t1
    /// (1 + g (b99 - 1) min(x, 1))`. Only a request that finds the GPU busy
    /// (`p = min(x, 1)`) waits at all, so the excess over one inference is
    /// counted for the share of them the 1% reaches, `u = 1 - 1% / p`: `t1
    /// + u ((1 + ρ) T - t1)`, one inference while at most 1% wait.
    ///
    /// `t1` with no load; rises with it; infinite from `x g = 1` up.
    pub fn long_batch_s(&self, lambda: f64) -> f64 {
        let (t1, g) = (self.t1_s, self.batch_cost);
        let x = lambda * t1;
        let busy = x.min(1.0);
        if busy <= P99_TAIL || busy.is_nan() {
            return t1;
        }
        let rho = x * g;
        if rho >= 1.0 {
            return f64::INFINITY;
        }
        let (scale, shape) = self.batch_gamma(x);
        let b99 = gamma_quantile(shape, scale, Z99).clamp(1.0, self.max_batch);
        let whole = (1.0 + rho) * t1 * (1.0 + g * (b99 - 1.0) * busy);
        t1 + (1.0 - P99_TAIL / busy) * (whole - t1)
    }

    /// The scale and shape of the gamma distribution of the batches a
    /// request meets at `x = λ t1` ([`BatchingGpu::long_batch_s`]).
    fn batch_gamma(&self, x: f64) -> (f64, f64) {
        let g = self.batch_cost;
        let rho = x * g;
        (1.0 / (1.0 - rho * rho), x * (1.0 - g) * (1.0 + rho) + 1.0)
    }

    /// The most load with a p99 response of at most `allowed_s` seconds,
    /// req/s (time away excluded): where [`BatchingGpu::p99_s`], which
    /// rises with the load, meets `allowed_s`, by the Illinois method
    /// (`most_within_falsi`), to 1e-14 of the load. With batching off, the
    /// M/D/1 wait's (`md1_most_load`). Below the capacity; none within a
    /// target shorter than one inference.
    pub fn most_within(&self, allowed_s: f64) -> f64 {
        self.most_within_below(allowed_s, (self.capacity_rps(), f64::INFINITY))
    }

    /// [`BatchingGpu::most_within`], sought below a load whose p99 the
    /// caller has read over `allowed_s`, `(load, p99_s)`: the sizing reads
    /// it at the GPU ceiling first, and a search from there takes about two
    /// readings fewer than one from the capacity.
    // Out of line, as is `p99_s`: see there.
    #[inline(never)]
    pub fn most_within_below(&self, allowed_s: f64, over: (f64, f64)) -> f64 {
        let t1 = self.t1_s;
        if self.max_batch <= 1.0 {
            return md1_most_load(allowed_s / t1 - 1.0) / t1;
        }
        if allowed_s < t1 || allowed_s.is_nan() {
            return 0.0;
        }
        most_within_falsi(allowed_s, 0.0, over, &|lambda| self.p99_s(lambda))
    }
}

/// The wait, in service times, up to which [`md1_late`] sums Erlang's
/// formula; past it the exponential tail is exact to 1e-9 (the two agree
/// to 1e-4 of the percentile at 4 itself, where their terms are at most
/// about 500: no digits lost to cancellation).
const MD1_EXACT_UP_TO: f64 = 4.0;

/// `P(W > w)` for the wait `W` of an M/D/1 queue (Poisson arrivals, one
/// server, every service the same length) at utilisation `rho`, `w` in
/// service times. Up to [`MD1_EXACT_UP_TO`], Erlang's formula, exact:
/// `P(W <= w) = (1 - ρ) Σ_{k=0}^{⌊w⌋} (ρ (k - w))^k / k! e^(-ρ (k - w))`
/// (A. K. Erlang, 1909; G. J. Franx, "A simple solution for the M/D/c
/// waiting time distribution", Operations Research Letters 29(5), 2001).
/// Past it, the tail's exponential asymptote `C e^(-y w)`: `y > 0` the root
/// of `e^y = 1 + y / ρ` and `C = (1 - ρ) / (y + ρ - 1)` (the Cramér-Lundberg
/// form of the M/G/1 wait's tail; H. C. Tijms, *A First Course in
/// Stochastic Models*, 2003). The sum's terms grow as `e^(ρ w)` and
/// alternate in sign, so past a few service times it loses its digits
/// where the asymptote has become exact. Rises with `rho`; 1 from
/// saturation up.
fn md1_late(rho: f64, w: f64) -> f64 {
    if rho >= 1.0 || rho.is_nan() || w < 0.0 {
        return 1.0;
    }
    if rho <= 0.0 {
        return 0.0;
    }
    if w < MD1_EXACT_UP_TO {
        let (mut sum, mut factorial) = (0.0, 1.0);
        let mut k = 0.0;
        while k <= w {
            if k > 0.0 {
                factorial *= k;
            }
            let u = rho * (k - w);
            sum += u.powi(k as i32) / factorial * (-u).exp();
            k += 1.0;
        }
        return (1.0 - (1.0 - rho) * sum).clamp(0.0, 1.0);
    }
    let (y, weight) = md1_asymptote(rho);
    (weight * (-y * w).exp()).min(1.0)
}

/// The M/D/1 wait's exponential tail `C e^(-y w)` at utilisation `rho` in
/// (0, 1), as `(y, C)` ([`md1_late`]). The root `y` of the same equation
/// in logarithms, `h(y) = y - ln(1 + y / ρ)`: near saturation `e^y` and
/// `1 + y / ρ` cancel to a few digits, and far from it `h` is nearly
/// linear. By Halley's method (Newton's, corrected by the curvature `h'' =
/// 1 / (ρ + y)²`, which costs no logarithm more), whose error is about
/// cubed each step, from [`md1_rate_guess`] (within 5%), stopped after a
/// step within 1e-5 of `y`, which leaves it within about 1e-15: 1 to 3
/// logarithms, where Newton's method on `e^y - 1 - y / ρ` from a rough
/// start took 6 to 11 exponentials, and from 90% up never settled. Near
/// saturation `h` flattens at its root, and rounding leaves `y` within
/// about `1e-16 / ε` of itself, `ε = (1 - ρ) / ρ` (at `ε = 1e-11` the steps
/// give NaN): from `ε <= 1e-4` up the series of `(e^y - 1) / y = 1 + ε` is
/// read instead, `y = 2ε - 4ε²/3 + 10ε³/9 - 136ε⁴/135`, exact there to
/// rounding (its next term is under `ε⁵`).
fn md1_asymptote(rho: f64) -> (f64, f64) {
    let eps = (1.0 - rho) / rho;
    let y = if eps <= 1e-4 {
        eps * (2.0 + eps * (-4.0 / 3.0 + eps * (10.0 / 9.0 - eps * 136.0 / 135.0)))
    } else {
        let mut y = md1_rate_guess(rho);
        for _ in 0..100 {
            let (h, s) = (y - (y / rho).ln_1p(), rho + y);
            let slope = 1.0 - 1.0 / s;
            let newton = h / slope;
            let step = newton / (1.0 - 0.5 * newton / (s * s * slope));
            y -= step;
            if step.is_nan() || step.abs() <= 1e-5 * y {
                break;
            }
        }
        y
    };
    (y, (1.0 - rho) / (y + rho - 1.0))
}

/// A first reading of the M/D/1 tail's rate `y` at utilisation `rho`
/// ([`md1_asymptote`]), within 5% of it. With `v = ρ + y`, `e^y = 1 + y /
/// ρ` is `v e^(-v) = ρ e^(-ρ)`, so `y = -ρ - W₋₁(-ρ e^(-ρ))`, `W₋₁` the
/// lower branch of Lambert's W (the upper one gives `y = 0`). Two series
/// of `W₋₁` (R. M. Corless et al., "On the Lambert W function", Advances
/// in Computational Mathematics 5, 1996) share the range: from 20% up, the
/// one about its branch point, in `p = -√(2 (1 + e z))`, to `p⁵`; below,
/// the one about 0, `L₁ - L₂ + L₂ / L₁` with `L₁ = ln(ρ) - ρ` and `L₂ =
/// ln(-L₁)`. Either is 4-5% under `y` at 20%, and closer away from it.
fn md1_rate_guess(rho: f64) -> f64 {
    if rho >= 0.2 {
        let z = -rho * (-rho).exp();
        let p = -(2.0 * (1.0 + std::f64::consts::E * z)).max(0.0).sqrt();
        let w = -1.0
            + p * (1.0
                + p * (-1.0 / 3.0
                    + p * (11.0 / 72.0 + p * (-43.0 / 540.0 + p * 769.0 / 17_280.0))));
        -rho - w
    } else {
        let l1 = rho.ln() - rho;
        let l2 = (-l1).ln();
        -rho - (l1 - l2 + l2 / l1)
    }
}

/// The 99th percentile of an M/D/1 queue's wait at utilisation `rho`, in
/// service times ([`md1_late`]): 0 while at most 1% wait (`ρ <= 1%`),
/// infinite from saturation up.
fn md1_wait_p99(rho: f64) -> f64 {
    if rho <= P99_TAIL {
        return 0.0;
    }
    if rho >= 1.0 || rho.is_nan() {
        return f64::INFINITY;
    }
    // Past the sum's reach, the asymptote's percentile in closed form.
    let at_most = md1_late(rho, MD1_EXACT_UP_TO);
    if at_most > P99_TAIL {
        let (y, weight) = md1_asymptote(rho);
        return (weight / P99_TAIL).ln() / y;
    }
    // `P(W > w)` falls with `w`: the most `w` at which it is still over 1%,
    // read as the most at which its negative is at most -1%.
    most_within_falsi(-P99_TAIL, 0.0, (MD1_EXACT_UP_TO, -at_most), &|w| {
        -md1_late(rho, w)
    })
}

/// The most utilisation of an M/D/1 queue whose wait's 99th percentile is
/// at most `allowed` service times ([`md1_late`]): 1% with no wait allowed,
/// and below 1.
fn md1_most_load(allowed: f64) -> f64 {
    if allowed.is_nan() || allowed <= 0.0 {
        return P99_TAIL;
    }
    // Saturated, every request waits: `md1_late(1, w) = 1`.
    most_within_falsi(P99_TAIL, P99_TAIL, (1.0, 1.0), &|rho| {
        md1_late(rho, allowed)
    })
}

/// The `z` quantile of a gamma distribution of `shape` and `scale` (`z` the
/// standard normal quantile), by the Wilson-Hilferty cube-root
/// transformation (E. B. Wilson and M. M. Hilferty, "The distribution of
/// chi-square", PNAS 17(12), 1931): `k θ (1 - 1/(9k) + z sqrt(1/(9k)))³`.
/// For shape 1 (the exponential) at 99% it gives 4.610 against 4.605.
fn gamma_quantile(shape: f64, scale: f64, z: f64) -> f64 {
    let c = 1.0 / (9.0 * shape);
    let root = (1.0 - c + z * c.sqrt()).max(0.0);
    shape * scale * root * root * root
}

/// The most `x` in `[lo, hi)` whose `reading(x)` (rising with `x`) is at
/// most `allowed`, where it is at `lo` and is not at `hi`, to 1e-14 of `x`,
/// the reading at `hi`, `at_hi`, given (the callers have it):
/// regula falsi between the two ends, each step keeping the root between
/// them, with the Illinois method's halving of an end kept twice in a row
/// (M. Dowell and P. Jarratt, BIT 11, 1971), which makes it converge
/// faster than linearly without derivatives; bisecting where an end's
/// reading is not finite, or where the reading is flat at `allowed` (a
/// target of one inference is met all the way up to 1% busy). One
/// reading a step, and one more where a step lands on `allowed` exactly.
pub(crate) fn most_within_falsi(
    allowed: f64,
    mut lo: f64,
    (mut hi, at_hi): (f64, f64),
    reading: &dyn Fn(f64) -> f64,
) -> f64 {
    let (mut below, mut above) = (reading(lo) - allowed, at_hi - allowed);
    let mut kept = 0_i8;
    for _ in 0..200 {
        if hi - lo <= 1e-14 * hi {
            break;
        }
        let falsi = (lo * above - hi * below) / (above - below);
        let x = if above.is_finite() && falsi > lo && falsi < hi {
            falsi
        } else {
            0.5 * (lo + hi)
        };
        let excess = reading(x) - allowed;
        // Exactly at `allowed`: the answer, unless the reading is flat
        // there, in which case the search goes on above it.
        if excess == 0.0 {
            let next = x + 1e-14 * x;
            if next >= hi || reading(next) > allowed {
                return x;
            }
        }
        if excess <= 0.0 {
            (lo, below) = (x, excess);
            if kept < 0 {
                above *= 0.5;
            }
            kept = -1;
        } else {
            (hi, above) = (x, excess);
            if kept > 0 {
                below *= 0.5;
            }
            kept = 1;
        }
    }
    lo
}

/// Throughput of `n` processes relative to one, by the Universal
/// Scalability Law: `X(N) = N / (1 + alpha (N - 1) + beta N (N - 1))`.
/// `alpha` is contention, `beta` coherency; both are clamped at 0.
pub fn usl_capacity(n: f64, alpha: f64, beta: f64) -> f64 {
    if n <= 0.0 {
        return 0.0;
    }
    let alpha = alpha.max(0.0);
    let beta = beta.max(0.0);
    n / (1.0 + alpha * (n - 1.0) + beta * n * (n - 1.0))
}

/// The process count at which the USL peaks, `N* = sqrt((1 - alpha) / beta)`;
/// `None` when `beta` is 0 (no peak: throughput keeps rising).
pub fn usl_peak(alpha: f64, beta: f64) -> Option<f64> {
    if beta > 0.0 && alpha < 1.0 {
        Some(((1.0 - alpha) / beta).sqrt())
    } else {
        None
    }
}

/// Little's law: requests in the system `L = lambda W`.
pub fn little_l(lambda: f64, response_s: f64) -> f64 {
    (lambda * response_s).max(0.0)
}

/// CPU seconds per request of one process alone, from a published total of
/// `total_rps` served by `n` processes: inverting the USL,
/// `X(n) = usl_capacity(n) / S1`, gives `S1 = usl_capacity(n) / total`.
/// Dividing by `n` instead (the per-thread figure) counts the contention of
/// the `n` processes once in the figure and again in the model.
pub fn per_process_cost_s(total_rps: f64, n: f64, alpha: f64, beta: f64) -> f64 {
    if total_rps <= 0.0 || n <= 0.0 {
        return f64::INFINITY;
    }
    usl_capacity(n, alpha, beta) / total_rps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
    }

    fn one_class(service_s: f64) -> [ClassTime; 1] {
        [ClassTime {
            share: 1.0,
            service_s,
            outside_s: 0.0,
        }]
    }

    #[test]
    fn erlang_c_matches_textbook_values() {
        // c = 2, A = 1 (rho = 0.5): C = 1/3, the classic hand-computed case.
        assert!(close(erlang_c(2, 1.0), 1.0 / 3.0, 1e-12));
        // M/M/1: C = rho.
        assert!(close(erlang_c(1, 0.7), 0.7, 1e-12));
        // Call-centre table value: c = 10, A = 8 Erlangs -> C = 0.4092.
        assert!(close(erlang_c(10, 8.0), 0.4092, 1e-4));
    }

    /// The plain recurrence from k = 0, to check the fluid start against.
    fn erlang_c_from_zero(c: u64, a: f64) -> f64 {
        let mut b = 1.0;
        for k in 1..=c {
            b = a * b / (k as f64 + a * b);
        }
        c as f64 * b / (c as f64 - a * (1.0 - b))
    }

    #[test]
    fn the_uniform_expansion_agrees_with_the_exact_recurrence() {
        // From the smallest server count it is used for up to ten million
        // servers, at every distance from saturation that leaves C above
        // 1e-18: relative error below 1e-6 (4e-7 at 33 servers, falling as
        // 1/c), never more than 1e-12 absolute where C is tiny.
        let mut worst = 0.0_f64;
        for a in [0.5, 3.0, 20.0, 32.5, 60.0, 400.0, 4_999.0, 5e4, 1e6, 1e7] {
            let root = f64::sqrt(a);
            for spare in [0.001, 0.1, 0.5, 1.0, 2.0, 3.0, 5.0, 8.0, 12.0] {
                let c = (a + spare * root).ceil() as u64 + 1;
                if c <= RECURRENCE_SERVERS {
                    continue;
                }
                let exact = erlang_c_from_zero(c, a);
                let fast = erlang_c(c, a);
                let error = (fast - exact).abs();
                assert!(
                    error <= 1e-6 * exact + 1e-12,
                    "c={c} a={a}: {fast} vs {exact}"
                );
                if exact > 1e-9 {
                    worst = worst.max(error / exact);
                }
            }
        }
        assert!(worst > 0.0 && worst < 1e-6, "{worst}");
    }

    #[test]
    fn the_expansions_coefficients_match_their_closed_forms_where_they_meet() {
        // At |η| = 0.5 the series hands over to the closed form; both must
        // agree there. σ from η solves σ - ln(1 + σ) = η²/2 (bisection).
        let eta = -0.5_f64;
        let (mut lo, mut hi) = (-0.999_999_f64, 0.0_f64);
        for _ in 0..200 {
            let mid = 0.5 * (lo + hi);
            if mid - mid.ln_1p() > 0.5 * eta * eta {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        let sigma = 0.5 * (lo + hi);
        let just_inside = eta * (1.0 - 1e-12);
        assert!(close(
            temme_c0(just_inside, sigma),
            temme_c0(eta, sigma),
            1e-9
        ));
        assert!(close(
            temme_c1(just_inside, sigma),
            temme_c1(eta, sigma),
            1e-9
        ));
    }

    #[test]
    fn erlang_c_falls_with_servers_and_rises_with_load() {
        // Sizing bisects on both: the two ways of computing it must not
        // step the wrong way where they meet.
        for a in [10.0, 25.0, 31.9, 40.0, 300.0, 2e4] {
            let mut last = 1.0;
            for c in (a as u64 + 1)..(a as u64 + 200) {
                let now = erlang_c(c, a);
                assert!(now <= last + 1e-12, "a={a} c={c}: {now} after {last}");
                last = now;
            }
        }
        for c in [20_u64, 32, 33, 40, 500] {
            let mut last = 0.0;
            for i in 1..2_000 {
                let a = c as f64 * f64::from(i) / 2_000.0;
                let now = erlang_c(c, a);
                assert!(now + 1e-12 >= last, "c={c} a={a}: {now} after {last}");
                last = now;
            }
        }
    }

    #[test]
    fn erlang_c_is_stable_for_millions_of_servers() {
        let c = erlang_c(500, 480.0);
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
        assert!(erlang_c(2000, 1000.0) < 1e-6);
        // Halfin-Whitt regime: c = a + sqrt(a) gives C -> 1 / (1 + Φ(1)/φ(1))
        // = 0.2235 as the size grows (Halfin and Whitt, Operations Research,
        // 1981).
        let big = erlang_c(4_002_000, 4_000_000.0);
        assert!((big - 0.2235).abs() < 0.003, "{big}");
    }

    #[test]
    fn erlang_c_edges() {
        assert_eq!(erlang_c(4, 0.0), 0.0);
        assert_eq!(erlang_c(4, 4.0), 1.0);
        assert_eq!(erlang_c(4, 9.0), 1.0);
        assert_eq!(erlang_c(0, 1.0), 1.0);
        assert_eq!(erlang_c(4, f64::NAN), 1.0);
        assert_eq!(erlang_c(4, f64::INFINITY), 1.0);
    }

    #[test]
    fn moments_of_a_mix_by_hand() {
        // 90% at 1 ms, 10% at 10 ms: E[S] = 1.9 ms, E[S²] = 0.9 + 10 = 10.9
        // ms², c_s² = 10.9 / 3.61 - 1 = 2.0194.
        let mix = [
            ClassTime {
                share: 0.9,
                service_s: 1e-3,
                outside_s: 0.0,
            },
            ClassTime {
                share: 0.1,
                service_s: 10e-3,
                outside_s: 0.0,
            },
        ];
        let (mean, scv) = service_moments(&mix);
        assert!(close(mean, 1.9e-3, 1e-15));
        assert!(close(scv, 10.9 / 3.61 - 1.0, 1e-12), "{scv}");
        assert_eq!(service_moments(&one_class(5e-3)).1, 0.0);
    }

    #[test]
    fn mm1_wait_tail_by_hand() {
        // M/M/1, mu = 100/s, lambda = 50/s: P(Wq > t) = 0.5 e^{-50 t};
        // p99 = ln(50) / 50 = 0.07824 s.
        let w = WaitTail::mgc(1, 100.0, 50.0, 1.0);
        assert!(close(w.p99_s(), 50f64.ln() / 50.0, 1e-12));
        assert!(WaitTail::mgc(1, 100.0, 100.0, 1.0).saturated());
        // Light load: fewer than 1% wait, so the 99th percentile waits 0.
        assert_eq!(WaitTail::mgc(4, 100.0, 10.0, 1.0).p99_s(), 0.0);
    }

    #[test]
    fn md1_mean_wait_is_pollaczek_khinchine() {
        // M/D/1, rho = 0.8, S = 10 ms: Wq = rho S / (2 (1 - rho)) = 20 ms.
        let w = WaitTail::mgc(1, 100.0, 80.0, 0.0);
        assert!(
            close(w.mean_s(), 0.8 * 0.01 / (2.0 * 0.2), 1e-12),
            "{}",
            w.mean_s()
        );
    }

    #[test]
    fn p99_response_by_hand() {
        // No queueing: 98% at 1 ms, 2% at 50 ms -> the p99 is the slow class.
        let mix = [
            ClassTime {
                share: 0.98,
                service_s: 1e-3,
                outside_s: 0.0,
            },
            ClassTime {
                share: 0.02,
                service_s: 0.0,
                outside_s: 50e-3,
            },
        ];
        let idle = WaitTail::default();
        assert!(close(p99_response_s(&mix, idle), 50e-3, 1e-9));
        // One class on M/M/1: R = W + S, p99 = S + ln(100 rho) / (mu - lambda).
        let w = WaitTail::mgc(1, 100.0, 50.0, 1.0);
        let want = 0.01 + 50f64.ln() / 50.0;
        assert!(close(p99_response_s(&one_class(0.01), w), want, 1e-9));
        assert!(Mix::new(&one_class(0.01)).within(w, want * 1.0001));
        assert!(!Mix::new(&one_class(0.01)).within(w, want * 0.9999));
        assert_eq!(
            p99_response_s(&one_class(0.01), WaitTail::mgc(1, 100.0, 120.0, 1.0)),
            f64::INFINITY
        );
    }

    /// `P(R > t)` summed directly, for the reference solution.
    fn exceed(classes: &[ClassTime], wait: WaitTail, t: f64) -> f64 {
        let total: f64 = classes.iter().map(|c| c.share).sum();
        classes
            .iter()
            .map(|c| c.share / total * wait.tail(t - c.unqueued_s()))
            .sum()
    }

    #[test]
    fn the_closed_form_p99_matches_a_bisection() {
        // Seeded mixes of 1-5 classes over six decades of times and waits.
        let mut x = 0x1234_5678_u64;
        let mut unit = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            (x >> 11) as f64 / (1u64 << 53) as f64
        };
        for _ in 0..2_000 {
            let n = 1 + (unit() * 5.0) as usize;
            let classes: Vec<ClassTime> = (0..n)
                .map(|_| ClassTime {
                    share: if unit() < 0.3 { unit() * 0.02 } else { unit() },
                    service_s: 10f64.powf(-5.0 + 4.0 * unit()),
                    outside_s: if unit() < 0.5 {
                        0.0
                    } else {
                        10f64.powf(-4.0 + 4.0 * unit())
                    },
                })
                .collect();
            let wait = WaitTail {
                p_wait: if unit() < 0.2 { 0.0 } else { unit() },
                mean_if_waiting_s: 10f64.powf(-5.0 + 5.0 * unit()),
            };
            let got = p99_response_s(&classes, wait);
            let (mut lo, mut hi) = (0.0_f64, 100.0_f64);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if exceed(&classes, wait, mid) <= P99_TAIL {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            assert!(
                (got - hi).abs() <= 1e-9 * hi.max(1e-6),
                "{got} vs {hi}: {classes:?} {wait:?}"
            );
            assert!(Mix::new(&classes).within(wait, got * (1.0 + 1e-9) + 1e-15));
        }
    }

    #[test]
    fn wilson_hilferty_is_near_the_gamma_99th_percentile() {
        // Exact 99th percentiles: the exponential (shape 1) ln(100) =
        // 4.60517; chi-square with 5 and 10 degrees of freedom (shape 2.5
        // and 5, scale 2) 15.0863 and 23.2093 (standard tables): within
        // 0.3% (15.117 for the second).
        for (shape, scale, exact) in [
            (1.0, 1.0, 100f64.ln()),
            (2.5, 2.0, 15.0863),
            (5.0, 2.0, 23.2093),
        ] {
            let q = gamma_quantile(shape, scale, Z99);
            assert!(
                (q / exact - 1.0).abs() < 0.003,
                "shape {shape}: {q} against {exact}"
            );
        }
    }

    #[test]
    fn a_lightly_loaded_gpu_s_p99_is_the_rest_of_one_inference_then_its_own() {
        // Batches of up to 2, 2% busy (x = 0.02 at 2/s of 10 ms): 2% of
        // requests find an inference in progress and wait out its rest, R,
        // uniform in [0, 10 ms], then run in the next batch: alone, or with
        // the one other request that came in during that inference (K ~
        // Poisson(0.02), held at B - 1 = 1), 10 or 15 ms. Late by u past one
        // inference: 0.02 (e^-0.02 (10 - u) / 10 + (1 - e^-0.02) (15 - u) /
        // 10) = 1% at u = 10 - 5 e^-0.02 = 5.099007 ms, a p99 of 15.099 ms.
        // A simulation of this GPU gives 15.077 ms (4 million requests); the
        // p99 once read 15 ms, leaving out the request that may join. The
        // queued reading's exponential tail gives 10 + 10 ln(2) / (2 x
        // 0.985) = 13.52 ms (1.5% of the batching capacity, 133.3/s).
        let gpu = BatchingGpu {
            t1_s: 0.010,
            batch_cost: 0.5,
            max_batch: 2.0,
        };
        let lambda = 2.0;
        let hand = 0.010 + 0.010 - 0.005 * (-0.02_f64).exp();
        assert_p99_and_its_most(&gpu, lambda, hand, 1e-12);
        assert_eq!(gpu.own_batch_s(lambda), gpu.p99_s(lambda));
        let queued = gpu.t1_s + gpu.wait(lambda).p99_s();
        assert!((queued - 0.013_519).abs() < 1e-6, "{queued}");
        // With no load, one inference; the most within 15 ms is a little
        // less than 2/s.
        assert_eq!(gpu.p99_s(0.0), 0.010);
        assert!(gpu.most_within(0.015) < lambda);
        // With batching off it is an M/D/1 queue, read exactly: the 2% who
        // wait mostly wait out the rest of one inference, but a few queue
        // behind two, and the wait's p99 is 5.076 ms, not 5 (Erlang's
        // formula, below): 15.076 ms. The most within 15 ms is a little
        // less than 2/s.
        let off = BatchingGpu {
            max_batch: 1.0,
            ..gpu
        };
        assert_p99_and_its_most(&off, lambda, 0.015_076_19, 1e-8);
        assert!(off.most_within(0.015) < lambda);
    }

    #[test]
    fn with_batching_off_a_gpu_is_an_m_d_1_queue_read_exactly() {
        // One inference of 10 ms at a time, 50/s: 50% busy. Erlang's formula
        // for the M/D/1 wait, `P(W <= w) = (1 - ρ) Σ_{k <= w} (ρ (k - w))^k /
        // k! e^(-ρ (k - w))` (w in inferences), reaches 99% at w = 3.33626
        // (solved to 12 digits in 50-digit arithmetic): a p99 of 10 + 33.3626
        // = 43.3626 ms. The heavy-traffic tail this GPU was read with, 0.5
        // exp(-2 (1 - 0.5) w / 10 ms), gives 10 + 10 ln(50) = 49.12 ms, 13%
        // more. At 80/s the wait's p99 is 10.35589 inferences: past 4, where
        // the exponential tail `C e^(-y w)` with `e^y = 1 + y / ρ` (y =
        // 0.430842) and `C = (1 - ρ) / (y + ρ - 1)` (0.866393) is exact to
        // 1e-9, ln(100 C) / y. Below 1% busy nobody waits at the p99.
        let gpu = BatchingGpu {
            t1_s: 0.010,
            batch_cost: 0.25,
            max_batch: 1.0,
        };
        assert_p99_and_its_most(&gpu, 50.0, 0.043_362_56, 1e-8);
        assert_p99_and_its_most(&gpu, 80.0, 0.113_558_87, 1e-8);
        assert_eq!(gpu.p99_s(0.5), 0.010);
        assert_eq!(gpu.p99_s(100.0), f64::INFINITY);
        // A 30 ms target leaves 2 inferences of wait: P(W > 2) = 1% at ρ =
        // 0.3195020, so a GPU takes 31.95/s where the heavy-traffic tail
        // allowed 22.34/s (ln(100 x) / (2 (1 - x)) = 2): 43% more GPUs for
        // the same traffic. The simulation in tests/queue_sim.rs agrees.
        assert!((gpu.most_within(0.030) - 31.950_199_5).abs() < 1e-6);
        // The batch cost means nothing with batching off.
        let other = BatchingGpu {
            batch_cost: 1.0,
            ..gpu
        };
        assert_eq!(other.p99_s(50.0), gpu.p99_s(50.0));
        assert_eq!(other.most_within(0.030), gpu.most_within(0.030));
        // The p99 rises with the load, through the switch at 4 inferences.
        let mut last = 0.0;
        for k in 0..990 {
            let p99 = gpu.p99_s(f64::from(k) * 0.1);
            assert!(
                p99 >= last,
                "{p99} after {last} at {}/s",
                f64::from(k) * 0.1
            );
            last = p99;
        }
    }

    #[test]
    fn the_m_d_1_tail_s_rate_is_found_up_to_saturation() {
        // `y > 0` with `e^y = 1 + y / ρ`: 0.430842 at 80% (the hand case
        // above), 0.207147 at 90% (the batching GPU's below). Near
        // saturation, with `ε = (1 - ρ) / ρ`, `(e^y - 1) / y = 1 + ε` gives
        // `y = 2ε - 4ε²/3 + 10ε³/9 - ...` (from `1 + y/2 + y²/6 + y³/24`):
        // at ρ = 1 - 10⁻⁶, 2.0000006667e-6. The root was once sought on `e^y
        // - 1 - y / ρ`, whose two parts cancel there: from 90% up its Newton
        // steps never settled (a hundred of them, each an exponential, on
        // every reading), at ρ = 1 - 10⁻⁶ it read 8e-6 off, and from 1 -
        // 10⁻⁹ up it read the rate and the weight below 0. The series itself
        // is taken from ε = 1e-4 up, and meets the search there.
        assert!(close(md1_asymptote(0.8).0, 0.430_842, 1e-6));
        assert!(close(md1_asymptote(0.9).0, 0.207_147, 1e-6));
        for eps in [1e-3_f64, 3e-4, 1.000_001e-4] {
            let rho = 1.0 / (1.0 + eps);
            let eps = (1.0 - rho) / rho;
            let series = 2.0 * eps - 4.0 / 3.0 * eps * eps + 10.0 / 9.0 * eps.powi(3);
            let next = -136.0 / 135.0 * eps.powi(4);
            let (y, _) = md1_asymptote(rho);
            assert!((y - series - next).abs() <= 1e-9 * series, "{y} at {rho}");
        }
        let rate = |eps: f64| md1_asymptote(1.0 / (1.0 + eps)).0 / eps;
        let (above, below) = (rate(1.000_000_1e-4), rate(0.999_999_9e-4));
        assert!((above - below).abs() < 1e-10, "{above} against {below}");
        // From the float just under 1 to 91%.
        for k in 0..1_700 {
            let rho = 1.0 - f64::EPSILON * 1.02_f64.powi(k);
            let (y, weight) = md1_asymptote(rho);
            assert!(y > 0.0 && y < 2.0 * (1.0 - rho) / rho, "{y} at {rho}");
            assert!(weight > 0.0 && weight <= 1.0, "C = {weight} at {rho}");
        }
        for k in 1..100 {
            let rho = f64::from(k) * 0.01;
            let (y, weight) = md1_asymptote(rho);
            let residual = y - (y / rho).ln_1p();
            assert!(residual.abs() <= 1e-14 * y.max(1.0), "{residual} at {rho}");
            let guess = md1_rate_guess(rho);
            assert!(
                (guess - y).abs() <= 0.05 * y,
                "guessed {guess} for {y} at {rho}"
            );
            assert!(weight > 0.0 && weight <= 1.0, "C = {weight} at {rho}");
        }
    }

    #[test]
    fn a_gpu_planned_next_to_saturation_reads_its_p99_there() {
        // Figures edited to their ends (a batch costs nothing extra, the
        // GPU may run all the time), 0.1 ms an inference, batches of 256,
        // a 120 s target: the most load within it is 1 - 7.5e-9 of the
        // capacity, where the M/D/1 tail's rate is `2ε` to the last digit.
        // The Newton search once read that rate erratically there (its
        // weight below 0 at 1 - 1e-8) and put the most load at 1 - 4.7e-10
        // of the capacity, its p99 read as 0.2 ms, two inferences.
        let gpu = BatchingGpu {
            t1_s: 1e-4,
            batch_cost: 0.0,
            max_batch: 256.0,
        };
        let most = gpu.most_within(120.0);
        let p99 = gpu.p99_s(most);
        assert!(p99 > 119.0 && p99 <= 120.0, "p99 {p99} s at {most}/s");
        assert!((1.0 - most / gpu.capacity_rps() - 7.5e-9).abs() < 1e-10);
    }

    #[test]
    fn full_short_batches_clear_their_queue_a_batch_at_a_time() {
        // Batches of up to 8 at a batch cost of 0.25 (INT8-like), 10 ms an
        // inference: a full batch takes 10 x (1 + 0.25 x 7) = 27.5 ms, so
        // the GPU serves 8 / 27.5 ms = 290.91/s. At 90% of that (261.82/s,
        // x = 2.618) the queued reading is 10 + 10 ln(100) / (2 x 0.1) =
        // 240.26 ms. With full batches the queue ahead clears 8 at a time,
        // 3.4375 ms a request: the wait and the two batches (the one in
        // progress, its own) give 55 + 3.4375 ln(100) / 0.2 = 134.15 ms. The
        // wait's tail is read the shorter of that (diffusion) way and by the
        // M/D/1 tail's asymptote at f = 0.9: y = 0.207147 (e^y = 1 + y /
        // 0.9), C = 0.933302, a wait of ln(100 C / 0.9) / y = 22.407
        // requests' worth against 23.026, so 55 + 3.4375 x 22.407 = 132.02
        // ms. The long batches' reading is 10 + 0.99 (1.6545 x 27.5 - 10) =
        // 45.1 ms (b99 = 18.3, held at 8). A simulation of this GPU gives
        // 102.7-107.7 ms (five runs of a million requests): it was read at
        // 2.3 times that, then 1.3, now 1.25.
        let gpu = BatchingGpu {
            t1_s: 0.010,
            batch_cost: 0.25,
            max_batch: 8.0,
        };
        let lambda = 0.9 * gpu.capacity_rps();
        assert!((gpu.capacity_rps() - 290.909).abs() < 1e-3);
        let queued = gpu.t1_s + gpu.wait(lambda).p99_s();
        assert!((queued - 0.240_259).abs() < 1e-6, "{queued}");
        assert!(
            (gpu.long_batch_s(lambda) - 0.045_145).abs() < 1e-5,
            "{}",
            gpu.long_batch_s(lambda)
        );
        // The most within that p99 is that load, from either reading's side.
        assert_p99_and_its_most(&gpu, lambda, 0.132_024, 1e-6);
        // Where batches are short (at 30% of the capacity, x = 0.8727) it is
        // the queued reading: the asymptote's wait, 10 ln(0.8727 C / (0.3 x
        // 1%)) / y = 24.24 ms (y = 2.06457, C = 0.512983 at f = 0.3), one
        // inference, and those that join during one inference, 0.8727 +
        // 0.0625 sqrt(0.8727) = 0.9311, at 2.5 ms each: 36.57 ms. The
        // diffusion tail read 41.92 ms; a simulation gives 28.98 ms.
        let light = 0.3 * gpu.capacity_rps();
        assert_p99_and_its_most(&gpu, light, 0.036_573, 1e-6);
        assert!((gpu.t1_s + gpu.wait(light).p99_s() - 0.041_922).abs() < 1e-6);
    }

    #[test]
    fn a_request_waits_for_those_that_join_its_batch_after_it() {
        // Batches of up to 8 at a batch cost of 1 (no gain from batching),
        // 10 ms an inference: a full batch takes 80 ms, the GPU serves
        // 100/s. At 80/s (f = x = 0.8) the queued wait's p99 is 10 ln(80) /
        // 0.4 = 109.55 ms, and so is the full batches' (a request ahead
        // costs 10 ms either way). The queued reading, 119.55 ms, leaves out
        // that a batch ends only when those who joined it after the request
        // are done: J of them, even on 0..7, 10 ms each. With the wait's tail
        // 0.8 exp(-40 w), the p99 of the wait plus 10 J ms adds ln(A) / 40,
        // A = (e^3.2 - 1) / (8 (e^0.4 - 1)) = 5.9809: 44.72 ms (no more than
        // arrive during the wait, 0.8 x 109.55 = 87.64 ms). So 10 + 109.55 +
        // 44.72 = 164.27 ms; the full batches' reading is 160 + 109.55 and
        // the long batches' 10 + 0.9875 (1.8 x 66 - 10) = 117.44 ms. A
        // simulation of this GPU gives 156 ms (400,000 requests); the
        // queued reading alone was 23% under it. At a batch cost of 1, f = x,
        // and the wait is now read by the M/D/1 tail's asymptote, 10.35589
        // inferences (as with batching off, below): 10 + 103.56 + 44.71 =
        // 158.27 ms, where a simulation of a million requests gives 153.1.
        let gpu = BatchingGpu {
            t1_s: 0.010,
            batch_cost: 1.0,
            max_batch: 8.0,
        };
        assert!((gpu.capacity_rps() - 100.0).abs() < 1e-9);
        let lambda = 80.0;
        assert!((gpu.wait(lambda).p99_s() - 0.109_550).abs() < 1e-6);
        assert!((gpu.long_batch_s(lambda) - 0.117_44).abs() < 1e-5);
        assert_p99_and_its_most(&gpu, lambda, 0.158_27, 1e-5);
    }

    /// Asserts that `gpu`'s p99 at `lambda` req/s is `p99_s` to within
    /// `tolerance` seconds, and that the most load within it is `lambda`.
    fn assert_p99_and_its_most(gpu: &BatchingGpu, lambda: f64, p99_s: f64, tolerance: f64) {
        let p99 = gpu.p99_s(lambda);
        assert!((p99 - p99_s).abs() < tolerance, "{p99} against {p99_s}");
        let most = gpu.most_within(p99);
        assert!(
            (most / lambda - 1.0).abs() < 1e-9,
            "{most} against {lambda}"
        );
    }

    #[test]
    fn up_to_a_batch_cost_of_a_half_the_joiners_never_lengthen_the_queued_reading() {
        // The queued wait counts t1 for each request ahead where full
        // batches take t(B) / B; up to g = 0.5 that surplus covers the
        // requests that join a batch after a request, so the figure's range
        // below its top (0.25-0.6) reads as it did before they were counted.
        for b in [2.0, 3.0, 4.0, 8.0, 16.0, 64.0, 256.0, 1_000.0] {
            for g in (0..=10).map(|k| f64::from(k) * 0.05) {
                let gpu = BatchingGpu {
                    t1_s: 0.014,
                    batch_cost: g,
                    max_batch: b,
                };
                for f in (1..200).map(|k| f64::from(k) * 0.005) {
                    let lambda = f * gpu.capacity_rps();
                    let wait = gpu.queued_wait_p99_s(lambda);
                    assert_eq!(
                        gpu.queued_s(lambda, wait),
                        gpu.t1_s + wait + gpu.joiners_s(lambda, wait),
                        "B={b} g={g} at {f} of the capacity"
                    );
                }
            }
        }
    }

    #[test]
    fn a_batching_gpu_s_p99_rises_with_its_load() {
        // `most_within` brackets the load where the p99 meets a target, so
        // the p99 must not fall as the load rises: over batch costs, caps
        // and loads from nothing to the capacity, through every reading's
        // switch (x = 1, the cap on the batches, the joiners' cap).
        for b in [2.0, 3.0, 8.0, 32.0, 256.0] {
            for g in [0.0, 0.1, 0.25, 0.5, 0.6, 0.8, 1.0] {
                let gpu = BatchingGpu {
                    t1_s: 0.014,
                    batch_cost: g,
                    max_batch: b,
                };
                let mut last = gpu.t1_s;
                for k in 0..2_000 {
                    let lambda = f64::from(k) / 2_000.0 * gpu.capacity_rps();
                    let p99 = gpu.p99_s(lambda);
                    assert!(
                        p99 >= last * (1.0 - 1e-12),
                        "B={b} g={g}: {p99} after {last} at {lambda}/s"
                    );
                    last = p99;
                }
            }
        }
    }

    #[test]
    fn the_most_load_within_a_target_is_the_same_sought_below_the_ceiling() {
        // The sizing seeks it below the GPU ceiling, whose p99 it has read
        // over the target; the answer is the one sought below the capacity,
        // and meets the target. Batching off too (the M/D/1 search).
        for b in [1.0, 2.0, 8.0, 32.0] {
            for g in [0.1, 0.25, 0.5, 1.0] {
                let gpu = BatchingGpu {
                    t1_s: 0.014,
                    batch_cost: g,
                    max_batch: b,
                };
                let ceiling = 0.85 * gpu.capacity_rps();
                let at_ceiling = gpu.p99_s(ceiling);
                for inferences in [1.0, 1.5, 2.5, 4.0, 10.0, 40.0] {
                    let allowed = inferences * gpu.t1_s;
                    if at_ceiling <= allowed {
                        continue;
                    }
                    let most = gpu.most_within(allowed);
                    let below = gpu.most_within_below(allowed, (ceiling, at_ceiling));
                    assert!(
                        (below - most).abs() <= 1e-12 * most && below < ceiling,
                        "B={b} g={g} {inferences} inferences: {below} against {most}"
                    );
                    assert!(gpu.p99_s(below) <= allowed);
                }
            }
        }
    }

    #[test]
    fn usl_peak_and_linear_case() {
        assert!(close(usl_capacity(8.0, 0.0, 0.0), 8.0, 1e-12));
        // alpha = 0.05: two processes give 2 / 1.05 = 1.905x.
        assert!(close(usl_capacity(2.0, 0.05, 0.0), 2.0 / 1.05, 1e-12));
        // N* = sqrt((1 - 0.03) / 0.0003) = 56.86; capacity there beats both neighbours.
        let peak = usl_peak(0.03, 0.0003).unwrap();
        assert!(close(peak, (0.97f64 / 0.0003).sqrt(), 1e-9));
        let at = |n: f64| usl_capacity(n, 0.03, 0.0003);
        assert!(at(peak) > at(peak - 5.0) && at(peak) > at(peak + 5.0));
        assert_eq!(usl_peak(0.03, 0.0), None);
    }

    #[test]
    fn per_process_cost_inverts_the_usl() {
        // TechEmpower Round 23, Express: 224,163 req/s on 56 threads. With
        // alpha = 0.025, beta = 0.0001: X(56) = 56 / (1 + 1.375 + 0.308) =
        // 20.872, so one process costs 20.872 / 224,163 = 93.1 µs, not the
        // 56 / 224,163 = 249.8 µs of the per-thread figure.
        let s1 = per_process_cost_s(224_163.0, 56.0, 0.025, 0.0001);
        assert!(close(s1 * 1e6, 93.11, 0.01), "{}", s1 * 1e6);
        // And 56 processes at that cost serve the published total again.
        assert!(close(
            usl_capacity(56.0, 0.025, 0.0001) / s1,
            224_163.0,
            1e-6
        ));
    }

    #[test]
    fn little_by_hand() {
        // 200 req/s for 50 ms each keeps 10 requests in flight.
        assert!(close(little_l(200.0, 0.05), 10.0, 1e-12));
    }
}
