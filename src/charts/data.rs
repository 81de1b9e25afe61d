//! Chart data: the numbers a chart plots, computed from the model.
//!
//! Everything here is a pure function of a [`Scenario`] and an
//! [`AssumptionSet`] returning plain structs, so it is tested natively and
//! the drawing code never calls the model.

use crate::model::{estimate, AssumptionSet, NumField, Scenario};

/// How many traffic levels the instances chart evaluates.
pub const TRAFFIC_LEVELS: usize = 40;

/// One stack's line on a chart.
#[derive(Clone, Debug, PartialEq)]
pub struct StackSeries {
    /// The stack's name as the user reads it (from `Stack::label`).
    pub label: String,
    /// `(x, y)` points in increasing `x`; every value is finite.
    pub points: Vec<(f64, f64)>,
}

/// Instances needed by each stack as average traffic varies.
#[derive(Clone, Debug, PartialEq)]
pub struct InstancesChart {
    /// Lowest traffic on the x axis, requests/s; always > 0 (log axis).
    pub traffic_min: f64,
    /// Highest traffic on the x axis, requests/s; always > `traffic_min`.
    pub traffic_max: f64,
    /// Largest instance count over all series; 0 when there are no points.
    pub instances_max: f64,
    /// The scenario's own average traffic, requests/s (marked on the chart).
    pub current_traffic: f64,
    /// One series per stack, in the order the model reports them.
    pub series: Vec<StackSeries>,
}

/// `count` values from `lo` to `hi` evenly spaced on a log scale.
///
/// Returns an empty vector when `count` is 0, `[lo]` when `count` is 1, and
/// an empty vector when `lo` or `hi` is not finite and positive or when
/// `hi < lo`.
pub fn log_space(lo: f64, hi: f64, count: usize) -> Vec<f64> {
    let valid = |v: f64| v.is_finite() && v > 0.0;
    if count == 0 || !valid(lo) || !valid(hi) || hi < lo {
        return Vec::new();
    }
    if count == 1 {
        return vec![lo];
    }
    let (l, h) = (lo.ln(), hi.ln());
    let last = (count - 1) as f64;
    (0..count)
        .map(|i| {
            if i == count - 1 {
                hi
            } else {
                (l + (h - l) * i as f64 / last).exp()
            }
        })
        .collect()
}

/// The traffic range the x axis spans: the average-traffic field's range.
///
/// A log axis cannot start at zero: a non-positive minimum starts the axis at
/// one step of the field (at least 1 request/s). A degenerate range (max not
/// above the start) is widened to one decade above the start.
fn traffic_range() -> (f64, f64) {
    let spec = NumField::AvgRps.spec();
    let lo = if spec.min.is_finite() && spec.min > 0.0 {
        spec.min
    } else {
        spec.step.max(1.0)
    };
    let hi = if spec.max.is_finite() && spec.max > lo {
        spec.max
    } else {
        lo * 10.0
    };
    (lo, hi)
}

/// Instances per stack at [`TRAFFIC_LEVELS`] average-traffic levels between
/// the field's minimum and maximum on a log scale; every other input comes
/// from `scenario`, whose own traffic is reported for a marker.
///
/// Levels the model refuses (`Scenario::set` returns an error) are skipped,
/// as are non-finite results, so a series may have fewer points than levels
/// but never a NaN.
pub fn instances_vs_traffic(scenario: &Scenario, assumptions: &AssumptionSet) -> InstancesChart {
    let (traffic_min, traffic_max) = traffic_range();
    let mut series: Vec<StackSeries> = Vec::new();
    for level in log_space(traffic_min, traffic_max, TRAFFIC_LEVELS) {
        let mut at_level = scenario.clone();
        if at_level.set(NumField::AvgRps, level).is_err() {
            continue;
        }
        let result = estimate(&at_level, assumptions);
        for (i, stack) in result.stacks.iter().enumerate() {
            if series.len() <= i {
                series.push(StackSeries {
                    label: stack.stack.label().to_string(),
                    points: Vec::with_capacity(TRAFFIC_LEVELS),
                });
            }
            let instances = stack.instances as f64;
            if instances.is_finite() {
                series[i].points.push((level, instances));
            }
        }
    }
    let instances_max = series
        .iter()
        .flat_map(|s| s.points.iter().map(|p| p.1))
        .fold(0.0, f64::max);
    InstancesChart {
        traffic_min,
        traffic_max,
        instances_max,
        current_traffic: scenario.get(NumField::AvgRps),
        series,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn log_space_hits_both_ends_and_increases() {
        let v = log_space(1.0, 10_000.0, 5);
        assert_eq!(v.len(), 5);
        assert_eq!(v[0], 1.0);
        assert_eq!(v[4], 10_000.0);
        assert!((v[2] - 100.0).abs() < 1e-9);
        assert!(v.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn log_space_refuses_bad_ranges() {
        assert!(log_space(0.0, 10.0, 5).is_empty());
        assert!(log_space(-1.0, 10.0, 5).is_empty());
        assert!(log_space(1.0, f64::NAN, 5).is_empty());
        assert!(log_space(1.0, f64::INFINITY, 5).is_empty());
        assert!(log_space(10.0, 1.0, 5).is_empty());
        assert!(log_space(1.0, 10.0, 0).is_empty());
        assert_eq!(log_space(3.0, 10.0, 1), vec![3.0]);
    }

    #[test]
    fn instances_chart_has_a_finite_series_per_stack() {
        let chart = instances_vs_traffic(&Scenario::default(), &AssumptionSet::published());
        assert!(chart.traffic_min > 0.0);
        assert!(chart.traffic_max > chart.traffic_min);
        assert_eq!(chart.series.len(), crate::model::Stack::ALL.len());
        for s in &chart.series {
            assert!(!s.label.is_empty());
            assert!(!s.points.is_empty(), "{} has no points", s.label);
            assert!(s
                .points
                .iter()
                .all(|(x, y)| x.is_finite() && y.is_finite() && *y >= 0.0));
            assert!(s.points.windows(2).all(|w| w[0].0 < w[1].0));
        }
        assert!(chart.instances_max >= 1.0);
        assert_eq!(
            chart.current_traffic,
            Scenario::default().get(NumField::AvgRps)
        );
    }

    #[test]
    fn more_traffic_never_needs_fewer_instances() {
        let chart = instances_vs_traffic(&Scenario::default(), &AssumptionSet::published());
        for s in &chart.series {
            assert!(
                s.points.windows(2).all(|w| w[0].1 <= w[1].1),
                "{} is not monotone: {:?}",
                s.label,
                s.points
            );
        }
    }
}
