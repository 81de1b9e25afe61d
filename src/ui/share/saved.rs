//! Saved scenarios in this browser's storage: save the current scenario
//! under a name, list them with their date, load, rename, delete (with
//! undo), and compare two side by side.
//!
//! The stored value is `crate::state::saved::Library` under
//! [`StorageKey::Saved`]. Before every change the value is read again (another
//! tab may have saved meanwhile), so nothing another tab wrote is
//! overwritten. Whatever cannot be read is appended to
//! [`StorageKey::SavedSetAside`] (a JSON array of `{ "set_aside": <when>,
//! "text": <raw> }`; anything already there is kept) and reported as a page
//! notice, never dropped. Blocked storage leaves the panel with a visible
//! note and saving switched off; links and exports still work.

use leptos::prelude::*;

use super::compare::Comparison;
use crate::state::codec::{from_query, to_query};
use crate::state::compare::Side;
use crate::state::saved::{append_set_aside, Library, Saved};
use crate::ui::browser::{local_date_time, now_iso};
use crate::ui::state::{storage_get, storage_set, use_app_state, AppState, StorageKey};

/// Longest name accepted, in characters.
const MAX_NAME_CHARS: usize = 80;

/// Reads the stored library. What cannot be read is set aside and reported
/// as a notice, and the readable rest is written back. `Err` (with a message
/// for the user) when storage is blocked or the unreadable part could not
/// be set aside (then the stored value is left exactly as it was).
fn read_library(notices: RwSignal<Vec<String>>) -> Result<Library, String> {
    let raw = storage_get(StorageKey::Saved)?;
    let mut library = Library::read(raw.as_deref());
    if library.set_aside.is_empty() {
        return Ok(library);
    }
    let kept = storage_get(StorageKey::SavedSetAside).and_then(|existing| {
        let value = append_set_aside(existing.as_deref(), &library.set_aside, &now_iso());
        storage_set(StorageKey::SavedSetAside, &value)
    });
    let notes = library.notes.join(" ");
    match kept {
        Ok(()) => {
            notices.update(|n| {
                n.push(format!(
                    "{notes} (Kept in this browser's storage under \"{}\".)",
                    StorageKey::SavedSetAside.as_str()
                ))
            });
            library.set_aside.clear();
            library.notes.clear();
            storage_set(StorageKey::Saved, &library.write())?;
            Ok(library)
        }
        Err(why) => {
            let message = format!(
                "{notes} It could not be kept aside ({why}), so saved scenarios are left untouched and saving is off."
            );
            notices.update(|n| n.push(message.clone()));
            Err(message)
        }
    }
}

/// The panel's state.
#[derive(Clone, Copy)]
struct Store {
    app: AppState,
    /// The saved scenarios, as last read or written.
    items: RwSignal<Vec<Saved>>,
    /// Why saving is off, when it is.
    blocked: RwSignal<Option<String>>,
    /// Outcome of the last action.
    message: RwSignal<String>,
    /// Problem with the last action.
    error: RwSignal<String>,
    /// The last deleted scenario, for undo.
    deleted: RwSignal<Option<Saved>>,
}

impl Store {
    fn open(app: AppState) -> Store {
        let (items, blocked) = match read_library(app.notices) {
            Ok(library) => (library.items, None),
            Err(why) => (Vec::new(), Some(why)),
        };
        Store {
            app,
            items: RwSignal::new(items),
            blocked: RwSignal::new(blocked.map(|why| {
                format!("Saving is not available here: {why} Links and downloads still work.")
            })),
            message: RwSignal::new(String::new()),
            error: RwSignal::new(String::new()),
            deleted: RwSignal::new(None),
        }
    }

    /// Applies `change` to the freshly read library and stores the result.
    /// Shows the change's message, or the problem.
    fn change(self, change: impl FnOnce(&mut Library) -> Result<String, String>) {
        self.error.set(String::new());
        // Undo is offered only right after a delete.
        self.deleted.set(None);
        let result = read_library(self.app.notices).and_then(|mut library| {
            let message = change(&mut library)?;
            storage_set(StorageKey::Saved, &library.write())?;
            Ok((library.items, message))
        });
        match result {
            Ok((items, message)) => {
                self.items.set(items);
                self.message.set(message);
            }
            Err(why) => {
                self.message.set(String::new());
                self.error.set(why);
            }
        }
    }

    fn save(self, name: &str) -> bool {
        let name = name.trim().to_string();
        if name.is_empty() {
            self.error
                .set("Name: type a name to save this scenario under.".into());
            return false;
        }
        if name.chars().count() > MAX_NAME_CHARS {
            self.error.set(format!(
                "Name: at most {MAX_NAME_CHARS} characters, this one has {}.",
                name.chars().count()
            ));
            return false;
        }
        let item = Saved {
            name: name.clone(),
            query: to_query(&self.app.snapshot()),
            saved: now_iso(),
        };
        self.change(move |library| {
            let replaced = library.items.iter().any(|x| x.name == name);
            library.save(item);
            Ok(if replaced {
                format!("Replaced “{name}” with the current scenario.")
            } else {
                format!("Saved “{name}”.")
            })
        });
        self.error.with_untracked(String::is_empty)
    }

    fn load(self, item: &Saved) {
        let decoded = from_query(&item.query);
        self.app.load(decoded.state);
        if !decoded.notes.is_empty() {
            let note = format!(
                "Saved scenario “{}”: part of it could not be used, so defaults fill the gaps: {}",
                item.name,
                decoded.notes.join(" ")
            );
            self.app.notices.update(|n| n.push(note));
        }
        self.error.set(String::new());
        self.deleted.set(None);
        self.message.set(format!("Loaded “{}”.", item.name));
    }

    fn rename(self, from: String, to: String) -> bool {
        self.change(move |library| {
            library.rename(&from, &to)?;
            Ok(format!("Renamed “{from}” to “{}”.", to.trim()))
        });
        self.error.with_untracked(String::is_empty)
    }

    fn delete(self, item: Saved) {
        let name = item.name.clone();
        self.change(move |library| {
            library.delete(&name);
            Ok(format!("Deleted “{name}”."))
        });
        if self.error.with_untracked(String::is_empty) {
            self.deleted.set(Some(item));
        }
    }

    fn undo(self) {
        let Some(item) = self.deleted.get_untracked() else {
            return;
        };
        let name = item.name.clone();
        self.change(move |library| {
            library.save(item);
            Ok(format!("Restored “{name}”."))
        });
    }
}

/// Saved scenarios: save, list, load, rename, delete, compare.
#[component]
pub fn SavedPanel() -> impl IntoView {
    let store = Store::open(use_app_state());
    let name = RwSignal::new(String::new());
    let editing = RwSignal::new(None::<String>);
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if store.save(&name.get_untracked()) {
            name.set(String::new());
        }
    };
    let off = move || store.blocked.with(Option::is_some);
    view! {
        <section class="panel saved" id="saved" aria-labelledby="saved-heading">
            <h2 id="saved-heading">"Saved scenarios"</h2>
            <p class="help">
                "Kept in this browser only. Each keeps the inputs and figures, as a link does."
            </p>
            {move || store.blocked.get().map(|why| view! { <p class="note warning">{why}</p> })}
            <form class="save-form" on:submit=on_submit>
                <label for="save-name">"Name"</label>
                <input
                    id="save-name"
                    type="text"
                    autocomplete="off"
                    maxlength=MAX_NAME_CHARS.to_string()
                    prop:value=move || name.get()
                    on:input:target=move |ev| name.set(ev.target().value())
                    disabled=off
                    aria-describedby="saved-error"
                />
                <button type="submit" class="button" disabled=off>
                    "Save current scenario"
                </button>
            </form>
            <p id="saved-error" class="field-error" role="alert">{move || store.error.get()}</p>
            <p class="share-status" role="status">
                {move || store.message.get()}
                {move || {
                    store.deleted.with(Option::is_some).then(|| view! {
                        " "
                        <button type="button" class="link-button" on:click=move |_| store.undo()>
                            "Undo"
                        </button>
                    })
                }}
            </p>
            {move || {
                if store.items.with(Vec::is_empty) {
                    view! { <p class="note">"Nothing saved yet."</p> }.into_any()
                } else {
                    view! { <SavedList store=store editing=editing /> }.into_any()
                }
            }}
            <Compare store=store />
        </section>
    }
}

/// The saved scenarios as a table with their actions.
#[component]
fn SavedList(store: Store, editing: RwSignal<Option<String>>) -> impl IntoView {
    let new_name = RwSignal::new(String::new());
    let rows = move || {
        let current = editing.get();
        store
            .items
            .get()
            .into_iter()
            .map(|item| {
                let is_editing = current.as_deref() == Some(item.name.as_str());
                let name = item.name.clone();
                // Date and time each keep together; narrow screens stack them.
                let date = local_date_time(&item.saved);
                let date_cell = match date.split_once(' ') {
                    Some((day, time)) => view! {
                        <span>{day.to_string()}</span>
                        " "
                        <span>{time.to_string()}</span>
                    }
                    .into_any(),
                    None => view! { <span>{date.clone()}</span> }.into_any(),
                };
                let name_cell = if is_editing {
                    let from = name.clone();
                    let field = NodeRef::<leptos::html::Input>::new();
                    Effect::new(move |_| {
                        if let Some(input) = field.get() {
                            let _ = input.focus();
                        }
                    });
                    let on_submit = move |ev: leptos::ev::SubmitEvent| {
                        ev.prevent_default();
                        if store.rename(from.clone(), new_name.get_untracked()) {
                            editing.set(None);
                        }
                    };
                    view! {
                        <form class="rename-form" on:submit=on_submit>
                            <label class="visually-hidden" for="rename-name">
                                {format!("New name for “{name}”")}
                            </label>
                            <input
                                id="rename-name"
                                type="text"
                                autocomplete="off"
                                maxlength=MAX_NAME_CHARS.to_string()
                                node_ref=field
                                prop:value=move || new_name.get()
                                on:input:target=move |ev| new_name.set(ev.target().value())
                            />
                            <button type="submit" class="button">"Save name"</button>
                            <button type="button" class="link-button" on:click=move |_| editing.set(None)>
                                "Cancel"
                            </button>
                        </form>
                    }
                    .into_any()
                } else {
                    view! { <span class="saved-name">{name.clone()}</span> }.into_any()
                };
                let (load_item, delete_item) = (item.clone(), item.clone());
                let rename_from = name.clone();
                view! {
                    <tr>
                        <th scope="row">{name_cell}</th>
                        <td class="saved-date">{date_cell}</td>
                        <td class="saved-actions">
                            <div>
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("Load “{name}”")
                                on:click=move |_| store.load(&load_item)
                            >
                                "Load"
                            </button>
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("Rename “{name}”")
                                on:click=move |_| {
                                    new_name.set(rename_from.clone());
                                    editing.set(Some(rename_from.clone()));
                                }
                            >
                                "Rename"
                            </button>
                            <button
                                type="button"
                                class="button small"
                                aria-label=format!("Delete “{name}”")
                                on:click=move |_| store.delete(delete_item.clone())
                            >
                                "Delete"
                            </button>
                            </div>
                        </td>
                    </tr>
                }
            })
            .collect_view()
    };
    view! {
        <div class="table-scroll" tabindex="0" role="region" aria-label="Saved scenarios, scrollable">
            <table class="saved-list">
                <caption class="visually-hidden">"Saved scenarios"</caption>
                <thead>
                    <tr>
                        <th scope="col">"Name"</th>
                        <th scope="col">"Saved"</th>
                        <th scope="col" class="actions">"Actions"</th>
                    </tr>
                </thead>
                <tbody>{rows}</tbody>
            </table>
        </div>
    }
}

/// Two saved scenarios side by side, once there are two.
#[component]
fn Compare(store: Store) -> impl IntoView {
    let chosen_a = RwSignal::new(String::new());
    let chosen_b = RwSignal::new(String::new());
    // The chosen names, or the first two saved when a choice is gone.
    let pick = move |chosen: &str, fallback: usize, items: &[Saved]| -> Option<Saved> {
        items
            .iter()
            .find(|x| x.name == chosen)
            .or_else(|| items.get(fallback))
            .cloned()
    };
    let pair = Memo::new(move |_| {
        store.items.with(|items| {
            if items.len() < 2 {
                return None;
            }
            let a = pick(&chosen_a.get(), 0, items)?;
            let b = pick(&chosen_b.get(), 1, items)?;
            Some((a, b))
        })
    });
    let options = move |selected: String| {
        store
            .items
            .get()
            .into_iter()
            .map(|item| {
                let is = item.name == selected;
                let label = item.name.clone();
                view! { <option value=item.name selected=is>{label}</option> }
            })
            .collect_view()
    };
    move || {
        pair.get().map(|(a, b)| {
            let (name_a, name_b) = (a.name.clone(), b.name.clone());
            view! {
                <div class="compare-block">
                    <h3>"Compare two saved scenarios"</h3>
                    <div class="compare-pick">
                        <span>
                            <label for="compare-a">"Scenario A"</label>
                            " "
                            <select id="compare-a" autocomplete="off" on:change:target=move |ev| chosen_a.set(ev.target().value())>
                                {options(name_a.clone())}
                            </select>
                        </span>
                        <span>
                            <label for="compare-b">"Scenario B"</label>
                            " "
                            <select id="compare-b" autocomplete="off" on:change:target=move |ev| chosen_b.set(ev.target().value())>
                                {options(name_b.clone())}
                            </select>
                        </span>
                    </div>
                    <Comparison a=Side::of(&a) b=Side::of(&b) />
                </div>
            }
        })
    }
}
