//! Kubernetes manifests for one stack as estimated: per service a
//! Deployment and a HorizontalPodAutoscaler, as YAML to copy or download.
//!
//! Every number comes from the estimate ([`StackEstimate`]) and the
//! scenario, nothing is computed here beyond rounding:
//! - `replicas`: the service's instances at today's peak, the lag's
//!   headroom included (one pod is one instance of the scenario's shape);
//! - CPU request and limit: the instance's vCPUs; memory request: the
//!   memory breakdown's total (processes, ML runtime, model, requests in
//!   flight), rounded up to a MiB; memory limit: the usable memory of the
//!   instance (its share after the headroom), never below the request;
//! - HPA: `minReplicas` the minimum replicas, `maxReplicas` the instances
//!   the last month of the horizon needs at its grown traffic, the target
//!   CPU utilisation the planned utilisation (the ceiling less the lag's
//!   headroom), so the autoscaler adds pods early enough;
//! - a readiness probe whose initial delay is the process's start-up,
//!   the model's load included.
//!
//! GPU services ask for one `nvidia.com/gpu` and keep their count (no HPA
//! on CPU). The text is YAML 1.2 a parser reads back (`tests/manifest.rs`).

use std::fmt::Write as _;

use crate::model::{NumField, Scenario, StackEstimate, TierEstimate, TierRole, MONTHS_PER_YEAR};

/// A name Kubernetes accepts for a stack's service: `fastify-api`.
pub fn service_name(stack: &StackEstimate, tier: &TierEstimate) -> String {
    let role = match tier.role {
        TierRole::Api => "api",
        TierRole::MlSidecar => "ml-sidecar",
        TierRole::DataService => "data-service",
        TierRole::Gpu => "gpu-inference",
    };
    format!("{}-{role}", stack.stack.key())
}

/// The port a framework's server listens on in the manifest: Uvicorn's
/// 8000 for FastAPI, 3000 for the Node.js frameworks.
fn port(tier: &TierEstimate) -> u16 {
    if tier.framework.on_node() {
        3000
    } else {
        8000
    }
}

/// The most replicas the autoscaler may run: the instances the horizon's
/// last month needs at its grown traffic, never fewer than today's.
pub fn max_replicas(tier: &TierEstimate, s: &Scenario) -> u64 {
    let months = (s.get(NumField::HorizonYears) * MONTHS_PER_YEAR).round();
    let growth =
        (1.0 + s.get(NumField::GrowthPct) / 100.0).powf((months - 1.0).max(0.0) / MONTHS_PER_YEAR);
    let needed = tier.instances_at_traffic(growth);
    if needed.is_finite() && needed > 0.0 && needed < u64::MAX as f64 {
        (needed as u64).max(tier.instances)
    } else {
        tier.instances
    }
}

/// The target CPU utilisation of the autoscaler, percent: the planned
/// utilisation, 1 to 100.
pub fn target_utilisation(tier: &TierEstimate) -> u64 {
    (tier.utilisation * 100.0).round().clamp(1.0, 100.0) as u64
}

/// Memory request and limit, MiB: the breakdown's total rounded up, and
/// the usable memory, never below the request.
pub fn memory_mib(tier: &TierEstimate) -> (u64, u64) {
    let request = tier.memory.total_mib().ceil().max(1.0);
    let limit = tier.memory.available_mib.floor().max(request);
    (request as u64, limit as u64)
}

/// The manifests of every service of `stack` for scenario `s`, one YAML
/// stream (documents separated by `---`).
pub fn kubernetes(stack: &StackEstimate, s: &Scenario) -> String {
    let mut out = String::new();
    let vcpu = s.get(NumField::Vcpu).round().max(1.0) as u64;
    let min_replicas = s.get(NumField::MinReplicas).round().max(1.0) as u64;
    let _ = writeln!(
        out,
        "# {} on Kubernetes, as Stackwise estimated it: {} req/s at peak today.",
        stack.stack.label(),
        crate::model::format::whole(stack.tiers.first().map_or(0.0, |t| t.peak_rps))
    );
    let _ = writeln!(
        out,
        "# Replace the image; requests, limits and the autoscaler follow the estimate."
    );
    for (i, tier) in stack.tiers.iter().enumerate() {
        let name = service_name(stack, tier);
        let start_ms = stack.deployment.tiers.get(i).map_or(0.0, |d| d.start_ms);
        let delay = (start_ms / 1e3).ceil().max(1.0) as u64;
        let port = port(tier);
        if i > 0 {
            out.push_str("---\n");
        }
        let _ = writeln!(
            out,
            "# {} ({}): {} per instance planned, {} at peak.",
            tier.role.label(),
            tier.framework.label(),
            crate::model::format::whole(tier.max_rps),
            crate::model::format::whole(tier.peak_rps)
        );
        let _ = write!(
            out,
            "apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels:
    app.kubernetes.io/name: {name}
spec:
  replicas: {replicas}
  selector:
    matchLabels:
      app.kubernetes.io/name: {name}
  template:
    metadata:
      labels:
        app.kubernetes.io/name: {name}
    spec:
      containers:
        - name: {name}
          image: registry.example.com/{name}:latest
          ports:
            - containerPort: {port}
          env:
            - name: WEB_CONCURRENCY
              value: \"{processes}\"
",
            replicas = tier.instances,
            processes = tier.processes,
        );
        if tier.on_gpu {
            out.push_str(
                "          resources:
            limits:
              nvidia.com/gpu: 1
",
            );
        } else {
            let (request, limit) = memory_mib(tier);
            let _ = write!(
                out,
                "          resources:
            requests:
              cpu: \"{vcpu}\"
              memory: {request}Mi
            limits:
              cpu: \"{vcpu}\"
              memory: {limit}Mi
"
            );
        }
        let _ = write!(
            out,
            "          readinessProbe:
            httpGet:
              path: /healthz
              port: {port}
            initialDelaySeconds: {delay}
            periodSeconds: 5
"
        );
        if tier.on_gpu {
            continue;
        }
        let _ = write!(
            out,
            "---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: {name}
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: {name}
  minReplicas: {min}
  maxReplicas: {max}
  metrics:
    - type: Resource
      resource:
        name: cpu
        target:
          type: Utilization
          averageUtilization: {target}
",
            min = min_replicas.min(tier.instances.max(1)),
            max = max_replicas(tier, s),
            target = target_utilisation(tier),
        );
    }
    out
}

/// The file name of a stack's manifests: `stackwise-fastify-k8s.yaml`.
pub fn file_name(stack: &StackEstimate) -> String {
    format!("stackwise-{}-k8s.yaml", stack.stack.key())
}
