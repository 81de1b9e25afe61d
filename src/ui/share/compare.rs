//! Two saved scenarios side by side: for each stack the instances and the
//! total cost over the horizon under A and under B, and every input (or
//! edited figure) that differs between them, in the user's words.

use std::collections::BTreeMap;

use leptos::prelude::*;

use crate::model::format::{money, number, whole, NOT_A_VALUE};
use crate::model::{
    estimate, AssumptionId, ChoiceField, Currency, Estimate, NumField, SetKind, CURRENCY_UNIT,
};
use crate::state::codec::{encode_all, from_query, Key, State};
use crate::state::saved::Saved;

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
            format!("{value} {unit}")
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
    let pairs_a = encode_all(&a.state);
    let pairs_b = encode_all(&b.state);
    let map_b: BTreeMap<&str, &str> = pairs_b
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let map_a: BTreeMap<&str, &str> = pairs_a
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let mut keys: Vec<&str> = pairs_a.iter().map(|(k, _)| k.as_str()).collect();
    keys.extend(
        pairs_b
            .iter()
            .map(|(k, _)| k.as_str())
            .filter(|k| !map_a.contains_key(k)),
    );
    keys.into_iter()
        .filter(|k| *k != Key::Version.as_str())
        .filter(|k| map_a.get(k) != map_b.get(k))
        .map(|k| Difference {
            label: label(k),
            a: shown(k, map_a.get(k).copied(), a.state.scenario.currency),
            b: shown(k, map_b.get(k).copied(), b.state.scenario.currency),
        })
        .collect()
}

/// The comparison tables for two saved scenarios.
#[component]
pub fn Comparison(
    /// Scenario A.
    a: Side,
    /// Scenario B.
    b: Side,
) -> impl IntoView {
    let rows = a
        .estimate
        .stacks
        .iter()
        .map(|sa| {
            let sb = b.estimate.stacks.iter().find(|s| s.stack == sa.stack);
            let instances_b =
                sb.map_or_else(|| NOT_A_VALUE.to_string(), |s| whole(s.instances as f64));
            let total_b = sb.map_or_else(
                || NOT_A_VALUE.to_string(),
                |s| money(s.total, b.estimate.currency),
            );
            view! {
                <tr>
                    <th scope="row">{sa.stack.label()}</th>
                    <td class="num">{whole(sa.instances as f64)}</td>
                    <td class="num">{instances_b}</td>
                    <td class="num">{money(sa.total, a.estimate.currency)}</td>
                    <td class="num">{total_b}</td>
                </tr>
            }
        })
        .collect_view();
    let years = |e: &Estimate| number(f64::from(e.months) / 12.0, 1);
    let horizon = if a.estimate.months == b.estimate.months {
        format!("over {} years", years(&a.estimate))
    } else {
        format!(
            "over {} years (A) and {} years (B)",
            years(&a.estimate),
            years(&b.estimate)
        )
    };
    let differences = differences(&a, &b);
    let inputs = if differences.is_empty() {
        view! { <p class="note">"The two scenarios have the same inputs and figures."</p> }
            .into_any()
    } else {
        view! {
            <div class="table-scroll" tabindex="0" role="region" aria-label="Inputs that differ">
                <table class="compare-inputs">
                    <caption>"Inputs that differ"</caption>
                    <thead>
                        <tr>
                            <th scope="col">"Input"</th>
                            <th scope="col">"A: " {a.name.clone()}</th>
                            <th scope="col">"B: " {b.name.clone()}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {differences
                            .into_iter()
                            .map(|d| {
                                view! {
                                    <tr>
                                        <th scope="row">{d.label}</th>
                                        <td>{d.a}</td>
                                        <td>{d.b}</td>
                                    </tr>
                                }
                            })
                            .collect_view()}
                    </tbody>
                </table>
            </div>
        }
        .into_any()
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Comparison per stack">
            <table class="compare">
                <caption>
                    {format!("A: {} and B: {}, per stack (total cost {horizon})", a.name, b.name)}
                </caption>
                <thead>
                    <tr>
                        <th scope="col">"Stack"</th>
                        <th scope="col" class="num">"Instances A"</th>
                        <th scope="col" class="num">"Instances B"</th>
                        <th scope="col" class="num">"Total cost A"</th>
                        <th scope="col" class="num">"Total cost B"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
        {inputs}
    }
}
