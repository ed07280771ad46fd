//! The one error type of crmlens.
//!
//! Every fallible function in the core returns [`CrmError`]. The wasm layer turns it into
//! a JS `Error` whose `name` is `"CrmlensError"`, with the stable [`CrmError::code`] and,
//! where known, the `line` / `column` / `field` the problem was found at.

use thiserror::Error;

/// Where in the input a problem was found. Lines and columns are 1-based; `column` is the
/// field position within a record (CSV) or the character column (JSON).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Location {
    pub line: Option<u64>,
    pub column: Option<u64>,
    pub field: Option<String>,
}

impl Location {
    pub fn line(line: u64) -> Self {
        Location { line: Some(line), ..Default::default() }
    }
    pub fn at(line: u64, column: u64) -> Self {
        Location { line: Some(line), column: Some(column), field: None }
    }
    pub fn field(field: impl Into<String>) -> Self {
        Location { field: Some(field.into()), ..Default::default() }
    }
    pub fn with_field(mut self, field: impl Into<String>) -> Self {
        self.field = Some(field.into());
        self
    }
}

/// What went wrong. The variant decides the stable `code` string users can match on.
#[derive(Debug, Clone, Error, PartialEq)]
pub enum CrmError {
    /// An option was unknown, of the wrong type or out of range.
    #[error("invalid option{}: {message}", fmt_field(.location))]
    InvalidOption { message: String, location: Location },
    /// The input could not be parsed (bad CSV record, bad JSON, ...).
    #[error("parse error{}: {message}", fmt_loc(.location))]
    Parse { message: String, location: Location },
    /// A byte sequence is not valid in the input's encoding.
    #[error("encoding error{}: {message}", fmt_loc(.location))]
    Encoding { message: String, location: Location },
    /// A record has a different number of fields than the header.
    #[error("ragged row{}: {message}", fmt_loc(.location))]
    RaggedRow { message: String, location: Location },
    /// A quoted field was opened and never closed.
    #[error("unbalanced quote{}: {message}", fmt_loc(.location))]
    UnbalancedQuote { message: String, location: Location },
    /// A column name that the dataset does not have.
    #[error("unknown column `{name}`")]
    UnknownColumn { name: String },
    /// The input is empty or has no usable records.
    #[error("empty input: {message}")]
    Empty { message: String },
    /// The caller aborted the operation (AbortSignal).
    #[error("aborted: {message}")]
    Aborted { message: String },
    /// A call in the wrong state (e.g. pushing data into a finished loader).
    #[error("invalid state: {message}")]
    State { message: String },
    /// The request would need more memory or work than the stated limit (names the option
    /// or input that sized it, and the limit).
    #[error("too large{}: {message}", fmt_field(.location))]
    TooLarge { message: String, location: Location },
    /// A business rule that cannot be parsed or type-checked: `line` / `column` point into the
    /// expression (for a JSON Logic rule the message names the JSON path), `field` is the rule id.
    #[error("rule error{}: {message}", fmt_loc(.location))]
    Rule { message: String, location: Location },
    /// The input is not a table of text: a binary file (zip/xlsx, gzip, PDF, image,
    /// executable, ...) or mostly control bytes. `kind` names what was detected
    /// (`"zip"`, `"xlsx"`, `"ods"`, `"gzip"`, `"pdf"`, `"png"`, `"jpeg"`, `"gif"`,
    /// `"executable"`, `"binary"`, ...), or `"text"` for free text that is not delimited.
    #[error("not a table ({kind}): {message}")]
    NotATable { kind: String, message: String },
}

fn fmt_loc(loc: &Location) -> String {
    let mut s = String::new();
    if let Some(l) = loc.line {
        s.push_str(&format!(" at line {l}"));
    }
    if let Some(c) = loc.column {
        s.push_str(&format!(", column {c}"));
    }
    if let Some(f) = &loc.field {
        s.push_str(&format!(" (field `{f}`)"));
    }
    s
}

fn fmt_field(loc: &Location) -> String {
    match &loc.field {
        Some(f) => format!(" `{f}`"),
        None => String::new(),
    }
}

impl CrmError {
    pub fn invalid_option(field: impl Into<String>, message: impl Into<String>) -> Self {
        CrmError::InvalidOption { message: message.into(), location: Location::field(field) }
    }
    pub fn parse(message: impl Into<String>, location: Location) -> Self {
        CrmError::Parse { message: message.into(), location }
    }
    pub fn empty(message: impl Into<String>) -> Self {
        CrmError::Empty { message: message.into() }
    }
    pub fn state(message: impl Into<String>) -> Self {
        CrmError::State { message: message.into() }
    }
    pub fn aborted() -> Self {
        CrmError::Aborted { message: "the operation was cancelled".into() }
    }
    pub fn too_large(field: impl Into<String>, message: impl Into<String>) -> Self {
        CrmError::TooLarge { message: message.into(), location: Location::field(field) }
    }

    pub fn not_a_table(kind: impl Into<String>, message: impl Into<String>) -> Self {
        CrmError::NotATable { kind: kind.into(), message: message.into() }
    }

    /// What kind of input a `NOT_A_TABLE` error detected.
    pub fn kind(&self) -> Option<&str> {
        match self {
            CrmError::NotATable { kind, .. } => Some(kind),
            _ => None,
        }
    }

    /// Stable, documented code; never changes once published.
    pub fn code(&self) -> &'static str {
        match self {
            CrmError::InvalidOption { .. } => "INVALID_OPTION",
            CrmError::Parse { .. } => "PARSE_ERROR",
            CrmError::Encoding { .. } => "ENCODING_ERROR",
            CrmError::RaggedRow { .. } => "RAGGED_ROW",
            CrmError::UnbalancedQuote { .. } => "UNBALANCED_QUOTE",
            CrmError::UnknownColumn { .. } => "UNKNOWN_COLUMN",
            CrmError::Empty { .. } => "EMPTY_INPUT",
            CrmError::Aborted { .. } => "ABORTED",
            CrmError::State { .. } => "INVALID_STATE",
            CrmError::TooLarge { .. } => "TOO_LARGE",
            CrmError::Rule { .. } => "RULE_ERROR",
            CrmError::NotATable { .. } => "NOT_A_TABLE",
        }
    }

    /// Where the problem was found, if known.
    pub fn location(&self) -> Location {
        match self {
            CrmError::InvalidOption { location, .. }
            | CrmError::Parse { location, .. }
            | CrmError::Encoding { location, .. }
            | CrmError::RaggedRow { location, .. }
            | CrmError::UnbalancedQuote { location, .. }
            | CrmError::TooLarge { location, .. }
            | CrmError::Rule { location, .. } => location.clone(),
            CrmError::UnknownColumn { name } => Location::field(name.clone()),
            _ => Location::default(),
        }
    }
}

pub type Result<T, E = CrmError> = std::result::Result<T, E>;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn message_names_line_column_and_field() {
        let e = CrmError::RaggedRow {
            message: "expected 3 fields, found 5".into(),
            location: Location::at(12, 4).with_field("amount"),
        };
        assert_eq!(e.code(), "RAGGED_ROW");
        assert_eq!(e.to_string(), "ragged row at line 12, column 4 (field `amount`): expected 3 fields, found 5");
        assert_eq!(e.location().line, Some(12));
    }
}
