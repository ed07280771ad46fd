//! crmlens-arrow, a lazily loaded wasm module (see docs-lazy-modules.md): the Apache Arrow
//! IPC reader behind `Dataset.fromArrow`. The reader (`crmlens::io::arrow`: FlatBuffers,
//! schema, every Arrow type it maps, dictionaries, batches, all of it checked) is ~12 KB of
//! gzipped wasm, more than the core's budget leaves, so it lives here; the writer
//! (`ds.toArrow()`) is small and stays in the core. The table goes back to the core as
//! Dataset bytes, which the page reads with the core's `Dataset.fromBytes`.

use crmlens::io::read_ipc_stream;
use crmlens::CrmError;
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

/// Reads an Arrow IPC stream (or an Arrow file's stream part) and returns the table as
/// Dataset bytes (`Dataset.fromBytes` reads them). Bad or truncated bytes: `PARSE_ERROR`
/// ending with the byte offset of the message; an unsupported type: `PARSE_ERROR` with the
/// column as `field`; past the memory budget: `TOO_LARGE`.
#[wasm_bindgen(js_name = readArrow)]
pub fn read_arrow(bytes: &[u8]) -> Result<Vec<u8>, JsValue> {
    Ok(read_ipc_stream(bytes).map_err(to_js)?.to_bytes())
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
