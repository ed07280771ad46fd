//! Options in: every public operation takes one options object, deserialised into a
//! serde struct with `deny_unknown_fields` and enums for its choices, then checked into a
//! parameter type (`check()` / `validate()` beside each struct). This is the one path by
//! which options arrive (the JS layer hands the object over as JSON text).

use crate::error::{CrmError, Result};

/// Deserialises an options object from JSON text. On error, the message names the
/// offending key in `field` (found by trying each key alone) and carries no JSON
/// line/column, which mean nothing to a caller who passed an object.
pub fn options_from_json<T: serde::de::DeserializeOwned>(text: &str) -> Result<T> {
    let clean = |e: &serde_json::Error| {
        let m = e.to_string();
        match m.rfind(" at line ") {
            Some(p) => m[..p].to_string(),
            None => m,
        }
    };
    serde_json::from_str(text).map_err(|e| {
        let message = clean(&e);
        let mut field = "options".to_string();
        if let Ok(serde_json::Value::Object(map)) = serde_json::from_str::<serde_json::Value>(text) {
            for (k, v) in map {
                // Back through JSON text (not `from_value`) so that `T` has one deserializer
                // instantiation, not two: options types are a large share of the wasm size.
                let alone = serde_json::Value::Object(std::iter::once((k.clone(), v)).collect()).to_string();
                if serde_json::from_str::<T>(&alone).is_err() {
                    field = k;
                    break;
                }
            }
        }
        CrmError::InvalidOption { message, location: crate::error::Location::field(field) }
    })
}
