//! The fuzz harness (issue 19), shared by the CI smoke pass (`tests/fuzz_smoke.rs`, debug,
//! bounded) and the long native campaign (`examples/fuzz.rs`, release, `scripts/fuzz.sh`).
//!
//! - [`gen`]: seeded inputs — structure-aware CRM tables, byte mutations of real files,
//!   hostile option objects, tampered model JSON.
//! - [`rules_gen`]: rule lists for the `rules` target (random expressions, JSON Logic, deep
//!   nesting, long chains).
//! - [`targets`]: one target per public entry point, its generator and its judge.
//! - [`modules`]: the targets of the lazily loaded modules (`sheets`, `arrow`, `predict`).
//! - [`workbook`]: .xlsx and .ods workbooks written natively (a stored zip) for `sheets`.
//! - this file: the loop. Each input runs under `catch_unwind` with a timer (wall clock and
//!   thread CPU time: a hang is over its bound in both); outcomes are
//!   counted per target (`ok`, error code, `panic`, `slow`, `wrong`), and every panic, slow
//!   or wrong input is written to the output directory with its seed so it can be replayed.

#![allow(dead_code)]

pub mod gen;
pub mod modules;
pub mod rules_gen;
pub mod targets;
pub mod workbook;

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::time::Instant;

use crmlens::rng::Rng;
use serde_json::json;

#[allow(unused_imports)]
pub use targets::{all, Target, CORE, MODULES};

/// Findings kept (saved and listed) per target and kind.
pub const MAX_KEPT: usize = 20;

pub struct Config {
    pub seed: u64,
    /// Stop after this many inputs in all…
    pub inputs: u64,
    /// …or after this many seconds, whichever comes first.
    pub seconds: f64,
    /// Largest input file in bytes.
    pub max_bytes: usize,
    /// An input taking longer than `slow_ms_base + slow_ms_per_kb × KiB` is a hang.
    pub slow_ms_base: f64,
    pub slow_ms_per_kb: f64,
    pub targets: Vec<Target>,
    /// Where failing inputs go (none: only counted).
    pub out_dir: Option<PathBuf>,
    /// Write every input to `out_dir/current.json` before running it (to catch aborts).
    pub save_each: bool,
    pub corpus_dir: PathBuf,
}

#[derive(Default, Debug, Clone)]
pub struct Counts {
    pub runs: u64,
    pub ok: u64,
    pub errors: BTreeMap<String, u64>,
    pub panics: u64,
    pub slow: u64,
    pub wrong: u64,
    pub max_ms: f64,
    pub total_ms: f64,
}

#[derive(Debug, Clone)]
pub struct Finding {
    pub target: &'static str,
    pub kind: &'static str,
    pub message: String,
    pub seed: u64,
    pub ms: f64,
    pub saved: Option<PathBuf>,
}

#[derive(Default)]
pub struct Report {
    pub counts: BTreeMap<&'static str, Counts>,
    pub findings: Vec<Finding>,
    pub seconds: f64,
}

impl Report {
    pub fn total(&self) -> u64 {
        self.counts.values().map(|c| c.runs).sum()
    }
    pub fn failures(&self, kind: &str) -> Vec<&Finding> {
        self.findings.iter().filter(|f| f.kind == kind).collect()
    }
    /// A plain-text table: one line per target.
    pub fn table(&self) -> String {
        let mut s = format!(
            "{:<26} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6} {:>9}  errors by code\n",
            "target", "inputs", "ok", "errors", "panic", "slow", "wrong", "max ms"
        );
        for (name, c) in &self.counts {
            let errs: u64 = c.errors.values().sum();
            let codes: Vec<String> = c.errors.iter().map(|(k, v)| format!("{k} {v}")).collect();
            s.push_str(&format!(
                "{:<26} {:>9} {:>9} {:>9} {:>6} {:>6} {:>6} {:>9.1}  {}\n",
                name,
                c.runs,
                c.ok,
                errs,
                c.panics,
                c.slow,
                c.wrong,
                c.max_ms,
                codes.join(", ")
            ));
        }
        s.push_str(&format!("total {} inputs in {:.0} s\n", self.total(), self.seconds));
        s
    }
}

thread_local! {
    static LAST_PANIC: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
}

/// Panics are caught and recorded; the default hook's backtrace print is silenced.
pub fn quiet_panics() {
    std::panic::set_hook(Box::new(|info| {
        let msg = match (info.payload().downcast_ref::<&str>(), info.payload().downcast_ref::<String>()) {
            (Some(s), _) => s.to_string(),
            (_, Some(s)) => s.clone(),
            _ => "panic".into(),
        };
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = format!("{msg}{at}"));
    }));
}

fn save(dir: &Path, name: &str, t: Target, seed: u64, input: &targets::Input, note: &str) -> Option<PathBuf> {
    std::fs::create_dir_all(dir).ok()?;
    let path = dir.join(format!("{name}.json"));
    let doc = json!({
        "target": t.name(),
        "seed": seed,
        "note": note,
        "options": input.options,
        "extra": input.extra,
        "dataBase64Free": String::from_utf8_lossy(&input.data),
    });
    std::fs::write(&path, serde_json::to_string_pretty(&doc).ok()?).ok()?;
    std::fs::write(dir.join(format!("{name}.bin")), &input.data).ok()?;
    Some(path)
}

/// The seed of input `i` of a campaign: every input is reproducible on its own.
pub fn input_seed(base: u64, i: u64) -> u64 {
    let mut r = Rng::new(base ^ i.wrapping_mul(0x9E37_79B9_7F4A_7C15));
    r.next_u64()
}

/// CPU time of this thread in ms (Linux: `/proc/thread-self/stat`, user + system, in ticks
/// of 10 ms), or `None` elsewhere. The hang verdict uses it so that a busy machine's
/// contention (the wall clock of campaign 4 ran 3× the CPU time) is not taken for a hang.
pub fn thread_cpu_ms() -> Option<f64> {
    let stat = std::fs::read_to_string("/proc/thread-self/stat").ok()?;
    // Fields after the command name (which may hold spaces) closed by the last ')'.
    let rest = stat.get(stat.rfind(')')? + 2..)?;
    let f: Vec<&str> = rest.split(' ').collect();
    let ticks = f.get(11)?.parse::<f64>().ok()? + f.get(12)?.parse::<f64>().ok()?;
    Some(ticks * 10.0)
}

/// Runs one input of `t` from `seed` (generation + execution), returning its outcome, its
/// wall-clock ms and its CPU ms (the wall clock where CPU time cannot be read).
pub fn run_one(
    t: Target,
    seed: u64,
    corpus: &gen::Corpus,
    max_bytes: usize,
) -> (targets::Input, Result<Result<targets::Verdict, crmlens::CrmError>, String>, f64, f64) {
    let mut rng = Rng::new(seed);
    let input = targets::generate(t, &mut rng, corpus, max_bytes);
    let cpu0 = thread_cpu_ms();
    let start = Instant::now();
    let out = catch_unwind(AssertUnwindSafe(|| targets::execute(t, &input)));
    let ms = start.elapsed().as_secs_f64() * 1e3;
    let cpu = match (cpu0, thread_cpu_ms()) {
        (Some(a), Some(b)) => b - a,
        _ => ms,
    };
    let out = out.map_err(|_| LAST_PANIC.with(|p| p.borrow().clone()));
    (input, out, ms, cpu)
}

/// The Chinese sentiment data the package loads lazily (`crmlens_zh.js`), installed once so
/// Chinese texts are scored rather than refused.
pub fn install_chinese() {
    let data = include_str!("../../src/sentiment/data/zh_sentiment.tsv");
    let _ = crmlens::sentiment::chinese::install(data);
}

pub fn run(cfg: &Config) -> Report {
    quiet_panics();
    install_chinese();
    let corpus = gen::Corpus::load(&cfg.corpus_dir);
    let mut report = Report::default();
    let start = Instant::now();
    for i in 0..cfg.inputs {
        if start.elapsed().as_secs_f64() > cfg.seconds {
            break;
        }
        let t = cfg.targets[(i % cfg.targets.len() as u64) as usize];
        let seed = input_seed(cfg.seed, i);
        if cfg.save_each {
            if let Some(dir) = &cfg.out_dir {
                let mut rng = Rng::new(seed);
                let input = targets::generate(t, &mut rng, &corpus, cfg.max_bytes);
                save(dir, "current", t, seed, &input, "the input running now (left behind by an abort)");
            }
        }
        let (input, out, ms, cpu) = run_one(t, seed, &corpus, cfg.max_bytes);
        let mut found: Vec<(&'static str, String)> = Vec::new();
        let c = report.counts.entry(t.name()).or_default();
        c.runs += 1;
        c.total_ms += ms;
        c.max_ms = c.max_ms.max(ms);
        match out {
            Err(panic) => {
                c.panics += 1;
                found.push(("panic", panic));
            }
            Ok(Ok(targets::Verdict::Ok)) => c.ok += 1,
            Ok(Ok(targets::Verdict::Wrong(m))) => {
                c.wrong += 1;
                found.push(("wrong", m));
            }
            Ok(Err(e)) => {
                if std::env::var_os("CRMLENS_FUZZ_VERBOSE").is_some() {
                    eprintln!("{} {}: {e}", t.name(), input.options);
                }
                *c.errors.entry(e.code().to_string()).or_default() += 1
            }
        }
        let bound = cfg.slow_ms_base + cfg.slow_ms_per_kb * (input.data.len() as f64 / 1024.0);
        // A hang spends the time computing: over the bound in wall-clock and in CPU time.
        if ms > bound && cpu > bound {
            c.slow += 1;
            found
                .push(("slow", format!("{ms:.0} ms ({cpu:.0} ms CPU) > {bound:.0} ms for {} bytes", input.data.len())));
        }
        for (kind, message) in found {
            // The first few of each target and kind are kept (files and memory stay bounded
            // when one bug fires thousands of times); the counts above include every one.
            let seen = report.findings.iter().filter(|f| f.target == t.name() && f.kind == kind).count();
            if seen >= MAX_KEPT {
                continue;
            }
            let saved = cfg
                .out_dir
                .as_ref()
                .and_then(|d| save(d, &format!("{}-{kind}-{seed:016x}", t.name()), t, seed, &input, &message));
            report.findings.push(Finding { target: t.name(), kind, message, seed, ms, saved });
        }
    }
    report.seconds = start.elapsed().as_secs_f64();
    report
}

/// Arguments `--key value` of a driver command line.
pub fn arg(args: &[String], key: &str) -> Option<String> {
    args.iter().position(|a| a == key).and_then(|i| args.get(i + 1).cloned())
}

pub fn corpus_dir() -> PathBuf {
    PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data"))
}
