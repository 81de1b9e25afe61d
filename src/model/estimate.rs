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

use serde::Serialize;

use super::assumptions::{AssumptionSet, FigureKind, Figures, Pick, SharedFigure};
use super::people::{people_costs, PeopleCosts};
use super::queueing::{
    little_l, max_rate_for_p99, mean_wait_s, p99_wait_s, usl_capacity, usl_peak,
};
use super::scenario::{Currency, MlDevice, NodeMajor, NumField, Scenario, WorkloadClass};
use super::stack::{Framework, Stack};
use super::{HOURS_PER_MONTH, MIB_PER_GIB, MONTHS_PER_YEAR};

/// A request class's share of the p99 below which it does not set the p99
/// (1%: the 99th percentile ignores the slowest 1%).
const P99_TAIL: f64 = 0.01;

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
    /// Memory: fewer processes fit on an instance than it has vCPUs.
    Memory,
    /// The minimum replicas for availability.
    Replicas,
}

impl Constraint {
    /// Label shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            Constraint::Latency => "p99 latency",
            Constraint::Cpu => "CPU ceiling",
            Constraint::Memory => "memory",
            Constraint::Replicas => "minimum replicas",
        }
    }
}

/// Memory of one instance, by part, MiB.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct MemoryBreakdown {
    /// Runtime of every worker process.
    pub runtime_mib: f64,
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
        self.runtime_mib + self.model_mib + self.inflight_mib
    }
    /// Whether it fits the instance.
    pub fn fits(&self) -> bool {
        self.total_mib() <= self.available_mib
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
    /// Mean CPU time per request on one process, ms.
    pub mean_service_ms: f64,
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
    /// Memory of one instance.
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
    /// Warnings for the user, in words.
    pub notes: Vec<String>,
}

/// Every stack for one scenario and set of figures.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Estimate {
    /// One per [`Stack::ALL`], in that order.
    pub stacks: Vec<StackEstimate>,
    /// The stack with the lowest total cost over the horizon.
    pub cheapest: Stack,
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
}

/// The estimate at the cheap end, typical values and the dear end of every
/// range.
#[derive(Clone, Debug, PartialEq, Serialize)]
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
pub fn estimate_with(s: &Scenario, f: &Figures) -> Estimate {
    let stacks: Vec<StackEstimate> = Stack::ALL
        .iter()
        .map(|st| stack_estimate(*st, s, f))
        .collect();
    let cheapest = stacks
        .iter()
        .min_by(|a, b| a.total.total_cmp(&b.total))
        .map_or(Stack::FastApi, |e| e.stack);
    Estimate {
        stacks,
        cheapest,
        months: s.horizon_months(),
        currency: s.currency,
    }
}

/// A list of at most `N` items on the stack: the estimate runs thousands of
/// times per Monte Carlo run and allocates nothing per tier.
#[derive(Clone, Copy, Debug)]
struct Fixed<T: Copy + Default, const N: usize> {
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
    fn as_slice(&self) -> &[T] {
        &self.items[..self.len]
    }
}

/// One request class as one tier sees it.
#[derive(Clone, Copy, Debug, Default)]
struct Class {
    /// Share of the stack's requests.
    share: f64,
    /// CPU seconds on this tier's process.
    cpu_s: f64,
    /// Seconds spent outside this tier's CPU (I/O wait, a hop, the sidecar).
    outside_s: f64,
}

/// A tier before sizing.
#[derive(Clone, Copy, Debug)]
struct TierPlan {
    role: TierRole,
    framework: Framework,
    classes: Fixed<Class, 4>,
    /// Whether each process loads the model.
    loads_model: bool,
    on_gpu: bool,
}

/// CPU seconds of a framework's per-request work, after the Node 24
/// speed-up and the Uvicorn access log.
fn framework_cost_s(fw: Framework, kind: FigureKind, s: &Scenario, f: &Figures) -> f64 {
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
    let inference = s.get(NumField::InferenceMs) * 1e-3;
    let hop = f.shared(SharedFigure::MlHopMs) * 1e-3;
    let gpu = s.ml_device == MlDevice::Gpu;
    let py = Framework::FastApi;

    let json = |fw| framework_cost_s(fw, FigureKind::JsonCpuUs, s, f);
    let io = |fw| framework_cost_s(fw, FigureKind::IoCpuUs, s, f);
    let compute = |fw: Framework| json(fw) + cpu_work * f.of(fw, FigureKind::CpuWorkFactor);
    let class = |share, cpu_s, outside_s| Class {
        share,
        cpu_s,
        outside_s,
    };

    let mut api_classes = Fixed::<Class, 4>::new();
    let mut python_classes = Fixed::<Class, 4>::new();
    api_classes.push(class(share(WorkloadClass::Json), json(api), 0.0));
    api_classes.push(class(share(WorkloadClass::Io), io(api), io_wait));

    // CPU-bound work: in the API, except in the hybrid, which forwards it.
    let cpu = share(WorkloadClass::Cpu);
    if stack == Stack::Hybrid {
        api_classes.push(class(cpu, io(api), hop + compute(py)));
        python_classes.push(class(cpu, compute(py), hop + io(api)));
    } else {
        api_classes.push(class(cpu, compute(api), 0.0));
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
        let mut one = Fixed::<Class, 4>::new();
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

/// The sizing of a tier at a given process count.
struct Sized {
    processes: u32,
    capacity: f64,
    max_rps: Option<f64>,
    mu_eff: f64,
    /// p99 with no queueing: the slowest class that sets the p99, seconds.
    fixed_s: f64,
    memory: MemoryBreakdown,
}

fn size_tier(plan: &TierPlan, s: &Scenario, f: &Figures) -> TierEstimate {
    let tier_share: f64 = plan.classes.as_slice().iter().map(|c| c.share).sum();
    let peak = s.peak_rps() * tier_share;
    let target = s.get(NumField::P99TargetMs) * 1e-3;
    let ceiling = s.get(NumField::UtilCeiling) / 100.0;
    let min_replicas = s.get(NumField::MinReplicas).max(1.0) as u64;
    let vcpu = s.get(NumField::Vcpu);
    let alpha = f.shared(SharedFigure::UslAlpha);
    let beta = f.shared(SharedFigure::UslBeta);
    let model_mib = s.get(NumField::ModelMib);

    // Mean CPU time of the tier's mix.
    let weight = |c: &Class| {
        if tier_share > 0.0 {
            c.share / tier_share
        } else {
            0.0
        }
    };
    let mean_s = plan
        .classes
        .as_slice()
        .iter()
        .map(|c| weight(c) * c.cpu_s)
        .sum::<f64>()
        .max(1e-7);
    let mean_outside_s: f64 = plan
        .classes
        .as_slice()
        .iter()
        .map(|c| weight(c) * c.outside_s)
        .sum();

    // One process per vCPU (times the per-vCPU figure), but never past the
    // USL peak: beyond it more processes serve fewer requests.
    let full_processes = if plan.on_gpu {
        1
    } else {
        let wanted = (vcpu * f.shared(SharedFigure::ProcessesPerVcpu)).round();
        let peak = usl_peak(alpha, beta).map_or(wanted, f64::floor);
        wanted.min(peak).max(1.0) as u32
    };
    // On a GPU tier the memory checked is the GPU's: the model and the
    // requests in flight, not the host process.
    let runtime = if plan.on_gpu {
        0.0
    } else {
        f.of(plan.framework, FigureKind::RuntimeMib)
    };
    let inflight_each = f.of(plan.framework, FigureKind::InflightMib);
    let instance_gib = if plan.on_gpu {
        s.get(NumField::GpuMemGib)
    } else {
        s.get(NumField::MemGib)
    };
    let available = instance_gib * MIB_PER_GIB * f.shared(SharedFigure::MemoryHeadroom);

    let size_at = |processes: u32| -> Sized {
        let n = f64::from(processes);
        // Contention and coherency slow each process down: mu' = mu X(N)/N.
        let slowdown = if plan.on_gpu {
            1.0
        } else {
            n / usl_capacity(n, alpha, beta).max(1e-9)
        };
        let mu_eff = 1.0 / (mean_s * slowdown);
        let fixed = plan
            .classes
            .as_slice()
            .iter()
            .filter(|c| tier_share > 0.0 && weight(c) >= P99_TAIL)
            .map(|c| c.outside_s + c.cpu_s * slowdown)
            .fold(0.0, f64::max);
        let max_rps = max_rate_for_p99(processes, mu_eff, fixed, target, ceiling);
        let planned = max_rps.unwrap_or(n * mu_eff * ceiling);
        let response =
            mean_s * slowdown + mean_wait_s(processes, mu_eff, planned).min(1e3) + mean_outside_s;
        let in_flight = little_l(planned, response);
        let memory = MemoryBreakdown {
            runtime_mib: n * runtime,
            model_mib: if plan.loads_model { n * model_mib } else { 0.0 },
            inflight_mib: in_flight * inflight_each,
            available_mib: available,
        };
        Sized {
            processes,
            capacity: n * mu_eff,
            max_rps,
            mu_eff,
            fixed_s: fixed,
            memory,
        }
    };

    let mut sized = size_at(full_processes);
    let mut memory_bound = false;
    if !sized.memory.fits() {
        let mut p = full_processes;
        while p > 1 {
            p -= 1;
            let candidate = size_at(p);
            if candidate.memory.fits() {
                sized = candidate;
                memory_bound = true;
                break;
            }
            if p == 1 {
                sized = candidate;
            }
        }
    }

    let meets_reachable = sized.max_rps.is_some();
    let planned = sized.max_rps.unwrap_or(sized.capacity * ceiling).max(1e-9);
    let by_load = (peak / planned)
        .ceil()
        .max(if peak > 0.0 { 1.0 } else { 0.0 }) as u64;
    let instances = by_load.max(min_replicas);
    let binding = if by_load < min_replicas {
        Constraint::Replicas
    } else if memory_bound {
        Constraint::Memory
    } else if meets_reachable && planned < sized.capacity * ceiling * 0.999 {
        Constraint::Latency
    } else {
        Constraint::Cpu
    };

    let fixed = sized.fixed_s;
    let load = peak / instances.max(1) as f64;
    let p99_s = fixed + p99_wait_s(sized.processes, sized.mu_eff, load);
    let p99_ms = finite_or(p99_s * 1e3, 1e9);

    let (monthly, instance_monthly) = if plan.on_gpu {
        let one = s.get(NumField::GpuPriceHour) * HOURS_PER_MONTH;
        (
            MonthlyCost {
                gpu: one * instances as f64,
                ..MonthlyCost::default()
            },
            one,
        )
    } else {
        let cpu_one = vcpu * s.get(NumField::PriceVcpuHour) * HOURS_PER_MONTH;
        let mem_one = s.get(NumField::MemGib) * s.get(NumField::PriceGibHour) * HOURS_PER_MONTH;
        let k = instances as f64;
        (
            MonthlyCost {
                compute: cpu_one * k,
                memory: mem_one * k,
                gpu: 0.0,
            },
            cpu_one + mem_one,
        )
    };

    TierEstimate {
        role: plan.role,
        framework: plan.framework,
        traffic_share: tier_share,
        peak_rps: peak,
        processes: sized.processes,
        mean_service_ms: mean_s * 1e3,
        capacity_rps: sized.capacity,
        max_rps: planned,
        utilisation: (planned / sized.capacity.max(1e-12)).min(1.0),
        instances,
        binding,
        memory: sized.memory,
        p99_ms,
        min_p99_ms: fixed * 1e3,
        meets_p99: meets_reachable && p99_s <= target * 1.0001,
        monthly,
        instance_monthly,
        on_gpu: plan.on_gpu,
    }
}

fn finite_or(v: f64, cap: f64) -> f64 {
    if v.is_finite() {
        v.min(cap)
    } else {
        cap
    }
}

/// Instances of a tier when its traffic is `factor` times today's.
fn instances_at(tier: &TierEstimate, factor: f64, min_replicas: u64) -> u64 {
    // `as` saturates: an absurd load gives u64::MAX instances, never a wrap.
    let by_load = (tier.peak_rps * factor / tier.max_rps.max(1e-9))
        .ceil()
        .max(0.0) as u64;
    by_load.max(min_replicas)
}

/// Sizes every tier of a stack.
fn sized_tiers(stack: Stack, api: Framework, s: &Scenario, f: &Figures) -> Fixed<TierEstimate, 3> {
    let plans = plan_tiers(stack, api, s, f);
    let mut tiers = Fixed::new();
    for plan in plans.as_slice() {
        tiers.push(size_tier(plan, s, f));
    }
    tiers
}

/// Total cost over the horizon: one-off people costs at month 0, then each
/// month's infrastructure at that month's traffic, `(1 + g)^(m / 12)` times
/// today's, plus the recurring people costs. `record` sees the running total
/// after month 0 and after every month.
fn horizon_total(
    tiers: &[TierEstimate],
    people: &PeopleCosts,
    s: &Scenario,
    mut record: impl FnMut(f64),
) -> f64 {
    let months = s.horizon_months();
    let monthly_growth = (1.0 + s.get(NumField::GrowthPct) / 100.0).powf(1.0 / MONTHS_PER_YEAR);
    let min_replicas = s.get(NumField::MinReplicas).max(1.0) as u64;
    let recurring = people.docs / f64::from(months.max(1));
    let infra_at = |factor: f64| -> f64 {
        tiers
            .iter()
            .map(|t| instances_at(t, factor, min_replicas) as f64 * t.instance_monthly)
            .sum()
    };
    // When even the busiest month fits in the minimum replicas, every month
    // costs the same: size once (the common case for small services, and
    // thousands of times cheaper inside a Monte Carlo run).
    let mut last = 1.0_f64;
    for _ in 1..months {
        last *= monthly_growth;
    }
    let steady = tiers
        .iter()
        .all(|t| instances_at(t, last.max(1.0), min_replicas) == min_replicas)
        .then(|| infra_at(1.0));
    let mut running = people.one_off();
    record(running);
    let mut factor = 1.0;
    for _ in 0..months {
        let infra = steady.unwrap_or_else(|| infra_at(factor));
        running += infra + recurring;
        record(running);
        factor *= monthly_growth;
    }
    running
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
}

/// [`StackCosts`] of every stack, in the order of [`Stack::ALL`].
pub(crate) fn stack_costs(s: &Scenario, f: &Figures) -> [StackCosts; 5] {
    Stack::ALL.map(|stack| {
        let api = stack.api_framework(s.current.stack());
        let tiers = sized_tiers(stack, api, s, f);
        let people = people_costs(stack, api, s, f);
        let tiers = tiers.as_slice();
        StackCosts {
            instances: tiers
                .iter()
                .fold(0u64, |n, t| n.saturating_add(t.instances)),
            monthly: tiers.iter().map(|t| t.monthly.total()).sum(),
            total: horizon_total(tiers, &people, s, |_| ()),
        }
    })
}

fn stack_estimate(stack: Stack, s: &Scenario, f: &Figures) -> StackEstimate {
    let api = stack.api_framework(s.current.stack());
    let tiers: Vec<TierEstimate> = sized_tiers(stack, api, s, f).as_slice().to_vec();
    let people = people_costs(stack, api, s, f);

    let mut monthly = MonthlyCost::default();
    for t in &tiers {
        monthly.add(&t.monthly);
    }
    let mut cumulative = Vec::with_capacity(s.horizon_months() as usize + 1);
    let total = horizon_total(&tiers, &people, s, |c| cumulative.push(c));
    let infra_horizon = total - people.total();

    let api_tier = &tiers[0];
    let mut notes = Vec::new();
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

    StackEstimate {
        stack,
        api_framework: api,
        instances: tiers
            .iter()
            .fold(0u64, |n, t| n.saturating_add(t.instances)),
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
        notes,
        tiers,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn published(s: &Scenario) -> Estimate {
        estimate(s, &AssumptionSet::published())
    }

    #[test]
    fn every_stack_is_estimated_in_order() {
        let e = published(&Scenario::default());
        assert_eq!(e.stacks.len(), Stack::ALL.len());
        for (st, est) in Stack::ALL.iter().zip(&e.stacks) {
            assert_eq!(*st, est.stack);
            assert!(est.instances >= 2, "{:?}", est.stack);
            assert!(est.total > 0.0);
            assert_eq!(est.cumulative.len(), e.months as usize + 1);
        }
    }

    #[test]
    fn a_small_service_is_held_up_by_replicas() {
        let e = published(&Scenario::default());
        assert_eq!(e.stack(Stack::Fastify).binding, Constraint::Replicas);
        assert_eq!(e.stack(Stack::Fastify).instances, 2);
    }

    #[test]
    fn heavy_traffic_is_bound_by_cpu_and_fastify_needs_fewer_instances() {
        let mut s = Scenario::default();
        s.set(NumField::AvgRps, 50_000.0).unwrap();
        let e = published(&s);
        let fastify = e.stack(Stack::Fastify);
        let fastapi = e.stack(Stack::FastApi);
        assert_eq!(fastify.binding, Constraint::Cpu);
        assert!(fastify.instances < fastapi.instances);
    }

    #[test]
    fn hand_computed_fastify_instances() {
        // JSON only, 10,000 req/s average x 3 peak = 30,000 req/s. Fastify
        // on Node 24: 25 µs / 1.0 per request, 2 processes, USL alpha 0.025,
        // beta 0.0001: X(2) = 2 / (1.025 + 0.0002) = 1.9508; capacity
        // 1.9508 / 25e-6 = 78,034 req/s; at a 65% ceiling 50,722 req/s;
        // 30,000 / 50,722 -> 1 instance, so 2 replicas bind.
        let mut s = Scenario::default();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        s.set(NumField::AvgRps, 10_000.0).unwrap();
        let e = published(&s);
        let t = &e.stack(Stack::Fastify).tiers[0];
        assert!(
            (t.capacity_rps - 2.0 / 1.0252 / 25e-6).abs() < 1.0,
            "{}",
            t.capacity_rps
        );
        assert!((t.max_rps - 0.65 * t.capacity_rps).abs() < 1.0);
        assert_eq!(t.instances, 2);
        assert_eq!(t.binding, Constraint::Replicas);
    }

    #[test]
    fn ml_on_fastapi_loads_the_model_in_every_worker() {
        let mut s = Scenario::default();
        s.set(NumField::MlShare, 20.0).unwrap();
        s.set(NumField::Vcpu, 4.0).unwrap();
        s.set(NumField::MemGib, 16.0).unwrap();
        let e = published(&s);
        let fastapi = &e.stack(Stack::FastApi).tiers[0];
        assert_eq!(fastapi.memory.model_mib, 4.0 * 256.0);
        let express = e.stack(Stack::Express);
        assert_eq!(express.tiers[0].memory.model_mib, 0.0);
        assert_eq!(express.tiers[1].role, TierRole::MlSidecar);
        assert!(express.tiers[1].memory.model_mib > 0.0);
    }

    #[test]
    fn a_model_too_large_for_the_instance_is_flagged() {
        let mut s = Scenario::default();
        s.set(NumField::MlShare, 20.0).unwrap();
        s.set(NumField::ModelMib, 8_000.0).unwrap();
        let e = published(&s);
        let fastapi = e.stack(Stack::FastApi);
        assert!(!fastapi.fits_memory);
        assert!(fastapi.notes.iter().any(|n| n.contains("more memory")));
    }

    #[test]
    fn memory_binds_before_it_overflows() {
        // 4 vCPUs, 4 GiB x 0.9 usable = 3,686 MiB; with a 1,500 MiB model only
        // 2 FastAPI workers fit.
        let mut s = Scenario::default();
        s.set(NumField::MlShare, 50.0).unwrap();
        s.set(NumField::ModelMib, 1_500.0).unwrap();
        s.set(NumField::Vcpu, 4.0).unwrap();
        s.set(NumField::AvgRps, 2_000.0).unwrap();
        let e = published(&s);
        let t = &e.stack(Stack::FastApi).tiers[0];
        assert_eq!(t.processes, 2);
        assert_eq!(t.binding, Constraint::Memory);
        assert!(t.memory.fits());
    }

    #[test]
    fn an_unreachable_p99_target_is_reported() {
        let mut s = Scenario::default();
        s.set(NumField::IoWaitMs, 500.0).unwrap();
        s.set(NumField::P99TargetMs, 100.0).unwrap();
        let e = published(&s);
        assert!(e.stacks.iter().all(|st| !st.meets_p99));
    }

    #[test]
    fn gpu_inference_gets_its_own_tier() {
        let mut s = Scenario::default();
        s.set(NumField::MlShare, 10.0).unwrap();
        s.ml_device = MlDevice::Gpu;
        let e = published(&s);
        for st in &e.stacks {
            assert!(
                st.tiers.iter().any(|t| t.role == TierRole::Gpu),
                "{:?}",
                st.stack
            );
            assert!(st.monthly.gpu > 0.0);
        }
    }

    #[test]
    fn migration_costs_nothing_when_staying() {
        let mut s = Scenario::default();
        s.current = super::super::scenario::CurrentStack::Running(Stack::Express);
        let e = published(&s);
        assert_eq!(e.stack(Stack::Express).people.migration, 0.0);
        // 1 x 22.5% x 1 year x 6 developers x 120,000.
        assert!((e.stack(Stack::Fastify).people.migration - 0.225 * 6.0 * 120_000.0).abs() < 1e-6);
    }

    #[test]
    fn node_24_makes_express_cheaper_per_request() {
        // JSON only: compute work is not sped up by the runtime.
        let mut s = Scenario::default();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        s.node = NodeMajor::V20;
        let old = published(&s).stack(Stack::Express).tiers[0].capacity_rps;
        s.node = NodeMajor::V24;
        let new = published(&s).stack(Stack::Express).tiers[0].capacity_rps;
        assert!((new / old - 3.0).abs() < 0.01, "{}", new / old);
    }

    #[test]
    fn uvicorn_access_log_off_speeds_fastapi_json_by_the_factor() {
        let mut s = Scenario::default();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        let on = published(&s).stack(Stack::FastApi).tiers[0].capacity_rps;
        s.uvicorn_access_log = false;
        let off = published(&s).stack(Stack::FastApi).tiers[0].capacity_rps;
        assert!((off / on - 1.85).abs() < 0.01, "{}", off / on);
    }

    #[test]
    fn productivity_effects_can_be_switched_off() {
        let mut s = Scenario::default();
        let on = published(&s);
        assert!(on.stack(Stack::Express).people.docs > 0.0);
        assert!(on.stack(Stack::FastApi).people.integrations > 0.0);
        s.productivity_effects = false;
        let off = published(&s);
        assert_eq!(off.stack(Stack::Express).people.docs, 0.0);
        assert_eq!(off.stack(Stack::FastApi).people.integrations, 0.0);
    }

    #[test]
    fn a_steady_horizon_costs_the_same_every_month() {
        // The default service stays at 2 replicas for all 36 months.
        let s = Scenario::default();
        let e = published(&s);
        let st = e.stack(Stack::Express);
        let monthly: f64 = st.tiers.iter().map(|t| 2.0 * t.instance_monthly).sum();
        let months = f64::from(e.months);
        let want = st.people.one_off() + months * (monthly + st.people.docs / months);
        assert!(
            (st.total - want).abs() < 1e-6 * want,
            "{} vs {want}",
            st.total
        );
        // And with growth that outgrows the replicas, later months cost more.
        let mut busy = Scenario::default();
        busy.set(NumField::AvgRps, 8_000.0).unwrap();
        busy.set(NumField::GrowthPct, 200.0).unwrap();
        let busy = published(&busy);
        let c = &busy.stack(Stack::FastApi).cumulative;
        let first = c[1] - c[0];
        let last = c[c.len() - 1] - c[c.len() - 2];
        assert!(last > first, "{first} -> {last}");
    }

    #[test]
    fn the_range_brackets_the_typical_estimate() {
        let mut s = Scenario::default();
        s.set(NumField::AvgRps, 20_000.0).unwrap();
        let r = RangeEstimate::new(&s, &AssumptionSet::published());
        for st in Stack::ALL {
            let (o, t, p) = (
                r.optimistic.stack(st).total,
                r.typical.stack(st).total,
                r.pessimistic.stack(st).total,
            );
            assert!(o <= t && t <= p, "{st:?}: {o} {t} {p}");
        }
    }
}
