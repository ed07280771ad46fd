//! Results out: a `Dataset` as `{name: [values]}` (Python values; dates and datetimes as ISO
//! strings as the JS package gives them in `rows()`; null and NaN as `None`) and serde values
//! as JSON text (parsed by the Python side).

use pyo3::prelude::*;
use pyo3::types::{PyDict, PyList};

use crmlens::table::date::{format_date, format_datetime};
use crmlens::table::{Dataset, Value};

pub fn columns<'py>(py: Python<'py>, ds: &Dataset) -> PyResult<Bound<'py, PyDict>> {
    let d = PyDict::new(py);
    for c in ds.columns() {
        let list = PyList::empty(py);
        for i in 0..c.len() {
            match c.get(i) {
                Value::Null => list.append(py.None())?,
                Value::Int(v) => list.append(v)?,
                Value::Float(v) if v.is_finite() => list.append(v)?,
                Value::Float(_) => list.append(py.None())?,
                Value::Bool(v) => list.append(v)?,
                Value::Date(v) => list.append(format_date(v))?,
                Value::Datetime(v) => list.append(format_datetime(v))?,
                Value::DatetimeUtc(v) => list.append(format!("{}Z", format_datetime(v)))?,
                Value::Str(s) => list.append(s)?,
            }
        }
        d.set_item(&c.name, list)?;
    }
    Ok(d)
}

pub fn json<T: serde::Serialize>(v: &T) -> PyResult<String> {
    serde_json::to_string(v).map_err(|e| crate::error::new("INVALID_STATE", format!("result to JSON: {e}")))
}
