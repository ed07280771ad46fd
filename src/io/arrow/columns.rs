//! Column builders: one column's values, record batch after record batch, read from Arrow
//! buffers straight into crmlens column vectors (one copy), with every length checked first.
//!
//! Null slots get the default value (0, false, ""), whatever bytes Arrow left there.

use super::bad;
use super::schema::{Kind, Spec};
use crate::error::{CrmError, Result};
use crate::table::{Column, ColumnData, Interner, StrVec, Validity};

/// Integers beyond this magnitude do not survive the trip to JavaScript numbers: a column
/// holding one becomes text (exact), as CSV inference does.
const EXACT: i64 = 1 << 53;

enum Data {
    /// `unsigned`: the values are UInt64 bit patterns; `big`: a value is beyond ±2^53.
    Int {
        v: Vec<i64>,
        unsigned: bool,
        big: bool,
    },
    Float(Vec<f64>),
    Bool(Vec<bool>),
    Date(Vec<i32>),
    /// Milliseconds; `lost`: finer units had a remainder below the millisecond.
    Time {
        v: Vec<i64>,
        lost: bool,
    },
    Text(StrVec),
    /// `remap`: the Arrow dictionary's codes → `names` codes (`u32::MAX` = not seen yet),
    /// valid for the dictionary `version` it was made for.
    Cat {
        codes: Vec<u32>,
        names: Interner,
        remap: Vec<u32>,
        version: u64,
    },
    Null,
}

/// One column being read.
pub struct Builder {
    pub spec: Spec,
    data: Data,
    validity: Validity,
}

/// A dictionary: its values (a text builder, grown by delta batches) and a version that
/// changes when it is replaced.
pub struct Dict {
    pub text: Builder,
    pub version: u64,
}

/// One column's part of a batch: its length, null count and buffers (validity first).
pub struct Slice<'a> {
    pub n: usize,
    pub nulls: i64,
    pub bufs: Vec<&'a [u8]>,
}

impl Builder {
    pub fn new(spec: Spec) -> Builder {
        let data = match (&spec.kind, &spec.dict) {
            (_, Some(_)) => {
                Data::Cat { codes: Vec::new(), names: Interner::new(), remap: Vec::new(), version: u64::MAX }
            }
            (Kind::Null, _) => Data::Null,
            (Kind::Int { bytes, signed }, _) => {
                Data::Int { v: Vec::new(), unsigned: *bytes == 8 && !signed, big: false }
            }
            (Kind::Float { .. } | Kind::Decimal { .. }, _) => Data::Float(Vec::new()),
            (Kind::Bool, _) => Data::Bool(Vec::new()),
            (Kind::Date { .. }, _) => Data::Date(Vec::new()),
            (Kind::Timestamp { .. }, _) => Data::Time { v: Vec::new(), lost: false },
            (Kind::Utf8 { .. }, _) => Data::Text(StrVec::default()),
        };
        Builder { spec, data, validity: Validity::default() }
    }

    /// Appends a batch's values. `dict`: the column's dictionary, for a dictionary-encoded one.
    pub fn append(&mut self, s: &Slice, dict: Option<&Dict>) -> Result<()> {
        let Builder { spec, data, validity } = self;
        let n = s.n;
        let name = spec.name.as_str();
        let err = |m: &str| bad(format!("column `{name}`: {m}"));
        let buf = |k: usize| s.bufs.get(k).copied().unwrap_or(&[]);
        let bitmap = match (s.nulls, &spec.kind) {
            (0, _) | (_, Kind::Null) => None,
            _ => Some(buf(0).get(..n.div_ceil(8)).ok_or_else(|| err("validity bitmap shorter than the column"))?),
        };
        let valid = |i: usize| bitmap.is_none_or(|b| (b[i / 8] >> (i % 8)) & 1 == 1);
        let kind = spec.dict.as_ref().map_or(&spec.kind, |(_, index)| index);
        let width = match kind {
            Kind::Null | Kind::Bool => 0,
            Kind::Int { bytes, .. } | Kind::Float { bytes } => *bytes,
            Kind::Decimal { .. } => 16,
            Kind::Date { ms } => 4 << *ms as usize,
            Kind::Timestamp { .. } => 8,
            Kind::Utf8 { large } => 4 << *large as usize,
        };
        // Offsets have one value more than the column.
        let count = if matches!(kind, Kind::Utf8 { .. }) { n.checked_add(1) } else { Some(n) };
        let values = count
            .and_then(|c| c.checked_mul(width))
            .and_then(|len| buf(1).get(..len))
            .ok_or_else(|| err("value buffer shorter than the column"))?;
        let at = |i: usize| &values[i * width..(i + 1) * width];
        match data {
            Data::Null => (0..n).for_each(|_| validity.push(false)),
            Data::Int { v, unsigned, big } => {
                let Kind::Int { signed, .. } = *kind else { return Err(err("bad type")) };
                grow(v, n)?;
                for i in 0..n {
                    let ok = valid(i);
                    let x = if ok { int_le(at(i), signed) } else { 0 };
                    *big |= !(-EXACT..=EXACT).contains(&x) || (*unsigned && x < 0);
                    validity.push(ok);
                    v.push(x);
                }
            }
            Data::Float(v) => {
                grow(v, n)?;
                for i in 0..n {
                    let ok = valid(i);
                    let b = at(i);
                    v.push(match (ok, kind) {
                        (false, _) => 0.0,
                        (_, Kind::Decimal { scale }) => i128_le(b) as f64 / 10f64.powi(*scale),
                        (_, _) if width == 4 => f32::from_le_bytes([b[0], b[1], b[2], b[3]]) as f64,
                        _ => f64::from_le_bytes(arr8(b)),
                    });
                    validity.push(ok);
                }
            }
            Data::Bool(v) => {
                let bits = buf(1).get(..n.div_ceil(8)).ok_or_else(|| err("value buffer shorter than the column"))?;
                grow(v, n)?;
                for i in 0..n {
                    let ok = valid(i);
                    v.push(ok && (bits[i / 8] >> (i % 8)) & 1 == 1);
                    validity.push(ok);
                }
            }
            Data::Date(v) => {
                grow(v, n)?;
                for i in 0..n {
                    let ok = valid(i);
                    let d = match ok {
                        false => 0,
                        _ if width == 4 => int_le(at(i), true) as i32,
                        _ => i32::try_from(int_le(at(i), true).div_euclid(86_400_000))
                            .map_err(|_| err("a Date64 value is out of range"))?,
                    };
                    v.push(d);
                    validity.push(ok);
                }
            }
            Data::Time { v, lost } => {
                let Kind::Timestamp { unit, .. } = kind else { return Err(err("bad type")) };
                grow(v, n)?;
                for i in 0..n {
                    let ok = valid(i);
                    let x = if ok { int_le(at(i), true) } else { 0 };
                    let ms = match unit {
                        0 => x.checked_mul(1000).ok_or_else(|| err("a timestamp is out of range"))?,
                        1 => x,
                        u => {
                            let div = if *u == 2 { 1000 } else { 1_000_000 };
                            *lost |= x.rem_euclid(div) != 0;
                            x.div_euclid(div)
                        }
                    };
                    v.push(ms);
                    validity.push(ok);
                }
            }
            Data::Text(t) => {
                let off = |i: usize| -> Result<usize> {
                    usize::try_from(int_le(at(i), true)).map_err(|_| err("a negative string offset"))
                };
                let (first, last) = (off(0)?, off(n)?);
                let bytes = buf(2).get(first..last.max(first)).ok_or_else(|| err("string offsets outside the data"))?;
                let text = std::str::from_utf8(bytes).map_err(|_| err("a string is not valid UTF-8"))?;
                t.reserve(n, bytes.len(), "input")?;
                let mut a = first;
                for i in 0..n {
                    let b = off(i + 1)?;
                    if b < a {
                        return Err(err("string offsets are not ascending"));
                    }
                    let ok = valid(i);
                    let s = match ok {
                        false => "",
                        _ => b
                            .checked_sub(first)
                            .and_then(|e| text.get(a - first..e))
                            .ok_or_else(|| err("string offsets are not ascending character boundaries"))?,
                    };
                    t.push(s);
                    validity.push(ok);
                    a = b;
                }
            }
            Data::Cat { codes, names, remap, version } => {
                let Kind::Int { signed, .. } = *kind else { return Err(err("bad type")) };
                let dict = dict.ok_or_else(|| err("no dictionary batch before the record batch"))?;
                let (Data::Text(values), dvalid) = (&dict.text.data, &dict.text.validity) else {
                    return Err(err("bad dictionary"));
                };
                if *version != dict.version {
                    remap.clear();
                    *version = dict.version;
                }
                remap.resize(values.len(), u32::MAX);
                grow(codes, n)?;
                for i in 0..n {
                    let mut code = 0;
                    let mut ok = valid(i);
                    if ok {
                        let k = usize::try_from(int_le(at(i), signed))
                            .ok()
                            .filter(|&k| k < values.len())
                            .ok_or_else(|| err("a dictionary index is outside the dictionary"))?;
                        // A null dictionary value makes a null cell.
                        ok = dvalid.is_valid(k);
                        if ok {
                            if remap[k] == u32::MAX {
                                remap[k] = names.intern(values.get(k));
                            }
                            code = remap[k];
                        }
                    }
                    codes.push(code);
                    validity.push(ok);
                }
            }
        }
        Ok(())
    }

    /// The finished column.
    pub fn finish(self, name: String) -> Column {
        let Builder { spec, data, validity } = self;
        let mut warnings = Vec::new();
        let mut utc = false;
        let data = match data {
            Data::Null => {
                let mut s = StrVec::default();
                (0..validity.len()).for_each(|_| s.push(""));
                ColumnData::Text(s)
            }
            Data::Int { v, unsigned, big: true } => {
                warnings.push("integers beyond ±2^53 are kept as text, exactly".to_string());
                let mut s = StrVec::default();
                for (i, &x) in v.iter().enumerate() {
                    match (validity.is_valid(i), unsigned) {
                        (false, _) => s.push(""),
                        (_, true) => s.push(&(x as u64).to_string()),
                        _ => s.push(&x.to_string()),
                    }
                }
                ColumnData::Text(s)
            }
            Data::Int { v, .. } => ColumnData::Int64(v),
            Data::Float(v) => {
                if let Kind::Decimal { scale } = spec.kind {
                    warnings.push(format!("Decimal128 (scale {scale}) read as the nearest float64"));
                }
                ColumnData::Float64(v)
            }
            Data::Bool(v) => ColumnData::Bool(v),
            Data::Date(v) => ColumnData::Date(v),
            Data::Time { v, lost } => {
                if lost {
                    warnings.push("timestamps finer than a millisecond were truncated to the millisecond".to_string());
                }
                if let Kind::Timestamp { tz: Some(tz), .. } = &spec.kind {
                    utc = true;
                    if !matches!(tz.as_str(), "UTC" | "Z" | "+00:00" | "Etc/UTC") {
                        warnings.push(format!("time zone {tz}: values held as UTC instants"));
                    }
                }
                ColumnData::Datetime(v)
            }
            Data::Text(s) => ColumnData::Text(s),
            Data::Cat { codes, names, .. } => {
                ColumnData::Category { codes, dict: names.iter().map(String::from).collect() }
            }
        };
        let mut c = Column::new(name, data, validity);
        c.warnings = warnings;
        c.utc = utc;
        c
    }
}

fn grow<T>(v: &mut Vec<T>, n: usize) -> Result<()> {
    crate::budget::reserve(v, n, "input", "the Arrow column")
}

fn arr8(b: &[u8]) -> [u8; 8] {
    let mut a = [0u8; 8];
    a.copy_from_slice(&b[..8]);
    a
}

/// A little-endian integer of 1 to 8 bytes, sign-extended when `signed`.
fn int_le(b: &[u8], signed: bool) -> i64 {
    let neg = signed && b.last().is_some_and(|x| x & 0x80 != 0);
    let mut a = [if neg { 0xFF } else { 0 }; 8];
    a[..b.len()].copy_from_slice(b);
    i64::from_le_bytes(a)
}

fn i128_le(b: &[u8]) -> i128 {
    let mut a = [0u8; 16];
    a.copy_from_slice(&b[..16]);
    i128::from_le_bytes(a)
}

/// `TOO_LARGE` when the table would pass the row budget (every column holds at least 8 bytes
/// a row in some buffer: a row count the input does not pay for is refused here).
pub fn check_rows(rows: usize) -> Result<()> {
    match rows.checked_mul(8) {
        Some(b) if b <= crate::budget::MAX_BYTES => Ok(()),
        _ => Err(CrmError::too_large(
            "input",
            format!("{rows} rows: at most {} per table", crate::budget::MAX_BYTES / 8),
        )),
    }
}
