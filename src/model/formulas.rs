//! Every formula of the estimate in words, for the "How is this computed"
//! panel, with the current numbers plugged in ([`Formula::plugged`]). The
//! code lives beside its reference (`queueing.rs`, `estimate/`,
//! `people.rs`); this is the catalogue the page reads, so the explanation and
//! the reference are written once.

use super::estimate::Estimate;
use super::format::{memory, money, number, percent, significant, whole, with_unit};
use super::scenario::{Choice, NumField, Scenario};
use super::stack::Stack;
use super::HOURS_PER_MONTH;

/// A formula of the estimate.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Formula {
    /// Mean CPU time of the mix.
    MeanService,
    /// Universal Scalability Law.
    Usl,
    /// How requests reach the processes.
    Balancing,
    /// The M/G/c wait and the p99.
    ErlangC,
    /// Dynamic batching on a GPU.
    GpuBatch,
    /// Instances at peak.
    Instances,
    /// Little's law and memory.
    Memory,
    /// Money per month.
    MonthlyCost,
    /// What the deployment target adds: the scale-out lag's headroom, or
    /// serverless billing and cold starts.
    Deployment,
    /// Growth over the horizon.
    Horizon,
    /// Cost of switching.
    Migration,
    /// Cost of learning a language.
    Skills,
    /// The article's productivity effects.
    Productivity,
}

impl Formula {
    /// Every formula, in the order of the computation.
    pub const ALL: [Formula; 13] = [
        Formula::MeanService,
        Formula::Usl,
        Formula::Balancing,
        Formula::ErlangC,
        Formula::GpuBatch,
        Formula::Instances,
        Formula::Memory,
        Formula::MonthlyCost,
        Formula::Deployment,
        Formula::Horizon,
        Formula::Migration,
        Formula::Skills,
        Formula::Productivity,
    ];

    /// Short title.
    pub fn title(self) -> &'static str {
        match self {
            Formula::MeanService => "CPU time of one request",
            Formula::Usl => "Capacity of one instance",
            Formula::Balancing => "How requests reach the processes",
            Formula::ErlangC => "Utilisation that keeps the p99 target",
            Formula::GpuBatch => "Inference batches on a GPU",
            Formula::Instances => "Instances at peak",
            Formula::Memory => "Memory per instance",
            Formula::MonthlyCost => "Money per month",
            Formula::Deployment => "Where it runs",
            Formula::Horizon => "Cost over the horizon",
            Formula::Migration => "Cost of switching",
            Formula::Skills => "Cost of learning a language",
            Formula::Productivity => "The article's productivity effects",
        }
    }

    /// The formula in symbols.
    pub fn expression(self) -> &'static str {
        match self {
            Formula::MeanService => "S = Σ share_k × s_k, c_s² = Σ share_k × s_k² / S² − 1",
            Formula::Usl => "capacity = X(c) / S, c = min(processes, vCPUs), X(N) = N / (1 + α(N−1) + βN(N−1))",
            Formula::Balancing => "queues × servers: n × c (shared socket) or n·c × 1 (per process)",
            Formula::ErlangC => {
                "P(W > t) = C(c, λ/μ) · exp(−t / m), m = (1 + c_s²)/2 / (cμ − λ); Σ share_k P(W > p99 − T_k) = 1%"
            }
            Formula::GpuBatch => "t(b) = t1 (1 + g (b − 1)); capacity = B / t(B); b = x (1 − g) / (1 − x g), x = λ t1, p = min(x, 1); f = λ / capacity; W = min(t1 ln(100 p) / (2 (1 − f)), t1 ln(p C / (1% f)) / y), e^y = 1 + y / f, C = (1 − f) / (y + f − 1); J = m + g² √m, m = λ min(W, t1); W_B = W t(B) / (B t1); p99 ≈ max(min(max(t1 + W + g t1 J, t1 + W_B + min(ln(A) / κ, x g W_B)), 2 t(B) + W_B), t1 + (1 − 1% / p) × ((1 + x g) t(b99) − t1), t1 + u), κ = 2 (1 − f) B / t(B), A = mean of e^(κ g t1 j) over j = 0 … B − 1; p Σ_k P(K = k) P(R > u − g t1 k) = 1%, R even on [0, t(b)], K ~ Poisson(λ t(b))",
            Formula::Instances => "instances = fewest n ≥ max(minimum replicas, ⌈peak / (ceiling × capacity)⌉) with p99(n) ≤ target",
            Formula::Memory => "memory = N × (runtime + ML runtime + model) + planned × W × per-request ≤ usable; planned ≤ the load it holds",
            Formula::MonthlyCost => {
                "monthly = instances × (vCPU × price/vCPU-h + GiB × price/GiB-h) × 730"
            }
            Formula::Deployment => {
                "h = (ratio − 1) × min(1, lag / ramp), instances = ⌈peak (1 + h) / planned⌉; functions: λ × 2,628,000 s × (fee + d × GB × price/GB-s); containers: busy = λ/r × (1 − e^(−rW)), idle = max(0, kept − busy); cold = e^(−λT) (0 with one kept) + added / (λ × 86,400)"
            }
            Formula::Horizon => {
                "Σ over months m of instances(peak × (1+g)^(m/12)) × monthly per instance"
            }
            Formula::Migration => {
                "moved share × switch share × timeline × team × cost per developer-year"
            }
            Formula::Skills => {
                "not-fluent share × team × cost per developer-year × ramp-up months / 12"
            }
            Formula::Productivity => {
                "docs hours × sprints × hourly cost; integrations × hours × saving × hourly cost"
            }
        }
    }

    /// What it means, in plain words.
    pub fn explanation(self) -> &'static str {
        match self {
            Formula::MeanService => "Each request class costs CPU on one worker: framework overhead plus the work itself. Hand-written compute in Python costs the measured multiple of Node's; vectorised data work (NumPy, pandas, Polars) runs in native code. Waiting on I/O costs latency and memory, not CPU, on an async server. The mix's mean is the share-weighted sum, and its spread (the squared coefficient of variation c_s²) sets how long queues get.",
            Formula::Usl => "A worker process serves 1/S requests per second, and no more processes run at once than the instance has vCPUs: extra processes cost memory, not add CPU. Processes on one instance contend for shared resources, so N of them give less than N times one (the Universal Scalability Law). Figures published for many processes are turned into one process's cost through the same law.",
            Formula::Balancing => "Uvicorn's workers take requests from one shared socket: one queue per instance. Node's cluster deals them to its processes in turn: one queue per process. A round-robin or random balancer keeps instances apart; one that picks the instance with the fewest outstanding requests behaves partly like one shared queue, more so the fewer processes an instance has.",
            Formula::ErlangC => "Each queue is an M/G/c queue: Poisson arrivals, the mix's service times. A request waits with the Erlang C probability, then for a time whose mean grows with the spread of service times (Allen-Cunneen). The p99 response combines that wait with each class's own time (CPU, I/O wait, hops).",
            Formula::GpuBatch => "A GPU runs waiting inferences together, up to the largest batch: a batch of b costs one inference plus a share g for each extra request, so full batches serve more per second. Below one inference's worth of load a GPU runs them one at a time; above it, batches grow with the load. A request's p99 is read four ways. It waits while the GPU is busy, as long as one inference at a time would at the same share of the batching capacity, then runs with the requests that join its batch while it waits (a batch ends when they are done); or, where batches are full, the queue clears a full batch at a time, after the batch in progress and with its own: the shorter of these two. Or it waits out a long batch (b99, the 99th percentile of the batches a request meets) and then runs in the next; or, at light load, it waits out the rest of the batch in progress and runs with those that came in meanwhile. The longest reading is taken. This is this page's approximation: a simulation of the batching GPU gives from two thirds of its p99 to about all of it, and so the page can plan more GPUs than a tight target needs (up to 28% more for batches of 8 at the typical batch cost). GPUs have their own utilisation ceiling, and the GPU is named when it decides the count.",
            Formula::Instances => "Capacity is sized for the peak (average × peak ratio): the fewest instances that stay under the utilisation ceiling and meet the p99 target, never below the minimum replicas. What decided the count is named in the table.",
            Formula::Memory => "Every process holds its runtime; with FastAPI each worker also holds the ML runtime and a copy of the model. Requests in flight follow Little's law (L = λW) at the load one instance serves. If it does not fit, fewer processes run per instance and memory binds.",
            Formula::MonthlyCost => "Instances times the instance price, split into its vCPU and memory parts; GPU instances at their own price. A month is 730 hours.",
            Formula::Deployment => "Instances and Kubernetes autoscale with a lag (the autoscaler, provisioning except on Kubernetes, the image pull, the start-up and the model's load): the running instances, sized for the traffic a lag ago, absorb what arrives meanwhile (the most for its size at the start of the day's climb), so they are planned that much below the ceiling. Functions run one request per environment and bill each request's duration, waits included, times its memory; serverless containers bill the seconds an instance has a request in flight, and the minimum replicas, kept warm, at a lower rate while idle. A request that finds no warm environment pays the cold start in its latency: none came within the idle timeout (never, with an instance kept warm), or the day's climb added it.",
            Formula::Horizon => "Traffic grows each year by the growth rate; each month is sized again. One-off people costs are paid at month 0.",
            Formula::Migration => "Switching costs a share of the project timeline (the article: 15-30%, citing LinkedIn Engineering 2024), for the part of the code that changes: all of it between frameworks, the moved part for the hybrid, nothing when staying.",
            Formula::Skills => "Developers not fluent in the stack's language need time to be productive. Python work is the part that runs in a Python service.",
            Formula::Productivity => "Optional, the article's claims: FastAPI's generated API docs save 10-15 hours a sprint; Node SDKs save 40% of integration work (Shopify Engineering 2025).",
        }
    }

    /// Where the formula comes from.
    pub fn reference(self) -> &'static str {
        match self {
            Formula::MeanService => "Capacity planning by service demand (Gunther, Guerrilla Capacity Planning, 2007)",
            Formula::Usl => "Gunther, Guerrilla Capacity Planning (2007)",
            Formula::Balancing => "Uvicorn and Node.js cluster documentation; checked against a discrete-event simulation (tests/queue_sim.rs)",
            Formula::ErlangC => "Erlang (1917); Allen, Probability, Statistics and Queueing Theory (1990); Whitt, Production and Operations Management 2(2) (1993)",
            Formula::GpuBatch => "NVIDIA TensorRT BERT demo, T4 batch latencies (the batch cost g); dynamic batching as in NVIDIA Triton; the wait's tail as in Allen-Cunneen (M/D/1) and as its Cramér-Lundberg asymptote (H. C. Tijms, A First Course in Stochastic Models, 2003); the batches' 99th percentile by Wilson and Hilferty (PNAS, 1931); checked against a simulation (tests/queue_sim.rs)",
            Formula::Instances => "Headroom practice: autoscaling targets of 50-70% CPU",
            Formula::Memory => "Little, Operations Research 9(3), 1961",
            Formula::MonthlyCost => "AWS price list, us-east-1, 2026-01-19",
            Formula::Deployment => "AWS Lambda and Google Cloud Run price lists (read 2026-12-05; Cloud Run's idle min-instance rate as listed in 2026); EKS pricing; Lambda's 1,769 MB per vCPU and 10,240 MB limits; idle timeouts as measured by M. Shilkov (2019); cold starts from maxday/lambda-perf; M/G/∞ occupancy; checked against a simulation (tests/queue_sim.rs)",
            Formula::Horizon => "Compound growth",
            Formula::Migration => "The article, citing LinkedIn Engineering (2024)",
            Formula::Skills => "Stackwise assumption (ramp-up months), the article's advice on team skills",
            Formula::Productivity => "The article, citing its own sources; unverified",
        }
    }

    /// The formula with the numbers of scenario `s` and its estimate `e`
    /// plugged in, for one stack, in words (the page's "How is this
    /// computed"). Empty for a stack with no tier.
    pub fn plugged(self, s: &Scenario, e: &Estimate, stack: Stack) -> String {
        let st = e.stack(stack);
        let c = e.currency;
        let Some(api) = st.tiers.first() else {
            return String::new();
        };
        let m = api.memory;
        match self {
            Formula::MeanService => format!(
                "{} API: S = {} ms of CPU per request for this mix, c_s² = {}.",
                stack.label(),
                significant(api.mean_service_ms),
                significant(api.service_scv)
            ),
            Formula::Usl => format!(
                "{} per instance, {} at once on {}, serve up to {} req/s ({} req/s each at full load).",
                with_unit(&api.processes.to_string(), "processes"),
                api.servers,
                with_unit(&whole(s.get(NumField::Vcpu)), "vCPUs"),
                whole(api.capacity_rps),
                whole(api.rate_per_process())
            ),
            Formula::Balancing => format!(
                "{}, {}: {} queue{} of {} process{} each{}.",
                s.balancing.label(),
                if api.shared_socket { "Uvicorn's shared socket" } else { "Node's cluster" },
                whole(api.layout.queues as f64),
                if api.layout.queues == 1 { "" } else { "s" },
                whole(api.layout.servers as f64),
                if api.layout.servers == 1 { "" } else { "es" },
                match api.layout.between {
                    Some((q, c)) => format!(
                        ", moved {} of the way towards {} of {}",
                        percent(api.layout.pooled_weight()),
                        whole(q as f64),
                        whole(c as f64)
                    ),
                    None => String::new(),
                }
            ),
            Formula::ErlangC => format!(
                "Planned {} req/s per instance ({} utilisation); p99 at today's peak {} ms against a target of {} ms{}.",
                whole(api.max_rps),
                percent(api.utilisation),
                significant(api.p99_ms),
                whole(s.get(NumField::P99TargetMs)),
                if api.meets_p99 { "" } else { " (missed)" }
            ),
            Formula::Instances => format!(
                "⌈{} / {}⌉ at least {} → {}, sized by {}; {} in all services.",
                whole(api.peak_rps),
                whole(api.max_rps),
                whole(s.get(NumField::MinReplicas).max(1.0)),
                with_unit(&whole(api.instances as f64), "API instances"),
                api.binding.label(),
                with_unit(&whole(st.instances as f64), "instances")
            ),
            Formula::GpuBatch => match st.tiers.iter().find(|t| t.on_gpu) {
                Some(gpu) => format!(
                    "{} (batches of up to {}), each serving {} req/s when full; at today's peak a batch holds {} and the p99 is {} ms.",
                    with_unit(&whole(gpu.instances as f64), "GPUs"),
                    whole(s.get(NumField::GpuMaxBatch)),
                    whole(gpu.capacity_rps),
                    with_unit(&significant(gpu.batch), "requests"),
                    significant(gpu.p99_ms)
                ),
                None => "No GPU tier: inference runs on CPU, or there is none.".to_string(),
            },
            Formula::Memory => format!(
                "{} runtime + {} ML runtime + {} model + {} in flight at the planned load = {} of {} usable per API instance.",
                memory(m.runtime_mib),
                memory(m.ml_runtime_mib),
                memory(m.model_mib),
                memory(m.inflight_mib),
                memory(m.total_mib()),
                memory(m.available_mib)
            ),
            Formula::MonthlyCost if st.deployment.target.is_serverless() => format!(
                "Billed per use on {}, at the average traffic: {} for the API; {} for every service (see Where it runs).",
                st.deployment.target.in_sentence(),
                money(api.monthly.total(), c),
                money(st.monthly.total(), c)
            ),
            Formula::MonthlyCost => format!(
                "{} × ({} vCPU × {} + {} GiB × {}) × {} h = {} for the API; {} for every service.",
                whole(api.instances as f64),
                number(s.get(NumField::Vcpu), 0),
                money(s.get(NumField::PriceVcpuHour), c),
                number(s.get(NumField::MemGib), 1),
                money(s.get(NumField::PriceGibHour), c),
                whole(HOURS_PER_MONTH),
                money(api.monthly.total(), c),
                money(st.monthly.total(), c)
            ),
            Formula::Deployment => {
                let lines: Vec<String> = st
                    .deployment
                    .lines()
                    .into_iter()
                    .map(|(label, value)| format!("{label}: {value}"))
                    .collect();
                format!(
                    "On {}, the API: {}; {} a month for every service.",
                    st.deployment.target.in_sentence(),
                    lines.join("; "),
                    money(st.monthly.total(), c)
                )
            }
            Formula::Horizon => format!(
                "{} months with traffic growing {}% a year: {} of infrastructure.",
                e.months,
                number(s.get(NumField::GrowthPct), 0),
                money(st.infra_horizon, c)
            ),
            Formula::Migration => match s.current.stack() {
                None => "A new project: nothing to migrate.".to_string(),
                Some(now) if now == stack => format!("Already on {}: nothing to migrate.", now.label()),
                Some(now) => format!(
                    "From {}: {} for a team of {} over a {}-month timeline.",
                    now.label(),
                    money(st.people.migration, c),
                    whole(s.get(NumField::TeamSize)),
                    whole(s.get(NumField::TimelineMonths))
                ),
            },
            Formula::Skills => format!(
                "{}% fluent in Python, {}% in JavaScript/TypeScript: {}.",
                whole(s.get(NumField::PythonShare)),
                whole(s.get(NumField::JsShare)),
                money(st.people.skills, c)
            ),
            Formula::Productivity => {
                if s.productivity_effects {
                    format!(
                        "API docs work {}; extra integration work for {} {}.",
                        money(st.people.docs, c),
                        with_unit(&whole(s.get(NumField::Integrations)), "integrations"),
                        money(st.people.integrations, c)
                    )
                } else {
                    "Switched off: not counted.".to_string()
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{estimate, AssumptionSet, CurrentStack, SetKind};

    /// The page's default scenario, with Express in production today.
    fn on_express() -> (Scenario, Estimate) {
        let mut s = Scenario::default().claims_for(SetKind::Published);
        s.current = CurrentStack::Running(Stack::Express);
        let e = estimate(&s, &AssumptionSet::published());
        (s, e)
    }

    #[test]
    fn the_numbers_plugged_in_are_the_scenario_s_and_the_estimate_s() {
        let (s, e) = on_express();
        let plugged = |f: Formula, stack| f.plugged(&s, &e, stack);
        assert_eq!(
            plugged(Formula::Migration, Stack::Express),
            "Already on Express: nothing to migrate."
        );
        let from = plugged(Formula::Migration, Stack::Fastify);
        assert!(from.starts_with("From Express: $"), "{from}");
        assert!(
            from.ends_with("for a team of 6 over a 12-month timeline."),
            "{from}"
        );
        assert_eq!(
            plugged(Formula::Productivity, Stack::FastApi),
            "Switched off: not counted."
        );
        let monthly = plugged(Formula::MonthlyCost, Stack::Fastify);
        assert!(
            monthly.starts_with("2 × (2 vCPU × $0.04 + 4 GiB × $0.0044) × 730 h = $"),
            "{monthly}"
        );
        // Each process's rate is the instance's capacity over its servers.
        let api = e.stack(Stack::Fastify).tiers[0];
        let usl = plugged(Formula::Usl, Stack::Fastify);
        assert!(
            usl.ends_with(&format!(
                "serve up to {} req/s ({} req/s each at full load).",
                whole(api.capacity_rps),
                whole(api.capacity_rps / f64::from(api.servers))
            )),
            "{usl}"
        );
        assert_eq!(
            plugged(Formula::GpuBatch, Stack::Fastify),
            "No GPU tier: inference runs on CPU, or there is none."
        );
    }

    #[test]
    fn one_of_a_thing_is_said_in_the_singular() {
        // 1 vCPU, one minimum replica, 1 req/s, inference on a GPU: one
        // process an instance, one API instance, one GPU, batches of one.
        let s = crate::state::codec::from_query(
            "v=1&vcpu=1&replicas=1&rps=1&ml=10&device=gpu&integrations=1&productivity=1",
        )
        .state
        .scenario;
        let e = estimate(&s, &AssumptionSet::published());
        let plural = [
            "processes",
            "vCPUs",
            "instances",
            "API instances",
            "GPUs",
            "requests",
            "queues",
        ];
        let mut seen = 0;
        for stack in Stack::ALL {
            for f in Formula::ALL {
                let text = f.plugged(&s, &e, stack);
                for word in plural {
                    let one = format!("1 {word}");
                    let at = text.match_indices(&one).any(|(i, _)| {
                        !text[..i]
                            .ends_with(|ch: char| ch.is_ascii_digit() || ch == ',' || ch == '.')
                    });
                    assert!(!at, "{stack:?} {f:?}: {text}");
                }
                seen += usize::from(text.contains("1 process") || text.contains("1 GPU"));
            }
        }
        assert!(
            seen > 0,
            "the scenario has one process or one GPU somewhere"
        );
    }

    #[test]
    fn every_formula_has_its_numbers_for_every_stack() {
        let (s, e) = on_express();
        for stack in Stack::ALL {
            for f in Formula::ALL {
                let text = f.plugged(&s, &e, stack);
                assert!(text.ends_with('.'), "{f:?} {stack:?}: {text}");
                assert!(!text.contains("NaN"), "{f:?} {stack:?}: {text}");
            }
        }
    }
}
