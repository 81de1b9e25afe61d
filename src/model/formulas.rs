//! Every formula of the estimate in words, for the "How is this computed"
//! panel. The code lives beside its reference (`queueing.rs`, `estimate.rs`,
//! `people.rs`); this is the catalogue the page reads, so the explanation and
//! the reference are written once.

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
    pub const ALL: [Formula; 12] = [
        Formula::MeanService,
        Formula::Usl,
        Formula::Balancing,
        Formula::ErlangC,
        Formula::GpuBatch,
        Formula::Instances,
        Formula::Memory,
        Formula::MonthlyCost,
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
            Formula::GpuBatch => "t(b) = t1 (1 + g (b − 1)); capacity = B / t(B); b = x (1 − g) / (1 − x g), x = λ t1; p99 ≈ t1 (1 + x) or 2 t(b)",
            Formula::Instances => "instances = fewest n ≥ max(minimum replicas, ⌈peak / (ceiling × capacity)⌉) with p99(n) ≤ target",
            Formula::Memory => "memory = N × (runtime + ML runtime + model) + (peak / n) × W × per-request",
            Formula::MonthlyCost => {
                "monthly = instances × (vCPU × price/vCPU-h + GiB × price/GiB-h) × 730"
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
            Formula::GpuBatch => "A GPU runs waiting inferences together, up to the largest batch: a batch of b costs one inference plus a share g for each extra request, so full batches serve more per second. Below one inference's worth of load a GPU runs them one at a time; above it, batches grow with the load, and a request waits for the batch in progress. GPUs have their own utilisation ceiling, and the GPU is named when it decides the count.",
            Formula::Instances => "Capacity is sized for the peak (average × peak ratio): the fewest instances that stay under the utilisation ceiling and meet the p99 target, never below the minimum replicas. What decided the count is named in the table.",
            Formula::Memory => "Every process holds its runtime; with FastAPI each worker also holds the ML runtime and a copy of the model. Requests in flight follow Little's law (L = λW) at the load one instance serves. If it does not fit, fewer processes run per instance and memory binds.",
            Formula::MonthlyCost => "Instances times the instance price, split into its vCPU and memory parts; GPU instances at their own price. A month is 730 hours.",
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
            Formula::GpuBatch => "NVIDIA TensorRT BERT demo, T4 batch latencies (the batch cost g); dynamic batching as in NVIDIA Triton",
            Formula::Instances => "Headroom practice: autoscaling targets of 50-70% CPU",
            Formula::Memory => "Little, Operations Research 9(3), 1961",
            Formula::MonthlyCost => "AWS price list, us-east-1, 2026-01-19",
            Formula::Horizon => "Compound growth",
            Formula::Migration => "The article, citing LinkedIn Engineering (2024)",
            Formula::Skills => "Stackwise assumption (ramp-up months), the article's advice on team skills",
            Formula::Productivity => "The article, citing its own sources; unverified",
        }
    }
}
