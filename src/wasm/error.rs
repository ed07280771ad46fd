//! `CrmError` → JS `Error` with `name = "CrmlensError"`, `code`, `line`, `column`, `field`, and
//! `kind` for `NOT_A_TABLE`.

use js_sys::{Error, Reflect};
use wasm_bindgen::JsValue;

use crmlens::error::CrmError;

pub fn to_js(e: CrmError) -> JsValue {
    let err = Error::new(&e.to_string());
    err.set_name("CrmlensError");
    let loc = e.location();
    let set = |k: &str, v: JsValue| {
        // Setting a property on a fresh Error object cannot fail.
        let _ = Reflect::set(&err, &JsValue::from_str(k), &v);
    };
    set("code", JsValue::from_str(e.code()));
    if let Some(l) = loc.line {
        set("line", JsValue::from_f64(l as f64));
    }
    if let Some(c) = loc.column {
        set("column", JsValue::from_f64(c as f64));
    }
    if let Some(f) = loc.field {
        set("field", JsValue::from_str(&f));
    }
    // NOT_A_TABLE: what the input was detected as ("zip", "xlsx", "pdf", "png", "binary", …).
    if let Some(k) = e.kind() {
        set("kind", JsValue::from_str(k));
    }
    err.into()
}

/// Result type of every exported function.
pub type JsResult<T> = Result<T, JsValue>;

pub trait IntoJs<T> {
    fn js(self) -> JsResult<T>;
}

impl<T> IntoJs<T> for Result<T, CrmError> {
    fn js(self) -> JsResult<T> {
        self.map_err(to_js)
    }
}
