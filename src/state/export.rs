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

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{json, Map, Value};

use super::codec::{decode_strict, encode_all, Key, State, FORMAT_VERSION};
use crate::model::format::{self, fixed};
use crate::model::{
    echo, AssumptionId, Choice, ChoiceField, ChoiceKind, Estimate, NumField, ECHO_CHARS,
};

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

/// A CSV number: fixed decimals, `–` when not finite, no `-0.00` from
/// float dust.
fn csv_number(v: f64, decimals: usize) -> String {
    fixed(v, decimals)
}

/// The estimate as CSV, one row per stack, in the order of the page's table.
pub fn to_csv(e: &Estimate) -> String {
    let cur = e.currency.code();
    let years = e.years();
    let header = [
        "Stack".to_string(),
        "Throughput per API instance (req/s)".into(),
        "Instances at peak".into(),
        "Memory per API instance (MiB)".into(),
        format!("Monthly compute ({cur})"),
        format!("Monthly memory ({cur})"),
        format!("Monthly GPU ({cur})"),
        format!("Monthly total ({cur})"),
        format!("Migration ({cur})"),
        format!("People costs over horizon ({cur})"),
        format!("Infrastructure over horizon ({cur})"),
        format!("Total over {} ({cur})", format::years(years)),
        "p99 at peak (ms)".into(),
        "Meets p99 target".into(),
        "Sized by".into(),
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
            st.sized_by(),
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
/// field, if anything in the scenario or the figures cannot be used exactly
/// as written: a value of the wrong kind (`"rps": true`), a key given twice,
/// an `assumptions` part that is not the shape [`to_json`] writes, an empty
/// scenario. Nothing is clamped, defaulted or scaled: the problems say what
/// is wrong, never what would be used instead.
pub fn import_json(text: &str) -> Result<State, Vec<String>> {
    let checked: Checked = serde_json::from_str(text).map_err(|err| {
        vec![format!(
            "The file is not valid JSON ({}).",
            echo(&err.to_string())
        )]
    })?;
    let mut problems: Vec<String> = checked
        .duplicates
        .iter()
        .map(|path| format!("{}: given more than once in the file.", echo(path)))
        .collect();
    let doc = checked.value;
    let Some(obj) = doc.as_object() else {
        return Err(vec![
            "The file is JSON but not a Stackwise export (expected an object).".into(),
        ]);
    };
    match obj.get("format").and_then(Value::as_str) {
        Some(EXPORT_FORMAT) => {}
        Some(other) => {
            return Err(vec![format!(
                "format: \"{}\" is not a Stackwise export (expected \"{EXPORT_FORMAT}\"). Load-test results are imported under \"Your measurements\".",
                echo(other)
            )])
        }
        None => return Err(vec![format!("format: missing (expected \"{EXPORT_FORMAT}\").")]),
    }
    if let Some(problem) = version_problem(obj.get("version"), FORMAT_VERSION) {
        problems.push(problem);
    }
    let scenario = match obj.get("scenario") {
        Some(Value::Object(scenario)) if scenario.is_empty() => {
            problems.push(
                "scenario: the object is empty; an export lists every input, so nothing was read."
                    .into(),
            );
            return Err(problems);
        }
        Some(Value::Object(scenario)) => scenario,
        Some(other) => {
            problems.push(format!("scenario: {} is not an object.", short_json(other)));
            return Err(problems);
        }
        None => {
            problems.push("scenario: missing.".into());
            return Err(problems);
        }
    };
    // A switch may be written as JSON's own true or false.
    let switch =
        |key: &str| ChoiceField::from_key(key).is_some_and(|f| f.spec().kind == ChoiceKind::Switch);
    let mut pairs: Vec<(String, String)> = Vec::new();
    for (k, v) in scenario {
        let numeric = NumField::from_key(k).is_some();
        let text = match v {
            // f64's Display is the shortest text that reads back exactly.
            Value::Number(n) => n.as_f64().map_or_else(|| n.to_string(), |x| format!("{x}")),
            Value::String(s) => s.clone(),
            Value::Bool(b) if switch(k) => b.key().to_string(),
            other => {
                let expected = if numeric { "a number" } else { "a word" };
                problems.push(format!(
                    "scenario.{}: {} is not {expected}.",
                    echo(k),
                    short_json(other)
                ));
                continue;
            }
        };
        pairs.push((k.clone(), text));
    }
    match obj.get("assumptions") {
        None => {}
        Some(Value::Object(assumptions)) => {
            match assumptions.get("set") {
                None => {}
                Some(Value::String(set)) => {
                    pairs.push((Key::Set.as_str().to_string(), set.to_string()));
                }
                Some(other) => problems.push(format!(
                    "assumptions.set: {} is not the name of a set (published, article, measured).",
                    short_json(other)
                )),
            }
            match assumptions.get("edited") {
                None => {}
                Some(Value::Object(edited)) => {
                    for (name, v) in edited {
                        if AssumptionId::from_key(name).is_none() {
                            problems.push(format!(
                                "assumptions.edited.{}: no such figure.",
                                echo(name)
                            ));
                            continue;
                        }
                        let numbers: Option<Vec<f64>> = v
                            .as_array()
                            .filter(|a| a.len() == 3)
                            .and_then(|a| a.iter().map(Value::as_f64).collect());
                        let Some(numbers) = numbers else {
                            problems.push(format!(
                                "assumptions.edited.{}: {} is not three numbers [low, typical, high].",
                                echo(name),
                                short_json(v)
                            ));
                            continue;
                        };
                        let text = numbers
                            .iter()
                            .map(|f| format!("{f}"))
                            .collect::<Vec<_>>()
                            .join(",");
                        pairs.push((format!("{}{name}", Key::FigurePrefix.as_str()), text));
                    }
                }
                Some(other) => problems.push(format!(
                    "assumptions.edited: {} is not an object of figures.",
                    short_json(other)
                )),
            }
        }
        Some(other) => problems.push(format!(
            "assumptions: {} is not an object with \"set\" and \"edited\".",
            short_json(other)
        )),
    }
    let decoded = decode_strict(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    problems.extend(decoded.notes);
    if problems.is_empty() {
        Ok(decoded.state)
    } else {
        Err(problems)
    }
}

/// The problem with a document's `version`, if any: it must be the whole
/// number `1` up to `newest`. `0`, `1.0`, `"1"` and a missing version get
/// the same sentence.
pub(crate) fn version_problem(version: Option<&Value>, newest: u32) -> Option<String> {
    let whole = version
        .and_then(Value::as_u64)
        .filter(|v| (1..=u64::from(newest)).contains(v));
    match (version, whole) {
        (_, Some(_)) => None,
        (None, _) => Some(format!(
            "version: missing; this page reads version {newest} (a whole number)."
        )),
        (Some(v), None) => Some(format!(
            "version: {} is not a version this page reads; it reads version {newest} (a whole number).",
            short_json(v)
        )),
    }
}

/// A JSON value as a message quotes it: at most [`ECHO_CHARS`] characters.
pub(crate) fn short_json(value: &Value) -> String {
    // Strings and numbers are cheap to print; a huge array or object is cut
    // while it is written rather than after.
    match value {
        Value::Array(a) if a.len() > ECHO_CHARS => format!("an array of {} values", a.len()),
        Value::Object(o) if o.len() > ECHO_CHARS => format!("an object of {} keys", o.len()),
        _ => echo(&value.to_string()),
    }
}

/// A JSON document read with the path of every key that appears twice in
/// its object (`scenario.rps`), which `serde_json::Value` would silently
/// collapse to the last.
pub(crate) struct Checked {
    /// The document, last value of a repeated key kept.
    pub value: Value,
    /// Dotted paths of repeated keys, in document order.
    pub duplicates: Vec<String>,
}

impl<'de> Deserialize<'de> for Checked {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(CheckedVisitor)
    }
}

struct CheckedVisitor;

impl CheckedVisitor {
    fn leaf<E>(value: Value) -> Result<Checked, E> {
        Ok(Checked {
            value,
            duplicates: Vec::new(),
        })
    }
}

impl<'de> Visitor<'de> for CheckedVisitor {
    type Value = Checked;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_bool<E>(self, v: bool) -> Result<Checked, E> {
        Self::leaf(Value::Bool(v))
    }
    fn visit_i64<E>(self, v: i64) -> Result<Checked, E> {
        Self::leaf(Value::from(v))
    }
    fn visit_u64<E>(self, v: u64) -> Result<Checked, E> {
        Self::leaf(Value::from(v))
    }
    fn visit_f64<E>(self, v: f64) -> Result<Checked, E> {
        Self::leaf(Value::from(v))
    }
    fn visit_str<E>(self, v: &str) -> Result<Checked, E> {
        Self::leaf(Value::from(v))
    }
    fn visit_string<E>(self, v: String) -> Result<Checked, E> {
        Self::leaf(Value::from(v))
    }
    fn visit_unit<E>(self) -> Result<Checked, E> {
        Self::leaf(Value::Null)
    }
    fn visit_none<E>(self) -> Result<Checked, E> {
        Self::leaf(Value::Null)
    }
    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Checked, A::Error> {
        let mut values = Vec::new();
        let mut duplicates = Vec::new();
        while let Some(item) = seq.next_element::<Checked>()? {
            let i = values.len();
            duplicates.extend(item.duplicates.into_iter().map(|d| format!("[{i}].{d}")));
            values.push(item.value);
        }
        Ok(Checked {
            value: Value::Array(values),
            duplicates,
        })
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Checked, A::Error> {
        let mut object = Map::new();
        let mut duplicates = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let item: Checked = map.next_value()?;
            if object.contains_key(&key) {
                duplicates.push(key.clone());
            }
            duplicates.extend(item.duplicates.into_iter().map(|d| format!("{key}.{d}")));
            object.insert(key, item.value);
        }
        Ok(Checked {
            value: Value::Object(object),
            duplicates,
        })
    }
}
