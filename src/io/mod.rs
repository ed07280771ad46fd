//! Reading customer files into a [`Dataset`](crate::table::Dataset) and writing them back.
//!
//! - [`options`]: load options (serde, unknown keys rejected).
//! - [`loader`]: the streaming loader (chunks in, dataset out) and [`read_bytes`].
//! - [`encoding`]: encoding detection and chunk-safe decoding.
//! - [`sniff`]: delimiter and header detection.
//! - [`csv`]: CSV records on csv-core, with line numbers and open-quote detection.
//! - [`shard`]: one byte range of a CSV file read on its own (the pool's parallel loading):
//!   the quote scan that verifies a cut, the header / first line / forced types it is given.
//! - [`signature`]: binary files and control-byte noise are not tables (`NOT_A_TABLE`).
//! - [`sink`]: the header, bad-row policy and issue list.
//! - [`json`]: JSON arrays and NDJSON.
//! - [`json_exact`]: long JSON numbers read exactly (no `float_roundtrip`: marked, then `str::parse`).
//! - [`raw`]: text columns filled while reading.
//! - [`record`]: a record's fields and the sink's answer, shared by the readers and the sink.
//! - [`infer`], [`dates`], [`roles`]: type inference (dates in their own
//!   file), semantic roles (cell parsers and detectors: [`crate::cells`]).
//! - [`locale`]: regional number and date forms of a column (decimal comma, currencies,
//!   AM/PM, month names, 年月日), decided per column from a sample.
//! - [`export`]: CSV and JSON output.
//! - [`arrow`]: Apache Arrow IPC streams in and out ([`read_ipc_stream`], [`write_ipc_stream`]).

pub mod arrow;
pub mod csv;
pub mod dates;
pub mod encoding;
pub mod export;
pub mod infer;
pub mod json;
pub mod json_exact;
pub mod loader;
pub mod locale;
pub mod options;
pub mod raw;
pub mod record;
pub mod roles;
pub mod shard;
pub mod signature;
pub mod sink;
pub mod sniff;

pub use arrow::{read_ipc_stream, write_ipc_stream, IpcStream};
pub use export::{to_csv, to_json, CsvWriteOptions};
pub use loader::{read_bytes, Loader};
pub use options::{BadRows, DateOrder, Format, LoadOptions};

use crate::error::Result;
use crate::table::Dataset;

/// CSV from text that is already decoded (a JS string): the encoding is UTF-8.
pub fn read_csv_str(text: &str, mut opts: LoadOptions) -> Result<Dataset> {
    opts.validate()?;
    csv_only(&opts)?;
    opts.format = Format::Csv;
    opts.encoding = Some("utf-8".into());
    read_bytes(text.as_bytes(), opts)
}

/// CSV from bytes, with encoding detection.
pub fn read_csv_bytes(bytes: &[u8], mut opts: LoadOptions) -> Result<Dataset> {
    csv_only(&opts)?;
    opts.format = Format::Csv;
    read_bytes(bytes, opts)
}

/// `fromCsv` reads CSV: a `format` option asking for JSON is a mistake worth saying.
pub fn csv_only(opts: &LoadOptions) -> Result<()> {
    match opts.format {
        Format::Auto | Format::Csv => Ok(()),
        _ => Err(crate::CrmError::invalid_option("format", "fromCsv reads CSV; use fromJson for JSON or NDJSON")),
    }
}

/// JSON (array of objects, or NDJSON) from bytes or text.
pub fn read_json_bytes(bytes: &[u8], mut opts: LoadOptions) -> Result<Dataset> {
    if opts.format == Format::Csv {
        return Err(crate::CrmError::invalid_option("format", "fromJson reads JSON or NDJSON; use fromCsv for CSV"));
    }
    if opts.format != Format::Ndjson {
        let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace() && *b != 0xEF && *b != 0xBB && *b != 0xBF);
        opts.format = if first == Some(b'[') { Format::Json } else { Format::Ndjson };
        // A single (possibly pretty-printed) object is one row.
        if first == Some(b'{') {
            if let Ok(serde_json::Value::Object(_)) = serde_json::from_slice::<serde_json::Value>(bytes) {
                opts.format = Format::Json;
            }
        }
    }
    read_bytes(bytes, opts)
}
