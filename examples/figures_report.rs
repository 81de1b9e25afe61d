//! Prints what the page would answer for the default scenario and each
//! workload preset with the published benchmarks: instances and total per
//! stack, the median instances over the Monte Carlo draws, the headline and
//! what it turns on; then the article's JSON throughput ordering and how long
//! 10,000 draws take. `cargo run --release --example figures_report`.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::io::Result<()> {
    native::run()
}

// A native tool: nothing to run in a browser.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {
    use std::io::{self, Write};
    use std::time::Instant;

    use stackwise::model::{
        apply_rules, estimate, monte_carlo, recommend, sensitivity, AssumptionSet, NodeMajor,
        NumField, Scenario, Stack, WorkloadPreset, DEFAULT_DRAWS, DEFAULT_SEED,
    };
    use stackwise::state::codec::State;

    fn report(out: &mut impl Write, name: &str, s: &Scenario) -> io::Result<()> {
        let set = AssumptionSet::published();
        let e = estimate(s, &set);
        let mc = monte_carlo(s, &set, DEFAULT_DRAWS, DEFAULT_SEED);
        let sens = sensitivity(s, &set);
        let r = recommend(s, &e, Some(&mc), Some(&sens));
        writeln!(out, "## {name}")?;
        writeln!(
            out,
            "{:<10} {:>9} {:>14} {:>14}",
            "stack", "instances", "median draws", "total"
        )?;
        for st in Stack::ALL {
            let x = e.stack(st);
            writeln!(
                out,
                "{:<10} {:>9} {:>14} {:>14.0}",
                st.label(),
                x.instances,
                mc.stack(st).instances.p50,
                x.total
            )?;
        }
        writeln!(out, "headline: {}", r.headline)?;
        for d in &r.drivers {
            writeln!(out, "  - {d}")?;
        }
        let rules = apply_rules(s, &e);
        writeln!(out, "rules: {}", rules.summary)?;
        for t in &rules.triggered {
            writeln!(out, "  * {} ({})", t.rule.quote, t.because)?;
        }
        writeln!(out)
    }

    pub fn run() -> io::Result<()> {
        let mut out = io::stdout().lock();
        // The page's start: the default inputs with the switches as the
        // published benchmarks set them.
        let start = State::default().scenario;
        report(&mut out, "Default scenario", &start)?;
        for w in WorkloadPreset::ALL {
            let mut s = start.clone();
            w.apply(&mut s);
            report(&mut out, w.name, &s)?;
        }
        let mut busy = start.clone();
        // In range by construction.
        let _ = busy.set(NumField::AvgRps, 20_000.0);
        report(&mut out, "Default scenario at 20,000 req/s", &busy)?;
        let _ = busy.set_mix([100.0, 0.0, 0.0, 0.0]);
        report(&mut out, "JSON only at 20,000 req/s", &busy)?;

        writeln!(
            out,
            "## The article's set, JSON only, 200,000 req/s: throughput per instance"
        )?;
        let article = AssumptionSet::article();
        for node in NodeMajor::ALL {
            let mut s = Scenario::default();
            // In range by construction.
            let _ = s.set_mix([100.0, 0.0, 0.0, 0.0]);
            let _ = s.set(NumField::AvgRps, 200_000.0);
            s.node = node;
            let e = estimate(&s, &article);
            let mut rows: Vec<(Stack, f64)> = [Stack::FastApi, Stack::Fastify, Stack::Express]
                .into_iter()
                .map(|st| (st, e.stack(st).throughput_per_instance))
                .collect();
            rows.sort_by(|a, b| b.1.total_cmp(&a.1));
            let text: Vec<String> = rows
                .iter()
                .map(|(st, rps)| format!("{} {:.0}", st.label(), rps))
                .collect();
            writeln!(out, "{node:?}: {}", text.join(" > "))?;
        }

        let s = Scenario::default();
        let set = AssumptionSet::published();
        let best = (0..5)
            .map(|_| {
                let start = Instant::now();
                let mc = monte_carlo(&s, &set, 10_000, DEFAULT_SEED);
                let ms = start.elapsed().as_secs_f64() * 1e3;
                std::hint::black_box(mc);
                ms
            })
            .fold(f64::INFINITY, f64::min);
        writeln!(
            out,
            "\n10,000 draws, default scenario: {best:.1} ms (best of 5)"
        )
    }
}
