//! Charts: plain chart data computed from the model, and drawing functions
//! generic over any plotters [`DrawingBackend`](plotters::prelude::DrawingBackend).
//!
//! [`data`] turns a scenario and an assumption set into numbers to plot and
//! knows nothing about drawing; [`draw`] draws those numbers on any backend
//! (the page's `<canvas>`, SVG for export and for native tests) and knows
//! nothing about the model; [`theme`] holds colours and sizes for both light
//! and dark pages. Only `ui::canvas` touches a canvas element.

pub mod data;
pub mod draw;
pub mod theme;

pub use data::{instances_vs_traffic, InstancesChart, StackSeries};
pub use draw::draw_instances;
pub use theme::Theme;
