//! Native timing of scoring with explanations (issue 17: "score 10^6 customers with
//! explanations"): `cargo run --release --example predict_score_timing -- CSV [TRAIN_ROWS]
//! [REPEAT]`. Trains logistic and GBDT (2 folds) on the first TRAIN_ROWS rows of a CSV with
//! a yes/no target `y` (bench/out/predict_125000.csv), then times `scores` and
//! `predict(explain: 3)` on the whole table, repeated REPEAT times, with the explanation's
//! per-row reference path (`Fitted::explain_row`, 2,000 rows, extrapolated) for comparison.

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::features::{encode, owners};
use crmlens::predict::{train_sync, TrainOptions};
use crmlens::Dataset;
use std::time::Instant;

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let ds = read_csv_bytes(&std::fs::read(&a[1]).unwrap(), LoadOptions::default()).unwrap();
    let train_rows: usize = a.get(2).map_or(25_000, |s| s.parse().unwrap());
    let repeat: usize = a.get(3).map_or(1, |s| s.parse().unwrap());
    let head: Vec<usize> = (0..train_rows.min(ds.num_rows())).collect();
    let small = rows(&ds, &head);
    let idx: Vec<usize> = (0..repeat).flat_map(|_| 0..ds.num_rows()).collect();
    let big = rows(&ds, &idx);
    for model in ["logistic", "gbdt"] {
        let opts = TrainOptions::from_json(&format!(
            r#"{{"target":"y","positive":"yes","model":"{model}","validation":{{"folds":2,"seed":0}}}}"#
        ))
        .unwrap();
        let p = train_sync(&small, &opts).unwrap();
        if let crmlens::predict::model::Fitted::Trees(e) = &p.fitted {
            let nodes: usize = e.trees.iter().map(|t| t.nodes.len()).sum();
            println!("{model}: {} trees, {nodes} nodes", e.trees.len());
        }
        let t = Instant::now();
        let s = p.scores(&big).unwrap();
        let scores = t.elapsed().as_secs_f64();
        let t = Instant::now();
        let x = encode(&big, &p.features.used, None).unwrap();
        let enc = t.elapsed().as_secs_f64();
        let owner = owners(&p.features.used);
        let t = Instant::now();
        let mut sink = 0.0;
        for i in 0..x.rows.min(2_000) {
            let (b, c) = p.fitted.explain_row(&x.row(i), &owner, p.features.used.len()).unwrap();
            sink += b + c[0];
        }
        let contrib = t.elapsed().as_secs_f64() * x.rows as f64 / x.rows.min(2_000) as f64;
        let t = Instant::now();
        let out: Dataset = p.predict(&big, 3).unwrap();
        let total = t.elapsed().as_secs_f64();
        println!(
            "{model}: {} rows x {} encoded; scores {scores:.2} s; predict(explain 3) {total:.2} s \
             (encode {enc:.2} s; the per-row reference path would take ~{contrib:.0} s) [{} cols, sink {sink:.3}]",
            s.len(),
            x.cols,
            out.num_columns()
        );
        if let crmlens::predict::model::Fitted::Trees(e) = &p.fitted {
            block_against_rows(e, &x);
        }
    }
}

/// TreeSHAP of the encoded rows through `Explainer::add` row by row (the order before the
/// block path) and through `add_block` (256 rows a block, as `predict`): time and equality,
/// on the first 20,000 rows.
fn block_against_rows(e: &crmlens::predict::ensemble::Ensemble, x: &crmlens::predict::matrix::Mat) {
    use crmlens::predict::leafshap::Explainer;
    let (n, w) = (x.rows.min(20_000), x.cols);
    let rows: Vec<f64> = (0..n).flat_map(|r| (0..w).map(move |j| (r, j))).map(|(r, j)| x.get(r, j)).collect();
    let t = Instant::now();
    let mut ex = Explainer::new(&e.trees);
    let mut a = vec![0.0; n * w];
    for (xr, pr) in rows.chunks_exact(w).zip(a.chunks_exact_mut(w)) {
        ex.add(xr, pr, e.scale);
    }
    let by_row = t.elapsed().as_secs_f64();
    let t = Instant::now();
    let mut ex = Explainer::new(&e.trees);
    let mut b = vec![0.0; n * w];
    for (xs, ps) in rows.chunks(256 * w).zip(b.chunks_mut(256 * w)) {
        ex.add_block(xs, w, ps, e.scale);
    }
    let by_block = t.elapsed().as_secs_f64();
    let same = a.iter().zip(&b).all(|(p, q)| p.to_bits() == q.to_bits());
    println!(
        "treeshap {n} rows: row by row {by_row:.2} s, blocks of 256 {by_block:.2} s ({:.2}x); same bits: {same}",
        by_row / by_block
    );
}

fn rows(ds: &Dataset, idx: &[usize]) -> Dataset {
    let some: Vec<Option<usize>> = idx.iter().map(|&i| Some(i)).collect();
    Dataset::new(ds.columns().iter().map(|c| c.take(&some)).collect()).unwrap()
}
