//! Bad input never freezes, corrupts or misleads: links, typed fields,
//! imported files and saved scenarios. Each regression test is named after
//! the bug it pins; the property tests state the rule the bugs broke.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use proptest::prelude::*;
use stackwise::model::format::{money, number, significant};
use stackwise::model::{
    estimate, AssumptionSet, ChoiceField, Currency, Estimate, InstancePreset, ModelPreset,
    NumField, Scenario, WorkloadPreset,
};
use stackwise::state::codec::{from_query, to_query, State};
use stackwise::state::export::{import_json, to_json};
use stackwise::state::saved::{Library, Saved};

fn shares(s: &Scenario) -> [f64; 4] {
    NumField::MIX.map(|f| s.get(f))
}

/// Every number of an estimate a user can see, for finiteness checks.
fn visible_numbers(e: &Estimate) -> Vec<f64> {
    let mut out = Vec::new();
    for st in &e.stacks {
        out.extend([
            st.throughput_per_instance,
            st.memory_per_instance_mib,
            st.monthly.compute,
            st.monthly.memory,
            st.monthly.gpu,
            st.infra_horizon,
            st.people.total(),
            st.total,
            st.p99_ms,
            st.instances as f64,
        ]);
        out.extend(st.cumulative.iter().copied());
    }
    out
}

// ---------------------------------------------------- 3. NaN from a link --

#[test]
fn a_denormal_share_with_zero_others_does_not_store_infinity_or_nan() {
    let decoded = from_query("?json=5e-324&io=0&cpu=0&ml=0");
    let s = &decoded.state.scenario;
    assert_eq!(
        shares(s),
        shares(&Scenario::default()),
        "the defaults are used"
    );
    assert!(
        decoded
            .notes
            .iter()
            .any(|n| n.contains("the workload shares add up to 0%; the defaults are used")),
        "{:?}",
        decoded.notes
    );
    let link = to_query(&decoded.state);
    assert!(!link.contains("inf") && !link.contains("NaN"), "{link}");
    let e = estimate(s, &decoded.state.assumptions);
    assert!(visible_numbers(&e).iter().all(|v| v.is_finite()));
}

#[test]
fn shares_scaled_up_to_100_do_not_overshoot_and_reopen_out_of_range() {
    let decoded = from_query("?json=11&io=0&cpu=0&ml=0");
    assert_eq!(decoded.state.scenario.get(NumField::JsonShare), 100.0);
    let again = from_query(&to_query(&decoded.state));
    assert!(again.notes.is_empty(), "{:?}", again.notes);
    assert_eq!(again.state, decoded.state);
}

// ------------------------------- 4. Links reopen what they showed ----------

#[test]
fn a_link_leaving_out_a_default_share_reopens_the_same_mix() {
    // Written by the old writer (ml = 0 is the default, so it was left out).
    let decoded = from_query("?v=1&json=56&io=40&cpu=4");
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    assert_eq!(
        shares(&decoded.state.scenario),
        [56.0, 40.0, 4.0, 0.0],
        "not json 54.7, io 41.3"
    );
}

#[test]
fn a_mix_with_one_share_at_its_default_round_trips() {
    let mut s = Scenario::default();
    s.set_mix([56.0, 25.0, 19.0, 0.0]).unwrap();
    let state = State {
        scenario: s,
        ..State::default()
    };
    let back = from_query(&to_query(&state));
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    assert_eq!(back.state, state);
}

#[test]
fn an_old_hand_written_link_with_one_share_keeps_the_others_in_proportion() {
    let decoded = from_query("v=1&ml=20");
    let [json, io, cpu, ml] = shares(&decoded.state.scenario);
    assert_eq!(ml, 20.0);
    assert!((json - 56.0).abs() < 1e-9 && (io - 20.0).abs() < 1e-9 && (cpu - 4.0).abs() < 1e-9);
}

// ------------------------------------------------- 6. Decimal comma -------

#[test]
fn a_decimal_comma_in_a_link_is_refused_not_read_as_fifteen() {
    let decoded = from_query("v=1&peak=1,5");
    assert_eq!(decoded.state.scenario.get(NumField::PeakRatio), 3.0);
    let notes = decoded.notes.join("\n");
    assert!(notes.contains("Peak-to-average ratio"), "{notes}");
    assert!(notes.contains("\"1,5\""), "{notes}");
    assert!(notes.contains("comma"), "{notes}");
}

#[test]
fn a_typed_decimal_comma_is_read_as_a_decimal_and_said() {
    let typed = Scenario::read_typed(NumField::PeakRatio, "0,5");
    // 0.5 is below the range: the error names 0.5, not 5.
    assert!(typed.unwrap_err().to_string().contains("0.5 is outside"));
    let typed = Scenario::read_typed(NumField::PeakRatio, "1,5").unwrap();
    assert_eq!(typed.value, 1.5);
    assert_eq!(typed.read_as.as_deref(), Some("Read as 1.5."));
    let typed = Scenario::read_typed(NumField::AvgRps, "1,200").unwrap();
    assert_eq!((typed.value, typed.read_as.as_deref()), (1200.0, None));
    let typed = Scenario::read_typed(NumField::AvgRps, "1.234,56").unwrap();
    assert_eq!(typed.value, 1234.56);
    assert!(Scenario::read_typed(NumField::AvgRps, "1,2,3").is_err());
}

// ----------------------------- 7. The JSON import reads only the file ------

fn export() -> String {
    let e = estimate(&Scenario::default(), &AssumptionSet::published());
    to_json(&State::default(), &e)
}

#[test]
fn an_import_with_a_boolean_rps_is_refused_not_read_as_one() {
    let bad = export().replace("\"rps\": 200.0", "\"rps\": true");
    let errors = import_json(&bad).unwrap_err();
    let all = errors.join("\n");
    assert!(all.contains("scenario.rps"), "{all}");
    assert!(
        !all.contains("default is used") && !all.contains("Using 1"),
        "{all}"
    );
}

/// The export with one part replaced.
fn export_with(path: &[&str], value: serde_json::Value) -> String {
    let mut doc: serde_json::Value = serde_json::from_str(&export()).unwrap();
    let mut here = &mut doc;
    for key in path {
        here = &mut here[*key];
    }
    *here = value;
    doc.to_string()
}

#[test]
fn an_import_with_malformed_assumptions_is_refused_not_ignored() {
    use serde_json::json;
    for (path, value, field) in [
        (&["assumptions", "set"][..], json!(3), "assumptions.set"),
        (
            &["assumptions", "edited"][..],
            json!([1]),
            "assumptions.edited",
        ),
        (&["assumptions"][..], json!("x"), "assumptions"),
        (
            &["assumptions", "edited"][..],
            json!({"fastapi.json_us": "1,2,3"}),
            "assumptions.edited.fastapi.json_us",
        ),
    ] {
        let all = import_json(&export_with(path, value))
            .unwrap_err()
            .join("\n");
        assert!(all.starts_with(field), "{all}");
    }
}

#[test]
fn an_import_with_a_duplicate_key_is_refused_not_last_wins() {
    let bad = export().replace("\"rps\": 200.0", "\"rps\": 200.0, \"rps\": 900");
    let all = import_json(&bad).unwrap_err().join("\n");
    assert!(
        all.contains("rps") && all.contains("more than once"),
        "{all}"
    );
}

#[test]
fn an_import_with_an_empty_scenario_is_refused_not_a_reset() {
    let bad = export_with(&["scenario"], serde_json::json!({}));
    let all = import_json(&bad).unwrap_err().join("\n");
    assert!(all.contains("scenario") && all.contains("empty"), "{all}");
}

#[test]
fn a_refused_import_never_says_a_default_or_clamp_is_used() {
    let bad = export()
        .replace("\"rps\": 200.0", "\"rps\": 1e12")
        .replace("\"peak\": 3.0", "\"peak\": \"lots\"");
    let all = import_json(&bad).unwrap_err().join("\n");
    assert!(all.contains("Average requests per second"), "{all}");
    for misleading in ["default is used", "Using ", "using "] {
        assert!(!all.contains(misleading), "{all}");
    }
}

// ------------------------------------ 8. Messages stay short and named -----

#[test]
fn a_ten_megabyte_value_gives_a_short_note() {
    let huge = "9".repeat(10 * 1024 * 1024);
    let decoded = from_query(&format!("v=1&peak=x{huge}&cur={huge}&{huge}=1"));
    for note in &decoded.notes {
        assert!(note.len() < 400, "{} bytes", note.len());
    }
    let bad = export().replace("\"peak\": 3.0", &format!("\"peak\": \"{huge}\""));
    for problem in import_json(&bad).unwrap_err() {
        assert!(problem.len() < 400, "{} bytes", problem.len());
    }
}

#[test]
fn a_saved_store_whose_items_is_an_object_says_it_is_not_a_list() {
    let lib = Library::read(Some(r#"{"version":1,"items":{"name":"x"}}"#));
    assert!(lib.notes[0].contains("not a list"), "{:?}", lib.notes);
    assert_eq!(lib.set_aside.len(), 1);
}

#[test]
fn saved_store_versions_zero_and_one_point_zero_get_the_same_message() {
    let zero = Library::read(Some(r#"{"version":0,"items":[]}"#));
    let float = Library::read(Some(r#"{"version":1.0,"items":[]}"#));
    assert_eq!(zero.set_aside.len(), 1);
    assert_eq!(float.set_aside.len(), 1);
    let strip = |n: &str| n.replace("1.0", "V").replace('0', "V");
    assert_eq!(strip(&zero.notes[0]), strip(&float.notes[0]));
    assert!(
        zero.notes[0].contains("reads version 1"),
        "{}",
        zero.notes[0]
    );
}

#[test]
fn an_edited_figure_that_is_not_finite_names_the_figure_and_value() {
    let decoded = from_query("v=1&a.fastapi.json_us=1,inf,3");
    let notes = decoded.notes.join("\n");
    assert!(notes.contains("FastAPI"), "{notes}");
    assert!(notes.contains("\"1,inf,3\""), "{notes}");
    let tiny = format!("0.{}1", "0".repeat(300));
    let decoded = from_query(&format!("v=1&a.fastapi.json_us={tiny},20,{tiny}"));
    assert!(decoded.notes[0].len() < 300, "{}", decoded.notes[0]);
    assert!(
        decoded.notes[0].contains("low <= typical <= high"),
        "{}",
        decoded.notes[0]
    );
}

// ---------------------------------------- 9. No negative zero or dust ------

#[test]
fn zero_prices_show_zero_not_minus_zero() {
    assert_eq!(money(-1.9e-10, Currency::Usd), "$0");
    assert_eq!(money(-0.0, Currency::Usd), "$0");
    assert_eq!(money(-0.004, Currency::Usd), "-$0.004");
    assert_eq!(number(-0.0, 2), "0");
    assert_eq!(significant(-1e-12), "0");
}

#[test]
fn a_price_below_a_cent_shows_its_significant_digits() {
    assert_eq!(money(0.004445, Currency::Usd), "$0.0044");
    assert_eq!(money(0.04048, Currency::Usd), "$0.04");
    assert_eq!(money(12.5, Currency::Eur), "€12.50");
}

#[test]
fn negative_zero_is_stored_as_zero() {
    let mut s = Scenario::default();
    s.set(NumField::PriceVcpuHour, -0.0).unwrap();
    assert!(s.get(NumField::PriceVcpuHour).is_sign_positive());
    let decoded = from_query("v=1&pvcpu=-0&ml=-0");
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    let s = &decoded.state.scenario;
    assert!(s.get(NumField::PriceVcpuHour).is_sign_positive());
    assert!(!to_query(&decoded.state).contains("-0"));
}

// ------------------------------------------------------ properties --------

/// A value as a user reaches it on the page: typed round numbers, slider
/// steps, the ends of the range.
fn page_value(field: NumField) -> impl Strategy<Value = f64> {
    let spec = field.spec();
    let (min, max, step) = (spec.min, spec.max, spec.step);
    prop_oneof![
        Just(min),
        Just(max),
        Just(spec.default),
        (0u32..=1000).prop_map(move |i| {
            let v = min + (max - min) * f64::from(i) / 1000.0;
            ((v / step).round() * step).clamp(min, max)
        }),
        (0.0f64..=1.0).prop_map(move |u| min + u * (max - min)),
    ]
}

/// One thing a user does on the page.
#[derive(Clone, Debug)]
enum Action {
    Set(NumField, f64),
    Choose(ChoiceField, prop::sample::Index),
    Instance(usize),
    Model(usize),
    Workload(usize),
}

fn action() -> impl Strategy<Value = Action> {
    prop_oneof![
        6 => prop::sample::select(NumField::ALL.to_vec())
            .prop_flat_map(|f| page_value(f).prop_map(move |v| Action::Set(f, v))),
        4 => prop::sample::select(NumField::MIX.to_vec())
            .prop_flat_map(|f| prop_oneof![Just(0.0), Just(100.0), (0u32..=100).prop_map(f64::from), 0.0f64..100.0]
                .prop_map(move |v| Action::Set(f, v))),
        2 => (prop::sample::select(ChoiceField::ALL.to_vec()), any::<prop::sample::Index>())
            .prop_map(|(f, i)| Action::Choose(f, i)),
        1 => (0..InstancePreset::ALL.len()).prop_map(Action::Instance),
        1 => (0..ModelPreset::ALL.len()).prop_map(Action::Model),
        1 => (0..WorkloadPreset::ALL.len()).prop_map(Action::Workload),
    ]
}

/// A state reachable in the page: the default, then a few actions.
fn reachable() -> impl Strategy<Value = State> {
    prop::collection::vec(action(), 0..12).prop_map(|actions| {
        let mut s = Scenario::default();
        for a in actions {
            match a {
                Action::Set(f, v) => {
                    let _ = s.set(f, v);
                }
                Action::Choose(f, i) => {
                    let options = f.options();
                    s.set_choice(f, options[i.index(options.len())].key)
                        .unwrap();
                }
                Action::Instance(i) => InstancePreset::ALL[i].apply(&mut s),
                Action::Model(i) => ModelPreset::ALL[i].apply(&mut s),
                Action::Workload(i) => WorkloadPreset::ALL[i].apply(&mut s),
            }
        }
        State {
            scenario: s,
            ..State::default()
        }
    })
}

/// Text that tries to be a number: huge, tiny, signed zeros, NaN and
/// infinity spellings, commas.
fn wild_number() -> impl Strategy<Value = String> {
    prop_oneof![
        prop::sample::select(vec![
            "5e-324",
            "-5e-324",
            "1e-300",
            "1e308",
            "1.7976931348623157e308",
            "1e309",
            "-1e309",
            "NaN",
            "nan",
            "inf",
            "-inf",
            "Infinity",
            "-Infinity",
            "infinity",
            "-0",
            "+0",
            "0",
            "0.0",
            "-0.0",
            "100",
            "100.00000000000001",
            "99.99999999999999",
            "1,5",
            "0,5",
            "1,200",
            "",
            " ",
            "1e",
            ".",
            "-",
            "0x10",
            "1_000",
        ])
        .prop_map(str::to_string),
        any::<f64>().prop_map(|v| format!("{v}")),
        (-1e6f64..1e6).prop_map(|v| format!("{v}")),
    ]
}

proptest! {
    // `BAD_INPUT_CASES=20000 cargo test --test bad_input` for a long run.
    #![proptest_config(ProptestConfig::with_cases(
        std::env::var("BAD_INPUT_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(256)
    ))]

    #[test]
    fn links_and_saved_scenarios_reopen_exactly_what_they_showed(state in reachable()) {
        let query = to_query(&state);
        let link = from_query(&query);
        prop_assert!(link.notes.is_empty(), "{query}: {:?}", link.notes);
        prop_assert_eq!(&link.state, &state, "{}", query);

        let mut lib = Library::default();
        lib.save(Saved { name: "s".into(), query, saved: "2026-12-03".into() });
        let stored = Library::read(Some(&lib.write()));
        let saved = from_query(&stored.items[0].query);
        prop_assert_eq!(&saved.state, &state);

        let a = estimate(&state.scenario, &state.assumptions);
        prop_assert_eq!(&a, &estimate(&link.state.scenario, &link.state.assumptions));
        prop_assert_eq!(&a, &estimate(&saved.state.scenario, &saved.state.assumptions));
    }

    #[test]
    fn no_link_puts_a_non_finite_value_anywhere(
        values in prop::collection::vec(
            (prop::sample::select(NumField::ALL.to_vec()), wild_number()), 0..8),
    ) {
        let query = values
            .iter()
            .map(|(f, v)| format!("{}={v}", f.spec().key))
            .collect::<Vec<_>>()
            .join("&");
        let decoded = from_query(&query);
        let s = &decoded.state.scenario;
        for field in NumField::ALL {
            let v = s.get(field);
            let spec = field.spec();
            prop_assert!(v.is_finite() && v >= spec.min && v <= spec.max, "{query}: {} = {v}", spec.key);
            prop_assert!(!(v == 0.0 && v.is_sign_negative()), "{query}: -0 in {}", spec.key);
        }
        let total: f64 = shares(s).iter().sum();
        prop_assert!((total - 100.0).abs() < 1e-9, "{query}: shares sum to {total}");
        let link = to_query(&decoded.state);
        for (_, value) in link.split('&').filter_map(|p| p.split_once('=')) {
            let ok = value.parse::<f64>().map_or(true, |v| v.is_finite() && !(v == 0.0 && v.is_sign_negative()));
            prop_assert!(ok, "{query} wrote {link}");
        }
        let again = from_query(&link);
        prop_assert!(again.notes.is_empty(), "{link}: {:?}", again.notes);
        prop_assert_eq!(&again.state, &decoded.state);
        let e = estimate(s, &decoded.state.assumptions);
        prop_assert!(visible_numbers(&e).iter().all(|v| v.is_finite()), "{query}");
    }
}

#[test]
fn a_measured_run_with_a_vanishing_rate_names_the_run_and_the_value() {
    use stackwise::model::{Framework, LoadKind, MeasuredClass, Measurement};
    let run = Measurement {
        framework: Framework::Fastify,
        class: MeasuredClass::Json,
        endpoint: "json".into(),
        load: 1,
        load_kind: LoadKind::Workers,
        requests_per_second: 5e-324,
        latency_p99_ms: None,
        connections: None,
        source: "wrk, run.txt".into(),
    };
    let err = AssumptionSet::with_measurements(&[run]).unwrap_err();
    assert!(
        err.contains("wrk, run.txt") && err.contains("5e-324"),
        "{err}"
    );
    assert!(err.len() < 200, "{err}");
}

#[test]
fn zero_prices_export_no_negative_zero_in_the_csv() {
    let decoded = from_query("v=1&pvcpu=0&pgib=0&pgpu=0");
    let e = estimate(&decoded.state.scenario, &decoded.state.assumptions);
    let csv = stackwise::state::export::to_csv(&e);
    for cell in csv.split([',', '\r', '\n']) {
        assert!(
            !(cell.starts_with('-') && cell.trim_start_matches(['-', '0', '.']).is_empty()),
            "{cell} in {csv}"
        );
    }
    for st in &e.stacks {
        assert_eq!(
            money(st.infra_horizon, Currency::Usd),
            "$0",
            "{}",
            st.infra_horizon
        );
    }
}

#[test]
fn a_link_keeps_a_repeated_keys_last_value_and_names_unknown_settings_in_its_order() {
    // By hand: "rps" given twice, 300 then 500, so 500 is used and one note
    // says so; "zz" and "aa" are unknown and named as the link gives them.
    let decoded = from_query("?rps=300&zz=1&rps=500&aa=2");
    assert_eq!(decoded.state.scenario.get(NumField::AvgRps), 500.0);
    let notes = decoded.notes.join("\n");
    assert!(
        notes.contains("\"rps\" was given more than once"),
        "{notes}"
    );
    let (zz, aa) = (notes.find("\"zz\""), notes.find("\"aa\""));
    assert!(zz.is_some() && aa.is_some() && zz < aa, "{notes}");
}
