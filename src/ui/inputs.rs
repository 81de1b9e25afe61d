//! One numeric input: a labelled number field plus a range slider for the
//! same model field.
//!
//! The field is a text field (`inputmode="decimal"`), so it keeps exactly
//! what the user typed, "1,200" included. Text that the model parses and
//! accepts (`Scenario::parse`, then `Scenario::set`) updates the scenario;
//! anything else shows the model's message next to the field and the results
//! keep the last valid value. The slider moves on a log scale
//! when the field asks for one (`FieldSpec::log_scale`) and its range is
//! positive, so 10 req/s and 10,000 req/s are both easy to reach.

use leptos::prelude::*;

use super::format::{decimals_for_step, input_value};
use crate::model::{FieldSpec, NumField, Scenario};

/// Positions on the slider (its `max`); the value is mapped from these.
const SLIDER_STEPS: f64 = 1000.0;

/// True when the slider should use a log scale over the field's range.
fn log_scale(spec: &FieldSpec) -> bool {
    spec.log_scale
        && spec.min > 0.0
        && spec.max > spec.min
        && spec.min.is_finite()
        && spec.max.is_finite()
}

/// Field value at slider `position` (0..=SLIDER_STEPS), rounded to the
/// field's step (or to its minimum's precision below one step) and kept
/// within its range.
fn value_at(spec: &FieldSpec, position: f64) -> f64 {
    let t = (position / SLIDER_STEPS).clamp(0.0, 1.0);
    let raw = if log_scale(spec) {
        spec.min * (spec.max / spec.min).powf(t)
    } else {
        spec.min + (spec.max - spec.min) * t
    };
    let step = if raw < spec.step && spec.min > 0.0 {
        spec.min
    } else {
        spec.step
    };
    let stepped = if step > 0.0 && step.is_finite() {
        (raw / step).round() * step
    } else {
        raw
    };
    stepped.clamp(spec.min, spec.max)
}

/// Slider position (0..=SLIDER_STEPS) showing `value`.
fn position_of(spec: &FieldSpec, value: f64) -> f64 {
    let t = if log_scale(spec) {
        (value / spec.min).ln() / (spec.max / spec.min).ln()
    } else if spec.max > spec.min {
        (value - spec.min) / (spec.max - spec.min)
    } else {
        0.0
    };
    if t.is_finite() {
        (t.clamp(0.0, 1.0) * SLIDER_STEPS).round()
    } else {
        0.0
    }
}

/// A labelled number field and slider bound to one numeric model field.
#[component]
pub fn NumberInput(
    /// The model field this input edits.
    field: NumField,
    /// The scenario it reads its first value from and writes valid values to.
    scenario: RwSignal<Scenario>,
) -> impl IntoView {
    let spec: &'static FieldSpec = field.spec();
    let decimals = decimals_for_step(spec.step).max(decimals_for_step(spec.min));
    let id = format!("field-{}", spec.key);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");

    // Last value the model accepted. The text field's content belongs to
    // the user; only the slider writes it (through `slid_text`).
    let start = scenario.with_untracked(|s| s.get(field));
    let value = RwSignal::new(start);
    let slid_text = RwSignal::new(input_value(start, decimals));
    let error = RwSignal::new(None::<String>);

    let apply = move |text: &str| {
        let mut next = scenario.get_untracked();
        match Scenario::parse(field, text).and_then(|v| next.set(field, v).map(|()| v)) {
            Ok(accepted) => {
                scenario.set(next);
                value.set(accepted);
                error.set(None);
            }
            Err(e) => error.set(Some(e.to_string())),
        }
    };
    let on_slide = move |text: String| {
        if let Ok(position) = text.parse::<f64>() {
            let shown = input_value(value_at(spec, position), decimals);
            apply(&shown);
            slid_text.set(shown);
        }
    };

    let described_by = format!("{help_id} {error_id}");
    let slider_label = format!("{} (slider)", spec.label);
    view! {
        <div class="field">
            <label for=id.clone()>{spec.label}</label>
            <div class="field-controls">
                <input
                    id=id
                    type="text"
                    inputmode="decimal"
                    autocomplete="off"
                    spellcheck="false"
                    prop:value=move || slid_text.get()
                    aria-invalid=move || if error.with(Option::is_some) { "true" } else { "false" }
                    aria-describedby=described_by
                    on:input:target=move |ev| apply(&ev.target().value())
                />
                <span class="unit">{spec.unit}</span>
                <input
                    type="range"
                    min="0"
                    max=SLIDER_STEPS
                    step="1"
                    aria-label=slider_label
                    aria-valuetext=move || {
                        format!("{} {}", input_value(value.get(), decimals), spec.unit)
                    }
                    prop:value=move || position_of(spec, value.get())
                    on:input:target=move |ev| on_slide(ev.target().value())
                />
            </div>
            <p class="help" id=help_id>{spec.help}</p>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// Every input, grouped.
#[component]
pub fn InputsPanel() -> impl IntoView {
    let state = super::state::use_app_state();
    view! { <NumberInput field=NumField::AvgRps scenario=state.scenario /> }
}
