//! Charts: plain chart data computed from the model, and their drawing on
//! any plotters [`DrawingBackend`](plotters::prelude::DrawingBackend).
//!
//! [`data`] turns the model's results into numbers to plot and knows nothing
//! about drawing; [`draw`] lays those numbers out as a [`scene`] of
//! primitives that any backend replays (the page's `<canvas>`, SVG for
//! export and for native tests) and knows nothing about the model;
//! [`chart`] gives every chart one face for the page (scene and draw, read
//! out at a position, tabulate); [`frame`] maps a pointer back to the data;
//! [`theme`] holds the per-stack colours and markers, light and dark. Only
//! `ui::canvas` touches a canvas element.

pub mod chart;
pub mod data;
pub mod draw;
pub mod frame;
pub mod scene;
pub mod theme;

pub use chart::{AnyChart, Chart, DrawResult, Readout, ReadoutRow, Table};
pub use data::{
    cheapest_chart, cost_chart, cumulative_chart, instances_chart, instances_vs_traffic,
    latency_chart, memory_chart, tornado_chart, traffic_sweep, BreakEven, CheapestChart, CostChart,
    CumulativeChart, Hidden, InstancesChart, LatencyChart, MemoryBar, MemoryChart, StackLine,
    TornadoChart, TornadoRow, TrafficSweep,
};
pub use frame::{Along, PlotFrame};
pub use theme::{MarkerShape, Theme};

/// Title of the instances-vs-traffic chart.
pub const INSTANCES_TITLE: &str = "Instances needed as traffic grows";
/// Title of the monthly-cost chart.
pub const COST_TITLE: &str = "Monthly cost as traffic grows";
/// Title of the cumulative-cost chart.
pub const CUMULATIVE_TITLE: &str = "Cumulative cost, migration included";
/// Title of the memory chart.
pub const MEMORY_TITLE: &str = "Memory of one instance, by part";
/// Title of the latency chart.
pub const LATENCY_TITLE: &str = "p99 latency as load rises";
/// Title of the probability chart.
pub const CHEAPEST_TITLE: &str = "Chance of being the cheapest";
/// Title of the tornado chart.
pub const TORNADO_TITLE: &str = "What the answer hinges on";
