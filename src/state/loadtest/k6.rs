//! Reader for k6's end-of-test summary as JSON.
//!
//! Two shapes exist and both are read. `k6 run --summary-export=file.json`
//! writes the legacy shape: each metric's statistics sit directly in the
//! metric (`metrics.http_req_duration.p(95)`), a Rate metric has `passes`,
//! `fails` and `value`, and there is no `state` (k6's
//! `internal/js/summary-wrapper.js`, `oldJSONSummary`). The `data` object
//! handed to `handleSummary()` and often dumped with `JSON.stringify` nests
//! them under `values` (`metrics.http_req_duration.values.p(95)`) and adds
//! `state.testRunDurationMs`.
//!
//! Used: `http_reqs.rate` (required) and `.count`; `http_req_duration`'s
//! `avg`, `med` and the tail (`p(99)` if the run asked for it with
//! `--summary-trend-stats`, otherwise the highest `p(N)`, by default
//! `p(95)`), all in milliseconds; `http_req_failed.passes` (a Rate metric
//! counts its non-zero samples as passes, so passes are failed requests);
//! `vus_max.max` as the connection count. The duration is
//! `state.testRunDurationMs` when present, else `count / rate`.

use serde_json::{Map, Value};

use super::json;
use super::validate::{RawResult, Reading};
use super::{ImportError, LoadTool};

const TOOL: LoadTool = LoadTool::K6;

/// A metric's statistics (`avg`, `p(95)`, `rate`...), if the metric is
/// there.
type Stats<'a> = Option<&'a Map<String, Value>>;

/// Reads a k6 summary (either shape) into an unchecked result.
pub(crate) fn parse(root: &Value) -> Result<RawResult, ImportError> {
    let metrics = json::object(TOOL, root, "metrics")?;

    let (reqs, reqs_path) = metric(metrics, "http_reqs")?;
    let rate_path = format!("{reqs_path}.rate");
    let rps = match reqs {
        Some(reqs) => json::number_in(TOOL, reqs, "rate", &rate_path)?,
        None => None,
    }
    .ok_or_else(|| ImportError::field(TOOL, rate_path.clone(), super::ImportProblem::Missing))?;
    let mut raw = RawResult::new(TOOL, rps);
    if let Some(reqs) = reqs {
        raw.requests_total = json::number_in(TOOL, reqs, "count", &format!("{reqs_path}.count"))?;
    }

    let (duration, duration_path) = metric(metrics, "http_req_duration")?;
    if let Some(duration) = duration {
        let prefix = format!("{duration_path}.");
        raw.latency_mean_ms = json::number_in(TOOL, duration, "avg", &format!("{prefix}avg"))?;
        raw.latency_p50_ms = match json::number_in(TOOL, duration, "med", &format!("{prefix}med"))?
        {
            Some(med) => Some(med),
            None => json::number_in(TOOL, duration, "p(50)", &format!("{prefix}p(50)"))?,
        };
        raw.latency_tail_ms = json::tail_percentile(TOOL, duration, &prefix)?;
    }

    let (failed, failed_path) = metric(metrics, "http_req_failed")?;
    if let Some(failed) = failed {
        raw.errors = json::number_in(TOOL, failed, "passes", &format!("{failed_path}.passes"))?;
    }

    let (vus_max, vus_path) = metric(metrics, "vus_max")?;
    if let Some(vus_max) = vus_max {
        raw.connections = match json::number_in(TOOL, vus_max, "max", &format!("{vus_path}.max"))? {
            Some(max) => Some(max),
            None => json::number_in(TOOL, vus_max, "value", &format!("{vus_path}.value"))?,
        };
    }

    raw.duration_s = match json::optional_number(TOOL, root, "state.testRunDurationMs")? {
        Some(ms) => {
            let seconds = Reading::new(ms.value / 1000.0, ms.field);
            if let Some(count) = &raw.requests_total {
                raw.rate_basis = Some((count.clone(), seconds.clone()));
            }
            Some(seconds)
        }
        None => derived_duration(&raw),
    };
    Ok(raw)
}

/// The statistics object of metric `name` and its path for messages:
/// `metrics.NAME.values` in the `handleSummary` shape, `metrics.NAME` in the
/// legacy one. `None` if the metric is absent.
fn metric<'a>(
    metrics: &'a Map<String, Value>,
    name: &str,
) -> Result<(Stats<'a>, String), ImportError> {
    let path = format!("metrics.{name}");
    let Some(value) = metrics.get(name) else {
        return Ok((None, path));
    };
    let Some(object) = value.as_object() else {
        return Err(ImportError::field(
            TOOL,
            path,
            super::ImportProblem::WrongType {
                expected: "an object",
                found: json::kind(value),
            },
        ));
    };
    match object.get("values") {
        Some(Value::Object(values)) => Ok((Some(values), format!("{path}.values"))),
        _ => Ok((Some(object), path)),
    }
}

/// `http_reqs.count / http_reqs.rate`, when both are usable: the legacy
/// export drops `state`, so this is the only duration it gives.
fn derived_duration(raw: &RawResult) -> Option<Reading> {
    let count = raw.requests_total.as_ref()?;
    let rate = &raw.requests_per_second;
    let seconds = count.value / rate.value;
    (seconds.is_finite() && seconds > 0.0)
        .then(|| Reading::new(seconds, format!("{} / {}", count.field, rate.field)))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::super::parse as parse_any;
    use super::*;

    /// The `handleSummary()` data shape, as k6 builds it
    /// (`summarizeMetricsToObject` in its `internal/js/summary.go`); written
    /// by hand, trimmed to the metrics read here.
    const HANDLE_SUMMARY: &str = r#"{
        "state": {"isStdOutTTY": false, "isStdErrTTY": false, "testRunDurationMs": 30012.5},
        "metrics": {
            "http_reqs": {"type": "counter", "contains": "default", "values": {"count": 3000, "rate": 99.96}},
            "http_req_failed": {"type": "rate", "contains": "default", "values": {"rate": 0.01, "passes": 30, "fails": 2970}},
            "http_req_duration": {"type": "trend", "contains": "time",
                "values": {"avg": 12.5, "min": 1.1, "med": 10.2, "max": 80.3, "p(90)": 20.4, "p(95)": 25.6},
                "thresholds": {"p(95)<500": {"ok": true}}},
            "vus_max": {"type": "gauge", "contains": "default", "values": {"value": 10, "min": 10, "max": 10}}
        }
    }"#;

    #[test]
    fn reads_the_handle_summary_shape() {
        let runs = parse_any(HANDLE_SUMMARY).unwrap();
        let r = &runs[0].1;
        assert_eq!(r.tool, LoadTool::K6);
        assert_eq!(r.requests_per_second, 99.96);
        assert_eq!(r.latency_mean_ms, Some(12.5));
        assert_eq!(r.latency_p50_ms, Some(10.2));
        assert_eq!(r.latency_p99_ms, Some(25.6));
        assert_eq!(r.latency_p99_percentile, Some(95.0));
        assert_eq!(r.requests_total, Some(3000));
        assert_eq!(r.errors, Some(30));
        assert_eq!(r.duration_s, Some(30.0125));
        assert_eq!(r.connections, Some(10));
    }

    #[test]
    fn a_missing_rate_names_the_nested_path() {
        let text = HANDLE_SUMMARY.replace("\"rate\": 99.96", "\"ratio\": 99.96");
        let err = parse_any(&text).unwrap_err();
        assert_eq!(
            err.to_string(),
            "k6 summary: field `metrics.http_reqs.values.rate` is missing"
        );
    }
}
