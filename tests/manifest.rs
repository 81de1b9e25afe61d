//! The Kubernetes manifests read back with a YAML parser, every number
//! checked against the estimate it was written from.

#![cfg(not(target_arch = "wasm32"))]
#![allow(clippy::unwrap_used, clippy::expect_used)] // test helpers may panic

use serde::Deserialize;
use serde_yaml::Value;
use stackwise::model::{
    estimate, AssumptionSet, DeployTarget, MlDevice, NumField, Scenario, Stack, StackEstimate,
};
use stackwise::state::manifest::{kubernetes, service_name};

fn documents(yaml: &str) -> Vec<Value> {
    serde_yaml::Deserializer::from_str(yaml)
        .map(|d| Value::deserialize(d).expect("valid YAML"))
        .collect()
}

fn at<'a>(v: &'a Value, path: &[&str]) -> &'a Value {
    path.iter().fold(v, |v, key| {
        let next = match key.parse::<usize>() {
            Ok(i) => &v[i],
            Err(_) => &v[*key],
        };
        assert!(!next.is_null(), "{path:?} missing in {v:?}");
        next
    })
}

fn int(v: &Value, path: &[&str]) -> u64 {
    at(v, path)
        .as_u64()
        .unwrap_or_else(|| panic!("{path:?} is not a whole number"))
}

fn text(v: &Value, path: &[&str]) -> String {
    at(v, path).as_str().unwrap().to_string()
}

/// Checks every number of `stack`'s manifests against its estimate.
fn check(stack: &StackEstimate, s: &Scenario) {
    let yaml = kubernetes(stack, s);
    let docs = documents(&yaml);
    let vcpu = s.get(NumField::Vcpu).to_string();
    let mut i = 0;
    for (k, tier) in stack.tiers.iter().enumerate() {
        let name = service_name(stack, tier);
        let deployment = &docs[i];
        i += 1;
        assert_eq!(text(deployment, &["kind"]), "Deployment");
        assert_eq!(text(deployment, &["metadata", "name"]), name);
        assert_eq!(
            int(deployment, &["spec", "replicas"]),
            tier.instances,
            "{name}"
        );
        let container = at(deployment, &["spec", "template", "spec", "containers", "0"]);
        assert_eq!(
            text(container, &["env", "0", "value"]),
            tier.processes.to_string()
        );
        let delay = int(container, &["readinessProbe", "initialDelaySeconds"]);
        let start_s = stack.deployment.tiers[k].start_ms / 1e3;
        assert!(delay as f64 >= start_s && (delay as f64) < start_s + 1.0 + 1e-9);
        if tier.on_gpu {
            assert_eq!(
                int(container, &["resources", "limits", "nvidia.com/gpu"]),
                1
            );
            continue;
        }
        assert_eq!(text(container, &["resources", "requests", "cpu"]), vcpu);
        assert_eq!(text(container, &["resources", "limits", "cpu"]), vcpu);
        let mib = |path: &[&str]| -> f64 {
            let t = text(container, path);
            t.strip_suffix("Mi").unwrap().parse().unwrap()
        };
        let request = mib(&["resources", "requests", "memory"]);
        let limit = mib(&["resources", "limits", "memory"]);
        let total = tier.memory.total_mib();
        assert!(
            request >= total && request < total + 1.0,
            "{name}: {request} for {total}"
        );
        assert!(limit >= request);
        assert!(limit <= tier.memory.available_mib.max(request));

        let hpa = &docs[i];
        i += 1;
        assert_eq!(text(hpa, &["kind"]), "HorizontalPodAutoscaler");
        assert_eq!(text(hpa, &["spec", "scaleTargetRef", "name"]), name);
        let min = s.get(NumField::MinReplicas) as u64;
        assert_eq!(int(hpa, &["spec", "minReplicas"]), min.min(tier.instances));
        let max = int(hpa, &["spec", "maxReplicas"]);
        assert!(max >= tier.instances);
        let target = int(
            hpa,
            &[
                "spec",
                "metrics",
                "0",
                "resource",
                "target",
                "averageUtilization",
            ],
        );
        assert_eq!(target as f64, (tier.utilisation * 100.0).round(), "{name}");
    }
    assert_eq!(i, docs.len(), "one Deployment and one HPA per CPU service");
}

#[test]
fn every_stack_s_manifests_parse_and_match_the_estimate() {
    let mut s = Scenario::default();
    s.deploy = DeployTarget::Kubernetes;
    for (rps, ml) in [(200.0, 0.0), (20_000.0, 0.0), (2_000.0, 10.0)] {
        s.set(NumField::AvgRps, rps).unwrap();
        s.set(NumField::MlShare, ml).unwrap();
        let e = estimate(&s, &AssumptionSet::published());
        for stack in &e.stacks {
            check(stack, &s);
        }
    }
    s.ml_device = MlDevice::Gpu;
    let e = estimate(&s, &AssumptionSet::published());
    for stack in &e.stacks {
        check(stack, &s);
    }
}

#[test]
fn the_autoscaler_targets_the_planned_utilisation_below_the_ceiling() {
    // 96,000 req/s at peak on Fastify (see tests/deploy.rs). On Kubernetes
    // the lag is 62.356 s, a headroom of 2 x 62.356 / 900 = 13.857% in the
    // 15-minute climb from a third of the peak: 96,000 x 1.13857 / 50,722 =
    // 2.155, three pods, each planned at 65% / 1.13857 = 57%; the
    // horizon's growth (30% a year for 3 years, 35 months of it) raises the
    // most pods to ceil(96,000 x 1.3^(35/12) / 44,549) = ceil(4.63) = 5.
    let mut s = Scenario::default();
    s.deploy = DeployTarget::Kubernetes;
    s.set_mix([100.0, 0.0, 0.0, 0.0]).unwrap();
    s.set(NumField::AvgRps, 32_000.0).unwrap();
    let e = estimate(&s, &AssumptionSet::published());
    let fastify = e.stack(Stack::Fastify);
    let docs = documents(&kubernetes(fastify, &s));
    assert_eq!(int(&docs[0], &["spec", "replicas"]), 3);
    let hpa = &docs[1];
    assert_eq!(
        int(
            hpa,
            &[
                "spec",
                "metrics",
                "0",
                "resource",
                "target",
                "averageUtilization"
            ]
        ),
        57
    );
    assert_eq!(int(hpa, &["spec", "minReplicas"]), 2);
    assert_eq!(int(hpa, &["spec", "maxReplicas"]), 5);
}

#[test]
fn flat_traffic_lets_the_autoscaler_run_today_s_pods_and_no_more() {
    // Where the p99 sets the count behind least outstanding, one pod is
    // planned at today's peak over today's pods; the peak divided by that
    // comes back a hair over the count for some peaks (61 pods:
    // 61.000000000000007), and rounded up the autoscaler was allowed one
    // pod more than the traffic, flat over the horizon, ever needs.
    let mut s = Scenario::default();
    s.deploy = DeployTarget::Kubernetes;
    s.set(NumField::GrowthPct, 0.0).unwrap();
    let e = estimate(&s, &AssumptionSet::published());
    let mut tier = e.stack(Stack::Fastify).tiers[0];
    tier.instances = 61;
    let peak = (1..10_000)
        .map(|i| 1_000.0 + f64::from(i) * 0.37)
        .find(|peak| peak / (peak / 61.0) > 61.0)
        .expect("a peak whose division back overshoots");
    tier.peak_rps = peak;
    tier.max_rps = peak / 61.0;
    assert_eq!(stackwise::state::manifest::max_replicas(&tier, &s), 61);
}
