//! Native timing of the recommender fits on MovieLens 100K:
//! `cargo run --release --example recommend_timing -- [MIN_RATING] [RUNS]`
//! (reads ../shared/data/movielens_ml-100k/u.data; default min rating 4, 5 runs).
use std::time::Instant;

use crmlens::recommend::als::{self, AlsParams};
use crmlens::recommend::{knn, FitParams, InteractionBuilder};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let min: u32 = args.first().and_then(|v| v.parse().ok()).unwrap_or(4);
    let runs: usize = args.get(1).and_then(|v| v.parse().ok()).unwrap_or(5);
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/movielens_ml-100k/u.data");
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let mut b = InteractionBuilder::new();
    for line in text.lines() {
        let f: Vec<&str> = line.split('\t').collect();
        if f[2].parse::<u32>().unwrap() >= min {
            b.push(Some(f[0]), Some(f[1]), 1.0, f[3].parse().unwrap());
        }
    }
    let d = b.finish().unwrap();
    let p = FitParams::default();
    let ap = AlsParams {
        factors: p.factors,
        regularization: p.regularization,
        iterations: p.iterations,
        alpha: p.alpha,
        cg_steps: p.cg_steps,
        seed: p.seed,
    };
    let time = |name: &str, f: &dyn Fn()| {
        let mut ms: Vec<f64> = (0..runs)
            .map(|_| {
                let t = Instant::now();
                f();
                t.elapsed().as_secs_f64() * 1e3
            })
            .collect();
        ms.sort_by(f64::total_cmp);
        println!("{name}: median {:.1} ms of {runs} (min {:.1})", ms[runs / 2], ms[0]);
    };
    println!("{} users × {} items, {} interactions", d.users.len(), d.items.len(), d.matrix.nnz());
    time("als", &|| {
        std::hint::black_box(als::fit(&d.matrix, &ap));
    });
    time("item-knn", &|| {
        let w = knn::weigh(&d.matrix.transpose(), p.weighting);
        std::hint::black_box(knn::neighbours(&w, p.neighbours));
    });
}
