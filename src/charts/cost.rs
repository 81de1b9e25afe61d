//! Chart 2: money per month against average traffic, with the same axes,
//! bands and line at the user's traffic as the instances chart. Its data
//! is cut from the same traffic sweep.

use super::chart::{nearest_index, rps, Chart, Readout, Table};
use super::scene::Scene;
use super::series::{Hidden, StackLine};
use super::theme::Theme;
use super::traffic::{
    banded_lines, traffic_readout, traffic_scene, traffic_table, TrafficSpec, TrafficSweep,
};
use crate::model::format::{money, money_short};
use crate::model::Currency;

/// Title of the monthly-cost chart.
pub const COST_TITLE: &str = "Monthly cost as traffic grows";

/// Chart 2: money per month against average traffic.
#[derive(Clone, Debug, PartialEq)]
pub struct CostChart {
    /// Average traffic levels, req/s, increasing.
    pub traffic: Vec<f64>,
    /// The user's average traffic, req/s (marked).
    pub current_traffic: f64,
    /// Currency of every value.
    pub currency: Currency,
    /// One line per shown stack, with its low-high band.
    pub lines: Vec<StackLine>,
}

/// Cuts the monthly-cost chart from a sweep.
pub fn cost_chart(sweep: &TrafficSweep, hidden: &Hidden) -> CostChart {
    CostChart {
        traffic: sweep.traffic.clone(),
        current_traffic: sweep.current_traffic,
        currency: sweep.currency,
        lines: banded_lines(&sweep.monthly, hidden),
    }
}

impl Chart for CostChart {
    fn description(&self) -> String {
        format!(
            "Line chart of money per month, {}, for each stack as average traffic grows, with low-high bands; your traffic is {}.",
            self.currency.code(),
            rps(self.current_traffic)
        )
    }

    fn scene(&self, theme: &Theme, size: (u32, u32)) -> Scene {
        let currency = self.currency;
        let y_fmt = move |v: f64| money_short(v, currency);
        let caption = format!("{} per month (log scale)", currency.code());
        traffic_scene(
            theme,
            size,
            &TrafficSpec {
                title: COST_TITLE,
                y_caption: &caption,
                traffic: &self.traffic,
                current: self.current_traffic,
                lines: &self.lines,
                y_fmt: &y_fmt,
                y_floor: None,
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
        let c = self.currency;
        let fmt = move |v: f64| money(v, c);
        let mut r = traffic_readout(&self.traffic, &self.lines, at, &fmt)?;
        for row in &mut r.rows {
            row.value.push_str(" per month");
        }
        Some(r)
    }

    fn table(&self) -> Table {
        let c = self.currency;
        traffic_table(
            format!("Money per month, {}: typical (low–high)", c.code()),
            &self.traffic,
            &self.lines,
            &move |v| money(v, c),
        )
    }
}
