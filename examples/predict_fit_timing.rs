//! Native single-fit timing of the prediction models on a CSV with a yes/no target
//! (`cargo run --release --example predict_fit_timing -- PATH TARGET [logistic,gbdt,forest]`): the encoding once,
//! then one fit of each model on every row, best of three.

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::ensemble::{boost, forest};
use crmlens::predict::features::{choose, encode};
use crmlens::predict::linear::{Linear, Loss};
use crmlens::task::{run, Ctl};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let ds = read_csv_bytes(&std::fs::read(&a[1]).unwrap(), LoadOptions::default()).unwrap();
    let y: Vec<f64> = (0..ds.num_rows())
        .map(|i| (ds.column(&a[2]).unwrap().get(i).to_text().is_some_and(|t| t == "yes" || t == "true")) as u8 as f64)
        .collect();
    let rows: Vec<usize> = (0..ds.num_rows()).collect();
    let cols: Vec<_> = ds.columns().iter().filter(|c| c.name != a[2]).collect();
    let t = std::time::Instant::now();
    let (used, _) = choose(&cols, &rows, false, &mut vec![]).unwrap();
    let x = encode(&ds, &used, None).unwrap();
    println!("encode {} x {}: {:.0} ms", x.rows, x.cols, t.elapsed().as_secs_f64() * 1e3);
    let w = vec![1.0; x.rows];
    let best = |f: &dyn Fn()| {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                f();
                t.elapsed().as_secs_f64()
            })
            .fold(f64::INFINITY, f64::min)
    };
    let only = a.get(3).map_or("logistic,gbdt,forest", |s| s.as_str());
    let on = |m: &str| only.split(',').any(|o| o == m);
    if on("logistic") {
        println!("logistic fit: {:.3} s", best(&|| drop(Linear::fit(&x, &y, &w, Loss::Logistic, 1.0).unwrap())));
    }
    if on("gbdt") {
        let e = run(boost(&x, &y, &w, true, 0, &mut Ctl::none())).unwrap();
        println!("gbdt trees {} nodes {}", e.trees.len(), e.trees.iter().map(|t| t.nodes.len()).sum::<usize>());
        println!("gbdt fit: {:.3} s", best(&|| drop(run(boost(&x, &y, &w, true, 0, &mut Ctl::none())).unwrap())));
    }
    if on("forest") {
        println!("forest fit: {:.3} s", best(&|| drop(run(forest(&x, &y, &w, 100, 0, &mut Ctl::none())).unwrap())));
    }
}
