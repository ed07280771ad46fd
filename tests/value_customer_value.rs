//! `customer_value` end to end on the CDNOW logs (../shared/data/cdnow_lifetimes).

use crmlens::io::{read_csv_bytes, LoadOptions};
use crmlens::table::{DataType, Value};
use crmlens::value::{customer_value, CustomerValueOptions};

fn load(rel: &str, opts: &str) -> crmlens::Dataset {
    let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    read_csv_bytes(&bytes, LoadOptions::from_json(opts).unwrap()).unwrap()
}

fn opts(json: &str) -> CustomerValueOptions {
    crmlens::options::options_from_json(json).unwrap()
}

#[test]
fn cdnow_sample_calibration_reproduces_the_published_bg_nbd_fit() {
    let ds = load("cdnow_lifetimes/CDNOW_sample.txt", r#"{"header": false}"#);
    let v = customer_value(
        &ds,
        &opts(r#"{"customer":"column_2","date":"column_3","amount":"column_5","calibrationEnd":"1997-09-30"}"#),
    )
    .unwrap();
    assert_eq!(v.customers.num_rows(), 2357);
    let p = v.model.bg_nbd.params;
    // Fader, Hardie & Lee (2005): r 0.243, alpha 4.414, a 0.793, b 2.426 (from the same summary).
    for (got, want) in [(p.r, 0.243), (p.alpha, 4.414), (p.a, 0.793), (p.b, 2.426)] {
        assert!((got - want).abs() / want < 2.5e-3, "{got} vs {want}");
    }
    assert!(v.model.bg_nbd.converged);
    let gg = v.model.gamma_gamma.as_ref().unwrap().params;
    for (got, want) in [(gg.p, 6.25), (gg.q, 3.74), (gg.v, 15.44)] {
        assert!((got - want).abs() / want < 2e-3, "{got} vs {want}");
    }
    // Rows after the calibration end are counted, not silently dropped.
    assert_eq!(v.model.rows.rows, 6919);
    assert_eq!(v.model.rows.after_calibration + v.model.rows.used, 6919);
    let alive = v.customers.column("pAlive").unwrap().to_f64().unwrap();
    assert!(alive.iter().all(|&a| (0.0..=1.0).contains(&a)));
    assert_eq!(v.customers.column("segment").unwrap().dtype(), DataType::Category);
}

#[test]
fn cdnow_master_value_table_and_cohorts() {
    let ds = load("cdnow_lifetimes/CDNOW_master.txt", "{}");
    let v = customer_value(&ds, &opts(r#"{"customer":"customer_id","date":"date","amount":"dollar_value"}"#)).unwrap();
    let c = &v.customers;
    assert_eq!(c.num_rows(), 23_570); // MANIFEST: 23,570 customers
    assert_eq!(v.model.calibration_end, "1998-06-30");
    assert_eq!(v.cohorts.cohorts, vec!["1997-01", "1997-02", "1997-03"]);
    assert_eq!(v.cohorts.sizes, vec![7_846, 8_476, 7_248]);
    // Timings: every step measured, the steps add up to at most the total.
    let t = v.model.timings;
    let parts = [t.summary, t.bg_nbd, t.gamma_gamma, t.rfm, t.predictions, t.table];
    assert!(t.total > 0.0 && parts.iter().all(|&p| p >= 0.0), "{t:?}");
    assert!(parts.iter().sum::<f64>() <= t.total + 1e-9, "{t:?}");
    assert_eq!(v.model.segments.iter().map(|s| s.customers).sum::<usize>(), 23_570);
    assert_eq!(c.column("customer_id").unwrap().get(0), Value::Str("00001"));
    assert_eq!(c.column("firstPurchase").unwrap().get(0).to_text().unwrap(), "1997-01-01");
    let clv = c.column("clv").unwrap().to_f64().unwrap();
    assert!(clv.iter().all(|x| x.is_finite() && *x >= 0.0));
    // Customers with higher P(alive) and more purchases are worth more on average.
    let (f, a) = (c.column("frequency").unwrap().to_f64().unwrap(), c.column("pAlive").unwrap().to_f64().unwrap());
    let mean = |sel: &dyn Fn(usize) -> bool| {
        let v: Vec<f64> = (0..clv.len()).filter(|&i| sel(i)).map(|i| clv[i]).collect();
        v.iter().sum::<f64>() / v.len() as f64
    };
    assert!(mean(&|i| f[i] >= 5.0 && a[i] > 0.5) > 5.0 * mean(&|i| f[i] == 0.0));
}

#[test]
fn bad_options_are_named() {
    let ds = load("cdnow_lifetimes/CDNOW_sample.txt", r#"{"header": false}"#);
    for (json, field) in [
        (r#"{"customer":"column_2","date":"column_3","timeUnit":"months"}"#, "timeUnit"),
        (r#"{"customer":"column_2","date":"column_3","calibrationEnd":"30/09/1997"}"#, "calibrationEnd"),
        (r#"{"customer":"column_2","date":"column_3","observationEnd":"1998-06-30"}"#, "observationEnd"),
        (r#"{"customer":"nope","date":"column_3"}"#, "nope"),
    ] {
        let e = customer_value(&ds, &opts(json)).err().unwrap();
        assert_eq!(e.location().field.as_deref(), Some(field), "{json}: {e}");
    }
    assert!(crmlens::options::options_from_json::<CustomerValueOptions>(r#"{"custmer":"x"}"#).is_err());
}

#[test]
fn online_retail_order_lines_cancellations_and_missing_ids_are_reported() {
    // UCI Online Retail (first 5,000 lines): amount = Quantity × UnitPrice, invoices "C…" are
    // cancellations, 1,205 lines have no CustomerID. Expected counts come from the table itself.
    let ds = load("online_retail_uci_first5000/online_retail_small.csv", "{}");
    let n = ds.num_rows();
    let invoice = ds.column("InvoiceNo").unwrap();
    let id = ds.column("CustomerID").unwrap();
    let qty = ds.column("Quantity").unwrap().to_f64().unwrap();
    let price = ds.column("UnitPrice").unwrap().to_f64().unwrap();
    let cancelled: Vec<bool> =
        (0..n).map(|i| invoice.get(i).to_text().is_some_and(|s| s.starts_with(['C', 'c']))).collect();
    let want_cancelled = cancelled.iter().filter(|&&c| c).count();
    let want_missing_id = (0..n).filter(|&i| !cancelled[i] && id.get(i) == Value::Null).count();
    let mut ids: Vec<String> = (0..n).filter(|&i| !cancelled[i]).filter_map(|i| id.get(i).to_text()).collect();
    ids.sort();
    ids.dedup();
    assert!(want_cancelled > 0 && want_missing_id > 0);

    let v = customer_value(
        &ds,
        &opts(
            r#"{"customer":"CustomerID","date":"InvoiceDate","quantity":"Quantity","price":"UnitPrice",
                "invoice":"InvoiceNo","timeUnit":"days"}"#,
        ),
    )
    .unwrap();
    let rows = &v.model.rows;
    assert_eq!(rows.rows, n);
    assert_eq!(rows.cancelled, want_cancelled);
    assert_eq!(rows.missing_customer, want_missing_id);
    assert_eq!(rows.used + rows.skipped(), n);
    assert_eq!(rows.used, n - want_cancelled - want_missing_id - rows.negative_amount - rows.missing_amount);
    assert_eq!(v.customers.num_rows(), ids.len());
    // Monetary values are means of quantity × price over repeat days: positive for repeaters.
    let (f, m) = (
        v.customers.column("frequency").unwrap().to_f64().unwrap(),
        v.customers.column("monetary").unwrap().to_f64().unwrap(),
    );
    assert!((0..f.len()).all(|i| (f[i] > 0.0) == (m[i] > 0.0)));

    // Without the invoice column the cancellations show up as negative amounts instead.
    let v = customer_value(
        &ds,
        &opts(r#"{"customer":"CustomerID","date":"InvoiceDate","quantity":"Quantity","price":"UnitPrice"}"#),
    )
    .unwrap();
    let negative = (0..n).filter(|&i| qty[i] * price[i] < 0.0).count();
    assert_eq!(v.model.rows.negative_amount, negative);
    assert_eq!(v.model.rows.cancelled, 0);
    // `amount` together with `quantity`/`price` is ambiguous: an error naming the option.
    let e = customer_value(
        &ds,
        &opts(r#"{"customer":"CustomerID","date":"InvoiceDate","amount":"UnitPrice","quantity":"Quantity"}"#),
    )
    .err()
    .unwrap();
    assert_eq!(e.code(), "INVALID_OPTION");
}
