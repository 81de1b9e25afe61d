//! What the two charts against traffic (instances and monthly cost) share:
//! the sweep of the model over traffic levels they are both cut from, their
//! log-log scene with bands and a line at the user's traffic, and their
//! read-outs and tables, which differ only in how a value is written.
//!
//! The sweep is a pure function of a [`Scenario`] and an [`AssumptionSet`];
//! it computes no formula of its own.

use super::axis::{log_ticks, plot_frame, short_number, tick_budget, Axis, AxisText};
use super::chart::{line_readout, line_table, rps, Readout, Table};
use super::layout::{
    centre_note, line_margins, page, vertical_rule, y_caption, ALL_HIDDEN, NARROW_CSS_PX,
};
use super::scene::{Painter, Scene};
use super::series::{extent, line_values, series, shown, stacks_of, x_frame, Hidden, StackLine};
use super::theme::Theme;
use crate::model::format::significant;
use crate::model::{peak_figures, AssumptionSet, Currency, NumField, Pick, Scenario, Stack};

/// How many traffic levels the traffic charts evaluate (the user's own
/// traffic is added to them).
pub const TRAFFIC_LEVELS: usize = 30;
/// Decades of traffic either side of the user's traffic on the x axis.
pub const TRAFFIC_DECADES: f64 = 2.0;

/// Axis description under the x axis of traffic charts.
pub const TRAFFIC_AXIS: &str = "Average requests/s (log scale)";

/// `count` values from `lo` to `hi` evenly spaced on a log scale.
///
/// Returns an empty vector when `count` is 0, `[lo]` when `count` is 1, and
/// an empty vector when `lo` or `hi` is not finite and positive or when
/// `hi < lo`.
pub fn log_space(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let valid = |v: f64| v.is_finite() && v > 0.0;
    if count == 0 || !valid(lo) || !valid(hi) || hi < lo {
        return Vec::new();
    }
    if count == 1 {
        return vec![lo];
    }
    let (l, h) = (lo.ln(), hi.ln());
    let last = (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == count - 1 {
                hi
            } else {
                (l + (h - l) * i as f64 / last).exp()
            }
        })
        .collect()
}

/// The traffic window of the x axis: [`TRAFFIC_DECADES`] either side of
/// `traffic`, shifted (not shrunk) to stay inside the field's range.
///
/// A field minimum that is not positive is replaced by one step of the
/// field (a log axis cannot start at zero); a non-finite or non-positive
/// `traffic` is treated as the field's default.
pub fn traffic_window(traffic: f64) -> (f64, f64) {
    let spec = NumField::AvgRps.spec();
    let min = if spec.min.is_finite() && spec.min > 0.0 {
        spec.min
    } else {
        spec.step.max(1.0)
    };
    let max = if spec.max.is_finite() && spec.max > min {
        spec.max
    } else {
        min * 10f64.powf(2.0 * TRAFFIC_DECADES)
    };
    let t = if traffic.is_finite() && traffic > 0.0 {
        traffic.clamp(min, max)
    } else {
        spec.default.clamp(min, max)
    };
    let span = 10f64.powf(TRAFFIC_DECADES);
    let (mut lo, mut hi) = (t / span, t * span);
    if lo < min {
        hi = (hi * min / lo).min(max);
        lo = min;
    }
    if hi > max {
        lo = (lo * max / hi).max(min);
        hi = max;
    }
    (lo, hi)
}

/// Instances and money per month of every stack over a range of traffic, at
/// the cheap end, the typical value and the dear end of every range. The
/// two traffic charts are cut from it.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficSweep {
    /// Average traffic levels, req/s, increasing; the user's own included.
    pub traffic: Vec<f64>,
    /// The user's average traffic, req/s.
    pub current_traffic: f64,
    /// Currency of the money figures.
    pub currency: Currency,
    /// Per stack (by [`Stack::index`]), per level: instances at the
    /// optimistic, typical and pessimistic figures.
    pub instances: [Vec<[f64; 3]>; 5],
    /// Per stack, per level: money per month at the three picks.
    pub monthly: [Vec<[f64; 3]>; 5],
}

/// Evaluates the model at [`TRAFFIC_LEVELS`] average-traffic levels around
/// the scenario's own (see [`traffic_window`]) plus the scenario's own, at
/// the three picks of `set`. Every other input comes from `scenario`.
///
/// Levels the scenario refuses are skipped, so the sweep may have fewer
/// levels, never a NaN level.
pub fn traffic_sweep(scenario: &Scenario, set: &AssumptionSet) -> TrafficSweep {
    let current = scenario.get(NumField::AvgRps);
    let (lo, hi) = traffic_window(current);
    let mut levels = log_space(lo, hi, TRAFFIC_LEVELS);
    // The user's own traffic joins the (increasing) levels in its place.
    if current.is_finite() && current > 0.0 {
        let at = levels.partition_point(|v| *v < current);
        let close = |v: Option<&f64>| v.is_some_and(|v| (v - current).abs() <= 1e-9 * current);
        if close(levels.get(at)) {
            levels[at] = current;
        } else if at > 0 && close(levels.get(at - 1)) {
            levels[at - 1] = current;
        } else {
            levels.insert(at, current);
        }
    }

    let figures = [
        set.resolve(Pick::Optimistic),
        set.resolve(Pick::Typical),
        set.resolve(Pick::Pessimistic),
    ];
    let mut traffic = Vec::with_capacity(levels.len());
    let mut instances: [Vec<[f64; 3]>; 5] = Default::default();
    let mut monthly: [Vec<[f64; 3]>; 5] = Default::default();
    let mut at_level = scenario.clone();
    for level in levels {
        if at_level.set(NumField::AvgRps, level).is_err() {
            continue;
        }
        traffic.push(level);
        let mut counts = [[0.0; 3]; 5];
        let mut money = [[0.0; 3]; 5];
        for (pick, f) in figures.iter().enumerate() {
            for (i, (n, monthly)) in peak_figures(&at_level, f).into_iter().enumerate() {
                counts[i][pick] = n as f64;
                money[i][pick] = monthly;
            }
        }
        for i in 0..5 {
            instances[i].push(counts[i]);
            monthly[i].push(money[i]);
        }
    }
    TrafficSweep {
        traffic,
        current_traffic: current,
        currency: scenario.currency,
        instances,
        monthly,
    }
}

/// Lines with a band from one table of `[optimistic, typical, pessimistic]`.
pub(super) fn banded_lines(per_stack: &[Vec<[f64; 3]>; 5], hidden: &Hidden) -> Vec<StackLine> {
    Stack::ALL
        .into_iter()
        .filter(|st| shown(hidden, *st))
        .map(|stack| {
            let rows = &per_stack[stack.index()];
            StackLine {
                stack,
                y: rows.iter().map(|r| r[1]).collect(),
                band: rows
                    .iter()
                    .map(|r| (r[0].min(r[1]).min(r[2]), r[0].max(r[1]).max(r[2])))
                    .collect(),
            }
        })
        .collect()
}

/// Parts of a traffic chart that differ between instances and cost.
pub(super) struct TrafficSpec<'a> {
    /// The chart's title.
    pub(super) title: &'a str,
    /// The y axis title.
    pub(super) y_caption: &'a str,
    /// Average traffic levels, req/s, increasing.
    pub(super) traffic: &'a [f64],
    /// The user's average traffic, req/s.
    pub(super) current: f64,
    /// One line per shown stack.
    pub(super) lines: &'a [StackLine],
    /// Tick label of a y value.
    pub(super) y_fmt: &'a dyn Fn(f64) -> String,
    /// The lowest value the y axis must show (1 instance), if any.
    pub(super) y_floor: Option<f64>,
}

/// A log-log chart of lines against traffic, with bands and a line at the
/// user's traffic.
pub(super) fn traffic_scene(theme: &Theme, size: (u32, u32), spec: &TrafficSpec<'_>) -> Scene {
    let mut p = Painter::new(theme, size);
    let rect = page(&mut p, spec.title, &stacks_of(spec.lines));
    let width = p.css_width();
    let narrow = width < NARROW_CSS_PX;
    let (x_lo, x_hi) = match (spec.traffic.first(), spec.traffic.last()) {
        (Some(&a), Some(&b)) if a > 0.0 && b > a => (a, b),
        _ => traffic_window(spec.current),
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

/// The read-out of a traffic chart at position `at`: the traffic there,
/// then each line's value written by `fmt`.
pub(super) fn traffic_readout(
    traffic: &[f64],
    lines: &[StackLine],
    at: usize,
    fmt: &dyn Fn(f64) -> String,
) -> Option<Readout> {
    let x = *traffic.get(at)?;
    Some(line_readout(
        format!("At {} average", rps(x)),
        lines,
        at,
        fmt,
    ))
}

/// The table of a traffic chart: a row per traffic level, a column per
/// line written by `fmt`.
pub(super) fn traffic_table(
    caption: String,
    traffic: &[f64],
    lines: &[StackLine],
    fmt: &dyn Fn(f64) -> String,
) -> Table {
    let xs: Vec<String> = traffic.iter().map(|v| significant(*v)).collect();
    line_table(caption, "Average req/s", &xs, lines, 0..xs.len(), fmt)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_space_hits_both_ends_and_increases() {
        let v = log_space(1.0, 10_000.0, 5);
        assert_eq!(v.len(), 5);
        assert_eq!(v[0], 1.0);
        assert_eq!(v[4], 10_000.0);
        assert!((v[2] - 100.0).abs() < 1e-9);
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn log_space_refuses_bad_ranges() {
        assert!(log_space(0.0, 10.0, 5).is_empty());
        assert!(log_space(-1.0, 10.0, 5).is_empty());
        assert!(log_space(1.0, f64::NAN, 5).is_empty());
        assert!(log_space(1.0, f64::INFINITY, 5).is_empty());
        assert!(log_space(10.0, 1.0, 5).is_empty());
        assert!(log_space(1.0, 10.0, 0).is_empty());
        assert_eq!(log_space(3.0, 10.0, 1), vec![3.0]);
    }

    #[test]
    fn the_traffic_window_shifts_at_the_field_edges() {
        let spec = NumField::AvgRps.spec();
        let (lo, hi) = traffic_window(200.0);
        assert!((lo - 2.0).abs() < 1e-9 && (hi - 20_000.0).abs() < 1e-6);
        let (lo, hi) = traffic_window(spec.min);
        assert_eq!(lo, spec.min);
        assert!((hi / lo - 1e4).abs() < 1e-6);
        let (lo, hi) = traffic_window(spec.max);
        assert_eq!(hi, spec.max);
        assert!((hi / lo - 1e4).abs() < 1e-3);
        let (lo, hi) = traffic_window(f64::NAN);
        assert!(lo > 0.0 && hi > lo);
    }

    #[test]
    fn the_sweep_contains_the_users_traffic_and_is_finite() {
        let s = Scenario::default();
        let sweep = traffic_sweep(&s, &AssumptionSet::published());
        assert!(sweep.traffic.contains(&s.get(NumField::AvgRps)));
        assert!(sweep.traffic.windows(2).all(|w| w[0] < w[1]));
        for i in 0..5 {
            assert_eq!(sweep.instances[i].len(), sweep.traffic.len());
            for r in sweep.instances[i].iter().chain(&sweep.monthly[i]) {
                assert!(r.iter().all(|v| v.is_finite() && *v >= 0.0), "{r:?}");
                assert!(r[0] <= r[1] + 1e-9 && r[1] <= r[2] + 1e-9, "{r:?}");
            }
        }
    }
}
