//! Lookups in a parsed JSON document that turn absence and wrong types into
//! [`ImportError`]s naming the field by its dotted path.
//!
//! Shared by the JSON readers (k6, autocannon, oha, measurements); none of
//! them indexes a `serde_json::Value` directly.

use serde_json::{Map, Value};

use super::validate::Reading;
use super::{ImportError, ImportProblem, LoadTool};

/// Names the JSON type of `value` for an error message.
pub(crate) fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The object at `path` under `root` (each step a key).
pub(crate) fn object<'a>(
    tool: LoadTool,
    root: &'a Value,
    path: &str,
) -> Result<&'a Map<String, Value>, ImportError> {
    let value = at(tool, root, path)?;
    value.as_object().ok_or_else(|| {
        ImportError::field(
            tool,
            path,
            ImportProblem::WrongType {
                expected: "an object",
                found: kind(value),
            },
        )
    })
}

/// The value at the dotted `path` under `root`; missing if any step is.
///
/// Keys containing dots (k6's `p(99.9)`) are looked up with
/// [`number_in`] on their parent object instead.
pub(crate) fn at<'a>(
    tool: LoadTool,
    root: &'a Value,
    path: &str,
) -> Result<&'a Value, ImportError> {
    let mut here = root;
    for key in path.split('.') {
        here = here
            .as_object()
            .and_then(|object| object.get(key))
            .ok_or_else(|| ImportError::field(tool, path, ImportProblem::Missing))?;
    }
    Ok(here)
}

/// The number at the dotted `path`; required.
pub(crate) fn number(tool: LoadTool, root: &Value, path: &str) -> Result<Reading, ImportError> {
    let value = at(tool, root, path)?;
    as_number(tool, value, path)
}

/// The number at the dotted `path`, or `None` if the field is absent or
/// `null` (tools write `null` for statistics they could not compute).
pub(crate) fn optional_number(
    tool: LoadTool,
    root: &Value,
    path: &str,
) -> Result<Option<Reading>, ImportError> {
    match at(tool, root, path) {
        Ok(Value::Null) | Err(_) => Ok(None),
        Ok(value) => as_number(tool, value, path).map(Some),
    }
}

/// The number under `key` in `object`, named `path` in errors; `None` if
/// absent or `null`.
pub(crate) fn number_in(
    tool: LoadTool,
    object: &Map<String, Value>,
    key: &str,
    path: &str,
) -> Result<Option<Reading>, ImportError> {
    match object.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(value) => as_number(tool, value, path).map(Some),
    }
}

/// `value` as a number named `path`, or a wrong-type error.
pub(crate) fn as_number(tool: LoadTool, value: &Value, path: &str) -> Result<Reading, ImportError> {
    value
        .as_f64()
        .map(|n| Reading::new(n, path))
        .ok_or_else(|| {
            ImportError::field(
                tool,
                path,
                ImportProblem::WrongType {
                    expected: "a number",
                    found: kind(value),
                },
            )
        })
}

/// The string at the dotted `path`, or `None` if absent or `null`; a
/// non-string is an error.
pub(crate) fn optional_string(
    tool: LoadTool,
    root: &Value,
    path: &str,
) -> Result<Option<String>, ImportError> {
    match at(tool, root, path) {
        Ok(Value::Null) | Err(_) => Ok(None),
        Ok(Value::String(s)) => Ok(Some(s.clone())),
        Ok(other) => Err(ImportError::field(
            tool,
            path,
            ImportProblem::WrongType {
                expected: "a string",
                found: kind(other),
            },
        )),
    }
}

/// Parses a percentile key's number: `"p(99.9)"` (k6), `"p99_9"`
/// (autocannon), `"p99.9"` (oha) all give 99.9. `None` for anything else or
/// a value outside 0..=100.
pub(crate) fn percentile_of_key(key: &str) -> Option<f64> {
    let inner = key.strip_prefix('p')?;
    let inner = inner
        .strip_prefix('(')
        .and_then(|s| s.strip_suffix(')'))
        .unwrap_or(inner);
    if inner.is_empty()
        || !inner
            .bytes()
            .all(|b| b.is_ascii_digit() || b == b'.' || b == b'_')
    {
        return None;
    }
    let p: f64 = inner.replace('_', ".").parse().ok()?;
    (0.0..=100.0).contains(&p).then_some(p)
}

/// From the percentile entries of `object` (keys as in
/// [`percentile_of_key`]), picks the tail: p99 if present, otherwise the
/// highest percentile above 50. Values that are `null` are skipped. Returns
/// the reading (named `prefix` + key) and its percentile.
pub(crate) fn tail_percentile(
    tool: LoadTool,
    object: &Map<String, Value>,
    prefix: &str,
) -> Result<Option<(Reading, f64)>, ImportError> {
    let mut best: Option<(&String, &Value, f64)> = None;
    for (key, value) in object {
        let Some(p) = percentile_of_key(key) else {
            continue;
        };
        if p <= 50.0 || value.is_null() {
            continue;
        }
        // An exact p99 is kept once found; otherwise the higher one wins.
        let better = match best {
            None => true,
            Some((_, _, q)) => q != 99.0 && (p == 99.0 || p > q),
        };
        if better {
            best = Some((key, value, p));
        }
    }
    match best {
        None => Ok(None),
        Some((key, value, p)) => {
            let reading = as_number(tool, value, &format!("{prefix}{key}"))?;
            Ok(Some((reading, p)))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn percentile_keys_of_every_tool() {
        assert_eq!(percentile_of_key("p(95)"), Some(95.0));
        assert_eq!(percentile_of_key("p(99.9)"), Some(99.9));
        assert_eq!(percentile_of_key("p99_999"), Some(99.999));
        assert_eq!(percentile_of_key("p0_001"), Some(0.001));
        assert_eq!(percentile_of_key("p99.99"), Some(99.99));
        assert_eq!(percentile_of_key("p50"), Some(50.0));
        assert_eq!(percentile_of_key("p"), None);
        assert_eq!(percentile_of_key("p(101)"), None);
        assert_eq!(percentile_of_key("p(-1)"), None);
        assert_eq!(percentile_of_key("max"), None);
        assert_eq!(percentile_of_key("p.."), None);
    }

    #[test]
    fn tail_prefers_p99_then_the_highest() {
        let v: Value = serde_json::json!({"p90": 1.0, "p99": 2.0, "p99_9": 3.0});
        let (r, p) = tail_percentile(LoadTool::Autocannon, v.as_object().unwrap(), "latency.")
            .unwrap()
            .unwrap();
        assert_eq!((r.value, p, r.field.as_str()), (2.0, 99.0, "latency.p99"));
        let v: Value = serde_json::json!({"p(90)": 1.0, "p(95)": 2.0, "med": 0.5});
        let (r, p) = tail_percentile(LoadTool::K6, v.as_object().unwrap(), "m.")
            .unwrap()
            .unwrap();
        assert_eq!((r.value, p), (2.0, 95.0));
        let v: Value = serde_json::json!({"p50": 1.0});
        assert!(tail_percentile(LoadTool::Oha, v.as_object().unwrap(), "")
            .unwrap()
            .is_none());
    }
}
