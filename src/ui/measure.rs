//! "Your measurements": import a load-test result and turn it into figures.
//!
//! Parsing is `crate::state::loadtest` (pure, tested natively); the model
//! turns runs into a set of figures (`AssumptionSet::with_measurements`).
//! This panel reads the file, asks what a single tool result measured, and
//! switches the page to the measured set. A bad file gets the parser's
//! message (tool, field, problem) and changes nothing.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::browser::read_text;
use super::state::use_app_state;
use crate::model::format::{number, significant, whole};
use crate::model::{AssumptionSet, Framework, MeasuredClass, Measurement};
use crate::state::import::{runs_from_file, runs_from_result};
use crate::state::loadtest::{parse, parse_measurements, LoadTestResult, LoadTool};

/// A single tool result waiting for the user to say what it measured.
#[derive(Clone, Debug, PartialEq)]
struct Pending {
    file: String,
    result: LoadTestResult,
}

fn summary(r: &LoadTestResult) -> String {
    let mut parts = vec![format!("{} req/s", whole(r.requests_per_second))];
    if let Some(p50) = r.latency_p50_ms {
        parts.push(format!("p50 {} ms", significant(p50)));
    }
    if let Some(p99) = r.latency_p99_ms {
        let which = r
            .latency_p99_percentile
            .map_or("p99".to_string(), |p| format!("p{}", number(p, 1)));
        parts.push(format!("{which} {} ms", significant(p99)));
    }
    if let Some(errors) = r.errors {
        parts.push(format!("{} errors", whole(errors as f64)));
    }
    if let Some(c) = r.connections {
        parts.push(format!("{c} connections"));
    }
    format!("{}: {}", r.tool.label(), parts.join(", "))
}

/// A refusal as the panel shows it: the problem, then that nothing changed.
fn refused(problem: &str) -> String {
    format!("{}. Nothing was changed.", problem.trim_end_matches('.'))
}

/// The import panel.
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    let runs = RwSignal::new(Vec::<Measurement>::new());
    let pending = RwSignal::new(None::<Pending>);
    let message = RwSignal::new(None::<(bool, String)>);
    let framework = RwSignal::new(Framework::FastApi);
    let class = RwSignal::new(MeasuredClass::Json);
    let workers = RwSignal::new("1".to_string());

    let apply_runs = move |next: Vec<Measurement>| match AssumptionSet::with_measurements(&next) {
        Ok(set) => {
            runs.set(next);
            state.measured.set(Some(set.clone()));
            state.assumptions.set(set);
            true
        }
        Err(e) => {
            message.set(Some((true, refused(&e))));
            false
        }
    };

    let on_file = move |input: HtmlInputElement| {
        let Some(file) = input.files().and_then(|f| f.get(0)) else {
            return;
        };
        let name = file.name();
        input.set_value("");
        read_text(&file, move |text| {
            let text = match text {
                Ok(t) => t,
                Err(e) => {
                    message.set(Some((true, e)));
                    return;
                }
            };
            match parse(&text) {
                Err(e) => message.set(Some((true, refused(&format!("{name}: {e}"))))),
                Ok(results) => {
                    let is_kit = results.first().map(|(_, r)| r.tool) == Some(LoadTool::Stackwise);
                    if is_kit {
                        match parse_measurements(&text) {
                            Ok(m) => {
                                let (mut new_runs, notes) = runs_from_file(&m, &name);
                                let count = new_runs.len();
                                let mut all = runs.get_untracked();
                                all.append(&mut new_runs);
                                if count == 0 {
                                    message.set(Some((
                                        true,
                                        format!(
                                            "{name}: no run Stackwise can use. {}",
                                            notes.join(" ")
                                        ),
                                    )));
                                } else if apply_runs(all) {
                                    message.set(Some((false, format!(
                                        "{name}: {count} runs now set the figures of \"Your measurements\". {}",
                                        notes.join(" ")
                                    ))));
                                }
                            }
                            Err(e) => message.set(Some((true, refused(&format!("{name}: {e}"))))),
                        }
                    } else if let Some((_, result)) = results.into_iter().next() {
                        message.set(None);
                        pending.set(Some(Pending { file: name, result }));
                    }
                }
            }
        });
    };

    let use_pending = move |_| {
        let Some(p) = pending.get_untracked() else {
            return;
        };
        let workers_n = match workers.get_untracked().trim().parse::<u32>() {
            Ok(n) if (1..=1024).contains(&n) => n,
            _ => {
                message.set(Some((
                    true,
                    format!(
                        "Workers: \"{}\" is not a whole number from 1 to 1024.",
                        workers.get_untracked()
                    ),
                )));
                return;
            }
        };
        let run = runs_from_result(
            &p.result,
            framework.get_untracked(),
            class.get_untracked(),
            workers_n,
            &p.file,
        );
        let mut all = runs.get_untracked();
        all.push(run);
        if apply_runs(all) {
            pending.set(None);
            message.set(Some((
                false,
                format!("{} now sets the figures of \"Your measurements\".", p.file),
            )));
        }
    };

    let remove = move |i: usize| {
        let mut all = runs.get_untracked();
        if i < all.len() {
            all.remove(i);
        }
        if all.is_empty() {
            runs.set(all);
            state.measured.set(None);
            state.assumptions.set(AssumptionSet::published());
        } else {
            apply_runs(all);
        }
    };

    view! {
        <section class="panel" id="measurements" aria-labelledby="measure-heading">
            <h2 id="measure-heading">"Your measurements"</h2>
            <p class="help">
                "Synthetic benchmarks are not your workload. Load-test your own endpoints (k6 "
                <code>"--summary-export"</code>", autocannon "<code>"--json"</code>", wrk "<code>"--latency"</code>", oha "
                <code>"--output-format json"</code>", or the bench kit in this project's repository) and import the result: "
                "the measured throughput becomes that framework's CPU per request (workers ÷ requests per second) in a third set of figures."
            </p>
            <div class="field">
                <label for="measure-file">"Load-test result file"</label>
                <input
                    id="measure-file"
                    type="file"
                    accept=".json,.txt,.log,application/json,text/plain"
                    on:change:target=move |ev| on_file(ev.target())
                />
            </div>
            <p
                class="note"
                class:warning=move || message.with(|m| m.as_ref().is_some_and(|(bad, _)| *bad))
                role="status"
            >
                {move || message.get().map(|(_, m)| m)}
            </p>
            {move || pending.get().map(|p| view! {
                <div class="pending-run">
                    <p>{format!("{}: {}", p.file, summary(&p.result))}</p>
                    <p class="help">"Say what this run measured:"</p>
                    <div class="field">
                        <label for="measure-framework">"Framework"</label>
                        <select id="measure-framework" on:change:target=move |ev| {
                            if let Some(f) = Framework::from_key(&ev.target().value()) { framework.set(f) }
                        }>
                            {Framework::ALL.iter().map(|f| view! {
                                <option value=f.key() selected=move || framework.get() == *f>{f.label()}</option>
                            }).collect_view()}
                        </select>
                    </div>
                    <div class="field">
                        <label for="measure-class">"Endpoint"</label>
                        <select id="measure-class" on:change:target=move |ev| {
                            class.set(if ev.target().value() == "io" { MeasuredClass::Io } else { MeasuredClass::Json })
                        }>
                            <option value="json">{MeasuredClass::Json.label()}</option>
                            <option value="io">{MeasuredClass::Io.label()}</option>
                        </select>
                    </div>
                    <div class="field">
                        <label for="measure-workers">"Worker processes (or cores) the server used"</label>
                        <input id="measure-workers" type="text" inputmode="numeric" prop:value=move || workers.get()
                            on:input:target=move |ev| workers.set(ev.target().value()) />
                    </div>
                    <button type="button" on:click=use_pending>"Use this run"</button>
                </div>
            })}
            {move || {
                let list = runs.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="runs">
                        {list.into_iter().enumerate().map(|(i, r)| {
                            let text = format!(
                                "{}, {}: {} req/s on {} worker{} → {} µs CPU per request — {}",
                                r.framework.label(),
                                r.class.label(),
                                whole(r.requests_per_second),
                                r.load,
                                if r.load == 1 { "" } else { "s" },
                                r.cpu_us().map(significant).unwrap_or_default(),
                                r.source
                            );
                            view! {
                                <li>
                                    {text}
                                    <button type="button" class="link-button" on:click=move |_| remove(i)>"Remove"</button>
                                </li>
                            }
                        }).collect_view()}
                    </ul>
                })
            }}
        </section>
    }
}
