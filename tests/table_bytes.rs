//! `Dataset::to_bytes` / `from_bytes` on real files (../shared/data, see its MANIFEST.md):
//! the round trip keeps every cell, type, role, format, null and the load report, and
//! truncated or tampered bytes are a PARSE_ERROR.

use crmlens::io::{read_csv_bytes, to_csv, CsvWriteOptions, LoadOptions};
use crmlens::Dataset;

fn load(rel: &str, opts: &str) -> Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes =
        std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (../shared/data must sit beside the repo)"));
    read_csv_bytes(&bytes, LoadOptions::from_json(opts).unwrap()).unwrap()
}

fn csv(ds: &Dataset) -> String {
    to_csv(ds, &CsvWriteOptions::default()).unwrap()
}

fn round_trip(ds: &Dataset) -> Dataset {
    let bytes = ds.to_bytes();
    let back = Dataset::from_bytes(&bytes).unwrap();
    assert_eq!(back.to_bytes(), bytes, "re-encoding differs");
    assert_eq!(back.column_info(), ds.column_info());
    // Version 1 of the format keeps the load report but not the sniffer's confidence and note
    // (they describe the file, not the table): they come back empty.
    let mut source = ds.source.clone();
    source.delimiter_confidence = None;
    source.sniff_note = None;
    assert_eq!(back.source, source);
    assert_eq!(back.issues, ds.issues);
    assert_eq!(back.issue_counts, ds.issue_counts);
    assert_eq!(csv(&back), csv(ds));
    back
}

#[test]
fn online_retail_round_trips_with_types_nulls_and_formats() {
    let ds = load("online_retail_uci_first5000/online_retail_small.csv", "{}");
    let back = round_trip(&ds);
    let types: Vec<&str> = back.columns().iter().map(|c| c.dtype().name()).collect();
    // A datetime, text/category, numbers and nulls survive as themselves.
    assert!(types.contains(&"datetime") && types.contains(&"float64"), "{types:?}");
    assert!(back.columns().iter().any(|c| c.null_count() > 0), "no nulls in the sample: the test would be weak");
    assert!(back.columns().iter().any(|c| c.format.is_some()));
    assert_eq!(back.num_rows(), ds.num_rows());
    // About the size of the data: no more than 1.5x the CSV text.
    assert!(ds.to_bytes().len() < csv(&ds).len() * 3 / 2 + 4096);
}

#[test]
fn telco_and_mall_round_trip_with_roles_and_categories() {
    for (rel, opts) in [
        ("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}"),
        ("mall_customers/Mall_Customers.csv", "{}"),
        ("cdnow_lifetimes/CDNOW_sample.txt", r#"{"delimiter":"whitespace","header":false}"#),
        ("chnsenticorp_htl_all/ChnSentiCorp_htl_all.csv", "{}"),
    ] {
        let ds = load(rel, opts);
        let back = round_trip(&ds);
        // Everything but the sniffer's notes, which version 1 does not carry (see round_trip).
        let mut expect = ds.clone();
        expect.source.delimiter_confidence = None;
        expect.source.sniff_note = None;
        assert_eq!(back, expect, "{rel}");
    }
    let telco = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}");
    assert!(telco.columns().iter().any(|c| c.dtype().name() == "category"));
    assert!(telco.columns().iter().any(|c| c.role.is_some()));
}

#[test]
fn truncated_and_tampered_real_bytes_are_errors() {
    let ds = load("mall_customers/Mall_Customers.csv", "{}");
    let bytes = ds.to_bytes();
    for n in (0..bytes.len()).step_by(97) {
        let e = Dataset::from_bytes(&bytes[..n]).unwrap_err();
        assert_eq!(e.code(), "PARSE_ERROR");
    }
    // A row count of 2^40 is rejected from the bytes left, before anything is allocated.
    let mut b = bytes.clone();
    b[8..16].copy_from_slice(&(1u64 << 40).to_le_bytes());
    assert_eq!(Dataset::from_bytes(&b).unwrap_err().code(), "PARSE_ERROR");
    // A column count of u32::MAX likewise.
    let mut b = bytes.clone();
    b[16..20].copy_from_slice(&u32::MAX.to_le_bytes());
    assert_eq!(Dataset::from_bytes(&b).unwrap_err().code(), "PARSE_ERROR");
    assert!(Dataset::from_bytes(b"not a table").is_err());
}
