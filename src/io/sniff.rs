//! Dialect sniffing on the first part of a file: the delimiter, then whether the first
//! record is a header.

use super::csv::{CsvParser, Flow};
use super::options::Delimiter;
use super::sink::Fields;
use crate::cells::values::{parse_bool, parse_date_cell, parse_number};

/// Records of `sample` split with `delim` (at most `max` records; the last, possibly
/// incomplete, line is ignored unless `complete`).
pub fn sample_records(sample: &str, delim: Delimiter, quote: u8, complete: bool, max: usize) -> Vec<Vec<String>> {
    // An incomplete sample ends inside a record: only whole lines count.
    let text = if complete { sample } else { sample.rfind('\n').map_or("", |p| &sample[..=p]) };
    match delim {
        Delimiter::Whitespace => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(max)
            .map(|l| l.split_ascii_whitespace().map(str::to_string).collect())
            .collect(),
        Delimiter::Byte(b) => {
            let mut parser = CsvParser::new(b, quote);
            parser.text_mut().push_str(text);
            let mut records = Vec::new();
            let mut collect = |rec: super::csv::Record| {
                records.push((0..rec.count()).map(|j| String::from_utf8_lossy(rec.field(j)).into_owned()).collect());
                Ok(if records.len() >= max { Flow::Stop } else { Flow::Continue })
            };
            // The sample is in memory and the sink never fails, so this cannot error.
            let _ = parser.parse(complete, &mut collect);
            records
        }
        Delimiter::Lines => text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .take(max)
            .map(|l| vec![l.trim_end_matches('\r').to_string()])
            .collect(),
        Delimiter::Auto => Vec::new(),
    }
}

/// How consistently a delimiter splits the sample: (share of records with the most common
/// field count, that field count).
fn consistency(records: &[Vec<String>]) -> (f64, usize) {
    if records.is_empty() {
        return (0.0, 0);
    }
    let mut counts: Vec<(usize, usize)> = Vec::new();
    for r in records {
        match counts.iter_mut().find(|(k, _)| *k == r.len()) {
            Some((_, c)) => *c += 1,
            None => counts.push((r.len(), 1)),
        }
    }
    let &(k, c) = counts.iter().max_by_key(|(k, c)| (*c, *k)).unwrap_or(&(0, 0));
    (c as f64 / records.len() as f64, k)
}

/// The sniffer's decision: the delimiter, how sure it is (0–1) and why, in words.
#[derive(Debug, Clone, PartialEq)]
pub struct Sniffed {
    pub delimiter: Delimiter,
    pub confidence: f64,
    pub note: String,
}

/// Picks the delimiter: the candidate among `,` `;` tab `|` that splits the sample into
/// the most consistent number (≥ 2) of fields; runs of whitespace when none does; when
/// neither does and the lines do not parse as a one-column CSV either (some hold commas
/// or quotes that split them unevenly), each line is one text value ("lines": a file of
/// reviews, one per line).
pub fn sniff_delimiter(sample: &str, quote: u8, complete: bool) -> Delimiter {
    sniff(sample, quote, complete).delimiter
}

/// How a candidate delimiter ranks: consistency step, fewer stray quotes, more fields.
type Rank = (u32, usize, usize);

/// [`sniff_delimiter`] with its confidence and reason.
#[inline(never)]
pub fn sniff(sample: &str, quote: u8, complete: bool) -> Sniffed {
    let mut best: Option<(Rank, f64, Delimiter)> = None;
    for b in [b',', b';', b'\t', b'|'] {
        let d = Delimiter::Byte(b);
        let recs = sample_records(sample, d, quote, complete, 100);
        let (share, k) = consistency(&recs);
        if k < 2 || share < 0.5 {
            continue;
        }
        // Consistency first (in 5% steps, so noise does not decide), then fewer quoted
        // fields that close before something other than this delimiter (the mark of a
        // wrong one: `"a,b";"c"` split on `;` would be 2 fields but on `,` is malformed),
        // then more fields.
        let key = ((share * 20.0).floor() as u32, usize::MAX - stray_quotes(sample, b, quote), k);
        if best.as_ref().is_none_or(|(bk, ..)| key > *bk) {
            best = Some((key, share, d));
        }
    }
    if let Some(((_, _, k), share, d)) = best {
        let note = format!("{:?}: {:.0}% of the sampled records have {k} fields", d.label(), share * 100.0);
        return Sniffed { delimiter: d, confidence: share, note };
    }
    let comma = sample_records(sample, Delimiter::Byte(b','), quote, complete, 100);
    let (comma_share, comma_k) = consistency(&comma);
    let one_column = !comma.is_empty() && comma_k == 1 && comma_share == 1.0;
    let ws = sample_records(sample, Delimiter::Whitespace, quote, complete, 100);
    let (share, k) = consistency(&ws);
    // A line that is one quoted field with white space inside is a value the whitespace
    // split would cut: with every record one field, the file is a one-column table (the
    // form `to_csv` writes one; whitespace-separated files do not quote whole lines).
    if k >= 2 && share >= 0.9 && !(one_column && has_quoted_spaced_line(sample, quote)) {
        return Sniffed {
            delimiter: Delimiter::Whitespace,
            confidence: share,
            note: format!("whitespace: {:.0}% of the sampled lines have {k} space-separated fields", share * 100.0),
        };
    }
    let share = comma_share;
    if comma.len() < 2 || one_column {
        return Sniffed {
            delimiter: Delimiter::Byte(b','),
            confidence: if comma.len() < 2 { 0.0 } else { 1.0 },
            note: if comma.len() < 2 {
                "\",\": too few records to decide; one column".into()
            } else {
                "\",\": every sampled record is one field (a one-column table)".into()
            },
        };
    }
    Sniffed {
        delimiter: Delimiter::Lines,
        confidence: 1.0 - share.max(0.5),
        note: format!(
            "lines: no delimiter splits the lines consistently (at best {:.0}% share one field count); each line is one text value",
            share * 100.0
        ),
    }
}

/// How many quoted fields in `sample` close before a byte other than `delim` or a line end,
/// read with `delim` as the delimiter (`"a"x` on `;`; a doubled quote is an escape).
#[inline(never)]
fn stray_quotes(sample: &str, delim: u8, quote: u8) -> usize {
    if quote == 0 {
        return 0;
    }
    let s = sample.as_bytes();
    let (mut n, mut i, mut start, mut quoted) = (0, 0, true, false);
    while i < s.len() {
        let b = s[i];
        i += 1;
        if quoted {
            if b == quote {
                if s.get(i) == Some(&quote) {
                    i += 1;
                } else {
                    quoted = false;
                    n += usize::from(!matches!(s.get(i), None | Some(b'\n' | b'\r')) && s.get(i) != Some(&delim));
                }
            }
        } else {
            quoted = start && b == quote;
            start = b == delim || b == b'\n';
        }
    }
    n
}

/// Whether some line of the first 100 of `sample` is one quoted field (`"…"`, inner quotes
/// doubled) holding a space or a tab.
fn has_quoted_spaced_line(sample: &str, quote: u8) -> bool {
    let q = quote as char;
    if quote == 0 || !quote.is_ascii() {
        return false;
    }
    sample.lines().take(100).any(|l| {
        let l = l.trim_end_matches('\r');
        let Some(inner) = l.strip_prefix(q).and_then(|r| r.strip_suffix(q)) else {
            return false;
        };
        let mut lone = false;
        let mut it = inner.chars().peekable();
        while let Some(c) = it.next() {
            if c == q {
                if it.peek() == Some(&q) {
                    it.next();
                } else {
                    lone = true;
                    break;
                }
            }
        }
        !lone && inner.contains([' ', '\t'])
    })
}

/// Report title lines above the header (issue 21 item 5): a CRM report export often starts
/// with its name, the company, "Generated By: … at …" or a filter line, each one field,
/// before the header. Counts the leading records (at most 10) with at most one non-empty
/// field, when a record with at least two follows them and the table is at least two
/// fields wide (the sample's most common field count). 0 when there is none.
#[inline(never)]
pub fn preamble(records: &[Vec<String>]) -> usize {
    let (_, width) = consistency(records);
    let filled = |r: &Vec<String>| r.iter().filter(|f| !f.trim().is_empty()).count();
    let k = records.iter().take(10).take_while(|r| filled(r) <= 1).count();
    match records.get(k) {
        Some(next) if width >= 2 && k > 0 && filled(next) >= 2 => k,
        _ => 0,
    }
}

/// Whether a file read as lines starts with a header: a short first line (≤ 3 words,
/// ≤ 32 characters, no sentence punctuation) above lines that are on average more than
/// twice as long.
#[inline(never)]
pub fn lines_header(records: &[Vec<String>]) -> bool {
    let Some(first) = records.first().and_then(|r| r.first()) else {
        return false;
    };
    let rest = &records[1..];
    if rest.is_empty() {
        return false;
    }
    let t = first.trim();
    let avg = rest.iter().map(|r| r.first().map_or(0, |s| s.chars().count())).sum::<usize>() as f64 / rest.len() as f64;
    t.split_whitespace().count() <= 3
        && t.chars().count() <= 32
        && !t.contains(['.', '!', '?', ',', '。', '，', '！', '？'])
        && avg > 2.0 * t.chars().count() as f64
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Empty,
    Typed,
    Text,
}

fn kind(s: &str) -> Kind {
    let t = s.trim();
    if t.is_empty() {
        Kind::Empty
    } else if parse_number(t).is_some() || parse_date_cell(t).is_some() || parse_bool(t).is_some() {
        Kind::Typed
    } else {
        Kind::Text
    }
}

/// Whether the first record is a header: some column holds a word on top of typed values
/// (numbers, dates, booleans), and no first-row cell is itself typed over a typed column.
/// When the sample gives no such evidence (all-text tables), a first row of distinct,
/// non-empty cells is taken as the header.
pub fn detect_header(records: &[Vec<String>]) -> bool {
    let Some(first) = records.first() else {
        return false;
    };
    let rest = &records[1..];
    let (mut yes, mut no) = (0, 0);
    for (j, cell) in first.iter().enumerate() {
        let below: Vec<Kind> =
            rest.iter().filter_map(|r| r.get(j)).map(|s| kind(s)).filter(|k| *k != Kind::Empty).collect();
        if below.is_empty() {
            continue;
        }
        let typed = below.iter().filter(|k| **k == Kind::Typed).count() as f64 / below.len() as f64;
        match kind(cell) {
            Kind::Text if typed >= 0.8 => yes += 1,
            Kind::Typed if typed >= 0.8 => no += 1,
            _ => {}
        }
    }
    if yes > 0 || no > 0 {
        return yes > no;
    }
    let mut seen = std::collections::HashSet::new();
    first.iter().all(|c| !c.trim().is_empty() && kind(c) == Kind::Text && seen.insert(c.trim()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn picks_delimiters() {
        assert_eq!(sniff_delimiter("a,b,c\n1,2,3\n4,5,6\n", b'"', true), Delimiter::Byte(b','));
        assert_eq!(sniff_delimiter("\"age\";\"job\"\n30;\"a, b\"\n33;\"c\"\n", b'"', true), Delimiter::Byte(b';'));
        assert_eq!(sniff_delimiter("1|Toy Story, The (1995)|x\n2|GoldenEye|y\n", b'"', true), Delimiter::Byte(b'|'));
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n", b'"', true), Delimiter::Byte(b'\t'));
        assert_eq!(
            sniff_delimiter(" id  date n\n 00001 19970101  1\n 00002 19970112  1\n", b'"', true),
            Delimiter::Whitespace
        );
    }

    /// `to_csv` of a one-column table quotes a spaced value: not split on whitespace. An
    /// unquoted (or field-by-field quoted) whitespace file is still split.
    #[test]
    fn quoted_one_field_lines_are_one_column() {
        let one = "\"full name\"\n\"Ann Smith\"\n\"Bob Jones\"\n\"say \"\"hi there\"\"\"\n";
        assert_eq!(sniff_delimiter(one, b'"', true), Delimiter::Byte(b','));
        assert_eq!(sniff_delimiter("full name\nAnn Smith\nBob Jones\n", b'"', true), Delimiter::Whitespace);
        assert_eq!(sniff_delimiter("\"a\" \"b\"\n\"1\" \"2\"\n\"3\" \"4\"\n", b'"', true), Delimiter::Whitespace);
    }

    /// A field quoted for the comma that holds `;` (campaign 6's header-only table) is not
    /// split on `;`, which would close a quote before a comma.
    #[test]
    fn quotes_closing_before_another_byte_mark_a_wrong_delimiter() {
        let line = "\"\"\"a\",\"ge\"\";\"\"job\"\"{;\"\"m\"\";\"\"day\"\"\"\n";
        assert_eq!(stray_quotes(line, b',', b'"'), 0);
        assert_eq!(stray_quotes(line, b';', b'"'), 4);
        assert_eq!(sniff_delimiter(line, b'"', true), Delimiter::Byte(b','));
        assert_eq!(sniff_delimiter("\"a;b\",\"c;d;e\"\n\"f;g\",\"h;i;j\"\n", b'"', true), Delimiter::Byte(b','));
    }

    #[test]
    fn wide_records() {
        let header = (0..3000).map(|i| format!("c{i}")).collect::<Vec<_>>().join(";");
        let row = (0..3000).map(|i| i.to_string()).collect::<Vec<_>>().join(";");
        let text = format!("{header}\n{row}\n{row}\n");
        assert_eq!(sniff_delimiter(&text, b'"', true), Delimiter::Byte(b';'));
        assert!(detect_header(&sample_records(&text, Delimiter::Byte(b';'), b'"', true, 50)));
    }

    #[test]
    fn header_detection() {
        let r = |rows: &[&[&str]]| {
            rows.iter().map(|r| r.iter().map(|s| s.to_string()).collect()).collect::<Vec<Vec<String>>>()
        };
        assert!(detect_header(&r(&[&["id", "amount"], &["1", "2.5"], &["2", "3"]])));
        assert!(!detect_header(&r(&[&["1", "Toy Story", "01-Jan-1995"], &["2", "GoldenEye", "01-Jan-1995"]])));
        assert!(detect_header(&r(&[&["name", "city"], &["Ann", "Paris"], &["Bo", "Rome"]])));
    }
}
