//! Chart data: the numbers each chart plots, taken from the model.
//!
//! Everything here is a pure function of a [`Scenario`] and an
//! [`AssumptionSet`], or of a finished [`Estimate`], [`MonteCarlo`] or
//! [`Sensitivity`], and returns plain structs; nothing here draws and nothing
//! here computes a formula of its own (the queueing curve calls the model's
//! [`crate::model::TierEstimate::p99_ms_at_utilisation`]). Hidden stacks (the legend's toggles, a `[bool; 5]` by
//! [`Stack::index`]) are left out here, so the drawing code and the tables
//! only ever see what is shown. Series follow [`Stack::ALL`] order.

use crate::model::{
    estimate_with, AssumptionSet, Currency, Driver, Estimate, MemoryBreakdown, MonteCarlo,
    NumField, Pick, Scenario, Sensitivity, Stack, TierRole, Unit,
};

/// How many traffic levels the traffic charts evaluate (the user's own
/// traffic is added to them).
pub const TRAFFIC_LEVELS: usize = 30;
/// Decades of traffic either side of the user's traffic on the x axis.
pub const TRAFFIC_DECADES: f64 = 2.0;
/// Load levels of the latency curve, from idle to just short of saturation.
pub const LOAD_LEVELS: usize = 40;
/// The highest load on the latency chart, as a share of capacity (a queue
/// at 100% never drains).
pub const LOAD_MAX: f64 = 0.99;
/// Drivers shown on the tornado chart.
pub const TORNADO_ROWS: usize = 8;

/// Stacks hidden by the legend, by [`Stack::index`].
pub type Hidden = [bool; 5];

/// Whether `stack` is shown under `hidden`.
fn shown(hidden: &Hidden, stack: Stack) -> bool {
    !hidden[stack.index()]
}

/// One stack's line: a value at each x of its chart and, for charts with a
/// range band, the low and high end there.
#[derive(Clone, Debug, PartialEq)]
pub struct StackLine {
    /// The stack.
    pub stack: Stack,
    /// The typical value at each x of the chart (same length as its x).
    pub y: Vec<f64>,
    /// `(low, high)` at each x, from the cheap and the dear end of every
    /// assumption range; empty when the chart has no band.
    pub band: Vec<(f64, f64)>,
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

/// The traffic window of the x axis: [`TRAFFIC_DECADES`] either side of
/// `traffic`, shifted (not shrunk) to stay inside the field's range.
///
/// A field minimum that is not positive is replaced by one step of the
/// field (a log axis cannot start at zero); a non-finite or non-positive
/// `traffic` is treated as the field's default.
pub fn traffic_window(traffic: f64) -> (f64, f64) {
    let spec = NumField::AvgRps.spec();
    let min = if spec.min.is_finite() && spec.min > 0.0 {
        spec.min
    } else {
        spec.step.max(1.0)
    };
    let max = if spec.max.is_finite() && spec.max > min {
        spec.max
    } else {
        min * 10f64.powf(2.0 * TRAFFIC_DECADES)
    };
    let t = if traffic.is_finite() && traffic > 0.0 {
        traffic.clamp(min, max)
    } else {
        spec.default.clamp(min, max)
    };
    let span = 10f64.powf(TRAFFIC_DECADES);
    let (mut lo, mut hi) = (t / span, t * span);
    if lo < min {
        hi = (hi * min / lo).min(max);
        lo = min;
    }
    if hi > max {
        lo = (lo * max / hi).max(min);
        hi = max;
    }
    (lo, hi)
}

/// Instances and money per month of every stack over a range of traffic, at
/// the cheap end, the typical value and the dear end of every range. The
/// two traffic charts are cut from it.
#[derive(Clone, Debug, PartialEq)]
pub struct TrafficSweep {
    /// Average traffic levels, req/s, increasing; the user's own included.
    pub traffic: Vec<f64>,
    /// The user's average traffic, req/s.
    pub current_traffic: f64,
    /// Currency of the money figures.
    pub currency: Currency,
    /// Per stack (by [`Stack::index`]), per level: instances at the
    /// optimistic, typical and pessimistic figures.
    pub instances: [Vec<[f64; 3]>; 5],
    /// Per stack, per level: money per month at the three picks.
    pub monthly: [Vec<[f64; 3]>; 5],
}

/// Evaluates the model at [`TRAFFIC_LEVELS`] average-traffic levels around
/// the scenario's own (see [`traffic_window`]) plus the scenario's own, at
/// the three picks of `set`. Every other input comes from `scenario`.
///
/// Levels the scenario refuses are skipped, so the sweep may have fewer
/// levels, never a NaN level.
pub fn traffic_sweep(scenario: &Scenario, set: &AssumptionSet) -> TrafficSweep {
    let current = scenario.get(NumField::AvgRps);
    let (lo, hi) = traffic_window(current);
    let mut levels = log_space(lo, hi, TRAFFIC_LEVELS);
    // The user's own traffic joins the (increasing) levels in its place.
    if current.is_finite() && current > 0.0 {
        let at = levels.partition_point(|v| *v < current);
        let close = |v: Option<&f64>| v.is_some_and(|v| (v - current).abs() <= 1e-9 * current);
        if close(levels.get(at)) {
            levels[at] = current;
        } else if at > 0 && close(levels.get(at - 1)) {
            levels[at - 1] = current;
        } else {
            levels.insert(at, current);
        }
    }

    let figures = [
        set.resolve(Pick::Optimistic),
        set.resolve(Pick::Typical),
        set.resolve(Pick::Pessimistic),
    ];
    let mut traffic = Vec::with_capacity(levels.len());
    let mut instances: [Vec<[f64; 3]>; 5] = Default::default();
    let mut monthly: [Vec<[f64; 3]>; 5] = Default::default();
    let mut at_level = scenario.clone();
    for level in levels {
        if at_level.set(NumField::AvgRps, level).is_err() {
            continue;
        }
        traffic.push(level);
        let mut counts = [[0.0; 3]; 5];
        let mut money = [[0.0; 3]; 5];
        for (pick, f) in figures.iter().enumerate() {
            let e = estimate_with(&at_level, f);
            for st in &e.stacks {
                let i = st.stack.index();
                counts[i][pick] = st.instances as f64;
                money[i][pick] = st.monthly.total();
            }
        }
        for i in 0..5 {
            instances[i].push(counts[i]);
            monthly[i].push(money[i]);
        }
    }
    TrafficSweep {
        traffic,
        current_traffic: current,
        currency: scenario.currency,
        instances,
        monthly,
    }
}

/// Lines with a band from one table of `[optimistic, typical, pessimistic]`.
fn banded_lines(per_stack: &[Vec<[f64; 3]>; 5], hidden: &Hidden) -> Vec<StackLine> {
    Stack::ALL
        .into_iter()
        .filter(|st| shown(hidden, *st))
        .map(|stack| {
            let rows = &per_stack[stack.index()];
            StackLine {
                stack,
                y: rows.iter().map(|r| r[1]).collect(),
                band: rows
                    .iter()
                    .map(|r| (r[0].min(r[1]).min(r[2]), r[0].max(r[1]).max(r[2])))
                    .collect(),
            }
        })
        .collect()
}

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

/// Where one stack's cumulative cost drops below another's.
#[derive(Clone, Debug, PartialEq)]
pub struct BreakEven {
    /// The stack that becomes the cheaper of the two.
    pub cheaper: Stack,
    /// The stack it passes.
    pub dearer: Stack,
    /// The first whole month at whose start it is cheaper.
    pub month: u32,
    /// Where the lines cross, in months (between `month - 1` and `month`).
    pub at: f64,
    /// The cumulative cost where they cross.
    pub value: f64,
}

impl BreakEven {
    /// The crossing in words: "Fastify passes Express at month 14".
    pub fn sentence(&self) -> String {
        format!(
            "{} passes {} at month {}",
            self.cheaper.label(),
            self.dearer.label(),
            self.month
        )
    }
}

/// Chart 3: cumulative cost over the horizon, migration included.
#[derive(Clone, Debug, PartialEq)]
pub struct CumulativeChart {
    /// Months in the horizon; each line has `months + 1` points.
    pub months: u32,
    /// Currency of every value.
    pub currency: Currency,
    /// One line per shown stack (no band).
    pub lines: Vec<StackLine>,
    /// Every crossing between two shown stacks, in month order.
    pub break_evens: Vec<BreakEven>,
}

/// Crossings of two cumulative lines: each month where `a - b` changes sign
/// from positive to not positive, or back.
fn crossings(a: &StackLine, b: &StackLine, out: &mut Vec<BreakEven>) {
    let n = a.y.len().min(b.y.len());
    for m in 1..n {
        let (d0, d1) = (a.y[m - 1] - b.y[m - 1], a.y[m] - b.y[m]);
        if !(d0.is_finite() && d1.is_finite()) {
            continue;
        }
        let (cheaper, dearer) = if d0 > 0.0 && d1 <= 0.0 {
            (a.stack, b.stack)
        } else if d0 < 0.0 && d1 >= 0.0 {
            (b.stack, a.stack)
        } else {
            continue;
        };
        let t = if d0 != d1 { d0 / (d0 - d1) } else { 1.0 };
        let at = (m - 1) as f64 + t.clamp(0.0, 1.0);
        let value = a.y[m - 1] + (a.y[m] - a.y[m - 1]) * t.clamp(0.0, 1.0);
        out.push(BreakEven {
            cheaper,
            dearer,
            month: m as u32,
            at,
            value,
        });
    }
}

/// The cumulative-cost chart of an estimate, with every break-even.
pub fn cumulative_chart(estimate: &Estimate, hidden: &Hidden) -> CumulativeChart {
    let lines: Vec<StackLine> = estimate
        .stacks
        .iter()
        .filter(|st| shown(hidden, st.stack))
        .map(|st| StackLine {
            stack: st.stack,
            y: st.cumulative.clone(),
            band: Vec::new(),
        })
        .collect();
    let mut found = Vec::new();
    for (i, a) in lines.iter().enumerate() {
        for b in &lines[i + 1..] {
            crossings(a, b, &mut found);
        }
    }
    // In month order (a handful at most: an insertion keeps it small).
    let mut break_evens: Vec<BreakEven> = Vec::with_capacity(found.len());
    for b in found {
        let at = break_evens.partition_point(|x| x.at <= b.at);
        break_evens.insert(at, b);
    }
    CumulativeChart {
        months: estimate.months,
        currency: estimate.currency,
        lines,
        break_evens,
    }
}

/// One tier's memory on one instance.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryBar {
    /// The stack.
    pub stack: Stack,
    /// The tier within it.
    pub role: TierRole,
    /// Worker processes on one instance.
    pub processes: u32,
    /// Whether it runs on a GPU (the memory is then the GPU's).
    pub on_gpu: bool,
    /// Memory by part, and what the instance offers.
    pub memory: MemoryBreakdown,
}

impl MemoryBar {
    /// "Express · ML sidecar" (the API tier is the stack's name alone).
    pub fn label(&self) -> String {
        if self.role == TierRole::Api {
            self.stack.label().to_string()
        } else {
            format!("{} · {}", self.stack.label(), self.role.label())
        }
    }
}

/// Chart 4: memory of one instance by part, per tier of every shown stack.
#[derive(Clone, Debug, PartialEq)]
pub struct MemoryChart {
    /// API tiers first within each stack, stacks in [`Stack::ALL`] order.
    pub bars: Vec<MemoryBar>,
}

/// The memory chart of an estimate.
pub fn memory_chart(estimate: &Estimate, hidden: &Hidden) -> MemoryChart {
    let bars = estimate
        .stacks
        .iter()
        .filter(|st| shown(hidden, st.stack))
        .flat_map(|st| {
            st.tiers.iter().map(move |t| MemoryBar {
                stack: st.stack,
                role: t.role,
                processes: t.processes,
                on_gpu: t.on_gpu,
                memory: t.memory,
            })
        })
        .collect();
    MemoryChart { bars }
}

/// The API tier of one stack on the latency chart.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyTier {
    /// The stack.
    pub stack: Stack,
    /// Requests per second one instance serves at 100% CPU.
    pub capacity_rps: f64,
    /// Worker processes (servers of the queue) per instance.
    pub processes: u32,
    /// Today's peak load per instance, as a share of capacity.
    pub load_now: f64,
    /// p99 at today's peak, ms.
    pub p99_now_ms: f64,
}

/// Chart 5: p99 latency of each stack's API tier as its load rises.
#[derive(Clone, Debug, PartialEq)]
pub struct LatencyChart {
    /// Load per instance as a share of its capacity, increasing from 0 to
    /// [`LOAD_MAX`].
    pub load: Vec<f64>,
    /// The p99 target, ms.
    pub target_ms: f64,
    /// p99 in ms at each load, per shown stack.
    pub lines: Vec<StackLine>,
    /// The tier behind each line, in the same order.
    pub tiers: Vec<LatencyTier>,
}

/// Load levels from 0 to [`LOAD_MAX`], closer together near saturation
/// where the curve bends.
pub fn load_levels(count: usize) -> Vec<f64> {
    if count < 2 {
        return vec![0.0; count];
    }
    let last = (count - 1) as f64;
    (0..count)
        .map(|i| {
            let t = i as f64 / last;
            LOAD_MAX * (1.0 - (1.0 - t) * (1.0 - t))
        })
        .collect()
}

/// The latency chart of an estimate; `target_ms` is the scenario's target.
pub fn latency_chart(estimate: &Estimate, target_ms: f64, hidden: &Hidden) -> LatencyChart {
    let load = load_levels(LOAD_LEVELS);
    let mut lines = Vec::new();
    let mut tiers = Vec::new();
    for st in estimate.stacks.iter().filter(|st| shown(hidden, st.stack)) {
        let Some(api) = st.tiers.iter().find(|t| t.role == TierRole::Api) else {
            continue;
        };
        let y = load.iter().map(|&l| api.p99_ms_at_utilisation(l)).collect();
        lines.push(StackLine {
            stack: st.stack,
            y,
            band: Vec::new(),
        });
        let per_instance = api.peak_rps / api.instances.max(1) as f64;
        tiers.push(LatencyTier {
            stack: st.stack,
            capacity_rps: api.capacity_rps,
            processes: api.processes,
            load_now: if api.capacity_rps > 0.0 {
                per_instance / api.capacity_rps
            } else {
                0.0
            },
            p99_now_ms: api.p99_ms,
        });
    }
    LatencyChart {
        load,
        target_ms,
        lines,
        tiers,
    }
}

/// Chart 6: how often each stack is the cheapest over the horizon.
#[derive(Clone, Debug, PartialEq)]
pub struct CheapestChart {
    /// Draws behind the shares; 0 while no run has finished.
    pub draws: u32,
    /// Share of draws (0 to 1) in which each shown stack is cheapest.
    pub bars: Vec<(Stack, f64)>,
}

/// The probability chart of a Monte Carlo run; `None` (still running) gives
/// an empty chart.
pub fn cheapest_chart(run: Option<&MonteCarlo>, hidden: &Hidden) -> CheapestChart {
    match run {
        Some(mc) => CheapestChart {
            draws: mc.draws,
            bars: mc
                .stacks
                .iter()
                .filter(|o| shown(hidden, o.stack))
                .map(|o| {
                    let p = if o.p_cheapest.is_finite() {
                        o.p_cheapest.clamp(0.0, 1.0)
                    } else {
                        0.0
                    };
                    (o.stack, p)
                })
                .collect(),
        },
        None => CheapestChart {
            draws: 0,
            bars: Vec::new(),
        },
    }
}

/// One driver of the tornado chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoRow {
    /// What moved (an input's or a figure's label).
    pub label: String,
    /// Unit of its values as the user reads them ("req/s", "%", "ms").
    pub unit: String,
    /// Its value at the low and high end, in that unit.
    pub values: (f64, f64),
    /// The base winner's margin over the next-cheapest stack at each end;
    /// negative where another stack is cheaper.
    pub margins: (f64, f64),
    /// The cheapest stack at each end.
    pub cheapest: (Stack, Stack),
    /// Where the answer changes, if within the move: the value (in `unit`)
    /// and the stack cheapest beyond it.
    pub threshold: Option<(f64, Stack)>,
}

/// Chart 7: what the answer hinges on.
#[derive(Clone, Debug, PartialEq)]
pub struct TornadoChart {
    /// The cheapest stack with nothing moved.
    pub base: Stack,
    /// Its margin over the next-cheapest stack.
    pub base_margin: f64,
    /// Currency of the margins.
    pub currency: Currency,
    /// The most decisive drivers first, at most [`TORNADO_ROWS`]; empty
    /// while the sweep has not run.
    pub rows: Vec<TornadoRow>,
}

/// The tornado chart of a sensitivity sweep (`None` while it runs). Figure
/// values stored as fractions are shown as percentages.
pub fn tornado_chart(
    sweep: Option<&Sensitivity>,
    set: &AssumptionSet,
    currency: Currency,
) -> TornadoChart {
    let Some(sweep) = sweep else {
        return TornadoChart {
            base: Stack::FastApi,
            base_margin: 0.0,
            currency,
            rows: Vec::new(),
        };
    };
    let rows = sweep
        .swings
        .iter()
        .filter(|sw| sw.margins.0.is_finite() && sw.margins.1.is_finite())
        .take(TORNADO_ROWS)
        .map(|sw| {
            let (unit, factor) = match sw.driver {
                Driver::Input(field) => {
                    // Money fields share the developer cost's unit (the
                    // currency placeholder): show the scenario's currency.
                    let unit = field.spec().unit;
                    let unit = if unit == NumField::DevCostYear.spec().unit {
                        currency.symbol()
                    } else {
                        unit
                    };
                    (unit.to_string(), 1.0)
                }
                Driver::Figure(id) => {
                    let u = set.get(id).unit;
                    let factor = if u == Unit::Fraction { 100.0 } else { 1.0 };
                    (u.label().to_string(), factor)
                }
            };
            TornadoRow {
                label: sw.driver.label(),
                unit,
                values: (sw.values.0 * factor, sw.values.1 * factor),
                margins: sw.margins,
                cheapest: sw.cheapest,
                threshold: sw.threshold.map(|(v, st)| (v * factor, st)),
            }
        })
        .collect();
    TornadoChart {
        base: sweep.base,
        base_margin: sweep.base_margin,
        currency,
        rows,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::estimate;

    const ALL_SHOWN: Hidden = [false; 5];

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
    fn the_traffic_window_shifts_at_the_field_edges() {
        let spec = NumField::AvgRps.spec();
        let (lo, hi) = traffic_window(200.0);
        assert!((lo - 2.0).abs() < 1e-9 && (hi - 20_000.0).abs() < 1e-6);
        let (lo, hi) = traffic_window(spec.min);
        assert_eq!(lo, spec.min);
        assert!((hi / lo - 1e4).abs() < 1e-6);
        let (lo, hi) = traffic_window(spec.max);
        assert_eq!(hi, spec.max);
        assert!((hi / lo - 1e4).abs() < 1e-3);
        let (lo, hi) = traffic_window(f64::NAN);
        assert!(lo > 0.0 && hi > lo);
    }

    #[test]
    fn the_sweep_contains_the_users_traffic_and_is_finite() {
        let s = Scenario::default();
        let sweep = traffic_sweep(&s, &AssumptionSet::published());
        assert!(sweep.traffic.contains(&s.get(NumField::AvgRps)));
        assert!(sweep.traffic.windows(2).all(|w| w[0] < w[1]));
        for i in 0..5 {
            assert_eq!(sweep.instances[i].len(), sweep.traffic.len());
            for r in sweep.instances[i].iter().chain(&sweep.monthly[i]) {
                assert!(r.iter().all(|v| v.is_finite() && *v >= 0.0), "{r:?}");
                assert!(r[0] <= r[1] + 1e-9 && r[1] <= r[2] + 1e-9, "{r:?}");
            }
        }
    }

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

    fn line(stack: Stack, y: &[f64]) -> StackLine {
        StackLine {
            stack,
            y: y.to_vec(),
            band: Vec::new(),
        }
    }

    #[test]
    fn a_crossing_is_found_at_the_month_it_happens() {
        // Fastify starts 100 dearer but saves 30 a month: even at month 3.33.
        let fastify = line(Stack::Fastify, &[100.0, 110.0, 120.0, 130.0, 140.0, 150.0]);
        let express = line(Stack::Express, &[0.0, 40.0, 80.0, 120.0, 160.0, 200.0]);
        let mut out = Vec::new();
        crossings(&fastify, &express, &mut out);
        assert_eq!(out.len(), 1);
        let b = &out[0];
        assert_eq!(
            (b.cheaper, b.dearer, b.month),
            (Stack::Fastify, Stack::Express, 4)
        );
        assert!((b.at - 10.0 / 3.0).abs() < 1e-9, "{}", b.at);
        assert!((b.value - 133.333_333).abs() < 1e-3, "{}", b.value);
        assert_eq!(b.sentence(), "Fastify passes Express at month 4");
        // Parallel lines never cross.
        let mut none = Vec::new();
        crossings(
            &express,
            &line(Stack::NestJs, &[1.0, 41.0, 81.0]),
            &mut none,
        );
        assert!(none.is_empty());
    }

    #[test]
    fn latency_rises_with_load_and_starts_at_the_floor() {
        let e = estimate(&Scenario::default(), &AssumptionSet::published());
        let chart = latency_chart(&e, 300.0, &ALL_SHOWN);
        assert_eq!(chart.load.first(), Some(&0.0));
        assert!((chart.load[LOAD_LEVELS - 1] - LOAD_MAX).abs() < 1e-12);
        for (line, tier) in chart.lines.iter().zip(&chart.tiers) {
            let api = &e.stack(line.stack).tiers[0];
            assert!((line.y[0] - api.min_p99_ms).abs() < 1e-9);
            assert!(line.y.windows(2).all(|w| w[0] <= w[1] + 1e-9));
            assert!(line.y.iter().all(|v| v.is_finite()));
            // The model's own p99 at today's load lies on the curve.
            let again = api.p99_ms_at_utilisation(tier.load_now);
            assert!((again - tier.p99_now_ms).abs() < 1e-6 * again.max(1.0));
        }
    }

    #[test]
    fn no_monte_carlo_yet_gives_an_empty_chart() {
        let c = cheapest_chart(None, &ALL_SHOWN);
        assert_eq!(c.draws, 0);
        assert!(c.bars.is_empty());
    }
}
