//! Profiling: a ydata-profiling-class report of a [`Dataset`](crate::table::Dataset).
//!
//! Every statistic over rows is a mergeable state, so a table can be profiled in parts
//! (chunks of a stream, Web Workers, partitions) and the parts merged:
//!
//! - [`moments`]: count, mean, variance, skewness, kurtosis, min, max, zeros, negatives
//!   (two-pass blocks and Welford / Pébay updates, Chan–Pébay merge).
//! - [`hll`]: HyperLogLog distinct counter (Ertl's estimator, 2^14 registers, ≈ 0.8 % error).
//! - [`kll`]: KLL-style quantile sketch (rank error ≈ 0.1 %) and weighted value tables.
//! - [`freq`]: value frequencies, exact up to a limit, then HyperLogLog + Misra–Gries.
//! - [`text`]: lengths, shapes (`Aa 999`), whitespace, spelled kinds, sentinels, PII counts.
//! - [`hash`]: `crate::table::hash`, the 64-bit hash the sketches use and `MixMap` for tables
//!   keyed by value (shared with customer value and cleaning).
//! - [`column`]: the first-pass state of one column ([`numeric`]: its numeric blocks); [`rows`]: duplicate rows by hashing;
//!   [`order`]: rows proven distinct by a strictly monotone column (no hashing needed).
//! - [`second`]: the second pass planned from the first (histograms, outliers, correlations).
//! - [`alerts`]: alerts with severity; [`report`]: the report types; [`options`]: options.
//! - [`driver`]: `profile` and `profile_parts` (first pass, plan, second pass, report).
//! - [`shards`]: the same over shards held elsewhere (`first_pass_bytes`, `second_pass_bytes`,
//!   `profile_shards`), their states carried as bytes by [`wire`].
//! - [`wire`]: the first and second pass states as bytes, to merge shards across workers.

pub mod alerts;
pub mod column;
pub mod driver;
pub mod freq;
pub use crate::table::hash;
pub mod hll;
pub mod kll;
pub mod moments;
pub mod numeric;
pub mod options;
pub mod order;
pub mod report;
pub mod rows;
pub mod second;
pub mod shards;
pub mod text;
pub mod wire;

pub use crate::cells::detect::PiiKind;
pub use driver::{profile, profile_async, profile_parts, profile_parts_async, FirstPass, ShardTotals};
pub use options::ProfileOptions;
pub use report::*;
pub use shards::{first_pass_bytes, profile_shards, second_pass_bytes};
