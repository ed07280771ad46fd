//! The event list as a Dataset: `rule`, `key`, `action`, `priority`, `status`, `row` (0-based
//! row of the input, missing for a key gone from the table), `reason` (the values the rule
//! read, as text; left out with `events: { reason: false }`), then one column per column any rule read (typed as in the input; missing
//! where the event's rule did not read it).

use super::compiled::Compiled;
use super::options::{EventValues, EventsOptions, Rule};
use crate::error::Result;
use crate::table::bytes_writer::BytesWriter;
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

/// The columns any rule read, in order of first use over the rules.
fn read_columns(compiled: &[Compiled]) -> Vec<usize> {
    let mut read: Vec<usize> = Vec::new();
    for c in compiled {
        for &i in c.column_indexes() {
            if !read.contains(&i) {
                read.push(i);
            }
        }
    }
    read
}

/// The fixed columns: rule, key, action, priority, status, row, and `reason` when asked.
fn fixed_columns(
    ds: &Dataset,
    rules: &[Rule],
    compiled: &[Compiled],
    events: &[Event],
    keys: &StrVec,
    gone: &[String],
    with_reason: bool,
) -> Vec<Column> {
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

    if !with_reason {
        return cols;
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
                if !super::text::push_cell(&mut line, c, r as usize) {
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
    cols
}

/// Per rule and read column: does the rule read it (one lookup table, not a search per event).
struct ValueRows<'a> {
    events: &'a [Event],
    reads: Vec<bool>,
    width: usize,
}

impl<'a> ValueRows<'a> {
    fn new(compiled: &[Compiled], events: &'a [Event], read: &[usize]) -> Self {
        let width = read.len();
        let mut reads = vec![false; compiled.len() * width];
        for (ri, c) in compiled.iter().enumerate() {
            for &i in c.column_indexes() {
                if let Some(j) = read.iter().position(|&x| x == i) {
                    reads[ri * width + j] = true;
                }
            }
        }
        ValueRows { events, reads, width }
    }

    /// The input row whose value of read column `j` event `ev` carries (`None` when the
    /// event's rule does not read the column, or the key is gone).
    fn row(&self, j: usize, ev: usize) -> Option<usize> {
        let e = self.events.get(ev)?;
        e.row.filter(|_| self.reads.get(e.rule as usize * self.width + j).copied().unwrap_or(false)).map(|r| r as usize)
    }
}

/// The name a read column has in the events (`… (value)` when it is a fixed column's name).
fn value_name(name: &str) -> String {
    if FIXED.contains(&name) {
        format!("{name} (value)")
    } else {
        name.to_string()
    }
}

/// The event list; `opts`: with `reason` and with the columns the rules read.
pub fn build_events(
    ds: &Dataset,
    rules: &[Rule],
    compiled: &[Compiled],
    events: &[Event],
    keys: &StrVec,
    gone: &[String],
    opts: EventsOptions,
) -> Result<Dataset> {
    let mut cols = fixed_columns(ds, rules, compiled, events, keys, gone, opts.reason);
    if opts.values != EventValues::Read {
        return Dataset::new(cols);
    }
    let read = read_columns(compiled);
    let rows = ValueRows::new(compiled, events, &read);
    let src = ds.columns();
    let mut positions: Vec<Option<usize>> = Vec::with_capacity(events.len());
    for (j, &i) in read.iter().enumerate() {
        positions.clear();
        positions.extend((0..events.len()).map(|ev| rows.row(j, ev)));
        let mut c = src[i].take(&positions);
        c.name = value_name(&c.name);
        cols.push(c);
    }
    Dataset::new(cols)
}

/// [`build_events`] as dataset bytes (the same bytes as its `to_bytes_fast()`), the value
/// columns written straight from the input (no Dataset of the events is made).
pub fn events_bytes(
    ds: &Dataset,
    rules: &[Rule],
    compiled: &[Compiled],
    events: &[Event],
    keys: &StrVec,
    gone: &[String],
    opts: EventsOptions,
) -> Result<Vec<u8>> {
    let fixed = fixed_columns(ds, rules, compiled, events, keys, gone, opts.reason);
    let read = if opts.values == EventValues::Read { read_columns(compiled) } else { Vec::new() };
    let src = ds.columns();
    let value_names: Vec<String> = read.iter().map(|&i| value_name(&src[i].name)).collect();
    // Names unique, as `Dataset::new` checks them for `build_events`.
    let mut names: Vec<&str> =
        fixed.iter().map(|c| c.name.as_str()).chain(value_names.iter().map(String::as_str)).collect();
    crate::sort::ord(&mut names);
    if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
        return Err(crate::error::CrmError::state(format!("duplicate column name `{}`", w[0])));
    }
    // Room for every column: the fixed ones as they are, a value column's values and bitmap
    // (text: its ends; its bytes are not known before).
    let n = events.len();
    let room = fixed.iter().map(|c| c.memory_bytes() + n * 4 + 256).sum::<usize>()
        + read.iter().map(|&i| n * 9 + 256 + src[i].name.len()).sum::<usize>();
    let mut w = BytesWriter::new(n, room);
    for c in &fixed {
        w.column(c);
    }
    drop(fixed);
    let rows = ValueRows::new(compiled, events, &read);
    for (j, (&i, name)) in read.iter().zip(&value_names).enumerate() {
        w.gathered(&src[i], name, |ev| rows.row(j, ev));
    }
    Ok(w.finish())
}
