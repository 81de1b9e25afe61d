//! Queueing and scalability formulas, each written once.
//!
//! Every single-threaded event loop (a Uvicorn worker, a Node process) is one
//! server of an M/M/c queue; an instance with `c` processes behind one
//! load balancer is one M/M/c queue. References:
//! - Erlang C: A. K. Erlang (1917); stable recurrence through Erlang B as in
//!   Kleinrock, *Queueing Systems* vol. 1 (1975), and Harchol-Balter,
//!   *Performance Modeling and Design of Computer Systems* (2013), ch. 14.
//! - Universal Scalability Law: N. J. Gunther, *Guerrilla Capacity
//!   Planning* (2007).
//! - Little's law: J. D. C. Little, Operations Research 9(3), 1961.

/// Probability that an arriving request waits, in an M/M/c queue with `c`
/// servers and offered load `a = lambda / mu` (Erlang C).
///
/// Computed through the Erlang B recurrence `B(0) = 1`,
/// `B(k) = a B(k-1) / (k + a B(k-1))`, then `C = c B / (c - a (1 - B))`,
/// which stays finite for thousands of servers where the textbook form's
/// `a^c / c!` overflows.
///
/// Returns 1 when the queue is saturated (`a >= c`), 0 when `a <= 0` or
/// `c == 0` would make the question meaningless, and never NaN.
pub fn erlang_c(c: u32, a: f64) -> f64 {
    if c == 0 || a.is_nan() {
        return 1.0;
    }
    if a <= 0.0 {
        return 0.0;
    }
    let servers = f64::from(c);
    if a >= servers {
        return 1.0;
    }
    let mut b = 1.0;
    for k in 1..=c {
        b = a * b / (f64::from(k) + a * b);
    }
    let denominator = servers - a * (1.0 - b);
    if denominator <= 0.0 {
        return 1.0;
    }
    (servers * b / denominator).clamp(0.0, 1.0)
}

/// 99th percentile of the time a request waits in the queue, seconds.
///
/// From `P(Wq > t) = C exp(-(c mu - lambda) t)`: the 99th percentile is
/// `max(0, ln(100 C) / (c mu - lambda))`. Returns infinity at or past
/// saturation (`lambda >= c mu`).
pub fn p99_wait_s(c: u32, mu: f64, lambda: f64) -> f64 {
    let capacity = f64::from(c) * mu;
    if capacity.is_nan() || capacity <= lambda {
        return f64::INFINITY;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    let waits = erlang_c(c, lambda / mu);
    let t = (100.0 * waits).ln() / (capacity - lambda);
    t.max(0.0)
}

/// Mean time a request waits in the queue, seconds: `C / (c mu - lambda)`.
/// Infinity at or past saturation.
pub fn mean_wait_s(c: u32, mu: f64, lambda: f64) -> f64 {
    let capacity = f64::from(c) * mu;
    if capacity.is_nan() || capacity <= lambda {
        return f64::INFINITY;
    }
    if lambda <= 0.0 {
        return 0.0;
    }
    erlang_c(c, lambda / mu) / (capacity - lambda)
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

/// The highest arrival rate (req/s) an M/M/c queue can take while
/// `fixed_s + p99 wait <= target_s` and utilisation stays at or under
/// `ceiling`. Returns `None` when even an idle queue misses the target.
///
/// The p99 wait rises monotonically with the arrival rate, so the rate is
/// found by bisection to a relative precision of 1e-4 (16 steps).
pub fn max_rate_for_p99(c: u32, mu: f64, fixed_s: f64, target_s: f64, ceiling: f64) -> Option<f64> {
    if c == 0 || mu.is_nan() || mu <= 0.0 || fixed_s > target_s {
        return None;
    }
    let budget = target_s - fixed_s;
    let cap = f64::from(c) * mu * ceiling.clamp(0.0, 1.0);
    if p99_wait_s(c, mu, cap) <= budget {
        return Some(cap);
    }
    let (mut lo, mut hi) = (0.0_f64, cap);
    for _ in 0..16 {
        let mid = 0.5 * (lo + hi);
        if p99_wait_s(c, mu, mid) <= budget {
            lo = mid;
        } else {
            hi = mid;
        }
    }
    Some(lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn close(a: f64, b: f64, tol: f64) -> bool {
        (a - b).abs() <= tol
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

    #[test]
    fn erlang_c_is_stable_for_hundreds_of_servers() {
        let c = erlang_c(500, 480.0);
        assert!(c.is_finite() && c > 0.0 && c < 1.0, "{c}");
        assert!(erlang_c(2000, 1000.0) < 1e-6);
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
    fn p99_wait_of_mm1_by_hand() {
        // M/M/1, mu = 100/s, lambda = 50/s: P(Wq > t) = 0.5 e^{-50 t};
        // p99 = ln(50) / 50 = 0.07824 s.
        assert!(close(p99_wait_s(1, 100.0, 50.0), 50f64.ln() / 50.0, 1e-12));
        assert_eq!(p99_wait_s(1, 100.0, 100.0), f64::INFINITY);
        // Light load: fewer than 1% wait, so the 99th percentile waits 0.
        assert_eq!(p99_wait_s(4, 100.0, 10.0), 0.0);
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
    fn little_by_hand() {
        // 200 req/s for 50 ms each keeps 10 requests in flight.
        assert!(close(little_l(200.0, 0.05), 10.0, 1e-12));
    }

    #[test]
    fn max_rate_respects_target_and_ceiling() {
        // Ceiling binds: a loose target lets the queue run to 65% of 2 x 100.
        let r = max_rate_for_p99(2, 100.0, 0.01, 10.0, 0.65).unwrap();
        assert!(close(r, 130.0, 1e-9));
        // Tight target: the rate found meets it, and a bit more would not.
        let r = max_rate_for_p99(1, 100.0, 0.01, 0.05, 0.95).unwrap();
        assert!(0.01 + p99_wait_s(1, 100.0, r) <= 0.05 + 1e-12);
        assert!(0.01 + p99_wait_s(1, 100.0, r * 1.01) > 0.05);
        // Unreachable: the fixed part alone is over the target.
        assert_eq!(max_rate_for_p99(4, 100.0, 0.5, 0.3, 0.7), None);
    }
}
