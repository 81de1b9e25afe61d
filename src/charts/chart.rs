//! What the page needs of every chart, in one trait.
//!
//! A [`Chart`] is chart data that lays itself out as a [`Scene`] (and so
//! draws itself on any backend), says what it shows at each hover position
//! (the read-out under the canvas), and gives the same numbers as a table
//! for screen readers and for anyone who wants them. The page treats every chart alike through it. Text here is
//! formatted with the model's formatters (`model::format`) only.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};

use super::data::{
    CheapestChart, CostChart, CumulativeChart, InstancesChart, LatencyChart, MemoryChart,
    StackLine, TornadoChart, TornadoRow,
};
use super::draw;
use super::frame::PlotFrame;
use super::scene::{replay, Scene};
use super::theme::Theme;
use crate::model::format::{money, number, percent, significant, whole};
use crate::model::{Currency, Stack};

/// What [`Chart::draw`] returns.
pub type DrawResult<DB> =
    Result<PlotFrame, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// One line of a read-out.
#[derive(Clone, Debug, PartialEq)]
pub struct ReadoutRow {
    /// The stack the line is about, for its colour and marker.
    pub stack: Option<Stack>,
    /// What the value is.
    pub label: String,
    /// The value, formatted.
    pub value: String,
}

/// What a chart shows at one hover position.
#[derive(Clone, Debug, PartialEq)]
pub struct Readout {
    /// Where: "At 1,200 req/s average", "Month 14", a row's name.
    pub heading: String,
    /// One line per shown stack (line charts) or per figure (row charts).
    pub rows: Vec<ReadoutRow>,
}

/// A chart's numbers as a table; the first column heads each row.
#[derive(Clone, Debug, PartialEq)]
pub struct Table {
    /// The table's caption.
    pub caption: String,
    /// Column headings.
    pub head: Vec<String>,
    /// Rows of cells, as many as `head`.
    pub rows: Vec<Vec<String>>,
}

/// Chart data the page can draw, read out and tabulate.
pub trait Chart: Clone + PartialEq + Send + Sync + 'static {
    /// Stable key for element ids and file names.
    fn key(&self) -> &'static str;
    /// The chart's title.
    fn title(&self) -> &'static str;
    /// One sentence on what the chart shows (the canvas's accessible name).
    fn description(&self) -> String;
    /// The chart laid out on `size` backend pixels: its primitives and the
    /// frame that maps a pointer back to its data.
    ///
    /// Plain code, compiled once whatever the backend; it never calls the
    /// model and never panics on odd data (empty series, one point, zeros,
    /// NaN). An empty chart still draws its axes and says why it is empty.
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene;
    /// Draws the chart on any backend: its [`Chart::scene`] at the area's
    /// size, replayed. The page calls it with a canvas backend, tests and
    /// exports with `SVGBackend`.
    fn draw<DB: DrawingBackend>(
        &self,
        area: &DrawingArea<DB, Shift>,
        theme: &Theme,
    ) -> DrawResult<DB> {
        let scene = self.scene(theme, area.dim_in_pixel());
        replay(area, &scene.prims)?;
        Ok(scene.frame)
    }
    /// Hover positions: x values of a line chart, rows of a bar chart.
    fn positions(&self) -> usize;
    /// The position the read-out shows while nothing is pointed at (the
    /// user's own traffic, the end of the horizon).
    fn home(&self) -> Option<usize>;
    /// The read-out at `at`; `None` out of range.
    fn readout(&self, at: usize) -> Option<Readout>;
    /// The same numbers as a table.
    fn table(&self) -> Table;
    /// Sentences shown under the chart (break-evens, what is pending).
    fn notes(&self) -> Vec<String> {
        Vec::new()
    }
    /// For a chart of rows whose height should follow their number: how
    /// many rows it has. `None` for charts of a fixed shape.
    fn rows(&self) -> Option<usize> {
        None
    }
}

/// Index of the value in `xs` nearest `x` (in log space when both are
/// positive).
fn nearest_index(xs: &[f64], x: f64) -> Option<usize> {
    let key = |v: f64| if v > 0.0 && x > 0.0 { v.ln() } else { v };
    xs.iter()
        .enumerate()
        .filter(|(_, v)| v.is_finite())
        .min_by(|a, b| {
            (key(*a.1) - key(x))
                .abs()
                .total_cmp(&(key(*b.1) - key(x)).abs())
        })
        .map(|(i, _)| i)
}

/// "4" or "4 (3–6)" when the range is wider than the value.
fn with_range(line: &StackLine, i: usize, fmt: &dyn Fn(f64) -> String) -> String {
    let y = line.y.get(i).copied().unwrap_or(f64::NAN);
    match line.band.get(i) {
        Some(&(lo, hi)) if fmt(lo) != fmt(hi) => format!("{} ({}–{})", fmt(y), fmt(lo), fmt(hi)),
        _ => fmt(y),
    }
}

/// A line chart's read-out: one row per line at position `i`.
fn line_readout(
    heading: String,
    lines: &[StackLine],
    i: usize,
    fmt: &dyn Fn(f64) -> String,
) -> Readout {
    Readout {
        heading,
        rows: lines
            .iter()
            .map(|l| ReadoutRow {
                stack: Some(l.stack),
                label: l.stack.label().to_string(),
                value: with_range(l, i, fmt),
            })
            .collect(),
    }
}

/// A line chart's table: a row per x, a column per line.
fn line_table(
    caption: String,
    x_head: &str,
    xs: &[String],
    lines: &[StackLine],
    rows: impl Iterator<Item = usize>,
    fmt: &dyn Fn(f64) -> String,
) -> Table {
    let mut head = vec![x_head.to_string()];
    head.extend(lines.iter().map(|l| l.stack.label().to_string()));
    Table {
        caption,
        head,
        rows: rows
            .filter(|i| *i < xs.len())
            .map(|i| {
                let mut row = vec![xs[i].clone()];
                row.extend(lines.iter().map(|l| with_range(l, i, fmt)));
                row
            })
            .collect(),
    }
}

/// "120 req/s" style traffic.
fn rps(v: f64) -> String {
    format!("{} req/s", significant(v))
}

impl Chart for InstancesChart {
    fn key(&self) -> &'static str {
        "instances"
    }
    fn title(&self) -> &'static str {
        super::INSTANCES_TITLE
    }

    fn description(&self) -> String {
        format!(
            "Line chart of instances needed by each stack from {} to {} average, with low-high bands; your traffic is {}.",
            rps(self.traffic.first().copied().unwrap_or(f64::NAN)),
            rps(self.traffic.last().copied().unwrap_or(f64::NAN)),
            rps(self.current_traffic)
        )
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::instances_scene(self, theme, size)
    }
    fn positions(&self) -> usize {
        self.traffic.len()
    }
    fn home(&self) -> Option<usize> {
        nearest_index(&self.traffic, self.current_traffic)
    }
    fn readout(&self, at: usize) -> Option<Readout> {
        let x = *self.traffic.get(at)?;
        let count = |v: f64| format!("{} instances", whole(v));
        Some(line_readout(
            format!("At {} average", rps(x)),
            &self.lines,
            at,
            &count,
        ))
    }
    fn table(&self) -> Table {
        let xs: Vec<String> = self.traffic.iter().map(|v| significant(*v)).collect();
        line_table(
            "Instances needed, every tier: typical (low–high)".to_string(),
            "Average req/s",
            &xs,
            &self.lines,
            0..xs.len(),
            &whole,
        )
    }
}

impl Chart for CostChart {
    fn key(&self) -> &'static str {
        "cost"
    }
    fn title(&self) -> &'static str {
        super::COST_TITLE
    }

    fn description(&self) -> String {
        format!(
            "Line chart of money per month, {}, for each stack as average traffic grows, with low-high bands; your traffic is {}.",
            self.currency.code(),
            rps(self.current_traffic)
        )
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::cost_scene(self, theme, size)
    }
    fn positions(&self) -> usize {
        self.traffic.len()
    }
    fn home(&self) -> Option<usize> {
        nearest_index(&self.traffic, self.current_traffic)
    }
    fn readout(&self, at: usize) -> Option<Readout> {
        let x = *self.traffic.get(at)?;
        let c = self.currency;
        let fmt = move |v: f64| money(v, c);
        let mut r = line_readout(format!("At {} average", rps(x)), &self.lines, at, &fmt);
        for row in &mut r.rows {
            row.value.push_str(" per month");
        }
        Some(r)
    }
    fn table(&self) -> Table {
        let xs: Vec<String> = self.traffic.iter().map(|v| significant(*v)).collect();
        let c = self.currency;
        line_table(
            format!("Money per month, {}: typical (low–high)", c.code()),
            "Average req/s",
            &xs,
            &self.lines,
            0..xs.len(),
            &move |v| money(v, c),
        )
    }
}

impl Chart for CumulativeChart {
    fn key(&self) -> &'static str {
        "cumulative"
    }
    fn title(&self) -> &'static str {
        super::CUMULATIVE_TITLE
    }

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
        draw::cumulative_scene(self, theme, size)
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

impl Chart for MemoryChart {
    fn key(&self) -> &'static str {
        "memory"
    }
    fn title(&self) -> &'static str {
        super::MEMORY_TITLE
    }

    fn description(&self) -> String {
        "Stacked bars of the memory of one instance of each service (runtime, model weights, requests in flight) against the memory it may use.".to_string()
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::memory_scene(self, theme, size)
    }
    fn positions(&self) -> usize {
        self.bars.len()
    }
    fn rows(&self) -> Option<usize> {
        Some(self.bars.len().max(1))
    }
    fn home(&self) -> Option<usize> {
        (!self.bars.is_empty()).then_some(0)
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
                "{}: {} {}{}",
                bar.label(),
                bar.processes,
                if bar.processes == 1 {
                    "process"
                } else {
                    "processes"
                },
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

/// "45 ms" with about three significant digits.
fn ms(v: f64) -> String {
    format!("{} ms", significant(v))
}

impl Chart for LatencyChart {
    fn key(&self) -> &'static str {
        "latency"
    }
    fn title(&self) -> &'static str {
        super::LATENCY_TITLE
    }

    fn description(&self) -> String {
        format!(
            "Line chart of p99 latency of each stack's API against the load on one instance, from idle to {} of its capacity; the target is {}.",
            percent(self.load.last().copied().unwrap_or(f64::NAN)),
            ms(self.target_ms)
        )
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::latency_scene(self, theme, size)
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

impl Chart for CheapestChart {
    fn key(&self) -> &'static str {
        "cheapest"
    }
    fn title(&self) -> &'static str {
        super::CHEAPEST_TITLE
    }

    fn description(&self) -> String {
        if self.draws == 0 {
            return "Bar chart of how often each stack is the cheapest; the Monte Carlo run has not finished.".to_string();
        }
        let parts: Vec<String> = self
            .bars
            .iter()
            .map(|(s, p)| format!("{} {}", s.label(), percent(*p)))
            .collect();
        format!(
            "Bar chart of the share of {} Monte Carlo draws in which each stack is the cheapest: {}.",
            whole(f64::from(self.draws)),
            parts.join(", ")
        )
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::cheapest_scene(self, theme, size)
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
                value: format!("{} of {} draws", percent(*p), whole(f64::from(self.draws))),
            }],
        })
    }
    fn table(&self) -> Table {
        Table {
            caption: if self.draws > 0 {
                format!(
                    "Share of {} draws in which each stack is cheapest",
                    whole(f64::from(self.draws))
                )
            } else {
                "Share of draws in which each stack is cheapest (running)".to_string()
            },
            head: vec!["Stack".to_string(), "Cheapest in".to_string()],
            rows: if self.draws == 0 {
                Vec::new()
            } else {
                self.bars
                    .iter()
                    .map(|(s, p)| vec![s.label().to_string(), percent(*p)])
                    .collect()
            },
        }
    }
}

/// A driver's value with its unit: "$120,000", "40%", "300 ms".
pub(crate) fn driver_value(row: &TornadoRow, v: f64, currency: Currency) -> String {
    if row.unit == currency.symbol() {
        money(v, currency)
    } else if row.unit == "%" {
        format!("{}%", number(v, 1))
    } else if row.unit.is_empty() {
        significant(v)
    } else {
        let n = significant(v);
        // "1 month", not "1 months": a plain plural unit loses its "s".
        let unit = match row.unit.strip_suffix('s') {
            Some(one) if n == "1" && !row.unit.contains('/') => one,
            _ => row.unit.as_str(),
        };
        format!("{n} {unit}")
    }
}

/// "FastAPI stays cheapest by $12,000" or "Fastify is cheapest; FastAPI
/// $3,000 dearer".
fn lead(base: Stack, margin: f64, cheapest: Stack, currency: Currency) -> String {
    if margin >= 0.0 {
        format!(
            "{} stays cheapest by {}",
            base.label(),
            money(margin, currency)
        )
    } else {
        format!(
            "{} is cheapest; {} is {} dearer",
            cheapest.label(),
            base.label(),
            money(-margin, currency)
        )
    }
}

impl Chart for TornadoChart {
    fn key(&self) -> &'static str {
        "tornado"
    }
    fn title(&self) -> &'static str {
        super::TORNADO_TITLE
    }

    fn description(&self) -> String {
        if self.rows.is_empty() {
            return "Tornado chart of the inputs and figures the answer hinges on; the sensitivity sweep has not finished.".to_string();
        }
        format!(
            "Tornado chart of how far {} inputs and figures move {}'s lead over the next-cheapest stack; bars left of zero mean another stack becomes cheapest.",
            self.rows.len(),
            self.base.label()
        )
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        draw::tornado_scene(self, theme, size)
    }
    fn positions(&self) -> usize {
        self.rows.len()
    }
    fn rows(&self) -> Option<usize> {
        // While the sweep runs, the height it will most likely need: the
        // page does not jump when the bars arrive.
        Some(if self.rows.is_empty() {
            super::data::TORNADO_ROWS
        } else {
            self.rows.len()
        })
    }
    fn home(&self) -> Option<usize> {
        (!self.rows.is_empty()).then_some(0)
    }
    fn readout(&self, at: usize) -> Option<Readout> {
        let row = self.rows.get(at)?;
        let c = self.currency;
        let mut rows = vec![
            ReadoutRow {
                stack: Some(row.cheapest.0),
                label: format!("At {}", driver_value(row, row.values.0, c)),
                value: lead(self.base, row.margins.0, row.cheapest.0, c),
            },
            ReadoutRow {
                stack: Some(row.cheapest.1),
                label: format!("At {}", driver_value(row, row.values.1, c)),
                value: lead(self.base, row.margins.1, row.cheapest.1, c),
            },
        ];
        if let Some((v, st)) = row.threshold {
            rows.push(ReadoutRow {
                stack: Some(st),
                label: "Answer changes at".to_string(),
                value: format!("{} ({} beyond)", driver_value(row, v, c), st.label()),
            });
        }
        Some(Readout {
            heading: row.label.clone(),
            rows,
        })
    }
    fn table(&self) -> Table {
        let c = self.currency;
        Table {
            caption: format!(
                "{}'s lead over the next-cheapest stack, {}, with each driver at its low and high end",
                self.base.label(),
                c.code()
            ),
            head: [
                "Driver",
                "Low end",
                "High end",
                "Lead at low end",
                "Lead at high end",
                "Cheapest at low end",
                "Cheapest at high end",
                "Answer changes at",
            ]
            .map(str::to_string)
            .to_vec(),
            rows: self
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.label.clone(),
                        driver_value(r, r.values.0, c),
                        driver_value(r, r.values.1, c),
                        money(r.margins.0, c),
                        money(r.margins.1, c),
                        r.cheapest.0.label().to_string(),
                        r.cheapest.1.label().to_string(),
                        r.threshold.map_or_else(
                            || "–".to_string(),
                            |(v, st)| format!("{} ({})", driver_value(r, v, c), st.label()),
                        ),
                    ]
                })
                .collect(),
        }
    }
    fn notes(&self) -> Vec<String> {
        if self.rows.is_empty() {
            return Vec::new();
        }
        vec![format!(
            "Today {} leads by {}. A bar that crosses zero means the driver alone can change the answer; past zero it takes the colour of the stack that becomes cheapest.",
            self.base.label(),
            money(self.base_margin, self.currency)
        )]
    }
}

/// Any of the charts, so the page has one chart component rather than one
/// per chart type (each generic copy of a component costs the download).
#[derive(Clone, Debug, PartialEq)]
pub enum AnyChart {
    /// Chart 1.
    Instances(InstancesChart),
    /// Chart 2.
    Cost(CostChart),
    /// Chart 3.
    Cumulative(CumulativeChart),
    /// Chart 4.
    Memory(MemoryChart),
    /// Chart 5.
    Latency(LatencyChart),
    /// Chart 6.
    Cheapest(CheapestChart),
    /// Chart 7.
    Tornado(TornadoChart),
}

/// Calls `$call` on the chart inside `$any`.
macro_rules! each {
    ($any:expr, $c:ident => $call:expr) => {
        match $any {
            AnyChart::Instances($c) => $call,
            AnyChart::Cost($c) => $call,
            AnyChart::Cumulative($c) => $call,
            AnyChart::Memory($c) => $call,
            AnyChart::Latency($c) => $call,
            AnyChart::Cheapest($c) => $call,
            AnyChart::Tornado($c) => $call,
        }
    };
}

impl Chart for AnyChart {
    fn key(&self) -> &'static str {
        each!(self, c => c.key())
    }
    fn title(&self) -> &'static str {
        each!(self, c => c.title())
    }
    fn description(&self) -> String {
        each!(self, c => c.description())
    }
    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        each!(self, c => c.scene(theme, size))
    }
    fn positions(&self) -> usize {
        each!(self, c => c.positions())
    }
    fn home(&self) -> Option<usize> {
        each!(self, c => c.home())
    }
    fn readout(&self, at: usize) -> Option<Readout> {
        each!(self, c => c.readout(at))
    }
    fn table(&self) -> Table {
        each!(self, c => c.table())
    }
    fn notes(&self) -> Vec<String> {
        each!(self, c => c.notes())
    }
    fn rows(&self) -> Option<usize> {
        each!(self, c => c.rows())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::charts::data::{instances_vs_traffic, Hidden};
    use crate::model::{AssumptionSet, NumField, Scenario};

    #[test]
    fn the_home_readout_is_the_users_traffic() {
        let s = Scenario::default();
        let chart = instances_vs_traffic(&s, &AssumptionSet::published(), &Hidden::default());
        let home = chart.home().unwrap();
        assert_eq!(chart.traffic[home], s.get(NumField::AvgRps));
        let r = chart.readout(home).unwrap();
        assert_eq!(r.heading, "At 200 req/s average");
        assert_eq!(r.rows.len(), 5);
        assert!(r.rows.iter().all(|row| row.value.contains("instances")));
        assert!(chart.readout(chart.positions()).is_none());
    }

    #[test]
    fn tables_are_rectangular() {
        let s = Scenario::default();
        let chart = instances_vs_traffic(&s, &AssumptionSet::published(), &Hidden::default());
        let t = chart.table();
        assert_eq!(t.rows.len(), chart.traffic.len());
        assert!(t.rows.iter().all(|r| r.len() == t.head.len()));
    }
}
