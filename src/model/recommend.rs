//! The answer in words: which stack, how sure, and what it turns on.
//!
//! Built from the estimate, and where they have been run, the Monte Carlo
//! and the sensitivity sweep. It also checks the article's 80/20 rule (team
//! skills and integration needs decide, not raw performance) against the
//! numbers, and says when they do not bear it out.

use super::assumptions::{AssumptionSet, SetKind};
use super::estimate::{cheapest_index, estimate, Estimate, StackEstimate, Standing};
use super::format::{self, money, number, percent};
use super::montecarlo::MonteCarlo;
use super::scenario::{Currency, NumField, Scenario};
use super::sensitivity::{round_toward, Sensitivity, Swing};
use super::stack::Stack;

/// Stacks whose totals are within this share of the cheapest tie with it.
pub const TIE_SHARE: f64 = 0.005;

/// The recommendation.
#[derive(Clone, Debug, PartialEq)]
pub struct Recommendation {
    /// The stack recommended (the cheapest over the horizon).
    pub stack: Stack,
    /// Stacks that cost the same within `TIE_SHARE` (0.5%).
    pub ties: Vec<Stack>,
    /// The answer, in a sentence or two: what the estimate alone says.
    pub headline: String,
    /// How sure the answer is, from the Monte Carlo run for these same
    /// inputs; `None` without one. Apart from the headline, so that a page
    /// waiting for a new run never shows the last run's share beside a
    /// new estimate.
    pub certainty: Option<String>,
    /// What the answer turns on, most decisive first (up to three).
    pub drivers: Vec<String>,
    /// The article's 80/20 rule against the numbers.
    pub rule_check: String,
    /// Whether people costs outweigh infrastructure between the stacks.
    pub people_dominate: bool,
}

fn spread(values: impl Iterator<Item = f64>) -> f64 {
    let (lo, hi) = values.fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if hi >= lo {
        hi - lo
    } else {
        0.0
    }
}

/// The answer in one line, for the bar that stays on a phone's screen: the
/// cheapest stack, its total over the horizon, the stacks that cost the
/// same or else its lead over the next, and whether it meets the p99
/// target.
#[derive(Clone, Debug, PartialEq)]
pub struct Summary {
    /// The cheapest stack.
    pub stack: Stack,
    /// Its total over the horizon.
    pub total: f64,
    /// The other stacks of the answer: those that cost the same within
    /// `TIE_SHARE` (0.5%) and stand as it does ([`cheapest_group`]).
    pub ties: Vec<Stack>,
    /// The cheapest stack beyond the answer that stands as it does, and how
    /// much more it costs; `None` when there is none.
    pub runner_up: Option<(Stack, f64)>,
    /// Whether the cheapest stack meets the p99 target.
    pub meets_p99: bool,
}

impl Summary {
    /// The summary of estimate `e`: the headline's answer, in short.
    pub fn of(e: &Estimate) -> Summary {
        let best = e.stack(e.cheapest);
        let group = cheapest_group(e);
        Summary {
            stack: best.stack,
            total: best.total,
            ties: group.iter().copied().filter(|x| *x != best.stack).collect(),
            runner_up: next_beyond(e, &group).map(|x| (x.stack, (x.total - best.total).max(0.0))),
            meets_p99: best.meets_p99,
        }
    }

    /// The line: "Express: $59,190 over 3 years, $54,000 less than FastAPI;
    /// meets the p99 target", or with a tie "Fastify: $72,308 over 3 years,
    /// the same as Hybrid; ...".
    pub fn line(&self, years: f64, c: Currency) -> String {
        let lead = match self.runner_up {
            _ if !self.ties.is_empty() => format!(", the same as {}", stack_names(&self.ties)),
            Some((other, lead)) => format!(", {} less than {}", money(lead, c), other.label()),
            None => String::new(),
        };
        let p99 = if self.meets_p99 {
            "meets the p99 target"
        } else {
            "misses the p99 target"
        };
        format!(
            "{}: {} over {}{lead}; {p99}",
            self.stack.label(),
            money(self.total, c),
            format::years(years),
        )
    }
}

/// The cheapest stack of `e` outside the answer `group` that stands as the
/// cheapest does ([`Standing`]): a stack that does not fit its memory or
/// its target, or misses the p99 target, is not cheaper, nor the next.
fn next_beyond<'e>(e: &'e Estimate, group: &[Stack]) -> Option<&'e StackEstimate> {
    let standing = e.stack(e.cheapest).standing();
    e.stacks
        .iter()
        .filter(|x| !group.contains(&x.stack) && x.standing() == standing)
        .min_by(|a, b| a.total.total_cmp(&b.total))
}

/// Words for the estimate `e` of scenario `s`, with the uncertainty `mc`
/// and the sweep `sens` when they are available.
pub fn recommend(
    s: &Scenario,
    e: &Estimate,
    mc: Option<&MonteCarlo>,
    sens: Option<&Sensitivity>,
) -> Recommendation {
    let c = s.currency;
    let best = e.stack(e.cheapest);
    let ties: Vec<Stack> = cheapest_group(e)
        .into_iter()
        .filter(|x| *x != best.stack)
        .collect();
    // The answer's stacks, the cheapest first.
    let group: Vec<Stack> = std::iter::once(best.stack)
        .chain(ties.iter().copied())
        .collect();
    // Compared with the cheapest of the others that can run as it can.
    let runner_up = next_beyond(e, &group);
    let years = format::years(s.get(NumField::HorizonYears));

    let mut headline = if ties.is_empty() {
        format!(
            "{} is the cheapest over {} at {}",
            best.stack.label(),
            years,
            money(best.total, c)
        )
    } else {
        format!(
            "{} cost the same over {}, {}",
            stack_names(&group),
            years,
            group_amount(e, &group, c)
        )
    };
    if let Some(next) = runner_up {
        headline += &format!(
            ", {} less than {} ({}).",
            lead(best.total, next.total, c),
            next.stack.label(),
            money(next.total, c)
        );
    } else {
        headline += ".";
    }
    let certainty = mc.map(|mc| {
        // A draw counts for the answer when one of its stacks is among the
        // draw's cheapest, by the same 0.5% rule as the headline.
        let p = mc.share_cheapest(&group);
        let top = mc.most_often_cheapest();
        let finding = match group.as_slice() {
            // Every stack costs the same: that one of them is cheapest in
            // every draw says nothing; how often the tie holds, and which
            // stack is cheapest most often, do.
            all if all.len() == Stack::ALL.len() => format!(
                "all five cost the same in {}; {} is cheapest most often, in {}",
                format::share(mc.share_tied(all)),
                top.stack.label(),
                format::share(top.p_cheapest)
            ),
            [one] => format!("{} is cheapest in {}", one.label(), format::share(p)),
            [a, b] => format!(
                "{} or {} is cheapest in {}",
                a.label(),
                b.label(),
                format::share(p)
            ),
            some => format!(
                "one of {} is cheapest in {}",
                stack_names(some),
                format::share(p)
            ),
        };
        let mut sentence = format!(
            "Over {} draws of the figures' ranges, {finding}.",
            number(f64::from(mc.draws), 0),
        );
        if !group.contains(&top.stack) && top.p_cheapest > p {
            sentence += &format!(
                " {} is cheapest more often ({}): the answer is not settled.",
                top.stack.label(),
                format::share(top.p_cheapest)
            );
        }
        sentence
    });
    if !best.meets_p99 {
        headline += " No stack meets the p99 target as set: see the notes.";
    } else {
        headline += &missing_for_less(e, best, c);
    }
    if best.meets_p99 && best.instances >= best.untargeted_instances.saturating_mul(2) {
        headline += &format!(
            " The p99 target takes {} from {} instances to {}: see its notes.",
            best.stack.label(),
            number(best.untargeted_instances as f64, 0),
            number(best.instances as f64, 0),
        );
    }
    headline += &target_sentence(s, e, best.stack, &ties);

    let drivers = sens
        .map(|sens| {
            sens.swings
                .iter()
                .filter(|sw| sw.moves_anything(sens.base))
                .take(3)
                .map(|sw| driver_sentence(sw, sens, best.standing(), c))
                .collect()
        })
        .unwrap_or_default();

    let people = spread(e.stacks.iter().map(|x| x.people.total()));
    let infra = spread(e.stacks.iter().map(|x| x.infra_horizon));
    let people_dominate = people >= infra;
    let rule_check = if people_dominate {
        format!(
            "As the article's 80/20 rule says, team skills and integrations decide here: people costs differ by up to {} between the stacks, infrastructure by {}.",
            money(people, c),
            money(infra, c)
        )
    } else {
        format!(
            "Here the numbers do not bear out the article's 80/20 rule: infrastructure costs differ by up to {} between the stacks, more than people costs do ({}).",
            money(infra, c),
            money(people, c)
        )
    };

    Recommendation {
        stack: best.stack,
        ties,
        headline,
        certainty,
        drivers,
        rule_check,
        people_dominate,
    }
}

/// What the deployment target does to the answer: empty when every target
/// has the same cheapest stack (or one tied with it); otherwise the
/// targets where another stack is cheapest.
pub fn target_sentence(s: &Scenario, e: &Estimate, best: Stack, ties: &[Stack]) -> String {
    let others: Vec<String> = e
        .cheapest_by_target
        .iter()
        .filter(|(target, stack)| *target != s.deploy && *stack != best && !ties.contains(stack))
        .map(|(target, stack)| format!("{} on {}", stack.label(), target.in_sentence()))
        .collect();
    if others.is_empty() {
        return String::new();
    }
    format!(
        " The deployment target changes the answer: the cheapest would be {}.",
        join_words(&others.iter().map(String::as_str).collect::<Vec<_>>())
    )
}

/// Whether a stack whose total is `total` costs the same as the cheapest,
/// at `cheapest`: within `TIE_SHARE` (0.5%) of it. The answer's one
/// definition of a tie, for the headline and for the sweep's thresholds.
pub fn costs_the_same(total: f64, cheapest: f64) -> bool {
    total <= cheapest * (1.0 + TIE_SHARE)
}

/// The answer's stacks: the cheapest, and every stack that costs the same
/// within 0.5% (`TIE_SHARE`) and stands as it does ([`Standing`]), in the
/// order of [`Stack::ALL`].
pub fn cheapest_group(e: &Estimate) -> Vec<Stack> {
    let totals = Stack::ALL.map(|st| e.stack(st).total);
    let standings = Stack::ALL.map(|st| e.stack(st).standing());
    let answer = answer_at(&totals, &standings);
    Stack::ALL
        .into_iter()
        .filter(|st| answer[st.index()])
        .collect()
}

/// The answer among five stacks' totals and standings, in the order of
/// [`Stack::ALL`]: the cheapest as the estimate picks it (one that does
/// what is asked before one that misses the p99 target, before one that
/// cannot run), and every stack that costs the same as it (within 0.5%)
/// and stands as it does. [`cheapest_group`] from
/// an estimate; the sensitivity sweep at each value it tries.
pub(crate) fn answer_at(totals: &[f64; 5], standings: &[Standing; 5]) -> [bool; 5] {
    let best = cheapest_index(totals.iter().copied().zip(standings.iter().copied()));
    std::array::from_fn(|i| {
        i == best || (standings[i] == standings[best] && costs_the_same(totals[i], totals[best]))
    })
}

/// What the other shipped set of figures answers: the published benchmarks
/// and the article's figures disagree on throughput, so the page says
/// whether they would pick another stack. `kind` is the set in use (the
/// article's is compared with the published benchmarks, any other with the
/// article's) and `cheapest` its answer: the cheapest stack and those tied
/// with it. The sets agree when the other set's cheapest is one of them.
pub fn other_set_verdict(s: &Scenario, kind: SetKind, cheapest: &[Stack]) -> String {
    let other = if kind == SetKind::Article {
        SetKind::Published
    } else {
        SetKind::Article
    };
    let figures = if other == SetKind::Article {
        "the article's"
    } else {
        "the published benchmarks'"
    };
    let theirs = cheapest_group(&estimate(s, AssumptionSet::shipped_ref(other)));
    let both: Vec<Stack> = theirs
        .iter()
        .copied()
        .filter(|x| cheapest.contains(x))
        .collect();
    let is = |g: &[Stack]| if g.len() == 1 { "is" } else { "are" };
    if both.is_empty() {
        format!(
            "With {figures} figures, {} would be cheapest instead: the two sets disagree (see Assumptions).",
            stack_names(&theirs)
        )
    } else if both.len() == theirs.len() && both.len() == cheapest.len() {
        format!(
            "With {figures} figures, the cheapest {} the same.",
            is(&theirs)
        )
    } else {
        let who = if both.len() < theirs.len() {
            stack_names(&both)
        } else if both.len() == 1 {
            "it".to_string()
        } else {
            "they".to_string()
        };
        format!(
            "With {figures} figures, the cheapest {} {}, so {who} {} cheapest with either set.",
            is(&theirs),
            stack_names(&theirs),
            is(&both)
        )
    }
}

/// What the answer's stacks cost over the horizon, in words: one stack's
/// amount; a tie's once where its totals show as one amount ("$59,190
/// each"), else its lowest and highest with the rule that ties them
/// ("$105,705 to $105,772 (within 0.5%)"), never one amount for totals
/// that differ.
pub(crate) fn group_amount(e: &Estimate, group: &[Stack], c: Currency) -> String {
    let (amount, one) = amounts(e, group, c);
    if one {
        amount
    } else {
        format!("{amount} (within {})", percent(TIE_SHARE))
    }
}

/// What `stacks` cost over the horizon, in words, and whether that is one
/// amount: one stack's, "$59,190 each" where their totals show as one
/// amount, else "$105,705 to $105,772", lowest to highest.
fn amounts(e: &Estimate, stacks: &[Stack], c: Currency) -> (String, bool) {
    let totals = stacks.iter().map(|x| e.stack(*x).total);
    let low = totals.clone().fold(f64::INFINITY, f64::min);
    let high = totals.fold(f64::NEG_INFINITY, f64::max);
    let (low, high) = (money(low, c), money(high, c));
    match stacks.len() {
        0 | 1 => (low, true),
        _ if low == high => (format!("{low} each"), true),
        _ => (format!("{low} to {high}"), false),
    }
}

/// The stacks that would cost less than `best`, which meets the p99
/// target, but miss it (planned at their ceilings, since no count of theirs
/// meets it), in words: " Express costs less ($509,311) but cannot meet the
/// p99 target as set: see the notes." Empty where there are none.
fn missing_for_less(e: &Estimate, best: &StackEstimate, c: Currency) -> String {
    let cheaper: Vec<Stack> = e
        .stacks
        .iter()
        .filter(|x| x.standing() == Standing::MissesTarget && x.total < best.total)
        .map(|x| x.stack)
        .collect();
    if cheaper.is_empty() {
        return String::new();
    }
    format!(
        " {} {} less ({}) but cannot meet the p99 target as set: see the notes.",
        stack_names(&cheaper),
        if cheaper.len() == 1 { "costs" } else { "cost" },
        amounts(e, &cheaper, c).0,
    )
}

/// How much less `smaller` costs than `larger`, in words: a percentage of
/// `larger` ("48%"), or under 1% the difference of the amounts as shown
/// ("$361"), since a share that small rounds onto the 0.5% that ties ("0.5%"
/// for 0.53%) and would read as a tie.
pub(crate) fn lead(smaller: f64, larger: f64, c: Currency) -> String {
    let share = share_less(smaller, larger);
    if share < 0.01 {
        money(larger.round() - smaller.round(), c)
    } else {
        percent(share)
    }
}

/// How much less `smaller` is than `larger`, as a share of the larger: 0 to
/// 1, never more (0 when the larger is not positive).
pub fn share_less(smaller: f64, larger: f64) -> f64 {
    if larger > 0.0 && larger.is_finite() {
        ((larger - smaller) / larger).clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// One driver in words. A driver that changes the answer says on which side
/// of today's value and where, and where the answer there does less of
/// what is asked than today's (`today`: no stack meets the p99 target, or
/// none runs); one that does not says what it moves: the winner's total
/// where that changes on the page, else its lead.
fn driver_sentence(sw: &Swing, sens: &Sensitivity, today: Standing, c: Currency) -> String {
    let name = sw.driver.label();
    if let (Some((at, other)), Some(above)) = (sw.threshold, sw.flips_above()) {
        // Values are rounded away from today's, so that every value past the
        // one shown is past the real threshold.
        let shown = |v: f64, up: bool| sw.driver.show(round_toward(v, up), c);
        // A change as soon as the driver leaves today's value (bisection
        // stops within 2^-24 of the move) is shown at today's value.
        let end = if above { sw.values.1 } else { sw.values.0 };
        let at = if (at - sw.today).abs() <= 1e-6 * (end - sw.today).abs() {
            sw.today
        } else {
            at
        };
        if !sw.steady {
            return format!(
                "{name} {} {} makes {} and {} trade places as the cheapest: their totals cross more than once.",
                if above { "above" } else { "below" },
                shown(at, above),
                other.label(),
                sens.base.label()
            );
        }
        // A stack that costs the same as today's cheapest is already part
        // of the answer: past the threshold it is cheaper than it.
        let outcome = if sens.ties.contains(&other) {
            format!("{} cheaper than {}", other.label(), sens.base.label())
        } else {
            format!("{} the cheapest", other.label())
        };
        // Past what any stack meets, where today's answer meets it, the
        // cheapest is only planned for less (where no stack meets it today,
        // the headline says so already).
        let outcome = match sw.beyond {
            beyond if beyond >= today => outcome,
            Standing::MissesTarget => format!("{outcome}, where no stack meets the p99 target"),
            _ => format!("{outcome}, where no stack runs as estimated"),
        };
        return match sw.until {
            None => format!(
                "{name} {} {} makes {outcome}.",
                if above { "above" } else { "below" },
                shown(at, above),
            ),
            Some(back) => {
                let (from, to) = if above { (at, back) } else { (back, at) };
                format!(
                    "{name} between {} and {} makes {outcome}.",
                    shown(from, true),
                    shown(to, false),
                )
            }
        };
    }
    let (lo, hi) = (sw.totals.0.min(sw.totals.1), sw.totals.0.max(sw.totals.1));
    if money(lo, c) != money(hi, c) {
        format!(
            "{name} moves {}'s total between {} and {}.",
            sens.base.label(),
            money(lo, c),
            money(hi, c)
        )
    } else {
        let (lo, hi) = (
            sw.margins.0.min(sw.margins.1),
            sw.margins.0.max(sw.margins.1),
        );
        format!(
            "{name} moves {} over the next cheapest between {} and {}.",
            sens.lead_of(),
            money(lo, c),
            money(hi, c)
        )
    }
}

/// Stacks' names joined as in a sentence: "Express", "Express and
/// Fastify", "Express, Fastify and NestJS".
pub fn stack_names(stacks: &[Stack]) -> String {
    join_words(&stacks.iter().map(|s| s.label()).collect::<Vec<_>>())
}

fn join_words(words: &[&str]) -> String {
    match words {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {}", rest.join(", "), last),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_summary_line_names_the_cheapest_its_lead_and_the_p99() {
        // The default scenario: Express, Fastify, NestJS and the hybrid cost
        // the same (2 instances each), FastAPI more.
        let s = Scenario::default().claims_for(SetKind::Published);
        let e = estimate(&s, &AssumptionSet::published());
        let summary = Summary::of(&e);
        assert_eq!(summary.stack, e.cheapest);
        // Every stack that costs the same is named, as in the headline:
        // three of them, not the first alone.
        assert_eq!(
            summary.line(e.years(), s.currency),
            "Express: $59,190 over 3 years, the same as Fastify, NestJS and Hybrid; \
             meets the p99 target"
        );
        // A lead is an amount, never negative.
        let mut ml = Scenario::default().claims_for(SetKind::Published);
        ml.set_mix([40.0, 20.0, 10.0, 30.0]).unwrap();
        let e = estimate(&ml, &AssumptionSet::published());
        let summary = Summary::of(&e);
        if let (true, Some((other, lead))) = (summary.ties.is_empty(), summary.runner_up) {
            assert!(lead > 0.0);
            let line = summary.line(e.years(), ml.currency);
            assert!(
                line.contains(&format!(" less than {}", other.label())),
                "{line}"
            );
        }
    }
    use crate::model::{estimate, monte_carlo, sensitivity, AssumptionSet};

    #[test]
    fn the_rule_check_compares_differences_with_differences() {
        // At 20,000 req/s infrastructure over 3 years runs from $18,308
        // (Fastify) to $140,340 (FastAPI): $122,032 apart. People costs
        // run from $54,000 (each Node.js stack) to $108,000 (FastAPI):
        // $54,000 apart, a difference too, not what people cost in all,
        // and the sentence says so.
        let (s, e) = crate::model::published_at("v=1&rps=20000");
        let r = recommend(&s, &e, None, None);
        assert!(!r.people_dominate);
        assert!(
            r.rule_check.ends_with(
                "infrastructure costs differ by up to $122,032 between the stacks, \
                 more than people costs do ($54,000)."
            ),
            "{}",
            r.rule_check
        );
    }

    #[test]
    fn a_lead_just_over_the_tie_is_not_rounded_onto_it() {
        // 60% CPU-bound work at 2,000 req/s: Fastify and the hybrid
        // $69,425, Express $69,858. (69,858 - 69,425) / 69,858 = 0.62%:
        // over the 0.5% that ties, so Express is not named, and the lead
        // must not read "0.6% less" beside "within 0.5%": under 1% it is
        // given in money, $433.
        let (s, e) = crate::model::published_at("v=1&cpu=60&json=30&io=10&ml=0&rps=2000");
        let headline = recommend(&s, &e, None, None).headline;
        assert!(
            headline.ends_with(", $433 less than Express ($69,858)."),
            "{headline}"
        );
    }

    #[test]
    fn a_target_that_multiplies_the_answer_s_count_is_said_in_the_answer() {
        // 1,200 inferences/s of 14 ms on GPUs within 25 ms: each GPU is
        // planned at 2.4% of its capacity, 396 where 12 carry the traffic
        // without the target (the estimate's tests work the counts); with
        // the two API replicas, every stack goes from 14 instances to 398.
        // The stack's notes say which service and why; the answer says it
        // is so. A 100 ms target adds four GPUs: nothing to say.
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=40&rps=1000&infms=14&p99=25");
        let best = e.stack(e.cheapest);
        assert_eq!((best.untargeted_instances, best.instances), (14, 398));
        let headline = recommend(&s, &e, None, None).headline;
        let said = format!(
            " The p99 target takes {} from 14 instances to 398: see its notes.",
            best.stack.label()
        );
        assert!(headline.contains(&said), "{headline}");
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=40&rps=1000&infms=14&p99=100");
        let headline = recommend(&s, &e, None, None).headline;
        assert!(!headline.contains("p99 target takes"), "{headline}");
        assert!(e.stack(e.cheapest).instances > e.stack(e.cheapest).untargeted_instances);
    }

    /// Finding: the answer named stacks that cannot meet the p99 target at
    /// any count, planned at their GPU ceiling, over the one that meets it,
    /// and said that no stack meets it.
    #[test]
    fn a_stack_that_cannot_meet_the_target_is_not_the_answer_while_one_can() {
        // 1,200 inferences/s of 24 ms within 25 ms. FastAPI runs them in
        // its own processes: 24 ms at the fastest, so the target holds, on
        // 2,762 GPUs nearly idle. The Node.js stacks call a FastAPI sidecar
        // over the network first (1.5 ms): 25.5 ms at the fastest, over the
        // target at any count, so they are planned at the GPU ceiling, 21
        // GPUs, for far less. They are not the answer; the answer says they
        // cost less but cannot meet the target.
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=40&rps=1000&infms=24&p99=25");
        assert_eq!(e.cheapest, Stack::FastApi);
        assert!(e.stack(Stack::FastApi).meets_p99);
        assert!(!e.stack(Stack::Express).meets_p99);
        assert!(e.stack(Stack::Express).total < e.stack(Stack::FastApi).total / 100.0);
        let headline = recommend(&s, &e, None, None).headline;
        assert!(
            headline.starts_with("FastAPI is the cheapest over 3 years at $57,538,771."),
            "{headline}"
        );
        assert!(
            headline.contains(
                " Express, Fastify, NestJS and Hybrid cost less ($509,311 each) but cannot meet the p99 target as set: see the notes."
            ),
            "{headline}"
        );
        assert!(!headline.contains("No stack meets"), "{headline}");
        assert_eq!(
            Summary::of(&e).line(e.years(), s.currency),
            "FastAPI: $57,538,771 over 3 years; meets the p99 target"
        );
        // Within 16 ms no stack meets it (FastAPI's own API answers in 20
        // ms at the fastest): the cheapest is named, and that is said.
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=40&rps=1000&infms=14&p99=16");
        assert!(e.stacks.iter().all(|x| !x.meets_p99));
        let headline = recommend(&s, &e, None, None).headline;
        assert!(
            headline.contains(" No stack meets the p99 target as set: see the notes."),
            "{headline}"
        );
        assert!(!headline.contains("cannot meet"), "{headline}");
    }

    /// Finding: a driver that moves past what any stack can meet read as a
    /// reason to choose the stack cheapest there ("Inference time above
    /// 25.1 ms makes Express the cheapest"), where every stack misses the
    /// target and Express is only planned for less.
    #[test]
    fn a_driver_past_what_any_stack_meets_says_so() {
        // As above: 24 ms inferences within 25 ms, FastAPI the only stack
        // that meets it. Past 25 ms of inference, or below 24 ms of target,
        // FastAPI's GPUs cannot meet it either (their fastest answer is
        // one inference); the Node.js stacks, planned at their ceilings,
        // are cheapest there, and no stack meets the target. (The values
        // shown are rounded away from today's: 25.1 and 23.9.)
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=40&rps=1000&infms=24&p99=25");
        let sens = crate::model::sensitivity(&s, &AssumptionSet::published());
        let drivers = recommend(&s, &e, None, Some(&sens)).drivers;
        assert!(
            drivers.contains(
                &"Inference time per request above 25.1 ms makes Express the cheapest, where no stack meets the p99 target."
                    .to_string()
            ),
            "{drivers:?}"
        );
        assert!(
            drivers.contains(
                &"p99 latency target below 23.9 ms makes Express the cheapest, where no stack meets the p99 target."
                    .to_string()
            ),
            "{drivers:?}"
        );
        // Into what a stack meets: nothing to add. Within 40 ms for 60 ms
        // inferences no stack meets it; from 60 ms FastAPI does.
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=60&p99=40");
        let sens = crate::model::sensitivity(&s, &AssumptionSet::published());
        let drivers = recommend(&s, &e, None, Some(&sens)).drivers;
        assert!(
            drivers.contains(
                &"p99 latency target above 60 ms makes FastAPI the cheapest.".to_string()
            ),
            "{drivers:?}"
        );
        // Where no stack meets it today, the headline says so, and a move
        // that stays short of it adds nothing: on functions, FastAPI is the
        // cheapest of stacks that all miss it.
        let (s, e) = crate::model::published_at("v=1&device=gpu&ml=60&p99=40&deploy=functions");
        let sens = crate::model::sensitivity(&s, &AssumptionSet::published());
        let r = recommend(&s, &e, None, Some(&sens));
        assert!(
            r.headline.contains("No stack meets the p99 target as set"),
            "{}",
            r.headline
        );
        assert!(
            r.drivers.contains(
                &"ML inference share below 47.5% makes Fastify the cheapest.".to_string()
            ),
            "{:?}",
            r.drivers
        );
        assert!(
            r.drivers.iter().all(|d| !d.contains("where no stack")),
            "{:?}",
            r.drivers
        );
    }

    #[test]
    fn a_horizon_of_one_year_is_said_in_the_singular() {
        // Horizon 1 year (the field's minimum): "over 1 year", as the
        // summary bar says it too; 3 stays "over 3 years".
        for (query, over) in [("v=1&horizon=1", "over 1 year"), ("v=1", "over 3 years")] {
            let (s, e) = crate::model::published_at(query);
            let headline = recommend(&s, &e, None, None).headline;
            assert!(headline.contains(&format!(" {over}, ")), "{headline}");
            let line = Summary::of(&e).line(e.years(), s.currency);
            assert!(line.contains(&format!(" {over}")), "{line}");
            assert!(!line.contains("1 years") && !headline.contains("1 years"));
        }
    }

    #[test]
    fn a_tie_of_different_totals_gives_their_range_not_one_amount_each() {
        // On serverless functions at 300 req/s, 30% of it inference, the
        // Node.js stacks come within 0.5% of each other: Fastify and the
        // hybrid $105,705, Express $105,729 (0.02% more), NestJS $105,772
        // (0.06% more). By the answer's rule they cost the same, but not
        // "$105,705 each": the headline gives the lowest and the highest.
        let (s, e) = crate::model::published_at("v=1&ml=30&rps=300&deploy=functions");
        let r = recommend(&s, &e, None, None);
        assert_eq!(
            r.headline,
            "Fastify, Express, NestJS and Hybrid cost the same over 3 years, \
             $105,705 to $105,772 (within 0.5%), 25% less than FastAPI ($140,768)."
        );
        // Totals that show as one amount are said once.
        let s = Scenario::default().claims_for(SetKind::Published);
        let e = estimate(&s, &AssumptionSet::published());
        assert_eq!(
            recommend(&s, &e, None, None).headline,
            "Express, Fastify, NestJS and Hybrid cost the same over 3 years, \
             $59,190 each, 48% less than FastAPI ($113,190)."
        );
    }

    #[test]
    fn names_the_winner_its_certainty_and_drivers() {
        let mut s = Scenario::default();
        s.set(NumField::AvgRps, 20_000.0).unwrap();
        let set = AssumptionSet::published();
        let e = estimate(&s, &set);
        let mc = monte_carlo(&s, &set, 500, 1);
        let sens = sensitivity(&s, &set);
        let r = recommend(&s, &e, Some(&mc), Some(&sens));
        assert!(r.headline.contains(r.stack.label()), "{}", r.headline);
        assert!(!r.headline.contains("draws"), "{}", r.headline);
        // The share of 500 draws in which the recommended stack (or one it
        // ties with) is cheapest, in its own sentence.
        let certainty = r.certainty.as_deref().unwrap_or_default();
        // Fastify and Hybrid tie at 20,000 req/s.
        assert_eq!(r.ties.len(), 1, "{:?}", r.ties);
        let pair = format!("{} or {}", r.stack.label(), r.ties[0].label());
        assert!(
            certainty.starts_with(&format!(
                "Over 500 draws of the figures' ranges, {pair} is cheapest in "
            )),
            "{certainty}"
        );
        assert_eq!(recommend(&s, &e, None, Some(&sens)).certainty, None);
        assert_eq!(r.drivers.len(), 3);
        assert!(r.rule_check.contains("80/20"));
    }

    #[test]
    fn when_every_stack_ties_the_certainty_says_how_often_and_which_most_often() {
        // With the article's figures the default scenario costs the same on
        // every stack ($123,856 each, within 0.5%). "One of the five is
        // cheapest in 100%" says nothing: the sentence says how often the
        // tie holds, and names the stack cheapest in most draws.
        let s = crate::state::codec::from_query("v=1&set=article").state;
        let (s, set) = (s.scenario, s.assumptions);
        let e = estimate(&s, &set);
        assert_eq!(cheapest_group(&e).len(), Stack::ALL.len());
        let mc = monte_carlo(&s, &set, 500, 1);
        let sens = sensitivity(&s, &set);
        let r = recommend(&s, &e, Some(&mc), Some(&sens));
        // No stack lies beyond the tie: the lead the sweep measures is the
        // cheapest's own over the next.
        assert!(!sens.lead_is_shared());
        assert_eq!(sens.lead_of(), format!("{}'s lead", sens.base.label()));
        assert_eq!(sens.leaders(), sens.base.label());
        let certainty = r.certainty.unwrap_or_default();
        let top = mc.most_often_cheapest();
        assert_eq!(
            certainty,
            format!(
                "Over 500 draws of the figures' ranges, all five cost the same in {}; \
                 {} is cheapest most often, in {}.",
                format::share(mc.share_tied(&Stack::ALL)),
                top.stack.label(),
                format::share(top.p_cheapest)
            )
        );
    }

    #[test]
    fn ties_are_named_together() {
        // The default service is held at two replicas by every Node stack.
        let s = Scenario::default();
        let e = estimate(&s, &AssumptionSet::published());
        let r = recommend(&s, &e, None, None);
        assert!(!r.ties.is_empty());
        assert!(r.headline.contains("cost the same"), "{}", r.headline);
    }

    #[test]
    fn a_stack_that_cannot_run_is_neither_tied_nor_the_one_beaten() {
        // At 20,000 req/s Fastify and Hybrid tie for cheapest, Express
        // next, then NestJS. Say neither Fastify nor Hybrid fits its
        // memory: the estimate then picks Express, and the answer must not
        // call Express tied with them, nor "less than" either of them: it
        // is compared with NestJS.
        let mut s = Scenario::default();
        s.set(NumField::AvgRps, 20_000.0).unwrap();
        let mut e = estimate(&s, &AssumptionSet::published());
        for x in e.stacks.iter_mut() {
            if matches!(x.stack, Stack::Fastify | Stack::Hybrid) {
                x.fits_memory = false;
            }
        }
        e.cheapest = Stack::Express;
        assert_eq!(cheapest_group(&e), [Stack::Express]);
        let r = recommend(&s, &e, None, None);
        assert!(r.ties.is_empty(), "{:?}", r.ties);
        let answer = r.headline.split(". ").next().unwrap_or_default();
        assert!(
            answer.starts_with("Express is the cheapest over 3 years at "),
            "{answer}"
        );
        assert!(answer.contains(" less than NestJS ("), "{answer}");
    }

    #[test]
    fn joins_words() {
        assert_eq!(join_words(&["A", "B", "C"]), "A, B and C");
        assert_eq!(join_words(&["A"]), "A");
    }

    /// The cheapest stack and those tied with it, as the answer names them.
    fn group(s: &Scenario, set: &AssumptionSet) -> Vec<Stack> {
        cheapest_group(&estimate(s, set))
    }

    const NODE: [Stack; 4] = [Stack::Express, Stack::Fastify, Stack::NestJs, Stack::Hybrid];

    #[test]
    fn the_other_set_says_which_stacks_are_cheapest_with_both() {
        // The page's default scenario, with the claims as each set starts
        // them. Every stack is held at its minimum replicas: with the
        // article's figures all five cost the same; with the published
        // benchmarks FastAPI needs more and the four Node.js stacks tie.
        let article = Scenario::default().claims_for(SetKind::Article);
        assert_eq!(group(&article, &AssumptionSet::article()), Stack::ALL);
        assert_eq!(
            other_set_verdict(&article, SetKind::Article, &Stack::ALL),
            "With the published benchmarks' figures, the cheapest are Express, Fastify, NestJS \
             and Hybrid, so they are cheapest with either set."
        );
        // With the published benchmarks' claims (the article's docs and SDK
        // terms off), the article's figures also tie the four Node.js
        // stacks: the same group, said in a few words.
        let published = Scenario::default().claims_for(SetKind::Published);
        assert_eq!(group(&published, &AssumptionSet::published()), NODE);
        assert_eq!(group(&published, &AssumptionSet::article()), NODE);
        assert_eq!(
            other_set_verdict(&published, SetKind::Published, &NODE),
            "With the article's figures, the cheapest are the same."
        );
        // A group of one of them: named, not called a disagreement.
        assert_eq!(
            other_set_verdict(&published, SetKind::Published, &[Stack::NestJs]),
            "With the article's figures, the cheapest are Express, Fastify, NestJS and Hybrid, \
             so NestJS is cheapest with either set."
        );
        // No stack in common: the two sets disagree. (Measurements are
        // compared with the article's figures.)
        assert_eq!(
            other_set_verdict(&article, SetKind::Article, &[Stack::FastApi]),
            "With the published benchmarks' figures, Express, Fastify, NestJS and Hybrid would \
             be cheapest instead: the two sets disagree (see Assumptions)."
        );
        assert!(
            other_set_verdict(&published, SetKind::Measured, &[Stack::Fastify])
                .ends_with("so Fastify is cheapest with either set.")
        );
    }

    #[test]
    fn a_stack_tied_for_cheapest_is_not_called_a_disagreement() {
        // At 2,000 req/s the published benchmarks hold the four Node.js
        // stacks at their minimum replicas, tied; the article's figures
        // tie Fastify and Hybrid, two of the four. The page used to compare
        // only the first of the four, Express, and call the sets at odds.
        let mut s = Scenario::default().claims_for(SetKind::Published);
        s.set(NumField::AvgRps, 2_000.0).unwrap();
        assert_eq!(group(&s, &AssumptionSet::published()), NODE);
        assert_eq!(
            group(&s, &AssumptionSet::article()),
            [Stack::Fastify, Stack::Hybrid]
        );
        assert_eq!(
            other_set_verdict(&s, SetKind::Published, &NODE),
            "With the article's figures, the cheapest are Fastify and Hybrid, so they are \
             cheapest with either set."
        );
    }
}
