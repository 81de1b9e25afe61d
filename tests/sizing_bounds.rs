//! The sizing searches stay bounded whatever a link or a valid scenario
//! asks for: figure edits outside their valid range are refused, and no
//! tier runs more processes than its vCPUs allow or more at once than it
//! has vCPUs.
#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

mod common;

use common::scenario;
use proptest::prelude::*;
use stackwise::model::{estimate, AssumptionId, NumField, SharedFigure};
use stackwise::state::codec::from_query;

/// Finding: `?vcpu=192&a.shared.usl_beta=0,0,0&a.shared.procs_per_vcpu=50,50,50`
/// froze the page (9,600 processes per instance, each tried with a
/// bisection over an O(P) queueing formula: 2.3 s for one estimate). The
/// process edit is now refused with the figure named, and the estimate
/// sizes at most 4 processes per vCPU.
#[test]
fn a_link_freezes_the_page_the_process_count_edit_is_refused() {
    let decoded = from_query("?vcpu=192&a.shared.usl_beta=0,0,0&a.shared.procs_per_vcpu=50,50,50");
    assert!(
        decoded
            .notes
            .iter()
            .any(|n| n.contains("Worker processes per vCPU") && n.contains("1 to 4")),
        "{:?}",
        decoded.notes
    );
    let state = &decoded.state;
    let id = AssumptionId::Shared(SharedFigure::ProcessesPerVcpu);
    assert!(!state.assumptions.is_edited(id));
    // The coherency edit is valid and kept: no USL peak at all.
    assert!(state
        .assumptions
        .is_edited(AssumptionId::Shared(SharedFigure::UslBeta)));
    let e = estimate(&state.scenario, &state.assumptions);
    for st in &e.stacks {
        for t in &st.tiers {
            assert!(t.processes <= 192, "{:?}: {}", st.stack, t.processes);
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn no_tier_runs_more_at_once_than_its_vcpus(s in scenario()) {
        let e = estimate(&s, &stackwise::model::AssumptionSet::published());
        let vcpu = s.get(NumField::Vcpu).round() as u32;
        for st in &e.stacks {
            for t in st.tiers.iter().filter(|t| !t.on_gpu) {
                prop_assert!(t.servers <= vcpu && t.servers <= t.processes);
                prop_assert!(t.processes <= vcpu * 4);
                // CPU capacity never beats one request per service time per vCPU.
                prop_assert!(t.capacity_rps <= f64::from(vcpu) * 1e3 / t.mean_service_ms * (1.0 + 1e-9));
            }
        }
    }
}
