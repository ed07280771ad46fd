//! Parallel loading (js/pool.js): a byte range of a CSV file as a Dataset, and the quote scan
//! that verifies where a range may start (`crmlens::io::shard`).

use js_sys::{Object, Uint8Array};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::{load_js_bytes, JsDataset};
use super::error::{IntoJs, JsResult};
use crmlens::io::{self, shard::CsvShard, LoadOptions};

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// One byte range of a CSV file (cut after a newline), read as a table on its own: for
    /// `CrmlensPool`, which reads a file's ranges in parallel workers. `shard` gives the
    /// file's header (`names`), the line of the range's first byte, whether it ends the file,
    /// and column types decided across ranges; `options` the file's delimiter and encoding.
    #[wasm_bindgen(js_name = fromCsvShard)]
    pub fn from_csv_shard(
        bytes: Uint8Array,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: Option<Object>,
        #[wasm_bindgen(unchecked_optional_param_type = "CsvShard")] shard: Option<Object>,
    ) -> JsResult<JsDataset> {
        super::host::ensure();
        let mut opts: LoadOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        let shard: CsvShard = convert::options(&shard.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        opts.format = io::Format::Csv;
        let ds = load_js_bytes(io::Loader::shard(opts, shard).js()?, &bytes).js()?;
        Ok(JsDataset::new(ds))
    }
}

/// The quote scan of a byte range that starts after a newline: `[newlines, endsInside (from a
/// record start: 0/1), boundary offset (from inside a quoted field; -1: none), newlines before
/// it, endsInside (from inside)]`.
#[wasm_bindgen(js_name = csvShardScan)]
pub fn csv_shard_scan(bytes: &[u8], delimiter: u8, quote: u8) -> Vec<f64> {
    let s = io::shard::scan(bytes, delimiter, quote);
    let (b, nb) = s.boundary.map_or((-1.0, 0.0), |(o, n)| (o as f64, n as f64));
    vec![s.newlines as f64, s.outside_ends_inside as u8 as f64, b, nb, s.inside_ends_inside as u8 as f64]
}
