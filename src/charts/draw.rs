//! Laying out chart data as a scene, for any plotters backend.
//!
//! Each chart is one `*_scene` function that builds the chart once as a
//! [`scene`](super::scene) of primitives in pixels (plain code, compiled
//! once); [`Chart::draw`](super::Chart::draw) replays it on the backend: the
//! canvas and the SVG export share every line of layout, and the canvas
//! gets few, large primitives and no text measurement. The functions take
//! finished chart data and a [`Theme`]; they never call the model, never
//! panic on odd data (empty series, one point, zeros, NaN) and come with a
//! [`PlotFrame`] that maps the pointer back to the data.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::data::{
    BreakEven, CheapestChart, CostChart, CumulativeChart, InstancesChart, LatencyChart,
    MemoryChart, StackLine, TornadoChart,
};
use super::frame::{Along, PlotFrame};
use super::scene::{
    fit, plot_frame, text_width, Axis, AxisText, Margins, Painter, Plot, Scene, LABEL_PX, TICK_PX,
};
use super::theme::Theme;
use crate::model::format::{money_short, percent, whole};
use crate::model::Stack;

/// Axis description under the x axis of traffic charts.
pub const TRAFFIC_AXIS: &str = "Average requests/s (log scale)";
/// Shown on a chart whose every stack is hidden.
pub const ALL_HIDDEN: &str = "Every stack is hidden: choose one in the legend.";

/// Title size, CSS pixels.
const TITLE_PX: f64 = 15.0;
/// Below this CSS width a chart uses fewer ticks and shorter words.
const NARROW_CSS_PX: f64 = 480.0;

/// `value` in a short human form: 950, 1.5k, 20k, 3M.
///
/// Non-finite values print as an empty string (an axis label is then blank
/// rather than "NaN").
pub fn short_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    let text = if scaled.fract().abs() < 1e-9 || scaled.abs() >= 100.0 {
        format!("{scaled:.0}{suffix}")
    } else if scaled.abs() >= 1.0 {
        format!("{scaled:.1}{suffix}")
    } else {
        format!("{scaled:.2}{suffix}")
    };
    // Float dust below zero prints as "-0" or "-0.00": no sign on a zero.
    match text.strip_prefix('-') {
        Some(rest) if rest.bytes().all(|b| b == b'0' || b == b'.') => rest.to_string(),
        _ => text,
    }
}

/// Tick values for a log axis from `lo` to `hi`: 1-2-5, 1-3 or 1 per
/// decade, the richest that gives at most `max` ticks; with more decades
/// than `max`, every second (third...) decade. Empty for a range that is not
/// finite and positive.
pub fn log_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo) || max == 0 {
        return Vec::new();
    }
    let first = lo.log10().floor() as i32;
    let last = hi.log10().ceil() as i32;
    let in_range = |v: &f64| *v >= lo * (1.0 - 1e-9) && *v <= hi * (1.0 + 1e-9);
    for steps in [&[1.0, 2.0, 5.0][..], &[1.0, 3.0][..], &[1.0][..]] {
        let ticks: Vec<f64> = (first..=last)
            .flat_map(|e| steps.iter().map(move |m| m * 10f64.powi(e)))
            .filter(in_range)
            .collect();
        if ticks.len() <= max && ticks.len() >= 2 {
            return ticks;
        }
        if ticks.len() > max && steps.len() == 1 {
            let every = ticks.len().div_ceil(max);
            return ticks.into_iter().step_by(every.max(1)).collect();
        }
    }
    // Less than one step of 1-2-5 inside the range: both ends will do.
    vec![lo, hi]
}

/// Tick values for a linear axis: multiples of a 1-2-2.5-5 step, the finest
/// step that gives at most `max` of them. Empty for a range that is not
/// finite and increasing.
pub fn linear_ticks(lo: f64, hi: f64, max: usize) -> Vec<f64> {
    if !(lo.is_finite() && hi.is_finite() && hi > lo) || max < 2 {
        return Vec::new();
    }
    let multiples = |step: f64| {
        let start = (lo / step).ceil() as i64;
        let end = (hi / step).floor() as i64;
        (start..=end).map(move |k| k as f64 * step)
    };
    let rough = (hi - lo) / max as f64;
    let magnitude = 10f64.powi(rough.log10().floor() as i32);
    for scale in [1.0, 10.0, 100.0] {
        for m in [1.0, 2.0, 2.5, 5.0] {
            let step = m * magnitude * scale;
            if multiples(step).count() <= max {
                return multiples(step).collect();
            }
        }
    }
    vec![lo, hi]
}

/// Ticks for a count of months: every 1, 2, 3, 6, 12, 24... months.
fn month_ticks(months: f64, max: usize) -> Vec<f64> {
    let step = [1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0]
        .into_iter()
        .find(|s| months / s <= max.saturating_sub(1) as f64)
        .unwrap_or(120.0);
    let count = (months / step).floor() as i64;
    (0..=count).map(|k| k as f64 * step).collect()
}

/// How many ticks fit along `css_len` CSS pixels, one per `spacing`.
fn tick_budget(css_len: f64, spacing: f64) -> usize {
    ((css_len / spacing).floor() as usize).clamp(3, 9)
}

/// `(x, y)` runs of a line inside `y_lo..=y_hi`: values below are raised to
/// the floor; where the line leaves through the top it is cut where it
/// crosses (interpolated in log space on a log axis) and resumes where it
/// comes back. Non-finite points end a run.
fn clip_runs(xs: &[f64], ys: &[f64], y_lo: f64, y_hi: f64, y_log: bool) -> Vec<Vec<(f64, f64)>> {
    let scale = |v: f64| {
        if y_log {
            v.max(f64::MIN_POSITIVE).ln()
        } else {
            v
        }
    };
    let crossing = |(px, py): (f64, f64), (x, y): (f64, f64), fallback: f64| {
        let t = (scale(y_hi) - scale(py)) / (scale(y) - scale(py));
        let t = if t.is_finite() {
            t.clamp(0.0, 1.0)
        } else {
            fallback
        };
        (px + (x - px) * t, y_hi)
    };
    let mut runs: Vec<Vec<(f64, f64)>> = Vec::new();
    let mut current: Vec<(f64, f64)> = Vec::new();
    let mut prev: Option<(f64, f64)> = None;
    for (&x, &y) in xs.iter().zip(ys) {
        if !x.is_finite() || y.is_nan() {
            if current.len() > 1 {
                runs.push(std::mem::take(&mut current));
            }
            current.clear();
            prev = None;
            continue;
        }
        let y = y.max(y_lo);
        let inside = y <= y_hi;
        match (prev, inside) {
            (Some(p), true) if p.1 > y_hi => {
                current.push(crossing(p, (x, y), 0.0));
                current.push((x, y));
            }
            (_, true) => current.push((x, y)),
            (Some(p), false) if p.1 <= y_hi => {
                current.push(crossing(p, (x, y), 1.0));
                runs.push(std::mem::take(&mut current));
            }
            (_, false) => {}
        }
        prev = Some((x, if y.is_finite() { y } else { f64::INFINITY }));
    }
    if current.len() > 1 {
        runs.push(current);
    }
    runs
}

/// A rectangle in backend pixels: left, top, right, bottom.
type Rect = (i32, i32, i32, i32);

/// Fills the background and, for a file of its own, draws the title at the
/// top and a legend of `legend` at the bottom. Returns the rectangle left
/// for the chart.
fn page(p: &mut Painter<'_>, title: &str, legend: &[Stack]) -> Rect {
    let theme = p.theme;
    p.block((0, 0), (p.width, p.height), theme.background.to_rgba());
    if !theme.standalone {
        return (0, 0, p.width, p.height);
    }
    let width = p.css_width();
    p.bold(
        fit(title, width - 16.0, TITLE_PX),
        (p.o(8.0), p.o(8.0)),
        TITLE_PX,
        theme.foreground,
    );
    // Legend rows: line, marker and name per stack, wrapped to the width.
    let row_h = 20.0;
    let mut rows: Vec<Vec<(Stack, f64)>> = vec![Vec::new()];
    let mut x = 8.0;
    for stack in legend {
        let w = 18.0 + text_width(stack.label(), LABEL_PX) + 14.0;
        if x + w > width - 8.0 && x > 8.0 {
            rows.push(Vec::new());
            x = 8.0;
        }
        if let Some(row) = rows.last_mut() {
            row.push((*stack, x));
        }
        x += w;
    }
    let legend_h = if legend.is_empty() {
        0.0
    } else {
        rows.len() as f64 * row_h + 6.0
    };
    let bottom = p.height - p.o(legend_h);
    for (r, row) in rows.iter().enumerate() {
        let y = bottom + p.o(r as f64 * row_h + row_h / 2.0);
        for (stack, x) in row {
            let color = theme.stack_color(*stack);
            p.line(vec![(p.o(*x), y), (p.o(x + 14.0), y)], color.to_rgba(), 2.0);
            p.mark(
                (p.o(x + 7.0), y),
                Theme::marker(*stack),
                f64::from(theme.px(4.0)),
                color.to_rgba(),
                None,
            );
            p.text(
                stack.label(),
                (p.o(x + 18.0), y),
                LABEL_PX,
                theme.foreground,
                (HPos::Left, VPos::Center),
            );
        }
    }
    (0, p.o(30.0), p.width, bottom)
}

/// Writes `note` in the middle of the plot (an empty or waiting chart).
fn centre_note(p: &mut Painter<'_>, plot: &Plot, note: &str) {
    let width = f64::from(plot.right - plot.left) / p.theme.ratio();
    p.text(
        fit(note, width - 16.0, LABEL_PX),
        ((plot.left + plot.right) / 2, (plot.top + plot.bottom) / 2),
        LABEL_PX,
        p.theme.muted,
        (HPos::Center, VPos::Center),
    );
}

/// The y axis title, above the plot's top-left corner.
fn y_caption(p: &mut Painter<'_>, rect: Rect, caption: &str) {
    let width = p.css_width();
    p.text(
        fit(caption, width - 16.0, LABEL_PX),
        (rect.0 + p.o(8.0), rect.1 + p.o(4.0)),
        LABEL_PX,
        p.theme.muted,
        (HPos::Left, VPos::Top),
    );
}

/// Band, line and markers of every series. Markers sit on every
/// `xs.len() / 5`th point, shifted per stack so they do not pile up where
/// lines overlap.
fn series(p: &mut Painter<'_>, plot: &Plot, xs: &[f64], lines: &[StackLine]) {
    let theme = p.theme;
    let (y_lo, y_hi) = (plot.y.lo, plot.y.hi);
    let clamp = |v: f64| {
        if v.is_finite() {
            v.clamp(y_lo, y_hi)
        } else {
            y_hi
        }
    };
    for line in lines
        .iter()
        .filter(|l| l.band.len() == xs.len() && !xs.is_empty())
    {
        let mut outline: Vec<(i32, i32)> = xs
            .iter()
            .zip(&line.band)
            .map(|(&x, &(lo, _))| plot.at(x, clamp(lo)))
            .collect();
        outline.extend(
            xs.iter()
                .zip(&line.band)
                .rev()
                .map(|(&x, &(_, hi))| plot.at(x, clamp(hi))),
        );
        let alpha = if theme.dark { 0.13 } else { 0.09 };
        p.fill(outline, theme.stack_color(line.stack).mix(alpha));
    }
    let every = (xs.len() / 5).max(1);
    for line in lines {
        let color = theme.stack_color(line.stack).to_rgba();
        for run in clip_runs(xs, &line.y, y_lo, y_hi, plot.y.log) {
            let points = run.into_iter().map(|(x, y)| plot.at(x, y)).collect();
            p.line(points, color, 2.0);
        }
        let shift = line.stack.index() * every / 5;
        for (i, (&x, &y)) in xs.iter().zip(&line.y).enumerate() {
            if !(i + shift).is_multiple_of(every) || !y.is_finite() || !x.is_finite() || y > y_hi {
                continue;
            }
            p.mark(
                plot.at(x, y.max(y_lo)),
                Theme::marker(line.stack),
                f64::from(theme.px(4.0)),
                color,
                Some(theme.background),
            );
        }
    }
}

/// The frame of a line chart: one mark per x.
fn x_frame(plot: &Plot, xs: &[f64], theme: &Theme) -> PlotFrame {
    PlotFrame {
        scale: theme.ratio(),
        plot: (plot.left, plot.top, plot.right, plot.bottom),
        marks: xs.iter().map(|x| plot.px(*x)).collect(),
        along: Along::X,
        half_row: 0,
    }
}

/// A labelled vertical reference line at `x` (the user's traffic).
fn vertical_rule(p: &mut Painter<'_>, plot: &Plot, x: f64, label: &str) {
    if !plot.x.contains(x) {
        return;
    }
    let theme = p.theme;
    let px = plot.px(x);
    p.line(
        vec![(px, plot.top), (px, plot.bottom)],
        theme.foreground.to_rgba(),
        1.0,
    );
    let right_half = f64::from(px - plot.left) > f64::from(plot.right - plot.left) * 0.6;
    let (h, dx) = if right_half {
        (HPos::Right, -p.o(4.0))
    } else {
        (HPos::Left, p.o(4.0))
    };
    p.text(
        label,
        (px + dx, plot.top + p.o(2.0)),
        TICK_PX,
        theme.foreground,
        (h, VPos::Top),
    );
}

/// A labelled horizontal reference line at `y` (the p99 target).
fn horizontal_rule(p: &mut Painter<'_>, plot: &Plot, y: f64, label: &str) {
    if !plot.y.contains(y) {
        return;
    }
    let theme = p.theme;
    let py = plot.py(y);
    p.line(
        vec![(plot.left, py), (plot.right, py)],
        theme.foreground.to_rgba(),
        1.5,
    );
    p.text(
        label,
        (plot.left + p.o(4.0), py - p.o(3.0)),
        TICK_PX,
        theme.foreground,
        (HPos::Left, VPos::Bottom),
    );
}

/// Smallest and largest finite values of `values` above `floor`.
fn extent(values: impl Iterator<Item = f64>, floor: f64) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite() && *v > floor)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Every value of a set of lines, bands included.
fn line_values(lines: &[StackLine]) -> impl Iterator<Item = f64> + '_ {
    lines.iter().flat_map(|l| {
        l.y.iter()
            .copied()
            .chain(l.band.iter().flat_map(|(a, b)| [*a, *b]))
    })
}

/// The stacks drawn, for a standalone legend.
fn stacks_of(lines: &[StackLine]) -> Vec<Stack> {
    lines.iter().map(|l| l.stack).collect()
}

/// Margins of a line chart, CSS pixels: room for the y caption above and
/// the tick labels left and below.
fn line_margins(narrow: bool, wide_labels: bool) -> Margins {
    let left = match (narrow, wide_labels) {
        (true, false) => 44.0,
        (false, false) => 52.0,
        (true, true) => 50.0,
        (false, true) => 58.0,
    };
    Margins {
        top: 24.0,
        right: 16.0,
        bottom: 40.0,
        left,
    }
}

/// Parts of a traffic chart that differ between instances and cost.
struct TrafficSpec<'a> {
    title: &'a str,
    y_caption: &'a str,
    traffic: &'a [f64],
    current: f64,
    lines: &'a [StackLine],
    y_fmt: &'a dyn Fn(f64) -> String,
    /// The lowest value the y axis must show (1 instance), if any.
    y_floor: Option<f64>,
}

/// A log-log chart of lines against traffic, with bands and a line at the
/// user's traffic.
fn traffic_scene(theme: &Theme, size: (u32, u32), spec: &TrafficSpec<'_>) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, spec.title, &stacks_of(spec.lines));
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let (x_lo, x_hi) = match (spec.traffic.first(), spec.traffic.last()) {
        (Some(&a), Some(&b)) if a > 0.0 && b > a => (a, b),
        _ => super::data::traffic_window(spec.current),
    };
    let (y_lo, y_hi) = match extent(line_values(spec.lines), 0.0) {
        Some((lo, hi)) => {
            let lo = spec.y_floor.map_or(lo * 0.7, |f| f.min(lo) * 0.8);
            (lo, (hi * 1.5).max(lo * 10.0))
        }
        None => (spec.y_floor.unwrap_or(1.0) * 0.8, 10.0),
    };
    y_caption(&mut p, rect, spec.y_caption);
    let x = Axis::log(x_lo, x_hi, log_ticks(x_lo, x_hi, tick_budget(width, 70.0)));
    let y = Axis::log(
        y_lo,
        y_hi,
        log_ticks(y_lo, y_hi, if narrow { 5 } else { 7 }),
    );
    let x_fmt = |v: f64| short_number(v);
    let plot = plot_frame(
        &mut p,
        rect,
        &line_margins(narrow, false),
        x,
        y,
        &AxisText {
            x_desc: TRAFFIC_AXIS,
            x_fmt: &x_fmt,
            y_fmt: Some(spec.y_fmt),
        },
    );
    if spec.lines.is_empty() {
        centre_note(&mut p, &plot, ALL_HIDDEN);
    }
    series(&mut p, &plot, spec.traffic, spec.lines);
    vertical_rule(
        &mut p,
        &plot,
        spec.current,
        &format!("Your traffic: {} req/s", short_number(spec.current)),
    );
    p.finish(x_frame(&plot, spec.traffic, theme))
}

/// Chart 1: instances needed against average traffic, one line per stack
/// with its low-high band, on log-log axes, with a line at the user's
/// traffic.
///
/// Instance counts below 1 are drawn at the axis floor. An empty chart (no
/// series or no points) still draws its axes and says why it is empty.
///
/// Laid out on `size` backend pixels.
pub fn instances_scene(data: &InstancesChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let y_fmt = |v: f64| short_number(v);
    traffic_scene(
        theme,
        size,
        &TrafficSpec {
            title: super::INSTANCES_TITLE,
            y_caption: "Instances, every tier (log scale)",
            traffic: &data.traffic,
            current: data.current_traffic,
            lines: &data.lines,
            y_fmt: &y_fmt,
            y_floor: Some(1.0),
        },
    )
}

/// Chart 2: money per month against average traffic, same axes and
/// marker as the instances chart.
///
/// Laid out on `size` backend pixels.
pub fn cost_scene(data: &CostChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let currency = data.currency;
    let y_fmt = move |v: f64| money_short(v, currency);
    let caption = format!("{} per month (log scale)", currency.code());
    traffic_scene(
        theme,
        size,
        &TrafficSpec {
            title: super::COST_TITLE,
            y_caption: &caption,
            traffic: &data.traffic,
            current: data.current_traffic,
            lines: &data.lines,
            y_fmt: &y_fmt,
            y_floor: None,
        },
    )
}

/// How much a break-even matters for the chart's words: the stack cheapest
/// at the end passing the one cheapest today (a migration paying off)
/// first, then either of them, then the rest.
fn break_even_rank(b: &BreakEven, winner: Option<Stack>, today: Option<Stack>) -> u8 {
    let involves = |s: Option<Stack>| s == Some(b.cheaper) || s == Some(b.dearer);
    match (involves(winner), involves(today)) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    }
}

/// The stack whose line is lowest where `pick` reads it.
fn lowest(lines: &[StackLine], pick: fn(&StackLine) -> Option<f64>) -> Option<Stack> {
    lines
        .iter()
        .filter_map(|l| pick(l).map(|v| (l.stack, v)))
        .fold(None, |best: Option<(Stack, f64)>, (s, v)| match best {
            Some((_, b)) if b <= v => best,
            _ => Some((s, v)),
        })
        .map(|(s, _)| s)
}

/// Chart 3: cumulative cost month by month over the horizon, one line per
/// stack starting at its one-off (migration) cost, with every crossing
/// ringed and the two that matter most numbered and in words above the
/// plot ("1: Fastify passes Express at month 14").
///
/// Laid out on `size` backend pixels.
pub fn cumulative_scene(data: &CumulativeChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, super::CUMULATIVE_TITLE, &stacks_of(&data.lines));
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let months = f64::from(data.months.max(1));
    let (lo, hi) = extent(line_values(&data.lines), f64::NEG_INFINITY).unwrap_or((0.0, 1.0));
    let y_lo = lo.min(0.0);
    let y_hi = if hi > y_lo {
        hi + (hi - y_lo) * 0.08
    } else {
        y_lo + 1.0
    };
    let currency = data.currency;
    y_caption(
        &mut p,
        rect,
        &format!("Cumulative cost, {}", currency.code()),
    );
    let x = Axis::linear(0.0, months, month_ticks(months, tick_budget(width, 60.0)));
    let y = Axis::linear(
        y_lo,
        y_hi,
        linear_ticks(y_lo, y_hi, if narrow { 5 } else { 7 }),
    );
    // Break-evens, the two that matter most first: numbered at their ring,
    // in words in a band above the plot (never over a line).
    let winner = lowest(&data.lines, |l| l.y.last().copied());
    let today = lowest(&data.lines, |l| l.y.first().copied());
    let mut shown: Vec<&BreakEven> = Vec::new();
    for rank in 0..4 {
        shown.extend(
            data.break_evens
                .iter()
                .filter(|b| b.at.is_finite() && b.value.is_finite())
                .filter(|b| break_even_rank(b, winner, today) == rank),
        );
    }
    let worded = shown.len().min(2);
    for (n, b) in shown.iter().take(worded).enumerate() {
        p.text(
            fit(
                &format!("{}: {}", n + 1, b.sentence()),
                width - 16.0,
                TICK_PX,
            ),
            (rect.0 + p.o(8.0), rect.1 + p.o(20.0 + 15.0 * n as f64)),
            TICK_PX,
            theme.foreground,
            (HPos::Left, VPos::Top),
        );
    }
    let mut margins = line_margins(narrow, true);
    margins.top += 15.0 * worded as f64;
    let x_fmt = |v: f64| whole(v);
    let y_fmt = move |v: f64| money_short(v, currency);
    let plot = plot_frame(
        &mut p,
        rect,
        &margins,
        x,
        y,
        &AxisText {
            x_desc: "Months from today",
            x_fmt: &x_fmt,
            y_fmt: Some(&y_fmt),
        },
    );
    if data.lines.is_empty() {
        centre_note(&mut p, &plot, ALL_HIDDEN);
    }
    let xs: Vec<f64> = (0..=data.months).map(f64::from).collect();
    series(&mut p, &plot, &xs, &data.lines);
    for (n, b) in shown.iter().enumerate() {
        let at = plot.at(b.at, b.value);
        p.ring(at, theme.px(5.0), theme.foreground.to_rgba(), 1.5);
        if n < worded {
            p.text(
                (n + 1).to_string(),
                (at.0, at.1 - p.o(7.0)),
                TICK_PX,
                theme.foreground,
                (HPos::Center, VPos::Bottom),
            );
        }
    }
    p.finish(x_frame(&plot, &xs, theme))
}

/// Chart 5: p99 latency of each stack's API tier as the load on one
/// instance rises towards its capacity (log y), with the target as a
/// horizontal line and each stack's load today ringed.
///
/// Laid out on `size` backend pixels.
pub fn latency_scene(data: &LatencyChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, super::LATENCY_TITLE, &stacks_of(&data.lines));
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let target = if data.target_ms.is_finite() && data.target_ms > 0.0 {
        data.target_ms
    } else {
        1.0
    };
    let idle = || {
        data.lines
            .iter()
            .filter_map(|l| l.y.first().copied())
            .filter(|v| v.is_finite() && *v > 0.0)
    };
    let floor = idle().fold(target, f64::min);
    let idle_max = idle().fold(target, f64::max);
    let y_lo = floor * 0.5;
    let y_hi = (target * 3.0).max(idle_max * 4.0).max(y_lo * 10.0);
    y_caption(&mut p, rect, "p99 response, ms (log scale)");
    let x = Axis::linear(
        0.0,
        100.0,
        linear_ticks(0.0, 100.0, tick_budget(width, 60.0)),
    );
    let y = Axis::log(
        y_lo,
        y_hi,
        log_ticks(y_lo, y_hi, if narrow { 5 } else { 7 }),
    );
    let x_fmt = |v: f64| format!("{}%", whole(v));
    let y_fmt = |v: f64| short_number(v);
    let plot = plot_frame(
        &mut p,
        rect,
        &line_margins(narrow, false),
        x,
        y,
        &AxisText {
            x_desc: if narrow {
                "Load on one API instance, % of capacity"
            } else {
                "Load on one API instance, % of its capacity"
            },
            x_fmt: &x_fmt,
            y_fmt: Some(&y_fmt),
        },
    );
    if data.lines.is_empty() {
        centre_note(&mut p, &plot, ALL_HIDDEN);
    }
    let xs: Vec<f64> = data.load.iter().map(|l| l * 100.0).collect();
    series(&mut p, &plot, &xs, &data.lines);
    horizontal_rule(
        &mut p,
        &plot,
        target,
        &format!("p99 target: {} ms", whole(target)),
    );
    for tier in &data.tiers {
        let (x, y) = (tier.load_now * 100.0, tier.p99_now_ms);
        if !(plot.x.contains(x) && y.is_finite() && y <= y_hi) {
            continue;
        }
        p.mark(
            plot.at(x, y.max(y_lo)),
            Theme::marker(tier.stack),
            f64::from(theme.px(6.0)),
            theme.stack_color(tier.stack).to_rgba(),
            Some(theme.foreground),
        );
    }
    p.finish(x_frame(&plot, &xs, theme))
}

/// Geometry of a chart of rows (memory, probability, tornado).
struct Rows {
    plot: Plot,
    /// Height of one row, backend pixels.
    row: f64,
}

impl Rows {
    /// Top of row `i`, backend pixels.
    fn top_of(&self, i: usize) -> i32 {
        self.plot.top + (self.row * i as f64).round() as i32
    }

    /// Width of the plot, CSS pixels.
    fn css_width(&self, theme: &Theme) -> f64 {
        f64::from(self.plot.right - self.plot.left) / theme.ratio()
    }

    fn frame(&self, theme: &Theme, count: usize) -> PlotFrame {
        let plot = &self.plot;
        PlotFrame {
            scale: theme.ratio(),
            plot: (plot.left, plot.top, plot.right, plot.bottom),
            marks: (0..count)
                .map(|i| plot.top + (self.row * (i as f64 + 0.5)).round() as i32)
                .collect(),
            along: Along::Y,
            half_row: (self.row / 2.0).round() as i32,
        }
    }
}

/// Lays out a chart of `count` rows under a linear value axis `x` with its
/// title `x_desc`; `top` and `left` (CSS pixels) leave room for a key and
/// for row names.
fn rows_frame(
    p: &mut Painter<'_>,
    rect: Rect,
    (top, left): (f64, f64),
    x: Axis,
    text: &AxisText<'_>,
    count: usize,
) -> Rows {
    let margins = Margins {
        top,
        right: 18.0,
        bottom: 40.0,
        left,
    };
    let plot = plot_frame(
        p,
        rect,
        &margins,
        x,
        Axis::linear(0.0, count.max(1) as f64, Vec::new()),
        text,
    );
    let row = f64::from(plot.bottom - plot.top) / count.max(1) as f64;
    Rows { plot, row }
}

/// A small key of swatches in one line at the top of a chart; an entry
/// whose name starts with `|` gets a thin rule instead of a block.
fn key(p: &mut Painter<'_>, rect: Rect, entries: &[(RGBAColor, &str)]) {
    let mut x = 8.0;
    let y = rect.1 + p.o(11.0);
    for (color, name) in entries {
        let (name, half) = match name.strip_prefix('|') {
            Some(rest) => (rest.trim_start(), 1.0),
            None => (*name, 6.0),
        };
        p.block(
            (rect.0 + p.o(x + 6.0 - half), y - p.o(6.0)),
            (rect.0 + p.o(x + 6.0 + half), y + p.o(6.0)),
            *color,
        );
        p.text(
            name,
            (rect.0 + p.o(x + 16.0), y),
            TICK_PX,
            p.theme.foreground,
            (HPos::Left, VPos::Center),
        );
        x += 16.0 + text_width(name, TICK_PX) + 14.0;
    }
}

/// Opacity of the runtime, ML runtime, model and in-flight parts of a
/// memory bar.
const PART_ALPHA: [f64; 4] = [1.0, 0.75, 0.5, 0.25];

/// Chart 4: memory of one instance of every tier, broken down into runtime,
/// ML runtime, model weights and requests in flight (stacked, in the
/// stack's colour at four strengths), with the memory the instance may use as a tick.
///
/// Laid out on `size` backend pixels.
pub fn memory_scene(data: &MemoryChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, super::MEMORY_TITLE, &[]);
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let ink = theme.foreground;
    key(
        &mut p,
        rect,
        &[
            (ink.mix(PART_ALPHA[0]), "runtime"),
            (ink.mix(PART_ALPHA[1]), "ML runtime"),
            (
                ink.mix(PART_ALPHA[2]),
                if narrow { "model" } else { "model weights" },
            ),
            (ink.mix(PART_ALPHA[3]), "in flight"),
            (
                ink.to_rgba(),
                if narrow { "|usable" } else { "|usable memory" },
            ),
        ],
    );
    let max = data
        .bars
        .iter()
        .flat_map(|b| [b.memory.total_mib(), b.memory.available_mib])
        .filter(|v| v.is_finite())
        .fold(0.0, f64::max);
    let x_hi = if max > 0.0 { max * 1.08 } else { 1024.0 };
    let count = data.bars.len();
    let x_fmt = |v: f64| short_number(v);
    let rows = rows_frame(
        &mut p,
        rect,
        (26.0, 14.0),
        Axis::linear(0.0, x_hi, linear_ticks(0.0, x_hi, tick_budget(width, 70.0))),
        &AxisText {
            x_desc: "Memory of one instance, MiB",
            x_fmt: &x_fmt,
            y_fmt: None,
        },
        count,
    );
    if data.bars.is_empty() {
        centre_note(&mut p, &rows.plot, ALL_HIDDEN);
        return p.finish(rows.frame(theme, 0));
    }
    let room = rows.css_width(theme);
    let px = |v: f64| rows.plot.px(v.clamp(0.0, x_hi));
    for (i, bar) in data.bars.iter().enumerate() {
        let top = rows.top_of(i);
        let bar_top = top + ((rows.row * 0.5).round() as i32).max(p.o(16.0));
        let bar_bottom = (rows.top_of(i + 1) - p.o(6.0)).max(bar_top + p.o(4.0));
        let m = &bar.memory;
        let words = if narrow {
            format!(
                "{}: {} / {} MiB",
                bar.label(),
                short_number(m.total_mib().round()),
                short_number(m.available_mib.round())
            )
        } else {
            format!(
                "{} ({} {}): {} of {} MiB{}",
                bar.label(),
                bar.processes,
                if bar.processes == 1 {
                    "process"
                } else {
                    "processes"
                },
                whole(m.total_mib()),
                whole(m.available_mib),
                if m.fits() { "" } else { ", does not fit" }
            )
        };
        p.text(
            fit(&words, room, LABEL_PX),
            (rows.plot.left, top + p.o(3.0)),
            LABEL_PX,
            theme.foreground,
            (HPos::Left, VPos::Top),
        );
        let color = theme.stack_color(bar.stack);
        let mut from = 0.0;
        for (part, alpha) in [m.runtime_mib, m.ml_runtime_mib, m.model_mib, m.inflight_mib]
            .into_iter()
            .zip(PART_ALPHA)
        {
            if part.is_finite() && part > 0.0 {
                p.block(
                    (px(from), bar_top),
                    (px(from + part), bar_bottom),
                    color.mix(alpha),
                );
                from += part;
            }
        }
        let usable = px(m.available_mib);
        p.block(
            (usable - p.o(1.0), bar_top - p.o(3.0)),
            (usable + p.o(1.0), bar_bottom + p.o(3.0)),
            ink.to_rgba(),
        );
    }
    p.finish(rows.frame(theme, count))
}

/// Chart 6: the share of Monte Carlo draws in which each stack is the
/// cheapest over the horizon, as bars; a note while no run has finished.
///
/// Laid out on `size` backend pixels.
pub fn cheapest_scene(data: &CheapestChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, super::CHEAPEST_TITLE, &[]);
    let width = p.css_width();
    let count = data.bars.len();
    let x_fmt = |v: f64| format!("{}%", whole(v));
    let x_desc = if data.draws > 0 {
        format!(
            "Share of {} draws where it is cheapest",
            whole(f64::from(data.draws))
        )
    } else {
        "Share of draws where it is cheapest".to_string()
    };
    let rows = rows_frame(
        &mut p,
        rect,
        (8.0, 84.0),
        Axis::linear(
            0.0,
            100.0,
            linear_ticks(0.0, 100.0, tick_budget(width - 90.0, 60.0)),
        ),
        &AxisText {
            x_desc: &x_desc,
            x_fmt: &x_fmt,
            y_fmt: None,
        },
        count,
    );
    let waiting = if data.draws == 0 {
        Some("Waiting for the Monte Carlo run…")
    } else if data.bars.is_empty() {
        Some(ALL_HIDDEN)
    } else {
        None
    };
    if let Some(note) = waiting {
        centre_note(&mut p, &rows.plot, note);
        return p.finish(rows.frame(theme, 0));
    }
    for (i, (stack, share)) in data.bars.iter().enumerate() {
        let top = rows.top_of(i);
        let bottom = rows.top_of(i + 1);
        let mid = (top + bottom) / 2;
        let pad = ((rows.row * 0.2).round() as i32).max(p.o(3.0));
        let color = theme.stack_color(*stack);
        p.mark(
            (rect.0 + p.o(12.0), mid),
            Theme::marker(*stack),
            f64::from(theme.px(4.5)),
            color.to_rgba(),
            None,
        );
        p.text(
            stack.label(),
            (rect.0 + p.o(22.0), mid),
            LABEL_PX,
            theme.foreground,
            (HPos::Left, VPos::Center),
        );
        let end = rows.plot.px((share * 100.0).clamp(0.0, 100.0));
        p.block(
            (rows.plot.left, top + pad),
            (end, bottom - pad),
            color.to_rgba(),
        );
        let (ink, h, x) = if share * 100.0 > 80.0 {
            (theme.background, HPos::Right, end - p.o(6.0))
        } else {
            (theme.foreground, HPos::Left, end + p.o(6.0))
        };
        p.text(percent(*share), (x, mid), LABEL_PX, ink, (h, VPos::Center));
    }
    p.finish(rows.frame(theme, count))
}

/// Chart 7: a tornado of the drivers the answer hinges on: for each, a bar
/// of the base winner's margin over the next-cheapest stack from the
/// driver's low end (light) to its high end (dark), a line at zero (left of
/// it another stack is cheaper: that part takes the stack's colour, light
/// or full, and its marker) and one at today's margin.
///
/// Laid out on `size` backend pixels.
pub fn tornado_scene(data: &TornadoChart, theme: &Theme, size: (u32, u32)) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, super::TORNADO_TITLE, &[]);
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let low = theme.muted.mix(0.45);
    let high = theme.foreground.mix(0.8);
    key(
        &mut p,
        rect,
        &[
            (
                low,
                if narrow {
                    "low end"
                } else {
                    "driver at its low end"
                },
            ),
            (
                high,
                if narrow {
                    "high end"
                } else {
                    "at its high end"
                },
            ),
        ],
    );
    let currency = data.currency;
    let (lo, hi) = data
        .rows
        .iter()
        .flat_map(|r| [r.margins.0, r.margins.1])
        .chain([0.0, data.base_margin])
        .filter(|v| v.is_finite())
        .fold((0.0_f64, 0.0_f64), |(a, b), v| (a.min(v), b.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let (x_lo, x_hi) = (lo - span * 0.06, hi + span * 0.06);
    let count = data.rows.len();
    let x_fmt = move |v: f64| money_short(v, currency);
    let x_desc = if narrow {
        format!("{}'s lead, {}", data.base.label(), currency.code())
    } else {
        format!(
            "{}'s lead over the next-cheapest stack, {}",
            data.base.label(),
            currency.code()
        )
    };
    let rows = rows_frame(
        &mut p,
        rect,
        (26.0, 14.0),
        Axis::linear(
            x_lo,
            x_hi,
            linear_ticks(x_lo, x_hi, tick_budget(width, 80.0)),
        ),
        &AxisText {
            x_desc: &x_desc,
            x_fmt: &x_fmt,
            y_fmt: None,
        },
        count,
    );
    if data.rows.is_empty() {
        centre_note(&mut p, &rows.plot, "Waiting for the sensitivity sweep…");
        return p.finish(rows.frame(theme, 0));
    }
    let room = rows.css_width(theme);
    let px = |v: f64| rows.plot.px(v.clamp(x_lo, x_hi));
    let base = px(data.base_margin);
    let zero = px(0.0);
    for (i, row) in data.rows.iter().enumerate() {
        let top = rows.top_of(i);
        let bar_top = top + ((rows.row * 0.5).round() as i32).max(p.o(16.0));
        let bar_bottom = (rows.top_of(i + 1) - p.o(5.0)).max(bar_top + p.o(4.0));
        let words = format!(
            "{} ({} to {})",
            row.label,
            super::chart::driver_value(row, row.values.0, currency),
            super::chart::driver_value(row, row.values.1, currency)
        );
        p.text(
            fit(&words, room, LABEL_PX),
            (rows.plot.left, top + p.o(3.0)),
            LABEL_PX,
            theme.foreground,
            (HPos::Left, VPos::Top),
        );
        // The end farther from today first, so the nearer stays visible
        // when both ends move the lead the same way.
        let mut ends = [
            (row.margins.0, low, row.cheapest.0, 0.5),
            (row.margins.1, high, row.cheapest.1, 1.0),
        ];
        let away = |m: f64| (m - data.base_margin).abs();
        if away(ends[1].0) > away(ends[0].0) {
            ends.swap(0, 1);
        }
        for (margin, shade, cheapest, strength) in ends {
            if !margin.is_finite() {
                continue;
            }
            let end = px(margin);
            p.block((base, bar_top), (end, bar_bottom), shade);
            if margin < 0.0 {
                // Past zero another stack is cheapest: its colour and shape.
                let color = theme.stack_color(cheapest);
                p.block(
                    (zero.min(base), bar_top),
                    (end, bar_bottom),
                    color.mix(strength),
                );
                p.mark(
                    (end, (bar_top + bar_bottom) / 2),
                    Theme::marker(cheapest),
                    f64::from(theme.px(4.5)),
                    color.to_rgba(),
                    Some(theme.background),
                );
            }
        }
    }
    // Zero (where the answer changes) and today's margin.
    let (top, bottom) = (rows.plot.top, rows.plot.bottom);
    p.block(
        (zero - p.o(1.0), top),
        (zero + p.o(1.0), bottom),
        theme.foreground.to_rgba(),
    );
    p.block(
        (base, top),
        (base + p.o(1.0), bottom),
        theme.muted.to_rgba(),
    );
    p.finish(rows.frame(theme, count))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_read_well() {
        assert_eq!(short_number(1.0), "1");
        assert_eq!(short_number(950.0), "950");
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(20_000.0), "20k");
        assert_eq!(short_number(3_000_000.0), "3M");
        assert_eq!(short_number(0.5), "0.50");
        assert_eq!(short_number(f64::NAN), "");
        assert_eq!(short_number(-1.9e-10), "0");
        assert_eq!(short_number(-0.001), "0.00");
        assert_eq!(short_number(-0.0), "0");
        assert_eq!(short_number(-2.5), "-2.5");
        assert_eq!(short_number(f64::INFINITY), "");
    }

    #[test]
    fn log_ticks_fit_the_budget() {
        assert_eq!(log_ticks(1.0, 1000.0, 4), vec![1.0, 10.0, 100.0, 1000.0]);
        assert_eq!(log_ticks(1.0, 10.0, 6), vec![1.0, 2.0, 5.0, 10.0]);
        let many = log_ticks(0.1, 2e6, 4);
        assert!(many.len() <= 4 && many.len() >= 2, "{many:?}");
        assert_eq!(log_ticks(2.0, 3.0, 5), vec![2.0, 3.0]);
        assert!(log_ticks(0.0, 10.0, 5).is_empty());
        assert!(log_ticks(1.0, f64::NAN, 5).is_empty());
    }

    #[test]
    fn linear_ticks_are_round() {
        assert_eq!(
            linear_ticks(0.0, 100.0, 6),
            vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]
        );
        assert_eq!(
            linear_ticks(0.0, 3700.0, 5),
            vec![0.0, 1000.0, 2000.0, 3000.0]
        );
        assert!(linear_ticks(5.0, 5.0, 5).is_empty());
        // A budget of three still gives more than zero alone.
        assert_eq!(
            linear_ticks(-47_346.6, 2_680.0, 3),
            vec![-40_000.0, -20_000.0, 0.0]
        );
        let t = linear_ticks(-1234.0, 98_765.0, 5);
        assert!(t.len() <= 5 && t.contains(&0.0), "{t:?}");
    }

    #[test]
    fn month_ticks_use_calendar_steps() {
        assert_eq!(
            month_ticks(36.0, 7),
            vec![0.0, 6.0, 12.0, 18.0, 24.0, 30.0, 36.0]
        );
        assert_eq!(
            month_ticks(120.0, 6),
            vec![0.0, 24.0, 48.0, 72.0, 96.0, 120.0]
        );
    }

    #[test]
    fn lines_are_cut_where_they_leave_the_top() {
        let xs = [0.0, 1.0, 2.0, 3.0];
        let ys = [1.0, 5.0, 20.0, f64::INFINITY];
        let runs = clip_runs(&xs, &ys, 0.5, 10.0, false);
        assert_eq!(runs.len(), 1);
        let last = *runs[0].last().unwrap();
        assert!((last.0 - (1.0 + 5.0 / 15.0)).abs() < 1e-9 && last.1 == 10.0);
        // Below the floor is raised to it.
        let runs = clip_runs(&xs[..2], &[0.0, 3.0], 1.0, 10.0, true);
        assert_eq!(runs[0][0], (0.0, 1.0));
    }
}
