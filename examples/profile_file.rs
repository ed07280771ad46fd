//! Profiles a file natively and prints the report as JSON (timings on stderr):
//! `cargo run --release --example profile_file -- PATH [PARTS]`.
use std::time::Instant;

fn main() {
    let mut args = std::env::args().skip(1);
    let Some(path) = args.next() else {
        eprintln!("usage: profile_file PATH [PARTS]");
        std::process::exit(2);
    };
    let parts: usize = args.next().and_then(|s| s.parse().ok()).unwrap_or(1).max(1);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let t = Instant::now();
    let ds = crmlens::io::read_bytes(&bytes, Default::default()).unwrap_or_else(|e| {
        eprintln!("{path}: {e}");
        std::process::exit(1);
    });
    let loaded = t.elapsed().as_secs_f64();
    let n = ds.num_rows();
    let ranges: Vec<_> = (0..parts).map(|i| i * n / parts..(i + 1) * n / parts).collect();
    let t = Instant::now();
    let report = crmlens::profile::profile_parts(&ds, &Default::default(), &ranges).unwrap_or_else(|e| {
        eprintln!("profile: {e}");
        std::process::exit(1);
    });
    eprintln!("load {loaded:.3} s, profile {:.3} s ({n} rows, {parts} parts)", t.elapsed().as_secs_f64());
    println!("{}", serde_json::to_string_pretty(&report).unwrap_or_default());
}
