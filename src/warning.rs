//! `Warning`: what a result says about its own validity — a stable `code` to match on and a
//! plain-language `message` for the person reading the numbers (segment's `warnings`,
//! customerValue's `model.warnings`).

use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
pub struct Warning {
    /// Stable, documented code (e.g. `SMALL_SEGMENT`, `FIT_AT_BOUND`); never changes once published.
    pub code: String,
    pub message: String,
}

impl Warning {
    pub fn new(code: &str, message: impl Into<String>) -> Self {
        Warning { code: code.into(), message: message.into() }
    }
}

/// Whether `list` holds a warning with `code`.
pub fn has(list: &[Warning], code: &str) -> bool {
    list.iter().any(|w| w.code == code)
}
