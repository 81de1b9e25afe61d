//! Colours, marker shapes and sizes for charts, in light and dark variants.
//!
//! Every stack has one colour and one marker shape in every chart, taken
//! from the Okabe-Ito palette (Okabe and Ito, "Color Universal Design",
//! 2008), which stays distinguishable for the common forms of colour
//! blindness. Where an Okabe-Ito colour has less than 3:1 contrast with the
//! chart background it is darkened (light) or lightened (dark) within its
//! hue. The marker shape tells stacks apart without colour at all.
//!
//! The same colours are written as custom properties in `style/charts.css`
//! (`--stack-*`) for the HTML legend; a native test keeps the two in step.
//! Sizes are in CSS pixels and multiplied by [`Theme::scale`], so a canvas
//! whose buffer is `devicePixelRatio` times its CSS size draws text and
//! lines at the same apparent size as a standard screen.

use plotters::style::RGBColor;

use crate::model::Stack;

/// Twelve points on the unit circle, every 30 degrees (a table, so the
/// download carries no sine or cosine).
const UNIT_CIRCLE: [(f64, f64); 12] = [
    (1.0, 0.0),
    (0.866_025_403_784_438_6, 0.5),
    (0.5, 0.866_025_403_784_438_6),
    (0.0, 1.0),
    (-0.5, 0.866_025_403_784_438_6),
    (-0.866_025_403_784_438_6, 0.5),
    (-1.0, 0.0),
    (-0.866_025_403_784_438_6, -0.5),
    (-0.5, -0.866_025_403_784_438_6),
    (0.0, -1.0),
    (0.5, -0.866_025_403_784_438_6),
    (0.866_025_403_784_438_6, -0.5),
];

/// The shape that marks a stack's points, in charts and in the legend.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerShape {
    /// A filled circle.
    Circle,
    /// A filled square.
    Square,
    /// A triangle pointing up.
    Triangle,
    /// A square on its corner.
    Diamond,
    /// A plus sign with thick arms.
    Plus,
}

impl MarkerShape {
    /// Corners of the shape around `(0, 0)` for a marker of radius `r`
    /// (y grows downwards, as on screen). A circle is returned as a
    /// 12-sided polygon, for drawing code that has no circles.
    pub fn outline(self, r: f64) -> Vec<(f64, f64)> {
        match self {
            MarkerShape::Circle => UNIT_CIRCLE.iter().map(|(x, y)| (r * x, r * y)).collect(),
            MarkerShape::Square => {
                let s = r * 0.85;
                vec![(-s, -s), (s, -s), (s, s), (-s, s)]
            }
            MarkerShape::Triangle => {
                let h = r * 1.15;
                vec![(0.0, -h), (h, h * 0.75), (-h, h * 0.75)]
            }
            MarkerShape::Diamond => {
                let d = r * 1.2;
                vec![(0.0, -d), (d, 0.0), (0.0, d), (-d, 0.0)]
            }
            MarkerShape::Plus => {
                let a = r * 1.1;
                let t = r * 0.4;
                vec![
                    (-t, -a),
                    (t, -a),
                    (t, -t),
                    (a, -t),
                    (a, t),
                    (t, t),
                    (t, a),
                    (-t, a),
                    (-t, t),
                    (-a, t),
                    (-a, -t),
                    (-t, -t),
                ]
            }
        }
    }

    /// The shape as SVG path data centred on `(cx, cy)` with radius `r`,
    /// for the HTML legend's swatches.
    pub fn svg_path(self, cx: f64, cy: f64, r: f64) -> String {
        let mut d = String::new();
        for (i, (x, y)) in self.outline(r).into_iter().enumerate() {
            let cmd = if i == 0 { 'M' } else { 'L' };
            d.push_str(&format!("{cmd}{:.2} {:.2}", cx + x, cy + y));
        }
        d.push('Z');
        d
    }
}

/// Colours and sizes used by every chart.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Theme {
    /// Whether this is the dark variant.
    pub dark: bool,
    /// Fill behind the whole chart.
    pub background: RGBColor,
    /// Text, axes and legend border.
    pub foreground: RGBColor,
    /// Secondary text (axis descriptions) and reference lines.
    pub muted: RGBColor,
    /// Grid lines.
    pub grid: RGBColor,
    /// One colour per stack, in the order of [`Stack::ALL`].
    pub stacks: [RGBColor; 5],
    /// Device pixels per CSS pixel; 1.0 for SVG. Values that are not finite
    /// or not positive are treated as 1.0 by [`Theme::px`].
    pub scale: f64,
    /// CSS font family for all chart text (a generic family: no web fonts).
    pub font_family: &'static str,
    /// Draw the title and a legend inside the image. The page shows both
    /// in HTML around the canvas; an exported file has to carry them.
    pub standalone: bool,
    /// Factor on every font size. plotters' SVG backend writes font sizes
    /// divided by 1.24 (points to pixels), the canvas backend does not;
    /// [`Theme::for_svg`] undoes the division so an export matches the page.
    pub text_scale: f64,
}

/// What plotters' SVG backend divides font sizes by.
const SVG_FONT_DIVISOR: f64 = 1.24;

/// Okabe-Ito colours on a white background, at least 3:1 contrast.
const LIGHT_STACKS: [RGBColor; 5] = [
    RGBColor(0x00, 0x9e, 0x73), // FastAPI: bluish green
    RGBColor(0x00, 0x72, 0xb2), // Express: blue
    RGBColor(0xd5, 0x5e, 0x00), // Fastify: vermillion
    RGBColor(0xcc, 0x79, 0xa7), // NestJS: reddish purple
    RGBColor(0xc1, 0x7f, 0x00), // Hybrid: orange, darkened
];

/// Okabe-Ito colours on the dark surface, at least 3:1 contrast.
const DARK_STACKS: [RGBColor; 5] = [
    RGBColor(0x00, 0x9e, 0x73), // FastAPI: bluish green
    RGBColor(0x56, 0xb4, 0xe9), // Express: sky blue
    RGBColor(0xe8, 0x74, 0x3b), // Fastify: vermillion, lightened
    RGBColor(0xcc, 0x79, 0xa7), // NestJS: reddish purple
    RGBColor(0xe6, 0x9f, 0x00), // Hybrid: orange
];

impl Theme {
    /// The light palette (the page's light surface colours).
    pub fn light() -> Self {
        Self {
            dark: false,
            background: RGBColor(0xff, 0xff, 0xff),
            foreground: RGBColor(0x17, 0x20, 0x2b),
            muted: RGBColor(0x55, 0x60, 0x6e),
            grid: RGBColor(0xe3, 0xe7, 0xec),
            stacks: LIGHT_STACKS,
            scale: 1.0,
            font_family: "sans-serif",
            standalone: false,
            text_scale: 1.0,
        }
    }

    /// The dark palette (the page's dark surface colours).
    pub fn dark() -> Self {
        Self {
            dark: true,
            background: RGBColor(0x1b, 0x21, 0x29),
            foreground: RGBColor(0xe6, 0xea, 0xef),
            muted: RGBColor(0xa3, 0xad, 0xb9),
            grid: RGBColor(0x2c, 0x34, 0x3e),
            stacks: DARK_STACKS,
            scale: 1.0,
            font_family: "sans-serif",
            standalone: false,
            text_scale: 1.0,
        }
    }

    /// The same theme drawn at `scale` device pixels per CSS pixel.
    pub fn with_scale(self, scale: f64) -> Self {
        Self { scale, ..self }
    }

    /// The same theme for a file of its own: title and legend drawn in.
    pub fn standalone(self) -> Self {
        Self {
            standalone: true,
            ..self
        }
    }

    /// The same theme for plotters' SVG backend: text at the size the
    /// canvas shows it.
    pub fn for_svg(self) -> Self {
        Self {
            text_scale: SVG_FONT_DIVISOR,
            ..self
        }
    }

    /// Font size in device pixels for `css_px` CSS pixels of text.
    pub fn font_px(&self, css_px: f64) -> f64 {
        let k = if self.text_scale.is_finite() && self.text_scale > 0.0 {
            self.text_scale
        } else {
            1.0
        };
        css_px * self.ratio() * k
    }

    /// Device pixels per CSS pixel, 1.0 when [`Theme::scale`] is unusable.
    pub fn ratio(&self) -> f64 {
        if self.scale.is_finite() && self.scale > 0.0 {
            self.scale
        } else {
            1.0
        }
    }

    /// `css_px` CSS pixels in device pixels, rounded, at least 1.
    pub fn px(&self, css_px: f64) -> u32 {
        // Saturating float-to-int cast: huge or NaN products cannot wrap.
        ((css_px * self.ratio()).round() as u32).max(1)
    }

    /// [`Theme::px`] as a signed offset, for element positions.
    pub fn offset(&self, css_px: f64) -> i32 {
        (css_px * self.ratio()).round() as i32
    }

    /// The colour of `stack`.
    pub fn stack_color(&self, stack: Stack) -> RGBColor {
        self.stacks[stack.index() % self.stacks.len()]
    }

    /// The marker shape of `stack` (the same in both palettes).
    pub fn marker(stack: Stack) -> MarkerShape {
        match stack {
            Stack::FastApi => MarkerShape::Circle,
            Stack::Express => MarkerShape::Square,
            Stack::Fastify => MarkerShape::Triangle,
            Stack::NestJs => MarkerShape::Diamond,
            Stack::Hybrid => MarkerShape::Plus,
        }
    }
}

impl Default for Theme {
    fn default() -> Self {
        Self::light()
    }
}

/// `color` as `#rrggbb`, for CSS and SVG.
pub fn hex(color: RGBColor) -> String {
    format!("#{:02x}{:02x}{:02x}", color.0, color.1, color.2)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Relative luminance (WCAG 2.x).
    fn luminance(c: RGBColor) -> f64 {
        let lin = |v: u8| {
            let v = f64::from(v) / 255.0;
            if v <= 0.039_28 {
                v / 12.92
            } else {
                ((v + 0.055) / 1.055).powf(2.4)
            }
        };
        0.2126 * lin(c.0) + 0.7152 * lin(c.1) + 0.0722 * lin(c.2)
    }

    fn contrast(a: RGBColor, b: RGBColor) -> f64 {
        let (la, lb) = (luminance(a), luminance(b));
        (la.max(lb) + 0.05) / (la.min(lb) + 0.05)
    }

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
    fn every_stack_colour_stands_out_from_the_background() {
        for theme in [Theme::light(), Theme::dark()] {
            for stack in Stack::ALL {
                let c = contrast(theme.stack_color(stack), theme.background);
                assert!(c >= 3.0, "{stack:?} {c:.2} in dark={}", theme.dark);
            }
        }
    }

    #[test]
    fn stacks_have_distinct_colours_and_shapes() {
        for theme in [Theme::light(), Theme::dark()] {
            for (i, a) in Stack::ALL.iter().enumerate() {
                for b in &Stack::ALL[i + 1..] {
                    assert_ne!(theme.stack_color(*a), theme.stack_color(*b));
                    assert_ne!(Theme::marker(*a), Theme::marker(*b));
                }
            }
        }
    }

    #[test]
    fn the_circle_table_is_a_circle() {
        for (i, (x, y)) in UNIT_CIRCLE.iter().enumerate() {
            let a = i as f64 * std::f64::consts::PI / 6.0;
            assert!((x - a.cos()).abs() < 1e-12 && (y - a.sin()).abs() < 1e-12);
        }
    }

    #[test]
    fn svg_paths_are_closed_and_finite() {
        for stack in Stack::ALL {
            let d = Theme::marker(stack).svg_path(12.0, 6.0, 4.0);
            assert!(d.starts_with('M') && d.ends_with('Z'), "{d}");
            assert!(!d.contains("NaN"));
        }
    }
}
