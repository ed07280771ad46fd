//! Cells written the way people and regional software write them (files issue 21 item 2):
//! decimal comma, thousands grouping with `.`, space or `'`, currency symbols and codes
//! before or after, accounting negatives, percent; dates with AM/PM, English month names,
//! Chinese 年月日 and two-digit years. A column decides its conventions once, from a
//! sample (see `io::locale`); these functions then read one cell under them.

/// How the numbers of a column are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NumberLocale {
    /// `b'.'` or `b','`.
    pub decimal: u8,
    /// The grouping character, if any: `,` `.` space (also U+00A0 / U+202F) or `'`.
    pub thousands: Option<char>,
}

/// Currency symbols and codes, longest first (so `US$` wins over `$`).
pub const CURRENCIES: &[&str] =
    &["US$", "USD", "EUR", "GBP", "CNY", "RMB", "JPY", "CHF", "$", "€", "£", "￥", "¥", "元"];

/// What a number cell carried besides its digits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Marks<'a> {
    pub currency: Option<&'a str>,
    pub percent: bool,
    pub accounting: bool,
    pub grouped: bool,
}

/// Strips the decorations of a number: sign, parentheses, currency before/after, percent.
/// Returns the core (digits and separators), whether it is negative, and the marks.
#[inline(never)]
pub fn strip_number(s: &str) -> Option<(&str, bool, Marks<'_>)> {
    let mut t = s.trim();
    let mut marks = Marks::default();
    let mut neg = false;
    // Parentheses, signs and a currency, in any order: `(USD 5)`, `USD (5)`, `-$5`, `$-5`.
    for _ in 0..4 {
        if let Some(inner) = t.strip_prefix('(').and_then(|r| r.strip_suffix(')')) {
            if neg {
                return None;
            }
            marks.accounting = true;
            neg = true;
            t = inner.trim();
        } else if let Some(r) = t.strip_prefix('-').or_else(|| t.strip_prefix('\u{2212}')) {
            if neg {
                return None;
            }
            neg = true;
            t = r.trim_start();
        } else if let Some(r) = t.strip_prefix('+') {
            t = r.trim_start();
        } else if let Some(c) = CURRENCIES.iter().find(|c| marks.currency.is_none() && t.starts_with(*c)) {
            marks.currency = Some(c);
            t = t[c.len()..].trim_start();
        } else {
            break;
        }
    }
    if let Some(r) = t.strip_suffix('%') {
        marks.percent = true;
        t = r.trim_end();
    }
    if marks.currency.is_none() {
        if let Some(c) = CURRENCIES.iter().find(|c| t.ends_with(*c)) {
            marks.currency = Some(c);
            t = t[..t.len() - c.len()].trim_end();
        }
    }
    if let Some(r) = t.strip_suffix('-') {
        // SAP-style trailing minus: `123.45-`.
        if neg {
            return None;
        }
        neg = true;
        t = r;
    }
    if t.is_empty() || !t.as_bytes()[0].is_ascii_digit() && !t.starts_with(['.', ',']) {
        return None;
    }
    Some((t, neg, marks))
}

fn is_group_char(c: char) -> bool {
    matches!(c, ',' | '.' | ' ' | '\'' | '\u{a0}' | '\u{202f}' | '’')
}

/// Reads the core of a number (after [`strip_number`]) under `loc`. Groups must be well
/// formed: 1–3 leading digits, then groups of exactly 3.
#[inline(never)]
pub fn parse_core(t: &str, loc: NumberLocale) -> Option<(f64, bool)> {
    let dec = loc.decimal as char;
    let (int_part, frac) = match t.rfind(dec) {
        Some(p) => (&t[..p], &t[p + 1..]),
        None => (t, ""),
    };
    if !frac.bytes().all(|c| c.is_ascii_digit()) || (t.contains(dec) && frac.is_empty() && int_part.is_empty()) {
        return None;
    }
    let mut digits = String::with_capacity(t.len());
    let mut grouped = false;
    if int_part.bytes().all(|c| c.is_ascii_digit()) {
        digits.push_str(int_part);
    } else {
        let g = loc.thousands?;
        let same = |c: char| c == g || (g == ' ' && matches!(c, '\u{a0}' | '\u{202f}')) || (g == '\'' && c == '’');
        let groups: Vec<&str> = int_part.split(same).collect();
        if groups.len() < 2
            || groups[0].is_empty()
            || groups[0].len() > 3
            || groups[1..].iter().any(|x| x.len() != 3)
            || !groups.iter().all(|x| x.bytes().all(|c| c.is_ascii_digit()))
        {
            return None;
        }
        grouped = true;
        for x in groups {
            digits.push_str(x);
        }
    }
    if digits.is_empty() && frac.is_empty() {
        return None;
    }
    if !frac.is_empty() {
        digits.push('.');
        digits.push_str(frac);
    }
    let v: f64 = digits.parse().ok()?;
    v.is_finite().then_some((v, grouped))
}

/// One number cell under `loc`: the value (accounting and trailing minus negative,
/// percent as written: `12,5 %` → 12.5) and its marks.
#[inline(never)]
pub fn parse_locale_number(s: &str, loc: NumberLocale) -> Option<(f64, Marks<'_>)> {
    let (core, neg, mut marks) = strip_number(s)?;
    let (v, grouped) = parse_core(core, loc)?;
    marks.grouped = grouped;
    Some((if neg { -v } else { v }, marks))
}

/// What one cell says about the decimal mark: `Some(b',')` when it can only be a decimal
/// comma (`1,5`, `1.234,56`, `1 234,5`), `Some(b'.')` when only a decimal point
/// (`1.5`, `1,234.56`), `None` when it does not decide (`1,234`, `1.234`, `12`).
#[inline(never)]
pub fn decimal_evidence(core: &str) -> Option<u8> {
    let last_sep = core.rfind([',', '.'])?;
    let sep = core.as_bytes()[last_sep];
    let after = &core[last_sep + 1..];
    let other = if sep == b',' { '.' } else { ',' };
    if core[..last_sep].contains(other) {
        return Some(sep); // both kinds: the last one is the decimal mark
    }
    if core[..last_sep].contains(sep as char) {
        return Some(if sep == b',' { b'.' } else { b',' }); // repeated: grouping
    }
    if after.len() != 3 {
        return Some(sep);
    }
    if core[..last_sep].contains(is_group_char) {
        return Some(sep); // "1 234,567": spaces group, so the comma is decimal
    }
    None
}

const MONTH_NAMES: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Month number of an English month name or its abbreviation (`Oct`, `Sept`, `October`).
pub fn month_number(w: &str) -> Option<u32> {
    let w = w.trim_end_matches('.').to_ascii_lowercase();
    if w.len() < 3 {
        return None;
    }
    MONTH_NAMES.iter().position(|m| m.starts_with(&w) && (w.len() == 3 || w == *m || w == "sept")).map(|i| i as u32 + 1)
}

/// A date cell rewritten in a form the main date reader knows (`YYYY-MM-DD[ HH:MM[:SS]]`
/// or `A/B/YYYY[ HH:MM[:SS]]`), with what was recognised:
/// `2023年10月31日 15:45`, `Oct 31, 2023`, `31 October 2023 3:45 PM`,
/// `10/31/2023 3:45 PM`, `10/31/23` (two-digit year, POSIX pivot: 69–99 → 19xx, 00–68 → 20xx).
#[inline(never)]
pub fn normalize_date(s: &str) -> Option<(String, DateStyle)> {
    let s = s.trim();
    if s.len() < 6 || s.len() > 48 {
        return None;
    }
    if let Some(r) = chinese_date(s) {
        return Some(r);
    }
    let (date, time, style_time) = split_time(s)?;
    if let Some((y, m, d)) = month_name_date(date) {
        let mut out = format!("{y:04}-{m:02}-{d:02}");
        push_time(&mut out, time);
        return Some((out, DateStyle { month_name: true, twelve_hour: style_time, ..Default::default() }));
    }
    // A/B/YY or A/B/YYYY with a 12-hour time.
    let sep = *date.as_bytes().iter().find(|c| matches!(c, b'/' | b'-' | b'.'))?;
    let parts: Vec<&str> = date.split(sep as char).collect();
    if parts.len() != 3 || !parts.iter().all(|p| !p.is_empty() && p.len() <= 4 && p.bytes().all(|c| c.is_ascii_digit()))
    {
        return None;
    }
    let (two_digit, year) = match parts[2].len() {
        2 => {
            let yy: u32 = parts[2].parse().ok()?;
            (true, if yy >= 69 { 1900 + yy } else { 2000 + yy })
        }
        4 => (false, parts[2].parse().ok()?),
        _ => return None,
    };
    if parts[0].len() > 2 || parts[1].len() > 2 || (!two_digit && !style_time) {
        return None; // the main reader already knows A/B/YYYY with a 24-hour time
    }
    let mut out = format!("{}/{}/{year:04}", parts[0], parts[1]);
    push_time(&mut out, time);
    Some((out, DateStyle { two_digit_year: two_digit, twelve_hour: style_time, ..Default::default() }))
}

/// Which non-standard forms a date column used (for its `format` and warnings).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct DateStyle {
    pub chinese: bool,
    pub month_name: bool,
    pub twelve_hour: bool,
    pub two_digit_year: bool,
}

fn push_time(out: &mut String, time: Option<(u32, u32, Option<u32>)>) {
    if let Some((h, m, sec)) = time {
        out.push_str(&format!(" {h:02}:{m:02}"));
        if let Some(sec) = sec {
            out.push_str(&format!(":{sec:02}"));
        }
    }
}

/// Splits a trailing time (`3:45 PM`, `15:45`, `03:45:10 am`) off; the flag says AM/PM.
#[allow(clippy::type_complexity)]
fn split_time(s: &str) -> Option<(&str, Option<(u32, u32, Option<u32>)>, bool)> {
    let lower = s.to_ascii_lowercase();
    let (body, ampm) = if let Some(b) = lower.strip_suffix("am").or_else(|| lower.strip_suffix("a.m.")) {
        (b.trim_end().len(), Some(false))
    } else if let Some(b) = lower.strip_suffix("pm").or_else(|| lower.strip_suffix("p.m.")) {
        (b.trim_end().len(), Some(true))
    } else {
        (s.len(), None)
    };
    let body = &s[..body];
    let Some(sp) = body.rfind(' ').filter(|&p| body[p + 1..].contains(':')) else {
        return if ampm.is_some() { None } else { Some((body, None, false)) };
    };
    let (date, clock) = (body[..sp].trim_end().trim_end_matches(','), &body[sp + 1..]);
    let mut it = clock.split(':');
    let h: u32 = it.next()?.parse().ok()?;
    let m: u32 = it.next().filter(|x| x.len() == 2)?.parse().ok()?;
    let sec: Option<u32> = match it.next() {
        Some(x) if x.len() == 2 => Some(x.parse().ok()?),
        Some(_) => return None,
        None => None,
    };
    if it.next().is_some() || m > 59 || sec.is_some_and(|x| x > 60) {
        return None;
    }
    let h = match ampm {
        Some(pm) => {
            if !(1..=12).contains(&h) {
                return None;
            }
            (h % 12) + if pm { 12 } else { 0 }
        }
        None if h > 23 => return None,
        None => h,
    };
    Some((date, Some((h, m, sec)), ampm.is_some()))
}

/// `Oct 31, 2023`, `October 31 2023`, `31 October 2023`, `31 Oct. 2023`, `Tue, Oct 31, 2023`.
fn month_name_date(s: &str) -> Option<(i32, u32, u32)> {
    let words: Vec<&str> = s.split([' ', ',']).filter(|w| !w.is_empty()).collect();
    let words = match words.as_slice() {
        [w, rest @ ..]
            if rest.len() == 3
                && w.len() >= 3
                && w.bytes().all(|c| c.is_ascii_alphabetic())
                && month_number(w).is_none() =>
        {
            rest
        }
        all => all,
    };
    let [a, b, c] = words else { return None };
    let y: i32 = c.parse().ok().filter(|_| c.len() == 4)?;
    let (m, d) = match (month_number(a), month_number(b)) {
        (Some(m), None) => (m, b.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h']).parse().ok()?),
        (None, Some(m)) => (m, a.trim_end_matches(['.', 's', 't', 'n', 'd', 'r', 'h']).parse().ok()?),
        _ => return None,
    };
    crate::table::date::is_valid_date(y, m, d).then_some((y, m, d))
}

/// `2023年10月31日`, `2023年1月5日 15:45`, `2023年10月31日15时45分`.
fn chinese_date(s: &str) -> Option<(String, DateStyle)> {
    let (y, rest) = s.split_once('年')?;
    let (m, rest) = rest.split_once('月')?;
    let (d, rest) = rest.split_once(['日', '号'])?;
    let num = |x: &str, max: usize| -> Option<u32> {
        let x = x.trim();
        (!x.is_empty() && x.len() <= max && x.bytes().all(|c| c.is_ascii_digit())).then(|| x.parse().ok())?
    };
    let (y, m, d) = (num(y, 4)? as i32, num(m, 2)?, num(d, 2)?);
    if !(1000..=9999).contains(&y) || !crate::table::date::is_valid_date(y, m, d) {
        return None;
    }
    let mut out = format!("{y:04}-{m:02}-{d:02}");
    let rest = rest.trim();
    if !rest.is_empty() {
        let (h, mi, sec) = if let Some((h, r)) = rest.split_once(['时', '点']) {
            let (mi, r) = r.split_once('分').unwrap_or((r, ""));
            let sec = r.trim_end_matches('秒');
            (num(h, 2)?, num(mi, 2)?, if sec.is_empty() { None } else { Some(num(sec, 2)?) })
        } else {
            let mut it = rest.split(':');
            let h = num(it.next()?, 2)?;
            let mi = num(it.next()?, 2)?;
            let sec = it.next().map(|x| num(x, 2)).map_or(Ok(None), |v| v.map(Some).ok_or(()));
            (h, mi, sec.ok()?)
        };
        if h > 23 || mi > 59 {
            return None;
        }
        push_time(&mut out, Some((h, mi, sec)));
    }
    Some((out, DateStyle { chinese: true, ..Default::default() }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const EU: NumberLocale = NumberLocale { decimal: b',', thousands: Some('.') };
    const US: NumberLocale = NumberLocale { decimal: b'.', thousands: Some(',') };

    #[test]
    fn numbers_in_regional_forms() {
        assert_eq!(parse_locale_number("1.234,56", EU).unwrap().0, 1234.56);
        assert_eq!(parse_locale_number("-1.234.567,5", EU).unwrap().0, -1234567.5);
        assert_eq!(
            parse_locale_number("1 234,5", NumberLocale { decimal: b',', thousands: Some(' ') }).unwrap().0,
            1234.5
        );
        assert_eq!(
            parse_locale_number("1\u{202f}234,5", NumberLocale { decimal: b',', thousands: Some(' ') }).unwrap().0,
            1234.5
        );
        assert_eq!(
            parse_locale_number("1'234.50", NumberLocale { decimal: b'.', thousands: Some('\'') }).unwrap().0,
            1234.5
        );
        let (v, m) = parse_locale_number("(1,234.50)", US).unwrap();
        assert_eq!((v, m.accounting), (-1234.5, true));
        assert_eq!(parse_locale_number("USD (206.14)", US).unwrap().0, -206.14);
        let (v, m) = parse_locale_number("USD 1,234.56", US).unwrap();
        assert_eq!((v, m.currency), (1234.56, Some("USD")));
        let (v, m) = parse_locale_number("1.234,56 €", EU).unwrap();
        assert_eq!((v, m.currency), (1234.56, Some("€")));
        assert_eq!(parse_locale_number("-€5,00", EU).unwrap().0, -5.0);
        assert_eq!(parse_locale_number("￥1,280.00", US).unwrap().1.currency, Some("￥"));
        assert_eq!(
            parse_locale_number("128元", US).unwrap(),
            (128.0, Marks { currency: Some("元"), ..Default::default() })
        );
        assert_eq!(parse_locale_number("12,5 %", EU).unwrap().0, 12.5);
        assert_eq!(parse_locale_number("123.45-", US).unwrap().0, -123.45);
        for bad in ["1.23.4,5", "12,34,567", "abc", "(-5)", "1,2", "€", "1 23,5"] {
            assert!(parse_locale_number(bad, EU).is_none() || bad == "1,2", "{bad}");
        }
        assert!(parse_locale_number("1,234", US).unwrap().1.grouped);
        assert_eq!(decimal_evidence("1,5"), Some(b','));
        assert_eq!(decimal_evidence("1.234,56"), Some(b','));
        assert_eq!(decimal_evidence("1,234.5"), Some(b'.'));
        assert_eq!(decimal_evidence("1.234.567"), Some(b','));
        assert_eq!(decimal_evidence("1,234"), None);
        assert_eq!(decimal_evidence("12"), None);
    }

    #[test]
    fn dates_in_regional_forms() {
        let n = |s: &str| normalize_date(s).map(|x| x.0);
        assert_eq!(n("2023年10月31日").as_deref(), Some("2023-10-31"));
        assert_eq!(n("2023年1月5日 15:45").as_deref(), Some("2023-01-05 15:45"));
        assert_eq!(n("2023年10月31日15时45分").as_deref(), Some("2023-10-31 15:45"));
        assert_eq!(n("Oct 31, 2023").as_deref(), Some("2023-10-31"));
        assert_eq!(n("31 October 2023").as_deref(), Some("2023-10-31"));
        assert_eq!(n("Tue, Oct 31, 2023").as_deref(), Some("2023-10-31"));
        assert_eq!(n("September 1st 2023").as_deref(), Some("2023-09-01"));
        assert_eq!(n("10/31/2023 3:45 PM").as_deref(), Some("10/31/2023 15:45"));
        assert_eq!(n("10/31/2023 12:05 am").as_deref(), Some("10/31/2023 00:05"));
        assert_eq!(n("10/31/23").as_deref(), Some("10/31/2023"));
        assert_eq!(n("1/2/69").as_deref(), Some("1/2/1969"));
        for bad in
            ["2023年13月1日", "Oct 32, 2023", "10/31/2023 13:45 PM", "hello world", "10/31/2023", "Mayor 3, 2023"]
        {
            assert!(n(bad).is_none(), "{bad}");
        }
    }
}
