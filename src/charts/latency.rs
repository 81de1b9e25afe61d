//! Chart 5: p99 latency of each stack's API tier as the load on one
//! instance rises towards its capacity (log y), with the target as a
//! horizontal line and each stack's load today ringed.
//!
//! Its data is read from a finished [`Estimate`]; the curve is the model's
//! own queueing formula ([`crate::model::TierEstimate::p99_ms_at_utilisation`])
//! at each load, and today's load is the model's too
//! ([`crate::model::TierEstimate::load_today`]): nothing computed here.

use plotters::style::Color;

use super::axis::{linear_ticks, log_ticks, plot_frame, short_number, tick_budget, Axis, AxisText};
use super::chart::{line_table, nearest_index, rps, Chart, Readout, ReadoutRow, Table};
use super::layout::{
    centre_note, horizontal_rule, line_margins, page, y_caption, ALL_HIDDEN, NARROW_CSS_PX,
};
use super::scene::{Painter, Scene};
use super::series::{series, shown, stacks_of, x_frame, Hidden, StackLine};
use super::theme::Theme;
use crate::model::format::{percent, significant, whole};
use crate::model::{Estimate, Stack, TierRole};

/// Title of the latency chart.
pub const LATENCY_TITLE: &str = "p99 latency as load rises";

/// Load levels of the latency curve, from idle to just short of saturation.
pub const LOAD_LEVELS: usize = 40;
/// The highest load on the latency chart, as a share of capacity (a queue
/// at 100% never drains).
pub const LOAD_MAX: f64 = 0.99;

/// The API tier of one stack on the latency chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyTier {
    /// The stack.
    pub stack: Stack,
    /// Requests per second one instance serves at 100% CPU.
    pub capacity_rps: f64,
    /// Worker processes (servers of the queue) per instance.
    pub processes: u32,
    /// Today's peak load per instance, as a share of capacity.
    pub load_now: f64,
    /// p99 at today's peak, ms.
    pub p99_now_ms: f64,
}

/// Chart 5: p99 latency of each stack's API tier as its load rises.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyChart {
    /// Load per instance as a share of its capacity, increasing from 0 to
    /// [`LOAD_MAX`].
    pub load: Vec<f64>,
    /// The p99 target, ms.
    pub target_ms: f64,
    /// p99 in ms at each load, per shown stack.
    pub lines: Vec<StackLine>,
    /// The tier behind each line, in the same order.
    pub tiers: Vec<LatencyTier>,
}

/// Load levels from 0 to [`LOAD_MAX`], closer together near saturation
/// where the curve bends.
pub fn load_levels(count: usize) -> Vec<f64> {
    if count < 2 {
        return vec![0.0; count];
    }
    let last = (count - 1) as f64;
    (0..count)
        .map(|i| {
            let t = i as f64 / last;
            LOAD_MAX * (1.0 - (1.0 - t) * (1.0 - t))
        })
        .collect()
}

/// The latency chart of an estimate; `target_ms` is the scenario's target.
pub fn latency_chart(estimate: &Estimate, target_ms: f64, hidden: &Hidden) -> LatencyChart {
    let load = load_levels(LOAD_LEVELS);
    let mut lines = Vec::new();
    let mut tiers = Vec::new();
    for st in estimate.stacks.iter().filter(|st| shown(hidden, st.stack)) {
        let Some(api) = st.tiers.iter().find(|t| t.role == TierRole::Api) else {
            continue;
        };
        let y = load.iter().map(|&l| api.p99_ms_at_utilisation(l)).collect();
        lines.push(StackLine {
            stack: st.stack,
            y,
            band: Vec::new(),
        });
        tiers.push(LatencyTier {
            stack: st.stack,
            capacity_rps: api.capacity_rps,
            processes: api.processes,
            load_now: api.load_today(),
            p99_now_ms: api.p99_ms,
        });
    }
    LatencyChart {
        load,
        target_ms,
        lines,
        tiers,
    }
}

/// "45 ms" with about three significant digits.
fn ms(v: f64) -> String {
    format!("{} ms", significant(v))
}

impl Chart for LatencyChart {
    fn description(&self) -> String {
        format!(
            "Line chart of p99 latency of each stack's API against the load on one instance, from idle to {} of its capacity; the target is {}.",
            percent(self.load.last().copied().unwrap_or(f64::NAN)),
            ms(self.target_ms)
        )
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let mut p = Painter::new(theme, size);
        let rect = page(&mut p, LATENCY_TITLE, &stacks_of(&self.lines));
        let width = p.css_width();
        let narrow = width < NARROW_CSS_PX;
        let target = if self.target_ms.is_finite() && self.target_ms > 0.0 {
            self.target_ms
        } else {
            1.0
        };
        let idle = || {
            self.lines
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
        if self.lines.is_empty() {
            centre_note(&mut p, &plot, ALL_HIDDEN);
        }
        let xs: Vec<f64> = self.load.iter().map(|l| l * 100.0).collect();
        series(&mut p, &plot, &xs, &self.lines);
        horizontal_rule(
            &mut p,
            &plot,
            target,
            &format!("p99 target: {} ms", whole(target)),
        );
        for tier in &self.tiers {
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

    fn positions(&self) -> usize {
        self.load.len()
    }

    fn home(&self) -> Option<usize> {
        let today = self.tiers.iter().map(|t| t.load_now).fold(0.0, f64::max);
        nearest_index(&self.load, today.max(0.0))
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        let load = *self.load.get(at)?;
        Some(Readout {
            heading: format!("At {} of capacity", percent(load)),
            rows: self
                .lines
                .iter()
                .zip(&self.tiers)
                .map(|(l, t)| ReadoutRow {
                    stack: Some(l.stack),
                    label: l.stack.label().to_string(),
                    value: format!(
                        "{} p99 at {} per instance",
                        ms(l.y.get(at).copied().unwrap_or(f64::NAN)),
                        rps(load * t.capacity_rps)
                    ),
                })
                .collect(),
        })
    }

    fn table(&self) -> Table {
        let xs: Vec<String> = self.load.iter().map(|l| percent(*l)).collect();
        let last = xs.len().saturating_sub(1);
        let mut table = line_table(
            format!(
                "p99 latency, ms, by load on one API instance (target {})",
                ms(self.target_ms)
            ),
            "Load, % of capacity",
            &xs,
            &self.lines,
            (0..xs.len()).filter(move |i| i % 3 == 0 || *i == last),
            &|v| significant(v),
        );
        let mut today = vec!["Today's peak".to_string()];
        today.extend(
            self.tiers
                .iter()
                .map(|t| format!("{} at {}", significant(t.p99_now_ms), percent(t.load_now))),
        );
        table.rows.push(today);
        table
    }

    fn notes(&self) -> Vec<String> {
        self.tiers
            .iter()
            .filter(|t| t.p99_now_ms > self.target_ms * 1.0001)
            .map(|t| {
                format!(
                    "{} misses the target even at today's load: {} p99.",
                    t.stack.label(),
                    ms(t.p99_now_ms)
                )
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{estimate, AssumptionSet, Scenario};

    const ALL_SHOWN: Hidden = [false; 5];

    #[test]
    fn latency_rises_with_load_and_starts_at_the_floor() {
        let e = estimate(&Scenario::default(), &AssumptionSet::published());
        let chart = latency_chart(&e, 300.0, &ALL_SHOWN);
        assert_eq!(chart.load.first(), Some(&0.0));
        assert!((chart.load[LOAD_LEVELS - 1] - LOAD_MAX).abs() < 1e-12);
        for (line, tier) in chart.lines.iter().zip(&chart.tiers) {
            let api = &e.stack(line.stack).tiers[0];
            assert!((line.y[0] - api.min_p99_ms).abs() < 1e-9);
            assert!(line.y.windows(2).all(|w| w[0] <= w[1] + 1e-9));
            assert!(line.y.iter().all(|v| v.is_finite()));
            // The model's own p99 at today's load lies on the curve.
            let again = api.p99_ms_at_utilisation(tier.load_now);
            assert!((again - tier.p99_now_ms).abs() < 1e-6 * again.max(1.0));
        }
    }
}
