//! Exports people paste into documents, and the file that brings a scenario
//! back.
//!
//! - CSV: what the results table shows, one row per stack, units and the
//!   currency in the header.
//! - JSON (`stackwise-export`, version 1): the scenario (every input by its
//!   link key), the assumption set with any edited figures, and the full
//!   estimate. [`import_json`] reads the scenario and figures back; the
//!   estimate is recomputed, never trusted. Any bad field refuses the whole
//!   import with every problem named, so nothing half-read replaces what the
//!   user has.

use serde_json::{json, Map, Value};

use super::codec::{decode, encode_all, Key, State, FORMAT_VERSION};
use crate::model::format::NOT_A_VALUE;
use crate::model::{AssumptionId, Estimate, NumField};

/// The `format` value of an export file.
pub const EXPORT_FORMAT: &str = "stackwise-export";

/// Quotes a CSV field when it needs it (RFC 4180).
fn csv_field(text: &str) -> String {
    if text.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", text.replace('"', "\"\""))
    } else {
        text.to_string()
    }
}

fn csv_number(v: f64, decimals: usize) -> String {
    if v.is_finite() {
        format!("{v:.decimals$}")
    } else {
        NOT_A_VALUE.to_string()
    }
}

/// The estimate as CSV, one row per stack, in the order of the page's table.
pub fn to_csv(e: &Estimate) -> String {
    let cur = e.currency.code();
    let years = f64::from(e.months) / 12.0;
    let header = [
        "Stack".to_string(),
        "Throughput per instance (req/s)".into(),
        "Instances at peak".into(),
        "Memory per API instance (MiB)".into(),
        format!("Monthly compute ({cur})"),
        format!("Monthly memory ({cur})"),
        format!("Monthly GPU ({cur})"),
        format!("Monthly total ({cur})"),
        format!("Migration ({cur})"),
        format!("People costs over horizon ({cur})"),
        format!("Infrastructure over horizon ({cur})"),
        format!("Total over {} years ({cur})", csv_number(years, 0)),
        "p99 at peak (ms)".into(),
        "Meets p99 target".into(),
        "Binding constraint".into(),
    ];
    let mut out = header
        .iter()
        .map(|h| csv_field(h))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    for st in &e.stacks {
        let row = [
            st.stack.label().to_string(),
            csv_number(st.throughput_per_instance, 0),
            st.instances.to_string(),
            csv_number(st.memory_per_instance_mib, 0),
            csv_number(st.monthly.compute, 2),
            csv_number(st.monthly.memory, 2),
            csv_number(st.monthly.gpu, 2),
            csv_number(st.monthly.total(), 2),
            csv_number(st.people.migration, 2),
            csv_number(st.people.total(), 2),
            csv_number(st.infra_horizon, 2),
            csv_number(st.total, 2),
            csv_number(st.p99_ms, 1),
            if st.meets_p99 { "yes" } else { "no" }.to_string(),
            st.binding.label().to_string(),
        ];
        out.push_str(
            &row.iter()
                .map(|c| csv_field(c))
                .collect::<Vec<_>>()
                .join(","),
        );
        out.push_str("\r\n");
    }
    out
}

/// The scenario, figures and estimate as a JSON document.
pub fn to_json(state: &State, e: &Estimate) -> String {
    let mut scenario = Map::new();
    let mut edited = Map::new();
    let prefix = Key::FigurePrefix.as_str();
    let mut set = state.assumptions.kind.key().to_string();
    for (k, v) in encode_all(state) {
        if k == Key::Version.as_str() {
            continue;
        }
        if k == Key::Set.as_str() {
            set = v;
            continue;
        }
        if let Some(name) = k.strip_prefix(prefix) {
            let parts: Vec<Value> = v
                .split(',')
                .filter_map(|p| p.parse::<f64>().ok())
                .map(Value::from)
                .collect();
            edited.insert(name.to_string(), Value::Array(parts));
            continue;
        }
        let numeric = NumField::from_key(&k).is_some();
        let value = match v.parse::<f64>() {
            Ok(n) if numeric && n.is_finite() => Value::from(n),
            _ => Value::from(v),
        };
        scenario.insert(k, value);
    }
    let doc = json!({
        "format": EXPORT_FORMAT,
        "version": FORMAT_VERSION,
        "scenario": scenario,
        "assumptions": { "set": set, "edited": edited },
        "estimate": e,
    });
    serde_json::to_string_pretty(&doc).unwrap_or_else(|err| format!("{{\"error\":\"{err}\"}}"))
}

/// Reads an export file back. Refuses the whole file, naming every bad
/// field, if anything in the scenario or the figures cannot be used.
pub fn import_json(text: &str) -> Result<State, Vec<String>> {
    let doc: Value = serde_json::from_str(text)
        .map_err(|err| vec![format!("The file is not valid JSON ({err}).")])?;
    let Some(obj) = doc.as_object() else {
        return Err(vec![
            "The file is JSON but not a Stackwise export (expected an object).".into(),
        ]);
    };
    match obj.get("format").and_then(Value::as_str) {
        Some(EXPORT_FORMAT) => {}
        Some(other) => {
            return Err(vec![format!(
                "format: \"{other}\" is not a Stackwise export (expected \"{EXPORT_FORMAT}\"). Load-test results are imported under \"Your measurements\"."
            )])
        }
        None => return Err(vec![format!("format: missing (expected \"{EXPORT_FORMAT}\").")]),
    }
    let mut problems = Vec::new();
    match obj.get("version").and_then(Value::as_u64) {
        Some(v) if v >= 1 && v <= u64::from(FORMAT_VERSION) => {}
        Some(v) => problems.push(format!(
            "version: {v} is newer than this page reads ({FORMAT_VERSION})."
        )),
        None => problems.push("version: missing or not a whole number.".into()),
    }
    let Some(scenario) = obj.get("scenario").and_then(Value::as_object) else {
        problems.push("scenario: missing or not an object.".into());
        return Err(problems);
    };
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in scenario {
        let text = match v {
            // f64's Display is the shortest text that reads back exactly.
            Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| format!("{x}")),
            Value::String(s) => s.clone(),
            Value::Bool(b) => if *b { "1" } else { "0" }.to_string(),
            other => {
                problems.push(format!("scenario.{k}: {other} is not a number or a word."));
                continue;
            }
        };
        pairs.push((k.clone(), text));
    }
    if let Some(assumptions) = obj.get("assumptions") {
        if let Some(set) = assumptions.get("set").and_then(Value::as_str) {
            pairs.push((Key::Set.as_str().to_string(), set.to_string()));
        }
        if let Some(edited) = assumptions.get("edited").and_then(Value::as_object) {
            for (name, v) in edited {
                let text = match v.as_array() {
                    Some(a) => a
                        .iter()
                        .map(|x| x.as_f64().map_or_else(|| x.to_string(), |f| format!("{f}")))
                        .collect::<Vec<_>>()
                        .join(","),
                    None => v.to_string(),
                };
                if AssumptionId::from_key(name).is_none() {
                    problems.push(format!("assumptions.edited.{name}: no such figure."));
                    continue;
                }
                pairs.push((format!("{}{name}", Key::FigurePrefix.as_str()), text));
            }
        }
    }
    let decoded = decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    problems.extend(decoded.notes);
    if problems.is_empty() {
        Ok(decoded.state)
    } else {
        Err(problems)
    }
}
