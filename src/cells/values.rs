//! Reading one cell of text as a number, a boolean or a date.

use crate::table::date::{days_from_civil, is_valid_date, MS_PER_DAY};

/// Largest integer magnitude that survives the trip to a JS number exactly.
pub const MAX_SAFE_INT: i64 = (1 << 53) - 1;

/// A canonical integer: optional `-`, digits, no leading zero, within ±2^53.
/// Returns `Err(true)` for a well-formed integer that keeps identifier traits
/// (leading zero or beyond ±2^53), `Err(false)` for anything else.
#[inline]
pub fn parse_int(s: &str) -> Result<i64, bool> {
    let b = s.as_bytes();
    let digits = if b.first() == Some(&b'-') { &b[1..] } else { b };
    if digits.is_empty() || digits.len() > 19 || !digits.iter().all(u8::is_ascii_digit) {
        return Err(false);
    }
    if digits.len() > 1 && digits[0] == b'0' {
        return Err(true);
    }
    // 17 or more digits (no leading zero) are at least 10^16 > 2^53: an identifier. Up to 16
    // digits the sum cannot overflow, so no checked (in wasm32: 128-bit) multiplication.
    if digits.len() > 16 {
        return Err(true);
    }
    let v = decimal_value(digits);
    if v > MAX_SAFE_INT {
        return Err(true);
    }
    Ok(if b[0] == b'-' { -v } else { v })
}

/// The value of up to 16 ASCII digits (one out-of-line loop: inlined and unrolled at every
/// caller it would add kilobytes to the wasm).
#[inline(never)]
fn decimal_value(digits: &[u8]) -> i64 {
    digits.iter().fold(0i64, |v, &d| v * 10 + (d - b'0') as i64)
}

/// How a number was written, beyond plain digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NumberStyle {
    pub currency: bool,
    pub percent: bool,
    pub thousands: bool,
}

/// A decimal number: `1.5`, `-0.3`, `.5`, `1e-3`, `1,234.50`, `$12.00`, `¥8`, `12.5%`.
/// No `inf`/`nan` words.
pub fn parse_number(s: &str) -> Option<(f64, NumberStyle)> {
    if let Some(v) = plain_decimal(s) {
        return Some((v, NumberStyle::default()));
    }
    let mut style = NumberStyle::default();
    let mut t = s;
    let mut neg = false;
    if let Some(r) = t.strip_prefix('-') {
        neg = true;
        t = r;
    } else if let Some(r) = t.strip_prefix('+') {
        t = r;
    }
    for sym in ["$", "€", "£", "¥", "￥", "US$", "RMB", "CNY"] {
        if let Some(r) = t.strip_prefix(sym) {
            style.currency = true;
            t = r.trim_start();
            break;
        }
    }
    if let Some(r) = t.strip_suffix('%') {
        style.percent = true;
        t = r;
    }
    if !neg {
        if let Some(r) = t.strip_prefix('-') {
            neg = true;
            t = r;
        }
    }
    let b = t.as_bytes();
    if b.is_empty()
        || !b.iter().any(u8::is_ascii_digit)
        || !b.iter().all(|c| c.is_ascii_digit() || matches!(c, b'.' | b'e' | b'E' | b'+' | b'-' | b','))
    {
        return None;
    }
    if !b[0].is_ascii_digit() && b[0] != b'.' {
        return None;
    }
    let v: f64 = if b.contains(&b',') {
        // Only well-formed thousands grouping: 1,234 or 12,345,678.90
        let (int_part, frac) = match t.find('.') {
            Some(p) => (&t[..p], &t[p..]),
            None => (t, ""),
        };
        let groups: Vec<&str> = int_part.split(',').collect();
        if groups[0].is_empty() || groups[0].len() > 3 || groups[1..].iter().any(|g| g.len() != 3) {
            return None;
        }
        style.thousands = true;
        let plain: String = groups.concat() + frac;
        plain.parse().ok()?
    } else {
        t.parse().ok()?
    };
    if !v.is_finite() {
        return None;
    }
    Some((if neg { -v } else { v }, style))
}

/// Fast path for the common `-?digits[.digits]` with at most 15 digits: the digits as an
/// integer (exact below 2^53) divided by an exact power of ten (≤ 10^22) is the correctly
/// rounded value (Clinger 1990), the same as `str::parse::<f64>`. `None` for anything else.
#[inline]
fn plain_decimal(s: &str) -> Option<f64> {
    const POW10: [f64; 16] = [1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
    let b = s.as_bytes();
    let (neg, digits) = match b.first() {
        Some(b'-') => (true, &b[1..]),
        _ => (false, b),
    };
    if digits.is_empty() || digits.len() > 16 {
        return None;
    }
    let (mut mant, mut count, mut frac, mut dot) = (0u64, 0usize, 0usize, false);
    for &c in digits {
        match c {
            b'0'..=b'9' => {
                mant = mant * 10 + (c - b'0') as u64;
                count += 1;
                frac += dot as usize;
            }
            b'.' if !dot => dot = true,
            _ => return None,
        }
    }
    // "5." and ".5" are left to the general path (same value, but keep one definition).
    if count == 0 || count > 15 || digits[0] == b'.' || digits[digits.len() - 1] == b'.' {
        return None;
    }
    let v = mant as f64 / POW10[frac];
    Some(if neg { -v } else { v })
}

/// `true/false`, `yes/no`, `y/n`, `t/f` in any case.
#[inline]
pub fn parse_bool(s: &str) -> Option<bool> {
    if s.len() > 5 {
        return None;
    }
    const TRUE: [&str; 4] = ["true", "yes", "y", "t"];
    const FALSE: [&str; 4] = ["false", "no", "n", "f"];
    if TRUE.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(true)
    } else if FALSE.iter().any(|t| s.eq_ignore_ascii_case(t)) {
        Some(false)
    } else {
        None
    }
}

/// The shape of a date, before day/month order is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DateShape {
    /// year first: `2024-12-31`, `2024/12/31`, `20241231`.
    Ymd { y: i32, m: u32, d: u32, compact: bool },
    /// `a/b/yyyy` with a, b ≤ 31: day-first or month-first.
    Ab { a: u32, b: u32, y: i32 },
    /// `31-OCT-2023`, `01-Jan-1995`.
    DMonY { y: i32, m: u32, d: u32 },
}

/// A parsed date/time cell: the date shape, the separator used, and the time of day in
/// milliseconds (plus the UTC offset in minutes when one was written).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateCell {
    pub shape: DateShape,
    pub sep: u8,
    pub time_ms: Option<i64>,
    pub offset_min: Option<i32>,
    pub seconds: bool,
}

const MONTHS: [&str; 12] = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

#[inline]
fn num(s: &str, min_len: usize, max_len: usize) -> Option<u32> {
    if s.len() < min_len || s.len() > max_len {
        return None;
    }
    s.bytes().try_fold(0u32, |acc, c| c.is_ascii_digit().then(|| acc * 10 + (c - b'0') as u32))
}

/// Parses a date or date-time cell. Validity of day-of-month is checked later, once the
/// day/month order of the column is known.
pub fn parse_date_cell(s: &str) -> Option<DateCell> {
    let s = s.trim();
    if let Some(c) = parse_iso_fast(s.as_bytes()) {
        return Some(c);
    }
    if s.len() < 6 || s.len() > 40 || !s.as_bytes()[0].is_ascii_digit() {
        return None;
    }
    let b = s.as_bytes();
    let split = (1..b.len()).find(|&i| {
        b[i] == b' ' || (b[i] == b'T' && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit))
    });
    let (date_part, time_part) = match split {
        Some(p) => (&s[..p], Some(s[p + 1..].trim_start())),
        None => (s, None),
    };
    let (shape, sep) = parse_date_part(date_part)?;
    let (time_ms, offset_min, seconds) = match time_part {
        None => (None, None, false),
        Some(t) => {
            let (ms, off, secs) = parse_time(t)?;
            (Some(ms), off, secs)
        }
    };
    Some(DateCell { shape, sep, time_ms, offset_min, seconds })
}

#[inline]
fn d2(b: &[u8], i: usize) -> Option<u32> {
    let (x, y) = (b.get(i)?.wrapping_sub(b'0'), b.get(i + 1)?.wrapping_sub(b'0'));
    (x < 10 && y < 10).then_some(x as u32 * 10 + y as u32)
}

/// The common machine-written forms, without splitting: `YYYY-MM-DD`, optionally followed
/// by ` HH:MM` / `THH:MM:SS` (no fraction, no offset). Anything else goes the general way.
#[inline]
fn parse_iso_fast(b: &[u8]) -> Option<DateCell> {
    if !(b.len() == 10 || b.len() == 16 || b.len() == 19) {
        return None;
    }
    let sep = b[4];
    if !matches!(sep, b'-' | b'/' | b'.') || b[7] != sep {
        return None;
    }
    let y = d2(b, 0)? * 100 + d2(b, 2)?;
    let (m, d) = (d2(b, 5)?, d2(b, 8)?);
    if !is_valid_date(y as i32, m, d) {
        return None;
    }
    let shape = DateShape::Ymd { y: y as i32, m, d, compact: false };
    if b.len() == 10 {
        return Some(DateCell { shape, sep, time_ms: None, offset_min: None, seconds: false });
    }
    if !matches!(b[10], b' ' | b'T') || b[13] != b':' {
        return None;
    }
    let (h, mi) = (d2(b, 11)?, d2(b, 14)?);
    let (sec, seconds) = if b.len() == 19 {
        if b[16] != b':' {
            return None;
        }
        (d2(b, 17)?, true)
    } else {
        (0, false)
    };
    if h > 23 || mi > 59 || sec > 60 {
        return None;
    }
    let time_ms = (((h * 60 + mi) * 60 + sec) as i64) * 1000;
    Some(DateCell { shape, sep, time_ms: Some(time_ms), offset_min: None, seconds })
}

fn parse_date_part(s: &str) -> Option<(DateShape, u8)> {
    if s.len() == 8 && s.bytes().all(|c| c.is_ascii_digit()) {
        let y = num(&s[..4], 4, 4)? as i32;
        let (m, d) = (num(&s[4..6], 2, 2)?, num(&s[6..], 2, 2)?);
        if !(1900..=2100).contains(&y) || !is_valid_date(y, m, d) {
            return None;
        }
        return Some((DateShape::Ymd { y, m, d, compact: true }, 0));
    }
    let sep = *s.as_bytes().iter().find(|c| matches!(c, b'-' | b'/' | b'.'))?;
    // Three parts split at byte positions: no Vec per cell, and no out-of-line `str::split`
    // iterator (this runs once per date cell of a load).
    let i = s.bytes().position(|c| c == sep)?;
    let j = i + 1 + s.as_bytes()[i + 1..].iter().position(|&c| c == sep)?;
    if s.as_bytes()[j + 1..].contains(&sep) {
        return None;
    }
    let parts = [&s[..i], &s[i + 1..j], &s[j + 1..]];
    if parts[0].len() == 4 {
        let y = num(parts[0], 4, 4)? as i32;
        let (m, d) = (num(parts[1], 1, 2)?, num(parts[2], 1, 2)?);
        return is_valid_date(y, m, d).then_some((DateShape::Ymd { y, m, d, compact: false }, sep));
    }
    let y = num(parts[2], 4, 4)? as i32;
    if let Some(m) = MONTHS.iter().position(|mo| parts[1].len() == 3 && parts[1].eq_ignore_ascii_case(mo)) {
        let d = num(parts[0], 1, 2)?;
        let m = m as u32 + 1;
        return is_valid_date(y, m, d).then_some((DateShape::DMonY { y, m, d }, sep));
    }
    let (a, b) = (num(parts[0], 1, 2)?, num(parts[1], 1, 2)?);
    if a == 0 || b == 0 || a > 31 || b > 31 || (a > 12 && b > 12) {
        return None;
    }
    Some((DateShape::Ab { a, b, y }, sep))
}

/// `HH:MM[:SS[.fff]]` with optional `Z` or `±HH:MM` / `±HHMM`.
#[inline(always)]
fn parse_time(t: &str) -> Option<(i64, Option<i32>, bool)> {
    let (clock, offset) = if let Some(c) = t.strip_suffix('Z') {
        (c, Some(0))
    } else if let Some(p) = t.rfind(['+', '-']).filter(|&p| p >= 4) {
        let o = t[p + 1..].replace(':', "");
        let (h, m) = (num(o.get(..2)?, 2, 2)? as i32, num(o.get(2..)?, 2, 2)? as i32);
        let sign = if t.as_bytes()[p] == b'-' { -1 } else { 1 };
        (&t[..p], Some(sign * (h * 60 + m)))
    } else {
        (t, None)
    };
    // `hh:mm` or `hh:mm:ss[.fff]`, split at byte positions (a `str::split` iterator is an
    // out-of-line call per piece at opt-level "s", and this runs once per date-time cell).
    let b = clock.as_bytes();
    let c1 = b.iter().position(|&x| x == b':')?;
    let rest = &b[c1 + 1..];
    let (hh, mm, ss) = match rest.iter().position(|&x| x == b':') {
        None => (&clock[..c1], &clock[c1 + 1..], None),
        Some(c2) => {
            let s = &clock[c1 + 2 + c2..];
            if s.as_bytes().contains(&b':') {
                return None;
            }
            (&clock[..c1], &clock[c1 + 1..c1 + 1 + c2], Some(s))
        }
    };
    let h = num(hh, 1, 2)? as i64;
    let mi = num(mm, 2, 2)? as i64;
    let (s, ms) = match ss {
        None => (0, 0),
        Some(sec) => {
            let (whole, frac) = match sec.find('.') {
                Some(p) => (&sec[..p], &sec[p + 1..]),
                None => (sec, ""),
            };
            let s = num(whole, 2, 2)? as i64;
            let ms = if frac.is_empty() {
                0
            } else {
                let f = num(frac, 1, 9)?;
                (f as f64 / 10f64.powi(frac.len() as i32) * 1000.0).round() as i64
            };
            (s, ms)
        }
    };
    if h > 23 || mi > 59 || s > 60 {
        return None;
    }
    Some((((h * 60 + mi) * 60 + s) * 1000 + ms, offset, ss.is_some()))
}

/// Resolves a cell to (days, ms-of-day-adjusted-to-UTC) given the column's day/month
/// order (`day_first` only matters for `Ab` shapes). `None` when the date is invalid.
pub fn resolve(cell: &DateCell, day_first: bool) -> Option<i64> {
    let (y, m, d) = match cell.shape {
        DateShape::Ymd { y, m, d, .. } | DateShape::DMonY { y, m, d } => (y, m, d),
        DateShape::Ab { a, b, y } => {
            if day_first {
                (y, b, a)
            } else {
                (y, a, b)
            }
        }
    };
    if !is_valid_date(y, m, d) {
        return None;
    }
    let ms = days_from_civil(y, m, d) as i64 * MS_PER_DAY + cell.time_ms.unwrap_or(0)
        - cell.offset_min.unwrap_or(0) as i64 * 60_000;
    Some(ms)
}

/// A year-first date (`YYYY-MM-DD`, `YYYY/MM/DD`, `YYYYMMDD`, optionally with a time) or a
/// `DD-MON-YYYY` date, as days since 1970-01-01 (UTC when an offset is given). Forms whose
/// day/month order is ambiguous (`03/04/2024`) are `None`: one cell cannot decide them.
pub fn parse_day(s: &str) -> Option<i32> {
    let c = parse_date_cell(s)?;
    if matches!(c.shape, DateShape::Ab { .. }) {
        return None;
    }
    resolve(&c, false).map(|ms| ms.div_euclid(MS_PER_DAY) as i32)
}

#[cfg(test)]
mod fast_path_tests {
    use super::*;

    #[test]
    fn plain_decimals_equal_the_standard_parser() {
        // Deterministic pseudo-random digit strings of every shape the fast path takes.
        let mut state = 0x9e37_79b9_7f4a_7c15_u64;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        for _ in 0..200_000 {
            let len = 1 + (next() % 15) as usize;
            let mut t: String = (0..len).map(|_| char::from(b'0' + (next() % 10) as u8)).collect();
            let dot = (next() % (len as u64 + 1)) as usize;
            if dot > 0 && dot < len {
                t.insert(dot, '.');
            }
            if next() % 3 == 0 {
                t.insert(0, '-');
            }
            let want: f64 = t.parse().unwrap();
            assert_eq!(plain_decimal(&t).map(f64::to_bits), Some(want.to_bits()), "{t}");
            assert_eq!(parse_number(&t).unwrap().0.to_bits(), want.to_bits(), "{t}");
        }
        for t in ["", "-", ".", "5.", ".5", "1.2.3", "1e5", "+1", "1,000", "1234567890123456", "--1", "0x10"] {
            assert_eq!(plain_decimal(t), None, "{t}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integers_keep_identifier_traits() {
        assert_eq!(parse_int("17850"), Ok(17850));
        assert_eq!(parse_int("-12"), Ok(-12));
        assert_eq!(parse_int("0"), Ok(0));
        assert_eq!(parse_int("00001"), Err(true));
        assert_eq!(parse_int("9007199254740993"), Err(true));
        assert_eq!(parse_int("99999999999999999999"), Err(false));
        assert_eq!(parse_int("1.5"), Err(false));
        assert_eq!(parse_int("-"), Err(false));
    }

    #[test]
    fn numbers_with_styles() {
        assert_eq!(parse_number("29.85").unwrap().0, 29.85);
        assert_eq!(parse_number(".5").unwrap().0, 0.5);
        assert_eq!(parse_number("1e-3").unwrap().0, 0.001);
        let (v, st) = parse_number("$1,234.50").unwrap();
        assert_eq!(v, 1234.5);
        assert!(st.currency && st.thousands);
        let (v, st) = parse_number("-12.5%").unwrap();
        assert_eq!(v, -12.5);
        assert!(st.percent);
        assert_eq!(parse_number("¥8").unwrap().0, 8.0);
        for bad in ["inf", "NaN", "1,23", "e5", "1.2.3", "12a", "", "$", "1e999"] {
            assert!(parse_number(bad).is_none(), "{bad}");
        }
    }

    #[test]
    fn dates_and_times() {
        let c = parse_date_cell("1/12/2010 8:26").unwrap();
        assert_eq!(c.shape, DateShape::Ab { a: 1, b: 12, y: 2010 });
        assert_eq!(c.time_ms, Some((8 * 60 + 26) * 60_000));
        assert_eq!(resolve(&c, true).unwrap() / MS_PER_DAY, days_from_civil(2010, 12, 1) as i64);
        assert!(matches!(
            parse_date_cell("19970101").unwrap().shape,
            DateShape::Ymd { y: 1997, m: 1, d: 1, compact: true }
        ));
        assert!(parse_date_cell("19971301").is_none());
        assert!(matches!(parse_date_cell("31-OCT-2023").unwrap().shape, DateShape::DMonY { y: 2023, m: 10, d: 31 }));
        assert!(matches!(parse_date_cell("2024/12/12").unwrap().shape, DateShape::Ymd { y: 2024, m: 12, d: 12, .. }));
        let c = parse_date_cell("2024-03-01T10:00:00+08:00").unwrap();
        assert_eq!(c.offset_min, Some(480));
        assert_eq!(resolve(&c, false).unwrap(), days_from_civil(2024, 3, 1) as i64 * MS_PER_DAY + 2 * 3_600_000);
        assert!(parse_date_cell("2024-02-30").is_none());
        let fast = parse_date_cell("2024-03-01 10:05:09").unwrap();
        assert_eq!((fast.time_ms, fast.seconds), (Some(((10 * 60 + 5) * 60 + 9) * 1000), true));
        assert_eq!(parse_date_cell("2024-03-01T10:05").unwrap().time_ms, Some((10 * 60 + 5) * 60_000));
        assert!(parse_date_cell("2024-03-01 25:05").is_none());
        assert!(parse_date_cell("12345").is_none());
        assert!(parse_date_cell("7590-VHVEG").is_none());
        assert!(parse_date_cell("+86 138-0013-8000").is_none());
    }
}
