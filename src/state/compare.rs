//! Two saved scenarios side by side, as the page compares them: for each
//! stack the instances and the total cost over the horizon under A and
//! under B, and every input (or edited figure) that differs between them,
//! in the user's words. Plain data, shown by the saved-scenarios panel.
//!
//! The inputs are compared as a file writes them ([`encode_all`]), so every
//! input of the catalogues is compared and labelled without a list here.

use super::codec::{encode_all, from_query, Key, State};
use super::saved::Saved;
use crate::model::format::{self, money, whole, with_unit, NOT_A_VALUE};
use crate::model::{
    estimate, AssumptionId, ChoiceField, Currency, Estimate, NumField, SetKind, Stack,
    CURRENCY_UNIT,
};

/// One side of a comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct Side {
    /// The saved scenario's name.
    pub name: String,
    /// Its state as read from the saved link (defaults where unreadable).
    pub state: State,
    /// Its estimate.
    pub estimate: Estimate,
}

impl Side {
    /// Reads a saved scenario and estimates it.
    pub fn of(saved: &Saved) -> Side {
        let state = from_query(&saved.query).state;
        let estimate = estimate(&state.scenario, &state.assumptions);
        Side {
            name: saved.name.clone(),
            state,
            estimate,
        }
    }
}

/// One input that differs: its label and the value under A and under B.
#[derive(Clone, Debug, PartialEq)]
pub struct Difference {
    /// The input, as the page labels it.
    pub label: String,
    /// Its value in A.
    pub a: String,
    /// Its value in B.
    pub b: String,
}

/// An encoded value in words, for the key it belongs to.
fn shown(key: &str, value: Option<&str>, currency: Currency) -> String {
    let Some(value) = value else {
        return "shipped figure".to_string();
    };
    if let Some(field) = NumField::from_key(key) {
        let spec = field.spec();
        let unit = if spec.unit == CURRENCY_UNIT {
            currency.code()
        } else {
            spec.unit
        };
        return if unit.is_empty() {
            value.to_string()
        } else {
            with_unit(value, unit)
        };
    }
    if let Some(field) = ChoiceField::from_key(key) {
        return field
            .option_label(value)
            .map_or_else(|| value.to_string(), str::to_string);
    }
    match key {
        k if k == Key::Set.as_str() => {
            SetKind::from_key(value).map_or_else(|| value.to_string(), |s| s.label().to_string())
        }
        k if k.starts_with(Key::FigurePrefix.as_str()) => value.replace(',', " / "),
        _ => value.to_string(),
    }
}

/// The label of an encoded key.
fn label(key: &str) -> String {
    if let Some(field) = NumField::from_key(key) {
        return field.spec().label.to_string();
    }
    if let Some(name) = key.strip_prefix(Key::FigurePrefix.as_str()) {
        return match AssumptionId::from_key(name) {
            Some(id) => format!("{} (low / typical / high)", id.label()),
            None => name.to_string(),
        };
    }
    if let Some(field) = ChoiceField::from_key(key) {
        return field.spec().label.to_string();
    }
    match key {
        k if k == Key::Set.as_str() => "Assumption set",
        other => other,
    }
    .to_string()
}

/// Every input that differs between A and B, in the order of the link.
pub fn differences(a: &Side, b: &Side) -> Vec<Difference> {
    state_differences(&a.state, &b.state)
}

/// Every input and edited figure of `state` that differs from the page's
/// defaults (`a` the default, `b` this state's value), for the printed
/// report.
pub fn changes_from_defaults(state: &State) -> Vec<Difference> {
    state_differences(&State::default(), state)
}

/// Every input that differs between two states, in the order of the link.
fn state_differences(a: &State, b: &State) -> Vec<Difference> {
    let pairs_a = encode_all(a);
    let pairs_b = encode_all(b);
    let mut keys: Vec<&str> = pairs_a.iter().map(|(k, _)| k.as_str()).collect();
    keys.extend(
        pairs_b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| value_of(&pairs_a, k).is_none()),
    );
    keys.into_iter()
        .filter(|k| *k != Key::Version.as_str())
        .filter(|k| value_of(&pairs_a, k) != value_of(&pairs_b, k))
        .map(|k| Difference {
            label: label(k),
            a: shown(k, value_of(&pairs_a, k), a.scenario.currency),
            b: shown(k, value_of(&pairs_b, k), b.scenario.currency),
        })
        .collect()
}

/// The value written for `key`, if any. A search of the list: a state
/// writes about a hundred keys, too few for a map to pay for its code in
/// the page's wasm.
fn value_of<'a>(pairs: &'a [(String, String)], key: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.as_str())
}

/// One stack under A and under B, as the comparison table shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct StackRow {
    /// The stack.
    pub stack: Stack,
    /// Instances at today's peak under A and under B.
    pub instances: (String, String),
    /// Total cost over the horizon under A and under B, each in its own
    /// scenario's currency.
    pub total: (String, String),
}

/// Every stack of A, with its instances and total under A and under B
/// (`–` where B has no such stack).
pub fn per_stack(a: &Side, b: &Side) -> Vec<StackRow> {
    a.estimate
        .stacks
        .iter()
        .map(|sa| {
            let sb = b.estimate.stacks.iter().find(|s| s.stack == sa.stack);
            StackRow {
                stack: sa.stack,
                instances: (
                    whole(sa.instances as f64),
                    sb.map_or_else(|| NOT_A_VALUE.to_string(), |s| whole(s.instances as f64)),
                ),
                total: (
                    money(sa.total, a.estimate.currency),
                    sb.map_or_else(
                        || NOT_A_VALUE.to_string(),
                        |s| money(s.total, b.estimate.currency),
                    ),
                ),
            }
        })
        .collect()
}

/// The horizon the totals cover: `"over 3 years"`, or each side's when
/// they differ (`"over 3 years (A) and 5 years (B)"`).
pub fn horizon(a: &Side, b: &Side) -> String {
    let years = |e: &Estimate| format::years(e.years());
    if a.estimate.months == b.estimate.months {
        format!("over {}", years(&a.estimate))
    } else {
        format!(
            "over {} (A) and {} (B)",
            years(&a.estimate),
            years(&b.estimate)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_report_lists_what_differs_from_the_defaults() {
        assert_eq!(changes_from_defaults(&State::default()), vec![]);
        let mut state = State::default();
        state
            .scenario
            .set(NumField::AvgRps, 5_000.0)
            .expect("in range");
        let changes = changes_from_defaults(&state);
        assert_eq!(changes.len(), 1, "{changes:?}");
        assert_eq!(changes[0].label, NumField::AvgRps.spec().label);
        assert_eq!(changes[0].a, "200 req/s");
        assert_eq!(changes[0].b, "5000 req/s");
    }

    fn side(name: &str, query: &str) -> Side {
        Side::of(&Saved {
            name: name.into(),
            query: query.into(),
            saved: "2026-11-27T10:00:00Z".into(),
        })
    }

    fn row(label: &str, a: &str, b: &str) -> Difference {
        Difference {
            label: label.into(),
            a: a.into(),
            b: b.into(),
        }
    }

    #[test]
    fn every_differing_input_is_listed_in_words_in_link_order() {
        let a = side("Baseline", "v=1");
        let b = side(
            "Busy",
            "v=1&rps=5000&pvcpu=0.05&cur=EUR&device=gpu&lb=lor&node=22&accesslog=0\
             &set=article&a.fastify.json_us=10,20,60",
        );
        assert_eq!(
            differences(&a, &b),
            vec![
                row("Average requests per second", "200 req/s", "5000 req/s"),
                row("Price per vCPU-hour", "0.04048 USD", "0.05 EUR"),
                row("Currency", "USD", "EUR"),
                row("Inference runs on", "CPU (in the service)", "GPU instances"),
                row(
                    "Load balancing",
                    "Round-robin or random",
                    "Least outstanding requests"
                ),
                row("Node.js version", "24", "22"),
                row("Uvicorn access log on", "on", "off"),
                // The article's set counts its claims unless the link says not.
                row("Count the article's productivity claims", "off", "on"),
                row("Assumption set", "Published benchmarks", "The article"),
                row(
                    "Fastify: CPU per JSON/CRUD request (low / typical / high)",
                    "shipped figure",
                    "10 / 20 / 60"
                ),
            ]
        );
    }

    #[test]
    fn the_same_inputs_differ_nowhere_and_a_stack_in_production_is_named() {
        let a = side("A", "v=1&rps=300");
        assert!(differences(&a, &side("B", "v=1&rps=300")).is_empty());
        let b = side("B", "v=1&rps=300&now=express");
        assert_eq!(
            differences(&a, &b),
            vec![row(
                "Stack in production today",
                "None (new project)",
                "Express"
            )]
        );
    }

    #[test]
    fn each_stack_shows_its_instances_and_total_under_a_and_b() {
        let a = side("A", "v=1");
        let b = side("B", "v=1&rps=20000&cur=GBP&horizon=5");
        let rows = per_stack(&a, &b);
        assert_eq!(
            rows.iter().map(|r| r.stack).collect::<Vec<_>>(),
            Stack::ALL.to_vec()
        );
        for (r, (sa, sb)) in rows
            .iter()
            .zip(a.estimate.stacks.iter().zip(&b.estimate.stacks))
        {
            assert_eq!(
                r.instances,
                (whole(sa.instances as f64), whole(sb.instances as f64))
            );
            assert!(r.total.0.starts_with('$'), "{}", r.total.0);
            assert!(r.total.1.starts_with('£'), "{}", r.total.1);
        }
        assert_eq!(horizon(&a, &b), "over 3 years (A) and 5 years (B)");
        assert_eq!(horizon(&a, &a), "over 3 years");
    }
}
