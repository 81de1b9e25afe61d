//! Reader for autocannon's JSON result (`autocannon --json`, or the object
//! its API resolves with).
//!
//! The shape is built by autocannon's `lib/aggregateResult.js`: `latency`,
//! `requests` and `throughput` are HDR histogram summaries with `average`,
//! `mean`, `stddev`, `min`, `max`, `total` and percentiles named `p50`,
//! `p99`, `p99_9` (underscore for the decimal point). Latencies are in
//! milliseconds, and whole milliseconds at that: a fast endpoint can show
//! `p50: 0`.
//!
//! Used: `requests.average` (required: the mean of the per-second samples),
//! `requests.total` (answered requests), `latency.mean`, `latency.p50`, the
//! tail (`latency.p99`), `errors` (socket errors and timeouts, requests that
//! never got an answer), `non2xx`, `duration` (s), `connections`, `url`,
//! and `title` as the label. Requests finished = `requests.total + errors`;
//! failed = `errors + non2xx`.

use serde_json::Value;

use super::json;
use super::validate::{self, RawResult, Reading};
use super::{ImportError, LoadTool};

const TOOL: LoadTool = LoadTool::Autocannon;

/// Reads an autocannon result into its `--title` (if any) and an unchecked
/// result.
pub(crate) fn parse(root: &Value) -> Result<(Option<String>, RawResult), ImportError> {
    let rps = json::number(TOOL, root, "requests.average")?;
    let mut raw = RawResult::new(TOOL, rps);

    let latency = json::object(TOOL, root, "latency")?;
    raw.latency_mean_ms = match json::number_in(TOOL, latency, "mean", "latency.mean")? {
        Some(mean) => Some(mean),
        None => json::number_in(TOOL, latency, "average", "latency.average")?,
    };
    raw.latency_p50_ms = json::number_in(TOOL, latency, "p50", "latency.p50")?;
    raw.latency_tail_ms = json::tail_percentile(TOOL, latency, "latency.")?;

    let answered = json::optional_number(TOOL, root, "requests.total")?;
    let socket_errors = json::optional_number(TOOL, root, "errors")?;
    let non2xx = json::optional_number(TOOL, root, "non2xx")?;
    // Check each part on its own first, so that a bad count is reported
    // under its own name rather than as part of a sum.
    for part in [&answered, &socket_errors, &non2xx].into_iter().flatten() {
        validate::non_negative(TOOL, part)?;
    }
    raw.requests_total = match (&answered, &socket_errors) {
        (Some(answered), Some(errors)) => Some(Reading::new(
            answered.value + errors.value,
            "requests.total + errors",
        )),
        (Some(answered), None) => Some(answered.clone()),
        (None, _) => None,
    };
    raw.errors = match (&socket_errors, &non2xx) {
        (Some(errors), Some(non2xx)) => {
            Some(Reading::new(errors.value + non2xx.value, "errors + non2xx"))
        }
        (Some(one), None) | (None, Some(one)) => Some(one.clone()),
        (None, None) => None,
    };
    raw.duration_s = json::optional_number(TOOL, root, "duration")?;
    if let (Some(answered), Some(duration)) = (&answered, &raw.duration_s) {
        raw.rate_basis = Some((answered.clone(), duration.clone()));
    }
    raw.connections = json::optional_number(TOOL, root, "connections")?;
    raw.target = json::optional_string(TOOL, root, "url")?;
    let title = json::optional_string(TOOL, root, "title")?
        .map(|t| t.trim().to_owned())
        .filter(|t| !t.is_empty());
    Ok((title, raw))
}
