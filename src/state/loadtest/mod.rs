//! Imported load-test results: the user's own throughput and latency figures.
//!
//! This module owns reading the files that real load tools write and turning
//! them into one validated [`LoadTestResult`]: k6's end-of-test summary
//! (`k6 run --summary-export`, and the `handleSummary` data object),
//! autocannon's `--json` output, wrk's text report (`--latency` adds the
//! percentiles), oha's JSON output (`--output-format json`, or `-j`), and
//! Stackwise's own measurements file written by `bench-kit/run.sh`
//! ([`measurements`]). [`parse`] tells the format from the content, never
//! from a file name. Runs at several loads also come as a CSV of
//! `load,throughput` rows ([`usl_csv`]), for a fit of the Universal
//! Scalability Law: [`looks_like_csv`] tells it from the tools' files.
//!
//! Each format has its own lenient reader that only finds numbers and names
//! where they came from; one conversion (`validate`) then refuses what no
//! real run can produce (NaN, negative values, zero throughput, p99 below
//! p50, more errors than requests) with an [`ImportError`] that names the
//! tool and the field. Plain Rust, no web crates; nothing here panics on any
//! input. What the figures then mean for the model is not decided here.

mod autocannon;
mod error;
mod json;
mod k6;
pub mod measurements;
mod oha;
pub mod usl_csv;
mod validate;
mod wrk;

pub use error::{ImportError, ImportProblem};
pub use measurements::{MachineFacts, MeasuredRun, Measurements};
pub use usl_csv::{looks_like_csv, parse_usl_csv, CsvError, CsvProblem, UslCsv, UslPoint};

/// Files larger than this (16 MiB) are refused before parsing: every format
/// read here is a summary of a few kilobytes.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The tool (or file format) a result came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LoadTool {
    /// Grafana k6, from `--summary-export` or a `handleSummary` JSON dump.
    K6,
    /// autocannon (Node.js), from `autocannon --json`.
    Autocannon,
    /// wrk, from its text report (with `--latency` for percentiles).
    Wrk,
    /// oha (Rust), from `oha --output-format json` / `oha -j`.
    Oha,
    /// A Stackwise measurements file, as written by `bench-kit/run.sh`.
    Stackwise,
}

impl LoadTool {
    /// The tool's name as its users write it: "k6", "autocannon", "wrk",
    /// "oha", "Stackwise".
    pub fn label(&self) -> &'static str {
        match self {
            LoadTool::K6 => "k6",
            LoadTool::Autocannon => "autocannon",
            LoadTool::Wrk => "wrk",
            LoadTool::Oha => "oha",
            LoadTool::Stackwise => "Stackwise",
        }
    }

    /// The kind of file, as error messages name it: "k6 summary",
    /// "autocannon JSON", "wrk report", "oha JSON", "Stackwise measurements".
    pub fn source_name(&self) -> &'static str {
        match self {
            LoadTool::K6 => "k6 summary",
            LoadTool::Autocannon => "autocannon JSON",
            LoadTool::Wrk => "wrk report",
            LoadTool::Oha => "oha JSON",
            LoadTool::Stackwise => "Stackwise measurements",
        }
    }
}

/// One load-test run, validated: every number is finite and within what a
/// real run can produce.
///
/// Latencies are in milliseconds, durations in seconds, whatever unit the
/// tool wrote (oha writes seconds, wrk picks us/ms/s per value).
#[derive(Debug, Clone, PartialEq)]
pub struct LoadTestResult {
    /// Which tool (or file format) this came from.
    pub tool: LoadTool,
    /// Mean throughput over the run, requests per second; always > 0.
    pub requests_per_second: f64,
    /// Mean latency, ms; `None` if the file does not give it.
    pub latency_mean_ms: Option<f64>,
    /// Median latency, ms; `None` if the file does not give it.
    pub latency_p50_ms: Option<f64>,
    /// Tail latency, ms: the 99th percentile when the tool reports it,
    /// otherwise the highest percentile it does report (k6's default summary
    /// stops at p(95)); [`Self::latency_p99_percentile`] says which. Never
    /// below `latency_p50_ms`.
    pub latency_p99_ms: Option<f64>,
    /// The percentile `latency_p99_ms` holds: `99.0` unless the tool did not
    /// report p99 (then e.g. `95.0`). `None` exactly when `latency_p99_ms` is.
    pub latency_p99_percentile: Option<f64>,
    /// Requests the run finished, answered or failed; `None` if not given.
    pub requests_total: Option<u64>,
    /// Failed requests: transport errors and timeouts plus HTTP 4xx/5xx
    /// answers (as the tool counts them); never more than `requests_total`.
    pub errors: Option<u64>,
    /// Length of the measured run, seconds; > 0 when given.
    pub duration_s: Option<f64>,
    /// Concurrent connections (k6: the most VUs); >= 1 when given.
    pub connections: Option<u32>,
    /// The URL that was tested, when the tool writes it (wrk, autocannon).
    pub target: Option<String>,
}

impl LoadTestResult {
    /// Share of requests that failed, 0..=1; `None` unless both counts are
    /// known.
    pub fn error_rate(&self) -> Option<f64> {
        match (self.errors, self.requests_total) {
            (Some(errors), Some(total)) if total > 0 => Some(errors as f64 / total as f64),
            _ => None,
        }
    }

    /// True when `latency_p99_ms` is a real 99th percentile rather than the
    /// highest percentile the tool happened to report.
    pub fn has_exact_p99(&self) -> bool {
        self.latency_p99_percentile == Some(99.0)
    }
}

/// Reads a load-test result file, telling its format from the content.
///
/// Returns one `(label, result)` for a k6, autocannon, wrk or oha file, and
/// one per run for a Stackwise measurements file. The label names the stack
/// and endpoint when the file says so: `"fastapi/json"` (with `" (N
/// workers)"` appended when N > 1) for measurement runs, autocannon's
/// `--title`; otherwise `None`.
///
/// Errors: an empty, truncated, malformed or unrecognised file, a missing
/// required field, or any impossible number, each naming tool and field.
pub fn parse(text: &str) -> Result<Vec<(Option<String>, LoadTestResult)>, ImportError> {
    match read(text)? {
        Input::Json(tool, value) => match tool {
            LoadTool::Stackwise => Ok(measurements::from_value(&value)?
                .runs
                .into_iter()
                .map(|run| (Some(run.label()), run.result))
                .collect()),
            LoadTool::K6 => one(None, k6::parse(&value)?),
            LoadTool::Autocannon => {
                let (label, raw) = autocannon::parse(&value)?;
                one(label, raw)
            }
            LoadTool::Oha => one(None, oha::parse(&value)?),
            LoadTool::Wrk => Err(ImportError::file(None, ImportProblem::NotRecognised)),
        },
        Input::Text => one(None, wrk::parse(text)?),
    }
}

/// Reads a Stackwise measurements file (the format `bench-kit/run.sh`
/// writes), keeping the machine facts and each run's stack, endpoint and
/// workers. Any other format is refused as not a measurements file.
pub fn parse_measurements(text: &str) -> Result<Measurements, ImportError> {
    match read(text)? {
        Input::Json(LoadTool::Stackwise, value) => measurements::from_value(&value),
        _ => Err(ImportError::file(
            Some(LoadTool::Stackwise),
            ImportProblem::Invalid {
                expected: "a Stackwise measurements file (\"format\": \"stackwise-measurements\")"
                    .to_owned(),
                found: detect(text)
                    .map_or("something else", |t| t.source_name())
                    .to_owned(),
            },
        )),
    }
}

/// Which tool wrote `text`, judged from its content alone; `None` if it
/// looks like none of them. A truncated JSON file is still recognised when
/// its first keys are there.
pub fn detect(text: &str) -> Option<LoadTool> {
    let text = strip_bom(text);
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(value) => detect_json(&value),
            Err(_) => sniff_json(trimmed),
        }
    } else {
        match text_kind(text) {
            TextKind::Wrk => Some(LoadTool::Wrk),
            TextKind::OtherReport(tool, _) => Some(tool),
            TextKind::Unknown => None,
        }
    }
}

/// The file, once its format is known.
enum Input {
    /// A JSON file of the given tool, parsed.
    Json(LoadTool, serde_json::Value),
    /// A text file that looks like a wrk report.
    Text,
}

/// Refuses empty, oversized, malformed and unrecognised input; finds the
/// tool.
fn read(text: &str) -> Result<Input, ImportError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(ImportError::file(
            None,
            ImportProblem::TooLarge { bytes: text.len() },
        ));
    }
    let text = strip_bom(text);
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err(ImportError::file(None, ImportProblem::Empty));
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        let value = match serde_json::from_str::<serde_json::Value>(trimmed) {
            Ok(value) => value,
            Err(err) => {
                let tool = sniff_json(trimmed);
                let problem = if err.is_eof() {
                    ImportProblem::Truncated { line: err.line() }
                } else {
                    ImportProblem::InvalidJson {
                        detail: err.to_string(),
                    }
                };
                return Err(ImportError::file(tool, problem));
            }
        };
        match detect_json(&value) {
            Some(tool) => Ok(Input::Json(tool, value)),
            None => Err(ImportError::file(None, ImportProblem::NotRecognised)),
        }
    } else {
        match text_kind(text) {
            TextKind::Wrk => Ok(Input::Text),
            TextKind::OtherReport(tool, json_option) => Err(ImportError::file(
                Some(tool),
                ImportProblem::TextReport { json_option },
            )),
            TextKind::Unknown => Err(ImportError::file(None, ImportProblem::NotRecognised)),
        }
    }
}

/// What a text (non-JSON) file is.
enum TextKind {
    /// wrk's report, the one text format read.
    Wrk,
    /// Another tool's human-readable report, and the option that makes the
    /// tool write JSON instead.
    OtherReport(LoadTool, &'static str),
    /// Nothing known.
    Unknown,
}

/// Tells wrk's report from the text reports of autocannon and oha, which
/// share some of its lines ("Running 10s test @", "Requests/sec:").
fn text_kind(text: &str) -> TextKind {
    if text.contains("\u{2502} Stat") || text.contains("Req/Bytes counts sampled") {
        TextKind::OtherReport(LoadTool::Autocannon, "--json")
    } else if text.contains("Success rate:") && text.contains("Response time histogram:") {
        TextKind::OtherReport(LoadTool::Oha, "--output-format json")
    } else if wrk::looks_like_wrk(text) {
        TextKind::Wrk
    } else {
        TextKind::Unknown
    }
}

/// Tells the tool from the top-level keys of a parsed JSON document.
fn detect_json(value: &serde_json::Value) -> Option<LoadTool> {
    let object = value.as_object()?;
    if object.get("format").and_then(|f| f.as_str()) == Some(measurements::FORMAT) {
        return Some(LoadTool::Stackwise);
    }
    if object
        .get("summary")
        .and_then(|s| s.as_object())
        .is_some_and(|s| s.contains_key("requestsPerSec"))
        || object.contains_key("latencyPercentiles")
    {
        return Some(LoadTool::Oha);
    }
    if let Some(metrics) = object.get("metrics").and_then(|m| m.as_object()) {
        if metrics.contains_key("http_reqs") || metrics.contains_key("http_req_duration") {
            return Some(LoadTool::K6);
        }
    }
    let is_object = |key: &str| object.get(key).is_some_and(|v| v.is_object());
    // `latency` is required, but a file without it is still autocannon's
    // (its `sampleInt` and `throughput` say so) and is told what is missing.
    if is_object("requests")
        && (is_object("latency") || is_object("throughput") || object.contains_key("sampleInt"))
    {
        return Some(LoadTool::Autocannon);
    }
    None
}

/// Guesses the tool of JSON that does not parse (truncated or damaged) from
/// the keys that each tool always writes.
fn sniff_json(text: &str) -> Option<LoadTool> {
    if text.contains("\"stackwise-measurements\"") {
        Some(LoadTool::Stackwise)
    } else if text.contains("\"requestsPerSec\"") || text.contains("\"latencyPercentiles\"") {
        Some(LoadTool::Oha)
    } else if [
        "\"http_req",
        "\"root_group\"",
        "\"vus_max\"",
        "\"iteration_duration\"",
    ]
    .iter()
    .any(|key| text.contains(key))
    {
        Some(LoadTool::K6)
    } else if text.contains("\"sampleInt\"")
        || (text.contains("\"requests\"") && text.contains("\"latency\""))
    {
        Some(LoadTool::Autocannon)
    } else {
        None
    }
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

fn one(
    label: Option<String>,
    raw: validate::RawResult,
) -> Result<Vec<(Option<String>, LoadTestResult)>, ImportError> {
    Ok(vec![(label, validate::validate(raw)?)])
}
