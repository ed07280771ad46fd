//! The long native fuzz campaign (issue 19): the harness of `tests/fuzz/` in a release build,
//! driven by `scripts/fuzz.sh`.
//!
//! `cargo run --release --example fuzz -- [--seed N] [--inputs N] [--seconds S] [--max-bytes B]
//!  [--targets a,b] [--out DIR] [--slow-ms MS] [--slow-ms-per-kb MS] [--save-each]`
//! `--replay FILE.json` re-runs one saved input (its target and seed) and prints the outcome.
//! Prints the per-target table; exits 1 when any panic, slow or wrong result was found.

#[path = "../tests/fuzz/mod.rs"]
mod fuzz;

use fuzz::{all, arg, Config, Target};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(path) = arg(&args, "--replay") {
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("read the saved input"))
                .expect("a saved input is JSON");
        let t = Target::from_name(doc["target"].as_str().unwrap_or("")).expect("a known target");
        let seed = doc["seed"].as_u64().expect("a seed");
        fuzz::quiet_panics();
        fuzz::install_chinese();
        let corpus = fuzz::gen::Corpus::load(&fuzz::corpus_dir());
        let max = arg(&args, "--max-bytes").and_then(|v| v.parse().ok()).unwrap_or(64 * 1024);
        let (input, out, ms, cpu) = fuzz::run_one(t, seed, &corpus, max);
        println!("{} seed {seed:#x}: {} bytes, options {}", t.name(), input.data.len(), input.options);
        match out {
            Err(p) => println!("PANIC after {ms:.0} ms ({cpu:.0} ms CPU): {p}"),
            Ok(Ok(fuzz::targets::Verdict::Ok)) => println!("ok in {ms:.0} ms ({cpu:.0} ms CPU)"),
            Ok(Ok(fuzz::targets::Verdict::Wrong(m))) => println!("WRONG in {ms:.0} ms ({cpu:.0} ms CPU): {m}"),
            Ok(Err(e)) => println!("error {} in {ms:.0} ms ({cpu:.0} ms CPU): {e}", e.code()),
        }
        return;
    }
    let num = |k: &str, d: f64| arg(&args, k).and_then(|v| v.parse::<f64>().ok()).unwrap_or(d);
    let targets: Vec<Target> = match arg(&args, "--targets") {
        Some(list) => list
            .split(',')
            .map(|n| Target::from_name(n.trim()).unwrap_or_else(|| panic!("unknown target {n}")))
            .collect(),
        None => all().collect(),
    };
    let cfg = Config {
        seed: num("--seed", 1.0) as u64,
        inputs: num("--inputs", 1e6) as u64,
        seconds: num("--seconds", 600.0),
        max_bytes: num("--max-bytes", 64.0 * 1024.0) as usize,
        slow_ms_base: num("--slow-ms", 3000.0),
        slow_ms_per_kb: num("--slow-ms-per-kb", 50.0),
        targets,
        out_dir: Some(arg(&args, "--out").unwrap_or_else(|| "target/fuzz-out".into()).into()),
        save_each: args.iter().any(|a| a == "--save-each"),
        corpus_dir: fuzz::corpus_dir(),
    };
    let report = fuzz::run(&cfg);
    println!("{}", report.table());
    for f in &report.findings {
        println!(
            "{} {} ({:.0} ms, seed {:#x}): {} -> {}",
            f.target,
            f.kind,
            f.ms,
            f.seed,
            f.message,
            f.saved.as_ref().map_or("-".into(), |p| p.display().to_string())
        );
    }
    if !report.findings.is_empty() {
        std::process::exit(1);
    }
}
