//! Evaluating a plan over a block of rows, one node at a time: each node turns whole column
//! slices into a vector (numbers as `f64` with `NaN` for missing, conditions as three-valued
//! bytes), so the tree is walked once per block, never once per row.

use std::borrow::Cow;

use super::ast::{ArithOp, CmpOp, TextOp};
use super::plan::{Any, DateFn, Num, Str, Tri, FALSE, TRUE, UNKNOWN};
use crate::table::date::{civil_from_days, days_in_month, MS_PER_DAY};
use crate::table::{Column, ColumnData};

/// Rows evaluated together.
pub const BLOCK: usize = 4096;

/// The rows `start..start + len` of the plan's columns (one per slot).
pub struct Frame<'a> {
    pub cols: &'a [&'a Column],
    pub start: usize,
    pub len: usize,
}

/// Numbers of a block, or one number for all of its rows.
pub enum NumV {
    One(f64),
    Many(Vec<f64>),
}

pub enum TriV {
    One(u8),
    Many(Vec<u8>),
}

enum StrV<'a> {
    One(Option<Cow<'a, str>>),
    Many(Vec<Option<Cow<'a, str>>>),
}

impl TriV {
    /// As one byte per row.
    pub fn expand(self, len: usize) -> Vec<u8> {
        match self {
            TriV::One(v) => vec![v; len],
            TriV::Many(v) => v,
        }
    }
}

impl<'a> StrV<'a> {
    fn at(&self, i: usize) -> Option<&str> {
        match self {
            StrV::One(v) => v.as_deref(),
            StrV::Many(v) => v[i].as_deref(),
        }
    }
}

fn map_num(x: NumV, f: impl Fn(f64) -> f64) -> NumV {
    match x {
        NumV::One(v) => NumV::One(f(v)),
        NumV::Many(mut v) => {
            v.iter_mut().for_each(|x| *x = f(*x));
            NumV::Many(v)
        }
    }
}

fn zip_num(a: NumV, b: NumV, f: impl Fn(f64, f64) -> f64) -> NumV {
    match (a, b) {
        (NumV::One(x), NumV::One(y)) => NumV::One(f(x, y)),
        (NumV::Many(mut v), NumV::One(y)) => {
            v.iter_mut().for_each(|x| *x = f(*x, y));
            NumV::Many(v)
        }
        (NumV::One(x), NumV::Many(mut v)) => {
            v.iter_mut().for_each(|y| *y = f(x, *y));
            NumV::Many(v)
        }
        (NumV::Many(mut v), NumV::Many(w)) => {
            v.iter_mut().zip(&w).for_each(|(x, y)| *x = f(*x, *y));
            NumV::Many(v)
        }
    }
}

fn cmp_kernel(op: CmpOp, a: NumV, b: NumV, len: usize) -> TriV {
    #[inline(always)]
    fn go(a: &NumV, b: &NumV, len: usize, f: impl Fn(f64, f64) -> bool) -> TriV {
        // Branch-free (so the loops vectorise): unknown when either side is missing.
        let one = |x: f64, y: f64| {
            let u = (x.is_nan() | y.is_nan()) as u8;
            ((f(x, y) as u8) & (u ^ 1)) * TRUE + u
        };
        match (a, b) {
            (NumV::One(x), NumV::One(y)) => TriV::One(one(*x, *y)),
            (NumV::Many(v), NumV::One(y)) => TriV::Many(v.iter().map(|&x| one(x, *y)).collect()),
            (NumV::One(x), NumV::Many(w)) => TriV::Many(w.iter().map(|&y| one(*x, y)).collect()),
            (NumV::Many(v), NumV::Many(w)) => TriV::Many((0..len).map(|i| one(v[i], w[i])).collect()),
        }
    }
    match op {
        CmpOp::Eq => go(&a, &b, len, |x, y| x == y),
        CmpOp::Ne => go(&a, &b, len, |x, y| x != y),
        CmpOp::Lt => go(&a, &b, len, |x, y| x < y),
        CmpOp::Le => go(&a, &b, len, |x, y| x <= y),
        CmpOp::Gt => go(&a, &b, len, |x, y| x > y),
        CmpOp::Ge => go(&a, &b, len, |x, y| x >= y),
    }
}

/// A column's rows as numbers (`NaN` for missing); instants as milliseconds.
fn column_num(c: &Column, start: usize, len: usize) -> Vec<f64> {
    let end = (start + len).min(c.len());
    let mut out: Vec<f64> = match &c.data {
        ColumnData::Int64(v) => v.get(start..end).unwrap_or(&[]).iter().map(|&x| x as f64).collect(),
        ColumnData::Float64(v) => v.get(start..end).unwrap_or(&[]).to_vec(),
        ColumnData::Date(v) => v.get(start..end).unwrap_or(&[]).iter().map(|&x| x as f64 * MS_PER_DAY as f64).collect(),
        ColumnData::Datetime(v) => v.get(start..end).unwrap_or(&[]).iter().map(|&x| x as f64).collect(),
        _ => Vec::new(),
    };
    out.resize(len, f64::NAN);
    if c.null_count() > 0 {
        for (i, x) in out.iter_mut().enumerate() {
            if !c.validity.is_valid(start + i) {
                *x = f64::NAN;
            }
        }
    }
    out
}

fn column_tri(c: &Column, start: usize, len: usize) -> Vec<u8> {
    let mut out: Vec<u8> = match &c.data {
        ColumnData::Bool(v) => {
            v.get(start..(start + len).min(v.len())).unwrap_or(&[]).iter().map(|&b| TRUE * b as u8).collect()
        }
        _ => Vec::new(),
    };
    out.resize(len, UNKNOWN);
    if c.null_count() > 0 {
        for (i, x) in out.iter_mut().enumerate() {
            if !c.validity.is_valid(start + i) {
                *x = UNKNOWN;
            }
        }
    }
    out
}

fn column_str<'a>(c: &'a Column, start: usize, len: usize) -> Vec<Option<Cow<'a, str>>> {
    (start..start + len)
        .map(|i| {
            if !c.validity.is_valid(i) {
                return None;
            }
            match &c.data {
                ColumnData::Text(s) => Some(Cow::Borrowed(s.get(i))),
                ColumnData::Category { codes, dict } => {
                    codes.get(i).and_then(|&k| dict.get(k as usize)).map(|s| Cow::Borrowed(s.as_str()))
                }
                _ => None,
            }
        })
        .collect()
}

/// Code of each row of a category column (`dict.len()` for a missing cell), for lookups.
fn codes_of(c: &Column, start: usize, len: usize) -> Vec<usize> {
    match &c.data {
        ColumnData::Category { codes, dict } => (start..start + len)
            .map(|i| if c.validity.is_valid(i) { codes.get(i).map_or(dict.len(), |&k| k as usize) } else { dict.len() })
            .collect(),
        _ => vec![0; len],
    }
}

/// Days since 1970-01-01 of an instant (ms), `None` for missing / out of range.
fn day_of(ms: f64) -> Option<i32> {
    let d = (ms / MS_PER_DAY as f64).floor();
    (d.is_finite() && d.abs() < 1e8).then_some(d as i32)
}

/// Signed whole units (months, or years with `years`) from day `from` to day `to`. A unit is
/// complete when the day of month comes round again, or when the later date is the last day
/// of its month (Jan 31 → Feb 28 is one month; Feb 29 → Feb 28 a year later is one year), as
/// SQL engines count `date_sub('month', …)`.
fn whole_units(from: i32, to: i32, years: bool) -> f64 {
    let (a, b, sign) = if from <= to { (from, to, 1.0) } else { (to, from, -1.0) };
    let (y1, m1, d1) = civil_from_days(a);
    let (y2, m2, d2) = civil_from_days(b);
    let month_end = d2 == days_in_month(y2, m2);
    let n = if years {
        let short = (m2, d2) < (m1, d1) && !(m2 == m1 && month_end);
        (y2 - y1) as i64 - short as i64
    } else {
        (y2 - y1) as i64 * 12 + m2 as i64 - m1 as i64 - (d2 < d1 && !month_end) as i64
    };
    sign * n as f64
}

pub fn date_fn(f: DateFn, ms: f64, as_of: i32) -> f64 {
    let Some(d) = day_of(ms) else { return f64::NAN };
    match f {
        DateFn::DaysSince => (as_of - d) as f64,
        DateFn::MonthsSince => whole_units(d, as_of, false),
        DateFn::YearsSince => whole_units(d, as_of, true),
        DateFn::Year => civil_from_days(d).0 as f64,
        DateFn::Month => civil_from_days(d).1 as f64,
        DateFn::Day => civil_from_days(d).2 as f64,
        DateFn::Weekday => ((d as i64 + 3).rem_euclid(7) + 1) as f64,
    }
}

fn arith(op: ArithOp, a: NumV, b: NumV) -> NumV {
    match op {
        ArithOp::Add => zip_num(a, b, |x, y| x + y),
        ArithOp::Sub => zip_num(a, b, |x, y| x - y),
        ArithOp::Mul => zip_num(a, b, |x, y| x * y),
        // Division (and remainder) by zero is missing, as in SQL engines that return NULL.
        ArithOp::Div => zip_num(a, b, |x, y| if y == 0.0 { f64::NAN } else { x / y }),
        ArithOp::Rem => zip_num(a, b, |x, y| if y == 0.0 { f64::NAN } else { x % y }),
    }
}

pub fn num(n: &Num, f: &Frame) -> NumV {
    match n {
        Num::Col(s) => {
            NumV::Many(f.cols.get(*s).map_or_else(|| vec![f64::NAN; f.len], |c| column_num(c, f.start, f.len)))
        }
        Num::Const(v) => NumV::One(*v),
        Num::Neg(a) => map_num(num(a, f), |x| -x),
        Num::Abs(a) => map_num(num(a, f), f64::abs),
        Num::Arith(op, a, b) => arith(*op, num(a, f), num(b, f)),
        Num::Date(g, a, as_of) => map_num(num(a, f), |x| date_fn(*g, x, *as_of)),
        Num::Len(s) => match text(s, f) {
            StrV::One(v) => NumV::One(v.map_or(f64::NAN, |s| s.chars().count() as f64)),
            StrV::Many(v) => {
                NumV::Many(v.iter().map(|s| s.as_ref().map_or(f64::NAN, |s| s.chars().count() as f64)).collect())
            }
        },
        Num::FromTri(t) => {
            let m = |x: u8| match x {
                TRUE => 1.0,
                FALSE => 0.0,
                _ => f64::NAN,
            };
            match tri(t, f) {
                TriV::One(x) => NumV::One(m(x)),
                TriV::Many(v) => NumV::Many(v.into_iter().map(m).collect()),
            }
        }
        Num::Lookup(s, table) => match f.cols.get(*s) {
            Some(c) => NumV::Many(
                codes_of(c, f.start, f.len).into_iter().map(|k| table.get(k).copied().unwrap_or(f64::NAN)).collect(),
            ),
            None => NumV::One(f64::NAN),
        },
        Num::DayTable { slot, min, table } => match f.cols.get(*slot).map(|c| (c, &c.data)) {
            Some((c, ColumnData::Date(days))) => {
                let at = |d: i32| table.get((d as i64 - *min as i64) as usize).copied().unwrap_or(f64::NAN);
                let rows = days.get(f.start..f.start + f.len).unwrap_or(&[]);
                let mut out: Vec<f64> = rows.iter().map(|&d| at(d)).collect();
                out.resize(f.len, f64::NAN);
                if c.null_count() > 0 {
                    for (i, x) in out.iter_mut().enumerate() {
                        if !c.validity.is_valid(f.start + i) {
                            *x = f64::NAN;
                        }
                    }
                }
                NumV::Many(out)
            }
            _ => NumV::One(f64::NAN),
        },
    }
}

fn text<'a>(s: &'a Str, f: &Frame<'a>) -> StrV<'a> {
    let map = |v: StrV<'a>, g: &dyn Fn(&str) -> String| match v {
        StrV::One(x) => StrV::One(x.map(|s| Cow::Owned(g(&s)))),
        StrV::Many(v) => StrV::Many(v.into_iter().map(|x| x.map(|s| Cow::Owned(g(&s)))).collect()),
    };
    match s {
        Str::Col(k) => StrV::Many(f.cols.get(*k).map_or_else(|| vec![None; f.len], |c| column_str(c, f.start, f.len))),
        Str::Lit(v) => StrV::One(Some(Cow::Borrowed(v.as_str()))),
        Str::Lower(a) => map(text(a, f), &|s| s.to_lowercase()),
        Str::Upper(a) => map(text(a, f), &|s| s.to_uppercase()),
        Str::Trim(a) => map(text(a, f), &|s| s.trim().to_string()),
    }
}

/// `g` of each row of a text or category column (unknown for a missing cell), reading the
/// column in place.
fn col_rows(c: &Column, start: usize, len: usize, g: impl Fn(&str) -> u8) -> Vec<u8> {
    let end = (start + len).min(c.len());
    let mut out: Vec<u8> = match &c.data {
        ColumnData::Text(s) => (start..end).map(|i| g(s.get(i))).collect(),
        ColumnData::Category { codes, dict } if dict.len() > len => {
            (start..end).map(|i| codes.get(i).and_then(|&k| dict.get(k as usize)).map_or(UNKNOWN, |d| g(d))).collect()
        }
        ColumnData::Category { codes, dict } => {
            let per: Vec<u8> = dict.iter().map(|d| g(d)).collect();
            codes
                .get(start..end)
                .unwrap_or(&[])
                .iter()
                .map(|&k| per.get(k as usize).copied().unwrap_or(UNKNOWN))
                .collect()
        }
        _ => Vec::new(),
    };
    out.resize(len, UNKNOWN);
    if c.null_count() > 0 {
        for (i, x) in out.iter_mut().enumerate() {
            if !c.validity.is_valid(start + i) {
                *x = UNKNOWN;
            }
        }
    }
    out
}

/// A text test of a column against a literal, read in place; `None` for other shapes.
fn text_fast(t: &Tri, f: &Frame) -> Option<Vec<u8>> {
    let (c, start, len) = (|s: &usize| f.cols.get(*s).copied(), f.start, f.len);
    let b = |x: bool| TRUE * x as u8;
    Some(match t {
        Tri::StrCmp(op, Str::Col(s), Str::Lit(l)) | Tri::StrCmp(op, Str::Lit(l), Str::Col(s)) => {
            let op = if matches!(t, Tri::StrCmp(_, Str::Col(_), _)) { *op } else { op.flipped() };
            let l = l.as_str();
            let col = c(s)?;
            match op {
                CmpOp::Eq => col_rows(col, start, len, |x| b(x == l)),
                CmpOp::Ne => col_rows(col, start, len, |x| b(x != l)),
                CmpOp::Lt => col_rows(col, start, len, |x| b(x < l)),
                CmpOp::Le => col_rows(col, start, len, |x| b(x <= l)),
                CmpOp::Gt => col_rows(col, start, len, |x| b(x > l)),
                CmpOp::Ge => col_rows(col, start, len, |x| b(x >= l)),
            }
        }
        Tri::StrIn(Str::Col(s), list) => col_rows(c(s)?, start, len, |x| member_str(Some(x), list)),
        Tri::Text(op, Str::Col(s), Str::Lit(p)) => {
            let p = p.as_str();
            match op {
                TextOp::Contains => col_rows(c(s)?, start, len, |x| b(x.contains(p))),
                TextOp::StartsWith => col_rows(c(s)?, start, len, |x| b(x.starts_with(p))),
                TextOp::EndsWith => col_rows(c(s)?, start, len, |x| b(x.ends_with(p))),
            }
        }
        _ => return None,
    })
}

fn str_rows<'a>(a: &StrV<'a>, b: &StrV<'a>, len: usize, g: impl Fn(&str, &str) -> bool) -> TriV {
    let one = |x: Option<&str>, y: Option<&str>| match (x, y) {
        (Some(x), Some(y)) => TRUE * g(x, y) as u8,
        _ => UNKNOWN,
    };
    match (a, b) {
        (StrV::One(x), StrV::One(y)) => TriV::One(one(x.as_deref(), y.as_deref())),
        _ => TriV::Many((0..len).map(|i| one(a.at(i), b.at(i))).collect()),
    }
}

fn not(v: TriV) -> TriV {
    match v {
        TriV::One(x) => TriV::One(TRUE - x.min(TRUE)),
        TriV::Many(mut v) => {
            v.iter_mut().for_each(|x| *x = TRUE - (*x).min(TRUE));
            TriV::Many(v)
        }
    }
}

/// `and` (minimum) or `or` (maximum) of the children, stopping once every row is decided.
fn fold_logic(items: &[Tri], f: &Frame, and: bool) -> TriV {
    let stop = if and { FALSE } else { TRUE };
    let mut acc = TriV::One(if and { TRUE } else { FALSE });
    for t in items {
        match &acc {
            TriV::One(x) if *x == stop => return acc,
            TriV::Many(v) if v.iter().all(|&x| x == stop) => return TriV::One(stop),
            _ => {}
        }
        let next = tri(t, f);
        acc = match (acc, next) {
            (TriV::One(x), TriV::One(y)) => TriV::One(if and { x.min(y) } else { x.max(y) }),
            (TriV::Many(mut v), TriV::One(y)) | (TriV::One(y), TriV::Many(mut v)) => {
                if and {
                    v.iter_mut().for_each(|x| *x = (*x).min(y));
                } else {
                    v.iter_mut().for_each(|x| *x = (*x).max(y));
                }
                TriV::Many(v)
            }
            (TriV::Many(mut v), TriV::Many(w)) => {
                if and {
                    v.iter_mut().zip(&w).for_each(|(x, y)| *x = (*x).min(*y));
                } else {
                    v.iter_mut().zip(&w).for_each(|(x, y)| *x = (*x).max(*y));
                }
                TriV::Many(v)
            }
        };
    }
    acc
}

fn member_num(x: f64, list: &[f64]) -> u8 {
    if x.is_nan() {
        UNKNOWN
    } else if list.len() <= 8 {
        TRUE * list.contains(&x) as u8
    } else {
        TRUE * list.binary_search_by(|v| v.total_cmp(&(x + 0.0))).is_ok() as u8
    }
}

fn member_str(x: Option<&str>, list: &[String]) -> u8 {
    match x {
        None => UNKNOWN,
        Some(x) if list.len() <= 8 => TRUE * list.iter().any(|v| v == x) as u8,
        Some(x) => TRUE * list.binary_search_by(|v| v.as_str().cmp(x)).is_ok() as u8,
    }
}

pub fn tri(t: &Tri, f: &Frame) -> TriV {
    if let Some(v) = text_fast(t, f) {
        return TriV::Many(v);
    }
    match t {
        Tri::Col(s) => {
            TriV::Many(f.cols.get(*s).map_or_else(|| vec![UNKNOWN; f.len], |c| column_tri(c, f.start, f.len)))
        }
        Tri::Const(v) => TriV::One(*v),
        Tri::Not(a) => not(tri(a, f)),
        Tri::And(v) => fold_logic(v, f, true),
        Tri::Or(v) => fold_logic(v, f, false),
        Tri::Cmp(op, a, b) => cmp_kernel(*op, num(a, f), num(b, f), f.len),
        Tri::In(a, list) => match num(a, f) {
            NumV::One(x) => TriV::One(member_num(x, list)),
            NumV::Many(v) => TriV::Many(v.into_iter().map(|x| member_num(x, list)).collect()),
        },
        Tri::StrCmp(op, a, b) => {
            let (a, b) = (text(a, f), text(b, f));
            match op {
                CmpOp::Eq => str_rows(&a, &b, f.len, |x, y| x == y),
                CmpOp::Ne => str_rows(&a, &b, f.len, |x, y| x != y),
                CmpOp::Lt => str_rows(&a, &b, f.len, |x, y| x < y),
                CmpOp::Le => str_rows(&a, &b, f.len, |x, y| x <= y),
                CmpOp::Gt => str_rows(&a, &b, f.len, |x, y| x > y),
                CmpOp::Ge => str_rows(&a, &b, f.len, |x, y| x >= y),
            }
        }
        Tri::StrIn(a, list) => match text(a, f) {
            StrV::One(x) => TriV::One(member_str(x.as_deref(), list)),
            StrV::Many(v) => TriV::Many(v.iter().map(|x| member_str(x.as_deref(), list)).collect()),
        },
        Tri::Text(op, a, b) => {
            let (a, b) = (text(a, f), text(b, f));
            match op {
                TextOp::Contains => str_rows(&a, &b, f.len, |x, y| x.contains(y)),
                TextOp::StartsWith => str_rows(&a, &b, f.len, |x, y| x.starts_with(y)),
                TextOp::EndsWith => str_rows(&a, &b, f.len, |x, y| x.ends_with(y)),
            }
        }
        Tri::Missing(a, negated) => {
            let (yes, no) = if *negated { (FALSE, TRUE) } else { (TRUE, FALSE) };
            let pick = |missing: bool| if missing { yes } else { no };
            match &**a {
                Any::Num(n) => match num(n, f) {
                    NumV::One(x) => TriV::One(pick(x.is_nan())),
                    NumV::Many(v) => TriV::Many(v.into_iter().map(|x| pick(x.is_nan())).collect()),
                },
                Any::Tri(t) => match tri(t, f) {
                    TriV::One(x) => TriV::One(pick(x == UNKNOWN)),
                    TriV::Many(v) => TriV::Many(v.into_iter().map(|x| pick(x == UNKNOWN)).collect()),
                },
                Any::Str(s) => match text(s, f) {
                    StrV::One(x) => TriV::One(pick(x.is_none())),
                    StrV::Many(v) => TriV::Many(v.iter().map(|x| pick(x.is_none())).collect()),
                },
            }
        }
        Tri::Lookup(s, table) => match f.cols.get(*s) {
            Some(c) => TriV::Many(
                codes_of(c, f.start, f.len).into_iter().map(|k| table.get(k).copied().unwrap_or(UNKNOWN)).collect(),
            ),
            None => TriV::One(UNKNOWN),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::table::date::days_from_civil;

    #[test]
    fn date_functions() {
        let ms = |y, m, d| days_from_civil(y, m, d) as f64 * MS_PER_DAY as f64;
        let as_of = days_from_civil(2024, 1, 31);
        assert_eq!(date_fn(DateFn::DaysSince, ms(2024, 1, 1), as_of), 30.0);
        assert_eq!(date_fn(DateFn::DaysSince, ms(2024, 2, 1), as_of), -1.0);
        assert_eq!(date_fn(DateFn::MonthsSince, ms(2023, 12, 31), as_of), 1.0);
        assert_eq!(date_fn(DateFn::MonthsSince, ms(2023, 12, 31) + 1.0, days_from_civil(2024, 1, 30)), 0.0);
        assert_eq!(date_fn(DateFn::MonthsSince, ms(2023, 1, 31), days_from_civil(2023, 2, 28)), 1.0);
        assert_eq!(date_fn(DateFn::MonthsSince, ms(2023, 3, 30), days_from_civil(2023, 1, 31)), -1.0);
        assert_eq!(date_fn(DateFn::YearsSince, ms(1996, 2, 29), days_from_civil(1997, 2, 28)), 1.0);
        assert_eq!(date_fn(DateFn::YearsSince, ms(1996, 3, 1), days_from_civil(1997, 2, 28)), 0.0);
        assert_eq!(date_fn(DateFn::MonthsSince, ms(2024, 3, 31), as_of), -2.0);
        assert_eq!(date_fn(DateFn::YearsSince, ms(2023, 2, 1), as_of), 0.0);
        assert_eq!(date_fn(DateFn::YearsSince, ms(2020, 1, 31), as_of), 4.0);
        assert_eq!(date_fn(DateFn::Weekday, ms(2024, 1, 29), as_of), 1.0); // a Monday
        assert_eq!(date_fn(DateFn::Weekday, ms(2024, 1, 28), as_of), 7.0);
        assert_eq!(date_fn(DateFn::Year, ms(1969, 12, 31) + 5.0, as_of), 1969.0);
        assert!(date_fn(DateFn::Year, f64::NAN, as_of).is_nan());
        assert!(date_fn(DateFn::Year, 1e300, as_of).is_nan());
    }
}
