//! Shared by the rules tests: the real tables they run on.
#![allow(dead_code)]

pub mod gen;

use std::path::PathBuf;

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::rng::Rng;
use crmlens::value::{customer_value, CustomerValueOptions};
use crmlens::Dataset;

/// A file under the shared data directory, which sits beside the repository (`../shared/data`)
/// or, for a git worktree under `wt/`, one level further up.
pub fn data(rel: &str) -> PathBuf {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    for up in ["../shared/data", "../../shared/data"] {
        let p = root.join(up).join(rel);
        if p.exists() {
            return p;
        }
    }
    panic!("{rel}: not found in ../shared/data (it must sit beside the repo)")
}

fn load(rel: &str) -> Dataset {
    let path = data(rel);
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    read_csv_bytes(&bytes, LoadOptions::default()).unwrap()
}

/// IBM's Telco customer churn table (7,043 customers), as crmlens loads it.
pub fn telco() -> Dataset {
    load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv")
}

/// The CDNOW customer table: `customerValue` over the full CDNOW log (23,570 customers).
pub fn cdnow_customers() -> Dataset {
    let log = load("cdnow_lifetimes/CDNOW_master.txt");
    let opts: CustomerValueOptions =
        crmlens::options::options_from_json(r#"{"customer":"customer_id","date":"date","amount":"dollar_value"}"#)
            .unwrap();
    customer_value(&log, &opts).unwrap().customers
}

/// `ds` with about `share` of the cells of every column set missing (seeded).
pub fn with_holes(ds: &Dataset, share: f64, seed: u64) -> Dataset {
    let mut rng = Rng::new(seed);
    let cols = ds
        .columns()
        .iter()
        .map(|c| {
            let rows: Vec<Option<usize>> =
                (0..ds.num_rows()).map(|i| if rng.next_f64() < share { None } else { Some(i) }).collect();
            c.take(&rows)
        })
        .collect();
    Dataset::new(cols).unwrap()
}

/// The tables of the differential test, by name.
pub fn tables() -> Vec<(&'static str, Dataset)> {
    let telco = telco();
    let cdnow = cdnow_customers();
    vec![
        ("telco", telco.clone()),
        ("telco_holes", with_holes(&telco, 0.08, 18)),
        ("cdnow", cdnow.clone()),
        ("cdnow_holes", with_holes(&cdnow, 0.08, 81)),
    ]
}

/// The `asOf` of the CDNOW tests: the day after the log ends.
pub const CDNOW_AS_OF: &str = "1998-07-01";
