//! Fitting Gunther's Universal Scalability Law to measured throughput.
//!
//! Runs of one framework and endpoint at several loads `N` (workers, cores
//! or concurrent users) give throughputs `X`; the law
//!
//! `X(N) = γ N / (1 + σ (N - 1) + κ N (N - 1))`
//!
//! is fitted by nonlinear least squares, as R's `usl` package does
//! (`usl(throughput ~ load)`; S. Moeding, CRAN, whose own data sets and
//! published outputs the tests reproduce): `σ` is contention, `κ` coherency
//! (the model's [`SharedFigure::UslAlpha`] and [`SharedFigure::UslBeta`]),
//! `γ` the throughput of one unit. N. J. Gunther, *Guerrilla Capacity
//! Planning* (2007), ch. 4-5.
//!
//! The method: Levenberg-Marquardt (K. Levenberg, Q. Appl. Math. 2, 1944;
//! D. W. Marquardt, J. SIAM 11(2), 1963) with Marquardt's scaling by the
//! diagonal of `JᵀJ`, from R's starting point (`γ = max X/N`, `σ = 0.01`,
//! `κ = 0.0001`), within R's bounds (`0 <= σ, κ <= 1`, `γ >= 0`): a
//! coefficient at a bound that the fit would push past stays there
//! (projected, active-set steps). Standard errors come from `JᵀJ` at the
//! solution with the residual variance on `n - 3` degrees of freedom, as
//! `nls` and the `usl` package compute them; the 95% intervals are
//! `estimate ± t(0.975, n - 3) × standard error`.
//!
//! Nothing here reads a file: [`fit`] takes `(load, throughput)` pairs and
//! names what is wrong with them ([`FitError`]).
//!
//! [`SharedFigure::UslAlpha`]: super::SharedFigure::UslAlpha
//! [`SharedFigure::UslBeta`]: super::SharedFigure::UslBeta

use serde::Serialize;

/// The fewest distinct loads a fit needs: three coefficients.
pub const MIN_LOADS: usize = 3;

/// A fitted Universal Scalability Law.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct UslFit {
    /// Contention `σ`, 0 to 1.
    pub sigma: f64,
    /// Coherency `κ`, 0 to 1.
    pub kappa: f64,
    /// Throughput of one unit of load `γ` (`X(1)`), in the throughput's unit.
    pub gamma: f64,
    /// Standard errors of `σ`, `κ` and `γ`.
    pub std_err: [f64; 3],
    /// 95% confidence intervals of `σ`, `κ` and `γ`: `(low, high)`.
    pub interval: [(f64, f64); 3],
    /// Share of the throughput's variance the curve explains, `1 - SSR/SST`.
    pub r_squared: f64,
    /// Residual standard deviation, on `n - 3` degrees of freedom.
    pub residual_sd: f64,
    /// Points fitted.
    pub points: usize,
    /// Distinct loads among them.
    pub loads: usize,
}

impl UslFit {
    /// Throughput the curve gives at load `n`.
    pub fn throughput(&self, n: f64) -> f64 {
        usl(n, [self.sigma, self.kappa, self.gamma])
    }

    /// 90% confidence intervals of `σ`, `κ` and `γ`, `(low, high)`:
    /// `estimate ± t(0.95, n - 3) × standard error`, the same standard
    /// errors as the 95% [`UslFit::interval`] with Student's 95th
    /// percentile in place of its 97.5th. Stackwise's ranges are 90%
    /// intervals (5th to 95th percentile), so a fit enters a set of figures
    /// through these. `None` when the fit has no interval: as many points
    /// as coefficients (no degrees of freedom left), or standard errors that
    /// are not finite.
    pub fn interval_90(&self) -> Option<[(f64, f64); 3]> {
        let df = self.points.saturating_sub(3);
        if df == 0 || self.std_err.iter().any(|e| !e.is_finite()) {
            return None;
        }
        let t = student_t_95(df);
        let estimate = [self.sigma, self.kappa, self.gamma];
        Some(std::array::from_fn(|i| {
            let half = t * self.std_err[i];
            (estimate[i] - half, estimate[i] + half)
        }))
    }

    /// The load at which throughput peaks, `N* = sqrt((1 - σ) / κ)`, and
    /// the throughput there; `None` when `κ` is 0 (no peak: throughput
    /// keeps rising towards `γ / σ`).
    pub fn peak(&self) -> Option<(f64, f64)> {
        (self.kappa > 0.0 && self.sigma < 1.0).then(|| {
            let n = ((1.0 - self.sigma) / self.kappa).sqrt();
            (n, self.throughput(n))
        })
    }
}

/// Why a set of runs could not be fitted.
#[derive(Clone, Debug, PartialEq)]
pub enum FitError {
    /// Fewer than [`MIN_LOADS`] distinct loads: three coefficients need at
    /// least three.
    TooFewLoads {
        /// Distinct loads given.
        distinct: usize,
    },
    /// A load or a throughput is not a finite number.
    NotFinite {
        /// Row, from 1.
        row: usize,
    },
    /// A load or a throughput is zero or negative.
    NotPositive {
        /// Row, from 1.
        row: usize,
    },
    /// Throughput falls from the lowest load to the next: the runs do not
    /// scale at all, so there is no contention or coherency to find.
    FallsFromTheStart {
        /// The two lowest loads.
        loads: (f64, f64),
    },
    /// The least-squares search did not settle.
    DidNotConverge,
}

impl std::fmt::Display for FitError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FitError::TooFewLoads { distinct } => write!(
                f,
                "a fit needs runs at {MIN_LOADS} or more different loads; these have {distinct}"
            ),
            FitError::NotFinite { row } => write!(f, "row {row}: not a finite number"),
            FitError::NotPositive { row } => {
                write!(f, "row {row}: load and throughput must be above 0")
            }
            FitError::FallsFromTheStart { loads } => write!(
                f,
                "throughput falls from load {} to load {}: the runs do not scale, so there is nothing to fit",
                loads.0, loads.1
            ),
            FitError::DidNotConverge => {
                write!(f, "the fit did not settle; check the runs for outliers")
            }
        }
    }
}

/// `X(N)` for coefficients `[σ, κ, γ]`.
fn usl(n: f64, [sigma, kappa, gamma]: [f64; 3]) -> f64 {
    gamma * n / (1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0))
}

/// The partial derivatives of `X(N)` by `σ`, `κ` and `γ`.
fn gradient(n: f64, [sigma, kappa, gamma]: [f64; 3]) -> [f64; 3] {
    let d = 1.0 + sigma * (n - 1.0) + kappa * n * (n - 1.0);
    let x = gamma * n / (d * d);
    [-x * (n - 1.0), -x * n * (n - 1.0), n / d]
}

/// Lower and upper bounds of `[σ, κ, γ]` (R's `usl`).
const LOWER: [f64; 3] = [0.0, 0.0, 0.0];
const UPPER: [f64; 3] = [1.0, 1.0, f64::INFINITY];

/// The different loads among `loads`, lowest first: what [`fit`] counts
/// against [`MIN_LOADS`], and what the page says a file holds.
pub fn distinct_loads(mut loads: Vec<f64>) -> Vec<f64> {
    loads.sort_by(f64::total_cmp);
    loads.dedup();
    loads
}

/// Fits the law to `(load, throughput)` pairs (in any order; repeated
/// loads are separate runs). See the module documentation for the method.
pub fn fit(points: &[(f64, f64)]) -> Result<UslFit, FitError> {
    for (i, &(n, x)) in points.iter().enumerate() {
        if !n.is_finite() || !x.is_finite() {
            return Err(FitError::NotFinite { row: i + 1 });
        }
        if n <= 0.0 || x <= 0.0 {
            return Err(FitError::NotPositive { row: i + 1 });
        }
    }
    let loads = distinct_loads(points.iter().map(|p| p.0).collect());
    if loads.len() < MIN_LOADS {
        return Err(FitError::TooFewLoads {
            distinct: loads.len(),
        });
    }
    let mean_at = |load: f64| {
        let at: Vec<f64> = points.iter().filter(|p| p.0 == load).map(|p| p.1).collect();
        at.iter().sum::<f64>() / at.len() as f64
    };
    if mean_at(loads[1]) < mean_at(loads[0]) {
        return Err(FitError::FallsFromTheStart {
            loads: (loads[0], loads[1]),
        });
    }

    let start_gamma = points.iter().map(|p| p.1 / p.0).fold(0.0, f64::max);
    let coefficients = levenberg_marquardt(points, [0.01, 0.0001, start_gamma])?;

    let n = points.len();
    let residuals: Vec<f64> = points
        .iter()
        .map(|&(l, x)| x - usl(l, coefficients))
        .collect();
    let ssr: f64 = residuals.iter().map(|r| r * r).sum();
    let mean = points.iter().map(|p| p.1).sum::<f64>() / n as f64;
    let sst: f64 = points.iter().map(|p| (p.1 - mean).powi(2)).sum();
    let df = n.saturating_sub(3);
    let variance = if df > 0 { ssr / df as f64 } else { f64::NAN };
    let covariance = invert(&normal_matrix(points, coefficients));
    let std_err: [f64; 3] = std::array::from_fn(|i| match covariance {
        Some(c) => (c[i][i] * variance).max(0.0).sqrt(),
        None => f64::NAN,
    });
    let t = student_t_975(df);
    let interval = std::array::from_fn(|i| {
        let half = t * std_err[i];
        (coefficients[i] - half, coefficients[i] + half)
    });
    Ok(UslFit {
        sigma: coefficients[0],
        kappa: coefficients[1],
        gamma: coefficients[2],
        std_err,
        interval,
        r_squared: if sst > 0.0 { 1.0 - ssr / sst } else { 1.0 },
        residual_sd: variance.sqrt(),
        points: n,
        loads: loads.len(),
    })
}

/// `JᵀJ` at `p`.
fn normal_matrix(points: &[(f64, f64)], p: [f64; 3]) -> [[f64; 3]; 3] {
    let mut a = [[0.0; 3]; 3];
    for &(n, _) in points {
        let g = gradient(n, p);
        for i in 0..3 {
            for j in 0..3 {
                a[i][j] += g[i] * g[j];
            }
        }
    }
    a
}

/// The sum of squared residuals at `p`.
fn ssr_at(points: &[(f64, f64)], p: [f64; 3]) -> f64 {
    points.iter().map(|&(n, x)| (x - usl(n, p)).powi(2)).sum()
}

/// Levenberg-Marquardt within [`LOWER`] and [`UPPER`], from `start`.
fn levenberg_marquardt(points: &[(f64, f64)], start: [f64; 3]) -> Result<[f64; 3], FitError> {
    const MAX_STEPS: usize = 500;
    let mut p = start;
    let mut ssr = ssr_at(points, p);
    let mut lambda = 1e-3;
    for _ in 0..MAX_STEPS {
        let a = normal_matrix(points, p);
        // g = Jᵀ r: the direction in which the residuals shrink.
        let mut g = [0.0; 3];
        for &(n, x) in points {
            let r = x - usl(n, p);
            let d = gradient(n, p);
            for i in 0..3 {
                g[i] += d[i] * r;
            }
        }
        // A coefficient at a bound that the fit pushes past stays there.
        let free: [bool; 3] = std::array::from_fn(|i| {
            !((p[i] <= LOWER[i] && g[i] <= 0.0) || (p[i] >= UPPER[i] && g[i] >= 0.0))
        });
        let mut accepted = false;
        for _ in 0..40 {
            let mut m = [[0.0; 3]; 3];
            let mut rhs = [0.0; 3];
            for i in 0..3 {
                for j in 0..3 {
                    m[i][j] = if free[i] && free[j] { a[i][j] } else { 0.0 };
                }
                if free[i] {
                    m[i][i] += lambda * a[i][i].max(1e-300);
                    rhs[i] = g[i];
                } else {
                    m[i][i] = 1.0;
                }
            }
            let Some(step) = solve(&m, rhs) else {
                lambda *= 10.0;
                continue;
            };
            let next: [f64; 3] =
                std::array::from_fn(|i| (p[i] + step[i]).clamp(LOWER[i], UPPER[i]));
            let next_ssr = ssr_at(points, next);
            if next_ssr.is_finite() && next_ssr <= ssr {
                let settled = ssr - next_ssr <= 1e-14 * ssr.max(f64::MIN_POSITIVE)
                    && (0..3).all(|i| (next[i] - p[i]).abs() <= 1e-10 * (p[i].abs() + 1e-12));
                p = next;
                ssr = next_ssr;
                lambda = (lambda / 10.0).max(1e-12);
                accepted = true;
                if settled || ssr == 0.0 {
                    return Ok(p);
                }
                break;
            }
            lambda *= 10.0;
        }
        if !accepted {
            // No step lowers the residuals: a minimum within the bounds.
            return Ok(p);
        }
    }
    Err(FitError::DidNotConverge)
}

/// Solves `m x = b` for a 3x3 system by Gaussian elimination with partial
/// pivoting; `None` when `m` is singular.
fn solve(m: &[[f64; 3]; 3], b: [f64; 3]) -> Option<[f64; 3]> {
    let mut a = [[0.0; 4]; 3];
    for i in 0..3 {
        a[i][..3].copy_from_slice(&m[i]);
        a[i][3] = b[i];
    }
    for col in 0..3 {
        let pivot = (col..3).max_by(|&x, &y| a[x][col].abs().total_cmp(&a[y][col].abs()))?;
        if a[pivot][col].abs() < 1e-300 || !a[pivot][col].is_finite() {
            return None;
        }
        a.swap(col, pivot);
        let top = a[col];
        for row in a.iter_mut().skip(col + 1) {
            let factor = row[col] / top[col];
            for (cell, above) in row.iter_mut().zip(top).skip(col) {
                *cell -= factor * above;
            }
        }
    }
    let mut x = [0.0; 3];
    for row in (0..3).rev() {
        let known: f64 = (row + 1..3).map(|k| a[row][k] * x[k]).sum();
        x[row] = (a[row][3] - known) / a[row][row];
    }
    x.iter().all(|v| v.is_finite()).then_some(x)
}

/// The inverse of a symmetric 3x3 matrix; `None` when singular.
fn invert(m: &[[f64; 3]; 3]) -> Option<[[f64; 3]; 3]> {
    let mut inverse = [[0.0; 3]; 3];
    for col in 0..3 {
        let mut unit = [0.0; 3];
        unit[col] = 1.0;
        let x = solve(m, unit)?;
        for row in 0..3 {
            inverse[row][col] = x[row];
        }
    }
    Some(inverse)
}

/// The 97.5th percentile of Student's t with `df` degrees of freedom (a
/// two-sided 95% interval): exact table values up to 30, then the
/// Cornish-Fisher expansion (Abramowitz and Stegun 26.7.5), within 1e-4.
/// Infinite for 0 degrees of freedom (no interval).
pub fn student_t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.706, 4.303, 3.182, 2.776, 2.571, 2.447, 2.365, 2.306, 2.262, 2.228, 2.201, 2.179, 2.160,
        2.145, 2.131, 2.120, 2.110, 2.101, 2.093, 2.086, 2.080, 2.074, 2.069, 2.064, 2.060, 2.056,
        2.052, 2.048, 2.045, 2.042,
    ];
    student_t(df, &TABLE, 1.959_963_984_540_054)
}

/// The 95th percentile of Student's t with `df` degrees of freedom (a
/// two-sided 90% interval), as [`student_t_975`] computes its own: table
/// values up to 30, then the Cornish-Fisher expansion. Infinite for 0
/// degrees of freedom.
pub fn student_t_95(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        6.314, 2.920, 2.353, 2.132, 2.015, 1.943, 1.895, 1.860, 1.833, 1.812, 1.796, 1.782, 1.771,
        1.761, 1.753, 1.746, 1.740, 1.734, 1.729, 1.725, 1.721, 1.717, 1.714, 1.711, 1.708, 1.706,
        1.703, 1.701, 1.699, 1.697,
    ];
    student_t(df, &TABLE, 1.644_853_626_951_472_2)
}

/// A percentile of Student's t: `table[df - 1]` up to 30 degrees of
/// freedom, then the Cornish-Fisher expansion around the normal
/// percentile `z` (Abramowitz and Stegun 26.7.5); infinite for 0.
fn student_t(df: usize, table: &[f64; 30], z: f64) -> f64 {
    match df {
        0 => f64::INFINITY,
        1..=30 => table[df - 1],
        _ => {
            let v = df as f64;
            let (z3, z5) = (z.powi(3), z.powi(5));
            z + (z3 + z) / (4.0 * v)
                + (5.0 * z5 + 16.0 * z3 + 3.0 * z) / (96.0 * v * v)
                + (3.0 * z.powi(7) + 19.0 * z5 + 17.0 * z3 - 15.0 * z) / (384.0 * v.powi(3))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// R `usl`'s data set `specsdm91`: SPEC SDM91 on a Sun SPARCcenter 2000
    /// (Gunther, GCaP), load = users, throughput = scripts per hour.
    const SPECSDM91: [(f64, f64); 7] = [
        (1.0, 64.9),
        (18.0, 995.9),
        (36.0, 1652.4),
        (72.0, 1853.2),
        (108.0, 1828.9),
        (144.0, 1775.0),
        (216.0, 1702.2),
    ];

    /// R `usl`'s data set `raytracer`: a ray-tracing benchmark on 1 to 64
    /// processors (Gunther, GCaP).
    const RAYTRACER: [(f64, f64); 11] = [
        (1.0, 20.0),
        (4.0, 78.0),
        (8.0, 130.0),
        (12.0, 170.0),
        (16.0, 190.0),
        (20.0, 200.0),
        (24.0, 210.0),
        (28.0, 230.0),
        (32.0, 260.0),
        (48.0, 280.0),
        (64.0, 310.0),
    ];

    /// `x` to three significant figures.
    fn sig3(x: f64) -> f64 {
        if x == 0.0 {
            return 0.0;
        }
        let scale = 10f64.powi(2 - x.abs().log10().floor() as i32);
        (x * scale).round() / scale
    }

    #[test]
    fn reproduces_r_usl_on_specsdm91() {
        // summary(usl(throughput ~ load, specsdm91)): alpha 2.773e-02
        // (std. error 9.122e-03), beta 1.044e-04 (1.988e-05), gamma 90.00
        // (14.21); residual standard error 82.85 on 4 degrees of freedom;
        // peak throughput 1884 at load 96.52.
        let u = fit(&SPECSDM91).unwrap();
        assert_eq!(sig3(u.sigma), 0.0277);
        assert_eq!(sig3(u.kappa), 0.000104);
        assert_eq!(sig3(u.gamma), 90.0);
        assert_eq!(sig3(u.std_err[0]), 0.00912);
        assert_eq!(sig3(u.std_err[1]), 0.0000199);
        assert_eq!(sig3(u.std_err[2]), 14.2);
        assert_eq!(sig3(u.residual_sd), 82.8);
        let (n, x) = u.peak().unwrap();
        assert_eq!(sig3(n), 96.5);
        assert_eq!(sig3(x), 1880.0);
    }

    #[test]
    fn reproduces_r_usl_on_raytracer() {
        // coef(usl(throughput ~ processors, raytracer)): alpha 0.0578,
        // beta 0.0000, gamma 21.8488; confint gives alpha 0.033677 to
        // 0.081864, beta -0.000214 to 0.000214, gamma 17.868 to 25.829. The
        // package's confint takes `qt(0.95, n - 1)` (1.8125 for 11 points)
        // as its multiplier: its half-widths divided by that are the
        // standard errors, which this fit must give.
        let u = fit(&RAYTRACER).unwrap();
        assert_eq!(sig3(u.sigma), 0.0578);
        assert!(u.kappa < 1e-7, "{}", u.kappa);
        assert_eq!(sig3(u.gamma), 21.8);
        let r_multiplier = 1.812_461;
        assert_eq!(
            sig3(u.std_err[0] * r_multiplier),
            sig3((0.081864 - 0.033677) / 2.0)
        );
        assert_eq!(sig3(u.std_err[1] * r_multiplier), 0.000214);
        assert_eq!(
            sig3(u.std_err[2] * r_multiplier),
            sig3((25.829306 - 17.868380) / 2.0)
        );
        // No coherency: no peak.
        assert_eq!(u.peak(), None);
    }

    #[test]
    fn reproduces_r_usl_on_its_small_example() {
        // coef(usl(tput ~ load)) on the package's test data: 0.02, 0.02, 1.
        let data = [
            (1.0, 1.0),
            (2.0, 1.8868),
            (4.0, 3.0769),
            (6.0, 3.5294),
            (8.0, 3.5398),
            (10.0, 3.3557),
        ];
        let u = fit(&data).unwrap();
        assert_eq!(sig3(u.sigma), 0.02);
        assert_eq!(sig3(u.kappa), 0.02);
        assert_eq!(sig3(u.gamma), 1.0);
    }

    #[test]
    fn recovers_known_coefficients_from_noisy_runs() {
        // σ = 0.05, κ = 0.0008, γ = 1,000 req/s, loads 1 to 32, each run
        // off by up to ±1% (a fixed pattern): γ comes back within 1%, the
        // peak within 5%, and σ and κ within their 95% intervals. The same
        // runs without the noise give every coefficient within 1%.
        let truth = [0.05, 0.0008, 1_000.0];
        let noise = [
            0.004, -0.007, 0.009, -0.002, 0.006, -0.009, 0.001, -0.004, 0.008, -0.006,
        ];
        let data: Vec<(f64, f64)> = [1.0, 2.0, 4.0, 6.0, 8.0, 12.0, 16.0, 20.0, 24.0, 32.0]
            .iter()
            .zip(noise)
            .map(|(&n, e)| (n, usl(n, truth) * (1.0 + e)))
            .collect();
        let u = fit(&data).unwrap();
        assert!((u.gamma / truth[2] - 1.0).abs() < 0.01, "{u:?}");
        for (i, value) in [u.sigma, u.kappa].into_iter().enumerate() {
            let (low, high) = u.interval[i];
            assert!(
                low <= truth[i] && truth[i] <= high,
                "{i}: {value} in {low}..{high}"
            );
        }
        let (peak, _) = u.peak().unwrap();
        let true_peak = ((1.0 - truth[0]) / truth[1]).sqrt();
        assert!(
            (peak / true_peak - 1.0).abs() < 0.05,
            "{peak} vs {true_peak}"
        );
        assert!(u.r_squared > 0.99);
        // Without noise, every coefficient within 1%.
        let exact: Vec<(f64, f64)> = data.iter().map(|&(n, _)| (n, usl(n, truth))).collect();
        let e = fit(&exact).unwrap();
        for (got, want) in [e.sigma, e.kappa, e.gamma].into_iter().zip(truth) {
            assert!((got / want - 1.0).abs() < 0.01, "{got} vs {want}");
        }
    }

    #[test]
    fn degenerate_runs_are_named_never_fitted() {
        assert_eq!(fit(&[]), Err(FitError::TooFewLoads { distinct: 0 }));
        assert_eq!(
            fit(&[(4.0, 100.0)]),
            Err(FitError::TooFewLoads { distinct: 1 })
        );
        assert_eq!(
            fit(&[(2.0, 100.0), (2.0, 110.0), (2.0, 90.0), (4.0, 150.0)]),
            Err(FitError::TooFewLoads { distinct: 2 })
        );
        assert_eq!(
            fit(&[(1.0, 100.0), (2.0, f64::NAN), (4.0, 300.0)]),
            Err(FitError::NotFinite { row: 2 })
        );
        assert_eq!(
            fit(&[(1.0, 100.0), (2.0, 150.0), (f64::INFINITY, 300.0)]),
            Err(FitError::NotFinite { row: 3 })
        );
        assert_eq!(
            fit(&[(1.0, 100.0), (0.0, 150.0), (4.0, 300.0)]),
            Err(FitError::NotPositive { row: 2 })
        );
        assert_eq!(
            fit(&[(1.0, 100.0), (2.0, 0.0), (4.0, 300.0)]),
            Err(FitError::NotPositive { row: 2 })
        );
        assert_eq!(
            fit(&[(1.0, 100.0), (2.0, 90.0), (4.0, 80.0), (8.0, 60.0)]),
            Err(FitError::FallsFromTheStart { loads: (1.0, 2.0) })
        );
        let message = FitError::TooFewLoads { distinct: 2 }.to_string();
        assert!(message.contains("3 or more different loads"), "{message}");
    }

    #[test]
    fn flat_or_perfect_runs_fit_at_the_bounds() {
        // Perfectly linear: no contention, no coherency.
        let linear: Vec<(f64, f64)> = (1..=8)
            .map(|n| (f64::from(n), 50.0 * f64::from(n)))
            .collect();
        let u = fit(&linear).unwrap();
        assert!(u.sigma < 1e-9 && u.kappa < 1e-9, "{u:?}");
        assert!((u.gamma - 50.0).abs() < 1e-6);
        assert_eq!(u.peak(), None);
        // Flat: everything is contention.
        let flat: Vec<(f64, f64)> = (1..=6).map(|n| (f64::from(n), 200.0)).collect();
        let u = fit(&flat).unwrap();
        assert!((u.sigma - 1.0).abs() < 1e-6, "{u:?}");
        assert!((u.gamma - 200.0).abs() < 1e-6, "{u:?}");
        assert!(u.std_err.iter().all(|e| e.is_finite()), "{u:?}");
    }

    #[test]
    fn student_t_matches_its_table() {
        assert_eq!(student_t_975(4), 2.776);
        assert_eq!(student_t_975(8), 2.306);
        assert!((student_t_975(60) - 2.000).abs() < 1e-3);
        assert!((student_t_975(120) - 1.980).abs() < 1e-3);
        assert!(student_t_975(0).is_infinite());
        // R: qt(0.95, c(10, 60, 120)) = 1.8125, 1.6706, 1.6577.
        assert_eq!(student_t_95(10), 1.812);
        assert!((student_t_95(60) - 1.6706).abs() < 1e-3);
        assert!((student_t_95(120) - 1.6577).abs() < 1e-3);
        assert!(student_t_95(0).is_infinite());
    }

    #[test]
    fn the_90_percent_interval_is_the_95_percent_one_narrowed() {
        let u = fit(&SPECSDM91).unwrap();
        let i90 = u.interval_90().unwrap();
        // 4 degrees of freedom: 2.132 against 2.776 standard errors.
        for (&(lo95, hi95), &(lo90, hi90)) in u.interval.iter().zip(&i90) {
            let mid = (lo90 + hi90) / 2.0;
            assert!((mid - (lo95 + hi95) / 2.0).abs() < 1e-9 * mid.abs().max(1.0));
            let ratio = (hi90 - lo90) / (hi95 - lo95);
            assert!((ratio - 2.132 / 2.776).abs() < 1e-9, "{ratio}");
        }
        // Three points fit exactly: no interval.
        let exact = fit(&[(1.0, 100.0), (2.0, 180.0), (4.0, 300.0)]).unwrap();
        assert_eq!(exact.interval_90(), None);
    }
}
