//! What the page needs of every chart, in one trait, and the helpers that
//! build the read-outs and tables line charts share.
//!
//! A [`Chart`] is chart data that lays itself out as a [`Scene`] (and so
//! draws itself on any backend), says what it shows at each hover position
//! (the read-out under the canvas), and gives the same numbers as a table
//! for screen readers and for anyone who wants them. The page treats every
//! chart alike through it; each chart implements it in its own file. Text
//! here is formatted with the model's formatters (`model::format`) only.

use plotters::coord::Shift;
use plotters::prelude::{DrawingArea, DrawingAreaErrorKind, DrawingBackend};

use super::frame::PlotFrame;
use super::scene::{replay, Scene};
use super::series::StackLine;
use super::theme::Theme;
use crate::model::format::significant;
use crate::model::Stack;

/// What [`Chart::draw`] returns.
pub type DrawResult<DB> =
    Result<PlotFrame, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// What a chart is called.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Names {
    /// Stable key for element ids and file names.
    pub key: &'static str,
    /// The chart's title.
    pub title: &'static str,
}

impl Names {
    /// A chart's `key` and `title`.
    pub const fn new(key: &'static str, title: &'static str) -> Names {
        Names { key, title }
    }
}

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

/// What a chart is called. Every chart's names are given where the charts
/// are listed (`charts!` in `charts/mod.rs`), beside its type.
pub trait Named {
    /// The chart's key and title.
    fn names(&self) -> Names;
}

/// Chart data the page can draw, read out and tabulate.
pub trait Chart: Named + Clone + PartialEq + Send + Sync + 'static {
    /// Stable key for element ids and file names.
    fn key(&self) -> &'static str {
        self.names().key
    }
    /// The chart's title.
    fn title(&self) -> &'static str {
        self.names().title
    }
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
    /// user's own traffic, the end of the horizon); the first position
    /// unless the chart says otherwise, `None` when there is none.
    fn home(&self) -> Option<usize> {
        (self.positions() > 0).then_some(0)
    }
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
pub(super) fn nearest_index(xs: &[f64], x: f64) -> Option<usize> {
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
pub(super) fn with_range(line: &StackLine, i: usize, fmt: &dyn Fn(f64) -> String) -> String {
    let y = line.y.get(i).copied().unwrap_or(f64::NAN);
    match line.band.get(i) {
        Some(&(lo, hi)) if fmt(lo) != fmt(hi) => format!("{} ({}–{})", fmt(y), fmt(lo), fmt(hi)),
        _ => fmt(y),
    }
}

/// A line chart's read-out: one row per line at position `i`.
pub(super) fn line_readout(
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
pub(super) fn line_table(
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
pub(super) fn rps(v: f64) -> String {
    format!("{} req/s", significant(v))
}
