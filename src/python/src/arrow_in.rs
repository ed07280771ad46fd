//! Arrow input: an Arrow IPC stream (what `pyarrow.ipc` writes for a `RecordBatch` / `Table`)
//! read by the core's own reader (`crmlens::io::arrow::read_ipc_stream`) into a `Dataset` with
//! Arrow's types: no CSV detour.

use crate::error::Res;
use crmlens::table::Dataset;

pub const AVAILABLE: bool = true;

pub fn read(data: &[u8]) -> Res<Dataset> {
    crmlens::io::read_ipc_stream(data)
}
