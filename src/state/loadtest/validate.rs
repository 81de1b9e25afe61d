//! The one conversion from what a reader found to a [`LoadTestResult`].
//!
//! Readers fill a [`RawResult`]: plain `f64`s, each with the name of the
//! field it came from, nothing checked. [`validate`] refuses every number no
//! real run can produce and names the field in the error; it is the only
//! way to build a `LoadTestResult` from a file.

use super::{ImportError, ImportProblem, LoadTestResult, LoadTool};

/// Counts above 2^53 lose precision as `f64` and no load test gets there.
const MAX_COUNT: f64 = 9_007_199_254_740_992.0;

/// Slowest throughput a real run reports, req/s: one request in about 17
/// minutes. Below it, a value is a cut-off or mis-scaled number.
pub const MIN_PLAUSIBLE_RPS: f64 = 0.001;

/// Fastest throughput a real run reports, req/s: 100 million, far beyond
/// any single load generator (the fastest HTTP servers measured reach a few
/// million on one machine).
pub const MAX_PLAUSIBLE_RPS: f64 = 100_000_000.0;

/// Longest latency a real run reports, ms: one hour.
pub const MAX_PLAUSIBLE_LATENCY_MS: f64 = 3_600_000.0;

/// How far the reported rate may be from requests / duration, as a share
/// of the reported rate: tools round the duration they print (wrk: 3.09s)
/// and autocannon averages per-second samples, which stay within a few
/// percent; a cut-off or edited number does not.
pub const RATE_TOLERANCE: f64 = 0.05;

/// A number read from a file, with the field it came from.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Reading {
    /// The value, unchecked.
    pub value: f64,
    /// The field's name in the tool's own terms.
    pub field: String,
}

impl Reading {
    /// A reading of `value` from `field`.
    pub fn new(value: f64, field: impl Into<String>) -> Self {
        Self {
            value,
            field: field.into(),
        }
    }
}

/// What a reader found, before any check.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct RawResult {
    /// The tool the reader is for.
    pub tool: LoadTool,
    /// Requests per second.
    pub requests_per_second: Reading,
    /// Mean latency, ms.
    pub latency_mean_ms: Option<Reading>,
    /// Median latency, ms.
    pub latency_p50_ms: Option<Reading>,
    /// Tail latency, ms, and which percentile it is.
    pub latency_tail_ms: Option<(Reading, f64)>,
    /// Requests finished, answered or failed.
    pub requests_total: Option<Reading>,
    /// Failed requests.
    pub errors: Option<Reading>,
    /// Run length, seconds.
    pub duration_s: Option<Reading>,
    /// Concurrent connections.
    pub connections: Option<Reading>,
    /// The URL tested.
    pub target: Option<String>,
    /// A request count and a run length (s) the tool reports besides its
    /// rate, which the rate must agree with within [`RATE_TOLERANCE`];
    /// `None` when the tool does not report both, or one is derived from
    /// the rate.
    pub rate_basis: Option<(Reading, Reading)>,
}

impl RawResult {
    /// A result with only its throughput known.
    pub fn new(tool: LoadTool, requests_per_second: Reading) -> Self {
        Self {
            tool,
            requests_per_second,
            latency_mean_ms: None,
            latency_p50_ms: None,
            latency_tail_ms: None,
            requests_total: None,
            errors: None,
            duration_s: None,
            connections: None,
            target: None,
            rate_basis: None,
        }
    }
}

/// Checks every number of `raw` and converts it.
///
/// Refused: NaN or infinite anywhere; negative anywhere; zero throughput,
/// duration, connections or request count; counts that are not whole or
/// beyond 2^53; a tail percentile below the median; more errors than
/// requests; a throughput outside [`MIN_PLAUSIBLE_RPS`] to
/// [`MAX_PLAUSIBLE_RPS`] or a latency above [`MAX_PLAUSIBLE_LATENCY_MS`];
/// a rate that disagrees with the tool's own requests / duration by more
/// than [`RATE_TOLERANCE`] (a file cut inside a number).
pub(crate) fn validate(raw: RawResult) -> Result<LoadTestResult, ImportError> {
    let tool = raw.tool;
    let requests_per_second = positive(tool, &raw.requests_per_second)?;
    if !(MIN_PLAUSIBLE_RPS..=MAX_PLAUSIBLE_RPS).contains(&requests_per_second) {
        return Err(ImportError::field(
            tool,
            raw.requests_per_second.field.clone(),
            ImportProblem::Implausible {
                value: requests_per_second,
                allowed: "0.001 to 100,000,000 requests per second",
            },
        ));
    }
    if let Some((count, duration)) = &raw.rate_basis {
        let n = non_negative(tool, count)?;
        let seconds = non_negative(tool, duration)?;
        let implied = n / seconds;
        if n > 0.0
            && seconds > 0.0
            && implied.is_finite()
            && (implied - requests_per_second).abs() > RATE_TOLERANCE * requests_per_second
        {
            return Err(ImportError::field(
                tool,
                raw.requests_per_second.field.clone(),
                ImportProblem::RateMismatch {
                    value: requests_per_second,
                    count_field: count.field.clone(),
                    count: n,
                    duration_field: duration.field.clone(),
                    duration_s: seconds,
                },
            ));
        }
    }
    let latency = |r: &Reading| {
        let ms = non_negative(tool, r)?;
        if ms > MAX_PLAUSIBLE_LATENCY_MS {
            return Err(ImportError::field(
                tool,
                r.field.clone(),
                ImportProblem::Implausible {
                    value: ms,
                    allowed: "at most one hour (3,600,000 ms)",
                },
            ));
        }
        Ok(ms)
    };
    let latency_mean_ms = raw.latency_mean_ms.as_ref().map(latency).transpose()?;
    let latency_p50_ms = raw.latency_p50_ms.as_ref().map(latency).transpose()?;
    let mut latency_p99_ms = None;
    let mut latency_p99_percentile = None;
    if let Some((reading, percentile)) = &raw.latency_tail_ms {
        let tail = latency(reading)?;
        if let (Some(p50), Some(p50_reading)) = (latency_p50_ms, &raw.latency_p50_ms) {
            if *percentile >= 50.0 && tail < p50 {
                return Err(ImportError::field(
                    tool,
                    reading.field.clone(),
                    ImportProblem::Below {
                        value: tail,
                        other_field: p50_reading.field.clone(),
                        other_value: p50,
                    },
                ));
            }
        }
        latency_p99_ms = Some(tail);
        latency_p99_percentile = Some(*percentile);
    }
    let requests_total = raw
        .requests_total
        .as_ref()
        .map(|r| count(tool, r, false))
        .transpose()?;
    let errors = raw
        .errors
        .as_ref()
        .map(|r| count(tool, r, true))
        .transpose()?;
    if let (Some(errors), Some(total), Some(errors_reading), Some(total_reading)) =
        (errors, requests_total, &raw.errors, &raw.requests_total)
    {
        if errors > total {
            return Err(ImportError::field(
                tool,
                errors_reading.field.clone(),
                ImportProblem::Above {
                    value: errors_reading.value,
                    other_field: total_reading.field.clone(),
                    other_value: total_reading.value,
                },
            ));
        }
    }
    let duration_s = raw
        .duration_s
        .as_ref()
        .map(|r| positive(tool, r))
        .transpose()?;
    let connections = raw
        .connections
        .as_ref()
        .map(|r| {
            let n = count(tool, r, false)?;
            u32::try_from(n).map_err(|_| {
                ImportError::field(
                    tool,
                    r.field.clone(),
                    ImportProblem::TooBig { value: r.value },
                )
            })
        })
        .transpose()?;
    Ok(LoadTestResult {
        tool,
        requests_per_second,
        latency_mean_ms,
        latency_p50_ms,
        latency_p99_ms,
        latency_p99_percentile,
        requests_total,
        errors,
        duration_s,
        connections,
        target: raw.target,
    })
}

/// A finite number >= 0, or an error naming the reading's field.
pub(crate) fn non_negative(tool: LoadTool, reading: &Reading) -> Result<f64, ImportError> {
    let value = reading.value;
    let problem = if !value.is_finite() {
        ImportProblem::NotFinite
    } else if value < 0.0 {
        ImportProblem::Negative { value }
    } else {
        // `-0.0` passes as zero; return a plain zero.
        return Ok(if value == 0.0 { 0.0 } else { value });
    };
    Err(ImportError::field(tool, reading.field.clone(), problem))
}

/// A finite number > 0.
fn positive(tool: LoadTool, reading: &Reading) -> Result<f64, ImportError> {
    let value = non_negative(tool, reading)?;
    if value == 0.0 {
        return Err(ImportError::field(
            tool,
            reading.field.clone(),
            ImportProblem::Zero,
        ));
    }
    Ok(value)
}

/// A whole number in 0..=2^53, or 1..=2^53 unless `zero_ok`.
fn count(tool: LoadTool, reading: &Reading, zero_ok: bool) -> Result<u64, ImportError> {
    let value = non_negative(tool, reading)?;
    let problem = if value.fract() != 0.0 {
        ImportProblem::NotWhole { value }
    } else if value > MAX_COUNT {
        ImportProblem::TooBig { value }
    } else if value == 0.0 && !zero_ok {
        ImportProblem::Zero
    } else {
        // Whole, finite and within 0..=2^53: the cast is exact.
        return Ok(value as u64);
    };
    Err(ImportError::field(tool, reading.field.clone(), problem))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn base() -> RawResult {
        RawResult::new(LoadTool::Oha, Reading::new(100.0, "summary.requestsPerSec"))
    }

    #[test]
    fn nan_and_infinity_are_refused_by_name() {
        for bad in [f64::NAN, f64::INFINITY, f64::NEG_INFINITY] {
            let mut raw = base();
            raw.requests_per_second.value = bad;
            let err = validate(raw).unwrap_err();
            assert_eq!(err.field.as_deref(), Some("summary.requestsPerSec"));
            assert_eq!(err.problem, ImportProblem::NotFinite);
        }
    }

    #[test]
    fn p99_below_p50_is_refused_but_p95_tail_checks_too() {
        let mut raw = base();
        raw.latency_p50_ms = Some(Reading::new(5.0, "p50"));
        raw.latency_tail_ms = Some((Reading::new(4.0, "p95"), 95.0));
        let err = validate(raw).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("p95"));
        assert!(err.to_string().contains("is below `p50` (5)"), "{err}");
    }

    #[test]
    fn equal_p50_and_p99_is_fine_and_negative_zero_becomes_zero() {
        let mut raw = base();
        raw.latency_p50_ms = Some(Reading::new(-0.0, "p50"));
        raw.latency_tail_ms = Some((Reading::new(0.0, "p99"), 99.0));
        let result = validate(raw).unwrap();
        assert_eq!(result.latency_p50_ms, Some(0.0));
        assert!(result.latency_p50_ms.unwrap().is_sign_positive());
        assert!(result.has_exact_p99());
    }

    #[test]
    fn counts_must_be_whole_small_and_consistent() {
        let mut raw = base();
        raw.requests_total = Some(Reading::new(10.5, "n"));
        assert!(matches!(
            validate(raw).unwrap_err().problem,
            ImportProblem::NotWhole { .. }
        ));
        let mut raw = base();
        raw.requests_total = Some(Reading::new(1e300, "n"));
        assert!(matches!(
            validate(raw).unwrap_err().problem,
            ImportProblem::TooBig { .. }
        ));
        let mut raw = base();
        raw.requests_total = Some(Reading::new(10.0, "n"));
        raw.errors = Some(Reading::new(11.0, "e"));
        let err = validate(raw).unwrap_err();
        assert_eq!(err.field.as_deref(), Some("e"));
        let mut raw = base();
        raw.connections = Some(Reading::new(5e9, "c"));
        assert!(matches!(
            validate(raw).unwrap_err().problem,
            ImportProblem::TooBig { .. }
        ));
    }

    #[test]
    fn zero_errors_are_fine_zero_duration_is_not() {
        let mut raw = base();
        raw.errors = Some(Reading::new(0.0, "e"));
        assert_eq!(validate(raw).unwrap().errors, Some(0));
        let mut raw = base();
        raw.duration_s = Some(Reading::new(0.0, "d"));
        assert_eq!(validate(raw).unwrap_err().problem, ImportProblem::Zero);
    }
}
