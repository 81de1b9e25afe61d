//! Sizing one tier: its processes per instance, the instances that keep
//! the p99 target and the utilisation ceiling, and the memory they hold
//! (CPU tiers in [`TierInputs`], GPU tiers in [`size_gpu_tier`]).

use super::{
    plan_tiers, Constraint, Fixed, MemoryBreakdown, MonthlyCost, QueueLayout, TierEstimate,
    TierPlan, MAX_CLASSES,
};
use crate::model::assumptions::{FigureKind, Figures, SharedFigure};
use crate::model::queueing::{
    little_l, most_within_falsi, service_moments, usl_capacity, usl_peak, BatchingGpu, ClassTime,
    Mix, WaitTail,
};
use crate::model::scenario::{Balancing, NumField, Scenario};
use crate::model::stack::{Framework, Stack};
use crate::model::{HOURS_PER_MONTH, MIB_PER_GIB};

/// A tier's queue at a given process count, before the instance count.
#[derive(Clone, Copy, Debug, Default)]
struct Shape {
    /// Processes per instance (memory).
    processes: u64,
    /// Processes that run at once: no more than the vCPUs (CPU).
    servers: u64,
    /// How much contention and coherency slow each process down (the
    /// classes' service times are their times alone times this).
    slowdown: f64,
    /// The same classes as the p99 reads them.
    mix: Mix,
    /// Rate of one server, req/s.
    mu: f64,
    /// Squared coefficient of variation of the service time.
    scv: f64,
    /// The p99 response with no queueing, seconds.
    unqueued_s: f64,
}

/// The waits in the blind layout and, behind least outstanding, in the
/// pooled one.
type Waits = (WaitTail, Option<WaitTail>);

/// A tier sized at one process count.
#[derive(Clone, Copy, Debug, Default)]
struct Sized {
    shape: Shape,
    instances: u64,
    /// Instances the CPU ceiling alone needs.
    by_cpu: u64,
    /// Whether the p99 target raised the count above the CPU ceiling's.
    latency_bound: bool,
    /// Whether any instance count meets the p99 target.
    reachable: bool,
    layout: QueueLayout,
    /// The waits at `instances` (blind, and pooled behind least outstanding).
    waits: (WaitTail, Option<WaitTail>),
    /// The load one instance is planned for, req/s: later months add an
    /// instance past it.
    planned: f64,
    memory: MemoryBreakdown,
}

/// Everything a tier's sizing reads, resolved once.
struct TierInputs<'a> {
    plan: &'a TierPlan,
    peak: f64,
    target_s: f64,
    ceiling: f64,
    min_replicas: u64,
    vcpu: u64,
    alpha: f64,
    beta: f64,
    balancing: Balancing,
    shared_socket: bool,
    per_process_mib: f64,
    runtime_mib: f64,
    model_mib: f64,
    inflight_each_mib: f64,
    available_mib: f64,
    /// The tier's classes, their shares of its traffic summing to 1, with
    /// the service time of one process alone.
    classes: [ClassTime; MAX_CLASSES],
    /// Mean and squared coefficient of variation of that service time.
    service_mean_s: f64,
    service_scv: f64,
    /// Mean time away from a server, seconds.
    mean_outside_s: f64,
}

impl<'a> TierInputs<'a> {
    /// What sizing `plan` reads of the scenario and the figures; the tier
    /// serves `tier_share` of the traffic.
    fn new(plan: &'a TierPlan, s: &Scenario, f: &Figures, tier_share: f64) -> TierInputs<'a> {
        // The framework's own coefficients where fitted, else the shared ones.
        let alpha = f.of(plan.framework, FigureKind::UslAlpha).clamp(0.0, 1.0);
        let beta = f.of(plan.framework, FigureKind::UslBeta).max(0.0);
        let vcpu = s.get(NumField::Vcpu).round().max(1.0) as u64;
        let model_mib = if plan.loads_model {
            s.get(NumField::ModelMib)
        } else {
            0.0
        };
        // On a GPU tier the memory checked is the GPU's: the model and the
        // requests in flight, not the host process.
        let runtime_mib = if plan.on_gpu {
            0.0
        } else {
            f.of(plan.framework, FigureKind::RuntimeMib)
        };
        let ml_runtime_mib = if plan.loads_model && !plan.on_gpu {
            f.shared(SharedFigure::MlRuntimeMib)
        } else {
            0.0
        };
        let instance_gib = if plan.on_gpu {
            s.get(NumField::GpuMemGib)
        } else {
            s.get(NumField::MemGib)
        };
        let (classes, service_mean_s, service_scv, mean_outside_s) =
            TierInputs::classes_of(plan, tier_share);
        TierInputs {
            plan,
            classes,
            service_mean_s,
            service_scv,
            mean_outside_s,
            peak: s.peak_rps() * tier_share,
            target_s: s.get(NumField::P99TargetMs) * 1e-3,
            ceiling: (s.get(NumField::UtilCeiling) / 100.0).clamp(0.01, 1.0),
            min_replicas: s.get(NumField::MinReplicas).max(1.0) as u64,
            vcpu,
            alpha,
            beta,
            balancing: s.balancing,
            shared_socket: !plan.framework.on_node(),
            per_process_mib: runtime_mib + ml_runtime_mib + model_mib,
            runtime_mib,
            model_mib,
            inflight_each_mib: f.of(plan.framework, FigureKind::InflightMib),
            available_mib: instance_gib * MIB_PER_GIB * f.shared(SharedFigure::MemoryHeadroom),
        }
    }

    /// Processes per instance before memory is counted: one per vCPU (times
    /// the per-vCPU figure), but never past the USL peak, beyond which more
    /// processes serve fewer requests.
    fn full_processes(&self, f: &Figures) -> u64 {
        if self.plan.on_gpu {
            return 1;
        }
        let wanted = (self.vcpu as f64 * f.shared(SharedFigure::ProcessesPerVcpu).max(1.0)).round();
        let peak = usl_peak(self.alpha, self.beta).map_or(wanted, f64::floor);
        wanted.min(peak).max(1.0) as u64
    }

    /// The tier sized at `wanted` processes per instance, or at the most
    /// that fit the instance's memory ([`most_processes_that_fit`]).
    fn size_within_memory(&self, wanted: u64) -> Sized {
        if wanted <= 1 || self.surely_fits(wanted) {
            return self.size(wanted);
        }
        // Where the memory at the CPU ceiling's load fits, the sizing does.
        let at_ceiling = self.excess_at_ceiling(wanted);
        if at_ceiling <= 0.0 {
            return self.size(wanted);
        }
        // Where the target leaves the queues less than the slowest class's
        // own time, the p99 is likely to add instances, each then planned
        // below the CPU ceiling's load: the screen on the memory at that
        // load is then far from the answer, and `wanted` may fit after all.
        // (Only the order of the sizings depends on this.)
        let slowest = self
            .classes
            .iter()
            .filter(|c| c.share > 0.0)
            .map(ClassTime::unqueued_s)
            .fold(0.0, f64::max);
        let tight = self.target_s < 2.0 * slowest;
        // Where the processes' own memory overflows the instance, whatever
        // is in flight, `wanted` cannot fit and needs no sizing.
        let own = wanted as f64 * self.per_process_mib;
        if own > self.available_mib {
            if !tight {
                return most_processes_that_fit(self, (wanted, at_ceiling), true);
            }
            // Without the screen the search interpolates from what would be
            // in flight at the CPU ceiling's count without queueing: closer
            // to a sizing's, where the p99 adds instances, than the screen's.
            let guess = own + self.inflight_unqueued(wanted) - self.available_mib;
            return most_processes_that_fit(self, (wanted, guess), false);
        }
        if tight {
            let full = self.size(wanted);
            if full.memory.fits() {
                return full;
            }
            let excess = full.memory.total_mib() - self.available_mib;
            return most_processes_that_fit(self, (wanted, excess), false);
        }
        // One past `wanted` stands for "not allowed".
        most_processes_that_fit(self, (wanted + 1, at_ceiling), true)
    }

    /// The classes of `plan`, each with its share of the tier's traffic
    /// (`tier_share` of the whole), their service moments and mean time
    /// away from a server.
    fn classes_of(
        plan: &'a TierPlan,
        tier_share: f64,
    ) -> ([ClassTime; MAX_CLASSES], f64, f64, f64) {
        let mut classes = [ClassTime::default(); MAX_CLASSES];
        let mut mean_outside_s = 0.0;
        for (slot, c) in classes.iter_mut().zip(plan.classes.as_slice()) {
            let share = if tier_share > 0.0 {
                c.share / tier_share
            } else {
                0.0
            };
            *slot = ClassTime {
                share,
                service_s: c.cpu_s,
                outside_s: c.outside_s,
            };
            mean_outside_s += share * c.outside_s;
        }
        let (mean, scv) = service_moments(&classes);
        (classes, mean, scv, mean_outside_s)
    }

    /// The tier's classes with their service time slowed down by
    /// `slowdown`. Every class slows down alike: the mean scales, its
    /// variance's coefficient does not.
    fn classes_at(&self, slowdown: f64) -> [ClassTime; MAX_CLASSES] {
        let mut classes = self.classes;
        for c in &mut classes {
            c.service_s *= slowdown;
        }
        classes
    }

    fn shape(&self, processes: u64) -> Shape {
        let processes = processes.max(1);
        let (servers, slowdown, mu) = self.servers_and_rate(processes);
        let mix = Mix::new(&self.classes_at(slowdown));
        Shape {
            processes,
            servers,
            slowdown,
            mu,
            scv: self.service_scv,
            mix,
            unqueued_s: mix.p99_s(WaitTail::default()),
        }
    }

    /// The servers with `processes` per instance, how much contention and
    /// coherency slow each down (`mu' = mu X(N) / N`), and each one's
    /// service rate: the queue's shape without its mix.
    fn servers_and_rate(&self, processes: u64) -> (u64, f64, f64) {
        let servers = self.servers(processes);
        let n = servers as f64;
        let slowdown = if self.plan.on_gpu {
            1.0
        } else {
            n / usl_capacity(n, self.alpha, self.beta).max(1e-9)
        };
        (
            servers,
            slowdown,
            1.0 / (self.service_mean_s * slowdown).max(1e-9),
        )
    }

    fn layout(&self, shape: &Shape, instances: u64) -> QueueLayout {
        QueueLayout::new(self.balancing, self.shared_socket, instances, shape.servers)
    }

    /// The waits at today's peak over `instances` instances.
    fn waits(&self, shape: &Shape, instances: u64) -> (WaitTail, Option<WaitTail>) {
        self.layout(shape, instances)
            .waits(shape.mu, self.peak, shape.scv)
    }

    /// Whether the p99 target holds with `waits` over `instances`.
    fn meets(&self, shape: &Shape, instances: u64, waits: (WaitTail, Option<WaitTail>)) -> bool {
        self.layout(shape, instances).meets_given(
            &shape.mix,
            shape.unqueued_s,
            waits,
            self.target_s,
        )
    }

    /// Processes that run at once with `processes` per instance: no more
    /// than the vCPUs (one on a GPU).
    fn servers(&self, processes: u64) -> u64 {
        if self.plan.on_gpu {
            1
        } else {
            processes.max(1).min(self.vcpu.max(1))
        }
    }

    /// Sizes the tier at `processes` per instance: the fewest instances
    /// that keep utilisation under the ceiling, the p99 under the target
    /// (where any count can) and no fewer than the minimum replicas.
    fn size(&self, processes: u64) -> Sized {
        self.size_near(processes, None)
    }

    /// [`TierInputs::size`], given a sizing at a process count close by
    /// (`near`): behind least outstanding the search for the fewest
    /// instances starts where that sizing's count, scaled by the capacity
    /// of an instance, lands. The answer is the same; only the checks on
    /// the way are fewer.
    fn size_near(&self, processes: u64, near: Option<&Sized>) -> Sized {
        self.size_capped(processes, near, f64::INFINITY)
    }

    /// The most load an instance of `processes` holds in memory: the
    /// requests in flight (Little's law) fill the room the processes leave,
    /// at the load found by regula falsi (`most_within_falsi`: in flight
    /// never falls as the load rises), read as today's sizing reads it
    /// ([`TierInputs::inflight_mib`]).
    /// Infinite where the CPU ceiling's load fits; `None` where not even one
    /// request fits beside the processes.
    fn memory_holds(&self, processes: u64) -> Option<f64> {
        let processes = processes.max(1);
        let (servers, _, mu) = self.servers_and_rate(processes);
        let room = self.available_mib - processes as f64 * self.per_process_mib;
        if room.is_nan() || room < self.inflight_each_mib {
            return None;
        }
        // The memory as the sizing adds it up and checks it (`fits`), so
        // that the load found fits there to the last bit.
        let memory = |load: f64| {
            self.memory(processes, self.inflight_mib(servers, mu, load))
                .total_mib()
        };
        let ceiling_rps = servers as f64 * mu * self.ceiling;
        // With no wait at all the room fills at `room / (each (1/μ +
        // outside))`; the wait only adds, so the load sought is below it,
        // and where that is below the ceiling's load the search starts
        // there, closer (the wait is small where the memory binds early).
        let unqueued = room / (self.inflight_each_mib * (1.0 / mu + self.mean_outside_s));
        let below = (unqueued < ceiling_rps).then(|| (unqueued, memory(unqueued)));
        let over = match below.filter(|&(_, at)| at > self.available_mib) {
            Some(over) => over,
            None => {
                let at_ceiling = memory(ceiling_rps);
                if at_ceiling <= self.available_mib {
                    return Some(f64::INFINITY);
                }
                (ceiling_rps, at_ceiling)
            }
        };
        let most = most_within_falsi(self.available_mib, 0.0, over, &memory);
        (most > 0.0).then_some(most)
    }

    /// The load an instance of `processes` is planned for where its memory
    /// may bind: the CPU ceiling's, or less where its memory holds less; 0
    /// where not even one request fits beside the processes.
    fn memory_planned(&self, processes: u64) -> f64 {
        let (servers, _, mu) = self.servers_and_rate(processes.max(1));
        let ceiling_rps = servers as f64 * mu * self.ceiling;
        self.memory_holds(processes)
            .map_or(0.0, |h| h.min(ceiling_rps))
    }

    /// The most processes that leave room for one request in flight beside
    /// them; `None` where not even one does.
    fn processes_with_room(&self) -> Option<u64> {
        let room_for = ((self.available_mib - self.inflight_each_mib)
            / self.per_process_mib.max(1e-9))
        .floor();
        (room_for.is_finite() && room_for >= 1.0).then_some(room_for as u64)
    }

    /// Of `from` to `to` processes, the count whose instance is planned
    /// for the most load ([`TierInputs::memory_planned`]), sized there at
    /// the load its memory holds. Past the processes that fit at the
    /// ceiling's load, that load rises where more processes shorten the
    /// queue (fewer requests wait in it) and falls with each process's own
    /// memory: a golden-section search over the counts that leave room for
    /// a request finds its top, one reading a step (each step keeps one
    /// reading inside the counts left and reads its mirror: a ternary
    /// search's two readings a step cut the counts to 2/3, this one
    /// reading's to about 0.618).
    fn best_memory_capped(&self, from: u64, to: u64) -> Option<Sized> {
        let from = from.max(1);
        let to = self.processes_with_room().map_or(1, |most| to.min(most));
        let (mut lo, mut hi) = (from, to.max(from));
        if hi - lo > 3 {
            // One count read inside `[lo, hi]`, at 0.382 of it; each step
            // reads its mirror about the middle and keeps the side of the
            // better of the two, with the other still inside it.
            let mut kept = lo + ((hi - lo) as f64 * 0.381_966_011_25).round() as u64;
            let mut at_kept = self.memory_planned(kept);
            while hi - lo > 3 {
                let mirror = match lo + hi - kept {
                    m if m == kept => m + 1,
                    m => m,
                };
                let at_mirror = self.memory_planned(mirror);
                let ((a, at_a), (b, at_b)) = if mirror < kept {
                    ((mirror, at_mirror), (kept, at_kept))
                } else {
                    ((kept, at_kept), (mirror, at_mirror))
                };
                // Unimodal: the top is past `a` where `b` takes more, and
                // before `b` where it does not.
                (lo, hi, kept, at_kept) = if at_a < at_b {
                    (a + 1, hi, b, at_b)
                } else {
                    (lo, b - 1, a, at_a)
                };
            }
        }
        let best = (lo..=hi)
            .map(|p| (p, self.memory_planned(p)))
            .fold(
                (lo, -1.0),
                |best, (p, load)| if load > best.1 { (p, load) } else { best },
            )
            .0;
        self.size_memory_capped(best)
    }

    /// `processes` per instance planned at the most load their memory
    /// holds ([`TierInputs::memory_holds`]), where the CPU ceiling's load
    /// would overflow it; `None` where that load fits (then
    /// [`TierInputs::size`] is the answer) or none does.
    fn size_memory_capped(&self, processes: u64) -> Option<Sized> {
        let processes = processes.max(1);
        let cap = self.memory_holds(processes)?;
        if !cap.is_finite() {
            return None;
        }
        let sized = self.size_capped(processes, None, cap);
        sized.memory.fits().then_some(sized)
    }

    /// [`TierInputs::size_near`] with no instance planned past `cap` req/s
    /// (the most its memory holds, [`TierInputs::size_memory_capped`]).
    fn size_capped(&self, processes: u64, near: Option<&Sized>, cap: f64) -> Sized {
        let shape = self.shape(processes);
        let capacity = shape.servers as f64 * shape.mu;
        let ceiling_rps = (capacity * self.ceiling).min(cap);
        let by_cpu = if self.peak > 0.0 {
            ceil_count(self.peak / ceiling_rps)
        } else {
            0
        };
        let floor = by_cpu.max(self.min_replicas).max(1);
        let mut instances = floor;
        let mut latency_bound = false;
        let reachable = shape.unqueued_s <= self.target_s;
        // The blind layout's p99 depends only on the load per instance: the
        // highest load that meets the target gives its count directly.
        let mut blind_rate = ceiling_rps;
        let mut waits = self.waits(&shape, floor);
        if reachable && !self.meets(&shape, floor, waits) {
            blind_rate = self.blind_rate(&shape, ceiling_rps);
            let blind = ceil_count(self.peak / blind_rate).max(floor);
            let searched = match self.balancing {
                Balancing::RoundRobin => (blind, None),
                // Between the pooled and the blind layout: the blind count
                // meets the target, so search below it for the fewest that do.
                Balancing::LeastOutstanding => {
                    let guess = near.filter(|n| n.latency_bound).map(|n| {
                        let before = n.shape.servers as f64 * n.shape.mu;
                        ceil_count(n.instances as f64 * before / capacity)
                    });
                    self.fewest_meeting(&shape, (floor, blind), guess)
                }
            };
            instances = searched.0;
            latency_bound = instances > floor;
            waits = searched.1.unwrap_or_else(|| self.waits(&shape, instances));
        }
        let layout = self.layout(&shape, instances);
        // The load one instance is planned for: the most it takes before
        // another instance is added, the CPU ceiling's or the p99's. Where
        // today's count meets the target with room to spare (set by the
        // minimum replicas, or rounded up), the ceiling's load may still
        // miss it: then the most that meets it, in an instance's own queues
        // (more instances behind least outstanding only pool better), and
        // never less than today's load, which meets it.
        let planned = match (latency_bound, self.balancing) {
            (false, _) if reachable => {
                blind_rate = self.blind_rate(&shape, ceiling_rps);
                blind_rate
                    .max(self.peak / instances as f64)
                    .min(ceiling_rps)
            }
            (false, _) => ceiling_rps,
            (true, Balancing::RoundRobin) => blind_rate,
            (true, Balancing::LeastOutstanding) => self.peak / instances as f64,
        };
        // Little's law at that load, or today's whole peak over the minimum
        // replicas where that is less. Not today's load over today's count:
        // rounding that count up would then decide how many processes fit,
        // and more traffic could let more of them fit and the total fall.
        let inflight_mib = self.inflight_mib(shape.servers, shape.mu, planned);
        let memory = self.memory(shape.processes, inflight_mib);
        Sized {
            shape,
            instances,
            by_cpu,
            latency_bound,
            reachable,
            layout,
            waits,
            planned,
            memory,
        }
    }

    /// Memory of the requests in flight on an instance planned for
    /// `planned` req/s. Not today's load, even where the minimum replicas
    /// share today's peak more thinly: later months add instances only once
    /// each takes the planned load, so every instance reaches it.
    fn inflight_mib(&self, servers: u64, mu: f64, planned: f64) -> f64 {
        self.inflight_at(servers, mu, planned)
    }

    /// Memory of the requests in flight on an instance at `load` req/s
    /// (Little's law); more load never holds less.
    fn inflight_at(&self, servers: u64, mu: f64, load: f64) -> f64 {
        // The wait at that load, in one instance's own queues (behind a
        // least-outstanding balancer the pooling only shortens it).
        let mean_wait = QueueLayout::new(Balancing::RoundRobin, self.shared_socket, 1, servers)
            .mean_wait_s(mu, load, self.service_scv);
        let response = 1.0 / mu + mean_wait.min(1e3) + self.mean_outside_s;
        little_l(load, response) * self.inflight_each_mib
    }

    /// The memory over the room with `processes` per instance were the
    /// instances planned at the CPU ceiling's load: what [`TierInputs::size`]
    /// finds where the p99 does not add instances, and more than it finds
    /// where it does (each then plans for less), at the cost of the queue's
    /// shape alone. Where this fits, the sizing fits.
    fn excess_at_ceiling(&self, processes: u64) -> f64 {
        let processes = processes.max(1);
        let (servers, _, mu) = self.servers_and_rate(processes);
        let planned = servers as f64 * mu * self.ceiling;
        let memory = self.memory(processes, self.inflight_mib(servers, mu, planned));
        memory.total_mib() - memory.available_mib
    }

    /// Memory of the requests in flight with `processes` per instance, at
    /// the CPU ceiling's instance count and without queueing: a guess at a
    /// sizing's, no sizing needed.
    fn inflight_unqueued(&self, processes: u64) -> f64 {
        let (servers, _, mu) = self.servers_and_rate(processes.max(1));
        let instances = ceil_count(self.peak / (servers as f64 * mu * self.ceiling))
            .max(self.min_replicas)
            .max(1);
        let response = 1.0 / mu + self.mean_outside_s;
        little_l(self.peak / instances as f64, response) * self.inflight_each_mib
    }

    /// Whether `processes` per instance surely fit, from a bound on
    /// [`TierInputs::excess_at_ceiling`] with no queueing formula: every
    /// request waits the mean of those that wait. Most tiers fit with room
    /// to spare, and this settles them in a few operations.
    fn surely_fits(&self, processes: u64) -> bool {
        let (servers, _, mu) = self.servers_and_rate(processes.max(1));
        let load = servers as f64 * mu * self.ceiling;
        let most_wait = QueueLayout::new(Balancing::RoundRobin, self.shared_socket, 1, servers)
            .most_mean_wait_s(mu, load, self.service_scv);
        let response = 1.0 / mu + most_wait.min(1e3) + self.mean_outside_s;
        let inflight = little_l(load, response) * self.inflight_each_mib;
        self.memory(processes.max(1), inflight).fits()
    }

    /// The fewest processes whose own memory, with nothing in flight,
    /// overflows the room, and their memory over it: no sizing reaches them
    /// (what is in flight only adds), and the most that fit alone are
    /// usually the answer where a process's own memory dwarfs its requests'
    /// (a model loaded in every process). `None` where no count overflows.
    fn overflowing_alone(&self) -> Option<(u64, f64)> {
        let excess = |n: u64| self.memory(n, 0.0).total_mib() - self.available_mib;
        let guess = (self.available_mib / self.per_process_mib).floor() + 1.0;
        if !(guess.is_finite() && guess < u64::MAX as f64) {
            return None;
        }
        // The guess is off by one at most: the breakdown sums its parts.
        let mut n = (guess as u64).max(1);
        while n > 1 && excess(n - 1) > 0.0 {
            n -= 1;
        }
        while excess(n) <= 0.0 {
            n = n.checked_add(1)?;
        }
        Some((n, excess(n)))
    }

    /// The memory of `processes` processes with `inflight_mib` in flight.
    fn memory(&self, processes: u64, inflight_mib: f64) -> MemoryBreakdown {
        let n = processes as f64;
        MemoryBreakdown {
            runtime_mib: n * self.runtime_mib,
            ml_runtime_mib: n * (self.per_process_mib - self.runtime_mib - self.model_mib),
            model_mib: n * self.model_mib,
            inflight_mib,
            available_mib: self.available_mib,
        }
    }

    /// [`TierInputs::size`] at `processes`, from `sized` at a count with
    /// the same servers (both at least the vCPUs): a process past the vCPUs
    /// adds its memory and no CPU, so the queues, the instances and what
    /// is in flight are the same, to the bit.
    fn resize(&self, sized: &Sized, processes: u64) -> Sized {
        debug_assert_eq!(self.servers(processes), sized.shape.servers);
        Sized {
            shape: Shape {
                processes,
                ..sized.shape
            },
            memory: self.memory(processes, sized.memory.inflight_mib),
            ..*sized
        }
    }

    /// The fewest instances in `(fails, meets]` at which the p99 target holds
    /// behind a least-outstanding balancer, given that it fails at `fails`
    /// and holds at `meets`; the p99 falls as instances are added. The
    /// pooled queues make the answer lie close above `fails` (the CPU
    /// ceiling's count), far below the blind layout's `meets`. Each check
    /// also gives how far the p99 is over its room, in logs
    /// ([`QueueLayout::log_over`]), which falls smoothly with the count
    /// where there are many instances: from the first two checks above
    /// `fails` the line through them points at the answer (at least one
    /// instance on, at most four times as far as it has come); once a count
    /// that holds is known, regula falsi between the two ends, bisecting
    /// when one end has moved twice running or a check has no finite
    /// measure (a small system's p99 steps from far above the target to
    /// the unqueued time within one instance). The checks themselves decide,
    /// so the answer is the one a scan finds; about four checks where
    /// doubling steps and bisection took ten. The waits at the answer come
    /// with it where a check worked them out.
    fn fewest_meeting(
        &self,
        shape: &Shape,
        (fails, meets): (u64, u64),
        guess: Option<u64>,
    ) -> (u64, Option<Waits>) {
        let check = |instances: u64| {
            let waits = self.waits(shape, instances);
            let layout = self.layout(shape, instances);
            // The p99 falls to the unqueued time where fewer than 1% of
            // requests wait in the pooled layout: the log of that share
            // over 1% falls smoothly to 0 there, where the excess over the
            // target drops from far above to nothing.
            let pooled_late = waits.1.map_or(f64::INFINITY, |pooled| {
                shape
                    .mix
                    .log_late_with_slope(pooled, shape.unqueued_s, 0.0, shape.scv)
                    .0
            });
            let (holds, over) =
                layout.meets_and_log_over(&shape.mix, shape.unqueued_s, waits, self.target_s);
            let measure = if over == f64::NEG_INFINITY {
                pooled_late.min(0.0)
            } else {
                over.min(pooled_late)
            };
            (holds, measure, waits)
        };
        // The ends, with their measure where a check has given one.
        let (mut lo, mut hi) = (fails, meets);
        let (mut over_lo, mut over_hi) = (f64::NAN, f64::NAN);
        // The last check below `hi`, for the line before `hi` is checked.
        let mut previous: Option<(u64, f64)> = None;
        let mut moved = 0i8;
        let mut next = fails + 1;
        // A guess close to the answer is checked first, then its neighbour
        // on the answer's side.
        let mut guessed = guess.filter(|&g| g > fails && g < meets);
        if let Some(g) = guessed {
            next = g;
        }
        // The waits at `hi`, once it has been checked.
        let mut waits_hi = None;
        while hi - lo > 1 {
            let n = next.clamp(lo + 1, hi - 1);
            let (holds, over, waits) = check(n);
            let side = if holds { 1 } else { -1 };
            if holds {
                (hi, over_hi) = (n, over);
                waits_hi = Some(waits);
            } else {
                (lo, over_lo) = (n, over);
            }
            // Illinois: an end that has not moved for two checks counts
            // half, so the line leans towards it and the other end comes.
            if moved == side {
                if holds {
                    over_lo *= 0.5;
                } else {
                    over_hi *= 0.5;
                }
            }
            moved = side;
            let bisect = lo + (hi - lo) / 2;
            next = if over_lo.is_finite() && over_hi.is_finite() && over_lo > over_hi {
                // Regula falsi: where the line between the ends crosses 0.
                let t = over_lo / (over_lo - over_hi);
                lo + ((hi - lo) as f64 * t).ceil().min(u64::MAX as f64) as u64
            } else if !holds && over_hi.is_nan() {
                // Not yet bracketed: follow the line through the last two
                // checks, or double the step.
                let gone = n - fails;
                let line = match previous {
                    Some((n0, over0)) if over.is_finite() && over0.is_finite() && over0 > over => {
                        let ahead = over * (n - n0) as f64 / (over0 - over);
                        ahead.ceil().clamp(1.0, 64.0 * gone as f64) as u64
                    }
                    _ => gone,
                };
                n.saturating_add(line.max(1))
            } else {
                bisect
            };
            if !holds {
                previous = Some((n, over));
            }
            if guessed.take().is_some() {
                next = if holds { n - 1 } else { n + 1 };
            }
        }
        (hi, waits_hi)
    }

    /// The highest load one instance can take while the p99 target holds in
    /// the blind layout (a queue per instance or per process, fed only its
    /// own share), at most `ceiling_rps`, to 1e-6 of the load. The log of
    /// the late share, `ln(P(R > target) / 1%)`, rises with the load and
    /// is 0 at the answer. Newton's method on it, with its slope in closed
    /// form ([`Mix::log_late_with_slope`]), inside a bracket that always
    /// holds a load that meets the target (`lo`) and one that does not
    /// (`hi`). Each step is taken in the log of the load first: for one
    /// server `ln p = ln rho` is linear there and the rest convex, so from
    /// the ceiling it closes in from above rather than overshooting to 0,
    /// as a step in the load itself does where the log is flat near the
    /// ceiling and steep near 0. A step that leaves the bracket tries the
    /// plain Newton step, then bisects; so does a load where no request is
    /// late (the log is minus infinity). About three steps, against nine
    /// for regula falsi. It stops when a load that meets the target is
    /// within a quarter of the tolerance of the answer by Newton's own
    /// estimate (its error is then that squared), or when the bracket is
    /// within the tolerance: every step keeps half of it from the ends (as
    /// in Brent's method), so a step right beside the answer closes the
    /// bracket. Close to 0 when even an idle queue misses.
    fn blind_rate(&self, shape: &Shape, ceiling_rps: f64) -> f64 {
        let layout = QueueLayout::new(Balancing::RoundRobin, self.shared_socket, 1, shape.servers);
        let queues = layout.queues as f64;
        // The log of the late share at `rate` and its slope per req/s.
        let late_at = |rate: f64| {
            let (wait, log_p_slope) =
                WaitTail::mgc_with_slope(layout.servers, shape.mu, rate / queues, shape.scv);
            let (log_late, slope) =
                shape
                    .mix
                    .log_late_with_slope(wait, self.target_s, log_p_slope, shape.scv);
            (log_late, slope / queues)
        };
        let (f_hi, slope_hi) = late_at(ceiling_rps);
        if f_hi <= 0.0 {
            return ceiling_rps;
        }
        if !shape.mix.within(WaitTail::default(), self.target_s) {
            return ceiling_rps * 1e-9;
        }
        // `lo` always meets the target, `hi` never does; `(x, fx, slope)`
        // is the last load tried.
        let (mut lo, mut hi) = (0.0_f64, ceiling_rps);
        let (mut x, mut fx, mut slope) = (ceiling_rps, f_hi, slope_hi);
        for _ in 0..60 {
            let tolerance = 1e-6 * hi;
            if hi - lo <= tolerance {
                break;
            }
            let step = fx / slope;
            // Newton's next step is the distance to the answer, to within
            // its square: from a load that meets the target, one this
            // close is the answer.
            if fx <= 0.0 && step.abs() <= 0.25 * tolerance {
                break;
            }
            let inside = |y: f64| y > lo && y < hi;
            let in_log = x * (-step / x).exp();
            let newton = x - step;
            let mut next = if !(fx.is_finite() && slope > 0.0) {
                0.5 * (lo + hi)
            } else if inside(in_log) {
                in_log
            } else if inside(newton) {
                newton
            } else {
                0.5 * (lo + hi)
            };
            next = next.clamp(lo + 0.5 * tolerance, hi - 0.5 * tolerance);
            (fx, slope) = late_at(next);
            x = next;
            if fx <= 0.0 {
                lo = x;
            } else {
                hi = x;
            }
        }
        lo.max(ceiling_rps * 1e-9)
    }
}

/// The sizing with the most processes per instance that fit its memory,
/// below `over.0` processes, which do not fit (or are more than wanted),
/// `over.1` their memory over the room; one process when even one does not
/// fit. Memory grows with the process count (runtime per process; fewer
/// processes also means more instances, so less load and fewer requests in
/// flight on each), so the answer is a boundary, found by regula falsi on
/// full sizings ([`boundary`]). With `screen`, a first search on the memory
/// were the instances planned at the CPU ceiling's load
/// ([`TierInputs::excess_at_ceiling`]: no instance search, and never less
/// than a sizing's) finds a count that surely fits, and the sizings start
/// next to it, where they usually stop: worth it where the p99 seldom adds
/// instances, so that the two memories agree. A count past the vCPUs is
/// sized from one already sized there ([`TierInputs::resize`]).
fn most_processes_that_fit(inputs: &TierInputs<'_>, over: (u64, f64), screen: bool) -> Sized {
    let room = inputs.available_mib;
    let none = (0, -room);
    // No count whose own memory overflows can fit; the most that fit alone
    // are tried first, and where they fit, one sizing settles the search.
    let (over, alone) = match inputs.overflowing_alone() {
        Some(alone) if alone.0 < over.0 => (alone, Some(alone.0 - 1)),
        _ => (over, None),
    };
    let (sure, first) = if screen {
        let sure = boundary(none, over, None, |n| inputs.excess_at_ceiling(n));
        (sure, Some(sure.0 + 1))
    } else {
        (none, alone)
    };
    let cap = inputs.servers(u64::MAX);
    // The last full sizing that fits, and one past the vCPUs to resize.
    let mut kept: Option<Sized> = None;
    let mut past_cpus: Option<Sized> = None;
    // The last full sizing, where the next one's instance search starts.
    let mut last: Option<Sized> = None;
    // Next to the surely fitting count first, where the answer usually is.
    let answer = boundary(sure, over, first, |n| {
        let sized = match past_cpus {
            Some(past) if inputs.servers(n) == cap => inputs.resize(&past, n),
            _ => inputs.size_near(n, last.as_ref()),
        };
        last = Some(sized);
        if sized.shape.servers == cap {
            past_cpus = Some(sized);
        }
        if sized.memory.fits() {
            kept = Some(sized);
        }
        sized.memory.total_mib() - room
    });
    match kept {
        Some(sized) if sized.shape.processes == answer.0 => sized,
        _ => inputs.size(answer.0.max(1)),
    }
}

/// The most whole count in `[low, over)` whose `excess` (`probe`) is at
/// most 0, with their excess, given `(count, excess)` at `low` (at most 0;
/// count 0 stands for none) and at `over` (above 0), the excess rising with
/// the count. Regula falsi between the ends with the Illinois rule (Dowell
/// and Jarratt, BIT 11, 1971: an end that has not moved for two probes
/// counts half), from `first` where given. Where the excess is close to a
/// line the first interpolation all but lands on the answer; where it climbs
/// steeply and then flattens (the minimum replicas holding what is in
/// flight up at any count) the rule pulls the guesses down the plateau in
/// a few steps. A guess is kept strictly inside the bracket, so one on an
/// end probes next to it; after a tenth step the search bisects instead.
fn boundary(
    low: (u64, f64),
    over: (u64, f64),
    first: Option<u64>,
    mut probe: impl FnMut(u64) -> f64,
) -> (u64, f64) {
    // Steps before bisection takes over (the worst case is then this many
    // plus a bisection of what is left).
    const FALSI_STEPS: u32 = 10;
    let (mut low, mut over) = (low, over);
    // The ends' excess as the Illinois rule weighs them.
    let (mut weight_low, mut weight_over) = (low.1.min(0.0), over.1.max(f64::MIN_POSITIVE));
    let mut next = first;
    let mut steps = 0;
    let mut moved = 0i8;
    while over.0 - low.0 > 1 {
        let guess = match next.take() {
            Some(guess) => guess,
            None if steps >= FALSI_STEPS || !(weight_over > 0.0 && weight_low <= 0.0) => {
                low.0 + (over.0 - low.0) / 2
            }
            None => {
                // Where the line between the ends crosses 0.
                let t = -weight_low / (weight_over - weight_low);
                low.0
                    + ((over.0 - low.0) as f64 * t)
                        .floor()
                        .clamp(0.0, u64::MAX as f64) as u64
            }
        };
        steps += 1;
        let guess = guess.clamp(low.0 + 1, over.0 - 1);
        let excess = probe(guess);
        let side = if excess <= 0.0 {
            low = (guess, excess);
            weight_low = excess;
            -1
        } else {
            over = (guess, excess);
            weight_over = excess;
            1
        };
        if side == moved {
            if side < 0 {
                weight_over *= 0.5;
            } else {
                weight_low *= 0.5;
            }
        }
        moved = side;
    }
    low
}

/// `x` rounded up to a whole count; saturates for absurd loads, never wraps.
fn ceil_count(x: f64) -> u64 {
    if x.is_nan() {
        u64::MAX
    } else {
        x.ceil().max(0.0) as u64
    }
}

/// A GPU tier with dynamic batching: one GPU per instance, a
/// [`BatchingGpu`] (its batches, capacity and p99, and the simulation that
/// bounds them, are there). Instances: the fewest that keep each GPU under
/// the GPU ceiling's share of its capacity and meet the p99 target, at
/// least the minimum replicas. (The p99 once took a request to wait only
/// for the batch in progress, `t1 (1 + x)` or `2 t(b)`: at 80% of the
/// capacity a third of the simulated p99.)
fn size_gpu_tier(plan: &TierPlan, s: &Scenario, f: &Figures, tier_share: f64) -> TierEstimate {
    let class = plan.classes.as_slice().first().copied().unwrap_or_default();
    let outside = class.outside_s;
    let gpu = BatchingGpu {
        t1_s: class.cpu_s.max(1e-9),
        batch_cost: f.shared(SharedFigure::GpuBatchCost).clamp(0.0, 1.0),
        max_batch: s.get(NumField::GpuMaxBatch).round().max(1.0),
    };
    let t1 = gpu.t1_s;
    let ceiling = f.shared(SharedFigure::GpuCeiling).clamp(0.1, 1.0);
    let target = s.get(NumField::P99TargetMs) * 1e-3;
    let min_replicas = s.get(NumField::MinReplicas).max(1.0) as u64;
    let peak = s.peak_rps() * tier_share;
    let capacity = gpu.capacity_rps();
    // The p99 of an instance taking `lambda` req/s; rises with it.
    let p99_of_load = |lambda: f64| outside + gpu.p99_s(lambda);
    let ceiling_rps = capacity * ceiling;
    let reachable = outside + t1 <= target;
    // The load one instance is planned for, which later months add an
    // instance past: the ceiling's, or less where the p99 target holds only
    // below it. A GPU's p99 depends on its own load alone and rises with
    // it, so today's count, and a later month's, is the peak over that
    // load: the fewest GPUs that keep each within it.
    let at_ceiling = gpu.p99_s(ceiling_rps);
    let max_rps = if reachable && outside + at_ceiling > target {
        gpu.most_within_below(target - outside, (ceiling_rps, at_ceiling))
            .min(ceiling_rps)
    } else {
        ceiling_rps
    };
    let by_gpu = if peak > 0.0 {
        ceil_count(peak / ceiling_rps)
    } else {
        0
    };
    let floor = by_gpu.max(min_replicas).max(1);
    let by_p99 = if peak > 0.0 && reachable {
        ceil_count(peak / max_rps * (1.0 - 1e-12))
    } else {
        0
    };
    let instances = by_p99.max(floor);
    let latency_bound = instances > floor;
    let binding = if latency_bound {
        Constraint::Latency
    } else if by_gpu < min_replicas {
        Constraint::Replicas
    } else {
        Constraint::Gpu
    };
    let lambda = peak / instances as f64;
    let batch = gpu.mean_batch(lambda);
    let tb = gpu.batch_time_s(batch);
    let p99_s = p99_of_load(lambda);
    // The memory at that load, as on a CPU tier: the mean response there.
    let in_flight = little_l(max_rps, outside + gpu.mean_response_s(max_rps));
    let memory = MemoryBreakdown {
        model_mib: s.get(NumField::ModelMib),
        inflight_mib: in_flight * f.of(plan.framework, FigureKind::InflightMib),
        available_mib: s.get(NumField::GpuMemGib)
            * MIB_PER_GIB
            * f.shared(SharedFigure::MemoryHeadroom),
        ..MemoryBreakdown::default()
    };
    let one = s.get(NumField::GpuPriceHour) * HOURS_PER_MONTH;
    let mut classes = [ClassTime::default(); MAX_CLASSES];
    classes[0] = ClassTime {
        share: 1.0,
        service_s: tb,
        outside_s: outside,
    };
    TierEstimate {
        role: plan.role,
        framework: plan.framework,
        traffic_share: tier_share,
        peak_rps: peak,
        processes: 1,
        servers: 1,
        mean_service_ms: 1e3 * tb / batch,
        service_scv: 0.0,
        classes,
        layout: QueueLayout::new(Balancing::RoundRobin, true, instances, 1),
        capacity_rps: capacity,
        max_rps,
        utilisation: (max_rps / capacity.max(1e-12)).min(1.0),
        instances,
        binding,
        memory,
        p99_ms: finite_or(p99_s * 1e3, 1e9),
        min_p99_ms: finite_or((outside + t1) * 1e3, 1e9),
        meets_p99: reachable && p99_s <= target * 1.0001,
        monthly: MonthlyCost {
            gpu: one * instances as f64,
            ..MonthlyCost::default()
        },
        instance_monthly: one,
        on_gpu: true,
        balancing: s.balancing,
        shared_socket: true,
        batch,
    }
}

fn size_tier(plan: &TierPlan, s: &Scenario, f: &Figures) -> TierEstimate {
    let tier_share: f64 = plan.classes.as_slice().iter().map(|c| c.share).sum();
    if plan.on_gpu {
        return size_gpu_tier(plan, s, f, tier_share);
    }
    let inputs = TierInputs::new(plan, s, f, tier_share);
    let full_processes = inputs.full_processes(f);
    let full_servers = inputs.servers(full_processes);
    let mut sized = inputs.size_within_memory(full_processes);
    // Where memory took processes away (or none fits at the CPU ceiling's
    // load), more processes planned at the load their memory holds may need
    // fewer instances ([`TierInputs::best_memory_capped`]).
    let memory_capped = if !sized.memory.fits() || sized.shape.servers < full_servers {
        let more = if sized.memory.fits() {
            sized.shape.processes + 1
        } else {
            sized.shape.processes
        };
        // Today's count first; at the same count, the more load each
        // instance is planned for, the fewer instances later months add.
        let better = |capped: &Sized| {
            (capped.instances, -capped.planned) < (sized.instances, -sized.planned)
        };
        match inputs.best_memory_capped(more, full_processes) {
            Some(capped) if !sized.memory.fits() || better(&capped) => {
                sized = capped;
                true
            }
            _ => false,
        }
    } else {
        false
    };
    let memory_bound = memory_capped || (sized.memory.fits() && sized.shape.servers < full_servers);

    let shape = &sized.shape;
    let instances = sized.instances;
    // What sets today's count: the minimum replicas where they hold more
    // instances than the load needs (memory then sets only the load later
    // months plan for), else memory, the p99, or the CPU or GPU.
    let binding = if sized.by_cpu < inputs.min_replicas && !sized.latency_bound {
        Constraint::Replicas
    } else if memory_bound {
        Constraint::Memory
    } else if sized.latency_bound {
        Constraint::Latency
    } else if plan.on_gpu {
        Constraint::Gpu
    } else {
        Constraint::Cpu
    };

    let capacity = shape.servers as f64 * shape.mu;
    let ceiling_rps = capacity * inputs.ceiling;
    // The rate one instance is planned for, used to size later months
    // ([`TierInputs::size`]). Behind least outstanding, where the p99 sets
    // the count, today's load per instance: pooled queues take more per
    // instance the more instances there are.
    let max_rps = sized.planned.min(ceiling_rps);
    let p99_s = sized
        .layout
        .p99_of(&shape.mix, shape.unqueued_s, sized.waits);
    let min_p99_s = shape.unqueued_s;
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
        let cpu_one = inputs.vcpu as f64 * s.get(NumField::PriceVcpuHour) * HOURS_PER_MONTH;
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
        peak_rps: inputs.peak,
        processes: u32::try_from(shape.processes).unwrap_or(u32::MAX),
        servers: u32::try_from(shape.servers).unwrap_or(u32::MAX),
        mean_service_ms: 1e3 / shape.mu,
        service_scv: shape.scv,
        classes: inputs.classes_at(shape.slowdown),
        layout: sized.layout,
        capacity_rps: capacity,
        max_rps,
        utilisation: (max_rps / capacity.max(1e-12)).min(1.0),
        instances,
        binding,
        memory: sized.memory,
        p99_ms,
        min_p99_ms: finite_or(min_p99_s * 1e3, 1e9),
        meets_p99: sized.reachable && p99_s <= inputs.target_s * 1.0001,
        monthly,
        instance_monthly,
        on_gpu: plan.on_gpu,
        balancing: s.balancing,
        shared_socket: inputs.shared_socket,
        batch: 1.0,
    }
}

fn finite_or(v: f64, cap: f64) -> f64 {
    if v.is_finite() {
        v.min(cap)
    } else {
        cap
    }
}

/// Sizes every tier of a stack.
pub(super) fn sized_tiers(
    stack: Stack,
    api: Framework,
    s: &Scenario,
    f: &Figures,
) -> Fixed<TierEstimate, 3> {
    let plans = plan_tiers(stack, api, s, f);
    let mut tiers = Fixed::new();
    for plan in plans.as_slice() {
        tiers.push(size_tier(plan, s, f));
    }
    tiers
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::assumptions::{AssumptionSet, Pick};
    use crate::model::ChoiceField;

    /// `n` seeded random valid scenarios: every numeric input anywhere in
    /// its range, every choice at random (as `examples/worst_case.rs`).
    fn random_scenarios(n: usize) -> Vec<Scenario> {
        let mut state = 0x5EED_u64;
        let mut next = move || {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            (state >> 11) as f64 / (1u64 << 53) as f64
        };
        (0..n)
            .map(|_| {
                let mut s = Scenario::default();
                for field in NumField::ALL {
                    if !NumField::MIX.contains(&field) {
                        let _ = s.set(field, field.spec().at(next()));
                    }
                }
                let _ = s.set_mix([next(), next(), next(), next()].map(|x| x * 100.0));
                for field in ChoiceField::ALL {
                    let options = field.options();
                    let pick = ((next() * options.len() as f64) as usize).min(options.len() - 1);
                    let _ = s.set_choice(field, options[pick].key);
                }
                s
            })
            .collect()
    }

    /// Every CPU tier of every stack of `scenarios`, with what its sizing
    /// reads.
    fn cpu_tiers(scenarios: &[Scenario], f: &Figures) -> Vec<(Scenario, TierPlan)> {
        let mut out = Vec::new();
        for s in scenarios {
            for stack in Stack::ALL {
                let api = stack.api_framework(s.current.stack());
                for plan in plan_tiers(stack, api, s, f).as_slice() {
                    if !plan.on_gpu {
                        out.push((s.clone(), *plan));
                    }
                }
            }
        }
        out
    }

    fn tier_share(plan: &TierPlan) -> f64 {
        plan.classes.as_slice().iter().map(|c| c.share).sum()
    }

    /// CPU tiers whose memory binds: random scenarios with instances of
    /// 0.5 to 16.5 GiB and models of 50 MiB to 2 GiB, sized by memory.
    fn memory_bound_tiers(f: &Figures) -> Vec<(Scenario, TierPlan)> {
        let mut scenarios = random_scenarios(400);
        for (i, s) in scenarios.iter_mut().enumerate() {
            let at = (i as f64 * 0.618_034).fract();
            let _ = s.set(NumField::MemGib, 0.5 + 16.0 * at);
            let _ = s.set(NumField::ModelMib, 50.0 + 2_000.0 * (1.0 - at));
        }
        cpu_tiers(&scenarios, f)
            .into_iter()
            .filter(|(s, plan)| {
                let inputs = TierInputs::new(plan, s, f, tier_share(plan));
                let full = inputs.full_processes(f);
                let sized = inputs.size_within_memory(full);
                !sized.memory.fits() || sized.shape.servers < inputs.servers(full)
            })
            .collect()
    }

    #[test]
    fn the_load_an_instance_s_memory_holds_fits_there_and_no_more() {
        // The most load whose requests in flight fit beside the processes
        // (Little's law, the mean wait at that load): sized there the
        // instance's memory fits, to the last bit of the sum the sizing
        // checks, and a millionth more would not (the case below shows
        // what a load found on the room alone loses).
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut checked = 0;
        for (s, plan) in memory_bound_tiers(&f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            for processes in [1, 2, 3, 5, 8, 13, 21] {
                let Some(cap) = inputs.memory_holds(processes).filter(|c| c.is_finite()) else {
                    continue;
                };
                let sized = inputs.size_capped(processes, None, cap);
                assert!(sized.memory.fits(), "{processes} processes at {cap}/s");
                let (servers, _, mu) = inputs.servers_and_rate(processes);
                let over =
                    inputs.memory(processes, inputs.inflight_mib(servers, mu, cap * 1.000_001));
                assert!(!over.fits(), "{processes} processes hold more than {cap}/s");
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} checked");
    }

    #[test]
    fn a_memory_bound_tier_keeps_the_count_that_fits_to_the_last_bit() {
        // A random valid scenario (`examples/worst_case.rs`-style): FastAPI's
        // API tier on 10 vCPUs with 5.2 GiB, its memory binding. 9 processes
        // hold 4,113/s, 10 hold 4,468/s, the same 99 instances (the minimum
        // replicas): 10 it is. Sought exactly on the room the processes
        // leave, rather than on the memory summed as the sizing checks it,
        // the most load 10 hold puts that sum over the instance's memory by
        // its rounding, 10 do not fit, and the tier is planned at 9, for 8%
        // less load an instance (later months add instances past it). The
        // bisection before stopped 1e-7 below the load, and kept 10.
        let link = "?v=1&team=5&py=14.17874179270504&js=91.86461237452168\
            &devcost=3507.9804197816156&timeline=47&json=36.954303969589425\
            &io=44.089169037196456&cpu=12.16214013732531&ml=6.7943868558887965\
            &iowait=4859.585795519096&cpums=6.769425263703077&vector=90.8810829604393\
            &modelmib=2.987148247782521&infms=3.066864155897503&rps=59.27835030408776\
            &peak=42.19391776504365&growth=387.6908743674686&p99=907.1944172618977\
            &replicas=99&ramp=86.17133335309022&vcpu=10&memgib=5.192830920382295\
            &pvcpu=8.696357280928734&pgib=0.7069550285236637&pgpu=35.02204266327785\
            &gpumem=135.6754439859903&gpubatch=35&util=79.34593528442244\
            &integrations=126&horizon=4.841897902350963&now=fastapi&deploy=run\
            &productivity=1";
        let state = crate::state::codec::from_query(link).state;
        let e = crate::model::estimate(&state.scenario, &state.assumptions);
        let api = e.stack(Stack::FastApi).tiers[0];
        assert_eq!((api.processes, api.instances), (10, 99));
        assert!((api.max_rps - 4_468.08).abs() < 0.01, "{}", api.max_rps);
    }

    #[test]
    fn the_memory_search_finds_the_count_that_takes_the_most_load() {
        // Over the counts it searches, the one whose instance is planned for
        // the most load, as a reading of every count finds it.
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut checked = 0;
        for (s, plan) in memory_bound_tiers(&f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let full = inputs.full_processes(&f);
            let Some(found) = inputs.best_memory_capped(1, full) else {
                continue;
            };
            let best = (1..=full.min(inputs.processes_with_room().unwrap_or(1)))
                .map(|p| inputs.memory_planned(p))
                .fold(0.0, f64::max);
            assert!(
                inputs.memory_planned(found.shape.processes) >= best,
                "{} processes take {}/s where one count takes {best}/s",
                found.shape.processes,
                inputs.memory_planned(found.shape.processes)
            );
            checked += 1;
        }
        assert!(checked > 100, "only {checked} checked");
    }

    #[test]
    fn a_count_past_the_vcpus_resized_is_the_same_as_sized_afresh() {
        // Past the vCPUs only the processes' own memory changes: 8 vCPUs at
        // 9 and at 40 processes have the same 8 servers.
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut checked = 0;
        for (s, plan) in cpu_tiers(&random_scenarios(200), &f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let at = inputs.vcpu.max(1);
            let sized = inputs.size(at);
            if sized.shape.servers != inputs.servers(u64::MAX) {
                continue;
            }
            for more in [at + 1, at * 2 + 3, at * 7] {
                assert_eq!(
                    format!("{:?}", inputs.resize(&sized, more)),
                    format!("{:?}", inputs.size(more)),
                    "{at} and {more} processes on {} vCPUs",
                    inputs.vcpu
                );
                checked += 1;
            }
        }
        assert!(checked > 300, "only {checked} checked");
    }

    #[test]
    fn a_sizing_started_near_another_is_the_same_as_one_sized_afresh() {
        // The memory search passes each sizing the one before it; behind
        // least outstanding its instance search then starts from that
        // count. Nothing it finds may differ.
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut guided = 0;
        for (mut s, plan) in cpu_tiers(&random_scenarios(200), &f) {
            // A target just above what the tier can reach, where latency
            // decides.
            s.balancing = Balancing::LeastOutstanding;
            let _ = s.set(NumField::UtilCeiling, 95.0);
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let unqueued_ms = inputs.shape(14).unqueued_s * 1e3;
            let _ = s.set(NumField::P99TargetMs, unqueued_ms * 1.5);
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            for n in [2, 3, 5, 8, 13] {
                let near = inputs.size(n + 1);
                guided += usize::from(near.latency_bound);
                assert_eq!(
                    format!("{:?}", inputs.size_near(n, Some(&near))),
                    format!("{:?}", inputs.size(n)),
                    "{n} processes, {} before",
                    n + 1
                );
            }
        }
        assert!(
            guided > 100,
            "only {guided} latency-bound sizings to start from"
        );
    }

    #[test]
    fn memory_at_the_ceiling_s_load_is_never_less_than_a_sizing_s() {
        // The memory search trusts this: where the memory at the CPU
        // ceiling's load fits, the sizing does (and where the bound with no
        // queueing formula fits, that memory does). Equal where the p99 adds
        // no instances; more where it does (say a 10 ms target on 40 ms
        // requests behind least outstanding: more instances, each planned
        // for less).
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let (mut equal, mut more, mut sure) = (0, 0, 0);
        for (s, plan) in cpu_tiers(&random_scenarios(200), &f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            for n in [1, 2, 3, 5, 8, 13, 40] {
                let sized = inputs.size(n);
                let excess = sized.memory.total_mib() - inputs.available_mib;
                let at_ceiling = inputs.excess_at_ceiling(n);
                assert!(
                    at_ceiling >= excess,
                    "{n} processes: {at_ceiling} < {excess}"
                );
                // And the bound without a queueing formula above both.
                if inputs.surely_fits(n) {
                    assert!(at_ceiling <= 0.0, "{n} processes: {at_ceiling} over");
                    sure += 1;
                }
                if at_ceiling == excess {
                    equal += 1;
                } else if sized.latency_bound {
                    more += 1;
                }
            }
        }
        assert!(
            equal > 500 && more > 20 && sure > 300,
            "{equal} equal, {more} latency bound, {sure} surely fit"
        );
    }

    /// The memory search starts from the most processes that fit on their
    /// own memory, nothing in flight: one more never fits once sized, and
    /// that count is often the answer. Say 12.4 GiB at 90% headroom is
    /// 11,428 MiB of room and a process with a 2,889 MiB model and 160 MiB
    /// of runtimes takes 3,049 MiB: 3 fit alone (9,147 MiB), 4 overflow
    /// (12,196 MiB) whatever their requests hold.
    #[test]
    fn processes_that_overflow_on_their_own_memory_never_fit() {
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let (mut bound, mut answer) = (0, 0);
        for (s, plan) in cpu_tiers(&random_scenarios(300), &f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let Some((n, excess)) = inputs.overflowing_alone() else {
                continue;
            };
            assert!(excess > 0.0 && !inputs.size(n).memory.fits(), "{n} fit");
            assert!(
                n == 1 || inputs.memory(n - 1, 0.0).fits(),
                "{} do not fit alone",
                n - 1
            );
            let full = inputs.full_processes(&f);
            if n <= full {
                bound += 1;
                let sized = inputs.size_within_memory(full);
                answer += usize::from(sized.shape.processes == n - 1);
            }
        }
        assert!(
            bound > 300 && answer > 200,
            "{bound} bound, {answer} answers"
        );
    }

    /// The search on memory lands where a scan of every process count
    /// does: the most processes that fit (or one, when none does), over
    /// random scenarios.
    #[test]
    fn the_memory_search_finds_the_most_processes_that_fit() {
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut searched = 0;
        for (s, plan) in cpu_tiers(&random_scenarios(300), &f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let full = inputs.full_processes(&f);
            let sized = inputs.size_within_memory(full);
            let scanned = (1..=full)
                .rev()
                .find(|&p| inputs.size(p).memory.fits())
                .unwrap_or(1);
            if scanned < full {
                searched += 1;
            }
            assert_eq!(
                sized.shape.processes, scanned,
                "{:?} at {} vCPUs, {} MiB a process, {} MiB in room",
                plan.framework, inputs.vcpu, inputs.per_process_mib, inputs.available_mib
            );
        }
        assert!(searched > 100, "only {searched} tiers searched memory");
    }

    /// Behind a least-outstanding balancer the search for the fewest
    /// instances that meet the p99 lands where counting up one instance at
    /// a time from the CPU ceiling's count does, over tiers given targets
    /// just above what they can reach.
    #[test]
    fn the_least_outstanding_search_finds_the_fewest_instances_that_meet_the_target() {
        let f = AssumptionSet::published().resolve(Pick::Typical);
        // Each tier with a target just above what it can reach and a high
        // CPU ceiling, where latency decides.
        let mut tiers = Vec::new();
        for (mut s, plan) in cpu_tiers(&random_scenarios(400), &f) {
            s.balancing = Balancing::LeastOutstanding;
            let _ = s.set(NumField::UtilCeiling, 95.0);
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let unqueued_ms = inputs.shape(inputs.full_processes(&f)).unqueued_s * 1e3;
            for factor in [1.05, 1.5, 4.0] {
                let mut near = s.clone();
                let _ = near.set(NumField::P99TargetMs, unqueued_ms * factor);
                tiers.push((near, plan));
            }
        }
        let mut searched = 0;
        for (s, plan) in tiers {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let shape = inputs.shape(inputs.full_processes(&f));
            let capacity = shape.servers as f64 * shape.mu;
            let floor = ceil_count(inputs.peak / (capacity * inputs.ceiling))
                .max(inputs.min_replicas)
                .max(1);
            let holds = |n: u64| inputs.meets(&shape, n, inputs.waits(&shape, n));
            if shape.unqueued_s > inputs.target_s || holds(floor) {
                continue;
            }
            let blind_rate = inputs.blind_rate(&shape, capacity * inputs.ceiling);
            let blind = ceil_count(inputs.peak / blind_rate).max(floor);
            if !holds(blind) || blind - floor > 100_000 {
                continue;
            }
            let found = inputs.fewest_meeting(&shape, (floor, blind), None).0;
            let counted = (floor + 1..=blind).find(|&n| holds(n)).unwrap_or(blind);
            searched += 1;
            assert_eq!(found, counted, "between {floor} and {blind}");
            // A guess (as the memory search passes one) changes only the
            // checks on the way: on the answer, beside it, far off either
            // way, at the ends and outside them.
            let (below, above) = (counted.saturating_sub(1), counted + 1);
            for guess in [
                counted,
                below,
                above,
                floor,
                floor + 1,
                blind,
                blind - 1,
                2 * blind,
            ] {
                let guessed = inputs.fewest_meeting(&shape, (floor, blind), Some(guess));
                assert_eq!(
                    guessed.0, counted,
                    "guess {guess} between {floor} and {blind}"
                );
            }
        }
        assert!(searched > 200, "only {searched} tiers searched");
    }

    /// Newton's method on the late share lands on the highest load that
    /// meets the p99 target, as a plain bisection finds it, to 1e-6.
    #[test]
    fn the_blind_rate_is_the_highest_load_within_the_target() {
        let f = AssumptionSet::published().resolve(Pick::Typical);
        let mut solved = 0;
        for (s, plan) in cpu_tiers(&random_scenarios(1_000), &f) {
            let inputs = TierInputs::new(&plan, &s, &f, tier_share(&plan));
            let shape = inputs.shape(inputs.full_processes(&f));
            let ceiling = shape.servers as f64 * shape.mu * inputs.ceiling;
            let layout = QueueLayout::new(
                Balancing::RoundRobin,
                inputs.shared_socket,
                1,
                shape.servers,
            );
            let excess = |rate: f64| {
                let wait = WaitTail::mgc(
                    layout.servers,
                    shape.mu,
                    rate / layout.queues as f64,
                    shape.scv,
                );
                shape.mix.excess_at(wait, inputs.target_s)
            };
            if excess(ceiling) <= 0.0 || excess(0.0) > 0.0 {
                continue;
            }
            let (mut lo, mut hi) = (0.0, ceiling);
            for _ in 0..200 {
                let mid = 0.5 * (lo + hi);
                if excess(mid) <= 0.0 {
                    lo = mid;
                } else {
                    hi = mid;
                }
            }
            let rate = inputs.blind_rate(&shape, ceiling);
            solved += 1;
            assert!(excess(rate) <= 0.0, "{rate} misses the target");
            assert!(
                (rate - lo).abs() <= 2e-6 * lo,
                "{rate} against {lo} by bisection"
            );
        }
        assert!(solved > 150, "only {solved} tiers solved");
    }
}
