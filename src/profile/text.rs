//! What the strings of a text or category column look like: lengths, shapes (`Aa 999`),
//! surrounding whitespace, which values read as numbers / dates / booleans, sentinel tokens
//! and personal data. Fed one distinct value with its count at a time, so a column with few
//! distinct values costs little; mergeable by addition.

use rustc_hash::FxHashMap;

use super::moments::Moments;
use super::pii::{self, PiiKind};
use crate::io::values::{parse_bool, parse_date_cell, parse_number};

/// Distinct shapes kept; the rest are counted in `shapes_other`.
const MAX_SHAPES: usize = 256;
/// Longest shape kept (longer ones end in `…`).
const MAX_SHAPE_LEN: usize = 24;

/// Text tokens that usually stand for "no value" (compared trimmed, case-insensitively).
pub const SENTINEL_TOKENS: [&str; 15] = [
    "unknown",
    "n/a",
    "na",
    "none",
    "null",
    "nil",
    "-",
    "--",
    "?",
    "tbd",
    "missing",
    "not available",
    "undefined",
    "unk",
    "xxx",
];

/// What kind of value a string spells.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spelled {
    Number = 0,
    Date = 1,
    Bool = 2,
    Text = 3,
}

pub fn spelled(s: &str) -> Spelled {
    let t = s.trim();
    if parse_number(t).is_some() {
        Spelled::Number
    } else if parse_bool(t).is_some() {
        Spelled::Bool
    } else if parse_date_cell(t).is_some() {
        Spelled::Date
    } else {
        Spelled::Text
    }
}

/// A value starting with a letter (other than a currency code) spells neither a number nor
/// a date (both start with a digit, a sign, a point or a currency), and a boolean word has no
/// digit: with a digit, such a value is plain text without parsing it.
fn starts_with_word(t: &str) -> bool {
    t.as_bytes().first().is_some_and(u8::is_ascii_alphabetic) && !["US$", "RMB", "CNY"].iter().any(|c| t.starts_with(c))
}

/// The shape of a value: upper-case runs → `A`, lower-case runs → `a`, other letters (e.g.
/// Chinese) → `H`, each digit → `9`, whitespace runs → one space, anything else as is.
/// `"Beijing 100"` → `"Aa 999"`, `"+86 138-1234"` → `"+99 999-9999"`.
pub fn shape(s: &str, out: &mut String) {
    out.clear();
    let mut last = '\0';
    for c in s.chars() {
        let sym = if c.is_ascii_digit() {
            '9'
        } else if c.is_uppercase() {
            'A'
        } else if c.is_lowercase() {
            'a'
        } else if c.is_alphabetic() {
            'H'
        } else if c.is_whitespace() {
            ' '
        } else {
            c
        };
        if sym != '9' && sym == last && matches!(sym, 'A' | 'a' | 'H' | ' ') {
            continue;
        }
        if out.len() >= MAX_SHAPE_LEN {
            out.push('…');
            return;
        }
        out.push(sym);
        last = sym;
    }
}

/// What one scan of a value finds.
struct Scan {
    chars: usize,
    digits: usize,
    at: bool,
    /// A run of two or more spaces after the first non-space character.
    inner_spaces: bool,
}

/// [`shape`] and [`Scan`] of an ASCII value, byte by byte (the shape built on the stack).
fn ascii_scan(s: &str, out: &mut String) -> Scan {
    let b = s.as_bytes();
    let (mut digits, mut at, mut inner) = (0, false, false);
    let mut sh = [0u8; MAX_SHAPE_LEN];
    let (mut len, mut last, mut full) = (0, 0u8, false);
    let start = b.iter().position(|c| *c != b' ').unwrap_or(b.len());
    for (i, &c) in b.iter().enumerate() {
        let sym = match c {
            b'0'..=b'9' => {
                digits += 1;
                b'9'
            }
            b'A'..=b'Z' => b'A',
            b'a'..=b'z' => b'a',
            b' ' | b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => b' ',
            b'@' => {
                at = true;
                b'@'
            }
            _ => c,
        };
        if c == b' ' && i > start && b[i - 1] == b' ' {
            inner = true;
        }
        if full || (sym != b'9' && sym == last && matches!(sym, b'A' | b'a' | b' ')) {
            continue;
        }
        if len == MAX_SHAPE_LEN {
            full = true;
            continue;
        }
        sh[len] = sym;
        len += 1;
        last = sym;
    }
    out.clear();
    out.extend(sh[..len].iter().map(|&c| c as char));
    if full {
        out.push('…');
    }
    // `trim().contains("  ")`: a run of spaces that is not trailing.
    let inner_spaces = inner && s.trim().contains("  ");
    Scan { chars: b.len(), digits, at, inner_spaces }
}

fn unicode_scan(s: &str, out: &mut String) -> Scan {
    shape(s, out);
    Scan {
        chars: s.chars().count(),
        digits: s.bytes().filter(u8::is_ascii_digit).count(),
        at: s.contains('@'),
        inner_spaces: s.trim().contains("  "),
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextFacets {
    /// Length in characters.
    pub lengths: Moments,
    /// Values with leading or trailing whitespace.
    pub padded: u64,
    /// Values with a run of two or more inner spaces.
    pub inner_spaces: u64,
    /// Values that are empty or only whitespace.
    pub blank: u64,
    /// Counts by [`Spelled`].
    pub spelled: [u64; 4],
    pub shapes: FxHashMap<String, u64>,
    pub shapes_other: u64,
    /// Counts by [`PiiKind`].
    pub pii: [u64; 5],
    /// Sentinel tokens found (lower-cased) with counts.
    pub sentinels: FxHashMap<String, u64>,
}

impl TextFacets {
    /// Adds `w` occurrences of `s`; `buf` is scratch space.
    pub fn add(&mut self, s: &str, w: u64, buf: &mut String) {
        // One scan gives the length, the shape and what the slower checks need; the number,
        // date and personal-data checks are skipped when they cannot match (all of them
        // need a digit, except an email, which needs an `@`, and a boolean word).
        let scan = if s.is_ascii() { ascii_scan(s, buf) } else { unicode_scan(s, buf) };
        self.lengths.push_weighted(scan.chars as f64, w);
        let trimmed = s.trim();
        if trimmed.is_empty() {
            self.blank += w;
        } else if trimmed.len() != s.len() {
            self.padded += w;
        }
        if scan.inner_spaces {
            self.inner_spaces += w;
        }
        let kind = if scan.digits > 0 {
            if starts_with_word(trimmed) {
                Spelled::Text
            } else {
                spelled(s)
            }
        } else if parse_bool(trimmed).is_some() {
            Spelled::Bool
        } else {
            Spelled::Text
        };
        self.spelled[kind as usize] += w;
        if let Some(c) = self.shapes.get_mut(buf.as_str()) {
            *c += w;
        } else if self.shapes.len() < MAX_SHAPES {
            self.shapes.insert(buf.clone(), w);
        } else {
            self.shapes_other += w;
        }
        if scan.digits >= 4 || scan.at {
            if let Some(k) = pii::find_in_text(s) {
                self.pii[k.index()] += w;
            }
        }
        if trimmed.len() <= 13 {
            if let Some(t) = SENTINEL_TOKENS.iter().find(|t| t.eq_ignore_ascii_case(trimmed)) {
                *self.sentinels.entry(t.to_string()).or_insert(0) += w;
            }
        }
    }

    pub fn merge(&mut self, o: &TextFacets) {
        self.lengths.merge(&o.lengths);
        self.padded += o.padded;
        self.inner_spaces += o.inner_spaces;
        self.blank += o.blank;
        for i in 0..4 {
            self.spelled[i] += o.spelled[i];
        }
        for (k, &c) in &o.shapes {
            if let Some(x) = self.shapes.get_mut(k) {
                *x += c;
            } else if self.shapes.len() < MAX_SHAPES {
                self.shapes.insert(k.clone(), c);
            } else {
                self.shapes_other += c;
            }
        }
        self.shapes_other += o.shapes_other;
        for i in 0..5 {
            self.pii[i] += o.pii[i];
        }
        for (k, &c) in &o.sentinels {
            *self.sentinels.entry(k.clone()).or_insert(0) += c;
        }
    }

    /// The most common PII kind and its count.
    pub fn main_pii(&self) -> Option<(PiiKind, u64)> {
        PiiKind::ALL.iter().map(|&k| (k, self.pii[k.index()])).filter(|x| x.1 > 0).max_by_key(|x| x.1)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shapes_and_facets() {
        let mut b = String::new();
        shape("Beijing 100", &mut b);
        assert_eq!(b, "Aa 999");
        shape("+86 138-1234", &mut b);
        assert_eq!(b, "+99 999-9999");
        shape("北京市", &mut b);
        assert_eq!(b, "H");
        let mut f = TextFacets::default();
        f.add(" Beijing", 2, &mut b);
        f.add("12.5", 1, &mut b);
        f.add("unknown", 3, &mut b);
        f.add("ann@example.com", 1, &mut b);
        assert_eq!(f.padded, 2);
        assert_eq!(f.spelled, [1, 0, 0, 6]);
        assert_eq!(f.sentinels.get("unknown"), Some(&3));
        assert_eq!(f.main_pii(), Some((PiiKind::Email, 1)));
        assert_eq!(f.lengths.n, 7);
        let mut g = f.clone();
        g.merge(&f);
        assert_eq!(g.padded, 4);
        assert_eq!(g.shapes.get(" Aa"), Some(&4));
    }

    #[test]
    fn words_with_digits_spell_text() {
        let values = [
            "C0001234",
            "user0@example.com",
            "CNY 12",
            "CNY12",
            "US$5",
            "RMB 8.5",
            "e5",
            "E10",
            "t1",
            "y2024-01-01",
            "Inf1",
            "a1b2",
            "12a",
            "2024-01-05",
            "  x9",
            "x 2024-01-05",
            "US5",
            "RM8",
        ];
        let mut f = TextFacets::default();
        let mut buf = String::new();
        let mut want = [0u64; 4];
        for v in values {
            f.add(v, 1, &mut buf);
            want[spelled(v) as usize] += 1;
        }
        assert_eq!(f.spelled, want);
        assert!(want[0] >= 4 && want[1] == 1, "{want:?}");
    }

    #[test]
    fn ascii_scan_matches_the_general_shape() {
        let mut a = String::new();
        let mut b = String::new();
        for s in [
            "Beijing 100",
            "+86 138-1234",
            "  a  b ",
            "x\ty",
            "ann@example.com",
            "",
            "AAAAaaaa 1234567890123456789012345678",
            "C0001234",
            "slow  happy  ",
        ] {
            let scan = ascii_scan(s, &mut a);
            shape(s, &mut b);
            assert_eq!(a, b, "{s:?}");
            assert_eq!(scan.inner_spaces, s.trim().contains("  "), "{s:?}");
            assert_eq!(scan.digits, s.bytes().filter(u8::is_ascii_digit).count());
        }
    }
}
