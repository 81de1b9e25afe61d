//! Charts: each chart's data computed from the model, its drawing on any
//! plotters [`DrawingBackend`](plotters::prelude::DrawingBackend), and what
//! the page shows of it, one file per chart.
//!
//! A chart's file (`instances`, `cost`, `cumulative`, `memory`, `latency`,
//! `cheapest`, `tornado`, and `scalability` in "Your measurements") holds its data, built from the model's results
//! without drawing anything, its scene, and its [`Chart`] impl. A scene is
//! built once as a list of primitives in pixels ([`scene`]) and replayed
//! on the backend: the page's `<canvas>` and the SVG of exports and native
//! tests share every line of layout, and know nothing about the model.
//! What charts share stays out of their files: the trait ([`chart`]),
//! axes and ticks ([`axis`]), the page, legend, notes and rows
//! ([`layout`]), lines and which stacks are shown ([`series`]), the sweep
//! over traffic behind the first two charts ([`traffic`]), the map from a
//! pointer back to the data ([`frame`]) and the per-stack colours and
//! markers, light and dark ([`theme`]). Only `ui::canvas` touches a canvas
//! element.

pub mod axis;
pub mod chart;
pub mod frame;
pub mod layout;
pub mod scene;
pub mod series;
pub mod theme;
pub mod traffic;

pub use chart::{Chart, DrawResult, Named, Names, Readout, ReadoutRow, Table};
pub use cheapest::{cheapest_chart, CHEAPEST_TITLE};
pub use cost::{cost_chart, COST_TITLE};
pub use cumulative::{cumulative_chart, BreakEven, CUMULATIVE_TITLE};
pub use frame::{Along, PlotFrame};
pub use instances::{instances_chart, instances_vs_traffic, INSTANCES_TITLE};
pub use latency::{latency_chart, LATENCY_TITLE};
pub use memory::{memory_chart, MemoryBar, MEMORY_TITLE};
pub use scalability::{scalability_chart, SCALABILITY_TITLE};
pub use scene::Scene;
pub use series::{Hidden, StackLine};
pub use theme::{MarkerShape, Theme};
pub use tornado::{tornado_chart, TornadoRow, TORNADO_TITLE};
pub use traffic::{traffic_sweep, TrafficSweep};

/// Declares the charts from one list: each chart's module (the file with
/// its data, its scene and its [`Chart`] impl), its type, re-exported here,
/// its key and title ([`Named`]), and its variant of [`AnyChart`], which
/// answers for the chart inside it.
macro_rules! charts {
    ($(
        $(#[$doc:meta])*
        $variant:ident($module:ident::$chart:ident): $key:literal, $title:ident;
    )+) => {
        $(pub mod $module;)+
        $(pub use $module::$chart;)+

        $(impl Named for $chart {
            fn names(&self) -> Names {
                Names::new($key, $module::$title)
            }
        })+

        /// Any of the charts, so the page has one chart component rather
        /// than one per chart type (each generic copy of a component costs
        /// the download).
        #[derive(Clone, Debug, PartialEq)]
        pub enum AnyChart {
            $($(#[$doc])* $variant($chart),)+
        }

        impl Named for AnyChart {
            fn names(&self) -> Names {
                match self { $(AnyChart::$variant(c) => c.names(),)+ }
            }
        }

        impl Chart for AnyChart {
            fn description(&self) -> String {
                match self { $(AnyChart::$variant(c) => c.description(),)+ }
            }
            fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
                match self { $(AnyChart::$variant(c) => c.scene(theme, size),)+ }
            }
            fn positions(&self) -> usize {
                match self { $(AnyChart::$variant(c) => c.positions(),)+ }
            }
            fn home(&self) -> Option<usize> {
                match self { $(AnyChart::$variant(c) => c.home(),)+ }
            }
            fn readout(&self, at: usize) -> Option<Readout> {
                match self { $(AnyChart::$variant(c) => c.readout(at),)+ }
            }
            fn table(&self) -> Table {
                match self { $(AnyChart::$variant(c) => c.table(),)+ }
            }
            fn notes(&self) -> Vec<String> {
                match self { $(AnyChart::$variant(c) => c.notes(),)+ }
            }
            fn rows(&self) -> Option<usize> {
                match self { $(AnyChart::$variant(c) => c.rows(),)+ }
            }
        }
    };
}

// Every chart, in the order of the page: its variant of `AnyChart`, its
// module and type, its key and its title. A new chart is its file and a
// line here.
charts! {
    /// Chart 1.
    Instances(instances::InstancesChart): "instances", INSTANCES_TITLE;
    /// Chart 2.
    Cost(cost::CostChart): "cost", COST_TITLE;
    /// Chart 3.
    Cumulative(cumulative::CumulativeChart): "cumulative", CUMULATIVE_TITLE;
    /// Chart 4.
    Memory(memory::MemoryChart): "memory", MEMORY_TITLE;
    /// Chart 5.
    Latency(latency::LatencyChart): "latency", LATENCY_TITLE;
    /// Chart 6.
    Cheapest(cheapest::CheapestChart): "cheapest", CHEAPEST_TITLE;
    /// Chart 7.
    Tornado(tornado::TornadoChart): "tornado", TORNADO_TITLE;
    /// Chart 8, in "Your measurements".
    Scalability(scalability::ScalabilityChart): "scalability", SCALABILITY_TITLE;
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{estimate, AssumptionSet, Scenario, Stack};

    const ALL_SHOWN: Hidden = [false; 5];

    #[test]
    fn hidden_stacks_are_left_out() {
        let mut hidden = ALL_SHOWN;
        hidden[Stack::Express.index()] = true;
        let s = Scenario::default();
        let e = estimate(&s, &AssumptionSet::published());
        let sweep = traffic_sweep(&s, &AssumptionSet::published());
        let stacks = |lines: &[StackLine]| lines.iter().map(|l| l.stack).collect::<Vec<_>>();
        let want = vec![Stack::FastApi, Stack::Fastify, Stack::NestJs, Stack::Hybrid];
        assert_eq!(stacks(&instances_chart(&sweep, &hidden).lines), want);
        assert_eq!(stacks(&cost_chart(&sweep, &hidden).lines), want);
        assert_eq!(stacks(&cumulative_chart(&e, &hidden).lines), want);
        assert_eq!(stacks(&latency_chart(&e, 300.0, &hidden).lines), want);
        assert!(memory_chart(&e, &hidden)
            .bars
            .iter()
            .all(|b| b.stack != Stack::Express));
    }
}
