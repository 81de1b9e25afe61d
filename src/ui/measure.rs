//! "Your measurements": import load-test results, turn them into figures,
//! show the fit of runs at several loads and check the model against them.
//!
//! Parsing is `crate::state::loadtest` (pure, tested natively); the model
//! turns runs into a set of figures (`AssumptionSet::with_measurements`),
//! fits runs of one framework and endpoint at several loads
//! (`model::fit_summaries`, the chart from `model::fit_runs`) and gives its
//! p99 at each run (`model::check_rows`). This panel reads the file, asks
//! what a single tool result or a `load,throughput` CSV measured, switches
//! the page to the measured set, and shows the fits, their chart and the
//! check. A bad file gets the parser's message (tool or line, field or
//! column, problem) and changes nothing.

use leptos::prelude::*;
use web_sys::HtmlInputElement;

use super::browser::read_text;
use super::charts_panel::ChartCard;
use super::state::use_app_state;
use crate::charts::scalability::ScalabilityChart;
use crate::charts::{scalability_chart, AnyChart};
use crate::model::format::{number, significant, whole, with_unit};
use crate::model::{
    check_rows, distinct_loads, fit_runs, fit_summaries, AssumptionSet, Framework, LoadKind,
    MeasuredClass, Measurement, SetKind, GAP_MEANING, USL_MIN_LOADS,
};
use crate::state::import::{runs_from_csv, runs_from_file, runs_from_result};
use crate::state::loadtest::{
    looks_like_csv, parse, parse_measurements, parse_usl_csv, LoadTestResult, LoadTool, UslCsv,
};

/// A file waiting for the user to say what it measured.
#[derive(Clone, Debug, PartialEq)]
enum Pending {
    /// A single tool result: which framework, endpoint and workers.
    Result {
        /// The file's name.
        file: String,
        /// What it holds.
        result: LoadTestResult,
    },
    /// A CSV of `load,throughput` rows: which framework and endpoint, and
    /// what its load counts.
    Csv {
        /// The file's name.
        file: String,
        /// Its rows.
        csv: UslCsv,
    },
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
        parts.push(with_unit(&whole(errors as f64), "errors"));
    }
    if let Some(c) = r.connections {
        parts.push(with_unit(&c.to_string(), "connections"));
    }
    format!("{}: {}", r.tool.label(), parts.join(", "))
}

/// What a CSV holds, in a sentence, with what a fit needs when it is short.
fn csv_summary(file: &str, csv: &UslCsv) -> String {
    // Counted as the fit counts them, and with the fit's sort: one for u32
    // cost the page 1.7 KB brotli (README, Size).
    let loads = distinct_loads(csv.points.iter().map(|p| f64::from(p.load)).collect());
    let mut text = format!(
        "{file}: {} rows at {} different loads, from {} to {}.",
        csv.points.len(),
        loads.len(),
        whole(loads.first().copied().unwrap_or(0.0)),
        whole(loads.last().copied().unwrap_or(0.0))
    );
    if loads.len() < USL_MIN_LOADS {
        text.push_str(&format!(
            " A fit needs at least {USL_MIN_LOADS} different loads, so these runs will not be fitted."
        ));
    }
    text
}

/// "1 run now sets", "3 runs now set": what an import's runs do.
fn runs_now_set(count: usize) -> String {
    let verb = if count == 1 { "sets" } else { "set" };
    format!("{} now {verb}", with_unit(&count.to_string(), "runs"))
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
    let load_kind = RwSignal::new(LoadKind::Workers);

    // Runs that set figures (any at a number of workers) make "Your
    // measurements"; runs over users alone are shown and fitted, and leave
    // the figures as they are.
    let apply_runs = move |next: Vec<Measurement>| {
        if !next.iter().any(|r| r.load_kind == LoadKind::Workers) {
            runs.set(next);
            state.measured.set(None);
            if state
                .assumptions
                .with_untracked(|a| a.kind == SetKind::Measured)
            {
                state.assumptions.set(AssumptionSet::published());
            }
            return true;
        }
        match AssumptionSet::with_measurements(&next) {
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
        }
    };

    let read_kit_file = move |name: String, text: &str| match parse_measurements(text) {
        Ok(m) => {
            let (mut new_runs, notes) = runs_from_file(&m, &name);
            let count = new_runs.len();
            let mut all = runs.get_untracked();
            all.append(&mut new_runs);
            if count == 0 {
                message.set(Some((
                    true,
                    format!("{name}: no run Stackwise can use. {}", notes.join(" ")),
                )));
            } else if apply_runs(all) {
                message.set(Some((
                    false,
                    format!(
                        "{name}: {} the figures of \"Your measurements\". {}",
                        runs_now_set(count),
                        notes.join(" ")
                    ),
                )));
            }
        }
        Err(e) => message.set(Some((true, refused(&format!("{name}: {e}"))))),
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
            if looks_like_csv(&text) {
                match parse_usl_csv(&text) {
                    Err(e) => message.set(Some((true, refused(&format!("{name}: {e}"))))),
                    Ok(csv) => {
                        message.set(None);
                        pending.set(Some(Pending::Csv { file: name, csv }));
                    }
                }
                return;
            }
            match parse(&text) {
                Err(e) => message.set(Some((true, refused(&format!("{name}: {e}"))))),
                Ok(results) => {
                    let is_kit = results.first().map(|(_, r)| r.tool) == Some(LoadTool::Stackwise);
                    if is_kit {
                        read_kit_file(name, &text);
                    } else if let Some((_, result)) = results.into_iter().next() {
                        message.set(None);
                        pending.set(Some(Pending::Result { file: name, result }));
                    }
                }
            }
        });
    };

    let use_pending = move |_| {
        let Some(p) = pending.get_untracked() else {
            return;
        };
        let (file, new_runs) = match &p {
            Pending::Result { file, result } => {
                let workers_n = match workers.get_untracked().trim().parse::<u32>() {
                    Ok(n) if (1..=1024).contains(&n) => n,
                    _ => {
                        message.set(Some((
                            true,
                            format!(
                                "Workers: \"{}\" is not a whole number from 1 to 1024.",
                                crate::model::echo(&workers.get_untracked())
                            ),
                        )));
                        return;
                    }
                };
                let run = runs_from_result(
                    result,
                    framework.get_untracked(),
                    class.get_untracked(),
                    workers_n,
                    file,
                );
                (file.clone(), vec![run])
            }
            Pending::Csv { file, csv } => match runs_from_csv(
                csv,
                framework.get_untracked(),
                class.get_untracked(),
                load_kind.get_untracked(),
                file,
            ) {
                Ok(new_runs) => (file.clone(), new_runs),
                Err(e) => {
                    message.set(Some((true, refused(&e))));
                    return;
                }
            },
        };
        let count = new_runs.len();
        let over_users = new_runs.iter().all(|r| r.load_kind == LoadKind::Users);
        let mut all = runs.get_untracked();
        all.extend(new_runs);
        if apply_runs(all) {
            pending.set(None);
            let text = match (&p, over_users) {
                (Pending::Result { .. }, _) => {
                    format!("{file} now sets the figures of \"Your measurements\".")
                }
                (Pending::Csv { .. }, false) => {
                    format!(
                        "{file}: {} the figures of \"Your measurements\".",
                        runs_now_set(count)
                    )
                }
                (Pending::Csv { .. }, true) => format!(
                    "{file}: {} over concurrent users; {} fit is shown below and sets no figure.",
                    with_unit(&count.to_string(), "runs"),
                    if count == 1 { "its" } else { "their" }
                ),
            };
            message.set(Some((false, text)));
        }
    };

    let remove = move |i: usize| {
        let mut all = runs.get_untracked();
        if i < all.len() {
            all.remove(i);
        }
        apply_runs(all);
    };

    // The fits, their chart (one at a time, picked when there are several)
    // and the model's p99 at each run.
    let fits = Memo::new(move |_| runs.with(|r| fit_summaries(r)));
    let groups = Memo::new(move |_| runs.with(|r| fit_runs(r)));
    let shown_fit = RwSignal::new(0usize);
    let chart = Memo::new(move |_| {
        let i = shown_fit.get();
        groups.with(|g| {
            AnyChart::Scalability(
                g.get(i)
                    .or_else(|| g.first())
                    .map_or_else(ScalabilityChart::empty, scalability_chart),
            )
        })
    });
    let checks = Memo::new(move |_| {
        runs.with(|r| {
            state
                .scenario
                .with(|s| state.assumptions.with(|a| check_rows(r, s, a)))
        })
    });
    let set_label = move || state.assumptions.with(|a| a.kind.label());

    view! {
        <section class="panel skippable" id="measurements" aria-labelledby="measure-heading">
            <h2 id="measure-heading">"Your measurements"</h2>
            <p class="help">
                "Synthetic benchmarks are not your workload. Load-test your own endpoints (k6 "
                <code>"--summary-export"</code>", autocannon "<code>"--json"</code>", wrk "<code>"--latency"</code>", oha "
                <code>"--output-format json"</code>", or the bench kit in this project's repository) and import the result: "
                "the measured throughput becomes that framework's CPU per request (workers ÷ requests per second) in a third set of figures. "
                "Runs of one framework and endpoint at several worker counts (the bench kit's "<code>"--sweep"</code>", several files, or a CSV of "
                <code>"load,throughput"</code>" rows with a header, as R's usl package takes them) are fitted with the Universal Scalability Law: "
                "the throughput of one process and the framework's own contention and coherency then replace the shipped figures."
            </p>
            <div class="field">
                <label for="measure-file">"Load-test result file"</label>
                <input
                    id="measure-file"
                    type="file"
                    accept=".json,.txt,.log,.csv,application/json,text/plain,text/csv"
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
            {move || pending.get().map(|p| {
                let (about, is_csv) = match &p {
                    Pending::Result { file, result } => (format!("{file}: {}", summary(result)), false),
                    Pending::Csv { file, csv } => (csv_summary(file, csv), true),
                };
                view! {
                    <div class="pending-run">
                        <p>{about}</p>
                        <p class="help">{if is_csv { "Say what these runs measured:" } else { "Say what this run measured:" }}</p>
                        <div class="field">
                            <label for="measure-framework">"Framework"</label>
                            <select id="measure-framework" autocomplete="off" on:change:target=move |ev| {
                                if let Some(f) = Framework::from_key(&ev.target().value()) { framework.set(f) }
                            }>
                                {Framework::ALL.iter().map(|f| view! {
                                    <option value=f.key() selected=move || framework.get() == *f>{f.label()}</option>
                                }).collect_view()}
                            </select>
                        </div>
                        <div class="field">
                            <label for="measure-class">"Endpoint"</label>
                            <select id="measure-class" autocomplete="off" on:change:target=move |ev| {
                                class.set(if ev.target().value() == "io" { MeasuredClass::Io } else { MeasuredClass::Json })
                            }>
                                <option value="json" selected=move || class.get() == MeasuredClass::Json>{MeasuredClass::Json.label()}</option>
                                <option value="io" selected=move || class.get() == MeasuredClass::Io>{MeasuredClass::Io.label()}</option>
                            </select>
                        </div>
                        {if is_csv {
                            view! {
                                <div class="field">
                                    <label for="measure-load-kind">"What the load column counts"</label>
                                    <select id="measure-load-kind" autocomplete="off" on:change:target=move |ev| {
                                        load_kind.set(if ev.target().value() == "users" { LoadKind::Users } else { LoadKind::Workers })
                                    }>
                                        {[LoadKind::Workers, LoadKind::Users].into_iter().map(|k| view! {
                                            <option value=k.key() selected=move || load_kind.get() == k>{k.label()}</option>
                                        }).collect_view()}
                                    </select>
                                </div>
                                <button type="button" on:click=use_pending>"Use these runs"</button>
                            }.into_any()
                        } else {
                            view! {
                                <div class="field">
                                    <label for="measure-workers">"Worker processes (or cores) the server used"</label>
                                    <input id="measure-workers" type="text" inputmode="numeric" autocomplete="off" prop:value=move || workers.get()
                                        on:input:target=move |ev| workers.set(ev.target().value()) />
                                </div>
                                <button type="button" on:click=use_pending>"Use this run"</button>
                            }.into_any()
                        }}
                    </div>
                }
            })}
            {move || {
                let list = runs.get();
                (!list.is_empty()).then(|| view! {
                    <ul class="runs">
                        {list.into_iter().enumerate().map(|(i, r)| {
                            let cost = r
                                .cpu_us()
                                .map_or("no CPU per request (a load of users)".to_string(), |us| {
                                    format!("{} µs CPU per request", significant(us))
                                });
                            let text = format!(
                                "{}, {}, {}: {} req/s on {} → {cost} — {}",
                                r.framework.label(),
                                r.class.label(),
                                r.endpoint,
                                whole(r.requests_per_second),
                                r.load_kind.count(r.load),
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
            <Show when=move || fits.with(|f| !f.is_empty())>
                <h3>"Scalability fits of your runs"</h3>
                <p class="help">
                    "Universal Scalability Law, X(N) = γN / (1 + σ(N − 1) + κN(N − 1)), fitted by least squares as R's usl package fits it. "
                    "The intervals here are 95%; a fit sets figures with 90% ranges (5th to 95th percentile, as every range in Stackwise), from the same standard errors."
                </p>
                {move || fits.get().into_iter().map(|f| view! {
                    <div
                        class="table-scroll"
                        tabindex="0"
                        role="region"
                        aria-label=format!("{}, scrollable", f.heading)
                    >
                        <table class="tiers fit">
                            <caption>{f.heading.clone()}</caption>
                            <tbody>
                                {f.rows.iter().map(|(what, value)| view! {
                                    <tr><th scope="row">{what.clone()}</th><td>{value.clone()}</td></tr>
                                }).collect_view()}
                            </tbody>
                        </table>
                    </div>
                    <p class="note" class:warning=!f.used>{f.verdict.clone()}</p>
                }).collect_view()}
                <Show when=move || groups.with(|g| g.len() > 1)>
                    <div class="field">
                        <label for="measure-fit-shown">"Fit shown in the chart"</label>
                        <select id="measure-fit-shown" autocomplete="off" on:change:target=move |ev| {
                            shown_fit.set(ev.target().value().parse().unwrap_or(0))
                        }>
                            {move || groups.with(|g| g.iter().enumerate().map(|(i, f)| view! {
                                <option value=i.to_string() selected=move || shown_fit.get() == i>{f.label()}</option>
                            }).collect_view())}
                        </select>
                    </div>
                </Show>
                <ChartCard data=chart />
            </Show>
            <Show when=move || checks.with(|c| !c.is_empty())>
                <h3>"The model against your runs"</h3>
                <div
                    class="table-scroll"
                    tabindex="0"
                    role="region"
                    aria-label="The model against your runs, scrollable"
                >
                    <table class="tiers run-check">
                        <caption>
                            "p99 latency measured and the model's at each run's throughput and concurrency, with the figures in use ("
                            {set_label}
                            ")"
                        </caption>
                        <thead>
                            <tr>
                                <th scope="col">"Run"</th>
                                <th scope="col" class="num">"Measured p99"</th>
                                <th scope="col" class="num">"Model p99"</th>
                                <th scope="col" class="num">"Measured ÷ model"</th>
                            </tr>
                        </thead>
                        <tbody>
                            {move || checks.get().into_iter().map(|c| view! {
                                <tr>
                                    <th scope="row">
                                        {c.run}
                                        {c.note.map(|n| view! { <span class="caption-note">{format!(" ({n})")}</span> })}
                                    </th>
                                    <td class="num">{c.measured}</td>
                                    <td class="num">{c.model}</td>
                                    <td class="num">{c.ratio}</td>
                                </tr>
                            }).collect_view()}
                        </tbody>
                    </table>
                </div>
                <p class="help">{GAP_MEANING}</p>
            </Show>
        </section>
    }
}
