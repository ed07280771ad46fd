//! Plan rewrites done once at compile time:
//!
//! - a subtree that reads no column is evaluated once and becomes a constant;
//! - a condition or number that reads only one category column is evaluated once per
//!   dictionary entry (plus once for a missing cell) and becomes a lookup by code:
//!   `segment in ('Champions', 'Loyal') and lower(region) = 'north'` costs two byte lookups
//!   per row, whatever the text operations.
//!
//! Both use the evaluator itself (on a one-row frame, or on a frame whose rows are the
//! dictionary), so a folded plan means exactly what the unfolded one means.

use super::eval::{self, Frame};
use super::plan::{distinct, Num, Tri};
use crate::table::{Column, ColumnData, Validity};

/// The dictionary of the category column all of `slots` refer to, as a column of its
/// entries plus one missing cell — when folding over it pays.
fn dictionary_column(slots: &[usize], cols: &[&Column], rows: usize) -> Option<Column> {
    let [s] = slots else { return None };
    let c = cols.get(*s)?;
    let ColumnData::Category { dict, .. } = &c.data else { return None };
    if dict.len() >= rows || dict.len() > 1 << 20 {
        return None;
    }
    let n = dict.len();
    let mut valid = Validity::with_capacity(n + 1);
    (0..n).for_each(|_| valid.push(true));
    valid.push(false);
    let codes = (0..=n as u32).map(|k| k.min(n.saturating_sub(1) as u32)).collect();
    Some(Column::new(c.name.clone(), ColumnData::Category { codes, dict: dict.clone() }, valid))
}

pub fn tri(t: Tri, cols: &[&Column], rows: usize) -> Tri {
    if matches!(t, Tri::Const(_) | Tri::Lookup(..) | Tri::Col(_)) {
        return t;
    }
    let mut slots = Vec::new();
    t.slots(&mut slots);
    let slots = distinct(slots);
    if slots.is_empty() {
        let v = eval::tri(&t, &Frame { cols: &[], start: 0, len: 1 }).expand(1);
        return Tri::Const(v[0]);
    }
    if let Some(d) = dictionary_column(&slots, cols, rows) {
        let vcols: Vec<&Column> = vec![&d; slots[0] + 1];
        let table = eval::tri(&t, &Frame { cols: &vcols, start: 0, len: d.len() }).expand(d.len());
        return Tri::Lookup(slots[0], table);
    }
    match t {
        Tri::Not(a) => Tri::Not(Box::new(tri(*a, cols, rows))),
        Tri::And(v) => Tri::And(v.into_iter().map(|x| tri(x, cols, rows)).collect()),
        Tri::Or(v) => Tri::Or(v.into_iter().map(|x| tri(x, cols, rows)).collect()),
        Tri::Cmp(op, a, b) => Tri::Cmp(op, num(a, cols, rows), num(b, cols, rows)),
        Tri::In(a, list) => Tri::In(num(a, cols, rows), list),
        Tri::Missing(a, neg) => match *a {
            super::plan::Any::Num(n) => Tri::Missing(Box::new(super::plan::Any::Num(num(n, cols, rows))), neg),
            other => Tri::Missing(Box::new(other), neg),
        },
        other => other,
    }
}

/// `f(date column)` as a table over the column's range of days, when that range is no
/// longer than the column.
fn day_table(n: &Num, cols: &[&Column], rows: usize) -> Option<Num> {
    let Num::Date(f, x, as_of) = n else { return None };
    let Num::Col(slot) = **x else { return None };
    let c = cols.get(slot)?;
    let ColumnData::Date(days) = &c.data else { return None };
    let mut range: Option<(i32, i32)> = None;
    for (i, &d) in days.iter().enumerate() {
        if c.validity.is_valid(i) {
            range = Some(range.map_or((d, d), |(lo, hi)| (lo.min(d), hi.max(d))));
        }
    }
    let (lo, hi) = range?;
    let span = (hi as i64 - lo as i64 + 1) as usize;
    if span > rows.max(1024) || span > 1 << 20 {
        return None;
    }
    let table = (0..span).map(|k| eval::date_fn(*f, (lo as i64 + k as i64) as f64 * 86_400_000.0, *as_of)).collect();
    Some(Num::DayTable { slot, min: lo, table })
}

pub fn num(n: Num, cols: &[&Column], rows: usize) -> Num {
    if matches!(n, Num::Const(_) | Num::Lookup(..) | Num::Col(_) | Num::DayTable { .. }) {
        return n;
    }
    if let Some(t) = day_table(&n, cols, rows) {
        return t;
    }
    let mut slots = Vec::new();
    n.slots(&mut slots);
    let slots = distinct(slots);
    if slots.is_empty() {
        return match eval::num(&n, &Frame { cols: &[], start: 0, len: 1 }) {
            eval::NumV::One(v) => Num::Const(v),
            eval::NumV::Many(v) => Num::Const(v.first().copied().unwrap_or(f64::NAN)),
        };
    }
    if let Some(d) = dictionary_column(&slots, cols, rows) {
        let vcols: Vec<&Column> = vec![&d; slots[0] + 1];
        let table = match eval::num(&n, &Frame { cols: &vcols, start: 0, len: d.len() }) {
            eval::NumV::One(v) => vec![v; d.len()],
            eval::NumV::Many(v) => v,
        };
        return Num::Lookup(slots[0], table);
    }
    match n {
        Num::Neg(a) => Num::Neg(Box::new(num(*a, cols, rows))),
        Num::Abs(a) => Num::Abs(Box::new(num(*a, cols, rows))),
        Num::Arith(op, a, b) => Num::Arith(op, Box::new(num(*a, cols, rows)), Box::new(num(*b, cols, rows))),
        Num::Date(f, a, as_of) => Num::Date(f, Box::new(num(*a, cols, rows)), as_of),
        Num::FromTri(t) => Num::FromTri(Box::new(tri(*t, cols, rows))),
        other => other,
    }
}
