//! "Kubernetes manifests": on the Kubernetes target, a Deployment and a
//! HorizontalPodAutoscaler per service of the chosen stack (the cheapest
//! unless another is picked), as YAML to read, copy or download. The text
//! is made by `crate::state::manifest::kubernetes` from the estimate; this
//! panel only shows it.

use leptos::prelude::*;

use super::browser::{copy_text, download};
use super::state::use_app_state;
use crate::model::{DeployTarget, Stack};
use crate::state::manifest::{file_name, kubernetes};

/// The panel, under the table.
#[component]
pub fn ManifestsPanel() -> impl IntoView {
    let state = use_app_state();
    let picked = RwSignal::new(None::<Stack>);
    let status = RwSignal::new(String::new());
    let on_k8s = Memo::new(move |_| {
        state
            .scenario
            .with(|s| s.deploy == DeployTarget::Kubernetes)
    });
    let shown = move || {
        picked
            .get()
            .unwrap_or_else(|| state.estimate.with(|e| e.cheapest))
    };
    let yaml = Memo::new(move |_| {
        if !on_k8s.get() {
            return String::new();
        }
        let stack = shown();
        state
            .estimate
            .with(|e| state.scenario.with(|s| kubernetes(e.stack(stack), s)))
    });
    let copy = move |_| {
        status.set(String::new());
        copy_text(&yaml.get_untracked(), move |result| match result {
            Ok(()) => status.set("Manifests copied to the clipboard.".into()),
            Err(why) => {
                status.set(format!(
                    "Could not copy ({why}). Select the text below and copy it with Ctrl+C (⌘C on a Mac), or download it."
                ));
            }
        });
    };
    let save = move |_| {
        let name = state
            .estimate
            .with_untracked(|e| file_name(e.stack(shown())));
        match download(
            &name,
            "application/yaml;charset=utf-8",
            &yaml.get_untracked(),
        ) {
            Ok(()) => status.set(format!("Saved as {name}.")),
            Err(why) => status.set(why),
        }
    };
    let options = move || {
        Stack::ALL
            .iter()
            .map(|st| {
                let st = *st;
                view! { <option value=st.key() selected=move || shown() == st>{st.label()}</option> }
            })
            .collect_view()
    };
    view! {
        <section class="panel manifests skippable" id="manifests" aria-labelledby="manifests-heading">
            <h2 id="manifests-heading">"Kubernetes manifests"</h2>
            <Show
                when=move || on_k8s.get()
                fallback=|| view! {
                    <p class="help">
                        "Choose Kubernetes as the deployment target for a Deployment and an autoscaler per service, sized as estimated."
                    </p>
                }
            >
                <p class="help">
                    "Per service: replicas at today's peak with the scale-out lag's headroom, CPU and memory from the memory breakdown, the autoscaler's target at the planned utilisation, a readiness probe after the start-up. Replace the image."
                </p>
                <div class="manifest-tools">
                    <label for="manifest-stack">"Stack"</label>
                    <select
                        id="manifest-stack"
                        autocomplete="off"
                        on:change:target=move |ev| {
                            let key = ev.target().value();
                            picked.set(Stack::ALL.into_iter().find(|s| s.key() == key));
                        }
                    >
                        {options}
                    </select>
                    <button type="button" class="button" on:click=copy>"Copy YAML"</button>
                    <button type="button" class="button" on:click=save>"Download .yaml"</button>
                </div>
                <p class="status" role="status" aria-live="polite">{move || status.get()}</p>
                <pre class="manifest" tabindex="0" aria-label="Kubernetes manifests, YAML">
                    {move || yaml.get()}
                </pre>
            </Show>
        </section>
    }
}
