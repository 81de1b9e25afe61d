//! The scenario: every input a team dials in, with its unit, range, default
//! and a one-line explanation. This file is the catalogue of inputs: adding
//! one touches it and the formula that reads the new value, nothing else.
//!
//! Numeric inputs are described once, in [`NumField::spec`]; choices (a
//! value from a list, or a switch) in [`ChoiceField::spec`], which also
//! says where the scenario keeps the value. The page, the link codec, the
//! exports, the comparison of saved scenarios and the tests iterate these
//! catalogues, so an input's key, label, help and options are never typed
//! twice. Values from outside (a typed number, a link, a file) go through
//! [`Scenario::set`] and [`Scenario::set_choice`], which refuse what they
//! cannot use and clamp nothing silently: an out-of-range number is an
//! [`InputError`] naming the field, the value and the allowed range, an
//! unknown option a [`ChoiceError`] naming the field, the value and the
//! options. [`Scenario::set_clamped`] is the lenient path for old links.

use serde::Serialize;
use std::fmt;

use super::format::quoted;
use super::stack::Stack;

/// Declares a field-less enum with `ALL`, every variant in the order
/// written, and `COUNT`, their number: a variant added to the enum is in
/// both, so no list of the variants is written by hand.
macro_rules! listed {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $($(#[$variant_meta:meta])* $variant:ident,)+
        }
    ) => {
        $(#[$meta])*
        $vis enum $name {
            $($(#[$variant_meta])* $variant,)+
        }

        impl $name {
            /// Every variant, in the order declared (the page's order).
            pub const ALL: [$name; [$($name::$variant),+].len()] = [$($name::$variant),+];
            /// How many variants there are.
            pub const COUNT: usize = $name::ALL.len();
        }
    };
}

/// Which panel of the page a field belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FieldGroup {
    /// Who builds and runs the service.
    Team,
    /// What the requests do.
    Workload,
    /// The model, when requests run inference.
    Ml,
    /// How much traffic and how fast.
    Traffic,
    /// Instance shape and prices.
    Infrastructure,
    /// Integrations and the horizon of the comparison.
    Costs,
}

impl FieldGroup {
    /// Every group, in page order.
    pub const ALL: [FieldGroup; 6] = [
        FieldGroup::Team,
        FieldGroup::Workload,
        FieldGroup::Ml,
        FieldGroup::Traffic,
        FieldGroup::Infrastructure,
        FieldGroup::Costs,
    ];

    /// Heading shown on the page.
    pub fn label(self) -> &'static str {
        match self {
            FieldGroup::Team => "Team",
            FieldGroup::Workload => "Workload",
            FieldGroup::Ml => "ML inference",
            FieldGroup::Traffic => "Traffic",
            FieldGroup::Infrastructure => "Infrastructure",
            FieldGroup::Costs => "Costs",
        }
    }
}

/// Everything the page needs to render and check one numeric input.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct FieldSpec {
    /// Stable key for URLs and files. Never change a published key.
    pub key: &'static str,
    /// Visible label, in the user's words.
    pub label: &'static str,
    /// Unit shown after the value ("%", "ms", "req/s"). `"$"` means the
    /// scenario's currency.
    pub unit: &'static str,
    /// One-line explanation shown under the field.
    pub help: &'static str,
    /// Smallest accepted value.
    pub min: f64,
    /// Largest accepted value.
    pub max: f64,
    /// Value of a new scenario.
    pub default: f64,
    /// Step of the slider and number field.
    pub step: f64,
    /// Whether the slider should move on a log scale (ranges over decades).
    pub log_scale: bool,
    /// Panel it belongs to.
    pub group: FieldGroup,
}

impl FieldSpec {
    /// Whether values spread over the range on a log scale: the field asks
    /// for it and its range is positive and finite.
    pub fn uses_log_scale(&self) -> bool {
        self.log_scale
            && self.min > 0.0
            && self.max > self.min
            && self.min.is_finite()
            && self.max.is_finite()
    }

    /// Decimals a value of the field is shown with in its text field: as
    /// many as multiples of its step and its minimum need (`0.01` -> 2,
    /// `0.5` -> 1, whole numbers -> 0), at most 6; a minimum of 0 or below
    /// allows 2 (a rebalanced share reads `33.33`).
    pub fn decimals(&self) -> usize {
        const MOST: usize = 6;
        const FROM_ZERO: usize = 2;
        let needed = |x: f64| {
            if !x.is_finite() || x <= 0.0 {
                return FROM_ZERO;
            }
            (0..=MOST)
                .find(|&d| {
                    let scaled = x * 10f64.powi(d as i32);
                    (scaled - scaled.round()).abs() < 1e-9
                })
                .unwrap_or(MOST)
        };
        needed(self.step).max(needed(self.min))
    }

    /// The value a share `t` (0 to 1) of the way across the range, on a log
    /// scale where the field uses one (the slider's mapping; also how tests
    /// and benchmarks spread scenarios over every range). Always within
    /// the range; `t` outside 0 to 1 is clamped.
    pub fn at(&self, t: f64) -> f64 {
        let t = if t.is_nan() { 0.0 } else { t.clamp(0.0, 1.0) };
        let v = if self.uses_log_scale() {
            self.min * (self.max / self.min).powf(t)
        } else {
            self.min + (self.max - self.min) * t
        };
        v.clamp(self.min, self.max)
    }
}

/// The unit string that means "the scenario's currency".
pub const CURRENCY_UNIT: &str = "$";

listed! {
    /// A numeric input of the scenario.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum NumField {
        /// Developers on the team.
        TeamSize,
        /// Share of the team fluent in Python, percent.
        PythonShare,
        /// Share of the team fluent in JavaScript/TypeScript, percent.
        JsShare,
        /// Loaded cost of one developer for a year, in the scenario's currency.
        DevCostYear,
        /// Length of the project, months.
        TimelineMonths,
        /// JSON/CRUD handlers, percent of requests.
        JsonShare,
        /// I/O-bound handlers, percent of requests.
        IoShare,
        /// CPU-bound handlers, percent of requests.
        CpuShare,
        /// ML inference, percent of requests.
        MlShare,
        /// Time an I/O-bound request waits on a database or API, ms.
        IoWaitMs,
        /// CPU time of a CPU-bound request measured on Node.js, ms.
        CpuMs,
        /// Part of the CPU-bound work done in vectorised native libraries
        /// (NumPy, pandas, Polars) rather than hand-written loops, percent.
        VectorisedShare,
        /// Memory the model takes once loaded, MiB.
        ModelMib,
        /// Time of one inference, ms.
        InferenceMs,
        /// Average traffic, req/s.
        AvgRps,
        /// Peak traffic over average.
        PeakRatio,
        /// Traffic growth per year, percent.
        GrowthPct,
        /// p99 latency target, ms.
        P99TargetMs,
        /// Fewest instances of each service, for availability.
        MinReplicas,
        /// Minutes traffic takes to climb from the average to the peak.
        RampMinutes,
        /// vCPUs of one instance.
        Vcpu,
        /// Memory of one instance, GiB.
        MemGib,
        /// Price of one vCPU for an hour.
        PriceVcpuHour,
        /// Price of one GiB of memory for an hour.
        PriceGibHour,
        /// Price of one GPU instance for an hour.
        GpuPriceHour,
        /// Memory of the GPU that holds the model, GiB.
        GpuMemGib,
        /// Most requests a GPU runs in one batch.
        GpuMaxBatch,
        /// Highest CPU utilisation planned for, percent.
        UtilCeiling,
        /// Third-party SaaS integrations to build.
        Integrations,
        /// Years the comparison covers.
        HorizonYears,
    }
}

impl NumField {
    /// The four workload shares, which always sum to 100%.
    pub const MIX: [NumField; 4] = [
        NumField::JsonShare,
        NumField::IoShare,
        NumField::CpuShare,
        NumField::MlShare,
    ];

    /// The field with this key, or `None`.
    pub fn from_key(key: &str) -> Option<NumField> {
        NumField::ALL.into_iter().find(|f| f.spec().key == key)
    }

    /// Whether only whole numbers make sense (people, replicas, vCPUs).
    pub fn is_integer(self) -> bool {
        matches!(
            self,
            NumField::TeamSize
                | NumField::MinReplicas
                | NumField::Vcpu
                | NumField::Integrations
                | NumField::GpuMaxBatch
                | NumField::TimelineMonths
        )
    }

    /// Label, unit, range, default and help of the field.
    pub fn spec(self) -> &'static FieldSpec {
        use FieldGroup as G;
        match self {
            NumField::TeamSize => &FieldSpec {
                key: "team",
                label: "Team size",
                unit: "developers",
                help: "Developers who build and run the service.",
                min: 1.0,
                max: 500.0,
                default: 6.0,
                step: 1.0,
                log_scale: true,
                group: G::Team,
            },
            NumField::PythonShare => &FieldSpec {
                key: "py",
                label: "Share fluent in Python",
                unit: "%",
                help: "Developers who already write production Python.",
                min: 0.0,
                max: 100.0,
                default: 40.0,
                step: 1.0,
                log_scale: false,
                group: G::Team,
            },
            NumField::JsShare => &FieldSpec {
                key: "js",
                label: "Share fluent in JavaScript/TypeScript",
                unit: "%",
                help: "Developers who already write production JavaScript or TypeScript.",
                min: 0.0,
                max: 100.0,
                default: 70.0,
                step: 1.0,
                log_scale: false,
                group: G::Team,
            },
            NumField::DevCostYear => &FieldSpec {
                key: "devcost",
                label: "Loaded cost per developer-year",
                unit: CURRENCY_UNIT,
                help: "Salary plus overheads for one developer for a year.",
                min: 1_000.0,
                max: 2_000_000.0,
                default: 120_000.0,
                step: 1_000.0,
                log_scale: true,
                group: G::Team,
            },
            NumField::TimelineMonths => &FieldSpec {
                key: "timeline",
                label: "Project timeline",
                unit: "months",
                help: "Length of the project a framework switch would interrupt.",
                min: 1.0,
                max: 120.0,
                default: 12.0,
                step: 1.0,
                log_scale: false,
                group: G::Team,
            },
            NumField::JsonShare => &FieldSpec {
                key: "json",
                label: "JSON / CRUD share",
                unit: "%",
                help: "Requests that validate, read or write JSON with little work.",
                min: 0.0,
                max: 100.0,
                default: 70.0,
                step: 1.0,
                log_scale: false,
                group: G::Workload,
            },
            NumField::IoShare => &FieldSpec {
                key: "io",
                label: "I/O-bound share",
                unit: "%",
                help: "Requests that mostly wait on a database or an external API.",
                min: 0.0,
                max: 100.0,
                default: 25.0,
                step: 1.0,
                log_scale: false,
                group: G::Workload,
            },
            NumField::CpuShare => &FieldSpec {
                key: "cpu",
                label: "CPU-bound share",
                unit: "%",
                help: "Requests that compute: reports, image work, data crunching.",
                min: 0.0,
                max: 100.0,
                default: 5.0,
                step: 1.0,
                log_scale: false,
                group: G::Workload,
            },
            NumField::MlShare => &FieldSpec {
                key: "ml",
                label: "ML inference share",
                unit: "%",
                help: "Requests that run a model.",
                min: 0.0,
                max: 100.0,
                default: 0.0,
                step: 1.0,
                log_scale: false,
                group: G::Workload,
            },
            NumField::IoWaitMs => &FieldSpec {
                key: "iowait",
                label: "I/O wait per I/O-bound request",
                unit: "ms",
                help: "Time spent awaiting the database or API: costs latency, not CPU.",
                min: 0.0,
                max: 10_000.0,
                default: 20.0,
                step: 1.0,
                log_scale: true,
                group: G::Workload,
            },
            NumField::CpuMs => &FieldSpec {
                key: "cpums",
                label: "CPU time per CPU-bound request",
                unit: "ms",
                help: "CPU time of the work itself as measured on Node.js; Python's is derived.",
                min: 0.01,
                max: 5_000.0,
                default: 1.0,
                step: 0.01,
                log_scale: true,
                group: G::Workload,
            },
            NumField::VectorisedShare => &FieldSpec {
                key: "vector",
                label: "Vectorised share of CPU-bound work",
                unit: "%",
                help: "Part of the CPU-bound work done by NumPy, pandas or Polars (native code) rather than hand-written loops.",
                min: 0.0,
                max: 100.0,
                default: 0.0,
                step: 1.0,
                log_scale: false,
                group: G::Workload,
            },
            NumField::ModelMib => &FieldSpec {
                key: "modelmib",
                label: "Model memory footprint",
                unit: "MiB",
                help: "Memory one loaded copy of the model takes.",
                min: 1.0,
                max: 200_000.0,
                default: 256.0,
                step: 1.0,
                log_scale: true,
                group: G::Ml,
            },
            NumField::InferenceMs => &FieldSpec {
                key: "infms",
                label: "Inference time per request",
                unit: "ms",
                help: "Compute time of one inference on the chosen device.",
                min: 0.1,
                max: 60_000.0,
                default: 60.0,
                step: 0.1,
                log_scale: true,
                group: G::Ml,
            },
            NumField::AvgRps => &FieldSpec {
                key: "rps",
                label: "Average requests per second",
                unit: "req/s",
                help: "Traffic averaged over a day.",
                min: 0.1,
                max: 2_000_000.0,
                default: 200.0,
                step: 1.0,
                log_scale: true,
                group: G::Traffic,
            },
            NumField::PeakRatio => &FieldSpec {
                key: "peak",
                label: "Peak-to-average ratio",
                unit: "x",
                help: "Busiest minute's traffic over the average; capacity is sized for the peak.",
                min: 1.0,
                max: 50.0,
                default: 3.0,
                step: 0.1,
                log_scale: false,
                group: G::Traffic,
            },
            NumField::GrowthPct => &FieldSpec {
                key: "growth",
                label: "Traffic growth per year",
                unit: "%",
                help: "How traffic changes each year over the horizon.",
                min: -90.0,
                max: 1_000.0,
                default: 30.0,
                step: 1.0,
                log_scale: false,
                group: G::Traffic,
            },
            NumField::P99TargetMs => &FieldSpec {
                key: "p99",
                label: "p99 latency target",
                unit: "ms",
                help: "99% of requests must answer within this time at peak.",
                min: 1.0,
                max: 120_000.0,
                default: 300.0,
                step: 1.0,
                log_scale: true,
                group: G::Traffic,
            },
            NumField::MinReplicas => &FieldSpec {
                key: "replicas",
                label: "Minimum replicas",
                unit: "instances",
                help: "Fewest instances of each service. On instances and Kubernetes, for availability (at least 1). On serverless containers, instances kept warm: no request waits for a cold start while one is free, and each is billed idle at a lower rate; 0 scales to zero. Functions keep none.",
                min: 0.0,
                max: 100.0,
                default: 2.0,
                step: 1.0,
                log_scale: false,
                group: G::Traffic,
            },
            NumField::RampMinutes => &FieldSpec {
                key: "ramp",
                label: "Peak ramp",
                unit: "min",
                help: "Minutes traffic takes to climb from the average to the peak: where instances autoscale, the faster the climb, the more headroom covers the scale-out lag.",
                min: 0.5,
                max: 1_440.0,
                default: 15.0,
                step: 0.5,
                log_scale: true,
                group: G::Traffic,
            },
            NumField::Vcpu => &FieldSpec {
                key: "vcpu",
                label: "vCPUs per instance",
                unit: "vCPU",
                help: "Hardware threads of one instance; one worker process runs per vCPU.",
                min: 1.0,
                max: 192.0,
                default: 2.0,
                step: 1.0,
                log_scale: true,
                group: G::Infrastructure,
            },
            NumField::MemGib => &FieldSpec {
                key: "memgib",
                label: "Memory per instance",
                unit: "GiB",
                help: "Memory of one instance.",
                min: 0.5,
                max: 2_048.0,
                default: 4.0,
                step: 0.5,
                log_scale: true,
                group: G::Infrastructure,
            },
            NumField::PriceVcpuHour => &FieldSpec {
                key: "pvcpu",
                label: "Price per vCPU-hour",
                unit: CURRENCY_UNIT,
                help: "On-demand price of one vCPU for an hour.",
                min: 0.0,
                max: 10.0,
                default: 0.04048,
                step: 0.0001,
                log_scale: false,
                group: G::Infrastructure,
            },
            NumField::PriceGibHour => &FieldSpec {
                key: "pgib",
                label: "Price per GiB-hour",
                unit: CURRENCY_UNIT,
                help: "On-demand price of one GiB of memory for an hour.",
                min: 0.0,
                max: 5.0,
                default: 0.004445,
                step: 0.0001,
                log_scale: false,
                group: G::Infrastructure,
            },
            NumField::GpuPriceHour => &FieldSpec {
                key: "pgpu",
                label: "GPU instance price per hour",
                unit: CURRENCY_UNIT,
                help: "Price of one single-GPU instance, used when inference runs on GPU.",
                min: 0.0,
                max: 100.0,
                default: 0.526,
                step: 0.001,
                log_scale: false,
                group: G::Infrastructure,
            },
            NumField::GpuMemGib => &FieldSpec {
                key: "gpumem",
                label: "GPU memory",
                unit: "GiB",
                help: "Memory of the GPU that holds the model (16 GiB on a T4).",
                min: 1.0,
                max: 192.0,
                default: 16.0,
                step: 1.0,
                log_scale: false,
                group: G::Infrastructure,
            },
            NumField::GpuMaxBatch => &FieldSpec {
                key: "gpubatch",
                label: "Largest GPU batch",
                unit: "requests",
                help: "Dynamic batching runs up to this many waiting inferences at once on a GPU; 1 turns it off.",
                min: 1.0,
                max: 256.0,
                default: 8.0,
                step: 1.0,
                log_scale: true,
                group: G::Infrastructure,
            },
            NumField::UtilCeiling => &FieldSpec {
                key: "util",
                label: "Target utilisation ceiling",
                unit: "%",
                help: "Highest CPU utilisation planned for; autoscaling commonly aims at 50-70%.",
                min: 10.0,
                max: 95.0,
                default: 65.0,
                step: 1.0,
                log_scale: false,
                group: G::Infrastructure,
            },
            NumField::Integrations => &FieldSpec {
                key: "integrations",
                label: "Third-party SaaS integrations",
                unit: "integrations",
                help: "Payment, messaging, email and similar APIs the service must call.",
                min: 0.0,
                max: 200.0,
                default: 5.0,
                step: 1.0,
                log_scale: false,
                group: G::Costs,
            },
            NumField::HorizonYears => &FieldSpec {
                key: "horizon",
                label: "Horizon",
                unit: "years",
                help: "Years the total cost of ownership covers.",
                min: 1.0,
                max: 10.0,
                default: 3.0,
                step: 1.0,
                log_scale: false,
                group: G::Costs,
            },
        }
    }
}

/// Workload shares that add up to less than this (percent) carry no mix:
/// dividing by their sum would give infinities.
pub const MIX_EPSILON: f64 = 1e-9;

/// Bad values are echoed in messages up to this many characters.
pub const ECHO_CHARS: usize = 80;

/// `text` as a message quotes it: at most [`ECHO_CHARS`] characters, with
/// an ellipsis and the full length when cut.
pub fn echo(text: &str) -> String {
    let mut chars = text.char_indices();
    match chars.nth(ECHO_CHARS) {
        None => text.to_string(),
        Some((cut, _)) => format!("{}… ({} characters)", &text[..cut], text.chars().count()),
    }
}

/// Which separator [`read_number`] found.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Separator {
    /// None, or only a decimal point.
    Plain,
    /// Commas between groups of three digits: `1,200`, `1,200.5`.
    ThousandsComma,
    /// A comma as the decimal separator: `0,5`, `1.234,5`, `1 234,56`.
    DecimalComma,
}

/// Reads a number as people type it. `_` and spaces between digits are
/// ignored. A comma is a thousands separator when it sits between groups of
/// three digits (`1,200`, `12,345,678.9`), and a decimal comma when it is the
/// only comma and one or two digits follow it (`0,5`, `12,75`), or when
/// points group the thousands before it (`1.234,56`). Anything else with a
/// comma (`1,2,3`, `1,2345`) is not a number. Returns `None` for text that
/// is not a number; `NaN` and infinity spellings come back as such, for
/// the caller to refuse.
pub fn read_number(text: &str) -> Option<(f64, Separator)> {
    let cleaned: String = text
        .trim()
        .chars()
        .filter(|c| !matches!(c, '_' | ' ' | '\u{a0}' | '\u{202f}'))
        .collect();
    if !cleaned.contains(',') {
        return cleaned.parse().ok().map(|v| (v, Separator::Plain));
    }
    let (sign, body) = match cleaned.strip_prefix(['-', '+']) {
        Some(rest) => (&cleaned[..1], rest),
        None => ("", cleaned.as_str()),
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    let groups_of_three = |s: &str, sep: char| {
        let mut parts = s.split(sep);
        let first = parts.next().unwrap_or("");
        digits(first) && first.len() <= 3 && parts.all(|p| p.len() == 3 && digits(p))
    };
    let commas = body.matches(',').count();
    let (int, frac) = body.rsplit_once(',')?;
    if commas == 1 && (1..=2).contains(&frac.len()) && digits(frac) {
        // A decimal comma; points before it can only group thousands.
        let whole_ok = if int.contains('.') {
            groups_of_three(int, '.')
        } else {
            digits(int)
        };
        if !whole_ok {
            return None;
        }
        let plain = format!("{sign}{}.{frac}", int.replace('.', ""));
        return plain.parse().ok().map(|v| (v, Separator::DecimalComma));
    }
    let (whole, decimals) = match body.split_once('.') {
        Some((w, d)) if digits(d) => (w, Some(d)),
        Some(_) => return None,
        None => (body, None),
    };
    if !groups_of_three(whole, ',') {
        return None;
    }
    let plain = match decimals {
        Some(d) => format!("{sign}{}.{d}", whole.replace(',', "")),
        None => format!("{sign}{}", whole.replace(',', "")),
    };
    plain.parse().ok().map(|v| (v, Separator::ThousandsComma))
}

/// What was wrong with a value given for a field.
#[derive(Clone, Debug, PartialEq)]
pub enum InputProblem {
    /// The text is not a number.
    NotANumber(String),
    /// The number is NaN or infinite.
    NotFinite,
    /// The number is outside the field's range.
    OutOfRange(f64),
    /// A link or file wrote a number with a comma, which could be a decimal
    /// or a thousands separator: refused rather than guessed.
    Comma(String),
    /// The four workload shares add up to (nearly) 0%.
    ZeroMix,
}

/// A value refused for a field. `Display` names the field, the value and the
/// allowed range, and says what to do.
#[derive(Clone, Debug, PartialEq)]
pub struct InputError {
    /// The field the value was meant for.
    pub field: NumField,
    /// What was wrong.
    pub problem: InputProblem,
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.field.spec();
        let range = format!("{} to {} {}", quoted(spec.min), quoted(spec.max), spec.unit);
        match &self.problem {
            InputProblem::NotANumber(text) => write!(
                f,
                "{}: \"{}\" is not a number; enter a value from {}.",
                spec.label,
                echo(text),
                range
            ),
            InputProblem::Comma(text) => write!(
                f,
                "{}: \"{}\" has a comma, which could be a decimal or a thousands separator; \
                 links write numbers with a point (1.5), from {}.",
                spec.label,
                echo(text),
                range
            ),
            InputProblem::ZeroMix => write!(
                f,
                "Workload: the workload shares add up to 0%; give at least one share above 0."
            ),
            InputProblem::NotFinite => write!(
                f,
                "{}: the value is not a finite number; enter a value from {}.",
                spec.label, range
            ),
            InputProblem::OutOfRange(v) => write!(
                f,
                "{}: {} is outside the allowed range, {}.",
                spec.label,
                quoted(*v),
                range
            ),
        }
    }
}

impl std::error::Error for InputError {}

/// A value read from a typed field ([`Scenario::read_typed`]).
#[derive(Clone, Debug, PartialEq)]
pub struct Typed {
    /// The value, valid for the field.
    pub value: f64,
    /// `"Read as 1.5."` when the text had a decimal comma, for the page to
    /// show by the field; `None` when the text was read as written.
    pub read_as: Option<String>,
}

/// A value of a choice input: one of a fixed list, each with a key for
/// links and files and a label for people. A switch is a `bool`: on (`1`)
/// or off (`0`).
pub trait Choice: Copy + PartialEq + 'static {
    /// Every value offered, in the order offered.
    const VALUES: &'static [Self];
    /// Stable key in links and files. Never change a published key.
    fn key(self) -> &'static str;
    /// What the page shows for it.
    fn label(self) -> &'static str;
    /// Whether `text`, from a link, a file or the page, names this value
    /// (its key, unless the type reads more leniently).
    fn is_named(self, text: &str) -> bool {
        self.key() == text
    }
    /// The value `text` names, if any.
    fn named(text: &str) -> Option<Self> {
        Self::VALUES.iter().copied().find(|v| v.is_named(text))
    }
}

/// A switch: on or off. Links and files write `1` or `0` and read `true`,
/// `on`, `yes`, `false`, `off` and `no` too.
impl Choice for bool {
    const VALUES: &'static [bool] = &[true, false];
    fn key(self) -> &'static str {
        if self {
            "1"
        } else {
            "0"
        }
    }
    fn label(self) -> &'static str {
        if self {
            "on"
        } else {
            "off"
        }
    }
    fn is_named(self, text: &str) -> bool {
        let on = matches!(text.trim(), "1" | "true" | "on" | "yes");
        let off = matches!(text.trim(), "0" | "false" | "off" | "no");
        if self {
            on
        } else {
            off
        }
    }
}

/// One option of a choice input, as links and the page write it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ChoiceOption {
    /// Its key in links and files.
    pub key: &'static str,
    /// What the page shows.
    pub label: &'static str,
}

/// The current value of a choice, whatever its type: what the catalogue
/// reads and writes through [`ChoiceSpec`].
trait ChoiceValue {
    /// The key of the current value.
    fn key(&self) -> &'static str;
    /// Every option of the value's type.
    fn options(&self) -> Vec<ChoiceOption>;
    /// Sets the value `text` names; `false` (and nothing changed) when it
    /// names none.
    fn pick(&mut self, text: &str) -> bool;
}

impl<T: Choice> ChoiceValue for T {
    fn key(&self) -> &'static str {
        Choice::key(*self)
    }
    fn options(&self) -> Vec<ChoiceOption> {
        T::VALUES
            .iter()
            .map(|v| ChoiceOption {
                key: v.key(),
                label: v.label(),
            })
            .collect()
    }
    fn pick(&mut self, text: &str) -> bool {
        match T::named(text) {
            Some(value) => {
                *self = value;
                true
            }
            None => false,
        }
    }
}

/// How the page offers a choice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChoiceKind {
    /// A list to pick one from (a `<select>`).
    List,
    /// A switch (a checkbox); its options are on, then off.
    Switch,
}

/// Everything the page, the link and the files need of one choice input,
/// and where the scenario keeps it.
#[derive(Clone, Copy)]
pub struct ChoiceSpec {
    /// Stable key for links and files. Never change a published key.
    pub key: &'static str,
    /// Visible label, in the user's words.
    pub label: &'static str,
    /// One-line explanation shown under the field.
    pub help: &'static str,
    /// A list or a switch.
    pub kind: ChoiceKind,
    /// Panel it belongs to.
    pub group: FieldGroup,
    /// The scenario's value of this choice.
    read: fn(&Scenario) -> &dyn ChoiceValue,
    /// The same value, to change it.
    write: fn(&mut Scenario) -> &mut dyn ChoiceValue,
}

impl fmt::Debug for ChoiceSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ChoiceSpec")
            .field("key", &self.key)
            .field("label", &self.label)
            .field("kind", &self.kind)
            .field("group", &self.group)
            .finish_non_exhaustive()
    }
}

listed! {
    /// A choice input of the scenario: one value of a list, or a switch.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
    pub enum ChoiceField {
        /// Currency of every amount.
        Currency,
        /// The stack in production today.
        Current,
        /// Where inference runs.
        MlDevice,
        /// How the load balancer spreads requests.
        Balancing,
        /// Where the services run: instances, Kubernetes or serverless.
        Deploy,
        /// Node.js major version.
        Node,
        /// Uvicorn's access log, on or off.
        AccessLog,
        /// Whether the article's productivity claims count.
        Productivity,
    }
}

impl ChoiceField {
    /// The field with this key, or `None`.
    pub fn from_key(key: &str) -> Option<ChoiceField> {
        ChoiceField::ALL.into_iter().find(|f| f.spec().key == key)
    }

    /// Key, label, help, kind and panel of the field, and where the
    /// scenario keeps its value.
    pub fn spec(self) -> &'static ChoiceSpec {
        use ChoiceKind::{List, Switch};
        use FieldGroup as G;
        match self {
            ChoiceField::Currency => &ChoiceSpec {
                key: "cur",
                label: "Currency",
                help: "Used for every amount; prices below are in the same currency.",
                kind: List,
                group: G::Team,
                read: |s| &s.currency,
                write: |s| &mut s.currency,
            },
            ChoiceField::Current => &ChoiceSpec {
                key: "now",
                label: "Stack in production today",
                help: "Switching away from it costs a share of the timeline.",
                kind: List,
                group: G::Team,
                read: |s| &s.current,
                write: |s| &mut s.current,
            },
            ChoiceField::MlDevice => &ChoiceSpec {
                key: "device",
                label: "Inference runs on",
                help: "GPU inference runs on single-GPU instances of its own.",
                kind: List,
                group: G::Ml,
                read: |s| &s.ml_device,
                write: |s| &mut s.ml_device,
            },
            ChoiceField::Balancing => &ChoiceSpec {
                key: "lb",
                label: "Load balancing",
                help: "Round-robin is the default of AWS load balancers, nginx and Kubernetes: each instance queues its own share. Least outstanding requests sends each request to the least busy instance.",
                kind: List,
                group: G::Traffic,
                read: |s| &s.balancing,
                write: |s| &mut s.balancing,
            },
            ChoiceField::Deploy => &ChoiceSpec {
                key: "deploy",
                label: "Deployment target",
                help: "Instances and Kubernetes are billed by the hour and autoscale with a lag; functions bill each request's duration and memory, one request at a time; serverless containers bill the seconds an instance serves. Prices are figures, editable below.",
                kind: List,
                group: G::Infrastructure,
                read: |s| &s.deploy,
                write: |s| &mut s.deploy,
            },
            ChoiceField::Node => &ChoiceSpec {
                key: "node",
                label: "Node.js version",
                help: "Express on Node 24 is about 3x faster than on 22 (expressjs/perf-wg#21).",
                kind: List,
                group: G::Infrastructure,
                read: |s| &s.node,
                write: |s| &mut s.node,
            },
            ChoiceField::AccessLog => &ChoiceSpec {
                key: "accesslog",
                label: "Uvicorn access log on",
                help: "Uvicorn's default. Off, FastAPI served 85% more simple requests (TechEmpower PR 9900).",
                kind: Switch,
                group: G::Infrastructure,
                read: |s| &s.uvicorn_access_log,
                write: |s| &mut s.uvicorn_access_log,
            },
            ChoiceField::Productivity => &ChoiceSpec {
                key: "productivity",
                label: "Count the article's productivity claims",
                help: "The article's claims, unverified: generated API docs save FastAPI teams 10-15 hours a sprint; Node SDKs save 40% of integration work. Off with the published benchmarks, on with the article's figures; switch to count them or not.",
                kind: Switch,
                group: G::Costs,
                read: |s| &s.productivity_effects,
                write: |s| &mut s.productivity_effects,
            },
        }
    }

    /// Every option, in the order offered (a switch's: on, then off).
    pub fn options(self) -> Vec<ChoiceOption> {
        // The options belong to the value's type, not to a scenario: any
        // scenario's value lists them.
        (self.spec().read)(&Scenario::default()).options()
    }

    /// The label of the option with this key, or `None`.
    pub fn option_label(self, key: &str) -> Option<&'static str> {
        self.options()
            .into_iter()
            .find(|o| o.key == key)
            .map(|o| o.label)
    }
}

/// A value refused for a choice input: names the field, the value and the
/// values accepted.
#[derive(Clone, Debug, PartialEq)]
pub struct ChoiceError {
    /// The field the value was meant for.
    pub field: ChoiceField,
    /// The value given.
    pub value: String,
    /// The keys accepted.
    pub allowed: Vec<&'static str>,
}

impl fmt::Display for ChoiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let spec = self.field.spec();
        match spec.kind {
            ChoiceKind::Switch => write!(
                f,
                "{}: \"{}\" is not 1 or 0.",
                spec.label,
                echo(&self.value)
            ),
            ChoiceKind::List => write!(
                f,
                "{}: \"{}\" is not one of {}.",
                spec.label,
                echo(&self.value),
                self.allowed.join(", ")
            ),
        }
    }
}

impl std::error::Error for ChoiceError {}

listed! {
    /// Currency of every money figure. A label: nothing is converted.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
    pub enum Currency {
        /// US dollar.
        #[default]
        Usd,
        /// Euro.
        Eur,
        /// Pound sterling.
        Gbp,
        /// Indian rupee.
        Inr,
        /// Japanese yen.
        Jpy,
        /// Canadian dollar.
        Cad,
        /// Australian dollar.
        Aud,
    }
}

impl Currency {
    /// ISO 4217 code, also the stable key.
    pub fn code(self) -> &'static str {
        match self {
            Currency::Usd => "USD",
            Currency::Eur => "EUR",
            Currency::Gbp => "GBP",
            Currency::Inr => "INR",
            Currency::Jpy => "JPY",
            Currency::Cad => "CAD",
            Currency::Aud => "AUD",
        }
    }
    /// Symbol put before amounts.
    pub fn symbol(self) -> &'static str {
        match self {
            Currency::Usd => "$",
            Currency::Eur => "€",
            Currency::Gbp => "£",
            Currency::Inr => "₹",
            Currency::Jpy => "¥",
            Currency::Cad => "C$",
            Currency::Aud => "A$",
        }
    }
}

/// Keyed and shown by its ISO code, read in any case (`eur`).
impl Choice for Currency {
    const VALUES: &'static [Currency] = &Currency::ALL;
    fn key(self) -> &'static str {
        self.code()
    }
    fn label(self) -> &'static str {
        self.code()
    }
    fn is_named(self, text: &str) -> bool {
        self.code().eq_ignore_ascii_case(text)
    }
}

/// The stack in production today, if any.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum CurrentStack {
    /// A new project: nothing to migrate from.
    #[default]
    None,
    /// Already running this stack.
    Running(Stack),
}

impl CurrentStack {
    /// Every choice offered (the hybrid is a destination, not a start).
    pub const ALL: [CurrentStack; 5] = [
        CurrentStack::None,
        CurrentStack::Running(Stack::FastApi),
        CurrentStack::Running(Stack::Express),
        CurrentStack::Running(Stack::Fastify),
        CurrentStack::Running(Stack::NestJs),
    ];
    /// The running stack, if any.
    pub fn stack(self) -> Option<Stack> {
        match self {
            CurrentStack::None => None,
            CurrentStack::Running(s) => Some(s),
        }
    }
}

/// Keyed and shown as its stack; `none` for a new project.
impl Choice for CurrentStack {
    const VALUES: &'static [CurrentStack] = &CurrentStack::ALL;
    fn key(self) -> &'static str {
        match self {
            CurrentStack::None => "none",
            CurrentStack::Running(s) => s.key(),
        }
    }
    fn label(self) -> &'static str {
        match self {
            CurrentStack::None => "None (new project)",
            CurrentStack::Running(s) => s.label(),
        }
    }
}

listed! {
    /// Where inference runs.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub enum MlDevice {
        /// On the service's own vCPUs.
        #[default]
        Cpu,
        /// On single-GPU instances of their own.
        Gpu,
    }
}

impl Choice for MlDevice {
    const VALUES: &'static [MlDevice] = &MlDevice::ALL;
    fn key(self) -> &'static str {
        match self {
            MlDevice::Cpu => "cpu",
            MlDevice::Gpu => "gpu",
        }
    }
    fn label(self) -> &'static str {
        match self {
            MlDevice::Cpu => "CPU (in the service)",
            MlDevice::Gpu => "GPU instances",
        }
    }
}

listed! {
    /// How a load balancer spreads requests over a tier's instances.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
    pub enum Balancing {
        /// Round-robin or random: each instance queues its own share of the
        /// requests, blind to how busy it is. The default: it is the default of
        /// AWS Application Load Balancers, nginx and Kubernetes Services.
        #[default]
        RoundRobin,
        /// Least outstanding requests: each request goes to the instance with
        /// the fewest in progress, which behaves close to one shared queue.
        LeastOutstanding,
    }
}

impl Choice for Balancing {
    const VALUES: &'static [Balancing] = &Balancing::ALL;
    fn key(self) -> &'static str {
        match self {
            Balancing::RoundRobin => "rr",
            Balancing::LeastOutstanding => "lor",
        }
    }
    fn label(self) -> &'static str {
        match self {
            Balancing::RoundRobin => "Round-robin or random",
            Balancing::LeastOutstanding => "Least outstanding requests",
        }
    }
}

listed! {
    /// Where a stack's services run, and how they are billed.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Default)]
    pub enum DeployTarget {
        /// Instances or containers (EC2, ECS on Fargate) billed per vCPU-hour
        /// and GiB-hour, autoscaled with a lag: today's model, the default.
        #[default]
        Instances,
        /// Pods on a Kubernetes cluster: the same hours, a control-plane
        /// fee, and a Deployment with a HorizontalPodAutoscaler per service.
        Kubernetes,
        /// Serverless functions (AWS Lambda style): a fee per request plus
        /// GB-seconds of the duration, one request at a time per environment.
        Functions,
        /// Serverless containers (Cloud Run style): vCPU-seconds and
        /// GiB-seconds while an instance serves, many requests per instance.
        ServerlessContainers,
    }
}

impl DeployTarget {
    /// The target inside a sentence: its label with a lower-case first
    /// word, the names of products kept ("on Kubernetes", "on serverless
    /// containers (Cloud Run-style)").
    pub fn in_sentence(self) -> &'static str {
        match self {
            DeployTarget::Instances => "instances or containers",
            DeployTarget::Kubernetes => "Kubernetes",
            DeployTarget::Functions => "serverless functions (Lambda-style)",
            DeployTarget::ServerlessContainers => "serverless containers (Cloud Run-style)",
        }
    }

    /// Whether the provider scales the service from zero per request
    /// (functions, serverless containers) rather than by instances an
    /// autoscaler adds.
    pub fn is_serverless(self) -> bool {
        matches!(
            self,
            DeployTarget::Functions | DeployTarget::ServerlessContainers
        )
    }
}

impl Choice for DeployTarget {
    const VALUES: &'static [DeployTarget] = &DeployTarget::ALL;
    fn key(self) -> &'static str {
        match self {
            DeployTarget::Instances => "instances",
            DeployTarget::Kubernetes => "k8s",
            DeployTarget::Functions => "functions",
            DeployTarget::ServerlessContainers => "run",
        }
    }
    fn label(self) -> &'static str {
        match self {
            DeployTarget::Instances => "Instances or containers",
            DeployTarget::Kubernetes => "Kubernetes",
            DeployTarget::Functions => "Serverless functions (Lambda-style)",
            DeployTarget::ServerlessContainers => "Serverless containers (Cloud Run-style)",
        }
    }
}

listed! {
    /// Node.js major version for the Node stacks.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
    pub enum NodeMajor {
        /// Node 20 (the version of the TechEmpower Round 23 runs).
        V20,
        /// Node 22.
        V22,
        /// Node 24: Express about 3x faster than on 22 (expressjs/perf-wg#21).
        #[default]
        V24,
    }
}

/// Keyed and shown by its major version number.
impl Choice for NodeMajor {
    const VALUES: &'static [NodeMajor] = &NodeMajor::ALL;
    fn key(self) -> &'static str {
        match self {
            NodeMajor::V20 => "20",
            NodeMajor::V22 => "22",
            NodeMajor::V24 => "24",
        }
    }
    fn label(self) -> &'static str {
        self.key()
    }
}

/// A class of request in the workload mix.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum WorkloadClass {
    /// JSON/CRUD handler.
    Json,
    /// Awaits a database or API.
    Io,
    /// Computes.
    Cpu,
    /// Runs a model.
    Ml,
}

impl WorkloadClass {
    /// Every class, in the order of [`Scenario::mix`].
    pub const ALL: [WorkloadClass; 4] = [
        WorkloadClass::Json,
        WorkloadClass::Io,
        WorkloadClass::Cpu,
        WorkloadClass::Ml,
    ];
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            WorkloadClass::Json => "JSON / CRUD",
            WorkloadClass::Io => "I/O-bound",
            WorkloadClass::Cpu => "CPU-bound",
            WorkloadClass::Ml => "ML inference",
        }
    }
    /// The scenario field holding its share.
    pub fn share_field(self) -> NumField {
        NumField::MIX[self as usize]
    }
}

/// Every input of one comparison. Build it with [`Scenario::default`] and
/// change it with [`Scenario::set`]; the fields are read-only outside the
/// model so a scenario is always valid.
#[derive(Clone, Debug, PartialEq)]
pub struct Scenario {
    values: [f64; NumField::COUNT],
    /// Currency of every money figure.
    pub currency: Currency,
    /// Stack in production today.
    pub current: CurrentStack,
    /// Where inference runs.
    pub ml_device: MlDevice,
    /// How the load balancer spreads requests over instances.
    pub balancing: Balancing,
    /// Where the services run.
    pub deploy: DeployTarget,
    /// Node.js major version.
    pub node: NodeMajor,
    /// Whether Uvicorn writes an access log line per request (its default).
    pub uvicorn_access_log: bool,
    /// Whether the article's productivity claims (API docs, SDKs) count.
    /// They are unverified, so where the scenario meets a figure set (a
    /// link, the page's start, [`Scenario::claims_for`]) the switch starts
    /// as the set says: off with the published benchmarks, on with the
    /// article's figures ([`super::SetKind::counts_article_claims`]).
    /// [`Scenario::default`], which knows no set, leaves it on.
    pub productivity_effects: bool,
}

impl Default for Scenario {
    fn default() -> Self {
        let mut values = [0.0; NumField::COUNT];
        for field in NumField::ALL {
            values[field as usize] = field.spec().default;
        }
        Scenario {
            values,
            currency: Currency::Usd,
            current: CurrentStack::None,
            ml_device: MlDevice::Cpu,
            balancing: Balancing::RoundRobin,
            deploy: DeployTarget::Instances,
            node: NodeMajor::V24,
            uvicorn_access_log: true,
            productivity_effects: true,
        }
    }
}

impl Scenario {
    /// This scenario with the article's productivity claims switched as the
    /// figure set `kind` starts them (off unless it is the article's set).
    pub fn claims_for(mut self, kind: super::SetKind) -> Scenario {
        self.productivity_effects = kind.counts_article_claims();
        self
    }

    /// The value of a field (always finite and within its range).
    pub fn get(&self, field: NumField) -> f64 {
        self.values[field as usize]
    }

    /// The key of a choice's current option (`"USD"`, `"gpu"`, `"1"`).
    pub fn choice(&self, field: ChoiceField) -> &'static str {
        (field.spec().read)(self).key()
    }

    /// Sets a choice to the option `key` names (a link, a file, the page).
    /// A key that names no option is refused, naming the field, the value
    /// and the options, and the scenario is left unchanged.
    pub fn set_choice(&mut self, field: ChoiceField, key: &str) -> Result<(), ChoiceError> {
        if (field.spec().write)(self).pick(key) {
            Ok(())
        } else {
            Err(ChoiceError {
                field,
                value: key.to_string(),
                allowed: field.options().iter().map(|o| o.key).collect(),
            })
        }
    }

    /// Checks a value for a field without storing it.
    pub fn validate(field: NumField, value: f64) -> Result<f64, InputError> {
        let spec = field.spec();
        if !value.is_finite() {
            return Err(InputError {
                field,
                problem: InputProblem::NotFinite,
            });
        }
        if value < spec.min || value > spec.max {
            return Err(InputError {
                field,
                problem: InputProblem::OutOfRange(value),
            });
        }
        // `+ 0.0` turns `-0` into `+0`: a zero is stored, and shown, unsigned.
        Ok(if field.is_integer() {
            value.round() + 0.0
        } else {
            value + 0.0
        })
    }

    /// Parses text typed into a field ("1,200", "0,5" and " 5 " accepted);
    /// [`Scenario::read_typed`] also says how a decimal comma was read.
    pub fn parse(field: NumField, text: &str) -> Result<f64, InputError> {
        Scenario::read_typed(field, text).map(|t| t.value)
    }

    /// Reads a value typed into a field, in the user's own notation: a
    /// decimal comma (`"0,5"`, `"1.234,5"`) or thousands separators
    /// (`"1,200"`, see [`read_number`]). [`Typed::read_as`] says how a
    /// decimal comma was read, so the page can show it.
    pub fn read_typed(field: NumField, text: &str) -> Result<Typed, InputError> {
        let not_a_number = || InputError {
            field,
            problem: InputProblem::NotANumber(text.trim().to_string()),
        };
        let (value, separator) = read_number(text).ok_or_else(not_a_number)?;
        let value = Scenario::validate(field, value)?;
        let read_as =
            (separator == Separator::DecimalComma).then(|| format!("Read as {}.", quoted(value)));
        Ok(Typed { value, read_as })
    }

    /// Reads a number written in a link or a file: plain digits with a
    /// decimal point. A comma is refused ([`InputProblem::Comma`]) rather
    /// than guessed: `1,5` is 1.5 to some readers and 15 to others.
    pub fn parse_link(field: NumField, text: &str) -> Result<f64, InputError> {
        let trimmed = text.trim();
        if trimmed.contains(',') {
            return Err(InputError {
                field,
                problem: InputProblem::Comma(trimmed.to_string()),
            });
        }
        let value: f64 = trimmed.parse().map_err(|_| InputError {
            field,
            problem: InputProblem::NotANumber(trimmed.to_string()),
        })?;
        Scenario::validate(field, value)
    }

    /// Sets a field. Out-of-range or non-finite values are refused and the
    /// scenario is left unchanged. A workload share rebalances the other
    /// shares so the four still sum to 100% (see [`Scenario::set_share`]).
    pub fn set(&mut self, field: NumField, value: f64) -> Result<(), InputError> {
        let value = Scenario::validate(field, value)?;
        if NumField::MIX.contains(&field) {
            self.set_share(field, value);
        } else {
            self.values[field as usize] = value;
        }
        Ok(())
    }

    /// Sets a field, clamping a finite out-of-range value into range; for old
    /// links whose ranges have since narrowed. NaN and infinity are refused.
    pub fn set_clamped(&mut self, field: NumField, value: f64) -> Result<bool, InputError> {
        if !value.is_finite() {
            return Err(InputError {
                field,
                problem: InputProblem::NotFinite,
            });
        }
        let spec = field.spec();
        let clamped = value.clamp(spec.min, spec.max);
        self.set(field, clamped)?;
        Ok(clamped != value)
    }

    /// Sets one workload share to `percent` and scales the other three in
    /// proportion so the four sum to 100%. When the others are all zero the
    /// remainder is split evenly between them.
    pub fn set_share(&mut self, field: NumField, percent: f64) {
        let Some(pos) = NumField::MIX.iter().position(|f| *f == field) else {
            return;
        };
        let percent = if percent.is_finite() {
            percent.clamp(0.0, 100.0)
        } else {
            return;
        };
        let remainder = 100.0 - percent;
        let others: Vec<NumField> = NumField::MIX
            .iter()
            .copied()
            .filter(|f| *f != NumField::MIX[pos])
            .collect();
        let others_sum: f64 = others.iter().map(|f| self.get(*f)).sum();
        for other in &others {
            let share = if others_sum > MIX_EPSILON {
                (self.get(*other) / others_sum * remainder).clamp(0.0, 100.0)
            } else {
                remainder / others.len() as f64
            };
            self.values[*other as usize] = share;
        }
        self.values[field as usize] = percent;
    }

    /// Sets all four shares at once (percentages in any scale, normalised to
    /// 100%). A negative or non-finite share is refused with an error on that
    /// share; shares that add up to less than [`MIX_EPSILON`] are refused with
    /// [`InputProblem::ZeroMix`] on the first. Nothing changes on an error.
    pub fn set_mix(&mut self, shares: [f64; 4]) -> Result<(), InputError> {
        for (i, s) in shares.iter().enumerate() {
            if !s.is_finite() || *s < 0.0 {
                return Err(InputError {
                    field: NumField::MIX[i],
                    problem: if s.is_finite() {
                        InputProblem::OutOfRange(*s)
                    } else {
                        InputProblem::NotFinite
                    },
                });
            }
        }
        let sum: f64 = shares.iter().sum();
        if sum.is_nan() || sum < MIX_EPSILON || !sum.is_finite() {
            return Err(InputError {
                field: NumField::JsonShare,
                problem: InputProblem::ZeroMix,
            });
        }
        // Shares that already sum to 100% are kept exactly, so a link or a
        // file reproduces the same numbers bit for bit. Otherwise each share
        // is divided by the sum first: `s / sum <= 1` exactly, so no share
        // comes out above 100 (`11 * (100 / 11)` would be 100.00000000000001).
        let exact = (sum - 100.0).abs() < 1e-9;
        for (i, s) in shares.iter().enumerate() {
            let share = if exact { *s } else { s / sum * 100.0 };
            self.values[NumField::MIX[i] as usize] = share.clamp(0.0, 100.0) + 0.0;
        }
        Ok(())
    }

    /// The workload mix as fractions summing to 1, in the order of
    /// [`WorkloadClass::ALL`].
    pub fn mix(&self) -> [f64; 4] {
        let raw = NumField::MIX.map(|f| self.get(f).max(0.0));
        let sum: f64 = raw.iter().sum();
        if sum > 0.0 {
            raw.map(|s| s / sum)
        } else {
            [1.0, 0.0, 0.0, 0.0]
        }
    }

    /// Share of one request class, as a fraction.
    pub fn share(&self, class: WorkloadClass) -> f64 {
        self.mix()[class as usize]
    }

    /// Peak traffic today, req/s.
    pub fn peak_rps(&self) -> f64 {
        self.get(NumField::AvgRps) * self.get(NumField::PeakRatio)
    }

    /// Months the horizon covers.
    pub fn horizon_months(&self) -> u32 {
        (self.get(NumField::HorizonYears) * super::MONTHS_PER_YEAR).round() as u32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_within_their_ranges() {
        for field in NumField::ALL {
            let spec = field.spec();
            assert!(
                spec.min <= spec.default && spec.default <= spec.max,
                "{}",
                spec.key
            );
            assert!(spec.step > 0.0, "{}", spec.key);
        }
    }

    #[test]
    fn a_share_of_the_range_is_log_where_the_field_is() {
        // Average requests per second: 0.1 to 2,000,000 on a log scale, so
        // halfway is sqrt(0.1 x 2e6) = 447.2; a linear field's halfway is
        // its midpoint; the ends are the range's and nothing falls outside.
        let rps = NumField::AvgRps.spec();
        assert!((rps.at(0.5) - (0.1f64 * 2e6).sqrt()).abs() < 1e-6);
        assert_eq!(rps.at(0.0), 0.1);
        assert_eq!(rps.at(1.0), 2_000_000.0);
        assert_eq!(rps.at(7.0), 2_000_000.0);
        assert_eq!(rps.at(f64::NAN), 0.1);
        let peak = NumField::PeakRatio.spec();
        assert!(!peak.uses_log_scale());
        assert!((peak.at(0.5) - 25.5).abs() < 1e-12);
    }

    #[test]
    fn a_field_shows_the_decimals_its_step_and_minimum_need() {
        assert_eq!(NumField::TeamSize.spec().decimals(), 0);
        assert_eq!(NumField::CpuMs.spec().decimals(), 2);
        assert_eq!(NumField::MemGib.spec().decimals(), 1);
        assert_eq!(NumField::PriceGibHour.spec().decimals(), 4);
        // A share from 0 keeps two decimals when the mix rebalances it.
        assert_eq!(NumField::JsonShare.spec().decimals(), 2);
    }

    #[test]
    fn keys_are_unique() {
        for (i, a) in NumField::ALL.iter().enumerate() {
            for b in &NumField::ALL[i + 1..] {
                assert_ne!(a.spec().key, b.spec().key);
            }
            assert_eq!(NumField::from_key(a.spec().key), Some(*a));
        }
    }

    #[test]
    fn every_field_is_listed_once_at_its_own_index() {
        // A scenario stores each value at its field's index.
        assert_eq!(NumField::ALL.len(), NumField::COUNT);
        for (i, field) in NumField::ALL.into_iter().enumerate() {
            assert_eq!(field as usize, i, "{field:?}");
        }
        assert_eq!(NumField::AvgRps.spec().label, "Average requests per second");
        assert_eq!(NumField::HorizonYears.spec().key, "horizon");
    }

    #[test]
    fn every_choice_option_is_kept_as_picked() {
        for field in ChoiceField::ALL {
            let options = field.options();
            assert!(options.len() >= 2, "{field:?}");
            for option in options {
                let mut s = Scenario::default();
                s.set_choice(field, option.key).unwrap();
                assert_eq!(s.choice(field), option.key);
                assert_eq!(field.option_label(option.key), Some(option.label));
            }
        }
    }

    #[test]
    fn input_keys_are_unique_across_numbers_and_choices() {
        let mut keys: Vec<&str> = NumField::ALL.iter().map(|f| f.spec().key).collect();
        keys.extend(ChoiceField::ALL.iter().map(|f| f.spec().key));
        let count = keys.len();
        keys.sort_unstable();
        keys.dedup();
        assert_eq!(keys.len(), count, "a key is used twice");
        for field in ChoiceField::ALL {
            assert_eq!(ChoiceField::from_key(field.spec().key), Some(field));
        }
    }

    #[test]
    fn a_refused_choice_names_the_field_the_value_and_the_options() {
        let mut s = Scenario::default();
        let err = s.set_choice(ChoiceField::MlDevice, "tpu").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Inference runs on: \"tpu\" is not one of cpu, gpu."
        );
        let err = s.set_choice(ChoiceField::AccessLog, "maybe").unwrap_err();
        assert_eq!(
            err.to_string(),
            "Uvicorn access log on: \"maybe\" is not 1 or 0."
        );
        assert_eq!(s, Scenario::default(), "a refused value changes nothing");
    }

    #[test]
    fn switches_and_currencies_read_as_people_write_them() {
        let mut s = Scenario::default();
        s.set_choice(ChoiceField::AccessLog, " off ").unwrap();
        assert!(!s.uvicorn_access_log);
        s.set_choice(ChoiceField::AccessLog, "yes").unwrap();
        assert!(s.uvicorn_access_log);
        s.set_choice(ChoiceField::Currency, "eur").unwrap();
        assert_eq!(s.currency, Currency::Eur);
        assert_eq!(s.choice(ChoiceField::Currency), "EUR");
    }

    #[test]
    fn out_of_range_names_field_value_and_range() {
        let mut s = Scenario::default();
        let err = s.set(NumField::PeakRatio, 0.5).unwrap_err();
        assert_eq!(
            err.to_string(),
            "Peak-to-average ratio: 0.5 is outside the allowed range, 1 to 50 x."
        );
        assert_eq!(s, Scenario::default(), "a refused value changes nothing");
    }

    #[test]
    fn text_that_is_not_a_number_is_named() {
        let err = Scenario::parse(NumField::AvgRps, "lots").unwrap_err();
        assert!(err.to_string().contains("Average requests per second"));
        assert!(err.to_string().contains("\"lots\" is not a number"));
        assert_eq!(
            Scenario::parse(NumField::AvgRps, " 1,200 ").ok(),
            Some(1200.0)
        );
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        let mut s = Scenario::default();
        assert!(s.set(NumField::AvgRps, f64::NAN).is_err());
        assert!(s.set(NumField::AvgRps, f64::INFINITY).is_err());
        assert!(s.set_clamped(NumField::AvgRps, f64::NAN).is_err());
    }

    #[test]
    fn moving_one_share_keeps_the_mix_at_100() {
        let mut s = Scenario::default();
        s.set(NumField::MlShare, 40.0).unwrap();
        let total: f64 = NumField::MIX.iter().map(|f| s.get(*f)).sum();
        assert!((total - 100.0).abs() < 1e-9);
        assert_eq!(s.get(NumField::MlShare), 40.0);
        // The others keep their proportions 70:25:5.
        assert!((s.get(NumField::JsonShare) - 42.0).abs() < 1e-9);
        assert!((s.get(NumField::IoShare) - 15.0).abs() < 1e-9);
    }

    #[test]
    fn moving_a_share_from_100_splits_the_rest_evenly() {
        let mut s = Scenario::default();
        s.set(NumField::JsonShare, 100.0).unwrap();
        s.set(NumField::JsonShare, 70.0).unwrap();
        assert!((s.get(NumField::IoShare) - 10.0).abs() < 1e-9);
        assert!((s.get(NumField::MlShare) - 10.0).abs() < 1e-9);
    }

    #[test]
    fn clamping_reports_that_it_clamped() {
        let mut s = Scenario::default();
        assert_eq!(s.set_clamped(NumField::PeakRatio, 80.0), Ok(true));
        assert_eq!(s.get(NumField::PeakRatio), 50.0);
        assert_eq!(s.set_clamped(NumField::PeakRatio, 2.0), Ok(false));
    }

    #[test]
    fn commas_are_read_as_people_mean_them() {
        let read = |t: &str| read_number(t);
        assert_eq!(read("1,200"), Some((1200.0, Separator::ThousandsComma)));
        assert_eq!(
            read("12,345,678.5"),
            Some((12_345_678.5, Separator::ThousandsComma))
        );
        assert_eq!(read("0,5"), Some((0.5, Separator::DecimalComma)));
        assert_eq!(read("-12,75"), Some((-12.75, Separator::DecimalComma)));
        assert_eq!(read("1.234,5"), Some((1234.5, Separator::DecimalComma)));
        assert_eq!(read("1 234,56"), Some((1234.56, Separator::DecimalComma)));
        assert_eq!(read(" 2.5 "), Some((2.5, Separator::Plain)));
        for bad in [
            "1,2,3",
            "1,2345",
            "12,34,567",
            ",5",
            "1,",
            "1.2,5",
            "1,234.5.6",
            "1,5e3",
        ] {
            assert_eq!(read(bad), None, "{bad}");
        }
        assert!(
            read("NaN").is_some_and(|(v, _)| v.is_nan()),
            "refused by the caller"
        );
    }

    #[test]
    fn a_link_number_with_a_comma_is_refused_by_name() {
        let err = Scenario::parse_link(NumField::PeakRatio, "1,5").unwrap_err();
        assert_eq!(err.problem, InputProblem::Comma("1,5".into()));
        assert!(err
            .to_string()
            .starts_with("Peak-to-average ratio: \"1,5\" has a comma"));
        assert_eq!(Scenario::parse_link(NumField::PeakRatio, "1.5"), Ok(1.5));
    }

    #[test]
    fn echo_cuts_long_values() {
        assert_eq!(echo("short"), "short");
        let long = "é".repeat(200);
        let cut = echo(&long);
        assert!(cut.starts_with(&"é".repeat(80)) && cut.ends_with("(200 characters)"));
    }

    #[test]
    fn mix_of_dust_is_refused_and_scaling_never_overshoots() {
        let mut s = Scenario::default();
        let err = s.set_mix([5e-324, 0.0, 0.0, 0.0]).unwrap_err();
        assert_eq!(err.problem, InputProblem::ZeroMix);
        assert_eq!(s, Scenario::default());
        s.set_mix([11.0, 0.0, 0.0, 0.0]).unwrap();
        assert_eq!(s.get(NumField::JsonShare), 100.0);
        s.set_mix([1.0, 1.0, 1.0, 0.0]).unwrap();
        assert!(NumField::MIX.iter().all(|f| s.get(*f) <= 100.0));
    }

    #[test]
    fn integer_fields_round() {
        let mut s = Scenario::default();
        s.set(NumField::TeamSize, 4.6).unwrap();
        assert_eq!(s.get(NumField::TeamSize), 5.0);
    }
}
