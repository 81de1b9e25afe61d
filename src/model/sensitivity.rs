//! What the answer hinges on: each input and each figure moved across its
//! range with everything else held.
//!
//! Figures move to the low and the high end of their range. Inputs move to
//! half and double their value (shares and percentages by 20 points either
//! way), clamped to the field's range: a field's whole range (1 to 2,000,000
//! req/s) would say nothing about this scenario. For each move the sweep
//! records the total cost over the horizon of the stack cheapest at the base
//! case, its margin over the next cheapest (negative once another stack is
//! cheaper), and which stack is cheapest at each end. Where the cheapest
//! stack changes, the value at which it changes is found by bisection.
//!
//! Ranked by how much they matter to the decision: drivers that change the
//! cheapest stack first, the nearer the change to today's value the higher;
//! then by how far they move the margin.

use serde::Serialize;

use super::assumptions::{AssumptionId, AssumptionSet, Figures, Pick};
use super::estimate::{cheapest_index, stack_costs};
use super::scenario::{NumField, Scenario};
use super::stack::Stack;

/// What was moved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub enum Driver {
    /// An input of the scenario.
    Input(#[serde(serialize_with = "field_key")] NumField),
    /// A figure of the assumption set.
    Figure(AssumptionId),
}

fn field_key<S: serde::Serializer>(f: &NumField, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(f.spec().key)
}

impl Driver {
    /// Label shown to the user.
    pub fn label(&self) -> String {
        match self {
            Driver::Input(f) => f.spec().label.to_string(),
            Driver::Figure(id) => id.label(),
        }
    }
}

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Swing {
    /// What moved.
    pub driver: Driver,
    /// Its value at the low and high end of the move.
    pub values: (f64, f64),
    /// Total cost of the base winner at the low and the high end.
    pub totals: (f64, f64),
    /// The base winner's margin over the cheapest other stack at the low and
    /// the high end; negative where another stack is cheaper.
    pub margins: (f64, f64),
    /// The cheapest stack at the low and the high end.
    pub cheapest: (Stack, Stack),
    /// Where the cheapest stack changes, if it does within the move: the
    /// value and the stack cheapest beyond it.
    pub threshold: Option<(f64, Stack)>,
}

impl Swing {
    /// Whether the move changes the cheapest stack.
    pub fn flips(&self, base: Stack) -> bool {
        self.cheapest.0 != base || self.cheapest.1 != base
    }
    /// How far the move shifts the winner's margin.
    pub fn width(&self) -> f64 {
        (self.margins.1 - self.margins.0).abs()
    }
    /// For a driver that changes the answer, how far towards the end of its
    /// move the change comes (0: at today's value, 1: at the end).
    pub fn fragility(&self, today: f64) -> f64 {
        match self.threshold {
            Some((at, _)) => {
                let end = if at >= today {
                    self.values.1
                } else {
                    self.values.0
                };
                let span = (end - today).abs();
                if span > 0.0 {
                    ((at - today).abs() / span).clamp(0.0, 1.0)
                } else {
                    0.0
                }
            }
            None => f64::INFINITY,
        }
    }
}

/// The sweep over every input and figure.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sensitivity {
    /// The cheapest stack with nothing moved.
    pub base: Stack,
    /// Its total cost.
    pub base_total: f64,
    /// Its margin over the cheapest other stack.
    pub base_margin: f64,
    /// Every driver, most decisive first.
    pub swings: Vec<Swing>,
}

/// The winner's margin over the cheapest other stack.
fn margin(totals: &[f64; 5], winner: usize) -> f64 {
    let other = totals
        .iter()
        .enumerate()
        .filter(|(i, _)| *i != winner)
        .map(|(_, t)| *t)
        .fold(f64::INFINITY, f64::min);
    other - totals[winner]
}

fn cheapest(s: &Scenario, f: &Figures) -> (Stack, [f64; 5]) {
    let costs = stack_costs(s, f);
    let totals = costs.map(|c| c.total);
    let best = cheapest_index(costs.iter().map(|c| (c.total, c.fits)));
    (Stack::ALL[best], totals)
}

/// The range an input is moved across from its value `v`.
fn input_range(field: NumField, v: f64) -> (f64, f64) {
    let spec = field.spec();
    let (lo, hi) = if spec.unit == "%" {
        (v - 20.0, v + 20.0)
    } else {
        (v * 0.5, v * 2.0)
    };
    (lo.clamp(spec.min, spec.max), hi.clamp(spec.min, spec.max))
}

/// Runs the sweep for scenario `s` with figures from `set`.
pub fn sensitivity(s: &Scenario, set: &AssumptionSet) -> Sensitivity {
    let typical = set.resolve(Pick::Typical);
    let (base, base_totals) = cheapest(s, &typical);
    let winner = base.index();
    let mut swings = Vec::new();

    for field in NumField::ALL {
        let v = s.get(field);
        let (lo, hi) = input_range(field, v);
        if lo == hi {
            continue;
        }
        let at = |x: f64| {
            let mut moved = s.clone();
            // In range by construction; a refusal leaves the base value.
            let _ = moved.set(field, x);
            cheapest(&moved, &typical)
        };
        let (low_best, low_totals) = at(lo);
        let (high_best, high_totals) = at(hi);
        let threshold = find_threshold(&at, base, v, lo, low_best)
            .or_else(|| find_threshold(&at, base, v, hi, high_best));
        swings.push(Swing {
            driver: Driver::Input(field),
            values: (lo, hi),
            totals: (low_totals[winner], high_totals[winner]),
            margins: (margin(&low_totals, winner), margin(&high_totals, winner)),
            cheapest: (low_best, high_best),
            threshold,
        });
    }

    for id in AssumptionId::all() {
        let a = set.get(id);
        if a.low == a.high {
            continue;
        }
        let at = |x: f64| {
            let mut f = typical;
            f.set(id, x);
            cheapest(s, &f)
        };
        let (low_best, low_totals) = at(a.low);
        let (high_best, high_totals) = at(a.high);
        let threshold = find_threshold(&at, base, a.typical, a.low, low_best)
            .or_else(|| find_threshold(&at, base, a.typical, a.high, high_best));
        swings.push(Swing {
            driver: Driver::Figure(id),
            values: (a.low, a.high),
            totals: (low_totals[winner], high_totals[winner]),
            margins: (margin(&low_totals, winner), margin(&high_totals, winner)),
            cheapest: (low_best, high_best),
            threshold,
        });
    }

    let today = |sw: &Swing| match sw.driver {
        Driver::Input(f) => s.get(f),
        Driver::Figure(id) => set.get(id).typical,
    };
    swings.sort_by(|a, b| {
        b.flips(base)
            .cmp(&a.flips(base))
            .then(a.fragility(today(a)).total_cmp(&b.fragility(today(b))))
            .then(b.width().total_cmp(&a.width()))
    });
    Sensitivity {
        base,
        base_total: base_totals[winner],
        base_margin: margin(&base_totals, winner),
        swings,
    }
}

/// Bisects between the base value and an end where another stack wins, to
/// the value where the winner changes (24 steps).
fn find_threshold(
    at: &impl Fn(f64) -> (Stack, [f64; 5]),
    base: Stack,
    from: f64,
    to: f64,
    end_best: Stack,
) -> Option<(f64, Stack)> {
    if end_best == base {
        return None;
    }
    let (mut inside, mut outside) = (from, to);
    let mut beyond = end_best;
    for _ in 0..24 {
        let mid = 0.5 * (inside + outside);
        let (best, _) = at(mid);
        if best == base {
            inside = mid;
        } else {
            outside = mid;
            beyond = best;
        }
    }
    Some((outside, beyond))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn input_moves_stay_in_range() {
        assert_eq!(input_range(NumField::PythonShare, 90.0), (70.0, 100.0));
        assert_eq!(input_range(NumField::AvgRps, 200.0), (100.0, 400.0));
        assert_eq!(input_range(NumField::PeakRatio, 1.0), (1.0, 2.0));
    }
}
