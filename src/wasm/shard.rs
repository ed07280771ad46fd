//! Parallel loading (js/pool.js): a byte range of a CSV file as a Dataset, and the quote scan
//! that verifies where a range may start (`crmlens::io::shard`); the profile and customer
//! summary of a shard as mergeable state bytes, and the results of every shard's states.

use std::cell::RefCell;

use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crmlens::io::shard::{CsvShard, ShardType};
use crmlens::io::{self, LoadOptions, Loader};
use crmlens::profile::{self, ProfileOptions};
use crmlens::value::{self, CustomerValueOptions};

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Announces that the next `Dataset.fromFile` of this worker reads one byte range of a CSV
    /// file (cut after a newline) as a table on its own: for `CrmlensPool`, which reads a
    /// file's ranges in parallel workers, each streamed through `fromFile` (its progress, abort
    /// and macrotask yields). `names` the file's header (absent for the range that starts
    /// with it); `firstLine` the line of the range's first byte; `last` whether it ends the
    /// file; `force` per column a type decided across ranges (0 auto, 1 float, 2 string, 3
    /// text, 4 day-first dates, 5 month-first dates); `size` the range's bytes (a stream's
    /// size is not known: this is its progress total and the loader's size hint). The load's
    /// options give the file's delimiter and encoding; its format is CSV.
    #[wasm_bindgen(js_name = nextCsvShard)]
    pub fn next_csv_shard(names: Option<Vec<String>>, first_line: f64, last: bool, force: Vec<u8>, size: f64) {
        let force = force.into_iter().map(ShardType::from_code).collect();
        NEXT_SHARD
            .with(|n| *n.borrow_mut() = Some((CsvShard { names, first_line: first_line as u64, last, force }, size)));
    }
}

thread_local! {
    /// The byte range `nextCsvShard` announced for the next `fromFile`.
    static NEXT_SHARD: RefCell<Option<(CsvShard, f64)>> = const { RefCell::new(None) };
}

/// The byte range announced for this load (`fromFile` takes it first), if any.
pub(crate) fn take_next() -> Option<(CsvShard, f64)> {
    NEXT_SHARD.with(|n| n.borrow_mut().take())
}

/// The loader of `fromFile` in the pool's wasm: of the announced CSV byte range, else the plain one.
pub(crate) fn loader(opts: LoadOptions, shard: Option<CsvShard>) -> crmlens::error::Result<Loader> {
    match shard {
        Some(shard) => Loader::shard(LoadOptions { format: io::Format::Csv, ..opts }, shard),
        None => Loader::new(opts),
    }
}

/// The quote scan of a byte range that starts after a newline: `[newlines, endsInside (from a
/// record start: 0/1), boundary offset (from inside a quoted field; -1: none), newlines before
/// it, endsInside (from inside)]`.
#[wasm_bindgen(js_name = csvShardScan)]
pub fn csv_shard_scan(bytes: &[u8], delimiter: u8, quote: u8) -> Vec<f64> {
    let s = crmlens::io::shard::scan(bytes, delimiter, quote);
    let (b, nb) = s.boundary.map_or((-1.0, 0.0), |(o, n)| (o as f64, n as f64));
    vec![s.newlines as f64, s.outside_ends_inside as u8 as f64, b, nb, s.inside_ends_inside as u8 as f64]
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// This shard's profile state as bytes, for `profileOfShards`: without `firsts`, the first
    /// pass; with `firsts` (every shard's first-pass bytes, each after its u64 length, in table
    /// order), the second pass planned from their merge, with the row hashes.
    #[wasm_bindgen(js_name = profileState)]
    pub fn profile_state(
        &self,
        #[wasm_bindgen(unchecked_param_type = "ProfileOptions | undefined")] options: JsValue,
        firsts: Option<Vec<u8>>,
    ) -> JsResult<Vec<u8>> {
        let opts: ProfileOptions = convert::options(&options).js()?;
        match firsts {
            None => profile::first_pass_bytes(&self.inner, &opts).js(),
            Some(f) => profile::second_pass_bytes(&self.inner, &opts, &f).js(),
        }
    }

    /// This shard's transaction rows as customer-summary bytes (`customerValueOfStates`).
    #[wasm_bindgen(js_name = customerSummaryState)]
    pub fn customer_summary_state(
        &self,
        #[wasm_bindgen(unchecked_param_type = "CustomerValueOptions")] options: JsValue,
    ) -> JsResult<Vec<u8>> {
        let opts: CustomerValueOptions = convert::options(&options).js()?;
        value::shards::customer_summary_bytes(&self.inner, &opts).js()
    }
}

/// The profile report of a table held in shards, from their packed first and second pass
/// states (`dataset.profileState`); `dataset` is any non-empty shard; `rows` and `memoryBytes`
/// the shards' sums. (Each column's `missingTokens` is the given shard's: the pool sets the
/// merged ones.)
#[wasm_bindgen(js_name = profileOfShards, unchecked_return_type = "ProfileReport")]
pub fn profile_of_shards(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "ProfileOptions | undefined")] options: JsValue,
    firsts: &[u8],
    seconds: &[u8],
    rows: f64,
    memory_bytes: f64,
) -> JsResult<JsValue> {
    let opts: ProfileOptions = convert::options(&options).js()?;
    let totals =
        profile::ShardTotals { rows: rows as u64, memory_bytes: memory_bytes as u64, missing_tokens: Vec::new() };
    super::profile::report_js(profile::profile_shards(&dataset.inner, &opts, firsts, seconds, &totals).js()?)
}

/// `customerValue` of a table held in shards, from every shard's `customerSummaryState`
/// (each after its u64 length, in table order): merged, fitted once.
#[wasm_bindgen(js_name = customerValueOfStates, unchecked_return_type = "{ customers: Dataset, model: ValueModel, cohorts: CohortMatrix }")]
pub fn customer_value_of_states(
    states: &[u8],
    #[wasm_bindgen(unchecked_param_type = "CustomerValueOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: CustomerValueOptions = convert::options(&options).js()?;
    let parts = profile::wire::unpack(states).js()?;
    super::value::value_js(value::shards::customer_value_of_states(parts, &opts).js()?)
}
