//! The Arrow IPC stream reader of the core (`crmlens::io::arrow`), until it lands: an error.

use crate::error::Res;
use crmlens::table::Dataset;

pub const AVAILABLE: bool = false;

pub fn read(_data: &[u8]) -> Res<Dataset> {
    Err(crmlens::error::CrmError::invalid_option("kind", "Arrow IPC input needs the core's Arrow reader"))
}
