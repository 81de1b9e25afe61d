//! Axes: where a value falls on a plot, which values get a tick, how a
//! tick is labelled, and drawing the grid, axes and tick labels of a plot.
//!
//! An [`Axis`] maps values to a share of its length (linear or log); a
//! [`Plot`] is a rectangle in backend pixels with two axes, and is the one
//! mapping from data to pixels every chart uses (the hover frame is read
//! from it too). Tick choices ([`log_ticks`], [`linear_ticks`],
//! `month_ticks`) are pure functions of a range and a budget, tested here.

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::Color;

use super::scene::{Painter, LABEL_PX, TICK_PX};

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
pub(super) fn month_ticks(months: f64, max: usize) -> Vec<f64> {
    let step = [1.0, 2.0, 3.0, 6.0, 12.0, 24.0, 36.0, 60.0]
        .into_iter()
        .find(|s| months / s <= max.saturating_sub(1) as f64)
        .unwrap_or(120.0);
    let count = (months / step).floor() as i64;
    (0..=count).map(|k| k as f64 * step).collect()
}

/// How many ticks fit along `css_len` CSS pixels, one per `spacing`.
pub(super) fn tick_budget(css_len: f64, spacing: f64) -> usize {
    ((css_len / spacing).floor() as usize).clamp(3, 9)
}

/// One axis: linear or logarithmic from `lo` to `hi`, with its ticks.
#[derive(Clone, Debug, PartialEq)]
pub struct Axis {
    /// Value at the start.
    pub lo: f64,
    /// Value at the end.
    pub hi: f64,
    /// Logarithmic spacing.
    pub log: bool,
    /// Values with a tick and a label.
    pub ticks: Vec<f64>,
}

impl Axis {
    /// A linear axis; a range that is empty or not finite becomes 0 to 1.
    pub fn linear(lo: f64, hi: f64, ticks: Vec<f64>) -> Axis {
        if lo.is_finite() && hi.is_finite() && hi > lo {
            Axis {
                lo,
                hi,
                log: false,
                ticks,
            }
        } else {
            Axis {
                lo: 0.0,
                hi: 1.0,
                log: false,
                ticks: vec![0.0, 1.0],
            }
        }
    }

    /// A log axis; a range that is not positive and increasing becomes 1
    /// to 10.
    pub fn log(lo: f64, hi: f64, ticks: Vec<f64>) -> Axis {
        if lo.is_finite() && hi.is_finite() && lo > 0.0 && hi > lo {
            Axis {
                lo,
                hi,
                log: true,
                ticks,
            }
        } else {
            Axis {
                lo: 1.0,
                hi: 10.0,
                log: true,
                ticks: vec![1.0, 10.0],
            }
        }
    }

    /// Where `v` falls between the ends, 0 to 1 inside; values a log axis
    /// cannot show map to its start, and far-off values are bounded so a
    /// pixel never overflows.
    pub fn fraction(&self, v: f64) -> f64 {
        let t = if self.log {
            if v > 0.0 {
                (v.ln() - self.lo.ln()) / (self.hi.ln() - self.lo.ln())
            } else {
                0.0
            }
        } else {
            (v - self.lo) / (self.hi - self.lo)
        };
        if t.is_finite() {
            t.clamp(-10.0, 10.0)
        } else if t > 0.0 {
            10.0
        } else {
            0.0
        }
    }

    /// Whether `v` lies on the axis.
    pub fn contains(&self, v: f64) -> bool {
        v.is_finite() && v >= self.lo && v <= self.hi
    }
}

/// A plot rectangle in backend pixels with its two axes.
pub struct Plot {
    /// Left edge.
    pub left: i32,
    /// Top edge.
    pub top: i32,
    /// Right edge.
    pub right: i32,
    /// Bottom edge.
    pub bottom: i32,
    /// The horizontal axis.
    pub x: Axis,
    /// The vertical axis (increasing upwards).
    pub y: Axis,
}

impl Plot {
    /// Pixel column of `v` on the x axis.
    pub fn px(&self, v: f64) -> i32 {
        let span = f64::from(self.right - self.left);
        self.left + (span * self.x.fraction(v)).round() as i32
    }

    /// Pixel row of `v` on the y axis.
    pub fn py(&self, v: f64) -> i32 {
        let span = f64::from(self.bottom - self.top);
        self.bottom - (span * self.y.fraction(v)).round() as i32
    }

    /// The pixel of the point `(x, y)`.
    pub fn at(&self, x: f64, y: f64) -> (i32, i32) {
        (self.px(x), self.py(y))
    }
}

/// Space around a plot, CSS pixels.
pub struct Margins {
    /// Above the plot.
    pub top: f64,
    /// Right of the plot.
    pub right: f64,
    /// Below the plot (tick labels and the axis title).
    pub bottom: f64,
    /// Left of the plot (tick labels).
    pub left: f64,
}

/// How the axes of a plot are labelled.
pub struct AxisText<'a> {
    /// Title under the x axis.
    pub x_desc: &'a str,
    /// Tick label of an x value.
    pub x_fmt: &'a dyn Fn(f64) -> String,
    /// Tick label of a y value; `None`: no y axis (row charts).
    pub y_fmt: Option<&'a dyn Fn(f64) -> String>,
}

/// Lays out a plot inside `area` (a sub-rectangle of the painter, backend
/// pixels: left, top, right, bottom) and draws its grid, axes, ticks and
/// tick labels, and the x axis title.
pub fn plot_frame(
    p: &mut Painter<'_>,
    area: (i32, i32, i32, i32),
    margins: &Margins,
    x: Axis,
    y: Axis,
    text: &AxisText<'_>,
) -> Plot {
    let theme = p.theme;
    let (al, at, ar, ab) = area;
    let left = al + p.o(margins.left);
    let right = (ar - p.o(margins.right)).max(left + 1);
    let top = at + p.o(margins.top);
    let bottom = (ab - p.o(margins.bottom)).max(top + 1);
    let plot = Plot {
        left,
        top,
        right,
        bottom,
        x,
        y,
    };
    let grid = theme.grid.to_rgba();
    let axis = theme.muted.to_rgba();
    let tick = p.o(4.0);
    for &v in plot.x.ticks.iter().filter(|v| plot.x.contains(**v)) {
        let x = plot.px(v);
        p.line(vec![(x, top), (x, bottom)], grid, 1.0);
        p.line(vec![(x, bottom), (x, bottom + tick)], axis, 1.0);
        p.text(
            (text.x_fmt)(v),
            (x, bottom + tick + p.o(3.0)),
            TICK_PX,
            theme.foreground,
            (HPos::Center, VPos::Top),
        );
    }
    if let Some(y_fmt) = text.y_fmt {
        for &v in plot.y.ticks.iter().filter(|v| plot.y.contains(**v)) {
            let y = plot.py(v);
            p.line(vec![(left, y), (right, y)], grid, 1.0);
            p.line(vec![(left - tick, y), (left, y)], axis, 1.0);
            p.text(
                y_fmt(v),
                (left - tick - p.o(3.0), y),
                TICK_PX,
                theme.foreground,
                (HPos::Right, VPos::Center),
            );
        }
        p.line(vec![(left, top), (left, bottom)], axis, 1.0);
    }
    p.line(vec![(left, bottom), (right, bottom)], axis, 1.0);
    p.text(
        text.x_desc,
        ((left + right) / 2, ab - p.o(2.0)),
        LABEL_PX,
        theme.muted,
        (HPos::Center, VPos::Bottom),
    );
    plot
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn axes_map_values_to_pixels() {
        let plot = Plot {
            left: 100,
            top: 0,
            right: 500,
            bottom: 200,
            x: Axis::log(1.0, 10_000.0, vec![]),
            y: Axis::linear(0.0, 10.0, vec![]),
        };
        assert_eq!(plot.px(1.0), 100);
        assert_eq!(plot.px(100.0), 300);
        assert_eq!(plot.px(10_000.0), 500);
        assert_eq!(plot.py(0.0), 200);
        assert_eq!(plot.py(5.0), 100);
        // Nothing a log axis cannot show, and nothing infinite, overflows.
        assert_eq!(plot.px(0.0), 100);
        assert_eq!(plot.py(f64::INFINITY), 200 - 2000);
        assert_eq!(plot.py(f64::NAN), 200);
    }

    #[test]
    fn bad_ranges_become_unit_axes() {
        assert_eq!(Axis::linear(3.0, 3.0, vec![]).hi, 1.0);
        assert_eq!(Axis::log(0.0, 10.0, vec![]).lo, 1.0);
        assert!(!Axis::linear(0.0, 1.0, vec![]).contains(f64::NAN));
    }

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
}
