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

/// A category column from values, with a dictionary of the distinct ones.
fn category(name: &str, values: impl Iterator<Item = String>) -> Column {
    let mut dict: Vec<String> = Vec::new();
    let mut index: rustc_hash::FxHashMap<String, u32> = Default::default();
    let mut codes = Vec::new();
    for v in values {
        let k = *index.entry(v.clone()).or_insert_with(|| {
            dict.push(v);
            dict.len() as u32 - 1
        });
        codes.push(k);
    }
    let n = codes.len();
    Column::new(name, ColumnData::Category { codes, dict }, Validity::all_valid(n))
}

pub fn build_events(
    ds: &Dataset,
    rules: &[Rule],
    compiled: &[Compiled],
    events: &[Event],
    keys: &StrVec,
    gone: &[String],
) -> Result<Dataset> {
    let n = events.len();
    let rule_of = |e: &Event| &rules[e.rule as usize];
    let mut cols = vec![
        category("rule", events.iter().map(|e| rule_of(e).id.clone())),
        {
            let mut k = StrVec::with_capacity(n, n * 8);
            for e in events {
                match (e.row, e.gone) {
                    (Some(r), _) => k.push(keys.get(r as usize)),
                    (None, Some(g)) => k.push(gone.get(g as usize).map_or("", String::as_str)),
                    (None, None) => k.push(""),
                }
            }
            Column::new("key", ColumnData::Text(k), Validity::all_valid(n))
        },
        category("action", events.iter().map(|e| rule_of(e).then.action.clone())),
        Column::new(
            "priority",
            ColumnData::Int64(events.iter().map(|e| rule_of(e).then.priority).collect()),
            Validity::all_valid(n),
        ),
        category("status", events.iter().map(|e| STATUS_NAMES[e.status as usize].to_string())),
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
                match c.get(r as usize).to_text() {
                    Some(v) => {
                        line.push_str(" = ");
                        line.push_str(&v);
                    }
                    None => line.push_str(" is missing"),
                }
            }
        } else {
            line.push_str("no longer in the table");
        }
        reason.push(&line);
    }
    cols.push(Column::new("reason", ColumnData::Text(reason), Validity::all_valid(n)));
    for &i in &read {
        let positions: Vec<Option<usize>> = events
            .iter()
            .map(|e| {
                let reads = compiled[e.rule as usize].column_indexes().contains(&i);
                e.row.filter(|_| reads).map(|r| r as usize)
            })
            .collect();
        let mut c = src[i].take(&positions);
        if FIXED.contains(&c.name.as_str()) {
            c.name = format!("{} (value)", c.name);
        }
        cols.push(c);
    }
    Dataset::new(cols)
}
