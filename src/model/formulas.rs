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
    /// Erlang C and the p99 wait.
    ErlangC,
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
    pub const ALL: [Formula; 10] = [
        Formula::MeanService,
        Formula::Usl,
        Formula::ErlangC,
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
            Formula::ErlangC => "Utilisation that keeps the p99 target",
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
            Formula::MeanService => "S = Σ share_k × s_k",
            Formula::Usl => "X(N) = N / (1 + α(N−1) + βN(N−1)) × 1/S",
            Formula::ErlangC => {
                "p99 = fixed + ln(100·C(c, λ/μ)) / (cμ − λ) ≤ target, λ ≤ ceiling × cμ"
            }
            Formula::Instances => "instances = max(minimum replicas, ⌈peak / λmax⌉)",
            Formula::Memory => "memory = N × (runtime + model) + λ × W × per-request",
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
            Formula::MeanService => "Each request class costs CPU on one worker: framework overhead plus the work itself (compute work in Python costs the measured multiple of Node's). Waiting on I/O costs latency and memory, not CPU, on an async server. The mix's mean is the share-weighted sum.",
            Formula::Usl => "One worker process per vCPU serves 1/S requests per second. Processes on one instance contend for shared resources, so N of them give less than N times one (the Universal Scalability Law).",
            Formula::ErlangC => "Each instance is an M/M/c queue with one server per process. Erlang C gives the chance a request waits; the p99 wait follows. The planned load per instance is the highest at which the slowest common request plus its p99 wait stays within the target, and never above the utilisation ceiling.",
            Formula::Instances => "Capacity is sized for the peak (average × peak ratio), never below the minimum replicas; what decided the count is named in the table.",
            Formula::Memory => "Every process holds its runtime, and with FastAPI a copy of the model in each worker. Requests in flight follow Little's law (L = λW). If it does not fit, fewer processes run per instance and memory binds.",
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
            Formula::ErlangC => "Erlang (1917); Harchol-Balter, Performance Modeling and Design of Computer Systems (2013), ch. 14",
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
