//! Issue 13, "Figures a reader can trust": each finding pinned by a test
//! named after it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod common;

use common::scenario;
use proptest::prelude::*;
use stackwise::charts::{tornado_chart, Chart};
use stackwise::model::{
    apply_rules, cheapest_group, estimate, estimate_with, recommend, sensitivity, AssumptionId,
    AssumptionSet, Currency, Driver, Estimate, FigureKind, Framework, NodeMajor, NumField, Pick,
    Scenario, Sensitivity, Stack, TIE_SHARE,
};

/// Finding 3: the article's figures carry no runtime-version adjustment, so
/// on every Node version its JSON ordering is the article's: FastAPI >
/// Fastify > Express (with the Node 24 speed-up, Express came first).
#[test]
fn the_article_set_orders_json_throughput_as_the_article_on_every_node_version() {
    let set = AssumptionSet::article();
    for node in NodeMajor::ALL {
        let mut s = Scenario::default();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        s.set(NumField::AvgRps, 200_000.0).unwrap();
        s.node = node;
        let e = estimate(&s, &set);
        let rps = |st: Stack| e.stack(st).throughput_per_instance;
        assert!(
            rps(Stack::FastApi) > rps(Stack::Fastify) && rps(Stack::Fastify) > rps(Stack::Express),
            "{node:?}: FastAPI {}, Fastify {}, Express {} req/s per instance",
            rps(Stack::FastApi),
            rps(Stack::Fastify),
            rps(Stack::Express)
        );
    }
}

/// Whether `base` is still the only cheapest stack with the driver at `x`
/// (a tie means the sentence's other stack is cheapest too).
/// The estimate with `driver` moved to `x`, everything else held.
fn estimate_at(s: &Scenario, set: &AssumptionSet, driver: Driver, x: f64) -> Estimate {
    match driver {
        Driver::Input(field) => {
            let mut moved = s.clone();
            moved
                .set(field, x.clamp(field.spec().min, field.spec().max))
                .unwrap();
            estimate(&moved, set)
        }
        Driver::Figure(id) => {
            let mut f = set.resolve(Pick::Typical);
            f.set(id, x);
            estimate_with(s, &f)
        }
    }
}

/// The lead of today's answer (`sens.base` and the stacks tied with it
/// today) over the cheapest of the other stacks that runs as the base does
/// in `e` (fits its memory and its target, or does not, as the base), or
/// the cheapest of them however it runs when none does: always over the
/// same stacks, wherever a driver takes the totals. With all five in
/// today's answer, the base's lead over the cheapest other.
/// How far a stack does what is asked, in the order the answer prefers:
/// (it runs: fits its memory and its deployment target; it also meets the
/// p99 target).
fn standing(x: &stackwise::model::StackEstimate) -> (bool, bool) {
    let runs = x.fits_memory && x.deployment.ruled_out.is_none();
    (runs, runs && x.meets_p99)
}

fn lead_of_todays_answer(e: &Estimate, sens: &Sensitivity) -> f64 {
    let runs = |st: Stack| standing(e.stack(st));
    let mine = e.stack(sens.base).total;
    let cheapest_of = |keep: &dyn Fn(Stack) -> bool| {
        e.stacks
            .iter()
            .filter(|x| keep(x.stack))
            .map(|x| x.total)
            .fold(f64::INFINITY, f64::min)
    };
    let outside = |x: Stack| x != sens.base && !sens.ties.contains(&x);
    [
        cheapest_of(&|x| outside(x) && runs(x) == runs(sens.base)),
        cheapest_of(&outside),
        cheapest_of(&|x| x != sens.base),
    ]
    .into_iter()
    .find(|next| next.is_finite())
    .map_or(0.0, |next| next - mine)
}

fn base_still_cheapest(
    s: &Scenario,
    set: &AssumptionSet,
    driver: Driver,
    x: f64,
    base: Stack,
) -> bool {
    let e = estimate_at(s, set, driver, x);
    // Only stacks that meet the p99 target can be the cheapest; where none
    // does, those that fit their memory and that the deployment target can
    // run; where none can, all of them: as in the estimate.
    let highest = e
        .stacks
        .iter()
        .map(standing)
        .max()
        .unwrap_or((false, false));
    let eligible = |x: &&stackwise::model::StackEstimate| standing(x) == highest;
    let others = e
        .stacks
        .iter()
        .filter(|x| x.stack != base && eligible(x))
        .map(|x| x.total)
        .fold(f64::INFINITY, f64::min);
    // Still the answer while it costs the same as the cheapest other, within
    // the 0.5% the headline calls "the same": a driver "makes" another
    // stack the cheapest only once that stack is cheaper by more.
    eligible(&e.stack(base)) && e.stack(base).total <= others * (1.0 + TIE_SHARE)
}

/// The numbers a sentence gives in money (`$1,234`, `€1,234`) and in
/// percent (`83%`).
fn numbers(sentence: &str) -> (Vec<f64>, Vec<f64>) {
    let parse = |t: &str| t.replace(',', "").parse::<f64>().ok();
    let amount = |w: &str| {
        Currency::ALL
            .iter()
            .find_map(|c| w.strip_prefix(c.symbol()))
            .and_then(parse)
    };
    let mut money = Vec::new();
    let mut percents = Vec::new();
    for word in sentence.split_whitespace() {
        let w = word.trim_matches(|c: char| c == '(' || c == ')' || c == ',' || c == '.');
        if let Some(m) = amount(w) {
            money.push(m);
        } else if let Some(p) = w.strip_suffix('%').and_then(parse) {
            percents.push(p);
        }
    }
    (money, percents)
}

/// The number a sentence shows after `marker`, in the driver's stored unit
/// (shares of figures are shown as percentages, stored as fractions).
fn shown_value(sentence: &str, marker: &str, driver: Driver) -> Option<f64> {
    let after = sentence.split(marker).nth(1)?;
    let token = after.split_whitespace().next()?;
    let digits: String = token
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '.' || *c == '-')
        .collect();
    let v = digits.trim_end_matches('.').parse::<f64>().ok()?;
    let fraction = match driver {
        Driver::Figure(id) => {
            AssumptionSet::published().get(id).unit == stackwise::model::Unit::Fraction
        }
        Driver::Input(_) => false,
    };
    Some(if fraction { v / 100.0 } else { v })
}

/// Checks every driver sentence of the sweep: "above X" / "below X" is true
/// when the driver is moved 2% past X, and no sentence reports a swing that
/// rounds to nothing.
fn check_driver_sentences(
    s: &Scenario,
    set: &AssumptionSet,
    sens: &Sensitivity,
    drivers: &[String],
) -> Result<(), String> {
    for (whole, sw) in drivers.iter().zip(&sens.swings) {
        // Read the sentence after the driver's own name.
        let label = sw.driver.label();
        let Some(sentence) = whole.strip_prefix(label.as_str()) else {
            return Err(format!("\"{whole}\" does not start with \"{label}\""));
        };
        if sentence.contains(" trade places ") {
            // Back and forth: the other stack is cheapest at the threshold
            // and today's again somewhere past it.
            let Some((at, _)) = sw.threshold else {
                return Err(format!("\"{whole}\" names no threshold"));
            };
            if base_still_cheapest(s, set, sw.driver, at, sens.base) || sw.steady {
                return Err(format!("\"{whole}\" does not cross"));
            }
        } else if sentence.contains(" between ") && sw.threshold.is_some() {
            // "between X and Z makes Y the cheapest": true in the middle.
            let (lo, hi) = match sw.flips_above() {
                Some(true) => (sw.threshold.map(|t| t.0), sw.until),
                _ => (sw.until, sw.threshold.map(|t| t.0)),
            };
            let (Some(lo), Some(hi)) = (lo, hi) else {
                return Err(format!("\"{whole}\" names no interval"));
            };
            if base_still_cheapest(s, set, sw.driver, 0.5 * (lo + hi), sens.base) {
                return Err(format!(
                    "\"{whole}\": {} is still the cheapest",
                    sens.base.label()
                ));
            }
        } else if let Some((at, _)) = sw.threshold {
            let above = sentence.contains(" above ");
            let below = sentence.contains(" below ");
            if above == below {
                return Err(format!("no single side in \"{whole}\""));
            }
            // Just past the value the sentence shows, and at the end of the
            // move.
            let (lo, hi) = (sw.values.0.min(sw.values.1), sw.values.0.max(sw.values.1));
            let x = shown_value(
                sentence,
                if above { " above " } else { " below " },
                sw.driver,
            )
            .ok_or_else(|| format!("\"{whole}\": no value after the side"))?;
            let near_today = (at - sw.today).abs() <= 1e-6 * (hi - lo) && x == sw.today;
            if (x - at).abs() > 0.01 * at.abs().max(1e-12) && !near_today {
                return Err(format!("\"{whole}\" shows {x}, the threshold is {at}"));
            }
            let step = 1e-6 * x.abs().max(1e-12);
            let shown = if above { x + step } else { x - step };
            let end = if above { hi } else { lo };
            for past in [shown.clamp(lo, hi), end] {
                if base_still_cheapest(s, set, sw.driver, past, sens.base) {
                    return Err(format!(
                        "\"{whole}\": at {past}, {} is still the cheapest",
                        sens.base.label()
                    ));
                }
            }
        } else {
            let (money, _) = numbers(sentence);
            if money.len() == 2 && money[0] == money[1] {
                return Err(format!("\"{whole}\" moves nothing"));
            }
            // "moves X's lead (or the lead of X and Y) over the next
            // cheapest between $A and $B": the lead at the two ends, over
            // the cheapest stack outside today's answer (a stack tied with X
            // today is part of the answer).
            if sentence.contains(" over the next cheapest between") && money.len() == 2 {
                let ends = [sw.values.0, sw.values.1]
                    .map(|x| lead_of_todays_answer(&estimate_at(s, set, sw.driver, x), sens));
                let (lo, hi) = (ends[0].min(ends[1]), ends[0].max(ends[1]));
                if (money[0] - lo).abs() > 1.0 || (money[1] - hi).abs() > 1.0 {
                    return Err(format!(
                        "\"{whole}\": the lead is {lo:.0} to {hi:.0} at the two ends"
                    ));
                }
            }
        }
    }
    Ok(())
}

/// The stacks a sentence names, in the order it names them (a stack named
/// twice is listed twice).
fn named_stacks(sentence: &str) -> Vec<Stack> {
    let mut found: Vec<(usize, Stack)> = Stack::ALL
        .into_iter()
        .flat_map(|st| {
            sentence
                .match_indices(st.label())
                .map(move |(at, _)| (at, st))
        })
        .collect();
    found.sort_by_key(|(at, _)| *at);
    found.into_iter().map(|(_, st)| st).collect()
}

/// Whether `a` and `b` hold the same stacks, in any order.
fn same_stacks(a: &[Stack], b: &[Stack]) -> bool {
    a.len() == b.len() && a.iter().all(|st| b.contains(st))
}

/// Checks what the tornado's read-out says at each end of each driver's
/// move against the estimate there, by the headline's rule: a stack "stays
/// cheapest" only while no stack outside today's answer costs the same
/// (within 0.5%), the stacks said to "cost the same" are exactly those the
/// headline names there (the read-out named two where the headline named
/// all five), a stack "is cheapest" only where today's cheapest is no
/// longer among the cheapest, or today's cheapest alone where the stacks
/// tied with it today no longer are (they are the ones named), and every
/// amount is the gap between the totals it names.
fn check_tornado_ends(s: &Scenario, set: &AssumptionSet, sens: &Sensitivity) -> Result<(), String> {
    let chart = tornado_chart(Some(sens), set, s.currency);
    let swings = sens
        .swings
        .iter()
        .filter(|sw| sw.margins.0.is_finite() && sw.margins.1.is_finite());
    let base = sens.base;
    for (at, sw) in swings.take(chart.rows.len()).enumerate() {
        let readout = chart.readout(at).ok_or("a row without a read-out")?;
        for (x, line) in [sw.values.0, sw.values.1].into_iter().zip(&readout.rows) {
            let text = line.value.as_str();
            let e = estimate_at(s, set, sw.driver, x);
            let group = cheapest_group(&e);
            let total = |st: Stack| e.stack(st).total;
            let runs = |st: Stack| {
                let x = e.stack(st);
                x.fits_memory && x.deployment.ruled_out.is_none()
            };
            // A stack said to miss the p99 target runs there but misses it.
            let misses = |st: Stack| runs(st) && !e.stack(st).meets_p99;
            let named = named_stacks(text);
            let (money, _) = numbers(text);
            let gap = |a: Stack, b: Stack| (total(a) - total(b)).abs();
            let near = |a: f64, b: f64| (a - b).abs() <= 1.0;
            let fail = |why: &str| Err(format!("{}: \"{text}\": {why}", line.label));
            if text.contains(" stays cheapest by ")
                || text.contains(" stays among the cheapest; the lead is ")
            {
                if !group.contains(&base)
                    || group
                        .iter()
                        .any(|st| *st != base && !sens.ties.contains(st))
                {
                    return fail(&format!("the cheapest are {group:?}"));
                }
                if !near(money[0], lead_of_todays_answer(&e, sens)) {
                    return fail(&format!("the lead is {}", lead_of_todays_answer(&e, sens)));
                }
                // "Among the cheapest" while another stack tied today is
                // still named with it there.
                if text.contains(" among the cheapest") && group.len() < 2 {
                    return fail(&format!("the headline names {group:?} alone"));
                }
            } else if named.first() == Some(&base) && text.contains(" no longer cost") {
                // "FastAPI is cheapest; Hybrid no longer costs the same":
                // today's cheapest alone, every other stack tied today
                // named as dropped.
                let dropped: Vec<Stack> =
                    sens.ties.iter().copied().filter(|st| *st != base).collect();
                if group != [base] || !same_stacks(&named[1..], &dropped) {
                    return fail(&format!(
                        "the headline names {group:?}; tied today {:?}",
                        sens.ties
                    ));
                }
            } else if text.contains(" cost the same") {
                // "A, B and C cost the same; B is $300 dearer": the stacks
                // before the ";" are those the headline names there, and
                // the amount is the gap between today's cheapest and the
                // stack named after it.
                let (head, tail) = text.split_once(';').unwrap_or((text, ""));
                if !same_stacks(&named_stacks(head), &group) {
                    return fail(&format!("the headline names {group:?}"));
                }
                let said = money.first().copied().unwrap_or(0.0);
                // "...; B is $300 dearer [than A]": the stack after "than",
                // or the other of the two named; nothing more when they
                // cost exactly the same.
                let fits = match named_stacks(tail)[..] {
                    [] => group
                        .iter()
                        .any(|st| *st != base && near(total(*st), total(base))),
                    [dearer, cheaper] => near(total(dearer) - total(cheaper), said),
                    [dearer] => match group[..] {
                        [a, b] => {
                            let cheaper = if dearer == a { b } else { a };
                            near(total(dearer) - total(cheaper), said)
                        }
                        _ => false,
                    },
                    _ => false,
                };
                if !fits {
                    return fail(&format!("the gap is not {said}"));
                }
            } else if text.ends_with(" less but does not fit")
                || text.ends_with(" less but misses the p99 target")
            {
                let why = if text.ends_with(" does not fit") {
                    !runs(named[1])
                } else {
                    misses(named[1])
                };
                if !group.contains(&base) || !why || !near(money[0], gap(base, named[1])) {
                    return fail(&format!("the cheapest are {group:?}"));
                }
            } else if text.contains(" is cheapest; ") {
                if named[0] != e.cheapest || group.contains(&base) {
                    return fail(&format!("the cheapest are {group:?}"));
                }
                if text.ends_with(" dearer") && !near(money[0], total(base) - total(named[0])) {
                    return fail(&format!("the gap is {}", total(base) - total(named[0])));
                }
                if text.ends_with(" does not fit") && runs(base) {
                    return fail("it runs");
                }
                if text.ends_with(" misses the p99 target") && !misses(base) {
                    return fail("it does not run, or meets the target");
                }
            } else {
                return fail("not a sentence of the tornado's");
            }
        }
    }
    Ok(())
}

/// Checks each driver's outcome in "What the answer turns on" against the
/// estimate: "Y is cheapest at V" where, at V, Y is and X is not among the
/// cheapest; "X stays cheapest; Y costs the same at V" where, at V, X is
/// still among the cheapest and Y is every stack from outside today's
/// answer that the headline names there ("Y and Z cost the same"); "X stays
/// cheapest" alone where, at both ends, X is among the cheapest and no
/// stack outside today's answer costs the same.
fn check_outcomes(s: &Scenario, set: &AssumptionSet, sens: &Sensitivity) -> Result<(), String> {
    for sw in &sens.swings {
        let text = sens.outcome(sw, s.currency);
        if sw.threshold.is_some() {
            continue; // "becomes cheapest at": check_driver_sentences's
        }
        let outside = |st: &Stack| *st != sens.base && !sens.ties.contains(st);
        let at = |x: f64| {
            let e = estimate_at(s, set, sw.driver, x);
            let group = cheapest_group(&e);
            (e, group)
        };
        let other_end = sw.ends().into_iter().find(|end| end.cheapest != sens.base);
        if let Some(end) = other_end {
            let (value, other) = (end.value, end.cheapest);
            let (e, group) = at(value);
            if !text.contains(&format!("{} is cheapest at ", other.label()))
                || e.cheapest != other
                || group.contains(&sens.base)
            {
                return Err(format!(
                    "\"{text}\": at {value}, the cheapest are {group:?}"
                ));
            }
        } else if let Some((value, _)) = sens.joined(sw) {
            // "X stays cheapest; Y and Z cost the same at V": at V the
            // headline names X, and Y and Z are all it names from outside
            // today's answer.
            let (_, group) = at(value);
            let (_, tail) = text.split_once(';').unwrap_or((&text, ""));
            let joined: Vec<Stack> = group.iter().copied().filter(outside).collect();
            if !group.contains(&sens.base) || !same_stacks(&named_stacks(tail), &joined) {
                return Err(format!(
                    "\"{text}\": at {value}, the cheapest are {group:?}"
                ));
            }
        } else {
            for x in [sw.values.0, sw.values.1] {
                let (_, group) = at(x);
                if !group.contains(&sens.base) || group.iter().any(outside) {
                    return Err(format!(
                        "\"{text}\": at {x}, the cheapest are {group:?}; ties {:?}; {sw:?}",
                        sens.ties
                    ));
                }
            }
        }
    }
    Ok(())
}

/// Checks the headline's lead, "P% less than Y ($B)" or under 1% "$L less
/// than Y ($B)", against its own numbers, and a tie's range against the
/// 0.5% that ties.
fn check_headline_percent(headline: &str) -> Result<(), String> {
    let first = headline.split(". ").next().unwrap_or(headline);
    if !first.contains(" less than ") {
        return Ok(());
    }
    let (money, percents) = numbers(first);
    // "X is the cheapest at $A, <lead> less than Y ($B)"; for a tie "…, $A
    // each, <lead>…" or "…, $A to $H (within 0.5%), <lead>…".
    let (amounts, lead_percent) = match (money.as_slice(), percents.as_slice()) {
        (&[cheapest, high, ref rest @ ..], &[within, ref p @ ..]) if first.contains("(within ") => {
            // The range is the tie's: within 0.5% of the cheapest, give or
            // take the rounding to whole units.
            if within != 0.5 || high < cheapest || high > cheapest * 1.005 + 1.0 {
                return Err(format!("\"{first}\": not a tie within 0.5%"));
            }
            ([&[cheapest][..], rest].concat(), p.to_vec())
        }
        _ => (money.clone(), percents.clone()),
    };
    match (amounts.as_slice(), lead_percent.as_slice()) {
        (&[cheapest, next], &[p]) => {
            if !(1.0..=100.0).contains(&p) {
                return Err(format!(
                    "\"{first}\": a lead of {p}% (under 1% it is money)"
                ));
            }
            let want = 100.0 * (next - cheapest) / next;
            // The amounts are rounded to whole units and the percentage to
            // a whole number.
            let slack = 0.5 + 100.0 * 1.0 / next.max(1.0);
            if (want - p).abs() > slack {
                return Err(format!("\"{first}\": {p}% but the amounts give {want:.2}%"));
            }
        }
        (&[cheapest, lead, next], &[]) => {
            // The difference of the amounts as shown, and under 1% of Y's.
            if lead != next - cheapest || lead >= 0.01 * next + 1.0 {
                return Err(format!(
                    "\"{first}\": a lead of {lead} between {cheapest} and {next}"
                ));
            }
        }
        _ => {
            return Err(format!(
                "\"{first}\": expected the cheapest's amount (or a tie's range), a lead and Y's"
            ))
        }
    }
    Ok(())
}

/// Finding 4: a threshold's side is decided against today's (typical)
/// value, not the middle of the range. FastAPI's JSON cost is 134 µs typical
/// in a range of 59 to 714 µs: a change at 292 µs is above today's value.
#[test]
fn a_threshold_above_the_typical_value_is_called_above() {
    let set = AssumptionSet::published();
    let mut found = false;
    for rps in [2_000.0, 5_000.0, 10_000.0, 20_000.0, 50_000.0] {
        let mut s = Scenario::default();
        s.set(NumField::PythonShare, 100.0).unwrap();
        s.set(NumField::JsShare, 0.0).unwrap();
        s.set(NumField::AvgRps, rps).unwrap();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        let e = estimate(&s, &set);
        let sens = sensitivity(&s, &set);
        let r = recommend(&s, &e, None, Some(&sens));
        let id = AssumptionId::Framework(Framework::FastApi, FigureKind::JsonCpuUs);
        for (sentence, sw) in r.drivers.iter().zip(&sens.swings) {
            if sw.driver == Driver::Figure(id) {
                if let Some((at, _)) = sw.threshold {
                    found = true;
                    let side = if at > 134.0 { " above " } else { " below " };
                    assert!(
                        sentence.contains(side),
                        "at {rps} req/s, threshold {at}: {sentence}"
                    );
                }
            }
        }
        check_driver_sentences(&s, &set, &sens, &r.drivers).unwrap();
    }
    assert!(
        found,
        "FastAPI's JSON cost never decided: pick another scenario"
    );
}

/// Finding 4, with ties: a driver "makes" another stack the cheapest where
/// today's cheapest stops costing the same as it, by the headline's rule
/// (within 0.5%), not where it falls behind by a hair.
///
/// Worked by hand: 20,000 req/s, all JSON, a team fluent in Python only,
/// the published figures. FastAPI is the cheapest ($37,049). Moving the
/// CPU-bound share up, at 10.55% FastAPI costs $263,957 and Fastify
/// $262,778: 0.45% more, which the headline calls the same. At 10.56% they
/// cost $264,245 and $262,850: 0.53% more, past the tie. So the sentence
/// says "above 10.6%" (three digits, rounded away from today's 0%). It
/// once said "above 12.2%" (before the scale-out headroom was counted from
/// the average) where, at 12.2152% and $263,597 against $262,490, the two
/// still cost the same.
#[test]
fn a_stack_tied_with_the_cheapest_is_not_made_the_cheapest_by_a_hair() {
    let set = AssumptionSet::published();
    let mut s = Scenario::default();
    s.set(NumField::PythonShare, 100.0).unwrap();
    s.set(NumField::JsShare, 0.0).unwrap();
    s.set(NumField::AvgRps, 20_000.0).unwrap();
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    let e = estimate(&s, &set);
    let sens = sensitivity(&s, &set);
    let r = recommend(&s, &e, None, Some(&sens));
    assert_eq!(r.stack, Stack::FastApi);
    let sentence = r
        .drivers
        .iter()
        .find(|d| d.starts_with("CPU-bound share"))
        .expect("the CPU-bound share decides");
    assert_eq!(
        sentence,
        "CPU-bound share above 10.6% makes Fastify the cheapest."
    );
    let apart = |cpu: f64| {
        let mut moved = s.clone();
        moved.set(NumField::CpuShare, cpu).unwrap();
        let e = estimate(&moved, &set);
        e.stack(Stack::FastApi).total / e.stack(Stack::Fastify).total - 1.0
    };
    assert!(apart(10.55) <= TIE_SHARE, "{}", apart(10.55));
    assert!(apart(10.56) > TIE_SHARE, "{}", apart(10.56));
    check_driver_sentences(&s, &set, &sens, &r.drivers).unwrap();
}

/// Finding 4, with ties: the answer's lead is over the stacks outside it,
/// the same ones at every point of a move. Worked by hand: the page's default scenario at 20,000
/// req/s, published figures. Fastify and Hybrid cost $72,308 each (no ML
/// work, so the hybrid runs Fastify alone); Express costs $76,417. Their
/// lead is $76,417 - $72,308 = $4,109. The sweep called it $0, Fastify's
/// lead over Hybrid, and so did every row of "What the answer turns on".
#[test]
fn with_a_tie_the_lead_is_over_the_stacks_outside_the_answer() {
    use stackwise::state::codec::from_query;
    let state = from_query("v=1&rps=20000").state;
    let (s, set) = (state.scenario, state.assumptions);
    let e = estimate(&s, &set);
    assert_eq!(e.stack(Stack::Fastify).total.round(), 72_308.0);
    assert_eq!(e.stack(Stack::Hybrid).total.round(), 72_308.0);
    assert_eq!(e.stack(Stack::Express).total.round(), 76_417.0);
    let sens = sensitivity(&s, &set);
    assert_eq!(sens.base, Stack::Fastify);
    assert_eq!(sens.ties, vec![Stack::Hybrid]);
    assert_eq!(sens.leaders(), "Fastify and Hybrid");
    assert_eq!(sens.lead_of(), "the lead of Fastify and Hybrid");
    assert_eq!(sens.base_margin.round(), 4_109.0);
    // Every driver's lead at both ends of its move, recomputed.
    for sw in &sens.swings {
        for (x, got) in [(sw.values.0, sw.margins.0), (sw.values.1, sw.margins.1)] {
            let want = lead_of_todays_answer(&estimate_at(&s, &set, sw.driver, x), &sens);
            assert!(
                (got - want).abs() <= 1e-6 * want.abs().max(1.0),
                "{} at {x}: lead {got}, recomputed {want}",
                sw.driver.label()
            );
        }
    }
    // The lead is over the same stacks at every point of a move. At 20%
    // ML inference Express costs $2,925,231 and NestJS $2,932,583, within
    // 0.5% of Fastify and Hybrid ($2,921,194): the answer's lead over the
    // rest narrows to $4,036 (over Express). Measured over the next stack
    // beyond the ties at that end instead (FastAPI, $3,064,297), it would
    // read $143,103, and ML inference topped the drivers for widening a
    // lead it narrows.
    let ml = sens
        .swings
        .iter()
        .find(|sw| sw.driver == Driver::Input(NumField::MlShare))
        .expect("ML inference share is swept");
    assert_eq!(ml.values, (0.0, 20.0));
    assert_eq!(
        (ml.margins.0.round(), ml.margins.1.round()),
        (4_109.0, 4_036.0)
    );
    let r = recommend(&s, &e, None, Some(&sens));
    for d in &r.drivers {
        assert!(!d.contains("Fastify's lead"), "{d}");
    }
    assert!(
        !r.drivers[0].starts_with("ML inference share"),
        "{:?}",
        r.drivers
    );
    check_driver_sentences(&s, &set, &sens, &r.drivers).unwrap();
}

/// Finding 4, with ties: a stack that already costs the same as today's
/// cheapest is part of the answer, so a driver that puts it ahead is said
/// to make it cheaper than today's cheapest, not "the cheapest". Worked by
/// hand: 2,000 req/s, published figures: Express, Fastify, NestJS and
/// Hybrid all cost $59,190. Moving the CPU-bound share up from 5%: at
/// 19.95% Express costs $60,631 and Fastify $60,343, 0.48% apart, still the
/// same; at 20% Express costs $60,703, 0.60% more than Fastify. The
/// threshold, 19.96%, shows as "above 20%".
#[test]
fn a_tied_stack_that_pulls_ahead_is_called_cheaper_than_todays() {
    use stackwise::state::codec::from_query;
    let state = from_query("v=1&rps=2000").state;
    let (s, set) = (state.scenario, state.assumptions);
    let e = estimate(&s, &set);
    let sens = sensitivity(&s, &set);
    assert_eq!(sens.base, Stack::Express);
    assert_eq!(
        sens.ties,
        vec![Stack::Fastify, Stack::NestJs, Stack::Hybrid]
    );
    let r = recommend(&s, &e, None, Some(&sens));
    assert!(
        r.drivers
            .iter()
            .any(|d| d == "CPU-bound share above 20% makes Fastify cheaper than Express."),
        "{:?}",
        r.drivers
    );
    for d in &r.drivers {
        assert!(!d.contains("makes Fastify the cheapest"), "{d}");
    }
    check_driver_sentences(&s, &set, &sens, &r.drivers).unwrap();
}

/// Finding 4: "P% less than" is relative to the larger total and never
/// exceeds 100% (it said "476% less than Fastify" where 83% is right).
#[test]
fn percent_less_is_relative_to_the_larger_total() {
    // A one-person team on a busy JSON service on Node 20: people cost
    // little, so infrastructure sets the stacks several times apart.
    let mut s = Scenario::default();
    s.set(NumField::TeamSize, 1.0).unwrap();
    s.set(NumField::DevCostYear, 1_000.0).unwrap();
    s.set(NumField::AvgRps, 50_000.0).unwrap();
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    s.node = NodeMajor::V20;
    let e = estimate(&s, &AssumptionSet::published());
    let r = recommend(&s, &e, None, None);
    check_headline_percent(&r.headline).unwrap();
}

/// Finding 4: a driver that moves nothing ("between $34,958 and $34,958")
/// is not listed among the top drivers.
#[test]
fn a_driver_that_moves_nothing_is_not_listed() {
    let set = AssumptionSet::published();
    let mut s = Scenario::default();
    s.set(NumField::AvgRps, 20_000.0).unwrap();
    let e = estimate(&s, &set);
    let sens = sensitivity(&s, &set);
    let r = recommend(&s, &e, None, Some(&sens));
    check_driver_sentences(&s, &set, &sens, &r.drivers).unwrap();
    for sw in &sens.swings {
        assert!(
            sw.flips(sens.base) || (sw.totals.1 - sw.totals.0).abs() >= 0.5 || sw.width() >= 0.5,
            "{} moves nothing but is listed",
            sw.driver.label()
        );
    }
}

/// Finding 4: every value in the sensitivity table carries its unit
/// ("Ramp-up 1 to 6" had no "months", "Sprint length 1 to 4" no "weeks").
#[test]
fn every_swept_value_carries_its_unit() {
    use stackwise::model::{Currency, SharedFigure};
    let show = |d: Driver, v: f64| d.show(v, Currency::Usd);
    assert_eq!(
        show(
            Driver::Figure(AssumptionId::Shared(SharedFigure::RampUpMonths)),
            6.0
        ),
        "6 months"
    );
    assert_eq!(
        show(
            Driver::Figure(AssumptionId::Shared(SharedFigure::SprintWeeks)),
            4.0
        ),
        "4 weeks"
    );
    assert_eq!(
        show(
            Driver::Figure(AssumptionId::Shared(SharedFigure::SwitchShare)),
            0.15
        ),
        "15%"
    );
    assert_eq!(show(Driver::Input(NumField::PythonShare), 44.4), "44.4%");
    assert_eq!(
        show(Driver::Input(NumField::DevCostYear), 120_000.0),
        "$120,000"
    );
    assert_eq!(show(Driver::Input(NumField::PeakRatio), 3.0), "3x");
    for field in NumField::ALL {
        let text = show(Driver::Input(field), field.spec().default.max(1.0));
        assert!(
            text.chars()
                .any(|c| !c.is_ascii_digit() && c != '.' && c != ','),
            "{field:?}: {text}"
        );
    }
    for id in AssumptionId::all() {
        let text = show(Driver::Figure(id), 2.0);
        let bare = text
            .chars()
            .all(|c| c.is_ascii_digit() || c == '.' || c == ',');
        let coefficient = matches!(
            id,
            AssumptionId::Shared(SharedFigure::UslAlpha | SharedFigure::UslBeta)
                | AssumptionId::Framework(_, FigureKind::UslAlpha | FigureKind::UslBeta)
        );
        assert!(!bare || coefficient, "{}: {text}", id.key());
    }
}

/// Finding 5, as the model prices it now: start-up time lengthens the
/// scale-out lag (the deployment target's model), so a start-up figure is
/// swept, and listed only where it moves something. With the article's
/// figures at 80,000 req/s, Fastify and Hybrid cost $607,343 each, Express
/// $283,852 more. Express's start-up time, moved from 50 to 200 ms,
/// lengthens its lag (by 0.15 s) and so its headroom (by 2 x 0.15 s / 900 s,
/// 0.033%): their lead over it goes from $283,852 to $283,924; their own
/// totals do not move. (At 20,000 req/s, where this test was first worked,
/// the headroom counted from the average leaves no month's count moved.) (This test once said
/// start-up time was not swept at all; it held only while the lead was
/// measured against Hybrid, tied at $0 at both ends.)
#[test]
fn start_up_time_is_swept_only_where_it_moves_a_cost() {
    let mut s = Scenario::default();
    s.set(NumField::AvgRps, 80_000.0).unwrap();
    for set in [AssumptionSet::published(), AssumptionSet::article()] {
        let sens = sensitivity(&s, &set);
        for sw in &sens.swings {
            if matches!(
                sw.driver,
                Driver::Figure(AssumptionId::Framework(_, FigureKind::StartupMs))
            ) {
                let moves = (sw.totals.1 - sw.totals.0).abs() >= 0.5 || sw.width() >= 0.5;
                assert!(moves && sw.threshold.is_none(), "{}", sw.driver.label());
            }
        }
    }
    let sens = sensitivity(&s, &AssumptionSet::article());
    assert_eq!(sens.leaders(), "Fastify and Hybrid");
    let express = sens
        .swings
        .iter()
        .find(|sw| {
            sw.driver
                == Driver::Figure(AssumptionId::Framework(
                    Framework::Express,
                    FigureKind::StartupMs,
                ))
        })
        .expect("Express's start-up time moves the lead");
    assert_eq!(express.values, (50.0, 200.0));
    assert_eq!(express.totals.0.round(), 607_343.0);
    assert_eq!(express.totals.1.round(), 607_343.0);
    assert_eq!(express.margins.0.round(), 283_852.0);
    assert_eq!(express.margins.1.round(), 283_924.0);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// Finding 4, over random scenarios: every "above X" / "below X" is true
    /// when the driver moves past X, every driver listed moves something,
    /// the headline's percentage recomputes from its own amounts, and a
    /// stack named as costing the same costs within 0.5% of the cheapest,
    /// not less (one that cannot run is not "the same"); and the article's
    /// rules agree with the cost model exactly when each favours a stack of
    /// the headline's answer, ties included.
    #[test]
    fn sentences_say_what_the_numbers_say(s in scenario(), article in any::<bool>()) {
        let set = if article { AssumptionSet::article() } else { AssumptionSet::published() };
        let e = estimate(&s, &set);
        let sens = sensitivity(&s, &set);
        let r = recommend(&s, &e, None, Some(&sens));
        prop_assert!(check_headline_percent(&r.headline).is_ok(), "{:?}", check_headline_percent(&r.headline));
        let best = e.stack(r.stack).total;
        for tie in &r.ties {
            let total = e.stack(*tie).total;
            prop_assert!(total >= best && total <= best * 1.005, "{tie:?} at {total} named with {best}");
        }
        let checked = check_driver_sentences(&s, &set, &sens, &r.drivers);
        prop_assert!(checked.is_ok(), "{:?}", checked);
        let ends = check_tornado_ends(&s, &set, &sens);
        prop_assert!(ends.is_ok(), "{:?}", ends);
        let outcomes = check_outcomes(&s, &set, &sens);
        prop_assert!(outcomes.is_ok(), "{:?}", outcomes);
        let answer: Vec<Stack> = std::iter::once(r.stack).chain(r.ties.iter().copied()).collect();
        let rules = apply_rules(&s, &e);
        let agree = (!rules.triggered.is_empty()).then(|| {
            rules.triggered.iter().all(|t| answer.iter().any(|x| t.favours.includes(*x)))
        });
        prop_assert_eq!(rules.agree, agree, "{}", rules.summary);
    }
}

/// Finding 2: unverified claims do not decide the default answer. With the
/// published benchmarks the article's docs and SDK terms are off (the docs
/// term alone was $52,000 over 3 years, more than all the infrastructure);
/// with the article's set they are on.
#[test]
fn unverified_claims_are_off_in_the_published_set_and_on_in_the_articles() {
    use stackwise::model::SetKind;
    use stackwise::state::codec::{from_query, to_query, State};
    // The page starts from the published benchmarks with the claims off.
    let start = State::default();
    assert_eq!(start.assumptions.kind, SetKind::Published);
    assert_eq!(to_query(&start), "v=1", "the default needs no key");
    let s = start.scenario;
    let e = estimate(&s, &start.assumptions);
    for x in &e.stacks {
        assert_eq!(x.people.docs, 0.0, "{:?}", x.stack);
        assert_eq!(x.people.integrations, 0.0, "{:?}", x.stack);
    }
    // The switch follows the set a link names, and can be turned on.
    let published = from_query("v=1").state;
    assert!(!published.scenario.productivity_effects);
    let article = from_query("v=1&set=article").state;
    assert_eq!(article.assumptions.kind, SetKind::Article);
    assert!(article.scenario.productivity_effects);
    let e = estimate(&article.scenario, &article.assumptions);
    assert!(e.stacks.iter().any(|x| x.people.docs > 0.0));
    let on = from_query("v=1&productivity=1").state;
    assert!(on.scenario.productivity_effects);
    let off = from_query("v=1&set=article&productivity=0").state;
    assert!(!off.scenario.productivity_effects);
}

/// Finding 2: the article's productivity figures are labelled as its
/// claims, unverified, in both sets.
#[test]
fn the_articles_productivity_figures_are_labelled_unverified_claims() {
    use stackwise::model::{Basis, SharedFigure};
    for set in [AssumptionSet::published(), AssumptionSet::article()] {
        for f in [
            SharedFigure::DocsHoursPerSprint,
            SharedFigure::IntegrationSaving,
        ] {
            let a = set.get(AssumptionId::Shared(f));
            assert_eq!(
                a.basis(),
                Basis::ArticleClaim,
                "{f:?} in {:?}: {}",
                set.kind,
                a.source
            );
            assert!(
                a.source
                    .to_ascii_lowercase()
                    .contains(stackwise::model::CLAIM_MARK),
                "{}",
                a.source
            );
        }
    }
}

/// Finding 2: every figure that is Stackwise's own assumption is marked as
/// one and says why its value and range were chosen.
#[test]
fn every_stackwise_assumption_is_marked_and_says_why() {
    use stackwise::model::{Basis, SharedFigure};
    let expected = [
        AssumptionId::Shared(SharedFigure::UslBeta),
        AssumptionId::Shared(SharedFigure::MlHopMs),
        AssumptionId::Shared(SharedFigure::RampUpMonths),
        AssumptionId::Shared(SharedFigure::SprintWeeks),
        AssumptionId::Shared(SharedFigure::IntegrationHours),
        AssumptionId::Shared(SharedFigure::HoursPerYear),
        AssumptionId::Framework(Framework::NestJs, FigureKind::RuntimeMib),
        AssumptionId::Framework(Framework::NestJs, FigureKind::StartupMs),
    ];
    for set in [AssumptionSet::published(), AssumptionSet::article()] {
        for id in expected {
            assert_eq!(
                set.get(id).basis(),
                Basis::Assumption,
                "{} in {:?}",
                id.key(),
                set.kind
            );
        }
        for id in AssumptionId::all() {
            let a = set.get(id);
            if a.basis() != Basis::Assumption {
                continue;
            }
            // The marker, and at least one more sentence: the reason.
            let sentences = a.source.split(". ").filter(|x| x.len() > 20).count();
            assert!(
                a.source.contains("Stackwise assumption")
                    && sentences >= 2
                    && a.source.contains("Why:"),
                "{} in {:?} does not say why: {}",
                id.key(),
                set.kind,
                a.source
            );
        }
    }
}

/// Finding 2: the DistilBERT preset's inference times are public figures,
/// with their source; the large model's are marked as assumptions.
#[test]
fn model_presets_cite_public_inference_times_or_say_they_are_assumptions() {
    use stackwise::model::ModelPreset;
    let small = &ModelPreset::ALL[0];
    assert!(
        small.source.contains("T4") && small.source.contains("Hugging Face"),
        "{}",
        small.source
    );
    assert!(
        !small.source.contains("Stackwise's estimates"),
        "{}",
        small.source
    );
    let large = &ModelPreset::ALL[1];
    assert!(
        large.source.contains("Stackwise assumption") && large.source.contains("Why:"),
        "{}",
        large.source
    );
}

/// Finding 6: the article's own rules, applied to the inputs, each with the
/// input that triggered it, beside the cost answer.
#[test]
fn the_articles_rules_are_applied_to_the_inputs_beside_the_cost_answer() {
    use stackwise::model::{apply_rules, Favour, RuleId, WorkloadPreset};
    use stackwise::state::codec::State;
    let s = State::default().scenario;
    let e = estimate(&s, &AssumptionSet::published());
    let v = apply_rules(&s, &e);
    let js = v
        .triggered
        .iter()
        .find(|t| t.rule.id == RuleId::JavaScriptTeam)
        .expect("a 70% JavaScript team triggers the Node rule");
    assert_eq!(js.because, "share fluent in JavaScript/TypeScript 70%");
    assert!(!v.summary.is_empty());
    // The ML preset with that team: FastAPI for the data work, and the
    // hybrid as the compelling integration requirement.
    let mut ml = s.clone();
    WorkloadPreset::ALL[1].apply(&mut ml);
    let v = apply_rules(&ml, &estimate(&ml, &AssumptionSet::published()));
    let favours: Vec<Favour> = v.triggered.iter().map(|t| t.favours).collect();
    assert!(
        favours.contains(&Favour::FastApi) && favours.contains(&Favour::Hybrid),
        "{favours:?}"
    );
    assert!(v
        .triggered
        .iter()
        .all(|t| !t.because.is_empty() && !t.rule.quote.is_empty()));
}
