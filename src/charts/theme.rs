//! Colours and sizes for charts, in light and dark variants.
//!
//! The palette mirrors the custom properties in `style/main.css` (`--bg`,
//! `--fg`, `--series-*`) so a chart matches the page around it. Sizes are in
//! CSS pixels and multiplied by [`Theme::scale`], so a canvas whose buffer is
//! `devicePixelRatio` times its CSS size draws text and lines at the same
//! apparent size as on a standard screen.

use plotters::style::RGBColor;

/// Colours and sizes used by every chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Fill behind the whole chart.
    pub background: RGBColor,
    /// Text, axes and legend border.
    pub foreground: RGBColor,
    /// Secondary text (axis descriptions).
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// One colour per series, used in order and wrapped around.
    pub series: [RGBColor; 5],
    /// Device pixels per CSS pixel; 1.0 for SVG. Values that are not finite
    /// or not positive are treated as 1.0 by [`Theme::px`].
    pub scale: f64,
    /// CSS font family for all chart text (a generic family: no web fonts).
    pub font_family: &'static str,
}

impl Theme {
    /// The light palette (matches `:root` in `style/main.css`).
    pub fn light() -> Self {
        Self {
            background: RGBColor(0xff, 0xff, 0xff),
            foreground: RGBColor(0x17, 0x20, 0x2b),
            muted: RGBColor(0x55, 0x60, 0x6e),
            grid: RGBColor(0xe3, 0xe7, 0xec),
            series: [
                RGBColor(0x1f, 0x77, 0xb4),
                RGBColor(0xd6, 0x27, 0x28),
                RGBColor(0x2c, 0xa0, 0x2c),
                RGBColor(0x94, 0x67, 0xbd),
                RGBColor(0xe0, 0x8a, 0x00),
            ],
            scale: 1.0,
            font_family: "sans-serif",
        }
    }

    /// The dark palette (matches the dark custom properties in `style/main.css`).
    pub fn dark() -> Self {
        Self {
            background: RGBColor(0x1b, 0x21, 0x29),
            foreground: RGBColor(0xe6, 0xea, 0xef),
            muted: RGBColor(0xa3, 0xad, 0xb9),
            grid: RGBColor(0x2c, 0x34, 0x3e),
            series: [
                RGBColor(0x5a, 0xa9, 0xe6),
                RGBColor(0xff, 0x6b, 0x6b),
                RGBColor(0x5f, 0xd0, 0x68),
                RGBColor(0xb8, 0x9c, 0xf0),
                RGBColor(0xff, 0xb3, 0x47),
            ],
            scale: 1.0,
            font_family: "sans-serif",
        }
    }

    /// The same theme drawn at `scale` device pixels per CSS pixel.
    pub fn with_scale(self, scale: f64) -> Self {
        Self { scale, ..self }
    }

    /// `css_px` CSS pixels in device pixels, rounded, at least 1.
    pub fn px(&self, css_px: f64) -> u32 {
        let scale = if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        };
        // Saturating float-to-int cast: huge or NaN products cannot wrap.
        ((css_px * scale).round() as u32).max(1)
    }

    /// Colour of series number `index`, wrapping around the palette.
    pub fn series_color(&self, index: usize) -> RGBColor {
        self.series[index % self.series.len()]
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::light()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn px_scales_and_never_returns_zero() {
        let t = Theme::light().with_scale(2.0);
        assert_eq!(t.px(12.0), 24);
        assert_eq!(t.px(0.0), 1);
        assert_eq!(Theme::light().with_scale(f64::NAN).px(10.0), 10);
        assert_eq!(Theme::light().with_scale(-3.0).px(10.0), 10);
        assert_eq!(Theme::light().with_scale(f64::INFINITY).px(10.0), 10);
    }

    #[test]
    fn series_colours_wrap() {
        let t = Theme::dark();
        assert_eq!(t.series_color(0), t.series_color(5));
    }
}
