//! The typed plan a rule compiles to: one enum per value kind, so that evaluation never
//! looks at a type at run time. Column references are slots into the plan's column list.
//!
//! - [`Num`]: numbers and instants, as `f64` per row (`NaN` = missing); instants are
//!   milliseconds since 1970-01-01 (a date is its midnight).
//! - [`Tri`]: conditions, three-valued per row: [`FALSE`] < [`UNKNOWN`] < [`TRUE`], so that
//!   `and` is the minimum, `or` the maximum and `not` is `TRUE - x` (Kleene / SQL logic).
//! - [`Str`]: text, borrowed from the column where possible.

use super::ast::{ArithOp, CmpOp, TextOp};

pub const FALSE: u8 = 0;
pub const UNKNOWN: u8 = 1;
pub const TRUE: u8 = 2;

/// Date parts and distances to `asOf`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateFn {
    /// Calendar days from the value's date to `asOf` (negative for later dates).
    DaysSince,
    /// Whole months from the value's date to `asOf` (a month is complete when the day of
    /// month is reached again, or at the end of a shorter month), negative for later dates.
    MonthsSince,
    /// Whole years, likewise.
    YearsSince,
    Year,
    Month,
    Day,
    /// ISO weekday: Monday = 1 … Sunday = 7.
    Weekday,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Num {
    /// An int64 / float64 column, or a date / datetime column as milliseconds.
    Col(usize),
    Const(f64),
    Neg(Box<Num>),
    Abs(Box<Num>),
    Arith(ArithOp, Box<Num>, Box<Num>),
    /// A date function of an instant, with `asOf` as a day number.
    Date(DateFn, Box<Num>, i32),
    /// Length of a text in characters.
    Len(Box<Str>),
    /// A condition as a number: false 0, true 1, unknown missing (to order booleans).
    FromTri(Box<Tri>),
    /// Folded over a category column: the value for each dictionary code, then the value
    /// for a missing cell.
    Lookup(usize, Vec<f64>),
    /// A date function folded over a date column: the value for each day from `min` on
    /// (missing outside the table).
    DayTable {
        slot: usize,
        min: i32,
        table: Vec<f64>,
    },
}

#[derive(Debug, Clone, PartialEq)]
pub enum Str {
    /// A text or category column.
    Col(usize),
    Lit(String),
    Lower(Box<Str>),
    Upper(Box<Str>),
    Trim(Box<Str>),
}

#[derive(Debug, Clone, PartialEq)]
pub enum Tri {
    /// A bool column.
    Col(usize),
    Const(u8),
    Not(Box<Tri>),
    And(Vec<Tri>),
    Or(Vec<Tri>),
    Cmp(CmpOp, Num, Num),
    /// Membership in a sorted list without duplicates.
    In(Num, Vec<f64>),
    StrCmp(CmpOp, Str, Str),
    /// Membership in a sorted list without duplicates.
    StrIn(Str, Vec<String>),
    Text(TextOp, Str, Str),
    /// `is missing` (or, negated, `is not missing`): never unknown.
    Missing(Box<Any>, bool),
    /// Folded over a category column: the condition for each dictionary code, then for a
    /// missing cell.
    Lookup(usize, Vec<u8>),
}

/// Any value, for `is missing`.
#[derive(Debug, Clone, PartialEq)]
pub enum Any {
    Num(Num),
    Tri(Tri),
    Str(Str),
}

impl Num {
    /// Slots read.
    pub fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Num::Col(s) | Num::Lookup(s, _) | Num::DayTable { slot: s, .. } => out.push(*s),
            Num::Const(_) => {}
            Num::Neg(a) | Num::Abs(a) | Num::Date(_, a, _) => a.slots(out),
            Num::Arith(_, a, b) => {
                a.slots(out);
                b.slots(out)
            }
            Num::Len(s) => s.slots(out),
            Num::FromTri(t) => t.slots(out),
        }
    }
}

impl Str {
    pub fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Str::Col(s) => out.push(*s),
            Str::Lit(_) => {}
            Str::Lower(a) | Str::Upper(a) | Str::Trim(a) => a.slots(out),
        }
    }
}

impl Tri {
    pub fn slots(&self, out: &mut Vec<usize>) {
        match self {
            Tri::Col(s) | Tri::Lookup(s, _) => out.push(*s),
            Tri::Const(_) => {}
            Tri::Not(a) => a.slots(out),
            Tri::And(v) | Tri::Or(v) => v.iter().for_each(|t| t.slots(out)),
            Tri::Cmp(_, a, b) => {
                a.slots(out);
                b.slots(out)
            }
            Tri::In(a, _) => a.slots(out),
            Tri::StrCmp(_, a, b) | Tri::Text(_, a, b) => {
                a.slots(out);
                b.slots(out)
            }
            Tri::StrIn(a, _) => a.slots(out),
            Tri::Missing(a, _) => match &**a {
                Any::Num(n) => n.slots(out),
                Any::Tri(t) => t.slots(out),
                Any::Str(s) => s.slots(out),
            },
        }
    }
}

/// The distinct slots of a plan, ascending.
pub fn distinct(mut v: Vec<usize>) -> Vec<usize> {
    crate::sort::ord(&mut v);
    v.dedup();
    v
}
