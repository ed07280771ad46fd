//! `crmlens._native`: the core crate for Python (PyO3, abi3). The Python package
//! (`python/crmlens/`) wraps these functions; its engine adapters call them on workers.
//!
//! - [`input`]: a batch in — Arrow IPC stream bytes, or lines of a delimited file with their
//!   header (parsed by the core's loader exactly as the browser package parses the file).
//! - [`output`]: results out — a `Dataset` as columns of Python values, serde values as JSON.
//! - [`error`]: `CrmError` → `crmlens.CrmlensError` carrying the same `code` as the JS errors.
//! - [`profile`]: the profile's first- and second-pass states (update / merge / bytes) and the report.
//! - [`value`]: the customer summary state (update / merge / bytes) and `customer_value`.
//! - [`sentiment`]: per-row compound, label and language.

use pyo3::prelude::*;

mod arrow_in;
mod error;
mod input;
mod output;
mod profile;
mod sentiment;
mod value;

pub use error::CrmlensError;

/// The Chinese sentiment data, compiled in (the wasm package loads it as a module).
const ZH_DATA: &str = include_str!("../../sentiment/data/zh_sentiment.tsv");

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    if crmlens::sentiment::chinese::loaded().is_none() {
        crmlens::sentiment::chinese::install(ZH_DATA).map_err(error::to_py)?;
    }
    m.add("CrmlensError", m.py().get_type::<CrmlensError>())?;
    m.add("SUMMARY_STATE_VERSION", value::VERSION)?;
    m.add("SUMMARY_BUILDER_VERSION", crmlens::value::summary::bytes::VERSION)?;
    m.add("ARROW_INPUT", arrow_in::AVAILABLE)?;
    m.add("PROFILE_STATE_VERSION", profile::VERSION)?;
    m.add_function(wrap_pyfunction!(profile::profile_first, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_merge, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_second, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_merge_second, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_finish, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_counts, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_whole, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_second_parts, m)?)?;
    m.add_function(wrap_pyfunction!(profile::to_arrow, m)?)?;
    m.add_function(wrap_pyfunction!(profile::profile_decide, m)?)?;
    m.add_function(wrap_pyfunction!(value::summary_update, m)?)?;
    m.add_function(wrap_pyfunction!(value::summary_merge, m)?)?;
    m.add_function(wrap_pyfunction!(value::summary_counts, m)?)?;
    m.add_function(wrap_pyfunction!(value::customer_value, m)?)?;
    m.add_function(wrap_pyfunction!(sentiment::sentiment, m)?)?;
    Ok(())
}
