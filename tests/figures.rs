//! Issue 13, "Figures a reader can trust": each finding pinned by a test
//! named after it.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use stackwise::model::{estimate, AssumptionSet, NodeMajor, NumField, Scenario, Stack};

/// Finding 3: the article's figures carry no runtime-version adjustment, so
/// on every Node version its JSON ordering is the article's: FastAPI >
/// Fastify > Express (with the Node 24 speed-up, Express came first).
#[test]
fn the_article_set_orders_json_throughput_as_the_article_on_every_node_version() {
    let set = AssumptionSet::article();
    for node in NodeMajor::ALL {
        let mut s = Scenario::default();
        s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
        s.set(NumField::AvgRps, 200_000.0).unwrap();
        s.node = node;
        let e = estimate(&s, &set);
        let rps = |st: Stack| e.stack(st).throughput_per_instance;
        assert!(
            rps(Stack::FastApi) > rps(Stack::Fastify) && rps(Stack::Fastify) > rps(Stack::Express),
            "{node:?}: FastAPI {}, Fastify {}, Express {} req/s per instance",
            rps(Stack::FastApi),
            rps(Stack::Fastify),
            rps(Stack::Express)
        );
    }
}
