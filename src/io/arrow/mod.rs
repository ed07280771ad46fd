//! Apache Arrow IPC, in and out: a crmlens table moves to DuckDB(-Wasm), pyarrow, Polars,
//! Perspective, Arquero or Observable (and back) without going through CSV.
//!
//! Our own code, not the `arrow` crate: arrow-rs (arrow-ipc, arrow-array, arrow-schema,
//! arrow-buffer, flatbuffers, half, …) would add several hundred KB to the core wasm, whose
//! whole budget is 600 KB gzipped; the part of the format a flat table needs is small.
//!
//! - [`flatbuf`]: a minimal FlatBuffers reader (every offset checked) and writer.
//! - [`schema`]: the type mapping (table in its doc), schema fields read and written.
//! - [`columns`]: column builders, Arrow buffers → crmlens vectors, batch after batch.
//! - [`read`]: [`read_ipc_stream`], the message loop (schema, dictionaries, record batches).
//! - [`write`]: [`write_ipc_stream`], schema + one dictionary batch per category + one record batch.

pub mod columns;
pub mod flatbuf;
pub mod read;
pub mod schema;
pub mod write;

pub use read::read_ipc_stream;
pub use write::{write_ipc_stream, IpcStream};

use crate::error::{CrmError, Location};

/// A `PARSE_ERROR` about Arrow input.
#[cold]
fn bad(message: impl Into<String>) -> CrmError {
    CrmError::parse(format!("Arrow IPC: {}", message.into()), Location::default())
}
