//! Reader for wrk's text report.
//!
//! wrk (`src/wrk.c`, `src/units.c` in wg/wrk) prints, in this order:
//!
//! ```text
//! Running 3s test @ http://127.0.0.1:8000/json
//!   1 threads and 16 connections
//!   Thread Stats   Avg      Stdev     Max   +/- Stdev
//!     Latency     8.13ms   11.12ms 130.62ms   90.33%
//!     Req/Sec     2.90k     1.20k    5.34k    70.00%
//!   Latency Distribution
//!      50%    5.07ms
//!      75%   11.22ms
//!      90%   18.73ms
//!      99%   52.54ms
//!   8865 requests in 3.09s, 1.67MB read
//!   Socket errors: connect 0, read 0, write 0, timeout 650
//!   Non-2xx or 3xx responses: 2134
//! Requests/sec:   2867.22
//! Transfer/sec:    551.60KB
//! ```
//!
//! The "Latency Distribution" block comes only with `--latency`, the two
//! error lines only when non-zero. Times carry a unit chosen per value:
//! `us`, `ms`, `s`, and for very long ones `m` and `h`. wrk2's report
//! (`50.000%  1.23ms` lines) reads the same way.
//!
//! Used: `Requests/sec` (required), the `Latency` row's average, the 50% and
//! 99% lines (or the highest percentile above 50), the requests line (count
//! and run length), `connections`. wrk's `complete` count includes answers
//! that were errors (HTTP >= 400, and timeouts: answers slower than
//! `--timeout`), but not connect/read/write failures; so requests finished =
//! complete + connect + read + write, and failed = connect + read + write +
//! timeout + non-2xx.

use super::validate::{RawResult, Reading};
use super::{ImportError, ImportProblem, LoadTool};

const TOOL: LoadTool = LoadTool::Wrk;

/// True if `text` has a line only wrk writes.
pub(crate) fn looks_like_wrk(text: &str) -> bool {
    text.lines().any(|line| {
        let line = line.trim();
        line.starts_with("Requests/sec:")
            || line.starts_with("Thread Stats")
            || (line.starts_with("Running ") && line.contains(" test @ "))
    })
}

/// Reads a wrk report into an unchecked result.
pub(crate) fn parse(text: &str) -> Result<RawResult, ImportError> {
    let mut rps = None;
    let mut target = None;
    let mut connections = None;
    let mut latency_avg = None;
    let mut percentiles: Vec<(f64, Reading)> = Vec::new();
    let mut requests = None;
    let mut duration = None;
    let mut socket_errors: Option<[f64; 4]> = None;
    let mut non2xx = None;
    let mut in_distribution = false;

    for line in text.lines() {
        let line = line.trim();
        if in_distribution {
            if let Some((p, reading)) = percentile_line(line)? {
                percentiles.push((p, reading));
                continue;
            }
            in_distribution = false;
        }
        if let Some(rest) = line.strip_prefix("Requests/sec:") {
            rps = Some(Reading::new(
                plain_number(rest.trim(), "Requests/sec")?,
                "Requests/sec",
            ));
        } else if let Some(rest) = line.strip_prefix("Running ") {
            if let Some((_, url)) = rest.split_once(" test @ ") {
                target = Some(url.trim().to_owned());
            }
        } else if let Some((_, rest)) = line.split_once(" threads and ") {
            if let Some(n) = rest.strip_suffix(" connections") {
                connections = Some(Reading::new(
                    plain_number(n.trim(), "connections")?,
                    "connections",
                ));
            }
        } else if line.starts_with("Latency Distribution") {
            in_distribution = true;
        } else if let Some(rest) = line.strip_prefix("Latency ") {
            // The Thread Stats row: Avg, Stdev, Max, +/- Stdev.
            if let Some(avg) = rest.split_whitespace().next() {
                latency_avg = Some(Reading::new(time_ms(avg, "Latency Avg")?, "Latency Avg"));
            }
        } else if let Some((count, rest)) = line.split_once(" requests in ") {
            requests = Some(Reading::new(
                plain_number(count.trim(), "requests")?,
                "requests",
            ));
            let run = rest.split(',').next().unwrap_or("").trim();
            duration = Some(Reading::new(
                time_ms(run, "requests in (duration)")? / 1000.0,
                "requests in (duration)",
            ));
        } else if let Some(rest) = line.strip_prefix("Socket errors:") {
            socket_errors = Some(socket_error_counts(rest)?);
        } else if let Some(rest) = line.strip_prefix("Non-2xx or 3xx responses:") {
            non2xx = Some(plain_number(rest.trim(), "Non-2xx or 3xx responses")?);
        }
    }

    let rps =
        rps.ok_or_else(|| ImportError::field(TOOL, "Requests/sec", ImportProblem::Missing))?;
    let mut raw = RawResult::new(TOOL, rps);
    raw.target = target;
    raw.connections = connections;
    raw.latency_mean_ms = latency_avg;
    raw.latency_p50_ms = percentiles
        .iter()
        .find(|(p, _)| *p == 50.0)
        .map(|(_, r)| r.clone());
    raw.latency_tail_ms = tail(&percentiles);
    if let (Some(complete), Some(duration)) = (&requests, &duration) {
        // wrk's Requests/sec is complete / runtime.
        raw.rate_basis = Some((complete.clone(), duration.clone()));
    }
    raw.duration_s = duration;

    let [connect, read, write, timeout] = socket_errors.unwrap_or([0.0; 4]);
    let non2xx = non2xx.unwrap_or(0.0);
    if let Some(complete) = &requests {
        raw.requests_total = Some(Reading::new(
            complete.value + connect + read + write,
            if connect + read + write > 0.0 {
                "requests + Socket errors (connect, read, write)"
            } else {
                "requests"
            },
        ));
    }
    if requests.is_some() || socket_errors.is_some() || non2xx > 0.0 {
        raw.errors = Some(Reading::new(
            connect + read + write + timeout + non2xx,
            "Socket errors + Non-2xx or 3xx responses",
        ));
    }
    Ok(raw)
}

/// The p99 line, or else the highest percentile above 50.
fn tail(percentiles: &[(f64, Reading)]) -> Option<(Reading, f64)> {
    if let Some((p, r)) = percentiles.iter().find(|(p, _)| *p == 99.0) {
        return Some((r.clone(), *p));
    }
    percentiles
        .iter()
        .filter(|(p, _)| *p > 50.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(p, r)| (r.clone(), *p))
}

/// A line of the Latency Distribution block, `99%   52.54ms`; `None` for
/// any other line (which ends the block).
fn percentile_line(line: &str) -> Result<Option<(f64, Reading)>, ImportError> {
    let mut parts = line.split_whitespace();
    let (Some(pct), Some(value), None) = (parts.next(), parts.next(), parts.next()) else {
        return Ok(None);
    };
    let Some(pct) = pct.strip_suffix('%') else {
        return Ok(None);
    };
    let Ok(p) = pct.parse::<f64>() else {
        return Ok(None);
    };
    if !(0.0..=100.0).contains(&p) {
        return Ok(None);
    }
    // "50.000%" (wrk2) names the same line as "50%".
    let field = format!("Latency Distribution {}%", trim_zeros(pct));
    let ms = time_ms(value, &field)?;
    Ok(Some((p, Reading::new(ms, field))))
}

/// `"50.000"` -> `"50"`, `"99.900"` -> `"99.9"`.
fn trim_zeros(pct: &str) -> &str {
    if pct.contains('.') {
        pct.trim_end_matches('0').trim_end_matches('.')
    } else {
        pct
    }
}

/// The four counts of `connect 0, read 0, write 0, timeout 650`.
fn socket_error_counts(rest: &str) -> Result<[f64; 4], ImportError> {
    let mut counts = [0.0; 4];
    for (slot, name) in ["connect", "read", "write", "timeout"].iter().enumerate() {
        let field = format!("Socket errors ({name})");
        let text = rest
            .split(',')
            .map(str::trim)
            .find_map(|part| part.strip_prefix(name))
            .ok_or_else(|| ImportError::field(TOOL, field.clone(), ImportProblem::Missing))?;
        let n = plain_number(text.trim(), &field)?;
        if n < 0.0 {
            return Err(ImportError::field(
                TOOL,
                field,
                ImportProblem::Negative { value: n },
            ));
        }
        if let Some(count) = counts.get_mut(slot) {
            *count = n;
        }
    }
    Ok(counts)
}

/// A number without a unit, as wrk prints counts and rates.
fn plain_number(text: &str, field: &str) -> Result<f64, ImportError> {
    text.parse::<f64>().map_err(|_| unparsable(text, field))
}

/// A wrk time (`66.00us`, `5.07ms`, `1.02s`, `1.50m`, `2.00h`) in
/// milliseconds. A bare number is taken as seconds, wrk's base unit for
/// run lengths.
fn time_ms(text: &str, field: &str) -> Result<f64, ImportError> {
    let split = text
        .find(|c: char| c.is_ascii_alphabetic())
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let scale = match unit {
        "us" => 0.001,
        "ms" => 1.0,
        "s" | "" => 1_000.0,
        "m" => 60_000.0,
        "h" => 3_600_000.0,
        _ => return Err(unparsable(text, field)),
    };
    let value: f64 = number.parse().map_err(|_| unparsable(text, field))?;
    Ok(value * scale)
}

fn unparsable(text: &str, field: &str) -> ImportError {
    ImportError::field(
        TOOL,
        field,
        ImportProblem::Unparsable {
            text: text.chars().take(40).collect(),
        },
    )
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn times_in_every_unit() {
        assert_eq!(time_ms("66.00us", "f").unwrap(), 0.066);
        assert_eq!(time_ms("5.07ms", "f").unwrap(), 5.07);
        assert_eq!(time_ms("1.50s", "f").unwrap(), 1500.0);
        assert_eq!(time_ms("1.00m", "f").unwrap(), 60_000.0);
        assert_eq!(time_ms("2.00h", "f").unwrap(), 7_200_000.0);
        assert_eq!(time_ms("3", "f").unwrap(), 3000.0);
        assert!(time_ms("5.07xs", "f").is_err());
        assert!(time_ms("ms", "f").is_err());
        assert!(time_ms("", "f").is_err());
        assert!(time_ms("é", "f").is_err());
    }

    #[test]
    fn wrk2_percentile_lines_name_the_short_form() {
        let (p, r) = percentile_line("50.000%    1.23ms").unwrap().unwrap();
        assert_eq!((p, r.value), (50.0, 1.23));
        assert_eq!(r.field, "Latency Distribution 50%");
        let (p, r) = percentile_line("99.900%    4.00ms").unwrap().unwrap();
        assert_eq!((p, r.field.as_str()), (99.9, "Latency Distribution 99.9%"));
        assert!(percentile_line("8865 requests in 3.09s, 1.67MB read")
            .unwrap()
            .is_none());
    }

    #[test]
    fn without_latency_flag_there_are_no_percentiles() {
        let report = "Running 1s test @ http://127.0.0.1:8000/\n  1 threads and 2 connections\n  \
                      Thread Stats   Avg      Stdev     Max   +/- Stdev\n    \
                      Latency   100.00us   20.00us   1.00ms   90.00%\n    \
                      Req/Sec    10.00k     1.00k   11.00k    70.00%\n  \
                      10000 requests in 1.00s, 1.00MB read\nRequests/sec:  10000.00\n";
        let raw = parse(report).unwrap();
        assert_eq!(raw.requests_per_second.value, 10_000.0);
        assert!(raw.latency_p50_ms.is_none() && raw.latency_tail_ms.is_none());
        assert_eq!(raw.latency_mean_ms.unwrap().value, 0.1);
        assert_eq!(raw.errors.unwrap().value, 0.0);
    }
}
