//! Files in and out: the estimate as CSV, the scenario and estimate as
//! JSON (`crate::state::export`), and the import of that JSON.
//!
//! An import that has any problem changes nothing: every problem the reader
//! found is listed next to the control. A good one replaces the scenario
//! and figures at once (and so the link).

use leptos::prelude::*;

use crate::state::export::{import_json, to_csv, to_json};
use crate::ui::browser::{download, read_text, today};
use crate::ui::state::use_app_state;

/// File name for an export made today: `stackwise-2026-11-27.csv`.
fn file_name(extension: &str) -> String {
    format!("stackwise-{}.{extension}", today())
}

/// "Download CSV" and "Download JSON".
#[component]
pub fn DownloadButtons(
    /// The share bar's status line.
    status: RwSignal<String>,
) -> impl IntoView {
    let state = use_app_state();
    let save = move |extension: &'static str| {
        let name = file_name(extension);
        let result = state.estimate.with_untracked(|estimate| match extension {
            "csv" => download(&name, "text/csv;charset=utf-8", &to_csv(estimate)),
            _ => download(
                &name,
                "application/json",
                &to_json(&state.snapshot(), estimate),
            ),
        });
        status.set(match result {
            Ok(()) => format!("Downloaded {name}."),
            Err(why) => why,
        });
    };
    view! {
        <button type="button" class="button" on:click=move |_| save("csv")>
            "Download CSV"
        </button>
        <button type="button" class="button" on:click=move |_| save("json")>
            "Download JSON"
        </button>
    }
}

/// A refused import: the file's name and every problem found.
#[derive(Clone, Debug, PartialEq)]
pub struct Refused {
    /// Name of the chosen file.
    pub file: String,
    /// One line per problem.
    pub problems: Vec<String>,
}

/// "Import JSON": a file input styled as a button.
#[component]
pub fn ImportButton(
    /// The share bar's status line.
    status: RwSignal<String>,
    /// Problems of the last refused import.
    refused: RwSignal<Option<Refused>>,
) -> impl IntoView {
    let state = use_app_state();
    let on_change = move |ev: leptos::ev::Targeted<web_sys::Event, web_sys::HtmlInputElement>| {
        let input = ev.target();
        let Some(file) = input.files().and_then(|files| files.get(0)) else {
            return;
        };
        // Choosing the same file again must fire `change` again.
        input.set_value("");
        let name = file.name();
        status.set(format!("Reading {name}…"));
        refused.set(None);
        read_text(&file, move |text| {
            let result = text.map_err(|why| vec![why]).and_then(|t| import_json(&t));
            match result {
                Ok(imported) => {
                    state.load(imported);
                    status.set(format!("Imported {name}."));
                }
                Err(problems) => {
                    // The problems list next to the button says why.
                    status.set(String::new());
                    refused.set(Some(Refused {
                        file: name,
                        problems,
                    }));
                }
            }
        });
    };
    view! {
        <label class="button file-button">
            <input
                type="file"
                class="visually-hidden"
                accept=".json,application/json"
                aria-describedby="import-problems"
                on:change:target=on_change
            />
            "Import JSON"
        </label>
    }
}

/// Every problem of a refused import, next to the import control.
#[component]
pub fn ImportProblems(
    /// Problems of the last refused import.
    refused: RwSignal<Option<Refused>>,
) -> impl IntoView {
    view! {
        <div id="import-problems" class="import-problems" role="alert">
            {move || {
                refused
                    .get()
                    .map(|r| {
                        view! {
                            <div class="share-panel warning">
                                <p>
                                    {format!(
                                        "{} was not imported, so nothing changed. {}:",
                                        r.file,
                                        if r.problems.len() == 1 {
                                            "The problem".to_string()
                                        } else {
                                            format!("{} problems", r.problems.len())
                                        },
                                    )}
                                </p>
                                <ul>
                                    {r.problems.into_iter().map(|p| view! { <li>{p}</li> }).collect_view()}
                                </ul>
                                <button type="button" class="link-button" on:click=move |_| refused.set(None)>
                                    "Dismiss"
                                </button>
                            </div>
                        }
                    })
            }}
        </div>
    }
}
