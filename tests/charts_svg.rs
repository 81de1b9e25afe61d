//! Charts drawn natively into SVG: the same drawing code the page runs on a
//! canvas, checked without a browser.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used)]

use plotters::prelude::*;
use stackwise::charts::draw::short_number;
use stackwise::charts::{draw_instances, instances_vs_traffic, InstancesChart, StackSeries, Theme};
use stackwise::model::{AssumptionSet, NumField, Scenario, Stack};

fn render(data: &InstancesChart, theme: &Theme) -> String {
    let mut svg = String::new();
    {
        let area = SVGBackend::with_string(&mut svg, (800, 500)).into_drawing_area();
        draw_instances(&area, data, theme).unwrap();
        area.present().unwrap();
    }
    svg
}

#[test]
fn instances_chart_draws_one_line_and_legend_entry_per_stack() {
    let data = instances_vs_traffic(&Scenario::default(), &AssumptionSet::published());
    let svg = render(&data, &Theme::light());

    assert!(svg.starts_with("<svg"), "not an SVG document");
    // One polyline per series, plus one per legend swatch.
    let lines = svg.matches("<polyline").count();
    assert!(
        lines >= 2 * Stack::ALL.len(),
        "expected at least {} polylines, found {lines}",
        2 * Stack::ALL.len()
    );
    for stack in Stack::ALL {
        let label = stack.label();
        assert!(svg.contains(label), "legend is missing {label}");
    }
    assert!(
        svg.contains("Average requests/s"),
        "x axis description missing"
    );
    assert!(svg.contains("Instances"), "y axis description missing");
    assert!(!svg.contains("NaN"), "the chart contains NaN");
    let marker = format!(
        "Your traffic: {} req/s",
        short_number(Scenario::default().get(NumField::AvgRps))
    );
    assert!(svg.contains(&marker), "traffic marker {marker:?} missing");
}

#[test]
fn each_series_is_drawn_in_its_own_colour() {
    let data = instances_vs_traffic(&Scenario::default(), &AssumptionSet::published());
    let theme = Theme::dark();
    let svg = render(&data, &theme);
    for i in 0..data.series.len() {
        let RGBColor(r, g, b) = theme.series_color(i);
        let hex = format!("#{r:02X}{g:02X}{b:02X}");
        assert!(
            svg.to_uppercase().contains(&hex),
            "series {i} colour {hex} not found"
        );
    }
}

#[test]
fn empty_and_degenerate_data_still_draws() {
    let empty = InstancesChart {
        traffic_min: 1.0,
        traffic_max: 1.0,
        instances_max: 0.0,
        current_traffic: f64::NAN,
        series: Vec::new(),
    };
    let svg = render(&empty, &Theme::light());
    assert!(svg.contains("Average requests/s"));

    let odd = InstancesChart {
        traffic_min: 10.0,
        traffic_max: 1000.0,
        instances_max: f64::NAN,
        current_traffic: 100.0,
        series: vec![StackSeries {
            label: "odd".to_string(),
            points: vec![
                (10.0, 0.0),
                (f64::NAN, 3.0),
                (100.0, f64::INFINITY),
                (1000.0, 2.0),
            ],
        }],
    };
    let svg = render(&odd, &Theme::light().with_scale(2.0));
    assert!(!svg.contains("NaN"));
    assert!(svg.contains("odd"));
}
