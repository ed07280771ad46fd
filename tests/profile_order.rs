//! Duplicate rows through the order proof (`profile::order`): a strictly monotone column proves
//! every row distinct, so the profile skips hashing rows. The proof must hold only where
//! hashing finds no duplicate, whole or in parts listed in any order, and the profile's count
//! must equal the hashed count either way.

use std::ops::Range;

use crmlens::io::{read_bytes, read_csv_str};
use crmlens::profile::order::KeyOrder;
use crmlens::profile::rows::RowState;
use crmlens::profile::{profile, profile_parts, ProfileOptions};
use crmlens::Dataset;

fn load(rel: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    read_bytes(&std::fs::read(&path).unwrap(), Default::default()).unwrap()
}

fn hashed_duplicates(ds: &Dataset) -> u64 {
    let mut r = RowState::default();
    r.update(ds, 0..ds.num_rows());
    r.duplicates()
}

fn proof(ds: &Dataset, parts: &[Range<usize>]) -> bool {
    let mut k = KeyOrder::default();
    for p in parts {
        let mut s = KeyOrder::default();
        s.update(ds, p.clone());
        k.merge(&s);
    }
    k.proves_distinct()
}

/// Four uneven parts, listed last first.
fn parts(n: usize) -> Vec<Range<usize>> {
    let cuts = [0, n / 7, n / 2, n / 2 + n / 5, n];
    (0..4).rev().map(|i| cuts[i]..cuts[i + 1]).collect()
}

#[test]
fn real_files_proof_agrees_with_hashing() {
    // (file, whether a sorted column proves every row distinct)
    for (rel, proven) in [
        ("mall_customers/Mall_Customers.csv", true),
        ("cdnow_lifetimes/cdnow_customers_summary.csv", true),
        ("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", false),
        ("online_retail_uci_first5000/online_retail_small.csv", false),
        ("bank_marketing/bank.csv", false),
    ] {
        let ds = load(rel);
        let n = ds.num_rows();
        assert_eq!(proof(&ds, std::slice::from_ref(&(0..n))), proven, "{rel} whole");
        assert_eq!(proof(&ds, &parts(n)), proven, "{rel} in parts");
        let hashed = hashed_duplicates(&ds);
        if proven {
            assert_eq!(hashed, 0, "{rel}");
        }
        let opts = ProfileOptions { correlations: false, ..Default::default() };
        assert_eq!(profile(&ds, &opts).unwrap().dataset.duplicate_rows, hashed, "{rel} whole");
        assert_eq!(profile_parts(&ds, &opts, &parts(n)).unwrap().dataset.duplicate_rows, hashed, "{rel} parts");
    }
    // The retail extract does repeat rows: the hashed path is the one that counts them.
    assert!(hashed_duplicates(&load("online_retail_uci_first5000/online_retail_small.csv")) > 0);
}

#[test]
fn parts_sorted_on_their_own_but_overlapping_prove_nothing() {
    let csv = "id,code,v\n1,K-01,x\n2,K-02,x\n3,K-03,x\n1,K-01,x\n2,K-02,x\n3,K-03,x\n4,K-04,y\n";
    let ds = read_csv_str(csv, Default::default()).unwrap();
    let split = [3..7, 0..3];
    assert!(proof(&ds, &split[1..]) && proof(&ds, &split[..1]), "each part is sorted");
    assert!(!proof(&ds, &split));
    assert!(!proof(&ds, std::slice::from_ref(&(0..7))));
    let opts = ProfileOptions::default();
    assert_eq!(profile_parts(&ds, &opts, &split).unwrap().dataset.duplicate_rows, 3);
    assert_eq!(profile(&ds, &opts).unwrap().dataset.duplicate_rows, 3);
}

#[test]
fn descending_text_and_dates_prove_missing_values_do_not() {
    let desc = "code,day,v\nK-09,2024-03-09,x\nK-07,2024-03-08,x\nK-05,2024-03-07,x\nK-02,2024-03-01,x\n";
    let ds = read_csv_str(desc, Default::default()).unwrap();
    assert!(proof(&ds, &[2..4, 0..2]));
    // A missing key could repeat: rows 2 and 3 are equal.
    let gap = "id,v\n1,x\n,y\n3,z\n,y\n";
    let ds = read_csv_str(gap, Default::default()).unwrap();
    assert!(!proof(&ds, std::slice::from_ref(&(0..4))));
    assert_eq!(profile(&ds, &ProfileOptions::default()).unwrap().dataset.duplicate_rows, 1);
    // Equal neighbours are not strictly monotone.
    let flat = "id,v\n1,x\n2,x\n2,x\n3,x\n";
    let ds = read_csv_str(flat, Default::default()).unwrap();
    assert!(!proof(&ds, std::slice::from_ref(&(0..4))));
    assert_eq!(profile(&ds, &ProfileOptions::default()).unwrap().dataset.duplicate_rows, 1);
}

#[test]
fn empty_and_single_row_parts_merge() {
    let ds = load("mall_customers/Mall_Customers.csv");
    let n = ds.num_rows();
    assert!(proof(&ds, &[0..0, 0..1, 1..2, 2..n]));
    assert!(proof(&ds, &[]));
}

#[test]
fn a_sorted_text_id_skips_block_counting_with_the_same_state() {
    use crmlens::profile::column::{ColumnState, Kind};
    use crmlens::table::ColumnData;
    // Telco's rows ordered by customerID (ids of equal length, first field): a real text id,
    // strictly increasing, so the profile feeds it without counting blocks in a table.
    let path = format!(
        "{}/../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv",
        env!("CARGO_MANIFEST_DIR")
    );
    let text = std::fs::read_to_string(path).unwrap();
    let mut lines: Vec<&str> = text.lines().collect();
    let header = lines.remove(0);
    lines.sort_unstable();
    let ds = read_csv_str(&format!("{header}\n{}\n", lines.join("\n")), Default::default()).unwrap();
    let n = ds.num_rows();
    let col = ds.column("customerID").unwrap();
    assert!(matches!(col.data, ColumnData::Text(_)));
    let mut order = KeyOrder::default();
    order.update(&ds, 0..n);
    let j = ds.columns().iter().position(|c| c.name == "customerID").unwrap();
    assert!(order.is_monotone(j) && order.proves_distinct());
    assert!(!order.is_monotone(ds.columns().iter().position(|c| c.name == "tenure").unwrap()));
    for limit in [100, 5_000] {
        let mut plain = ColumnState::new(Kind::Text, limit, 1);
        plain.update(col, 0..n);
        let mut known = ColumnState::new(Kind::Text, limit, 1);
        known.update_known(col, 0..n, true);
        assert!(!known.distinct_exact());
        assert_eq!(known.distinct(), plain.distinct());
        assert_eq!(known.strs.top(10), plain.strs.top(10));
        assert_eq!(known.text_facets(), plain.text_facets());
        assert_eq!(known.text_facets().lengths.n, n as u64);
    }
}
