//! The streaming loader: bytes in, a typed [`Dataset`] out.
//!
//! `push` takes the input in chunks of any size; `finish` ends it. The first 64 KiB
//! decide the format, encoding, delimiter and header. From then on each chunk is decoded,
//! split into records and appended to text columns; the raw bytes of a chunk are not
//! kept. `finish` infers each column's type and converts the columns one at a time,
//! freeing each column's text as soon as its typed column exists.

use super::csv::{CsvParser, Flow};
use super::encoding::{detect, StreamDecoder};
use super::infer::{infer_column, InferOptions};
use super::json::{ndjson_into, read_json_array, JsonColumns};
use super::options::{Delimiter, Format, LoadOptions};
use super::shard::CsvShard;
use super::sink::{Problem, RecordSink};
use super::sniff::{detect_header, lines_header, preamble, sample_records, sniff};
use crate::error::{CrmError, Result};
use crate::table::{Dataset, SourceInfo};

/// Bytes looked at before deciding the dialect.
pub const SNIFF_BYTES: usize = 64 * 1024;

enum Stage {
    /// Collecting the first bytes.
    Sniffing(Vec<u8>),
    Csv(Box<CsvParser>),
    /// Runs of whitespace separate fields; `text` holds the unfinished line.
    Whitespace {
        text: String,
        line: u64,
    },
    /// Each non-blank line is one text value; `text` holds the unfinished line.
    Lines {
        text: String,
        line: u64,
    },
    /// One object per line; `text` holds the unfinished line.
    Ndjson {
        text: String,
        line: u64,
        cols: JsonColumns,
    },
    /// A JSON array is read whole (the text, not a parsed tree).
    Json(String),
    Done,
}

pub struct Loader {
    opts: LoadOptions,
    stage: Stage,
    decoder: Option<StreamDecoder>,
    sink: RecordSink,
    source: SourceInfo,
    /// `maxRows` reached: later input is counted but not read.
    stopped: bool,
    /// Total input size, when the caller knows it: the columns are sized once from it.
    expected_bytes: Option<u64>,
    /// Reading one byte range of a file (`io::shard`).
    shard: Option<CsvShard>,
}

impl Loader {
    pub fn new(opts: LoadOptions) -> Result<Self> {
        opts.validate()?;
        let sink = RecordSink::new(opts.bad_rows(), opts.header, opts.max_rows);
        Ok(Loader {
            opts,
            stage: Stage::Sniffing(Vec::new()),
            decoder: None,
            sink,
            source: SourceInfo::default(),
            stopped: false,
            expected_bytes: None,
            shard: None,
        })
    }

    /// A loader of one byte range of a CSV file (`io::shard`): with `shard.names`, the
    /// range has no header row and `opts` must give the file's delimiter and encoding.
    pub fn shard(opts: LoadOptions, shard: CsvShard) -> Result<Self> {
        let mut l = Loader::new(opts)?;
        l.sink.names = shard.names.clone();
        l.shard = Some(shard);
        Ok(l)
    }

    /// Tells the loader the whole input's size (a hint: any size still loads correctly).
    /// The text columns are then allocated once, from the first bytes' average record
    /// size, instead of growing (and copying) step by step.
    pub fn expect_bytes(&mut self, total: u64) {
        self.expected_bytes = Some(total);
    }

    /// Input bytes read so far.
    pub fn bytes_read(&self) -> u64 {
        self.source.bytes
    }
    /// Data rows in the table so far.
    pub fn rows(&self) -> usize {
        self.sink.rows()
    }
    /// True once `maxRows` rows were read; the rest of the input may be skipped.
    pub fn is_full(&self) -> bool {
        self.stopped
    }

    /// Feeds the next chunk of input.
    pub fn push(&mut self, chunk: &[u8]) -> Result<()> {
        self.source.bytes += chunk.len() as u64;
        if self.stopped {
            return Ok(());
        }
        if let Stage::Sniffing(buf) = &mut self.stage {
            buf.extend_from_slice(chunk);
            if buf.len() < SNIFF_BYTES {
                return Ok(());
            }
            let sample = std::mem::take(buf);
            self.start(&sample, false)?;
            return self.feed(&sample, false);
        }
        self.feed(chunk, false)
    }

    /// Ends the input and builds the dataset.
    pub fn finish(mut self) -> Result<Dataset> {
        if let Stage::Sniffing(buf) = &mut self.stage {
            let sample = std::mem::take(buf);
            if sample.iter().all(|b| b.is_ascii_whitespace()) {
                return Err(CrmError::empty("the input has no data"));
            }
            self.start(&sample, true)?;
            self.feed(&sample, true)?;
        } else if !self.stopped {
            // Once `maxRows` is reached the unfinished last line is not read either
            // (fuzz findings 03 and 05: it used to become row N + 1).
            self.feed(&[], true)?;
        }
        self.build()
    }

    /// Decides format, encoding, delimiter and header from the first bytes.
    fn start(&mut self, sample: &[u8], complete: bool) -> Result<()> {
        let head = &sample[..sample.len().min(SNIFF_BYTES)];
        let complete = complete && head.len() == sample.len();
        let (encoding, decoder) = match self.opts.encoding()? {
            Some(e) => (e, StreamDecoder::new(e)),
            None => {
                let e = detect(head, complete);
                (e, StreamDecoder::auto(e, head))
            }
        };
        // Decode a copy of the sample for sniffing; the real decode happens in `feed`.
        let mut text = String::new();
        StreamDecoder::new(encoding).decode(head, &mut text, complete);
        super::signature::check(head, &text)?;
        let format = match self.opts.format {
            Format::Auto => guess_format(self.opts.file_name.as_deref(), &text),
            f => f,
        };
        self.stage = match format {
            Format::Json => {
                self.source.format = "json".into();
                Stage::Json(String::new())
            }
            Format::Ndjson => {
                self.source.format = "ndjson".into();
                Stage::Ndjson { text: String::new(), line: 1, cols: JsonColumns::default() }
            }
            Format::Csv | Format::Auto => {
                self.source.format = "csv".into();
                let quote = self.opts.quote()?;
                let delim = match self.opts.delimiter()? {
                    Delimiter::Auto => {
                        let sniffed = sniff(&text, quote, complete);
                        self.source.delimiter_confidence = Some((sniffed.confidence * 1000.0).round() / 1000.0);
                        self.source.sniff_note = Some(sniffed.note);
                        sniffed.delimiter
                    }
                    d => d,
                };
                self.source.delimiter = Some(delim.label());
                // One parse of the sample serves the header check (first 50 records) and the
                // column sizes (all 200).
                let named = self.shard.as_ref().is_some_and(|s| s.names.is_some());
                let mut records = sample_records(&text, delim, quote, complete, 200);
                // Report title lines above the header are left out (and listed) by the sink;
                // a shard after the first starts past them.
                if !named && matches!(delim, Delimiter::Byte(_)) {
                    let k = preamble(&records);
                    if k > 0 {
                        self.sink.preamble = k;
                        records.drain(..k);
                    }
                }
                let header = match self.opts.header {
                    _ if named => false,
                    Some(h) => h,
                    None if delim == Delimiter::Lines => lines_header(&records[..records.len().min(50)]),
                    None => detect_header(&records[..records.len().min(50)]),
                };
                self.source.header = header;
                self.sink.set_header(header);
                if let Some(total) = self.expected_bytes {
                    self.sink.size_hint(&text, &records, total, header);
                }
                match delim {
                    Delimiter::Byte(b) => {
                        let mut p = CsvParser::new(b, quote);
                        p.set_first_line(self.shard.as_ref().map_or(1, |s| s.first_line.max(1)));
                        Stage::Csv(Box::new(p))
                    }
                    Delimiter::Lines => {
                        self.sink.lines_name = Some("text".into());
                        Stage::Lines { text: String::new(), line: 1 }
                    }
                    _ => Stage::Whitespace {
                        text: String::new(),
                        line: self.shard.as_ref().map_or(1, |s| s.first_line.max(1)),
                    },
                }
            }
        };
        self.decoder = Some(decoder);
        Ok(())
    }

    fn feed(&mut self, bytes: &[u8], last: bool) -> Result<()> {
        let Some(decoder) = self.decoder.as_mut() else {
            return Err(CrmError::state("loader was not started"));
        };
        let sink = &mut self.sink;
        let flow = match &mut self.stage {
            Stage::Csv(parser) => {
                decoder.decode(bytes, parser.text_mut(), last);
                let malformed = &mut decoder.malformed;
                let mut sink_fn = |rec: super::csv::Record| -> Result<Flow> {
                    let mut problem = None;
                    while malformed.front().is_some_and(|&m| m < rec.start) {
                        malformed.pop_front();
                    }
                    if malformed.front().is_some_and(|&m| m < rec.end) {
                        problem = Some(Problem::Encoding);
                    }
                    if rec.bad_quote {
                        problem = Some(Problem::UnbalancedQuote);
                    }
                    sink.record(&rec, rec.line, problem)
                };
                parser.parse(last, &mut sink_fn)?;
                Flow::Continue
            }
            Stage::Whitespace { text, line } => {
                decoder.decode(bytes, text, last);
                let cut = if last { text.len() } else { text.rfind('\n').map_or(0, |p| p + 1) };
                let mut flow = Flow::Continue;
                let any_bad = !decoder.malformed.is_empty();
                // One field list for the whole chunk (not an allocation per line).
                let mut fields: Vec<&[u8]> = Vec::new();
                let mut pos = 0;
                while pos < cut {
                    let end = split_whitespace_line(&text.as_bytes()[..cut], pos, &mut fields);
                    let l = &text[pos..end];
                    pos = end;
                    let this = *line;
                    *line += 1;
                    if fields.iter().all(|f| f[0] >= 0x80 && std::str::from_utf8(f).is_ok_and(|s| s.trim().is_empty()))
                    {
                        continue; // blank, also when its only "fields" are Unicode spaces
                    }
                    let problem = (any_bad && l.contains('\u{FFFD}')).then_some(Problem::Encoding);
                    if sink.record(&fields, this, problem)? == Flow::Stop {
                        flow = Flow::Stop;
                        break;
                    }
                }
                drop(fields);
                text.drain(..cut);
                flow
            }
            Stage::Lines { text, line } => {
                decoder.decode(bytes, text, last);
                let cut = if last { text.len() } else { text.rfind('\n').map_or(0, |p| p + 1) };
                let any_bad = !decoder.malformed.is_empty();
                let mut flow = Flow::Continue;
                for l in text[..cut].split_inclusive('\n') {
                    let this = *line;
                    *line += 1;
                    let value = l.trim_end_matches('\n').trim_end_matches('\r');
                    if value.trim().is_empty() {
                        continue;
                    }
                    let problem = (any_bad && value.contains('\u{FFFD}')).then_some(Problem::Encoding);
                    if sink.record(&vec![value.as_bytes()], this, problem)? == Flow::Stop {
                        flow = Flow::Stop;
                        break;
                    }
                }
                text.drain(..cut);
                flow
            }
            Stage::Ndjson { text, line, cols } => {
                decoder.decode(bytes, text, last);
                let cut = if last { text.len() } else { text.rfind('\n').map_or(0, |p| p + 1) };
                let bad = !decoder.malformed.is_empty();
                let flow = ndjson_into(&text[..cut], *line, bad, sink, cols)?;
                *line += text[..cut].matches('\n').count() as u64;
                text.drain(..cut);
                flow
            }
            Stage::Json(text) => {
                decoder.decode(bytes, text, last);
                if last {
                    let t = std::mem::take(text);
                    read_json_array(&t, sink)?;
                }
                Flow::Continue
            }
            Stage::Sniffing(_) | Stage::Done => Flow::Continue,
        };
        if flow == Flow::Stop || self.sink.truncated {
            self.stopped = true;
        }
        Ok(())
    }

    fn build(mut self) -> Result<Dataset> {
        self.stage = Stage::Done;
        if self.source.format == "csv" && self.shard.as_ref().is_none_or(|s| s.last) {
            self.sink.drop_footer();
        }
        let table = self.sink.table.take().unwrap_or_default();
        if table.columns.is_empty() {
            return Err(CrmError::empty("the input has no columns"));
        }
        let mut infer = InferOptions {
            missing: self.opts.missing_tokens(),
            date_order: self.opts.effective_date_order()?,
            number_locale: self.opts.number_locale()?,
            semicolon: self.source.delimiter.as_deref() == Some(";"),
            force: Default::default(),
        };
        let mut columns = Vec::with_capacity(table.columns.len());
        for (j, raw) in table.columns.into_iter().enumerate() {
            infer.force = self.shard.as_ref().map(|s| s.force(j)).unwrap_or_default();
            columns.push(infer_column(raw, &infer));
        }
        let mut ds = Dataset::new(columns)?;
        if let Some(d) = &self.decoder {
            self.source.encoding = d.encoding().name().to_string();
        }
        self.source.records = self.sink.records;
        self.source.skipped_rows = self.sink.skipped;
        self.source.repaired_rows = self.sink.repaired;
        self.source.truncated = self.sink.truncated;
        if self.opts.on_bad_rows.is_none() {
            self.check_cut_share()?;
        }
        ds.source = self.source;
        ds.issues = std::mem::take(&mut self.sink.issues);
        ds.issue_counts = std::mem::take(&mut self.sink.counts)
            .into_iter()
            .map(|((kind, action), count)| crate::table::dataset::IssueCount { kind, action, count })
            .collect();
        Ok(ds)
    }
}

impl Loader {
    /// Under the default policy, a load in which many rows lose fields fails with an error
    /// that names the options to pass, instead of repairing them silently (files issue 21
    /// item 4): more than `MAX_CUT_SHARE` of the data rows and at least `MIN_CUT_ROWS`.
    #[inline(never)]
    fn check_cut_share(&self) -> Result<()> {
        use super::options::{MAX_CUT_SHARE, MIN_CUT_ROWS};
        let (cut, records) = (self.sink.cut, self.sink.records.max(1));
        if cut < MIN_CUT_ROWS || (cut as f64) <= MAX_CUT_SHARE * records as f64 {
            return Ok(());
        }
        let how = match self.source.delimiter.as_deref() {
            Some("lines") | None => String::new(),
            Some(d) => format!(
                " (read with delimiter {d:?}{})",
                match self.source.delimiter_confidence {
                    Some(c) => format!(", sniffed with confidence {c:.2}"),
                    None => String::new(),
                }
            ),
        };
        Err(CrmError::RaggedRow {
            message: format!(
                "{cut} of {records} rows ({:.1}%) have more fields than the header{how}; their extra fields would be dropped. \
                 If each line is one text value (reviews, notes), pass `delimiter: \"lines\"`; if another delimiter is right, pass `delimiter`; \
                 to keep the rows with their extra fields dropped (each listed in issues), pass `onBadRows: \"repair\"` (or \"skip\" to leave them out)",
                100.0 * cut as f64 / records as f64
            ),
            location: crate::error::Location { line: self.sink.first_cut_line, column: None, field: Some("onBadRows".into()) },
        })
    }
}

fn guess_format(file_name: Option<&str>, text: &str) -> Format {
    let ext = file_name.and_then(|n| n.rsplit_once('.')).map(|(_, e)| e.to_ascii_lowercase());
    let first = text.trim_start_matches('\u{FEFF}').trim_start().chars().next();
    match ext.as_deref() {
        Some("ndjson") | Some("jsonl") => Format::Ndjson,
        Some("json") => {
            if first == Some('{') {
                Format::Ndjson
            } else {
                Format::Json
            }
        }
        Some("csv") | Some("tsv") | Some("txt") | Some("dat") | Some("psv") => Format::Csv,
        _ => match first {
            Some('[') => Format::Json,
            Some('{') => Format::Ndjson,
            _ => Format::Csv,
        },
    }
}

/// Splits the line of `b` that starts at `pos` at runs of ASCII whitespace (as
/// `split_ascii_whitespace` does) into `fields`; returns where the next line starts.
#[inline]
fn split_whitespace_line<'a>(b: &'a [u8], mut pos: usize, fields: &mut Vec<&'a [u8]>) -> usize {
    let space = |c: u8| c <= b' ' && matches!(c, b' ' | b'\t' | b'\r' | b'\x0c');
    fields.clear();
    loop {
        while pos < b.len() && space(b[pos]) {
            pos += 1;
        }
        if pos >= b.len() || b[pos] == b'\n' {
            return (pos + 1).min(b.len());
        }
        let start = pos;
        while pos < b.len() && !(space(b[pos]) || b[pos] == b'\n') {
            pos += 1;
        }
        fields.push(&b[start..pos]);
    }
}

/// Piece size when a whole buffer is read: bounds the decoded text held at once.
const PIECE: usize = 1 << 20;

/// Reads a whole byte buffer (in pieces, exactly as a stream would be read).
pub fn read_bytes(bytes: &[u8], opts: LoadOptions) -> Result<Dataset> {
    let mut loader = Loader::new(opts)?;
    loader.expect_bytes(bytes.len() as u64);
    for piece in bytes.chunks(PIECE) {
        loader.push(piece)?;
        if loader.is_full() {
            break;
        }
    }
    loader.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whitespace_lines_split_as_split_ascii_whitespace_does() {
        let text = " a  b\t c\r\n\n  \r\nd\x0ce\x0bf \u{3000} g\nlast";
        let b = text.as_bytes();
        let (mut pos, mut fields, mut got) = (0, Vec::new(), Vec::new());
        while pos < b.len() {
            pos = split_whitespace_line(b, pos, &mut fields);
            got.push(fields.iter().map(|f| std::str::from_utf8(f).unwrap()).collect::<Vec<_>>());
        }
        let want: Vec<Vec<&str>> = text.split_inclusive('\n').map(|l| l.split_ascii_whitespace().collect()).collect();
        assert_eq!(got, want);
    }

    #[test]
    fn blank_and_unicode_space_lines_are_not_rows() {
        let ds = read_bytes("id  day\n1 20240101\n\u{3000}\n \t\n2 20240102\n".as_bytes(), Default::default()).unwrap();
        assert_eq!(ds.num_rows(), 2);
        assert_eq!(ds.issues.len(), 0);
    }

    #[test]
    fn a_size_hint_never_changes_the_table() {
        let mut text = String::from("id,name,amount\n");
        for i in 0..5000 {
            text.push_str(&format!("{i},customer number {i},{}.5\n", i % 97));
        }
        let load = |hint: Option<u64>, max_rows: Option<usize>| {
            let mut l = Loader::new(LoadOptions { max_rows, ..Default::default() }).unwrap();
            if let Some(h) = hint {
                l.expect_bytes(h);
            }
            for piece in text.as_bytes().chunks(7777) {
                l.push(piece).unwrap();
            }
            l.finish().unwrap()
        };
        let plain = load(None, None);
        assert_eq!(plain.num_rows(), 5000);
        for hint in [0, 10, text.len() as u64, 1 << 40] {
            assert_eq!(load(Some(hint), None), plain, "hint {hint}");
        }
        assert_eq!(load(Some(1 << 40), Some(10)).num_rows(), 10);
    }
}
