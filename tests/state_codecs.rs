//! Links, exports and saved scenarios: they round-trip, they never panic on
//! hostile input, and what they refuse is named.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod common;

use common::scenario;
use proptest::prelude::*;
use stackwise::model::{
    estimate, Assumption, AssumptionId, AssumptionSet, Balancing, ChoiceField, Currency,
    CurrentStack, DeployTarget, FigureKind, Framework, MlDevice, NodeMajor, NumField, Pick,
    Scenario, SetKind, Stack,
};
use stackwise::state::codec::{from_query, to_query, Key, State};
use stackwise::state::export::{import_json, to_csv, to_json};
use stackwise::state::saved::{Library, Saved};

/// Any valid scenario with either shipped set, one figure edited.
fn state() -> impl Strategy<Value = State> {
    (scenario(), any::<bool>(), 0.5f64..2.0).prop_map(|(s, article, edit)| {
        let mut assumptions = AssumptionSet::shipped(if article {
            SetKind::Article
        } else {
            SetKind::Published
        });
        let id = AssumptionId::Framework(Framework::Fastify, FigureKind::JsonCpuUs);
        let a = assumptions.get(id).clone();
        let typical = (a.typical * edit).clamp(a.low, a.high);
        assumptions.set(id, Assumption { typical, ..a }).unwrap();
        State {
            scenario: s,
            assumptions,
        }
    })
}

proptest! {
    #[test]
    fn links_round_trip_exactly(state in state()) {
        let decoded = from_query(&to_query(&state));
        prop_assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
        prop_assert_eq!(&decoded.state, &state);
        // Same numbers, not just the same inputs.
        let a = estimate(&state.scenario, &state.assumptions);
        let b = estimate(&decoded.state.scenario, &decoded.state.assumptions);
        prop_assert_eq!(a, b);
    }

    #[test]
    fn any_query_opens_without_panicking(query in ".{0,300}") {
        let decoded = from_query(&query);
        let e = estimate(&decoded.state.scenario, &decoded.state.assumptions);
        prop_assert_eq!(e.stacks.len(), Stack::ALL.len());
    }

    #[test]
    fn plausible_but_wrong_values_are_named(key in prop::sample::select(
        NumField::ALL.iter().map(|f| f.spec().key).collect::<Vec<_>>()),
        junk in "[a-z%]{1,8}") {
        let decoded = from_query(&format!("v=1&{key}={junk}"));
        prop_assert_eq!(decoded.notes.len(), 1);
        let label = NumField::from_key(key).unwrap().spec().label;
        prop_assert!(decoded.notes[0].starts_with(label), "{}", decoded.notes[0]);
    }

    #[test]
    fn exports_import_back(state in state()) {
        let e = estimate(&state.scenario, &state.assumptions);
        let json = to_json(&state, &e);
        let back = import_json(&json).unwrap();
        prop_assert_eq!(back, state);
    }

    #[test]
    fn any_text_imports_without_panicking(text in ".{0,400}") {
        let _ = import_json(&text);
        let _ = Library::read(Some(&text));
    }
}

#[test]
fn input_keys_never_collide_with_the_link_s_own_keys() {
    let own = [Key::Version, Key::Set, Key::Embed].map(Key::as_str);
    let inputs = NumField::ALL
        .iter()
        .map(|f| f.spec().key)
        .chain(ChoiceField::ALL.iter().map(|f| f.spec().key));
    for key in inputs {
        assert!(!own.contains(&key), "{key}");
        assert!(!key.starts_with(Key::FigurePrefix.as_str()), "{key}");
    }
}

#[test]
fn default_link_is_short() {
    assert_eq!(to_query(&State::default()), "v=1");
}

#[test]
fn version_one_links_keep_working() {
    // A link as version 1 writes it; pinned so a later change cannot break it.
    let link = "v=1&rps=5000&ml=20&now=express&node=22&set=article&a.fastify.json_us=10,20,60";
    let decoded = from_query(link);
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    let s = &decoded.state.scenario;
    assert_eq!(s.get(NumField::AvgRps), 5000.0);
    assert!((s.get(NumField::MlShare) - 20.0).abs() < 1e-9);
    assert_eq!(s.current, CurrentStack::Running(Stack::Express));
    assert_eq!(decoded.state.assumptions.kind, SetKind::Article);
    let id = AssumptionId::Framework(Framework::Fastify, FigureKind::JsonCpuUs);
    assert_eq!(decoded.state.assumptions.get(id).typical, 20.0);
}

#[test]
fn a_framework_s_own_usl_figures_travel_beside_the_shared_ones() {
    // A link written before frameworks had their own coefficients keeps
    // its meaning: the shared coefficient, for every framework.
    let old = from_query("v=1&a.shared.usl_alpha=0.05,0.06,0.07");
    assert!(old.notes.is_empty(), "{:?}", old.notes);
    let f = old.state.assumptions.resolve(Pick::Typical);
    for fw in Framework::ALL {
        assert_eq!(f.of(fw, FigureKind::UslAlpha), 0.06, "{fw:?}");
    }
    // A framework's own coefficient is a key of its own.
    let link =
        "v=1&set=measured&a.fastify.usl_alpha=0.01,0.02,0.03&a.fastify.usl_beta=0,0.0001,0.0004";
    let decoded = from_query(link);
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    let set = &decoded.state.assumptions;
    let f = set.resolve(Pick::Typical);
    assert_eq!(f.of(Framework::Fastify, FigureKind::UslAlpha), 0.02);
    assert_eq!(f.of(Framework::Express, FigureKind::UslAlpha), 0.025);
    assert!(set.is_edited(AssumptionId::Framework(
        Framework::Fastify,
        FigureKind::UslBeta
    )));
    // It comes back the same from the link the page writes, and from an
    // export.
    assert_eq!(from_query(&to_query(&decoded.state)).state, decoded.state);
    let e = estimate(&decoded.state.scenario, set);
    assert_eq!(
        import_json(&to_json(&decoded.state, &e)).unwrap(),
        decoded.state
    );
}

/// A scenario with every choice away from its default, as
/// [`every_choice_link`] writes it.
fn every_choice_state() -> State {
    let mut state = State::default();
    let s = &mut state.scenario;
    s.currency = Currency::Eur;
    s.current = CurrentStack::Running(Stack::NestJs);
    s.ml_device = MlDevice::Gpu;
    s.balancing = Balancing::LeastOutstanding;
    s.node = NodeMajor::V20;
    s.uvicorn_access_log = false;
    s.productivity_effects = true;
    s.set(NumField::AvgRps, 1234.5).unwrap();
    s.set(NumField::MlShare, 10.0).unwrap();
    state
}

/// The link version 1 writes for [`every_choice_state`]: every key and value
/// as written before the choices had a catalogue, pinned so they never move.
const EVERY_CHOICE_LINK: &str = "v=1&json=62.99999999999999&io=22.5&cpu=4.5&ml=10&rps=1234.5\
    &cur=EUR&now=nestjs&device=gpu&lb=lor&node=20&accesslog=0&productivity=1";

#[test]
fn every_choice_keeps_its_link_key_and_value() {
    let state = every_choice_state();
    assert_eq!(to_query(&state), EVERY_CHOICE_LINK);
    let decoded = from_query(EVERY_CHOICE_LINK);
    assert!(decoded.notes.is_empty(), "{:?}", decoded.notes);
    assert_eq!(decoded.state, state);

    // The article's set starts the claims on: switching them off is written.
    let mut article = State {
        assumptions: AssumptionSet::article(),
        ..State::default()
    };
    article.scenario = article.scenario.claims_for(SetKind::Article);
    article.scenario.productivity_effects = false;
    article.scenario.currency = Currency::Jpy;
    article.scenario.node = NodeMajor::V22;
    let link = "v=1&cur=JPY&node=22&productivity=0&set=article";
    assert_eq!(to_query(&article), link);
    assert_eq!(from_query(link).state, article);
}

#[test]
fn the_export_keeps_its_scenario_keys_and_kinds() {
    let state = every_choice_state();
    let e = estimate(&state.scenario, &state.assumptions);
    let doc: serde_json::Value = serde_json::from_str(&to_json(&state, &e)).unwrap();
    let expected: serde_json::Value = serde_json::from_str(
        r#"{"accesslog":"0","cpu":4.5,"cpums":1.0,"cur":"EUR","devcost":120000.0,
        "device":"gpu","gpubatch":8.0,"gpumem":16.0,"growth":30.0,"horizon":3.0,
        "infms":60.0,"integrations":5.0,"io":22.5,"iowait":20.0,"js":70.0,
        "json":62.99999999999999,"lb":"lor","memgib":4.0,"ml":10.0,"modelmib":256.0,
        "node":"20","now":"nestjs","p99":300.0,"peak":3.0,"pgib":0.004445,
        "pgpu":0.526,"productivity":"1","pvcpu":0.04048,"py":40.0,"replicas":2.0,
        "rps":1234.5,"team":6.0,"timeline":12.0,"util":65.0,"vcpu":2.0,"vector":0.0}"#,
    )
    .unwrap();
    // Every key and value as before; an input added since adds its own key.
    let scenario = doc["scenario"].as_object().unwrap();
    for (key, value) in expected.as_object().unwrap() {
        assert_eq!(scenario.get(key), Some(value), "{key}");
    }
    for key in scenario.keys() {
        assert!(
            NumField::from_key(key).is_some() || ChoiceField::from_key(key).is_some(),
            "{key}"
        );
    }
    assert_eq!(
        doc["assumptions"],
        serde_json::json!({ "set": "published", "edited": {} })
    );
}

#[test]
fn a_hostile_link_opens_the_valid_part_with_notes() {
    let decoded = from_query(
        "v=1&rps=NaN&peak=%3Cscript%3E&team=12&cur=XXX&a.fastapi.json_us=9,1,2&bogus=1&rps=300",
    );
    let s = &decoded.state.scenario;
    assert_eq!(s.get(NumField::TeamSize), 12.0, "the valid part is kept");
    assert_eq!(
        s.get(NumField::AvgRps),
        300.0,
        "the last of a repeated key wins"
    );
    assert_eq!(
        s.get(NumField::PeakRatio),
        NumField::PeakRatio.spec().default
    );
    let notes = decoded.notes.join("\n");
    assert!(
        notes.contains("Peak-to-average ratio: \"<script>\" is not a number"),
        "{notes}"
    );
    assert!(
        notes.contains("Currency: \"XXX\" is not one of USD, EUR"),
        "{notes}"
    );
    assert!(
        notes.contains("FastAPI: CPU per JSON/CRUD request"),
        "{notes}"
    );
    assert!(notes.contains("\"bogus\""), "{notes}");
}

#[test]
fn out_of_range_link_values_are_clamped_and_said() {
    let decoded = from_query("v=1&peak=500");
    assert_eq!(decoded.state.scenario.get(NumField::PeakRatio), 50.0);
    assert!(decoded.notes[0].contains("Using 50"), "{:?}", decoded.notes);
}

#[test]
fn a_link_from_a_newer_version_says_so() {
    let decoded = from_query("v=7&rps=100");
    assert!(decoded.notes[0].contains("newer"));
    assert_eq!(decoded.state.scenario.get(NumField::AvgRps), 100.0);
}

#[test]
fn csv_has_a_row_per_stack_with_units() {
    let e = estimate(&Scenario::default(), &AssumptionSet::published());
    let csv = to_csv(&e);
    let lines: Vec<&str> = csv.lines().collect();
    assert_eq!(lines.len(), 1 + Stack::ALL.len());
    assert!(lines[0].contains("Monthly total (USD)"));
    assert!(lines[0].contains("Total over 3 years (USD)"));
    let columns = lines[0].split(',').count();
    for line in &lines[1..] {
        assert_eq!(line.split(',').count(), columns, "{line}");
    }
    assert!(lines[1].starts_with("FastAPI,"));
}

#[test]
fn csv_says_which_figures_are_the_api_instance_s_and_which_service_set_the_count() {
    // 9,000 req/s at the peak, 30% inference: Express's API rests on its
    // two minimum replicas, its ML sidecar's 140-odd instances on the
    // scale-out lag, and the sidecar's reason is the stack's (estimate/tests.rs,
    // a_stack_of_several_services_names_the_service_that_set_its_count).
    let mut s = Scenario::default();
    s.set(NumField::MlShare, 30.0).unwrap();
    s.set(NumField::AvgRps, 3_000.0).unwrap();
    let csv = to_csv(&estimate(&s, &AssumptionSet::published()));
    let lines: Vec<Vec<&str>> = csv.lines().map(|l| l.split(',').collect()).collect();
    let header = &lines[0];
    assert_eq!(header[1], "Throughput per API instance (req/s)");
    assert_eq!(header[3], "Memory per API instance (MiB)");
    let sized = header.iter().position(|h| *h == "Sized by").unwrap();
    let express = lines.iter().find(|l| l[0] == "Express").unwrap();
    assert_eq!(express[sized], "ML sidecar: scale-out lag");
}

#[test]
fn a_bad_import_names_every_bad_field() {
    let e = estimate(&Scenario::default(), &AssumptionSet::published());
    let good = to_json(&State::default(), &e);
    let bad = good
        .replace("\"rps\": 200.0", "\"rps\": -5")
        .replace("\"cur\": \"USD\"", "\"cur\": \"DOGE\"");
    let errors = import_json(&bad).unwrap_err();
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(errors
        .iter()
        .any(|e| e.starts_with("Average requests per second")));
    assert!(errors.iter().any(|e| e.contains("DOGE")));
    let wrong_kind = import_json("{\"format\":\"stackwise-measurements\"}").unwrap_err();
    assert!(wrong_kind[0].contains("not a Stackwise export"));
    assert!(import_json("{\"format\": \"stackwise-export\", \"ver").is_err());
}

#[test]
fn an_import_reads_a_switch_written_as_true_or_false_and_no_other_choice() {
    let e = estimate(&Scenario::default(), &AssumptionSet::published());
    let good = to_json(&State::default(), &e);
    let switched = good
        .replace("\"accesslog\": \"1\"", "\"accesslog\": false")
        .replace("\"productivity\": \"0\"", "\"productivity\": true");
    let state = import_json(&switched).unwrap();
    assert!(!state.scenario.uvicorn_access_log);
    assert!(state.scenario.productivity_effects);
    let listed = good.replace("\"device\": \"cpu\"", "\"device\": true");
    assert_eq!(
        import_json(&listed).unwrap_err(),
        vec!["scenario.device: true is not a word.".to_string()]
    );
}

#[test]
fn saved_scenarios_keep_bad_items_aside() {
    let raw = r#"{"version":1,"items":[
        {"name":"Launch","query":"v=1&rps=500","saved":"2026-11-27T10:00:00Z"},
        {"name":"","query":"v=1","saved":"x"},
        {"query":"v=1"}
    ]}"#;
    let lib = Library::read(Some(raw));
    assert_eq!(lib.items.len(), 1);
    assert_eq!(lib.set_aside.len(), 2);
    assert_eq!(lib.notes.len(), 2);
    let garbage = Library::read(Some("{not json"));
    assert_eq!(garbage.set_aside, vec!["{not json".to_string()]);
    assert!(garbage.items.is_empty());
}

#[test]
fn saved_scenarios_save_rename_delete() {
    let mut lib = Library::default();
    let item = |name: &str| Saved {
        name: name.into(),
        query: "v=1".into(),
        saved: "2026-11-27".into(),
    };
    lib.save(item("A"));
    lib.save(item("B"));
    lib.save(item("A"));
    assert_eq!(lib.items.len(), 2);
    assert!(lib.rename("A", "B").is_err());
    assert!(lib.rename("A", " ").is_err());
    lib.rename("A", "C").unwrap();
    assert!(lib.delete("C"));
    assert!(!lib.delete("C"));
    let back = Library::read(Some(&lib.write()));
    assert_eq!(back.items, lib.items);
}

#[test]
fn the_deployment_target_travels_by_link_saved_store_and_file() {
    // A link written before the target existed opens on instances, with
    // the default climb to the peak.
    let old = from_query("v=1&rps=5000&now=express");
    assert!(old.notes.is_empty(), "{:?}", old.notes);
    assert_eq!(old.state.scenario.deploy, DeployTarget::Instances);
    assert_eq!(
        old.state.scenario.get(NumField::RampMinutes),
        NumField::RampMinutes.spec().default
    );

    let mut state = State::default();
    state.scenario.deploy = DeployTarget::Functions;
    state.scenario.set(NumField::RampMinutes, 5.0).unwrap();
    let id = AssumptionId::from_key("shared.fn_gb_second_m").unwrap();
    let mut price = state.assumptions.get(id).clone();
    price.typical = 15.0;
    state.assumptions.set(id, price).unwrap();
    let query = to_query(&state);
    assert!(query.contains("deploy=functions"), "{query}");
    assert!(query.contains("ramp=5"), "{query}");
    assert!(query.contains("a.shared.fn_gb_second_m="), "{query}");
    let back = from_query(&query);
    assert!(back.notes.is_empty(), "{:?}", back.notes);
    assert_eq!(back.state, state);

    // The saved store keeps the link; the JSON export its own keys.
    let mut lib = Library::default();
    lib.save(Saved {
        name: "Lambda".into(),
        query: query.clone(),
        saved: "2026-12-05".into(),
    });
    let stored = Library::read(Some(&lib.write()));
    assert_eq!(from_query(&stored.items[0].query).state, state);
    let e = estimate(&state.scenario, &state.assumptions);
    assert_eq!(import_json(&to_json(&state, &e)).unwrap(), state);

    // A target that does not exist is refused by name.
    let bad = from_query("v=1&deploy=lambda");
    assert_eq!(bad.state.scenario.deploy, DeployTarget::Instances);
    assert_eq!(bad.notes.len(), 1);
    assert!(
        bad.notes[0].starts_with("Deployment target"),
        "{}",
        bad.notes[0]
    );
    assert!(
        bad.notes[0].contains("instances, k8s, functions, run"),
        "{}",
        bad.notes[0]
    );
}
