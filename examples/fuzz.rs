//! A fuzz pass over every surface that reads untrusted input, and over the
//! model at extreme valid scenarios.
//!
//! ```text
//! cargo run --profile fuzz --example fuzz -- --inputs 200000
//! ```
//!
//! Surfaces: links, JSON imports, the saved store, wrk, autocannon, k6, oha
//! and measurements files, `load,throughput` CSVs (read and fitted), the
//! messages to and from the uncertainty worker, and
//! the model (estimate, range, sensitivity and
//! a small Monte Carlo, each timed). Inputs are seeded from the real
//! fixtures (`tests/fixtures/loadtest`, an exported JSON, a saved store,
//! links) and mutated: truncation at every length, bit flips, huge and tiny
//! numbers, NaN and Infinity spellings, deep nesting, duplicate keys, 10 MB
//! values. Options: `--inputs N` per surface (default 2,000), `--model-inputs
//! N` (default: `--inputs` / 20, at least 20), `--seed S`, `--only SURFACE`.
//!
//! Prints, per surface: inputs tried, accepted, refused, panics, non-finite
//! values accepted, and the slowest input (time and a short description).
//! Exits non-zero on any panic or accepted non-finite value; each such
//! input is written under `target/fuzz-failures/` to reproduce it.
//!
//! The `fuzz` profile is the release one with unwinding, so a panic is
//! counted rather than ending the pass (`--release` builds abort on the
//! first panic, which still exits non-zero after naming the input).

#![allow(clippy::print_stdout)] // a command-line report

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    harness::run()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod harness {
    use std::cell::RefCell;
    use std::panic::{catch_unwind, AssertUnwindSafe};
    use std::path::{Path, PathBuf};
    use std::process::ExitCode;
    use std::time::{Duration, Instant};

    use stackwise::model::fit_usl;
    use stackwise::model::{
        estimate, monte_carlo, sensitivity, AssumptionId, AssumptionSet, ChoiceField, CurrentStack,
        Estimate, InstancePreset, MlDevice, ModelPreset, NodeMajor, NumField, RangeEstimate,
        Scenario, WorkloadPreset,
    };
    use stackwise::state::codec::{from_query, to_query, State};
    use stackwise::state::export::{import_json, to_json};
    use stackwise::state::loadtest::{parse, parse_measurements, parse_usl_csv, LoadTestResult};
    use stackwise::state::saved::{Library, Saved};
    use stackwise::state::worker::{Dealer, Message, Reply, Request, Step};

    /// Number spellings a mutation puts in place of a number.
    const SPELLINGS: &[&str] = &[
        "NaN",
        "nan",
        "-NaN",
        "Infinity",
        "-Infinity",
        "inf",
        "-inf",
        "infinity",
        "1e309",
        "-1e309",
        "1e308",
        "1.7976931348623157e308",
        "5e-324",
        "-5e-324",
        "1e-400",
        "2.2250738585072014e-308",
        "0",
        "-0",
        "-0.0",
        "+0",
        "0.0000001",
        "99999999999999999999999999",
        "18446744073709551616",
        "9007199254740993",
        "1,5",
        "0,5",
        "1.234,5",
        "1e",
        ".",
        "-",
        "",
        "0x10",
        "1_000",
        "true",
        "null",
        "\"1\"",
    ];

    /// Ten megabytes: the size of the largest value a mutation writes.
    const HUGE: usize = 10 * 1024 * 1024;

    /// A small, seeded generator (SplitMix64): the same seed, the same pass.
    struct Gen(u64);

    impl Gen {
        fn next(&mut self) -> u64 {
            self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
            let mut z = self.0;
            z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
            z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
            z ^ (z >> 31)
        }
        /// 0..n (0 when n is 0).
        fn below(&mut self, n: usize) -> usize {
            if n == 0 {
                0
            } else {
                (self.next() % n as u64) as usize
            }
        }
        fn chance(&mut self, one_in: u64) -> bool {
            self.next().is_multiple_of(one_in.max(1))
        }
        fn unit(&mut self) -> f64 {
            (self.next() >> 11) as f64 / (1u64 << 53) as f64
        }
        fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
            &items[self.below(items.len())]
        }
    }

    /// What one input did.
    enum Outcome {
        /// Read and used; `bad` names any non-finite or out-of-range value
        /// that got through.
        Accepted { bad: Option<String> },
        /// Refused (or, for a link, opened with notes), as it should be.
        Refused,
    }

    /// One surface's tally.
    #[derive(Default)]
    struct Tally {
        tried: u64,
        accepted: u64,
        refused: u64,
        panics: u64,
        non_finite: u64,
        slowest: Duration,
        slowest_what: String,
        /// The model surface's slowest scenario as a link, to reproduce it.
        slowest_link: String,
        total: Duration,
    }

    thread_local! {
        /// The input being run, for the panic hook.
        static CURRENT: RefCell<String> = const { RefCell::new(String::new()) };
    }

    struct Options {
        inputs: u64,
        model_inputs: u64,
        seed: u64,
        only: Option<String>,
    }

    fn options() -> Result<Options, String> {
        let mut o = Options {
            inputs: 2_000,
            model_inputs: 0,
            seed: 0x5EED,
            only: None,
        };
        let mut args = std::env::args().skip(1);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or_else(|| format!("{arg} needs a value"));
            match arg.as_str() {
                "--inputs" => o.inputs = value()?.parse().map_err(|e| format!("--inputs: {e}"))?,
                "--model-inputs" => {
                    o.model_inputs = value()?
                        .parse()
                        .map_err(|e| format!("--model-inputs: {e}"))?;
                }
                "--seed" => o.seed = value()?.parse().map_err(|e| format!("--seed: {e}"))?,
                "--only" => o.only = Some(value()?),
                other => return Err(format!("unknown option {other}")),
            }
        }
        if o.model_inputs == 0 {
            o.model_inputs = (o.inputs / 20).max(20);
        }
        Ok(o)
    }

    pub fn run() -> ExitCode {
        let o = match options() {
            Ok(o) => o,
            Err(e) => {
                eprintln!("fuzz: {e}\nusage: fuzz [--inputs N] [--model-inputs N] [--seed S] [--only SURFACE]");
                return ExitCode::FAILURE;
            }
        };
        std::panic::set_hook(Box::new(|info| {
            CURRENT.with(|c| eprintln!("panic on {}: {info}", c.borrow()));
        }));
        let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/loadtest");
        let seeds = match Seeds::load(&fixtures) {
            Ok(s) => s,
            Err(e) => {
                eprintln!("fuzz: {e}");
                return ExitCode::FAILURE;
            }
        };
        println!(
            "{:<13} {:>8} {:>8} {:>8} {:>6} {:>10} {:>9}  slowest input",
            "surface", "inputs", "accepted", "refused", "panics", "non-finite", "ms"
        );
        let mut failed = false;
        let surfaces: Vec<(&str, Surface<'_>)> = vec![
            (
                "links",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.links, run_link)),
            ),
            (
                "json-import",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.exports, run_import)),
            ),
            (
                "saved-store",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.saved, run_saved)),
            ),
            (
                "wrk",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.tool("wrk"), run_loadtest)),
            ),
            (
                "autocannon",
                Box::new(|g: &mut Gen, n| {
                    text_surface(g, n, &seeds.tool("autocannon"), run_loadtest)
                }),
            ),
            (
                "k6",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.tool("k6"), run_loadtest)),
            ),
            (
                "oha",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.tool("oha"), run_loadtest)),
            ),
            (
                "measurements",
                Box::new(|g: &mut Gen, n| {
                    text_surface(g, n, &seeds.tool("stackwise"), run_measurements)
                }),
            ),
            (
                "usl-csv",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.tool("usl"), run_usl_csv)),
            ),
            (
                "worker-msgs",
                Box::new(|g: &mut Gen, n| text_surface(g, n, &seeds.worker, run_worker_message)),
            ),
            ("model", Box::new(model_surface)),
        ];
        if let Some(only) = &o.only {
            if !surfaces.iter().any(|(name, _)| name == only) {
                let names: Vec<&str> = surfaces.iter().map(|(name, _)| *name).collect();
                eprintln!(
                    "fuzz: no surface {only:?}; the surfaces are {}",
                    names.join(", ")
                );
                return ExitCode::FAILURE;
            }
        }
        for (i, (name, surface)) in surfaces.iter().enumerate() {
            if o.only.as_deref().is_some_and(|only| only != *name) {
                continue;
            }
            let mut gen = Gen(o.seed ^ (i as u64).wrapping_mul(0x1000_0000_01B3));
            let n = if *name == "model" {
                o.model_inputs
            } else {
                o.inputs
            };
            let t = surface(&mut gen, n);
            println!(
                "{:<13} {:>8} {:>8} {:>8} {:>6} {:>10} {:>9.2}  {} (all {:.1} s)",
                name,
                t.tried,
                t.accepted,
                t.refused,
                t.panics,
                t.non_finite,
                t.slowest.as_secs_f64() * 1e3,
                t.slowest_what,
                t.total.as_secs_f64()
            );
            failed |= t.panics > 0 || t.non_finite > 0;
        }
        if failed {
            println!("fuzz: FAILED (inputs written to target/fuzz-failures/)");
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        }
    }

    /// Runs a surface: `n` inputs from a generator.
    type Surface<'a> = Box<dyn Fn(&mut Gen, u64) -> Tally + 'a>;

    /// Real inputs the mutations start from.
    struct Seeds {
        links: Vec<(String, String)>,
        exports: Vec<(String, String)>,
        saved: Vec<(String, String)>,
        loadtest: Vec<(String, String)>,
        worker: Vec<(String, String)>,
    }

    impl Seeds {
        fn load(fixtures: &Path) -> Result<Seeds, String> {
            let mut loadtest = Vec::new();
            for dir in [fixtures.to_path_buf(), fixtures.join("corrupt")] {
                let entries =
                    std::fs::read_dir(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                let mut paths: Vec<PathBuf> = entries.flatten().map(|e| e.path()).collect();
                paths.sort();
                for path in paths {
                    let name = path
                        .file_name()
                        .map_or(String::new(), |n| n.to_string_lossy().into_owned());
                    if path.is_file() && name != "README.md" {
                        let text = std::fs::read_to_string(&path)
                            .map_err(|e| format!("{}: {e}", path.display()))?;
                        loadtest.push((name, text));
                    }
                }
            }
            let states = sample_states();
            let links: Vec<(String, String)> = states
                .iter()
                .map(|(name, s)| (format!("link of {name}"), to_query(s)))
                .chain(
                    [
                        "v=1&rps=5000&ml=20&now=express&node=22&set=article&a.fastify.json_us=10,20,60",
                        "v=1&json=56&io=40&cpu=4",
                        "v=1&set=measured&a.fastify.usl_alpha=0.01,0.02,0.9&a.fastify.usl_beta=0,0.3,1&vcpu=64",
                        "?v=1&rps=2000&embed=1",
                        "v=1&rps=abc&peak=%3Cscript%3E&bogus=1",
                    ]
                    .iter()
                    .map(|l| (format!("link {l}"), (*l).to_string())),
                )
                .collect();
            let exports = states
                .iter()
                .map(|(name, s)| {
                    let e = estimate(&s.scenario, &s.assumptions);
                    (format!("export of {name}"), to_json(s, &e))
                })
                .collect();
            let mut lib = Library::default();
            for (name, s) in &states {
                lib.save(Saved {
                    name: (*name).to_string(),
                    query: to_query(s),
                    saved: "2026-12-03T10:00:00Z".into(),
                });
            }
            let saved = vec![
                ("saved store".to_string(), lib.write()),
                (
                    "saved store with a bad item".to_string(),
                    r#"{"version":1,"items":[{"name":"Launch","query":"v=1&rps=500","saved":"2026-11-27T10:00:00Z"},{"name":"","query":"v=1","saved":"x"}]}"#.into(),
                ),
            ];
            // Every message the page and the worker exchange, for each
            // state: its job, and each step of a short run of it.
            let mut worker = vec![
                ("ready".to_string(), Reply::Ready { protocol: 2 }.encode()),
                (
                    "refusal".to_string(),
                    Reply::Refused {
                        id: Some(3),
                        reason: "draws must be 1 to 1000000, not 0".into(),
                    }
                    .encode(),
                ),
            ];
            // A job whole (one worker) and dealt in ranges (two workers).
            for (id, (name, s)) in (1u64..).zip(&states) {
                let whole = Request::whole(id, s.clone(), 1_200, 7);
                let mut dealer = Dealer::new(0..1_200, 2);
                let ranges = std::iter::from_fn(|| dealer.deal()).map(|r| whole.share(r));
                for request in std::iter::once(whole.clone()).chain(ranges) {
                    let part = format!("{}..{}", request.range.start, request.range.end);
                    worker.push((format!("job {part} of {name}"), request.encode()));
                    let mut job = request.job(None);
                    while let Some(step) = job.step() {
                        let kind = match step {
                            Step::Swept(_) => "sweep",
                            Step::Drawn { .. } => "progress",
                            Step::Finished(_) => "result",
                            Step::Part(_) => "draws",
                        };
                        let reply = Reply::Step { id, step, ms: 1.5 };
                        let text = worker_text(&reply.message());
                        worker.push((format!("{kind} of {part} of {name}"), text));
                    }
                }
            }
            Ok(Seeds {
                links,
                exports,
                saved,
                loadtest,
                worker,
            })
        }

        /// The load-test fixtures whose name starts with `tool`.
        fn tool(&self, tool: &str) -> Vec<(String, String)> {
            self.loadtest
                .iter()
                .filter(|(name, _)| name.starts_with(tool))
                .cloned()
                .collect()
        }
    }

    /// A few states a user reaches: the default, each preset, edited figures.
    fn sample_states() -> Vec<(&'static str, State)> {
        let mut out = vec![("the default", State::default())];
        let mut s = Scenario::default();
        WorkloadPreset::ALL[0].apply(&mut s);
        ModelPreset::ALL[0].apply(&mut s);
        InstancePreset::ALL[2].apply(&mut s);
        s.ml_device = MlDevice::Gpu;
        s.current = CurrentStack::ALL[2];
        s.node = NodeMajor::V20;
        let _ = s.set(NumField::AvgRps, 12_345.0);
        let _ = s.set(NumField::PriceGibHour, 0.0);
        out.push((
            "presets",
            State {
                scenario: s,
                ..State::default()
            },
        ));
        let mut s = Scenario::default();
        let _ = s.set_mix([56.0, 40.0, 4.0, 0.0]);
        let _ = s.set(NumField::PeakRatio, 1.5);
        let mut assumptions = AssumptionSet::article();
        if let Some(id) = AssumptionId::all().next() {
            let mut a = assumptions.get(id).clone();
            a.typical = (a.low + a.high) / 2.0;
            let _ = assumptions.set(id, a);
        }
        out.push((
            "an edited mix and figure",
            State {
                scenario: s,
                assumptions,
            },
        ));
        out
    }

    /// Runs `n` inputs made from `seeds`: first every truncation of each
    /// seed (up to a share of the budget), then random mutations.
    fn text_surface(
        g: &mut Gen,
        n: u64,
        seeds: &[(String, String)],
        check: fn(&str) -> Outcome,
    ) -> Tally {
        let mut t = Tally::default();
        if seeds.is_empty() {
            return t;
        }
        let truncations = n / 4;
        let mut i = 0u64;
        'seeds: for (name, text) in seeds {
            for cut in (0..text.len()).filter(|c| text.is_char_boundary(*c)) {
                if i >= truncations {
                    break 'seeds;
                }
                let what = format!("{name} cut at byte {cut} of {}", text.len());
                one(&mut t, &what, &text[..cut], check);
                i += 1;
            }
        }
        while t.tried < n {
            let (name, text) = g.pick(seeds);
            let (input, how) = mutate(g, text);
            let what = format!("{name}, {how}");
            one(&mut t, &what, &input, check);
        }
        t
    }

    /// Runs one input, timing it and catching a panic.
    fn one(t: &mut Tally, what: &str, input: &str, check: fn(&str) -> Outcome) {
        CURRENT.with(|c| *c.borrow_mut() = what.to_string());
        let start = Instant::now();
        let outcome = catch_unwind(AssertUnwindSafe(|| check(input)));
        let mut took = start.elapsed();
        t.tried += 1;
        t.total += took;
        if took > t.slowest {
            // A new slowest is timed twice more and keeps its best: a
            // scheduling hiccup is not the input's.
            for _ in 0..2 {
                let again = Instant::now();
                let _ = catch_unwind(AssertUnwindSafe(|| check(input)));
                took = took.min(again.elapsed());
            }
        }
        if took > t.slowest {
            t.slowest = took;
            t.slowest_what = short(what);
        }
        match outcome {
            Ok(Outcome::Accepted { bad: None }) => t.accepted += 1,
            Ok(Outcome::Accepted { bad: Some(why) }) => {
                t.accepted += 1;
                t.non_finite += 1;
                keep_failure("non-finite", what, input);
                eprintln!("accepted a bad value on {what}: {why}");
            }
            Ok(Outcome::Refused) => t.refused += 1,
            Err(_) => {
                t.panics += 1;
                keep_failure("panic", what, input);
            }
        }
    }

    fn short(what: &str) -> String {
        if what.chars().count() > 100 {
            format!("{}…", what.chars().take(100).collect::<String>())
        } else {
            what.to_string()
        }
    }

    fn keep_failure(kind: &str, what: &str, input: &str) {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/fuzz-failures");
        if std::fs::create_dir_all(&dir).is_ok() {
            let n = std::fs::read_dir(&dir).map_or(0, |d| d.count());
            let _ = std::fs::write(dir.join(format!("{kind}-{n}.txt")), input);
            let _ = std::fs::write(dir.join(format!("{kind}-{n}.what")), what);
        }
    }

    /// One to three mutations of `text`, and what they were.
    fn mutate(g: &mut Gen, text: &str) -> (String, String) {
        let mut bytes = text.as_bytes().to_vec();
        let mut hows = Vec::new();
        for _ in 0..=g.below(3) {
            hows.push(mutate_once(g, &mut bytes));
        }
        (
            String::from_utf8_lossy(&bytes).into_owned(),
            hows.join(" + "),
        )
    }

    fn mutate_once(g: &mut Gen, b: &mut Vec<u8>) -> String {
        let len = b.len();
        match g.below(100) {
            0..=9 => {
                let cut = g.below(len + 1);
                b.truncate(cut);
                format!("cut at {cut}")
            }
            10..=24 => {
                if len == 0 {
                    return "nothing to flip".into();
                }
                let at = g.below(len);
                let bit = g.below(8);
                b[at] ^= 1 << bit;
                format!("bit {bit} of byte {at} flipped")
            }
            25..=49 => {
                let spelling = (*g.pick(SPELLINGS)).to_string();
                replace_number(g, b, spelling.as_bytes()).map_or("no number".into(), |at| {
                    format!("number at {at} -> {spelling}")
                })
            }
            50..=59 => {
                let digits = 1 + g.below(400);
                let big: String = std::iter::once('1')
                    .chain(std::iter::repeat_n('0', digits))
                    .collect();
                let tiny = format!("0.{}1", "0".repeat(digits));
                let value = if g.chance(2) { big } else { tiny };
                replace_number(g, b, value.as_bytes()).map_or("no number".into(), |at| {
                    format!("number at {at} -> {digits}-digit number")
                })
            }
            60..=66 => {
                // Duplicate a member: the bytes from one separator to the next.
                let seps: Vec<usize> = (0..len)
                    .filter(|&i| matches!(b[i], b',' | b'&' | b'\n'))
                    .collect();
                if seps.len() < 2 {
                    return "no member to repeat".into();
                }
                let k = g.below(seps.len() - 1);
                let (from, to) = (seps[k], seps[k + 1]);
                let member = b[from..to].to_vec();
                b.splice(from..from, member);
                format!("bytes {from}..{to} repeated (duplicate key)")
            }
            67..=72 => {
                let depth = 1 + g.below(100_000);
                let at = g.below(len + 1);
                let (open, close) = if g.chance(2) {
                    (b'[', b']')
                } else {
                    (b'{', b'}')
                };
                let mut nested = Vec::with_capacity(depth * 6);
                for _ in 0..depth {
                    if open == b'{' {
                        nested.extend_from_slice(b"{\"a\":");
                    } else {
                        nested.push(open);
                    }
                }
                nested.push(b'1');
                nested.extend(std::iter::repeat_n(close, depth));
                b.splice(at..at, nested);
                format!("{depth} levels of nesting at {at}")
            }
            // Rare (1 in 1,250 mutations): each costs tens of milliseconds.
            73..=74 if g.chance(25) => {
                let at = g.below(len + 1);
                let fill = if g.chance(2) { b'9' } else { b'x' };
                b.splice(at..at, std::iter::repeat_n(fill, HUGE));
                format!("10 MB of '{}' at {at}", fill as char)
            }
            75..=84 => {
                let at = g.below(len + 1);
                let n = 1 + g.below(16);
                let junk: Vec<u8> = (0..n).map(|_| (g.next() & 0xFF) as u8).collect();
                b.splice(at..at, junk);
                format!("{n} random bytes at {at}")
            }
            85..=92 => {
                if len == 0 {
                    return "nothing to delete".into();
                }
                let from = g.below(len);
                let to = (from + 1 + g.below(64)).min(len);
                b.drain(from..to);
                format!("bytes {from}..{to} deleted")
            }
            _ => {
                let tokens: &[&[u8]] = &[
                    b"%",
                    b"%25",
                    b"%2C",
                    b"%00",
                    b"\"",
                    b"\\",
                    b"\\u0000",
                    b"\xef\xbb\xbf",
                    b"&",
                    b"=",
                    b"a.",
                    b",",
                    b"v=0",
                    b"v=1.0",
                    b"\"version\": 0",
                    b"null",
                    b"[]",
                    b"{}",
                    b"\r\n",
                ];
                let token = g.pick(tokens);
                let at = g.below(len + 1);
                b.splice(at..at, token.iter().copied());
                format!("{:?} inserted at {at}", String::from_utf8_lossy(token))
            }
        }
    }

    /// Replaces one number of `b` (a run of digits, with sign, point and
    /// exponent) with `with`; returns where, or `None` if there is none.
    fn replace_number(g: &mut Gen, b: &mut Vec<u8>, with: &[u8]) -> Option<usize> {
        let mut runs = Vec::new();
        let mut i = 0;
        while i < b.len() {
            if b[i].is_ascii_digit() {
                let mut start = i;
                while start > 0 && matches!(b[start - 1], b'-' | b'+' | b'.') {
                    start -= 1;
                }
                let mut end = i;
                while end < b.len()
                    && (b[end].is_ascii_digit()
                        || matches!(b[end], b'.' | b'e' | b'E' | b'+' | b'-'))
                {
                    end += 1;
                }
                runs.push((start, end));
                i = end;
            } else {
                i += 1;
            }
        }
        if runs.is_empty() {
            return None;
        }
        let (start, end) = runs[g.below(runs.len())];
        b.splice(start..end, with.iter().copied());
        Some(start)
    }

    // ---------------------------------------------------------- checks --

    /// Why a state is not one the page may hold, if it is not.
    fn bad_state(state: &State) -> Option<String> {
        let s = &state.scenario;
        for field in NumField::ALL {
            let v = s.get(field);
            let spec = field.spec();
            if !v.is_finite() || v < spec.min || v > spec.max || (v == 0.0 && v.is_sign_negative())
            {
                return Some(format!("{} = {v}", spec.key));
            }
        }
        let total: f64 = NumField::MIX.iter().map(|f| s.get(*f)).sum();
        if (total - 100.0).abs() > 1e-9 {
            return Some(format!("shares sum to {total}"));
        }
        for id in AssumptionId::all() {
            let a = state.assumptions.get(id);
            if [a.low, a.typical, a.high].iter().any(|v| !v.is_finite()) {
                return Some(format!(
                    "figure {} = {}, {}, {}",
                    id.key(),
                    a.low,
                    a.typical,
                    a.high
                ));
            }
        }
        None
    }

    fn run_link(text: &str) -> Outcome {
        let decoded = from_query(text);
        let mut bad = bad_state(&decoded.state);
        if bad.is_none() {
            if let Some(long) = decoded.notes.iter().find(|n| n.chars().count() > 600) {
                bad = Some(format!("a note of {} characters", long.chars().count()));
            }
        }
        if bad.is_none() {
            // What the page writes back must reopen as the same state.
            let link = to_query(&decoded.state);
            let again = from_query(&link);
            if again.state != decoded.state || !again.notes.is_empty() {
                bad = Some(format!("{link} reopens differently: {:?}", again.notes));
            }
        }
        if bad.is_none() && !decoded.notes.is_empty() {
            return Outcome::Refused;
        }
        Outcome::Accepted { bad }
    }

    /// A message as the fuzz pass writes it: its text and, for a part's
    /// draws, a second line with the numbers sent beside it.
    fn worker_text(message: &Message) -> String {
        if message.values.is_empty() {
            return message.text.clone();
        }
        let values: Vec<String> = message.values.iter().map(|v| format!("{v:?}")).collect();
        format!("{}\n{}", message.text, values.join(" "))
    }

    /// A message either way between the page and the uncertainty worker
    /// (a part's draws on a second line, [`worker_text`]): what is read
    /// must write back as the same message; a job's state must be in
    /// range. Figures in a reply may be infinite (a stack that cannot be
    /// sized), so those are not counted as non-finite.
    fn run_worker_message(text: &str) -> Outcome {
        let (text, values) = match text.split_once('\n') {
            Some((text, values)) => {
                let Ok(values) = values
                    .split(' ')
                    .map(str::parse)
                    .collect::<Result<Vec<f64>, _>>()
                else {
                    return Outcome::Refused;
                };
                (text, values)
            }
            None => (text, Vec::new()),
        };
        let request = Request::decode(text);
        let reply = Reply::decode_message(Message {
            text: text.to_string(),
            values,
        });
        let mut bad = None;
        match (&request, &reply) {
            (Err(_), Err(_)) => return Outcome::Refused,
            (Ok(r), _) => {
                bad = bad_state(&r.state);
                if bad.is_none() && Request::decode(&r.encode()).as_ref() != Ok(r) {
                    bad = Some("a job that does not read back the same".into());
                }
            }
            (_, Ok(r)) => {
                let written = worker_text(&r.message());
                let again =
                    Reply::decode_message(r.message()).map(|back| worker_text(&back.message()));
                if again.as_ref() != Ok(&written) {
                    bad = Some("a reply that does not read back the same".into());
                }
            }
        }
        Outcome::Accepted { bad }
    }

    fn run_import(text: &str) -> Outcome {
        match import_json(text) {
            Ok(state) => Outcome::Accepted {
                bad: bad_state(&state),
            },
            Err(problems) => match problems.iter().find(|p| p.chars().count() > 600) {
                Some(long) => Outcome::Accepted {
                    bad: Some(format!("a problem of {} characters", long.chars().count())),
                },
                None => Outcome::Refused,
            },
        }
    }

    fn run_saved(text: &str) -> Outcome {
        let lib = Library::read(Some(text));
        for item in &lib.items {
            if let Some(why) = bad_state(&from_query(&item.query).state) {
                return Outcome::Accepted { bad: Some(why) };
            }
        }
        if let Some(long) = lib.notes.iter().find(|n| n.chars().count() > 600) {
            return Outcome::Accepted {
                bad: Some(format!("a note of {} characters", long.chars().count())),
            };
        }
        if lib.notes.is_empty() {
            Outcome::Accepted { bad: None }
        } else {
            Outcome::Refused
        }
    }

    fn bad_result(r: &LoadTestResult) -> Option<String> {
        let numbers = [
            Some(r.requests_per_second),
            r.latency_mean_ms,
            r.latency_p50_ms,
            r.latency_p99_ms,
            r.latency_p99_percentile,
            r.duration_s,
        ];
        numbers
            .iter()
            .flatten()
            .find(|v| !v.is_finite() || **v < 0.0)
            .map(|v| format!("{v} in {r:?}"))
            .or_else(|| (r.requests_per_second <= 0.0).then(|| "zero rate".to_string()))
    }

    fn run_loadtest(text: &str) -> Outcome {
        match parse(text) {
            Ok(runs) => Outcome::Accepted {
                bad: runs.iter().find_map(|(_, r)| bad_result(r)),
            },
            Err(e) => {
                let message = e.to_string();
                if message.chars().count() > 600 {
                    Outcome::Accepted {
                        bad: Some(format!(
                            "a message of {} characters",
                            message.chars().count()
                        )),
                    }
                } else {
                    Outcome::Refused
                }
            }
        }
    }

    fn run_measurements(text: &str) -> Outcome {
        match parse_measurements(text) {
            Ok(m) => Outcome::Accepted {
                bad: m.runs.iter().find_map(|r| bad_result(&r.result)),
            },
            Err(_) => run_loadtest(text),
        }
    }

    /// A `load,throughput` CSV, read and, when it reads, fitted: every
    /// point and every coefficient the page would show must be finite.
    fn run_usl_csv(text: &str) -> Outcome {
        match parse_usl_csv(text) {
            Ok(csv) => {
                let bad_point = csv
                    .points
                    .iter()
                    .find(|p| !p.throughput.is_finite() || p.throughput <= 0.0 || p.load == 0)
                    .map(|p| format!("point {p:?}"));
                let bad_fit = fit_usl(&csv.pairs()).ok().and_then(|u| {
                    let mut shown = vec![u.sigma, u.kappa, u.gamma, u.r_squared];
                    if let Some(interval) = u.interval_90() {
                        shown.extend(interval.iter().flat_map(|(lo, hi)| [*lo, *hi]));
                    }
                    if let Some((n, x)) = u.peak() {
                        shown.extend([n, x]);
                    }
                    shown
                        .iter()
                        .any(|v| !v.is_finite())
                        .then(|| format!("fit {u:?}"))
                });
                Outcome::Accepted {
                    bad: bad_point.or(bad_fit),
                }
            }
            Err(e) => {
                let message = e.to_string();
                if message.chars().count() > 20 * 300 {
                    Outcome::Accepted {
                        bad: Some(format!(
                            "a message of {} characters",
                            message.chars().count()
                        )),
                    }
                } else {
                    Outcome::Refused
                }
            }
        }
    }

    // ----------------------------------------------------------- model --

    /// Extreme valid scenarios: every field at an end of its range, its
    /// default or anywhere between, every choice at random; timed through
    /// the estimate, the range, the sensitivity and a small Monte Carlo.
    fn model_surface(g: &mut Gen, n: u64) -> Tally {
        let mut t = Tally::default();
        let mut parts = [Duration::ZERO; 4];
        let mut slowest_part = [
            (Duration::ZERO, String::new()),
            (Duration::ZERO, String::new()),
            (Duration::ZERO, String::new()),
            (Duration::ZERO, String::new()),
        ];
        for _ in 0..n {
            let mut s = Scenario::default();
            let mut ends = Vec::new();
            for field in NumField::ALL {
                let spec = field.spec();
                let v = match g.below(10) {
                    0..=3 => {
                        ends.push(format!("{}=min", spec.key));
                        spec.min
                    }
                    4..=7 => {
                        ends.push(format!("{}=max", spec.key));
                        spec.max
                    }
                    8 => spec.default,
                    _ => spec.min + g.unit() * (spec.max - spec.min),
                };
                if !NumField::MIX.contains(&field) {
                    let _ = s.set(field, v);
                }
            }
            let mix = [0; 4].map(|_| if g.chance(2) { 0.0 } else { 100.0 * g.unit() });
            let _ = s.set_mix(mix);
            for field in ChoiceField::ALL {
                let options = field.options();
                let key = g.pick(&options).key;
                ends.push(format!("{}={key}", field.spec().key));
                let _ = s.set_choice(field, key);
            }
            let state = State {
                scenario: s,
                ..State::default()
            };
            let what = format!("at the ends: {}", ends.join(" "));
            let seed = g.next();
            CURRENT.with(|c| *c.borrow_mut() = what.clone());
            let run = || {
                let set = &state.assumptions;
                let s = &state.scenario;
                let mut times = [Duration::ZERO; 4];
                let clock = Instant::now();
                let e = estimate(s, set);
                times[0] = clock.elapsed();
                let clock = Instant::now();
                let range = RangeEstimate::new(s, set);
                times[1] = clock.elapsed();
                let clock = Instant::now();
                let sens = sensitivity(s, set);
                times[2] = clock.elapsed();
                let clock = Instant::now();
                let mc = monte_carlo(s, set, 16, seed);
                times[3] = clock.elapsed();
                let mut numbers = visible(&e);
                for e in [&range.optimistic, &range.typical, &range.pessimistic] {
                    numbers.extend(visible(e));
                }
                numbers.push(sens.base_total);
                for sw in &sens.swings {
                    numbers.extend([sw.totals.0, sw.totals.1]);
                }
                for o in &mc.stacks {
                    numbers.extend([o.total.p5, o.total.p50, o.total.p95, o.p_cheapest]);
                }
                let bad = numbers.iter().position(|v| !v.is_finite());
                (times, bad)
            };
            let start = Instant::now();
            let mut result = catch_unwind(AssertUnwindSafe(run));
            let mut took = start.elapsed();
            t.tried += 1;
            t.total += took;
            // A new slowest (overall or of a part) is timed twice more and
            // keeps its best: a scheduling hiccup is not the scenario's.
            let new_slowest = took > t.slowest
                || result.as_ref().is_ok_and(|(times, _)| {
                    times
                        .iter()
                        .zip(&slowest_part)
                        .any(|(d, (worst, _))| d > worst)
                });
            if new_slowest {
                for _ in 0..2 {
                    let again = Instant::now();
                    let retry = catch_unwind(AssertUnwindSafe(run));
                    took = took.min(again.elapsed());
                    if let (Ok((times, _)), Ok((retimed, _))) = (&mut result, retry) {
                        for (d, r) in times.iter_mut().zip(retimed) {
                            *d = (*d).min(r);
                        }
                    }
                }
            }
            if took > t.slowest {
                t.slowest = took;
                t.slowest_what = short(&what);
                t.slowest_link = to_query(&state);
            }
            if t.tried.is_multiple_of(10_000) {
                eprintln!(
                    "model: {} inputs, {} panics, {} non-finite, slowest {:.2} ms so far: ?{}",
                    t.tried,
                    t.panics,
                    t.non_finite,
                    t.slowest.as_secs_f64() * 1e3,
                    t.slowest_link
                );
            }
            match result {
                Ok((times, bad)) => {
                    t.accepted += 1;
                    for (k, d) in times.iter().enumerate() {
                        parts[k] += *d;
                        if *d > slowest_part[k].0 {
                            slowest_part[k] = (*d, short(&what));
                        }
                    }
                    if let Some(i) = bad {
                        t.non_finite += 1;
                        keep_failure("model-non-finite", &what, &to_query(&state));
                        eprintln!("model: number {i} not finite on {what}");
                    }
                }
                Err(_) => {
                    t.panics += 1;
                    keep_failure("model-panic", &what, &to_query(&state));
                }
            }
        }
        println!("  model slowest scenario, as a link: ?{}", t.slowest_link);
        for (k, name) in ["estimate", "range", "sensitivity", "monte carlo (16 draws)"]
            .iter()
            .enumerate()
        {
            let mean = parts[k].as_secs_f64() * 1e3 / t.tried.max(1) as f64;
            println!(
                "  model {name:<22} mean {mean:>8.3} ms, slowest {:>9.2} ms: {}",
                slowest_part[k].0.as_secs_f64() * 1e3,
                slowest_part[k].1
            );
        }
        t
    }

    fn visible(e: &Estimate) -> Vec<f64> {
        let mut out = Vec::new();
        for st in &e.stacks {
            out.extend([
                st.throughput_per_instance,
                st.memory_per_instance_mib,
                st.monthly.compute,
                st.monthly.memory,
                st.monthly.gpu,
                st.infra_horizon,
                st.people.total(),
                st.total,
            ]);
            out.extend(st.cumulative.iter().copied());
        }
        out
    }
}
