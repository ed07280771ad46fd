//! Locale-aware typing (files issue 21 item 2) and report footers (item 5), on the
//! fixtures that scripts/make_locale_fixtures.py writes the way Excel, Salesforce and a
//! Chinese CRM write them; plain files keep their old types.

use crmlens::io::{read_bytes, read_csv_str, LoadOptions};
use crmlens::table::{DataType, Value};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("tests/fixtures/locale/{name}")).unwrap()
}

fn opts(json: &str) -> LoadOptions {
    LoadOptions::from_json(json).unwrap()
}

fn f(v: Value) -> f64 {
    match v {
        Value::Float(x) => x,
        Value::Int(x) => x as f64,
        other => panic!("{other:?}"),
    }
}

#[test]
fn german_excel_csv_in_windows_1252() {
    let ds = read_bytes(&fixture("de_excel_semicolon_cp1252.csv"), LoadOptions::default()).unwrap();
    assert_eq!((ds.source.encoding.as_str(), ds.source.delimiter.as_deref()), ("windows-1252", Some(";")));
    assert_eq!(ds.num_rows(), 60);
    let amount = ds.column("Umsatz").unwrap();
    assert_eq!(amount.dtype(), DataType::Float64);
    assert_eq!(f(amount.get(0)), 38908.89); // "38.908,89 €"
    assert_eq!(amount.currency.as_deref(), Some("EUR"));
    assert!(amount.format.as_deref().unwrap().contains("decimal-comma"), "{:?}", amount.format);
    let pct = ds.column("Rabatt").unwrap();
    assert_eq!((pct.dtype(), f(pct.get(0))), (DataType::Float64, 18.3)); // "18,3 %"
    assert!(pct.format.as_deref().unwrap().contains("percent"));
    let date = ds.column("Bestelldatum").unwrap();
    assert_eq!(date.dtype(), DataType::Date);
    assert_eq!(date.get(0).to_text().unwrap(), "2023-10-31");
    assert_eq!(ds.columns()[0].get(0), Value::Str("Müller 0"));
    let info = ds.column_info();
    assert_eq!(info[1].currency.as_deref(), Some("EUR"));
}

#[test]
fn salesforce_report_with_footer() {
    let ds = read_bytes(&fixture("salesforce_report.csv"), LoadOptions::default()).unwrap();
    assert_eq!(ds.num_rows(), 40, "{:?}", ds.issues);
    let amount = ds.column("Amount").unwrap();
    assert_eq!((amount.dtype(), amount.currency.as_deref()), (DataType::Float64, Some("USD")));
    assert_eq!(f(amount.get(0)), 29351.16);
    assert!(amount.format.as_deref().unwrap().contains("accounting-negatives"));
    assert!((0..40).any(|i| f(amount.get(i)) < 0.0));
    let created = ds.column("Created Date").unwrap();
    assert_eq!(created.dtype(), DataType::Datetime);
    assert_eq!(created.get(0).to_text().unwrap(), "2023-10-31T15:45:00");
    assert!(created.format.as_deref().unwrap().contains("AM/PM"), "{:?}", created.format);
    let close = ds.column("Close Date").unwrap();
    assert_eq!(close.dtype(), DataType::Date);
    assert_eq!(close.get(0).to_text().unwrap(), "2024-12-11"); // "Dec 11, 2024"
                                                               // The footer: out of the table, listed, not counted as repaired rows.
    let footer: Vec<_> = ds.issues.iter().filter(|i| i.kind == "footer").collect();
    assert_eq!(footer.len(), 5, "{:?}", ds.issues);
    assert!(footer[0].message.contains("Grand Totals"));
    assert_eq!((ds.source.repaired_rows, ds.source.skipped_rows), (0, 5));
}

#[test]
fn chinese_export_in_gbk() {
    let ds = read_bytes(&fixture("zh_export_gbk.csv"), LoadOptions::default()).unwrap();
    assert_eq!(ds.source.encoding, "gb18030");
    assert_eq!(ds.num_rows(), 50);
    let amount = ds.column("订单金额").unwrap();
    assert_eq!(amount.dtype(), DataType::Float64);
    assert_eq!(f(amount.get(0)), 3687.82); // "3687.82元"
    assert_eq!(f(amount.get(1)), 25691.71); // "￥25,691.71"
                                            // ￥ and 元 in one column: both yuan here, but ￥ alone could be yen.
    assert!(amount.currency.is_none() || amount.currency.as_deref() == Some("CNY"), "{:?}", amount.currency);
    let day = ds.column("下单日期").unwrap();
    assert_eq!((day.dtype(), day.get(0).to_text().unwrap().as_str()), (DataType::Date, "2023-04-02"));
    assert!(day.format.as_deref().unwrap().contains("年"));
    let at = ds.column("下单时间").unwrap();
    assert_eq!((at.dtype(), at.get(0).to_text().unwrap().as_str()), (DataType::Datetime, "2023-04-02T19:08:00"));
    assert_eq!(ds.column("备注").unwrap().get(1), Value::Str("需要发票"));
}

#[test]
fn two_digit_years_are_read_with_a_stated_pivot() {
    let ds = read_bytes(&fixture("two_digit_years.csv"), LoadOptions::default()).unwrap();
    let c = ds.column("signup").unwrap();
    assert_eq!(c.dtype(), DataType::Date);
    assert_eq!(c.get(0).to_text().unwrap(), "1998-04-19"); // 4/19/98
    assert_eq!(c.get(1).to_text().unwrap(), "2003-08-15"); // 8/15/03
    assert!(c.warnings.iter().any(|w| w.contains("pivot")), "{:?}", c.warnings);
}

#[test]
fn options_state_the_convention_and_ambiguity_is_a_warning() {
    // "1.234" alone: a decimal point by default, a thousands separator under de-DE.
    let csv = "id;amount\n1;1.234\n2;5.678\n";
    let plain = read_csv_str(csv, LoadOptions::default()).unwrap();
    assert_eq!(f(plain.column("amount").unwrap().get(0)), 1.234);
    for o in [r#"{"locale": "de-DE"}"#, r#"{"decimal": ","}"#] {
        let de = read_csv_str(csv, opts(o)).unwrap();
        assert_eq!(f(de.column("amount").unwrap().get(0)), 1234.0, "{o}");
    }
    // "€1,234" with no decisive cell in a ';' file: read as decimal comma, with a warning.
    let ds = read_csv_str("id;amount\n1;€1,234\n2;€5,678\n", LoadOptions::default()).unwrap();
    let c = ds.column("amount").unwrap();
    assert_eq!(f(c.get(0)), 1.234);
    assert!(c.warnings.iter().any(|w| w.contains("ambiguous")), "{:?}", c.warnings);
    // Swiss grouping, stated.
    let ds = read_csv_str("a,b\nx,CHF 1'234.50\ny,CHF 99.00\n", LoadOptions::default()).unwrap();
    assert_eq!(f(ds.column("b").unwrap().get(0)), 1234.5);
    assert_eq!(ds.column("b").unwrap().currency.as_deref(), Some("CHF"));
    // Unknown values are INVALID_OPTION errors naming the field and the allowed values.
    for (o, field) in [
        (r#"{"locale": "xx-YY"}"#, "locale"),
        (r#"{"decimal": ";"}"#, "decimal"),
        (r#"{"thousands": "_"}"#, "thousands"),
    ] {
        let e = read_csv_str(csv, opts(o)).unwrap_err();
        assert_eq!((e.code(), e.location().field.as_deref()), ("INVALID_OPTION", Some(field)), "{o}");
    }
    assert!(read_csv_str(csv, opts(r#"{"locale": "xx"}"#)).unwrap_err().to_string().contains("de-DE"));
    assert!(LoadOptions::from_json(r#"{"decimals": ","}"#).is_err());
}

#[test]
fn plain_files_keep_their_types() {
    let ds = read_csv_str(
        "id,amount,when,name,code\n1,1.5,2024-01-02,Ann,0012\n2,$2.25,2024-01-03,Bo,0013\n3,3,2024-01-04,Cy,0014\n",
        LoadOptions::default(),
    )
    .unwrap();
    let types: Vec<DataType> = ds.columns().iter().map(|c| c.dtype()).collect();
    assert_eq!(types, vec![DataType::Int64, DataType::Float64, DataType::Date, DataType::Text, DataType::Text]);
    assert_eq!(ds.column("amount").unwrap().currency.as_deref(), Some("$"));
    // Free text and identifiers with dots stay text.
    let ds = read_csv_str("v,n\n1.2.3,May 5 people\n4.5.6,Oct was fine\n", LoadOptions::default()).unwrap();
    assert!(ds.columns().iter().all(|c| c.dtype() != DataType::Float64 && c.dtype() != DataType::Date));
}
