//! Numbers and cells as text without `core::fmt`'s float machinery: the events' `reason`, the
//! keys of a non-integer key column, and the numbers named in messages. The text is what
//! `format!("{x}")` and [`crate::table::Value::to_text`] write (Rust's shortest round-trip
//! digits, never an exponent), made from `zmij`'s digits (the formatter serde_json already
//! links) and integers through `itoa`: several times faster than `fmt` (the default
//! `rules()` at 10^6 events: `reason` went from ~50 % to ~10 % over `reason: false`). It does not
//! take `fmt`'s float code out of the module: serde's error messages (`Unexpected::Float`,
//! reached through serde_json's) still link it.

use crate::table::{Column, ColumnData};

/// Appends `x` as `format!("{x}")` writes it.
pub fn push_float(out: &mut String, x: f64) {
    if x.is_finite() && x == x.trunc() && x.abs() < 1e15 {
        if x == 0.0 && x.is_sign_negative() {
            out.push_str("-0");
        } else {
            out.push_str(itoa::Buffer::new().format(x as i64));
        }
        return;
    }
    if !x.is_finite() {
        out.push_str(if x.is_nan() {
            "NaN"
        } else if x > 0.0 {
            "inf"
        } else {
            "-inf"
        });
        return;
    }
    let mut b = zmij::Buffer::new();
    let s = b.format_finite(x);
    let (neg, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    // zmij writes `12.34`, `0.001234`, `1234.0` or `1.234e33` / `1.234e-7`: its digits, and
    // where the decimal point falls in them.
    let (mant, exp) = match s.split_once('e') {
        Some((m, e)) => (m, e.parse::<i32>().unwrap_or(0)),
        None => (s, 0),
    };
    let (int, frac) = mant.split_once('.').unwrap_or((mant, ""));
    let mut digits = [0u8; 40];
    let mut n = 0;
    let mut point = int.len() as i32 + exp;
    for &d in int.as_bytes().iter().chain(frac.as_bytes()) {
        if n == 0 && d == b'0' {
            point -= 1; // a leading zero
        } else if n < digits.len() {
            digits[n] = d;
            n += 1;
        }
    }
    while n > 1 && digits[n - 1] == b'0' {
        n -= 1;
    }
    round_tie_up(x, &mut digits[..n], n as i32 - point);
    let digits = &digits[..n];
    fn text(d: &[u8]) -> &str {
        std::str::from_utf8(d).unwrap_or("")
    }
    if neg {
        out.push('-');
    }
    if point <= 0 {
        out.push_str("0.");
        (0..-point).for_each(|_| out.push('0'));
        out.push_str(text(digits));
    } else if point as usize >= n {
        out.push_str(text(digits));
        (n..point as usize).for_each(|_| out.push('0'));
    } else {
        out.push_str(text(&digits[..point as usize]));
        out.push('.');
        out.push_str(text(&digits[point as usize..]));
    }
}

/// Where `x` lies exactly halfway between two shortest candidates, zmij picks the even one and
/// `fmt` the one of larger magnitude: `digits` (zmij's, `frac` of them after the point) are
/// moved up to it. A tie needs `x` to have exactly `frac + 1` decimals (the last one a 5): at
/// most 27 of them for a shortest output of 17 digits, so the exact value fits a `u128`.
fn round_tie_up(x: f64, digits: &mut [u8], frac: i32) {
    let bits = x.to_bits();
    let (e, m) = (((bits >> 52) & 0x7ff) as i32, bits & ((1u64 << 52) - 1));
    let (mant, exp2) = if e == 0 { (m, -1074) } else { (m | (1u64 << 52), e - 1075) };
    let decimals = -(exp2 + mant.trailing_zeros() as i32); // x has exactly this many decimals
    if frac < 1 || decimals != frac + 1 || decimals > 27 || digits.len() > 19 {
        return;
    }
    let exact = (mant >> mant.trailing_zeros()) as u128 * 5u128.pow(decimals as u32);
    let shown = digits.iter().fold(0u128, |a, &d| a * 10 + (d - b'0') as u128);
    if let (true, Some(last)) = (shown * 10 + 5 == exact, digits.last_mut()) {
        *last += 1; // even, so no carry
    }
}

/// `x` as `format!("{x}")` writes it.
pub fn float_text(x: f64) -> String {
    let mut s = String::new();
    push_float(&mut s, x);
    s
}

/// Appends the text of row `row` of `c` as [`crate::table::Value::to_text`] writes it, without
/// allocating per value; false when the value is missing.
pub fn push_cell(out: &mut String, c: &Column, row: usize) -> bool {
    if !c.validity.is_valid(row) {
        return false;
    }
    match &c.data {
        ColumnData::Int64(v) => out.push_str(itoa::Buffer::new().format(v[row])),
        ColumnData::Float64(v) => push_float(out, v[row]),
        ColumnData::Bool(v) => out.push_str(if v[row] { "true" } else { "false" }),
        ColumnData::Date(v) => crate::table::date::push_date(out, v[row]),
        ColumnData::Datetime(v) => {
            crate::table::date::push_datetime(out, v[row]);
            if c.utc {
                out.push('Z');
            }
        }
        ColumnData::Category { codes, dict } => out.push_str(dict.get(codes[row] as usize).map_or("", String::as_str)),
        ColumnData::Text(s) => out.push_str(s.get(row)),
    }
    true
}

#[cfg(test)]
mod tests {
    use super::{float_text, push_cell};
    use crate::table::{Column, ColumnData, Value};

    /// Every kind of double: any bit pattern, money-like decimals, values spread over the
    /// decimal exponents, the edges.
    fn doubles(n: usize) -> Vec<f64> {
        let mut rng = crate::rng::Rng::new(0x18);
        let mut xs = vec![0.0, -0.0, 1.0, -1.0, 0.1, 0.2, 0.3, 1e15, 1e16, 1e-5, 1e-7, 123.456, f64::MAX, f64::MIN];
        xs.extend([f64::MIN_POSITIVE, f64::NAN, f64::INFINITY, f64::NEG_INFINITY, 5e-324, -5e-324]);
        xs.extend([999_999_999_999_999.0, 0.1 + 0.2, 1e21, 1e22, 1e23, 123e-20, 9007199254740993.0, 2f64.powi(63)]);
        // Halfway cases: a few binary decimals on numbers of 16-17 digits (zmij and fmt break
        // those ties differently), at every scale.
        for s in -30..20 {
            let big = 2f64.powi(52) * 2f64.powi(s);
            for f in [0.25, 0.5, 0.75, 0.125, 0.375, 0.625, 0.875, 0.0625, 0.3125] {
                for k in 0..40u32 {
                    let x = (2f64.powi(52) + f64::from(k * 7919) + f) * 2f64.powi(s);
                    xs.extend([x, -x, big + x, x / 3.0]);
                }
            }
        }
        for _ in 0..n {
            xs.push(f64::from_bits(rng.next_u64()));
            xs.push((rng.next_f64() * 1e6).round() / 100.0);
            xs.push((rng.next_f64() - 0.5) * 10f64.powi((rng.next_f64() * 40.0) as i32 - 20));
            xs.push(rng.next_f64() * 10f64.powi((rng.next_f64() * 600.0) as i32 - 300));
        }
        xs
    }

    #[test]
    fn float_text_is_what_fmt_writes() {
        for x in doubles(200_000) {
            assert_eq!(float_text(x), format!("{x}"), "{:016x}", x.to_bits());
        }
    }

    #[test]
    fn push_cell_is_to_text() {
        let xs = doubles(2_000);
        let mut v = crate::table::Validity::with_capacity(xs.len());
        (0..xs.len()).for_each(|i| v.push(i != 3));
        let c = Column::new("x", ColumnData::Float64(xs.clone()), v);
        let mut out = String::new();
        for (i, x) in xs.iter().enumerate() {
            out.clear();
            let present = push_cell(&mut out, &c, i);
            assert_eq!(present, i != 3);
            if present {
                assert_eq!(Some(out.clone()), Value::Float(*x).to_text());
            }
        }
    }
}
