//! wasm-bindgen tests of the JS-facing API, run in Node and in headless Chromium
//! (`scripts/test.sh`). Real files are compiled in from ../shared/data.
#![cfg(target_arch = "wasm32")]

use crmlens_wasm::dataset::JsDataset;
use js_sys::{Array, Float64Array, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;

mod recommend;
mod segment;

const TELCO: &[u8] =
    include_bytes!("../../../../../shared/data/telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv");
const RETAIL: &[u8] = include_bytes!("../../../../../shared/data/online_retail_uci_first5000/online_retail_small.csv");
const BANK: &[u8] = include_bytes!("../../../../../shared/data/bank_marketing/bank.csv");
const CDNOW: &[u8] = include_bytes!("../../../../../shared/data/cdnow_lifetimes/CDNOW_sample.txt");
const WAIMAI: &str = include_str!("../../../../../shared/data/waimai_10k/waimai_10k.csv");

fn get(v: &JsValue, k: &str) -> JsValue {
    Reflect::get(v, &JsValue::from_str(k)).unwrap()
}

fn bytes(b: &[u8]) -> JsValue {
    Uint8Array::from(b).into()
}

fn opts(json: &str) -> Option<Object> {
    Some(js_sys::JSON::parse(json).unwrap().unchecked_into())
}

fn column_info(ds: &JsDataset, name: &str) -> JsValue {
    let cols: Array = ds.columns().unwrap().unchecked_into();
    cols.iter().find(|c| get(c, "name").as_string().as_deref() == Some(name)).unwrap()
}

#[wasm_bindgen_test]
fn telco_loads_with_types_roles_and_missing() {
    let ds = JsDataset::from_csv(bytes(TELCO), None).unwrap();
    assert_eq!((ds.num_rows(), ds.num_columns()), (7043, 21));
    let tc = column_info(&ds, "TotalCharges");
    assert_eq!(get(&tc, "type").as_string().unwrap(), "float64");
    assert_eq!(get(&tc, "role").as_string().unwrap(), "money");
    assert_eq!(get(&tc, "nullCount").as_f64().unwrap(), 11.0);
    let values: Float64Array = ds.column("TotalCharges".into()).unwrap().unchecked_into();
    assert_eq!(values.length(), 7043);
    assert_eq!(values.to_vec().iter().filter(|v| v.is_nan()).count(), 11);
    let rows: Array = ds.rows(Some(0.into()), Some(2.into())).unwrap().unchecked_into();
    assert_eq!(get(&rows.get(0), "customerID").as_string().unwrap(), "7590-VHVEG");
    assert_eq!(get(&rows.get(0), "Churn").as_bool(), Some(false));
    let ids: Array = ds.column("customerID".into()).unwrap().unchecked_into();
    assert_eq!(ids.get(1).as_string().unwrap(), "5575-GNVDE");
}

#[wasm_bindgen_test]
fn real_files_in_their_dialects() {
    let bank = JsDataset::from_csv(bytes(BANK), None).unwrap();
    assert_eq!(get(&bank.source().unwrap(), "delimiter").as_string().unwrap(), ";");
    assert_eq!(bank.num_rows(), 4521);
    let retail = JsDataset::from_csv(bytes(RETAIL), None).unwrap();
    let dates: Array = retail.column("InvoiceDate".into()).unwrap().unchecked_into();
    assert_eq!(dates.get(0).as_string().unwrap(), "2010-12-01T08:26:00");
    let ms = retail.timestamps("InvoiceDate".into()).unwrap();
    assert_eq!(ms.get_index(0), js_sys::Date::utc(2010.0, 11.0) + (8.0 * 60.0 + 26.0) * 60_000.0);
    assert_eq!(
        get(&retail.timestamps("Quantity".into()).err().unwrap(), "code").as_string().unwrap(),
        "INVALID_OPTION"
    );
    assert_eq!(get(&column_info(&retail, "CustomerID"), "type").as_string().unwrap(), "int64");
    let cdnow = JsDataset::from_csv(bytes(CDNOW), None).unwrap();
    assert_eq!((cdnow.num_rows(), cdnow.num_columns()), (6919, 5));
    assert_eq!(get(&column_info(&cdnow, "column_3"), "type").as_string().unwrap(), "date");
}

#[wasm_bindgen_test]
fn gbk_chinese_text() {
    let slice: String =
        WAIMAI.lines().filter(|l| !encoding_rs::GBK.encode(l).2).take(101).map(|l| format!("{l}\n")).collect();
    let ds = JsDataset::from_csv(bytes(&encoding_rs::GBK.encode(&slice).0), None).unwrap();
    assert_eq!(get(&ds.source().unwrap(), "encoding").as_string().unwrap(), "gb18030");
    let reviews: Array = ds.column("review".into()).unwrap().unchecked_into();
    assert_eq!(reviews.get(0).as_string().unwrap(), "很快，好吃，味道足，量大");
    let from_text = JsDataset::from_csv(JsValue::from_str(&slice), None).unwrap();
    assert_eq!(ds.to_csv(None).unwrap(), from_text.to_csv(None).unwrap());
}

#[wasm_bindgen_test]
fn errors_are_crmlens_errors_with_location() {
    let e = JsDataset::from_csv(JsValue::from_str("a,b\n1,2\n3\n"), opts(r#"{"onBadRows":"error"}"#)).err().unwrap();
    assert!(e.is_instance_of::<js_sys::Error>());
    assert_eq!(get(&e, "name").as_string().unwrap(), "CrmlensError");
    assert_eq!(get(&e, "code").as_string().unwrap(), "RAGGED_ROW");
    assert_eq!(get(&e, "line").as_f64(), Some(3.0));
    assert_eq!(get(&e, "field").as_string().unwrap(), "b");
    let e = JsDataset::from_csv(JsValue::from_str("a\n1\n"), opts(r#"{"delimeter":";"}"#)).err().unwrap();
    assert_eq!(get(&e, "code").as_string().unwrap(), "INVALID_OPTION");
    assert_eq!(get(&e, "field").as_string().unwrap(), "delimeter");
    let ds = JsDataset::from_csv(JsValue::from_str("a\n1\n"), None).unwrap();
    let e = ds.column("zz".into()).err().unwrap();
    assert_eq!(get(&e, "code").as_string().unwrap(), "UNKNOWN_COLUMN");
    let e = JsDataset::from_csv(JsValue::from_f64(3.0), None).err().unwrap();
    assert_eq!(get(&e, "code").as_string().unwrap(), "INVALID_OPTION");
    let e = JsDataset::from_json(JsValue::from_str("[{\"a\":1},"), None).err().unwrap();
    assert_eq!(get(&e, "code").as_string().unwrap(), "PARSE_ERROR");
    // The instance still works after errors and garbage.
    let mut s = 12345u32;
    for n in 0..200u32 {
        let junk: Vec<u8> = (0..n * 7)
            .map(|_| {
                s ^= s << 13;
                s ^= s >> 17;
                s ^= s << 5;
                s as u8
            })
            .collect();
        let _ = JsDataset::from_csv(bytes(&junk), None);
        let _ = JsDataset::from_json(bytes(&junk), None);
    }
    assert_eq!(JsDataset::from_csv(bytes(TELCO), None).unwrap().num_rows(), 7043);
}

#[wasm_bindgen_test]
async fn from_file_streams_with_progress_and_abort() {
    let parts = Array::of1(&Uint8Array::from(RETAIL));
    let blob = web_sys::Blob::new_with_u8_array_sequence(&parts).unwrap();
    let calls = std::rc::Rc::new(std::cell::RefCell::new(Vec::<(f64, f64)>::new()));
    let c2 = calls.clone();
    let cb = Closure::<dyn FnMut(JsValue)>::new(move |p: JsValue| {
        c2.borrow_mut().push((get(&p, "bytesRead").as_f64().unwrap(), get(&p, "totalBytes").as_f64().unwrap()));
    });
    let o = Object::new();
    Reflect::set(&o, &"onProgress".into(), cb.as_ref()).unwrap();
    Reflect::set(&o, &"chunkSize".into(), &JsValue::from_f64(50_000.0)).unwrap();
    let streamed = JsDataset::from_file(blob.clone().into(), Some(o)).await.unwrap();
    let whole = JsDataset::from_csv(bytes(RETAIL), None).unwrap();
    assert_eq!(streamed.to_csv(None).unwrap(), whole.to_csv(None).unwrap());
    let calls = calls.borrow().clone();
    assert_eq!(calls.len(), RETAIL.len().div_ceil(50_000));
    assert!(calls.windows(2).all(|w| w[0].0 < w[1].0));
    assert_eq!(calls.last().unwrap(), &(RETAIL.len() as f64, RETAIL.len() as f64));

    // A ReadableStream (here the blob's own stream) reads the same table.
    let stream =
        Reflect::get(&blob, &"stream".into()).unwrap().unchecked_into::<js_sys::Function>().call0(&blob).unwrap();
    let from_stream = JsDataset::from_file(stream, None).await.unwrap();
    assert_eq!(from_stream.to_csv(None).unwrap(), whole.to_csv(None).unwrap());

    // Abort from inside the progress callback: the promise rejects with ABORTED.
    let controller = web_sys::AbortController::new().unwrap();
    let signal = controller.signal();
    let abort = Closure::<dyn FnMut(JsValue)>::new(move |_p: JsValue| controller.abort());
    let o = Object::new();
    Reflect::set(&o, &"onProgress".into(), abort.as_ref()).unwrap();
    Reflect::set(&o, &"signal".into(), &signal).unwrap();
    Reflect::set(&o, &"chunkSize".into(), &JsValue::from_f64(10_000.0)).unwrap();
    let e = JsDataset::from_file(blob.into(), Some(o)).await.err().unwrap();
    assert_eq!(get(&e, "code").as_string().unwrap(), "ABORTED");
}

#[wasm_bindgen_test]
fn customer_value_on_the_cdnow_sample() {
    let ds = JsDataset::from_csv(bytes(CDNOW), None).unwrap();
    let o = js_sys::JSON::parse(
        r#"{"customer":"column_2","date":"column_3","amount":"column_5","calibrationEnd":"1997-09-30"}"#,
    )
    .unwrap();
    let v = crmlens_wasm::value::js_customer_value(&ds, o).unwrap();
    let customers = get(&v, "customers");
    assert_eq!(get(&customers, "numRows").as_f64(), Some(2357.0));
    let r = get(&get(&get(&v, "model"), "bgNbd"), "r").as_f64().unwrap();
    assert!((r - 0.243).abs() < 1e-3, "r = {r}");
    assert_eq!(get(&get(&v, "cohorts"), "cohorts").unchecked_into::<Array>().length(), 3);
    let bad = js_sys::JSON::parse(r#"{"customer":"column_2","date":"column_3","timeUnit":"months"}"#).unwrap();
    let e = crmlens_wasm::value::js_customer_value(&ds, bad).err().unwrap();
    assert_eq!(get(&e, "field").as_string().unwrap(), "timeUnit");
}

/// The table-driven exp / ln of the likelihood loops agree with wasm's own (libm) functions
/// to 2 ulp here too (natively `src/fastmath.rs` checks them against glibc's).
#[wasm_bindgen_test]
fn fast_exp_and_ln_agree_with_the_standard_functions_in_wasm() {
    let f = crmlens::fastmath::fast();
    let ulps =
        |a: f64, b: f64| if a == b { 0.0 } else { (a - b).abs() / (f64::from_bits(b.abs().to_bits() + 1) - b.abs()) };
    let (mut worst_exp, mut worst_ln) = (0.0_f64, 0.0_f64);
    for i in 0..20_000 {
        let x = -700.0 + 1400.0 * (i as f64 + 0.37) / 20_000.0;
        worst_exp = worst_exp.max(ulps(f.exp(x), x.exp()));
        let y = (x / 10.0).exp() * (1.0 + 1e-3 * (i % 7) as f64);
        worst_ln = worst_ln.max(ulps(f.ln(y), y.ln()));
        let z = 1.0 + (i as f64 - 10_000.0) * 1e-6;
        worst_ln = worst_ln.max(ulps(f.ln(z), z.ln()));
    }
    assert!(worst_exp <= 2.0 && worst_ln <= 2.0, "exp {worst_exp} ulp, ln {worst_ln} ulp");
}
