//! The scenario as flat `key = value` text: the one wire form behind links,
//! exported JSON and saved scenarios.
//!
//! Encoding writes only what differs from the defaults, so links stay short
//! and a default added later does not change old links; the workload mix is
//! one value, its four shares written together or not at all, and read
//! together (see `read_mix` for links written before that). Numbers are
//! written with a decimal point and read back without guessing: a comma in
//! a number is refused, never read as a separator. Decoding is lenient:
//! every key is read on its own, a bad value is skipped with a note that
//! names the field, the value and the allowed range, and everything valid is
//! kept. Unknown keys are reported, not fatal (a newer link opened in an
//! older page). [`decode_strict`] reads a file the same way but clamps,
//! defaults and scales nothing: every such value is a problem, and the
//! caller applies nothing when there is one.
//!
//! Version 1 is the only format so far; a link without a version is read as
//! version 1. A later format bumps [`FORMAT_VERSION`] and keeps a reader for
//! every earlier one.

use crate::model::format::number;
use crate::model::{
    echo, Assumption, AssumptionId, AssumptionSet, ChoiceField, InputProblem, NumField, Scenario,
    SetKind, MIX_EPSILON,
};

/// Version written into every link and file.
pub const FORMAT_VERSION: u32 = 1;

/// Every key that is not an input's own key (those come from
/// [`NumField::spec`] and [`ChoiceField::spec`]). One place, so no key is
/// typed twice.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Key {
    /// Format version.
    Version,
    /// Named assumption set.
    Set,
    /// Prefix of an edited figure: `a.fastapi.json_us=low,typical,high`.
    FigurePrefix,
    /// Compact embed layout (page only, not part of the scenario).
    Embed,
}

impl Key {
    /// The key as written.
    pub fn as_str(self) -> &'static str {
        match self {
            Key::Version => "v",
            Key::Set => "set",
            Key::FigurePrefix => "a.",
            Key::Embed => "embed",
        }
    }
}

/// A scenario with the figures it is estimated with (by default, the
/// default scenario and the published benchmarks, with the article's
/// unverified claims off as that set starts them).
#[derive(Clone, Debug, PartialEq)]
pub struct State {
    /// The inputs.
    pub scenario: Scenario,
    /// The figures, with any the user edited.
    pub assumptions: AssumptionSet,
}

impl Default for State {
    fn default() -> Self {
        let assumptions = AssumptionSet::default();
        State {
            scenario: Scenario::default().claims_for(assumptions.kind),
            assumptions,
        }
    }
}

/// The result of reading untrusted text: what could be used, and a note for
/// everything that could not.
#[derive(Clone, Debug, PartialEq)]
pub struct Decoded {
    /// The state: defaults where a value was missing or refused.
    pub state: State,
    /// One line per value ignored or changed, naming the field.
    pub notes: Vec<String>,
}

/// Writes a state as ordered `(key, value)` pairs, defaults left out.
pub fn encode(state: &State) -> Vec<(String, String)> {
    encode_with(state, false)
}

/// Writes every value, defaults included (for files meant to be read).
pub fn encode_all(state: &State) -> Vec<(String, String)> {
    encode_with(state, true)
}

fn encode_with(state: &State, all: bool) -> Vec<(String, String)> {
    let s = &state.scenario;
    // The claims' default follows the set: written only when it differs.
    let d = Scenario::default().claims_for(state.assumptions.kind);
    let mut out = vec![(
        Key::Version.as_str().to_string(),
        FORMAT_VERSION.to_string(),
    )];
    // The mix is one value: all four shares are written when any differs
    // from its default, so a reader never rebalances a share it was not
    // given.
    let mix_differs = NumField::MIX.iter().any(|f| s.get(*f) != d.get(*f));
    for field in NumField::ALL {
        let v = s.get(field);
        let differs = if NumField::MIX.contains(&field) {
            mix_differs
        } else {
            v != d.get(field)
        };
        if all || differs {
            out.push((field.spec().key.to_string(), format!("{v}")));
        }
    }
    for field in ChoiceField::ALL {
        let key = s.choice(field);
        if all || key != d.choice(field) {
            out.push((field.spec().key.to_string(), key.to_string()));
        }
    }
    let set = state.assumptions.kind;
    if all || set != SetKind::Published {
        out.push((Key::Set.as_str().to_string(), set.key().to_string()));
    }
    for id in AssumptionId::all() {
        if state.assumptions.is_edited(id) {
            let a = state.assumptions.get(id);
            out.push((
                format!("{}{}", Key::FigurePrefix.as_str(), id.key()),
                format!("{},{},{}", a.low, a.typical, a.high),
            ));
        }
    }
    out
}

/// Reads `(key, value)` pairs leniently. Never fails: what cannot be used is
/// reported in [`Decoded::notes`] and left at its default.
pub fn decode<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Decoded {
    decode_with(pairs, Mode::Lenient)
}

/// Reads `(key, value)` pairs strictly, for a file: every value that cannot
/// be used exactly as written (out of range, repeated, shares that do not
/// add up to 100%) is a problem, and the notes say what is wrong without
/// saying what would be used instead (nothing is: the caller refuses the
/// file when there is any note).
pub fn decode_strict<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>) -> Decoded {
    decode_with(pairs, Mode::Strict)
}

/// How [`decode_with`] treats a value it cannot use as written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mode {
    /// A link: keep what is valid, clamp what is out of range, say so.
    Lenient,
    /// A file: name the problem; the caller applies nothing.
    Strict,
}

/// The notes of one decoding: `what` went wrong, and in a link, the remedy.
struct Notes {
    mode: Mode,
    lines: Vec<String>,
}

impl Notes {
    /// `what` (with `remedy` appended in a link).
    fn say(&mut self, what: impl Into<String>, remedy: &str) {
        let mut line = what.into();
        match self.mode {
            Mode::Lenient => line.push_str(remedy),
            Mode::Strict => {
                if !line.ends_with('.') {
                    line.push('.');
                }
            }
        }
        self.lines.push(line);
    }
}

/// A link's or a file's settings by key, in the order given, the last
/// value of a repeated key kept. A list rather than a map: a link holds
/// about a hundred keys, and a `BTreeMap` of them cost the page's wasm its
/// own insert, search and sort code.
#[derive(Default)]
struct Pairs<'a>(Vec<(&'a str, &'a str)>);

impl<'a> Pairs<'a> {
    /// Sets `key` to `value`; whether `key` was there already.
    fn insert(&mut self, key: &'a str, value: &'a str) -> bool {
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some(pair) => {
                pair.1 = value;
                true
            }
            None => {
                self.0.push((key, value));
                false
            }
        }
    }

    /// Takes `key` out, with its value.
    fn remove(&mut self, key: &str) -> Option<&'a str> {
        let at = self.0.iter().position(|(k, _)| *k == key)?;
        Some(self.0.remove(at).1)
    }

    /// The keys left, in the order given.
    fn keys(&self) -> impl Iterator<Item = &'a str> + '_ {
        self.0.iter().map(|(k, _)| *k)
    }
}

fn decode_with<'a>(pairs: impl IntoIterator<Item = (&'a str, &'a str)>, mode: Mode) -> Decoded {
    let mut notes = Notes {
        mode,
        lines: Vec::new(),
    };
    let mut map = Pairs::default();
    for (k, v) in pairs {
        if map.insert(k, v) {
            notes.say(
                format!("\"{}\" was given more than once", echo(k)),
                "; the last value is used.",
            );
        }
    }

    if let Some(v) = map.remove(Key::Version.as_str()) {
        match v.trim().parse::<u32>() {
            Ok(n) if n <= FORMAT_VERSION && n >= 1 => {}
            Ok(n) => notes.say(
                format!("This link is format version {n}, newer than this page reads ({FORMAT_VERSION})"),
                "; values it does not know are ignored.",
            ),
            Err(_) => notes.say(
                format!("Format version \"{}\" is not a number", echo(v)),
                &format!("; read as version {FORMAT_VERSION}."),
            ),
        }
    }
    map.remove(Key::Embed.as_str());

    let mut s = Scenario::default();
    let mut mix: [Option<f64>; 4] = [None; 4];
    for field in NumField::ALL {
        let Some(text) = map.remove(field.spec().key) else {
            continue;
        };
        let value = match Scenario::parse_link(field, text) {
            Ok(v) => Some(v),
            // Ranges can narrow between versions: a link clamps a finite
            // value; a file names it.
            Err(err) => match (&err.problem, mode) {
                (InputProblem::OutOfRange(v), Mode::Lenient) => {
                    let spec = field.spec();
                    let clamped = Scenario::validate(field, v.clamp(spec.min, spec.max))
                        .unwrap_or(spec.default);
                    notes.say(err.to_string(), &format!(" Using {clamped}."));
                    Some(clamped)
                }
                _ => {
                    notes.say(err.to_string(), " The default is used.");
                    None
                }
            },
        };
        let Some(v) = value else { continue };
        match NumField::MIX.iter().position(|f| *f == field) {
            Some(i) => mix[i] = Some(v),
            None => {
                if let Err(err) = s.set(field, v) {
                    notes.say(err.to_string(), " The default is used.");
                }
            }
        }
    }
    read_mix(&mut s, mix, &mut notes);

    let mut kind = SetKind::Published;
    if let Some(v) = map.remove(Key::Set.as_str()) {
        match SetKind::from_key(v) {
            Some(k) => kind = k,
            None => notes.say(
                format!(
                    "Assumption set: \"{}\" is not one of published, article, measured.",
                    echo(v)
                ),
                " The default is used.",
            ),
        }
    }
    // Unless the link says otherwise, the article's claims count with the
    // article's figures only.
    s = s.claims_for(kind);
    for field in ChoiceField::ALL {
        if let Some(v) = map.remove(field.spec().key) {
            if let Err(e) = s.set_choice(field, v) {
                notes.say(e.to_string(), " The default is used.");
            }
        }
    }
    let mut assumptions = AssumptionSet::shipped(kind);

    let prefix = Key::FigurePrefix.as_str();
    let figure_keys: Vec<&str> = map.keys().filter(|k| k.starts_with(prefix)).collect();
    for key in figure_keys {
        let text = map.remove(key).unwrap_or_default();
        let name = &key[prefix.len()..];
        let Some(id) = AssumptionId::from_key(name) else {
            notes.say(format!("Unknown figure \"{}\"", echo(name)), " ignored.");
            continue;
        };
        match parse_range(text) {
            Some((low, typical, high)) => {
                // Checked here too, so the note quotes the text (at most 80
                // characters) rather than every digit of each number.
                let all = [low, typical, high];
                let problem = if all.iter().any(|v| !v.is_finite()) {
                    Some("has a value that is not a finite number")
                } else if all.iter().any(|v| *v < 0.0) {
                    Some("has a negative value")
                } else if !(low <= typical && typical <= high) {
                    Some("is not in the order low <= typical <= high")
                } else {
                    None
                };
                if let Some(problem) = problem {
                    notes.say(
                        format!("{}: \"{}\" {problem}", id.label(), echo(text)),
                        "; the shipped figure is used.",
                    );
                    continue;
                }
                let a = Assumption {
                    low,
                    typical,
                    high,
                    ..assumptions.get(id).clone()
                };
                if let Err(e) = assumptions.set(id, a) {
                    notes.say(
                        format!("{e} (\"{}\")", echo(text)),
                        "; the shipped figure is used.",
                    );
                }
            }
            None => notes.say(
                format!(
                    "{}: \"{}\" is not three numbers low,typical,high",
                    id.label(),
                    echo(text)
                ),
                "; the shipped figure is used.",
            ),
        }
    }

    for key in map.keys() {
        notes.say(format!("Unknown setting \"{}\"", echo(key)), " ignored.");
    }
    Decoded {
        state: State {
            scenario: s,
            assumptions,
        },
        notes: notes.lines,
    }
}

/// Applies the workload shares a link or file gave, all at once.
///
/// All four given: they are the mix (scaled to 100% if they do not add up,
/// with a note). Some left out: links written before the mix was always
/// written in full leave out the shares equal to their default, so a
/// missing share is its default when that makes 100% exactly; otherwise
/// (a hand-written `ml=20`) the given shares are kept and the missing ones
/// share the rest in proportion to their defaults, as when moved on the
/// page. Shares adding up to 0% are refused and the default mix is kept.
fn read_mix(s: &mut Scenario, mix: [Option<f64>; 4], notes: &mut Notes) {
    if mix.iter().all(Option::is_none) {
        return;
    }
    let defaults = NumField::MIX.map(|f| f.spec().default);
    let given: f64 = mix.iter().flatten().sum();
    let missing_default: f64 = mix
        .iter()
        .zip(defaults)
        .filter(|(m, _)| m.is_none())
        .map(|(_, d)| d)
        .sum();
    let filled: [f64; 4] = std::array::from_fn(|i| mix[i].unwrap_or(defaults[i]));
    let shares =
        if mix.iter().all(Option::is_some) || (given + missing_default - 100.0).abs() < 1e-9 {
            filled
        } else if given <= 100.0 && missing_default > MIX_EPSILON {
            let rest = 100.0 - given;
            std::array::from_fn(|i| mix[i].unwrap_or(defaults[i] / missing_default * rest))
        } else {
            filled
        };
    let total: f64 = shares.iter().sum();
    match s.set_mix(shares) {
        Err(_) => notes.say(
            "Workload: the workload shares add up to 0%",
            "; the defaults are used.",
        ),
        Ok(()) if (total - 100.0).abs() > 1e-9 => match notes.mode {
            Mode::Lenient => notes.lines.push(format!(
                "Workload: the shares added up to {}%; they were scaled to 100%.",
                number(total, 2)
            )),
            Mode::Strict => notes.say(
                format!(
                    "Workload: the shares add up to {}%, not 100%",
                    number(total, 2)
                ),
                "",
            ),
        },
        Ok(()) => {}
    }
}

fn parse_range(text: &str) -> Option<(f64, f64, f64)> {
    let mut parts = text.split(',').map(|p| p.trim().parse::<f64>());
    let (a, b, c) = (
        parts.next()?.ok()?,
        parts.next()?.ok()?,
        parts.next()?.ok()?,
    );
    if parts.next().is_some() {
        return None;
    }
    Some((a, b, c))
}

/// Percent-decodes one query component (`+` is a space). Invalid escapes
/// are kept as written; invalid UTF-8 is replaced.
pub fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match bytes[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < bytes.len() => {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).ok();
                match hex.and_then(|h| u8::from_str_radix(h, 16).ok()) {
                    Some(b) => {
                        out.push(b);
                        i += 2;
                    }
                    None => out.push(b'%'),
                }
            }
            b => out.push(b),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// Percent-encodes one query component: everything but unreserved
/// characters and `,` (which the figure ranges use).
pub fn percent_encode(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for b in text.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~' | b',') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// The state as a query string without the leading `?`.
pub fn to_query(state: &State) -> String {
    encode(state)
        .iter()
        .map(|(k, v)| format!("{}={}", percent_encode(k), percent_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

/// Reads a query string (with or without the leading `?`).
pub fn from_query(query: &str) -> Decoded {
    let query = query.strip_prefix('?').unwrap_or(query);
    let pairs: Vec<(String, String)> = query
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (percent_decode(k), percent_decode(v))
        })
        .collect();
    decode(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
}
