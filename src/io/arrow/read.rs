//! [`read_ipc_stream`]: an Arrow IPC stream or file into a dataset — the schema, dictionary
//! batches (replacements and deltas), any number of record batches, up to the end-of-stream
//! marker or the end of the bytes. A file (`ARROW1` … `ARROW1`) is read through its footer
//! (schema and block offsets: apache-arrow JS writes the schema only there), or by its stream
//! part when the footer cannot be read. Metadata versions V4 and V5 (Arrow ≥ 0.15, with or
//! without the continuation marker); compressed bodies are refused (`PARSE_ERROR` naming the
//! codec).

use super::bad;
use super::columns::{check_rows, Builder, Dict, Slice};
use super::flatbuf::Table;
use super::schema::{read_schema, Kind, Spec};
use crate::error::{CrmError, Result};
use crate::io::raw::unique_names;
use crate::table::Dataset;

const SCHEMA: i64 = 1;
const DICTIONARY: i64 = 2;
const RECORD_BATCH: i64 = 3;

/// Reads an Arrow IPC stream. Every offset and length is checked against the bytes; bad or
/// truncated input is a `PARSE_ERROR`, an unsupported column type a `PARSE_ERROR` naming the
/// column and the type, a table past the memory budget `TOO_LARGE`. A `PARSE_ERROR` ends with
/// the byte offset of the message it was found in.
pub fn read_ipc_stream(bytes: &[u8]) -> Result<Dataset> {
    let mut r = Reader { bytes, at: if bytes.starts_with(b"ARROW1") { 8 } else { 0 }, start: 0 };
    read(&mut r).map_err(|e| match e {
        CrmError::Parse { message, location } => {
            CrmError::Parse { message: format!("{message} (in the message at byte {})", r.start), location }
        }
        e => e,
    })
}

fn read(r: &mut Reader) -> Result<Dataset> {
    let bytes = r.bytes;
    let mut st = State::default();
    match footer(bytes) {
        // An Arrow file: the footer has the schema (apache-arrow JS writes it only there) and
        // where each dictionary and record batch is.
        Some((schema, blocks)) => {
            st.handle(SCHEMA, schema, &[])?;
            for at in blocks {
                r.at = usize::try_from(at)
                    .ok()
                    .filter(|&a| a < bytes.len())
                    .ok_or_else(|| bad("a footer block outside the file"))?;
                match r.message()? {
                    Some((SCHEMA, ..)) | None => {}
                    Some((kind, header, body)) => st.handle(kind, header, body)?,
                }
            }
        }
        None => {
            while let Some((kind, header, body)) = r.message()? {
                st.handle(kind, header, body)?;
            }
        }
    }
    let State { cols, rows, .. } = st;
    let cols = cols.ok_or_else(|| bad("no schema message (not an Arrow IPC stream)"))?;
    let names = unique_names(cols.iter().map(|c| c.spec.name.clone()).collect());
    let columns = cols.into_iter().zip(names).map(|(c, name)| c.finish(name)).collect();
    let mut ds = Dataset::new(columns).map_err(|e| bad(e.to_string()))?;
    ds.source.format = "arrow".into();
    ds.source.encoding = "UTF-8".into();
    ds.source.header = true;
    ds.source.bytes = bytes.len() as u64;
    ds.source.records = rows as u64;
    Ok(ds)
}

/// What has been read so far: the columns (once the schema is known), the dictionaries by id
/// and the row count.
#[derive(Default)]
struct State {
    cols: Option<Vec<Builder>>,
    dicts: Vec<(i64, Dict)>,
    rows: usize,
    versions: u64,
}

impl State {
    fn handle<'a>(&mut self, kind: i64, header: Table<'a>, body: &'a [u8]) -> Result<()> {
        match kind {
            SCHEMA if self.cols.is_none() => {
                self.cols = Some(read_schema(&header)?.into_iter().map(Builder::new).collect())
            }
            SCHEMA => return Err(bad("a second schema message")),
            DICTIONARY => {
                let cols = self.cols.as_ref().ok_or_else(|| bad("a dictionary batch before the schema"))?;
                let id = header.int(0, 8, 0)?;
                let Some(spec) = cols.iter().map(|c| &c.spec).find(|s| s.dict.as_ref().is_some_and(|d| d.0 == id))
                else {
                    return Ok(()); // A dictionary no column uses.
                };
                let data = header.table(1)?.ok_or_else(|| bad("a dictionary batch without data"))?;
                let (n, slices) = batch(&data, body, std::slice::from_ref(&spec.kind))?;
                check_rows(n)?;
                if slices[0].n != n {
                    return Err(bad(format!(
                        "the dictionary of `{}` has {} values in a batch of {n}",
                        spec.name, slices[0].n
                    )));
                }
                let delta = header.int(2, 1, 0)? != 0;
                let slot = self.dicts.iter().position(|d| d.0 == id);
                self.versions += 1;
                let dict = match slot {
                    Some(k) if delta => &mut self.dicts[k].1,
                    _ => {
                        let text = Spec { name: spec.name.clone(), kind: spec.kind.clone(), dict: None };
                        let fresh = Dict { text: Builder::new(text), version: self.versions };
                        match slot {
                            Some(k) => self.dicts[k].1 = fresh,
                            None => self.dicts.push((id, fresh)),
                        }
                        &mut self.dicts.iter_mut().find(|d| d.0 == id).ok_or_else(|| bad("dictionary"))?.1
                    }
                };
                dict.text.append(&slices[0], None)?;
            }
            RECORD_BATCH => {
                let cols = self.cols.as_mut().ok_or_else(|| bad("a record batch before the schema"))?;
                let kinds: Vec<Kind> =
                    cols.iter().map(|c| c.spec.dict.as_ref().map_or(&c.spec.kind, |d| &d.1).clone()).collect();
                let (n, slices) = batch(&header, body, &kinds)?;
                self.rows = self.rows.checked_add(n).ok_or_else(|| bad("row count out of range"))?;
                check_rows(self.rows)?;
                for (c, s) in cols.iter_mut().zip(&slices) {
                    if s.n != n {
                        return Err(bad(format!("column `{}` has {} values in a batch of {n} rows", c.spec.name, s.n)));
                    }
                    let dict = c.spec.dict.as_ref().and_then(|d| self.dicts.iter().find(|x| x.0 == d.0)).map(|d| &d.1);
                    c.append(s, dict)?;
                }
            }
            k => return Err(bad(format!("message type {k} (tensors are not tables)"))),
        }

        Ok(())
    }
}

/// An Arrow file's footer: its schema and the offsets of its dictionary blocks then its record
/// batch blocks; `None` when the bytes are not a file with a readable footer (the stream part
/// is read then).
fn footer(b: &[u8]) -> Option<(Table<'_>, Vec<i64>)> {
    if b.len() < 18 || !b.starts_with(b"ARROW1") || !b.ends_with(b"ARROW1") {
        return None;
    }
    let end = b.len() - 10;
    let len = u32::from_le_bytes(b[end..end + 4].try_into().ok()?) as usize;
    let footer = Table::root(b.get(end.checked_sub(len).filter(|&s| s >= 8)?..end)?).ok()?;
    let schema = footer.table(1).ok()??;
    let mut blocks = Vec::new();
    for i in [2, 3] {
        if let Some(v) = footer.vector(i, 24).ok()? {
            for k in 0..v.len {
                blocks.push(v.block(k).ok()?);
            }
        }
    }
    Some((schema, blocks))
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
    /// Where the message being read starts (for error messages).
    start: usize,
}

impl<'a> Reader<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.bytes.len()).ok_or_else(|| bad("truncated"))?;
        let s = &self.bytes[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// The next message (type, header table, body), or `None` at the end of the stream.
    fn message(&mut self) -> Result<Option<(i64, Table<'a>, &'a [u8])>> {
        if self.at == self.bytes.len() {
            return Ok(None);
        }
        self.start = self.at;
        let mut len = self.u32()?;
        if len == u32::MAX {
            len = self.u32()?;
        }
        if len == 0 {
            return Ok(None);
        }
        let msg = Table::root(self.take(len as usize)?)?;
        let version = msg.int(0, 2, 0)?;
        if !(3..=4).contains(&version) {
            return Err(bad(format!("metadata version V{} (this reader reads V4 and V5)", version + 1)));
        }
        let body = usize::try_from(msg.int(3, 8, 0)?).map_err(|_| bad("negative body length"))?;
        let header = msg.table(2)?.ok_or_else(|| bad("a message without a header"))?;
        Ok(Some((msg.int(1, 1, 0)?, header, self.take(body)?)))
    }
}

/// A `RecordBatch`'s row count and one slice per column of `kinds`.
fn batch<'a>(rb: &Table<'a>, body: &'a [u8], kinds: &[Kind]) -> Result<(usize, Vec<Slice<'a>>)> {
    if let Some(c) = rb.table(3)? {
        let codec = ["LZ4_FRAME", "ZSTD"].get(c.int(0, 1, 0)? as usize).unwrap_or(&"unknown");
        return Err(bad(format!("compressed record batches ({codec}) are not supported: write without compression")));
    }
    let n = usize::try_from(rb.int(0, 8, 0)?).map_err(|_| bad("negative row count"))?;
    let nodes = rb.vector(1, 16)?.ok_or_else(|| bad("a record batch without field nodes"))?;
    let buffers = rb.vector(2, 16)?.ok_or_else(|| bad("a record batch without buffers"))?;
    let mut next = 0;
    let mut slices = Vec::with_capacity(kinds.len());
    for (j, kind) in kinds.iter().enumerate() {
        let (len, nulls) = nodes.pair(j)?;
        let len = usize::try_from(len).map_err(|_| bad("negative column length"))?;
        let mut bufs = Vec::with_capacity(3);
        for _ in 0..kind.buffers() {
            let (offset, length) = buffers.pair(next)?;
            next += 1;
            let b = usize::try_from(offset)
                .ok()
                .zip(usize::try_from(length).ok())
                .and_then(|(o, l)| body.get(o..o.checked_add(l)?))
                .ok_or_else(|| bad("a buffer outside the message body"))?;
            bufs.push(b);
        }
        slices.push(Slice { n: len, nulls, bufs });
    }
    Ok((n, slices))
}
