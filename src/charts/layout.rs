//! Layout that charts share: the page around a chart (background, title,
//! legend), notes and captions, the key of a bar chart, reference lines,
//! margins, and the rows of a chart of bars.
//!
//! Everything here adds primitives to a [`Painter`] in backend pixels and
//! knows nothing about any one chart: a chart's own file decides what goes
//! where, these functions how it looks.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, VPos};

use super::axis::{plot_frame, Axis, AxisText, Margins, Plot};
use super::frame::{Along, PlotFrame};
use super::scene::{fit, text_width, Painter, LABEL_PX, TICK_PX};
use super::theme::Theme;
use crate::model::Stack;

/// Shown on a chart whose every stack is hidden.
pub const ALL_HIDDEN: &str = "Every stack is hidden: choose one in the legend.";

/// Title size, CSS pixels.
const TITLE_PX: f64 = 15.0;
/// Below this CSS width a chart uses fewer ticks and shorter words.
pub(super) const NARROW_CSS_PX: f64 = 480.0;

/// A rectangle in backend pixels: left, top, right, bottom.
pub(super) type Rect = (i32, i32, i32, i32);

/// Fills the background and, for a file of its own, draws the title at the
/// top and a legend of `legend` at the bottom. Returns the rectangle left
/// for the chart.
pub(super) fn page(p: &mut Painter<'_>, title: &str, legend: &[Stack]) -> Rect {
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
            marked_name(p, *stack, (p.o(x + 7.0), y), p.o(x + 18.0), 4.0);
        }
    }
    (0, p.o(30.0), p.width, bottom)
}

/// A stack's marker of `css_radius` at `at` and its name from `name_x`,
/// centred on the same line (the legend, the rows of the probability
/// chart).
pub(super) fn marked_name(
    p: &mut Painter<'_>,
    stack: Stack,
    at: (i32, i32),
    name_x: i32,
    css_radius: f64,
) {
    let theme = p.theme;
    p.mark(
        at,
        Theme::marker(stack),
        f64::from(theme.px(css_radius)),
        theme.stack_color(stack).to_rgba(),
        None,
    );
    p.text(
        stack.label(),
        (name_x, at.1),
        LABEL_PX,
        theme.foreground,
        (HPos::Left, VPos::Center),
    );
}

/// Writes `note` in the middle of the plot (an empty or waiting chart).
pub(super) fn centre_note(p: &mut Painter<'_>, plot: &Plot, note: &str) {
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
pub(super) fn y_caption(p: &mut Painter<'_>, rect: Rect, caption: &str) {
    let width = p.css_width();
    p.text(
        fit(caption, width - 16.0, LABEL_PX),
        (rect.0 + p.o(8.0), rect.1 + p.o(4.0)),
        LABEL_PX,
        p.theme.muted,
        (HPos::Left, VPos::Top),
    );
}

/// A labelled vertical reference line at `x` (the user's traffic).
pub(super) fn vertical_rule(p: &mut Painter<'_>, plot: &Plot, x: f64, label: &str) {
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
pub(super) fn horizontal_rule(p: &mut Painter<'_>, plot: &Plot, y: f64, label: &str) {
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

/// Margins of a line chart, CSS pixels: room for the y caption above and
/// the tick labels left and below.
pub(super) fn line_margins(narrow: bool, wide_labels: bool) -> Margins {
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

/// A small key of swatches in one line at the top of a chart; an entry
/// whose name starts with `|` gets a thin rule instead of a block.
pub(super) fn key(p: &mut Painter<'_>, rect: Rect, entries: &[(RGBAColor, &str)]) {
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

/// Geometry of a chart of rows (memory, probability, tornado).
pub(super) struct Rows {
    /// The plot the rows fill, top to bottom.
    pub(super) plot: Plot,
    /// Height of one row, backend pixels.
    pub(super) row: f64,
}

impl Rows {
    /// Top of row `i`, backend pixels.
    pub(super) fn top_of(&self, i: usize) -> i32 {
        self.plot.top + (self.row * i as f64).round() as i32
    }

    /// Width of the plot, CSS pixels.
    pub(super) fn css_width(&self, theme: &Theme) -> f64 {
        f64::from(self.plot.right - self.plot.left) / theme.ratio()
    }

    /// Writes `words` at the top of row `i` and returns the top and bottom
    /// of the bar under them, which ends `gap` CSS pixels above the next
    /// row (memory and tornado rows: a sentence, then a bar).
    pub(super) fn labelled_bar(
        &self,
        p: &mut Painter<'_>,
        i: usize,
        words: &str,
        gap: f64,
    ) -> (i32, i32) {
        let top = self.top_of(i);
        let bar_top = top + ((self.row * 0.5).round() as i32).max(p.o(16.0));
        let bar_bottom = (self.top_of(i + 1) - p.o(gap)).max(bar_top + p.o(4.0));
        p.text(
            fit(words, self.css_width(p.theme), LABEL_PX),
            (self.plot.left, top + p.o(3.0)),
            LABEL_PX,
            p.theme.foreground,
            (HPos::Left, VPos::Top),
        );
        (bar_top, bar_bottom)
    }

    /// The hover frame of `count` rows: one mark at the middle of each.
    pub(super) fn frame(&self, theme: &Theme, count: usize) -> PlotFrame {
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
pub(super) fn rows_frame(
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
