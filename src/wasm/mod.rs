//! crmlens-wasm, the JavaScript boundary: the only crate that knows about wasm-bindgen,
//! js-sys and web-sys; it wraps the plain-Rust core (`crmlens`). Each wrapper is thin: convert arguments, call the core, convert the result,
//! turn a [`CrmError`](crmlens::CrmError) into a real JS `Error` (see [`error`]).
//!
//! - [`dataset`]: the `Dataset` class (`fromCsv`, `fromJson`, `fromBytes`, accessors, exports: `toCsv`, `toJson`, `toArrow`; `Dataset.fromArrow` is in the lazily loaded `arrow` module, src/ext/arrow).
//! - [`file`]: `Dataset.fromFile`, streaming a `Blob`/`File` with progress and abort.
//! - [`convert`]: options in, plain objects and typed arrays out.
//! - [`sentiment`]: `sentimentOfTexts`, `sentimentOfDataset`, the Chinese data loader.
//! - [`sentiment_model`]: the `SentimentModel` class (train, predict, evaluate, JSON).
//! - [`value`]: `customerValue` (customer value table, models, cohorts).
//! - [`profile`](mod@profile): `dataset.profile(options?)` (the profile report).
//! - [`clean`]: `dataset.mask(options)` (personal data masked) and `dataset.clean(plan)`.
//! - [`segment`]: `segment` (segments, their descriptions, quality scores, 2-D projection).
//! - [`recommend`]: the `Recommender` class and `associationRules`.
//! - `shard` (feature `pool`, only in pkg/crmlens_pool_bg.wasm): `Dataset.nextCsvShard` (a byte range for the next `fromFile`) and `csvShardScan`, the parallel
//!   loading of `CrmlensPool`, and the shards' mergeable states (`profileState`, `profileOfShards`, `customerSummaryState`,
//!   `customerValueOfStates`).
//! - `shard_kmeans` (feature `pool`): `Dataset.segmentShardStats`, `Dataset.kmeansShardOpen` and `kmeansShardStep` (with the run's seeded draws), the
//!   per-shard steps of `CrmlensPool.segment` (k-means driven from js/pool-kmeans.js).
//! - [`lifecycle`]: long work (`…Async`): `onProgress` / `signal` → the core's `task::Ctl`, macrotask yields.
//! - [`host`]: the core's host services: `performance.now` and the platform's `TextDecoder` (GBK, Big5, windows-1252, …).
//! - [`error`]: `CrmError` → `Error { name: "CrmlensError", code, line, column, field }`.

pub mod clean;
pub mod convert;
pub mod dataset;
pub mod error;
pub mod file;
pub mod host;
pub mod lifecycle;
pub mod profile;
pub mod recommend;
pub mod segment;
pub mod sentiment;
pub mod sentiment_model;
#[cfg(feature = "pool")]
pub mod shard;
#[cfg(feature = "pool")]
pub mod shard_kmeans;
pub mod value;

use wasm_bindgen::prelude::*;

/// Runs once when the module is instantiated: installs the core's host services (clock,
/// `TextDecoder`) and the panic hook, which only improves the console message if a bug ever
/// panics (bad input never should).
#[wasm_bindgen(start)]
pub fn start() {
    console_error_panic_hook::set_once();
    host::ensure();
}

/// The version of the crmlens package.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
