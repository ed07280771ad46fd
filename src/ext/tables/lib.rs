//! crmlens-tables, the first lazily loaded wasm module (see docs-lazy-modules.md): table
//! operations that the core wasm does not carry. Tables arrive and leave as Dataset bytes
//! (`dataset.toBytes()` / `Dataset.fromBytes`), since this module has its own memory.
//!
//! - [`group_by`]: rows grouped by key columns, with count / sum / mean / min / max /
//!   distinct per group.

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

/// Groups the rows of a table given as Dataset bytes; `options` is the options object as
/// JSON text (`GroupByOptions`). Returns the grouped table as Dataset bytes.
#[wasm_bindgen(js_name = groupBy)]
pub fn group_by_bytes(dataset: &[u8], options: &str) -> Result<Vec<u8>, JsValue> {
    let ds = Dataset::from_bytes(dataset).map_err(to_js)?;
    let opts = crmlens::options::options_from_json(options).map_err(to_js)?;
    Ok(group_by::group_by(&ds, &opts).map_err(to_js)?.to_bytes())
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
