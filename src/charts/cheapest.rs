//! Chart 6: the share of Monte Carlo draws in which each stack is among
//! the cheapest over the horizon (the cheapest, or within 0.5% of it: a tie
//! counts for each of its stacks), as bars; a note while no run has
//! finished.
//!
//! Its data is read from a finished [`MonteCarlo`] run, or is empty while
//! the run goes on.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{linear_ticks, tick_budget, Axis, AxisText};
use super::chart::{Chart, Readout, ReadoutRow, Table};
use super::layout::{centre_note, marked_name, page, rows_frame, ALL_HIDDEN};
use super::scene::{Painter, Scene, LABEL_PX};
use super::series::{shown, Hidden};
use super::theme::Theme;
use crate::model::format::{self, whole};
use crate::model::{MonteCarlo, Stack};

/// Title of the probability chart.
pub const CHEAPEST_TITLE: &str = "Chance of being the cheapest";

/// Chart 6: how often each stack is the cheapest over the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct CheapestChart {
    /// Draws behind the shares; 0 while no run has finished.
    pub draws: u32,
    /// Share of draws (0 to 1) in which each shown stack is among the
    /// cheapest.
    pub bars: Vec<(Stack, f64)>,
}

/// The probability chart of a Monte Carlo run; `None` (still running) gives
/// an empty chart.
pub fn cheapest_chart(run: Option<&MonteCarlo>, hidden: &Hidden) -> CheapestChart {
    match run {
        Some(mc) => CheapestChart {
            draws: mc.draws,
            bars: mc
                .stacks
                .iter()
                .filter(|o| shown(hidden, o.stack))
                .map(|o| {
                    let p = if o.p_cheapest.is_finite() {
                        o.p_cheapest.clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    (o.stack, p)
                })
                .collect(),
        },
        None => CheapestChart {
            draws: 0,
            bars: Vec::new(),
        },
    }
}

impl Chart for CheapestChart {
    fn description(&self) -> String {
        if self.draws == 0 {
            return "Bar chart of how often each stack is the cheapest; the Monte Carlo run has not finished.".to_string();
        }
        let parts: Vec<String> = self
            .bars
            .iter()
            .map(|(s, p)| format!("{} {}", s.label(), format::share(*p)))
            .collect();
        format!(
            "Bar chart of the share of {} Monte Carlo draws in which each stack is among the cheapest (within 0.5% of the cheapest; a tie counts for each): {}.",
            whole(f64::from(self.draws)),
            parts.join(", ")
        )
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let mut p = Painter::new(theme, size);
        let rect = page(&mut p, CHEAPEST_TITLE, &[]);
        let width = p.css_width();
        let count = self.bars.len();
        let x_fmt = |v: f64| format!("{}%", whole(v));
        let x_desc = if self.draws > 0 {
            format!(
                "Share of {} draws where it is among the cheapest",
                whole(f64::from(self.draws))
            )
        } else {
            "Share of draws where it is among the cheapest".to_string()
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
        let waiting = if self.draws == 0 {
            Some("Waiting for the Monte Carlo run…")
        } else if self.bars.is_empty() {
            Some(ALL_HIDDEN)
        } else {
            None
        };
        if let Some(note) = waiting {
            centre_note(&mut p, &rows.plot, note);
            return p.finish(rows.frame(theme, 0));
        }
        for (i, (stack, share)) in self.bars.iter().enumerate() {
            let top = rows.top_of(i);
            let bottom = rows.top_of(i + 1);
            let mid = (top + bottom) / 2;
            let pad = ((rows.row * 0.2).round() as i32).max(p.o(3.0));
            let color = theme.stack_color(*stack);
            let (at, name_x) = ((rect.0 + p.o(12.0), mid), rect.0 + p.o(22.0));
            marked_name(&mut p, *stack, at, name_x, 4.5);
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
            p.text(format::share(*share), (x, mid), LABEL_PX, ink, (h, VPos::Center));
        }
        p.finish(rows.frame(theme, count))
    }

    fn positions(&self) -> usize {
        if self.draws == 0 {
            0
        } else {
            self.bars.len()
        }
    }

    fn home(&self) -> Option<usize> {
        self.bars
            .iter()
            .enumerate()
            .filter(|_| self.draws > 0)
            .max_by(|a, b| a.1 .1.total_cmp(&b.1 .1))
            .map(|(i, _)| i)
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        if self.draws == 0 {
            return None;
        }
        let (stack, p) = self.bars.get(at)?;
        Some(Readout {
            heading: stack.label().to_string(),
            rows: vec![ReadoutRow {
                stack: Some(*stack),
                label: "Cheapest in".to_string(),
                value: format!("{} of {} draws", format::share(*p), whole(f64::from(self.draws))),
            }],
        })
    }

    fn table(&self) -> Table {
        Table {
            caption: if self.draws > 0 {
                format!(
                    "Share of {} draws in which each stack is among the cheapest (within 0.5%)",
                    whole(f64::from(self.draws))
                )
            } else {
                "Share of draws in which each stack is among the cheapest (running)".to_string()
            },
            head: vec!["Stack".to_string(), "Cheapest in".to_string()],
            rows: if self.draws == 0 {
                Vec::new()
            } else {
                self.bars
                    .iter()
                    .map(|(s, p)| vec![s.label().to_string(), format::share(*p)])
                    .collect()
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL_SHOWN: Hidden = [false; 5];

    #[test]
    fn no_monte_carlo_yet_gives_an_empty_chart() {
        let c = cheapest_chart(None, &ALL_SHOWN);
        assert_eq!(c.draws, 0);
        assert!(c.bars.is_empty());
    }
}
