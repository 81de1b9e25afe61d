//! What the answer hinges on: each input and each figure moved across its
//! range with everything else held.
//!
//! Figures move to the low and the high end of their range. Inputs move to
//! half and double their value (shares and percentages by 20 points either
//! way), clamped to the field's range: a field's whole range (1 to 2,000,000
//! req/s) would say nothing about this scenario. For each move the sweep
//! records the total cost over the horizon of the stack cheapest at the base
//! case, its margin over the cheapest of the stacks outside today's answer
//! (the answer's lead, the stacks tied with it today counted with it, always
//! over the same stacks however far the move goes; negative once another
//! stack is cheaper), and which stack is cheapest at each end.
//! Where the cheapest stack changes, the value at which it changes is found
//! by bisection. Today's cheapest stays the cheapest while it costs the same
//! as the cheapest within 0.5% (`TIE_SHARE`, the headline's "cost the
//! same"): a stack tied with it today is not "made the cheapest" by a move
//! that puts it ahead by a hair.
//!
//! Ranked by how much they matter to the decision: drivers that change the
//! cheapest stack first, the nearer the change to today's value the higher;
//! then by how far they move the margin. A driver whose move changes
//! neither the winner, its total nor its margin by half a currency unit (what
//! the page rounds to) is left out, and figures no cost formula reads yet
//! ([`UNPRICED`]) are not swept.

use super::assumptions::{AssumptionId, AssumptionSet, FigureKind, Figures, Pick, Unit};
use super::estimate::{
    cheapest_index, months_read_input, priced_stack, stack_cost, stack_tier, stack_tiers,
    tiers_read_figure, tiers_read_input, PricedStack, StackCosts, Standing, Tiers,
};
use super::format::{money, significant, with_unit};
use super::people::{self, people_costs};
use super::recommend::{answer_at, costs_the_same, stack_names};
use super::scenario::{Currency, NumField, Scenario, CURRENCY_UNIT};
use super::stack::Stack;

/// Figures shown and drawn but read by no cost formula yet: sweeping them
/// would rank a driver that cannot move the answer. None since start-up
/// time is priced: it lengthens the scale-out lag and the cold starts
/// (the deployment target's model).
pub const UNPRICED: [FigureKind; 0] = [];

/// A move smaller than this, in currency units, rounds to nothing on the
/// page (money is shown to the whole unit).
const ROUNDS_TO_NOTHING: f64 = 0.5;

/// What was moved.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Driver {
    /// An input of the scenario.
    Input(NumField),
    /// A figure of the assumption set.
    Figure(AssumptionId),
}

impl Driver {
    /// Label shown to the user.
    pub fn label(&self) -> String {
        match self {
            Driver::Input(f) => f.spec().label.to_string(),
            Driver::Figure(id) => id.label(),
        }
    }

    /// A value of the driver with its unit, as the page shows it: "44.4%",
    /// "6 months", "3x", "$120,000", "134 µs CPU/request". Shares stored as
    /// fractions are shown as percentages; coefficients have no unit.
    pub fn show(&self, value: f64, currency: Currency) -> String {
        let unit = match self {
            Driver::Input(field) => field.spec().unit,
            Driver::Figure(id) => {
                // Units are the same in every set; the published one has them.
                let unit = AssumptionSet::published().get(*id).unit;
                if unit == Unit::Fraction {
                    return format!("{}%", significant(value * 100.0));
                }
                unit.label()
            }
        };
        match unit {
            CURRENCY_UNIT => money(value, currency),
            "" => significant(value),
            "%" | "x" => format!("{}{unit}", significant(value)),
            unit => with_unit(&significant(value), unit),
        }
    }
}

/// One bar of the tornado.
#[derive(Clone, Debug, PartialEq)]
pub struct Swing {
    /// What moved.
    pub driver: Driver,
    /// Its value with nothing moved: the input as set, or the figure's
    /// typical value.
    pub today: f64,
    /// Its value at the low and high end of the move.
    pub values: (f64, f64),
    /// Total cost of the base winner at the low and the high end.
    pub totals: (f64, f64),
    /// The base winner's margin over the cheapest stack outside today's
    /// answer that stands as it does, at the low and the high end; negative
    /// where another stack is cheaper.
    pub margins: (f64, f64),
    /// The cheapest stack at the low and the high end.
    pub cheapest: (Stack, Stack),
    /// The stack each end's margin is measured against: the cheapest stack
    /// outside today's answer there that stands as the base winner does (the
    /// cheapest other stack when every stack is in it).
    pub rivals: (Stack, Stack),
    /// The stacks the headline would name at the low and the high end: the
    /// cheapest there and every stack that costs the same as it (within
    /// 0.5%) and stands as it does ([`super::recommend::cheapest_group`]),
    /// by [`Stack::index`].
    pub groups: ([bool; 5], [bool; 5]),
    /// How far each stack does what is asked ([`Standing`]) at the low and
    /// the high end, by [`Stack::index`]: why a stack that costs less is
    /// not the answer there.
    pub standings: ([Standing; 5], [Standing; 5]),
    /// Where the cheapest stack changes, if it does within the move: the
    /// value and the stack cheapest beyond it.
    pub threshold: Option<(f64, Stack)>,
    /// How far the stack beyond the threshold does what is asked there
    /// ([`Standing`]): below [`Standing::Delivers`], no stack meets the p99
    /// target there (one that did would be the cheapest). `Delivers` where
    /// there is no threshold.
    pub beyond: Standing,
    /// Where, further along the move past the threshold, today's cheapest
    /// stack is the cheapest again, if it is (instance counts are whole
    /// numbers, so totals can cross more than once).
    pub until: Option<f64>,
    /// Whether today's cheapest stack loses at each of 31 even probes
    /// between the threshold and `until` (or the end of the move): `false`
    /// where the totals cross back and forth.
    pub steady: bool,
}

/// One end of a driver's move, as the sweep found it.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct MoveEnd {
    /// The driver's value there.
    pub value: f64,
    /// The base winner's total there.
    pub total: f64,
    /// Its margin over `rival`; negative where the rival is cheaper.
    pub margin: f64,
    /// The cheapest stack there.
    pub cheapest: Stack,
    /// The stack the margin is measured against ([`Swing::rivals`]).
    pub rival: Stack,
    /// The stacks the headline would name there ([`Swing::groups`]).
    pub group: [bool; 5],
    /// How far each stack does what is asked there ([`Swing::standings`]).
    pub standings: [Standing; 5],
}

impl MoveEnd {
    /// The stacks the headline would name there, today's cheapest first
    /// when it is one of them, then in the order of [`Stack::ALL`].
    pub fn named(&self, first: Stack) -> Vec<Stack> {
        let rest = Stack::ALL
            .into_iter()
            .filter(|st| *st != first && self.group[st.index()]);
        self.group[first.index()]
            .then_some(first)
            .into_iter()
            .chain(rest)
            .collect()
    }
}

impl Swing {
    /// The low and the high end of the move.
    pub fn ends(&self) -> [MoveEnd; 2] {
        [
            MoveEnd {
                value: self.values.0,
                total: self.totals.0,
                margin: self.margins.0,
                cheapest: self.cheapest.0,
                rival: self.rivals.0,
                group: self.groups.0,
                standings: self.standings.0,
            },
            MoveEnd {
                value: self.values.1,
                total: self.totals.1,
                margin: self.margins.1,
                cheapest: self.cheapest.1,
                rival: self.rivals.1,
                group: self.groups.1,
                standings: self.standings.1,
            },
        ]
    }

    /// Whether the move changes the cheapest stack.
    pub fn flips(&self, base: Stack) -> bool {
        self.cheapest.0 != base || self.cheapest.1 != base
    }
    /// How far the move shifts the winner's margin.
    pub fn width(&self) -> f64 {
        (self.margins.1 - self.margins.0).abs()
    }
    /// Whether the move changes anything the page shows: the cheapest
    /// stack, or the winner's total or margin by at least a rounded unit.
    pub fn moves_anything(&self, base: Stack) -> bool {
        self.flips(base)
            || (self.totals.1 - self.totals.0).abs() >= ROUNDS_TO_NOTHING
            || self.width() >= ROUNDS_TO_NOTHING
    }
    /// The side of today's value on which the cheapest stack changes:
    /// `Some(true)` above it, `Some(false)` below, `None` if it does not.
    pub fn flips_above(&self) -> Option<bool> {
        self.threshold.map(|(at, _)| at > self.today)
    }
    /// For a driver that changes the answer, how far towards the end of its
    /// move the change comes (0: at today's value, 1: at the end).
    pub fn fragility(&self) -> f64 {
        let today = self.today;
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
#[derive(Clone, Debug, PartialEq)]
pub struct Sensitivity {
    /// The cheapest stack with nothing moved.
    pub base: Stack,
    /// The stacks that cost the same as it today (within 0.5%) and run as
    /// it does, in [`Stack::ALL`] order: the answer is all of them.
    pub ties: Vec<Stack>,
    /// Its total cost.
    pub base_total: f64,
    /// Its lead over the cheapest stack outside today's answer (the stacks
    /// that do not cost the same as it today) that stands as it does.
    pub base_margin: f64,
    /// Every driver, most decisive first.
    pub swings: Vec<Swing>,
}

impl Sensitivity {
    /// Who holds the lead today: the cheapest stack with those that cost
    /// the same ("Fastify and Hybrid"), or the cheapest alone when every
    /// stack costs the same ([`Sensitivity::lead_is_shared`]).
    pub fn leaders(&self) -> String {
        let mut all = vec![self.base];
        if self.lead_is_shared() {
            all.extend(self.ties.iter().copied());
        }
        stack_names(&all)
    }

    /// Whether the lead is the tied stacks' together: some stacks cost the
    /// same as the cheapest and at least one does not. When every stack
    /// costs the same there is no stack beyond them, and the lead is the
    /// cheapest's own over the next.
    pub fn lead_is_shared(&self) -> bool {
        !self.ties.is_empty() && self.ties.len() + 1 < Stack::ALL.len()
    }

    /// Where, with today's cheapest stack still the answer, stacks outside
    /// today's answer come to cost the same as it (within 0.5%, the
    /// headline's rule) at an end of `swing`'s move: that end's value and
    /// those stacks, the low end first. The headline there names them
    /// beside it.
    pub fn joined(&self, swing: &Swing) -> Option<(f64, Vec<Stack>)> {
        swing.ends().into_iter().find_map(|end| {
            let outside: Vec<Stack> = end
                .named(self.base)
                .into_iter()
                .filter(|st| *st != self.base && !self.ties.contains(st))
                .collect();
            (end.cheapest == self.base && !outside.is_empty()).then_some((end.value, outside))
        })
    }

    /// What `swing`'s move does to the answer, in a few words: "Fastify
    /// becomes cheapest at 120 ms"; "Fastify is cheapest at 31%" where an
    /// end's cheapest stack is another but no single threshold was found
    /// (the totals cross back and forth, or another stack wins only in a
    /// sliver); "FastAPI stays cheapest; Express costs the same at 40,000
    /// req/s" ("Express and Fastify cost the same", [`Sensitivity::joined`]);
    /// or "FastAPI stays cheapest" ("stays
    /// among the cheapest" when stacks cost the same as it today).
    pub fn outcome(&self, swing: &Swing, currency: Currency) -> String {
        // With stacks tied today the base is one of the cheapest, not the
        // cheapest alone.
        let base = if self.ties.is_empty() {
            format!("{} stays cheapest", self.base.label())
        } else {
            format!("{} stays among the cheapest", self.base.label())
        };
        let show = |value: f64| swing.driver.show(value, currency);
        let other_end = swing
            .ends()
            .into_iter()
            .find(|end| end.cheapest != self.base);
        match (swing.threshold, other_end, self.joined(swing)) {
            (Some((at, other)), _, _) => {
                format!("{} becomes cheapest at {}", other.label(), show(at))
            }
            (None, Some(end), _) => {
                format!(
                    "{} is cheapest at {}",
                    end.cheapest.label(),
                    show(end.value)
                )
            }
            (None, None, Some((at, joined))) => {
                let verb = if joined.len() == 1 { "costs" } else { "cost" };
                format!(
                    "{base}; {} {verb} the same at {}",
                    stack_names(&joined),
                    show(at)
                )
            }
            (None, None, None) => base,
        }
    }

    /// Whose lead the sweep measures, for a sentence: "Fastify's lead", or
    /// with a tie "the lead of Fastify and Hybrid".
    pub fn lead_of(&self) -> String {
        if self.lead_is_shared() {
            format!("the lead of {}", self.leaders())
        } else {
            format!("{}'s lead", self.base.label())
        }
    }
}

/// Today's answer's lead in `totals`: the margin of the cheapest stack of
/// today, `winner`, over the cheapest stack outside today's answer (those
/// not in `answer`, the winner and the stacks that cost the same as it
/// today) that stands as the winner does there (`standings`: a stack that
/// cannot run, or misses the p99 target, is no rival to one that does
/// better), and that stack. Measured over the same
/// stacks at every value of a move, so a stack that comes to cost the same
/// at one end narrows the lead rather than dropping out of it; negative
/// once another stack is cheaper. Over the cheapest of them however they
/// stand when none stands as the winner does, and over the cheapest other
/// stack when every stack is in today's answer.
fn margin(
    totals: &[f64; 5],
    standings: &[Standing; 5],
    winner: usize,
    answer: &[Stack],
) -> (f64, Stack) {
    let cheapest_of = |keep: &dyn Fn(usize) -> bool| {
        (0..totals.len())
            .filter(|i| keep(*i))
            .min_by(|a, b| totals[*a].total_cmp(&totals[*b]))
    };
    let outside = |i: usize| i != winner && !answer.contains(&Stack::ALL[i]);
    let rival = cheapest_of(&|i| outside(i) && standings[i] == standings[winner])
        .or_else(|| cheapest_of(&outside))
        .or_else(|| cheapest_of(&|i| i != winner))
        .unwrap_or(winner);
    (totals[rival] - totals[winner], Stack::ALL[rival])
}

/// The scenario with nothing moved, sized and priced once: what a move of
/// one driver can reuse.
struct Base {
    /// Every stack's tiers.
    tiers: [Tiers; 5],
    /// Every stack deployed and priced month by month.
    priced: [PricedStack; 5],
    /// Every stack's costs.
    costs: [StackCosts; 5],
}

impl Base {
    fn new(s: &Scenario, f: &Figures) -> Base {
        let tiers = stack_tiers(s, f);
        let mut i = 0;
        let priced = Stack::ALL.map(|stack| {
            i += 1;
            priced_stack(stack, s, f, tiers[i - 1])
        });
        let mut i = 0;
        let costs = Stack::ALL.map(|stack| {
            i += 1;
            priced[i - 1].costs(&people_costs(stack, api(stack, s), s, f))
        });
        Base {
            tiers,
            priced,
            costs,
        }
    }
}

/// The framework of `stack`'s API tier in scenario `s`.
fn api(stack: Stack, s: &Scenario) -> super::stack::Framework {
    stack.api_framework(s.current.stack())
}

/// What a move of one driver can change, from the most costly to price
/// again to the least.
#[derive(Clone, Copy)]
struct Reach {
    /// The stacks whose tiers it can change: a move of the team's inputs or
    /// of one framework's figures cannot change the other stacks' tiers,
    /// and sizing is most of an estimate's cost.
    tiers: [bool; 5],
    /// Whether it can change the months of infrastructure of tiers it does
    /// not size: the growth, the horizon and the ramp, and the figures the
    /// deployment target reads ([`reaches_months`]).
    months: bool,
    /// Whether it can change people costs.
    people: bool,
}

/// The cheapest stack and every stack's total for `s` and `f`, sizing and
/// pricing afresh only what `reach` says the move can change and reusing
/// the rest of `base`, and how far each does what is asked. `keep`
/// (today's cheapest) is still the cheapest while it costs the same as the
/// cheapest within 0.5%.
fn cheapest(s: &Scenario, f: &Figures, base: &Base, reach: Reach, keep: Option<Stack>) -> Probe {
    let mut i = 0;
    let costs = Stack::ALL.map(|stack| {
        i += 1;
        if reach.tiers[i - 1] {
            stack_cost(stack, s, f, stack_tier(stack, s, f))
        } else if reach.months {
            stack_cost(stack, s, f, base.tiers[i - 1])
        } else if reach.people {
            base.priced[i - 1].costs(&people_costs(stack, api(stack, s), s, f))
        } else {
            base.costs[i - 1]
        }
    });
    let totals = costs.map(|c| c.total);
    let best = cheapest_index(costs.iter().map(|c| (c.total, c.standing)));
    // Today's cheapest stays the answer while it costs the same as the
    // cheapest (within 0.5%, as the headline says) and stands as it does:
    // another stack "is the cheapest" only once it is cheaper by more.
    let kept = keep.map(Stack::index).filter(|&k| {
        costs[k].standing == costs[best].standing
            && costs_the_same(costs[k].total, costs[best].total)
    });
    (
        Stack::ALL[kept.unwrap_or(best)],
        totals,
        costs.map(|c| c.standing),
    )
}

/// What one value of a move gives: the cheapest stack (today's kept while
/// it costs the same), every stack's total and how far each does what is
/// asked ([`Standing`]).
type Probe = (Stack, [f64; 5], [Standing; 5]);

/// `at`, remembering every value it was asked for: the probes that look for
/// where today's cheapest stack returns and those that check the flip holds
/// fall on the same values.
fn remembered(at: impl Fn(f64) -> Probe) -> impl Fn(f64) -> Probe {
    let seen = std::cell::RefCell::new(Vec::<(f64, Probe)>::new());
    move |x: f64| {
        if let Some((_, answer)) = seen
            .borrow()
            .iter()
            .find(|(v, _)| v.to_bits() == x.to_bits())
        {
            return *answer;
        }
        let answer = at(x);
        seen.borrow_mut().push((x, answer));
        answer
    }
}

/// Whether a figure reaches the months of infrastructure of tiers it does
/// not size on `s`'s deployment target: the shared figures the target
/// reads (its prices and lags, [`super::deploy::reads`]) but for those of
/// the people costs, and the frameworks' start-up times (the scale-out lag
/// and cold starts of [`super::deploy`]).
fn reaches_months(id: AssumptionId, s: &Scenario) -> bool {
    match id {
        AssumptionId::Shared(figure) => {
            super::deploy::reads(s.deploy, figure) && !people::reads_figure(figure)
        }
        AssumptionId::Framework(_, kind) => kind == FigureKind::StartupMs,
    }
}

/// Whether a figure reaches the people costs (no framework figure does).
fn reaches_people(id: AssumptionId) -> bool {
    matches!(id, AssumptionId::Shared(figure) if people::reads_figure(figure))
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
    let sized = Base::new(s, &typical);
    let nothing = Reach {
        tiers: [false; 5],
        months: false,
        people: false,
    };
    let (base, base_totals, base_standings) = cheapest(s, &typical, &sized, nothing, None);
    let winner = base.index();
    // The answer's other stacks, as the estimate's cheapest group has them.
    let today = answer_at(&base_totals, &base_standings);
    let ties: Vec<Stack> = Stack::ALL
        .into_iter()
        .filter(|st| *st != base && today[st.index()])
        .collect();
    let mut swings = Vec::new();

    for field in NumField::ALL {
        let v = s.get(field);
        let (lo, hi) = input_range(field, v);
        if lo == hi {
            continue;
        }
        let reach = Reach {
            tiers: [tiers_read_input(field); 5],
            months: months_read_input(field),
            people: true,
        };
        let at = remembered(|x: f64| {
            let mut moved = s.clone();
            // In range by construction; a refusal leaves the base value.
            let _ = moved.set(field, x);
            cheapest(&moved, &typical, &sized, reach, Some(base))
        });
        swings.push(swing(Driver::Input(field), v, (lo, hi), &at, base, &ties));
    }

    for id in set.figures() {
        let a = set.get(id);
        let unpriced = matches!(id, AssumptionId::Framework(_, k) if UNPRICED.contains(&k));
        if a.low == a.high || unpriced {
            continue;
        }
        let reach = Reach {
            tiers: Stack::ALL.map(|st| tiers_read_figure(api(st, s), id)),
            months: reaches_months(id, s),
            people: reaches_people(id),
        };
        let at = remembered(|x: f64| {
            let mut f = typical;
            f.set(id, x);
            cheapest(s, &f, &sized, reach, Some(base))
        });
        swings.push(swing(
            Driver::Figure(id),
            a.typical,
            (a.low, a.high),
            &at,
            base,
            &ties,
        ));
    }

    swings.retain(|sw| sw.moves_anything(base));
    swings.sort_by(|a, b| {
        b.flips(base)
            .cmp(&a.flips(base))
            .then(a.fragility().total_cmp(&b.fragility()))
            .then(b.width().total_cmp(&a.width()))
    });
    Sensitivity {
        base,
        base_total: base_totals[winner],
        base_margin: margin(&base_totals, &base_standings, winner, &ties).0,
        ties,
        swings,
    }
}

/// The swing of `driver` moved from `today` to each end of `(lo, hi)`,
/// priced by `at`: the base winner `base`'s totals and margins over the
/// stacks outside today's answer (`ties` are its other stacks) at each end,
/// the cheapest there, and where the cheapest changes and how far that
/// holds.
fn swing(
    driver: Driver,
    today: f64,
    (lo, hi): (f64, f64),
    at: &impl Fn(f64) -> Probe,
    base: Stack,
    ties: &[Stack],
) -> Swing {
    let winner = base.index();
    let (low_best, low_totals, low_standings) = at(lo);
    let (high_best, high_totals, high_standings) = at(hi);
    let (low, high) = (
        margin(&low_totals, &low_standings, winner, ties),
        margin(&high_totals, &high_standings, winner, ties),
    );
    let found = find_threshold(at, base, today, lo, low_best)
        .or_else(|| find_threshold(at, base, today, hi, high_best));
    let threshold = found.map(|(at, past, _)| (at, past));
    let beyond = found.map_or(Standing::Delivers, |(_, _, standing)| standing);
    let (until, steady) = flip_extent(at, base, threshold, today, (lo, hi));
    Swing {
        driver,
        today,
        values: (lo, hi),
        totals: (low_totals[winner], high_totals[winner]),
        margins: (low.0, high.0),
        cheapest: (low_best, high_best),
        rivals: (low.1, high.1),
        groups: (
            answer_at(&low_totals, &low_standings),
            answer_at(&high_totals, &high_standings),
        ),
        standings: (low_standings, high_standings),
        threshold,
        beyond,
        until,
        steady,
    }
}

/// `value` rounded to three significant digits, up or down: the precision
/// the page shows ([`super::format::significant`]), in a chosen direction.
pub fn round_toward(value: f64, up: bool) -> f64 {
    if value == 0.0 || !value.is_finite() {
        return value;
    }
    let step = 10f64.powi(value.abs().log10().floor() as i32 - 2);
    let scaled = value / step;
    // A value already on the grid stays put (float noise aside).
    let near = scaled.round();
    let n = if (scaled - near).abs() < 1e-9 {
        near
    } else if up {
        scaled.ceil()
    } else {
        scaled.floor()
    };
    n * step
}

/// Bisects between the base value and an end where another stack wins, to
/// the value where the winner changes (24 steps), with the stack cheapest
/// past it and how far it does what is asked there.
fn find_threshold(
    at: &impl Fn(f64) -> Probe,
    base: Stack,
    from: f64,
    to: f64,
    end_best: Stack,
) -> Option<(f64, Stack, Standing)> {
    if end_best == base {
        return None;
    }
    let (mut inside, mut outside) = (from, to);
    for _ in 0..24 {
        let mid = 0.5 * (inside + outside);
        let (best, _, _) = at(mid);
        if best == base {
            inside = mid;
        } else {
            outside = mid;
        }
    }
    // A stack that wins only in a sliver at the threshold (where its memory
    // starts to fit, say) is not what a reader finds past it: name the
    // cheapest 1% of the move further on, and no threshold if that is
    // today's.
    let (past, _, standings) = at(outside + (to - outside) * 0.01);
    (past != base).then_some((outside, past, standings[past.index()]))
}

/// Probes between a threshold and the end of the move for a value where
/// `base` is the cheapest again (32 even steps, the values
/// [`flip_extent`] checks, so they are priced once), and bisects to where it
/// returns. `None` if the other stacks stay ahead at every probe.
fn find_return(at: &impl Fn(f64) -> Probe, base: Stack, threshold: f64, end: f64) -> Option<f64> {
    const PROBES: u32 = STEADY_PROBES;
    let mut outside = threshold;
    for k in 1..=PROBES {
        let x = threshold + (end - threshold) * f64::from(k) / f64::from(PROBES);
        if at(x).0 == base {
            let mut inside = x;
            for _ in 0..24 {
                let mid = 0.5 * (inside + outside);
                if at(mid).0 == base {
                    inside = mid;
                } else {
                    outside = mid;
                }
            }
            return Some(inside);
        }
        outside = x;
    }
    None
}

/// Even steps between a threshold and the end of its flip at which the flip
/// is checked.
const STEADY_PROBES: u32 = 32;

/// How far a flip found at `threshold` holds: where the base stack returns
/// (if it does before the end of the move) and whether no probe in between
/// finds it cheapest.
fn flip_extent(
    at: &impl Fn(f64) -> Probe,
    base: Stack,
    threshold: Option<(f64, Stack)>,
    today: f64,
    (lo, hi): (f64, f64),
) -> (Option<f64>, bool) {
    let Some((x, _)) = threshold else {
        return (None, true);
    };
    let above = x > today;
    let end = if above { hi } else { lo };
    let until = find_return(at, base, x, end);
    let stop = until.unwrap_or(end);
    // Probe evenly, and just past the value the page shows (three digits,
    // rounded away from today's), where a reader would check.
    let shown = round_toward(x, above);
    let past = shown + if above { 1e-6 } else { -1e-6 } * shown.abs().max(1e-12);
    let steady = (1..STEADY_PROBES)
        .map(|k| x + (stop - x) * f64::from(k) / f64::from(STEADY_PROBES))
        .chain(std::iter::once(past.clamp(lo.min(hi), lo.max(hi))))
        .all(|v| at(v).0 != base);
    (until, steady)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Traffic moved from 10,000 to 40,000 req/s gives FastAPI $100,000 at
    /// both ends and `margins` over Express, FastAPI still the cheapest and
    /// `ties` still costing the same as it; the headline names Express too
    /// where it is within 0.5%.
    fn swing_of(margins: (f64, f64), threshold: Option<(f64, Stack)>, ties: &[Stack]) -> Swing {
        let group = |margin: f64| {
            Stack::ALL.map(|st| {
                st == Stack::FastApi
                    || ties.contains(&st)
                    || (st == Stack::Express && margin.abs() <= 500.0)
            })
        };
        Swing {
            driver: Driver::Input(NumField::AvgRps),
            today: 20_000.0,
            values: (10_000.0, 40_000.0),
            totals: (100_000.0, 100_000.0),
            margins,
            cheapest: (Stack::FastApi, Stack::FastApi),
            rivals: (Stack::Express, Stack::Express),
            groups: (group(margins.0), group(margins.1)),
            standings: ([Standing::Delivers; 5], [Standing::Delivers; 5]),
            threshold,
            beyond: Standing::Delivers,
            until: None,
            steady: true,
        }
    }

    /// FastAPI cheapest today at $100,000, `ties` costing the same.
    fn sensitivity_of(ties: Vec<Stack>, swing: &Swing) -> Sensitivity {
        Sensitivity {
            base: Stack::FastApi,
            ties,
            base_total: 100_000.0,
            base_margin: 20_000.0,
            swings: vec![swing.clone()],
        }
    }

    fn outcome_of(
        ties: Vec<Stack>,
        margins: (f64, f64),
        threshold: Option<(f64, Stack)>,
    ) -> String {
        let swing = swing_of(margins, threshold, &ties);
        sensitivity_of(ties, &swing).outcome(&swing, Currency::Usd)
    }

    /// The outcome of a move by the headline's rule, worked by hand from
    /// FastAPI's $100,000: Express $8,000 (8%) dearer at both ends leaves
    /// FastAPI cheapest; $300 (0.3%) dearer at 40,000 req/s, or $300
    /// cheaper at 10,000 (FastAPI still the answer, 0.3% dearer), and the
    /// two cost the same there (this said "FastAPI stays cheapest"); with
    /// all five tied today, Express costing the same is nothing new; with
    /// Fastify within 0.5% too, both are named (this named Express alone).
    #[test]
    fn a_stack_that_comes_within_half_a_percent_is_said_to_cost_the_same() {
        use Stack::{Express, Fastify, Hybrid, NestJs};
        assert_eq!(
            outcome_of(vec![], (8_000.0, 8_000.0), None),
            "FastAPI stays cheapest"
        );
        assert_eq!(
            outcome_of(vec![], (8_000.0, 300.0), None),
            "FastAPI stays cheapest; Express costs the same at 40,000 req/s"
        );
        assert_eq!(
            outcome_of(vec![], (-300.0, 8_000.0), None),
            "FastAPI stays cheapest; Express costs the same at 10,000 req/s"
        );
        assert_eq!(
            outcome_of(
                vec![Express, Fastify, NestJs, Hybrid],
                (8_000.0, 300.0),
                None
            ),
            "FastAPI stays among the cheapest"
        );
        assert_eq!(
            outcome_of(vec![Hybrid], (8_000.0, 300.0), None),
            "FastAPI stays among the cheapest; Express costs the same at 40,000 req/s"
        );
        assert_eq!(
            outcome_of(vec![], (8_000.0, -9_000.0), Some((30_000.0, Fastify))),
            "Fastify becomes cheapest at 30,000 req/s"
        );
        // Express and Fastify both within 0.5% at 40,000 req/s: the
        // headline there names all three.
        let mut swing = swing_of((8_000.0, 300.0), None, &[]);
        swing.groups.1[Fastify.index()] = true;
        assert_eq!(
            sensitivity_of(vec![], &swing).outcome(&swing, Currency::Usd),
            "FastAPI stays cheapest; Express and Fastify cost the same at 40,000 req/s"
        );
        // Fastify cheapest at the high end, with no threshold found.
        let mut swing = swing_of((8_000.0, -9_000.0), None, &[]);
        swing.cheapest.1 = Fastify;
        swing.rivals.1 = Fastify;
        swing.groups.1 = Stack::ALL.map(|st| st == Fastify);
        assert_eq!(
            sensitivity_of(vec![], &swing).outcome(&swing, Currency::Usd),
            "Fastify is cheapest at 40,000 req/s"
        );
    }

    /// The ends of a move read as the page shows them: "1 month to 6
    /// months" (this read "1 months"), while "1 ms" keeps its unit.
    #[test]
    fn a_move_s_ends_read_with_their_units() {
        use super::super::assumptions::SharedFigure;
        let ramp = Driver::Figure(AssumptionId::Shared(SharedFigure::RampUpMonths));
        assert_eq!(ramp.show(1.0, Currency::Usd), "1 month");
        assert_eq!(ramp.show(6.0, Currency::Usd), "6 months");
        assert_eq!(
            Driver::Input(NumField::TeamSize).show(1.0, Currency::Usd),
            "1 developer"
        );
        assert_eq!(
            Driver::Input(NumField::P99TargetMs).show(1.0, Currency::Usd),
            "1 ms"
        );
    }

    #[test]
    fn input_moves_stay_in_range() {
        assert_eq!(input_range(NumField::PythonShare, 90.0), (70.0, 100.0));
        assert_eq!(input_range(NumField::AvgRps, 200.0), (100.0, 400.0));
        assert_eq!(input_range(NumField::PeakRatio, 1.0), (1.0, 2.0));
    }

    /// A seeded scenario anywhere in every input's range, every choice at
    /// random.
    fn random_scenario(rng: &mut crate::model::Rng) -> Scenario {
        use crate::model::{Balancing, CurrentStack, MlDevice, NodeMajor};
        let mut s = Scenario::default();
        for field in NumField::ALL {
            if !NumField::MIX.contains(&field) {
                let _ = s.set(field, field.spec().at(rng.unit()));
            }
        }
        let _ = s.set_mix([rng.unit(), rng.unit(), rng.unit(), rng.unit()].map(|x| x * 100.0));
        let pick =
            |rng: &mut crate::model::Rng, n: usize| ((rng.unit() * n as f64) as usize).min(n - 1);
        s.current = CurrentStack::ALL[pick(rng, CurrentStack::ALL.len())];
        s.ml_device = [MlDevice::Cpu, MlDevice::Gpu][pick(rng, 2)];
        s.node = NodeMajor::ALL[pick(rng, NodeMajor::ALL.len())];
        s.balancing = Balancing::ALL[pick(rng, Balancing::ALL.len())];
        s.uvicorn_access_log = rng.unit() < 0.5;
        s.deploy =
            crate::model::DeployTarget::ALL[pick(rng, crate::model::DeployTarget::ALL.len())];
        s
    }

    #[test]
    fn what_the_sweep_reuses_is_what_sizing_afresh_gives() {
        // Every input and every figure moved to both ends of its sweep, in
        // seeded random scenarios on every target: a stack whose tiers the
        // sweep reuses must size to the very same tiers; one whose months
        // of infrastructure it reuses must cost, with the moved people
        // costs, the very same as priced afresh; one whose costs it reuses
        // (a figure of another framework or target) the very same costs.
        let set = AssumptionSet::published();
        let typical = set.resolve(Pick::Typical);
        let mut rng = crate::model::Rng::new(11);
        for n in 0..20 {
            let mut s = random_scenario(&mut rng);
            s.deploy = crate::model::DeployTarget::ALL[n % crate::model::DeployTarget::ALL.len()];
            let base = Base::new(&s, &typical);
            for field in NumField::ALL {
                if tiers_read_input(field) {
                    continue;
                }
                let (lo, hi) = input_range(field, s.get(field));
                for x in [lo, hi] {
                    let mut moved = s.clone();
                    let _ = moved.set(field, x);
                    for (i, stack) in Stack::ALL.into_iter().enumerate() {
                        let fresh = stack_tier(stack, &moved, &typical);
                        assert_eq!(
                            fresh.as_slice(),
                            base.tiers[i].as_slice(),
                            "{field:?} = {x}"
                        );
                        if !months_read_input(field) {
                            let people = people_costs(stack, api(stack, &moved), &moved, &typical);
                            assert_eq!(
                                stack_cost(stack, &moved, &typical, fresh),
                                base.priced[i].costs(&people),
                                "{field:?} = {x}"
                            );
                        }
                    }
                }
            }
            for id in AssumptionId::all() {
                let a = set.get(id);
                for x in [a.low, a.high] {
                    let mut f = typical;
                    f.set(id, x);
                    for (i, stack) in Stack::ALL.into_iter().enumerate() {
                        if tiers_read_figure(api(stack, &s), id) {
                            continue;
                        }
                        let fresh = stack_tier(stack, &s, &f);
                        assert_eq!(fresh.as_slice(), base.tiers[i].as_slice(), "{id:?} = {x}");
                        if reaches_months(id, &s) {
                            continue;
                        }
                        let cost = stack_cost(stack, &s, &f, fresh);
                        let people = people_costs(stack, api(stack, &s), &s, &f);
                        assert_eq!(cost, base.priced[i].costs(&people), "{id:?} = {x}");
                        if !reaches_people(id) {
                            assert_eq!(cost, base.costs[i], "{id:?} = {x}");
                        }
                    }
                }
            }
        }
    }
}
