//! Segmentation on the Mall Customers data (../shared/data/mall_customers, 200 customers).

use crmlens::segment::{segment, SegmentOptions};

const MALL: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/data/mall_customers/Mall_Customers.csv");

fn mall() -> crmlens::Dataset {
    crmlens::io::read_csv_str(&std::fs::read_to_string(MALL).unwrap(), Default::default()).unwrap()
}

fn opts(json: &str) -> SegmentOptions {
    crmlens::io::options::options_from_json(json).unwrap()
}

#[test]
fn income_and_spending_k5_gives_the_known_sizes() {
    let ds = mall();
    let s = segment(&ds, &opts(r#"{"columns": ["annual_income_thousands", "spending_score"], "k": 5}"#)).unwrap();
    let sizes: Vec<usize> = s.report.segments.iter().map(|g| g.size).collect();
    assert_eq!(sizes, [81, 39, 35, 23, 22]);
    for g in &s.report.segments {
        println!("{} {} {:.2} {}", g.id, g.size, g.share, g.description);
    }
    println!("{:?}", s.report.k_scores);
    println!("{} {} {} {}", s.report.silhouette, s.report.davies_bouldin, s.report.calinski_harabasz, s.report.inertia);
}

#[test]
fn auto_k() {
    let ds = mall();
    let s = segment(&ds, &opts(r#"{"columns": ["annual_income_thousands", "spending_score"]}"#)).unwrap();
    println!("{}", s.report.k_choice);
    println!("{:?}", s.report.k_scores);
    let s = segment(&ds, &opts(r#"{}"#)).unwrap();
    println!("{}", s.report.k_choice);
    println!("{:?}", s.report.preparation);
    for g in &s.report.segments {
        println!("{} {} {:.2} {}", g.id, g.size, g.share, g.description);
    }
    let s = segment(&ds, &opts(r#"{"algorithm": "kprototypes"}"#)).unwrap();
    println!("{}", s.report.k_choice);
    for g in &s.report.segments {
        println!("{} {} {:.2} {}", g.id, g.size, g.share, g.description);
    }
}
