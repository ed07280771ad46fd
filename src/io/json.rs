//! JSON input: an array of objects, or NDJSON (one object per line).
//!
//! Objects become rows; keys become columns in first-seen order (a key missing from a
//! row is null). Values are handed to type inference as text: numbers as written,
//! booleans as `true`/`false`, nested arrays/objects as compact JSON.

use std::collections::HashMap;

use serde::de::{Deserializer as _, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::csv::Flow;
use super::json_exact::{mark, unmark};
use super::raw::RawTable;
use super::sink::{Problem, RecordSink};
use crate::error::{CrmError, Location, Result};

/// Column lookup for rows whose keys come in any order.
#[derive(Default)]
pub struct JsonColumns {
    index: HashMap<String, usize>,
}

impl JsonColumns {
    /// Appends one object as a row of `sink`'s table.
    pub fn push(&mut self, sink: &mut RecordSink, obj: Map<String, Value>) -> Flow {
        if sink.truncated {
            return Flow::Stop; // `maxRows` was reached: nothing more is read
        }
        let table = sink.table.get_or_insert_with(RawTable::default);
        let row = table.rows;
        for (k, v) in obj {
            let j = match self.index.get(&k) {
                Some(&j) => j,
                None => {
                    let j = table.add_column(k.clone());
                    self.index.insert(k, j);
                    j
                }
            };
            let col = &mut table.columns[j];
            if col.len() > row {
                continue; // duplicate key in one object: first value wins
            }
            match v {
                Value::Null => col.push_null(),
                Value::String(s) => col.push(s.as_bytes()),
                Value::Bool(b) => col.push(if b { b"true" } else { b"false" }),
                Value::Number(n) => col.push(n.to_string().as_bytes()),
                other => col.push(other.to_string().as_bytes()),
            }
        }
        for col in &mut table.columns {
            if col.len() == row {
                col.push_null();
            }
        }
        table.rows += 1;
        sink.json_row_done()
    }
}

fn json_error(e: serde_json::Error) -> CrmError {
    CrmError::parse(
        format!("invalid JSON: {e}"),
        Location { line: Some(e.line() as u64), column: Some(e.column() as u64), field: None },
    )
}

/// A whole JSON document: an array of objects (or a single object = one row).
pub fn read_json_array(text: &str, sink: &mut RecordSink) -> Result<()> {
    let trimmed = text.trim_start();
    if trimmed.starts_with('{') {
        // One (possibly pretty-printed) object is one row; otherwise NDJSON.
        if let Ok(Value::Object(obj)) = super::json_exact::value_from_str(text) {
            JsonColumns::default().push(sink, obj);
            return Ok(());
        }
        return read_ndjson_lines(text, 1, sink);
    }
    if !trimmed.starts_with('[') {
        return Err(CrmError::parse(
            "JSON input must be an array of objects or NDJSON (one object per line)",
            Location::line(1),
        ));
    }
    struct Rows<'a> {
        sink: &'a mut RecordSink,
        cols: JsonColumns,
        exact: bool,
    }
    impl<'de> Visitor<'de> for Rows<'_> {
        type Value = ();
        fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
            f.write_str("an array of objects")
        }
        fn visit_seq<A: SeqAccess<'de>>(mut self, mut seq: A) -> std::result::Result<(), A::Error> {
            let mut i = 0usize;
            while let Some(mut v) = seq.next_element::<Value>()? {
                i += 1;
                if self.exact {
                    unmark(&mut v);
                }
                match v {
                    Value::Object(obj) => {
                        if self.cols.push(self.sink, obj) == Flow::Stop {
                            // Drain the rest without keeping it.
                            while seq.next_element::<serde::de::IgnoredAny>()?.is_some() {}
                            return Ok(());
                        }
                    }
                    other => {
                        let kind = match other {
                            Value::Array(_) => "an array",
                            Value::String(_) => "a string",
                            Value::Number(_) => "a number",
                            Value::Bool(_) => "a boolean",
                            _ => "null",
                        };
                        self.sink
                            .bad_line(
                                i as u64,
                                None,
                                "json",
                                format!("element {i} of the array is {kind}, not an object"),
                            )
                            .map_err(serde::de::Error::custom)?;
                    }
                }
            }
            Ok(())
        }
    }
    // Long numbers are read exactly (json_exact.rs).
    let marked = mark(text);
    let exact = matches!(marked, std::borrow::Cow::Owned(_));
    let mut de = serde_json::Deserializer::from_str(&marked);
    // Positions in errors refer to the user's text: a syntax error is found again in it, and a
    // data error's column is mapped back from the marked text (json_exact.rs).
    let fix = |e: serde_json::Error| -> CrmError {
        if !exact || e.line() == 0 {
            return if e.is_data() && e.line() == 0 {
                CrmError::parse(e.to_string(), Location::default())
            } else {
                json_error(e)
            };
        }
        if !e.is_data() {
            if let Err(orig) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
                return json_error(orig);
            }
        }
        let column = super::json_exact::original_column(&marked, e.line(), e.column());
        let message = e.to_string();
        let message = message.rsplit_once(" at line ").map_or(message.as_str(), |(m, _)| m);
        CrmError::parse(
            format!("invalid JSON: {message} at line {} column {column}", e.line()),
            Location { line: Some(e.line() as u64), column: Some(column as u64), field: None },
        )
    };
    de.deserialize_seq(Rows { sink, cols: JsonColumns::default(), exact }).map_err(fix)?;
    de.end().map_err(fix)
}

/// NDJSON text: one object per non-blank line. `first_line` numbers the first line.
pub fn read_ndjson_lines(text: &str, first_line: u64, sink: &mut RecordSink) -> Result<()> {
    ndjson_into(text, first_line, false, sink, &mut JsonColumns::default()).map(|_| ())
}

/// NDJSON lines into the sink with a persistent column map (streaming use).
/// `bad_bytes`: the decoder replaced undecodable bytes somewhere; lines holding U+FFFD go
/// through the bad-row policy.
pub fn ndjson_into(
    text: &str,
    first_line: u64,
    bad_bytes: bool,
    sink: &mut RecordSink,
    cols: &mut JsonColumns,
) -> Result<Flow> {
    for (i, line) in text.split('\n').enumerate() {
        let line_no = first_line + i as u64;
        let l = line.trim();
        if l.is_empty() {
            continue;
        }
        if bad_bytes && l.contains('\u{FFFD}') && sink.problem_row(Problem::Encoding, line_no)? == Flow::Stop {
            continue;
        }
        match super::json_exact::value_from_str(l) {
            Ok(Value::Object(obj)) => {
                if cols.push(sink, obj) == Flow::Stop {
                    return Ok(Flow::Stop);
                }
            }
            Ok(_) => sink.bad_line(line_no, Some(1), "json", "the line is valid JSON but not an object".into())?,
            Err(e) => sink.bad_line(line_no, Some(e.column() as u64), "json", format!("invalid JSON: {e}"))?,
        }
    }
    Ok(Flow::Continue)
}
