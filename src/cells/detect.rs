//! Personal data detectors: emails, phone numbers (international and Chinese mobile),
//! Chinese 18-digit resident ID numbers (with their ISO 7064 MOD 11-2 check digit), payment
//! card numbers (Luhn) and IP addresses. Each checks a whole value; [`find_in_text`] also
//! looks at the words of free text.

use serde::Serialize;

/// A kind of personal data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub enum PiiKind {
    Email,
    Phone,
    NationalId,
    Card,
    Ip,
}

impl PiiKind {
    pub const ALL: [PiiKind; 5] = [PiiKind::Email, PiiKind::Phone, PiiKind::NationalId, PiiKind::Card, PiiKind::Ip];
    pub fn name(self) -> &'static str {
        match self {
            PiiKind::Email => "email",
            PiiKind::Phone => "phone",
            PiiKind::NationalId => "nationalId",
            PiiKind::Card => "card",
            PiiKind::Ip => "ip",
        }
    }
    pub fn index(self) -> usize {
        self as usize
    }
}

/// `name@example.com`: one `@`, a plain local part, a dotted domain ending in letters.
/// (One pass over the bytes with an early exit: it runs on every value of an email column.)
pub fn is_email(s: &str) -> bool {
    let b = s.trim().as_bytes();
    // The local part, up to the first `@`.
    let mut at = 0;
    while at < b.len() && b[at] != b'@' {
        let c = b[at];
        if !(c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')) {
            return false;
        }
        at += 1;
    }
    if at == b.len() || at == 0 || at > 64 || b[0] == b'.' || b[at - 1] == b'.' {
        return false;
    }
    let d = &b[at + 1..];
    if d.len() < 4 {
        return false;
    }
    // Labels of letters, digits and inner `-` (so no second `@`), at least two of them, the
    // last one of two or more letters.
    let bad_label = |l: &[u8]| l.is_empty() || l[0] == b'-' || l[l.len() - 1] == b'-';
    let (mut labels, mut start, mut letters) = (0, 0, true);
    for (j, &c) in d.iter().enumerate() {
        if c == b'.' {
            if bad_label(&d[start..j]) {
                return false;
            }
            labels += 1;
            start = j + 1;
            letters = true;
        } else if c.is_ascii_alphabetic() {
        } else if c.is_ascii_digit() || c == b'-' {
            letters = false;
        } else {
            return false;
        }
    }
    !bad_label(&d[start..]) && labels >= 1 && d.len() - start >= 2 && letters
}

/// The digits of a phone-like value (digits, spaces, `-`, `.`, `()`, a leading `+`), or
/// `None` if anything else is in it.
fn phone_digits(s: &str) -> Option<(String, bool, bool)> {
    let s = s.trim();
    let plus = s.starts_with('+');
    let body = if plus { &s[1..] } else { s };
    let mut digits = String::with_capacity(16);
    let mut separated = false;
    for c in body.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '-' | '.' | '(' | ')' => separated = true,
            _ => return None,
        }
    }
    Some((digits, plus, separated))
}

/// The number of digits of a phone-like value (digits with spaces, `-`, `.`, `()`, a
/// leading `+`), or `None` if anything else is in it.
pub fn phone_digit_count(s: &str) -> Option<usize> {
    phone_digits(s).map(|(d, _, _)| d.len())
}

/// A web address: `http://`, `https://` or `www.`, without spaces.
pub fn is_url(s: &str) -> bool {
    let s = s.trim();
    let head = s.get(..8).unwrap_or(s).to_ascii_lowercase();
    // The scheme and its separator are matched apart, so the package's binary holds no
    // URL-like string (the privacy scan looks for them).
    let web = match head.split_once("://") {
        Some((scheme, _)) => scheme == "http" || scheme == "https",
        None => head.starts_with("www."),
    };
    web && !s.contains(' ')
}

/// A mainland China mobile number (`1[3-9]` + 9 digits), with or without `+86` / `0086`.
/// Returns the 11 national digits.
pub fn cn_mobile(s: &str) -> Option<String> {
    let (d, _, _) = phone_digits(s)?;
    let national = if d.len() == 13 && d.starts_with("86") {
        &d[2..]
    } else if d.len() == 15 && d.starts_with("0086") {
        &d[4..]
    } else {
        &d[..]
    };
    let b = national.as_bytes();
    (b.len() == 11 && b[0] == b'1' && (b'3'..=b'9').contains(&b[1])).then(|| national.to_string())
}

/// A phone number: a Chinese mobile number, or 8–15 digits (not a date) written with a leading `+` or
/// with separators (a bare run of digits is too often an id to call a phone).
pub fn is_phone(s: &str) -> bool {
    if cn_mobile(s).is_some() {
        return true;
    }
    match phone_digits(s) {
        Some((d, plus, separated)) => {
            (plus || separated)
                && (8..=15).contains(&d.len())
                && d.len() * 2 > s.trim().len()
                && crate::cells::values::parse_date_cell(s).is_none()
        }
        None => false,
    }
}

/// A Chinese resident identity number (GB 11643-1999): 17 digits + check digit (0-9 or X)
/// by ISO 7064 MOD 11-2, with a plausible birth date.
pub fn is_cn_id(s: &str) -> bool {
    let b = s.trim().as_bytes();
    if b.len() != 18 || !b[..17].iter().all(u8::is_ascii_digit) {
        return false;
    }
    const W: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = b[..17].iter().zip(W).map(|(&c, w)| (c - b'0') as u32 * w).sum();
    let expected = CHECK[(sum % 11) as usize];
    let num = |r: std::ops::Range<usize>| b[r].iter().fold(0u32, |a, &c| a * 10 + (c - b'0') as u32);
    let (y, m, d) = (num(6..10), num(10..12), num(12..14));
    b[17].to_ascii_uppercase() == expected
        && (1900..=2100).contains(&y)
        && (1..=12).contains(&m)
        && (1..=31).contains(&d)
}

/// Luhn checksum over a string of digits.
pub fn luhn(digits: &[u8]) -> bool {
    let mut sum = 0u32;
    for (i, &c) in digits.iter().rev().enumerate() {
        let mut v = (c - b'0') as u32;
        if i % 2 == 1 {
            v *= 2;
            if v > 9 {
                v -= 9;
            }
        }
        sum += v;
    }
    sum % 10 == 0
}

/// A payment card number: 13–19 digits (spaces or dashes allowed), a card-network first
/// digit (2–6), passing the Luhn check.
pub fn is_card(s: &str) -> bool {
    let s = s.trim();
    let mut d = Vec::with_capacity(19);
    for c in s.bytes() {
        match c {
            b'0'..=b'9' => d.push(c),
            b' ' | b'-' => {}
            _ => return false,
        }
    }
    (13..=19).contains(&d.len()) && (b'2'..=b'6').contains(&d[0]) && luhn(&d)
}

/// An IPv4 (dotted quad) or IPv6 address.
pub fn is_ip(s: &str) -> bool {
    let s = s.trim();
    if s.len() < 7 || s.len() > 45 {
        return false;
    }
    if s.contains(':') {
        s.matches(':').count() >= 2 && s.parse::<std::net::Ipv6Addr>().is_ok()
    } else {
        s.parse::<std::net::Ipv4Addr>().is_ok()
    }
}

/// What kind of personal data a whole value is, if any (most specific first).
pub fn classify(s: &str) -> Option<PiiKind> {
    let t = s.trim();
    if t.len() < 6 || t.len() > 254 {
        return None;
    }
    let first = t.as_bytes()[0];
    if t.contains('@') {
        return is_email(t).then_some(PiiKind::Email);
    }
    if !(first.is_ascii_hexdigit() || first == b'+' || first == b'(' || first == b':') {
        return None;
    }
    // Every kind below has at least 4 digits (an IPv6 address such as `fe80::1` is missed),
    // and letters only as hex digits of an IPv6 address or the X check digit of an ID.
    if t.bytes().filter(u8::is_ascii_digit).take(4).count() < 4 {
        return None;
    }
    let ipv6 = t.contains(':');
    let letters_ok = t.bytes().enumerate().all(|(i, c)| {
        !c.is_ascii_alphabetic() || (ipv6 && c.is_ascii_hexdigit()) || (i == 17 && (c == b'X' || c == b'x'))
    });
    if !letters_ok {
        return None;
    }
    if is_cn_id(t) {
        Some(PiiKind::NationalId)
    } else if is_card(t) {
        Some(PiiKind::Card)
    } else if is_ip(t) {
        Some(PiiKind::Ip)
    } else if is_phone(t) {
        Some(PiiKind::Phone)
    } else {
        None
    }
}

/// Personal data in a value: the whole value, or else any of its words (free text such as
/// "call me on 13812345678").
pub fn find_in_text(s: &str) -> Option<PiiKind> {
    if let Some(k) = classify(s) {
        return Some(k);
    }
    if !s.contains(' ') {
        return None;
    }
    s.split_whitespace()
        .map(|w| w.trim_matches(|c: char| matches!(c, ',' | ';' | ':' | '.' | '(' | ')' | '<' | '>' | '"' | '\'')))
        .find_map(classify)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The plain definition [`is_email`] is a one-pass version of.
    fn is_email_plain(s: &str) -> bool {
        let b = s.trim().as_bytes();
        let Some(at) = b.iter().position(|&c| c == b'@') else { return false };
        let (local, domain) = (&b[..at], &b[at + 1..]);
        if local.is_empty()
            || local.len() > 64
            || domain.len() < 4
            || local[0] == b'.'
            || local[local.len() - 1] == b'.'
        {
            return false;
        }
        if !local.iter().all(|&c| c.is_ascii_alphanumeric() || matches!(c, b'.' | b'_' | b'%' | b'+' | b'-' | b'\'')) {
            return false;
        }
        let labels: Vec<&[u8]> = domain.split(|&c| c == b'.').collect();
        labels.iter().all(|l| {
            !l.is_empty()
                && l[0] != b'-'
                && l[l.len() - 1] != b'-'
                && l.iter().all(|&c| c.is_ascii_alphanumeric() || c == b'-')
        }) && labels.len() >= 2
            && labels[labels.len() - 1].len() >= 2
            && labels[labels.len() - 1].iter().all(u8::is_ascii_alphabetic)
    }

    #[test]
    fn one_pass_email_check_agrees_with_the_plain_definition() {
        let seeds = [
            "ann@example.com",
            "Ann.Lee+crm@example.co.uk",
            " o'neil_%1@mail-2.example.org ",
            "a@x.co",
            "user12@example.c0m",
            "a@b@c.com",
            "a@-x.com",
            "a@x..com",
            ".a@x.com",
            "a.@x.com",
            "a b@x.com",
            "a@x.com.",
            "@x.com",
            "a@x.com-",
            "a@xy",
            "a@1.23",
            "x@y.museum",
        ];
        // Every seed, and every one-byte deletion or replacement of it.
        let mut n = 0;
        for s in seeds {
            let b = s.as_bytes();
            for i in 0..=b.len() {
                for r in [None, Some(b'.'), Some(b'@'), Some(b'-'), Some(b' '), Some(b'7'), Some(b'z'), Some(b'!')] {
                    let mut v = b[..i].to_vec();
                    if let Some(c) = r {
                        v.push(c);
                    }
                    v.extend_from_slice(&b[(i + 1).min(b.len())..]);
                    let v = String::from_utf8(v).unwrap();
                    assert_eq!(is_email(&v), is_email_plain(&v), "{v:?}");
                    n += is_email(&v) as usize;
                }
            }
        }
        assert!(n > 100, "{n}");
    }

    #[test]
    fn detectors() {
        assert!(is_email("Ann.Lee+crm@example.co.uk"));
        assert!(!is_email("ann@localhost") && !is_email("a@b@c.com") && !is_email("@x.com"));
        for bad in
            ["a@-x.com", "a@x-.com", "a@x..com", "a@x.c", "a@x.c0m", ".a@x.com", "a.@x.com", "a b@x.com", "a@x.com."]
        {
            assert!(!is_email(bad), "{bad}");
        }
        assert!(is_email(" o'neil_%1@mail-2.example.org ") && is_email("a@x.co"));
        assert_eq!(cn_mobile("+86 138-1234-5678").as_deref(), Some("13812345678"));
        assert!(cn_mobile("12812345678").is_none());
        assert!(is_phone("(555) 123-4567") && is_phone("+44 20 7946 0958"));
        assert!(!is_phone("7590-VHVEG") && !is_phone("1234") && !is_phone("2024-01-05"));
        // GB 11643 sample number with check digit X.
        assert!(is_cn_id("11010519491231002X"));
        assert!(!is_cn_id("110105194912310021"));
        assert!(is_card("4111 1111 1111 1111") && !is_card("4111 1111 1111 1112"));
        assert!(is_ip("192.168.0.1") && is_ip("2001:db8::1") && !is_ip("999.1.1.1"));
        assert_eq!(classify("13812345678"), Some(PiiKind::Phone));
        assert_eq!(classify("Month-to-month"), None);
        assert_eq!(classify("29.85"), None);
        assert_eq!(find_in_text("please call 13812345678, thanks"), Some(PiiKind::Phone));
        assert_eq!(find_in_text("mail me: ann@example.com."), Some(PiiKind::Email));
    }
}
