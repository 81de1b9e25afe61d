//! The estimation model: pure Rust, no web crate, no plotters.
//!
//! What it owns: the inputs a team dials in ([`Scenario`]), the figures the
//! estimate rests on, each with its range and source ([`AssumptionSet`]),
//! and the estimate itself ([`estimate`] -> [`Estimate`]). Everything the
//! page, the charts and the exports show comes from here; nothing here knows
//! about signals, the DOM or drawing.
//!
//! # Units, stated once
//! - Money: the scenario's currency (a label only; no conversion happens).
//!   Infrastructure prices are per hour; costs are reported per month and
//!   over the horizon. A month is [`HOURS_PER_MONTH`] hours (AWS's billing
//!   convention).
//! - Time: service times in seconds inside formulas; inputs and outputs in
//!   milliseconds (`_ms`) or microseconds (`_us`) as their names say.
//! - Memory: MiB (2^20 bytes) for processes and models, GiB for instances.
//! - Traffic: requests per second (req/s). Shares are fractions in formulas
//!   and percentages in the scenario.

mod assumptions;
mod deploy;
mod estimate;
pub mod format;
mod formulas;
mod measured;
mod montecarlo;
mod people;
mod portable;
mod presets;
mod queueing;
mod recommend;
mod rules;
mod run_check;
mod scenario;
mod sensitivity;
mod stack;
mod usl_fit;

/// The scenario a link opens and its estimate with the published figures:
/// what the model's tests start from.
#[cfg(test)]
pub(crate) fn published_at(query: &str) -> (Scenario, Estimate) {
    let s = crate::state::codec::from_query(query).state.scenario;
    let e = estimate(&s, &AssumptionSet::published());
    (s, e)
}

pub use assumptions::{
    disagreements, Assumption, AssumptionId, AssumptionSet, Basis, Better, FigureKind, Figures,
    Pick, SetKind, SharedFigure, Unit, ASSUMPTION_MARK, CLAIM_MARK,
};
pub use deploy::{
    billed_instance_share, cold_share, function_month, idle_kept, lag_headroom, DeployNote,
    Deployment, RuledOut, TierDeploy, FN_MAX_IMAGE_MB, FN_MAX_MEMORY_MB, FN_MB_PER_VCPU,
    SECONDS_PER_DAY, SECONDS_PER_MONTH,
};
pub use estimate::{
    estimate, estimate_with, peak_figures, Constraint, Estimate, MemoryBreakdown, MonthlyCost,
    QueueLayout, RangeEstimate, StackEstimate, Standing, TierEstimate, TierRole,
};
pub use formulas::Formula;
pub use measured::{
    fit_runs, fit_summaries, FitSummary, FittedFigures, LoadKind, MeasuredClass, Measurement,
    RunFit, SINGLE_RUN_SPREAD,
};
pub use montecarlo::{
    inverse_normal_cdf, merge, monte_carlo, run_figures, CheapestSets, Drawn, MonteCarlo,
    Percentiles, Plan, Rng, Runner, Sampler, Spread, StackOutcome, DEFAULT_DRAWS, DEFAULT_SEED,
    Z95,
};
pub use people::PeopleCosts;
pub use presets::{InstancePreset, ModelPreset, WorkloadPreset};
pub use queueing::{
    erlang_c, little_l, p99_response_s, per_process_cost_s, service_moments, usl_capacity,
    usl_peak, BatchingGpu, ClassTime, Mix, WaitTail,
};
pub use recommend::{
    cheapest_group, costs_the_same, other_set_verdict, recommend, share_less, stack_names,
    Recommendation, Summary, TIE_SHARE,
};
pub use rules::{apply as apply_rules, Favour, Rule, RuleId, RulesVerdict, Triggered, RULES};
pub use run_check::{check_rows, check_run, CheckRow, RunCheck, GAP_MEANING};
pub use scenario::{
    echo, read_number, Balancing, Choice, ChoiceError, ChoiceField, ChoiceKind, ChoiceOption,
    ChoiceSpec, Currency, CurrentStack, DeployTarget, FieldGroup, FieldSpec, InputError,
    InputProblem, MlDevice, NodeMajor, NumField, Scenario, Separator, Typed, WorkloadClass,
    CURRENCY_UNIT, ECHO_CHARS, MIX_EPSILON,
};
pub use sensitivity::{sensitivity, Driver, MoveEnd, Sensitivity, Swing};
pub use stack::{Framework, Language, Stack};
pub use usl_fit::{
    distinct_loads, fit as fit_usl, student_t_95, student_t_975, FitError, UslFit,
    MIN_LOADS as USL_MIN_LOADS,
};

/// Hours in a billing month: 730 = 8,760 hours a year / 12 (AWS convention,
/// also used by SOURCES' price list).
pub const HOURS_PER_MONTH: f64 = 730.0;
/// Months in a year, for the horizon.
pub const MONTHS_PER_YEAR: f64 = 12.0;
/// Weeks in a year, for sprint counts.
pub const WEEKS_PER_YEAR: f64 = 52.0;
/// MiB in a GiB.
pub const MIB_PER_GIB: f64 = 1024.0;
