//! The assumptions panel: which set of figures, every figure with its range
//! and source, editable, and where the sets disagree.
//!
//! An edited figure is marked and can be reset to the shipped value; a
//! framework's own USL coefficients (fitted to its runs) are listed only
//! where the set has them, and resetting one returns the framework to the
//! shared coefficients. A range that does not hold (`low <= typical <=
//! high`, finite, not negative) is refused with the model's message next to
//! the row; the estimate keeps the last valid figure.

use leptos::prelude::*;

use super::state::use_app_state;
use super::AfterFrame;
use crate::model::format::plain;
use crate::model::{
    disagreements, Assumption, AssumptionId, AssumptionSet, Basis, Framework, SetKind,
};

/// Decimals a figure's text field shows, enough for any figure shipped:
/// "0.0001", "134", "1.31".
const FIGURE_DECIMALS: usize = 6;

/// The CSS class suffix of a figure's basis tag.
fn basis_class(b: Basis) -> &'static str {
    match b {
        Basis::Measured => "measured",
        Basis::Published => "published",
        Basis::Article => "article",
        Basis::ArticleClaim => "claim",
        Basis::Assumption => "assumption",
        Basis::Definition => "definition",
    }
}

/// One figure: three editable values, its unit and source, its basis as a
/// tag (measured, published, the article's, an unverified claim, an
/// assumption), edited mark and reset.
#[component]
fn FigureRow(id: AssumptionId) -> impl IntoView {
    let state = use_app_state();
    let figures = state.assumptions;
    let current = move || figures.with(|set| set.get(id).clone());
    let start = current();
    let unit = start.unit;
    let texts = [
        RwSignal::new(plain(unit.shown(start.low), FIGURE_DECIMALS)),
        RwSignal::new(plain(unit.shown(start.typical), FIGURE_DECIMALS)),
        RwSignal::new(plain(unit.shown(start.high), FIGURE_DECIMALS)),
    ];
    let error = RwSignal::new(None::<String>);
    // Follow changes made elsewhere (set switched, reset, link, import).
    Effect::new(move |_| {
        let a = current();
        let values = [a.low, a.typical, a.high];
        for (text, v) in texts.iter().zip(values) {
            let parsed = text.get_untracked().trim().parse::<f64>().ok();
            if parsed.map(|p| unit.stored(p)) != Some(v) {
                text.set(plain(unit.shown(v), FIGURE_DECIMALS));
            }
        }
        error.set(None);
    });
    let apply = move || {
        let mut values = [0.0; 3];
        for (i, text) in texts.iter().enumerate() {
            match text.get_untracked().trim().parse::<f64>() {
                Ok(v) => values[i] = unit.stored(v),
                Err(_) => {
                    error.set(Some(format!(
                        "{}: \"{}\" is not a number.",
                        id.label(),
                        text.get_untracked()
                    )));
                    return;
                }
            }
        }
        let next = Assumption {
            low: values[0],
            typical: values[1],
            high: values[2],
            ..current()
        };
        let mut set = figures.get_untracked();
        match set.set(id, next) {
            Ok(()) => {
                error.set(None);
                figures.set(set);
            }
            Err(e) => error.set(Some(e)),
        }
    };
    let edited = move || figures.with(|set| set.is_edited(id));
    let reset = move |_| figures.update(|set| set.reset(id));
    let label = id.label();
    let unit_label = unit.label();
    let ends = ["low", "typical", "high"];
    let error_id = format!("fig-{}-error", id.key().replace('.', "-"));
    view! {
        <tr class:edited=edited>
            <th scope="row">
                {label.clone()}
                {move || {
                    let basis = current().basis();
                    view! {
                        <span class=format!("basis basis-{}", basis_class(basis))>{basis.label()}</span>
                    }
                }}
                {move || edited().then(|| view! { <span class="badge">"edited"</span> })}
            </th>
            {texts
                .iter()
                .zip(ends)
                .map(|(text, end)| {
                    let text = *text;
                    let aria = format!("{label}, {end}");
                    let described = error_id.clone();
                    view! {
                        <td>
                            <input
                                type="text"
                                inputmode="decimal"
                                autocomplete="off"
                                class="figure"
                                aria-label=aria
                                aria-describedby=described
                                prop:value=move || text.get()
                                on:change:target=move |ev| {
                                    text.set(ev.target().value());
                                    apply();
                                }
                            />
                        </td>
                    }
                })
                .collect_view()}
            <td class="unit">{unit_label}</td>
            <td class="source">
                {move || current().source.to_string()}
                <p class="field-error" id=error_id.clone() role="alert">{move || error.get()}</p>
            </td>
            <td>
                {move || edited().then(|| view! {
                    <button type="button" class="link-button" on:click=reset>"Reset"</button>
                })}
            </td>
        </tr>
    }
}

/// The assumptions panel.
#[component]
pub fn Panel() -> impl IntoView {
    let state = use_app_state();
    let figures = state.assumptions;
    let kind = move || figures.with(|a| a.kind);
    let pick = move |k: SetKind| {
        if k == SetKind::Measured {
            if let Some(set) = state.measured.get_untracked() {
                figures.set(set);
            }
        } else {
            figures.set(AssumptionSet::shipped(k));
        }
        // The article's unverified claims start as the new set has them.
        let on = figures.with_untracked(|set| set.kind.counts_article_claims());
        state.scenario.update(|s| s.productivity_effects = on);
    };
    let edited_count =
        move || figures.with(|set| AssumptionId::all().filter(|id| set.is_edited(*id)).count());
    let groups: Vec<(String, Vec<AssumptionId>)> = Framework::ALL
        .iter()
        .map(|fw| {
            (
                fw.label().to_string(),
                AssumptionId::all()
                    .filter(|id| matches!(id, AssumptionId::Framework(f, _) if f == fw))
                    .collect(),
            )
        })
        .chain(std::iter::once((
            "Shared by every stack".to_string(),
            AssumptionId::all()
                .filter(|id| matches!(id, AssumptionId::Shared(_)))
                .collect(),
        )))
        .collect();

    view! {
        <section class="panel skippable" id="assumptions" aria-labelledby="assumptions-heading">
            <h2 id="assumptions-heading">"Assumptions"</h2>
            <fieldset class="set-picker">
                <legend>"Figures to use"</legend>
                {[SetKind::Published, SetKind::Article, SetKind::Measured]
                    .into_iter()
                    .map(|k| {
                        let disabled = move || k == SetKind::Measured && state.measured.with(Option::is_none);
                        view! {
                            <label class="radio" class:disabled=disabled>
                                <input
                                    type="radio"
                                    name="assumption-set"
                                    prop:checked=move || kind() == k
                                    prop:disabled=disabled
                                    on:change=move |_| pick(k)
                                />
                                {k.label()}
                                {(k == SetKind::Measured).then(|| view! {
                                    <span class="sub">" (import a load-test result below)"</span>
                                })}
                            </label>
                        }
                    })
                    .collect_view()}
            </fieldset>
            <div class="disagree">
                <h3>"Where the sets disagree"</h3>
                <ul>{disagreements().into_iter().map(|d| view! { <li>{d}</li> }).collect_view()}</ul>
            </div>
            <p class="help">
                "Low and high are the 5th and 95th percentiles; typical is the median. "
                "The estimate uses the typical value, the ranges drive the bands and the uncertainty. "
                "Each figure is tagged with what it rests on: measured, published, the article's, the article's claim (unverified), or an assumption (Stackwise's own choice; its source says why). Edit any value; "
                {move || match edited_count() {
                    0 => "none is edited now.".to_string(),
                    1 => "1 is edited now.".to_string(),
                    n => format!("{n} are edited now."),
                }}
            </p>
            // Each group's rows are built in a task of their own, one frame
            // after another: about a hundred rows built at once made the
            // longest task after the page's first screen (37 ms of the
            // page's own script in a profile, more on a busy machine).
            {groups
                .into_iter()
                .zip(1u32..)
                .map(|((title, ids), frame)| {
                    view! {
                        <details class="figure-group">
                            <summary>{title.clone()}</summary>
                            <div class="table-scroll">
                                <table class="figures">
                                    <caption class="visually-hidden">{format!("Figures: {title}")}</caption>
                                    <thead>
                                        <tr>
                                            <th scope="col">"Figure"</th>
                                            <th scope="col">"Low"</th>
                                            <th scope="col">"Typical"</th>
                                            <th scope="col">"High"</th>
                                            <th scope="col">"Unit"</th>
                                            <th scope="col">"Source"</th>
                                            <th scope="col"><span class="visually-hidden">"Reset"</span></th>
                                        </tr>
                                    </thead>
                                    <tbody>
                                        // A framework's own USL coefficients are listed
                                        // only where the set has them.
                                        <AfterFrame frame=frame>
                                            {ids.iter().map(|&id| view! {
                                                <Show when=move || figures.with(|set| set.holds(id))>
                                                    <FigureRow id=id />
                                                </Show>
                                            }).collect_view()}
                                        </AfterFrame>
                                    </tbody>
                                </table>
                            </div>
                        </details>
                    }
                })
                .collect_view()}
        </section>
    }
}
