//! A chart as a list of plotters elements in backend pixels, the painter
//! that collects them, and the one small generic function that puts such a
//! list on any backend.
//!
//! Building a chart (layout, axes, ticks, series) is plain code compiled
//! once; only [`replay`] is generic over the backend. The canvas and the SVG
//! export therefore share every line of chart code without the download
//! carrying it twice, and the canvas sees few, large primitives: no text is
//! ever measured (plotters measures through the DOM on a canvas), widths of
//! the few texts placed by hand are estimated from their length. Axes are
//! drawn on top of this in `axis`, the parts charts share (title, legend,
//! notes, rows) in `layout`.

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

/// Tick labels and small notes, CSS pixels.
pub const TICK_PX: f64 = 11.0;
/// Axis titles, labels.
pub const LABEL_PX: f64 = 12.0;

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

    /// The theme's font at `px` backend pixels. The family goes in as a
    /// name, which reaches the canvas and the SVG as it is written:
    /// plotters' conversion from a string would lower-case it first, and
    /// that one call links the standard library's Unicode case tables
    /// (about 17 KB) into the page.
    fn font(&self, px: f64) -> FontDesc<'static> {
        FontDesc::new(
            FontFamily::Name(self.theme.font_family),
            px,
            FontStyle::Normal,
        )
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
        let style = self.font(px).color(&color).pos(Pos::new(h, v));
        self.prims
            .push(Prim::Label(s.into(), style, at, font_key(px, false)));
    }

    /// Bold text, for titles.
    pub fn bold(&mut self, s: impl Into<String>, at: (i32, i32), css_px: f64, color: RGBColor) {
        let px = self.theme.font_px(css_px);
        let style = self
            .font(px)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_text_is_cut_with_an_ellipsis() {
        assert_eq!(fit("short", 200.0, 12.0), "short");
        let cut = fit("a label far too long for its room", 60.0, 12.0);
        assert!(cut.ends_with('…') && cut.chars().count() < 12, "{cut}");
    }
}
