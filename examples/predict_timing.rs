//! Native timing and quality of `predict::train` on a CSV (`cargo run --release --example
//! predict_timing -- PATH TARGET POSITIVE MODEL [DROP] [LOADOPTIONS]`).

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::predict::{train_sync, TrainOptions};

fn main() {
    let a: Vec<String> = std::env::args().collect();
    let bytes = std::fs::read(&a[1]).expect("read");
    let load = a.get(6).map_or("{}", |s| s.as_str());
    let ds = read_csv_bytes(&bytes, LoadOptions::from_json(load).unwrap()).unwrap();
    let drop = a.get(5).filter(|s| !s.is_empty());
    let features: Vec<String> = ds
        .column_names()
        .into_iter()
        .filter(|n| *n != a[2] && Some(&n.to_string()) != drop)
        .map(String::from)
        .collect();
    let mut json = serde_json::json!({"target": a[2], "positive": a[3], "model": a[4]});
    if drop.is_some() {
        json["features"] = serde_json::json!(features);
    }
    let opts = TrainOptions::from_json(&json.to_string()).unwrap();
    let t = std::time::Instant::now();
    let p = train_sync(&ds, &opts).unwrap();
    let ms = t.elapsed().as_secs_f64() * 1000.0;
    for c in &p.candidates {
        println!("{:>14} {} {:.4} {}", c.model.name(), c.metric, c.score, c.note);
    }
    println!(
        "chosen {} auc {:?} brier {:?} {:?} train {ms:.0} ms",
        p.model.name(),
        p.quality.auc,
        p.quality.brier,
        p.quality.calibration_method
    );
    println!("{}", p.quality.explanation);
    println!("left out {:?}", p.features.left_out);
    println!("importance {:?}", &p.importance[..p.importance.len().min(5)]);
    println!("warnings {:?}", p.warnings);
}
