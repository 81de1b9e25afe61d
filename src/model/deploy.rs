//! Where a stack runs: the deployment target turns sized tiers into what
//! they cost and how fast they answer there.
//!
//! [`super::estimate`] sizes every tier as always-on instances; this module
//! owns what changes with the target ([`DeployTarget`]), applied after the
//! sizing and never inside it:
//! - Instances or containers, and Kubernetes: billed by the hour as sized,
//!   plus the headroom that the autoscaler's lag needs ([`lag_headroom`]);
//!   Kubernetes adds its control plane's fee.
//! - Serverless functions (AWS Lambda style): every request runs alone in an
//!   environment; billed per request and per GB-second of its duration,
//!   waits included ([`function_month`]); a share of requests starts cold
//!   ([`cold_share`]) and pays the runtime's cold start in its latency.
//! - Serverless containers (Cloud Run style): instances serve many requests
//!   at once, as sized, but are billed only for the seconds they have a
//!   request in flight ([`billed_instance_share`]); cold starts as above.
//!
//! GPU tiers stay on GPU instances on every target (neither function
//! service modelled offers the GPUs they need), priced as sized.
//!
//! Every figure is a [`SharedFigure`]; the provider's hard limits (memory
//! and image size of a function, the largest serverless container) are
//! constants with their documentation below.

use std::fmt;

use serde::Serialize;

use super::assumptions::{FigureKind, Figures, SharedFigure};
use super::estimate::{
    Constraint, MemoryBreakdown, MonthlyCost, QueueLayout, TierEstimate, TierRole,
};
use super::format::whole;
use super::queueing::usl_capacity;
use super::scenario::{DeployTarget, NumField, Scenario};
use super::stack::Stack;
use super::HOURS_PER_MONTH;

/// Seconds in a billing month of [`HOURS_PER_MONTH`] hours.
pub const SECONDS_PER_MONTH: f64 = HOURS_PER_MONTH * 3_600.0;
/// Seconds in a day: traffic climbs to its peak once a day.
pub const SECONDS_PER_DAY: f64 = 86_400.0;
/// Largest memory a function may have, MB (AWS Lambda quotas: 128 MB to
/// 10,240 MB; Lambda's MB are 2^20 bytes, the same as MiB here).
pub const FN_MAX_MEMORY_MB: f64 = 10_240.0;
/// Smallest memory a function may have, MB (AWS Lambda quotas).
pub const FN_MIN_MEMORY_MB: f64 = 128.0;
/// Memory at which a function has one full vCPU; below it a function gets
/// that share of one (AWS Lambda documentation, "Configuring memory": "at
/// 1,769 MB, a function has the equivalent of one vCPU").
pub const FN_MB_PER_VCPU: f64 = 1_769.0;
/// Largest container image a function may use, MB (AWS Lambda quotas:
/// 10 GB uncompressed image).
pub const FN_MAX_IMAGE_MB: f64 = 10_240.0;
/// Largest .zip deployment package, unzipped, MB (AWS Lambda quotas): an
/// image larger than this must ship as a container image.
pub const FN_MAX_ZIP_MB: f64 = 250.0;
/// Most vCPUs of a serverless container instance (Cloud Run limits).
pub const RUN_MAX_VCPU: f64 = 8.0;
/// Most memory of a serverless container instance, GiB (Cloud Run limits).
pub const RUN_MAX_GIB: f64 = 32.0;
/// Bytes in a MiB over bytes in an MB: image sizes are in MB (10^6 bytes,
/// as registries count), memory in MiB.
const MB_PER_MIB: f64 = 1.048_576;

/// What the target did to one tier.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TierDeploy {
    /// Container image of the tier, MB (its runtime, plus the ML runtime and
    /// the model where a process loads one).
    pub image_mb: f64,
    /// Start-up of one process until it serves: the framework's start-up
    /// plus the model's load, ms.
    pub start_ms: f64,
    /// Autoscaled targets: seconds from traffic rising to a new instance
    /// serving (autoscaler reaction, provisioning, image pull, start-up).
    pub lag_s: f64,
    /// Autoscaled targets: the most traffic rises during the lag, as a
    /// share of the traffic the running instances were sized for (at the
    /// start of the climb, the average), which they absorb.
    pub headroom: f64,
    /// Instances before the lag's headroom was added.
    pub instances_without_lag: u64,
    /// Serverless: share of requests that start cold.
    pub cold_share: f64,
    /// Serverless: time a cold start adds to a request, ms.
    pub cold_start_ms: f64,
    /// Serverless: mean billed duration of a request (functions) or its
    /// mean time in an instance (serverless containers), ms.
    pub duration_ms: f64,
    /// Functions: memory size of one environment, MB.
    pub function_mb: f64,
    /// Serverless: average requests per second the tier serves today.
    pub avg_rps: f64,
    /// Serverless containers: instance-seconds billed per second at the
    /// average traffic.
    pub billed_instances: f64,
    /// Serverless: money per request (fee, and for functions the duration).
    pub per_request: f64,
    /// Serverless containers: money per instance-second billed.
    pub per_instance_second: f64,
    /// Serverless containers: instances kept warm (the minimum replicas;
    /// none for a tier that serves no request).
    pub kept_warm: f64,
    /// Serverless containers: kept instances idle on average at the
    /// average traffic, billed at the idle rate.
    pub idle_instances: f64,
    /// Serverless containers: money per idle instance-second of a kept
    /// instance.
    pub idle_instance_second: f64,
    /// Serverless containers: requests per second one instance is planned
    /// for.
    pub per_instance_rps: f64,
    /// Serverless containers: the share of the time an instance planned
    /// at [`TierDeploy::per_instance_rps`] has a request in flight.
    #[serde(skip)]
    pub busy_when_loaded: f64,
    /// Whether the target prices this tier as sized (a GPU tier on a
    /// serverless target).
    pub as_sized: bool,
}

/// What the target did to a stack.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Deployment {
    /// The target.
    pub target: DeployTarget,
    /// Per tier, in the stack's order.
    pub tiers: [TierDeploy; 3],
    /// Money per month that does not follow traffic (a Kubernetes control
    /// plane).
    pub fixed_monthly: f64,
    /// Why the stack cannot run on the target, if it cannot (its words
    /// follow the stack's name and a colon).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ruled_out: Option<RuledOut>,
    /// Warnings.
    pub notes: Vec<DeployNote>,
}

/// Why a stack cannot run on a target: kept as numbers, put in words only
/// where shown, so a Monte Carlo draw writes no text.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum RuledOut {
    /// One function environment needs `needed_mb` with the model loaded,
    /// over the most a function may have.
    FunctionMemory {
        /// Memory one environment needs, MB.
        needed_mb: f64,
    },
    /// The function's container image (the ML runtime and the model) is
    /// over the most a function's image may be.
    FunctionImage {
        /// The image, MB.
        image_mb: f64,
    },
    /// The instance shape is larger than a serverless container may be.
    ContainerShape {
        /// vCPUs the shape asks for.
        vcpu: f64,
        /// GiB the shape asks for.
        gib: f64,
    },
}

impl fmt::Display for RuledOut {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            RuledOut::FunctionMemory { needed_mb } => write!(
                out,
                "a function cannot hold the model: one environment needs {} MB with it loaded, over the {} MB a function may have.",
                whole(needed_mb),
                whole(FN_MAX_MEMORY_MB)
            ),
            RuledOut::FunctionImage { image_mb } => write!(
                out,
                "a function cannot hold the model: its image of {} MB (the ML runtime and the model) is over the {} MB a function's container image may be.",
                whole(image_mb),
                whole(FN_MAX_IMAGE_MB)
            ),
            RuledOut::ContainerShape { vcpu, gib } => write!(
                out,
                "a serverless container has at most {RUN_MAX_VCPU:.0} vCPUs and {RUN_MAX_GIB:.0} GiB; the instance shape asks for {vcpu:.0} vCPUs and {} GiB: choose a smaller shape.",
                super::format::number(gib, 1)
            ),
        }
    }
}

impl Serialize for RuledOut {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// A remark on how a stack runs on its target, put in words where shown.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum DeployNote {
    /// A function's image is over what a .zip package may unpack to, so it
    /// ships as a container image.
    ShipsAsImage {
        /// The stack.
        stack: Stack,
        /// The tier.
        role: TierRole,
        /// The image, MB.
        image_mb: f64,
    },
    /// GPU inference stays on GPU instances on a serverless target.
    GpuByTheHour {
        /// The stack.
        stack: Stack,
    },
}

impl fmt::Display for DeployNote {
    fn fmt(&self, out: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            DeployNote::ShipsAsImage { stack, role, image_mb } => write!(
                out,
                "{} ({}): a {image_mb:.0} MB image is over the {FN_MAX_ZIP_MB:.0} MB a .zip package may unpack to: it ships as a container image.",
                stack.label(),
                role.label(),
            ),
            DeployNote::GpuByTheHour { stack } => write!(
                out,
                "{}: GPU inference stays on GPU instances, priced by the hour.",
                stack.label()
            ),
        }
    }
}

impl Serialize for DeployNote {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

/// The headroom the instances already running need while a new one is on
/// its way: traffic climbs from `avg` to `peak` in `ramp_s` seconds, so in
/// `lag_s` it rises by `(peak - avg) min(1, lag / ramp)`, and an autoscaler
/// that keeps each instance at a fixed share of its load has sized the
/// running ones for the traffic a lag ago. The rise is largest for the
/// traffic it rises from at the start of the climb, from the average:
/// `(ratio - 1) min(1, lag / ramp)`. (It was taken as a share of the peak,
/// `(1 - 1/ratio) min(1, lag / ramp)`, a `ratio`-th of that, which holds
/// only at the top of the climb; earlier the instances ran over the load
/// they were sized for.) 0 for a flat load (`ratio = 1`) or no lag; never
/// negative, never NaN (a zero ramp is taken as a step, all of the climb
/// within the lag).
pub fn lag_headroom(peak_ratio: f64, lag_s: f64, ramp_s: f64) -> f64 {
    let climb = if peak_ratio > 1.0 {
        peak_ratio - 1.0
    } else {
        0.0
    };
    let within = if ramp_s > 0.0 {
        (lag_s.max(0.0) / ramp_s).min(1.0)
    } else {
        1.0
    };
    let h = climb * within;
    if h.is_finite() {
        h
    } else {
        0.0
    }
}

/// Share of requests that find no warm environment, at `rps` requests per
/// second (Poisson arrivals), each `duration_s` long, environments kept
/// `idle_s` after their last request, plus the environments the daily climb
/// from the average to the peak adds (`added` per day), each starting cold.
///
/// - Idle expiry: a request starts cold when no request came in the
///   `idle_s` before it, `exp(-λ T)` for Poisson arrivals (exact for one
///   environment while requests are short against the gaps; checked
///   against a simulation in `tests/queue_sim.rs`).
/// - Scale-out: `added / (λ · 86,400)`, one cold start per environment
///   added on the day's climb, among the day's requests.
///
/// `idle_s` is infinite where an instance is always kept warm: then only
/// the climb starts any cold. Between 0 and 1; 1 for no traffic.
pub fn cold_share(rps: f64, idle_s: f64, added_per_day: f64) -> f64 {
    if rps.is_nan() || rps <= 0.0 {
        return 1.0;
    }
    let idle = (-rps * idle_s.max(0.0)).exp();
    let scale_out = added_per_day.max(0.0) / (rps * SECONDS_PER_DAY);
    let p = idle + (1.0 - idle) * scale_out;
    if p.is_finite() {
        p.clamp(0.0, 1.0)
    } else {
        1.0
    }
}

/// Instance-seconds billed per second when a serverless container service
/// takes `rps` requests per second, each in an instance `time_s` on
/// average, planned at `per_instance` requests per second an instance.
/// An instance is billed while it has a request in flight; with Poisson
/// arrivals the requests in flight on one instance are Poisson too (the
/// M/G/∞ occupancy), so it is busy `1 - exp(-λ W)` of the time. Below one
/// instance's load one instance takes everything; above it the instances
/// are `λ / r`, each busy `1 - exp(-r W)`. Continuous, non-decreasing in
/// `rps`, 0 at no traffic.
pub fn billed_instance_share(rps: f64, time_s: f64, per_instance: f64) -> f64 {
    if rps.is_nan() || rps <= 0.0 || time_s.is_nan() || time_s <= 0.0 {
        return 0.0;
    }
    let r = per_instance.max(1e-9);
    let busy = if rps <= r {
        busy_share(rps * time_s)
    } else {
        rps / r * busy_share(r * time_s)
    };
    if busy.is_finite() {
        busy
    } else {
        f64::MAX
    }
}

/// Instance-seconds per second that `kept` instances kept warm stand idle
/// while `busy` instance-seconds a second have a request in flight: `kept -
/// busy`, none below 0. Exact while one instance takes all the traffic
/// ([`billed_instance_share`]: then at most one is busy, and a kept one);
/// above that the busy instances are counted on average, so the idle ones
/// are a lower bound (checked against a simulation in
/// `tests/queue_sim.rs`).
pub fn idle_kept(kept: f64, busy: f64) -> f64 {
    let idle = kept - busy;
    if idle > 0.0 {
        idle
    } else {
        0.0
    }
}

/// `1 - e^(-x)` for `x >= 0`: the share of the time a server with `x`
/// requests in flight on average (Poisson) has at least one. The horizon
/// asks for it every month of every tier, so it is worked out without a
/// library call, and the same to the bit on every machine: below 1/64 from
/// its series to the `x^7` term (the first term left out is under 2^-54
/// of the sum); above, `1 - e^(-x)` loses at most 6 bits to the
/// subtraction (`e^(-x) < 1 - 1/64`): within 3e-14 of the exact value.
pub(crate) fn busy_share(x: f64) -> f64 {
    if x < 1.0 / 64.0 {
        x * (1.0
            - x * (1.0 / 2.0
                - x * (1.0 / 6.0
                    - x * (1.0 / 24.0 - x * (1.0 / 120.0 - x * (1.0 / 720.0 - x / 5040.0))))))
    } else {
        1.0 - super::portable::exp(-x)
    }
}

/// Money for one month of a function tier: `requests × (fee + duration ×
/// GB × price per GB-second)`, with `requests = λ × seconds in a month`
/// and the prices per million. The duration counts the waits: a function
/// is billed while it awaits I/O.
pub fn function_month(
    rps: f64,
    duration_s: f64,
    memory_mb: f64,
    fee_per_m: f64,
    gb_second_per_m: f64,
) -> f64 {
    let requests = rps.max(0.0) * SECONDS_PER_MONTH;
    requests * (fee_per_m + duration_s.max(0.0) * memory_mb / 1_024.0 * gb_second_per_m) / 1e6
}

/// The 99th percentile of a response time that is `warm[k].1` seconds with
/// weight `warm[k].0`, plus `cold_s` for a share `cold` of the requests:
/// the smallest time `t` with `P(R > t) ≤ 1%` over the `2k` points.
fn p99_with_cold(warm: &[(f64, f64)], cold: f64, cold_s: f64) -> f64 {
    // At most five classes: the points stay on the stack (a Monte Carlo
    // draw allocates nothing here).
    let mut points = [(0.0_f64, 0.0_f64); 10];
    let mut n = 0;
    for &(w, t) in warm.iter().take(5) {
        points[n] = (t, w * (1.0 - cold));
        points[n + 1] = (t + cold_s, w * cold);
        n += 2;
    }
    let points = &mut points[..n];
    points.sort_by(|a, b| b.0.total_cmp(&a.0));
    let total: f64 = points.iter().map(|p| p.1).sum();
    let mut above = 0.0;
    for &(t, w) in points.iter() {
        above += w;
        if above > 0.01 * total + 1e-12 {
            return t;
        }
    }
    0.0
}

/// Image of a tier, MB: the framework's base image, plus the ML runtime
/// and the model's weights where its processes load a model.
fn image_mb(t: &TierEstimate, f: &Figures) -> f64 {
    let base = if t.framework.on_node() {
        f.shared(SharedFigure::ImageNodeMb)
    } else {
        f.shared(SharedFigure::ImagePythonMb)
    };
    let model = model_mib(t);
    if model > 0.0 {
        base + f.shared(SharedFigure::ImageMlMb) + model * MB_PER_MIB
    } else {
        base
    }
}

/// Model weights one process of the tier loads, MiB.
fn model_mib(t: &TierEstimate) -> f64 {
    if t.processes > 0 {
        t.memory.model_mib / f64::from(t.processes)
    } else {
        0.0
    }
}

/// Start-up of one process until it serves, ms: the framework's start-up
/// time plus the model's load at the load speed.
fn start_ms(t: &TierEstimate, f: &Figures) -> f64 {
    let load_s = model_mib(t) / f.shared(SharedFigure::ModelLoadMibPerS).max(1e-9);
    f.of(t.framework, FigureKind::StartupMs) + 1e3 * load_s
}

/// Whether `target` reads the shared figure `figure`: each target's own
/// prices, idle timeouts, cold starts and lags are read by it alone, the
/// image, pull and load figures by every target, and every other shared
/// figure is someone else's to say. The sensitivity sweep prices the
/// stacks again only for a figure some part of the costs reads.
pub(crate) fn reads(target: DeployTarget, figure: SharedFigure) -> bool {
    use DeployTarget as T;
    use SharedFigure as F;
    match figure {
        F::FnRequestPerM
        | F::FnGbSecondPerM
        | F::FnIdleMin
        | F::FnColdNodeMs
        | F::FnColdPythonMs => target == T::Functions,
        F::RunVcpuSecondPerM
        | F::RunGibSecondPerM
        | F::RunRequestPerM
        | F::RunIdleMin
        | F::RunIdleVcpuSecondPerM => target == T::ServerlessContainers,
        F::K8sControlHour => target == T::Kubernetes,
        F::InstanceBootS => target == T::Instances,
        F::AutoscaleReactS => matches!(target, T::Instances | T::Kubernetes),
        _ => true,
    }
}

/// What a caller of [`apply`] reads of the tiers it leaves.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Reads {
    /// Instance counts and money only (the Monte Carlo and the sweep): the
    /// p99 at the instances the lag adds is not worked out again.
    Costs,
    /// Everything the page shows.
    Everything,
}

/// Applies the scenario's target to a stack's sized tiers, in place:
/// instance counts, what decided them, money per month, p99 and its
/// verdict; returns what it did. `tiers` come from the sizing of `s` with
/// `f`.
pub(crate) fn apply(
    stack: Stack,
    s: &Scenario,
    f: &Figures,
    tiers: &mut [TierEstimate],
    reads: Reads,
) -> Deployment {
    let mut d = Deployment {
        target: s.deploy,
        ..Deployment::default()
    };
    for (t, td) in tiers.iter_mut().zip(d.tiers.iter_mut()) {
        td.image_mb = image_mb(t, f);
        td.start_ms = start_ms(t, f);
        if t.on_gpu {
            td.as_sized = true;
            continue;
        }
        match s.deploy {
            DeployTarget::Instances | DeployTarget::Kubernetes => autoscaled(t, td, s, f, reads),
            DeployTarget::Functions => {
                if let Some(why) = function(t, td, s, f) {
                    d.ruled_out.get_or_insert(why);
                }
            }
            DeployTarget::ServerlessContainers => {
                if let Some(why) = serverless_container(t, td, s, f) {
                    d.ruled_out.get_or_insert(why);
                }
            }
        }
    }
    if s.deploy == DeployTarget::Kubernetes {
        d.fixed_monthly = f.shared(SharedFigure::K8sControlHour) * HOURS_PER_MONTH;
    }
    if s.deploy == DeployTarget::Functions {
        if let Some(t) = tiers
            .iter()
            .zip(&d.tiers)
            .find(|(t, td)| !t.on_gpu && td.image_mb > FN_MAX_ZIP_MB)
        {
            d.notes.push(DeployNote::ShipsAsImage {
                stack,
                role: t.0.role,
                image_mb: t.1.image_mb,
            });
        }
    }
    if tiers.iter().any(|t| t.on_gpu) && s.deploy.is_serverless() {
        d.notes.push(DeployNote::GpuByTheHour { stack });
    }
    d
}

/// Instances, containers and Kubernetes: the lag from traffic rising to a
/// new instance serving is the autoscaler's reaction, the provisioning of
/// an instance (not on Kubernetes), the image pull and the start-up; the
/// running instances carry the traffic that arrives meanwhile
/// ([`lag_headroom`]), so the tier is planned at `max_rps / (1 + h)` per
/// instance and needs `ceil(peak (1 + h) / max_rps)` instances, never
/// fewer than sized. The horizon reads the same planned rate, so every
/// month carries the headroom.
fn autoscaled(t: &mut TierEstimate, td: &mut TierDeploy, s: &Scenario, f: &Figures, reads: Reads) {
    let boot = if s.deploy == DeployTarget::Instances {
        f.shared(SharedFigure::InstanceBootS)
    } else {
        0.0
    };
    td.lag_s = f.shared(SharedFigure::AutoscaleReactS)
        + boot
        + td.image_mb / f.shared(SharedFigure::PullMbPerS).max(1e-9)
        + td.start_ms / 1e3;
    let h = lag_headroom(
        s.get(NumField::PeakRatio),
        td.lag_s,
        s.get(NumField::RampMinutes) * 60.0,
    );
    td.headroom = h;
    td.instances_without_lag = t.instances;
    if h <= 0.0 || t.max_rps <= 0.0 {
        return;
    }
    let planned = t.max_rps / (1.0 + h);
    let wanted = (t.peak_rps / planned).ceil();
    let instances = if wanted.is_finite() && wanted < u64::MAX as f64 {
        (wanted as u64).max(t.instances)
    } else {
        t.instances
    };
    if instances > t.instances {
        let k = instances as f64 / t.instances.max(1) as f64;
        t.monthly.compute *= k;
        t.monthly.memory *= k;
        t.instances = instances;
        t.binding = Constraint::ScaleOutLag;
        if reads == Reads::Costs {
            t.max_rps = planned;
            return;
        }
        // Today's peak over the added instances: the same queues, less
        // load on each.
        t.layout = QueueLayout::new(
            t.balancing,
            t.shared_socket,
            instances,
            u64::from(t.servers),
        );
        let p99_s = t
            .layout
            .p99_s(&t.classes, t.rate_per_process(), t.peak_rps, t.service_scv);
        if p99_s.is_finite() {
            t.p99_ms = (p99_s * 1e3).min(t.p99_ms);
        }
    }
    t.max_rps = planned;
    t.utilisation = (planned / t.capacity_rps.max(1e-12)).min(1.0);
}

/// The tier's request classes with their CPU time on one process alone
/// (the scalability slowdown of the sized instance taken off), seconds:
/// `(share, cpu, away)`.
fn classes_alone(t: &TierEstimate, f: &Figures) -> [(f64, f64, f64); 5] {
    let n = f64::from(t.servers.max(1));
    let alpha = f.of(t.framework, FigureKind::UslAlpha).clamp(0.0, 1.0);
    let beta = f.of(t.framework, FigureKind::UslBeta).max(0.0);
    let slowdown = n / usl_capacity(n, alpha, beta).max(1e-9);
    t.classes
        .map(|c| (c.share, c.service_s / slowdown.max(1e-9), c.outside_s))
}

/// Average over a day of the tier's traffic today, req/s.
fn avg_rps(t: &TierEstimate, s: &Scenario) -> f64 {
    t.peak_rps / s.get(NumField::PeakRatio).max(1.0)
}

/// Serverless functions: one request per environment, memory = one
/// process with one request in flight (at least 128 MB), CPU a share
/// `memory / 1,769 MB` of a vCPU, so a request takes `cpu / share +
/// waits`; where the p99 target then fails, the memory is raised to a full
/// vCPU. Returns why the tier cannot run as a function, if it cannot.
fn function(
    t: &mut TierEstimate,
    td: &mut TierDeploy,
    s: &Scenario,
    f: &Figures,
) -> Option<RuledOut> {
    let classes = classes_alone(t, f);
    let processes = f64::from(t.processes.max(1));
    let inflight = f.of(t.framework, FigureKind::InflightMib);
    let runtime = t.memory.runtime_mib / processes;
    let ml_runtime = t.memory.ml_runtime_mib / processes;
    let model = t.memory.model_mib / processes;
    let needed = runtime + ml_runtime + model + inflight;
    let fw = t.framework;
    let runtime_cold = if fw.on_node() {
        f.shared(SharedFigure::FnColdNodeMs)
    } else {
        f.shared(SharedFigure::FnColdPythonMs)
    };
    td.cold_start_ms = runtime_cold + td.start_ms;
    let avg = avg_rps(t, s);
    td.avg_rps = avg;
    let target_s = s.get(NumField::P99TargetMs) * 1e-3;
    let idle_s = f.shared(SharedFigure::FnIdleMin) * 60.0;

    let at = |mb: f64, with_cold: f64| {
        let cpu_share = (mb / FN_MB_PER_VCPU).min(1.0);
        let mut warm = [(0.0, 0.0); 5];
        let mut n = 0;
        for c in classes.iter().filter(|c| c.0 > 0.0) {
            warm[n] = (c.0, c.1 / cpu_share + c.2);
            n += 1;
        }
        let warm = &warm[..n];
        let mean: f64 = warm.iter().map(|(w, t)| w * t).sum();
        // Environments added on the day's climb: the concurrency at the
        // peak less that at the average (Little's law).
        let added = (t.peak_rps - avg).max(0.0) * mean;
        let cold = with_cold * cold_share(avg, idle_s, added);
        let p99 = p99_with_cold(warm, cold, td.cold_start_ms * 1e-3);
        (mean, cold, p99)
    };
    // The memory follows from the warm p99 alone, which no traffic moves,
    // so the bill stays proportional to the requests.
    let mut mb = needed.max(FN_MIN_MEMORY_MB).ceil();
    if at(mb, 0.0).2 > target_s && mb < FN_MB_PER_VCPU {
        mb = FN_MB_PER_VCPU;
    }
    let (mean, cold, p99) = at(mb, 1.0);
    td.function_mb = mb;
    td.duration_ms = mean * 1e3;
    td.cold_share = cold;
    let fee = f.shared(SharedFigure::FnRequestPerM);
    let gb_s = f.shared(SharedFigure::FnGbSecondPerM);
    td.per_request = function_month(1.0 / SECONDS_PER_MONTH, mean, mb, fee, gb_s);
    let monthly = function_month(avg, mean, mb, fee, gb_s);

    t.processes = 1;
    t.servers = 1;
    t.instances = (t.peak_rps * mean).ceil().clamp(1.0, u64::MAX as f64) as u64;
    t.max_rps = 1.0 / mean.max(1e-9);
    t.binding = Constraint::OneRequestEach;
    t.p99_ms = (p99 * 1e3).min(1e9);
    t.meets_p99 = p99 <= target_s * 1.0001;
    t.monthly = MonthlyCost {
        compute: monthly,
        ..MonthlyCost::default()
    };
    t.instance_monthly = 0.0;
    t.memory = MemoryBreakdown {
        runtime_mib: runtime,
        ml_runtime_mib: ml_runtime,
        model_mib: model,
        inflight_mib: inflight,
        available_mib: mb.min(FN_MAX_MEMORY_MB),
    };
    if needed > FN_MAX_MEMORY_MB {
        t.memory.available_mib = FN_MAX_MEMORY_MB;
        return Some(RuledOut::FunctionMemory { needed_mb: needed });
    }
    if td.image_mb > FN_MAX_IMAGE_MB {
        return Some(RuledOut::FunctionImage {
            image_mb: td.image_mb,
        });
    }
    None
}

/// Serverless containers: the tier as sized (instances of the scenario's
/// shape, many requests each), billed for the instance-seconds with a
/// request in flight ([`billed_instance_share`]) at the average traffic,
/// plus a fee per request, plus the minimum replicas kept warm while idle
/// ([`idle_kept`]) at the idle rate. A cold start pulls the image and
/// starts the process; with an instance kept warm no request waits for one
/// on a quiet spell, only on the day's climb past the kept instances;
/// where more than 1% of requests start cold the p99 carries it.
fn serverless_container(
    t: &mut TierEstimate,
    td: &mut TierDeploy,
    s: &Scenario,
    f: &Figures,
) -> Option<RuledOut> {
    let vcpu = s.get(NumField::Vcpu);
    let gib = s.get(NumField::MemGib);
    let time_s: f64 = t
        .classes
        .iter()
        .map(|c| c.share * (c.service_s + c.outside_s))
        .sum();
    let avg = avg_rps(t, s);
    td.avg_rps = avg;
    td.duration_ms = time_s * 1e3;
    // Billing at the CPU ceiling's load per instance, which more traffic
    // never raises (the p99's planned load can), so the bill never falls
    // as traffic rises.
    let ceiling = (s.get(NumField::UtilCeiling) / 100.0).clamp(0.01, 1.0);
    td.per_instance_rps = (t.capacity_rps * ceiling).max(1e-9);
    td.cold_start_ms =
        td.image_mb / f.shared(SharedFigure::PullMbPerS).max(1e-9) * 1e3 + td.start_ms;
    // A tier that serves no request is not deployed: nothing kept warm.
    td.kept_warm = if time_s > 0.0 {
        s.get(NumField::MinReplicas).max(0.0).floor()
    } else {
        0.0
    };
    // Instances the day's climb adds past those the average keeps busy
    // and those kept warm.
    let r = td.per_instance_rps;
    let added = (t.peak_rps / r - (avg / r).max(td.kept_warm)).max(0.0);
    td.cold_share = if td.kept_warm >= 1.0 {
        cold_share(avg, f64::INFINITY, added)
    } else {
        cold_share(avg, f.shared(SharedFigure::RunIdleMin) * 60.0, added)
    };
    let busy_vcpu = f.shared(SharedFigure::RunVcpuSecondPerM);
    let memory = f.shared(SharedFigure::RunGibSecondPerM);
    td.per_instance_second = (vcpu * busy_vcpu + gib * memory) / 1e6;
    // Never more than a busy instance-second: keeping an instance busy
    // rather than idle never makes the bill fall.
    let idle_vcpu = f.shared(SharedFigure::RunIdleVcpuSecondPerM).min(busy_vcpu);
    td.idle_instance_second = (vcpu * idle_vcpu + gib * memory) / 1e6;
    td.per_request = f.shared(SharedFigure::RunRequestPerM) / 1e6;
    td.billed_instances = billed_instance_share(avg, time_s, td.per_instance_rps);
    // The time as the horizon's bill reads it back ([`MonthlyBill::of`]). A
    // tier that serves none of the requests (its classes' shares all 0)
    // has no time in flight to bill: busy_share(0) = 0.
    let billed_time_s = td.duration_ms * 1e-3;
    td.busy_when_loaded = busy_share(td.per_instance_rps * billed_time_s.max(0.0));
    td.idle_instances = idle_kept(td.kept_warm, td.billed_instances);
    let busy_seconds = td.billed_instances * SECONDS_PER_MONTH;
    let idle_seconds = td.idle_instances * SECONDS_PER_MONTH;
    t.monthly = MonthlyCost {
        compute: (busy_seconds * busy_vcpu + idle_seconds * idle_vcpu) * vcpu / 1e6
            + avg * SECONDS_PER_MONTH * td.per_request,
        memory: (busy_seconds + idle_seconds) * gib * memory / 1e6,
        gpu: 0.0,
    };
    t.instance_monthly = 0.0;
    if td.cold_share > 0.01 {
        t.p99_ms = (t.p99_ms + td.cold_start_ms).min(1e9);
        t.meets_p99 = t.meets_p99 && t.p99_ms <= s.get(NumField::P99TargetMs) * 1.0001;
    }
    if vcpu > RUN_MAX_VCPU || gib > RUN_MAX_GIB {
        return Some(RuledOut::ContainerShape { vcpu, gib });
    }
    None
}

/// What a month of a serverless tier's bill reads, worked out once a tier:
/// the horizon prices every month of every tier of every stack of every
/// Monte Carlo draw.
#[derive(Clone, Copy, Debug)]
pub(crate) enum MonthlyBill {
    /// Functions: a price per request, its duration included.
    Requests { avg_rps: f64, per_request: f64 },
    /// Serverless containers: the instance-seconds with a request in flight
    /// ([`billed_instance_share`]) and a fee per request.
    Instances {
        avg_rps: f64,
        time_s: f64,
        per_instance_rps: f64,
        busy_when_loaded: f64,
        per_instance_second: f64,
        per_request: f64,
        kept_warm: f64,
        idle_instance_second: f64,
    },
}

impl MonthlyBill {
    /// The bill of tier `td` on `target`; `None` where the tier is priced
    /// as sized (by the hour).
    pub(crate) fn of(target: DeployTarget, td: &TierDeploy) -> Option<MonthlyBill> {
        if td.as_sized {
            return None;
        }
        match target {
            DeployTarget::Functions => Some(MonthlyBill::Requests {
                avg_rps: td.avg_rps,
                per_request: td.per_request,
            }),
            DeployTarget::ServerlessContainers => Some(MonthlyBill::Instances {
                avg_rps: td.avg_rps,
                time_s: td.duration_ms * 1e-3,
                per_instance_rps: td.per_instance_rps.max(1e-9),
                busy_when_loaded: td.busy_when_loaded,
                per_instance_second: td.per_instance_second,
                per_request: td.per_request,
                kept_warm: td.kept_warm,
                idle_instance_second: td.idle_instance_second,
            }),
            DeployTarget::Instances | DeployTarget::Kubernetes => None,
        }
    }

    /// Money for a month at `factor` times today's traffic.
    pub(crate) fn at(&self, factor: f64) -> f64 {
        match *self {
            MonthlyBill::Requests {
                avg_rps,
                per_request,
            } => avg_rps * factor * per_request * SECONDS_PER_MONTH,
            MonthlyBill::Instances {
                avg_rps,
                time_s,
                per_instance_rps: r,
                busy_when_loaded,
                per_instance_second,
                per_request,
                kept_warm,
                idle_instance_second,
            } => {
                // As [`billed_instance_share`], with the busy share past one
                // instance's load (which no traffic moves) worked out once.
                let rps = avg_rps * factor;
                let billed = if !(rps > 0.0 && time_s > 0.0) {
                    0.0
                } else if rps > r {
                    (rps / r * busy_when_loaded).min(f64::MAX)
                } else {
                    busy_share(rps * time_s)
                };
                let idle = idle_kept(kept_warm, billed);
                (billed * per_instance_second + idle * idle_instance_second + rps * per_request)
                    * SECONDS_PER_MONTH
            }
        }
    }
}

impl Deployment {
    /// What the target means for the API tier, as label and value pairs
    /// for the page: the lag and its headroom on autoscaled targets; the
    /// memory, duration and cold starts of functions; the billed instances
    /// and cold starts of serverless containers.
    pub fn lines(&self) -> Vec<(&'static str, String)> {
        use super::format::{percent, significant};
        let t = &self.tiers[0];
        let share = |p: f64| {
            if p > 0.0 && p < 1e-4 {
                "under 0.01%".to_string()
            } else {
                percent(p)
            }
        };
        match self.target {
            DeployTarget::Instances | DeployTarget::Kubernetes => vec![
                ("Container image", format!("{} MB", whole(t.image_mb))),
                (
                    "Scale-out lag (autoscaler, provisioning, image pull, start-up)",
                    format!("{} s", significant(t.lag_s)),
                ),
                (
                    "Headroom for the traffic that arrives during the lag",
                    format!(
                        "{} over the traffic a lag earlier, at the climb's start",
                        percent(t.headroom)
                    ),
                ),
            ],
            DeployTarget::Functions => vec![
                (
                    "Memory of one function",
                    format!("{} MB", whole(t.function_mb)),
                ),
                (
                    "Mean billed duration, waits included",
                    format!("{} ms", significant(t.duration_ms)),
                ),
                ("Requests that start cold", share(t.cold_share)),
                (
                    "Cold start (runtime, start-up, model load)",
                    format!("{} ms", whole(t.cold_start_ms)),
                ),
            ],
            DeployTarget::ServerlessContainers => vec![
                (
                    "Instances billed on average (a request in flight)",
                    significant(t.billed_instances),
                ),
                (
                    "Instances kept warm (minimum replicas)",
                    if t.kept_warm > 0.0 {
                        format!(
                            "{}; {} idle on average, billed at the idle rate",
                            whole(t.kept_warm),
                            significant(t.idle_instances)
                        )
                    } else {
                        "none: scales to zero".to_string()
                    },
                ),
                ("Requests that start cold", share(t.cold_share)),
                (
                    "Cold start (image pull, start-up, model load)",
                    format!("{} ms", whole(t.cold_start_ms)),
                ),
            ],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_busy_share_agrees_with_expm1() {
        // From 1e-300 to 800, on either side of 1/64 where the series hands
        // over: within two ulps of the library's `-expm1(-x)` on the series
        // and within 3e-14 above. By hand at x = 0.01: 1 - e^-0.01 =
        // 0.009950166250831947 (an ulp there is 1.7e-18).
        assert!((busy_share(0.01) - 0.009_950_166_250_831_947).abs() < 4e-18);
        let mut x = 1e-300_f64;
        while x < 800.0 {
            for y in [x, 1.0 / 64.0 - x.min(1e-3), 1.0 / 64.0 + x.min(1e-3)] {
                let want = -(-y).exp_m1();
                let within = if y < 1.0 / 64.0 {
                    2.0 * f64::EPSILON * want
                } else {
                    3e-14 * want
                };
                let got = busy_share(y);
                assert!(
                    (got - want).abs() <= within,
                    "x = {y}: {got} against {want}"
                );
            }
            x *= 1.07;
        }
        assert_eq!(busy_share(0.0), 0.0);
        assert_eq!(busy_share(1000.0), 1.0);
    }
}
