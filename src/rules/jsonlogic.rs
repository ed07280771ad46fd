//! JSON Logic (what query-builder UIs emit) → the same syntax tree as the expression text,
//! so both forms share one type checker and one evaluator.
//!
//! Supported: `var` (a column name), `and`, `or`, `!`, `==` / `===`, `!=` / `!==` (against
//! `null`: `is missing` / `is not missing`), `<` `<=` `>` `>=` (the three-argument `<` / `<=`
//! is "between"), `in` (a list: membership; a text: substring), `+ - * / %`, and as
//! extensions `contains`, `starts_with`, `ends_with` and the language's functions
//! (`{"days_since": [{"var": "lastPurchase"}]}`). Every node gets a path (`/and/1/==/0`)
//! that errors name.

use serde_json::Value;

use super::ast::{ArithOp, CmpOp, DResult, Diag, Expr, Kind, Span, TextOp, MAX_DEPTH, MAX_JSON_NODES};
use super::compile::FUNCTIONS;

pub struct Converter {
    /// The path of each node; a node's `Span::start` is its index here.
    pub paths: Vec<String>,
}

impl Converter {
    pub fn new() -> Self {
        Converter { paths: Vec::new() }
    }

    fn here(&mut self, path: &str) -> DResult<Span> {
        if self.paths.len() >= MAX_JSON_NODES {
            return Err(Diag::new(
                format!("the JSON Logic rule has more than {MAX_JSON_NODES} nodes"),
                Span { start: self.paths.len().saturating_sub(1) as u32, end: 0 },
            ));
        }
        self.paths.push(if path.is_empty() { "/".into() } else { path.to_string() });
        Ok(Span { start: (self.paths.len() - 1) as u32, end: 0 })
    }

    pub fn convert(&mut self, v: &Value, path: &str, depth: usize) -> DResult<Expr> {
        let at = self.here(path)?;
        if depth > MAX_DEPTH {
            return Err(Diag::new(super::ast::too_deep_message(), at));
        }
        match v {
            Value::Number(n) => match n.as_f64() {
                Some(x) if x.is_finite() => Ok(Expr::leaf(Kind::Num(x), at)),
                _ => Err(Diag::new("number out of range", at)),
            },
            Value::String(s) => Ok(Expr::leaf(Kind::Str(s.clone()), at)),
            Value::Bool(b) => Ok(Expr::leaf(Kind::Bool(*b), at)),
            Value::Null => Err(Diag::new("null is only allowed in {\"==\": [x, null]} (x is missing) or with !=", at)),
            Value::Array(_) => Err(Diag::new("a list is only allowed as the second argument of `in`", at)),
            Value::Object(map) => {
                let mut it = map.iter();
                let (op, args) = match (it.next(), it.next()) {
                    (Some(first), None) => first,
                    _ => {
                        return Err(Diag::new(
                            "a JSON Logic operation is an object with exactly one key, e.g. {\"==\": [{\"var\": \"x\"}, 1]}",
                            at,
                        ))
                    }
                };
                let args: Vec<&Value> = match args {
                    Value::Array(a) => a.iter().collect(),
                    other => vec![other],
                };
                self.operation(op, &args, path, depth, at)
            }
        }
    }

    fn operation(&mut self, op: &str, args: &[&Value], path: &str, depth: usize, at: Span) -> DResult<Expr> {
        let sub = |i: usize| format!("{path}/{}/{i}", op.replace('~', "~0").replace('/', "~1"));
        let arity = |n: &[usize]| -> DResult<()> {
            if n.contains(&args.len()) {
                Ok(())
            } else {
                let mut want = String::new();
                for (i, &k) in n.iter().enumerate() {
                    want.push_str(if i > 0 { " or " } else { "" });
                    want.push_str(itoa::Buffer::new().format(k));
                }
                Err(Diag::new(format!("`{op}` takes {want} arguments, got {}", args.len()), at))
            }
        };
        let all = |me: &mut Self| -> DResult<Vec<Expr>> {
            args.iter().enumerate().map(|(i, a)| me.convert(a, &sub(i), depth + 1)).collect()
        };
        let b = Box::new;
        let node = |kind: Kind| Expr::node(kind, at);
        match op {
            "var" => {
                arity(&[1])?;
                match args[0] {
                    Value::String(s) if !s.is_empty() => Ok(Expr::leaf(Kind::Column(s.clone()), at)),
                    _ => Err(Diag::new("`var` takes a column name (defaults and array indexes are not supported)", at)),
                }
            }
            "and" | "or" => {
                if args.is_empty() {
                    return Err(Diag::new(format!("`{op}` needs at least one condition"), at));
                }
                let mut v = all(self)?;
                if v.len() == 1 {
                    return Ok(v.remove(0));
                }
                node(if op == "and" { Kind::And(v) } else { Kind::Or(v) })
            }
            "!" | "not" => {
                arity(&[1])?;
                let x = self.convert(args[0], &sub(0), depth + 1)?;
                node(Kind::Not(b(x)))
            }
            "==" | "===" | "!=" | "!==" => {
                arity(&[2])?;
                let negated = op.starts_with('!');
                let null = args.iter().position(|a| a.is_null());
                if let Some(k) = null {
                    let other = 1 - k;
                    if args[other].is_null() {
                        return Err(Diag::new("comparing null with null", at));
                    }
                    let x = self.convert(args[other], &sub(other), depth + 1)?;
                    return node(Kind::IsMissing { expr: b(x), negated });
                }
                let v = all(self)?;
                let [x, y]: [Expr; 2] = v.try_into().map_err(|_| Diag::new("expected two arguments", at))?;
                node(Kind::Cmp(if negated { CmpOp::Ne } else { CmpOp::Eq }, b(x), b(y)))
            }
            "<" | "<=" | ">" | ">=" => {
                let cmp = match op {
                    "<" => CmpOp::Lt,
                    "<=" => CmpOp::Le,
                    ">" => CmpOp::Gt,
                    _ => CmpOp::Ge,
                };
                if matches!(cmp, CmpOp::Lt | CmpOp::Le) {
                    arity(&[2, 3])?;
                } else {
                    arity(&[2])?;
                }
                let mut v = all(self)?;
                if v.len() == 3 {
                    // a < b < c: b between a and c (exclusive for <).
                    let c = v.pop();
                    let mid = v.pop();
                    let lo = v.pop();
                    let (Some(lo), Some(mid), Some(c)) = (lo, mid, c) else {
                        return Err(Diag::new("expected three arguments", at));
                    };
                    let left = Expr::node(Kind::Cmp(cmp, b(lo), b(mid.clone())), at)?;
                    let right = Expr::node(Kind::Cmp(cmp, b(mid), b(c)), at)?;
                    return node(Kind::And(vec![left, right]));
                }
                let [x, y]: [Expr; 2] = v.try_into().map_err(|_| Diag::new("expected two arguments", at))?;
                node(Kind::Cmp(cmp, b(x), b(y)))
            }
            "in" => {
                arity(&[2])?;
                let x = self.convert(args[0], &sub(0), depth + 1)?;
                match args[1] {
                    Value::Array(items) => {
                        if items.is_empty() {
                            return Err(Diag::new("the list of `in` is empty", at));
                        }
                        let list = items
                            .iter()
                            .enumerate()
                            .map(|(i, v)| self.convert(v, &format!("{}/{i}", sub(1)), depth + 2))
                            .collect::<DResult<Vec<_>>>()?;
                        node(Kind::In { expr: b(x), list, negated: false })
                    }
                    other => {
                        // {"in": [needle, haystack]}: substring.
                        let hay = self.convert(other, &sub(1), depth + 1)?;
                        node(Kind::Text { op: TextOp::Contains, expr: b(hay), pattern: b(x), negated: false })
                    }
                }
            }
            "contains" | "starts_with" | "ends_with" => {
                arity(&[2])?;
                let v = all(self)?;
                let [x, y]: [Expr; 2] = v.try_into().map_err(|_| Diag::new("expected two arguments", at))?;
                let t = match op {
                    "contains" => TextOp::Contains,
                    "starts_with" => TextOp::StartsWith,
                    _ => TextOp::EndsWith,
                };
                node(Kind::Text { op: t, expr: b(x), pattern: b(y), negated: false })
            }
            "+" | "*" | "-" | "/" | "%" => {
                let a = match op {
                    "+" => ArithOp::Add,
                    "*" => ArithOp::Mul,
                    "-" => ArithOp::Sub,
                    "/" => ArithOp::Div,
                    _ => ArithOp::Rem,
                };
                match op {
                    "-" => arity(&[1, 2])?,
                    "/" | "%" => arity(&[2])?,
                    _ => {
                        if args.len() < 2 {
                            return Err(Diag::new(format!("`{op}` takes at least 2 arguments"), at));
                        }
                    }
                }
                let v = all(self)?;
                let mut it = v.into_iter();
                let Some(mut acc) = it.next() else { return Err(Diag::new("missing argument", at)) };
                if op == "-" && args.len() == 1 {
                    return node(Kind::Neg(b(acc)));
                }
                for x in it {
                    acc = Expr::node(Kind::Arith(a, b(acc), b(x)), at)?;
                }
                Ok(acc)
            }
            f if FUNCTIONS.iter().any(|g| g.0 == f) => {
                let v = all(self)?;
                node(Kind::Call(f.to_string(), v))
            }
            other => Err(Diag::new(
                format!(
                    "unsupported JSON Logic operator `{}` (supported: var and or ! == != < <= > >= in + - * / % \
                     contains starts_with ends_with and the functions)",
                    super::diag::short(other)
                ),
                at,
            )),
        }
    }
}

impl Default for Converter {
    fn default() -> Self {
        Self::new()
    }
}
