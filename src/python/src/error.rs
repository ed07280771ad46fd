//! `CrmError` → `crmlens.CrmlensError(message)` with `.code` (the JS error's code:
//! `PARSE_ERROR`, `INVALID_STATE`, …), `.field`, `.line` and `.column` where known.

use pyo3::create_exception;
use pyo3::exceptions::PyException;
use pyo3::prelude::*;

create_exception!(crmlens, CrmlensError, PyException, "A crmlens error; `code` is the stable code of the JS errors.");

pub fn to_py(e: crmlens::error::CrmError) -> PyErr {
    Python::attach(|py| {
        let err = CrmlensError::new_err(e.to_string());
        let v = err.value(py);
        let loc = e.location();
        let _ = v.setattr("code", e.code());
        let _ = v.setattr("field", loc.field.clone());
        let _ = v.setattr("line", loc.line);
        let _ = v.setattr("column", loc.column);
        err
    })
}

/// A `CrmlensError` of the given code made here (not from the core).
pub fn new(code: &'static str, message: impl Into<String>) -> PyErr {
    let e = match code {
        "INVALID_STATE" => crmlens::error::CrmError::state(message.into()),
        "INVALID_OPTION" => crmlens::error::CrmError::invalid_option("", message.into()),
        _ => crmlens::error::CrmError::parse(message.into(), Default::default()),
    };
    to_py(e)
}

pub type Res<T> = std::result::Result<T, crmlens::error::CrmError>;
