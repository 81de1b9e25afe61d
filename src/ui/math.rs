//! "How is this computed": every formula of the model in plain words, with
//! the current scenario's numbers plugged in for one stack.
//!
//! Titles, formulas, explanations and references come from
//! [`crate::model::Formula`]; this panel only fills in values the estimate
//! already holds.

use leptos::prelude::*;

use super::state::use_app_state;
use crate::model::format::{memory, money, number, percent, significant, whole};
use crate::model::{Choice, Estimate, Formula, NumField, Scenario, Stack, HOURS_PER_MONTH};

/// The numbers of one formula for one stack, in words.
fn plugged(f: Formula, s: &Scenario, e: &Estimate, stack: Stack) -> String {
    let st = e.stack(stack);
    let c = e.currency;
    let Some(api) = st.tiers.first() else {
        return String::new();
    };
    let m = api.memory;
    match f {
        Formula::MeanService => format!(
            "{} API: S = {} ms of CPU per request for this mix, c_s² = {}.",
            stack.label(),
            significant(api.mean_service_ms),
            significant(api.service_scv)
        ),
        Formula::Usl => format!(
            "{} processes per instance, {} at once on {} vCPUs, serve up to {} req/s ({} req/s each at full load).",
            api.processes,
            api.servers,
            whole(s.get(NumField::Vcpu)),
            whole(api.capacity_rps),
            whole(api.capacity_rps / f64::from(api.servers.max(1)))
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
            "⌈{} / {}⌉ at least {} → {} API instances, sized by {}; {} instances in all services.",
            whole(api.peak_rps),
            whole(api.max_rps),
            whole(s.get(NumField::MinReplicas)),
            whole(api.instances as f64),
            api.binding.label(),
            whole(st.instances as f64)
        ),
        Formula::GpuBatch => match st.tiers.iter().find(|t| t.on_gpu) {
            Some(gpu) => format!(
                "{} GPUs of up to {} a batch serve {} req/s each when full; at today's peak a batch holds {} requests and the p99 is {} ms.",
                whole(gpu.instances as f64),
                whole(s.get(NumField::GpuMaxBatch)),
                whole(gpu.capacity_rps),
                significant(gpu.batch),
                significant(gpu.p99_ms)
            ),
            None => "No GPU tier: inference runs on CPU, or there is none.".to_string(),
        },
        Formula::Memory => format!(
            "{} runtime + {} ML runtime + {} model + {} in flight = {} of {} usable per API instance.",
            memory(m.runtime_mib),
            memory(m.ml_runtime_mib),
            memory(m.model_mib),
            memory(m.inflight_mib),
            memory(m.total_mib()),
            memory(m.available_mib)
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
                    "API docs work {}; extra integration work for {} integrations {}.",
                    money(st.people.docs, c),
                    whole(s.get(NumField::Integrations)),
                    money(st.people.integrations, c)
                )
            } else {
                "Switched off: not counted.".to_string()
            }
        }
    }
}

/// The "How is this computed" panel.
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    let chosen = RwSignal::new(None::<Stack>);
    let stack = move || {
        chosen
            .get()
            .unwrap_or_else(|| state.estimate.with(|e| e.cheapest))
    };
    view! {
        <section class="panel" id="math" aria-labelledby="math-heading">
            <h2 id="math-heading">"How is this computed"</h2>
            <div class="field inline">
                <label for="math-stack">"Show the numbers for"</label>
                <select
                    id="math-stack"
                    on:change:target=move |ev| chosen.set(Stack::from_key(&ev.target().value()))
                >
                    {Stack::ALL
                        .iter()
                        .map(|s| {
                            let s = *s;
                            view! { <option value=s.key() selected=move || stack() == s>{s.label()}</option> }
                        })
                        .collect_view()}
                </select>
            </div>
            <ol class="formulas">
                {Formula::ALL
                    .iter()
                    .map(|f| {
                        let f = *f;
                        view! {
                            <li>
                                <h3>{f.title()}</h3>
                                <p class="formula"><code>{f.expression()}</code></p>
                                <p>{f.explanation()}</p>
                                <p class="plugged">
                                    {move || state.scenario.with(|s| state.estimate.with(|e| plugged(f, s, e, stack())))}
                                </p>
                                <p class="reference">"Reference: " {f.reference()}</p>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
}
