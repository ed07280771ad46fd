#![cfg(not(target_arch = "wasm32"))] // builds its non-UTF-8 inputs with the native-only `encode`
//! Loading the real datasets in ../shared/data (see its MANIFEST.md) natively.

use crmlens::io::encoding::{encode, Enc};
use crmlens::io::{read_bytes, read_csv_bytes, LoadOptions};
use crmlens::table::{DataType, Role, Value};
use crmlens::Dataset;

fn data(rel: &str) -> Vec<u8> {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&path)
        .unwrap_or_else(|e| panic!("{path}: {e} (the shared data folder must sit beside the repository)"))
}

fn opts(json: &str) -> LoadOptions {
    LoadOptions::from_json(json).unwrap()
}

fn load(rel: &str, json: &str) -> Dataset {
    read_csv_bytes(&data(rel), opts(json)).unwrap()
}

fn info(ds: &Dataset, name: &str) -> (DataType, Option<Role>, usize) {
    let c = ds.column(name).unwrap();
    (c.dtype(), c.role, c.null_count())
}

#[test]
fn telco_blank_total_charges_are_missing_and_numeric() {
    let ds = load("telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv", "{}");
    assert_eq!((ds.num_rows(), ds.num_columns()), (7043, 21));
    assert_eq!(info(&ds, "TotalCharges"), (DataType::Float64, Some(Role::Money), 11));
    assert_eq!(info(&ds, "customerID").0, DataType::Text);
    assert_eq!(info(&ds, "customerID").1, Some(Role::Id));
    assert_eq!(info(&ds, "SeniorCitizen").0, DataType::Int64);
    assert_eq!(info(&ds, "tenure").0, DataType::Int64);
    assert_eq!(info(&ds, "Churn").0, DataType::Bool);
    assert_eq!(info(&ds, "Contract").0, DataType::Category);
    assert_eq!(ds.column("customerID").unwrap().get(0), Value::Str("7590-VHVEG"));
    assert!(ds.issues.is_empty());
    // The BOM + NA variant reads the same.
    let v = load("telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv", "{}");
    assert_eq!(v.column_names()[0], "customerID");
    assert_eq!(info(&v, "TotalCharges"), (DataType::Float64, Some(Role::Money), 11));
    assert_eq!(v.column("TotalCharges").unwrap().missing_tokens, vec![("NA".to_string(), 11)]);
    let types = |d: &Dataset| d.columns().iter().map(|c| c.dtype()).collect::<Vec<_>>();
    assert_eq!(types(&ds), types(&v));
}

#[test]
fn bank_marketing_semicolons() {
    let ds = load("bank_marketing/bank.csv", "{}");
    assert_eq!(ds.source.delimiter.as_deref(), Some(";"));
    assert_eq!((ds.num_rows(), ds.num_columns()), (4521, 17));
    assert_eq!(info(&ds, "balance").0, DataType::Int64);
    assert_eq!(info(&ds, "job").0, DataType::Category);
    assert_eq!(ds.column("job").unwrap().get(0), Value::Str("unemployed"));
    assert_eq!(info(&ds, "y").0, DataType::Bool);
    let age: f64 = ds.column("age").unwrap().to_f64().unwrap().iter().sum();
    assert_eq!(age, 186_130.0); // sum of the age column, checked with awk
}

#[test]
fn online_retail_dates_ids_and_negatives() {
    let bytes = data("online_retail_uci_first5000/online_retail_small.csv");
    let ds = read_csv_bytes(&bytes, LoadOptions::default()).unwrap();
    assert_eq!((ds.num_rows(), ds.num_columns()), (5000, 8));
    let date = ds.column("InvoiceDate").unwrap();
    assert_eq!(date.dtype(), DataType::Datetime);
    assert_eq!(date.format.as_deref(), Some("DD/MM/YYYY HH:MM"));
    assert_eq!(date.get(0).to_text().unwrap(), "2010-12-01T08:26:00");
    // Independent count of empty CustomerID fields, by a plain CSV reader.
    let empty_ids = csv_field_count(&bytes, 6, |f| f.is_empty());
    assert_eq!(info(&ds, "CustomerID"), (DataType::Int64, Some(Role::Id), empty_ids));
    let negatives = ds.column("Quantity").unwrap().to_f64().unwrap().iter().filter(|&&q| q < 0.0).count();
    assert_eq!(negatives, csv_field_count(&bytes, 3, |f| f.starts_with('-')));
    assert!(negatives > 0);
    // Invoice numbers repeat (one per line item); `C536379` cancellations keep them strings.
    assert_eq!(info(&ds, "InvoiceNo").0, DataType::Category);
    assert_eq!(info(&ds, "UnitPrice").1, Some(Role::Money));
    assert_eq!(info(&ds, "Country").1, Some(Role::Country));
}

/// Counts records whose field `j` satisfies `pred`, with a plain csv-core reader.
fn csv_field_count(bytes: &[u8], j: usize, pred: impl Fn(&str) -> bool) -> usize {
    let mut rdr = csv_core::Reader::new();
    let (mut input, mut out, mut ends) = (bytes, vec![0u8; 1 << 16], vec![0usize; 64]);
    let (mut n, mut first) = (0, true);
    loop {
        let (res, nin, _, nend) = rdr.read_record(input, &mut out, &mut ends);
        input = &input[nin..];
        match res {
            csv_core::ReadRecordResult::Record => {
                let start = if j == 0 { 0 } else { ends[j - 1] };
                let f = std::str::from_utf8(&out[start..ends[j]]).unwrap();
                if !first && pred(f) && nend > j {
                    n += 1;
                }
                first = false;
            }
            csv_core::ReadRecordResult::End => return n,
            _ => {}
        }
    }
}

#[test]
fn movielens_items_pipe_no_header_latin1() {
    let ds = load("movielens_ml-100k/u.item", r#"{"encoding": "latin1"}"#);
    assert_eq!(ds.source.delimiter.as_deref(), Some("|"));
    assert!(!ds.source.header);
    assert_eq!((ds.num_rows(), ds.num_columns()), (1682, 24));
    assert_eq!(ds.source.encoding, "windows-1252");
    assert!((0..ds.num_rows()).any(|i| ds.column("column_2").unwrap().get(i) == Value::Str("Misérables, Les (1995)")));
    assert_eq!(ds.column("column_2").unwrap().get(918), Value::Str("City of Lost Children, The (1995)"));
    assert_eq!(info(&ds, "column_3").0, DataType::Date);
    assert_eq!(ds.column("column_3").unwrap().get(0).to_text().unwrap(), "1995-01-01");
    // Auto-detection: the first 64 KiB are ASCII, then `Misérables` has a latin-1 byte;
    // the decoder switches to windows-1252 there, whatever the chunking.
    let auto = load("movielens_ml-100k/u.item", "{}");
    assert_eq!(auto, ds);
    let bytes = data("movielens_ml-100k/u.item");
    let mut l = crmlens::io::Loader::new(LoadOptions::default()).unwrap();
    for c in bytes.chunks(1000) {
        l.push(c).unwrap();
    }
    assert_eq!(l.finish().unwrap(), ds);
    assert!(auto.issues.is_empty());
    let ds = auto;
    assert!((0..ds.num_rows()).any(|i| ds.column("column_2").unwrap().get(i) == Value::Str("Misérables, Les (1995)")));
    // Real latin-1 bytes (a title with accents) are detected as windows-1252, not GBK.
    let latin = encode(
        "919|Cité des enfants perdus, La (1995)|01-Jan-1995\n920|Belle époque (1992)|01-Jan-1992\n",
        crmlens::io::encoding::WINDOWS_1252,
    );
    let ds = read_csv_bytes(&latin, LoadOptions::default()).unwrap();
    assert_eq!(ds.source.encoding, "windows-1252");
    assert_eq!(ds.column("column_2").unwrap().get(1), Value::Str("Belle époque (1992)"));
}

#[test]
fn cdnow_master_whitespace_and_compact_dates() {
    let ds = load("cdnow_lifetimes/CDNOW_master.txt", "{}");
    assert_eq!(ds.source.delimiter.as_deref(), Some("whitespace"));
    assert_eq!((ds.num_rows(), ds.num_columns()), (69_659, 4));
    assert_eq!(ds.column_names(), vec!["customer_id", "date", "number_of_cds", "dollar_value"]);
    assert_eq!(info(&ds, "customer_id").0, DataType::Text);
    assert_eq!(ds.column("customer_id").unwrap().get(0), Value::Str("00001"));
    let date = ds.column("date").unwrap();
    assert_eq!((date.dtype(), date.get(0).to_text().unwrap().as_str()), (DataType::Date, "1997-01-01"));
    let total: f64 = ds.column("dollar_value").unwrap().to_f64().unwrap().iter().sum();
    assert!((total - 2_500_315.63).abs() < 0.01, "total {total}"); // MANIFEST: $2,500,315.63
}

#[test]
fn gbk_waimai_slice_reads_back_exactly() {
    let text = String::from_utf8(data("waimai_10k/waimai_10k.csv")).unwrap();
    // Rows whose every character exists in GBK (a few use U+22EF "⋯", which does not).
    let gbk_ok = |l: &&str| !encoding_rs::GBK.encode(l).2;
    let slice: String = text.lines().filter(gbk_ok).take(301).map(|l| format!("{l}\n")).collect();
    let gbk = encode(&slice, Enc::Legacy("GBK"));
    assert_ne!(gbk, slice.as_bytes());
    let utf8 = read_csv_bytes(slice.as_bytes(), LoadOptions::default()).unwrap();
    let ds = read_csv_bytes(&gbk, LoadOptions::default()).unwrap();
    assert_eq!(ds.source.encoding, "gb18030");
    assert_eq!(ds.num_rows(), 300);
    for i in 0..300 {
        assert_eq!(ds.row(i), utf8.row(i));
    }
    assert_eq!(ds.column("review").unwrap().get(0), Value::Str("很快，好吃，味道足，量大"));
    // With the wrong encoding forced, undecodable rows are reported, never silent.
    let forced = read_csv_bytes(&gbk, opts(r#"{"encoding": "utf-8"}"#)).unwrap();
    assert!(forced.issue_counts.iter().any(|c| c.kind == "encoding" && c.count > 0));
    let err = read_csv_bytes(&gbk, opts(r#"{"encoding": "utf-8", "onBadRows": "error"}"#)).unwrap_err();
    assert_eq!(err.code(), "ENCODING_ERROR");
    assert_eq!(err.location().line, Some(2));
}

#[test]
fn utf16_input() {
    let slice = "name,city,spend\n张三,北京,12.5\nAnn,Paris,3\n";
    for enc in [Enc::Utf16Le, Enc::Utf16Be] {
        let mut bytes = if enc == Enc::Utf16Le { vec![0xFF, 0xFE] } else { vec![0xFE, 0xFF] };
        bytes.extend(encode(slice, enc));
        let ds = read_bytes(&bytes, LoadOptions::default()).unwrap();
        assert_eq!(ds.column("city").unwrap().get(0), Value::Str("北京"));
        assert_eq!(ds.column("spend").unwrap().dtype(), DataType::Float64);
    }
}

#[test]
fn streaming_in_small_chunks_equals_one_piece() {
    use crmlens::io::Loader;
    for rel in [
        "online_retail_uci_first5000/online_retail_small.csv",
        "bank_marketing/bank.csv",
        "cdnow_lifetimes/CDNOW_sample.txt",
    ] {
        let bytes = data(rel);
        let whole = read_bytes(&bytes, LoadOptions::default()).unwrap();
        for chunk in [1usize, 7, 4096, 65_537] {
            let mut l = Loader::new(LoadOptions::default()).unwrap();
            for c in bytes.chunks(chunk) {
                l.push(c).unwrap();
            }
            let ds = l.finish().unwrap();
            assert_eq!(ds, whole, "{rel} in chunks of {chunk}");
        }
    }
}
