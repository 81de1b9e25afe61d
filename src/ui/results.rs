//! The answer: the recommendation in words, the table "Estimate per stack",
//! and a breakdown of each stack on demand.
//!
//! Everything shown is read from the estimate (and, once they have run, the
//! Monte Carlo and the sensitivity sweep); nothing here computes a figure
//! beyond picking the best value of a column.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::state::{schedule, use_app_state, Shown, Uncertainty};
use crate::model::format::{self, memory, money, percent, significant, whole};
use crate::model::{
    apply_rules, cheapest_group, other_set_verdict, recommend, Currency, Estimate, StackEstimate,
    Summary, TierEstimate,
};

/// Quiet time after which the marks on the cells a change moved fade, ms:
/// longer than the pause between keystrokes, so they hold while the user
/// types.
const FADE_AFTER_MS: i32 = 700;

/// A column of the table: how to read a stack's value and which end is best.
struct Column {
    title: &'static str,
    unit: fn(Currency) -> String,
    value: fn(&StackEstimate) -> f64,
    show: fn(&StackEstimate, Currency) -> String,
    higher_is_better: bool,
}

fn no_unit(_: Currency) -> String {
    String::new()
}

fn columns() -> [Column; 6] {
    [
        Column {
            title: "Throughput per API instance",
            unit: |_| "req/s".into(),
            value: |s| s.throughput_per_instance,
            show: |s, _| significant(s.throughput_per_instance),
            higher_is_better: true,
        },
        Column {
            title: "Instances at peak",
            unit: no_unit,
            value: |s| s.instances as f64,
            show: |s, _| whole(s.instances as f64),
            higher_is_better: false,
        },
        Column {
            title: "Memory per API instance",
            unit: no_unit,
            value: |s| s.memory_per_instance_mib,
            show: |s, _| memory(s.memory_per_instance_mib),
            higher_is_better: false,
        },
        Column {
            title: "Monthly cost",
            unit: |c| c.code().to_string(),
            value: |s| s.monthly.total(),
            show: |s, c| money(s.monthly.total(), c),
            higher_is_better: false,
        },
        Column {
            title: "Migration cost",
            unit: |c| c.code().to_string(),
            value: |s| s.people.migration,
            show: |s, c| money(s.people.migration, c),
            higher_is_better: false,
        },
        Column {
            title: "Total over the horizon",
            unit: |c| c.code().to_string(),
            value: |s| s.total,
            show: |s, c| money(s.total, c),
            higher_is_better: false,
        },
    ]
}

/// The best value of a column, to mark it.
fn best_of(e: &Estimate, col: &Column) -> f64 {
    let values = e.stacks.iter().map(|s| (col.value)(s));
    if col.higher_is_better {
        values.fold(f64::NEG_INFINITY, f64::max)
    } else {
        values.fold(f64::INFINITY, f64::min)
    }
}

/// What one cell of "Estimate per stack" shows.
#[derive(Clone, Debug, Default, PartialEq)]
struct Cell {
    text: String,
    /// The column's best value.
    best: bool,
    /// Moved by the last change (marked until the marks fade).
    changed: bool,
}

/// What one row of "Estimate per stack" shows.
#[derive(Clone, Debug, Default, PartialEq)]
struct Row {
    head: Head,
    cells: Vec<Cell>,
    sized: SizedBy,
}

/// A row's header cell: the stack.
#[derive(Clone, Debug, Default, PartialEq)]
struct Head {
    /// [`crate::model::Stack::index`], for the swatch's colour.
    stack: usize,
    label: &'static str,
    /// The hybrid's API framework.
    sub: Option<String>,
    /// Whether the answer names it: the cheapest, or costs the same.
    cheapest: bool,
}

/// The "Sized by" cell: the binding constraint and what went wrong.
#[derive(Clone, Debug, Default, PartialEq)]
struct SizedBy {
    /// What decided the instance count ([`crate::model::StackEstimate::sized_by`]).
    binding: String,
    p99_missed: bool,
    does_not_fit: bool,
    ruled_out: bool,
}

impl SizedBy {
    fn warn(&self) -> bool {
        self.p99_missed || self.does_not_fit || self.ruled_out
    }
}

/// The table's rows for `e`, each cell marked changed where its text differs
/// from the one at its place in `before` (the texts last shown, row by row;
/// empty for none), and the texts shown now.
fn rows_of(e: &Estimate, before: &[String]) -> (Vec<Row>, Vec<String>) {
    let cols = columns();
    let bests: Vec<f64> = cols.iter().map(|c| best_of(e, c)).collect();
    // Every stack the answer names: those that cost the same too.
    let cheapest = cheapest_group(e);
    let mut now = Vec::with_capacity(e.stacks.len() * cols.len());
    let rows = e
        .stacks
        .iter()
        .map(|s| {
            let cells = cols
                .iter()
                .zip(&bests)
                .map(|(c, best)| {
                    let text = (c.show)(s, e.currency);
                    let changed = before.get(now.len()).is_some_and(|b| *b != text);
                    now.push(text.clone());
                    Cell {
                        text,
                        best: ((c.value)(s) - best).abs() <= best.abs() * 1e-9,
                        changed,
                    }
                })
                .collect();
            let ruled_out = s.deployment.ruled_out.is_some();
            Row {
                head: Head {
                    stack: s.stack.index(),
                    label: s.stack.label(),
                    sub: (s.stack == crate::model::Stack::Hybrid)
                        .then(|| format!(" ({} + FastAPI)", s.api_framework.label())),
                    cheapest: cheapest.contains(&s.stack),
                },
                cells,
                sized: SizedBy {
                    binding: s.sized_by(),
                    p99_missed: !s.meets_p99,
                    does_not_fit: !s.fits_memory && !ruled_out,
                    ruled_out,
                },
            }
        })
        .collect();
    (rows, now)
}

/// Row `i` of the table, following `rows`.
fn row_view(rows: Memo<Vec<Row>>, i: usize) -> impl IntoView {
    let head =
        Memo::new(move |_| rows.with(|r| r.get(i).map(|r| r.head.clone()).unwrap_or_default()));
    let sized =
        Memo::new(move |_| rows.with(|r| r.get(i).map(|r| r.sized.clone()).unwrap_or_default()));
    let flag = |on: fn(&SizedBy) -> bool, text: &'static str| {
        let on = Memo::new(move |_| sized.with(on));
        move || on.get().then(|| view! { <span class="flag">{text}</span> })
    };
    let cells = (0..columns().len())
        .map(|j| cell_view(rows, i, j))
        .collect_view();
    view! {
        <tr class:cheapest=move || head.with(|h| h.cheapest)>
            <th scope="row">
                <span class="stack-name">
                    <span class=move || format!("swatch swatch-{}", head.with(|h| h.stack) + 1) aria-hidden="true"></span>
                    {move || head.with(|h| h.label)}
                </span>
                {move || head.with(|h| h.sub.clone()).map(|t| view! { <span class="sub">{t}</span> })}
            </th>
            {cells}
            <td class="sized" class:warn=move || sized.with(SizedBy::warn)>
                {move || sized.with(|s| s.binding.clone())}
                {flag(|s| s.p99_missed, "p99 missed")}
                {flag(|s| s.does_not_fit, "does not fit")}
                {flag(|s| s.ruled_out, "ruled out")}
            </td>
        </tr>
    }
}

/// Cell `j` of row `i`, following `rows`: its text, and the best mark.
fn cell_view(rows: Memo<Vec<Row>>, i: usize, j: usize) -> impl IntoView {
    let cell = Memo::new(move |_| {
        rows.with(|r| {
            r.get(i)
                .and_then(|r| r.cells.get(j))
                .cloned()
                .unwrap_or_default()
        })
    });
    let best = Memo::new(move |_| cell.with(|c| c.best));
    view! {
        <td class="num" class:best=move || best.get() class:changed=move || cell.with(|c| c.changed)>
            {move || cell.with(|c| c.text.clone())}
            {move || best.get().then(|| view! {
                <span class="best-mark" aria-hidden="true">" ★"</span>
                <span class="visually-hidden">" (best)"</span>
            })}
        </td>
    }
}

/// "Estimate per stack": one row per stack, the best value of each column
/// marked, the constraint that sized the API tier named.
#[component]
pub fn EstimateTable(
    /// The estimate as the table shows it.
    estimate: ReadSignal<Estimate>,
) -> impl IntoView {
    let currency = Memo::new(move |_| estimate.with(|e| e.currency));
    let header = columns()
        .iter()
        .map(|c| {
            let unit = c.unit;
            let title = c.title;
            view! {
                <th scope="col" class="num">
                    {title}
                    {move || {
                        let u = unit(currency.get());
                        (!u.is_empty()).then(|| view! { <span class="unit-head">{format!(" ({u})")}</span> })
                    }}
                </th>
            }
        })
        .collect_view();
    let years = move || estimate.with(|e| format::years(e.years()));
    // The marks stay while the inputs change and fade together once they
    // have been quiet for [`FADE_AFTER_MS`]: no animation runs while the
    // user types, so each keystroke's frame paints only what changed.
    let fading = RwSignal::new(false);
    let quiet = StoredValue::new(0u64);
    Effect::new(move |first: Option<()>| {
        estimate.track();
        if first.is_none() {
            return;
        }
        if fading.get_untracked() {
            fading.set(false);
        }
        quiet.update_value(|g| *g = g.wrapping_add(1));
        let mine = quiet.get_value();
        schedule(FADE_AFTER_MS, move || {
            if quiet.try_get_value() == Some(mine) {
                fading.try_set(true);
            }
        });
    });
    // What each cell showed before, to mark the ones a change moved. Only
    // while the table is on the screen: the mark fades in an animation, and
    // one running off the screen (a phone's inputs scrolled into view)
    // would cost frames for nothing.
    let shown_before = StoredValue::new(Vec::<String>::new());
    let in_view = StoredValue::new(true);
    let scroller = NodeRef::<leptos::html::Div>::new();
    scroller.on_load(move |element| {
        super::browser::watch_visible(&element, move |seen| in_view.set_value(seen));
    });
    // Rows and cells are built once and follow the estimate through
    // memos: a keystroke changes the text of the cells whose figures moved
    // and the marks that moved, not the table's elements.
    let rows = Memo::new(move |_| {
        estimate.with(|e| {
            let before = if in_view.get_value() {
                shown_before.get_value()
            } else {
                Vec::new()
            };
            let (rows, now) = rows_of(e, &before);
            shown_before.set_value(now);
            rows
        })
    });
    let body = view! {
        <For each=move || 0..rows.with(Vec::len) key=|i| *i let:i>
            {row_view(rows, i)}
        </For>
    };
    view! {
        <p class="caption-note" id="estimate-note">
            {move || format!("At today's peak; totals over {} include people costs. Throughput and memory are those of one API instance at the load it is planned for; instances and money count every service. ★ marks the best value of each column; the answer's rows are shaded.", years())}
            {move || estimate.with(target_note)}
        </p>
        <div
            class="table-scroll"
            tabindex="0"
            role="region"
            aria-label="Estimate per stack, scrollable"
            node_ref=scroller
        >
            <table class="estimate" class:fading=move || fading.get() aria-describedby="estimate-note">
                <caption>"Estimate per stack"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Stack"</th>
                        {header}
                        <th scope="col">"Sized by"</th>
                    </tr>
                </thead>
                <tbody>{body}</tbody>
            </table>
        </div>
        <ul class="notes ruled-out">
            {move || estimate.with(|e| {
                ruled_out(e)
                    .into_iter()
                    .map(|line| view! { <li>{line}</li> })
                    .collect_view()
            })}
        </ul>
    }
}

/// The stacks the deployment target rules out, one line per reason:
/// "FastAPI and Express are ruled out on serverless functions: ...".
fn ruled_out(e: &Estimate) -> Vec<String> {
    let mut reasons: Vec<(String, Vec<&str>)> = Vec::new();
    for s in &e.stacks {
        if let Some(why) = s.deployment.ruled_out.map(|r| r.to_string()) {
            match reasons.iter_mut().find(|(w, _)| *w == why) {
                Some((_, stacks)) => stacks.push(s.stack.label()),
                None => reasons.push((why, vec![s.stack.label()])),
            }
        }
    }
    let target = e
        .stacks
        .first()
        .map_or("", |s| s.deployment.target.in_sentence());
    reasons
        .into_iter()
        .map(|(why, stacks)| {
            let (names, verb) = match stacks.split_last() {
                Some((last, [])) => ((*last).to_string(), "is"),
                Some((last, rest)) => (format!("{} and {last}", rest.join(", ")), "are"),
                None => (String::new(), "is"),
            };
            format!("{names} {verb} ruled out on {target}: {why}")
        })
        .collect()
}

/// What the deployment target changes in the table, after its note.
fn target_note(e: &Estimate) -> String {
    use crate::model::DeployTarget;
    let target = e
        .stacks
        .first()
        .map_or(DeployTarget::Instances, |s| s.deployment.target);
    let what = match target {
        DeployTarget::Instances | DeployTarget::Kubernetes => {
            "instances include the headroom for the scale-out lag"
        }
        DeployTarget::Functions => {
            "instances are environments busy at the peak; money follows the average traffic, per request and GB-second"
        }
        DeployTarget::ServerlessContainers => {
            "money follows the average traffic: instance-seconds with a request in flight, the minimum replicas kept warm at a lower rate while idle, and a fee per request"
        }
    };
    format!(" On {}: {what}.", target.in_sentence())
}

/// One tier of a stack in words and numbers.
fn tier_rows(t: &TierEstimate, c: Currency) -> impl IntoView {
    let m = t.memory;
    view! {
        <tr>
            <th scope="row">{format!("{} ({})", t.role.label(), t.framework.label())}</th>
            <td class="num">{significant(t.peak_rps)}</td>
            <td class="num">{if t.on_gpu { "1 GPU".to_string() } else { t.processes.to_string() }}</td>
            <td class="num">{significant(t.capacity_rps)}</td>
            <td class="num">{format!("{} ({})", significant(t.max_rps), percent(t.utilisation))}</td>
            <td class="num">{whole(t.instances as f64)}</td>
            <td>{t.binding.label()}</td>
            <td class="num">
                {format!("{} of {}", memory(m.total_mib()), memory(m.available_mib))}
                <span class="parts">{m.parts()}</span>
            </td>
            <td class="num" class:warn=!t.meets_p99>{format!("{} ms", significant(t.p99_ms))}</td>
            <td class="num">{money(t.monthly.total(), c)}</td>
        </tr>
    }
}

/// The breakdown of one stack: its services, its people costs, its notes.
/// The `<details>` element stays in place while the figures change (an open
/// breakdown stays open as the user types); its summary follows every
/// change, its body is built only while it is open.
#[component]
fn StackDetails(
    /// The stack, by [`crate::model::Stack::index`].
    index: usize,
    /// The estimate as the breakdowns show it.
    estimate: ReadSignal<Estimate>,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let stack = crate::model::Stack::ALL.get(index).copied();
    let summary = move || {
        estimate.with(|e| {
            e.stacks
                .get(index)
                .map(|s| {
                    format!(
                        "{}: {} in total",
                        s.stack.label(),
                        money(s.total, e.currency)
                    )
                })
                .unwrap_or_default()
        })
    };
    let body = move || {
        if !open.get() {
            return ().into_any();
        }
        estimate.with(|e| {
            let Some(s) = e.stacks.get(index) else {
                return ().into_any();
            };
            let c = e.currency;
            let p = s.people;
            let tiers = s.tiers.iter().map(|t| tier_rows(t, c)).collect_view();
            let deployment = s
                .deployment
                .lines()
                .into_iter()
                .map(|(label, value)| view! { <dt>{label}</dt><dd>{value}</dd> })
                .collect_view();
            let notes = s
                .notes
                .iter()
                .map(|n| view! { <li>{n.clone()}</li> })
                .collect_view();
            view! {
                <div
                    class="table-scroll"
                    tabindex="0"
                    role="region"
                    aria-label=format!("{}: services at today's peak, scrollable", s.stack.label())
                >
                    <table class="tiers">
                        <caption>{format!("{}: services at today's peak", s.stack.label())}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Service"</th>
                                <th scope="col" class="num">"Peak req/s"</th>
                                <th scope="col" class="num">"Processes per instance"</th>
                                <th scope="col" class="num">"Capacity per instance (req/s)"</th>
                                <th scope="col" class="num">"Planned per instance (utilisation)"</th>
                                <th scope="col" class="num">"Instances"</th>
                                <th scope="col">"Sized by"</th>
                                <th scope="col" class="num">"Memory at the planned load, of usable"</th>
                                <th scope="col" class="num">"p99 at peak"</th>
                                <th scope="col" class="num">"Per month"</th>
                            </tr>
                        </thead>
                        <tbody>{tiers}</tbody>
                    </table>
                </div>
                <dl class="costs">
                    <dt>"Infrastructure over the horizon"</dt>
                    <dd>{money(s.infra_horizon, c)}</dd>
                    <dt>"Migration from the stack in production"</dt>
                    <dd>{money(p.migration, c)}</dd>
                    <dt>"Ramp-up for developers new to the language"</dt>
                    <dd>{money(p.skills, c)}</dd>
                    <dt>"API documentation work (the article's claim, unverified)"</dt>
                    <dd>{money(p.docs, c)}</dd>
                    <dt>"Extra integration work without Node SDKs (the article's claim, unverified)"</dt>
                    <dd>{money(p.integrations, c)}</dd>
                    <dt>"Start-up time of one API process"</dt>
                    <dd>{format!("{} ms", whole(s.startup_ms))}</dd>
                    {deployment}
                </dl>
                {(!s.notes.is_empty()).then(|| view! { <ul class="notes">{notes}</ul> })}
            }
            .into_any()
        })
    };
    stack.map(|stack| {
        view! {
            <details
                class="stack-details"
                on:toggle=move |ev: web_sys::Event| {
                    let now = ev
                        .target()
                        .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                        .is_some_and(|details| details.has_attribute("open"));
                    if now != open.get_untracked() {
                        open.set(now);
                    }
                }
            >
                <summary>
                    <span class=format!("swatch swatch-{}", index + 1) aria-hidden="true"></span>
                    {summary}
                    <span class="sub">{format!(" — {}", stack.description())}</span>
                </summary>
                {body}
            </details>
        }
    })
}

/// A box that grows with what it holds and does not shrink back while its
/// width stays the same. What arrives without the user's doing (a finished
/// run's drivers) then never pulls up what lies below it by taking fewer
/// lines; it can only push it down, once, the first time it takes more. A
/// new width, or nothing to hold, starts over.
#[component]
fn SteadyHeight(children: Children) -> impl IntoView {
    let outer = NodeRef::<leptos::html::Div>::new();
    let inner = NodeRef::<leptos::html::Div>::new();
    inner.on_load(move |content| {
        // The content's own height (it is a formatting root, so its first and
        // last margins are inside it), not the box's, which the floor holds.
        let mut width = f64::NAN;
        let mut floor = 0.0_f64;
        super::browser::watch_size(&content, move |entry| {
            let rect = entry.content_rect();
            let (w, h) = (rect.width(), rect.height());
            floor = if (w - width).abs() > 0.5 || h == 0.0 {
                width = w;
                h
            } else {
                floor.max(h)
            };
            if let Some(outer) = outer.get_untracked() {
                let _ = outer.set_attribute("style", &format!("min-height:{floor}px"));
            }
        });
    });
    view! {
        <div class="steady" node_ref=outer>
            <div class="steady-content" node_ref=inner>{children()}</div>
        </div>
    }
}

/// The recommendation: the answer, how sure it is, what it turns on, and the
/// article's 80/20 rule checked against the numbers.
#[component]
fn Recommendation() -> impl IntoView {
    let state = use_app_state();
    let section = NodeRef::<leptos::html::Section>::new();
    let shown = Shown::of(state, section);
    let words = Memo::new(move |_| {
        shown.scenario.with(|s| {
            state.monte_carlo.with(|mc| {
                state.sensitivity.with(|sens| {
                    shown
                        .estimate
                        .with(|e| recommend(s, e, mc.as_ref(), sens.as_ref()))
                })
            })
        })
    });
    // Rebuilt only when the drivers change, not with every headline.
    let drivers = Memo::new(move |_| words.with(|w| w.drivers.clone()));
    // What the other shipped set would say: the sets disagree on throughput.
    // Always a sentence, so the answer keeps its height as it changes.
    let group = Memo::new(move |_| shown.estimate.with(cheapest_group));
    let other = Memo::new(move |_| {
        let kind = state.assumptions.with(|a| a.kind);
        group.with(|mine| shown.scenario.with(|s| other_set_verdict(s, kind, mine)))
    });
    // How sure: the run for these inputs, or that it is under way. Always a
    // line of text, so the answer keeps its height while the run catches up.
    let certainty = move || match state.uncertainty.get() {
        Uncertainty::Pending => "Checking how sure this is…".to_string(),
        Uncertainty::Running(done, total) => format!(
            "Checking how sure this is: {} of {} draws…",
            whole(f64::from(done)),
            whole(f64::from(total))
        ),
        Uncertainty::Done { .. } => words.with(|w| w.certainty.clone().unwrap_or_default()),
    };
    // The drivers come from the last sweep: muted while a new one is due.
    let drivers_due = move || {
        state
            .uncertainty
            .with(|u| !matches!(u, Uncertainty::Done { .. }))
    };
    view! {
        <section class="panel recommendation" id="answer" aria-labelledby="answer-heading" node_ref=section>
            <h2 id="answer-heading">"The answer"</h2>
            <p class="headline">{move || words.with(|w| w.headline.clone())}</p>
            <p class="certainty" role="status">{certainty}</p>
            // A finished run's drivers may wrap to fewer lines than the last
            // run's: the table below stays where it is.
            <SteadyHeight>
                {move || {
                    let drivers = drivers.get();
                    (!drivers.is_empty()).then(|| view! {
                        <p class="drivers-title">"It turns on:"</p>
                        <ol class="drivers" class:due=drivers_due aria-busy=move || drivers_due().to_string()>
                            {drivers.into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}
                        </ol>
                    })
                }}
            </SteadyHeight>
            <p class="rule-check">{move || words.with(|w| w.rule_check.clone())}</p>
            <p class="note">{move || other.get()}</p>
        </section>
    }
}

/// What the article's rules of thumb say for these inputs, each with the
/// input that triggered it, and whether they agree with the cost model.
#[component]
fn RulesOfThumb() -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    let shown = Shown::of(use_app_state(), section);
    let verdict = Memo::new(move |_| {
        shown
            .scenario
            .with(|s| shown.estimate.with(|e| apply_rules(s, e)))
    });
    let items = move || {
        verdict.with(|v| {
            v.triggered
                .iter()
                .map(|t| {
                    let rule = t.rule;
                    view! {
                        <li>
                            <p class="rule-says">{rule.says}</p>
                            <p class="rule-why">
                                {format!("Triggered by: {}. Favours {}.", t.because, t.favours.label())}
                            </p>
                            <p class="rule-quote">
                                <q>{rule.quote}</q>
                                {format!(" — the article, {}", rule.place)}
                            </p>
                        </li>
                    }
                })
                .collect_view()
        })
    };
    let disagree = move || verdict.with(|v| v.agree == Some(false));
    view! {
        <section class="panel rules skippable" aria-labelledby="rules-heading" node_ref=section>
            <h2 id="rules-heading">"What the article's rules of thumb say"</h2>
            <p class="help">
                "The article's own decision rules (its five actions and its 80/20 rule), applied to these inputs. They are rules of thumb, not costs."
            </p>
            <p class="rule-summary" class:disagree=disagree>{move || verdict.with(|v| v.summary.clone())}</p>
            {move || {
                let none = verdict.with(|v| v.triggered.is_empty());
                (!none).then(|| view! { <ul class="rules-list">{items}</ul> })
            }}
        </section>
    }
}

/// The answer, the table and the per-stack breakdowns, then the article's
/// rules of thumb. Each of the three sections shows the figures in the
/// frame of a change while it is on the screen; off it, once the typing
/// stops or as it comes into view ([`Shown`]).
#[component]
pub fn ResultsPanel() -> impl IntoView {
    let section = NodeRef::<leptos::html::Section>::new();
    let shown = Shown::of(use_app_state(), section);
    view! {
        <Recommendation />
        <section class="panel" id="estimate" aria-label="Estimate per stack" node_ref=section>
            <EstimateTable estimate=shown.estimate />
            <div class="stack-breakdowns">
                {(0..crate::model::Stack::ALL.len())
                    .map(|i| view! { <StackDetails index=i estimate=shown.estimate /> })
                    .collect_view()}
            </div>
        </section>
        <RulesOfThumb />
    }
}

/// The answer in one line, in a bar that stays at the foot of a phone's
/// screen while the inputs scroll (CSS shows it below 640 px only): the
/// cheapest stack, its total, its lead and the p99 verdict, and a link to
/// the whole answer.
#[component]
pub fn SummaryBar() -> impl IntoView {
    let state = use_app_state();
    // Hidden on wide screens: it then catches up once the typing stops, like
    // any part off the screen.
    let bar = NodeRef::<leptos::html::Aside>::new();
    let shown = Shown::of(state, bar);
    let line = Memo::new(move |_| {
        shown
            .estimate
            .with(|e| Summary::of(e).line(e.years(), e.currency))
    });
    view! {
        <aside class="summary-bar" aria-label="The answer in short" node_ref=bar>
            <p class="summary-line">{move || line.get()}</p>
            <a class="summary-open" href="#answer">"See the answer"</a>
        </aside>
    }
}
