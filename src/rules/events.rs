//! The event list as a Dataset: `rule`, `key`, `action`, `priority`, `status`, `row` (0-based
//! row of the input, missing for a key gone from the table), `reason` (the values the rule
//! read, as text), then one column per column any rule read (typed as in the input; missing
//! where the event's rule did not read it).

use super::compiled::Compiled;
use super::options::Rule;
use crate::error::Result;
use crate::table::{Column, ColumnData, Dataset, StrVec, Validity};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    New,
    Continuing,
    Resolved,
}

pub const STATUS_NAMES: [&str; 3] = ["new", "continuing", "resolved"];

/// One event: rule index, input row (`None` when the key is gone), index into the gone-key
/// list, status.
#[derive(Debug, Clone, Copy)]
pub struct Event {
    pub rule: u32,
    pub row: Option<u32>,
    pub gone: Option<u32>,
    pub status: Status,
}

const FIXED: [&str; 7] = ["rule", "key", "action", "priority", "status", "row", "reason"];

/// A category column of `codes` into `dict`, the dictionary kept to the values used, in order
/// of first use (as a column read from text has it).
fn category(name: &str, mut codes: Vec<u32>, dict: Vec<String>) -> Column {
    let mut new_code = vec![u32::MAX; dict.len()];
    let mut used = Vec::new();
    for c in codes.iter_mut() {
        let slot = &mut new_code[*c as usize];
        if *slot == u32::MAX {
            *slot = used.len() as u32;
            used.push(*c as usize);
        }
        *c = *slot;
    }
    let dict = used.into_iter().map(|i| dict[i].clone()).collect();
    let n = codes.len();
    Column::new(name, ColumnData::Category { codes, dict }, Validity::all_valid(n))
}

/// Per rule, the code of its value in a dictionary of the distinct values (first use first).
fn codes_by_rule<'r>(rules: &'r [Rule], value: impl Fn(&'r Rule) -> &'r str) -> (Vec<u32>, Vec<String>) {
    let mut dict: Vec<String> = Vec::new();
    let mut index: rustc_hash::FxHashMap<&str, u32> = Default::default();
    let codes = rules
        .iter()
        .map(|r| {
            let v = value(r);
            *index.entry(v).or_insert_with(|| {
                dict.push(v.to_string());
                dict.len() as u32 - 1
            })
        })
        .collect();
    (codes, dict)
}

/// Appends the text of row `row` of `c` as [`crate::table::Value::to_text`] writes it, without
/// allocating per value; false when the value is missing.
fn push_text(out: &mut String, c: &Column, row: usize) -> bool {
    use std::fmt::Write;
    if !c.validity.is_valid(row) {
        return false;
    }
    match &c.data {
        ColumnData::Int64(v) => {
            let _ = write!(out, "{}", v[row]);
        }
        ColumnData::Float64(v) => {
            let x = v[row];
            if x.is_finite() && x == x.trunc() && x.abs() < 1e15 {
                let at = out.len();
                let _ = write!(out, "{x:.1}");
                if out[at..].ends_with(".0") {
                    out.truncate(out.len() - 2);
                }
            } else {
                let _ = write!(out, "{x}");
            }
        }
        ColumnData::Bool(v) => out.push_str(if v[row] { "true" } else { "false" }),
        ColumnData::Date(v) => crate::table::date::push_date(out, v[row]),
        ColumnData::Datetime(v) => {
            crate::table::date::push_datetime(out, v[row]);
            if c.utc {
                out.push('Z');
            }
        }
        ColumnData::Category { codes, dict } => out.push_str(dict.get(codes[row] as usize).map_or("", String::as_str)),
        ColumnData::Text(s) => out.push_str(s.get(row)),
    }
    true
}

/// The event list; `values`: with the columns the rules read (`EventValues::Read`).
pub fn build_events(
    ds: &Dataset,
    rules: &[Rule],
    compiled: &[Compiled],
    events: &[Event],
    keys: &StrVec,
    gone: &[String],
    values: bool,
) -> Result<Dataset> {
    let n = events.len();
    // Rule, action and status are per-rule (or 3) values: codes through small tables, no
    // string per event.
    let (rule_codes, rule_dict) = codes_by_rule(rules, |r| r.id.as_str());
    let (action_codes, action_dict) = codes_by_rule(rules, |r| r.then.action.as_str());
    let code = |table: &[u32], e: &Event| table.get(e.rule as usize).copied().unwrap_or(0);
    let mut k = StrVec::with_capacity(n, n * 8);
    for e in events {
        match (e.row, e.gone) {
            (Some(r), _) => k.push(keys.get(r as usize)),
            (None, Some(g)) => k.push(gone.get(g as usize).map_or("", String::as_str)),
            (None, None) => k.push(""),
        }
    }
    let mut cols = vec![
        category("rule", events.iter().map(|e| code(&rule_codes, e)).collect(), rule_dict),
        Column::new("key", ColumnData::Text(k), Validity::all_valid(n)),
        category("action", events.iter().map(|e| code(&action_codes, e)).collect(), action_dict),
        Column::new(
            "priority",
            ColumnData::Int64(events.iter().map(|e| rules[e.rule as usize].then.priority).collect()),
            Validity::all_valid(n),
        ),
        category(
            "status",
            events.iter().map(|e| e.status as u32).collect(),
            STATUS_NAMES.iter().map(|s| s.to_string()).collect(),
        ),
    ];
    let mut valid = Validity::with_capacity(n);
    let mut rows = Vec::with_capacity(n);
    for e in events {
        valid.push(e.row.is_some());
        rows.push(e.row.map_or(0, |r| r as i64));
    }
    cols.push(Column::new("row", ColumnData::Int64(rows), valid));

    // The columns read, in order of first use over the rules.
    let mut read: Vec<usize> = Vec::new();
    for c in compiled {
        for &i in c.column_indexes() {
            if !read.contains(&i) {
                read.push(i);
            }
        }
    }
    let src = ds.columns();
    let mut reason = StrVec::with_capacity(n, n * 24);
    let mut line = String::new();
    for e in events {
        line.clear();
        if let Some(r) = e.row {
            for (j, &i) in compiled[e.rule as usize].column_indexes().iter().enumerate() {
                if j > 0 {
                    line.push_str(", ");
                }
                let c = &src[i];
                line.push_str(&c.name);
                line.push_str(" = ");
                if !push_text(&mut line, c, r as usize) {
                    line.truncate(line.len() - 3);
                    line.push_str(" is missing");
                }
            }
        } else {
            line.push_str("no longer in the table");
        }
        reason.push(&line);
    }
    cols.push(Column::new("reason", ColumnData::Text(reason), Validity::all_valid(n)));
    if !values {
        return Dataset::new(cols);
    }
    // Per rule and read column: does the rule read it (one lookup table, not a search per event).
    let mut reads = vec![false; compiled.len() * read.len()];
    for (ri, c) in compiled.iter().enumerate() {
        for &i in c.column_indexes() {
            if let Some(j) = read.iter().position(|&x| x == i) {
                reads[ri * read.len() + j] = true;
            }
        }
    }
    let mut positions: Vec<Option<usize>> = Vec::with_capacity(n);
    for (j, &i) in read.iter().enumerate() {
        positions.clear();
        positions.extend(
            events.iter().map(|e| e.row.filter(|_| reads[e.rule as usize * read.len() + j]).map(|r| r as usize)),
        );
        let mut c = src[i].take(&positions);
        if FIXED.contains(&c.name.as_str()) {
            c.name = format!("{} (value)", c.name);
        }
        cols.push(c);
    }
    Dataset::new(cols)
}
