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
    /// Start the text with a UTF-8 byte order mark (default false), so that Excel opens
    /// a UTF-8 file with accents and CJK text intact.
    #[cfg_attr(feature = "ts", tsify(optional))]
    pub bom: bool,
}

impl Default for CsvWriteOptions {
    fn default() -> Self {
        CsvWriteOptions { delimiter: ",".into(), header: true, escape_formulas: true, bom: false }
    }
}

/// Whether a spreadsheet would read `s` as a formula (OWASP "CSV injection").
pub fn looks_like_formula(s: &str) -> bool {
    matches!(s.as_bytes().first(), Some(b'=' | b'+' | b'-' | b'@' | b'\t' | b'\r'))
}

/// The one CSV writer: every CSV the package (and the demo) produces goes through it.
/// RFC 4180 with LF line ends; a field is quoted when it holds the delimiter, another
/// delimiter a sniffing reader tries (`,` `;` tab `|`: unquoted, a tab in every row of a
/// comma file made the re-read split on tabs, fuzz campaign 6), a quote or a line break, or
/// starts/ends with a space; formula-like text gets a leading `'`. A
/// one-column row pins its shape for a reader that sniffs the delimiter: an empty field is
/// written `""`, so the row is not a blank line (which readers skip: fuzz finding 01), and
/// a field holding another candidate delimiter (`,` `;` tab `|`) or white space is quoted,
/// so neither splits it into columns (the sniffer skips the whitespace split when lines are
/// quoted one-field records: [`super::sniff::sniff`]).
pub struct CsvWriter {
    delim: char,
    escape: bool,
    /// The text written so far.
    pub out: String,
}

impl CsvWriter {
    /// Checks the options; the text starts with the BOM when asked for.
    pub fn new(opts: &CsvWriteOptions, capacity: usize) -> Result<Self> {
        let delim = match opts.delimiter.as_bytes() {
            [b] if b.is_ascii() && !matches!(b, b'"' | b'\n' | b'\r') => *b as char,
            _ => return Err(CrmError::invalid_option("delimiter", "expected one ASCII character")),
        };
        let mut out = String::with_capacity(capacity);
        if opts.bom {
            out.push('\u{FEFF}');
        }
        Ok(CsvWriter { delim, escape: opts.escape_formulas, out })
    }

    /// One row. A cell is `None` (missing), `Some((text, true))` for text (formula
    /// neutralisation applies) or `Some((text, false))` for a number, date or boolean
    /// written as it stands.
    pub fn row<'a>(&mut self, cells: impl IntoIterator<Item = Option<(&'a str, bool)>>) {
        let start = self.out.len();
        let mut n = 0;
        for cell in cells {
            if n > 0 {
                self.out.push(self.delim);
            }
            n += 1;
            match cell {
                None => {}
                Some((s, true)) => self.text(s),
                Some((s, false)) => self.field(s),
            }
        }
        if n == 1 {
            self.pin_one_field(start);
        }
        self.out.push('\n');
    }

    /// The field of a one-column row, written from `start`: quoted when empty or when it
    /// holds a character a sniffing reader could take for the delimiter.
    fn pin_one_field(&mut self, start: usize) {
        let field = &self.out[start..];
        if field.starts_with('"') {
            return;
        }
        if field.is_empty() || field.contains([',', ';', '\t', '|', ' ']) {
            // Not quoted yet, so it holds no quote: wrapping it is the whole quoting.
            self.out.insert(start, '"');
            self.out.push('"');
        }
    }

    fn text(&mut self, s: &str) {
        if self.escape && looks_like_formula(s) {
            let mut t = String::with_capacity(s.len() + 1);
            t.push('\'');
            t.push_str(s);
            self.field(&t);
        } else {
            self.field(s);
        }
    }

    fn field(&mut self, s: &str) {
        if s.contains([self.delim, '"', '\n', '\r', ',', ';', '\t', '|']) || s.starts_with(' ') || s.ends_with(' ') {
            self.out.push('"');
            self.out.push_str(&s.replace('"', "\"\""));
            self.out.push('"');
        } else {
            self.out.push_str(s);
        }
    }

    pub fn finish(self) -> String {
        self.out
    }
}

/// RFC 4180 CSV of a dataset through [`CsvWriter`] (nulls empty; formula-like text
/// prefixed with `'` unless `escape_formulas` is off).
pub fn to_csv(ds: &Dataset, opts: &CsvWriteOptions) -> Result<String> {
    let mut w = CsvWriter::new(opts, ds.memory_bytes() + 1024)?;
    if opts.header {
        w.row(ds.column_names().into_iter().map(|n| Some((n, true))));
    }
    let mut cells: Vec<Option<(std::borrow::Cow<'_, str>, bool)>> = Vec::with_capacity(ds.num_columns());
    for i in 0..ds.num_rows() {
        cells.clear();
        cells.extend(ds.columns().iter().map(|col| match col.get(i) {
            Value::Str(s) => Some((std::borrow::Cow::Borrowed(s), true)),
            v => v.to_text().map(|t| (std::borrow::Cow::Owned(t), false)),
        }));
        w.row(cells.iter().map(|c| c.as_ref().map(|(s, x)| (s.as_ref(), *x))));
    }
    Ok(w.finish())
}

/// CSV of plain rows of text (`None` = missing), every cell treated as text: for exports
/// built outside a dataset (e.g. a list of labels), with the same quoting and formula
/// neutralisation as [`to_csv`].
pub fn rows_to_csv(rows: &[Vec<Option<String>>], opts: &CsvWriteOptions) -> Result<String> {
    let mut w =
        CsvWriter::new(opts, rows.iter().map(|r| r.iter().flatten().map(|s| s.len() + 2).sum::<usize>()).sum())?;
    for r in rows {
        w.row(r.iter().map(|c| c.as_deref().map(|s| (s, true))));
    }
    Ok(w.finish())
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
            "name,amount,note\n\"'=HYPERLINK(\"\"http://x\"\")\",-5,'@SUM(A1)\nAnn,3,'-dash\n'+1,-0.5,\"'\ttab\"\n"
        );
        let raw = to_csv(&ds, &CsvWriteOptions { escape_formulas: false, ..Default::default() }).unwrap();
        assert_eq!(
            raw,
            "name,amount,note\n\"=HYPERLINK(\"\"http://x\"\")\",-5,@SUM(A1)\nAnn,3,-dash\n+1,-0.5,\"\ttab\"\n"
        );
        let json = to_json(&ds).unwrap();
        let back: serde_json::Value = serde_json::from_str(&json).unwrap();
        assert_eq!(back[0]["name"], "=HYPERLINK(\"http://x\")");
        assert_eq!(back[2]["note"], "\ttab");
    }

    /// The cells the demo's Segments export wrote unneutralised (trust issue 19): through
    /// the one writer they are text in every spreadsheet.
    #[test]
    fn hostile_cells_through_the_one_writer() {
        let hostile = [
            "=HYPERLINK(\"http://evil\",\"x\")",
            "+cmd|' /C calc'!A0",
            "@SUM(1+1)*cmd|' /C calc'!A0",
            "-2+3",
            "\r=1",
            "\t=1",
        ];
        let rows: Vec<Vec<Option<String>>> = std::iter::once(vec![Some("row".into()), Some("id".into())])
            .chain(hostile.iter().enumerate().map(|(i, h)| vec![Some((i + 1).to_string()), Some(h.to_string())]))
            .collect();
        let out = rows_to_csv(&rows, &CsvWriteOptions { bom: true, ..Default::default() }).unwrap();
        assert!(out.starts_with("\u{FEFF}row,id\n"));
        for line in out.lines().skip(1) {
            let cell = line.split_once(',').unwrap().1;
            // Either `'…` or a quoted `"'…"`: never a bare formula start.
            assert!(cell.starts_with('\'') || cell.starts_with("\"'"), "{line:?}");
        }
        // Read back, every hostile cell is the original text behind a `'`.
        let ds = read_csv_str(&out, LoadOptions { header: Some(true), ..Default::default() }).unwrap();
        for (i, h) in hostile.iter().enumerate() {
            assert_eq!(ds.columns()[1].get(i), Value::Str(&format!("'{h}")), "{h:?}");
        }
        assert_eq!(ds.column_names(), vec!["row", "id"], "the BOM is not part of the first name");
        // A one-column export of missing cells keeps its rows.
        let one =
            rows_to_csv(&[vec![Some("a".into())], vec![None], vec![Some(String::new())]], &Default::default()).unwrap();
        assert_eq!(one, "a\n\"\"\n\"\"\n");
        assert!(rows_to_csv(&[], &CsvWriteOptions { delimiter: "\"".into(), ..Default::default() }).is_err());
    }
}
