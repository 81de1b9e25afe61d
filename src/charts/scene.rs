//! A chart as a list of plotters elements in backend pixels, and the one
//! small generic function that puts such a list on any backend.
//!
//! Building a chart (layout, axes, ticks, series) is plain code compiled
//! once; only [`replay`] is generic over the backend. The canvas and the SVG
//! export therefore share every line of chart code without the download
//! carrying it twice, and the canvas sees few, large primitives: no text is
//! ever measured (plotters measures through the DOM on a canvas), widths of
//! the few texts placed by hand are estimated from their length.

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::frame::PlotFrame;
use super::theme::{MarkerShape, Theme};

/// What [`replay`] returns.
pub type Fallible<DB, T = ()> = Result<T, DrawingAreaErrorKind<<DB as DrawingBackend>::ErrorType>>;

/// Average advance of a sans-serif glyph, in ems (for placing text without
/// measuring it).
const GLYPH_EM: f64 = 0.56;

/// One drawing primitive, in backend pixels.
pub enum Prim {
    /// A polyline.
    Line(PathElement<(i32, i32)>),
    /// A filled polygon.
    Fill(Polygon<(i32, i32)>),
    /// A filled rectangle.
    Block(Rectangle<(i32, i32)>),
    /// A circle, filled or stroked.
    Round(Circle<(i32, i32), u32>),
    /// Text at a point, anchored by its style; the last field names the
    /// font (size and weight) so texts can be grouped by it.
    Label(String, TextStyle<'static>, (i32, i32), u32),
}

/// A chart laid out at one size: what to draw, and where the data went.
pub struct Scene {
    /// The primitives, in drawing order.
    pub prims: Vec<Prim>,
    /// Where each hover position lies, to map a pointer back to the data.
    pub frame: PlotFrame,
}

/// Puts `prims` on `area`: shapes in order, then texts, grouped by font.
///
/// Texts go on top of every shape (no chart puts a shape over a text), and
/// a canvas re-parses its font whenever it changes: grouping makes that a
/// few times per chart instead of once per label.
pub fn replay<DB: DrawingBackend>(area: &DrawingArea<DB, Shift>, prims: &[Prim]) -> Fallible<DB> {
    let mut fonts: Vec<u32> = Vec::new();
    for prim in prims {
        match prim {
            Prim::Line(e) => area.draw(e)?,
            Prim::Fill(e) => area.draw(e)?,
            Prim::Block(e) => area.draw(e)?,
            Prim::Round(e) => area.draw(e)?,
            Prim::Label(.., font) => {
                if !fonts.contains(font) {
                    fonts.push(*font);
                }
            }
        }
    }
    for font in fonts {
        for prim in prims {
            if let Prim::Label(text, style, at, f) = prim {
                if *f == font {
                    area.draw_text(text, style, *at)?;
                }
            }
        }
    }
    Ok(())
}

/// A key naming a font: its size in hundredths of a pixel, bold or not.
fn font_key(px: f64, bold: bool) -> u32 {
    ((px * 100.0).round() as u32) << 1 | u32::from(bold)
}

/// Estimated width of `s` at `css_px`, CSS pixels.
pub fn text_width(s: &str, css_px: f64) -> f64 {
    s.chars().count() as f64 * css_px * GLYPH_EM
}

/// `s` cut to fit `width` CSS pixels at `css_px`, with an ellipsis.
pub fn fit(s: &str, width: f64, css_px: f64) -> String {
    let room = (width / (css_px * GLYPH_EM)).floor().max(1.0) as usize;
    if s.chars().count() <= room {
        s.to_string()
    } else {
        let mut cut: String = s.chars().take(room.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

/// Collects the primitives of one chart of a given size.
pub struct Painter<'t> {
    /// Colours and sizes.
    pub theme: &'t Theme,
    /// Size of the whole chart, backend pixels.
    pub width: i32,
    /// Height of the whole chart, backend pixels.
    pub height: i32,
    /// What has been drawn so far.
    pub prims: Vec<Prim>,
}

impl<'t> Painter<'t> {
    /// A painter for a chart of `size` backend pixels.
    pub fn new(theme: &'t Theme, size: (u32, u32)) -> Painter<'t> {
        Painter {
            theme,
            width: i32::try_from(size.0).unwrap_or(i32::MAX),
            height: i32::try_from(size.1).unwrap_or(i32::MAX),
            prims: Vec::with_capacity(128),
        }
    }

    /// Width of the chart in CSS pixels.
    pub fn css_width(&self) -> f64 {
        f64::from(self.width) / self.theme.ratio()
    }

    /// `css` CSS pixels in backend pixels.
    pub fn o(&self, css: f64) -> i32 {
        self.theme.offset(css)
    }

    /// A polyline `css_width` CSS pixels wide.
    pub fn line(&mut self, points: Vec<(i32, i32)>, color: RGBAColor, css_width: f64) {
        if points.len() > 1 {
            let style = ShapeStyle {
                color,
                filled: false,
                stroke_width: self.theme.px(css_width),
            };
            self.prims.push(Prim::Line(PathElement::new(points, style)));
        }
    }

    /// A filled polygon.
    pub fn fill(&mut self, points: Vec<(i32, i32)>, color: RGBAColor) {
        if points.len() > 2 {
            self.prims
                .push(Prim::Fill(Polygon::new(points, color.filled())));
        }
    }

    /// A filled rectangle between two corners (in any order); nothing when
    /// it has no area.
    pub fn block(&mut self, a: (i32, i32), b: (i32, i32), color: RGBAColor) {
        if a.0 != b.0 && a.1 != b.1 {
            let corners = [(a.0.min(b.0), a.1.min(b.1)), (a.0.max(b.0), a.1.max(b.1))];
            self.prims
                .push(Prim::Block(Rectangle::new(corners, color.filled())));
        }
    }

    /// A circle outline `css_width` wide.
    pub fn ring(&mut self, at: (i32, i32), radius: u32, color: RGBAColor, css_width: f64) {
        let style = ShapeStyle {
            color,
            filled: false,
            stroke_width: self.theme.px(css_width),
        };
        self.prims.push(Prim::Round(Circle::new(at, radius, style)));
    }

    /// Text of `css_px` CSS pixels anchored at `at` by `h` and `v`.
    pub fn text(
        &mut self,
        s: impl Into<String>,
        at: (i32, i32),
        css_px: f64,
        color: RGBColor,
        (h, v): (HPos, VPos),
    ) {
        let px = self.theme.font_px(css_px);
        let style = (self.theme.font_family, px)
            .into_font()
            .color(&color)
            .pos(Pos::new(h, v));
        self.prims
            .push(Prim::Label(s.into(), style, at, font_key(px, false)));
    }

    /// Bold text, for titles.
    pub fn bold(&mut self, s: impl Into<String>, at: (i32, i32), css_px: f64, color: RGBColor) {
        let px = self.theme.font_px(css_px);
        let style = (self.theme.font_family, px)
            .into_font()
            .style(FontStyle::Bold)
            .color(&color)
            .pos(Pos::new(HPos::Left, VPos::Top));
        self.prims
            .push(Prim::Label(s.into(), style, at, font_key(px, true)));
    }

    /// A stack's marker centred on `at`, `radius` backend pixels, optionally
    /// on a ring of `ring` so it stands out over lines.
    pub fn mark(
        &mut self,
        at: (i32, i32),
        shape: MarkerShape,
        radius: f64,
        color: RGBAColor,
        ring: Option<RGBColor>,
    ) {
        let outline = |r: f64| {
            shape
                .outline(r)
                .into_iter()
                .map(|(dx, dy)| (at.0 + dx.round() as i32, at.1 + dy.round() as i32))
                .collect::<Vec<_>>()
        };
        let mut put = |r: f64, color: RGBAColor| {
            if shape == MarkerShape::Circle {
                self.prims.push(Prim::Round(Circle::new(
                    at,
                    r.round().max(1.0) as u32,
                    color.filled(),
                )));
            } else {
                self.prims
                    .push(Prim::Fill(Polygon::new(outline(r), color.filled())));
            }
        };
        if let Some(ring) = ring {
            put(radius * 1.6, ring.to_rgba());
        }
        put(radius, color);
    }

    /// The scene drawn so far, with the frame of its data.
    pub fn finish(self, frame: PlotFrame) -> Scene {
        Scene {
            prims: self.prims,
            frame,
        }
    }
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

/// Text sizes, CSS pixels.
pub const TICK_PX: f64 = 11.0;
/// Axis titles, labels.
pub const LABEL_PX: f64 = 12.0;

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
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("short", 200.0, 12.0), "short");
        let cut = fit("a label far too long for its room", 60.0, 12.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 12, "{cut}");
    }
}
