//! Streaming CSV records over decoded text, on csv-core's state machine.
//!
//! Text arrives in pieces (`push_text`); each complete record goes to a sink with the
//! line it starts on. The text of the record in progress is kept, so that a quote left
//! open at the end of the input can be re-read with the quote as a literal character.

use csv_core::{ReadRecordResult, Reader, ReaderBuilder};

use crate::error::Result;

/// One record, borrowed from the parser's buffers.
pub struct Record<'a> {
    /// Field bytes, back to back. They are UTF-8 (the input is decoded text and csv-core
    /// only splits at ASCII bytes); validation happens once per column, in `infer`.
    fields: &'a [u8],
    ends: &'a [usize],
    /// 1-based line the record starts on.
    pub line: u64,
    /// Offsets of the record in the whole decoded text.
    pub start: u64,
    pub end: u64,
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    pub fn fields(&self) -> impl Iterator<Item = &'a [u8]> + '_ {
        let mut start = 0;
        self.ends.iter().map(move |&e| {
            let f = self.fields.get(start..e).unwrap_or(&[]);
            start = e;
            f
        })
    }
}

impl super::sink::Fields for Record<'_> {
    fn count(&self) -> usize {
        self.ends.len()
    }
    #[inline]
    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..self.ends[i]).unwrap_or(&[])
    }
}

/// What the sink wants next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flow {
    Continue,
    Stop,
}

pub struct CsvParser {
    rdr: Reader,
    quote: u8,
    delimiter: u8,
    /// Decoded text not yet consumed, starting at the current record's first byte.
    text: String,
    /// Parse position within `text`.
    pos: usize,
    /// Offset of `text[0]` in the whole decoded text.
    base: u64,
    out: Vec<u8>,
    out_len: usize,
    ends: Vec<usize>,
    ends_len: usize,
    /// Newlines consumed before `text[pos]`.
    lines: u64,
    rec_line: u64,
    rec_start: usize,
    in_record: bool,
    done: bool,
}

/// A record that ended at the end of input with an odd number of quote characters.
pub struct Unbalanced {
    /// The record's text, from its first byte to the end of input.
    pub text: String,
    pub line: u64,
    pub start: u64,
}

impl CsvParser {
    pub fn new(delimiter: u8, quote: u8) -> Self {
        CsvParser {
            rdr: ReaderBuilder::new().delimiter(delimiter).quote(quote).build(),
            quote,
            delimiter,
            text: String::new(),
            pos: 0,
            base: 0,
            out: vec![0; 64 * 1024],
            out_len: 0,
            ends: vec![0; 256],
            ends_len: 0,
            lines: 0,
            rec_line: 1,
            rec_start: 0,
            in_record: false,
            done: false,
        }
    }

    /// Quoting off: for re-reading the tail after an unbalanced quote.
    pub fn without_quoting(delimiter: u8, first_line: u64, base: u64) -> Self {
        let mut p = CsvParser::new(delimiter, b'"');
        p.rdr = ReaderBuilder::new().delimiter(delimiter).quoting(false).build();
        p.lines = first_line.saturating_sub(1);
        p.base = base;
        p
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The buffer decoded text is appended to.
    pub fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// Parses what can be parsed. With `last`, the end of input is signalled; returns an
    /// [`Unbalanced`] record instead of emitting it when a quote was left open.
    pub fn parse(&mut self, last: bool, sink: &mut dyn FnMut(Record) -> Result<Flow>) -> Result<Option<Unbalanced>> {
        if self.done {
            return Ok(None);
        }
        loop {
            if !self.in_record {
                // Blank lines between records: count them here so the record's line is exact.
                let bytes = self.text.as_bytes();
                while self.pos < bytes.len() && matches!(bytes[self.pos], b'\r' | b'\n') {
                    self.lines += (bytes[self.pos] == b'\n') as u64;
                    self.pos += 1;
                }
                if self.pos >= self.text.len() && !last {
                    self.compact();
                    return Ok(None);
                }
                self.rec_line = self.lines + 1;
                self.rec_start = self.pos;
            }
            let input = &self.text.as_bytes()[self.pos..];
            let at_end = input.is_empty();
            if at_end && !last {
                self.compact();
                return Ok(None);
            }
            let (res, nin, nout, nend) =
                self.rdr.read_record(input, &mut self.out[self.out_len..], &mut self.ends[self.ends_len..]);
            let consumed = &input[..nin];
            self.lines += consumed.iter().filter(|&&b| b == b'\n').count() as u64;
            self.pos += nin;
            // csv-core keeps field ends relative to the record's first output byte.
            self.out_len += nout;
            self.ends_len += nend;
            self.in_record = true;
            match res {
                ReadRecordResult::InputEmpty => {
                    if !last {
                        self.compact();
                        return Ok(None);
                    }
                }
                ReadRecordResult::OutputFull => {
                    let n = self.out.len();
                    self.out.resize(n * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => {
                    let n = self.ends.len();
                    self.ends.resize(n * 2, 0);
                }
                ReadRecordResult::Record => {
                    let (out_len, ends_len) = (self.out_len, self.ends_len);
                    self.out_len = 0;
                    self.ends_len = 0;
                    self.in_record = false;
                    if at_end && self.quote_left_open() {
                        self.done = true;
                        let start = self.record_start();
                        let text = std::mem::take(&mut self.text);
                        return Ok(Some(Unbalanced {
                            text: text[start..].to_string(),
                            line: self.rec_line,
                            start: self.base + start as u64,
                        }));
                    }
                    let rec = Record {
                        fields: &self.out[..out_len],
                        ends: &self.ends[..ends_len],
                        line: self.rec_line,
                        start: self.base + self.record_start() as u64,
                        end: self.base + self.pos as u64,
                    };
                    if sink(rec)? == Flow::Stop {
                        self.done = true;
                        return Ok(None);
                    }
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(None);
                }
            }
        }
    }

    /// Drops the text before the record in progress (once per input piece, so the cost
    /// stays linear).
    fn compact(&mut self) {
        let keep = if self.in_record { self.rec_start } else { self.pos };
        if keep > 0 {
            self.text.drain(..keep);
            self.base += keep as u64;
            self.pos -= keep;
            self.rec_start -= keep.min(self.rec_start);
        }
    }

    fn record_start(&self) -> usize {
        self.rec_start
    }

    /// Whether the record that the end of input closed has a quote that was never
    /// closed: an odd number of quote characters, and some field opening with one.
    fn quote_left_open(&self) -> bool {
        let t = &self.text.as_bytes()[self.rec_start.min(self.text.len())..];
        t.iter().filter(|&&b| b == self.quote).count() % 2 == 1
            && (t.first() == Some(&self.quote) || t.windows(2).any(|w| w[0] == self.delimiter && w[1] == self.quote))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Parsed = (Vec<(u64, Vec<String>)>, Option<(u64, String)>);

    fn parse_all(text: &str, chunk: usize) -> Parsed {
        let mut p = CsvParser::new(b',', b'"');
        let mut got = Vec::new();
        let mut unbalanced = None;
        let bytes = text.as_bytes();
        let mut i = 0;
        loop {
            let end = (i + chunk).min(bytes.len());
            // Split on char boundaries only, as the decoder does.
            let mut e = end;
            while !text.is_char_boundary(e) {
                e += 1;
            }
            p.text_mut().push_str(&text[i..e]);
            i = e;
            let last = i >= bytes.len();
            let u = p
                .parse(last, &mut |r| {
                    got.push((r.line, r.fields().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect()));
                    Ok(Flow::Continue)
                })
                .unwrap();
            if let Some(u) = u {
                unbalanced = Some((u.line, u.text));
            }
            if last {
                break;
            }
        }
        (got, unbalanced)
    }

    #[test]
    fn quoted_newlines_crlf_and_line_numbers_at_any_chunking() {
        let text = "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,\"he said \"\"hi\"\"\"\n3,z";
        for chunk in [1, 2, 3, 5, 7, 64] {
            let (got, u) = parse_all(text, chunk);
            assert!(u.is_none());
            assert_eq!(
                got,
                vec![
                    (1, vec!["a".into(), "b".into()]),
                    (2, vec!["1".into(), "x\r\ny".into()]),
                    (5, vec!["2".into(), "he said \"hi\"".into()]),
                    (6, vec!["3".into(), "z".into()]),
                ],
                "chunk {chunk}"
            );
        }
    }

    #[test]
    fn open_quote_at_end_is_reported_with_its_line_and_text() {
        let (got, u) = parse_all("a,b\n1,\"oops\n2,x\n3,y\n", 4);
        assert_eq!(got.len(), 1);
        let (line, text) = u.unwrap();
        assert_eq!(line, 2);
        assert_eq!(text, "1,\"oops\n2,x\n3,y\n");
    }

    #[test]
    fn stray_quote_inside_a_field_is_literal() {
        let (got, u) = parse_all("a,b\n1,5\" screen\n", 64);
        assert!(u.is_none());
        assert_eq!(got[1].1[1], "5\" screen");
    }
}
