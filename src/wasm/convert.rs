//! Conversions between JS values and core types.

use js_sys::{Array, Float64Array, Object, Reflect};
use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::{JsCast, JsValue};

use crmlens::error::{CrmError, Result};
use crmlens::table::{Column, ColumnData, Value};

/// An options object (or `undefined`/`null` for all defaults) into a serde struct whose
/// unknown keys are an error naming the key.
pub fn options<T: DeserializeOwned + Default>(v: &JsValue) -> Result<T> {
    if v.is_undefined() || v.is_null() {
        return Ok(T::default());
    }
    if !v.is_object() || Array::is_array(v) {
        return Err(CrmError::invalid_option("options", "options must be a plain object"));
    }
    // Through JSON text: serde_json honours `deny_unknown_fields` (serde-wasm-bindgen only
    // looks up the known keys, so a misspelt option would pass silently).
    let text = js_sys::JSON::stringify(v)
        .ok()
        .and_then(|s| s.as_string())
        .ok_or_else(|| CrmError::invalid_option("options", "options must be JSON-like (no cycles, no BigInt)"))?;
    crmlens::options::options_from_json(&text)
}

/// A serde value as a plain JS object (maps as objects, `None` as null).
pub fn to_plain<T: Serialize>(v: &T) -> Result<JsValue> {
    v.serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(|e| CrmError::state(format!("conversion to JS failed: {e}")))
}

pub fn cell(v: Value) -> JsValue {
    match v {
        Value::Null => JsValue::NULL,
        Value::Int(i) => JsValue::from_f64(i as f64),
        Value::Float(f) => JsValue::from_f64(f),
        Value::Bool(b) => JsValue::from_bool(b),
        Value::Str(s) => JsValue::from_str(s),
        other => other.to_text().map_or(JsValue::NULL, |t| JsValue::from_str(&t)),
    }
}

/// A column for JS: `Float64Array` for int64/float64 (null = NaN), otherwise an array
/// of strings / booleans / nulls (dates as ISO strings).
pub fn column(col: &Column) -> JsValue {
    if let Some(values) = col.to_f64() {
        return Float64Array::from(values.as_slice()).into();
    }
    let out = Array::new_with_length(col.len() as u32);
    match &col.data {
        ColumnData::Category { codes, dict } => {
            // One JS string per dictionary entry, shared by every row that uses it.
            let strings: Vec<JsValue> = dict.iter().map(|s| JsValue::from_str(s)).collect();
            for (i, &code) in codes.iter().enumerate() {
                let v = if col.validity.is_valid(i) {
                    strings.get(code as usize).cloned().unwrap_or(JsValue::NULL)
                } else {
                    JsValue::NULL
                };
                out.set(i as u32, v);
            }
        }
        ColumnData::Bool(_) => {
            for i in 0..col.len() {
                out.set(i as u32, cell(col.get(i)));
            }
        }
        _ => return strings_column(col),
    }
    out.into()
}

/// Text, date and datetime columns: one JS string for the whole column, split in JS (one
/// boundary crossing instead of one per value), then nulls set. Falls back to value by
/// value if a value contains the separator.
fn strings_column(col: &Column) -> JsValue {
    const SEP: char = '\u{1F}';
    let mut joined = String::new();
    for i in 0..col.len() {
        if i > 0 {
            joined.push(SEP);
        }
        match col.get(i) {
            Value::Str(s) => {
                if s.contains(SEP) {
                    let out = Array::new_with_length(col.len() as u32);
                    for j in 0..col.len() {
                        out.set(j as u32, cell(col.get(j)));
                    }
                    return out.into();
                }
                joined.push_str(s);
            }
            Value::Null => {}
            Value::Date(d) => crmlens::table::date::push_date(&mut joined, d),
            Value::Datetime(ms) => crmlens::table::date::push_datetime(&mut joined, ms),
            Value::DatetimeUtc(ms) => {
                crmlens::table::date::push_datetime(&mut joined, ms);
                joined.push('Z');
            }
            other => joined.push_str(&other.to_text().unwrap_or_default()),
        }
    }
    let out = if col.is_empty() { Array::new() } else { js_sys::JsString::from(joined).split(&SEP.to_string()) };
    for i in 0..col.len() {
        if !col.validity.is_valid(i) {
            out.set(i as u32, JsValue::NULL);
        }
    }
    out.into()
}

/// Rows `offset..offset+limit` as plain objects keyed by column name.
pub fn rows(ds: &crmlens::table::Dataset, offset: usize, limit: usize) -> JsValue {
    let end = offset.saturating_add(limit).min(ds.num_rows());
    let names: Vec<JsValue> = ds.column_names().into_iter().map(JsValue::from_str).collect();
    let out = Array::new();
    for i in offset.min(end)..end {
        let obj = Object::new();
        for (col, name) in ds.columns().iter().zip(&names) {
            let _ = Reflect::set(&obj, name, &cell(col.get(i)));
        }
        out.push(&obj);
    }
    out.into()
}

/// A JS function property of an options object, if present.
pub fn function_prop(obj: &JsValue, key: &str) -> Result<Option<js_sys::Function>> {
    if !obj.is_object() {
        return Ok(None);
    }
    let v = Reflect::get(obj, &JsValue::from_str(key)).unwrap_or(JsValue::UNDEFINED);
    if v.is_undefined() || v.is_null() {
        return Ok(None);
    }
    v.dyn_into::<js_sys::Function>().map(Some).map_err(|_| CrmError::invalid_option(key, "must be a function"))
}
