//! Native timing of the segment phases on a raw float64 matrix (as written by
//! bench/segment.mjs into bench/out/): k-means++ seeding, Hamerly Lloyd, mini-batch, silhouette.
//! `cargo run --release --example segment_phases -- bench/out/segment_100000x8_k8.f64 8 8`

use std::time::Instant;

use crmlens::rng::Rng;
use crmlens::segment::kmeans::{kmeans_plus_plus, lloyd, mean_variance, KMeansParams};
use crmlens::segment::metrics::silhouette;
use crmlens::segment::minibatch::minibatch;

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&args[1]).expect("a float64 file");
    let d: usize = args.get(2).map_or(8, |s| s.parse().unwrap());
    let k: usize = args.get(3).map_or(8, |s| s.parse().unwrap());
    let x: Vec<f64> = bytes.chunks_exact(8).map(|b| f64::from_le_bytes(b.try_into().unwrap())).collect();
    let n = x.len() / d;
    for seed in 0..3u64 {
        let t = Instant::now();
        let init = kmeans_plus_plus(&x, n, d, k, &mut Rng::new(seed));
        let t_init = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let c = lloyd(&x, n, d, init, k, 300, 1e-4 * mean_variance(&x, n, d));
        let t_lloyd = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let (s, m) = silhouette(&x, n, d, &c.labels, k, seed);
        let t_sil = t.elapsed().as_secs_f64() * 1e3;
        let t = Instant::now();
        let mb = minibatch(&x, n, d, &KMeansParams { k, n_init: 1, max_iter: 100, tol: 0.0 }, &mut Rng::new(seed));
        let t_mb = t.elapsed().as_secs_f64() * 1e3;
        println!(
            "seed {seed}: init {t_init:.1} ms, lloyd {t_lloyd:.1} ms ({} iterations), inertia {:.6e}; silhouette {s:.4} on {} rows {t_sil:.1} ms; minibatch {t_mb:.1} ms ({} steps) inertia {:.6e}",
            c.iterations, c.inertia, m.rows, mb.iterations, mb.inertia
        );
    }
}
