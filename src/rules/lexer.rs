//! Tokens of the expression language, with their byte spans.

use super::ast::Span;

#[derive(Debug, Clone, PartialEq)]
pub enum Tok {
    Num(f64),
    /// `'text'` or `"text"` (a quote inside is doubled: `'O''Brien'`).
    Str(String),
    /// A bare word: a column, a function, or a keyword (decided by the parser).
    Word(String),
    /// A `` `quoted` `` column name (a backtick inside is doubled).
    Quoted(String),
    LParen,
    RParen,
    Comma,
    /// `= == != <> < <= > >= + - * / %`
    Op(&'static str),
    Eof,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Token {
    pub tok: Tok,
    pub at: Span,
}

/// A lexing error: message and byte offset.
pub type LexError = (String, usize);

fn is_word_start(c: char) -> bool {
    c == '_' || c.is_alphabetic()
}
fn is_word_char(c: char) -> bool {
    c == '_' || c.is_alphanumeric()
}

/// Splits `src` into tokens (the last one is `Eof`).
pub fn lex(src: &str) -> Result<Vec<Token>, LexError> {
    let b = src.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = match src[i..].chars().next() {
            Some(c) => c,
            None => break,
        };
        if c.is_whitespace() {
            i += c.len_utf8();
            continue;
        }
        let start = i;
        let tok = match c {
            '(' => {
                i += 1;
                Tok::LParen
            }
            ')' => {
                i += 1;
                Tok::RParen
            }
            ',' => {
                i += 1;
                Tok::Comma
            }
            '\'' | '"' | '`' => {
                let (text, end) = quoted(src, i, c)?;
                i = end;
                if c == '`' {
                    if text.is_empty() {
                        return Err(("empty column name ``".into(), start));
                    }
                    Tok::Quoted(text)
                } else {
                    Tok::Str(text)
                }
            }
            '0'..='9' | '.' => {
                let (v, end) = number(src, i)?;
                i = end;
                Tok::Num(v)
            }
            c if is_word_start(c) => {
                let end = src[i..].char_indices().find(|&(_, c)| !is_word_char(c)).map_or(src.len(), |(k, _)| i + k);
                let w = src[i..end].to_string();
                i = end;
                Tok::Word(w)
            }
            _ => {
                let two = src.get(i..i + 2).unwrap_or("");
                let op: &'static str = match two {
                    "==" => "=",
                    "!=" | "<>" => "!=",
                    "<=" => "<=",
                    ">=" => ">=",
                    _ => match c {
                        '=' => "=",
                        '<' => "<",
                        '>' => ">",
                        '+' => "+",
                        '-' => "-",
                        '*' => "*",
                        '/' => "/",
                        '%' => "%",
                        '!' => {
                            return Err(("`!` alone is not an operator: write `not`, or `!=` for not equal".into(), i))
                        }
                        '&' => return Err(("write `and` instead of `&` / `&&`".into(), i)),
                        '|' => return Err(("write `or` instead of `|` / `||`".into(), i)),
                        _ => return Err((format!("unexpected character {c:?}"), i)),
                    },
                };
                i += if matches!(two, "==" | "!=" | "<>" | "<=" | ">=") { 2 } else { 1 };
                Tok::Op(op)
            }
        };
        out.push(Token { tok, at: Span { start: start as u32, end: i as u32 } });
    }
    out.push(Token { tok: Tok::Eof, at: Span { start: src.len() as u32, end: src.len() as u32 } });
    Ok(out)
}

/// A quoted run starting at `start` (the quote character `q`): its text and the byte after it.
fn quoted(src: &str, start: usize, q: char) -> Result<(String, usize), LexError> {
    let mut text = String::new();
    let mut it = src[start + 1..].char_indices().peekable();
    while let Some((k, c)) = it.next() {
        if c == q {
            if it.peek().map(|&(_, n)| n) == Some(q) {
                text.push(q);
                it.next();
                continue;
            }
            return Ok((text, start + 1 + k + 1));
        }
        text.push(c);
    }
    let what = if q == '`' { "column name" } else { "text" };
    Err((format!("{what} opened with {q} is never closed"), start))
}

/// A number literal: digits with an optional fraction and exponent.
fn number(src: &str, start: usize) -> Result<(f64, usize), LexError> {
    let b = src.as_bytes();
    let mut i = start;
    let digits = |i: &mut usize| {
        let s = *i;
        while *i < b.len() && b[*i].is_ascii_digit() {
            *i += 1;
        }
        *i - s
    };
    let mut n = digits(&mut i);
    if i < b.len() && b[i] == b'.' {
        i += 1;
        n += digits(&mut i);
    }
    if n == 0 {
        return Err(("expected a number".into(), start));
    }
    if i < b.len() && (b[i] == b'e' || b[i] == b'E') {
        let mut j = i + 1;
        if j < b.len() && (b[j] == b'+' || b[j] == b'-') {
            j += 1;
        }
        if digits(&mut j) > 0 {
            i = j;
        }
    }
    if let Some(c) = src[i..].chars().next() {
        if is_word_char(c) || c == '.' {
            return Err((format!("a number cannot be followed by {c:?} (quote text and column names)"), start));
        }
    }
    let v: f64 = src[start..i].parse().map_err(|_| ("not a number".to_string(), start))?;
    if !v.is_finite() {
        return Err(("number out of range".into(), start));
    }
    Ok((v, i))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(s: &str) -> Vec<Tok> {
        lex(s).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn tokens_and_spans() {
        assert_eq!(
            toks("a>=1.5e2 and `月 消费`<>'O''Brien'"),
            vec![
                Tok::Word("a".into()),
                Tok::Op(">="),
                Tok::Num(150.0),
                Tok::Word("and".into()),
                Tok::Quoted("月 消费".into()),
                Tok::Op("!="),
                Tok::Str("O'Brien".into()),
                Tok::Eof
            ]
        );
        let t = lex("x == \"y\"").unwrap();
        assert_eq!(t[1].at, Span { start: 2, end: 4 });
        assert_eq!(t[2].at, Span { start: 5, end: 8 });
        assert_eq!(toks(".5"), vec![Tok::Num(0.5), Tok::Eof]);
    }

    #[test]
    fn errors_carry_offsets() {
        assert_eq!(lex("a = 'open").unwrap_err().1, 4);
        assert_eq!(lex("a = 10d").unwrap_err().1, 4);
        assert_eq!(lex("a = 1e999").unwrap_err().0, "number out of range");
        assert_eq!(lex("a && b").unwrap_err().1, 2);
        assert!(lex("a = ``").is_err());
        assert_eq!(lex("1.2.3").unwrap_err().1, 0);
    }
}
