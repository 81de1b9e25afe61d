//! The estimate: for every stack, instances, memory and money, from a
//! scenario and a set of figures.
//!
//! A stack is deployed as one or more tiers (services), each an M/M/c queue
//! per instance:
//! - FastAPI: one tier serving everything; an ML model loads in every worker.
//! - Express, Fastify, NestJS: a Node API tier; ML requests go to a FastAPI
//!   sidecar tier over HTTP (a network hop in latency).
//! - Hybrid: a Node API tier for JSON and I/O work; a FastAPI tier for ML and
//!   CPU-bound data work.
//! - Inference on GPU runs on single-GPU instances of its own for every
//!   stack (one inference at a time per GPU).
//!
//! Steps, per tier (formulas in [`super::queueing`], explained in
//! [`super::Formula`]): mean CPU service time of the tier's mix -> per-process
//! rate, scaled by the USL for the processes on one instance -> the highest
//! rate per instance at which the p99 target holds, capped by the
//! utilisation ceiling -> instances at peak, never fewer than the minimum
//! replicas -> memory per instance (fewer processes if it does not fit) ->
//! money per month and over the horizon with growth.
//!
//! Here: the tiers each stack is planned as ([`plan_tiers`]), the estimate's
//! types, and each stack priced and summed. The rest by step:
//! - `sizing.rs`: one tier sized (processes, instances, memory; GPU tiers
//!   apart), from the queue's figures;
//! - `layout.rs`: how its requests queue over instances and processes
//!   ([`QueueLayout`]), and the waits and p99 that follow;
//! - `horizon.rs`: each month's instances and bill as traffic grows, and the
//!   running total with people costs;
//! - `tests.rs`: hand-worked cases and properties of the whole estimate
//!   (each file above keeps its own tests of its searches).

use serde::Serialize;

use super::assumptions::{AssumptionId, AssumptionSet, FigureKind, Figures, Pick, SharedFigure};
use super::deploy::{self, Deployment};
use super::people::{people_costs, PeopleCosts};
use super::queueing::ClassTime;
use super::scenario::{
    Balancing, Currency, DeployTarget, MlDevice, NodeMajor, NumField, Scenario, WorkloadClass,
};
use super::stack::{Framework, Stack};
use super::MONTHS_PER_YEAR;

mod horizon;
mod layout;
mod sizing;
#[cfg(test)]
mod tests;

use horizon::{deployed_months, fold_horizon, instances_per_factor, whole_up, InfraMonths};
pub use layout::QueueLayout;
use sizing::sized_tiers;

/// What a tier does in its stack.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum TierRole {
    /// The public API (every stack has one).
    #[default]
    Api,
    /// A FastAPI service that runs inference for a Node API.
    MlSidecar,
    /// The hybrid's FastAPI service for ML and CPU-bound work.
    DataService,
    /// Single-GPU instances running inference.
    Gpu,
}

impl TierRole {
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            TierRole::Api => "API",
            TierRole::MlSidecar => "ML sidecar",
            TierRole::DataService => "ML/data service",
            TierRole::Gpu => "GPU inference",
        }
    }
}

/// What decided a tier's instance count.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub enum Constraint {
    /// The p99 latency target, before the utilisation ceiling.
    Latency,
    /// The utilisation ceiling.
    #[default]
    Cpu,
    /// Memory: fewer processes fit on an instance than it has vCPUs, or
    /// the load it is planned for is what its memory holds.
    Memory,
    /// The minimum replicas for availability.
    Replicas,
    /// The GPU utilisation ceiling (a GPU tier).
    Gpu,
    /// The headroom for the traffic that arrives while autoscaling adds an
    /// instance (the deployment target's scale-out lag).
    ScaleOutLag,
    /// Serverless functions: one request per environment, as many
    /// environments as requests in flight.
    OneRequestEach,
}

impl Constraint {
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Constraint::Latency => "p99 latency",
            Constraint::Cpu => "CPU ceiling",
            Constraint::Memory => "memory",
            Constraint::Replicas => "minimum replicas",
            Constraint::Gpu => "GPU ceiling",
            Constraint::ScaleOutLag => "scale-out lag",
            Constraint::OneRequestEach => "one request each",
        }
    }
}

/// Memory of one instance, by part, MiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MemoryBreakdown {
    /// Runtime of every worker process.
    pub runtime_mib: f64,
    /// ML runtime (PyTorch, transformers), once per process that loads a
    /// model.
    pub ml_runtime_mib: f64,
    /// Model weights, once per process that loads them.
    pub model_mib: f64,
    /// Requests in flight at the planned load (Little's law).
    pub inflight_mib: f64,
    /// Memory the service may use on the instance.
    pub available_mib: f64,
}

impl MemoryBreakdown {
    /// All parts together.
    pub fn total_mib(&self) -> f64 {
        self.runtime_mib + self.ml_runtime_mib + self.model_mib + self.inflight_mib
    }
    /// Whether it fits the instance.
    pub fn fits(&self) -> bool {
        self.total_mib() <= self.available_mib
    }
    /// The parts it has, each named, in words: "100 MiB runtime + 1.9 MiB
    /// in flight" (a GPU's: "256 MiB model + 0.5 MiB in flight").
    pub fn parts(&self) -> String {
        [
            (self.runtime_mib, "runtime"),
            (self.ml_runtime_mib, "ML runtime"),
            (self.model_mib, "model"),
            (self.inflight_mib, "in flight"),
        ]
        .into_iter()
        .filter(|(mib, _)| *mib > 0.0)
        .map(|(mib, part)| format!("{} {part}", super::format::memory(mib)))
        .collect::<Vec<_>>()
        .join(" + ")
    }
}

/// Money per month, by part.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MonthlyCost {
    /// vCPU-hours.
    pub compute: f64,
    /// GiB-hours.
    pub memory: f64,
    /// GPU instances.
    pub gpu: f64,
}

impl MonthlyCost {
    /// All parts together.
    pub fn total(&self) -> f64 {
        self.compute + self.memory + self.gpu
    }
    fn add(&mut self, other: &MonthlyCost) {
        self.compute += other.compute;
        self.memory += other.memory;
        self.gpu += other.gpu;
    }
}

/// One service of a stack, sized.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct TierEstimate {
    /// What the tier does.
    pub role: TierRole,
    /// Its framework.
    pub framework: Framework,
    /// Share of the stack's requests it serves.
    pub traffic_share: f64,
    /// Peak requests per second it serves today.
    pub peak_rps: f64,
    /// Worker processes per instance (fewer than vCPUs when memory binds).
    pub processes: u32,
    /// Processes that run at once on an instance: its processes, but never
    /// more than its vCPUs.
    pub servers: u32,
    /// Mean CPU time per request on one process, after the scalability
    /// slowdown, ms.
    pub mean_service_ms: f64,
    /// Squared coefficient of variation of the service time of the mix.
    pub service_scv: f64,
    /// The request classes as the tier's queues see them.
    pub classes: [ClassTime; 5],
    /// How the requests queue at today's instance count.
    pub layout: QueueLayout,
    /// Requests per second one instance serves at 100% CPU.
    pub capacity_rps: f64,
    /// Requests per second one instance is planned for.
    pub max_rps: f64,
    /// Planned utilisation, `max_rps / capacity_rps`.
    pub utilisation: f64,
    /// Instances at today's peak.
    pub instances: u64,
    /// What decided the instance count.
    pub binding: Constraint,
    /// Memory of one instance at the load it is planned for.
    pub memory: MemoryBreakdown,
    /// p99 latency at today's peak spread over the instances, ms.
    pub p99_ms: f64,
    /// p99 latency with no queueing, the best the tier can do, ms.
    pub min_p99_ms: f64,
    /// Whether the p99 target holds.
    pub meets_p99: bool,
    /// Money per month at today's peak.
    pub monthly: MonthlyCost,
    /// Money per month of one instance.
    pub instance_monthly: f64,
    /// Whether it runs on GPU instances.
    pub on_gpu: bool,
    /// How the load balancer spreads the tier's requests.
    pub balancing: Balancing,
    /// Whether the processes of an instance share one queue (Uvicorn's
    /// shared socket) rather than one queue each (Node's cluster).
    pub shared_socket: bool,
    /// Requests per batch at today's peak (a GPU tier; 1 elsewhere).
    pub batch: f64,
}

impl TierEstimate {
    /// Requests per second one process serves when busy all the time: the
    /// inverse of its mean service time, so an instance's capacity is this
    /// times its servers.
    pub fn rate_per_process(&self) -> f64 {
        1e3 / self.mean_service_ms.max(1e-12)
    }

    /// Today's peak on one instance as a share of its CPU capacity: the
    /// load at which [`TierEstimate::p99_ms_at_utilisation`] gives
    /// [`TierEstimate::p99_ms`]. 0 for a tier with no capacity.
    pub fn load_today(&self) -> f64 {
        if self.capacity_rps > 0.0 {
            self.peak_rps / self.instances.max(1) as f64 / self.capacity_rps
        } else {
            0.0
        }
    }

    /// Instances the tier needs at `factor` times today's traffic, planned
    /// as the horizon plans each month (before the minimum replicas).
    pub fn instances_at_traffic(&self, factor: f64) -> f64 {
        whole_up(factor * instances_per_factor(self))
    }

    /// The p99 response at `utilisation` (a share of the CPU capacity of
    /// today's instances), ms: the same queue the sizing uses, at another
    /// load. Infinite at or past saturation. The latency chart draws this.
    pub fn p99_ms_at_utilisation(&self, utilisation: f64) -> f64 {
        let lambda = utilisation.max(0.0) * self.capacity_rps * self.instances.max(1) as f64;
        1e3 * self.layout.p99_s(
            &self.classes,
            self.rate_per_process(),
            lambda,
            self.service_scv,
        )
    }
}

/// How far a stack does what is asked, in the order the answer prefers: a
/// stack is never the cheapest while another stands higher
/// ([`Estimate::cheapest`]).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, PartialOrd, Ord)]
pub enum Standing {
    /// A tier does not fit its instances' memory, or the deployment target
    /// does not take the stack: it cannot be deployed as estimated.
    #[default]
    CannotRun,
    /// It runs but misses the p99 target: a tier that cannot meet it at
    /// any count is planned at its ceiling, for less than meeting it costs
    /// another stack.
    MissesTarget,
    /// It runs and meets the p99 target.
    Delivers,
}

impl Standing {
    /// The standing of a stack that `runs` (fits and is taken) and `meets`
    /// the p99 target.
    pub fn of(runs: bool, meets: bool) -> Standing {
        match (runs, meets) {
            (false, _) => Standing::CannotRun,
            (true, false) => Standing::MissesTarget,
            (true, true) => Standing::Delivers,
        }
    }
}

/// One stack, sized and priced.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StackEstimate {
    /// The stack.
    pub stack: Stack,
    /// Framework of its public API.
    pub api_framework: Framework,
    /// Its services.
    pub tiers: Vec<TierEstimate>,
    /// Instances of every tier at today's peak.
    pub instances: u64,
    /// The same without the p99 target (its loosest value).
    pub untargeted_instances: u64,
    /// Requests per second one API instance is planned for.
    pub throughput_per_instance: f64,
    /// Memory of one API instance, MiB.
    pub memory_per_instance_mib: f64,
    /// Money per month at today's peak, every tier.
    pub monthly: MonthlyCost,
    /// Infrastructure over the horizon, with traffic growth.
    pub infra_horizon: f64,
    /// People costs over the horizon.
    pub people: PeopleCosts,
    /// Total cost of ownership over the horizon.
    pub total: f64,
    /// Cumulative cost at the start of each month, `months + 1` points: the
    /// one-off people costs at 0, then infrastructure and recurring costs.
    pub cumulative: Vec<f64>,
    /// Worst p99 of its tiers at today's peak, ms.
    pub p99_ms: f64,
    /// Whether every tier meets the p99 target.
    pub meets_p99: bool,
    /// What decided the API tier's instance count.
    pub binding: Constraint,
    /// Whether every tier fits its instance's memory.
    pub fits_memory: bool,
    /// Start-up time of one API process, ms.
    pub startup_ms: f64,
    /// What the deployment target did: lag and headroom, cold starts,
    /// serverless billing, or why the stack cannot run there.
    pub deployment: Deployment,
    /// Warnings for the user, in words.
    pub notes: Vec<String>,
}

impl StackEstimate {
    /// Whether the stack can run as estimated: every tier fits its
    /// instances' memory and the deployment target takes it.
    pub fn runs(&self) -> bool {
        self.fits_memory && self.deployment.ruled_out.is_none()
    }

    /// How far the stack does what is asked ([`Standing`]).
    pub fn standing(&self) -> Standing {
        Standing::of(self.runs(), self.meets_p99)
    }

    /// What decided the stack's instance count, in words: the reason alone
    /// where every service has the same one ("minimum replicas"), else the
    /// reason of the service with the most instances, named ("ML sidecar:
    /// scale-out lag"), so that a count a sidecar sets is not put down to
    /// the API. Of services with as many instances, the first (the API).
    /// A GPU ceiling goes unnamed: only the GPU service has one.
    pub fn sized_by(&self) -> String {
        let Some(first) = self.tiers.first() else {
            return self.binding.label().to_string();
        };
        if self.tiers.iter().all(|t| t.binding == first.binding) {
            return first.binding.label().to_string();
        }
        let most = self.tiers.iter().fold(first, |most, t| {
            if t.instances > most.instances {
                t
            } else {
                most
            }
        });
        match most.binding {
            Constraint::Gpu => most.binding.label().to_string(),
            _ => format!("{}: {}", most.role.label(), most.binding.label()),
        }
    }
}

/// Instances of every tier.
fn count_instances(tiers: &[TierEstimate]) -> u64 {
    tiers
        .iter()
        .fold(0u64, |n, t| n.saturating_add(t.instances))
}

/// A stack's services sized and deployed with the loosest p99 target the
/// page takes: what they need without the target.
fn untargeted_tiers(stack: Stack, api: Framework, s: &Scenario, f: &Figures) -> Tiers {
    let field = NumField::P99TargetMs;
    let mut loose = s.clone();
    // The field's own maximum, which it always takes.
    let _ = loose.set(field, field.spec().max);
    let mut tiers = sized_tiers(stack, api, &loose, f);
    deploy::apply(
        stack,
        &loose,
        f,
        tiers.as_mut_slice(),
        deploy::Reads::Everything,
    );
    tiers
}

/// Where the p99 target at least doubles a tier's count (`t`, and
/// `without` it), what the target costs and what would do without it. A
/// target near the tier's fastest answer holds only while nearly every
/// request finds a server idle, so the count climbs steeply as the target
/// nears it: a GPU of 14 ms inferences takes 3% of its capacity within
/// 25 ms.
fn costly_target(
    stack: Stack,
    t: &TierEstimate,
    without: &TierEstimate,
    target_ms: f64,
) -> Option<String> {
    use super::format::{percent, significant, whole};
    if !t.meets_p99 || t.instances < without.instances.saturating_mul(2) {
        return None;
    }
    let (one, many) = if t.on_gpu {
        ("GPU", "GPUs")
    } else {
        ("instance", "instances")
    };
    Some(format!(
        "{} ({}): to hold the {} ms p99 target, each {one} is planned at {} of its capacity: {} {many}. Without the target, {} would carry the traffic, at a p99 of {} ms.",
        stack.label(),
        t.role.label(),
        significant(target_ms),
        percent(t.load_today()),
        whole(t.instances as f64),
        whole(without.instances as f64),
        significant(without.p99_ms),
    ))
}

/// Every stack for one scenario and set of figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// One per [`Stack::ALL`], in that order.
    pub stacks: Vec<StackEstimate>,
    /// The stack with the lowest total cost over the horizon among those
    /// that stand highest ([`Standing`]): it meets the p99 target where any
    /// stack does, and runs where any stack runs.
    pub cheapest: Stack,
    /// The cheapest stack on every deployment target, in the order of
    /// [`DeployTarget::ALL`], the scenario's own among them: the answer
    /// says when the target changes it.
    pub cheapest_by_target: Vec<(DeployTarget, Stack)>,
    /// Months in the horizon.
    pub months: u32,
    /// Currency of every money figure.
    pub currency: Currency,
}

impl Estimate {
    /// The estimate of one stack.
    pub fn stack(&self, stack: Stack) -> &StackEstimate {
        &self.stacks[stack.index()]
    }

    /// Years the horizon covers (its months over [`MONTHS_PER_YEAR`]).
    pub fn years(&self) -> f64 {
        f64::from(self.months) / MONTHS_PER_YEAR
    }
}

/// The estimate at the cheap end, typical values and the dear end of every
/// range.
#[derive(Clone, Debug, PartialEq)]
pub struct RangeEstimate {
    /// Every figure at its favourable end.
    pub optimistic: Estimate,
    /// Every figure at its typical value.
    pub typical: Estimate,
    /// Every figure at its unfavourable end.
    pub pessimistic: Estimate,
}

impl RangeEstimate {
    /// Estimates `s` at the three points of every range of `set`.
    pub fn new(s: &Scenario, set: &AssumptionSet) -> RangeEstimate {
        RangeEstimate {
            optimistic: estimate_with(s, &set.resolve(Pick::Optimistic)),
            typical: estimate_with(s, &set.resolve(Pick::Typical)),
            pessimistic: estimate_with(s, &set.resolve(Pick::Pessimistic)),
        }
    }
}

/// Estimates every stack at the typical value of every figure.
pub fn estimate(s: &Scenario, set: &AssumptionSet) -> Estimate {
    estimate_with(s, &set.resolve(Pick::Typical))
}

/// Estimates every stack with figures already resolved to numbers.
// Out of line: inlined into `estimate` once the traffic chart stopped
// calling it, it left the page's wasm as large and 0.3 KB larger once
// compressed.
#[inline(never)]
pub fn estimate_with(s: &Scenario, f: &Figures) -> Estimate {
    let sized = stack_tiers(s, f);
    let stacks: Vec<StackEstimate> = Stack::ALL
        .iter()
        .zip(&sized)
        .map(|(st, tiers)| stack_estimate(*st, s, f, *tiers))
        .collect();
    let cheapest = Stack::ALL[cheapest_index(stacks.iter().map(|e| (e.total, e.standing())))];
    Estimate {
        stacks,
        cheapest,
        cheapest_by_target: cheapest_by_target(s, f, &sized),
        months: s.horizon_months(),
        currency: s.currency,
    }
}

/// A list of at most `N` items on the stack: the estimate runs thousands of
/// times per Monte Carlo run and allocates nothing per tier.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Fixed<T: Copy + Default, const N: usize> {
    items: [T; N],
    len: usize,
}

impl<T: Copy + Default, const N: usize> Fixed<T, N> {
    fn new() -> Self {
        Fixed {
            items: [T::default(); N],
            len: 0,
        }
    }
    fn push(&mut self, item: T) {
        if self.len < N {
            self.items[self.len] = item;
            self.len += 1;
        }
    }
    pub(crate) fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }
    pub(crate) fn as_mut_slice(&mut self) -> &mut [T] {
        &mut self.items[..self.len]
    }
}

/// One request class as one tier sees it.
#[derive(Clone, Copy, Debug, Default)]
struct Class {
    /// Share of the stack's requests.
    share: f64,
    /// CPU seconds on this tier's process, at one process per instance.
    cpu_s: f64,
    /// Seconds spent outside this tier's CPU (I/O wait, a hop, the sidecar).
    outside_s: f64,
}

/// The most request classes a tier serves: JSON, I/O, hand-written
/// compute, vectorised data work and inference.
const MAX_CLASSES: usize = 5;

/// A tier before sizing.
#[derive(Clone, Copy, Debug)]
struct TierPlan {
    role: TierRole,
    framework: Framework,
    classes: Fixed<Class, MAX_CLASSES>,
    /// Whether each process loads the model.
    loads_model: bool,
    on_gpu: bool,
}

/// CPU seconds of a framework's per-request work, after the Node 24
/// speed-up and the Uvicorn access log.
pub(crate) fn framework_cost_s(fw: Framework, kind: FigureKind, s: &Scenario, f: &Figures) -> f64 {
    let mut us = f.of(fw, kind);
    if fw.on_node() && s.node == NodeMajor::V24 {
        us /= f.of(fw, FigureKind::Node24Speedup).max(0.01);
    }
    if !fw.on_node() && !s.uvicorn_access_log {
        // The access log's cost is a fixed part of every request: the JSON
        // cost times (1 - 1/factor). Switching it off removes that part.
        let factor = f.of(fw, FigureKind::AccessLogFactor).max(1.0);
        let log_us = f.of(fw, FigureKind::JsonCpuUs) * (1.0 - 1.0 / factor);
        us = (us - log_us).max(us / factor);
    }
    us * 1e-6
}

fn plan_tiers(stack: Stack, api: Framework, s: &Scenario, f: &Figures) -> Fixed<TierPlan, 3> {
    let mix = s.mix();
    let share = |c: WorkloadClass| mix[c as usize];
    let io_wait = s.get(NumField::IoWaitMs) * 1e-3;
    let cpu_work = s.get(NumField::CpuMs) * 1e-3;
    let vectorised = s.get(NumField::VectorisedShare) / 100.0;
    let inference = s.get(NumField::InferenceMs) * 1e-3;
    let hop = f.shared(SharedFigure::MlHopMs) * 1e-3;
    let gpu = s.ml_device == MlDevice::Gpu;
    let py = Framework::FastApi;

    let json = |fw| framework_cost_s(fw, FigureKind::JsonCpuUs, s, f);
    let io = |fw| framework_cost_s(fw, FigureKind::IoCpuUs, s, f);
    // The CPU-bound input is measured on Node.js; each framework runs
    // hand-written loops and vectorised data work at its own multiple.
    let hand_written = |fw: Framework| json(fw) + cpu_work * f.of(fw, FigureKind::CpuWorkFactor);
    let data_work = |fw: Framework| json(fw) + cpu_work * f.of(fw, FigureKind::VectorisedFactor);
    let class = |share, cpu_s, outside_s| Class {
        share,
        cpu_s,
        outside_s,
    };

    let mut api_classes = Fixed::<Class, MAX_CLASSES>::new();
    let mut python_classes = Fixed::<Class, MAX_CLASSES>::new();
    api_classes.push(class(share(WorkloadClass::Json), json(api), 0.0));
    api_classes.push(class(share(WorkloadClass::Io), io(api), io_wait));

    // CPU-bound work: hand-written compute stays in the API (on Node it is
    // the cheap place). Vectorised data work runs in the API, except in the
    // hybrid, which forwards it to its Python service.
    let cpu = share(WorkloadClass::Cpu);
    let (hand_share, data_share) = (cpu * (1.0 - vectorised), cpu * vectorised);
    api_classes.push(class(hand_share, hand_written(api), 0.0));
    if stack == Stack::Hybrid {
        api_classes.push(class(data_share, io(api), hop + data_work(py)));
        python_classes.push(class(data_share, data_work(py), hop + io(api)));
    } else {
        api_classes.push(class(data_share, data_work(api), 0.0));
    }

    // ML inference: in-process on FastAPI's CPU, otherwise one hop away. On
    // GPU, FastAPI routes ML paths to the same app on GPU instances (no hop).
    let ml = share(WorkloadClass::Ml);
    let ml_in_api = stack == Stack::FastApi;
    if ml_in_api && !gpu {
        api_classes.push(class(ml, json(py) + inference, 0.0));
    } else if !ml_in_api {
        let downstream = if gpu { inference } else { json(py) + inference };
        api_classes.push(class(ml, io(api), hop + downstream));
        if !gpu {
            python_classes.push(class(ml, json(py) + inference, hop + io(api)));
        }
    }

    let mut tiers = Fixed::<TierPlan, 3>::new();
    tiers.push(TierPlan {
        role: TierRole::Api,
        framework: api,
        classes: api_classes,
        loads_model: ml_in_api && !gpu && ml > 0.0,
        on_gpu: false,
    });
    let python_share: f64 = python_classes.as_slice().iter().map(|c| c.share).sum();
    if python_share > 0.0 {
        let role = if stack == Stack::Hybrid {
            TierRole::DataService
        } else {
            TierRole::MlSidecar
        };
        tiers.push(TierPlan {
            role,
            framework: py,
            classes: python_classes,
            loads_model: ml > 0.0 && !gpu,
            on_gpu: false,
        });
    }
    if gpu && ml > 0.0 {
        let outside = if ml_in_api { 0.0 } else { hop + io(api) };
        let mut one = Fixed::<Class, MAX_CLASSES>::new();
        one.push(class(ml, inference, outside));
        tiers.push(TierPlan {
            role: TierRole::Gpu,
            framework: py,
            classes: one,
            loads_model: true,
            on_gpu: true,
        });
    }
    tiers
}

impl Default for TierPlan {
    fn default() -> Self {
        TierPlan {
            role: TierRole::Api,
            framework: Framework::FastApi,
            classes: Fixed::new(),
            loads_model: false,
            on_gpu: false,
        }
    }
}

/// The index of the cheapest of `(total, standing)` pairs: a stack that
/// cannot be deployed as estimated, or that misses the p99 target where
/// another meets it, is never the cheapest ([`Standing`]). Among the
/// highest standing, the cheapest total.
pub(crate) fn cheapest_index(stacks: impl Iterator<Item = (f64, Standing)>) -> usize {
    let mut best: Option<(usize, f64, Standing)> = None;
    for (i, (total, standing)) in stacks.enumerate() {
        let better = match best {
            None => true,
            Some((_, t, s)) => standing > s || (standing == s && total < t),
        };
        if better {
            best = Some((i, total, standing));
        }
    }
    best.map_or(0, |(i, _, _)| i)
}

/// What the Monte Carlo and the sensitivity sweep need of one stack,
/// computed without allocating.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct StackCosts {
    /// Instances of every tier at today's peak.
    pub instances: u64,
    /// Money per month at today's peak.
    pub monthly: f64,
    /// Total cost over the horizon.
    pub total: f64,
    /// How far it does what is asked.
    pub standing: Standing,
}

/// [`StackCosts`] of every stack, in the order of [`Stack::ALL`].
pub(crate) fn stack_costs(s: &Scenario, f: &Figures) -> [StackCosts; 5] {
    Stack::ALL.map(|stack| stack_cost(stack, s, f, stack_tier(stack, s, f)))
}

/// The sized tiers of one stack.
pub(crate) type Tiers = Fixed<TierEstimate, 3>;

/// The sized tiers of every stack, in the order of [`Stack::ALL`]: the
/// costly part of an estimate, which the sensitivity sweep reuses where a
/// move cannot change it ([`tiers_read_input`], [`tiers_read_figure`]).
pub(crate) fn stack_tiers(s: &Scenario, f: &Figures) -> [Tiers; 5] {
    Stack::ALL.map(|stack| stack_tier(stack, s, f))
}

/// The sized tiers of one stack.
pub(crate) fn stack_tier(stack: Stack, s: &Scenario, f: &Figures) -> Tiers {
    sized_tiers(stack, stack.api_framework(s.current.stack()), s, f)
}

/// [`StackCosts`] of every stack from tiers already sized for `s` and `f`.
pub(crate) fn costs_of(s: &Scenario, f: &Figures, stacks: &[Tiers; 5]) -> [StackCosts; 5] {
    let mut i = 0;
    Stack::ALL.map(|stack| {
        i += 1;
        stack_cost(stack, s, f, stacks[i - 1])
    })
}

/// [`StackCosts`] of one stack from its tiers sized for `s` and `f` (taken
/// by value: the deployment changes them in place): people costs and the
/// horizon's sum.
pub(crate) fn stack_cost(stack: Stack, s: &Scenario, f: &Figures, mut tiers: Tiers) -> StackCosts {
    let people = people_costs(stack, stack.api_framework(s.current.stack()), s, f);
    let deployment = deploy::apply(stack, s, f, tiers.as_mut_slice(), deploy::Reads::Costs);
    let tiers = tiers.as_slice();
    let (instances, monthly, standing) = stack_figures(tiers, &deployment);
    deployed_months(tiers, &deployment, s, |months, fee| StackCosts {
        instances,
        monthly,
        total: fold_horizon(months, fee, &people, |_| ()),
        standing,
    })
}

/// A deployed stack's instances at today's peak, money per month, and how
/// far it does what is asked.
fn stack_figures(tiers: &[TierEstimate], deployment: &Deployment) -> (u64, f64, Standing) {
    (
        count_instances(tiers),
        tiers.iter().map(|t| t.monthly.total()).sum::<f64>() + deployment.fixed_monthly,
        Standing::of(
            tiers.iter().all(|t| t.memory.fits()) && deployment.ruled_out.is_none(),
            tiers.iter().all(|t| t.meets_p99),
        ),
    )
}

/// Each stack's instances and money per month at today's peak, in the
/// order of [`Stack::ALL`]: [`estimate_with`]'s figures, without the months
/// of the horizon, the people costs and the notes, none of which the
/// traffic chart reads at each of its levels: its sweep takes a sixth of
/// the time (`cargo bench`, "charts/traffic sweep").
pub fn peak_figures(s: &Scenario, f: &Figures) -> [(u64, f64); 5] {
    let mut sized = stack_tiers(s, f);
    std::array::from_fn(|i| {
        let tiers = &mut sized[i];
        let deployment = deploy::apply(
            Stack::ALL[i],
            s,
            f,
            tiers.as_mut_slice(),
            deploy::Reads::Costs,
        );
        let (instances, monthly, _) = stack_figures(tiers.as_slice(), &deployment);
        (instances, monthly)
    })
}

/// A stack deployed on the scenario's target and priced month by month,
/// the people costs not yet added.
pub(crate) struct PricedStack {
    /// Instances of every tier at today's peak.
    instances: u64,
    /// Money per month at today's peak.
    monthly: f64,
    /// How far it does what is asked.
    standing: Standing,
    /// Each month's infrastructure.
    months: InfraMonths,
    /// The target's fixed fee a month, where it is kept apart from the
    /// months (by the hour).
    fee: f64,
}

impl PricedStack {
    /// The stack's costs with people costs `people`.
    pub(crate) fn costs(&self, people: &PeopleCosts) -> StackCosts {
        StackCosts {
            instances: self.instances,
            monthly: self.monthly,
            total: fold_horizon(self.months.as_ref(), self.fee, people, |_| ()),
            standing: self.standing,
        }
    }
}

/// [`PricedStack`] of one stack from its tiers sized for `s` and `f` (taken
/// by value: the deployment changes them in place).
pub(crate) fn priced_stack(
    stack: Stack,
    s: &Scenario,
    f: &Figures,
    mut tiers: Tiers,
) -> PricedStack {
    let deployment = deploy::apply(stack, s, f, tiers.as_mut_slice(), deploy::Reads::Costs);
    let tiers = tiers.as_slice();
    let (instances, monthly, standing) = stack_figures(tiers, &deployment);
    let (months, fee) = deployed_months(tiers, &deployment, s, |months, fee| {
        (InfraMonths::owned(months), fee)
    });
    PricedStack {
        instances,
        monthly,
        standing,
        months,
        fee,
    }
}

/// Whether a stack's months of infrastructure ([`PricedStack`]) read input
/// `field`: its tiers, and the growth, the horizon and the ramp (the
/// scale-out lag's headroom). The rest reach only the people costs.
pub(crate) fn months_read_input(field: NumField) -> bool {
    tiers_read_input(field)
        || matches!(
            field,
            NumField::GrowthPct | NumField::HorizonYears | NumField::RampMinutes
        )
}

/// Whether a stack's tiers (their sizing and their money per month) read
/// input `field`. The team, its cost and timeline, the integrations, the
/// horizon and the growth reach only the people costs and the horizon's
/// sum. Kept beside [`plan_tiers`] and [`size_tier`], which do the reading;
/// the sensitivity sweep's tests check it against sizing afresh.
pub(crate) fn tiers_read_input(field: NumField) -> bool {
    !matches!(
        field,
        NumField::TeamSize
            | NumField::PythonShare
            | NumField::JsShare
            | NumField::DevCostYear
            | NumField::TimelineMonths
            | NumField::GrowthPct
            | NumField::Integrations
            | NumField::HorizonYears
            | NumField::RampMinutes
    )
}

/// Whether the tiers of a stack whose API runs on `api` read figure `id`:
/// its own framework's figures and FastAPI's (its ML sidecar, data service
/// and the time a Node API waits on them), but no other framework's, and
/// the shared figures of sizing, but not those of people costs.
pub(crate) fn tiers_read_figure(api: Framework, id: AssumptionId) -> bool {
    match id {
        AssumptionId::Framework(fw, kind) => {
            kind != FigureKind::StartupMs && (fw == api || fw == Framework::FastApi)
        }
        AssumptionId::Shared(figure) => matches!(
            figure,
            SharedFigure::UslAlpha
                | SharedFigure::UslBeta
                | SharedFigure::ProcessesPerVcpu
                | SharedFigure::MemoryHeadroom
                | SharedFigure::MlHopMs
                | SharedFigure::MlRuntimeMib
                | SharedFigure::GpuBatchCost
                | SharedFigure::GpuCeiling
        ),
    }
}

/// The cheapest stack on each deployment target, from tiers sized once:
/// the sizing does not depend on the target, only what [`deploy::apply`]
/// makes of it.
fn cheapest_by_target(s: &Scenario, f: &Figures, sized: &[Tiers; 5]) -> Vec<(DeployTarget, Stack)> {
    DeployTarget::ALL
        .iter()
        .map(|&target| {
            let mut on = s.clone();
            on.deploy = target;
            let costs = costs_of(&on, f, sized);
            (
                target,
                Stack::ALL[cheapest_index(costs.iter().map(|c| (c.total, c.standing)))],
            )
        })
        .collect()
}

fn stack_estimate(stack: Stack, s: &Scenario, f: &Figures, mut sized: Tiers) -> StackEstimate {
    let api = stack.api_framework(s.current.stack());
    // Where the p99 target may have raised a count (memory can hide it),
    // the same services without it, to say what it costs.
    let untargeted = sized
        .as_slice()
        .iter()
        .any(|t| matches!(t.binding, Constraint::Latency | Constraint::Memory))
        .then(|| untargeted_tiers(stack, api, s, f));
    let deployment = deploy::apply(stack, s, f, sized.as_mut_slice(), deploy::Reads::Everything);
    let tiers: Vec<TierEstimate> = sized.as_slice().to_vec();
    let people = people_costs(stack, api, s, f);

    let mut monthly = MonthlyCost::default();
    for t in &tiers {
        monthly.add(&t.monthly);
    }
    // A fixed fee (a Kubernetes control plane) counts as compute.
    monthly.compute += deployment.fixed_monthly;
    let mut cumulative = Vec::with_capacity(s.horizon_months() as usize + 1);
    let total = deployed_months(&tiers, &deployment, s, |months, fee| {
        fold_horizon(months, fee, &people, |c| cumulative.push(c))
    });
    let infra_horizon = total - people.total();

    let api_tier = &tiers[0];
    let mut notes = Vec::new();
    if let Some(why) = &deployment.ruled_out {
        notes.push(format!(
            "Ruled out on {}: {}: {why}",
            s.deploy.in_sentence(),
            stack.label()
        ));
    }
    notes.extend(deployment.notes.iter().map(ToString::to_string));
    for t in &tiers {
        if !t.memory.fits() {
            notes.push(format!(
                "{} ({}): one worker needs {:.0} MiB but the instance has {:.0} MiB usable; choose an instance with more memory.",
                stack.label(), t.role.label(), t.memory.total_mib(), t.memory.available_mib
            ));
        }
        if !t.meets_p99 {
            notes.push(format!(
                "{} ({}): the p99 target cannot be met; the fastest this tier can answer is {:.0} ms.",
                stack.label(), t.role.label(), t.min_p99_ms
            ));
        }
    }
    let instances = count_instances(&tiers);
    let untargeted_instances = untargeted
        .as_ref()
        .map_or(instances, |loose| count_instances(loose.as_slice()));
    if let Some(loose) = untargeted {
        let target_ms = s.get(NumField::P99TargetMs);
        notes.extend(
            tiers
                .iter()
                .zip(loose.as_slice())
                .filter_map(|(t, u)| costly_target(stack, t, u, target_ms)),
        );
    }

    StackEstimate {
        stack,
        api_framework: api,
        instances,
        untargeted_instances,
        throughput_per_instance: api_tier.max_rps,
        memory_per_instance_mib: api_tier.memory.total_mib(),
        monthly,
        infra_horizon,
        people,
        total,
        cumulative,
        p99_ms: tiers.iter().map(|t| t.p99_ms).fold(0.0, f64::max),
        meets_p99: tiers.iter().all(|t| t.meets_p99),
        binding: api_tier.binding,
        fits_memory: tiers.iter().all(|t| t.memory.fits()),
        startup_ms: f.of(api, FigureKind::StartupMs),
        deployment,
        notes,
        tiers,
    }
}
