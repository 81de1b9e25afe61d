//! Why an imported load-test file was refused.
//!
//! One error type for every format: it names the tool (when the content
//! showed which one it is), the field in the tool's own words (a JSON path
//! such as `requests.average`, or a wrk label such as `Requests/sec`) and the
//! problem, so the page can show the user exactly what to fix.

use std::fmt;

use super::LoadTool;
use crate::model::echo;

/// A number as a message shows it: as read for everyday sizes, in
/// scientific notation when huge or tiny (`1e300`, not 301 digits).
struct Num(f64);

impl fmt::Display for Num {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let v = self.0;
        if v.is_finite() && v != 0.0 && !(1e-6..1e15).contains(&v.abs()) {
            write!(f, "{v:e}")
        } else {
            write!(f, "{v}")
        }
    }
}

/// A load-test file that could not be imported.
///
/// `Display` gives one sentence for the user, for example
/// `autocannon JSON: field `requests.average` is missing` or
/// `wrk report: Requests/sec is negative (-3)`.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportError {
    /// The tool the content looked like, if it could be told.
    pub tool: Option<LoadTool>,
    /// The field at fault, in the tool's own naming (a JSON path, or a wrk
    /// report label); `None` when the problem is the file as a whole.
    pub field: Option<String>,
    /// What is wrong.
    pub problem: ImportProblem,
}

/// What is wrong with an imported file or one of its fields.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportProblem {
    /// The file is empty or only whitespace.
    Empty,
    /// The file is larger than [`super::MAX_INPUT_BYTES`]: not a summary.
    TooLarge {
        /// Size of the file in bytes.
        bytes: usize,
    },
    /// The content matches none of the supported formats.
    NotRecognised,
    /// The file is the tool's human-readable report, which is not read;
    /// the tool can write the machine-readable one instead.
    TextReport {
        /// The option that makes the tool write JSON, e.g. "--json".
        json_option: &'static str,
    },
    /// The JSON stops before it is complete: a truncated or partly copied
    /// file.
    Truncated {
        /// 1-based line where the text ends.
        line: usize,
    },
    /// The JSON is not well formed; the message is the parser's.
    InvalidJson {
        /// The JSON parser's description, with line and column.
        detail: String,
    },
    /// A required field is absent.
    Missing,
    /// A field has the wrong kind of value.
    WrongType {
        /// What the field should hold, e.g. "a number".
        expected: &'static str,
        /// What it holds instead, e.g. "a string".
        found: &'static str,
    },
    /// A text value that should be a number (with an optional unit) is not.
    Unparsable {
        /// The text as found in the file.
        text: String,
    },
    /// The number is NaN or infinite.
    NotFinite,
    /// The number is below zero.
    Negative {
        /// The value found.
        value: f64,
    },
    /// The number is zero where that is impossible (throughput, duration,
    /// connections, request count).
    Zero,
    /// A count is not a whole number.
    NotWhole {
        /// The value found.
        value: f64,
    },
    /// A count is beyond what any real run produces (more than 2^53).
    TooBig {
        /// The value found.
        value: f64,
    },
    /// A value is below another one it can never be below (p99 < p50).
    Below {
        /// The value found.
        value: f64,
        /// The field it is compared with.
        other_field: String,
        /// That field's value.
        other_value: f64,
    },
    /// A value is above another one it can never exceed (errors > requests).
    Above {
        /// The value found.
        value: f64,
        /// The field it is compared with.
        other_field: String,
        /// That field's value.
        other_value: f64,
    },
    /// A number no real run produces: a throughput below 0.001 or above 100
    /// million req/s, a latency above an hour.
    Implausible {
        /// The value found (req/s or ms).
        value: f64,
        /// What a real run gives, in words.
        allowed: &'static str,
    },
    /// The reported rate disagrees with the tool's own request count over
    /// its run length by more than 5%: a number cut off or edited.
    RateMismatch {
        /// The rate found, req/s.
        value: f64,
        /// Field of the request count.
        count_field: String,
        /// The request count.
        count: f64,
        /// Field of the run length.
        duration_field: String,
        /// The run length, s.
        duration_s: f64,
    },
    /// A field holds a value outside the allowed set or form.
    Invalid {
        /// What was expected, in words.
        expected: String,
        /// What was found, as text.
        found: String,
    },
    /// The file is of a format version this Stackwise cannot read.
    UnsupportedVersion {
        /// The version in the file.
        found: String,
        /// The newest version this code reads.
        supported: u32,
    },
}

impl ImportError {
    /// An error about the file as a whole.
    pub fn file(tool: Option<LoadTool>, problem: ImportProblem) -> Self {
        Self {
            tool,
            field: None,
            problem,
        }
    }

    /// An error about one field of a file from `tool`.
    pub fn field(tool: LoadTool, field: impl Into<String>, problem: ImportProblem) -> Self {
        Self {
            tool: Some(tool),
            field: Some(field.into()),
            problem,
        }
    }

    /// Writes a field name the way the tool's own output names it: JSON
    /// paths in backticks after the word "field", wrk labels as they are.
    fn write_field(&self, f: &mut fmt::Formatter<'_>, name: &str) -> fmt::Result {
        if self.tool == Some(LoadTool::Wrk) {
            write!(f, "{name}")
        } else {
            write!(f, "`{name}`")
        }
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(tool) = self.tool {
            write!(f, "{}: ", tool.source_name())?;
        }
        if let Some(field) = &self.field {
            if self.tool != Some(LoadTool::Wrk) {
                write!(f, "field ")?;
            }
            self.write_field(f, field)?;
            write!(f, " ")?;
        }
        match &self.problem {
            ImportProblem::Empty => write!(f, "the file is empty"),
            ImportProblem::TooLarge { bytes } => write!(
                f,
                "the file is too large ({bytes} bytes; a result summary is at most {} bytes)",
                super::MAX_INPUT_BYTES
            ),
            ImportProblem::NotRecognised => write!(
                f,
                "not a recognised load-test result (expected k6, autocannon, wrk or oha output, \
                 a Stackwise measurements file, or a CSV of load,throughput rows)"
            ),
            ImportProblem::TextReport { json_option } => write!(
                f,
                "this is the tool's text report; run it again with `{json_option}` and import that file"
            ),
            ImportProblem::Truncated { line } => write!(
                f,
                "the JSON ends early, at line {line} (is the file truncated?)"
            ),
            ImportProblem::InvalidJson { detail } => write!(f, "not valid JSON: {}", echo(detail)),
            ImportProblem::Missing => write!(f, "is missing"),
            ImportProblem::WrongType { expected, found } => {
                write!(f, "should be {expected} but is {found}")
            }
            ImportProblem::Unparsable { text } => write!(f, "is not a number: {text:?}"),
            ImportProblem::NotFinite => write!(f, "is not a finite number"),
            ImportProblem::Negative { value } => write!(f, "is negative ({})", Num(*value)),
            ImportProblem::Zero => write!(f, "is zero"),
            ImportProblem::NotWhole { value } => write!(f, "is not a whole number ({})", Num(*value)),
            ImportProblem::TooBig { value } => write!(f, "is implausibly large ({})", Num(*value)),
            ImportProblem::Below {
                value,
                other_field,
                other_value,
            } => {
                write!(f, "({}) is below ", Num(*value))?;
                self.write_field(f, other_field)?;
                write!(f, " ({})", Num(*other_value))
            }
            ImportProblem::Above {
                value,
                other_field,
                other_value,
            } => {
                write!(f, "({}) is more than ", Num(*value))?;
                self.write_field(f, other_field)?;
                write!(f, " ({other_value})")
            }
            ImportProblem::Implausible { value, allowed } => {
                write!(f, "is implausible ({}); a real run gives {allowed}", Num(*value))
            }
            ImportProblem::RateMismatch {
                value,
                count_field,
                count,
                duration_field,
                duration_s,
            } => {
                write!(f, "({}) does not match ", Num(*value))?;
                self.write_field(f, count_field)?;
                write!(f, " / ")?;
                self.write_field(f, duration_field)?;
                write!(
                    f,
                    " ({} / {} s = {:.2} req/s) within 5%; is the file cut off or edited?",
                    Num(*count),
                    Num(*duration_s),
                    count / duration_s
                )
            }
            ImportProblem::Invalid { expected, found } => {
                write!(f, "should be {expected}, found {}", echo(found))
            }
            ImportProblem::UnsupportedVersion { found, supported } => write!(
                f,
                "is {}; this Stackwise reads version {supported}, written as the whole number {supported}",
                echo(found)
            ),
        }
    }
}

impl std::error::Error for ImportError {}
