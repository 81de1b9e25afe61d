//! Drawing chart data on any plotters backend.
//!
//! Each chart is one function generic over [`DrawingBackend`]: the page
//! calls it with a canvas backend, tests and exports with `SVGBackend`. The
//! functions take finished chart data and a [`Theme`]; they never call the
//! model and never panic on odd data (empty series, one point, zeros).

use plotters::coord::Shift;
use plotters::prelude::*;

use super::data::InstancesChart;
use super::theme::Theme;

/// Axis description under the x axis of traffic charts.
pub const TRAFFIC_AXIS: &str = "Average requests/s (log scale)";
/// Axis description beside the y axis of the instances chart.
pub const INSTANCES_AXIS: &str = "Instances (log scale)";

/// A text style in the theme's font at `css_px` CSS pixels.
fn text(theme: &Theme, css_px: f64, color: RGBColor) -> TextStyle<'static> {
    (theme.font_family, f64::from(theme.px(css_px)))
        .into_font()
        .color(&color)
}

/// `value` in a short human form: 950, 1.5k, 20k, 3M.
///
/// Non-finite values print as an empty string (an axis label is then blank
/// rather than "NaN").
pub fn short_number(value: f64) -> String {
    if !value.is_finite() {
        return String::new();
    }
    let abs = value.abs();
    let (scaled, suffix) = if abs >= 1e6 {
        (value / 1e6, "M")
    } else if abs >= 1e3 {
        (value / 1e3, "k")
    } else {
        (value, "")
    };
    if scaled.fract().abs() < 1e-9 || scaled.abs() >= 100.0 {
        format!("{scaled:.0}{suffix}")
    } else if scaled.abs() >= 1.0 {
        format!("{scaled:.1}{suffix}")
    } else {
        format!("{scaled:.2}{suffix}")
    }
}

/// Draws instances needed against average traffic, one line per stack, on
/// log-log axes, with a dashed line at the scenario's own traffic and a
/// legend.
///
/// Instance counts below 1 are drawn at 1 (the log axis starts there). An
/// empty chart (no series or no points) still draws its axes.
pub fn draw_instances<DB: DrawingBackend>(
    area: &DrawingArea<DB, Shift>,
    data: &InstancesChart,
    theme: &Theme,
) -> Result<(), DrawingAreaErrorKind<DB::ErrorType>> {
    area.fill(&theme.background)?;

    let x_min = data.traffic_min;
    let x_max = data.traffic_max.max(x_min * 10.0);
    // Headroom above the largest series so the top line is not on the frame.
    let y_max = (data.instances_max * 1.5).max(10.0);

    let mut chart = ChartBuilder::on(area)
        .margin(theme.px(12.0))
        .x_label_area_size(theme.px(44.0))
        .y_label_area_size(theme.px(56.0))
        .build_cartesian_2d((x_min..x_max).log_scale(), (1.0..y_max).log_scale())?;

    let number = |v: &f64| short_number(*v);
    chart
        .configure_mesh()
        .x_desc(TRAFFIC_AXIS)
        .y_desc(INSTANCES_AXIS)
        .x_label_formatter(&number)
        .y_label_formatter(&number)
        .label_style(text(theme, 12.0, theme.foreground))
        .axis_desc_style(text(theme, 12.0, theme.muted))
        .axis_style(ShapeStyle::from(&theme.muted).stroke_width(theme.px(1.0)))
        .bold_line_style(ShapeStyle::from(&theme.grid).stroke_width(theme.px(1.0)))
        .light_line_style(TRANSPARENT)
        .draw()?;

    let line_width = theme.px(2.0);
    let swatch = i32::try_from(theme.px(18.0)).unwrap_or(18);
    for (i, series) in data.series.iter().enumerate() {
        let color = theme.series_color(i);
        let points = series
            .points
            .iter()
            .filter(|(x, y)| x.is_finite() && y.is_finite())
            .map(|&(x, y)| (x, y.max(1.0)));
        chart
            .draw_series(LineSeries::new(points, color.stroke_width(line_width)))?
            .label(series.label.as_str())
            .legend(move |(x, y)| {
                PathElement::new(
                    vec![(x, y), (x + swatch, y)],
                    color.stroke_width(line_width),
                )
            });
    }

    // The scenario's own traffic: a dashed vertical line, when on the axis.
    let current = data.current_traffic;
    if current.is_finite() && (x_min..=x_max).contains(&current) {
        let style = ShapeStyle::from(&theme.muted).stroke_width(theme.px(1.0));
        chart
            .draw_series(DashedLineSeries::new(
                [(current, 1.0), (current, y_max)],
                theme.px(6.0),
                theme.px(4.0),
                style,
            ))?
            .label(format!("Your traffic: {} req/s", short_number(current)))
            .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + swatch, y)], style));
    }

    if !data.series.is_empty() {
        chart
            .configure_series_labels()
            .position(SeriesLabelPosition::UpperLeft)
            .margin(theme.px(8.0))
            .legend_area_size(theme.px(24.0))
            .label_font(text(theme, 12.0, theme.foreground))
            .background_style(theme.background.mix(0.9))
            .border_style(ShapeStyle::from(&theme.grid).stroke_width(theme.px(1.0)))
            .draw()?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_numbers_read_well() {
        assert_eq!(short_number(1.0), "1");
        assert_eq!(short_number(950.0), "950");
        assert_eq!(short_number(1500.0), "1.5k");
        assert_eq!(short_number(20_000.0), "20k");
        assert_eq!(short_number(3_000_000.0), "3M");
        assert_eq!(short_number(0.5), "0.50");
        assert_eq!(short_number(f64::NAN), "");
        assert_eq!(short_number(f64::INFINITY), "");
    }
}
