//! The charts section: one legend shared by every chart, then each chart
//! with its hover read-out, notes, downloads and table.
//!
//! Each chart's data is its own `Memo` of exactly what it needs (the
//! scenario's traffic sweep, the estimate, the Monte Carlo, the sweep of
//! drivers, and the legend's hidden stacks), so a change redraws only the
//! charts whose numbers changed. A chart in view follows every change in
//! the frame after the one that shows it (the field and the estimate are
//! not held up by the charts); one off the screen catches up once the
//! inputs have been quiet for
//! [`SETTLE_MS`], one chart per task, or as soon as it comes into view, so
//! typing into an input pays only for the charts the user can see. After
//! the page loads, the first chart is drawn with the first frame and each
//! other one off the screen in a later frame, one chart per frame. The
//! read-out shows every shown stack at the hovered position, or at the
//! user's own position while nothing is hovered. Every table is in the page
//! from the chart's first drawing on (visually hidden until asked for), so
//! screen readers have the numbers, current once the inputs settle.

use leptos::html;
use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{IntersectionObserver, IntersectionObserverEntry, IntersectionObserverInit};

use super::canvas::{download_png, download_svg, ChartCanvas};
use super::state::{after_frames, after_paint, schedule, use_app_state, Uncertainty, SETTLE_MS};
use crate::charts::{
    cheapest_chart, cost_chart, cumulative_chart, instances_chart, latency_chart, memory_chart,
    tornado_chart, traffic_sweep, AnyChart, Chart, Readout, Table, Theme,
};
use crate::model::format::whole;
use crate::model::NumField;
use crate::model::Stack;

/// Quiet time after a change before a closed (visually hidden) table of a
/// chart in view is rebuilt, ms: while a slider is dragged the tables wait,
/// the charts do not. An open table follows at once.
const TABLE_DELAY_MS: i32 = 120;

/// How far outside the viewport a chart counts as in view, so that it is
/// current by the time it is scrolled onto the screen.
const IN_VIEW_MARGIN: &str = "400px 0px";

/// Appends `text` to `out` with `&`, `<`, `>` and `"` escaped, so it is
/// shown as text in HTML content and attributes.
fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            _ => out.push(c),
        }
    }
}

/// A stack's legend swatch as inline SVG markup: its marker on a line,
/// coloured by CSS (`.stack-mark.stack-*`).
fn swatch_svg(stack: Stack) -> String {
    let d = Theme::marker(stack).svg_path(14.0, 7.0, 4.5);
    format!(
        r#"<svg class="stack-mark stack-{key}" width="28" height="14" viewBox="0 0 28 14" aria-hidden="true" focusable="false"><line x1="1" y1="7" x2="27" y2="7"></line><path d="{d}"></path></svg>"#,
        key = stack.key()
    )
}

/// A read-out as HTML: where, then one line per stack or figure.
fn readout_html(r: &Readout) -> String {
    let mut out = String::with_capacity(256 + 160 * r.rows.len());
    out.push_str(r#"<p class="readout-heading">"#);
    escape_into(&mut out, &r.heading);
    out.push_str(r#"</p><ul class="readout-rows">"#);
    for row in &r.rows {
        out.push_str("<li>");
        if let Some(stack) = row.stack {
            // A CSS-shaped marker: cheaper to parse than inline SVG.
            out.push_str(r#"<span class="mark mark-"#);
            out.push_str(stack.key());
            out.push_str(r#"" aria-hidden="true"></span>"#);
        }
        out.push_str(r#"<span class="readout-label">"#);
        escape_into(&mut out, &row.label);
        out.push_str(r#"</span> <span class="readout-value">"#);
        escape_into(&mut out, &row.value);
        out.push_str("</span></li>");
    }
    out.push_str("</ul>");
    out
}

/// A chart's numbers as an HTML table; the first cell of a row heads it.
fn table_html(t: &Table) -> String {
    let cells: usize = t.rows.iter().map(Vec::len).sum();
    let mut out = String::with_capacity(256 + 32 * cells);
    out.push_str("<table><caption>");
    escape_into(&mut out, &t.caption);
    out.push_str("</caption><thead><tr>");
    for h in &t.head {
        out.push_str(r#"<th scope="col">"#);
        escape_into(&mut out, h);
        out.push_str("</th>");
    }
    out.push_str("</tr></thead><tbody>");
    for row in &t.rows {
        out.push_str("<tr>");
        for (i, cell) in row.iter().enumerate() {
            out.push_str(if i == 0 {
                r#"<th scope="row">"#
            } else {
                r#"<td class="num">"#
            });
            escape_into(&mut out, cell);
            out.push_str(if i == 0 { "</th>" } else { "</td>" });
        }
        out.push_str("</tr>");
    }
    out.push_str("</tbody></table>");
    out
}

/// Buttons that show or hide a stack in every chart.
#[component]
fn Legend() -> impl IntoView {
    let state = use_app_state();
    view! {
        <div class="chart-legend" role="group" aria-label="Stacks shown in the charts">
            {Stack::ALL
                .into_iter()
                .map(|stack| {
                    view! {
                        <button
                            type="button"
                            class="legend-button"
                            aria-pressed=move || state.shown(stack).to_string()
                            title=format!("Show or hide {} in every chart", stack.label())
                            on:click=move |_| state.toggle(stack)
                        >
                            <span class="legend-mark" inner_html=swatch_svg(stack)></span>
                            <span>{stack.label()}</span>
                        </button>
                    }
                })
                .collect_view()}
        </div>
    }
}

/// One chart: title, downloads, canvas with guide, read-out, notes, table.
#[component]
pub(super) fn ChartCard(
    /// The chart's data.
    data: Memo<AnyChart>,
    /// Bumped whenever anything the chart is made from changes; without it
    /// the card watches `data` itself.
    #[prop(optional)]
    changed: Option<ReadSignal<u64>>,
    /// A line about work in progress (the Monte Carlo's draws), if any.
    #[prop(optional, into)]
    status: Option<Signal<Option<String>>>,
    /// The chart's place in the page, from 0: the first is drawn with the
    /// page's first frame, a later one off the screen that many frames
    /// after it.
    #[prop(optional)]
    order: u32,
) -> impl IntoView {
    let (key, title) = data.with_untracked(|d| (d.key(), d.title()));
    // What the card shows: `data` as of its last catch-up. Read untracked,
    // so a chart off the screen does not even compute its data while the
    // user types; `pull` makes it catch up.
    let pull = RwSignal::new(0u64);
    let fresh = data;
    let data = Memo::new(move |_| {
        pull.track();
        fresh.get_untracked()
    });
    let in_view = StoredValue::new(false);
    let card_ref = NodeRef::<html::Article>::new();
    let behind = StoredValue::new(false);
    let waiting = StoredValue::new(0u64);
    let catch_up = move || {
        waiting.try_update_value(|g| *g = g.wrapping_add(1));
        behind.try_set_value(false);
        pull.try_update(|n| *n = n.wrapping_add(1));
    };
    // Off the screen the browser skips the card, keeping the height it was
    // last laid out at: once caught up (its DOM changed by the next frame),
    // it is laid out for a frame, so the page's length follows what it now
    // holds (the tornado's bars, its read-out's lines).
    let catch_up_off_screen = move || {
        catch_up();
        after_paint(move || {
            if let (Some(false), Some(card)) = (in_view.try_get_value(), card_ref.get_untracked()) {
                super::lay_out_once(vec![card.into()]);
            }
        });
    };
    Effect::new(move |first: Option<()>| {
        match changed {
            Some(changed) => changed.track(),
            None => fresh.track(),
        }
        if first.is_none() {
            return;
        }
        behind.set_value(true);
        waiting.update_value(|g| *g = g.wrapping_add(1));
        let mine = waiting.get_value();
        let current = move || waiting.try_get_value() == Some(mine);
        if in_view.get_value() {
            // On the screen: right after the frame that shows the change
            // (the field, the estimate table), which the chart does not
            // hold up; it follows in the next.
            after_paint(move || {
                if current() {
                    catch_up();
                }
            });
            return;
        }
        schedule(SETTLE_MS, move || {
            if current() {
                catch_up_off_screen();
            }
        });
    });
    // The inputs settled, or the page is about to be printed (which
    // settles them at once): a chart off the screen that is behind catches
    // up now, whichever of this and its own wait comes first.
    let settled = use_app_state().settled;
    Effect::new(move |first: Option<()>| {
        settled.track();
        if first.is_some() && behind.get_value() && !in_view.get_value() {
            catch_up_off_screen();
        }
    });
    // The first chart is drawn with the page's first frame; each other one
    // when in view, or else in the `order`th frame after the first: the
    // charts off the screen do not hold up the first paint, and each later
    // frame draws one of them.
    let ready = RwSignal::new(order == 0);
    if order > 0 {
        after_frames(order.saturating_add(1), move || {
            if ready.try_get_untracked() == Some(false) {
                ready.try_set(true);
            }
        });
    }
    let watcher =
        StoredValue::new_local(None::<(IntersectionObserver, Closure<dyn FnMut(js_sys::Array)>)>);
    card_ref.on_load(move |card| {
        let on_view = Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
            let Some(entry) = entries
                .iter()
                .last()
                .and_then(|e| e.dyn_into::<IntersectionObserverEntry>().ok())
            else {
                return;
            };
            let seen = entry.is_intersecting();
            in_view.try_set_value(seen);
            if seen && ready.try_get_untracked() == Some(false) {
                ready.try_set(true);
            }
            if seen && behind.try_get_value() == Some(true) {
                catch_up();
            }
        });
        let options = IntersectionObserverInit::new();
        options.set_root_margin(IN_VIEW_MARGIN);
        let observer =
            IntersectionObserver::new_with_options(on_view.as_ref().unchecked_ref(), &options).ok();
        match observer {
            Some(observer) => {
                observer.observe(&card);
                watcher.set_value(Some((observer, on_view)));
            }
            // No observer: count every chart as in view, as before there
            // was one.
            None => in_view.set_value(true),
        }
    });
    on_cleanup(move || {
        watcher.try_with_value(|w| {
            if let Some((observer, _)) = w {
                observer.disconnect();
            }
        });
    });
    let heading_id = format!("chart-{key}-title");
    let labelled_by = heading_id.clone();
    let readout_id = format!("chart-{key}-readout");
    let described_by = readout_id.clone();
    let table_id = format!("chart-{key}-table");
    let controls = table_id.clone();
    let canvas_ref = NodeRef::<html::Canvas>::new();
    let hover = RwSignal::new(None::<usize>);
    let size = RwSignal::new(None::<(f64, f64)>);
    let focused = RwSignal::new(false);
    let open = RwSignal::new(false);
    let problem = RwSignal::new(None::<String>);

    // Until the chart is first drawn, its title is its label and it has no
    // read-out yet.
    let label = Signal::derive(move || {
        if ready.get() {
            data.with(|d| d.description())
        } else {
            title.to_string()
        }
    });
    let readout = move || {
        if !ready.get() {
            return None;
        }
        let at = hover.get();
        data.with(|d| {
            at.and_then(|i| d.readout(i))
                .or_else(|| d.home().and_then(|i| d.readout(i)))
        })
    };
    let rows_style = move || {
        data.with(|d| d.rows())
            .map(|n| format!("--rows:{n}"))
            .unwrap_or_default()
    };
    let export = move |svg: bool| {
        let outcome = match size.get_untracked() {
            Some(css) => fresh.with_untracked(|d| {
                if svg {
                    download_svg(d, css)
                } else {
                    download_png(d, css)
                }
            }),
            None => Err("The chart is not shown yet; scroll to it and try again.".to_string()),
        };
        problem.set(outcome.err());
    };
    // The table: made when the chart is first drawn, then rebuilt after a
    // quiet spell unless it is open.
    let table = RwSignal::new(None::<Table>);
    let generation = StoredValue::new(0u64);
    Effect::new(move |made: Option<bool>| {
        if !ready.get() {
            return false;
        }
        data.track();
        // The first, or open, or off the screen (then this is the
        // catch-up, after the inputs settled): at once.
        if made != Some(true) || open.get_untracked() || !in_view.get_value() {
            table.set(Some(data.with_untracked(|d| d.table())));
            return true;
        }
        generation.update_value(|g| *g = g.wrapping_add(1));
        let mine = generation.get_value();
        schedule(TABLE_DELAY_MS, move || {
            if generation.try_get_value() == Some(mine) {
                if let Some(fresh) = data.try_with_untracked(|d| d.table()) {
                    table.try_set(Some(fresh));
                }
            }
        });
        true
    });
    let toggle_table = move |_| {
        let opening = !open.get_untracked();
        if opening {
            generation.update_value(|g| *g = g.wrapping_add(1));
            let fresh = data.with_untracked(|d| d.table());
            if table.with_untracked(|t| t.as_ref() != Some(&fresh)) {
                table.set(Some(fresh));
            }
        }
        open.set(opening);
    };
    let card_class = if data.with_untracked(|d| d.rows().is_some()) {
        "chart-card rows"
    } else {
        "chart-card"
    };

    view! {
        <article
            class=card_class
            id=format!("chart-{key}")
            aria-labelledby=labelled_by
            node_ref=card_ref
        >
            <div class="chart-head">
                <h3 id=heading_id>{title}</h3>
                <div class="chart-actions" role="group" aria-label=format!("Download {}", title)>
                    <button
                        type="button"
                        class="small-button"
                        aria-label=format!("Download {} as SVG", title)
                        on:click=move |_| export(true)
                    >
                        "SVG"
                    </button>
                    <button
                        type="button"
                        class="small-button"
                        aria-label=format!("Download {} as PNG", title)
                        on:click=move |_| export(false)
                    >
                        "PNG"
                    </button>
                </div>
            </div>
            // The line keeps its place when empty, so the page does not jump
            // when a run starts or ends.
            {status
                .map(|s| {
                    view! { <p class="note chart-status">{move || s.get().unwrap_or_default()}</p> }
                })}
            <div class="chart-body" style=rows_style>
                <ChartCanvas
                    data=data
                    canvas_ref=canvas_ref
                    hover=hover
                    size=size
                    focused=focused
                    label=label
                    described_by=described_by
                    ready=ready
                />
            </div>
            <div
                class="chart-readout"
                id=readout_id
                aria-live=move || if focused.get() { "polite" } else { "off" }
                inner_html=move || readout().map(|r| readout_html(&r)).unwrap_or_default()
            >
            </div>
            {move || {
                let notes = data.with(|d| d.notes());
                (!notes.is_empty())
                    .then(|| {
                        view! {
                            <ul class="chart-notes">
                                {notes.into_iter().map(|n| view! { <li>{n}</li> }).collect_view()}
                            </ul>
                        }
                    })
            }}
            {move || problem.get().map(|text| view! { <p class="note warning" role="alert">{text}</p> })}
            <button
                type="button"
                class="link-button table-toggle"
                aria-expanded=move || open.get().to_string()
                aria-controls=controls
                on:click=toggle_table
            >
                {move || if open.get() { "Hide the numbers" } else { "Show the numbers" }}
            </button>
            <div
                id=table_id
                class=move || if open.get() { "chart-table" } else { "chart-table visually-hidden" }
                tabindex=move || open.get().then_some("0")
                inner_html=move || table.with(|t| t.as_ref().map(table_html).unwrap_or_default())
            ></div>
        </article>
    }
}

/// Every chart of the estimate, with legend, read-out, tables and export.
#[component]
pub fn ChartsPanel() -> impl IntoView {
    let state = use_app_state();
    let hidden = state.hidden;
    let sweep = Memo::new(move |_| {
        state
            .scenario
            .with(|s| state.assumptions.with(|a| traffic_sweep(s, a)))
    });
    let instances = Memo::new(move |_| {
        sweep.with(|sw| hidden.with(|h| AnyChart::Instances(instances_chart(sw, h))))
    });
    let cost =
        Memo::new(move |_| sweep.with(|sw| hidden.with(|h| AnyChart::Cost(cost_chart(sw, h)))));
    let cumulative = Memo::new(move |_| {
        state
            .estimate
            .with(|e| hidden.with(|h| AnyChart::Cumulative(cumulative_chart(e, h))))
    });
    let memory = Memo::new(move |_| {
        state
            .estimate
            .with(|e| hidden.with(|h| AnyChart::Memory(memory_chart(e, h))))
    });
    let latency = Memo::new(move |_| {
        let target = state.scenario.with(|s| s.get(NumField::P99TargetMs));
        state
            .estimate
            .with(|e| hidden.with(|h| AnyChart::Latency(latency_chart(e, target, h))))
    });
    let cheapest = Memo::new(move |_| {
        state
            .monte_carlo
            .with(|mc| hidden.with(|h| AnyChart::Cheapest(cheapest_chart(mc.as_ref(), h))))
    });
    let tornado = Memo::new(move |_| {
        let currency = state.scenario.with(|s| s.currency);
        state.sensitivity.with(|sweep| {
            state
                .assumptions
                .with(|set| AnyChart::Tornado(tornado_chart(sweep.as_ref(), set, currency)))
        })
    });

    // Everything the charts are made from: a change is passed on to every
    // card, which catches up now or later (see ChartCard).
    let (changed, set_changed) = signal(0u64);
    Effect::new(move |first: Option<()>| {
        state.scenario.track();
        state.assumptions.track();
        state.estimate.track();
        state.monte_carlo.track();
        state.sensitivity.track();
        hidden.track();
        if first.is_some() {
            set_changed.update(|n| *n = n.wrapping_add(1));
        }
    });

    let draws_status = Signal::derive(move || match state.uncertainty.get() {
        Uncertainty::Running(done, total) => Some(format!(
            "Running {} of {} draws…",
            whole(f64::from(done)),
            whole(f64::from(total))
        )),
        Uncertainty::Pending => Some(if state.monte_carlo.with(Option::is_some) {
            "Inputs changed: the draws rerun once they settle; the bars show the last run."
                .to_string()
        } else {
            "The draws start once the inputs settle…".to_string()
        }),
        Uncertainty::Done { .. } => None,
    });
    let sweep_status = Signal::derive(move || {
        (state.uncertainty.get() == Uncertainty::Pending).then(|| {
            if state.sensitivity.with(Option::is_some) {
                "Inputs changed: the sweep reruns once they settle; the bars show the last run."
                    .to_string()
            } else {
                "The sweep runs once the inputs settle…".to_string()
            }
        })
    });

    view! {
        <section class="panel charts" id="charts" aria-labelledby="charts-heading">
            <h2 id="charts-heading">"Charts"</h2>
            <p class="charts-intro">
                "Point at a chart, or focus it and use the arrow keys, to read every stack's values under it. "
                "The buttons show or hide a stack in every chart."
            </p>
            <Legend />
            <ChartCard data=instances changed=changed order=0 />
            <ChartCard data=cost changed=changed order=1 />
            <ChartCard data=cumulative changed=changed order=2 />
            <ChartCard data=memory changed=changed order=3 />
            <ChartCard data=latency changed=changed order=4 />
            <ChartCard data=cheapest changed=changed status=draws_status order=5 />
            <ChartCard data=tornado changed=changed status=sweep_status order=6 />
        </section>
    }
}
