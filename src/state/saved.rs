//! Saved scenarios, as stored in the browser's localStorage.
//!
//! The stored value is a small JSON document, `{"version":1,"items":[{"name",
//! "query","saved"}]}`; each item keeps its scenario as a link query (the
//! same codec as links), so an old saved scenario opens like an old link.
//! Reading never drops anything silently: an item that cannot be read, or a
//! whole value that is not this format, is returned in
//! [`Library::set_aside`] for the page to keep under another key (in the
//! format of [`append_set_aside`]) and report.

use serde::Serialize;
use serde_json::{json, Value};

use super::export::{short_json, version_problem};
use crate::model::echo;

/// `"an object"`, `"a string"`...: what a JSON value is, for messages.
fn json_kind(value: &Value) -> String {
    match value {
        Value::Null => "null".into(),
        Value::Bool(_) => "a boolean".into(),
        Value::Number(_) => format!("the number {}", short_json(value)),
        Value::String(_) => "a string".into(),
        Value::Array(_) => "a list".into(),
        Value::Object(_) => "an object".into(),
    }
}

/// The value kept under the page's set-aside key: `existing` (what is kept
/// there already) with `texts`, the unreadable values, appended, each as
/// `{ "set_aside": at, "text": <raw> }` in one JSON list. Nothing already
/// kept is lost: an existing value that is not such a list becomes its
/// first entry, set aside `"earlier"`.
pub fn append_set_aside(existing: Option<&str>, texts: &[String], at: &str) -> String {
    let mut list = match existing.filter(|e| !e.trim().is_empty()) {
        None => Vec::new(),
        Some(text) => match serde_json::from_str::<Value>(text) {
            Ok(Value::Array(items)) => items,
            _ => vec![json!({ "set_aside": "earlier", "text": text })],
        },
    };
    list.extend(texts.iter().map(|t| json!({ "set_aside": at, "text": t })));
    Value::Array(list).to_string()
}

/// Version of the stored document.
pub const LIBRARY_VERSION: u32 = 1;

/// One saved scenario.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Saved {
    /// Name the user gave it.
    pub name: String,
    /// The scenario as a link query.
    pub query: String,
    /// When it was saved, as the page's clock wrote it (ISO 8601).
    pub saved: String,
}

impl Saved {
    /// Reads one stored item: an object whose `name`, `query` and `saved`
    /// are text (other keys are ignored), or what is wrong with it, naming
    /// the key. Read by hand rather than by serde's derive, whose messages
    /// speak of Rust types ("expected struct Saved") and whose code the
    /// page would carry for this alone.
    fn from_json(item: &Value) -> Result<Saved, String> {
        let Value::Object(fields) = item else {
            return Err(format!("it is {}, not an object", json_kind(item)));
        };
        let text = |key: &str| match fields.get(key) {
            Some(Value::String(text)) => Ok(text.clone()),
            Some(other) => Err(format!("\"{key}\" is {}, not text", json_kind(other))),
            None => Err(format!("\"{key}\" is missing")),
        };
        Ok(Saved {
            name: text("name")?,
            query: text("query")?,
            saved: text("saved")?,
        })
    }
}

/// Every saved scenario, plus what could not be read.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Library {
    /// Readable items, in the order stored.
    pub items: Vec<Saved>,
    /// Raw text of items or values that could not be read, kept aside.
    pub set_aside: Vec<String>,
    /// One line per problem, for the page to show.
    pub notes: Vec<String>,
}

impl Library {
    /// Reads the stored value (`None` when nothing is stored).
    pub fn read(raw: Option<&str>) -> Library {
        let mut lib = Library::default();
        let Some(raw) = raw.filter(|r| !r.trim().is_empty()) else {
            return lib;
        };
        let doc: Value = match serde_json::from_str(raw) {
            Ok(v) => v,
            Err(err) => {
                lib.set_aside.push(raw.to_string());
                lib.notes.push(format!(
                    "Saved scenarios could not be read ({}); the stored text was kept aside.",
                    echo(&err.to_string())
                ));
                return lib;
            }
        };
        if let Some(problem) = version_problem(doc.get("version"), LIBRARY_VERSION) {
            lib.set_aside.push(raw.to_string());
            lib.notes.push(format!(
                "Saved scenarios: {problem} The stored text was kept aside."
            ));
            return lib;
        }
        let items = match doc.get("items") {
            Some(Value::Array(items)) => items,
            other => {
                let what = match other {
                    None => "missing".to_string(),
                    Some(v) => format!("{}, not a list", json_kind(v)),
                };
                lib.set_aside.push(raw.to_string());
                lib.notes.push(format!(
                    "Saved scenarios: \"items\" is {what}; the stored text was kept aside."
                ));
                return lib;
            }
        };
        for (i, item) in items.iter().enumerate() {
            match Saved::from_json(item) {
                Ok(saved) if !saved.name.trim().is_empty() => lib.items.push(saved),
                Ok(_) => {
                    lib.set_aside.push(item.to_string());
                    lib.notes.push(format!(
                        "Saved scenario {}: the name is empty; kept aside.",
                        i + 1
                    ));
                }
                Err(problem) => {
                    lib.set_aside.push(item.to_string());
                    lib.notes
                        .push(format!("Saved scenario {}: {problem}; kept aside.", i + 1));
                }
            }
        }
        lib
    }

    /// The value to store (items only; what was set aside is stored apart).
    pub fn write(&self) -> String {
        serde_json::json!({ "version": LIBRARY_VERSION, "items": self.items }).to_string()
    }

    /// Adds or replaces (by name) a saved scenario.
    pub fn save(&mut self, item: Saved) {
        match self.items.iter_mut().find(|x| x.name == item.name) {
            Some(existing) => *existing = item,
            None => self.items.push(item),
        }
    }

    /// Renames an item. Refuses an empty name or one already taken.
    pub fn rename(&mut self, from: &str, to: &str) -> Result<(), String> {
        let to = to.trim();
        if to.is_empty() {
            return Err("Name: a saved scenario needs a name.".into());
        }
        if from != to && self.items.iter().any(|x| x.name == to) {
            return Err(format!(
                "Name: \"{to}\" is already used by another saved scenario."
            ));
        }
        match self.items.iter_mut().find(|x| x.name == from) {
            Some(item) => {
                item.name = to.to_string();
                Ok(())
            }
            None => Err(format!("No saved scenario is called \"{from}\".")),
        }
    }

    /// Deletes an item by name; returns whether one was deleted.
    pub fn delete(&mut self, name: &str) -> bool {
        let before = self.items.len();
        self.items.retain(|x| x.name != name);
        self.items.len() != before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// What is kept aside after appending `texts` at `at` to `existing`.
    fn kept(existing: Option<&str>, texts: &[&str], at: &str) -> Value {
        let texts: Vec<String> = texts.iter().map(|t| t.to_string()).collect();
        serde_json::from_str(&append_set_aside(existing, &texts, at)).unwrap_or_default()
    }

    #[test]
    fn unreadable_values_are_appended_to_what_is_kept_aside() {
        let first = append_set_aside(None, &["{oops".to_string()], "2026-11-27T10:00:00Z");
        assert_eq!(
            first,
            r#"[{"set_aside":"2026-11-27T10:00:00Z","text":"{oops"}]"#
        );
        assert_eq!(
            kept(Some(&first), &["x"], "later"),
            json!([
                { "set_aside": "2026-11-27T10:00:00Z", "text": "{oops" },
                { "set_aside": "later", "text": "x" },
            ])
        );
    }

    #[test]
    fn a_kept_value_that_is_not_the_list_stays_as_its_first_entry() {
        assert_eq!(
            kept(Some("not json"), &["y"], "now"),
            json!([
                { "set_aside": "earlier", "text": "not json" },
                { "set_aside": "now", "text": "y" },
            ])
        );
        assert_eq!(kept(Some("  "), &[], "now"), json!([]));
    }

    #[test]
    fn a_malformed_item_is_kept_aside_with_the_field_named_in_plain_words() {
        // By hand: item 1 is whole; item 2 lacks "query"; item 3 has a
        // number for "name"; item 4 is not an object. Each of the last three
        // is kept aside with one note naming the item and the field.
        let raw = json!({
            "version": 1,
            "items": [
                { "name": "A", "query": "rps=300", "saved": "then", "extra": 1 },
                { "name": "B", "saved": "then" },
                { "name": 5, "query": "", "saved": "then" },
                "C",
            ]
        })
        .to_string();
        let lib = Library::read(Some(&raw));
        assert_eq!(lib.items.len(), 1);
        assert_eq!(lib.items[0].query, "rps=300");
        assert_eq!(lib.set_aside.len(), 3);
        assert_eq!(
            lib.notes,
            [
                "Saved scenario 2: \"query\" is missing; kept aside.",
                "Saved scenario 3: \"name\" is the number 5, not text; kept aside.",
                "Saved scenario 4: it is a string, not an object; kept aside.",
            ]
        );
    }
}
