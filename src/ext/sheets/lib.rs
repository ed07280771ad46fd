//! crmlens-sheets, a lazily loaded wasm module (see docs-lazy-modules.md): Excel (`.xlsx`,
//! `.xlsm`, `.xlsb`, `.xls`) and OpenDocument (`.ods`) workbooks read with calamine into a
//! typed Dataset, handed back to the core as Dataset bytes (`Dataset.fromBytes` there).
//!
//! - [`options`]: `sheet`, `range` (A1 notation), `header`, `maxRows`.
//! - [`book`]: the workbook format from its signature; one sheet's used cells.
//! - [`cells`]: the cells of a sheet, column by column; serial and ISO dates.
//! - [`layout`]: title rows above the header, the header, footer rows, the columns.
//! - [`xls_guard`]: an `.xls` checked and rebuilt before calamine reads it, so that no
//!   size written in the file sizes an allocation (fuzz campaign 10).
//! - [`table`]: typed columns (the workbook's types, or the core's inference for text) and
//!   the load report.

pub mod book;
pub mod cells;
pub mod layout;
pub mod options;
pub mod table;
pub mod xls_guard;

pub use table::{read_workbook, sheet_names};

use crmlens::CrmError;
use js_sys::{Array, Error, Reflect};
use wasm_bindgen::prelude::*;

/// `CrmError` → JS `Error { name: "CrmlensError", code, field, kind }` (as the core's boundary does).
fn to_js(e: CrmError) -> JsValue {
    let err = Error::new(&e.to_string());
    err.set_name("CrmlensError");
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    if let Some(f) = e.location().field {
        let _ = Reflect::set(&err, &"field".into(), &f.into());
    }
    if let Some(k) = e.kind() {
        let _ = Reflect::set(&err, &"kind".into(), &k.into());
    }
    err.into()
}

/// The sheet names of a workbook, in order. Not a workbook: `NOT_A_TABLE` with its `kind`.
#[wasm_bindgen(js_name = sheetNames)]
pub fn sheet_names_js(bytes: &[u8]) -> Result<Array, JsValue> {
    Ok(sheet_names(bytes).map_err(to_js)?.iter().map(|s| JsValue::from_str(s)).collect())
}

/// One sheet of a workbook as Dataset bytes (`crmlens::table::bytes`); `options` is the
/// options object as JSON text ([`options::SheetOptions`]).
#[wasm_bindgen(js_name = readSheet)]
pub fn read_sheet(bytes: &[u8], options: &str) -> Result<Vec<u8>, JsValue> {
    let opts: options::SheetOptions = crmlens::options::options_from_json(options).map_err(to_js)?;
    Ok(read_workbook(bytes, &opts).map_err(to_js)?.to_bytes())
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
