//! Queueing and scalability formulas, each written once.
//!
//! Every single-threaded event loop (a Uvicorn worker, a Node process) is one
//! server. A tier's requests wait in one or more FIFO queues of `c` servers
//! each ([`QueueLayout`]); each queue is an M/G/c queue: Poisson arrivals, a
//! general service-time distribution given by the tier's request classes.
//! References:
//! - Erlang C: A. K. Erlang (1917); stable recurrence through Erlang B as in
//!   Kleinrock, *Queueing Systems* vol. 1 (1975), and Harchol-Balter,
//!   *Performance Modeling and Design of Computer Systems* (2013), ch. 14.
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
/// servers and offered load `a = lambda / mu` (Erlang C).
///
/// Computed through the Erlang B recurrence `1/B(k) = 1 + (k/a) / B(k-1)`,
/// then `C = c B / (c - a (1 - B))`, which stays finite for millions of
/// servers where the textbook form's `a^c / c!` overflows. For large loads
/// the recurrence starts `10 sqrt(a)` servers below `a` from the fluid value
/// `1/B = a / (a - k)`: every step up multiplies the starting error by
/// `k/a < 1`, so it has shrunk below `e^-50` by the time it matters, and the
/// cost is `O(sqrt(a))` instead of `O(c)`. It stops early once `B` is below
/// `1e-18` (the answer is then 0 to double precision for any `c` this model
/// sees).
///
/// Returns 1 when the queue is saturated (`a >= c`) or `a` is NaN, 0 when
/// `a <= 0`, and never NaN.
pub fn erlang_c(c: u64, a: f64) -> f64 {
    if let Some(early) = erlang_c_shortcut(c, a) {
        return early;
    }
    let servers = c as f64;
    let (start, mut inverse_b) = recurrence_start(a);
    let per_erlang = 1.0 / a;
    let mut k = start as f64;
    for _ in start + 1..=c {
        k += 1.0;
        inverse_b = 1.0 + inverse_b * k * per_erlang;
        if inverse_b > 1e18 {
            return 0.0;
        }
    }
    let b = 1.0 / inverse_b;
    let denominator = servers - a * (1.0 - b);
    if denominator <= 0.0 {
        return 1.0;
    }
    (servers * b / denominator).clamp(0.0, 1.0)
}

/// Erlang C at one offered load `a` for any number of servers, from one
/// pass of the recurrence [`erlang_c`] runs, kept in a table: sizing a
/// pooled queue asks for many server counts at the same load, and each
/// answer is then a lookup. Gives exactly what [`erlang_c`] gives.
#[derive(Clone, Debug, Default)]
pub struct ErlangTable {
    a: f64,
    start: u64,
    /// `1/B(start + 1 + i)`, until it passes 1e18.
    inverse_b: Vec<f64>,
}

impl ErlangTable {
    /// The table for offered load `a` (empty where [`erlang_c`] needs no
    /// recurrence: no load, or above the Halfin-Whitt load).
    pub fn new(a: f64) -> ErlangTable {
        let mut table = ErlangTable {
            a,
            start: 0,
            inverse_b: Vec::new(),
        };
        if !(a > 0.0 && a <= HALFIN_WHITT_LOAD) {
            return table;
        }
        let (start, mut inverse_b) = recurrence_start(a);
        table.start = start;
        let per_erlang = 1.0 / a;
        let mut k = start as f64;
        loop {
            k += 1.0;
            inverse_b = 1.0 + inverse_b * k * per_erlang;
            if inverse_b > 1e18 {
                break;
            }
            table.inverse_b.push(inverse_b);
        }
        table
    }

    /// [`erlang_c`]`(c, a)` for this table's `a`.
    pub fn erlang_c(&self, c: u64) -> f64 {
        if let Some(early) = erlang_c_shortcut(c, self.a) {
            return early;
        }
        let servers = c as f64;
        let b = match c.checked_sub(self.start + 1) {
            Some(i) => match self.inverse_b.get(i as usize) {
                Some(inverse_b) => 1.0 / inverse_b,
                None => return 0.0,
            },
            None => return erlang_c(c, self.a),
        };
        let denominator = servers - self.a * (1.0 - b);
        if denominator <= 0.0 {
            return 1.0;
        }
        (servers * b / denominator).clamp(0.0, 1.0)
    }
}

/// Where the Erlang B recurrence starts for load `a`, and `1/B` there.
fn recurrence_start(a: f64) -> (u64, f64) {
    let start = if a > 400.0 {
        (a - 10.0 * a.sqrt()).floor().max(0.0) as u64
    } else {
        0
    };
    let inverse_b = if start == 0 {
        1.0
    } else {
        a / (a - start as f64)
    };
    (start, inverse_b)
}

/// The answers of [`erlang_c`] that need no recurrence.
fn erlang_c_shortcut(c: u64, a: f64) -> Option<f64> {
    if c == 0 || a.is_nan() {
        return Some(1.0);
    }
    if a <= 0.0 {
        return Some(0.0);
    }
    let servers = c as f64;
    if a >= servers {
        return Some(1.0);
    }
    if a > 400.0 && servers - a > 8.0 * a.sqrt() {
        // Eight standard deviations of spare servers: the Poisson tail
        // (Chernoff) puts C below 1e-12, nothing the p99 or a mean can see.
        return Some(0.0);
    }
    if a > HALFIN_WHITT_LOAD {
        return Some(halfin_whitt(servers, a));
    }
    None
}

/// Offered load above which [`erlang_c`] uses the Halfin-Whitt limit
/// instead of the recurrence, whose cost grows as `sqrt(a)`: from 5,000
/// Erlangs up the two agree to within 1% or 0.001, whichever is larger
/// (`halfin_whitt_agrees_with_the_recurrence`): the relative error grows
/// only where C is small, far from the 1% that sets a p99.
const HALFIN_WHITT_LOAD: f64 = 5_000.0;

/// The Halfin-Whitt limit of Erlang C for many servers: with
/// `beta = (c - a) / sqrt(a)`, `C = 1 / (1 + beta Φ(beta) / φ(beta))`
/// (S. Halfin and W. Whitt, "Heavy-traffic limits for queues with many
/// exponential servers", Operations Research 29(3), 1981).
fn halfin_whitt(servers: f64, a: f64) -> f64 {
    let beta = (servers - a) / a.sqrt();
    if beta <= 0.0 {
        return 1.0;
    }
    if beta > 38.0 {
        return 0.0;
    }
    // Φ(β)/φ(β) = sqrt(π/2) erfc(-β/√2) e^{β²/2}.
    let ratio = (std::f64::consts::PI / 2.0).sqrt()
        * erfc(-beta / std::f64::consts::SQRT_2)
        * (0.5 * beta * beta).exp();
    (1.0 / (1.0 + beta * ratio)).clamp(0.0, 1.0)
}

/// The complementary error function, to a relative error below 1.2e-7
/// everywhere (the Chebyshev fit of W. H. Press et al., *Numerical
/// Recipes*, 2nd ed., 1992, §6.2, `erfcc`).
fn erfc(x: f64) -> f64 {
    let z = x.abs();
    let t = 1.0 / (1.0 + 0.5 * z);
    let poly = -z * z - 1.265_512_23
        + t * (1.000_023_68
            + t * (0.374_091_96
                + t * (0.096_784_18
                    + t * (-0.186_288_06
                        + t * (0.278_868_07
                            + t * (-1.135_203_98
                                + t * (1.488_515_87 + t * (-0.822_152_23 + t * 0.170_872_77))))))));
    let r = t * poly.exp();
    if x >= 0.0 {
        r
    } else {
        2.0 - r
    }
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
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct WaitTail {
    /// Probability of waiting at all.
    pub p_wait: f64,
    /// Mean wait of the requests that wait, seconds; infinite past
    /// saturation.
    pub mean_if_waiting_s: f64,
}

impl WaitTail {
    /// [`WaitTail::mgc`] with Erlang C from a table made for `lambda / mu`.
    pub fn mgc_with(servers: u64, mu: f64, lambda: f64, scv: f64, table: &ErlangTable) -> WaitTail {
        let mut wait = WaitTail::mgc_given(servers, mu, lambda, scv);
        if !wait.saturated() && lambda > 0.0 {
            wait.p_wait = table.erlang_c(servers);
        }
        wait
    }

    /// The wait of `servers` servers of rate `mu` each, fed `lambda` req/s,
    /// with service-time variability `scv`.
    pub fn mgc(servers: u64, mu: f64, lambda: f64, scv: f64) -> WaitTail {
        let mut wait = WaitTail::mgc_given(servers, mu, lambda, scv);
        if !wait.saturated() && lambda > 0.0 {
            wait.p_wait = erlang_c(servers, lambda / mu);
        }
        wait
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
    fn tail(&self, t: f64) -> f64 {
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

/// The 99th percentile of the response time `R = W + T_k` of a class mix,
/// seconds: a request of class `k` (probability `share_k`) waits `W` (from
/// `wait`, independent of its class under FIFO), then takes its class's
/// unqueued time `T_k`. Solves `Σ share_k P(W > t - T_k) = 1%` exactly:
/// between two consecutive `T_k` the left side is `A + B e^(-t/m)` (`A` the
/// share of classes still slower than `t`), so each piece inverts in closed
/// form, from the slowest class down. Infinite when the queue is saturated.
pub fn p99_response_s(classes: &[ClassTime], wait: WaitTail) -> f64 {
    if wait.saturated() {
        return f64::INFINITY;
    }
    let total: f64 = classes.iter().map(|c| c.share.max(0.0)).sum();
    if total <= 0.0 {
        return 0.0;
    }
    // (T_k, share_k), slowest first; at most a handful of classes.
    let mut times = [(0.0_f64, 0.0_f64); 8];
    let mut len = 0;
    for c in classes.iter().filter(|c| c.share > 0.0).take(times.len()) {
        times[len] = (c.unqueued_s(), c.share / total);
        len += 1;
    }
    let times = &mut times[..len];
    times.sort_by(|x, y| y.0.total_cmp(&x.0));
    let (p, m) = (wait.p_wait, wait.mean_if_waiting_s);
    let waits = p > 0.0 && m > 0.0;
    // Going down from the slowest class: `above` is the share of classes
    // slower than the piece, `weight` the tail weight of the rest relative
    // to the piece's top class (Σ share_k e^((T_k - T_top)/m)).
    let mut above = 0.0;
    for j in 0..times.len() {
        let (top, _) = times[j];
        let mut weight = 0.0;
        for &(t_k, share_k) in &times[j..] {
            weight += share_k * if waits { ((t_k - top) / m).exp() } else { 0.0 };
        }
        let room = P99_TAIL - above;
        if room <= 0.0 {
            // The classes above already hold more than 1%: the p99 is the
            // slowest of them, reached at its own time.
            return times[j - 1].0;
        }
        // On [T_top, T_above): P(R > t) = above + p weight e^(-(t - T_top)/m).
        if waits && p * weight > room {
            let t = top + m * (p * weight / room).ln();
            let ceiling = if j == 0 {
                f64::INFINITY
            } else {
                times[j - 1].0
            };
            return t.min(ceiling);
        }
        // Within 1% from T_top up: look further down.
        above += times[j].1;
    }
    // Below the fastest class every request is still in progress.
    times.last().map_or(0.0, |t| t.0)
}

/// Whether the p99 response of a class mix is at most `target_s`: the same
/// answer as `p99_response_s(..) <= target_s`, from one evaluation of
/// the tail at the target instead of a bisection (sizing asks this
/// thousands of times in a Monte Carlo run).
pub fn p99_response_within(classes: &[ClassTime], wait: WaitTail, target_s: f64) -> bool {
    p99_excess_at(classes, wait, target_s) <= 0.0
}

/// `P(R > target_s) - 1%` for a class mix: at most 0 exactly when the p99 is
/// within the target; 1 - 1% when the queue is saturated. It rises with the
/// load, so sizing can solve for the load where it crosses 0.
pub fn p99_excess_at(classes: &[ClassTime], wait: WaitTail, target_s: f64) -> f64 {
    if wait.saturated() {
        return 1.0 - P99_TAIL;
    }
    let total: f64 = classes.iter().map(|c| c.share.max(0.0)).sum();
    if total <= 0.0 {
        return -P99_TAIL;
    }
    let tail: f64 = classes
        .iter()
        .map(|c| c.share.max(0.0) / total * wait.tail(target_s - c.unqueued_s()))
        .sum();
    tail - P99_TAIL
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
    fn erlang_c_fluid_start_agrees_with_the_full_recurrence() {
        for (c, a) in [
            (500, 480.0),
            (2_000, 1_960.0),
            (5_000, 4_950.0),
            (1_000, 700.0),
        ] {
            let fast = erlang_c(c, a);
            let slow = erlang_c_from_zero(c, a);
            assert!(
                close(fast, slow, 1e-12 + 1e-9 * slow),
                "c={c} a={a}: {fast} vs {slow}"
            );
        }
    }

    #[test]
    fn the_erlang_table_gives_what_erlang_c_gives() {
        for a in [0.5, 7.0, 380.0, 420.0, 2_500.0, 4_999.0, 9_000.0] {
            let table = ErlangTable::new(a);
            let top = (a + 12.0 * a.sqrt() + 20.0) as u64;
            for c in 0..=top {
                assert_eq!(table.erlang_c(c), erlang_c(c, a), "a={a} c={c}");
            }
        }
    }

    #[test]
    fn halfin_whitt_agrees_with_the_recurrence() {
        // At and above the switch-over load the limit is within 1% (or
        // 0.001 absolute) of the exact value, from light to heavy load.
        for a in [5_000.0, 20_000.0] {
            for beta in [0.1, 0.5, 1.0, 2.0, 3.0] {
                let c = (a + beta * f64::sqrt(a)).ceil() as u64;
                let exact = erlang_c_from_zero(c, a);
                let limit = halfin_whitt(c as f64, a);
                assert!(
                    (limit - exact).abs() <= 0.01 * exact + 1e-3,
                    "a={a} c={c}: {limit} vs {exact}"
                );
            }
        }
        assert!((erfc(0.0) - 1.0).abs() < 1e-7);
        assert!((erfc(1.0) - 0.157_299_207).abs() < 1e-7);
        assert!((erfc(-1.0) - 1.842_700_793).abs() < 1e-7);
    }

    #[test]
    fn erlang_c_is_stable_for_millions_of_servers() {
        let c = erlang_c(500, 480.0);
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
        assert!(erlang_c(2000, 1000.0) < 1e-6);
        // Halfin-Whitt regime: c = a + sqrt(a) gives C = 1 / (1 + Φ(1)/φ(1))
        // = 0.2235 at any size (Halfin and Whitt, Operations Research, 1981).
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
        assert!(p99_response_within(&one_class(0.01), w, want * 1.0001));
        assert!(!p99_response_within(&one_class(0.01), w, want * 0.9999));
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
            assert!(p99_response_within(
                &classes,
                wait,
                got * (1.0 + 1e-9) + 1e-15
            ));
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
