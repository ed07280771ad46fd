//! [`write_ipc_stream`]: a dataset as an Arrow IPC stream — the schema, one dictionary batch
//! per category column, one record batch with every row, the end-of-stream marker.
//!
//! Each message is the continuation marker `0xFFFFFFFF`, the metadata length, the
//! `Message` FlatBuffer (padded to 8 bytes) and the body, whose buffers each start on an
//! 8-byte boundary. Buffer sizes are known from the columns before anything is written, so
//! the metadata goes first and the values are copied once, straight into the output (through
//! a 64 KiB staging buffer: [`IpcStream::write`] hands the output to a sink piece by piece).

use super::flatbuf::{build, Obj, F};
use super::schema::{field, large_text};
use crate::table::{Column, ColumnData, Dataset, StrVec, Validity};

/// One buffer of a message body, borrowed from the dataset.
enum Part<'a> {
    /// The validity bitmap (left out, length 0, when the column has no nulls).
    Bits(&'a Validity),
    /// An empty validity bitmap (a dictionary's values are never null).
    NoBits,
    Bools(&'a [bool]),
    I64(&'a [i64]),
    F64(&'a [f64]),
    I32(&'a [i32]),
    U32(&'a [u32]),
    /// The offsets of a string column (4 or 8 bytes each).
    Offsets(Strs<'a>, usize),
    Data(Strs<'a>),
}

#[derive(Clone, Copy)]
enum Strs<'a> {
    Vec(&'a StrVec),
    Dict(&'a [String]),
}

impl<'a> Strs<'a> {
    fn len(self) -> usize {
        match self {
            Strs::Vec(s) => s.len(),
            Strs::Dict(d) => d.len(),
        }
    }
    fn get(self, i: usize) -> &'a str {
        match self {
            Strs::Vec(s) => s.get(i),
            Strs::Dict(d) => &d[i],
        }
    }
    fn bytes(self) -> usize {
        match self {
            Strs::Vec(s) => s.byte_len(),
            Strs::Dict(d) => d.iter().map(String::len).sum(),
        }
    }
}

impl Part<'_> {
    fn len(&self) -> usize {
        match self {
            Part::Bits(v) if v.null_count() == 0 => 0,
            Part::NoBits => 0,
            Part::Bits(v) => v.len().div_ceil(8),
            Part::Bools(b) => b.len().div_ceil(8),
            Part::I64(v) => v.len() * 8,
            Part::F64(v) => v.len() * 8,
            Part::I32(v) => v.len() * 4,
            Part::U32(v) => v.len() * 4,
            Part::Offsets(s, w) => (s.len() + 1) * w,
            Part::Data(s) => s.bytes(),
        }
    }

    #[inline(never)]
    fn write(&self, out: &mut Out) {
        match *self {
            Part::Bits(v) if v.null_count() == 0 => {}
            Part::NoBits => {}
            Part::Bits(v) => {
                let n = v.len().div_ceil(8);
                let whole = n / 8;
                out.values(&v.words()[..whole], u64::to_le_bytes);
                if let Some(last) = v.words().get(whole) {
                    out.put(&last.to_le_bytes()[..n % 8]);
                }
            }
            Part::Bools(b) => {
                for c in b.chunks(Out::PIECE) {
                    out.buf.extend(c.chunks(8).map(|k| k.iter().rev().fold(0u8, |acc, &x| (acc << 1) | x as u8)));
                    out.check();
                }
            }
            Part::I64(v) => out.values(v, i64::to_le_bytes),
            Part::F64(v) => out.values(v, f64::to_le_bytes),
            Part::I32(v) => out.values(v, i32::to_le_bytes),
            Part::U32(v) => out.values(v, u32::to_le_bytes),
            Part::Offsets(s, w) => {
                let mut end = 0u64;
                out.put(&[0; 8][..w]);
                for i in 0..s.len() {
                    end += s.get(i).len() as u64;
                    out.put(&end.to_le_bytes()[..w]);
                }
            }
            Part::Data(s) => (0..s.len()).for_each(|i| out.put(s.get(i).as_bytes())),
        }
    }
}

/// The output: a 64 KiB staging buffer handed to the caller's `sink` each time it fills, so
/// that the whole stream never sits in memory twice (in wasm, the sink copies each piece
/// straight into the JS `Uint8Array`, and the wasm memory does not grow by the output).
struct Out<'s> {
    buf: Vec<u8>,
    sink: &'s mut dyn FnMut(&[u8]),
}

impl Out<'_> {
    const PIECE: usize = 1 << 16;

    #[inline]
    fn put(&mut self, b: &[u8]) {
        self.buf.extend_from_slice(b);
        self.check();
    }

    #[inline]
    fn check(&mut self) {
        if self.buf.len() >= Self::PIECE {
            self.flush();
        }
    }

    /// Fixed-width values, little-endian, a piece at a time.
    fn values<T: Copy, const N: usize>(&mut self, v: &[T], le: fn(T) -> [u8; N]) {
        for c in v.chunks(Self::PIECE / N) {
            self.buf.reserve(c.len() * N);
            c.iter().for_each(|&x| self.buf.extend_from_slice(&le(x)));
            self.check();
        }
    }

    #[inline(never)]
    fn flush(&mut self) {
        (self.sink)(&self.buf);
        self.buf.clear();
    }

    fn zeros(&mut self, n: usize) {
        self.put(&[0u8; 8][..n.min(8)]);
    }
}

/// A dataset laid out as an Arrow IPC stream, ready to be written: the metadata of every
/// message is built, the values are still borrowed from the dataset. [`IpcStream::len`] is
/// the exact size of the output, known before a byte of it is written.
pub struct IpcStream<'a> {
    messages: Vec<(Vec<u8>, Vec<Part<'a>>)>,
}

impl<'a> IpcStream<'a> {
    /// Plans the stream (see the module doc and [`super::schema`] for the types).
    pub fn new(ds: &'a Dataset) -> Self {
        let mut messages = Vec::new();
        let fields = ds.columns().iter().enumerate().map(|(i, c)| field(c, i)).collect();
        let schema = Obj::Table(vec![Some(F::Int(0, 2)), Some(F::Obj(Obj::Tables(fields)))]);
        messages.push(message(1, schema, Vec::new()));
        for (i, c) in ds.columns().iter().enumerate() {
            if let ColumnData::Category { dict, .. } = &c.data {
                let parts = vec![Part::NoBits, Part::Offsets(Strs::Dict(dict), 4), Part::Data(Strs::Dict(dict))];
                let node = [(dict.len() as i64, 0)];
                let batch = record_batch(dict.len(), &node, &parts);
                let header = Obj::Table(vec![Some(F::Int(i as i64, 8)), Some(F::Obj(batch)), Some(F::Int(0, 1))]);
                messages.push(message(2, header, parts));
            }
        }
        let nodes: Vec<(i64, i64)> = ds.columns().iter().map(|c| (c.len() as i64, c.null_count() as i64)).collect();
        let parts: Vec<Part> = ds.columns().iter().flat_map(parts).collect();
        let batch = record_batch(ds.num_rows(), &nodes, &parts);
        messages.push(message(3, batch, parts));
        IpcStream { messages }
    }

    /// The size of the stream in bytes.
    pub fn len(&self) -> usize {
        let body = |parts: &[Part]| parts.iter().map(|p| p.len().next_multiple_of(8)).sum::<usize>();
        self.messages.iter().map(|(meta, parts)| 8 + meta.len() + body(parts)).sum::<usize>() + 8
    }

    /// Never empty (the schema and the end marker are always there); for clippy.
    pub fn is_empty(&self) -> bool {
        false
    }

    /// Writes the stream to `sink`, in pieces of about 64 KiB whose total is [`Self::len`].
    pub fn write(&self, sink: &mut dyn FnMut(&[u8])) {
        let mut out = Out { buf: Vec::with_capacity(Out::PIECE + 64), sink };
        for (meta, parts) in &self.messages {
            out.put(&[0xFF; 4]);
            out.put(&(meta.len() as u32).to_le_bytes());
            out.put(meta);
            for p in parts {
                p.write(&mut out);
                out.zeros(p.len().next_multiple_of(8) - p.len());
            }
        }
        out.put(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
        out.flush();
    }
}

/// The dataset as an Arrow IPC stream in one buffer (see [`IpcStream`]).
pub fn write_ipc_stream(ds: &Dataset) -> Vec<u8> {
    let stream = IpcStream::new(ds);
    let mut out = Vec::with_capacity(stream.len());
    stream.write(&mut |b| out.extend_from_slice(b));
    out
}

fn parts(c: &Column) -> Vec<Part<'_>> {
    let v = Part::Bits(&c.validity);
    match &c.data {
        ColumnData::Int64(x) | ColumnData::Datetime(x) => vec![v, Part::I64(x)],
        ColumnData::Float64(x) => vec![v, Part::F64(x)],
        ColumnData::Bool(x) => vec![v, Part::Bools(x)],
        ColumnData::Date(x) => vec![v, Part::I32(x)],
        ColumnData::Category { codes, .. } => vec![v, Part::U32(codes)],
        ColumnData::Text(s) => {
            vec![v, Part::Offsets(Strs::Vec(s), if large_text(c) { 8 } else { 4 }), Part::Data(Strs::Vec(s))]
        }
    }
}

/// A `RecordBatch` table: `rows`, the field nodes, and where each part lies in the body.
fn record_batch<'a>(rows: usize, nodes: &[(i64, i64)], parts: &[Part]) -> Obj<'a> {
    let mut at = 0usize;
    let mut buffers = Vec::with_capacity(parts.len());
    for p in parts {
        let len = p.len();
        buffers.push((at as i64, len as i64));
        at += len.next_multiple_of(8);
    }
    Obj::Table(vec![
        Some(F::Int(rows as i64, 8)),
        Some(F::Obj(Obj::Pairs(nodes.to_vec()))),
        Some(F::Obj(Obj::Pairs(buffers))),
    ])
}

/// One message: its `Message` FlatBuffer (padded to 8 bytes by `build`) and its body.
fn message<'a>(kind: i64, header: Obj, parts: Vec<Part<'a>>) -> (Vec<u8>, Vec<Part<'a>>) {
    let body: usize = parts.iter().map(|p| p.len().next_multiple_of(8)).sum();
    let meta = build(&Obj::Table(vec![
        Some(F::Int(4, 2)),
        Some(F::Int(kind, 1)),
        Some(F::Obj(header)),
        Some(F::Int(body as i64, 8)),
    ]));
    (meta, parts)
}
