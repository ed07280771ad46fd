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
    // Text -> `Value` -> `T`: the JSON text parser is instantiated once (for `Value`), and each
    // options type only gets the small `Value` deserializer, not a copy of the text parser
    // (measured: the per-type text deserializers were the largest item of the core wasm).
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| CrmError::InvalidOption {
        message: clean(&e),
        location: crate::error::Location::field("options"),
    })?;
    T::deserialize(&value).map_err(|e| {
        let message = clean(&e);
        let mut field = "options".to_string();
        if let serde_json::Value::Object(map) = &value {
            for (k, v) in map {
                let alone = serde_json::Value::Object(std::iter::once((k.clone(), v.clone())).collect());
                if T::deserialize(&alone).is_err() {
                    field = k.clone();
                    break;
                }
            }
        }
        CrmError::InvalidOption { message, location: crate::error::Location::field(field) }
    })
}
