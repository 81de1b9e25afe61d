//! Money over the horizon: each month's instances as traffic grows, on the
//! scenario's deployment target, and the running total with people costs.

use super::TierEstimate;
use crate::model::deploy::{self, Deployment};
use crate::model::people::PeopleCosts;
use crate::model::scenario::{NumField, Scenario};
use crate::model::MONTHS_PER_YEAR;

/// Instances of a tier when its traffic is `factor` times today's, at
/// least `floor` (the minimum replicas), as a number of money formulas.
fn instances_at(tier: &TierEstimate, factor: f64, floor: f64) -> f64 {
    tier.instances_at_traffic(factor).max(floor)
}

/// Instances a tier needs per unit of today's traffic, before rounding up:
/// today's peak over the load one instance is planned for, less a
/// trillionth. Where that load is today's peak over today's count (the p99
/// set the count), the division back gives the count but for rounding,
/// which can land a hair above it (61.000000000000007): rounded up, every
/// month would pay an instance more than today.
pub(super) fn instances_per_factor(tier: &TierEstimate) -> f64 {
    tier.peak_rps / tier.max_rps.max(1e-9) * (1.0 - 1e-12)
}

/// `x` rounded up to a whole count, as `(x.ceil().max(0.0) as u64) as f64`
/// gives it (0 for negative `x` and NaN; `u64::MAX` as an `f64`, 2^64, from
/// there up), in a handful of float operations: the horizon asks it for
/// every tier and month, thousands of times a Monte Carlo draw.
pub(super) fn whole_up(x: f64) -> f64 {
    // Adding and taking away 2^52 rounds to a whole number below 2^52;
    // from 2^52 up every f64 is whole.
    const TWO_TO_52: f64 = 4_503_599_627_370_496.0;
    const SATURATED: f64 = u64::MAX as f64;
    // Without a branch (selects, which vectorise): whether to round up is a
    // coin toss month to month. NaN and below 0 fail `x > 0`.
    let x = if x > 0.0 { x } else { 0.0 };
    let nearest = (x + TWO_TO_52) - TWO_TO_52;
    let up = nearest + f64::from(u8::from(nearest < x));
    if x >= TWO_TO_52 {
        x.min(SATURATED)
    } else {
        up
    }
}

/// Traffic a month relative to the month before at `growth_pct` a year,
/// `(1 + g)^(1/12)`. The last answer is kept: a Monte Carlo run or a sweep
/// asks for the same growth for every stack of every draw, and `powf` is
/// a library call.
fn monthly_growth(growth_pct: f64) -> f64 {
    thread_local! {
        static LAST: std::cell::Cell<(u64, f64)> = const { std::cell::Cell::new((0, 1.0)) };
    }
    // 0 is 0.0's bits, and 1.0 its answer.
    LAST.with(|last| {
        let (bits, answer) = last.get();
        if bits == growth_pct.to_bits() {
            return answer;
        }
        let answer = (1.0 + growth_pct / 100.0).powf(1.0 / MONTHS_PER_YEAR);
        last.set((growth_pct.to_bits(), answer));
        answer
    })
}

/// Each month's traffic relative to today's for `months` months at
/// `growth` a month (`growth^m`, by repeated products), given to `then`.
/// The last table is kept: every stack of every Monte Carlo draw and every
/// move of the sensitivity sweep asks for the same one, and its products
/// are a chain of dependent multiplications, some 120 long.
fn with_growth<R>(months: u32, growth: f64, then: impl FnOnce(&[f64]) -> R) -> R {
    thread_local! {
        static LAST: std::cell::RefCell<(u64, Vec<f64>)> =
            const { std::cell::RefCell::new((0, Vec::new())) };
    }
    LAST.with(|last| match last.try_borrow_mut() {
        Ok(mut last) => {
            if last.0 != growth.to_bits() || last.1.len() != months as usize {
                *last = (growth.to_bits(), growth_table(months, growth));
            }
            then(&last.1)
        }
        // Asked for again inside `then` (nothing does): a table of its own.
        Err(_) => then(&growth_table(months, growth)),
    })
}

/// Each month's traffic relative to today's: `growth^m` for m = 0 to
/// `months - 1`, by repeated products.
fn growth_table(months: u32, growth: f64) -> Vec<f64> {
    let mut factor = 1.0;
    (0..months)
        .map(|_| {
            let this = factor;
            factor *= growth;
            this
        })
        .collect()
}

/// The longest horizon the scenario allows, in months (10 years).
const MAX_HORIZON_MONTHS: usize = 120;

/// One number per month of the horizon, on the stack up to
/// [`MAX_HORIZON_MONTHS`] (the horizon's loops run for every stack of every
/// Monte Carlo draw and allocate nothing), on the heap past it.
struct Months {
    on_stack: [f64; MAX_HORIZON_MONTHS],
    on_heap: Vec<f64>,
    len: usize,
}

impl Months {
    /// `months` copies of `value`.
    fn filled(months: u32, value: f64) -> Months {
        let len = months as usize;
        Months {
            on_stack: [value; MAX_HORIZON_MONTHS],
            on_heap: if len > MAX_HORIZON_MONTHS {
                vec![value; len]
            } else {
                Vec::new()
            },
            len,
        }
    }

    fn as_slice(&self) -> &[f64] {
        self.on_stack.get(..self.len).unwrap_or(&self.on_heap)
    }

    fn as_mut_slice(&mut self) -> &mut [f64] {
        match self.on_stack.get_mut(..self.len) {
            Some(slice) => slice,
            None => &mut self.on_heap,
        }
    }
}

/// Each month's infrastructure over the horizon, apart from the people
/// costs: what a sensitivity move that reaches only the people costs
/// reuses ([`PricedStack::costs`] adds them).
#[derive(Clone)]
pub(super) enum InfraMonths {
    /// Every month the same (the busiest month fits in the minimum
    /// replicas).
    Same(f64, u32),
    /// Month by month.
    Each(Vec<f64>),
}

/// [`InfraMonths`] where they were worked out: the horizon folds them in
/// place rather than moving a kilobyte of months for every stack of every
/// draw.
#[derive(Clone, Copy)]
pub(super) enum MonthsRef<'a> {
    Same(f64, u32),
    Each(&'a [f64]),
}

impl InfraMonths {
    pub(super) fn as_ref(&self) -> MonthsRef<'_> {
        match self {
            InfraMonths::Same(each, months) => MonthsRef::Same(*each, *months),
            InfraMonths::Each(table) => MonthsRef::Each(table),
        }
    }

    pub(super) fn owned(months: MonthsRef<'_>) -> InfraMonths {
        match months {
            MonthsRef::Same(each, count) => InfraMonths::Same(each, count),
            MonthsRef::Each(values) => InfraMonths::Each(values.to_vec()),
        }
    }
}

/// One-off people costs at month 0, then each month's infrastructure plus
/// the recurring people costs, plus `fee` every month (by the hour: the
/// fee is kept apart from the running sum). `record` sees the running
/// total after month 0 and after every month.
pub(super) fn fold_horizon(
    infra: MonthsRef<'_>,
    fee: f64,
    people: &PeopleCosts,
    mut record: impl FnMut(f64),
) -> f64 {
    let months = match infra {
        MonthsRef::Same(_, months) => months,
        MonthsRef::Each(table) => table.len() as u32,
    };
    let recurring = people.docs / f64::from(months.max(1));
    let mut running = people.one_off();
    let mut month = 0.0;
    record(running + fee * month);
    let mut add = |infra: f64| {
        running += infra + recurring;
        month += 1.0;
        record(running + fee * month);
    };
    match infra {
        MonthsRef::Same(each, months) => (0..months).for_each(|_| add(each)),
        MonthsRef::Each(table) => table.iter().for_each(|&m| add(m)),
    }
    running + fee * f64::from(months)
}

/// Each month's infrastructure by the hour at that month's traffic,
/// `(1 + g)^(m / 12)` times today's.
#[inline(always)]
fn hourly_months<R>(
    tiers: &[TierEstimate],
    s: &Scenario,
    then: impl FnOnce(MonthsRef<'_>) -> R,
) -> R {
    let months = s.horizon_months();
    let monthly_growth = monthly_growth(s.get(NumField::GrowthPct));
    let min_replicas = s.get(NumField::MinReplicas).max(1.0).floor();
    // What each month reads of a tier, gathered once: the loops below run
    // for every month of every stack of every Monte Carlo draw.
    let mut loads = [(0.0, 0.0); 3];
    for (slot, t) in loads.iter_mut().zip(tiers) {
        *slot = (instances_per_factor(t), t.instance_monthly);
    }
    let loads = &loads[..tiers.len().min(3)];
    with_growth(months, monthly_growth, |factors| {
        // When even the busiest month fits in the minimum replicas, every
        // month costs the same: size once (the common case for small
        // services, and thousands of times cheaper inside a Monte Carlo run).
        let last = factors.last().copied().unwrap_or(1.0);
        if tiers
            .iter()
            .all(|t| instances_at(t, last.max(1.0), min_replicas) == min_replicas)
        {
            let mut sum = 0.0;
            for &(per_factor, each) in loads {
                sum += whole_up(per_factor).max(min_replicas) * each;
            }
            return then(MonthsRef::Same(sum, months));
        }
        // Each month's infrastructure, a tier at a time (a loop with no
        // inner loop; the sums come out tier by tier as in the steady case).
        let mut infra = Months::filled(months, 0.0);
        for &(per_factor, each) in loads {
            for (month, factor) in infra.as_mut_slice().iter_mut().zip(factors) {
                let count = whole_up(factor * per_factor);
                *month += if count < min_replicas {
                    min_replicas
                } else {
                    count
                } * each;
            }
        }
        then(MonthsRef::Each(infra.as_slice()))
    })
}

/// Each month's infrastructure on the scenario's deployment target, with
/// `tiers` as [`deploy::apply`] left them, and the fee kept apart: by the
/// hour as sized (the lag's headroom is in each tier's planned rate), the
/// target's fixed fee apart; on a serverless target each month's bill at
/// that month's traffic (GPU tiers by the hour), the fee inside.
#[inline(always)]
pub(super) fn deployed_months<R>(
    tiers: &[TierEstimate],
    deployment: &Deployment,
    s: &Scenario,
    then: impl FnOnce(MonthsRef<'_>, f64) -> R,
) -> R {
    if !s.deploy.is_serverless() {
        return hourly_months(tiers, s, |months| then(months, deployment.fixed_monthly));
    }
    let months = s.horizon_months();
    let monthly_growth = monthly_growth(s.get(NumField::GrowthPct));
    let min_replicas = s.get(NumField::MinReplicas).max(1.0).floor();
    // Each month's bill, a tier at a time, the target's choice made once a
    // tier rather than once a month.
    let mut infra = Months::filled(months, deployment.fixed_monthly);
    with_growth(months, monthly_growth, |factors| {
        for (t, td) in tiers.iter().zip(&deployment.tiers) {
            let months = infra.as_mut_slice().iter_mut().zip(factors);
            match deploy::MonthlyBill::of(s.deploy, td) {
                Some(bill) => {
                    for (month, &factor) in months {
                        *month += bill.at(factor);
                    }
                }
                None => {
                    for (month, &factor) in months {
                        *month += instances_at(t, factor, min_replicas) * t.instance_monthly;
                    }
                }
            }
        }
    });
    then(MonthsRef::Each(infra.as_slice()), 0.0)
}

#[cfg(test)]
mod tests {
    use super::{growth_table, with_growth};

    #[test]
    fn the_kept_growth_table_is_the_one_asked_for() {
        // Month m's traffic is growth^m by repeated products: at 1% a month
        // month 2 is 1.0201 times today's. The table kept from the last
        // call is used only for the same months and growth.
        assert_eq!(
            with_growth(3, 1.01, <[f64]>::to_vec),
            [1.0, 1.01, 1.01 * 1.01]
        );
        for (months, growth) in [
            (120, 1.05),
            (120, 1.05),
            (60, 1.05),
            (60, 0.9),
            (0, 0.9),
            (1, 2.0),
        ] {
            let kept = with_growth(months, growth, <[f64]>::to_vec);
            assert_eq!(
                kept,
                growth_table(months, growth),
                "{months} months at {growth}"
            );
        }
    }
}
