//! [`BytesWriter`]: dataset bytes ([`crate::table::bytes`]) written a column at a time, without
//! the Dataset. For a lazily loaded module that makes a large table only to hand it over (the
//! rules module's events): a column of values gathered from another table's rows is written
//! straight from that table, with its null bitmap built a word at a time, instead of
//! `Column::take` then `Dataset::to_bytes_fast` (two copies, a bit at a time). The bytes are
//! those `Dataset::to_bytes_fast` writes for the same columns. The core wasm does not call it.

use super::bytes::{write_column_fast, write_head, W};
use super::{Column, ColumnData, Dataset, StrVec};

/// Dataset bytes being written: [`BytesWriter::column`] / [`BytesWriter::gathered`] /
/// [`BytesWriter::text`] in column order, then [`BytesWriter::finish`].
pub struct BytesWriter {
    w: W,
    rows: usize,
    columns: u32,
}

/// Null flag and bitmap of `words` (bit `i % 64` of word `i / 64`: row `i` present) for `rows`
/// rows with `nulls` missing.
fn bitmap(w: &mut W, words: &[u64], rows: usize, nulls: usize) {
    w.u8((nulls > 0) as u8);
    if nulls > 0 {
        w.0.extend(words.iter().flat_map(|x| x.to_le_bytes()).take(rows.div_ceil(8)));
    }
}

/// `rows` values of `v` picked by `pick` (`None`, or a row that is missing in `src`: the
/// default value and a null), each written as `enc` makes it; nulls set in `words`.
fn fixed<T: Copy, const N: usize>(
    out: &mut Vec<u8>,
    v: &[T],
    rows: usize,
    pick: &impl Fn(usize) -> Option<usize>,
    words: &mut [u64],
    enc: impl Fn(T) -> [u8; N],
) {
    let start = out.len();
    out.resize(start + rows * N, 0);
    // Missing values stay the zero bytes `resize` wrote (every type's default is all zeros).
    for (i, d) in out[start..].chunks_exact_mut(N).enumerate() {
        if let (Some(x), Ok(d)) = (pick(i).and_then(|r| v.get(r)), <&mut [u8; N]>::try_from(d)) {
            *d = enc(*x);
            words[i / 64] |= 1 << (i % 64);
        }
    }
}

impl BytesWriter {
    /// A table of `rows` rows (no load report: as `Dataset::new` makes it), with room for
    /// `capacity` bytes (growing a buffer of a few hundred MB copies it each time).
    pub fn new(rows: usize, capacity: usize) -> Self {
        let head = Dataset::new(Vec::new()).unwrap_or_default();
        let mut w = W(head.to_bytes());
        w.0.reserve(capacity);
        w.0[8..16].copy_from_slice(&(rows as u64).to_le_bytes());
        BytesWriter { w, rows, columns: 0 }
    }

    /// A whole column (of `rows` values).
    pub fn column(&mut self, c: &Column) {
        write_column_fast(&mut self.w, c);
        self.columns += 1;
    }

    /// A text column with every value present, named `name`.
    pub fn text(&mut self, name: &str, s: &StrVec) {
        let c = Column::new(name, ColumnData::Text(StrVec::default()), super::Validity::all_valid(0));
        write_head(&mut self.w, name, c.dtype(), &c);
        super::bytes::write_text_values(&mut self.w.0, s);
        self.w.u8(0);
        self.columns += 1;
    }

    /// The column `src.take(rows)` would make, named `name`: row `i` is `src`'s row `pick(i)`,
    /// missing where that is `None` or missing in `src`.
    pub fn gathered(&mut self, src: &Column, name: &str, pick: impl Fn(usize) -> Option<usize>) {
        let rows = self.rows;
        write_head(&mut self.w, name, src.dtype(), src);
        let valid = |i: usize| pick(i).filter(|&r| src.validity.is_valid(r));
        let mut words = vec![0u64; rows.div_ceil(64)];
        let out = &mut self.w.0;
        match &src.data {
            ColumnData::Int64(v) | ColumnData::Datetime(v) => fixed(out, v, rows, &valid, &mut words, i64::to_le_bytes),
            ColumnData::Float64(v) => fixed(out, v, rows, &valid, &mut words, |x: f64| x.to_bits().to_le_bytes()),
            ColumnData::Bool(v) => fixed(out, v, rows, &valid, &mut words, |b: bool| [b as u8]),
            ColumnData::Date(v) => fixed(out, v, rows, &valid, &mut words, i32::to_le_bytes),
            ColumnData::Category { codes, dict } => {
                self.w.u32(dict.len());
                dict.iter().for_each(|s| self.w.str(s));
                fixed(&mut self.w.0, codes, rows, &valid, &mut words, u32::to_le_bytes);
            }
            ColumnData::Text(s) => {
                let total: usize = (0..rows).filter_map(&valid).map(|r| s.get(r).len()).sum();
                out.extend_from_slice(&(total as u64).to_le_bytes());
                for i in 0..rows {
                    if let Some(r) = valid(i) {
                        out.extend_from_slice(s.get(r).as_bytes());
                    }
                }
                let mut end = 0u64;
                for (i, word) in (0..rows).map(|i| (i, i / 64)) {
                    if let Some(r) = valid(i) {
                        end += s.get(r).len() as u64;
                        words[word] |= 1 << (i % 64);
                    }
                    out.extend_from_slice(&end.to_le_bytes());
                }
            }
        }
        let present: usize = words.iter().map(|w| w.count_ones() as usize).sum();
        bitmap(&mut self.w, &words, rows, rows - present);
        self.columns += 1;
    }

    /// The bytes.
    pub fn finish(mut self) -> Vec<u8> {
        self.w.0[16..20].copy_from_slice(&self.columns.to_le_bytes());
        self.w.0
    }
}
