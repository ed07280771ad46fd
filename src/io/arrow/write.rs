//! [`write_ipc_stream`]: a dataset as an Arrow IPC stream — the schema, one dictionary batch
//! per category column, one record batch with every row, the end-of-stream marker.
//!
//! Each message is the continuation marker `0xFFFFFFFF`, the metadata length, the
//! `Message` FlatBuffer (padded to 8 bytes) and the body, whose buffers each start on an
//! 8-byte boundary. Buffer sizes are known from the columns before anything is written, so
//! the metadata goes first and the values are copied once, straight into the output.

use super::flatbuf::{build, Obj, F};
use super::schema::{field, large_text};
use crate::table::{Column, ColumnData, Dataset, StrVec, Validity};

/// One buffer of a message body, borrowed from the dataset.
enum Part<'a> {
    /// The validity bitmap (left out, length 0, when the column has no nulls).
    Bits(&'a Validity),
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
    fn write(&self, out: &mut Vec<u8>) {
        let bits = |out: &mut Vec<u8>, n: usize, get: &dyn Fn(usize) -> bool| {
            for b in 0..n.div_ceil(8) {
                let byte = (0..8).fold(0u8, |acc, k| acc | ((b * 8 + k < n && get(b * 8 + k)) as u8) << k);
                out.push(byte);
            }
        };
        match *self {
            Part::Bits(v) if v.null_count() == 0 => {}
            Part::Bits(v) => bits(out, v.len(), &|i| v.is_valid(i)),
            Part::Bools(b) => bits(out, b.len(), &|i| b[i]),
            Part::I64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Part::F64(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Part::I32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Part::U32(v) => v.iter().for_each(|x| out.extend_from_slice(&x.to_le_bytes())),
            Part::Offsets(s, w) => {
                let mut end = 0u64;
                out.extend_from_slice(&[0; 8][..w]);
                for i in 0..s.len() {
                    end += s.get(i).len() as u64;
                    out.extend_from_slice(&end.to_le_bytes()[..w]);
                }
            }
            Part::Data(s) => (0..s.len()).for_each(|i| out.extend_from_slice(s.get(i).as_bytes())),
        }
    }
}

/// The dataset as an Arrow IPC stream (see the module doc and [`super::schema`] for the types).
pub fn write_ipc_stream(ds: &Dataset) -> Vec<u8> {
    let mut out = Vec::with_capacity(ds.memory_bytes() + 1024);
    let fields = ds.columns().iter().enumerate().map(|(i, c)| field(c, i)).collect();
    let schema = Obj::Table(vec![Some(F::Int(0, 2)), Some(F::Obj(Obj::Tables(fields)))]);
    message(&mut out, 1, schema, &[]);
    for (i, c) in ds.columns().iter().enumerate() {
        if let ColumnData::Category { dict, .. } = &c.data {
            let all = Validity::all_valid(dict.len());
            let parts = [Part::Bits(&all), Part::Offsets(Strs::Dict(dict), 4), Part::Data(Strs::Dict(dict))];
            let node = [(dict.len() as i64, 0)];
            let batch = record_batch(dict.len(), &node, &parts);
            let header = Obj::Table(vec![Some(F::Int(i as i64, 8)), Some(F::Obj(batch)), Some(F::Int(0, 1))]);
            message(&mut out, 2, header, &parts);
        }
    }
    let nodes: Vec<(i64, i64)> = ds.columns().iter().map(|c| (c.len() as i64, c.null_count() as i64)).collect();
    let parts: Vec<Part> = ds.columns().iter().flat_map(parts).collect();
    let batch = record_batch(ds.num_rows(), &nodes, &parts);
    message(&mut out, 3, batch, &parts);
    out.extend_from_slice(&[0xFF, 0xFF, 0xFF, 0xFF, 0, 0, 0, 0]);
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

/// Writes one message: marker, metadata length, metadata, body (each part padded to 8).
fn message(out: &mut Vec<u8>, kind: i64, header: Obj, parts: &[Part]) {
    let body: usize = parts.iter().map(|p| p.len().next_multiple_of(8)).sum();
    let meta = build(&Obj::Table(vec![
        Some(F::Int(4, 2)),
        Some(F::Int(kind, 1)),
        Some(F::Obj(header)),
        Some(F::Int(body as i64, 8)),
    ]));
    out.extend_from_slice(&[0xFF; 4]);
    out.extend_from_slice(&(meta.len() as u32).to_le_bytes());
    out.extend_from_slice(&meta);
    for p in parts {
        let start = out.len();
        p.write(out);
        out.resize(start + p.len().next_multiple_of(8), 0);
    }
}
