//! What a stack costs in people: switching, learning, and the article's
//! productivity effects. Formulas are listed with the others in
//! [`super::Formula`].

use serde::Serialize;

use super::assumptions::{Figures, SharedFigure};
use super::scenario::{NumField, Scenario, WorkloadClass};
use super::stack::{Framework, Language, Stack};
use super::{MONTHS_PER_YEAR, WEEKS_PER_YEAR};

/// People costs of one stack over the horizon, in the scenario's currency.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct PeopleCosts {
    /// One-off cost of moving from the stack in production today.
    pub migration: f64,
    /// One-off cost of bringing developers not fluent in the stack's
    /// language(s) up to speed.
    pub skills: f64,
    /// API documentation work a stack without generated docs pays over the
    /// horizon (the article's claim; only with productivity effects on).
    pub docs: f64,
    /// Extra integration work without Node SDKs (the article's claim; only
    /// with productivity effects on).
    pub integrations: f64,
}

impl PeopleCosts {
    /// Every people cost together.
    pub fn total(&self) -> f64 {
        self.migration + self.skills + self.docs + self.integrations
    }
    /// The costs paid once, up front.
    pub fn one_off(&self) -> f64 {
        self.migration + self.skills + self.integrations
    }
}

/// Whether [`people_costs`] reads shared figure `figure`: the sensitivity
/// sweep prices a move of one of these without pricing the months of
/// infrastructure again.
pub(crate) fn reads_figure(figure: SharedFigure) -> bool {
    matches!(
        figure,
        SharedFigure::SwitchShare
            | SharedFigure::RampUpMonths
            | SharedFigure::DocsHoursPerSprint
            | SharedFigure::SprintWeeks
            | SharedFigure::IntegrationSaving
            | SharedFigure::IntegrationHours
            | SharedFigure::HoursPerYear
    )
}

/// Share of a stack's work written in Python: the request classes that run
/// in a Python tier. FastAPI: all; Node stacks: ML (the sidecar); hybrid:
/// ML and the vectorised part of the CPU-bound work (hand-written loops stay
/// in its Node API).
pub fn python_work_share(stack: Stack, s: &Scenario) -> f64 {
    let share = |c| s.share(c);
    let vectorised = s.get(NumField::VectorisedShare) / 100.0;
    match stack {
        Stack::FastApi => 1.0,
        Stack::Hybrid => share(WorkloadClass::Cpu) * vectorised + share(WorkloadClass::Ml),
        _ => share(WorkloadClass::Ml),
    }
}

/// Cost of one developer-hour: loaded yearly cost / working hours.
pub fn hourly_cost(s: &Scenario, f: &Figures) -> f64 {
    let hours = f.shared(SharedFigure::HoursPerYear).max(1.0);
    s.get(NumField::DevCostYear) / hours
}

/// People costs of `stack` for scenario `s`.
///
/// - Migration = moved share x switch share x timeline (years) x team x
///   loaded cost. Moved share is 1 between two single-framework stacks, the
///   share of work that changes language when moving to the hybrid, and 0
///   when staying or starting new (the article, citing LinkedIn Engineering
///   2024, for the switch share).
/// - Skills = share of the work in a language the team is not fluent in x
///   team x loaded cost x ramp-up months / 12.
/// - Docs (productivity on, API not on FastAPI) = hours per sprint x sprints
///   in the horizon x hourly cost.
/// - Integrations (productivity on, API on FastAPI) = integrations x hours
///   each x share saved by Node SDKs x hourly cost.
///
/// The docs and integration terms are the article's claims, unverified:
/// they count only with `productivity_effects` on, which starts off with the
/// published benchmarks and on with the article's figures.
pub fn people_costs(stack: Stack, api: Framework, s: &Scenario, f: &Figures) -> PeopleCosts {
    let team = s.get(NumField::TeamSize);
    let dev_cost = s.get(NumField::DevCostYear);
    let years = s.get(NumField::HorizonYears);
    let python = python_work_share(stack, s);

    let moved = match s.current.stack() {
        None => 0.0,
        Some(current) if current == stack => 0.0,
        Some(Stack::FastApi) if stack == Stack::Hybrid => 1.0 - python,
        Some(_) if stack == Stack::Hybrid => python,
        Some(_) => 1.0,
    };
    let migration = moved
        * f.shared(SharedFigure::SwitchShare)
        * (s.get(NumField::TimelineMonths) / MONTHS_PER_YEAR)
        * team
        * dev_cost;

    let not_fluent = |language: Language| match language {
        Language::Python => 1.0 - s.get(NumField::PythonShare) / 100.0,
        Language::JavaScript => 1.0 - s.get(NumField::JsShare) / 100.0,
    };
    let unfamiliar =
        python * not_fluent(Language::Python) + (1.0 - python) * not_fluent(Language::JavaScript);
    let skills =
        unfamiliar * team * dev_cost * (f.shared(SharedFigure::RampUpMonths) / MONTHS_PER_YEAR);

    let hourly = hourly_cost(s, f);
    let (docs, integrations) = if s.productivity_effects {
        let sprints = WEEKS_PER_YEAR / f.shared(SharedFigure::SprintWeeks).max(0.1) * years;
        let docs = if api == Framework::FastApi {
            0.0
        } else {
            f.shared(SharedFigure::DocsHoursPerSprint) * sprints * hourly
        };
        let integrations = if api.language() == Language::Python {
            s.get(NumField::Integrations)
                * f.shared(SharedFigure::IntegrationHours)
                * f.shared(SharedFigure::IntegrationSaving)
                * hourly
        } else {
            0.0
        };
        (docs, integrations)
    } else {
        (0.0, 0.0)
    };

    PeopleCosts {
        migration,
        skills,
        docs,
        integrations,
    }
}
