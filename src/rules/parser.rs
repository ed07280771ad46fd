//! Expression text → syntax tree: a precedence-climbing parser whose recursion depth is
//! counted (an expression nested deeper than [`MAX_DEPTH`] is an error, never a stack
//! overflow) and whose every error carries the byte span it is about.
//!
//! Precedence, loosest first: `or` · `and` · `not` · comparisons and predicates
//! (`= != < <= > >=`, `in`, `between`, `is missing`, `contains`, `starts with`, `ends with`;
//! not chainable) · `+ -` · `* / %` · unary `-`.

use super::ast::{ArithOp, CmpOp, DResult, Diag, Expr, Kind, Span, TextOp, MAX_DEPTH};
use super::lexer::{lex, Tok, Token};

/// Words that cannot be bare column names (quote such a column with backticks).
const RESERVED: [&str; 7] = ["and", "or", "not", "true", "false", "null", "missing"];
/// Operator words, for "did you mean" hints after a stray word.
const OPERATOR_WORDS: [&str; 9] = ["and", "or", "not", "in", "between", "is", "contains", "starts", "ends"];

const BP_OR: u8 = 1;
const BP_AND: u8 = 2;
const BP_NOT: u8 = 3;
const BP_CMP: u8 = 4;
const BP_ADD: u8 = 6;
const BP_MUL: u8 = 7;
const BP_UNARY: u8 = 8;

#[derive(Debug, Clone, Copy)]
enum Infix {
    Or,
    And,
    Cmp(CmpOp),
    Arith(ArithOp),
    In(bool),
    Between(bool),
    Is,
    Text(TextOp, bool),
}

/// Parses one expression.
pub fn parse(src: &str) -> DResult<Expr> {
    let toks = lex(src).map_err(|(m, at)| Diag::new(m, Span { start: at as u32, end: at as u32 + 1 }))?;
    let mut p = Parser { toks, pos: 0, depth: 0 };
    let e = p.expr(0)?;
    let t = p.peek().clone();
    match &t.tok {
        Tok::Eof => Ok(e),
        Tok::RParen => Err(Diag::new("`)` without a matching `(`", t.at)),
        Tok::Word(w) => {
            let lw = w.to_lowercase();
            let hint = super::diag::closest(&lw, OPERATOR_WORDS.iter().copied())
                .map(|s| format!(" — did you mean `{s}`?"))
                .unwrap_or_else(|| " — expected an operator such as `and`, `or`, `=`".into());
            Err(Diag::new(format!("unexpected `{w}`{hint}"), t.at))
        }
        _ => Err(Diag::new(
            format!("unexpected {} — expected an operator such as `and`, `or`, `=`", describe(&t.tok)),
            t.at,
        )),
    }
}

fn describe(t: &Tok) -> String {
    match t {
        Tok::Num(v) => format!("number {}", super::text::float_text(*v)),
        Tok::Str(s) => format!("text '{}'", super::diag::short(s)),
        Tok::Word(w) => format!("`{}`", super::diag::short(w)),
        Tok::Quoted(w) => format!("column `{}`", super::diag::short(w)),
        Tok::LParen => "`(`".into(),
        Tok::RParen => "`)`".into(),
        Tok::Comma => "`,`".into(),
        Tok::Op(o) => format!("`{o}`"),
        Tok::Eof => "the end of the expression".into(),
    }
}

struct Parser {
    toks: Vec<Token>,
    pos: usize,
    depth: usize,
}

fn span(a: Span, b: Span) -> Span {
    Span { start: a.start.min(b.start), end: a.end.max(b.end) }
}

impl Parser {
    fn peek(&self) -> &Token {
        let last = self.toks.len() - 1;
        &self.toks[self.pos.min(last)]
    }
    fn peek_at(&self, k: usize) -> &Tok {
        let last = self.toks.len() - 1;
        &self.toks[(self.pos + k).min(last)].tok
    }
    fn bump(&mut self) -> Token {
        let t = self.peek().clone();
        if self.pos < self.toks.len() - 1 {
            self.pos += 1;
        }
        t
    }
    fn word_at(&self, k: usize) -> Option<String> {
        match self.peek_at(k) {
            Tok::Word(w) => Some(w.to_lowercase()),
            _ => None,
        }
    }
    fn prev_end(&self) -> Span {
        self.toks[self.pos.saturating_sub(1)].at
    }

    /// The infix operator at the cursor, its binding power and how many tokens it takes.
    fn infix(&self) -> Option<(u8, Infix, usize)> {
        let t = &self.peek().tok;
        Some(match t {
            Tok::Op(o) => match *o {
                "=" => (BP_CMP, Infix::Cmp(CmpOp::Eq), 1),
                "!=" => (BP_CMP, Infix::Cmp(CmpOp::Ne), 1),
                "<" => (BP_CMP, Infix::Cmp(CmpOp::Lt), 1),
                "<=" => (BP_CMP, Infix::Cmp(CmpOp::Le), 1),
                ">" => (BP_CMP, Infix::Cmp(CmpOp::Gt), 1),
                ">=" => (BP_CMP, Infix::Cmp(CmpOp::Ge), 1),
                "+" => (BP_ADD, Infix::Arith(ArithOp::Add), 1),
                "-" => (BP_ADD, Infix::Arith(ArithOp::Sub), 1),
                "*" => (BP_MUL, Infix::Arith(ArithOp::Mul), 1),
                "/" => (BP_MUL, Infix::Arith(ArithOp::Div), 1),
                "%" => (BP_MUL, Infix::Arith(ArithOp::Rem), 1),
                _ => return None,
            },
            Tok::Word(_) => {
                let w = self.word_at(0)?;
                let (neg, k) = if w == "not" { (true, 1) } else { (false, 0) };
                let w = if neg { self.word_at(1)? } else { w };
                let with = self.word_at(k + 1).as_deref() == Some("with");
                match w.as_str() {
                    "or" if !neg => (BP_OR, Infix::Or, 1),
                    "and" if !neg => (BP_AND, Infix::And, 1),
                    "in" => (BP_CMP, Infix::In(neg), k + 1),
                    "between" => (BP_CMP, Infix::Between(neg), k + 1),
                    "is" if !neg => (BP_CMP, Infix::Is, 1),
                    "contains" => (BP_CMP, Infix::Text(TextOp::Contains, neg), k + 1),
                    "starts" if with => (BP_CMP, Infix::Text(TextOp::StartsWith, neg), k + 2),
                    "ends" if with => (BP_CMP, Infix::Text(TextOp::EndsWith, neg), k + 2),
                    _ => return None,
                }
            }
            _ => return None,
        })
    }

    fn expr(&mut self, min_bp: u8) -> DResult<Expr> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(Diag::new(super::ast::too_deep_message(), self.peek().at));
        }
        let mut lhs = self.prefix()?;
        while let Some((bp, op, ntok)) = self.infix() {
            if bp < min_bp {
                break;
            }
            let op_at = self.peek().at;
            for _ in 0..ntok {
                self.bump();
            }
            lhs = self.infix_rest(lhs, op, op_at)?;
            if bp == BP_CMP {
                if let Some((BP_CMP, _, _)) = self.infix() {
                    return Err(Diag::new(
                        "comparisons cannot be chained (`a < b < c`): join them with `and`",
                        self.peek().at,
                    ));
                }
            }
        }
        self.depth -= 1;
        Ok(lhs)
    }

    fn infix_rest(&mut self, lhs: Expr, op: Infix, op_at: Span) -> DResult<Expr> {
        let b = |x: Expr| Box::new(x);
        match op {
            Infix::Or | Infix::And => {
                let rhs = self.expr(if matches!(op, Infix::Or) { BP_OR + 1 } else { BP_AND + 1 })?;
                let at = span(lhs.at, rhs.at);
                let is_or = matches!(op, Infix::Or);
                // Flatten chains into one n-ary node: `a and b and c` is one level, not two.
                let mut items = match lhs.kind {
                    Kind::Or(v) if is_or => v,
                    Kind::And(v) if !is_or => v,
                    other => vec![Expr { kind: other, at: lhs.at, depth: lhs.depth }],
                };
                items.push(rhs);
                Expr::node(if is_or { Kind::Or(items) } else { Kind::And(items) }, at)
            }
            Infix::Cmp(c) => {
                let rhs = self.expr(BP_CMP + 1)?;
                let at = span(lhs.at, rhs.at);
                Expr::node(Kind::Cmp(c, b(lhs), b(rhs)), at)
            }
            Infix::Arith(a) => {
                let rhs = self.expr(if matches!(a, ArithOp::Add | ArithOp::Sub) { BP_ADD + 1 } else { BP_MUL + 1 })?;
                let at = span(lhs.at, rhs.at);
                Expr::node(Kind::Arith(a, b(lhs), b(rhs)), at)
            }
            Infix::In(negated) => {
                let open = self.bump();
                if open.tok != Tok::LParen {
                    return Err(Diag::new("`in` takes a list in parentheses: x in ('a', 'b')", open.at));
                }
                let mut list = Vec::new();
                if self.peek().tok == Tok::RParen {
                    return Err(Diag::new("the list after `in` is empty", self.peek().at));
                }
                loop {
                    list.push(self.expr(BP_CMP + 1)?);
                    let t = self.bump();
                    match t.tok {
                        Tok::Comma => continue,
                        Tok::RParen => break,
                        _ => {
                            return Err(Diag::new(
                                format!("expected `,` or `)` in the `in` list, found {}", describe(&t.tok)),
                                t.at,
                            ))
                        }
                    }
                }
                let at = span(lhs.at, self.prev_end());
                Expr::node(Kind::In { expr: b(lhs), list, negated }, at)
            }
            Infix::Between(negated) => {
                let lo = self.expr(BP_CMP + 1)?;
                let t = self.bump();
                if !matches!(&t.tok, Tok::Word(w) if w.eq_ignore_ascii_case("and")) {
                    return Err(Diag::new(
                        format!("expected `and` in `between … and …`, found {}", describe(&t.tok)),
                        t.at,
                    ));
                }
                let hi = self.expr(BP_CMP + 1)?;
                let at = span(lhs.at, hi.at);
                Expr::node(Kind::Between { expr: b(lhs), lo: b(lo), hi: b(hi), negated }, at)
            }
            Infix::Is => {
                let mut negated = false;
                if self.word_at(0).as_deref() == Some("not") {
                    self.bump();
                    negated = true;
                }
                let t = self.bump();
                match self_word(&t.tok).as_deref() {
                    Some("missing") | Some("null") => {}
                    _ => {
                        return Err(Diag::new(
                            format!("expected `missing` after `is`, found {}", describe(&t.tok)),
                            span(op_at, t.at),
                        ))
                    }
                }
                let at = span(lhs.at, t.at);
                Expr::node(Kind::IsMissing { expr: b(lhs), negated }, at)
            }
            Infix::Text(op, negated) => {
                let pattern = self.expr(BP_CMP + 1)?;
                let at = span(lhs.at, pattern.at);
                Expr::node(Kind::Text { op, expr: b(lhs), pattern: b(pattern), negated }, at)
            }
        }
    }

    fn prefix(&mut self) -> DResult<Expr> {
        let t = self.bump();
        match t.tok {
            Tok::Num(v) => Ok(Expr::leaf(Kind::Num(v), t.at)),
            Tok::Str(s) => Ok(Expr::leaf(Kind::Str(s), t.at)),
            Tok::Quoted(name) => Ok(Expr::leaf(Kind::Column(name), t.at)),
            Tok::Op("-") => {
                let e = self.expr(BP_UNARY)?;
                let at = span(t.at, e.at);
                match e.kind {
                    Kind::Num(v) => Ok(Expr::leaf(Kind::Num(-v), at)),
                    _ => Expr::node(Kind::Neg(Box::new(e)), at),
                }
            }
            Tok::Op("+") => self.expr(BP_UNARY),
            Tok::LParen => {
                let e = self.expr(0)?;
                let close = self.bump();
                if close.tok != Tok::RParen {
                    let msg = match close.tok {
                        Tok::Eof => "`(` is never closed".to_string(),
                        other => format!("expected `)` to close the `(`, found {}", describe(&other)),
                    };
                    return Err(Diag::new(msg, if matches!(self.peek_at(0), Tok::Eof) { t.at } else { close.at }));
                }
                Ok(Expr { at: span(t.at, close.at), ..e })
            }
            Tok::Word(w) => {
                let lw = w.to_lowercase();
                if self.peek().tok == Tok::LParen && !RESERVED.contains(&lw.as_str()) {
                    return self.call(lw, t.at);
                }
                match lw.as_str() {
                    "true" => Ok(Expr::leaf(Kind::Bool(true), t.at)),
                    "false" => Ok(Expr::leaf(Kind::Bool(false), t.at)),
                    "not" => {
                        let e = self.expr(BP_NOT)?;
                        let at = span(t.at, e.at);
                        Expr::node(Kind::Not(Box::new(e)), at)
                    }
                    "null" | "missing" => Err(Diag::new(
                        format!("`{w}` is not a value: test for it with `x is missing` / `x is not missing`"),
                        t.at,
                    )),
                    r if RESERVED.contains(&r) => Err(Diag::new(format!("expected a value before `{w}`"), t.at)),
                    _ => Ok(Expr::leaf(Kind::Column(w), t.at)),
                }
            }
            Tok::Eof => Err(Diag::new("the expression ended early: expected a value", t.at)),
            other => Err(Diag::new(format!("expected a value, found {}", describe(&other)), t.at)),
        }
    }

    fn call(&mut self, name: String, at: Span) -> DResult<Expr> {
        self.bump(); // (
        let mut args = Vec::new();
        if self.peek().tok == Tok::RParen {
            self.bump();
        } else {
            loop {
                args.push(self.expr(0)?);
                let t = self.bump();
                match t.tok {
                    Tok::Comma => continue,
                    Tok::RParen => break,
                    Tok::Eof => return Err(Diag::new(format!("`{name}(` is never closed"), at)),
                    other => {
                        return Err(Diag::new(
                            format!("expected `,` or `)` after an argument of {name}, found {}", describe(&other)),
                            t.at,
                        ))
                    }
                }
            }
        }
        let at = span(at, self.prev_end());
        Expr::node(Kind::Call(name, args), at)
    }
}

fn self_word(t: &Tok) -> Option<String> {
    match t {
        Tok::Word(w) => Some(w.to_lowercase()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shape(e: &Expr) -> String {
        match &e.kind {
            Kind::Num(v) => format!("{v}"),
            Kind::Str(s) => format!("'{s}'"),
            Kind::Bool(b) => format!("{b}"),
            Kind::Column(c) => c.clone(),
            Kind::Call(n, a) => format!("{n}({})", a.iter().map(shape).collect::<Vec<_>>().join(",")),
            Kind::Neg(x) => format!("(-{})", shape(x)),
            Kind::Not(x) => format!("(not {})", shape(x)),
            Kind::Arith(o, a, b) => format!("({} {} {})", shape(a), o.symbol(), shape(b)),
            Kind::Cmp(o, a, b) => format!("({} {} {})", shape(a), o.symbol(), shape(b)),
            Kind::And(v) => format!("and[{}]", v.iter().map(shape).collect::<Vec<_>>().join(",")),
            Kind::Or(v) => format!("or[{}]", v.iter().map(shape).collect::<Vec<_>>().join(",")),
            Kind::In { expr, list, negated } => {
                format!("({} {}in {})", shape(expr), if *negated { "not " } else { "" }, list.len())
            }
            Kind::Between { expr, lo, hi, negated } => {
                format!("({} {}between {} {})", shape(expr), if *negated { "not " } else { "" }, shape(lo), shape(hi))
            }
            Kind::IsMissing { expr, negated } => {
                format!("({} is{} missing)", shape(expr), if *negated { " not" } else { "" })
            }
            Kind::Text { op, expr, pattern, negated } => {
                format!("({} {}{} {})", shape(expr), if *negated { "not " } else { "" }, op.word(), shape(pattern))
            }
        }
    }

    #[test]
    fn precedence() {
        let p = |s: &str| shape(&parse(s).unwrap());
        assert_eq!(p("a or b and not c = 1"), "or[a,and[b,(not (c = 1))]]");
        assert_eq!(p("a and b and c or d"), "or[and[a,b,c],d]");
        assert_eq!(p("1 + 2 * -x - 3 % 2"), "((1 + (2 * (-x))) - (3 % 2))");
        assert_eq!(p("x NOT BETWEEN 1 AND 2 and y"), "and[(x not between 1 2),y]");
        assert_eq!(p("x is NOT missing"), "(x is not missing)");
        assert_eq!(
            p("lower(s) Starts With 'a' or s not contains 'b'"),
            "or[(lower(s) starts with 'a'),(s not contains 'b')]"
        );
        assert_eq!(p("`客户 名` in (1, -2, 3)"), "(客户 名 in 3)");
        assert_eq!(p("客户 = '北京'"), "(客户 = '北京')");
        assert_eq!(p("-(3)"), "-3");
        assert_eq!(p("month() = 12"), "(month() = 12)");
        assert_eq!(p("not(a) or NOT (b)"), "or[(not a),(not b)]");
    }

    #[test]
    fn errors_point_at_the_problem() {
        let e = |s: &str| parse(s).unwrap_err();
        assert_eq!(e("a > 1 an b < 2").at.start, 6);
        assert!(e("a > 1 an b < 2").message.contains("did you mean `and`"), "{}", e("a > 1 an b < 2").message);
        assert_eq!(e("(a > 1").at.start, 0);
        assert_eq!(e("a > 1)").at.start, 5);
        assert!(e("a < b < c").message.contains("chained"));
        assert!(e("a = null").message.contains("is missing"));
        assert_eq!(e("a in ()").at.start, 6);
        assert_eq!(e("x between 1 or 2").at.start, 12);
        assert_eq!(e("a >").at.start, 3);
        assert!(e("").message.contains("ended early"));
    }

    #[test]
    fn deep_nesting_is_an_error_not_an_overflow() {
        let deep = "(".repeat(10_000) + "x" + &")".repeat(10_000);
        assert!(parse(&deep).unwrap_err().message.contains("nested"));
        let nots = "not ".repeat(10_000) + "x";
        assert!(parse(&nots).unwrap_err().message.contains("nested"));
        let chain = (0..5000).map(|i| format!("x{i}")).collect::<Vec<_>>().join(" + ");
        assert!(parse(&chain).unwrap_err().message.contains("nested"));
        let ok = "(".repeat(60) + "x" + &")".repeat(60);
        assert!(parse(&ok).is_ok());
        // Long and / or chains are one level.
        let ands = (0..3000).map(|i| format!("x{i} = 1")).collect::<Vec<_>>().join(" and ");
        assert_eq!(parse(&ands).unwrap().depth, 3);
    }
}
