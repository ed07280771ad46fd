//! Writing a dataset back out as CSV or JSON.

use serde::Deserialize;

use crate::error::{CrmError, Result};
use crate::table::{Dataset, Value};

/// Options of `dataset.toCsv`.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields, default)]
pub struct CsvWriteOptions {
    /// Field delimiter, one ASCII character (default `,`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub delimiter: String,
    /// Write the header line (default true).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub header: bool,
    /// Neutralise spreadsheet formula injection (default true): a text cell (or column
    /// name) that begins with `=`, `+`, `-`, `@`, a tab or a carriage return is written with
    /// a leading `'`, so Excel / LibreOffice / Sheets show it as text instead of running it.
    /// Numbers, dates and booleans are never changed (`-5` in a numeric column stays `-5`).
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub escape_formulas: bool,
}

impl Default for CsvWriteOptions {
    fn default() -> Self {
        CsvWriteOptions { delimiter: ",".into(), header: true, escape_formulas: true }
    }
}

/// Whether a spreadsheet would read `s` as a formula (OWASP "CSV injection").
pub fn looks_like_formula(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

fn push_text(out: &mut String, s: &str, delim: char, escape: bool) {
    if escape && looks_like_formula(s) {
        push_field(out, &format!("'{s}"), delim);
    } else {
        push_field(out, s, delim);
    }
}

fn push_field(out: &mut String, s: &str, delim: char) {
    if s.contains([delim, '"', '\n', '\r']) || s.starts_with(' ') || s.ends_with(' ') {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// RFC 4180 CSV (LF line ends; fields quoted when needed; nulls empty; formula-like text
/// prefixed with `'` unless `escape_formulas` is off).
pub fn to_csv(ds: &Dataset, opts: &CsvWriteOptions) -> Result<String> {
    let delim = match opts.delimiter.as_bytes() {
        [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => *b as char,
        _ => return Err(CrmError::invalid_option("delimiter", "expected one ASCII character")),
    };
    let mut out = String::with_capacity(ds.memory_bytes() + 1024);
    if opts.header {
        for (j, name) in ds.column_names().iter().enumerate() {
            if j > 0 {
                out.push(delim);
            }
            push_text(&mut out, name, delim, opts.escape_formulas);
        }
        out.push('\n');
    }
    for i in 0..ds.num_rows() {
        for (j, col) in ds.columns().iter().enumerate() {
            if j > 0 {
                out.push(delim);
            }
            match col.get(i) {
                Value::Str(s) => push_text(&mut out, s, delim, opts.escape_formulas),
                v => {
                    if let Some(t) = v.to_text() {
                        out.push_str(&t);
                    }
                }
            }
        }
        out.push('\n');
    }
    Ok(out)
}

/// A JSON array of row objects. Numbers stay numbers, dates are ISO strings, nulls null;
/// strings are escaped by serde_json (quotes, backslashes, control characters; `<`, `>`
/// and `&` need no escaping in JSON and are kept).
pub fn to_json(ds: &Dataset) -> Result<String> {
    let names = ds.column_names();
    let mut rows = Vec::with_capacity(ds.num_rows());
    for i in 0..ds.num_rows() {
        let mut obj = serde_json::Map::with_capacity(names.len());
        for (col, name) in ds.columns().iter().zip(&names) {
            let v = match col.get(i) {
                Value::Null => serde_json::Value::Null,
                Value::Int(v) => v.into(),
                Value::Float(v) => {
                    serde_json::Number::from_f64(v).map_or(serde_json::Value::Null, serde_json::Value::Number)
                }
                Value::Bool(b) => b.into(),
                Value::Str(s) => s.into(),
                other => other.to_text().map_or(serde_json::Value::Null, serde_json::Value::String),
            };
            obj.insert(name.to_string(), v);
        }
        rows.push(serde_json::Value::Object(obj));
    }
    serde_json::to_string(&rows).map_err(|e| CrmError::state(format!("JSON export failed: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::io::{read_csv_str, LoadOptions};

    #[test]
    fn formulas_are_neutralised_unless_turned_off() {
        let src = "name,amount,note\n=HYPERLINK(\"http://x\"),-5,@SUM(A1)\nAnn,3,-dash\n+1,-0.5,\"\ttab\"\n";
        let ds = read_csv_str(src, LoadOptions::default()).unwrap();
        let out = to_csv(&ds, &Default::default()).unwrap();
        assert_eq!(
            out,
            "name,amount,note\n\"'=HYPERLINK(\"\"http://x\"\")\",-5,'@SUM(A1)\nAnn,3,'-dash\n'+1,-0.5,'\ttab\n"
        );
        let raw = to_csv(&ds, &CsvWriteOptions { escape_formulas: false, ..Default::default() }).unwrap();
        assert_eq!(raw, "name,amount,note\n\"=HYPERLINK(\"\"http://x\"\")\",-5,@SUM(A1)\nAnn,3,-dash\n+1,-0.5,\ttab\n");
        let json = to_json(&ds).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["name"], "=HYPERLINK(\"http://x\")");
        assert_eq!(back[2]["note"], "\ttab");
    }
}
