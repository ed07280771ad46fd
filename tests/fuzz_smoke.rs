//! The fuzz harness's bounded smoke pass (CI): every target of `tests/fuzz/` on a fixed
//! seed, a fixed number of inputs per target within a time budget (debug build). Asserts no
//! panic, no input over its time bound and no wrong result (a lossy round trip, chunked ≠
//! whole, a non-finite number returned as a result). `CRMLENS_FUZZ_INPUTS` / `_SECONDS` /
//! `_SEED` change the pass; the long campaign is `scripts/fuzz.sh`.

mod fuzz;

use fuzz::{Config, Target, CORE, MODULES};

fn env_or<T: std::str::FromStr>(key: &str, default: T) -> T {
    std::env::var(key).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// The two passes run one after the other (their time budgets assume the CPU to themselves).
static ONE_AT_A_TIME: std::sync::Mutex<()> = std::sync::Mutex::new(());

/// One smoke pass over `targets`: `per_target` inputs each within `seconds`.
fn pass(targets: &[Target], per_target: u64, seconds: f64, min_per_target: u64) {
    let _turn = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let cfg = Config {
        seed: env_or("CRMLENS_FUZZ_SEED", 19),
        inputs: per_target * targets.len() as u64,
        seconds,
        max_bytes: 8 * 1024,
        // Debug builds are 10–30× slower than release: a generous bound, still far below a hang.
        slow_ms_base: 60_000.0,
        slow_ms_per_kb: 2_000.0,
        targets: targets.to_vec(),
        out_dir: Some(std::path::PathBuf::from(concat!(env!("CARGO_MANIFEST_DIR"), "/target/fuzz-smoke"))),
        save_each: false,
        corpus_dir: fuzz::corpus_dir(),
    };
    let report = fuzz::run(&cfg);
    eprintln!("{}", report.table());
    for f in &report.findings {
        eprintln!("{} {} ({:.0} ms, seed {:#x}): {}", f.target, f.kind, f.ms, f.seed, f.message);
    }
    assert!(
        report.total() >= (targets.len() as u64) * min_per_target,
        "the pass ran too few inputs: {}",
        report.total()
    );
    for t in targets {
        assert!(report.counts.get(t.name()).is_some_and(|c| c.runs > 0), "{} never ran", t.name());
    }
    let panics = report.failures("panic");
    assert!(panics.is_empty(), "{} panics, first: {:?}", panics.len(), panics.first());
    let slow = report.failures("slow");
    assert!(slow.is_empty(), "{} inputs over the time bound, first: {:?}", slow.len(), slow.first());
    let wrong = report.failures("wrong");
    assert!(wrong.is_empty(), "{} wrong results, first: {:?}", wrong.len(), wrong.first());
}

#[test]
fn smoke_pass_over_every_entry_point() {
    let seconds = env_or("CRMLENS_FUZZ_SECONDS", 120.0);
    pass(CORE, env_or("CRMLENS_FUZZ_INPUTS", 150), seconds, 20);
}

/// The lazily loaded modules (`sheets`, `arrow`, `predict`): fewer inputs, since a debug
/// training takes up to a second; it runs after the core pass and adds ~15 s to CI.
#[test]
fn smoke_pass_over_the_lazily_loaded_modules() {
    let seconds = env_or("CRMLENS_FUZZ_MODULE_SECONDS", 15.0);
    pass(MODULES, env_or("CRMLENS_FUZZ_MODULE_INPUTS", 60), seconds, 3);
}
