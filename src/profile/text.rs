//! What the strings of a text or category column look like: lengths, shapes (`Aa 999`),
//! surrounding whitespace, which values read as numbers / dates / booleans, sentinel tokens
//! and personal data. Fed one distinct value with its count at a time, so a column with few
//! distinct values costs little; mergeable by addition.

use rustc_hash::FxHashMap;

use crate::cells::detect::{self as pii, PiiKind};
use crate::cells::values::{parse_bool, parse_date_cell, parse_number};

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

/// Whether the personal-data detectors can match a value, as far as its scan tells.
#[derive(Clone, Copy, PartialEq, Eq)]
enum PiiCheck {
    /// Run them (`pii::find_in_text`).
    Run,
    /// One `@` word and no space: only the email check of the whole value can match.
    EmailOnly,
    /// No `@`, no space, no `:` and a letter other than the `X` of an ID number: nothing can
    /// match (every detector but the email one allows no such letter, and without a space
    /// there are no words to look at).
    Never,
}

/// What one scan of a value finds.
struct Scan {
    chars: usize,
    digits: usize,
    at: bool,
    /// A run of two or more spaces inside the trimmed value.
    inner_spaces: bool,
    /// Byte range of the value without leading and trailing whitespace.
    trimmed: std::ops::Range<usize>,
    pii: PiiCheck,
}

// Byte classes of the ASCII scan.
const DIGIT: u8 = 1;
const SPACE: u8 = 2;
/// A letter other than `x` / `X`.
const LETTER: u8 = 4;
const AT: u8 = 8;
const COLON: u8 = 16;
/// ASCII whitespace (what `str::trim` removes from an ASCII value).
const WS: u8 = 32;
/// The shape symbol collapses in runs (letters, whitespace).
const RUN: u8 = 64;
const NON_ASCII: u8 = 128;

const fn byte_tables() -> ([u8; 256], [u8; 256]) {
    let (mut class, mut sym) = ([0u8; 256], [0u8; 256]);
    let mut c = 0;
    while c < 256 {
        let b = c as u8;
        (class[c], sym[c]) = match b {
            b'0'..=b'9' => (DIGIT, b'9'),
            b'x' => (RUN, b'a'),
            b'X' => (RUN, b'A'),
            b'A'..=b'Z' => (LETTER | RUN, b'A'),
            b'a'..=b'z' => (LETTER | RUN, b'a'),
            b' ' => (SPACE | WS | RUN, b' '),
            b'\t' | b'\n' | b'\x0b' | b'\x0c' | b'\r' => (WS | RUN, b' '),
            b'@' => (AT, b),
            b':' => (COLON, b),
            0x80..=0xff => (NON_ASCII, 0),
            _ => (0, b),
        };
        c += 1;
    }
    (class, sym)
}
static TABLES: ([u8; 256], [u8; 256]) = byte_tables();

/// Room for a shape on the stack: [`MAX_SHAPE_LEN`] symbols and `…`.
const SHAPE_BUF: usize = MAX_SHAPE_LEN + 3;

/// [`Scan`] of an ASCII value in one pass over its bytes (table lookups, no branch per
/// byte), its [`shape`] written to `sh` (returns the shape's length); `None` if the value
/// is not ASCII.
fn ascii_scan(s: &str, sh: &mut [u8; SHAPE_BUF]) -> Option<(Scan, usize)> {
    let (class, sym) = (&TABLES.0, &TABLES.1);
    let b = s.as_bytes();
    let (mut flags, mut digits, mut len, mut last_sym) = (0u8, 0usize, 0usize, 0u8);
    for &c in b {
        let k = class[c as usize];
        flags |= k;
        digits += (k & DIGIT) as usize;
        // A symbol repeating a run's symbol is not written; past `MAX_SHAPE_LEN` symbols
        // the count goes on (the shape ends in `…`) and the writes land in a spare slot.
        let y = sym[c as usize];
        sh[len.min(MAX_SHAPE_LEN)] = y;
        len += !(y == last_sym && k & RUN != 0) as usize;
        last_sym = y;
    }
    if flags & NON_ASCII != 0 {
        return None;
    }
    if len > MAX_SHAPE_LEN {
        sh[MAX_SHAPE_LEN..].copy_from_slice("…".as_bytes());
        len = SHAPE_BUF;
    }
    let ws = |c: &u8| class[*c as usize] & WS != 0;
    let start = b.iter().position(|c| !ws(c)).unwrap_or(b.len());
    let end = b.iter().rposition(|c| !ws(c)).map_or(start, |i| i + 1);
    let inner_spaces = flags & SPACE != 0 && b[start..end].windows(2).any(|w| w == b"  ");
    let at = flags & AT != 0;
    let pii = if flags & SPACE != 0 {
        PiiCheck::Run
    } else if at {
        PiiCheck::EmailOnly
    } else if flags & (LETTER | COLON) == LETTER {
        PiiCheck::Never
    } else {
        PiiCheck::Run
    };
    Some((Scan { chars: b.len(), digits, at, inner_spaces, trimmed: start..end, pii }, len))
}

fn unicode_scan(s: &str, out: &mut String) -> Scan {
    shape(s, out);
    let t = s.trim();
    let start = s.len() - s.trim_start().len();
    Scan {
        chars: s.chars().count(),
        digits: s.bytes().filter(u8::is_ascii_digit).count(),
        at: s.contains('@'),
        inner_spaces: t.contains("  "),
        trimmed: start..start + t.len(),
        pii: PiiCheck::Run,
    }
}

/// Lengths in characters: count, sum, min and max, in integers (so merging is exact).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Lengths {
    pub n: u64,
    pub sum: u64,
    pub min: u64,
    pub max: u64,
}

impl Lengths {
    /// `w` values of length `len`.
    fn add(&mut self, len: u64, w: u64) {
        if w == 0 {
            return;
        }
        if self.n == 0 {
            (self.min, self.max) = (len, len);
        } else {
            self.min = self.min.min(len);
            self.max = self.max.max(len);
        }
        self.n += w;
        self.sum += len * w;
    }

    fn merge(&mut self, o: &Lengths) {
        if o.n > 0 {
            if self.n == 0 {
                *self = *o;
            } else {
                self.min = self.min.min(o.min);
                self.max = self.max.max(o.max);
                self.n += o.n;
                self.sum += o.sum;
            }
        }
    }

    pub fn mean(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            self.sum as f64 / self.n as f64
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct TextFacets {
    /// Length in characters.
    pub lengths: Lengths,
    /// Values with leading or trailing whitespace.
    pub padded: u64,
    /// Values with a run of two or more inner spaces.
    pub inner_spaces: u64,
    /// Values that are empty or only whitespace.
    pub blank: u64,
    /// Counts by [`Spelled`].
    pub spelled: [u64; 4],
    /// Shapes (UTF-8 bytes) with counts.
    pub shapes: FxHashMap<Vec<u8>, u64>,
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
        let mut sh = [0u8; SHAPE_BUF];
        match ascii_scan(s, &mut sh) {
            Some((scan, n)) => self.record(s, w, &scan, &sh[..n]),
            None => {
                let scan = unicode_scan(s, buf);
                self.record(s, w, &scan, buf.as_bytes())
            }
        }
    }

    fn record(&mut self, s: &str, w: u64, scan: &Scan, shape: &[u8]) {
        self.lengths.add(scan.chars as u64, w);
        let trimmed = &s[scan.trimmed.clone()];
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
        if let Some(c) = self.shapes.get_mut(shape) {
            *c += w;
        } else if self.shapes.len() < MAX_SHAPES {
            self.shapes.insert(shape.to_vec(), w);
        } else {
            self.shapes_other += w;
        }
        if scan.digits >= 4 || scan.at {
            let found = match scan.pii {
                PiiCheck::Run => pii::find_in_text(s),
                // What `find_in_text` comes to for such a value.
                PiiCheck::EmailOnly => {
                    ((6..=254).contains(&trimmed.len()) && pii::is_email(trimmed)).then_some(PiiKind::Email)
                }
                PiiCheck::Never => None,
            };
            if let Some(k) = found {
                self.pii[k.index()] += w;
            }
        }
        // No sentinel token has a digit or an `@`.
        if trimmed.len() <= 13 && scan.digits == 0 && !scan.at {
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
        assert_eq!(g.shapes.get(" Aa".as_bytes()), Some(&4));
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
    fn ascii_scan_matches_the_general_scan() {
        let mut a = [0u8; SHAPE_BUF];
        let mut b = String::new();
        for s in [
            "Beijing 100",
            "+86 138-1234",
            "  a  b ",
            "x\ty",
            "ann@example.com",
            "",
            "   ",
            "AAAAaaaa 1234567890123456789012345678",
            "C0001234",
            "slow  happy  ",
            "a  \t",
            "\t a b  c\r\n",
        ] {
            let (scan, n) = ascii_scan(s, &mut a).unwrap();
            let general = unicode_scan(s, &mut b);
            assert_eq!(std::str::from_utf8(&a[..n]).unwrap(), b, "{s:?}");
            assert_eq!(scan.inner_spaces, s.trim().contains("  "), "{s:?}");
            assert_eq!(scan.digits, s.bytes().filter(u8::is_ascii_digit).count());
            assert_eq!((scan.chars, scan.at), (general.chars, general.at), "{s:?}");
            assert_eq!(&s[scan.trimmed], &s[general.trimmed], "{s:?}");
        }
        assert!(ascii_scan("北京 100", &mut a).is_none());
    }

    /// Facets through the ASCII scan (with its shortcuts past the detectors) and through the
    /// general scan (every detector run) agree, over the cells of real tables and values made
    /// to hit each detector.
    #[test]
    fn ascii_shortcuts_agree_with_the_general_path() {
        let mut values: Vec<String> = [
            "ann@example.com",
            " ann@example.com ",
            "a@b.co",
            "a@b.c",
            "mail me: ann@example.com.",
            "x@y.com z",
            "13812345678",
            "+86 138-1234-5678",
            "call 13812345678 now",
            "11010519491231002X",
            "11010519491231002x",
            "4111 1111 1111 1111",
            "4111-1111-1111-1111",
            "192.168.0.1",
            "2001:db8::1",
            "fe80::1:2:3:4",
            "(555) 123-4567",
            "C0001234",
            "ab12:34cd",
            "N/A",
            " unknown ",
            "--",
            "tbd",
            "x12345",
            "X1234567890123456",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        for rel in [
            "telco_customer_churn/Telco-Customer-Churn.DirtyDF-variant.csv",
            "online_retail_uci_first5000/online_retail_small.csv",
            "bank_marketing/bank.csv",
        ] {
            let path = format!("{}/../shared/data/{rel}", env!("CARGO_MANIFEST_DIR"));
            let text = std::fs::read_to_string(&path).unwrap();
            values.extend(
                text.lines().take(3000).flat_map(|l| l.split([',', ';'])).map(|c| c.trim_matches('"').to_string()),
            );
        }
        let mut buf = String::new();
        let (mut fast, mut general) = (TextFacets::default(), TextFacets::default());
        for s in &values {
            fast.add(s, 2, &mut buf);
            let scan = unicode_scan(s, &mut buf);
            general.record(s, 2, &scan, buf.as_bytes());
        }
        assert_eq!(fast, general);
        assert!(values.len() > 50_000, "{}", values.len());
        assert!(fast.pii.iter().filter(|&&c| c > 0).count() == 5, "{:?}", fast.pii);
        assert!(!fast.sentinels.is_empty());
    }

    #[test]
    fn sentinel_tokens_have_no_digit_or_at() {
        assert!(SENTINEL_TOKENS.iter().all(|t| !t.bytes().any(|c| c.is_ascii_digit() || c == b'@')));
    }
}
