//! Importing load-test results from the files real tools write.
//!
//! Every fixture under `tests/fixtures/loadtest/` is a tool's own output
//! (see the README there for how each was made or where it came from); the
//! `corrupt/` copies are those files damaged on purpose. Good files must give
//! the numbers that are in them, damaged ones an error that names the tool
//! and the field, and no input at all may panic.

#![cfg(not(target_arch = "wasm32"))]
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use proptest::prelude::*;
use stackwise::model::fit_usl;
use stackwise::state::loadtest::{
    detect, looks_like_csv, parse, parse_measurements, parse_usl_csv, ImportError, ImportProblem,
    LoadTestResult, LoadTool,
};

fn fixture(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/loadtest")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The one result of a single-run fixture, with its label.
fn single(name: &str) -> (Option<String>, LoadTestResult) {
    let mut runs = parse(&fixture(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(runs.len(), 1, "{name}");
    runs.remove(0)
}

fn refused(name: &str) -> ImportError {
    match parse(&fixture(name)) {
        Ok(runs) => panic!("{name} was accepted: {runs:?}"),
        Err(err) => err,
    }
}

fn assert_close(actual: Option<f64>, expected: f64) {
    let actual = actual.expect("a value");
    assert!(
        (actual - expected).abs() <= 1e-9 * expected.abs().max(1.0),
        "{actual} != {expected}"
    );
}

// ------------------------------------------------------------------- k6 --

#[test]
fn k6_summary_export_with_default_trend_stats() {
    let (label, r) = single("k6-summary-export-default.json");
    assert_eq!(label, None);
    assert_eq!(r.tool, LoadTool::K6);
    assert_close(Some(r.requests_per_second), 23.738350582489275);
    assert_close(r.latency_mean_ms, 3264.992537000001);
    assert_eq!(r.latency_p50_ms, Some(3390.69845));
    // The default summary stops at p(95): the tail says so.
    assert_eq!(r.latency_p99_ms, Some(4101.811365));
    assert_eq!(r.latency_p99_percentile, Some(95.0));
    assert!(!r.has_exact_p99());
    assert_eq!(r.requests_total, Some(100));
    assert_eq!(r.errors, Some(1));
    assert_eq!(r.connections, Some(100));
    // No `state` in the legacy export: count / rate.
    assert_close(r.duration_s, 100.0 / 23.738350582489275);
    assert_eq!(r.error_rate(), Some(0.01));
}

#[test]
fn k6_summary_export_with_p99_in_its_trend_stats() {
    let (_, r) = single("k6-summary-export-p99.json");
    assert_close(Some(r.requests_per_second), 4288.100370179589);
    assert_close(r.latency_mean_ms, 19.40724789726824);
    assert_eq!(r.latency_p50_ms, Some(3.12));
    assert_close(r.latency_p99_ms, 348.6492700000003);
    assert!(r.has_exact_p99());
    assert_eq!(r.requests_total, Some(493168));
    assert_eq!(r.errors, Some(0));
    assert_eq!(r.connections, Some(174));
}

#[test]
fn k6_summary_export_with_thresholds_and_many_failures() {
    let (_, r) = single("k6-summary-export-thresholds.json");
    assert_close(Some(r.requests_per_second), 8621.047451099874);
    assert_eq!(r.latency_p50_ms, Some(10.263748));
    assert_close(r.latency_p99_ms, 269.06783674999986);
    assert_eq!(r.latency_p99_percentile, Some(95.0));
    assert_eq!(r.requests_total, Some(388556));
    assert_eq!(r.errors, Some(84495));
    assert_eq!(r.connections, Some(3097));
}

// ----------------------------------------------------------- autocannon --

#[test]
fn autocannon_json_against_fastify() {
    let (label, r) = single("autocannon-fastify-json.json");
    assert_eq!(label, None);
    assert_eq!(r.tool, LoadTool::Autocannon);
    assert_eq!(r.requests_per_second, 31773.34);
    assert_eq!(r.latency_mean_ms, Some(0.28));
    // autocannon records whole milliseconds: a fast median is 0.
    assert_eq!(r.latency_p50_ms, Some(0.0));
    assert_eq!(r.latency_p99_ms, Some(5.0));
    assert!(r.has_exact_p99());
    assert_eq!(r.requests_total, Some(95319));
    assert_eq!(r.errors, Some(0));
    assert_eq!(r.duration_s, Some(3.02));
    assert_eq!(r.connections, Some(16));
    assert_eq!(r.target.as_deref(), Some("http://127.0.0.1:18102/json"));
}

#[test]
fn autocannon_title_becomes_the_label() {
    let (label, r) = single("autocannon-fastapi-io-titled.json");
    assert_eq!(label.as_deref(), Some("fastapi/io"));
    assert_eq!(r.requests_per_second, 1519.34);
    assert_eq!(r.latency_mean_ms, Some(41.49));
    assert_eq!(r.latency_p50_ms, Some(35.0));
    assert_eq!(r.latency_p99_ms, Some(166.0));
    assert_eq!(r.requests_total, Some(4558));
    assert_eq!(r.connections, Some(64));
}

#[test]
fn autocannon_counts_non_2xx_answers_as_errors() {
    let (_, r) = single("autocannon-express-validate-422.json");
    assert_eq!(r.requests_per_second, 2596.0);
    assert_eq!(r.requests_total, Some(5191));
    assert_eq!(r.errors, Some(5191));
    assert_eq!(r.error_rate(), Some(1.0));
}

// ------------------------------------------------------------------ wrk --

#[test]
fn wrk_report_with_latency_distribution() {
    let (label, r) = single("wrk-express-json.txt");
    assert_eq!(label, None);
    assert_eq!(r.tool, LoadTool::Wrk);
    assert_eq!(r.requests_per_second, 2867.22);
    assert_eq!(r.latency_mean_ms, Some(8.13));
    assert_eq!(r.latency_p50_ms, Some(5.07));
    assert_eq!(r.latency_p99_ms, Some(52.54));
    assert!(r.has_exact_p99());
    assert_eq!(r.requests_total, Some(8865));
    assert_eq!(r.errors, Some(0));
    assert_close(r.duration_s, 3.09);
    assert_eq!(r.connections, Some(16));
    assert_eq!(r.target.as_deref(), Some("http://127.0.0.1:18101/json"));
}

#[test]
fn wrk_microseconds_are_converted() {
    let (_, r) = single("wrk-fastify-json-c1.txt");
    assert_eq!(r.requests_per_second, 4595.55);
    assert_close(r.latency_p50_ms, 0.066);
    assert_eq!(r.latency_p99_ms, Some(16.38));
    assert_eq!(r.connections, Some(1));
    assert_eq!(r.requests_total, Some(13842));
}

#[test]
fn wrk_non_2xx_answers_are_errors() {
    let (_, r) = single("wrk-fastapi-validate-422.txt");
    assert_eq!(r.requests_per_second, 1055.44);
    assert_eq!(r.requests_total, Some(2134));
    assert_eq!(r.errors, Some(2134));
}

#[test]
fn wrk_timeouts_are_errors_among_the_completed_requests() {
    let (_, r) = single("wrk-fastapi-cpu-timeouts.txt");
    assert_eq!(r.requests_per_second, 341.5);
    assert_eq!(r.latency_mean_ms, Some(614.71));
    assert_eq!(r.latency_p50_ms, Some(696.51));
    assert_eq!(r.latency_p99_ms, Some(989.33));
    assert_eq!(r.requests_total, Some(1025));
    assert_eq!(r.errors, Some(650));
    assert_eq!(r.connections, Some(800));
}

// ------------------------------------------------------------------ oha --

#[test]
fn oha_json_seconds_become_milliseconds() {
    let (label, r) = single("oha-fastify-json.json");
    assert_eq!(label, None);
    assert_eq!(r.tool, LoadTool::Oha);
    assert_close(Some(r.requests_per_second), 54448.710673963884);
    // summary.average: 0.00029289714383183877 s.
    assert_close(r.latency_mean_ms, 0.292_897_143_831_838_8);
    assert_close(r.latency_p50_ms, 0.218576);
    assert_close(r.latency_p99_ms, 1.993323);
    assert!(r.has_exact_p99());
    // Requests cut off at the end of `-z 3s` are neither done nor failed.
    assert_eq!(r.requests_total, Some(163420));
    assert_eq!(r.errors, Some(0));
    assert_eq!(r.duration_s, Some(3.001650507));
    assert_eq!(r.connections, None);
}

#[test]
fn oha_io_endpoint_waits_twenty_milliseconds() {
    let (_, r) = single("oha-fastapi-io.json");
    assert_close(Some(r.requests_per_second), 2864.744417966906);
    assert_close(r.latency_p50_ms, 21.355231);
    assert_close(r.latency_p99_ms, 43.765476);
    assert_eq!(r.requests_total, Some(8538));
    assert!(
        r.latency_p50_ms.unwrap() >= 20.0,
        "the endpoint sleeps 20 ms"
    );
}

#[test]
fn oha_counts_4xx_answers_as_errors() {
    let (_, r) = single("oha-express-validate-422.json");
    assert_eq!(r.requests_total, Some(16945));
    assert_eq!(r.errors, Some(16945));
}

// -------------------------------------------------- Stackwise bench kit --

#[test]
fn bench_kit_quick_run_gives_twelve_runs() {
    let text = fixture("stackwise-measurements-quick.json");
    let m = parse_measurements(&text).unwrap();
    assert_eq!(m.runs.len(), 12);
    assert_eq!(m.machine.cpus, Some(2));
    assert_eq!(m.machine.python.as_deref(), Some("3.11.7"));
    assert_eq!(m.machine.node.as_deref(), Some("20.20.2"));
    assert!(m.machine.tool.as_deref().unwrap().starts_with("wrk"));
    assert!(m
        .machine
        .frameworks
        .contains(&("fastapi".to_owned(), "0.165.0".to_owned())));
    for stack in ["fastapi", "express", "fastify"] {
        for endpoint in ["json", "io", "cpu", "post"] {
            let run = m
                .runs
                .iter()
                .find(|r| r.stack == stack && r.endpoint == endpoint)
                .unwrap_or_else(|| panic!("{stack}/{endpoint} missing"));
            let r = &run.result;
            assert_eq!(run.workers, 1);
            assert_eq!(run.measured_with.as_deref(), Some("wrk"));
            assert!(r.requests_per_second > 0.0);
            assert!(r.latency_p99_ms >= r.latency_p50_ms);
            assert_eq!(r.errors, Some(0), "{stack}/{endpoint}");
            let d = r.duration_s.unwrap();
            assert!((1.9..3.0).contains(&d), "--quick runs about 2 s, got {d}");
            if endpoint == "io" {
                assert!(r.latency_p50_ms.unwrap() >= 20.0, "/io waits 20 ms");
            }
        }
    }
    // The first run, figure by figure as the file has it.
    let first = &m.runs[0];
    assert_eq!(
        (first.stack.as_str(), first.endpoint.as_str()),
        ("fastapi", "json")
    );
    assert_eq!(first.result.requests_per_second, 4758.85);
    assert_eq!(first.result.latency_p50_ms, Some(12.77));
    assert_eq!(first.result.latency_p99_ms, Some(58.42));
    assert_eq!(first.result.latency_mean_ms, Some(14.5));
    assert_eq!(first.result.requests_total, Some(9579));
    assert_eq!(first.result.connections, Some(64));
}

#[test]
fn bench_kit_runs_are_labelled_stack_slash_endpoint() {
    let runs = parse(&fixture("stackwise-measurements-quick.json")).unwrap();
    let labels: Vec<_> = runs.iter().map(|(l, _)| l.clone().unwrap()).collect();
    assert_eq!(labels[0], "fastapi/json");
    assert!(labels.contains(&"fastify/post".to_owned()));
    assert!(runs.iter().all(|(_, r)| r.tool == LoadTool::Stackwise));
}

#[test]
fn measurements_with_workers_get_it_in_the_label() {
    let text = fixture("stackwise-measurements-quick.json").replacen(
        "\"workers\": 1",
        "\"workers\": 2",
        1,
    );
    let runs = parse(&text).unwrap();
    assert_eq!(runs[0].0.as_deref(), Some("fastapi/json (2 workers)"));
}

#[test]
fn measurements_errors_name_the_run_and_field() {
    let good = fixture("stackwise-measurements-quick.json");
    let cases = [
        (
            good.replacen("\"version\": 1", "\"version\": 2", 1),
            "Stackwise measurements: field `version` is 2; this Stackwise reads version 1",
        ),
        (
            good.replacen("\"stack\": \"express\"", "\"stack\": \"Express!\"", 1),
            "Stackwise measurements: field `runs[4].stack` should be a lower-case name",
        ),
        (
            good.replacen("\"requests_per_second\": 4758.85", "\"requests_per_second\": -4758.85", 1),
            "Stackwise measurements: field `runs[0].requests_per_second` is negative (-4758.85)",
        ),
        (
            good.replacen("\"p99\": 58.42", "\"p99\": 1.5", 1),
            "Stackwise measurements: field `runs[0].latency_ms.p99` (1.5) is below `runs[0].latency_ms.p50` (12.77)",
        ),
        (
            good.replacen("\"errors\": 0", "\"errors\": 9580", 1),
            "Stackwise measurements: field `runs[0].errors` (9580) is more than `runs[0].requests` (9579)",
        ),
        (
            good[..good.len() / 2].to_owned(),
            "Stackwise measurements: the JSON ends early",
        ),
    ];
    for (text, expected) in cases {
        let err = parse(&text).unwrap_err().to_string();
        assert!(err.starts_with(expected), "{err}\n  expected: {expected}");
    }
    let err = parse_measurements(&fixture("wrk-express-json.txt")).unwrap_err();
    assert!(err.to_string().contains("found wrk report"), "{err}");
}

// --------------------------------------------------------- damaged files --

/// Each damaged copy: the tool and field its error must name, and the
/// problem.
#[test]
fn damaged_files_are_refused_naming_tool_and_field() {
    let cases: &[(&str, LoadTool, Option<&str>, &str)] = &[
        (
            "corrupt/k6-truncated.json",
            LoadTool::K6,
            None,
            "ends early",
        ),
        (
            "corrupt/k6-negative-rate.json",
            LoadTool::K6,
            Some("metrics.http_reqs.rate"),
            "is negative (-23.73835",
        ),
        (
            "corrupt/k6-p95-below-med.json",
            LoadTool::K6,
            Some("metrics.http_req_duration.p(95)"),
            "is below `metrics.http_req_duration.med`",
        ),
        (
            "corrupt/k6-more-failures-than-requests.json",
            LoadTool::K6,
            Some("metrics.http_req_failed.passes"),
            "(101) is more than `metrics.http_reqs.count` (100)",
        ),
        (
            "corrupt/k6-rate-as-string.json",
            LoadTool::K6,
            Some("metrics.http_reqs.rate"),
            "should be a number but is a string",
        ),
        (
            "corrupt/autocannon-truncated.json",
            LoadTool::Autocannon,
            None,
            "ends early",
        ),
        (
            "corrupt/autocannon-missing-requests-average.json",
            LoadTool::Autocannon,
            Some("requests.average"),
            "is missing",
        ),
        (
            "corrupt/autocannon-average-null.json",
            LoadTool::Autocannon,
            Some("requests.average"),
            "should be a number but is null",
        ),
        (
            "corrupt/autocannon-zero-rps.json",
            LoadTool::Autocannon,
            Some("requests.average"),
            "is zero",
        ),
        (
            "corrupt/autocannon-negative-non2xx.json",
            LoadTool::Autocannon,
            Some("non2xx"),
            "is negative (-5)",
        ),
        (
            "corrupt/autocannon-text-table.txt",
            LoadTool::Autocannon,
            None,
            "run it again with `--json`",
        ),
        (
            "corrupt/wrk-truncated.txt",
            LoadTool::Wrk,
            Some("Requests/sec"),
            "is missing",
        ),
        (
            "corrupt/wrk-negative-rps.txt",
            LoadTool::Wrk,
            Some("Requests/sec"),
            "is negative (-3)",
        ),
        (
            "corrupt/wrk-rps-nan.txt",
            LoadTool::Wrk,
            Some("Requests/sec"),
            "is not a finite number",
        ),
        (
            "corrupt/wrk-p99-below-p50.txt",
            LoadTool::Wrk,
            Some("Latency Distribution 99%"),
            "(4) is below Latency Distribution 50% (5.07)",
        ),
        (
            "corrupt/wrk-bad-unit.txt",
            LoadTool::Wrk,
            Some("Latency Distribution 50%"),
            "is not a number: \"5.07xs\"",
        ),
        (
            "corrupt/oha-truncated.json",
            LoadTool::Oha,
            None,
            "ends early",
        ),
        (
            "corrupt/oha-negative-rps.json",
            LoadTool::Oha,
            Some("summary.requestsPerSec"),
            "is negative",
        ),
        (
            "corrupt/oha-p99-below-p50.json",
            LoadTool::Oha,
            Some("latencyPercentiles.p99"),
            "is below `latencyPercentiles.p50`",
        ),
        (
            "corrupt/oha-percentile-as-string.json",
            LoadTool::Oha,
            Some("latencyPercentiles.p50"),
            "should be a number but is a string",
        ),
        (
            "corrupt/oha-text-summary.txt",
            LoadTool::Oha,
            None,
            "run it again with `--output-format json`",
        ),
    ];
    for (name, tool, field, problem) in cases {
        let err = refused(name);
        let message = err.to_string();
        assert_eq!(err.tool, Some(*tool), "{name}: {message}");
        assert_eq!(err.field.as_deref(), *field, "{name}: {message}");
        assert!(message.starts_with(tool.source_name()), "{name}: {message}");
        if let Some(field) = field {
            assert!(message.contains(field), "{name}: {message}");
        }
        assert!(
            message.contains(problem),
            "{name}: {message}\n  expected: {problem}"
        );
    }
}

#[test]
fn the_exact_sentences_users_see() {
    assert_eq!(
        refused("corrupt/autocannon-missing-requests-average.json").to_string(),
        "autocannon JSON: field `requests.average` is missing"
    );
    assert_eq!(
        refused("corrupt/wrk-negative-rps.txt").to_string(),
        "wrk report: Requests/sec is negative (-3)"
    );
    assert_eq!(
        refused("corrupt/not-a-load-test.json").to_string(),
        "not a recognised load-test result (expected k6, autocannon, wrk or oha output, \
         a Stackwise measurements file, or a CSV of load,throughput rows)"
    );
}

#[test]
fn empty_and_unrelated_files_are_refused() {
    assert_eq!(refused("corrupt/empty.txt").problem, ImportProblem::Empty);
    assert_eq!(
        refused("corrupt/whitespace.txt").problem,
        ImportProblem::Empty
    );
    for name in [
        "corrupt/not-a-load-test.json",
        "corrupt/not-a-load-test.txt",
    ] {
        let err = refused(name);
        assert_eq!(err.tool, None, "{name}");
        assert_eq!(err.problem, ImportProblem::NotRecognised, "{name}");
    }
    assert!(matches!(
        parse("{\"metrics\": 1,").unwrap_err().problem,
        ImportProblem::Truncated { .. }
    ));
    assert!(matches!(
        parse("{\"a\": nope}").unwrap_err().problem,
        ImportProblem::InvalidJson { .. }
    ));
    assert_eq!(
        parse("[1, 2]").unwrap_err().problem,
        ImportProblem::NotRecognised
    );
    let huge = " ".repeat(stackwise::state::loadtest::MAX_INPUT_BYTES + 1);
    assert!(matches!(
        parse(&huge).unwrap_err().problem,
        ImportProblem::TooLarge { .. }
    ));
}

#[test]
fn detect_tells_every_fixture_apart() {
    let cases = [
        ("k6-summary-export-default.json", Some(LoadTool::K6)),
        ("autocannon-fastify-json.json", Some(LoadTool::Autocannon)),
        ("wrk-express-json.txt", Some(LoadTool::Wrk)),
        ("oha-fastify-json.json", Some(LoadTool::Oha)),
        (
            "stackwise-measurements-quick.json",
            Some(LoadTool::Stackwise),
        ),
        ("corrupt/k6-truncated.json", Some(LoadTool::K6)),
        ("corrupt/oha-truncated.json", Some(LoadTool::Oha)),
        (
            "corrupt/autocannon-text-table.txt",
            Some(LoadTool::Autocannon),
        ),
        ("corrupt/oha-text-summary.txt", Some(LoadTool::Oha)),
        ("corrupt/not-a-load-test.txt", None),
        ("corrupt/empty.txt", None),
    ];
    for (name, tool) in cases {
        assert_eq!(detect(&fixture(name)), tool, "{name}");
    }
    // A byte-order mark and CRLF line ends, as editors on Windows save.
    let wrk = fixture("wrk-express-json.txt").replace('\n', "\r\n");
    let (_, r) = parse(&format!("\u{feff}{wrk}")).unwrap().remove(0);
    assert_eq!(r.requests_per_second, 2867.22);
}

#[test]
fn tool_labels() {
    let labels: Vec<_> = [
        LoadTool::K6,
        LoadTool::Autocannon,
        LoadTool::Wrk,
        LoadTool::Oha,
        LoadTool::Stackwise,
    ]
    .iter()
    .map(LoadTool::label)
    .collect();
    assert_eq!(labels, ["k6", "autocannon", "wrk", "oha", "Stackwise"]);
}

// ------------------------------------------------------ never panic --

const GOOD_FIXTURES: &[&str] = &[
    "k6-summary-export-default.json",
    "k6-summary-export-p99.json",
    "k6-summary-export-thresholds.json",
    "autocannon-fastify-json.json",
    "autocannon-fastapi-io-titled.json",
    "wrk-express-json.txt",
    "wrk-fastapi-cpu-timeouts.txt",
    "oha-fastify-json.json",
    "stackwise-measurements-quick.json",
];

/// What every accepted result must satisfy, whatever the input.
fn assert_plausible(results: &[(Option<String>, LoadTestResult)]) {
    for (_, r) in results {
        assert!(r.requests_per_second.is_finite() && r.requests_per_second > 0.0);
        for v in [
            r.latency_mean_ms,
            r.latency_p50_ms,
            r.latency_p99_ms,
            r.duration_s,
        ]
        .into_iter()
        .flatten()
        {
            assert!(v.is_finite() && v >= 0.0);
        }
        if let (Some(p50), Some(tail)) = (r.latency_p50_ms, r.latency_p99_ms) {
            assert!(tail >= p50);
        }
        if let (Some(errors), Some(total)) = (r.errors, r.requests_total) {
            assert!(errors <= total);
        }
        assert_eq!(
            r.latency_p99_ms.is_some(),
            r.latency_p99_percentile.is_some()
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn parse_never_panics_on_arbitrary_text(text in any::<String>()) {
        if let Ok(results) = parse(&text) {
            assert_plausible(&results);
        }
        let _ = detect(&text);
        let _ = parse_measurements(&text);
        if let Ok(csv) = parse_usl_csv(&text) {
            prop_assert!(csv.points.iter().all(|p| p.load >= 1 && p.throughput > 0.0));
        }
    }

    #[test]
    fn a_csv_never_panics_and_keeps_only_good_rows(
        rows in prop::collection::vec(("[0-9x.eE+\\-]{0,6}", "[0-9naNinf.,\"-]{0,8}"), 0..12)
    ) {
        let mut text = String::from("load,throughput\n");
        for (load, throughput) in &rows {
            text.push_str(&format!("{load},{throughput}\n"));
        }
        match parse_usl_csv(&text) {
            Ok(csv) => {
                prop_assert_eq!(csv.points.len(), rows.len());
                prop_assert!(csv.points.iter().all(|p| p.throughput.is_finite() && p.throughput > 0.0));
            }
            Err(e) => prop_assert!(!e.problems.is_empty()),
        }
    }

    #[test]
    fn parse_never_panics_on_json_like_text(text in r#"[{}\[\]",:0-9.eE+\- a-z_()%/\n]{0,200}"#) {
        if let Ok(results) = parse(&text) {
            assert_plausible(&results);
        }
    }

    /// Real files cut short or with a stretch replaced: the cases an
    /// upload or a hand edit produces.
    #[test]
    fn parse_never_panics_on_damaged_real_files(
        which in 0..GOOD_FIXTURES.len(),
        cut in any::<prop::sample::Index>(),
        start in any::<prop::sample::Index>(),
        len in 0usize..16,
        insert in r#"[-0-9.eE"{}:,\[\] a-zA-Z%µ]{0,8}"#,
    ) {
        let text = fixture(GOOD_FIXTURES[which]);
        let chars: Vec<char> = text.chars().collect();
        let truncated: String = chars[..cut.index(chars.len() + 1)].iter().collect();
        if let Ok(results) = parse(&truncated) {
            assert_plausible(&results);
        }
        let at = start.index(chars.len() + 1);
        let end = (at + len).min(chars.len());
        let edited: String = chars[..at]
            .iter()
            .chain(insert.chars().collect::<Vec<_>>().iter())
            .chain(chars[end..].iter())
            .collect();
        if let Ok(results) = parse(&edited) {
            assert_plausible(&results);
        }
    }
}

// ------------------------------------------- cut-off and implausible --

#[test]
fn a_wrk_report_cut_inside_requests_per_sec_is_refused_not_read_as_28() {
    let full = fixture("wrk-express-json.txt");
    let cut = full.find("Requests/sec:   2867.22").unwrap() + "Requests/sec:   28".len();
    let err = parse(&full[..cut]).unwrap_err();
    let text = err.to_string();
    assert_eq!(err.field.as_deref(), Some("Requests/sec"));
    assert!(
        text.contains("(28)") && text.contains("8865 / 3.09 s"),
        "{text}"
    );
}

#[test]
fn every_tool_s_rate_must_agree_with_its_requests_over_duration() {
    for (name, path) in [
        ("oha-fastify-json.json", ["summary", "requestsPerSec"]),
        ("autocannon-fastify-json.json", ["requests", "average"]),
    ] {
        let mut doc: serde_json::Value = serde_json::from_str(&fixture(name)).unwrap();
        let rate = &mut doc[path[0]][path[1]];
        *rate = serde_json::json!(rate.as_f64().unwrap() / 10.0);
        let err = parse(&doc.to_string()).unwrap_err();
        assert!(err.to_string().contains("does not match"), "{name}: {err}");
    }
}

#[test]
fn implausible_rates_and_latencies_are_refused_with_the_value() {
    let text = fixture("oha-fastify-json.json").replace(
        "\"requestsPerSec\": 54448.710673963884",
        "\"requestsPerSec\": 0.0001",
    );
    let err = parse(&text).unwrap_err();
    assert!(err.to_string().contains("implausible (0.0001)"), "{err}");
    let report = "Running 1s test @ http://h/\n  1 threads and 2 connections\n  \
                  Thread Stats   Avg      Stdev     Max   +/- Stdev\n    \
                  Latency     2.00h   20.00us   1.00ms   90.00%\nRequests/sec:  10000.00\n";
    let err = parse(report).unwrap_err();
    assert_eq!(err.field.as_deref(), Some("Latency Avg"));
    assert!(err.to_string().contains("implausible (7200000)"), "{err}");
    let err = parse(
        &report
            .replace("2.00h", "2.00ms")
            .replace("10000.00", "200000000"),
    )
    .unwrap_err();
    assert!(err.to_string().contains("implausible (200000000)"), "{err}");
}

#[test]
fn an_autocannon_file_without_latency_names_the_missing_field() {
    let mut doc: serde_json::Value =
        serde_json::from_str(&fixture("autocannon-fastify-json.json")).unwrap();
    doc.as_object_mut().unwrap().remove("latency");
    let err = parse(&doc.to_string()).unwrap_err();
    assert_eq!(err.tool, Some(LoadTool::Autocannon));
    assert_eq!(
        err.to_string(),
        "autocannon JSON: field `latency` is missing"
    );
}

#[test]
fn measurements_versions_zero_and_one_point_zero_get_the_same_message() {
    let good = fixture("stackwise-measurements-quick.json");
    let message = |version: &str| {
        let text = good.replacen("\"version\": 1", &format!("\"version\": {version}"), 1);
        parse(&text).unwrap_err().to_string().replace(version, "V")
    };
    assert_eq!(message("0"), message("1.0"));
    assert!(message("0").contains("reads version 1"), "{}", message("0"));
}

// ------------------------------------------------------- load,throughput --

#[test]
fn r_usl_data_sets_read_and_fit_as_r_does() {
    // specsdm91 as R's write.csv writes it (quoted header, row names, CRLF):
    // summary(usl(throughput ~ load, specsdm91)) gives alpha 0.0277, beta
    // 0.000104, gamma 90.0 and a peak of 1,884 at load 96.5.
    let text = fixture("usl-specsdm91.csv");
    assert!(looks_like_csv(&text));
    let csv = parse_usl_csv(&text).unwrap();
    assert_eq!(csv.points.len(), 7);
    let u = fit_usl(&csv.pairs()).unwrap();
    assert!((u.sigma - 0.0277).abs() < 5e-5, "{u:?}");
    assert!((u.kappa - 0.000104).abs() < 5e-7, "{u:?}");
    assert!((u.gamma - 90.0).abs() < 0.05, "{u:?}");
    let (n, x) = u.peak().unwrap();
    assert!(
        (n - 96.5).abs() < 0.05 && (x - 1884.0).abs() < 1.0,
        "{n} {x}"
    );
    // raytracer, its `processors` column named `load`: alpha 0.0578, no
    // coherency, gamma 21.85.
    let u = fit_usl(
        &parse_usl_csv(&fixture("usl-raytracer.csv"))
            .unwrap()
            .pairs(),
    )
    .unwrap();
    assert!((u.sigma - 0.0578).abs() < 5e-5 && u.kappa < 1e-7, "{u:?}");
    assert!((u.gamma - 21.85).abs() < 0.005, "{u:?}");
    // Not a load tool's file: parse says so, and names the CSV.
    assert!(parse(&text)
        .unwrap_err()
        .to_string()
        .contains("a CSV of load,throughput rows"));
}

#[test]
fn a_csv_with_any_bad_row_imports_nothing_and_names_each() {
    let err = parse_usl_csv(&fixture("corrupt/usl-bad-rows.csv")).unwrap_err();
    assert_eq!(
        err.to_string(),
        "load,throughput CSV: line 3, column 2 (throughput): -78 is outside above 0 and at most \
         100,000,000 requests per second; line 4, column 2 (throughput): \"abc\" is not a number"
    );
}
