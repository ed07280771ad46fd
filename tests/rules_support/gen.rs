//! Random conditions over a real table, each rendered three ways from one random tree: the
//! crmlens expression text, JSON Logic, and a SQL `WHERE` clause for DuckDB (the oracle:
//! scripts/reference/rules_duckdb.py). Literals are sampled from the table so that conditions
//! select something; every operator, function and missing-value case of the language appears.
//!
//! Where crmlens states a semantics SQL does not have by default, the SQL spells it out:
//! division and remainder by zero are missing (`CASE WHEN b = 0 THEN NULL …`).

use crmlens::rng::Rng;
use crmlens::table::{ColumnData, Dataset, Value};
use serde_json::{json, Value as J};

#[derive(Clone, Copy, PartialEq)]
enum K {
    Num,
    Str,
    Bool,
    Date,
}

struct Col {
    name: String,
    kind: K,
    index: usize,
}

/// One rendered node and its precedence (10 atom, 8 unary, 7 * / %, 6 + -, 4 comparison,
/// 3 not, 2 and, 1 or).
#[derive(Clone)]
struct G {
    text: String,
    sql: String,
    json: J,
    prec: u8,
}

pub struct Case {
    pub text: String,
    pub json: J,
    pub sql: String,
}

pub struct Gen<'a> {
    rng: Rng,
    ds: &'a Dataset,
    cols: Vec<Col>,
    as_of: Option<String>,
}

fn paren(g: &G, min: u8) -> (String, String) {
    if g.prec >= min {
        (g.text.clone(), g.sql.clone())
    } else {
        (format!("({})", g.text), format!("({})", g.sql))
    }
}

fn sql_str(s: &str) -> String {
    format!("'{}'", s.replace('\'', "''"))
}

fn num_lit(v: f64) -> G {
    let t = format!("{v}");
    G { text: t.clone(), sql: format!("CAST('{t}' AS DOUBLE)"), json: json!(v), prec: if v < 0.0 { 8 } else { 10 } }
}

const KEYWORDS: [&str; 16] = [
    "and", "or", "not", "in", "between", "is", "missing", "null", "true", "false", "contains", "starts", "ends",
    "with", "like", "day",
];

impl<'a> Gen<'a> {
    pub fn new(ds: &'a Dataset, seed: u64, as_of: Option<&str>) -> Self {
        let cols = ds
            .columns()
            .iter()
            .enumerate()
            .map(|(index, c)| Col {
                name: c.name.clone(),
                kind: match c.data {
                    ColumnData::Int64(_) | ColumnData::Float64(_) => K::Num,
                    ColumnData::Bool(_) => K::Bool,
                    ColumnData::Date(_) | ColumnData::Datetime(_) => K::Date,
                    _ => K::Str,
                },
                index,
            })
            .collect();
        Gen { rng: Rng::new(seed), ds, cols, as_of: as_of.map(str::to_string) }
    }

    fn pick(&mut self, kind: K) -> Option<usize> {
        let of: Vec<usize> = (0..self.cols.len()).filter(|&i| self.cols[i].kind == kind).collect();
        if of.is_empty() {
            None
        } else {
            Some(of[self.rng.below(of.len())])
        }
    }

    fn column(&mut self, i: usize) -> G {
        let name = self.cols[i].name.clone();
        let bare = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
            && !KEYWORDS.contains(&name.to_lowercase().as_str());
        let text = if bare && self.rng.below(3) > 0 { name.clone() } else { format!("`{}`", name.replace('`', "``")) };
        let mut sql = format!("\"{}\"", name.replace('"', "\"\""));
        if self.cols[i].kind == K::Num {
            sql = format!("CAST({sql} AS DOUBLE)");
        }
        G { text, sql, json: json!({ "var": name }), prec: 10 }
    }

    /// A non-missing value of column `i`, if one is found quickly.
    fn sample(&mut self, i: usize) -> Option<Value<'a>> {
        let c = &self.ds.columns()[self.cols[i].index];
        for _ in 0..20 {
            let v = c.get(self.rng.below(self.ds.num_rows().max(1)));
            if v != Value::Null {
                return Some(v);
            }
        }
        None
    }

    fn sample_num(&mut self, i: usize) -> f64 {
        let v = match self.sample(i) {
            Some(Value::Int(x)) => x as f64,
            Some(Value::Float(x)) => x,
            _ => self.rng.below(100) as f64,
        };
        match self.rng.below(6) {
            0 => v + 1.0,
            1 => (v * 0.5).round(),
            2 => -(self.rng.below(5) as f64),
            _ => v,
        }
    }

    fn sample_str(&mut self, i: usize) -> String {
        match self.sample(i) {
            Some(Value::Str(s)) => s.to_string(),
            _ => "No".into(),
        }
    }

    fn sample_date(&mut self, i: usize) -> String {
        let d = match self.sample(i) {
            Some(Value::Date(d)) => d,
            _ => 10_000,
        };
        let shift = [0, 0, 1, -1, 30, -45][self.rng.below(6)];
        crmlens::table::date::format_date(d + shift)
    }

    fn str_lit(&mut self, s: &str) -> G {
        G { text: sql_str(s), sql: sql_str(s), json: json!(s), prec: 10 }
    }

    fn call(&self, f: &str, sql_f: &str, a: &G) -> G {
        G {
            text: format!("{f}({})", a.text),
            sql: format!("{sql_f}({})", a.sql),
            json: json!({ f: [a.json] }),
            prec: 10,
        }
    }

    fn num(&mut self, depth: u32) -> G {
        let r = if depth == 0 { self.rng.below(5) } else { self.rng.below(10) };
        match r {
            0..=3 => match self.pick(K::Num) {
                Some(i) => self.column(i),
                None => num_lit(self.rng.below(10) as f64),
            },
            4 => match self.pick(K::Num) {
                Some(i) => num_lit(self.sample_num(i)),
                None => num_lit(2.0),
            },
            5 | 6 => {
                let (a, b) = (self.num(depth - 1), self.num(depth - 1));
                let (op, prec) = [("+", 6), ("-", 6), ("*", 7)][self.rng.below(3)];
                let (lt, ls) = paren(&a, prec);
                let (rt, rs) = paren(&b, prec + 1);
                G {
                    text: format!("{lt} {op} {rt}"),
                    sql: format!("{ls} {op} {rs}"),
                    json: json!({ op: [a.json, b.json] }),
                    prec,
                }
            }
            7 => {
                let a = self.num(depth - 1);
                let b = if self.rng.below(2) == 0 { self.num(depth - 1) } else { num_lit(self.rng.below(4) as f64) };
                let op = if self.rng.below(3) == 0 { "%" } else { "/" };
                let (lt, _) = paren(&a, 7);
                let (rt, _) = paren(&b, 8);
                G {
                    text: format!("{lt} {op} {rt}"),
                    sql: format!("(CASE WHEN ({}) = 0 THEN NULL ELSE ({}) {op} ({}) END)", b.sql, a.sql, b.sql),
                    json: json!({ op: [a.json, b.json] }),
                    prec: 7,
                }
            }
            8 => {
                let a = self.num(depth - 1);
                if self.rng.below(2) == 0 {
                    self.call("abs", "abs", &a)
                } else {
                    let (t, s) = paren(&a, 9);
                    G { text: format!("-{t}"), sql: format!("(- {s})"), json: json!({ "-": [a.json] }), prec: 8 }
                }
            }
            _ => self.derived_num(),
        }
    }

    /// A number from a date or text column: days_since & co., year / month / day / weekday,
    /// length.
    fn derived_num(&mut self) -> G {
        if let (Some(i), Some(as_of)) = (self.pick(K::Date), self.as_of.clone()) {
            let d = self.column(i);
            let ds = |unit: &str| format!("CAST(date_sub('{unit}', {}, DATE '{as_of}') AS DOUBLE)", d.sql);
            let (f, sql) = match self.rng.below(7) {
                0 => ("days_since", format!("CAST(date_diff('day', {}, DATE '{as_of}') AS DOUBLE)", d.sql)),
                1 => ("months_since", ds("month")),
                2 => ("years_since", ds("year")),
                3 => ("year", format!("CAST(year({}) AS DOUBLE)", d.sql)),
                4 => ("month", format!("CAST(month({}) AS DOUBLE)", d.sql)),
                5 => ("day", format!("CAST(day({}) AS DOUBLE)", d.sql)),
                _ => ("weekday", format!("CAST(isodow({}) AS DOUBLE)", d.sql)),
            };
            return G { text: format!("{f}({})", d.text), sql, json: json!({ f: [d.json] }), prec: 10 };
        }
        match self.pick(K::Str) {
            Some(i) => {
                let s = self.column(i);
                let mut g = self.call("length", "length", &s);
                g.sql = format!("CAST({} AS DOUBLE)", g.sql);
                g
            }
            None => num_lit(1.0),
        }
    }

    fn cmp_op(&mut self) -> (&'static str, &'static str, &'static str) {
        // (text, sql, json)
        [("=", "=", "=="), ("!=", "<>", "!="), ("<", "<", "<"), ("<=", "<=", "<="), (">", ">", ">"), (">=", ">=", ">=")]
            [self.rng.below(6)]
    }

    fn binary_cond(&mut self, a: &G, op: (&str, &str, &str), b: &G) -> G {
        let text_op = if op.0 == "=" && self.rng.below(3) == 0 { "==" } else { op.0 };
        let text_op = if op.0 == "!=" && self.rng.below(3) == 0 { "<>" } else { text_op };
        let (lt, ls) = paren(a, 5);
        let (rt, rs) = paren(b, 5);
        G {
            text: format!("{lt} {text_op} {rt}"),
            sql: format!("{ls} {} {rs}", op.1),
            json: json!({ op.2: [a.json, b.json] }),
            prec: 4,
        }
    }

    fn negate(&mut self, g: G) -> G {
        let (t, s) = paren(&g, 4);
        G { text: format!("not {t}"), sql: format!("NOT {s}"), json: json!({ "!": [g.json] }), prec: 3 }
    }

    fn str_expr(&mut self, i: usize) -> G {
        let c = self.column(i);
        match self.rng.below(5) {
            0 => self.call("lower", "lower", &c),
            1 => self.call("upper", "upper", &c),
            _ => c,
        }
    }

    fn leaf(&mut self) -> G {
        let r = self.rng.below(12);
        match r {
            0 | 1 => {
                let a = self.num(2);
                let op = self.cmp_op();
                let b = if self.rng.below(3) == 0 {
                    self.num(1)
                } else {
                    num_lit(self.pick(K::Num).map_or(3.0, |i| self.sample_num(i)))
                };
                self.binary_cond(&a, op, &b)
            }
            2 => match self.pick(K::Str) {
                Some(i) => {
                    let a = self.str_expr(i);
                    let mut s = self.sample_str(i);
                    if a.text.starts_with("lower") {
                        s = s.to_lowercase();
                    } else if a.text.starts_with("upper") {
                        s = s.to_uppercase();
                    }
                    let b = self.str_lit(&s);
                    let op = self.cmp_op();
                    self.binary_cond(&a, op, &b)
                }
                None => self.leaf_num_in(),
            },
            3 => match self.pick(K::Str) {
                Some(i) => {
                    let a = self.column(i);
                    let vals: Vec<String> = (0..1 + self.rng.below(4)).map(|_| self.sample_str(i)).collect();
                    let lits: Vec<G> = vals.iter().map(|v| self.str_lit(v)).collect();
                    self.in_list(a, lits)
                }
                None => self.leaf_num_in(),
            },
            4 => self.leaf_num_in(),
            5 => {
                let x = self.num(1);
                let i = self.pick(K::Num);
                let (mut lo, mut hi) = match i {
                    Some(i) => (self.sample_num(i), self.sample_num(i)),
                    None => (0.0, 5.0),
                };
                if self.rng.below(5) > 0 && lo > hi {
                    std::mem::swap(&mut lo, &mut hi);
                }
                let (lo, hi) = (num_lit(lo), num_lit(hi));
                let (xt, xs) = paren(&x, 5);
                let (lt, ls) = paren(&lo, 5);
                let (ht, hs) = paren(&hi, 5);
                let g = G {
                    text: format!("{xt} between {lt} and {ht}"),
                    sql: format!("{xs} BETWEEN {ls} AND {hs}"),
                    json: json!({ "<=": [lo.json, x.json, hi.json] }),
                    prec: 4,
                };
                if self.rng.below(4) == 0 {
                    G {
                        text: format!("{xt} not between {lt} and {ht}"),
                        sql: format!("{xs} NOT BETWEEN {ls} AND {hs}"),
                        json: json!({ "!": [g.json] }),
                        prec: 4,
                    }
                } else {
                    g
                }
            }
            6 => {
                let i = self.rng.below(self.cols.len());
                let c = self.column(i);
                let neg = self.rng.below(2) == 0;
                G {
                    text: format!("{} is {}missing", c.text, if neg { "not " } else { "" }),
                    sql: format!("{} IS {}NULL", c.sql, if neg { "NOT " } else { "" }),
                    json: json!({ if neg { "!=" } else { "==" }: [c.json, null] }),
                    prec: 4,
                }
            }
            7 => match self.pick(K::Str) {
                Some(i) => {
                    let a = self.column(i);
                    let s = self.sample_str(i);
                    let chars: Vec<char> = s.chars().collect();
                    let (from, len) = if chars.is_empty() {
                        (0, 0)
                    } else {
                        let f = self.rng.below(chars.len());
                        (f, 1 + self.rng.below(chars.len() - f))
                    };
                    let (op, sqlf, jop) = [
                        ("contains", "contains", "contains"),
                        ("starts with", "starts_with", "starts_with"),
                        ("ends with", "ends_with", "ends_with"),
                    ][self.rng.below(3)];
                    let sub: String = match op {
                        "starts with" => chars[..len.min(chars.len())].iter().collect(),
                        "ends with" => chars[chars.len() - len.min(chars.len())..].iter().collect(),
                        _ => chars[from..from + len].iter().collect(),
                    };
                    let b = self.str_lit(&sub);
                    let json = if op == "contains" && self.rng.below(2) == 0 {
                        json!({ "in": [b.json, a.json] })
                    } else {
                        json!({ jop: [a.json, b.json] })
                    };
                    let g = G {
                        text: format!("{} {op} {}", a.text, b.text),
                        sql: format!("{sqlf}({}, {})", a.sql, b.sql),
                        json,
                        prec: 4,
                    };
                    if self.rng.below(4) == 0 {
                        G {
                            text: format!("{} not {op} {}", a.text, b.text),
                            sql: format!("NOT {sqlf}({}, {})", a.sql, b.sql),
                            json: json!({ "!": [g.json] }),
                            prec: 4,
                        }
                    } else {
                        g
                    }
                }
                None => self.leaf_num_in(),
            },
            8 => match self.pick(K::Date) {
                Some(i) => {
                    let a = self.column(i);
                    let d = self.sample_date(i);
                    let b = G { text: format!("'{d}'"), sql: format!("DATE '{d}'"), json: json!(d), prec: 10 };
                    let op = self.cmp_op();
                    if self.rng.below(2) == 0 {
                        self.binary_cond(&a, op, &b)
                    } else {
                        self.binary_cond(&b, op, &a)
                    }
                }
                None => self.leaf_bool(),
            },
            9 => {
                let a = self.derived_num();
                let op = self.cmp_op();
                let b = num_lit([0.0, 1.0, 3.0, 7.0, 30.0, 365.0, 1997.0, 500.0][self.rng.below(8)]);
                self.binary_cond(&a, op, &b)
            }
            _ => self.leaf_bool(),
        }
    }

    fn in_list(&mut self, a: G, lits: Vec<G>) -> G {
        let neg = self.rng.below(4) == 0;
        let (at, asq) = paren(&a, 5);
        let t = lits.iter().map(|l| l.text.clone()).collect::<Vec<_>>().join(", ");
        let s = lits.iter().map(|l| l.sql.clone()).collect::<Vec<_>>().join(", ");
        let j = json!({ "in": [a.json, lits.iter().map(|l| l.json.clone()).collect::<Vec<_>>()] });
        let not = if neg { "not " } else { "" };
        G {
            text: format!("{at} {not}in ({t})"),
            sql: format!("{asq} {}IN ({s})", not.to_uppercase()),
            json: if neg { json!({ "!": [j] }) } else { j },
            prec: 4,
        }
    }

    fn leaf_num_in(&mut self) -> G {
        match self.pick(K::Num) {
            Some(i) => {
                let a = self.column(i);
                let lits: Vec<G> = (0..1 + self.rng.below(5)).map(|_| num_lit(self.sample_num(i))).collect();
                self.in_list(a, lits)
            }
            None => self.leaf_bool(),
        }
    }

    fn leaf_bool(&mut self) -> G {
        match self.pick(K::Bool) {
            Some(i) => {
                let c = self.column(i);
                match self.rng.below(3) {
                    0 => c,
                    1 => self.negate(c),
                    _ => {
                        let b = self.rng.below(2) == 0;
                        let lit = G { text: format!("{b}"), sql: format!("{b}"), json: json!(b), prec: 10 };
                        self.binary_cond(&c, ("=", "=", "=="), &lit)
                    }
                }
            }
            None => {
                let a = self.num(1);
                let b = num_lit(1.0);
                self.binary_cond(&a, (">", ">", ">"), &b)
            }
        }
    }

    fn cond(&mut self, depth: u32) -> G {
        if depth == 0 {
            return self.leaf();
        }
        match self.rng.below(8) {
            0..=2 => self.leaf(),
            3 | 4 => self.logic(depth, true),
            5 | 6 => self.logic(depth, false),
            _ => {
                let c = self.cond(depth - 1);
                self.negate(c)
            }
        }
    }

    fn logic(&mut self, depth: u32, and: bool) -> G {
        let n = 2 + self.rng.below(2);
        let items: Vec<G> = (0..n).map(|_| self.cond(depth - 1)).collect();
        let prec = if and { 2 } else { 1 };
        let (word, sqlw, jw) = if and { ("and", "AND", "and") } else { ("or", "OR", "or") };
        let word = if self.rng.below(4) == 0 { word.to_uppercase() } else { word.to_string() };
        let parts: Vec<(String, String)> = items.iter().map(|g| paren(g, prec + 1)).collect();
        G {
            text: parts.iter().map(|p| p.0.clone()).collect::<Vec<_>>().join(&format!(" {word} ")),
            sql: parts.iter().map(|p| p.1.clone()).collect::<Vec<_>>().join(&format!(" {sqlw} ")),
            json: json!({ jw: items.iter().map(|g| g.json.clone()).collect::<Vec<_>>() }),
            prec,
        }
    }

    pub fn case(&mut self) -> Case {
        let g = self.cond(3);
        Case { text: g.text, json: g.json, sql: g.sql }
    }
}
