//! Every figure the estimate rests on, with its range and where it comes from.
//!
//! A figure is an [`Assumption`]: low, typical and high values, a unit and a
//! source in words. Figures come in named sets ([`SetKind`]): published
//! benchmarks (the default), the article's figures, and the user's own
//! measurements. A set holds one row of figures per [`Framework`] and one row
//! of shared figures; [`AssumptionSet::resolve`] turns a set into plain
//! numbers ([`Figures`]) at a chosen point of every range, which is all the
//! estimate ever sees.
//!
//! Throughput figures are CPU time per request on one vCPU (one hardware
//! thread), so they transfer to any instance shape: a published total is
//! divided by the hardware threads it ran on.

use std::borrow::Cow;
use std::sync::LazyLock;

use super::stack::Framework;

/// Unit of a figure, shown beside it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// Microseconds of CPU per request.
    MicrosPerRequest,
    /// A ratio ("x").
    Multiplier,
    /// MiB per process.
    MibPerProcess,
    /// MiB per request in flight.
    MibPerRequest,
    /// Milliseconds.
    Ms,
    /// A fraction shown as a percentage.
    Fraction,
    /// Months.
    Months,
    /// Hours per sprint.
    HoursPerSprint,
    /// Weeks.
    Weeks,
    /// Developer-hours.
    Hours,
    /// Hours per year.
    HoursPerYear,
    /// Processes per vCPU.
    ProcessesPerVcpu,
    /// A coefficient without unit.
    Coefficient,
    /// Seconds.
    Seconds,
    /// Minutes.
    Minutes,
    /// Megabytes of a container image (10^6 bytes, as registries count).
    Megabytes,
    /// Megabytes per second (an image pull).
    MbPerSecond,
    /// MiB per second (loading a model).
    MibPerSecond,
    /// Money per hour, in the scenario's currency.
    PerHour,
    /// Money per million units (requests, GB-seconds, vCPU-seconds), in the
    /// scenario's currency.
    PerMillion,
}

/// Percent in a whole: a [`Unit::Fraction`] is stored as a fraction and
/// shown as a percentage.
const PERCENT: f64 = 100.0;

impl Unit {
    /// A stored value as the page shows and edits it: a fraction as a
    /// percentage (`0.15` -> `15`), anything else as it is.
    pub fn shown(self, stored: f64) -> f64 {
        if self == Unit::Fraction {
            stored * PERCENT
        } else {
            stored
        }
    }

    /// A value as shown or typed, as stored: the inverse of
    /// [`Unit::shown`] (`15` -> `0.15` for a fraction).
    pub fn stored(self, shown: f64) -> f64 {
        if self == Unit::Fraction {
            shown / PERCENT
        } else {
            shown
        }
    }

    /// Text shown after a value.
    pub fn label(self) -> &'static str {
        match self {
            Unit::MicrosPerRequest => "µs CPU/request",
            Unit::Multiplier => "x",
            Unit::MibPerProcess => "MiB/process",
            Unit::MibPerRequest => "MiB/request in flight",
            Unit::Ms => "ms",
            Unit::Fraction => "%",
            Unit::Months => "months",
            Unit::HoursPerSprint => "hours/sprint",
            Unit::Weeks => "weeks",
            Unit::Hours => "developer-hours",
            Unit::HoursPerYear => "hours/year",
            Unit::ProcessesPerVcpu => "processes/vCPU",
            Unit::Coefficient => "",
            Unit::Seconds => "s",
            Unit::Minutes => "min",
            Unit::Megabytes => "MB",
            Unit::MbPerSecond => "MB/s",
            Unit::MibPerSecond => "MiB/s",
            Unit::PerHour => "per hour",
            Unit::PerMillion => "per million",
        }
    }
}

/// Which end of a range makes a stack cheaper.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Better {
    /// A lower value lowers cost (CPU time, memory, hours).
    Lower,
    /// A higher value lowers cost (a speed-up, usable memory).
    Higher,
}

/// One figure with its range and source. The range is a 90% interval: low
/// and high are the 5th and 95th percentiles, typical the median.
#[derive(Clone, Debug, PartialEq)]
pub struct Assumption {
    /// The 5th percentile: the favourable or unfavourable end, whichever is
    /// smaller.
    pub low: f64,
    /// The median, used by the headline estimate.
    pub typical: f64,
    /// The 95th percentile.
    pub high: f64,
    /// Unit of all three values.
    pub unit: Unit,
    /// Where the figure comes from, in words, with the reference.
    pub source: Cow<'static, str>,
}

impl Assumption {
    const fn new(low: f64, typical: f64, high: f64, unit: Unit, source: &'static str) -> Self {
        Assumption {
            low,
            typical,
            high,
            unit,
            source: Cow::Borrowed(source),
        }
    }

    /// What the figure rests on, from its source text.
    pub fn basis(&self) -> Basis {
        Basis::of(&self.source)
    }

    /// Checks `low <= typical <= high`, all finite and not negative; the
    /// message names what is wrong.
    pub fn check(&self) -> Result<(), String> {
        let all = [self.low, self.typical, self.high];
        if all.iter().any(|v| !v.is_finite()) {
            return Err("every value must be a finite number".into());
        }
        if all.iter().any(|v| *v < 0.0) {
            return Err("values cannot be negative".into());
        }
        if !(self.low <= self.typical && self.typical <= self.high) {
            return Err(format!(
                "low ({}) <= typical ({}) <= high ({}) does not hold",
                self.low, self.typical, self.high
            ));
        }
        Ok(())
    }

    /// The same figure with its whole range at `value`, its unit and
    /// source kept: a figure edited to one value.
    pub fn pinned(&self, value: f64) -> Assumption {
        Assumption {
            low: value,
            typical: value,
            high: value,
            ..self.clone()
        }
    }

    /// The value at a point of the range.
    pub fn pick(&self, pick: Pick, better: Better) -> f64 {
        match (pick, better) {
            (Pick::Low, _) => self.low,
            (Pick::Typical, _) => self.typical,
            (Pick::High, _) => self.high,
            (Pick::Optimistic, Better::Lower) | (Pick::Pessimistic, Better::Higher) => self.low,
            (Pick::Optimistic, Better::Higher) | (Pick::Pessimistic, Better::Lower) => self.high,
        }
    }
}

/// What a figure rests on, read from its source text, shown as a tag beside
/// it so a reader sees at once which figures are measured and which are
/// someone's word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Basis {
    /// Measured on one machine (ours, the same day for all stacks) or by the
    /// user.
    Measured,
    /// A published benchmark or document.
    Published,
    /// A figure the article states, with the reference it cites.
    Article,
    /// A claim of the article with no verifiable source.
    ArticleClaim,
    /// Stackwise's own choice where no source was found; its source says why.
    Assumption,
    /// Fixed by definition (a neutral multiplier, a figure that does not
    /// apply).
    Definition,
}

/// Marks a figure as Stackwise's own assumption in its source text.
pub const ASSUMPTION_MARK: &str = "Stackwise assumption";
/// Marks a figure as a claim of the article with no verifiable source.
pub const CLAIM_MARK: &str = "the article's claim, unverified";
/// Opens the source of a figure the article's set keeps from the published
/// one.
const ARTICLE_SILENT: &str = "The article gives no figure; published benchmarks: ";

impl Basis {
    /// The tag shown beside a figure.
    pub fn label(self) -> &'static str {
        match self {
            Basis::Measured => "measured",
            Basis::Published => "published",
            Basis::Article => "article",
            Basis::ArticleClaim => "article's claim, unverified",
            Basis::Assumption => "assumption",
            Basis::Definition => "definition",
        }
    }

    /// The basis a source text states: the assumption and claim marks
    /// first, then the article, measurements and definitions by how the
    /// text opens; anything else is published.
    pub fn of(source: &str) -> Basis {
        let text = source.strip_prefix(ARTICLE_SILENT).unwrap_or(source);
        if text.contains(ASSUMPTION_MARK) {
            Basis::Assumption
        } else if text.to_ascii_lowercase().contains(CLAIM_MARK) {
            Basis::ArticleClaim
        } else if text.starts_with("Not ")
            || text.starts_with("Reference:")
            || text.contains("no adjustment applied")
            || text.contains("used as it states them")
        {
            Basis::Definition
        } else if text.starts_with("The article") {
            Basis::Article
        } else if text.contains("one machine, 2026")
            || text.starts_with("Measured")
            || text.starts_with("Your measurement")
        {
            Basis::Measured
        } else {
            Basis::Published
        }
    }
}

/// A point of every range at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Pick {
    /// Every figure at its low end.
    Low,
    /// Every figure at its typical value.
    Typical,
    /// Every figure at its high end.
    High,
    /// Every figure at the end that makes stacks cheaper.
    Optimistic,
    /// Every figure at the end that makes stacks dearer.
    Pessimistic,
}

/// A figure each framework has its own value of.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum FigureKind {
    /// CPU time of one JSON/CRUD request on one vCPU.
    JsonCpuUs,
    /// CPU time of one I/O-bound request, not counting the wait.
    IoCpuUs,
    /// CPU time of compute work relative to Node.js.
    CpuWorkFactor,
    /// Memory of one idle process.
    RuntimeMib,
    /// Memory per request in flight.
    InflightMib,
    /// Start to first response of one process.
    StartupMs,
    /// Throughput on Node 24 over Node 20/22.
    Node24Speedup,
    /// CPU cost with Uvicorn's access log on over off.
    AccessLogFactor,
    /// CPU time of vectorised data work relative to the same work written
    /// as loops on Node.js.
    VectorisedFactor,
    /// USL contention between this framework's processes, where fitted to
    /// its own runs (or set by an edit); without one the shared
    /// [`SharedFigure::UslAlpha`] applies.
    UslAlpha,
    /// USL coherency between this framework's processes, where fitted to
    /// its own runs (or set by an edit); without one the shared
    /// [`SharedFigure::UslBeta`] applies.
    UslBeta,
}

impl FigureKind {
    /// Every kind, in storage order.
    pub const ALL: [FigureKind; 11] = [
        FigureKind::JsonCpuUs,
        FigureKind::IoCpuUs,
        FigureKind::CpuWorkFactor,
        FigureKind::RuntimeMib,
        FigureKind::InflightMib,
        FigureKind::StartupMs,
        FigureKind::Node24Speedup,
        FigureKind::AccessLogFactor,
        FigureKind::VectorisedFactor,
        FigureKind::UslAlpha,
        FigureKind::UslBeta,
    ];
    /// The shared figure this kind stands in for: a framework has its own
    /// USL coefficients only where they were fitted to its runs (or set by
    /// an edit or a link), and reads the shared ones otherwise. `None` for
    /// the kinds every framework always has.
    pub fn shared_default(self) -> Option<SharedFigure> {
        match self {
            FigureKind::UslAlpha => Some(SharedFigure::UslAlpha),
            FigureKind::UslBeta => Some(SharedFigure::UslBeta),
            _ => None,
        }
    }
    /// Where a framework's own figure of this kind is kept, for the kinds
    /// that fall back to a shared figure.
    fn own_slot(self) -> Option<usize> {
        match self {
            FigureKind::UslAlpha => Some(0),
            FigureKind::UslBeta => Some(1),
            _ => None,
        }
    }
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            FigureKind::JsonCpuUs => "CPU per JSON/CRUD request",
            FigureKind::IoCpuUs => "CPU per I/O-bound request",
            FigureKind::CpuWorkFactor => "Hand-written compute vs Node.js",
            FigureKind::RuntimeMib => "Memory per process",
            FigureKind::InflightMib => "Memory per request in flight",
            FigureKind::StartupMs => "Start-up time",
            FigureKind::Node24Speedup => "Speed-up on Node 24",
            FigureKind::AccessLogFactor => "Cost of Uvicorn's access log",
            FigureKind::VectorisedFactor => "Vectorised data work vs Node.js loops",
            FigureKind::UslAlpha => SharedFigure::UslAlpha.label(),
            FigureKind::UslBeta => SharedFigure::UslBeta.label(),
        }
    }
    /// Stable key for links and files.
    pub fn key(self) -> &'static str {
        match self {
            FigureKind::JsonCpuUs => "json_us",
            FigureKind::IoCpuUs => "io_us",
            FigureKind::CpuWorkFactor => "cpu_factor",
            FigureKind::RuntimeMib => "runtime_mib",
            FigureKind::InflightMib => "inflight_mib",
            FigureKind::StartupMs => "startup_ms",
            FigureKind::Node24Speedup => "node24",
            FigureKind::AccessLogFactor => "access_log",
            FigureKind::VectorisedFactor => "vector_factor",
            FigureKind::UslAlpha => SharedFigure::UslAlpha.key(),
            FigureKind::UslBeta => SharedFigure::UslBeta.key(),
        }
    }
    /// Which end makes a stack cheaper.
    pub fn better(self) -> Better {
        match self {
            FigureKind::Node24Speedup => Better::Higher,
            _ => Better::Lower,
        }
    }
    /// Whether the figure means anything for this framework (the Node
    /// speed-up does not for FastAPI, the access log not for Node).
    pub fn applies_to(self, framework: Framework) -> bool {
        match self {
            FigureKind::Node24Speedup => framework.on_node(),
            FigureKind::AccessLogFactor => !framework.on_node(),
            FigureKind::CpuWorkFactor | FigureKind::VectorisedFactor => !framework.on_node(),
            _ => true,
        }
    }
}

/// A figure shared by every stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SharedFigure {
    /// USL contention coefficient between worker processes.
    UslAlpha,
    /// USL coherency coefficient between worker processes.
    UslBeta,
    /// Worker processes per vCPU.
    ProcessesPerVcpu,
    /// Share of an instance's memory the service may use.
    MemoryHeadroom,
    /// Added latency of one call to a sidecar service.
    MlHopMs,
    /// Cost of switching frameworks, as a share of the project timeline.
    SwitchShare,
    /// Months before a developer new to a language is fully productive.
    RampUpMonths,
    /// Hours a team spends on API docs each sprint without generated docs.
    DocsHoursPerSprint,
    /// Length of a sprint.
    SprintWeeks,
    /// Integration time saved by Node SDKs.
    IntegrationSaving,
    /// Developer-hours to build one SaaS integration.
    IntegrationHours,
    /// Working hours of a developer in a year.
    HoursPerYear,
    /// Memory of the ML runtime (PyTorch, transformers) in every process
    /// that loads a model, before the model itself.
    MlRuntimeMib,
    /// Time each extra request adds to a GPU batch, as a share of one
    /// inference alone.
    GpuBatchCost,
    /// Highest GPU utilisation planned for.
    GpuCeiling,
    /// Time an autoscaler takes to notice the load and ask for capacity.
    AutoscaleReactS,
    /// Time to provision a new instance or task before its image is pulled
    /// (not on Kubernetes, where pods start on nodes already running).
    InstanceBootS,
    /// Bandwidth of an image pull from the registry.
    PullMbPerS,
    /// Container image of a FastAPI service on slim Python.
    ImagePythonMb,
    /// Container image of a Node.js service on Alpine.
    ImageNodeMb,
    /// What an ML runtime (PyTorch and its libraries) adds to an image.
    ImageMlMb,
    /// Speed of loading the model's weights when a process starts.
    ModelLoadMibPerS,
    /// Kubernetes control plane, per cluster-hour.
    K8sControlHour,
    /// Serverless functions: price per million requests.
    FnRequestPerM,
    /// Serverless functions: price per million GB-seconds.
    FnGbSecondPerM,
    /// Serverless functions: how long an idle environment stays warm.
    FnIdleMin,
    /// Serverless functions: platform cold start of the Node.js runtime.
    FnColdNodeMs,
    /// Serverless functions: platform cold start of the Python runtime.
    FnColdPythonMs,
    /// Serverless containers: price per million vCPU-seconds while serving.
    RunVcpuSecondPerM,
    /// Serverless containers: price per million GiB-seconds while serving.
    RunGibSecondPerM,
    /// Serverless containers: price per million requests.
    RunRequestPerM,
    /// Serverless containers: how long an idle instance is kept.
    RunIdleMin,
    /// Serverless containers: price per million vCPU-seconds of an idle
    /// instance kept warm (minimum instances).
    RunIdleVcpuSecondPerM,
}

impl SharedFigure {
    /// Every shared figure, in storage order.
    pub const ALL: [SharedFigure; 33] = [
        SharedFigure::UslAlpha,
        SharedFigure::UslBeta,
        SharedFigure::ProcessesPerVcpu,
        SharedFigure::MemoryHeadroom,
        SharedFigure::MlHopMs,
        SharedFigure::SwitchShare,
        SharedFigure::RampUpMonths,
        SharedFigure::DocsHoursPerSprint,
        SharedFigure::SprintWeeks,
        SharedFigure::IntegrationSaving,
        SharedFigure::IntegrationHours,
        SharedFigure::HoursPerYear,
        SharedFigure::MlRuntimeMib,
        SharedFigure::GpuBatchCost,
        SharedFigure::GpuCeiling,
        SharedFigure::AutoscaleReactS,
        SharedFigure::InstanceBootS,
        SharedFigure::PullMbPerS,
        SharedFigure::ImagePythonMb,
        SharedFigure::ImageNodeMb,
        SharedFigure::ImageMlMb,
        SharedFigure::ModelLoadMibPerS,
        SharedFigure::K8sControlHour,
        SharedFigure::FnRequestPerM,
        SharedFigure::FnGbSecondPerM,
        SharedFigure::FnIdleMin,
        SharedFigure::FnColdNodeMs,
        SharedFigure::FnColdPythonMs,
        SharedFigure::RunVcpuSecondPerM,
        SharedFigure::RunGibSecondPerM,
        SharedFigure::RunRequestPerM,
        SharedFigure::RunIdleMin,
        SharedFigure::RunIdleVcpuSecondPerM,
    ];
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            SharedFigure::UslAlpha => "Contention between processes (USL α)",
            SharedFigure::UslBeta => "Coherency cost between processes (USL β)",
            SharedFigure::ProcessesPerVcpu => "Worker processes per vCPU",
            SharedFigure::MemoryHeadroom => "Usable share of instance memory",
            SharedFigure::MlHopMs => "Latency of a call to the ML sidecar",
            SharedFigure::SwitchShare => "Framework switch cost (share of timeline)",
            SharedFigure::RampUpMonths => "Ramp-up in a new language",
            SharedFigure::DocsHoursPerSprint => "API docs work without generated docs",
            SharedFigure::SprintWeeks => "Sprint length",
            SharedFigure::IntegrationSaving => "Integration time saved by Node SDKs",
            SharedFigure::IntegrationHours => "Effort per SaaS integration",
            SharedFigure::HoursPerYear => "Working hours per developer-year",
            SharedFigure::MlRuntimeMib => "ML runtime per process that loads a model",
            SharedFigure::GpuBatchCost => "Cost of each extra request in a GPU batch",
            SharedFigure::GpuCeiling => "GPU utilisation ceiling",
            SharedFigure::AutoscaleReactS => "Autoscaler reaction time",
            SharedFigure::InstanceBootS => "Time to provision a new instance",
            SharedFigure::PullMbPerS => "Image pull bandwidth",
            SharedFigure::ImagePythonMb => "Image size, FastAPI on slim Python",
            SharedFigure::ImageNodeMb => "Image size, Node.js on Alpine",
            SharedFigure::ImageMlMb => "Image size added by the ML runtime (PyTorch)",
            SharedFigure::ModelLoadMibPerS => "Model load speed at start-up",
            SharedFigure::K8sControlHour => "Kubernetes control plane per cluster-hour",
            SharedFigure::FnRequestPerM => "Functions: price per million requests",
            SharedFigure::FnGbSecondPerM => "Functions: price per million GB-seconds",
            SharedFigure::FnIdleMin => "Functions: idle environment kept warm",
            SharedFigure::FnColdNodeMs => "Functions: Node.js runtime cold start",
            SharedFigure::FnColdPythonMs => "Functions: Python runtime cold start",
            SharedFigure::RunVcpuSecondPerM => {
                "Serverless containers: price per million vCPU-seconds"
            }
            SharedFigure::RunGibSecondPerM => {
                "Serverless containers: price per million GiB-seconds"
            }
            SharedFigure::RunRequestPerM => "Serverless containers: price per million requests",
            SharedFigure::RunIdleMin => "Serverless containers: idle instance kept",
            SharedFigure::RunIdleVcpuSecondPerM => {
                "Serverless containers: price per million vCPU-seconds of an instance kept warm, idle"
            }
        }
    }
    /// Stable key for links and files.
    pub fn key(self) -> &'static str {
        match self {
            SharedFigure::UslAlpha => "usl_alpha",
            SharedFigure::UslBeta => "usl_beta",
            SharedFigure::ProcessesPerVcpu => "procs_per_vcpu",
            SharedFigure::MemoryHeadroom => "mem_headroom",
            SharedFigure::MlHopMs => "ml_hop_ms",
            SharedFigure::SwitchShare => "switch_share",
            SharedFigure::RampUpMonths => "ramp_up_months",
            SharedFigure::DocsHoursPerSprint => "docs_hours",
            SharedFigure::SprintWeeks => "sprint_weeks",
            SharedFigure::IntegrationSaving => "sdk_saving",
            SharedFigure::IntegrationHours => "integration_hours",
            SharedFigure::HoursPerYear => "hours_per_year",
            SharedFigure::MlRuntimeMib => "ml_runtime_mib",
            SharedFigure::GpuBatchCost => "gpu_batch_cost",
            SharedFigure::GpuCeiling => "gpu_ceiling",
            SharedFigure::AutoscaleReactS => "autoscale_react_s",
            SharedFigure::InstanceBootS => "instance_boot_s",
            SharedFigure::PullMbPerS => "pull_mb_s",
            SharedFigure::ImagePythonMb => "image_python_mb",
            SharedFigure::ImageNodeMb => "image_node_mb",
            SharedFigure::ImageMlMb => "image_ml_mb",
            SharedFigure::ModelLoadMibPerS => "model_load_mib_s",
            SharedFigure::K8sControlHour => "k8s_control_hour",
            SharedFigure::FnRequestPerM => "fn_request_m",
            SharedFigure::FnGbSecondPerM => "fn_gb_second_m",
            SharedFigure::FnIdleMin => "fn_idle_min",
            SharedFigure::FnColdNodeMs => "fn_cold_node_ms",
            SharedFigure::FnColdPythonMs => "fn_cold_python_ms",
            SharedFigure::RunVcpuSecondPerM => "run_vcpu_second_m",
            SharedFigure::RunGibSecondPerM => "run_gib_second_m",
            SharedFigure::RunRequestPerM => "run_request_m",
            SharedFigure::RunIdleMin => "run_idle_min",
            SharedFigure::RunIdleVcpuSecondPerM => "run_idle_vcpu_second_m",
        }
    }
    /// Which end makes stacks cheaper.
    pub fn better(self) -> Better {
        match self {
            SharedFigure::ProcessesPerVcpu
            | SharedFigure::MemoryHeadroom
            | SharedFigure::SprintWeeks
            | SharedFigure::HoursPerYear
            | SharedFigure::GpuCeiling
            | SharedFigure::PullMbPerS
            | SharedFigure::ModelLoadMibPerS
            | SharedFigure::FnIdleMin
            | SharedFigure::RunIdleMin => Better::Higher,
            _ => Better::Lower,
        }
    }
    /// Whether the figure is one of the article's productivity effects,
    /// counted only when the scenario switches them on.
    pub fn is_productivity_effect(self) -> bool {
        matches!(
            self,
            SharedFigure::DocsHoursPerSprint
                | SharedFigure::IntegrationSaving
                | SharedFigure::IntegrationHours
                | SharedFigure::SprintWeeks
        )
    }
}

/// The address of one figure in a set.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum AssumptionId {
    /// A framework's own figure.
    Framework(Framework, FigureKind),
    /// A figure every stack shares.
    Shared(SharedFigure),
}

impl AssumptionId {
    /// Every figure that applies, frameworks first, in display order.
    pub fn all() -> impl Iterator<Item = AssumptionId> {
        Framework::ALL
            .into_iter()
            .flat_map(|fw| {
                FigureKind::ALL
                    .into_iter()
                    .filter(move |k| k.applies_to(fw))
                    .map(move |k| AssumptionId::Framework(fw, k))
            })
            .chain(SharedFigure::ALL.into_iter().map(AssumptionId::Shared))
    }
    /// Label shown to the user, with the framework where there is one.
    pub fn label(self) -> String {
        match self {
            AssumptionId::Framework(fw, k) => format!("{}: {}", fw.label(), k.label()),
            AssumptionId::Shared(s) => s.label().to_string(),
        }
    }
    /// Stable key: `fastapi.json_us`, `shared.usl_alpha`.
    pub fn key(self) -> String {
        match self {
            AssumptionId::Framework(fw, k) => format!("{}.{}", fw.key(), k.key()),
            AssumptionId::Shared(s) => format!("shared.{}", s.key()),
        }
    }
    /// The figure with this key, or `None`.
    pub fn from_key(key: &str) -> Option<AssumptionId> {
        AssumptionId::all().find(|id| id.key() == key)
    }
    /// Which end makes stacks cheaper.
    pub fn better(self) -> Better {
        match self {
            AssumptionId::Framework(_, k) => k.better(),
            AssumptionId::Shared(s) => s.better(),
        }
    }

    /// The values the figure may take, and why: an edit (typed, from a link
    /// or a file) outside them is refused. Wide enough for any real service,
    /// narrow enough that no edit can make the estimate meaningless or slow.
    pub fn valid_range(self) -> (f64, f64, &'static str) {
        use FigureKind as K;
        use SharedFigure as S;
        match self {
            AssumptionId::Framework(_, k) => match k {
                K::JsonCpuUs | K::IoCpuUs => (
                    0.1,
                    1_000_000.0,
                    "a request costs between 0.1 µs and 1 s of CPU",
                ),
                K::CpuWorkFactor | K::VectorisedFactor => (
                    0.01,
                    100.0,
                    "a cost ratio between 1/100 and 100 times Node.js",
                ),
                K::RuntimeMib => (
                    1.0,
                    100_000.0,
                    "a process takes between 1 MiB and 100,000 MiB",
                ),
                K::InflightMib => (0.0, 1_000.0, "a request in flight holds at most 1,000 MiB"),
                K::StartupMs => (0.0, 600_000.0, "start-up takes at most 10 minutes"),
                K::Node24Speedup => (
                    0.1,
                    10.0,
                    "a runtime upgrade changes speed by less than 10x either way",
                ),
                K::AccessLogFactor => (
                    1.0,
                    10.0,
                    "a log line costs something, and less than 9 requests' work",
                ),
                K::UslAlpha => (0.0, 1.0, "contention is a share of the work, 0 to 1"),
                K::UslBeta => (
                    0.0,
                    1.0,
                    "a fitted coherency lies within the fit's bounds, 0 to 1",
                ),
            },
            AssumptionId::Shared(figure) => match figure {
                S::UslAlpha => (0.0, 1.0, "contention is a share of the work, 0 to 1"),
                S::UslBeta => (
                    0.0,
                    0.01,
                    "at 0.01 throughput already peaks at 10 processes",
                ),
                S::ProcessesPerVcpu => (
                    1.0,
                    4.0,
                    "on an async server more processes than vCPUs add memory, not CPU",
                ),
                S::MemoryHeadroom => (0.1, 1.0, "a share of the instance, 10% to all of it"),
                S::MlHopMs => (0.0, 10_000.0, "a call to a sidecar takes at most 10 s"),
                S::SwitchShare | S::IntegrationSaving => (0.0, 1.0, "a share, 0% to 100%"),
                S::RampUpMonths => (0.0, 60.0, "ramp-up takes at most 5 years"),
                S::DocsHoursPerSprint => (0.0, 400.0, "at most 400 hours a sprint"),
                S::SprintWeeks => (1.0, 8.0, "a sprint lasts 1 to 8 weeks"),
                S::IntegrationHours => (0.0, 10_000.0, "at most 10,000 hours an integration"),
                S::HoursPerYear => (500.0, 4_000.0, "a working year of 500 to 4,000 hours"),
                S::MlRuntimeMib => (0.0, 100_000.0, "an ML runtime takes at most 100,000 MiB"),
                S::GpuBatchCost => (
                    0.0,
                    1.0,
                    "a batch costs from nothing extra to one full inference per request",
                ),
                S::GpuCeiling => (0.1, 1.0, "a share of the GPU's time, 10% to all of it"),
                S::AutoscaleReactS | S::InstanceBootS => {
                    (0.0, 3_600.0, "capacity arrives within an hour")
                }
                S::PullMbPerS | S::ModelLoadMibPerS => {
                    (1.0, 100_000.0, "from 1 to 100,000 per second")
                }
                S::ImagePythonMb | S::ImageNodeMb | S::ImageMlMb => {
                    (0.0, 100_000.0, "an image of at most 100 GB")
                }
                S::K8sControlHour => (0.0, 100.0, "at most 100 an hour for a cluster"),
                S::FnRequestPerM
                | S::FnGbSecondPerM
                | S::RunVcpuSecondPerM
                | S::RunGibSecondPerM
                | S::RunRequestPerM
                | S::RunIdleVcpuSecondPerM => (0.0, 10_000.0, "at most 10,000 per million"),
                S::FnIdleMin | S::RunIdleMin => (
                    0.1,
                    1_440.0,
                    "an idle environment is kept between 6 s and a day",
                ),
                S::FnColdNodeMs | S::FnColdPythonMs => {
                    (0.0, 600_000.0, "a cold start takes at most 10 minutes")
                }
            },
        }
    }
}

/// Which named set a set of figures is, or started from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum SetKind {
    /// Published benchmarks (SOURCES set B), the default.
    #[default]
    Published,
    /// The article's figures (SOURCES set A), with the references it cites.
    Article,
    /// The user's own load-test measurements, on top of published figures.
    Measured,
}

impl SetKind {
    /// Name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            SetKind::Published => "Published benchmarks",
            SetKind::Article => "The article",
            SetKind::Measured => "Your measurements",
        }
    }
    /// Stable key.
    pub fn key(self) -> &'static str {
        match self {
            SetKind::Published => "published",
            SetKind::Article => "article",
            SetKind::Measured => "measured",
        }
    }
    /// Whether the article's unverified productivity claims (generated docs,
    /// Node SDKs) count by default with this set: only with the article's
    /// own figures. A switch on the page turns them on or off for any set.
    pub fn counts_article_claims(self) -> bool {
        self == SetKind::Article
    }
    /// The kind with this key.
    pub fn from_key(key: &str) -> Option<SetKind> {
        [SetKind::Published, SetKind::Article, SetKind::Measured]
            .into_iter()
            .find(|k| k.key() == key)
    }
}

const FRAMEWORKS: usize = 4;
const KINDS: usize = FigureKind::ALL.len();
const SHARED: usize = SharedFigure::ALL.len();
/// Kinds a framework may have its own figure of, or read the shared one
/// ([`FigureKind::shared_default`]).
const OWN: usize = 2;

/// A named set of figures: one row per framework plus the shared row, and
/// the frameworks' own USL coefficients where they have them.
#[derive(Clone, Debug, PartialEq)]
pub struct AssumptionSet {
    /// Which named set this is.
    pub kind: SetKind,
    /// Per framework, every kind without a shared default, in
    /// [`FigureKind::ALL`] order.
    frameworks: Vec<Vec<Assumption>>,
    shared: Vec<Assumption>,
    /// Per framework, its own figure of each kind with a shared default;
    /// `None` where the shared figure applies (every shipped set).
    own: [[Option<Assumption>; OWN]; FRAMEWORKS],
}

/// A set resolved to one number per figure: what the estimate reads.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Figures {
    frameworks: [[f64; KINDS]; FRAMEWORKS],
    shared: [f64; SHARED],
    /// Whether a framework has its own figure of each kind with a shared
    /// default; where not, [`Figures::of`] reads the shared one.
    own: [[bool; OWN]; FRAMEWORKS],
}

impl Figures {
    /// A framework's figure: for a kind with a shared default
    /// ([`FigureKind::shared_default`]), the framework's own value where it
    /// has one, else the shared figure's.
    pub fn of(&self, framework: Framework, kind: FigureKind) -> f64 {
        if let (Some(slot), Some(shared)) = (kind.own_slot(), kind.shared_default()) {
            if !self.own[framework.index()][slot] {
                return self.shared(shared);
            }
        }
        self.frameworks[framework.index()][kind as usize]
    }
    /// A shared figure.
    pub fn shared(&self, figure: SharedFigure) -> f64 {
        self.shared[figure as usize]
    }
    /// Any figure by id.
    pub fn get(&self, id: AssumptionId) -> f64 {
        match id {
            AssumptionId::Framework(fw, k) => self.of(fw, k),
            AssumptionId::Shared(s) => self.shared(s),
        }
    }
    /// Replaces one figure (for sensitivity and Monte Carlo draws). A
    /// framework's figure of a kind with a shared default becomes its own:
    /// from then on it is read instead of the shared one.
    pub fn set(&mut self, id: AssumptionId, value: f64) {
        match id {
            AssumptionId::Framework(fw, k) => {
                self.frameworks[fw.index()][k as usize] = value;
                if let Some(slot) = k.own_slot() {
                    self.own[fw.index()][slot] = true;
                }
            }
            AssumptionId::Shared(s) => self.shared[s as usize] = value,
        }
    }
}

impl Default for AssumptionSet {
    fn default() -> Self {
        AssumptionSet::published()
    }
}

impl AssumptionSet {
    /// The shipped set of this kind ("Your measurements" starts from the
    /// published set).
    pub fn shipped(kind: SetKind) -> AssumptionSet {
        match kind {
            SetKind::Published => AssumptionSet::published(),
            SetKind::Article => AssumptionSet::article(),
            SetKind::Measured => AssumptionSet {
                kind: SetKind::Measured,
                ..AssumptionSet::published()
            },
        }
    }

    /// The shipped set of this kind, built once and shared: what an edited
    /// set is compared with ([`AssumptionSet::is_edited`], asked of every
    /// figure each time the link is written) without building a set for
    /// each question.
    pub fn shipped_ref(kind: SetKind) -> &'static AssumptionSet {
        static PUBLISHED: LazyLock<AssumptionSet> =
            LazyLock::new(|| AssumptionSet::shipped(SetKind::Published));
        static ARTICLE: LazyLock<AssumptionSet> =
            LazyLock::new(|| AssumptionSet::shipped(SetKind::Article));
        static MEASURED: LazyLock<AssumptionSet> =
            LazyLock::new(|| AssumptionSet::shipped(SetKind::Measured));
        match kind {
            SetKind::Published => &PUBLISHED,
            SetKind::Article => &ARTICLE,
            SetKind::Measured => &MEASURED,
        }
    }

    /// A figure of the set. A framework's figure of a kind with a shared
    /// default ([`FigureKind::shared_default`]) is the shared figure where
    /// the framework has none of its own ([`AssumptionSet::holds`]).
    pub fn get(&self, id: AssumptionId) -> &Assumption {
        match id {
            AssumptionId::Framework(fw, k) => match (k.own_slot(), k.shared_default()) {
                (Some(slot), Some(shared)) => self.own[fw.index()][slot]
                    .as_ref()
                    .unwrap_or(&self.shared[shared as usize]),
                _ => &self.frameworks[fw.index()][k as usize],
            },
            AssumptionId::Shared(s) => &self.shared[s as usize],
        }
    }

    /// Whether the set holds a figure of its own under `id`: every figure
    /// but a framework's USL coefficients where it has none (the shared ones
    /// apply).
    pub fn holds(&self, id: AssumptionId) -> bool {
        match id {
            AssumptionId::Framework(fw, k) => k
                .own_slot()
                .is_none_or(|slot| self.own[fw.index()][slot].is_some()),
            AssumptionId::Shared(_) => true,
        }
    }

    /// The figures the set holds ([`AssumptionSet::holds`]), in display
    /// order: what the panel lists, the Monte Carlo draws and the
    /// sensitivity sweeps.
    pub fn figures(&self) -> impl Iterator<Item = AssumptionId> + '_ {
        AssumptionId::all().filter(|id| self.holds(*id))
    }

    /// Replaces a figure after checking it (low <= typical <= high, all
    /// within [`AssumptionId::valid_range`]); the error names the figure, the
    /// value and the allowed range.
    pub fn set(&mut self, id: AssumptionId, value: Assumption) -> Result<(), String> {
        value
            .check()
            .map_err(|problem| format!("{}: {}", id.label(), problem))?;
        let (min, max, why) = id.valid_range();
        for v in [value.low, value.typical, value.high] {
            if !(min..=max).contains(&v) {
                return Err(format!(
                    "{}: {} is outside the allowed range, {} to {} {} ({why}).",
                    id.label(),
                    super::format::quoted(v),
                    super::format::number(min, 6),
                    super::format::number(max, 6),
                    value.unit.label(),
                ));
            }
        }
        match id {
            AssumptionId::Framework(fw, k) => match (k.own_slot(), k.shared_default()) {
                (Some(slot), Some(shared)) => {
                    let mut value = value;
                    // A framework's first own figure, from an edit or a
                    // link, arrives with the shared figure's source.
                    if self.own[fw.index()][slot].is_none()
                        && value.source == self.shared[shared as usize].source
                    {
                        value.source = Cow::Owned(format!(
                            "Set for {} alone, by an edit or a link (where it is not set, the shared figure \"{}\" applies).",
                            fw.label(),
                            shared.label()
                        ));
                    }
                    self.own[fw.index()][slot] = Some(value);
                }
                _ => self.frameworks[fw.index()][k as usize] = value,
            },
            AssumptionId::Shared(s) => self.shared[s as usize] = value,
        }
        Ok(())
    }

    /// Puts a figure back as the shipped set has it: a framework's own USL
    /// coefficient goes, so the shared one applies again.
    pub fn reset(&mut self, id: AssumptionId) {
        let shipped = AssumptionSet::shipped_ref(self.kind);
        match id {
            AssumptionId::Framework(fw, k) => match k.own_slot() {
                Some(slot) => self.own[fw.index()][slot] = None,
                None => {
                    self.frameworks[fw.index()][k as usize] =
                        shipped.frameworks[fw.index()][k as usize].clone();
                }
            },
            AssumptionId::Shared(s) => {
                self.shared[s as usize] = shipped.shared[s as usize].clone();
            }
        }
    }

    /// Whether a figure differs from the shipped set it started from: a
    /// framework's own USL coefficient always does (no shipped set has one).
    pub fn is_edited(&self, id: AssumptionId) -> bool {
        let shipped = AssumptionSet::shipped_ref(self.kind);
        if self.holds(id) != shipped.holds(id) {
            return true;
        }
        if !self.holds(id) {
            return false;
        }
        let (a, b) = (self.get(id), shipped.get(id));
        a.low != b.low || a.typical != b.typical || a.high != b.high
    }

    /// Resolves every figure at one point of its range.
    pub fn resolve(&self, pick: Pick) -> Figures {
        self.resolve_with(|id, a| a.pick(pick, id.better()))
    }

    /// Resolves every figure with a function of its id and range (Monte
    /// Carlo draws, sensitivity sweeps).
    pub fn resolve_with(&self, mut f: impl FnMut(AssumptionId, &Assumption) -> f64) -> Figures {
        let mut figures = Figures {
            frameworks: [[0.0; KINDS]; FRAMEWORKS],
            shared: [0.0; SHARED],
            own: [[false; OWN]; FRAMEWORKS],
        };
        for fw in Framework::ALL {
            for k in FigureKind::ALL {
                let id = AssumptionId::Framework(fw, k);
                if self.holds(id) {
                    figures.set(id, f(id, self.get(id)));
                }
            }
        }
        for s in SharedFigure::ALL {
            let id = AssumptionId::Shared(s);
            figures.set(id, f(id, self.get(id)));
        }
        figures
    }

    /// SOURCES set B: published benchmarks and one same-day run of all three
    /// stacks on one machine. Single readings get a range of +-20%: the
    /// source reports that much drift between runs.
    pub fn published() -> AssumptionSet {
        use Unit as U;
        let a = Assumption::new;
        let not_node = || {
            a(
                1.0,
                1.0,
                1.0,
                U::Multiplier,
                "Not a Node.js stack: does not apply.",
            )
        };
        let not_uvicorn = || {
            a(
                1.0,
                1.0,
                1.0,
                U::Multiplier,
                "Not served by Uvicorn: does not apply.",
            )
        };
        let node_reference = || {
            a(
                1.0,
                1.0,
                1.0,
                U::Multiplier,
                "Reference: the CPU-bound input is CPU time as measured on Node.js.",
            )
        };

        let fastapi = vec![
            a(59.0, 134.0, 664.0, U::MicrosPerRequest,
              "Typical: validated JSON POST, 7,484 req/s on one core (one machine, 2026-11-27: FastAPI 0.165, Uvicorn 0.54, Python 3.11). Low: one worker on a fast desktop core, 17,178 req/s (lihil.cc). High: HttpArena's 4-CPU profile, about 1.4k req/s per busy CPU (5.6k in all); as one process through the scalability law, X(4) = 3.72 / 5,600 req/s = 664 µs."),
            a(122.0, 153.0, 664.0, U::MicrosPerRequest,
              "Typical: a handler awaiting 20 ms at 256 connections, 6,516 req/s on one core (one machine, 2026-11-27); low -20%. High: HttpArena's JSON figure as one process (664 µs, see the JSON figure) as a slow-hardware bound."),
            a(8.5, 9.5, 10.5, U::Multiplier,
              "Hand-written loops: a 20k-integer-step loop on one core (one machine, 2026-11-27), FastAPI 958 req/s against Express 5,129 and Fastify 8,077, i.e. (1,044 - 107) µs against 89-110 µs: 8.5-10.5x. Work done in NumPy, pandas or Polars is the vectorised figure."),
            a(40.0, 50.0, 124.0, U::MibPerProcess,
              "50 MB RSS idle, one process (one machine, 2026-11-27); low -20%. High: HttpArena, 495 MiB for 4 workers with a database pool."),
            a(0.09, 0.11, 0.13, U::MibPerRequest,
              "(57 MB after load - 50 MB idle) / 64 connections (one machine, 2026-11-27), +-20%."),
            a(243.0, 304.0, 365.0, U::Ms,
              "Start to first response of one process, 304 ms (one machine, 2026-11-27), +-20%."),
            not_node(),
            a(1.48, 1.85, 2.22, U::Multiplier,
              "Uvicorn with --no-access-log --no-proxy-headers served 85% more requests (TechEmpower PR 9900), +-20%."),
            a(0.1, 0.5, 1.0, U::Multiplier,
              "Vectorised work runs in the library's compiled code, not in the interpreter: NumPy's documentation puts its array operations at C speed, and the one-machine loop above ran 8.5-10.5x slower in Python than in Node.js, so the same work vectorised costs about 10.5 / 10 to 9.5 / 100 of the Node.js loop, depending on how much of it the library does. A Stackwise estimate from those two facts: 0.1-1x, 0.5 typical."),
        ];
        let express = vec![
            a(91.0, 130.0, 156.0, U::MicrosPerRequest,
              "Node 20. Typical: validated JSON POST, Express 5.3, 7,668 req/s on one core (one machine, 2026-11-27); high +20%, the drift between runs. Low: Express 4 JSON, 10,929 req/s. TechEmpower Round 23 agrees: 224,163 req/s on 56 threads is, through the scalability law (X(56) = 20.9 at the typical coefficients), 93 µs per process."),
            a(116.0, 127.0, 152.0, U::MicrosPerRequest,
              "Node 20. Typical: a handler awaiting 20 ms at 256 connections, Express 5, 7,878 req/s on one core; low: Express 4, 8,633 req/s; high +20%, the drift between runs (one machine, 2026-11-27)."),
            node_reference(),
            a(50.0, 62.0, 75.0, U::MibPerProcess,
              "62 MB RSS idle, one process (one machine, 2026-11-27), +-20%."),
            a(1.05, 1.31, 1.69, U::MibPerRequest,
              "(146-170 MB after load - 62 MB idle) / 64 connections (one machine, 2026-11-27); low -20%. Mostly V8 heap growth under load."),
            a(172.0, 215.0, 258.0, U::Ms,
              "Start to first response, 215 ms (one machine, 2026-11-27), +-20%."),
            a(2.4, 3.0, 4.2, U::Multiplier,
              "Node 22 to 24 made Express about 3x faster (expressjs/perf-wg#21). High: a TechEmpower continuous run with Node 24 and Express 5, 949,717 req/s against Round 23's 224,163 (4.2x). Low -20%."),
            not_uvicorn(),
            a(1.0, 1.0, 1.0, U::Multiplier,
              "Not a Python stack: vectorised work runs as JavaScript loops, the reference."),
        ];
        let fastify = vec![
            a(12.0, 25.0, 30.0, U::MicrosPerRequest,
              "Node 20. Typical: validated JSON POST, Fastify 5.12, 40,315 req/s on one core (one machine, 2026-11-27); high +20%, the drift between runs. Low: JSON peak of 86k req/s. TechEmpower Round 23 agrees: 844,960 req/s on 56 threads is, through the scalability law (X(56) = 20.9), 24.7 µs per process."),
            a(14.0, 25.0, 84.0, U::MicrosPerRequest,
              "A handler awaiting 20 ms at 256 connections reached 11,957 req/s, near the 12,800 req/s the connections allow, so 84 µs is an upper bound (one machine, 2026-11-27). Typical: the validated-POST cost; low: the plain JSON cost, 14 µs."),
            node_reference(),
            a(53.0, 66.0, 79.0, U::MibPerProcess,
              "66 MB RSS idle, one process (one machine, 2026-11-27), +-20%."),
            a(0.8, 1.0, 1.2, U::MibPerRequest,
              "(130 MB after load - 66 MB idle) / 64 connections (one machine, 2026-11-27), +-20%."),
            a(185.0, 231.0, 277.0, U::Ms,
              "Start to first response, 231 ms (one machine, 2026-11-27), +-20%."),
            a(1.0, 1.0, 1.3, U::Multiplier,
              "No same-hardware run. Fastify is within 2% of node:http on Node 24 (fastify/benchmarks 2026: 46,850 vs 47,917 req/s) and at 74% of it on Node 20 (TechEmpower Round 23: 844,960 vs 1,147,305): at most about 1.3x."),
            not_uvicorn(),
            a(1.0, 1.0, 1.0, U::Multiplier,
              "Not a Python stack: vectorised work runs as JavaScript loops, the reference."),
        ];
        let nestjs = vec![
            a(106.0, 151.0, 181.0, U::MicrosPerRequest,
              "No one-machine run. TechEmpower Round 23 on the same hardware: NestJS 192,830 req/s against Express 224,163 (1.16x the cost), applied to Express's figures (91, 130, 156 µs)."),
            a(135.0, 147.0, 176.0, U::MicrosPerRequest,
              "Express's I/O-bound figures (116, 127, 152 µs) times 1.16, the NestJS/Express cost ratio of TechEmpower Round 23."),
            node_reference(),
            a(62.0, 75.0, 100.0, U::MibPerProcess,
              "No published figure. Express's 62 MB idle plus the NestJS module graph: a Stackwise assumption, from Express's own figure to +60%. Why: 75 MB adds about 13 MB for the NestJS core, reflect-metadata and the module graph of a small app to Express's measured 62 MB; +60% is a large app."),
            a(1.05, 1.31, 1.69, U::MibPerRequest,
              "NestJS runs on Express here: Express's figure, (146-170 MB - 62 MB) / 64 connections (one machine, 2026-11-27)."),
            a(215.0, 300.0, 500.0, U::Ms,
              "No published figure. Express's 215 ms plus module bootstrap: a Stackwise assumption. Why: 300 ms adds about 85 ms of dependency-injection bootstrap to Express's measured 215 ms; 500 ms is a large module graph."),
            a(1.0, 2.0, 3.0, U::Multiplier,
              "No published run. NestJS runs on Express, so part of Express's ~3x gain on Node 24 carries over: a Stackwise assumption of 2x, from none to all of it. Why: NestJS adds its own layers on top of Express, so it gets part of the gain; 2x is halfway between none (1x) and all (3x)."),
            not_uvicorn(),
            a(1.0, 1.0, 1.0, U::Multiplier,
              "Not a Python stack: vectorised work runs as JavaScript loops, the reference."),
        ];
        AssumptionSet {
            kind: SetKind::Published,
            frameworks: vec![fastapi, express, fastify, nestjs],
            shared: published_shared(),
            own: Default::default(),
        }
    }

    /// SOURCES set A: the article's figures with the references it cites.
    /// Where the article gives no figure, the published one is kept and its
    /// source says so.
    pub fn article() -> AssumptionSet {
        use FigureKind as K;
        let mut set = AssumptionSet::published();
        set.kind = SetKind::Article;
        for row in set
            .frameworks
            .iter_mut()
            .chain(std::iter::once(&mut set.shared))
        {
            for fig in row.iter_mut() {
                if !fig.source.starts_with("Not ") {
                    fig.source = Cow::Owned(format!("{ARTICLE_SILENT}{}", fig.source));
                }
            }
        }
        // The article's JSON totals are for unstated hardware: spread over the
        // 28 hardware threads of the machine its cited round ran on, to give
        // CPU time per request.
        let per_request = |rps_low: f64, rps_high: f64| {
            let threads = ARTICLE_ASSUMED_THREADS;
            let typical_rps = 0.5 * (rps_low + rps_high);
            (
                threads / rps_high * 1e6,
                threads / typical_rps * 1e6,
                threads / rps_low * 1e6,
            )
        };
        let json = |rps: (f64, f64), text: &'static str| {
            let (low, typical, high) = per_request(rps.0, rps.1);
            Assumption::new(low, typical, high, Unit::MicrosPerRequest, text)
        };
        let mut put = |fw: Framework, k: FigureKind, a: Assumption| {
            set.frameworks[fw.index()][k as usize] = a;
        };
        put(Framework::FastApi, K::JsonCpuUs, json((60_000.0, 70_000.0),
            "The article: FastAPI + Uvicorn 60,000-70,000 req/s for JSON (citing TechEmpower Round 22), hardware unstated; spread over the 28 hardware threads of TechEmpower's Round 16-22 machine (one Xeon Gold 5120, 14 cores)."));
        put(Framework::Express, K::JsonCpuUs, json((30_000.0, 40_000.0),
            "The article: Express 30,000-40,000 req/s for JSON (citing TechEmpower Round 22), hardware unstated; spread over the 28 hardware threads of TechEmpower's Round 16-22 machine (one Xeon Gold 5120, 14 cores)."));
        put(Framework::Fastify, K::JsonCpuUs, json((50_000.0, 65_000.0),
            "The article: Fastify 50,000-65,000 req/s for JSON (citing TechEmpower Round 22), hardware unstated; spread over the 28 hardware threads of TechEmpower's Round 16-22 machine (one Xeon Gold 5120, 14 cores)."));
        put(Framework::FastApi, K::IoCpuUs, json((60_000.0, 70_000.0),
            "The article gives no I/O figure: its FastAPI JSON figure (60,000-70,000 req/s, TechEmpower Round 22, over the 28 threads of its Xeon Gold 5120)."));
        put(Framework::Express, K::IoCpuUs, json((30_000.0, 40_000.0),
            "The article gives no I/O figure: its Express JSON figure (30,000-40,000 req/s, TechEmpower Round 22, over the 28 threads of its Xeon Gold 5120)."));
        put(Framework::Fastify, K::IoCpuUs, json((50_000.0, 65_000.0),
            "The article gives no I/O figure: its Fastify JSON figure (50,000-65,000 req/s, TechEmpower Round 22, over the 28 threads of its Xeon Gold 5120)."));
        put(
            Framework::FastApi,
            K::RuntimeMib,
            Assumption::new(
                80.0,
                100.0,
                120.0,
                Unit::MibPerProcess,
                "The article: FastAPI apps start at 80-120 MB and grow predictably under load.",
            ),
        );
        put(
            Framework::Express,
            K::RuntimeMib,
            Assumption::new(
                40.0,
                60.0,
                80.0,
                Unit::MibPerProcess,
                "The article: simple Express apps use 40-80 MB, with less predictable growth (GC).",
            ),
        );
        put(Framework::Fastify, K::RuntimeMib, Assumption::new(40.0, 60.0, 80.0, Unit::MibPerProcess,
            "The article's Node.js figure for simple Express apps, 40-80 MB (it gives none for Fastify)."));
        put(
            Framework::FastApi,
            K::StartupMs,
            Assumption::new(
                200.0,
                350.0,
                500.0,
                Unit::Ms,
                "The article: 200-500 ms including Uvicorn start-up.",
            ),
        );
        put(
            Framework::Express,
            K::StartupMs,
            Assumption::new(
                50.0,
                125.0,
                200.0,
                Unit::Ms,
                "The article: 50-200 ms for Express applications.",
            ),
        );
        put(
            Framework::Fastify,
            K::StartupMs,
            Assumption::new(
                50.0,
                125.0,
                200.0,
                Unit::Ms,
                "The article's Node.js figure for Express, 50-200 ms (it gives none for Fastify).",
            ),
        );
        // NestJS: the article's Express figure times the NestJS/Express cost
        // ratio of TechEmpower Round 23 (224,163 / 192,830 = 1.16).
        for k in [K::JsonCpuUs, K::IoCpuUs] {
            let express = set.frameworks[Framework::Express.index()][k as usize].clone();
            set.frameworks[Framework::NestJs.index()][k as usize] = Assumption {
                low: express.low * NESTJS_OVER_EXPRESS,
                typical: express.typical * NESTJS_OVER_EXPRESS,
                high: express.high * NESTJS_OVER_EXPRESS,
                unit: Unit::MicrosPerRequest,
                source: Cow::Borrowed(
                    "The article gives no NestJS figure: its Express figure (30,000-40,000 req/s, TechEmpower Round 22, over the 28 threads of its Xeon Gold 5120) times 1.16, the NestJS/Express cost ratio of TechEmpower Round 23.",
                ),
            };
        }
        // The article's figures are the article's: no runtime-version
        // adjustment is applied on top of them.
        for fw in [Framework::Express, Framework::Fastify, Framework::NestJs] {
            set.frameworks[fw.index()][K::Node24Speedup as usize] = Assumption::new(1.0, 1.0, 1.0, Unit::Multiplier,
                "The article's figures are used as it states them: it names no Node.js version, so no version speed-up is applied to them (the published benchmarks carry Node 24's).");
        }
        let shared = &mut set.shared;
        shared[SharedFigure::SwitchShare as usize] = Assumption::new(0.15, 0.225, 0.30, Unit::Fraction,
            "The article, citing LinkedIn Engineering (2024): framework switches cost 15-30% of a project's timeline.");
        shared[SharedFigure::DocsHoursPerSprint as usize] = Assumption::new(
            10.0,
            12.5,
            15.0,
            Unit::HoursPerSprint,
            "The article's claim, unverified: FastAPI's generated API docs save 10-15 hours per sprint. No source is given and none was found; counted by default only with the article's figures.",
        );
        shared[SharedFigure::IntegrationSaving as usize] = Assumption::new(0.40, 0.40, 0.40, Unit::Fraction,
            "The article's claim, unverified: Node SDKs saved 40% of integration development time (citing a Shopify Engineering post of 2025 that could not be found). Counted by default only with the article's figures.");
        set
    }
}

/// CPU cost of NestJS (Express adapter) over Express on the same hardware:
/// TechEmpower Round 23 JSON, 224,163 / 192,830 req/s.
const NESTJS_OVER_EXPRESS: f64 = 224_163.0 / 192_830.0;

/// The hardware threads the article's throughput totals are spread over.
/// The article names no hardware; it cites TechEmpower Round 22, and Rounds
/// 16 to 22 ran on one Intel Xeon Gold 5120 (14 cores, 28 threads), so its
/// totals are read as per 28 threads. Stated on every figure it touches.
pub const ARTICLE_ASSUMED_THREADS: f64 = 28.0;

fn published_shared() -> Vec<Assumption> {
    use Unit as U;
    let a = Assumption::new;
    vec![
        a(0.0, 0.025, 0.053, U::Coefficient,
          "A second worker gave 1.9-2.1x for FastAPI and Express (one machine, 2026-11-27); 2 / (1 + alpha) = 1.9 gives alpha = 0.053."),
        a(0.0, 0.0001, 0.0005, U::Coefficient,
          "No published fit for these servers: a Stackwise assumption. Why: two workers scaled nearly linearly (1.9-2.1x), which leaves coherency too small to measure; 0.0001 keeps the USL peak past 90 processes, beyond any instance offered, 0.0005 brings it to 44 as a pessimistic bound, and 0 is no coherency cost."),
        a(1.0, 1.0, 2.0, U::ProcessesPerVcpu,
          "TechEmpower runs one Uvicorn worker or Node cluster process per CPU. High: two per vCPU, sometimes used for I/O-heavy services."),
        a(0.8, 0.9, 0.95, U::Fraction,
          "The OS, agents and the container runtime take the rest: a Stackwise assumption. Why: 10% covers a minimal OS, one log or metrics agent and the container runtime on a 4 GiB instance; 5% is a bare container host, 20% one with sidecars."),
        a(0.5, 1.5, 5.0, U::Ms,
          "One HTTP call to a sidecar in the same zone, JSON encoded and decoded: a Stackwise assumption; measure your own. Why: 1.5 ms is a kept-alive HTTP round trip inside a zone plus encoding a short text both ways; 0.5 ms is the same host, 5 ms a new connection or a service-mesh proxy on each side."),
        a(0.15, 0.225, 0.30, U::Fraction,
          "The article, citing LinkedIn Engineering (2024): 15-30% of a project's timeline. No independent published figure was found."),
        a(1.0, 3.0, 6.0, U::Months,
          "No published figure: a Stackwise assumption. The article: 'don't underestimate the cost of context switching between languages'. Why: 3 months for a developer fluent in one of the two languages to be fully productive in the other on an existing codebase; 1 month when the team already reads both, 6 for a first backend in the language."),
        a(0.0, 10.0, 15.0, U::HoursPerSprint,
          "The article's claim, unverified: 10-15 hours saved per sprint by FastAPI's generated docs. No source is given and none was found, so the range reaches 0, and it counts only with the switch 'Count the article's productivity claims' on (off by default with these figures)."),
        a(1.0, 2.0, 4.0, U::Weeks,
          "The most common Scrum sprint length: a Stackwise assumption. Why: two weeks is the usual sprint; the Scrum Guide caps a sprint at one month, hence 1 to 4 weeks."),
        a(0.0, 0.2, 0.4, U::Fraction,
          "The article's claim, unverified: Node SDKs save 40% of integration work (citing Shopify Engineering, 2025, not found). The only figure, so it is the top of the range; it counts only with the switch 'Count the article's productivity claims' on (off by default with these figures)."),
        a(40.0, 80.0, 160.0, U::Hours,
          "One to four developer-weeks per integration: a Stackwise assumption. Why: 80 hours (two developer-weeks) to build, test and monitor one SaaS integration such as payments or e-mail; one week for a thin SDK call, four for one with webhooks, retries and reconciliation."),
        a(1600.0, 1800.0, 2000.0, U::HoursPerYear,
          "A full-time year after leave and holidays: a Stackwise assumption. Why: 52 weeks of 40 hours (2,080) less about 7 weeks of leave, public holidays and sick days gives 1,800; 1,600 to 2,000 spans European and US norms."),
        a(200.0, 320.0, 500.0, U::MibPerProcess,
          "A FastAPI worker with its ML framework loaded stood at 370 MB before its model and 750 MB after (fastapi/fastapi#596); less this set's 50 MB plain worker, 320 MiB is the runtime. The range is a Stackwise assumption. Why: a CPU-only build of the framework loads less (200), one with more libraries or a GPU build more (500)."),
        a(0.25, 0.5, 0.6, U::Fraction,
          "NVIDIA's TensorRT BERT demo on a T4 (BERT Base, 128 tokens): FP16 batches of 2, 4, 8 and 32 take 2.71, 4.53, 9.09 and 36.63 ms against 1.95 ms for one, so each extra request adds 0.39-0.57 of one inference (0.5 typical); INT8 adds 0.25-0.33. A DistilBERT-class model has half the layers, and batches alike."),
        a(0.7, 0.8, 0.9, U::Fraction,
          "A Stackwise assumption. Why: a GPU tier runs hotter than a CPU tier's 50-70% autoscaling target, since batches absorb bursts, but not at 100%, where every batch is full and the wait for one doubles; 80% leaves a batch's worth of headroom."),
        a(15.0, 60.0, 180.0, U::Seconds,
          "Kubernetes' HorizontalPodAutoscaler acts every 15 s (kube-controller-manager's --horizontal-pod-autoscaler-sync-period, default 15s) on metrics-server readings taken every 15-60 s; AWS target-tracking scaling acts on CloudWatch alarms over one-minute metrics, about 3 minutes (three datapoints). 15 s to 3 min, 1 min typical."),
        a(20.0, 40.0, 90.0, U::Seconds,
          "A Stackwise assumption. Why: an EC2 instance or a Fargate task is usually running, with its container runtime up, 30-60 s after the autoscaler asks; 20 s from a warm pool, 90 s for a large machine image. Not counted on Kubernetes, where a pod starts on a node already running (the cluster autoscaler's own node lag is not modelled)."),
        a(25.0, 80.0, 250.0, U::MbPerSecond,
          "A Stackwise assumption. Why: a registry in the same region (ECR, Artifact Registry) streams layers at tens to hundreds of MB/s to one node, and unpacking them costs time too; 80 MB/s typical, 25 on a small node's network, 250 on a large one."),
        a(100.0, 150.0, 300.0, U::Megabytes,
          "The article: FastAPI images on slim Python images are 100-300 MB (Docker Hub's official python slim image, the base, is about 45 MB compressed and 125 MB unpacked); typical 150 MB, a small service with its dependencies."),
        a(80.0, 170.0, 250.0, U::Megabytes,
          "The article: Node.js images on Alpine images are 80-250 MB (Docker Hub's official node Alpine image, the base, is about 50 MB compressed and 160 MB unpacked); typical 170 MB, that base and a service's node_modules."),
        a(700.0, 1_500.0, 4_500.0, U::Megabytes,
          "PyTorch's CPU-only wheel for Linux installs to about 700 MB; with transformers and tokenizers about 1.5 GB; the CUDA build with its nvidia-* packages 2.5-4.5 GB (the torch 2.x files on PyPI). A Stackwise reading of those package sizes: the image of every process that loads a model carries it, and a PyTorch image is several times a plain one."),
        a(100.0, 300.0, 1_000.0, U::MibPerSecond,
          "A Stackwise assumption. Why: safetensors weights read from local disk come at disk speed, hundreds of MiB/s, and building the model adds time; 300 MiB/s typical, 100 from network storage, 1,000 memory-mapped from a warm page cache. A process that loads the model is ready only after model / speed."),
        a(0.0, 0.10, 0.10, U::PerHour,
          "Amazon EKS: $0.10 per cluster-hour in standard support (EKS pricing page, in US dollars); GKE charges the same $0.10 per cluster-hour, with one zonal or Autopilot cluster free per billing account (low). Counted whole against this service: a cluster shared with other services costs it less."),
        a(0.20, 0.20, 0.20, U::PerMillion,
          "AWS Lambda, us-east-1: $0.20 per million requests (aws.amazon.com/lambda/pricing, read 2026-12-05, in US dollars); the free tier's first million a month is not counted."),
        a(13.3334, 16.6667, 16.6667, U::PerMillion,
          "AWS Lambda, us-east-1: $0.0000166667 per GB-second on x86, i.e. $16.67 per million; $0.0000133334 on Arm (low); for the first 6 billion GB-seconds a month (aws.amazon.com/lambda/pricing, read 2026-12-05, in US dollars). Billed from the start of the handler to its return, waits included."),
        a(5.0, 10.0, 60.0, U::Minutes,
          "An idle Lambda environment was recycled exactly 10 minutes after its last request in M. Shilkov's measurements (mikhail.io, 2019-08); from 25 to 60 minutes before that (Y. Cui, theburningmonk.com, 2017-06), and after 5 minutes earlier still. AWS documents no figure and may recycle sooner."),
        a(120.0, 160.0, 300.0, U::Ms,
          "Lambda's own start of a Node.js environment (its Init duration for a hello-world function) in maxday/lambda-perf's daily runs, about 120-160 ms at 128 MB; 300 ms for a larger package (M. Shilkov, Cold Starts in AWS Lambda, 2021: JavaScript cold starts mostly under half a second). The framework's start-up time and the model's load are added."),
        a(80.0, 110.0, 300.0, U::Ms,
          "Lambda's own start of a Python environment (its Init duration for a hello-world function) in maxday/lambda-perf's daily runs, about 80-120 ms at 128 MB; 300 ms for a larger package (M. Shilkov, Cold Starts in AWS Lambda, 2021). The framework's start-up time and the model's load are added."),
        a(18.0, 24.0, 33.6, U::PerMillion,
          "Google Cloud Run, request-based billing in Tier 1 regions: $0.000024 per vCPU-second while an instance serves, $24 per million; Tier 2 regions $0.0000336 (high); instance-based billing $0.000018 (low) (cloud.google.com/run/pricing, read 2026-12-05, in US dollars)."),
        a(2.0, 2.5, 3.5, U::PerMillion,
          "Google Cloud Run, request-based billing in Tier 1 regions: $0.0000025 per GiB-second while an instance serves, $2.50 per million; Tier 2 $0.0000035 (high); instance-based $0.000002 (low) (cloud.google.com/run/pricing, read 2026-12-05, in US dollars)."),
        a(0.40, 0.40, 0.40, U::PerMillion,
          "Google Cloud Run, request-based billing: $0.40 per million requests beyond the free 2 million a month (cloud.google.com/run/pricing, read 2026-12-05, in US dollars)."),
        a(1.0, 15.0, 15.0, U::Minutes,
          "Cloud Run keeps an idle instance for up to 15 minutes after its last request to avoid cold starts (Cloud Run documentation on instance autoscaling); it may shut one down sooner (low)."),
        a(2.5, 2.5, 2.5, U::PerMillion,
          "Google Cloud Run, request-based billing in Tier 1 regions: an idle instance kept by minimum instances is billed $0.0000025 per vCPU-second, $2.50 per million, a tenth of a busy one's, and its memory at the busy rate (cloud.google.com/run/pricing, the idle min-instance rate as listed in 2026, in US dollars). Without minimum instances an idle instance is not billed."),
    ]
}

/// Where the shipped sets disagree, in words, from the figures themselves
/// (the page's "Where the sets disagree"): the order of JSON throughput per
/// core in each, then every framework whose JSON cost is 2x or more apart
/// between them.
pub fn disagreements() -> Vec<String> {
    let published = AssumptionSet::published();
    let article = AssumptionSet::article();
    let json = |set: &AssumptionSet, fw| {
        set.get(AssumptionId::Framework(fw, FigureKind::JsonCpuUs))
            .typical
    };
    let order = |set: &AssumptionSet| {
        let mut fws = [Framework::FastApi, Framework::Express, Framework::Fastify];
        fws.sort_by(|a, b| json(set, *a).total_cmp(&json(set, *b)));
        fws.map(|f| f.label()).join(" > ")
    };
    let mut out = vec![format!(
        "JSON throughput per core, fastest first: published benchmarks say {}; the article says {}. \
         No published same-hardware run supports the article's ordering (TechEmpower Round 23, fastify/benchmarks, a same-day one-machine run).",
        order(&published),
        order(&article)
    )];
    for fw in [Framework::FastApi, Framework::Express, Framework::Fastify] {
        let (p, a) = (json(&published, fw), json(&article, fw));
        let ratio = if p > a { p / a } else { a / p };
        if ratio >= 2.0 {
            out.push(format!(
                "{}: CPU per JSON request is {} µs in published runs and {} µs from the article's totals ({}x apart); the article names no hardware, so its totals were spread over the 28 threads of TechEmpower's Round 16-22 machine (one Xeon Gold 5120).",
                fw.label(),
                super::format::significant(p),
                super::format::significant(a),
                super::format::significant(ratio)
            ));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_shared_shipped_sets_are_the_shipped_sets() {
        for kind in [SetKind::Published, SetKind::Article, SetKind::Measured] {
            let shared = AssumptionSet::shipped_ref(kind);
            assert_eq!(*shared, AssumptionSet::shipped(kind), "{kind:?}");
            assert!(std::ptr::eq(shared, AssumptionSet::shipped_ref(kind)));
            // An edit to a set of this kind leaves the shared set as shipped.
            let mut set = AssumptionSet::shipped(kind);
            let id = AssumptionId::all()
                .find(|id| set.get(*id).low < set.get(*id).typical)
                .unwrap_or_else(|| panic!("{kind:?}: no figure with a range below its typical"));
            let mut a = set.get(id).clone();
            a.typical = (a.low + a.typical) / 2.0;
            set.set(id, a).unwrap_or_else(|e| panic!("{e}"));
            assert!(set.is_edited(id));
            assert!(!AssumptionSet::shipped_ref(kind).is_edited(id));
            set.reset(id);
            assert!(!set.is_edited(id));
        }
    }

    #[test]
    fn every_shipped_figure_is_a_valid_range_with_a_source() {
        for kind in [SetKind::Published, SetKind::Article] {
            let set = AssumptionSet::shipped(kind);
            for id in AssumptionId::all() {
                let a = set.get(id);
                assert!(
                    a.check().is_ok(),
                    "{} in {:?}: {:?}",
                    id.key(),
                    kind,
                    a.check()
                );
                assert!(a.source.len() > 20, "{} has no real source", id.key());
            }
        }
    }

    #[test]
    fn tables_have_a_row_per_kind() {
        let set = AssumptionSet::published();
        assert_eq!(set.frameworks.len(), Framework::ALL.len());
        let always = FigureKind::ALL
            .iter()
            .filter(|k| k.shared_default().is_none())
            .count();
        assert!(set.frameworks.iter().all(|r| r.len() == always));
        // The kinds with a shared default come last, so the rows index by
        // kind.
        assert!(FigureKind::ALL[always..]
            .iter()
            .all(|k| k.shared_default().is_some()));
        assert_eq!(set.shared.len(), SharedFigure::ALL.len());
    }

    #[test]
    fn the_sets_disagree_on_the_json_ordering() {
        let json = |set: &AssumptionSet, fw| {
            set.get(AssumptionId::Framework(fw, FigureKind::JsonCpuUs))
                .typical
        };
        let (b, a) = (AssumptionSet::published(), AssumptionSet::article());
        // Published: Fastify is cheaper per request than FastAPI.
        assert!(json(&b, Framework::Fastify) < json(&b, Framework::FastApi));
        // The article: FastAPI is ahead of Fastify.
        assert!(json(&a, Framework::FastApi) < json(&a, Framework::Fastify));
    }

    #[test]
    fn article_keeps_published_figures_where_it_is_silent_and_says_so() {
        let a = AssumptionSet::article();
        let id = AssumptionId::Framework(Framework::Express, FigureKind::InflightMib);
        assert!(a.get(id).source.starts_with("The article gives no figure"));
        assert_eq!(
            a.get(id).typical,
            AssumptionSet::published().get(id).typical
        );
    }

    #[test]
    fn every_shipped_figure_is_within_its_valid_range() {
        for kind in [SetKind::Published, SetKind::Article] {
            let set = AssumptionSet::shipped(kind);
            for id in AssumptionId::all() {
                let a = set.get(id);
                let (min, max, _) = id.valid_range();
                for v in [a.low, a.typical, a.high] {
                    assert!((min..=max).contains(&v), "{} = {v} in {kind:?}", id.key());
                }
            }
        }
    }

    #[test]
    fn a_figure_s_basis_is_read_from_its_source() {
        for (text, basis) in [
            ("Your measurement: wrk, run.txt (1 run).", Basis::Measured),
            (
                "66 MB RSS idle (one machine, 2026-11-27), +-20%.",
                Basis::Measured,
            ),
            (
                "Measured on your own Node.js version: no adjustment applied.",
                Basis::Definition,
            ),
            ("Not a Node.js stack: does not apply.", Basis::Definition),
            (
                "A guess: a Stackwise assumption. Why: because.",
                Basis::Assumption,
            ),
            ("The article's claim, unverified: 40%.", Basis::ArticleClaim),
            (
                "The article: 50-200 ms for Express applications.",
                Basis::Article,
            ),
            (
                "The article gives no figure; published benchmarks: TechEmpower.",
                Basis::Published,
            ),
            ("TechEmpower Round 23, 56 threads.", Basis::Published),
        ] {
            assert_eq!(Basis::of(text), basis, "{text}");
        }
    }

    #[test]
    fn a_link_freezes_the_page_edits_past_the_valid_range_are_refused() {
        // `a.shared.procs_per_vcpu=50,50,50` made a 192-vCPU instance try
        // 9,600 processes; it is now refused with the field named.
        let mut set = AssumptionSet::published();
        let id = AssumptionId::Shared(SharedFigure::ProcessesPerVcpu);
        let edit = Assumption {
            low: 50.0,
            typical: 50.0,
            high: 50.0,
            ..set.get(id).clone()
        };
        let err = set.set(id, edit).unwrap_err();
        assert!(
            err.starts_with("Worker processes per vCPU: 50 is outside the allowed range, 1 to 4"),
            "{err}"
        );
        assert!(!set.is_edited(id));
    }

    #[test]
    fn a_huge_edit_is_named_in_a_short_message() {
        let mut set = AssumptionSet::published();
        let id = AssumptionId::Shared(SharedFigure::MlHopMs);
        let huge = Assumption {
            low: 1.0,
            typical: 2.0,
            high: f64::MAX,
            ..set.get(id).clone()
        };
        let err = set.set(id, huge).unwrap_err();
        assert!(err.contains("1.7976931348623157e308 is outside"), "{err}");
        assert!(err.len() < 200, "{} characters", err.len());
    }

    #[test]
    fn keys_round_trip() {
        for id in AssumptionId::all() {
            assert_eq!(AssumptionId::from_key(&id.key()), Some(id));
        }
    }

    #[test]
    fn edits_are_checked_and_marked() {
        let mut set = AssumptionSet::published();
        let id = AssumptionId::Shared(SharedFigure::MlHopMs);
        let bad = Assumption {
            low: 3.0,
            typical: 1.0,
            high: 5.0,
            ..set.get(id).clone()
        };
        let err = set.set(id, bad).unwrap_err();
        assert!(
            err.starts_with("Latency of a call to the ML sidecar"),
            "{err}"
        );
        assert!(!set.is_edited(id));
        let good = Assumption {
            typical: 2.0,
            ..set.get(id).clone()
        };
        set.set(id, good).unwrap();
        assert!(set.is_edited(id));
    }

    #[test]
    fn optimistic_takes_the_cheap_end() {
        let set = AssumptionSet::published();
        let opt = set.resolve(Pick::Optimistic);
        let pes = set.resolve(Pick::Pessimistic);
        let json = AssumptionId::Framework(Framework::Express, FigureKind::JsonCpuUs);
        let speed = AssumptionId::Framework(Framework::Express, FigureKind::Node24Speedup);
        assert!(opt.get(json) < pes.get(json));
        assert!(opt.get(speed) > pes.get(speed));
    }

    #[test]
    fn where_the_sets_disagree_is_said_from_their_figures() {
        let lines = disagreements();
        assert!(
            lines[0].starts_with(
                "JSON throughput per core, fastest first: published benchmarks say \
                 Fastify > Express > FastAPI; the article says FastAPI > Fastify > Express."
            ),
            "{}",
            lines[0]
        );
        // One line for each framework whose figures are 2x or more apart
        // (all three today), with both figures and the ratio.
        assert!(
            lines[1].starts_with(
                "FastAPI: CPU per JSON request is 134 µs in published runs and 431 µs \
                 from the article's totals (3.21x apart)"
            ),
            "{}",
            lines[1]
        );
        let named: Vec<&str> = lines[1..]
            .iter()
            .filter_map(|l| l.split(':').next())
            .collect();
        assert_eq!(named, ["FastAPI", "Express", "Fastify"]);
    }

    #[test]
    fn a_framework_reads_the_shared_usl_figures_until_it_has_its_own() {
        let mut set = AssumptionSet::published();
        let own = AssumptionId::Framework(Framework::Fastify, FigureKind::UslAlpha);
        let shared = AssumptionId::Shared(SharedFigure::UslAlpha);
        assert!(!set.holds(own) && !set.is_edited(own));
        assert_eq!(set.get(own), set.get(shared));
        assert!(set.figures().all(|id| id != own));
        // An edit of the shared figure moves every framework without its own.
        let mut edit = set.get(shared).clone();
        edit.typical = 0.04;
        set.set(shared, edit).unwrap();
        assert!(!set.is_edited(own));
        let f = set.resolve(Pick::Typical);
        assert_eq!(f.of(Framework::Fastify, FigureKind::UslAlpha), 0.04);
        // Its own figure is read instead, for that framework alone.
        let fitted = Assumption {
            low: 0.1,
            typical: 0.2,
            high: 0.3,
            unit: Unit::Coefficient,
            source: Cow::Borrowed("Your measurement: a fit."),
        };
        set.set(own, fitted).unwrap();
        assert!(set.holds(own) && set.is_edited(own));
        assert!(set.figures().any(|id| id == own));
        let mut f = set.resolve(Pick::Typical);
        assert_eq!(f.of(Framework::Fastify, FigureKind::UslAlpha), 0.2);
        assert_eq!(f.of(Framework::Express, FigureKind::UslAlpha), 0.04);
        assert_eq!(
            set.resolve(Pick::High)
                .of(Framework::Fastify, FigureKind::UslAlpha),
            0.3
        );
        // A draw of the shared figure leaves the framework's own alone.
        f.set(shared, 0.01);
        assert_eq!(f.of(Framework::Fastify, FigureKind::UslAlpha), 0.2);
        assert_eq!(f.of(Framework::NestJs, FigureKind::UslAlpha), 0.01);
        // Reset: the shared figure applies again.
        set.reset(own);
        assert!(!set.holds(own) && !set.is_edited(own));
        assert_eq!(
            set.resolve(Pick::Typical)
                .of(Framework::Fastify, FigureKind::UslAlpha),
            0.04
        );
    }

    #[test]
    fn a_framework_s_own_usl_figure_from_an_edit_says_so() {
        let mut set = AssumptionSet::published();
        let own = AssumptionId::Framework(Framework::FastApi, FigureKind::UslBeta);
        // An edit starts from what the row shows: the shared figure.
        let edit = Assumption {
            typical: 0.0002,
            ..set.get(own).clone()
        };
        set.set(own, edit).unwrap();
        assert!(
            set.get(own).source.starts_with("Set for FastAPI alone"),
            "{}",
            set.get(own).source
        );
        // Its range is the fit's, wider than the shared figure's.
        let (_, max, _) = own.valid_range();
        assert_eq!(max, 1.0);
    }

    #[test]
    fn fractions_are_shown_and_typed_as_percentages() {
        assert_eq!(Unit::Fraction.shown(0.15), 15.0);
        assert_eq!(Unit::Fraction.stored(22.5), 0.225);
        assert_eq!(Unit::Ms.shown(20.0), 20.0);
        assert_eq!(Unit::Ms.stored(20.0), 20.0);
        assert_eq!(Unit::Fraction.label(), "%");
    }
}
