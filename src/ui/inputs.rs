//! The inputs panel: every field of the scenario, grouped as the model
//! groups them, with presets for a quick start. The presets and the few
//! inputs that decide most answers come first ([`FIRST_FIELDS`],
//! [`FIRST_CHOICES`]); the rest sit under "More inputs", which opens by
//! itself when the page's link sets any of them.
//!
//! One numeric input is a labelled number field plus a range slider for the
//! same model field.
//!
//! The field is a text field (`inputmode="decimal"`), so it keeps exactly
//! what the user typed, "1,200" and "0,5" included. Text that the model
//! reads and accepts (`Scenario::read_typed`, then `Scenario::set`) updates
//! the scenario; a decimal comma is read as one and the help line says what
//! was read ("Read as 0.5.");
//! anything else shows the model's message next to the field and the results
//! keep the last valid value. The slider moves on a log scale
//! when the field asks for one (`FieldSpec::log_scale`) and its range is
//! positive, so 10 req/s and 10,000 req/s are both easy to reach.

use leptos::prelude::*;

use super::state::use_app_state;
use crate::model::format::{plain, with_unit};
use crate::model::CURRENCY_UNIT;
use crate::model::{
    Choice, ChoiceField, ChoiceKind, FieldGroup, FieldSpec, InstancePreset, ModelPreset, NumField,
    Scenario, WorkloadPreset,
};

/// Positions on the slider (its `max`); the value is mapped from these.
const SLIDER_STEPS: f64 = 1000.0;

/// Field value at slider `position` (0..=SLIDER_STEPS), rounded to the
/// field's step (or to its minimum's precision below one step) and kept
/// within its range.
fn value_at(spec: &FieldSpec, position: f64) -> f64 {
    let raw = spec.at(position / SLIDER_STEPS);
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
    let t = if spec.uses_log_scale() {
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
    let decimals = spec.decimals();
    let id = format!("field-{}", spec.key);
    let help_id = format!("{id}-help");
    let error_id = format!("{id}-error");

    // Last value the model accepted. The text field's content belongs to
    // the user; only the slider writes it (through `slid_text`).
    let start = scenario.with_untracked(|s| s.get(field));
    let value = RwSignal::new(start);
    let slid_text = RwSignal::new(plain(start, decimals));
    let error = RwSignal::new(None::<String>);
    // "Read as 1.5." when a decimal comma was read.
    let read_as = RwSignal::new(None::<String>);

    let apply = move |text: &str| {
        let mut next = scenario.get_untracked();
        match Scenario::read_typed(field, text).and_then(|t| next.set(field, t.value).map(|()| t)) {
            Ok(typed) => {
                scenario.set(next);
                value.set(typed.value);
                error.set(None);
                read_as.set(typed.read_as);
            }
            Err(e) => {
                error.set(Some(e.to_string()));
                read_as.set(None);
            }
        }
    };
    // The scenario can change from elsewhere (a preset, a link, an import,
    // the mix rebalancing): show the new value and drop a stale error.
    Effect::new(move |_| {
        let now = scenario.with(|s| s.get(field));
        if now != value.get_untracked() {
            value.set(now);
            slid_text.set(plain(now, decimals));
            error.set(None);
            read_as.set(None);
        }
    });
    let on_slide = move |text: String| {
        if let Ok(position) = text.parse::<f64>() {
            let shown = plain(value_at(spec, position), decimals);
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
                <span class="unit">
                    {move || {
                        if spec.unit == CURRENCY_UNIT {
                            scenario.with(|s| s.currency.code()).to_string()
                        } else {
                            spec.unit.to_string()
                        }
                    }}
                </span>
                <input
                    type="range"
                    autocomplete="off"
                    min="0"
                    max=SLIDER_STEPS
                    step="1"
                    aria-label=slider_label
                    aria-valuetext=move || {
                        with_unit(&plain(value.get(), decimals), spec.unit)
                    }
                    prop:value=move || position_of(spec, value.get())
                    on:input:target=move |ev| on_slide(ev.target().value())
                />
            </div>
            <p class="help" id=help_id>
                {spec.help}
                {move || read_as.get().map(|note| view! { " " <span class="read-as">{note}</span> })}
            </p>
            <p class="field-error" id=error_id role="alert">{move || error.get()}</p>
        </div>
    }
}

/// A labelled `<select>`.
#[component]
fn ChoiceSelect(
    /// Element id (also the label's `for`).
    id: String,
    /// Visible label.
    label: &'static str,
    /// One-line help.
    help: &'static str,
    /// `(key, label)` of every option.
    options: Vec<(&'static str, &'static str)>,
    /// Key of the option the scenario has now.
    current: Signal<&'static str>,
    /// Called with the chosen key.
    on_pick: Callback<String>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    view! {
        <div class="field">
            <label for=id.clone()>{label}</label>
            <select
                id=id
                autocomplete="off"
                aria-describedby=help_id.clone()
                on:change:target=move |ev| on_pick.run(ev.target().value())
            >
                {options
                    .into_iter()
                    .map(|(key, text)| {
                        view! {
                            <option value=key selected=move || current.get() == key>
                                {text}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <p class="help" id=help_id>{help}</p>
        </div>
    }
}

/// A labelled checkbox.
#[component]
fn Toggle(
    /// Element id.
    id: String,
    /// Visible label.
    label: &'static str,
    /// One-line help.
    help: &'static str,
    /// Whether it is on.
    checked: Signal<bool>,
    /// Called with the new state.
    on_toggle: Callback<bool>,
) -> impl IntoView {
    let help_id = format!("{id}-help");
    view! {
        <div class="field toggle">
            <input
                id=id.clone()
                type="checkbox"
                aria-describedby=help_id.clone()
                prop:checked=move || checked.get()
                on:change:target=move |ev| on_toggle.run(ev.target().checked())
            />
            <label for=id>{label}</label>
            <p class="help" id=help_id>{help}</p>
        </div>
    }
}

/// One choice input of the scenario, as its catalogue entry says: a list
/// or a switch, with its label and help.
#[component]
pub fn ChoiceInput(
    /// The choice this input edits.
    field: ChoiceField,
    /// The scenario it reads and writes.
    scenario: RwSignal<Scenario>,
) -> impl IntoView {
    let spec = field.spec();
    let pick = move |key: &str| {
        let mut next = scenario.get_untracked();
        if next.set_choice(field, key).is_ok() {
            scenario.set(next);
        }
    };
    match spec.kind {
        ChoiceKind::List => view! {
            <ChoiceSelect
                id=format!("choice-{}", spec.key)
                label=spec.label
                help=spec.help
                options=field.options().into_iter().map(|o| (o.key, o.label)).collect()
                current=Signal::derive(move || scenario.with(|s| s.choice(field)))
                on_pick=Callback::new(move |key: String| pick(&key))
            />
        }
        .into_any(),
        ChoiceKind::Switch => view! {
            <Toggle
                id=format!("toggle-{}", spec.key)
                label=spec.label
                help=spec.help
                checked=Signal::derive(move || scenario.with(|s| s.choice(field) == true.key()))
                on_toggle=Callback::new(move |on: bool| pick(on.key()))
            />
        }
        .into_any(),
    }
}

/// The numeric inputs on the first screen: who the team is, how much
/// traffic, and how much of it runs a model.
const FIRST_FIELDS: [NumField; 6] = [
    NumField::TeamSize,
    NumField::PythonShare,
    NumField::JsShare,
    NumField::AvgRps,
    NumField::PeakRatio,
    NumField::MlShare,
];

/// The choices on the first screen: what runs in production today, and
/// where it will run (the target changes how every stack is billed).
const FIRST_CHOICES: [ChoiceField; 2] = [ChoiceField::Current, ChoiceField::Deploy];

/// The numeric fields of a group under "More inputs", in model order.
fn fields_of(group: FieldGroup) -> impl Iterator<Item = NumField> {
    NumField::ALL
        .into_iter()
        .filter(move |f| f.spec().group == group && !FIRST_FIELDS.contains(f))
}

/// The choice inputs of a group under "More inputs", in catalogue order.
fn choices_of(group: FieldGroup) -> impl Iterator<Item = ChoiceField> {
    ChoiceField::ALL
        .into_iter()
        .filter(move |f| f.spec().group == group && !FIRST_CHOICES.contains(f))
}

/// Whether `scenario` differs from the page's defaults in any input under
/// "More inputs".
fn sets_more_inputs(scenario: &Scenario) -> bool {
    let default = crate::state::codec::State::default().scenario;
    let fields = NumField::ALL
        .into_iter()
        .filter(|f| !FIRST_FIELDS.contains(f))
        .any(|f| scenario.get(f) != default.get(f));
    let choices = ChoiceField::ALL
        .into_iter()
        .filter(|f| !FIRST_CHOICES.contains(f))
        .any(|f| scenario.choice(f) != default.choice(f));
    fields || choices
}

/// Presets and the inputs that decide most answers first, then every other
/// input under "More inputs", grouped (Team, Workload, ML, Traffic,
/// Infrastructure, Costs).
#[component]
pub fn InputsPanel() -> impl IntoView {
    let state = use_app_state();
    let scenario = state.scenario;
    // A link that sets any of the other inputs opens them, so what it set
    // is in view.
    let more_open = scenario.with_untracked(sets_more_inputs);
    let edit = move |f: &dyn Fn(&mut Scenario)| scenario.update(|s| f(s));

    let mix_total = move || scenario.with(|s| NumField::MIX.iter().map(|f| s.get(*f)).sum::<f64>());
    let group_fields = move |group: FieldGroup| {
        fields_of(group)
            .map(|field| view! { <NumberInput field=field scenario=scenario /> })
            .collect_view()
    };
    let group_choices = move |group: FieldGroup| {
        choices_of(group)
            .map(|field| view! { <ChoiceInput field=field scenario=scenario /> })
            .collect_view()
    };

    let instance_options: Vec<(&'static str, &'static str)> =
        std::iter::once(("custom", "Custom (the fields below)"))
            .chain(InstancePreset::ALL.iter().map(|p| (p.name, p.name)))
            .collect();

    view! {
        <div class="inputs">
            <section class="panel presets" aria-labelledby="presets-heading">
                <h2 id="presets-heading">"What are you building?"</h2>
                <div class="preset-buttons">
                    {WorkloadPreset::ALL
                        .iter()
                        .map(|p| {
                            let p = *p;
                            view! {
                                <button
                                    type="button"
                                    class="preset"
                                    title=p.description
                                    on:click=move |_| edit(&|s| p.apply(s))
                                >
                                    {p.name}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
            </section>

            <fieldset class="panel group first-inputs">
                <legend>"What decides most answers"</legend>
                {FIRST_FIELDS
                    .into_iter()
                    .map(|field| view! { <NumberInput field=field scenario=scenario /> })
                    .collect_view()}
                {FIRST_CHOICES
                    .into_iter()
                    .map(|field| view! { <ChoiceInput field=field scenario=scenario /> })
                    .collect_view()}
            </fieldset>

            <details class="more-inputs" prop:open=more_open>
            <summary>"More inputs"</summary>
            <fieldset class="panel group">
                <legend>{FieldGroup::Team.label()}</legend>
                {group_fields(FieldGroup::Team)}
                {group_choices(FieldGroup::Team)}
            </fieldset>

            <fieldset class="panel group">
                <legend>{FieldGroup::Workload.label()}</legend>
                <p class="help mix-total" aria-live="polite">
                    "The four shares always add up to 100%: moving one rescales the others. Now: "
                    {move || crate::model::format::number(mix_total(), 1)}
                    "%"
                </p>
                {group_fields(FieldGroup::Workload)}
            </fieldset>

            <fieldset class="panel group">
                <legend>{FieldGroup::Ml.label()}</legend>
                <div class="preset-buttons">
                    {ModelPreset::ALL
                        .iter()
                        .map(|m| {
                            let m = *m;
                            view! {
                                <button
                                    type="button"
                                    class="preset"
                                    title=m.source
                                    on:click=move |_| edit(&|s| m.apply(s))
                                >
                                    {m.name}
                                </button>
                            }
                        })
                        .collect_view()}
                </div>
                {group_choices(FieldGroup::Ml)}
                {group_fields(FieldGroup::Ml)}
            </fieldset>

            <fieldset class="panel group">
                <legend>{FieldGroup::Traffic.label()}</legend>
                {group_fields(FieldGroup::Traffic)}
                {group_choices(FieldGroup::Traffic)}
            </fieldset>

            <fieldset class="panel group">
                <legend>{FieldGroup::Infrastructure.label()}</legend>
                <ChoiceSelect
                    id="choice-instance".to_string()
                    label="Instance type"
                    help="AWS us-east-1 on-demand prices (price list of 2026-01-19); sets the fields below."
                    options=instance_options
                    current=Signal::derive(move || {
                        scenario.with(|s| InstancePreset::matching(s).map_or("custom", |p| p.name))
                    })
                    on_pick=Callback::new(move |key: String| {
                        if let Some(p) = InstancePreset::ALL.iter().find(|p| p.name == key) {
                            scenario.update(|s| p.apply(s));
                        }
                    })
                />
                {group_choices(FieldGroup::Infrastructure)}
                {group_fields(FieldGroup::Infrastructure)}
            </fieldset>

            <fieldset class="panel group">
                <legend>{FieldGroup::Costs.label()}</legend>
                {group_fields(FieldGroup::Costs)}
                {group_choices(FieldGroup::Costs)}
            </fieldset>
            </details>
        </div>
    }
}
