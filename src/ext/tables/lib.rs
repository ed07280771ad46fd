//! crmlens-tables, the first lazily loaded wasm module (see docs-lazy-modules.md): table
//! operations that the core wasm does not carry. Tables arrive as Dataset bytes
//! (`dataset.toBytes()`), since this module has its own memory, and results leave as plain
//! JS values.
//!
//! - [`group_by`]: rows grouped by key columns, with count / sum / mean / min / max /
//!   distinct per group.
//! - [`columns`]: a result table as plain JS columns (the core wasm has no `Dataset.fromBytes`).

pub mod columns;
pub mod group_by;

use crmlens::{CrmError, Dataset};
use js_sys::{Error, Reflect};
use wasm_bindgen::prelude::*;

/// `CrmError` → JS `Error { name: "CrmlensError", code, field }` (as the core's boundary does).
fn to_js(e: CrmError) -> JsValue {
    let err = Error::new(&e.to_string());
    err.set_name("CrmlensError");
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    if let Some(f) = e.location().field {
        let _ = Reflect::set(&err, &"field".into(), &f.into());
    }
    err.into()
}

/// Groups the rows of a table given as Dataset bytes (`dataset.toBytes()`); `options` is the
/// options object as JSON text (`GroupByOptions`). Returns the grouped table as columns
/// (`{ numRows, columns: [{ name, type, values }] }`, see [`columns::to_js`]).
#[wasm_bindgen(js_name = groupBy)]
pub fn group_by_bytes(dataset: &[u8], options: &str) -> Result<JsValue, JsValue> {
    let ds = Dataset::from_bytes(dataset).map_err(to_js)?;
    let opts = crmlens::options::options_from_json(options).map_err(to_js)?;
    Ok(columns::to_js(&group_by::group_by(&ds, &opts).map_err(to_js)?))
}

/// Reads Dataset bytes with the checking reader and writes them again: the canonical bytes of
/// the same table (a check that bytes written elsewhere, e.g. by `dataset.toBytes()` in JS,
/// are complete and canonical). Bad bytes: `PARSE_ERROR`.
#[wasm_bindgen(js_name = normalizeBytes)]
pub fn normalize_bytes(dataset: &[u8]) -> Result<Vec<u8>, JsValue> {
    Ok(Dataset::from_bytes(dataset).map_err(to_js)?.to_bytes())
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
