//! Browser component tests: mount the app in headless Chromium, act on it,
//! let the reactive system settle, assert on the DOM.
//!
//! Run with `cargo test --target wasm32-unknown-unknown --test web`
//! (`.cargo/config.toml` sets wasm-bindgen-test-runner as the runner).
#![cfg(target_arch = "wasm32")]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use leptos::mount::mount_to;
use leptos::prelude::*;
use stackwise::model::{ChoiceField, ChoiceKind, NumField};
use stackwise::ui::App;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};
use web_sys::{HtmlCanvasElement, HtmlElement, HtmlInputElement};

wasm_bindgen_test_configure!(run_in_browser);

/// A new `<div>` attached to the body, so each test mounts a clean app.
fn fresh_container() -> HtmlElement {
    let doc = document();
    let div: HtmlElement = doc.create_element("div").unwrap().unchecked_into();
    div.style().set_property("width", "800px").unwrap();
    doc.body().unwrap().append_child(&div).unwrap();
    div
}

/// Mounts the app in a fresh container and waits for the estimate table,
/// and for the panels the page builds one a frame after its first (the
/// assumptions, the measurements, ..., the saved scenarios), and the
/// assumptions' groups of rows, also one a frame, the last of them. Keep
/// the returned handle alive for the test's length.
async fn mount_app() -> (HtmlElement, impl Sized) {
    let root = fresh_container();
    let app = mount_to(root.clone(), App);
    settle_until(|| {
        root.query_selector("table.estimate tbody tr")
            .unwrap()
            .is_some()
    })
    .await;
    let built = |selector: &str| root.query_selector(selector).unwrap().is_some();
    for _ in 0..200 {
        if built("#saved") && built("#assumptions .figure-group:last-of-type tbody tr") {
            break;
        }
        sleep_ms(10).await;
    }
    (root, app)
}

/// Waits `ms` milliseconds of real time: frames and timers run.
async fn sleep_ms(ms: i32) {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        web_sys::window()
            .unwrap()
            .set_timeout_with_callback_and_timeout_and_arguments_0(&resolve, ms)
            .unwrap();
    });
    wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
}

/// Lets effects, re-renders, frames and timers run until `done` holds, for
/// at most two seconds of real time: a part of the page off the screen (the
/// containers of earlier tests push this one down) follows a change once
/// the inputs have been still for `SETTLE_MS` (400 ms).
async fn settle_until(done: impl Fn() -> bool) -> bool {
    let start = js_sys::Date::now();
    while js_sys::Date::now() - start < 2_000.0 {
        if done() {
            return true;
        }
        leptos::task::tick().await;
        sleep_ms(10).await;
    }
    done()
}

fn query<T: JsCast>(root: &HtmlElement, selector: &str) -> T {
    root.query_selector(selector)
        .unwrap()
        .unwrap_or_else(|| panic!("no element matches {selector}"))
        .unchecked_into()
}

/// The traffic field, found through its `<label>` like a user would.
fn number_field(root: &HtmlElement) -> HtmlInputElement {
    field_by_label(root, NumField::AvgRps.spec().label)
}

/// Sets an input's value and fires a bubbling `input` event, as typing does.
fn type_into(input: &HtmlInputElement, text: &str) {
    input.set_value(text);
    let event = document().create_event("Event").unwrap();
    event.init_event_with_bubbles("input", true);
    input.dispatch_event(&event).unwrap();
}

/// Selector of the traffic field's slider, by its accessible name.
fn traffic_slider() -> String {
    format!(
        "input[type=range][aria-label='{} (slider)']",
        NumField::AvgRps.spec().label
    )
}

/// The input labelled `label` (exact text of its `<label>`).
fn field_by_label(root: &HtmlElement, label_text: &str) -> HtmlInputElement {
    let labels = root.query_selector_all("label").unwrap();
    for i in 0..labels.length() {
        let label: web_sys::Element = labels.item(i).unwrap().unchecked_into();
        if label.text_content().unwrap_or_default().trim() == label_text {
            let id = label.get_attribute("for").expect("label has no `for`");
            return query(root, &format!("#{id}"));
        }
    }
    panic!("no label reads {label_text:?}");
}

fn table_text(root: &HtmlElement) -> String {
    query::<HtmlElement>(root, "table.estimate")
        .text_content()
        .unwrap_or_default()
}

#[wasm_bindgen_test]
async fn renders_title_input_table_and_chart() {
    let (root, _app) = mount_app().await;

    let h1: HtmlElement = query(&root, "h1");
    assert_eq!(h1.text_content().unwrap(), "Stackwise");
    let caption: HtmlElement = query(&root, "table.estimate caption");
    assert!(caption
        .text_content()
        .unwrap()
        .starts_with("Estimate per stack"));
    let rows = root.query_selector_all("table.estimate tbody tr").unwrap();
    assert_eq!(rows.length() as usize, stackwise::model::Stack::ALL.len());
    for stack in stackwise::model::Stack::ALL {
        assert!(
            table_text(&root).contains(stack.label()),
            "row for {}",
            stack.label()
        );
    }
    assert!(!table_text(&root).contains("NaN"));
    let _field = number_field(&root);
    root.remove();
}

#[wasm_bindgen_test]
async fn typing_a_new_traffic_changes_the_estimate() {
    let (root, _app) = mount_app().await;
    let before = table_text(&root);

    let spec = NumField::AvgRps.spec();
    let field = number_field(&root);
    let target = (spec.max / 2.0).round().max(spec.min);
    type_into(&field, &target.to_string());
    let changed = settle_until(|| table_text(&root) != before).await;
    assert!(changed, "table did not change after typing {target}");

    // The slider follows the field.
    let slider: HtmlInputElement = query(&root, &traffic_slider());
    assert_ne!(slider.value(), "0");
    root.remove();
}

#[wasm_bindgen_test]
async fn invalid_text_shows_an_error_and_keeps_the_last_estimate() {
    let (root, _app) = mount_app().await;
    let before = table_text(&root);

    let field = number_field(&root);
    type_into(&field, "-5");
    let error: HtmlElement = query(&root, &format!("#{}-error", field.id()));
    let shown = settle_until(|| !error.text_content().unwrap_or_default().is_empty()).await;
    assert!(shown, "no error message for -5");
    assert_eq!(field.get_attribute("aria-invalid").as_deref(), Some("true"));
    assert_eq!(
        table_text(&root),
        before,
        "an invalid value changed the table"
    );

    // A valid value, written as people write it, clears the error.
    type_into(&field, "1,500");
    let cleared = settle_until(|| error.text_content().unwrap_or_default().is_empty()).await;
    assert!(cleared, "error not cleared by a valid value");
    root.remove();
}

#[wasm_bindgen_test]
async fn moving_the_slider_updates_the_field_and_the_estimate() {
    let (root, _app) = mount_app().await;
    let before = table_text(&root);
    let field = number_field(&root);
    let field_before = field.value();

    let slider: HtmlInputElement = query(&root, &traffic_slider());
    type_into(&slider, "1000");
    let changed = settle_until(|| field.value() != field_before).await;
    assert!(changed, "field did not follow the slider");
    let max = NumField::AvgRps.spec().max;
    assert_eq!(field.value().parse::<f64>().unwrap(), max);
    assert!(settle_until(|| table_text(&root) != before).await);
    root.remove();
}

#[wasm_bindgen_test]
async fn canvas_buffer_matches_css_size_times_device_pixel_ratio() {
    let root = fresh_container();
    let _app = mount_to(root.clone(), App);
    let canvas: HtmlCanvasElement = query(&root, "canvas");
    let ratio = window().device_pixel_ratio();
    let rect = canvas.get_bounding_client_rect();
    let expected = (rect.width() * ratio).round() as u32;
    let sized = settle_until(|| canvas.width() == expected && canvas.height() > 0).await;
    assert!(
        sized,
        "canvas buffer {}x{} for CSS {}x{} at ratio {ratio}",
        canvas.width(),
        canvas.height(),
        rect.width(),
        rect.height()
    );
    assert!(root.query_selector(".note.warning").unwrap().is_none());
    root.remove();
}

#[wasm_bindgen_test]
async fn moving_one_share_rebalances_the_other_three_to_100() {
    let (root, _app) = mount_app().await;
    let json = field_by_label(&root, NumField::JsonShare.spec().label);
    type_into(&json, "80");
    let others = [NumField::IoShare, NumField::CpuShare, NumField::MlShare]
        .map(|f| field_by_label(&root, f.spec().label));
    let sum = || -> f64 {
        others
            .iter()
            .map(|f| f.value().parse::<f64>().unwrap_or(f64::NAN))
            .sum()
    };
    assert!(
        settle_until(|| (sum() - 20.0).abs() < 0.05).await,
        "the other shares sum to {} after JSON / CRUD = 80",
        sum()
    );
    root.remove();
}

#[wasm_bindgen_test]
async fn a_preset_fills_the_inputs_and_changes_the_answer() {
    let (root, _app) = mount_app().await;
    let before = table_text(&root);
    let buttons = root.query_selector_all("button.preset").unwrap();
    let mut clicked = false;
    for i in 0..buttons.length() {
        let b: HtmlElement = buttons.item(i).unwrap().unchecked_into();
        if b.text_content().unwrap_or_default() == "ML inference service" {
            b.click();
            clicked = true;
        }
    }
    assert!(clicked, "no ML inference service preset");
    let ml = field_by_label(&root, NumField::MlShare.spec().label);
    assert!(
        settle_until(|| ml.value() == "40").await,
        "ML share is {}",
        ml.value()
    );
    assert!(settle_until(|| table_text(&root) != before).await);
    root.remove();
}

#[wasm_bindgen_test]
async fn every_choice_of_the_catalogue_is_offered_under_its_label() {
    let (root, _app) = mount_app().await;
    for field in ChoiceField::ALL {
        let spec = field.spec();
        let control: web_sys::Element = field_by_label(&root, spec.label).unchecked_into();
        match spec.kind {
            ChoiceKind::List => {
                let select: web_sys::HtmlSelectElement = control.unchecked_into();
                let offered: Vec<String> = (0..select.length())
                    .filter_map(|i| select.item(i))
                    .map(|o| o.text_content().unwrap_or_default().trim().to_string())
                    .collect();
                let labels: Vec<String> = field
                    .options()
                    .iter()
                    .map(|o| o.label.to_string())
                    .collect();
                assert_eq!(offered, labels, "{}", spec.label);
            }
            ChoiceKind::Switch => {
                let input: HtmlInputElement = control.unchecked_into();
                assert_eq!(input.type_(), "checkbox", "{}", spec.label);
            }
        }
    }
    root.remove();
}

// User story: "I import runs at several worker counts; until then the page
// shows the shared scalability figures, and nothing of a fit."
#[wasm_bindgen_test]
async fn frameworks_show_only_the_shared_usl_figures_until_a_fit_gives_their_own() {
    let (root, _app) = mount_app().await;
    let by_label = |label: &str| {
        root.query_selector(&format!("input[aria-label='{label}']"))
            .unwrap()
    };
    assert!(by_label("Contention between processes (USL α), typical").is_some());
    for fw in stackwise::model::Framework::ALL {
        let own = format!(
            "{}: Contention between processes (USL α), typical",
            fw.label()
        );
        assert!(by_label(&own).is_none(), "{own} is listed");
    }
    // The import takes a CSV of load,throughput rows; no fit, chart or
    // check is shown before anything is imported.
    let file: HtmlInputElement = query(&root, "#measure-file");
    assert!(file.accept().contains(".csv"), "{}", file.accept());
    assert!(root.query_selector("#chart-scalability").unwrap().is_none());
    assert!(root.query_selector("table.run-check").unwrap().is_none());
    root.remove();
}
