//! The typed columnar table every capability reads.
//!
//! - [`types`]: the column types and semantic roles.
//! - [`validity`]: the null bitmap shared by every column type.
//! - [`strings`]: a compact string column (one buffer + offsets).
//! - [`column`]: a named, typed column with its nulls and role.
//! - [`dataset`]: the table itself, plus the load report (source facts and issues).
//! - [`bytes`]: `Dataset::to_bytes` / `from_bytes`, a compact versioned binary form for
//!   handing a table to another wasm instance (a lazily loaded module).
//! - [`bytes_writer`]: those bytes written a column at a time, without the Dataset (a module's
//!   large results: the rules module's events).
//! - [`date`]: civil-date arithmetic and formatting (days / milliseconds since 1970-01-01).
//! - [`hash`]: 64-bit hashing with a mixing finish (`MixMap`) for tables keyed by values or
//!   f64 bit patterns, which plain FxHash sends to one bucket.
//! - [`interner`]: dense indexes for text keys, stored in one buffer (no allocation per key).
//! - [`wire`]: the checked, versioned byte form of mergeable states shipped between processes
//!   (the Python wheel's engine adapters).

pub mod bytes;
pub mod bytes_writer;
pub mod column;
pub mod dataset;
pub mod date;
pub mod hash;
pub mod interner;
pub mod strings;
mod take;
pub mod types;
pub mod validity;
pub mod wire;

pub use column::{Column, ColumnData, Value};
pub use dataset::{ColumnInfo, Dataset, SourceInfo};
pub use interner::Interner;
pub use strings::StrVec;
pub use types::{DataType, Role};
pub use validity::Validity;
