//! Syntax tree → typed plan: resolves columns (with "did you mean" hints), checks types
//! (no implicit conversions except a 'YYYY-MM-DD' text literal where a date is expected),
//! and rejects what the language does not define, each error pointing at its span.

use super::ast::{ArithOp, CmpOp, DResult, Diag, Expr, Kind, Span};
use super::diag::{closest, short};
use super::plan::{Any, DateFn, Num, Str, Tri, TRUE};
use crate::table::{ColumnData, Dataset};

/// The functions of the language: name, argument summary.
pub const FUNCTIONS: [(&str, &str); 13] = [
    ("days_since", "days_since(date): calendar days from the date to asOf"),
    ("months_since", "months_since(date): whole months from the date to asOf"),
    ("years_since", "years_since(date): whole years from the date to asOf"),
    ("year", "year(date), or year() for asOf's year"),
    ("month", "month(date) 1–12, or month() for asOf's month"),
    ("day", "day(date) 1–31, or day() for asOf's day"),
    ("weekday", "weekday(date) Monday = 1 … Sunday = 7, or weekday() for asOf's"),
    ("lower", "lower(text)"),
    ("upper", "upper(text)"),
    ("trim", "trim(text): without leading and trailing white space"),
    ("length", "length(text): number of characters"),
    ("abs", "abs(number)"),
    ("today", "today(): asOf as a date"),
];

/// A compiled value, by type.
pub enum T {
    Num(Num),
    /// An instant (ms since 1970-01-01).
    Time(Num),
    Bool(Tri),
    Str(Str),
}

fn type_name(t: &T) -> &'static str {
    match t {
        T::Num(_) => "a number",
        T::Time(_) => "a date",
        T::Bool(_) => "a condition (true / false)",
        T::Str(_) => "text",
    }
}

/// How an operand is named in a message: `column`, a literal, or `f(…)`.
fn name_of(e: &Expr) -> String {
    match &e.kind {
        Kind::Column(c) => format!("`{}`", short(c)),
        Kind::Num(v) => super::text::float_text(*v),
        Kind::Str(s) => format!("'{}'", short(s)),
        Kind::Bool(b) => format!("{b}"),
        Kind::Call(n, _) => format!("{}(…)", short(n)),
        _ => "the expression".into(),
    }
}

/// A date or date-time literal as milliseconds since 1970-01-01.
pub fn parse_instant(s: &str) -> Option<f64> {
    use crate::cells::values::{parse_date_cell, resolve};
    let c = parse_date_cell(s)?;
    if matches!(c.shape, crate::cells::values::DateShape::Ab { .. }) {
        return None;
    }
    resolve(&c, false).map(|ms| ms as f64)
}

fn date_hint(s: &str) -> String {
    format!("'{}' is not a date: write dates as 'YYYY-MM-DD' (or 'YYYY-MM-DD HH:MM:SS')", short(s))
}

pub struct Compiler<'a> {
    pub ds: &'a Dataset,
    /// `asOf` as days since 1970-01-01.
    pub as_of: Option<i32>,
    /// Dataset column index of each slot.
    pub slots: Vec<usize>,
}

impl<'a> Compiler<'a> {
    pub fn new(ds: &'a Dataset, as_of: Option<i32>) -> Self {
        Compiler { ds, as_of, slots: Vec::new() }
    }

    /// The whole rule: must be a condition.
    pub fn rule(&mut self, e: &Expr) -> DResult<Tri> {
        match self.expr(e)? {
            T::Bool(t) => Ok(t),
            other => Err(Diag::new(
                format!(
                    "a rule must be a condition (true / false), but {} is {} — compare it, e.g. {} > 0",
                    name_of(e),
                    type_name(&other),
                    match &e.kind {
                        Kind::Column(c) => format!("`{}`", short(c)),
                        _ => "x".into(),
                    }
                ),
                e.at,
            )),
        }
    }

    fn slot(&mut self, col: usize) -> usize {
        match self.slots.iter().position(|&c| c == col) {
            Some(s) => s,
            None => {
                self.slots.push(col);
                self.slots.len() - 1
            }
        }
    }

    fn column(&mut self, name: &str, at: Span) -> DResult<T> {
        let cols = self.ds.columns();
        let Some(idx) = cols.iter().position(|c| c.name == name) else {
            let hint = closest(name, cols.iter().map(|c| c.name.as_str()))
                .map(|c| format!(" — did you mean `{c}`?"))
                .unwrap_or_else(|| {
                    if FUNCTIONS.iter().any(|f| f.0 == name.to_lowercase()) {
                        format!(" — {name} is a function: write {name}(…)")
                    } else {
                        String::new()
                    }
                });
            return Err(Diag::new(format!("unknown column `{}`{hint}", short(name)), at));
        };
        let s = self.slot(idx);
        Ok(match cols[idx].data {
            ColumnData::Int64(_) | ColumnData::Float64(_) => T::Num(Num::Col(s)),
            ColumnData::Date(_) | ColumnData::Datetime(_) => T::Time(Num::Col(s)),
            ColumnData::Bool(_) => T::Bool(Tri::Col(s)),
            ColumnData::Category { .. } | ColumnData::Text(_) => T::Str(Str::Col(s)),
        })
    }

    pub fn expr(&mut self, e: &Expr) -> DResult<T> {
        Ok(match &e.kind {
            Kind::Num(v) => T::Num(Num::Const(*v)),
            Kind::Str(s) => T::Str(Str::Lit(s.clone())),
            Kind::Bool(b) => T::Bool(Tri::Const(if *b { TRUE } else { 0 })),
            Kind::Column(name) => self.column(name, e.at)?,
            Kind::Neg(x) => T::Num(Num::Neg(Box::new(self.num(x, "`-`")?))),
            Kind::Not(x) => T::Bool(Tri::Not(Box::new(self.cond(x, "`not`")?))),
            Kind::And(v) => T::Bool(Tri::And(v.iter().map(|x| self.cond(x, "`and`")).collect::<DResult<_>>()?)),
            Kind::Or(v) => T::Bool(Tri::Or(v.iter().map(|x| self.cond(x, "`or`")).collect::<DResult<_>>()?)),
            Kind::Arith(op, a, b) => self.arith(*op, a, b, e.at)?,
            Kind::Cmp(op, a, b) => T::Bool(self.cmp(*op, a, b, e.at)?),
            Kind::Between { expr, lo, hi, negated } => {
                let both = Tri::And(vec![self.cmp(CmpOp::Ge, expr, lo, e.at)?, self.cmp(CmpOp::Le, expr, hi, e.at)?]);
                T::Bool(if *negated { Tri::Not(Box::new(both)) } else { both })
            }
            Kind::In { expr, list, negated } => {
                let t = self.in_list(expr, list)?;
                T::Bool(if *negated { Tri::Not(Box::new(t)) } else { t })
            }
            Kind::IsMissing { expr, negated } => {
                let any = match self.expr(expr)? {
                    T::Num(n) | T::Time(n) => Any::Num(n),
                    T::Bool(t) => Any::Tri(t),
                    T::Str(s) => Any::Str(s),
                };
                T::Bool(Tri::Missing(Box::new(any), *negated))
            }
            Kind::Text { op, expr, pattern, negated } => {
                let what = format!("`{}`", op.word());
                let (a, b) = (self.text(expr, &what)?, self.text(pattern, &what)?);
                let t = Tri::Text(*op, a, b);
                T::Bool(if *negated { Tri::Not(Box::new(t)) } else { t })
            }
            Kind::Call(name, args) => self.call(name, args, e.at)?,
        })
    }

    fn cond(&mut self, e: &Expr, ctx: &str) -> DResult<Tri> {
        match self.expr(e)? {
            T::Bool(t) => Ok(t),
            other => Err(Diag::new(
                format!("{ctx} needs a condition (true / false), but {} is {}", name_of(e), type_name(&other)),
                e.at,
            )),
        }
    }

    fn num(&mut self, e: &Expr, ctx: &str) -> DResult<Num> {
        match self.expr(e)? {
            T::Num(n) => Ok(n),
            T::Time(_) => Err(Diag::new(
                format!(
                    "{ctx} needs a number, but {} is a date — use days_since({}) for its age in days",
                    name_of(e),
                    match &e.kind {
                        Kind::Column(c) => format!("`{}`", short(c)),
                        _ => "…".into(),
                    }
                ),
                e.at,
            )),
            other => Err(Diag::new(format!("{ctx} needs a number, but {} is {}", name_of(e), type_name(&other)), e.at)),
        }
    }

    fn text(&mut self, e: &Expr, ctx: &str) -> DResult<Str> {
        match self.expr(e)? {
            T::Str(s) => Ok(s),
            other => Err(Diag::new(format!("{ctx} needs text, but {} is {}", name_of(e), type_name(&other)), e.at)),
        }
    }

    /// An instant: a date column / function, or a 'YYYY-MM-DD' literal.
    fn time(&mut self, e: &Expr, ctx: &str) -> DResult<Num> {
        match self.expr(e)? {
            T::Time(n) => Ok(n),
            T::Str(Str::Lit(s)) => parse_instant(&s).map(Num::Const).ok_or_else(|| Diag::new(date_hint(&s), e.at)),
            other => Err(Diag::new(format!("{ctx} needs a date, but {} is {}", name_of(e), type_name(&other)), e.at)),
        }
    }

    fn arith(&mut self, op: ArithOp, a: &Expr, b: &Expr, at: Span) -> DResult<T> {
        let ctx = format!("`{}`", op.symbol());
        let (ta, tb) = (self.expr(a)?, self.expr(b)?);
        match (ta, tb) {
            (T::Num(x), T::Num(y)) => Ok(T::Num(Num::Arith(op, Box::new(x), Box::new(y)))),
            (T::Time(_), _) | (_, T::Time(_)) => Err(Diag::new(
                format!("{ctx} does not apply to dates: use days_since(date) to get an age in days, or compare dates directly"),
                at,
            )),
            (x, y) => {
                let (bad, e) = if matches!(x, T::Num(_)) { (y, b) } else { (x, a) };
                Err(Diag::new(format!("{ctx} needs numbers, but {} is {}", name_of(e), type_name(&bad)), e.at))
            }
        }
    }

    pub fn cmp(&mut self, op: CmpOp, a: &Expr, b: &Expr, at: Span) -> DResult<Tri> {
        let (ta, tb) = (self.expr(a)?, self.expr(b)?);
        Ok(match (ta, tb) {
            (T::Num(x), T::Num(y)) | (T::Time(x), T::Time(y)) => Tri::Cmp(op, x, y),
            (T::Time(x), T::Str(Str::Lit(s))) => {
                Tri::Cmp(op, x, Num::Const(parse_instant(&s).ok_or_else(|| Diag::new(date_hint(&s), b.at))?))
            }
            (T::Str(Str::Lit(s)), T::Time(y)) => {
                Tri::Cmp(op, Num::Const(parse_instant(&s).ok_or_else(|| Diag::new(date_hint(&s), a.at))?), y)
            }
            (T::Str(x), T::Str(y)) => Tri::StrCmp(op, x, y),
            (T::Bool(x), T::Bool(y)) => Tri::Cmp(op, Num::FromTri(Box::new(x)), Num::FromTri(Box::new(y))),
            // A yes/no column the loader read as true/false, compared with the words it read
            // (`Churn = 'Yes'`): the word stands for its truth value.
            (T::Bool(x), T::Str(Str::Lit(s))) => {
                Tri::Cmp(op, Num::FromTri(Box::new(x)), Num::Const(bool_word(&s, a, b.at)?))
            }
            (T::Str(Str::Lit(s)), T::Bool(y)) => {
                Tri::Cmp(op, Num::Const(bool_word(&s, b, a.at)?), Num::FromTri(Box::new(y)))
            }
            (x, y) => return Err(self.mismatch(op, (a, &x), (b, &y), at)),
        })
    }

    fn mismatch(&self, op: CmpOp, (a, ta): (&Expr, &T), (b, tb): (&Expr, &T), at: Span) -> Diag {
        let mut m = format!(
            "`{}` cannot compare {} ({}) with {} ({})",
            op.symbol(),
            name_of(a),
            type_name(ta),
            name_of(b),
            type_name(tb)
        );
        let hint = |lit: &Expr, other: &T| -> Option<String> {
            match (&lit.kind, other) {
                (Kind::Num(v), T::Str(_)) => {
                    Some(format!("quote the value to compare text: '{}'", super::text::float_text(*v)))
                }
                (Kind::Str(s), T::Num(_)) if s.trim().parse::<f64>().is_ok() => {
                    Some(format!("write the number without quotes: {}", s.trim()))
                }
                (Kind::Num(_), T::Time(_)) => {
                    Some("use days_since(date) to compare a date with a number of days".into())
                }
                (Kind::Num(v), T::Bool(_)) if *v == 0.0 || *v == 1.0 => Some("write true or false".into()),
                _ => None,
            }
        };
        if let Some(h) = hint(b, ta).or_else(|| hint(a, tb)) {
            m.push_str(" — ");
            m.push_str(&h);
        }
        Diag::new(m, at)
    }

    fn in_list(&mut self, expr: &Expr, list: &[Expr]) -> DResult<Tri> {
        let t = self.expr(expr)?;
        let not_value = |e: &Expr| Diag::new("`in (…)` takes values (numbers, 'text', dates, true / false)", e.at);
        match t {
            T::Num(n) => self.num_list(expr, n, false, list),
            T::Time(n) => self.num_list(expr, n, true, list),
            T::Str(s) => {
                let mut vals = Vec::with_capacity(list.len());
                for item in list {
                    match &item.kind {
                        Kind::Str(v) => vals.push(v.clone()),
                        Kind::Num(_) | Kind::Bool(_) => {
                            let ti = self.expr(item)?;
                            return Err(self.mismatch(
                                CmpOp::Eq,
                                (expr, &T::Str(Str::Lit(String::new()))),
                                (item, &ti),
                                item.at,
                            ));
                        }
                        _ => return Err(not_value(item)),
                    }
                }
                crate::sort::ord(&mut vals);
                vals.dedup();
                Ok(Tri::StrIn(s, vals))
            }
            T::Bool(b) => {
                let mut vals = Vec::with_capacity(list.len());
                for item in list {
                    match &item.kind {
                        Kind::Bool(v) => vals.push(if *v { 1.0 } else { 0.0 }),
                        Kind::Str(w) => vals.push(bool_word(w, expr, item.at)?),
                        Kind::Num(_) => {
                            let ti = self.expr(item)?;
                            return Err(self.mismatch(
                                CmpOp::Eq,
                                (expr, &T::Bool(Tri::Const(0))),
                                (item, &ti),
                                item.at,
                            ));
                        }
                        _ => return Err(not_value(item)),
                    }
                }
                crate::sort::by(&mut vals, &f64::total_cmp);
                vals.dedup();
                Ok(Tri::In(Num::FromTri(Box::new(b)), vals))
            }
        }
    }

    fn num_list(&mut self, expr: &Expr, n: Num, time: bool, list: &[Expr]) -> DResult<Tri> {
        let not_value = |e: &Expr| Diag::new("`in (…)` takes values (numbers, 'text', dates, true / false)", e.at);
        let mut vals = Vec::with_capacity(list.len());
        for item in list {
            let v = match (&item.kind, time) {
                (Kind::Num(v), false) => *v,
                (Kind::Str(s), true) => parse_instant(s).ok_or_else(|| Diag::new(date_hint(s), item.at))?,
                (Kind::Str(_), false) | (Kind::Num(_), true) | (Kind::Bool(_), _) => {
                    let tt = if time { T::Time(Num::Const(0.0)) } else { T::Num(Num::Const(0.0)) };
                    let ti = self.expr(item)?;
                    return Err(self.mismatch(CmpOp::Eq, (expr, &tt), (item, &ti), item.at));
                }
                _ => return Err(not_value(item)),
            };
            vals.push(v + 0.0); // -0 as 0
        }
        crate::sort::by(&mut vals, &f64::total_cmp);
        vals.dedup();
        Ok(Tri::In(n, vals))
    }

    fn need_as_of(&self, name: &str, at: Span) -> DResult<i32> {
        self.as_of.ok_or_else(|| {
            Diag::new(format!("{name}() is relative to a day: give the `asOf` option (e.g. asOf: '2024-01-31')"), at)
        })
    }

    fn call(&mut self, name: &str, args: &[Expr], at: Span) -> DResult<T> {
        let Some(&(_, usage)) = FUNCTIONS.iter().find(|f| f.0 == name) else {
            let hint =
                closest(name, FUNCTIONS.iter().map(|f| f.0)).map(|f| format!(" — did you mean {f}()?")).unwrap_or_else(
                    || format!(" — the functions are {}", FUNCTIONS.iter().map(|f| f.0).collect::<Vec<_>>().join(", ")),
                );
            return Err(Diag::new(format!("unknown function {}(){hint}", short(name)), at));
        };
        let date_fn = match name {
            "days_since" => Some(DateFn::DaysSince),
            "months_since" => Some(DateFn::MonthsSince),
            "years_since" => Some(DateFn::YearsSince),
            "year" => Some(DateFn::Year),
            "month" => Some(DateFn::Month),
            "day" => Some(DateFn::Day),
            "weekday" => Some(DateFn::Weekday),
            _ => None,
        };
        let arity = |n: usize| {
            if args.len() == n {
                Ok(())
            } else {
                Err(Diag::new(format!("{name}() takes {n} argument{}: {usage}", if n == 1 { "" } else { "s" }), at))
            }
        };
        let ctx = format!("{name}()");
        if let Some(f) = date_fn {
            let part = matches!(f, DateFn::Year | DateFn::Month | DateFn::Day | DateFn::Weekday);
            if part && args.is_empty() {
                let day = self.need_as_of(name, at)?;
                return Ok(T::Num(Num::Date(f, Box::new(Num::Const(day as f64 * 86_400_000.0)), day)));
            }
            arity(1)?;
            let x = self.time(&args[0], &ctx)?;
            let as_of = if part { self.as_of.unwrap_or(0) } else { self.need_as_of(name, at)? };
            return Ok(T::Num(Num::Date(f, Box::new(x), as_of)));
        }
        match name {
            "today" => {
                arity(0)?;
                let day = self.need_as_of(name, at)?;
                Ok(T::Time(Num::Const(day as f64 * 86_400_000.0)))
            }
            "lower" | "upper" | "trim" => {
                arity(1)?;
                let s = Box::new(self.text(&args[0], &ctx)?);
                Ok(T::Str(match name {
                    "lower" => Str::Lower(s),
                    "upper" => Str::Upper(s),
                    _ => Str::Trim(s),
                }))
            }
            "length" => {
                arity(1)?;
                Ok(T::Num(Num::Len(Box::new(self.text(&args[0], &ctx)?))))
            }
            _ => {
                arity(1)?;
                Ok(T::Num(Num::Abs(Box::new(self.num(&args[0], &ctx)?))))
            }
        }
    }
}

/// A text value compared with a true/false column: the words the loader reads as true or
/// false (`yes` / `no`, `true` / `false`, `y` / `n`, `t` / `f`, any case, spaces around
/// ignored) as 1 / 0; any other text is an error naming the column.
fn bool_word(word: &str, column: &Expr, at: Span) -> DResult<f64> {
    match crate::cells::values::parse_bool(word.trim()) {
        Some(b) => Ok(if b { 1.0 } else { 0.0 }),
        None => Err(Diag::new(
            format!(
                "{} is true / false (the file's yes / no), and '{}' is not a word read as either — write true or false, or 'Yes' / 'No'",
                name_of(column),
                short(word)
            ),
            at,
        )),
    }
}
