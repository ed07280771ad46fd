//! Native timing of `customer_value` and its parts on a transaction file:
//! `cargo run --release --example value_timing -- PATH CUSTOMER DATE [AMOUNT]`
//! (e.g. `../shared/data/cdnow_lifetimes/CDNOW_master.txt customer_id date dollar_value`).
use std::time::Instant;

use crmlens::value::customer_value::{customer_value, CustomerValueOptions};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.len() < 3 {
        eprintln!("usage: value_timing PATH CUSTOMER DATE [AMOUNT]");
        std::process::exit(2);
    }
    let bytes = std::fs::read(&args[0]).unwrap_or_else(|e| {
        eprintln!("{}: {e}", args[0]);
        std::process::exit(1)
    });
    let t = Instant::now();
    let ds = crmlens::io::read_csv_bytes(&bytes, Default::default()).unwrap_or_else(|e| {
        eprintln!("{e}");
        std::process::exit(1)
    });
    println!("load: {:.1} ms ({} rows)", t.elapsed().as_secs_f64() * 1e3, ds.num_rows());
    let opts = CustomerValueOptions {
        customer: args[1].clone(),
        date: args[2].clone(),
        amount: args.get(3).cloned(),
        ..Default::default()
    };
    let runs: usize = std::env::var("RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5);
    let mut best = f64::INFINITY;
    for _ in 0..runs {
        let t = Instant::now();
        let v = customer_value(&ds, &opts).unwrap_or_else(|e| {
            eprintln!("{e}");
            std::process::exit(1)
        });
        best = best.min(t.elapsed().as_secs_f64() * 1e3);
        let bg = &v.model.bg_nbd;
        println!(
            "customers {}  BG/NBD r {:.6} alpha {:.6} a {:.6} b {:.6} ({} evals)",
            v.customers.num_rows(),
            bg.params.r,
            bg.params.alpha,
            bg.params.a,
            bg.params.b,
            bg.evaluations
        );
    }
    println!("customer_value: best of {runs} {best:.1} ms");

    // The parts, once each.
    use crmlens::value::{bgnbd, gamma_gamma, summary::SummaryOptions, transactions};
    let cols = transactions::TransactionColumns {
        customer: &opts.customer,
        date: &opts.date,
        amount: opts.amount.as_deref(),
        ..Default::default()
    };
    let t = Instant::now();
    let s = transactions::summarize_dataset(&ds, &cols, &SummaryOptions::default()).expect("summary");
    println!("summary: {:.1} ms", t.elapsed().as_secs_f64() * 1e3);
    let t = Instant::now();
    let bg = bgnbd::fit(&s.frequency, &s.recency, &s.t, &Default::default()).expect("bg/nbd");
    println!(
        "BG/NBD fit: {:.1} ms, {} evaluations: {}",
        t.elapsed().as_secs_f64() * 1e3,
        bg.evaluations,
        bg.diagnostic
    );
    let t = Instant::now();
    let gg = gamma_gamma::fit(&s.frequency, &s.monetary, &Default::default());
    println!(
        "Gamma-Gamma fit: {:.1} ms ({:?} evaluations)",
        t.elapsed().as_secs_f64() * 1e3,
        gg.map(|g| g.evaluations)
    );
}
