//! Chart 1: instances (every tier) needed against average traffic, one line
//! per stack with its low-high band, on log-log axes, with a line at the
//! user's traffic. Its data is cut from the traffic sweep; its scene is
//! the traffic charts' shared one with a count on the y axis.
//!
//! Instance counts below 1 are drawn at the axis floor. An empty chart (no
//! series or no points) still draws its axes and says why it is empty.

use super::axis::short_number;
use super::chart::{nearest_index, rps, Chart, Readout, Table};
use super::scene::Scene;
use super::series::{Hidden, StackLine};
use super::theme::Theme;
use super::traffic::{
    banded_lines, traffic_readout, traffic_scene, traffic_sweep, traffic_table, TrafficSpec,
    TrafficSweep,
};
use crate::model::format::{whole, with_unit};
use crate::model::{AssumptionSet, Scenario};

/// Title of the instances-vs-traffic chart.
pub const INSTANCES_TITLE: &str = "Instances needed as traffic grows";

/// Chart 1: instances (every tier) needed against average traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct InstancesChart {
    /// Average traffic levels, req/s, increasing.
    pub traffic: Vec<f64>,
    /// The user's average traffic, req/s (marked).
    pub current_traffic: f64,
    /// One line per shown stack, with its low-high band.
    pub lines: Vec<StackLine>,
}

/// Cuts the instances chart from a sweep.
pub fn instances_chart(sweep: &TrafficSweep, hidden: &Hidden) -> InstancesChart {
    InstancesChart {
        traffic: sweep.traffic.clone(),
        current_traffic: sweep.current_traffic,
        lines: banded_lines(&sweep.instances, hidden),
    }
}

/// Instances chart straight from a scenario (a sweep, then the cut).
pub fn instances_vs_traffic(
    scenario: &Scenario,
    set: &AssumptionSet,
    hidden: &Hidden,
) -> InstancesChart {
    instances_chart(&traffic_sweep(scenario, set), hidden)
}

impl Chart for InstancesChart {
    fn description(&self) -> String {
        format!(
            "Line chart of instances needed by each stack from {} to {} average, with low-high bands; your traffic is {}.",
            rps(self.traffic.first().copied().unwrap_or(f64::NAN)),
            rps(self.traffic.last().copied().unwrap_or(f64::NAN)),
            rps(self.current_traffic)
        )
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let y_fmt = |v: f64| short_number(v);
        traffic_scene(
            theme,
            size,
            &TrafficSpec {
                title: INSTANCES_TITLE,
                y_caption: "Instances, every tier (log scale)",
                traffic: &self.traffic,
                current: self.current_traffic,
                lines: &self.lines,
                y_fmt: &y_fmt,
                y_floor: Some(1.0),
            },
        )
    }

    fn positions(&self) -> usize {
        self.traffic.len()
    }

    fn home(&self) -> Option<usize> {
        nearest_index(&self.traffic, self.current_traffic)
    }

    fn readout(&self, at: usize) -> Option<Readout> {
        let count = |v: f64| with_unit(&whole(v), "instances");
        traffic_readout(&self.traffic, &self.lines, at, &count)
    }

    fn table(&self) -> Table {
        traffic_table(
            "Instances needed, every tier: typical (low–high)".to_string(),
            &self.traffic,
            &self.lines,
            &whole,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{NumField, Stack};

    const ALL_SHOWN: Hidden = [false; 5];

    #[test]
    fn more_traffic_never_needs_fewer_instances() {
        let chart = instances_vs_traffic(
            &Scenario::default(),
            &AssumptionSet::published(),
            &ALL_SHOWN,
        );
        assert_eq!(chart.lines.len(), Stack::ALL.len());
        for line in &chart.lines {
            assert!(
                line.y.windows(2).all(|w| w[0] <= w[1]),
                "{:?} is not monotone: {:?}",
                line.stack,
                line.y
            );
            assert_eq!(line.band.len(), line.y.len());
        }
    }

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
        // One minimum replica at the lowest traffic: "1 instance".
        let s = crate::state::codec::from_query("v=1&replicas=1&rps=1").state.scenario;
        let chart = instances_vs_traffic(&s, &AssumptionSet::published(), &Hidden::default());
        let r = chart.readout(0).unwrap();
        assert!(r.rows.iter().any(|row| row.value == "1 instance"), "{:?}", r.rows);
        assert!(r.rows.iter().all(|row| !row.value.contains("1 instances")), "{:?}", r.rows);
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
