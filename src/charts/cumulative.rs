//! Chart 3: cumulative cost month by month over the horizon, one line per
//! stack starting at its one-off (migration) cost, with every crossing
//! ringed and the two that matter most numbered and in words above the
//! plot ("1: Fastify passes Express at month 14").
//!
//! Its data is read from a finished [`Estimate`]: each stack's cumulative
//! cost, and where two lines cross (a break-even).

use plotters::style::text_anchor::{HPos, VPos};
use plotters::style::Color;

use super::axis::{linear_ticks, month_ticks, plot_frame, tick_budget, Axis, AxisText};
use super::chart::{line_readout, line_table, Chart, Readout, Table};
use super::layout::{centre_note, line_margins, page, y_caption, ALL_HIDDEN, NARROW_CSS_PX};
use super::scene::{fit, Painter, Scene, TICK_PX};
use super::series::{extent, line_values, series, shown, stacks_of, x_frame, Hidden, StackLine};
use super::theme::Theme;
use crate::model::format::{money, money_short, whole};
use crate::model::{Currency, Estimate, Stack};

/// Title of the cumulative-cost chart.
pub const CUMULATIVE_TITLE: &str = "Cumulative cost, migration included";

/// Where one stack's cumulative cost drops below another's.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakEven {
    /// The stack that becomes the cheaper of the two.
    pub cheaper: Stack,
    /// The stack it passes.
    pub dearer: Stack,
    /// The first whole month at whose start it is cheaper.
    pub month: u32,
    /// Where the lines cross, in months (between `month - 1` and `month`).
    pub at: f64,
    /// The cumulative cost where they cross.
    pub value: f64,
}

impl BreakEven {
    /// The crossing in words: "Fastify passes Express at month 14".
    pub fn sentence(&self) -> String {
        format!(
            "{} passes {} at month {}",
            self.cheaper.label(),
            self.dearer.label(),
            self.month
        )
    }
}

/// Chart 3: cumulative cost over the horizon, migration included.
#[derive(Clone, Debug, PartialEq)]
pub struct CumulativeChart {
    /// Months in the horizon; each line has `months + 1` points.
    pub months: u32,
    /// Currency of every value.
    pub currency: Currency,
    /// One line per shown stack (no band).
    pub lines: Vec<StackLine>,
    /// Every crossing between two shown stacks, in month order.
    pub break_evens: Vec<BreakEven>,
}

/// Crossings of two cumulative lines: each month where `a - b` changes sign
/// from positive to not positive, or back.
fn crossings(a: &StackLine, b: &StackLine, out: &mut Vec<BreakEven>) {
    let n = a.y.len().min(b.y.len());
    for m in 1..n {
        let (d0, d1) = (a.y[m - 1] - b.y[m - 1], a.y[m] - b.y[m]);
        if !(d0.is_finite() && d1.is_finite()) {
            continue;
        }
        let (cheaper, dearer) = if d0 > 0.0 && d1 <= 0.0 {
            (a.stack, b.stack)
        } else if d0 < 0.0 && d1 >= 0.0 {
            (b.stack, a.stack)
        } else {
            continue;
        };
        let t = if d0 != d1 { d0 / (d0 - d1) } else { 1.0 };
        let at = (m - 1) as f64 + t.clamp(0.0, 1.0);
        let value = a.y[m - 1] + (a.y[m] - a.y[m - 1]) * t.clamp(0.0, 1.0);
        out.push(BreakEven {
            cheaper,
            dearer,
            month: m as u32,
            at,
            value,
        });
    }
}

/// The cumulative-cost chart of an estimate, with every break-even.
pub fn cumulative_chart(estimate: &Estimate, hidden: &Hidden) -> CumulativeChart {
    let lines: Vec<StackLine> = estimate
        .stacks
        .iter()
        .filter(|st| shown(hidden, st.stack))
        .map(|st| StackLine {
            stack: st.stack,
            y: st.cumulative.clone(),
            band: Vec::new(),
        })
        .collect();
    let mut found = Vec::new();
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            crossings(a, b, &mut found);
        }
    }
    // In month order (a handful at most: an insertion keeps it small).
    let mut break_evens: Vec<BreakEven> = Vec::with_capacity(found.len());
    for b in found {
        let at = break_evens.partition_point(|x| x.at <= b.at);
        break_evens.insert(at, b);
    }
    CumulativeChart {
        months: estimate.months,
        currency: estimate.currency,
        lines,
        break_evens,
    }
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

impl Chart for CumulativeChart {
    fn description(&self) -> String {
        let mut s = format!(
            "Line chart of cumulative cost, {}, month by month over {} months, migration included.",
            self.currency.code(),
            self.months
        );
        for b in &self.break_evens {
            s.push(' ');
            s.push_str(&b.sentence());
            s.push('.');
        }
        s
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let mut p = Painter::new(theme, size);
        let rect = page(&mut p, CUMULATIVE_TITLE, &stacks_of(&self.lines));
        let width = p.css_width();
        let narrow = width < NARROW_CSS_PX;
        let months = f64::from(self.months.max(1));
        let (lo, hi) = extent(line_values(&self.lines), f64::NEG_INFINITY).unwrap_or((0.0, 1.0));
        let y_lo = lo.min(0.0);
        let y_hi = if hi > y_lo {
            hi + (hi - y_lo) * 0.08
        } else {
            y_lo + 1.0
        };
        let currency = self.currency;
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
        let winner = lowest(&self.lines, |l| l.y.last().copied());
        let today = lowest(&self.lines, |l| l.y.first().copied());
        let mut shown: Vec<&BreakEven> = Vec::new();
        for rank in 0..4 {
            shown.extend(
                self.break_evens
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
        if self.lines.is_empty() {
            centre_note(&mut p, &plot, ALL_HIDDEN);
        }
        let xs: Vec<f64> = (0..=self.months).map(f64::from).collect();
        series(&mut p, &plot, &xs, &self.lines);
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

    fn positions(&self) -> usize {
        self.months as usize + 1
    }

    fn home(&self) -> Option<usize> {
        Some(self.months as usize)
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        if at > self.months as usize {
            return None;
        }
        let c = self.currency;
        let heading = if at == 0 {
            "Today: one-off costs".to_string()
        } else {
            format!("After month {at}")
        };
        Some(line_readout(heading, &self.lines, at, &move |v| {
            money(v, c)
        }))
    }

    fn table(&self) -> Table {
        let months = self.months as usize;
        let step = months.div_ceil(24).max(1);
        let xs: Vec<String> = (0..=months).map(|m| m.to_string()).collect();
        let rows = (0..=months).filter(move |m| m % step == 0 || *m == months);
        let c = self.currency;
        line_table(
            format!("Cumulative cost, {}, migration included", c.code()),
            "Month",
            &xs,
            &self.lines,
            rows,
            &move |v| money(v, c),
        )
    }

    fn notes(&self) -> Vec<String> {
        if self.lines.len() < 2 {
            return Vec::new();
        }
        if self.break_evens.is_empty() {
            return vec![
                "No two lines cross within the horizon: the order of the stacks holds throughout."
                    .to_string(),
            ];
        }
        self.break_evens
            .iter()
            .map(|b| format!("{}.", b.sentence()))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(stack: Stack, y: &[f64]) -> StackLine {
        StackLine {
            stack,
            y: y.to_vec(),
            band: Vec::new(),
        }
    }

    #[test]
    fn a_crossing_is_found_at_the_month_it_happens() {
        // Fastify starts 100 dearer but saves 30 a month: even at month 3.33.
        let fastify = line(Stack::Fastify, &[100.0, 110.0, 120.0, 130.0, 140.0, 150.0]);
        let express = line(Stack::Express, &[0.0, 40.0, 80.0, 120.0, 160.0, 200.0]);
        let mut out = Vec::new();
        crossings(&fastify, &express, &mut out);
        assert_eq!(out.len(), 1);
        let b = &out[0];
        assert_eq!(
            (b.cheaper, b.dearer, b.month),
            (Stack::Fastify, Stack::Express, 4)
        );
        assert!((b.at - 10.0 / 3.0).abs() < 1e-9, "{}", b.at);
        assert!((b.value - 133.333_333).abs() < 1e-3, "{}", b.value);
        assert_eq!(b.sentence(), "Fastify passes Express at month 4");
        // Parallel lines never cross.
        let mut none = Vec::new();
        crossings(
            &express,
            &line(Stack::NestJs, &[1.0, 41.0, 81.0]),
            &mut none,
        );
        assert!(none.is_empty());
    }
}
