//! The profile's mergeable states as bytes, so that parts of a table held in different
//! workers (or machines) can be profiled where they are and merged in one place: the first
//! pass of every part ([`FirstPass`]), then, planned from their merge, the second pass and
//! the row hashes ([`SecondState`], [`RowState`]).
//!
//! The form is `crate::table::wire`'s (shared with the customer summary's `SUMB`): a
//! `CRMS` header with kind `PRF1` (first pass) or `PRF2` (second pass and row hashes) and
//! [`VERSION`], then little-endian fields, lengths before contents. Bytes of another kind or
//! damaged bytes are `PARSE_ERROR`, another version `INVALID_STATE`; every count is checked
//! against the bytes left, so bad bytes are an error, never a panic or a huge allocation.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use super::column::{ColumnState, Kind};
use super::driver::FirstPass;
use super::freq::Frequencies;
use super::hll::Hll;
use super::kll::QuantileSketch;
use super::moments::Moments;
use super::order::KeyOrder;
use super::rows::RowState;
use super::second::{PairSums, SecondState};
use super::text::{Lengths, TextFacets};
use crate::error::Result;
use crate::table::wire::{Reader, Writer};

/// The version of both states' bytes this build writes and reads.
pub const VERSION: u16 = 1;
const FIRST: &[u8; 4] = b"PRF1";
const SECOND: &[u8; 4] = b"PRF2";
const WHAT: &str = "profile state";

/// The writer, with the few shapes the states use.
pub struct Enc(Writer);

/// The reader (every count checked against the bytes left: `table::wire`).
pub struct Dec<'a>(Reader<'a>);

impl Enc {
    fn u64(&mut self, v: u64) {
        self.0.u64(v);
    }
    fn bytes(&mut self, b: &[u8]) {
        self.0.len(b.len());
        b.iter().for_each(|&x| self.0.u8(x));
    }
    fn u64s(&mut self, v: &[u64]) {
        self.0.len(v.len());
        v.iter().for_each(|&x| self.0.u64(x));
    }
    fn f64s(&mut self, v: &[f64]) {
        self.0.len(v.len());
        v.iter().for_each(|&x| self.0.f64(x));
    }
}

impl<'a> Dec<'a> {
    fn u64(&mut self) -> Result<u64> {
        self.0.u64()
    }
    fn len(&mut self, size: usize) -> Result<usize> {
        self.0.len(size)
    }
    fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.0.len(1)?;
        self.0.take(n)
    }
    // Loops, not `collect::<Result<_>>()`: the iterator adapters cost wasm size per use.
    fn u64s(&mut self) -> Result<Vec<u64>> {
        let mut v = Vec::with_capacity(self.len(8)?);
        for _ in 0..v.capacity() {
            v.push(self.u64()?);
        }
        Ok(v)
    }
    fn f64s(&mut self) -> Result<Vec<f64>> {
        Ok(self.u64s()?.into_iter().map(f64::from_bits).collect())
    }
}

fn damaged() -> crate::error::CrmError {
    crate::error::CrmError::parse(format!("{WHAT}: a field out of range"), Default::default())
}

/// Keys of the frequency tables.
pub trait Key: Sized {
    fn put(&self, e: &mut Enc);
    fn get(d: &mut Dec) -> Result<Self>;
}

impl Key for u64 {
    fn put(&self, e: &mut Enc) {
        e.u64(*self)
    }
    fn get(d: &mut Dec) -> Result<Self> {
        d.u64()
    }
}

impl Key for String {
    fn put(&self, e: &mut Enc) {
        e.bytes(self.as_bytes())
    }
    fn get(d: &mut Dec) -> Result<Self> {
        String::from_utf8(d.bytes()?.to_vec()).map_err(|_| damaged())
    }
}

impl Key for Vec<u8> {
    fn put(&self, e: &mut Enc) {
        e.bytes(self)
    }
    fn get(d: &mut Dec) -> Result<Self> {
        Ok(d.bytes()?.to_vec())
    }
}

fn put_map<K: Key, S>(e: &mut Enc, m: &HashMap<K, u64, S>) {
    e.u64(m.len() as u64);
    for (k, v) in m {
        k.put(e);
        e.u64(*v);
    }
}

fn get_map<K: Key + Hash + Eq, S: BuildHasher + Default>(d: &mut Dec) -> Result<HashMap<K, u64, S>> {
    let n = d.len(16)?;
    let mut m = HashMap::default();
    for _ in 0..n {
        let k = K::get(d)?;
        m.insert(k, d.u64()?);
    }
    Ok(m)
}

fn put_freq<K: Key>(e: &mut Enc, f: &Frequencies<K>) {
    e.u64(f.limit as u64);
    e.u64(f.total);
    e.u64(f.exact.is_some() as u64);
    if let Some(m) = &f.exact {
        put_map(e, m);
    }
    e.bytes(f.hll.as_ref().map_or(&[][..], |h| &h.registers));
    put_map(e, &f.mg);
}

fn get_freq<K: Key + Hash + Eq>(d: &mut Dec) -> Result<Frequencies<K>> {
    let limit = d.u64()? as usize;
    let total = d.u64()?;
    let exact = if d.u64()? == 1 { Some(get_map(d)?) } else { None };
    let regs = d.bytes()?;
    let hll = if regs.is_empty() {
        None
    } else if regs.len() == Hll::default().registers.len() {
        Some(Box::new(Hll { registers: regs.to_vec() }))
    } else {
        return Err(damaged());
    };
    Ok(Frequencies { limit, exact, hll, mg: get_map(d)?, total })
}

fn put_column(e: &mut Enc, c: &ColumnState) {
    e.u64(c.kind as u64);
    for v in [c.rows, c.missing, c.non_finite, c.finer as u64] {
        e.u64(v);
    }
    let m = &c.moments;
    e.u64(m.n);
    e.f64s(&[m.mean, m.m2, m.m3, m.m4, m.min, m.max, m.sum]);
    e.u64s(&[m.zeros, m.negatives]);
    let s = &c.sketch;
    e.u64s(&[s.k as u64, s.n, s.rng]);
    e.u64(s.levels.len() as u64);
    s.levels.iter().for_each(|l| e.f64s(l));
    put_freq(e, &c.nums);
    put_freq(e, &c.strs);
    let f = &c.facets;
    let l = &f.lengths;
    e.u64s(&[l.n, l.sum, l.min, l.max, f.padded, f.inner_spaces, f.blank, f.shapes_other]);
    e.u64s(&f.spelled);
    e.u64s(&f.pii);
    put_map(e, &f.shapes);
    put_map(e, &f.sentinels);
}

fn fixed<const N: usize>(v: Vec<u64>) -> Result<[u64; N]> {
    v.try_into().map_err(|_| damaged())
}

fn get_column(d: &mut Dec) -> Result<ColumnState> {
    let kind = match d.u64()? {
        0 => Kind::Numeric,
        1 => Kind::Date,
        2 => Kind::Bool,
        3 => Kind::Text,
        _ => return Err(damaged()),
    };
    let mut c = ColumnState::new(kind, 0, 0);
    c.rows = d.u64()?;
    c.missing = d.u64()?;
    c.non_finite = d.u64()?;
    c.finer = d.u64()? as u8;
    let n = d.u64()?;
    let [mean, m2, m3, m4, min, max, sum]: [f64; 7] = d.f64s()?.try_into().map_err(|_| damaged())?;
    let [zeros, negatives] = fixed(d.u64s()?)?;
    c.moments = Moments { n, mean, m2, m3, m4, min, max, sum, zeros, negatives };
    let [k, sn, rng] = fixed(d.u64s()?)?;
    let mut levels = Vec::new();
    for _ in 0..d.len(8)? {
        levels.push(d.f64s()?);
    }
    c.sketch = QuantileSketch { k: k as usize, levels, n: sn, rng };
    c.nums = get_freq(d)?;
    c.strs = get_freq(d)?;
    let [n, sum, min, max, padded, inner_spaces, blank, shapes_other] = fixed(d.u64s()?)?;
    let spelled = fixed(d.u64s()?)?;
    let pii = fixed(d.u64s()?)?;
    c.facets = TextFacets {
        lengths: Lengths { n, sum, min, max },
        padded,
        inner_spaces,
        blank,
        spelled,
        shapes: get_map(d)?,
        shapes_other,
        pii,
        sentinels: get_map(d)?,
    };
    Ok(c)
}

impl FirstPass {
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut e = Enc(Writer::new(FIRST, VERSION));
        e.u64(self.columns.len() as u64);
        self.columns.iter().for_each(|c| put_column(&mut e, c));
        match &self.order.columns {
            None => e.u64(u64::MAX),
            Some(cols) => {
                e.u64(cols.len() as u64);
                for (j, ranges) in cols {
                    e.u64(*j as u64);
                    e.u64(ranges.len() as u64);
                    for (lo, hi) in ranges {
                        e.bytes(lo);
                        e.bytes(hi);
                    }
                }
            }
        }
        e.0.finish()
    }

    pub fn from_bytes(b: &[u8]) -> Result<FirstPass> {
        let mut d = Dec(Reader::open(b, FIRST, VERSION, WHAT)?);
        let mut columns = Vec::new();
        for _ in 0..d.len(8)? {
            columns.push(get_column(&mut d)?);
        }
        let n = d.u64()?;
        let mut order = KeyOrder::default();
        if n != u64::MAX {
            let mut cols = Vec::new();
            // Each column reads 16+ bytes: a bogus count fails once the bytes run out.
            for _ in 0..n {
                let j = d.u64()? as usize;
                let mut ranges = Vec::new();
                for _ in 0..d.len(16)? {
                    ranges.push((d.bytes()?.to_vec(), d.bytes()?.to_vec()));
                }
                cols.push((j, ranges));
            }
            order.columns = Some(cols);
        }
        d.0.end()?;
        Ok(FirstPass { columns, order })
    }
}

fn put_pairs(e: &mut Enc, v: &[PairSums]) {
    e.u64(v.len() as u64);
    v.iter().for_each(|p| e.f64s(&[p.n, p.sx, p.sy, p.sxx, p.syy, p.sxy]));
}

fn get_pairs(d: &mut Dec) -> Result<Vec<PairSums>> {
    let mut v = Vec::new();
    for _ in 0..d.len(48)? {
        let [n, sx, sy, sxx, syy, sxy]: [f64; 6] = d.f64s()?.try_into().map_err(|_| damaged())?;
        v.push(PairSums { n, sx, sy, sxx, syy, sxy });
    }
    Ok(v)
}

/// The second pass of a part and its row hashes.
pub fn second_to_bytes(s: &SecondState, rows: &RowState) -> Vec<u8> {
    let mut e = Enc(Writer::new(SECOND, VERSION));
    for vv in [&s.hist, &s.tables] {
        e.u64(vv.len() as u64);
        vv.iter().for_each(|v| e.u64s(v));
    }
    e.u64s(&s.outliers_iqr);
    e.u64s(&s.outliers_mad);
    put_pairs(&mut e, &s.pearson);
    put_pairs(&mut e, &s.spearman);
    e.u64(rows.rows);
    e.u64s(&rows.hashes);
    e.0.finish()
}

pub fn second_from_bytes(b: &[u8]) -> Result<(SecondState, RowState)> {
    let mut d = Dec(Reader::open(b, SECOND, VERSION, WHAT)?);
    let mut two = [Vec::new(), Vec::new()];
    for vv in &mut two {
        for _ in 0..d.len(8)? {
            vv.push(d.u64s()?);
        }
    }
    let [hist, tables] = two;
    let s = SecondState {
        hist,
        tables,
        outliers_iqr: d.u64s()?,
        outliers_mad: d.u64s()?,
        pearson: get_pairs(&mut d)?,
        spearman: get_pairs(&mut d)?,
    };
    let rows = RowState { rows: d.u64()?, hashes: d.u64s()? };
    d.0.end()?;
    Ok((s, rows))
}

/// Parts packed back to back, each with its length (how the JS side hands a list of states).
pub fn unpack(mut b: &[u8]) -> Result<Vec<&[u8]>> {
    let mut out = Vec::new();
    while let Some((n, rest)) = b.split_first_chunk::<8>() {
        let n = usize::try_from(u64::from_le_bytes(*n)).ok().filter(|&n| n <= rest.len()).ok_or_else(damaged)?;
        let (part, tail) = rest.split_at(n);
        out.push(part);
        b = tail;
    }
    if !b.is_empty() {
        return Err(damaged());
    }
    Ok(out)
}
