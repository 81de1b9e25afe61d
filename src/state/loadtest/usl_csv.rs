//! A CSV of `load,throughput` rows: runs of one framework and endpoint at
//! several loads, for a fit of the Universal Scalability Law.
//!
//! This module owns reading that file and nothing after it: which framework
//! the rows measured, and what the fit makes of them, are decided by the
//! page and the model. The form is the one R's `usl` package takes
//! (`usl(throughput ~ load, data)`, data written by `write.csv`):
//!
//! ```text
//! load,throughput
//! 1,955.16
//! 2,1878.91
//! ```
//!
//! - A header is required: the first line that is not blank names the
//!   columns. `load` and `throughput` must be among them (any case, quoted
//!   or not, in any order); other columns, such as R's unnamed row-name
//!   column, are ignored.
//! - `load` counts workers, cores or concurrent users: a whole number, 1 to
//!   1,000,000. `throughput` is requests per second, above 0 and at most
//!   100 million.
//! - Commas separate fields; a field may be quoted (`"1"`, with `""` for a
//!   quote inside). Numbers use a decimal point. Blank lines are skipped; a
//!   byte-order mark and CRLF line ends are fine.
//!
//! Reading is in two steps, like the other readers here: a lenient pass
//! (`read`) splits lines into fields and remembers where each came from,
//! then one conversion (`validate`) checks every cell and names the line,
//! the column and the value of each one that is wrong. A file with any bad
//! row imports nothing; every problem is listed (the first
//! [`MAX_PROBLEMS`], then how many more). Nothing here panics on any input.

use std::fmt;

use crate::model::echo;

/// The most rows a file may hold: a load test's runs are tens, not
/// thousands, and the fit reads every row on each of its steps.
pub const MAX_ROWS: usize = 10_000;

/// The highest load read: a million workers, cores or users.
pub const MAX_LOAD: f64 = 1_000_000.0;

/// Problems listed one by one before the rest are counted.
pub const MAX_PROBLEMS: usize = 20;

/// The columns a file must have.
const LOAD: &str = "load";
const THROUGHPUT: &str = "throughput";

/// One row of the file, validated.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct UslPoint {
    /// Line of the file, from 1.
    pub line: usize,
    /// Workers, cores or concurrent users: a whole number from 1.
    pub load: u32,
    /// Requests per second, above 0.
    pub throughput: f64,
}

/// A `load,throughput` file, validated: at least one row, every one good.
#[derive(Clone, Debug, PartialEq)]
pub struct UslCsv {
    /// The rows, in file order.
    pub points: Vec<UslPoint>,
}

impl UslCsv {
    /// The rows as `(load, throughput)` pairs, as the fit takes them.
    pub fn pairs(&self) -> Vec<(f64, f64)> {
        self.points
            .iter()
            .map(|p| (f64::from(p.load), p.throughput))
            .collect()
    }
}

/// Where a cell is: its line, and its column by number (from 1) and name.
#[derive(Clone, Debug, PartialEq)]
pub struct Cell {
    /// Line of the file, from 1.
    pub line: usize,
    /// Column, from 1.
    pub column: usize,
    /// The column's name in the header.
    pub name: &'static str,
}

impl fmt::Display for Cell {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "line {}, column {} ({})",
            self.line, self.column, self.name
        )
    }
}

/// What is wrong with a `load,throughput` file or one of its cells.
#[derive(Clone, Debug, PartialEq)]
pub enum CsvProblem {
    /// The file is empty or holds only blank lines.
    Empty,
    /// The file is larger than [`super::MAX_INPUT_BYTES`].
    TooLarge {
        /// Its size in bytes.
        bytes: usize,
    },
    /// The first line holds numbers, not column names: a header must come
    /// first.
    NoHeader {
        /// Line of the first row, from 1.
        line: usize,
        /// What it holds.
        found: String,
    },
    /// The header is separated by something other than commas (semicolons
    /// or tabs).
    NotCommas {
        /// The separator found, in words.
        separator: &'static str,
    },
    /// The header does not name a required column.
    MissingColumn {
        /// The column missing.
        name: &'static str,
        /// The header as found.
        header: String,
    },
    /// The header names a required column twice.
    RepeatedColumn {
        /// The column named twice.
        name: &'static str,
        /// Its two positions, from 1.
        columns: (usize, usize),
    },
    /// A quoted field does not close on its line.
    UnclosedQuote {
        /// Line, from 1.
        line: usize,
    },
    /// A row ends before a required column.
    MissingField {
        /// Where the value should be.
        cell: Cell,
    },
    /// A cell is not a number.
    NotANumber {
        /// Where.
        cell: Cell,
        /// The text as found.
        text: String,
    },
    /// A cell spells NaN or an infinity, or a number too large to hold.
    NotFinite {
        /// Where.
        cell: Cell,
        /// The text as found.
        text: String,
    },
    /// A load that is not a whole number of workers, cores or users.
    NotWhole {
        /// Where.
        cell: Cell,
        /// The value.
        value: f64,
    },
    /// A value outside what a run can give.
    OutOfRange {
        /// Where.
        cell: Cell,
        /// The value.
        value: f64,
        /// What is allowed, in words.
        allowed: &'static str,
    },
    /// A header and no row.
    NoRows,
    /// More rows than [`MAX_ROWS`] (reading stops there).
    TooManyRows,
}

impl fmt::Display for CsvProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CsvProblem::Empty => write!(f, "the file is empty"),
            CsvProblem::TooLarge { bytes } => write!(
                f,
                "the file is too large ({bytes} bytes; at most {})",
                super::MAX_INPUT_BYTES
            ),
            CsvProblem::NoHeader { line, found } => write!(
                f,
                "line {line}: \"{}\" holds numbers; the first line must be a header naming the columns {LOAD} and {THROUGHPUT}",
                echo(found)
            ),
            CsvProblem::NotCommas { separator } => write!(
                f,
                "the header is separated by {separator}; separate the columns with commas"
            ),
            CsvProblem::MissingColumn { name, header } => write!(
                f,
                "line 1: the header \"{}\" has no column named {name}; it needs {LOAD} and {THROUGHPUT}",
                echo(header)
            ),
            CsvProblem::RepeatedColumn { name, columns } => write!(
                f,
                "the header names {name} twice, in columns {} and {}",
                columns.0, columns.1
            ),
            CsvProblem::UnclosedQuote { line } => {
                write!(f, "line {line}: a quoted field does not close on its line")
            }
            CsvProblem::MissingField { cell } => write!(f, "{cell}: the row ends before it"),
            CsvProblem::NotANumber { cell, text } => {
                write!(f, "{cell}: \"{}\" is not a number", echo(text))?;
                if text.contains(',') {
                    write!(f, " (write numbers with a decimal point)")?;
                }
                Ok(())
            }
            CsvProblem::NotFinite { cell, text } => {
                write!(f, "{cell}: \"{}\" is not a finite number", echo(text))
            }
            CsvProblem::NotWhole { cell, value } => write!(
                f,
                "{cell}: {value} is not a whole number of workers, cores or users"
            ),
            CsvProblem::OutOfRange {
                cell,
                value,
                allowed,
            } => write!(f, "{cell}: {value} is outside {allowed}"),
            CsvProblem::NoRows => write!(f, "the file has a header but no rows"),
            CsvProblem::TooManyRows => write!(
                f,
                "the file has more than {MAX_ROWS} rows, the most a fit reads"
            ),
        }
    }
}

/// A `load,throughput` file that could not be imported: every problem
/// found, the first [`MAX_PROBLEMS`] of them named.
#[derive(Clone, Debug, PartialEq)]
pub struct CsvError {
    /// The problems, in file order.
    pub problems: Vec<CsvProblem>,
    /// Problems found beyond those listed.
    pub more: usize,
}

impl CsvError {
    fn one(problem: CsvProblem) -> CsvError {
        CsvError {
            problems: vec![problem],
            more: 0,
        }
    }
}

impl fmt::Display for CsvError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "load,throughput CSV: ")?;
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                write!(f, "; ")?;
            }
            write!(f, "{p}")?;
        }
        if self.more > 0 {
            write!(f, "; and {} more", self.more)?;
        }
        Ok(())
    }
}

impl std::error::Error for CsvError {}

/// Whether `text` looks like a CSV of columns rather than a load tool's
/// output: its first line that is not blank has a comma, a semicolon or a
/// tab between fields and does not open a JSON document. Said from the
/// content alone; the fit's reader then says what is wrong with it, if
/// anything.
pub fn looks_like_csv(text: &str) -> bool {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let Some(first) = text.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return false;
    };
    !first.starts_with(['{', '['])
        && (first.contains(',') || first.contains(';') || first.contains('\t'))
        && !first.starts_with("Running ")
}

/// Reads a `load,throughput` file. See the module documentation for the
/// form; the error lists every problem, naming line, column and value.
pub fn parse_usl_csv(text: &str) -> Result<UslCsv, CsvError> {
    validate(read(text)?)
}

/// The file split into fields, nothing checked but its shape.
#[derive(Debug, PartialEq)]
struct RawTable {
    /// Line of the header, from 1.
    header_line: usize,
    /// The header's fields, unquoted and trimmed.
    header: Vec<String>,
    /// Every other line that is not blank: its number and its fields.
    rows: Vec<(usize, Vec<String>)>,
}

/// Splits the file into lines and fields. Refuses only what has no shape
/// at all: an empty or oversized file, or a line with an unclosed quote.
fn read(text: &str) -> Result<RawTable, CsvError> {
    if text.len() > super::MAX_INPUT_BYTES {
        return Err(CsvError::one(CsvProblem::TooLarge { bytes: text.len() }));
    }
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text
        .lines()
        .enumerate()
        .map(|(i, l)| (i + 1, l))
        .filter(|(_, l)| !l.trim().is_empty());
    let Some((header_line, header)) = lines.next() else {
        return Err(CsvError::one(CsvProblem::Empty));
    };
    let header = fields(header).ok_or(CsvError::one(CsvProblem::UnclosedQuote {
        line: header_line,
    }))?;
    let mut rows = Vec::new();
    let mut unclosed = Vec::new();
    for (line, text) in lines {
        if rows.len() + unclosed.len() > MAX_ROWS {
            break;
        }
        match fields(text) {
            Some(cells) => rows.push((line, cells)),
            None => unclosed.push(CsvProblem::UnclosedQuote { line }),
        }
    }
    if !unclosed.is_empty() {
        return Err(listed(unclosed));
    }
    Ok(RawTable {
        header_line,
        header,
        rows,
    })
}

/// The fields of one line, unquoted and trimmed; `None` when a quoted
/// field does not close.
fn fields(line: &str) -> Option<Vec<String>> {
    let mut out = Vec::new();
    let mut field = String::new();
    let mut chars = line.chars().peekable();
    let mut quoted = false;
    let mut was_quoted = false;
    while let Some(c) = chars.next() {
        if quoted {
            match c {
                '"' if chars.peek() == Some(&'"') => {
                    field.push('"');
                    chars.next();
                }
                '"' => quoted = false,
                _ => field.push(c),
            }
        } else {
            match c {
                '"' if field.trim().is_empty() && !was_quoted => {
                    field.clear();
                    quoted = true;
                    was_quoted = true;
                }
                ',' => {
                    out.push(finish(&field, was_quoted));
                    field.clear();
                    was_quoted = false;
                }
                _ => field.push(c),
            }
        }
    }
    if quoted {
        return None;
    }
    out.push(finish(&field, was_quoted));
    Some(out)
}

/// A field as read: quoted text as it is, unquoted text trimmed.
fn finish(field: &str, quoted: bool) -> String {
    if quoted {
        field.trim_end().to_string()
    } else {
        field.trim().to_string()
    }
}

/// `problems` as an error: the first [`MAX_PROBLEMS`], then a count.
fn listed(mut problems: Vec<CsvProblem>) -> CsvError {
    let more = problems.len().saturating_sub(MAX_PROBLEMS);
    problems.truncate(MAX_PROBLEMS);
    CsvError { problems, more }
}

/// Checks the header and every cell of the two columns read.
fn validate(raw: RawTable) -> Result<UslCsv, CsvError> {
    let find = |name: &'static str| -> Result<usize, CsvProblem> {
        let mut at = raw
            .header
            .iter()
            .enumerate()
            .filter(|(_, h)| h.eq_ignore_ascii_case(name))
            .map(|(i, _)| i);
        match (at.next(), at.next()) {
            (Some(i), None) => Ok(i),
            (Some(i), Some(j)) => Err(CsvProblem::RepeatedColumn {
                name,
                columns: (i + 1, j + 1),
            }),
            (None, _) => Err(CsvProblem::MissingColumn {
                name,
                header: raw.header.join(","),
            }),
        }
    };
    let (load_at, throughput_at) = match (find(LOAD), find(THROUGHPUT)) {
        (Ok(l), Ok(t)) => (l, t),
        (l, t) => {
            let joined = raw.header.join(",");
            // A first line of numbers is data, not a header.
            if raw.header.iter().all(|h| h.parse::<f64>().is_ok()) {
                return Err(CsvError::one(CsvProblem::NoHeader {
                    line: raw.header_line,
                    found: joined,
                }));
            }
            if raw.header.len() == 1 {
                let separator = if joined.contains(';') {
                    Some("semicolons")
                } else if joined.contains('\t') {
                    Some("tabs")
                } else {
                    None
                };
                if let Some(separator) = separator {
                    return Err(CsvError::one(CsvProblem::NotCommas { separator }));
                }
            }
            return Err(listed([l.err(), t.err()].into_iter().flatten().collect()));
        }
    };
    if raw.rows.is_empty() {
        return Err(CsvError::one(CsvProblem::NoRows));
    }
    if raw.rows.len() > MAX_ROWS {
        return Err(CsvError::one(CsvProblem::TooManyRows));
    }
    let mut points = Vec::with_capacity(raw.rows.len());
    let mut problems = Vec::new();
    for (line, cells) in &raw.rows {
        let cell = |at: usize, name: &'static str| Cell {
            line: *line,
            column: at + 1,
            name,
        };
        let load = number(cells, cell(load_at, LOAD)).and_then(|(v, c)| {
            if v.fract() != 0.0 {
                Err(CsvProblem::NotWhole { cell: c, value: v })
            } else if !(1.0..=MAX_LOAD).contains(&v) {
                Err(CsvProblem::OutOfRange {
                    cell: c,
                    value: v,
                    allowed: "1 to 1,000,000 workers, cores or users",
                })
            } else {
                // Whole and within 1..=1,000,000: the cast is exact.
                Ok(v as u32)
            }
        });
        let throughput = number(cells, cell(throughput_at, THROUGHPUT)).and_then(|(v, c)| {
            if v > 0.0 && v <= super::validate::MAX_PLAUSIBLE_RPS {
                Ok(v)
            } else {
                Err(CsvProblem::OutOfRange {
                    cell: c,
                    value: v,
                    allowed: "above 0 and at most 100,000,000 requests per second",
                })
            }
        });
        match (load, throughput) {
            (Ok(load), Ok(throughput)) => points.push(UslPoint {
                line: *line,
                load,
                throughput,
            }),
            (l, t) => problems.extend([l.err(), t.err()].into_iter().flatten()),
        }
    }
    if !problems.is_empty() {
        return Err(listed(problems));
    }
    Ok(UslCsv { points })
}

/// The number in `cells` at `cell`'s column, finite, or what is wrong.
fn number(cells: &[String], cell: Cell) -> Result<(f64, Cell), CsvProblem> {
    let Some(text) = cells.get(cell.column - 1) else {
        return Err(CsvProblem::MissingField { cell });
    };
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok((if v == 0.0 { 0.0 } else { v }, cell)),
        Ok(_) => Err(CsvProblem::NotFinite {
            cell,
            text: text.clone(),
        }),
        Err(_) => Err(CsvProblem::NotANumber {
            cell,
            text: text.clone(),
        }),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn problems(text: &str) -> Vec<String> {
        parse_usl_csv(text)
            .unwrap_err()
            .problems
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn reads_load_and_throughput_and_ignores_other_columns() {
        let csv = parse_usl_csv("load,throughput,p99_ms\n1,955.2,12\n2,1878.9,13\n\n4,3548,15\n")
            .unwrap();
        assert_eq!(
            csv.points,
            vec![
                UslPoint {
                    line: 2,
                    load: 1,
                    throughput: 955.2
                },
                UslPoint {
                    line: 3,
                    load: 2,
                    throughput: 1878.9
                },
                UslPoint {
                    line: 5,
                    load: 4,
                    throughput: 3548.0
                },
            ]
        );
        assert_eq!(csv.pairs()[2], (4.0, 3548.0));
    }

    #[test]
    fn reads_what_r_write_csv_writes() {
        // write.csv(specsdm91): a quoted header with an unnamed row-name
        // column, quoted row names, CRLF line ends, the columns in any case.
        let text = "\u{feff}\"\",\"Load\",\"Throughput\"\r\n\"1\",1,64.9\r\n\"2\",18,995.9\r\n";
        let csv = parse_usl_csv(text).unwrap();
        assert_eq!(csv.pairs(), vec![(1.0, 64.9), (18.0, 995.9)]);
        // Throughput before load.
        let csv = parse_usl_csv("throughput,load\n100,1\n").unwrap();
        assert_eq!(csv.pairs(), vec![(1.0, 100.0)]);
    }

    #[test]
    fn every_bad_row_is_named_by_line_column_and_value() {
        let text = "load,throughput\n1,100\nx,200\n3,-5\n4,NaN\n2.5,300\n0,10\n6\n7,\"1,5\"\n";
        assert_eq!(
            problems(text),
            vec![
                "line 3, column 1 (load): \"x\" is not a number",
                "line 4, column 2 (throughput): -5 is outside above 0 and at most 100,000,000 requests per second",
                "line 5, column 2 (throughput): \"NaN\" is not a finite number",
                "line 6, column 1 (load): 2.5 is not a whole number of workers, cores or users",
                "line 7, column 1 (load): 0 is outside 1 to 1,000,000 workers, cores or users",
                "line 8, column 2 (throughput): the row ends before it",
                "line 9, column 2 (throughput): \"1,5\" is not a number (write numbers with a decimal point)",
            ]
        );
    }

    #[test]
    fn the_header_is_required_and_named_when_wrong() {
        assert_eq!(
            problems("1,100\n2,190\n"),
            vec!["line 1: \"1,100\" holds numbers; the first line must be a header naming the columns load and throughput"]
        );
        assert_eq!(
            problems("processors,throughput\n1,20\n"),
            vec!["line 1: the header \"processors,throughput\" has no column named load; it needs load and throughput"]
        );
        assert_eq!(
            problems("load;throughput\n1;20\n"),
            vec!["the header is separated by semicolons; separate the columns with commas"]
        );
        assert_eq!(
            problems("load,throughput,LOAD\n1,2,3\n"),
            vec!["the header names load twice, in columns 1 and 3"]
        );
        assert_eq!(
            problems("load,throughput\n"),
            vec!["the file has a header but no rows"]
        );
        assert_eq!(problems(" \n\n"), vec!["the file is empty"]);
        assert_eq!(
            problems("load,throughput\n1,\"2\n"),
            vec!["line 2: a quoted field does not close on its line"]
        );
    }

    #[test]
    fn long_lists_are_cut_and_long_values_echoed_short() {
        let mut text = String::from("load,throughput\n");
        for _ in 0..30 {
            text.push_str("x,1\n");
        }
        let err = parse_usl_csv(&text).unwrap_err();
        assert_eq!(err.problems.len(), MAX_PROBLEMS);
        assert_eq!(err.more, 10);
        assert!(err.to_string().ends_with("; and 10 more"), "{err}");
        let long = format!("load,throughput\n1,{}\n", "9".repeat(400));
        let message = parse_usl_csv(&long).unwrap_err().to_string();
        assert!(message.contains("is not a finite number"), "{message}");
        assert!(message.len() < 250, "{message}");
    }

    #[test]
    fn too_many_rows_are_refused_before_reading_them_all() {
        let mut text = String::from("load,throughput\n");
        for i in 0..=MAX_ROWS + 5 {
            text.push_str(&format!("{},{}\n", i % 64 + 1, 100 + i));
        }
        assert_eq!(
            parse_usl_csv(&text).unwrap_err().problems,
            vec![CsvProblem::TooManyRows]
        );
    }

    #[test]
    fn tells_a_csv_from_a_load_tool_s_output() {
        assert!(looks_like_csv("load,throughput\n1,2\n"));
        assert!(looks_like_csv("\n\nload;throughput\n"));
        assert!(!looks_like_csv("{\"load\": 1, \"throughput\": 2}"));
        assert!(!looks_like_csv(
            "Running 10s test @ http://127.0.0.1:8080/json\n  1 threads and 64 connections\n"
        ));
        assert!(!looks_like_csv(""));
    }
}
