//! Stackwise's own measurements file: several runs, one machine.
//!
//! `bench-kit/run.sh` writes it after loading the same endpoints of each
//! stack on one machine; `bench-kit/README.md` documents it for people who
//! write it by hand or from their own scripts. Version 1:
//!
//! ```json
//! {
//!   "format": "stackwise-measurements",
//!   "version": 1,
//!   "created": "2026-11-27T18:20:00Z",
//!   "machine": {"cpus": 2, "model": "...", "os": "...", "python": "3.11.7",
//!               "node": "20.20.2", "tool": "wrk 4.1.0",
//!               "frameworks": {"fastapi": "0.165.0", "uvicorn": "0.54.0"}},
//!   "runs": [
//!     {"stack": "fastapi", "endpoint": "json", "workers": 1, "tool": "wrk",
//!      "requests_per_second": 9540.2,
//!      "latency_ms": {"p50": 6.1, "p99": 14.2, "mean": 6.7},
//!      "requests": 19100, "errors": 0, "duration_s": 2.0, "connections": 64}
//!   ]
//! }
//! ```
//!
//! Required: `format`, `version`, `runs` (at least one), and in each run
//! `stack`, `endpoint` and `requests_per_second`. Everything else is
//! optional; unknown keys are ignored, so later minor additions stay
//! readable. A run's numbers go through the same checks as any imported
//! result.

use serde_json::{Map, Value};

use super::json;
use super::validate::{self, RawResult};
use super::{ImportError, ImportProblem, LoadTestResult, LoadTool};

/// The value of the `format` key that marks a measurements file.
pub const FORMAT: &str = "stackwise-measurements";

/// The newest version of the format this code reads.
pub const VERSION: u32 = 1;

/// Stack and endpoint names: 1 to this many characters.
const MAX_NAME_LEN: usize = 40;

const TOOL: LoadTool = LoadTool::Stackwise;

/// A measurements file, validated.
#[derive(Debug, Clone, PartialEq)]
pub struct Measurements {
    /// When the file was written, as the file says (ISO 8601 expected, not
    /// checked).
    pub created: Option<String>,
    /// What the runs ran on.
    pub machine: MachineFacts,
    /// The runs, in file order; never empty.
    pub runs: Vec<MeasuredRun>,
}

/// Facts about the machine that produced a measurements file. All optional:
/// a hand-written file may give none.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct MachineFacts {
    /// Logical CPUs.
    pub cpus: Option<u32>,
    /// CPU model name.
    pub model: Option<String>,
    /// Operating system and kernel.
    pub os: Option<String>,
    /// Python version used for the Python stacks.
    pub python: Option<String>,
    /// Node.js version used for the Node stacks.
    pub node: Option<String>,
    /// Load tool and its version, e.g. "wrk 4.1.0".
    pub tool: Option<String>,
    /// Framework and server package versions, (name, version), sorted by
    /// name.
    pub frameworks: Vec<(String, String)>,
}

/// One run of a measurements file: which stack and endpoint, and the result.
#[derive(Debug, Clone, PartialEq)]
pub struct MeasuredRun {
    /// The stack measured: "fastapi", "express", "fastify" from the bench
    /// kit, or any lower-case name (`[a-z0-9_.-]`, 1-40 characters).
    pub stack: String,
    /// The endpoint class: "json", "io", "cpu", "post" from the bench kit,
    /// or any name of the same form.
    pub endpoint: String,
    /// Server processes (Uvicorn workers, Node cluster workers); >= 1,
    /// 1 when the file does not say.
    pub workers: u32,
    /// The tool that measured this run, as the file names it ("wrk").
    pub measured_with: Option<String>,
    /// The figures; `tool` is [`LoadTool::Stackwise`].
    pub result: LoadTestResult,
}

impl MeasuredRun {
    /// `"fastapi/json"`, or `"fastapi/json (2 workers)"` for more than one
    /// worker.
    pub fn label(&self) -> String {
        if self.workers > 1 {
            format!(
                "{}/{} ({} workers)",
                self.stack, self.endpoint, self.workers
            )
        } else {
            format!("{}/{}", self.stack, self.endpoint)
        }
    }
}

/// Reads a parsed measurements document.
pub(crate) fn from_value(root: &Value) -> Result<Measurements, ImportError> {
    let format = json::optional_string(TOOL, root, "format")?;
    if format.as_deref() != Some(FORMAT) {
        return Err(ImportError::field(
            TOOL,
            "format",
            ImportProblem::Invalid {
                expected: format!("\"{FORMAT}\""),
                found: format.map_or_else(|| "nothing".to_owned(), |f| format!("{f:?}")),
            },
        ));
    }
    // The version is the whole number 1: `0`, `1.0`, `"1"` and `2` all get
    // the same sentence, quoting what the file wrote.
    let version = json::at(TOOL, root, "version")?;
    if version.as_u64() != Some(u64::from(VERSION)) {
        return Err(ImportError::field(
            TOOL,
            "version",
            ImportProblem::UnsupportedVersion {
                found: version.to_string(),
                supported: VERSION,
            },
        ));
    }
    let created = json::optional_string(TOOL, root, "created")?;
    let machine = machine_facts(root)?;

    let runs = match json::at(TOOL, root, "runs")? {
        Value::Array(runs) => runs,
        other => {
            return Err(ImportError::field(
                TOOL,
                "runs",
                ImportProblem::WrongType {
                    expected: "an array",
                    found: json::kind(other),
                },
            ))
        }
    };
    if runs.is_empty() {
        return Err(ImportError::field(
            TOOL,
            "runs",
            ImportProblem::Invalid {
                expected: "at least one run".to_owned(),
                found: "an empty list".to_owned(),
            },
        ));
    }
    let runs = runs
        .iter()
        .enumerate()
        .map(|(i, run)| measured_run(run, &format!("runs[{i}]")))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Measurements {
        created,
        machine,
        runs,
    })
}

fn machine_facts(root: &Value) -> Result<MachineFacts, ImportError> {
    let Some(machine) = root.get("machine").filter(|m| !m.is_null()) else {
        return Ok(MachineFacts::default());
    };
    if !machine.is_object() {
        return Err(ImportError::field(
            TOOL,
            "machine",
            ImportProblem::WrongType {
                expected: "an object",
                found: json::kind(machine),
            },
        ));
    }
    let text = |key: &str| json::optional_string(TOOL, root, &format!("machine.{key}"));
    let cpus = match json::optional_number(TOOL, root, "machine.cpus")? {
        None => None,
        Some(reading) => {
            let n = validate::non_negative(TOOL, &reading)?;
            if n < 1.0 || n.fract() != 0.0 || n > f64::from(u32::MAX) {
                return Err(ImportError::field(
                    TOOL,
                    "machine.cpus",
                    ImportProblem::Invalid {
                        expected: "a whole number of CPUs, at least 1".to_owned(),
                        found: n.to_string(),
                    },
                ));
            }
            // Whole and within 1..=u32::MAX: the cast is exact.
            Some(n as u32)
        }
    };
    let mut frameworks = Vec::new();
    if let Ok(map) = json::object(TOOL, root, "machine.frameworks") {
        for (name, version) in map {
            let version = match version {
                Value::String(v) => v.clone(),
                other => {
                    return Err(ImportError::field(
                        TOOL,
                        format!("machine.frameworks.{name}"),
                        ImportProblem::WrongType {
                            expected: "a string",
                            found: json::kind(other),
                        },
                    ))
                }
            };
            frameworks.push((name.clone(), version));
        }
    }
    Ok(MachineFacts {
        cpus,
        model: text("model")?,
        os: text("os")?,
        python: text("python")?,
        node: text("node")?,
        tool: text("tool")?,
        frameworks,
    })
}

fn measured_run(run: &Value, path: &str) -> Result<MeasuredRun, ImportError> {
    let Some(object) = run.as_object() else {
        return Err(ImportError::field(
            TOOL,
            path,
            ImportProblem::WrongType {
                expected: "an object",
                found: json::kind(run),
            },
        ));
    };
    let stack = name(object, "stack", path)?;
    let endpoint = name(object, "endpoint", path)?;
    let workers = match json::number_in(TOOL, object, "workers", &format!("{path}.workers"))? {
        None => 1,
        Some(reading) => {
            let n = validate::non_negative(TOOL, &reading)?;
            if n < 1.0 || n.fract() != 0.0 || n > 4096.0 {
                return Err(ImportError::field(
                    TOOL,
                    reading.field,
                    ImportProblem::Invalid {
                        expected: "a whole number of workers, 1 to 4096".to_owned(),
                        found: n.to_string(),
                    },
                ));
            }
            // Whole and within 1..=4096: the cast is exact.
            n as u32
        }
    };
    let measured_with = match object.get("tool") {
        None | Some(Value::Null) => None,
        Some(Value::String(tool)) => Some(tool.clone()),
        Some(other) => {
            return Err(ImportError::field(
                TOOL,
                format!("{path}.tool"),
                ImportProblem::WrongType {
                    expected: "a string",
                    found: json::kind(other),
                },
            ))
        }
    };

    let field = |key: &str| format!("{path}.{key}");
    let rps = json::number_in(
        TOOL,
        object,
        "requests_per_second",
        &field("requests_per_second"),
    )?
    .ok_or_else(|| {
        ImportError::field(TOOL, field("requests_per_second"), ImportProblem::Missing)
    })?;
    let mut raw = RawResult::new(TOOL, rps);
    match object.get("latency_ms") {
        None | Some(Value::Null) => {}
        Some(Value::Object(latency)) => {
            let lat = |key: &str| field(&format!("latency_ms.{key}"));
            raw.latency_mean_ms = json::number_in(TOOL, latency, "mean", &lat("mean"))?;
            raw.latency_p50_ms = json::number_in(TOOL, latency, "p50", &lat("p50"))?;
            raw.latency_tail_ms =
                json::number_in(TOOL, latency, "p99", &lat("p99"))?.map(|r| (r, 99.0));
        }
        Some(other) => {
            return Err(ImportError::field(
                TOOL,
                field("latency_ms"),
                ImportProblem::WrongType {
                    expected: "an object",
                    found: json::kind(other),
                },
            ))
        }
    }
    raw.requests_total = json::number_in(TOOL, object, "requests", &field("requests"))?;
    raw.errors = json::number_in(TOOL, object, "errors", &field("errors"))?;
    raw.duration_s = json::number_in(TOOL, object, "duration_s", &field("duration_s"))?;
    raw.connections = json::number_in(TOOL, object, "connections", &field("connections"))?;
    raw.target = match object.get("url") {
        Some(Value::String(url)) => Some(url.clone()),
        _ => None,
    };
    let result = validate::validate(raw)?;
    Ok(MeasuredRun {
        stack,
        endpoint,
        workers,
        measured_with,
        result,
    })
}

/// A required stack or endpoint name: 1-40 characters of `[a-z0-9_.-]`.
fn name(object: &Map<String, Value>, key: &str, path: &str) -> Result<String, ImportError> {
    let field = format!("{path}.{key}");
    let text = match object.get(key) {
        None | Some(Value::Null) => {
            return Err(ImportError::field(TOOL, field, ImportProblem::Missing))
        }
        Some(Value::String(text)) => text,
        Some(other) => {
            return Err(ImportError::field(
                TOOL,
                field,
                ImportProblem::WrongType {
                    expected: "a string",
                    found: json::kind(other),
                },
            ))
        }
    };
    let ok = !text.is_empty()
        && text.chars().count() <= MAX_NAME_LEN
        && text
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || "_.-".contains(c));
    if !ok {
        return Err(ImportError::field(
            TOOL,
            field,
            ImportProblem::Invalid {
                expected: "a lower-case name of 1-40 characters (a-z, 0-9, _ . -)".to_owned(),
                found: format!(
                    "{:?}",
                    text.chars().take(MAX_NAME_LEN + 1).collect::<String>()
                ),
            },
        ));
    }
    Ok(text.clone())
}
