//! The profile states (see docs-python.md); registered functions below.

use pyo3::prelude::*;

pub const VERSION: u16 = 1;

pub fn register(_m: &Bound<'_, PyModule>) -> PyResult<()> {
    Ok(())
}
