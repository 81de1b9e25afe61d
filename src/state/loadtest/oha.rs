//! Reader for oha's JSON output (`oha --output-format json`, formerly
//! `oha -j`).
//!
//! The shape is `print_json` in oha's `src/printer.rs` (and its
//! `schema.json`): `summary` holds `successRate`, `total` (run length, s),
//! `slowest`, `fastest`, `average` (latency, s) and `requestsPerSec`;
//! `latencyPercentiles` maps `p10` ... `p99.99` to seconds (`null` when no
//! request succeeded); `statusCodeDistribution` and `errorDistribution`
//! count answers by status and failures by message. Newer versions add
//! `metrics.latency_ms`; the older fields are read so that both work.
//!
//! Used: `summary.requestsPerSec` (required), `summary.average`,
//! `latencyPercentiles.p50` and the tail (`p99`), converted to ms;
//! `summary.total`; requests finished = all status counts + all error
//! counts; failed = errors + 4xx/5xx answers. oha counts requests cut off
//! by the end of a `-z` run as the error "aborted due to deadline"; those
//! are neither finished nor failed, so they are left out.

use serde_json::Value;

use super::json;
use super::validate::{RawResult, Reading};
use super::{ImportError, ImportProblem, LoadTool};

const TOOL: LoadTool = LoadTool::Oha;

/// oha's message for requests still in flight when a `-z` run ended.
const DEADLINE: &str = "aborted due to deadline";

/// Reads an oha result into an unchecked result.
pub(crate) fn parse(root: &Value) -> Result<RawResult, ImportError> {
    let rps = json::number(TOOL, root, "summary.requestsPerSec")?;
    let mut raw = RawResult::new(TOOL, rps);
    raw.latency_mean_ms = json::optional_number(TOOL, root, "summary.average")?.map(to_ms);
    if let Ok(percentiles) = json::object(TOOL, root, "latencyPercentiles") {
        raw.latency_p50_ms =
            json::number_in(TOOL, percentiles, "p50", "latencyPercentiles.p50")?.map(to_ms);
        raw.latency_tail_ms = json::tail_percentile(TOOL, percentiles, "latencyPercentiles.")?
            .map(|(reading, p)| (to_ms(reading), p));
    }
    raw.duration_s = json::optional_number(TOOL, root, "summary.total")?;

    let answers = sum_counts(root, "statusCodeDistribution", |status| {
        status.parse::<u16>().is_ok_and(|code| code >= 400)
    })?;
    let failures = sum_counts(root, "errorDistribution", |message| message != DEADLINE)?;
    if answers.is_some() || failures.is_some() {
        let (answered, failed_answers) = answers.unwrap_or((0.0, 0.0));
        let (_, failed) = failures.unwrap_or((0.0, 0.0));
        raw.requests_total = Some(Reading::new(
            answered + failed,
            "statusCodeDistribution + errorDistribution",
        ));
        raw.errors = Some(Reading::new(
            failed + failed_answers,
            "errorDistribution + 4xx/5xx in statusCodeDistribution",
        ));
    }
    // oha's requestsPerSec is every request over `summary.total`; those
    // cut off by a `-z` deadline are a sliver of them.
    if let (Some(count), Some(duration)) = (&raw.requests_total, &raw.duration_s) {
        raw.rate_basis = Some((count.clone(), duration.clone()));
    }
    Ok(raw)
}

/// A latency in seconds as milliseconds, keeping its field name.
fn to_ms(reading: Reading) -> Reading {
    Reading::new(reading.value * 1000.0, reading.field)
}

/// Sums the counts in the object `name` (`statusCodeDistribution` or
/// `errorDistribution`): all of them except [`DEADLINE`], and those whose
/// key `counts_as_failed`. `None` if the object is absent or `null`. Each
/// count must be a finite, non-negative number.
fn sum_counts(
    root: &Value,
    name: &str,
    counts_as_failed: fn(&str) -> bool,
) -> Result<Option<(f64, f64)>, ImportError> {
    let object = match json::at(TOOL, root, name) {
        Ok(Value::Object(object)) => object,
        Ok(Value::Null) | Err(_) => return Ok(None),
        Ok(other) => {
            return Err(ImportError::field(
                TOOL,
                name,
                ImportProblem::WrongType {
                    expected: "an object",
                    found: json::kind(other),
                },
            ))
        }
    };
    let mut total = 0.0;
    let mut failed = 0.0;
    for (key, value) in object {
        if key == DEADLINE {
            continue;
        }
        let path = format!("{name}.{key}");
        let n = json::as_number(TOOL, value, &path)?.value;
        if !n.is_finite() {
            return Err(ImportError::field(TOOL, path, ImportProblem::NotFinite));
        }
        if n < 0.0 {
            return Err(ImportError::field(
                TOOL,
                path,
                ImportProblem::Negative { value: n },
            ));
        }
        total += n;
        if counts_as_failed(key) {
            failed += n;
        }
    }
    Ok(Some((total, failed)))
}
