//! Every chart drawn natively into SVG: the same drawing code the page runs
//! on a canvas, checked without a browser, over edge scenarios (no ML, a
//! hidden stack, the largest and smallest traffic, GPU inference, a model
//! too big for the instance), on a desktop and a phone-sized canvas, light
//! and dark.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use plotters::prelude::*;
use stackwise::charts::theme::hex;
use stackwise::charts::{
    cheapest_chart, cost_chart, cumulative_chart, instances_chart, latency_chart, memory_chart,
    scalability_chart, tornado_chart, traffic_sweep, Chart, Hidden, PlotFrame, Theme,
};
use stackwise::model::{
    estimate, fit_usl, monte_carlo, sensitivity, AssumptionSet, CurrentStack, Framework, LoadKind,
    MeasuredClass, MlDevice, NumField, RunFit, Scenario, Stack,
};

/// Draws `chart` into an SVG string of `size` CSS pixels at `scale`.
fn render<C: Chart>(chart: &C, theme: &Theme, size: (u32, u32)) -> (String, PlotFrame) {
    let mut svg = String::new();
    let frame;
    {
        let area = SVGBackend::with_string(&mut svg, size).into_drawing_area();
        frame = chart.draw(&area, theme).expect("drawing failed");
        area.present().unwrap();
    }
    (svg, frame)
}

/// The text of every `<text>` element, trimmed.
fn texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|chunk| {
            let body = chunk.split_once('>')?.1;
            Some(body.split_once("</text>")?.0.trim().to_string())
        })
        .collect()
}

/// Whether some text of `svg` names `stack` (as a label, a row or the
/// subject of a sentence).
fn names(svg: &str, stack: Stack) -> bool {
    let label = stack.label();
    texts(svg).iter().any(|t| {
        t == label
            || t.starts_with(&format!("{label} "))
            || t.starts_with(&format!("{label}:"))
            || t.contains(&format!(" {label} "))
    })
}

/// Every chart of one scenario, as the page builds them.
struct Charts {
    instances: stackwise::charts::InstancesChart,
    cost: stackwise::charts::CostChart,
    cumulative: stackwise::charts::CumulativeChart,
    memory: stackwise::charts::MemoryChart,
    latency: stackwise::charts::LatencyChart,
    cheapest: stackwise::charts::CheapestChart,
    tornado: stackwise::charts::TornadoChart,
}

fn charts(s: &Scenario, hidden: &Hidden) -> Charts {
    let set = AssumptionSet::published();
    let sweep = traffic_sweep(s, &set);
    let e = estimate(s, &set);
    let mc = monte_carlo(s, &set, 300, 7);
    let sens = sensitivity(s, &set);
    Charts {
        instances: instances_chart(&sweep, hidden),
        cost: cost_chart(&sweep, hidden),
        cumulative: cumulative_chart(&e, hidden),
        memory: memory_chart(&e, hidden),
        latency: latency_chart(&e, s.get(NumField::P99TargetMs), hidden),
        cheapest: cheapest_chart(Some(&mc), hidden),
        tornado: tornado_chart(Some(&sens), &set, s.currency),
    }
}

/// The themes and sizes every chart is drawn at.
fn variants() -> Vec<(Theme, (u32, u32))> {
    vec![
        (Theme::light().standalone().for_svg(), (800, 500)),
        (Theme::dark().standalone().for_svg(), (800, 500)),
        // A 360 px phone at devicePixelRatio 2: a 680 px buffer.
        (
            Theme::light().standalone().for_svg().with_scale(2.0),
            (680, 640),
        ),
        (Theme::light(), (340, 260)),
    ]
}

/// Draws one chart in every variant and checks what every drawing must
/// have. `names_stacks`: whether the chart names each shown stack.
fn check<C: Chart>(chart: &C, hidden: &Hidden, names_stacks: bool, case: &str) -> String {
    let mut first = String::new();
    for (theme, size) in variants() {
        let (svg, frame) = render(chart, &theme, size);
        let what = format!(
            "{case}: {} at {size:?} (scale {})",
            chart.key(),
            theme.scale
        );
        assert!(svg.starts_with("<svg"), "{what}: not an SVG document");
        assert!(!svg.contains("NaN"), "{what}: contains NaN");
        let infinite = |w: &str| {
            matches!(
                w.trim_start_matches(['-', '$'])
                    .trim_end_matches(['%', ',']),
                "inf" | "infinity" | "Infinity" | "∞"
            )
        };
        assert!(
            !svg.contains("\"inf") && !svg.contains("\"-inf"),
            "{what}: infinite coordinate"
        );
        assert!(
            texts(&svg)
                .iter()
                .all(|t| !t.split_whitespace().any(infinite)),
            "{what}: infinite value in a text"
        );
        assert_eq!(
            frame.marks.len(),
            chart.positions(),
            "{what}: one hover mark per position"
        );
        let (l, t, r, b) = frame.plot;
        assert!(l < r && t < b, "{what}: empty plot {:?}", frame.plot);
        for m in &frame.marks {
            let (lo, hi) = match frame.along {
                stackwise::charts::Along::X => (l, r),
                stackwise::charts::Along::Y => (t, b),
            };
            assert!(
                (lo - 1..=hi + 1).contains(m),
                "{what}: mark {m} off the plot"
            );
        }
        if theme.standalone {
            assert!(svg.contains(chart.title()), "{what}: title missing");
            if names_stacks {
                for stack in Stack::ALL {
                    let present = names(&svg, stack);
                    let shown = !hidden[stack.index()];
                    assert_eq!(
                        present,
                        shown,
                        "{what}: {} should{} appear",
                        stack.label(),
                        if shown { "" } else { " not" }
                    );
                }
            }
        }
        if first.is_empty() {
            first = svg;
        }
    }
    // Read-outs and tables hold together for every position.
    for i in 0..chart.positions() {
        let r = chart
            .readout(i)
            .unwrap_or_else(|| panic!("{case}: no read-out at {i}"));
        assert!(!r.heading.is_empty());
        for row in &r.rows {
            assert!(
                !row.value.contains("NaN") && !row.value.contains("inf "),
                "{row:?}"
            );
        }
    }
    assert!(chart.readout(chart.positions()).is_none());
    if let Some(home) = chart.home() {
        assert!(home < chart.positions(), "{case}: home {home} out of range");
    }
    let table = chart.table();
    assert!(!table.caption.is_empty());
    assert!(table.rows.iter().all(|r| r.len() == table.head.len()));
    assert!(!chart.description().contains("NaN"));
    first
}

/// Draws every chart of `s` and checks each.
fn check_all(s: &Scenario, hidden: &Hidden, case: &str) -> Charts {
    let c = charts(s, hidden);
    check(&c.instances, hidden, true, case);
    check(&c.cost, hidden, true, case);
    check(&c.cumulative, hidden, true, case);
    check(&c.memory, hidden, true, case);
    check(&c.latency, hidden, true, case);
    check(&c.cheapest, hidden, true, case);
    // The tornado names the winner and the stacks an answer flips to,
    // whatever the legend hides: it is about the decision, not a series.
    check(&c.tornado, hidden, false, case);
    c
}

const ALL_SHOWN: Hidden = [false; 5];

fn with(field: NumField, value: f64) -> Scenario {
    let mut s = Scenario::default();
    s.set(field, value).unwrap();
    s
}

#[test]
fn default_scenario_draws_every_chart_with_every_stack() {
    let c = check_all(&Scenario::default(), &ALL_SHOWN, "default");
    assert_eq!(c.instances.lines.len(), 5);
    assert_eq!(c.cheapest.bars.len(), 5);
    assert!(!c.tornado.rows.is_empty());
}

#[test]
fn zero_ml_share_has_no_model_memory() {
    let s = with(NumField::MlShare, 0.0);
    let c = check_all(&s, &ALL_SHOWN, "no ML");
    assert!(c.memory.bars.iter().all(|b| b.memory.model_mib == 0.0));
}

#[test]
fn a_hidden_stack_is_in_no_chart() {
    let mut hidden = ALL_SHOWN;
    hidden[Stack::Express.index()] = true;
    let c = check_all(&Scenario::default(), &hidden, "Express hidden");
    assert!(c.instances.lines.iter().all(|l| l.stack != Stack::Express));
    assert!(c.cheapest.bars.iter().all(|(s, _)| *s != Stack::Express));
    let r = c.cost.readout(c.cost.home().unwrap()).unwrap();
    assert!(r.rows.iter().all(|row| row.label != "Express"));
}

#[test]
fn every_stack_hidden_still_draws_axes_and_says_why() {
    let hidden = [true; 5];
    let c = charts(&Scenario::default(), &hidden);
    let (svg, _) = render(&c.instances, &Theme::light(), (600, 400));
    assert!(svg.contains("Every stack is hidden"));
    let (svg, _) = render(&c.memory, &Theme::light(), (600, 400));
    assert!(svg.contains("Every stack is hidden"));
    check_all(&Scenario::default(), &hidden, "all hidden");
}

#[test]
fn huge_traffic_draws() {
    let s = with(NumField::AvgRps, 2_000_000.0);
    let c = check_all(&s, &ALL_SHOWN, "2M req/s");
    assert_eq!(c.instances.traffic.last(), Some(&2_000_000.0));
}

#[test]
fn minimum_traffic_draws() {
    let s = with(NumField::AvgRps, 0.1);
    let c = check_all(&s, &ALL_SHOWN, "0.1 req/s");
    assert_eq!(c.instances.traffic.first(), Some(&0.1));
}

#[test]
fn gpu_inference_shows_the_gpu_tiers() {
    let mut s = with(NumField::MlShare, 10.0);
    s.ml_device = MlDevice::Gpu;
    let c = check_all(&s, &ALL_SHOWN, "GPU");
    let (svg, _) = render(&c.memory, &Theme::light(), (800, 700));
    assert!(
        svg.contains("GPU inference"),
        "no GPU tier on the memory chart"
    );
}

#[test]
fn a_model_too_big_to_fit_is_said_so() {
    let mut s = with(NumField::MlShare, 20.0);
    s.set(NumField::ModelMib, 8_000.0).unwrap();
    let c = check_all(&s, &ALL_SHOWN, "model too big");
    assert!(c.memory.bars.iter().any(|b| !b.memory.fits()));
    let (svg, _) = render(&c.memory, &Theme::light(), (900, 600));
    assert!(svg.contains("does not fit"));
}

#[test]
fn a_break_even_is_labelled_where_lines_cross() {
    // Running FastAPI today at heavy traffic: the Node stacks cost a
    // migration up front and less every month, so they pass FastAPI within
    // the horizon; the first to pass is labelled 1.
    let mut s = with(NumField::AvgRps, 50_000.0);
    s.current = CurrentStack::Running(Stack::FastApi);
    let c = charts(&s, &ALL_SHOWN);
    assert!(
        !c.cumulative.break_evens.is_empty(),
        "no crossing: {:?}",
        c.cumulative
            .lines
            .iter()
            .map(|l| (l.stack, l.y[0], l.y.last()))
            .collect::<Vec<_>>()
    );
    let (svg, _) = render(&c.cumulative, &Theme::light(), (900, 500));
    assert!(
        texts(&svg)
            .iter()
            .any(|t| t.starts_with("1: ") && t.contains(" passes FastAPI at month")),
        "no break-even label for the winner: {:?}",
        c.cumulative.notes()
    );
    assert!(c.cumulative.notes().iter().any(|n| n.contains("at month")));
}

#[test]
fn each_stack_keeps_its_colour_in_every_chart() {
    let c = charts(&Scenario::default(), &ALL_SHOWN);
    for theme in [Theme::light(), Theme::dark()] {
        let svgs = [
            render(&c.instances, &theme, (800, 500)).0,
            render(&c.cost, &theme, (800, 500)).0,
            render(&c.cumulative, &theme, (800, 500)).0,
            render(&c.memory, &theme, (800, 500)).0,
            render(&c.latency, &theme, (800, 500)).0,
            render(&c.cheapest, &theme, (800, 500)).0,
        ];
        for stack in Stack::ALL {
            let colour = hex(theme.stack_color(stack)).to_ascii_uppercase();
            for svg in &svgs {
                assert!(
                    svg.to_ascii_uppercase().contains(&colour),
                    "{stack:?} colour {colour} missing"
                );
            }
        }
    }
}

#[test]
fn the_legend_css_matches_the_chart_colours() {
    // The HTML legend takes its colours from style/charts.css.
    let css = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/style/charts.css"))
        .unwrap()
        .to_ascii_lowercase();
    for (theme, block) in [(Theme::light(), ":root {"), (Theme::dark(), "--dark-start")] {
        let at = css
            .find(block)
            .unwrap_or_else(|| panic!("{block} not in charts.css"));
        let section = &css[at..];
        for stack in Stack::ALL {
            let line = format!(
                "--stack-{}: {};",
                stack.key(),
                hex(theme.stack_color(stack))
            );
            assert!(
                section.contains(&line),
                "charts.css lacks {line} after {block}"
            );
        }
    }
}

#[test]
fn hover_marks_follow_the_data() {
    let c = charts(&Scenario::default(), &ALL_SHOWN);
    let (_, frame) = render(&c.instances, &Theme::light(), (800, 500));
    assert!(
        frame.marks.windows(2).all(|w| w[0] <= w[1]),
        "x marks increase"
    );
    let home = c.instances.home().unwrap();
    let x = f64::from(frame.marks[home]);
    let y = f64::from(frame.plot.1 + frame.plot.3) / 2.0;
    assert_eq!(frame.nearest(x, y), Some(home));
    let (_, frame) = render(&c.memory, &Theme::light(), (800, 500));
    assert!(frame.marks.windows(2).all(|w| w[0] < w[1]), "rows go down");
}

/// Runs of Express's JSON endpoint at `points`, fitted as the page fits
/// them.
fn runs(points: &[(f64, f64)], load_kind: LoadKind) -> RunFit {
    RunFit {
        framework: Framework::Express,
        class: MeasuredClass::Json,
        endpoint: "json".into(),
        load_kind,
        points: points.to_vec(),
        fit: fit_usl(points),
    }
}

/// R's `usl` data set `specsdm91` (users, scripts per hour).
const SPECSDM91: [(f64, f64); 7] = [
    (1.0, 64.9),
    (18.0, 995.9),
    (36.0, 1652.4),
    (72.0, 1853.2),
    (108.0, 1828.9),
    (144.0, 1775.0),
    (216.0, 1702.2),
];

#[test]
fn the_scalability_chart_draws_runs_the_fit_and_its_peak() {
    let c = scalability_chart(&runs(&SPECSDM91, LoadKind::Users));
    let svg = check(&c, &ALL_SHOWN, false, "specsdm91");
    let words = texts(&svg);
    assert!(words.iter().any(|t| t == "peak 96.5 users"), "{words:?}");
    assert!(
        words.iter().any(|t| t.starts_with("σ 0.0277, κ 0.000104")),
        "{words:?}"
    );
    assert!(words.iter().any(|t| t == "Concurrent users"), "{words:?}");
    // Every run is drawn in the framework's colour's marker, on the curve
    // in its own colour.
    let colour = hex(Theme::light().stack_color(Stack::Express)).to_ascii_uppercase();
    let (plain, _) = render(&c, &Theme::light(), (800, 500));
    assert!(plain.to_ascii_uppercase().contains(&colour));
    // Workers, a peak within the runs (R's small example, scaled).
    let small = [
        (1.0, 1000.0),
        (2.0, 1886.8),
        (4.0, 3076.9),
        (6.0, 3529.4),
        (8.0, 3539.8),
        (10.0, 3355.7),
    ];
    let c = scalability_chart(&runs(&small, LoadKind::Workers));
    let svg = check(&c, &ALL_SHOWN, false, "small example");
    assert!(texts(&svg).iter().any(|t| t == "peak 7 workers"));
    assert!(texts(&svg)
        .iter()
        .any(|t| t == "Worker processes (or cores)"));
}

#[test]
fn runs_that_cannot_be_fitted_are_drawn_with_the_reason() {
    let c = scalability_chart(&runs(&[(1.0, 900.0), (2.0, 1750.0)], LoadKind::Workers));
    let svg = check(&c, &ALL_SHOWN, false, "two loads");
    assert!(
        svg.contains("a fit needs runs at 3 or more different loads"),
        "{:?}",
        texts(&svg)
    );
    // Flat runs fit with everything contention, and no peak.
    let flat: Vec<(f64, f64)> = (1..=5).map(|n| (f64::from(n), 500.0)).collect();
    let c = scalability_chart(&runs(&flat, LoadKind::Workers));
    check(&c, &ALL_SHOWN, false, "flat");
    assert!(c.notes()[0].starts_with("No peak"), "{:?}", c.notes());
    // Nothing imported.
    check(
        &stackwise::charts::scalability::ScalabilityChart::empty(),
        &ALL_SHOWN,
        false,
        "empty",
    );
}

#[test]
#[ignore = "writes SVG files for a person to look at"]
fn dump_svgs() {
    let dir = std::env::var("CHART_DUMP").unwrap_or_else(|_| "target/chart-svg".to_string());
    std::fs::create_dir_all(&dir).unwrap();
    let mut s = with(NumField::AvgRps, 50_000.0);
    s.current = CurrentStack::Running(Stack::Express);
    s.set(NumField::MlShare, 10.0).unwrap();
    let c = charts(&s, &ALL_SHOWN);
    let t = Theme::light().standalone().for_svg();
    let put = |name: &str, svg: String| std::fs::write(format!("{dir}/{name}.svg"), svg).unwrap();
    put("instances", render(&c.instances, &t, (800, 500)).0);
    put("cost", render(&c.cost, &t, (800, 500)).0);
    put("cumulative", render(&c.cumulative, &t, (800, 500)).0);
    put("memory", render(&c.memory, &t, (800, 500)).0);
    put("latency", render(&c.latency, &t, (800, 500)).0);
    put("cheapest", render(&c.cheapest, &t, (800, 400)).0);
    put("tornado", render(&c.tornado, &t, (800, 500)).0);
    let usl = scalability_chart(&runs(&SPECSDM91, LoadKind::Users));
    put("scalability", render(&usl, &t, (800, 500)).0);
}
