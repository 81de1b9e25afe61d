//! Quick starts: instance shapes with their prices, ML models, and whole
//! workloads.
//!
//! Instance prices are AWS's generated price list of 2026-01-19 (us-east-1,
//! Linux, on demand), as SOURCES.md gives them. The model prices vCPUs and
//! memory separately, so an instance's hourly price is split in the ratio of
//! Fargate's per-vCPU and per-GB prices for the same architecture (x86:
//! $0.04048 and $0.004445; ARM: $0.03238 and $0.00356): the split moves
//! money between the two lines of the bill, never the total.

use super::scenario::{MlDevice, NumField, Scenario};

/// An instance shape and its price.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct InstancePreset {
    /// Name shown in the list.
    pub name: &'static str,
    /// vCPUs.
    pub vcpu: f64,
    /// Memory, GiB.
    pub mem_gib: f64,
    /// On-demand price per hour, USD; `None` for Fargate (priced per unit).
    pub hourly: Option<f64>,
    /// Whether it is an ARM (Graviton) shape.
    pub arm: bool,
}

/// Fargate x86 price per vCPU-hour (AWS price list, 2026-01-19).
pub const FARGATE_X86_VCPU: f64 = 0.04048;
/// Fargate x86 price per GB-hour.
pub const FARGATE_X86_GIB: f64 = 0.004445;
/// Fargate ARM price per vCPU-hour.
pub const FARGATE_ARM_VCPU: f64 = 0.03238;
/// Fargate ARM price per GB-hour.
pub const FARGATE_ARM_GIB: f64 = 0.00356;

impl InstancePreset {
    /// Every shape offered.
    pub const ALL: [InstancePreset; 9] = [
        InstancePreset {
            name: "Fargate x86, 2 vCPU / 4 GiB",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: None,
            arm: false,
        },
        InstancePreset {
            name: "Fargate ARM, 2 vCPU / 4 GiB",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: None,
            arm: true,
        },
        InstancePreset {
            name: "t3.medium, 2 vCPU / 4 GiB, $0.0416/h",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: Some(0.0416),
            arm: false,
        },
        InstancePreset {
            name: "t4g.medium (ARM), 2 vCPU / 4 GiB, $0.0336/h",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: Some(0.0336),
            arm: true,
        },
        InstancePreset {
            name: "c6i.large, 2 vCPU / 4 GiB, $0.085/h",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: Some(0.085),
            arm: false,
        },
        InstancePreset {
            name: "c7g.large (ARM), 2 vCPU / 4 GiB, $0.0725/h",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: Some(0.0725),
            arm: true,
        },
        InstancePreset {
            name: "c7i.large, 2 vCPU / 4 GiB, $0.08925/h",
            vcpu: 2.0,
            mem_gib: 4.0,
            hourly: Some(0.08925),
            arm: false,
        },
        InstancePreset {
            name: "m6i.large, 2 vCPU / 8 GiB, $0.096/h",
            vcpu: 2.0,
            mem_gib: 8.0,
            hourly: Some(0.096),
            arm: false,
        },
        InstancePreset {
            name: "m7g.large (ARM), 2 vCPU / 8 GiB, $0.0816/h",
            vcpu: 2.0,
            mem_gib: 8.0,
            hourly: Some(0.0816),
            arm: true,
        },
    ];

    /// Price per vCPU-hour and per GiB-hour: Fargate's own, or the hourly
    /// price split in Fargate's ratio.
    pub fn unit_prices(&self) -> (f64, f64) {
        let (v, g) = if self.arm {
            (FARGATE_ARM_VCPU, FARGATE_ARM_GIB)
        } else {
            (FARGATE_X86_VCPU, FARGATE_X86_GIB)
        };
        match self.hourly {
            None => (v, g),
            Some(hourly) => {
                let k = hourly / (self.vcpu * v + self.mem_gib * g);
                (v * k, g * k)
            }
        }
    }

    /// Writes the shape and its prices into a scenario.
    pub fn apply(&self, s: &mut Scenario) {
        let (pv, pg) = self.unit_prices();
        for (field, value) in [
            (NumField::Vcpu, self.vcpu),
            (NumField::MemGib, self.mem_gib),
            (NumField::PriceVcpuHour, pv),
            (NumField::PriceGibHour, pg),
        ] {
            // Every preset value is inside its field's range (tested).
            let _ = s.set(field, value);
        }
    }

    /// The preset whose shape and prices the scenario has, if any.
    pub fn matching(s: &Scenario) -> Option<&'static InstancePreset> {
        InstancePreset::ALL.iter().find(|p| {
            let (pv, pg) = p.unit_prices();
            s.get(NumField::Vcpu) == p.vcpu
                && s.get(NumField::MemGib) == p.mem_gib
                && (s.get(NumField::PriceVcpuHour) - pv).abs() < 1e-9
                && (s.get(NumField::PriceGibHour) - pg).abs() < 1e-9
        })
    }
}

/// A model to serve.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ModelPreset {
    /// Name shown in the list.
    pub name: &'static str,
    /// Memory of one loaded copy, MiB.
    pub model_mib: f64,
    /// Inference time per request on CPU, ms.
    pub cpu_ms: f64,
    /// Inference time per request on GPU, ms.
    pub gpu_ms: f64,
    /// Where the figures come from.
    pub source: &'static str,
}

impl ModelPreset {
    /// Every model offered.
    pub const ALL: [ModelPreset; 2] = [
        ModelPreset {
            name: "Small classifier (DistilBERT sentiment, the article's example)",
            model_mib: 256.0,
            cpu_ms: 60.0,
            gpu_ms: 14.0,
            source: "DistilBERT has 66 million parameters (Sanh et al., 2019): about 255 MiB in fp32. Inference: 60 ms per text on CPU and 14 ms on a Tesla T4 for distilbert-base-cased in PyTorch, one text of about 51 tokens at a time (PuxAI/PII_Bert on Hugging Face, real_test_inference_metrics_T4.csv, 2,176 test texts). Optimised runtimes are several times faster: 4.5-11 ms on Xeon CPUs and 0.91 ms on a GPU with ONNX Runtime (microsoft/Olive performance check, PR 439).",
        },
        ModelPreset {
            name: "Large model (7B parameters, 8-bit)",
            model_mib: 7_500.0,
            cpu_ms: 4_000.0,
            gpu_ms: 400.0,
            source: "7 billion parameters at one byte each is about 6.5 GiB, plus runtime buffers. Inference times are a Stackwise assumption for a short generation; measure your own. Why: a reply of about 40 tokens at roughly 10 tokens a second on a server CPU and 100 on one data-centre GPU, the speeds 8-bit 7B models are commonly run at.",
        },
    ];

    /// Writes the model into a scenario for the given device.
    pub fn apply(&self, s: &mut Scenario) {
        let ms = match s.ml_device {
            MlDevice::Cpu => self.cpu_ms,
            MlDevice::Gpu => self.gpu_ms,
        };
        let _ = s.set(NumField::ModelMib, self.model_mib);
        let _ = s.set(NumField::InferenceMs, ms);
    }
}

/// A whole workload to start from.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct WorkloadPreset {
    /// Name shown on the button.
    pub name: &'static str,
    /// One line on what it is.
    pub description: &'static str,
    /// Shares: JSON, I/O, CPU, ML (percent).
    pub mix: [f64; 4],
    /// Share of the CPU-bound work done in vectorised libraries, percent.
    pub vectorised_pct: f64,
    /// Average req/s.
    pub avg_rps: f64,
    /// Peak-to-average ratio.
    pub peak: f64,
    /// I/O wait, ms.
    pub io_wait_ms: f64,
    /// p99 target, ms.
    pub p99_ms: f64,
    /// The model, when there is one.
    pub model: Option<usize>,
}

impl WorkloadPreset {
    /// Every workload offered.
    pub const ALL: [WorkloadPreset; 4] = [
        WorkloadPreset {
            name: "CRUD API",
            description: "A typical business API: mostly JSON and database calls.",
            mix: [70.0, 25.0, 5.0, 0.0],
            vectorised_pct: 0.0,
            avg_rps: 200.0,
            peak: 3.0,
            io_wait_ms: 20.0,
            p99_ms: 300.0,
            model: None,
        },
        WorkloadPreset {
            name: "ML inference service",
            description: "The article's sentiment endpoint: a small model behind a JSON API.",
            mix: [40.0, 20.0, 0.0, 40.0],
            vectorised_pct: 0.0,
            avg_rps: 100.0,
            peak: 4.0,
            io_wait_ms: 20.0,
            p99_ms: 500.0,
            model: Some(0),
        },
        WorkloadPreset {
            name: "Realtime I/O gateway",
            description: "Many requests that mostly wait on other services.",
            mix: [20.0, 80.0, 0.0, 0.0],
            vectorised_pct: 0.0,
            avg_rps: 5_000.0,
            peak: 2.5,
            io_wait_ms: 80.0,
            p99_ms: 250.0,
            model: None,
        },
        WorkloadPreset {
            name: "Data / reporting API",
            description:
                "Requests that compute: aggregation, exports, reports, mostly in pandas or Polars.",
            mix: [40.0, 30.0, 30.0, 0.0],
            vectorised_pct: 80.0,
            avg_rps: 50.0,
            peak: 3.0,
            io_wait_ms: 40.0,
            p99_ms: 2_000.0,
            model: None,
        },
    ];

    /// Writes the workload into a scenario (team, prices and horizon stay).
    pub fn apply(&self, s: &mut Scenario) {
        let _ = s.set_mix(self.mix);
        for (field, value) in [
            (NumField::AvgRps, self.avg_rps),
            (NumField::PeakRatio, self.peak),
            (NumField::IoWaitMs, self.io_wait_ms),
            (NumField::P99TargetMs, self.p99_ms),
            (NumField::VectorisedShare, self.vectorised_pct),
        ] {
            let _ = s.set(field, value);
        }
        if let Some(model) = self.model.and_then(|i| ModelPreset::ALL.get(i)) {
            model.apply(s);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitting_keeps_the_hourly_price() {
        for p in InstancePreset::ALL {
            let (pv, pg) = p.unit_prices();
            let total = pv * p.vcpu + pg * p.mem_gib;
            if let Some(hourly) = p.hourly {
                assert!((total - hourly).abs() < 1e-12, "{}", p.name);
            }
            let mut s = Scenario::default();
            p.apply(&mut s);
            assert_eq!(InstancePreset::matching(&s), Some(&p), "{}", p.name);
        }
    }

    #[test]
    fn the_default_scenario_is_fargate_x86() {
        assert_eq!(
            InstancePreset::matching(&Scenario::default()).map(|p| p.name),
            Some(InstancePreset::ALL[0].name)
        );
    }

    #[test]
    fn presets_set_what_they_say() {
        for w in WorkloadPreset::ALL {
            let mut s = Scenario::default();
            w.apply(&mut s);
            assert_eq!(s.get(NumField::AvgRps), w.avg_rps, "{}", w.name);
            let mix = s.mix();
            for (got, want) in mix.iter().zip(w.mix) {
                assert!((got * 100.0 - want).abs() < 1e-9, "{}", w.name);
            }
        }
        let mut s = Scenario::default();
        s.ml_device = MlDevice::Gpu;
        ModelPreset::ALL[1].apply(&mut s);
        assert_eq!(s.get(NumField::InferenceMs), 400.0);
    }
}
