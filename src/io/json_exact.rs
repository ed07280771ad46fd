//! Exact JSON numbers without serde_json's `float_roundtrip` (which would add ~10 KB of wasm
//! to each module that parses JSON).
//!
//! Without that feature serde_json turns a decimal with more than 15 significant digits, or
//! one with an exponent, into an `f64` by multiplying by powers of ten, which can land one
//! unit in the last place off (`0.30000000000000004`, `1.7976931348623157e308`). Rust's
//! `str::parse::<f64>` is exact and already linked, so: [`mark`] rewrites each such number
//! token of the text as a string holding a marker and the token (`"\u0001<token>"`), serde
//! reads the text as usual, and the reader turns marked strings back into numbers, exactly
//! ([`marked`] gives the token's text, [`unmark`] fixes a whole `Value`).
//!
//! A text that already holds the marker's escape (`\u0001`, in any case) is left as it is
//! (read as before, last bit and all), so a real string can never be taken for a number.
//! Tokens whose exact value is not finite are left too: serde reports them as before.

use std::borrow::Cow;

use serde_json::{Number, Value};

/// The first character of a marked string.
const MARK: char = '\u{1}';

/// Whether serde_json's own reading of `token` can be inexact: more than 15 digits before
/// the exponent, or an exponent. (With ≤ 15 digits and no exponent, the significand is below
/// 2^53 and the power of ten at most 10^15: one correctly rounded division.)
fn inexact(token: &[u8]) -> bool {
    let mut digits = 0;
    for &b in token {
        match b {
            b'0'..=b'9' => digits += 1,
            b'e' | b'E' => return true,
            _ => {}
        }
    }
    digits > 15
}

/// `text` with every number token that serde_json might read inexactly written as a marked
/// string; borrowed when there is none (or when the text holds the marker's escape).
pub fn mark(text: &str) -> Cow<'_, str> {
    let b = text.as_bytes();
    let mut out: Option<String> = None;
    let mut copied = 0; // bytes of `text` already in `out`
    let mut in_string = false;
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if in_string {
            match c {
                b'\\' => {
                    if b.get(i + 1) == Some(&b'u')
                        && b.get(i + 2..i + 6).is_some_and(|h| h.eq_ignore_ascii_case(b"0001"))
                    {
                        return Cow::Borrowed(text);
                    }
                    i += 1; // the escaped character
                }
                b'"' => in_string = false,
                _ => {}
            }
            i += 1;
            continue;
        }
        if c == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if c != b'-' && !c.is_ascii_digit() {
            i += 1;
            continue;
        }
        let start = i;
        while i < b.len() && matches!(b[i], b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E') {
            i += 1;
        }
        let token = &text[start..i];
        if inexact(token.as_bytes()) && token.parse::<f64>().is_ok_and(f64::is_finite) {
            let o = out.get_or_insert_with(|| String::with_capacity(text.len() + 64));
            o.push_str(&text[copied..start]);
            o.push_str("\"\\u0001");
            o.push_str(token);
            o.push('"');
            copied = i;
        }
    }
    match out {
        Some(mut o) => {
            o.push_str(&text[copied..]);
            Cow::Owned(o)
        }
        None => Cow::Borrowed(text),
    }
}

/// The number token of a string that [`mark`] made, or `None` for any other string.
pub fn marked(s: &str) -> Option<&str> {
    s.strip_prefix(MARK)
}

/// The value of a number token, as serde_json would hold it, exactly.
fn number(token: &str) -> Option<Number> {
    if let Ok(u) = token.parse::<u64>() {
        return Some(u.into());
    }
    if let Ok(i) = token.parse::<i64>() {
        return Some(i.into());
    }
    token.parse::<f64>().ok().and_then(Number::from_f64)
}

/// Turns every marked string inside `v` back into its number (serde_json's depth limit
/// bounds the recursion).
pub fn unmark(v: &mut Value) {
    match v {
        Value::String(s) => {
            if let Some(n) = marked(s).and_then(number) {
                *v = Value::Number(n);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(unmark),
        Value::Object(map) => map.values_mut().for_each(unmark),
        _ => {}
    }
}

/// `serde_json::from_str::<Value>` with numbers read exactly.
pub fn value_from_str(text: &str) -> serde_json::Result<Value> {
    let marked_text = mark(text);
    let mut v: Value = match serde_json::from_str(&marked_text) {
        Ok(v) => v,
        // The error's column must point into the user's text, not the marked one (each marked
        // token is 8 bytes longer): the same syntax error comes from reading the text as it is.
        Err(e) if matches!(marked_text, Cow::Owned(_)) => {
            return Err(serde_json::from_str::<serde::de::IgnoredAny>(text).err().unwrap_or(e))
        }
        Err(e) => return Err(e),
    };
    if let Cow::Owned(_) = marked_text {
        unmark(&mut v);
    }
    Ok(v)
}

/// The column in the user's text of a (1-based) `column` on `line` of `marked` = [`mark`]`(text)`:
/// each marked token before it adds `"\u0001` before the token and `"` after.
pub fn original_column(marked: &str, line: usize, column: usize) -> usize {
    let Some(l) = marked.split('\n').nth(line.saturating_sub(1)) else { return column };
    let b = l.as_bytes();
    let end = column.min(b.len());
    let (mut shift, mut i) = (0, 0);
    while i < end {
        if b[i..].starts_with(b"\"\\u0001") {
            match b[i + 7..].iter().position(|&c| c == b'"') {
                Some(q) if i + 7 + q < end => {
                    shift += 8;
                    i += 8 + q;
                }
                // Inside a marked token: its start.
                _ => return i + 1 - shift,
            }
        } else {
            i += 1;
        }
    }
    column.saturating_sub(shift).max(1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn f(text: &str) -> f64 {
        value_from_str(text).unwrap().as_f64().unwrap()
    }

    #[test]
    fn long_and_exponent_numbers_are_exact() {
        for t in [
            "0.30000000000000004",
            "5e-324",
            "1.7976931348623157e308",
            "2.2250738585072014e-308",
            "-0.1234567890123456789",
            "123456789012345678901234567890",
            "9007199254740993",
            "1E+5",
        ] {
            assert_eq!(f(t).to_bits(), t.parse::<f64>().unwrap().to_bits(), "{t}");
        }
        // Integers keep serde's kinds.
        assert_eq!(value_from_str("18446744073709551615").unwrap().as_u64(), Some(u64::MAX));
        assert_eq!(value_from_str("-9223372036854775808").unwrap().as_i64(), Some(i64::MIN));
    }

    #[test]
    fn strings_and_structure_are_untouched() {
        let text = r#"{"a":[1.2345678901234567,"1.2345678901234567e5",{"b":-1e-7}],"c\"":"x\\"}"#;
        let m = mark(text);
        assert_eq!(m, r#"{"a":["\u00011.2345678901234567","1.2345678901234567e5",{"b":"\u0001-1e-7"}],"c\"":"x\\"}"#);
        let v = value_from_str(text).unwrap();
        assert_eq!(v["a"][0].as_f64().unwrap().to_bits(), 1.2345678901234567f64.to_bits());
        assert_eq!(v["a"][1], "1.2345678901234567e5");
        assert_eq!(v["a"][2]["b"].as_f64().unwrap().to_bits(), (-1e-7f64).to_bits());
        // Short numbers: the text is borrowed as it is.
        assert!(matches!(mark(r#"[1, 2.5, -0.125, "9e9"]"#), Cow::Borrowed(_)));
    }

    #[test]
    fn marker_escape_and_out_of_range_are_left_to_serde() {
        let text = r#"["\u0001x", 0.30000000000000004]"#;
        assert!(matches!(mark(text), Cow::Borrowed(_)));
        assert_eq!(value_from_str(text).unwrap()[0], "\u{1}x");
        assert!(value_from_str("[1e400]").is_err());
    }

    #[test]
    fn errors_point_into_the_users_text() {
        // The syntax error after two long numbers: column 47 of the text as given.
        let text = r#"[1.2345678901234567, 2.2345678901234567, 3.5, ]"#;
        let e = value_from_str(text).unwrap_err();
        assert_eq!((e.line(), e.column()), (1, 47), "{e}");
        let plain = serde_json::from_str::<Value>(text).unwrap_err();
        assert_eq!(e.column(), plain.column());
        let m = mark(text);
        let col = m.find("3.5").unwrap() + 1;
        assert_eq!(original_column(&m, 1, col), text.find("3.5").unwrap() + 1);
        assert_eq!(original_column(&m, 1, 3), 2, "inside the first marked token: its start");
    }
}
