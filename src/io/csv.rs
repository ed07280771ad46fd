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
    /// The record had a quote that was never closed properly; it and the lines the quote
    /// swallowed were re-read with the quote as a literal character.
    pub bad_quote: bool,
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

impl super::record::Fields for Record<'_> {
    fn count(&self) -> usize {
        self.ends.len()
    }
    #[inline]
    fn field(&self, i: usize) -> &[u8] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        self.fields.get(start..self.ends[i]).unwrap_or(&[])
    }
}

pub use super::record::Flow;

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
    quoting: bool,
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
            quoting: true,
        }
    }

    /// Quoting off: for re-reading the tail after an unbalanced quote.
    pub fn without_quoting(delimiter: u8, first_line: u64, base: u64) -> Self {
        let mut p = CsvParser::new(delimiter, b'"');
        p.rdr = ReaderBuilder::new().delimiter(delimiter).quoting(false).build();
        p.quoting = false;
        p.lines = first_line.saturating_sub(1);
        p.base = base;
        p
    }

    /// Numbers lines from `line` on (a shard that starts inside a file).
    pub fn set_first_line(&mut self, line: u64) {
        self.lines = line.saturating_sub(1);
    }

    pub fn delimiter(&self) -> u8 {
        self.delimiter
    }

    /// The buffer decoded text is appended to.
    pub fn text_mut(&mut self) -> &mut String {
        &mut self.text
    }

    /// Parses what can be parsed; with `last`, the end of input is signalled. A quote that
    /// is never closed (at the end of input), or that closes only after swallowing line
    /// breaks and is then followed by more text (`"open⏎3,y⏎5,"q"`), is re-read with the
    /// quote as a literal character: the first of those records comes with `bad_quote`.
    pub fn parse(&mut self, last: bool, sink: &mut dyn FnMut(Record) -> Result<Flow>) -> Result<()> {
        if self.done {
            return Ok(());
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
                    return Ok(());
                }
                self.rec_line = self.lines + 1;
                self.rec_start = self.pos;
            }
            let input = &self.text.as_bytes()[self.pos..];
            let at_end = input.is_empty();
            if at_end && !last {
                self.compact();
                return Ok(());
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
                        return Ok(());
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
                    let left_open = self.quoting && at_end && self.quote_left_open();
                    if left_open || (self.quoting && !at_end && self.misquoted_across_lines()) {
                        let raw = self.text[self.rec_start..self.pos].to_string();
                        let mut literal = CsvParser::without_quoting(
                            self.delimiter,
                            self.rec_line,
                            self.base + self.rec_start as u64,
                        );
                        literal.text_mut().push_str(&raw);
                        let (mut first, mut stop) = (true, false);
                        literal.parse(true, &mut |mut rec| {
                            rec.bad_quote = std::mem::take(&mut first);
                            let flow = sink(rec)?;
                            stop |= flow == Flow::Stop;
                            Ok(flow)
                        })?;
                        if stop || left_open {
                            self.done = true;
                            return Ok(());
                        }
                        continue;
                    }
                    let rec = Record {
                        fields: &self.out[..out_len],
                        ends: &self.ends[..ends_len],
                        line: self.rec_line,
                        start: self.base + self.record_start() as u64,
                        end: self.base + self.pos as u64,
                        bad_quote: false,
                    };
                    if sink(rec)? == Flow::Stop {
                        self.done = true;
                        return Ok(());
                    }
                }
                ReadRecordResult::End => {
                    self.done = true;
                    return Ok(());
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

    /// Whether the record just read spans line breaks inside quotes and closes a quote
    /// that is followed by something other than a delimiter or line end: the sign of a
    /// stray opening quote that swallowed the following lines.
    fn misquoted_across_lines(&self) -> bool {
        let raw = &self.text.as_bytes()[self.rec_start..self.pos];
        let body = raw.strip_suffix(b"\n").unwrap_or(raw);
        let body = body.strip_suffix(b"\r").unwrap_or(body);
        if !body.contains(&self.quote) || !body.contains(&b'\n') {
            return false;
        }
        let (mut in_quotes, mut field_start, mut closed) = (false, true, false);
        let mut i = 0;
        while i < body.len() {
            let b = body[i];
            if in_quotes {
                if b == self.quote {
                    if body.get(i + 1) == Some(&self.quote) {
                        i += 1;
                    } else {
                        in_quotes = false;
                        closed = true;
                    }
                }
            } else if closed {
                if b != self.delimiter {
                    return true;
                }
                closed = false;
                field_start = true;
            } else if field_start && b == self.quote {
                in_quotes = true;
                field_start = false;
            } else {
                field_start = b == self.delimiter;
            }
            i += 1;
        }
        false
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

    type Parsed = Vec<(u64, Vec<String>, bool)>;

    fn parse_all(text: &str, chunk: usize) -> Parsed {
        let mut p = CsvParser::new(b',', b'"');
        let mut got = Vec::new();
        let mut i = 0;
        loop {
            // Split on char boundaries only, as the decoder does.
            let mut e = (i + chunk).min(text.len());
            while !text.is_char_boundary(e) {
                e += 1;
            }
            p.text_mut().push_str(&text[i..e]);
            i = e;
            let last = i >= text.len();
            p.parse(last, &mut |r| {
                got.push((r.line, r.fields().map(|f| String::from_utf8(f.to_vec()).unwrap()).collect(), r.bad_quote));
                Ok(Flow::Continue)
            })
            .unwrap();
            if last {
                return got;
            }
        }
    }

    fn rows(p: &Parsed) -> Vec<(u64, Vec<String>)> {
        p.iter().map(|(l, f, _)| (*l, f.clone())).collect()
    }

    #[test]
    fn quoted_newlines_crlf_and_line_numbers_at_any_chunking() {
        let text = "a,b\r\n1,\"x\r\ny\"\r\n\r\n2,\"he said \"\"hi\"\"\"\n3,z";
        for chunk in [1, 2, 3, 5, 7, 64] {
            let got = parse_all(text, chunk);
            assert!(got.iter().all(|r| !r.2));
            assert_eq!(
                rows(&got),
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
    fn open_quote_at_end_is_re_read_literally() {
        for chunk in [3, 4, 64] {
            let got = parse_all("a,b\n1,\"oops\n2,x\n3,y\n", chunk);
            let lines: Vec<(u64, bool)> = got.iter().map(|r| (r.0, r.2)).collect();
            assert_eq!(lines, vec![(1, false), (2, true), (3, false), (4, false)]);
            assert_eq!(got[1].1, vec!["1", "\"oops"]);
        }
    }

    #[test]
    fn quote_closing_after_swallowed_lines_is_re_read_literally() {
        let got = parse_all("a,b\n1,x\n2,\"open\n3,y\n4,z\n5,\"q\"\n6,w\n", 64);
        let lines: Vec<(u64, bool)> = got.iter().map(|r| (r.0, r.2)).collect();
        assert_eq!(lines, vec![(1, false), (2, false), (3, true), (4, false), (5, false), (6, false), (7, false)]);
        // A proper multi-line quoted field is not touched.
        let got = parse_all("a,b\n1,\"two\nlines\"\n2,x\n", 5);
        assert_eq!(got.len(), 3);
        assert!(got.iter().all(|r| !r.2));
    }

    #[test]
    fn stray_quote_inside_a_field_is_literal() {
        let got = parse_all("a,b\n1,5\" screen\n", 64);
        assert!(got.iter().all(|r| !r.2));
        assert_eq!(got[1].1[1], "5\" screen");
    }
}
