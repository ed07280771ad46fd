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

/// Picks the delimiter: the candidate among `,` `;` tab `|` that splits the sample into
/// the most consistent number (≥ 2) of fields; runs of whitespace when none does.
pub fn sniff_delimiter(sample: &str, quote: u8, complete: bool) -> Delimiter {
    let mut best: Option<(f64, usize, Delimiter)> = None;
    for b in [b',', b';', b'\t', b'|'] {
        let d = Delimiter::Byte(b);
        let recs = sample_records(sample, d, quote, complete, 100);
        let (share, k) = consistency(&recs);
        if k < 2 || share < 0.5 {
            continue;
        }
        // Consistency first (in 5% steps, so noise does not decide), then more fields.
        let key = ((share * 20.0).floor(), k);
        if best.as_ref().is_none_or(|(s, bk, _)| key > ((s * 20.0).floor(), *bk)) {
            best = Some((share, k, d));
        }
    }
    if let Some((_, _, d)) = best {
        return d;
    }
    let ws = sample_records(sample, Delimiter::Whitespace, quote, complete, 100);
    let (share, k) = consistency(&ws);
    if k >= 2 && share >= 0.9 {
        Delimiter::Whitespace
    } else {
        Delimiter::Byte(b',')
    }
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
