//! A table as plain JS columns: `{ numRows, columns: [{ name, type, values }] }`, where
//! `values` is a `Float64Array` for int64/float64 (null = NaN), and an array for the other
//! types: booleans, ISO date strings, strings (null where missing) — as the core's
//! `dataset.column(name)`.

use crmlens::table::{ColumnData, Value};
use crmlens::Dataset;
use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::JsValue;

fn set(o: &Object, k: &str, v: &JsValue) {
    // Setting a property on a fresh plain object cannot fail.
    let _ = Reflect::set(o, &JsValue::from_str(k), v);
}

pub fn to_js(ds: &Dataset) -> JsValue {
    let out = Object::new();
    set(&out, "numRows", &JsValue::from_f64(ds.num_rows() as f64));
    let cols = Array::new();
    for c in ds.columns() {
        let o = Object::new();
        set(&o, "name", &JsValue::from_str(&c.name));
        set(&o, "type", &JsValue::from_str(c.dtype().name()));
        let values: JsValue = match (&c.data, c.to_f64()) {
            (ColumnData::Int64(_) | ColumnData::Float64(_), Some(v)) => Float64Array::from(v.as_slice()).into(),
            _ => (0..c.len())
                .map(|i| match c.get(i) {
                    Value::Null => JsValue::NULL,
                    Value::Bool(b) => JsValue::from_bool(b),
                    v => v.to_text().map_or(JsValue::NULL, |s| JsValue::from_str(&s)),
                })
                .collect::<Array>()
                .into(),
        };
        set(&o, "values", &values);
        cols.push(&o);
    }
    set(&out, "columns", &cols);
    out.into()
}
