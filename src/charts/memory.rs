//! Chart 4: memory of one instance of every tier, broken down into runtime,
//! ML runtime, model weights and requests in flight (stacked, in the
//! stack's colour at four strengths), with the memory the instance may use
//! as a tick. One row per tier of every shown stack, its numbers in words
//! above its bar.
//!
//! Its data is read from a finished [`Estimate`].

use plotters::prelude::*;

use super::axis::{linear_ticks, short_number, tick_budget, Axis, AxisText};
use super::chart::{Chart, Readout, ReadoutRow, Table};
use super::layout::{centre_note, key, page, rows_frame, ALL_HIDDEN, NARROW_CSS_PX};
use super::scene::{Painter, Scene};
use super::series::{shown, Hidden};
use super::theme::Theme;
use crate::model::format::whole;
use crate::model::{Estimate, MemoryBreakdown, Stack, TierRole};

/// Title of the memory chart.
pub const MEMORY_TITLE: &str = "Memory at the planned load, by part";

/// Opacity of the runtime, ML runtime, model and in-flight parts of a
/// memory bar.
const PART_ALPHA: [f64; 4] = [1.0, 0.75, 0.5, 0.25];

/// One tier's memory on one instance.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryBar {
    /// The stack.
    pub stack: Stack,
    /// The tier within it.
    pub role: TierRole,
    /// Worker processes on one instance.
    pub processes: u32,
    /// Whether it runs on a GPU (the memory is then the GPU's).
    pub on_gpu: bool,
    /// Memory by part, and what the instance offers.
    pub memory: MemoryBreakdown,
}

impl MemoryBar {
    /// "Express · ML sidecar" (the API tier is the stack's name alone).
    pub fn label(&self) -> String {
        if self.role == TierRole::Api {
            self.stack.label().to_string()
        } else {
            format!("{} · {}", self.stack.label(), self.role.label())
        }
    }

    /// "1 process", "4 processes".
    fn process_count(&self) -> String {
        let word = if self.processes == 1 {
            "process"
        } else {
            "processes"
        };
        format!("{} {word}", self.processes)
    }
}

/// Chart 4: memory of one instance by part, per tier of every shown stack.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryChart {
    /// API tiers first within each stack, stacks in [`Stack::ALL`] order.
    pub bars: Vec<MemoryBar>,
}

/// The memory chart of an estimate.
pub fn memory_chart(estimate: &Estimate, hidden: &Hidden) -> MemoryChart {
    let bars = estimate
        .stacks
        .iter()
        .filter(|st| shown(hidden, st.stack))
        .flat_map(|st| {
            st.tiers.iter().map(move |t| MemoryBar {
                stack: st.stack,
                role: t.role,
                processes: t.processes,
                on_gpu: t.on_gpu,
                memory: t.memory,
            })
        })
        .collect();
    MemoryChart { bars }
}

impl Chart for MemoryChart {
    fn description(&self) -> String {
        "Stacked bars of the memory of one instance of each service (runtime, model weights, requests in flight) against the memory it may use.".to_string()
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let mut p = Painter::new(theme, size);
        let rect = page(&mut p, MEMORY_TITLE, &[]);
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
        let max = self
            .bars
            .iter()
            .flat_map(|b| [b.memory.total_mib(), b.memory.available_mib])
            .filter(|v| v.is_finite())
            .fold(0.0, f64::max);
        let x_hi = if max > 0.0 { max * 1.08 } else { 1024.0 };
        let count = self.bars.len();
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
        if self.bars.is_empty() {
            centre_note(&mut p, &rows.plot, ALL_HIDDEN);
            return p.finish(rows.frame(theme, 0));
        }
        let px = |v: f64| rows.plot.px(v.clamp(0.0, x_hi));
        for (i, bar) in self.bars.iter().enumerate() {
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
                    "{} ({}): {} of {} MiB{}",
                    bar.label(),
                    bar.process_count(),
                    whole(m.total_mib()),
                    whole(m.available_mib),
                    if m.fits() { "" } else { ", does not fit" }
                )
            };
            let (bar_top, bar_bottom) = rows.labelled_bar(&mut p, i, &words, 6.0);
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

    fn positions(&self) -> usize {
        self.bars.len()
    }

    fn rows(&self) -> Option<usize> {
        Some(self.bars.len().max(1))
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        let bar = self.bars.get(at)?;
        let m = &bar.memory;
        let mib = |v: f64| format!("{} MiB", whole(v));
        let row = |label: &str, value: String| ReadoutRow {
            stack: Some(bar.stack),
            label: label.to_string(),
            value,
        };
        Some(Readout {
            heading: format!(
                "{}: {}{}",
                bar.label(),
                bar.process_count(),
                if bar.on_gpu { " on a GPU" } else { "" }
            ),
            rows: vec![
                row("Runtime", mib(m.runtime_mib)),
                row("ML runtime", mib(m.ml_runtime_mib)),
                row("Model weights", mib(m.model_mib)),
                row("In flight", mib(m.inflight_mib)),
                row(
                    "Total",
                    format!(
                        "{} of {} usable{}",
                        mib(m.total_mib()),
                        whole(m.available_mib),
                        if m.fits() { "" } else { ": does not fit" }
                    ),
                ),
            ],
        })
    }

    fn table(&self) -> Table {
        Table {
            caption: "Memory of one instance, MiB".to_string(),
            head: [
                "Service",
                "Processes",
                "Runtime",
                "ML runtime",
                "Model weights",
                "In flight",
                "Total",
                "Usable",
                "Fits",
            ]
            .map(str::to_string)
            .to_vec(),
            rows: self
                .bars
                .iter()
                .map(|b| {
                    let m = &b.memory;
                    vec![
                        b.label(),
                        b.processes.to_string(),
                        whole(m.runtime_mib),
                        whole(m.ml_runtime_mib),
                        whole(m.model_mib),
                        whole(m.inflight_mib),
                        whole(m.total_mib()),
                        whole(m.available_mib),
                        if m.fits() { "yes" } else { "no" }.to_string(),
                    ]
                })
                .collect(),
        }
    }
}
