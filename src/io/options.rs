//! Load options: one plain object with defaults; unknown keys are an error.

use serde::Deserialize;

use crate::error::{CrmError, Result};

/// Default tokens read as missing (compared after trimming whitespace; cells that are
/// empty or only whitespace are always missing unless `missingValues` is given without `""`).
pub const DEFAULT_MISSING: &[&str] =
    &["", "NA", "N/A", "n/a", "na", "null", "NULL", "Null", "-", "NaN", "nan", "None", "#N/A"];

/// What to do with a record that cannot be read as it stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum BadRows {
    /// Stop with an error that names the line and column.
    Error,
    /// Leave the row out, and list it in `dataset.issues`.
    Skip,
    /// Keep the row, fixed (short rows padded with nulls, extra fields dropped with their
    /// values quoted in the issue, undecodable bytes replaced by U+FFFD), and list it.
    #[default]
    Repair,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// From the file name when known, else from the first non-blank byte (`[` or `{` = JSON).
    #[default]
    Auto,
    Csv,
    Json,
    Ndjson,
}

/// Day/month order for dates like `03/04/2024`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "lowercase")]
pub enum DateOrder {
    /// Decided per column from its values (a first part above 12 means day-first, a second
    /// part above 12 month-first; when no value decides, the part that varies more is the day).
    #[default]
    Auto,
    Dmy,
    Mdy,
}

/// Options of `Dataset.fromCsv`, `Dataset.fromJson` and `Dataset.fromFile`.
#[derive(Debug, Clone, Deserialize, Default)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct LoadOptions {
    /// `"auto"` (default), `"csv"`, `"json"` or `"ndjson"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub format: Format,
    /// `"auto"` (default: sniffs `,` `;` tab `|`, then runs of whitespace, then lines), one
    /// ASCII character, `"whitespace"` for columns separated by runs of spaces/tabs, or
    /// `"lines"`: each line is one text value (a file of reviews, one per line).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub delimiter: Option<String>,
    /// Whether the first record is the header; detected when not given.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub header: Option<bool>,
    /// `"auto"` (default: BOM, then UTF-8, UTF-16 and GBK/GB18030 detection, else
    /// windows-1252) or any WHATWG encoding label (`"utf-8"`, `"gbk"`, `"latin1"`, ...).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub encoding: Option<String>,
    /// The quote character (default `"`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub quote: Option<String>,
    /// `"repair"` (default), `"skip"` or `"error"`. Left unset, a CSV load in which more
    /// than [`MAX_CUT_SHARE`] of the rows (and at least [`MIN_CUT_ROWS`] rows) would lose
    /// fields fails instead of repairing them silently; passing `"repair"` accepts it.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub on_bad_rows: Option<BadRows>,
    /// Tokens read as missing; replaces the default list.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub missing_values: Option<Vec<String>>,
    /// `"auto"` (default), `"dmy"` or `"mdy"`.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub date_order: DateOrder,
    /// The decimal mark of numbers: `"."` or `","` (default: decided per column from its
    /// values; a `locale` sets it too). With `","`, `1.234,56` is 1234.56 and `1,5` is 1.5.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub decimal: Option<String>,
    /// The thousands separator: `","`, `"."`, `" "`, `"'"` or `"none"` (default: decided per
    /// column; a `locale` sets it too).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub thousands: Option<String>,
    /// Regional conventions for numbers and dates, one of [`LOCALES`] (e.g. `"de-DE"`:
    /// decimal comma, `.` thousands, day-first dates). Explicit `decimal`, `thousands`
    /// and `dateOrder` win over it.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub locale: Option<String>,
    /// Stop after this many data rows (a preview).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub max_rows: Option<usize>,
    /// Name of the file, used for format detection (`fromFile` fills it from the File).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub file_name: Option<String>,
}

/// The delimiter after validation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delimiter {
    Auto,
    Byte(u8),
    Whitespace,
    /// Each line is one field.
    Lines,
}

impl Delimiter {
    pub fn label(self) -> String {
        match self {
            Delimiter::Auto => "auto".into(),
            Delimiter::Byte(b) => (b as char).to_string(),
            Delimiter::Whitespace => "whitespace".into(),
            Delimiter::Lines => "lines".into(),
        }
    }
}

/// Share of data rows that may lose fields (extra fields dropped) under the default
/// bad-row policy before the load fails and asks for an explicit option: 2%. A CSV with
/// a few broken rows is repaired and reported; a file where many rows lose text (free
/// text read as CSV, a wrong delimiter) is not "repaired" silently.
pub const MAX_CUT_SHARE: f64 = 0.02;
/// ... and at least this many rows (a small file with two broken rows still loads).
pub const MIN_CUT_ROWS: u64 = 10;

/// One entry of [`LOCALES`]: (name, decimal mark, thousands separator, day-first dates or
/// not (None: year first, the order is decided per column)).
pub type LocaleEntry = (&'static str, u8, Option<char>, Option<bool>);

/// Locales `locale` accepts.
pub const LOCALES: &[LocaleEntry] = &[
    ("en-US", b'.', Some(','), Some(false)),
    ("en-GB", b'.', Some(','), Some(true)),
    ("en-IN", b'.', Some(','), Some(true)),
    ("de-DE", b',', Some('.'), Some(true)),
    ("de-AT", b',', Some('.'), Some(true)),
    ("de-CH", b'.', Some('\''), Some(true)),
    ("fr-FR", b',', Some(' '), Some(true)),
    ("fr-CA", b',', Some(' '), Some(false)),
    ("es-ES", b',', Some('.'), Some(true)),
    ("it-IT", b',', Some('.'), Some(true)),
    ("pt-BR", b',', Some('.'), Some(true)),
    ("nl-NL", b',', Some('.'), Some(true)),
    ("pl-PL", b',', Some(' '), Some(true)),
    ("ru-RU", b',', Some(' '), Some(true)),
    ("sv-SE", b',', Some(' '), Some(false)),
    ("zh-CN", b'.', Some(','), None),
    ("zh-TW", b'.', Some(','), None),
    ("ja-JP", b'.', Some(','), None),
    ("ko-KR", b'.', Some(','), None),
];

impl LoadOptions {
    fn locale_entry(&self) -> Result<Option<&'static LocaleEntry>> {
        match self.locale.as_deref() {
            None => Ok(None),
            Some(l) => LOCALES.iter().find(|e| e.0.eq_ignore_ascii_case(l)).map(Some).ok_or_else(|| {
                CrmError::invalid_option(
                    "locale",
                    format!(
                        "unknown locale {l:?}; expected one of {}",
                        LOCALES.iter().map(|e| e.0).collect::<Vec<_>>().join(", ")
                    ),
                )
            }),
        }
    }

    /// The number convention stated by `decimal` / `thousands` / `locale`, if any.
    pub fn number_locale(&self) -> Result<Option<crate::cells::locale::NumberLocale>> {
        let entry = self.locale_entry()?;
        let decimal = match self.decimal.as_deref() {
            None => entry.map(|e| e.1),
            Some(".") => Some(b'.'),
            Some(",") => Some(b','),
            Some(other) => {
                return Err(CrmError::invalid_option("decimal", format!("expected \".\" or \",\", got {other:?}")))
            }
        };
        let thousands = match self.thousands.as_deref() {
            None => None,
            Some("none") => Some(None),
            Some(t @ ("," | "." | " " | "'")) => Some(t.chars().next()),
            Some(other) => {
                return Err(CrmError::invalid_option(
                    "thousands",
                    format!("expected \",\", \".\", \" \", \"'\" or \"none\", got {other:?}"),
                ))
            }
        };
        let Some(decimal) = decimal.or(thousands.map(|t| if t == Some(',') { b'.' } else { b',' })) else {
            return Ok(None);
        };
        let thousands = match thousands {
            Some(t) => t,
            None => match entry {
                Some(e) if e.1 == decimal => e.2,
                _ => Some(if decimal == b',' { '.' } else { ',' }),
            },
        };
        if thousands == Some(decimal as char) {
            return Err(CrmError::invalid_option("thousands", "the thousands separator cannot be the decimal mark"));
        }
        Ok(Some(crate::cells::locale::NumberLocale { decimal, thousands }))
    }

    /// The day/month order: `dateOrder`, else the locale's, else decided per column.
    pub fn effective_date_order(&self) -> Result<DateOrder> {
        if self.date_order != DateOrder::Auto {
            return Ok(self.date_order);
        }
        Ok(match self.locale_entry()?.and_then(|e| e.3) {
            Some(true) => DateOrder::Dmy,
            Some(false) => DateOrder::Mdy,
            None => DateOrder::Auto,
        })
    }

    /// The bad-row policy (default repair).
    pub fn bad_rows(&self) -> BadRows {
        self.on_bad_rows.unwrap_or_default()
    }

    pub fn delimiter(&self) -> Result<Delimiter> {
        match self.delimiter.as_deref() {
            None | Some("auto") => Ok(Delimiter::Auto),
            Some("whitespace") => Ok(Delimiter::Whitespace),
            Some("lines") => Ok(Delimiter::Lines),
            Some("\\t") | Some("tab") => Ok(Delimiter::Byte(b'\t')),
            Some(s) if s.len() == 1 && s.is_ascii() && !matches!(s, "\n" | "\r") => {
                Ok(Delimiter::Byte(s.as_bytes()[0]))
            }
            Some(s) => Err(CrmError::invalid_option(
                "delimiter",
                format!("expected \"auto\", \"whitespace\", \"lines\" or one ASCII character, got {s:?}"),
            )),
        }
    }

    pub fn quote(&self) -> Result<u8> {
        match self.quote.as_deref() {
            None => Ok(b'"'),
            Some(s) if s.len() == 1 && s.is_ascii() => Ok(s.as_bytes()[0]),
            Some(s) => Err(CrmError::invalid_option("quote", format!("expected one ASCII character, got {s:?}"))),
        }
    }

    pub fn encoding(&self) -> Result<Option<super::encoding::Enc>> {
        match self.encoding.as_deref() {
            None | Some("auto") => Ok(None),
            Some(label) => {
                let label = match label.to_ascii_lowercase().as_str() {
                    "latin-1" => "latin1".to_string(),
                    "utf16" | "utf-16" => "utf-16le".to_string(),
                    other => other.to_string(),
                };
                super::encoding::Enc::for_label(&label)
                    .map(Some)
                    .map_err(|why| CrmError::invalid_option("encoding", why))
            }
        }
    }

    pub fn missing_tokens(&self) -> Vec<String> {
        match &self.missing_values {
            Some(v) => v.clone(),
            None => DEFAULT_MISSING.iter().map(|s| s.to_string()).collect(),
        }
    }

    /// Validates every option once, before any data is read.
    pub fn validate(&self) -> Result<()> {
        self.delimiter()?;
        self.quote()?;
        self.encoding()?;
        self.number_locale()?;
        self.effective_date_order()?;
        if self.max_rows == Some(0) {
            return Err(CrmError::invalid_option("maxRows", "must be at least 1"));
        }
        Ok(())
    }

    /// Options from JSON text (the wasm layer passes the JS object through JSON).
    pub fn from_json(text: &str) -> Result<Self> {
        crate::options::options_from_json(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_option_is_an_error_naming_the_field() {
        let e = LoadOptions::from_json(r#"{"delimeter": ";"}"#).unwrap_err();
        assert_eq!(e.code(), "INVALID_OPTION");
        assert_eq!(e.location().field.as_deref(), Some("delimeter"));
    }

    #[test]
    fn bad_values_name_their_key() {
        for (json, key) in [
            (r#"{"onBadRows": "explode"}"#, "onBadRows"),
            (r#"{"header": "yes"}"#, "header"),
            (r#"{"missingValues": "NA"}"#, "missingValues"),
            (r#"{"delimiter": ";", "maxRows": -1}"#, "maxRows"),
        ] {
            let e = LoadOptions::from_json(json).unwrap_err();
            assert_eq!(e.location().field.as_deref(), Some(key), "{json}");
            assert!(!e.to_string().contains("at line"), "{e}");
        }
    }

    #[test]
    fn parses_and_validates() {
        let o = LoadOptions::from_json(r#"{"delimiter": "\t", "onBadRows": "skip", "encoding": "GBK"}"#).unwrap();
        assert_eq!(o.delimiter().unwrap(), Delimiter::Byte(b'\t'));
        assert_eq!(o.on_bad_rows, Some(BadRows::Skip));
        assert_eq!(o.encoding().unwrap().unwrap().name(), "GBK");
        assert!(LoadOptions::from_json(r#"{"delimiter": "::"}"#).unwrap().validate().is_err());
        assert!(LoadOptions::from_json(r#"{"encoding": "klingon"}"#).unwrap().validate().is_err());
        assert_eq!(
            LoadOptions::from_json(r#"{"encoding": "latin1"}"#).unwrap().encoding().unwrap().unwrap().name(),
            "windows-1252"
        );
    }
}
