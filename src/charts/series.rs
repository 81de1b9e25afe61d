//! Series: one stack's line of values, which stacks the legend shows, and
//! drawing lines with their low-high bands and markers.
//!
//! Hidden stacks (the legend's toggles, a `[bool; 5]` by [`Stack::index`])
//! are left out when a chart's data is built, so the drawing code and the
//! tables only ever see what is shown; series follow [`Stack::ALL`] order.
//! The line charts (instances, cost, cumulative, latency) draw their lines
//! here: a band, a line cut where it leaves the plot, markers, and the
//! hover frame of one position per x.

use plotters::style::Color;

use super::axis::Plot;
use super::frame::{Along, PlotFrame};
use super::scene::Painter;
use super::theme::Theme;
use crate::model::Stack;

/// Stacks hidden by the legend, by [`Stack::index`].
pub type Hidden = [bool; 5];

/// Whether `stack` is shown under `hidden`.
pub(super) fn shown(hidden: &Hidden, stack: Stack) -> bool {
    !hidden[stack.index()]
}

/// One stack's line: a value at each x of its chart and, for charts with a
/// range band, the low and high end there.
#[derive(Clone, Debug, PartialEq)]
pub struct StackLine {
    /// The stack.
    pub stack: Stack,
    /// The typical value at each x of the chart (same length as its x).
    pub y: Vec<f64>,
    /// `(low, high)` at each x, from the cheap and the dear end of every
    /// assumption range; empty when the chart has no band.
    pub band: Vec<(f64, f64)>,
}

/// Smallest and largest finite values of `values` above `floor`.
pub(super) fn extent(values: impl Iterator<Item = f64>, floor: f64) -> Option<(f64, f64)> {
    values
        .filter(|v| v.is_finite() && *v > floor)
        .fold(None, |acc, v| match acc {
            None => Some((v, v)),
            Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
        })
}

/// Every value of a set of lines, bands included.
pub(super) fn line_values(lines: &[StackLine]) -> impl Iterator<Item = f64> + '_ {
    lines.iter().flat_map(|l| {
        l.y.iter()
            .copied()
            .chain(l.band.iter().flat_map(|(a, b)| [*a, *b]))
    })
}

/// The stacks drawn, for a standalone legend.
pub(super) fn stacks_of(lines: &[StackLine]) -> Vec<Stack> {
    lines.iter().map(|l| l.stack).collect()
}

/// Band, line and markers of every series. Markers sit on every
/// `xs.len() / 5`th point, shifted per stack so they do not pile up where
/// lines overlap.
pub(super) fn series(p: &mut Painter<'_>, plot: &Plot, xs: &[f64], lines: &[StackLine]) {
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
pub(super) fn x_frame(plot: &Plot, xs: &[f64], theme: &Theme) -> PlotFrame {
    PlotFrame {
        scale: theme.ratio(),
        plot: (plot.left, plot.top, plot.right, plot.bottom),
        marks: xs.iter().map(|x| plot.px(*x)).collect(),
        along: Along::X,
        half_row: 0,
    }
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

#[cfg(test)]
mod tests {
    use super::*;

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
