//! A compact, versioned binary form of a [`Dataset`], to hand a table from one wasm instance
//! to another (each lazily loaded module has its own memory) or to keep it.
//!
//! Layout (little-endian; `str` = u32 byte length + UTF-8; `opt` = u8 0/1 then the value):
//!
//! ```text
//! "CRMT" u16 version (1) u16 flags (0) u64 rows u32 columns
//! source:  str format, str encoding, opt str delimiter, u8 header, u64 bytes, u64 records,
//!          u64 skipped, u64 repaired, u8 truncated
//! issues:  u32 n, n × (u64 line, opt u64 column, str kind, str action, str message)
//! counts:  u32 n, n × (str kind, str action, u64 count)
//! column:  str name, u8 type, u8 role (0 = none), opt str format, u32 n × (str token, u64 count),
//!          u32 n × str warning, u8 utc, values, u8 nulls (0 = none, 1 = bitmap of ⌈rows/8⌉ bytes)
//! values:  int64/datetime rows × i64 · float64 rows × f64 · bool rows × u8 · date rows × i32 ·
//!          category u32 n × str dictionary, rows × u32 code · text u64 bytes, UTF-8, rows × u64 end
//! ```
//!
//! [`Dataset::from_bytes`] checks everything: a count is compared with the bytes left before
//! anything is allocated for it, codes must index the dictionary, text ends must be ascending
//! character boundaries, names unique. Bad bytes are a `PARSE_ERROR`, never a panic.

use super::{Column, ColumnData, DataType, Dataset, Role, StrVec, Validity};
use crate::error::{CrmError, Location, Result};
use crate::table::dataset::{Issue, IssueCount, SourceInfo};

const MAGIC: &[u8; 4] = b"CRMT";
/// The version [`Dataset::to_bytes`] writes and [`Dataset::from_bytes`] reads.
pub const VERSION: u16 = 1;

const TYPES: [DataType; 7] = [
    DataType::Int64,
    DataType::Float64,
    DataType::Bool,
    DataType::Date,
    DataType::Datetime,
    DataType::Category,
    DataType::Text,
];
const ROLES: [Role; 10] = [
    Role::Id,
    Role::Email,
    Role::Phone,
    Role::Money,
    Role::Percent,
    Role::PostalCode,
    Role::Country,
    Role::City,
    Role::Url,
    Role::FreeText,
];

// The writer is small on purpose (it is in the core wasm, whose budget is tight): one
// non-inlined path for every number, values through a `dyn Fn` (no copy of the loop per type).
pub(super) struct W(pub(super) Vec<u8>);

impl W {
    #[inline(never)]
    fn int(&mut self, v: u64, width: usize) {
        self.0.extend_from_slice(&v.to_le_bytes()[..width]);
    }
    pub(super) fn u8(&mut self, v: u8) {
        self.int(v as u64, 1);
    }
    pub(super) fn u32(&mut self, v: usize) {
        self.int(v as u64, 4);
    }
    fn u64(&mut self, v: u64) {
        self.int(v, 8);
    }
    #[inline(never)]
    pub(super) fn str(&mut self, s: &str) {
        self.u32(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    #[inline(never)]
    fn values(&mut self, n: usize, width: usize, get: &dyn Fn(usize) -> u64) {
        for i in 0..n {
            self.int(get(i), width);
        }
    }
    fn opt_str(&mut self, s: &Option<String>) {
        self.u8(s.is_some() as u8);
        if let Some(s) = s {
            self.str(s);
        }
    }
}

impl Dataset {
    /// The dataset in the binary form described in [`crate::table::bytes`].
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut w = W(Vec::with_capacity(64 + self.memory_bytes()));
        w.0.extend_from_slice(MAGIC);
        w.0.extend_from_slice(&VERSION.to_le_bytes());
        w.0.extend_from_slice(&0u16.to_le_bytes());
        w.u64(self.num_rows() as u64);
        w.u32(self.num_columns());
        let s = &self.source;
        w.str(&s.format);
        w.str(&s.encoding);
        w.opt_str(&s.delimiter);
        w.u8(s.header as u8);
        for v in [s.bytes, s.records, s.skipped_rows, s.repaired_rows] {
            w.u64(v);
        }
        w.u8(s.truncated as u8);
        w.u32(self.issues.len());
        for i in &self.issues {
            w.u64(i.line);
            w.u8(i.column.is_some() as u8);
            if let Some(c) = i.column {
                w.u64(c);
            }
            w.str(&i.kind);
            w.str(&i.action);
            w.str(&i.message);
        }
        w.u32(self.issue_counts.len());
        for c in &self.issue_counts {
            w.str(&c.kind);
            w.str(&c.action);
            w.u64(c.count);
        }
        for c in self.columns() {
            write_column(&mut w, c);
        }
        w.0
    }

    /// Reads bytes written by [`Dataset::to_bytes`] (this version), checking all of them.
    pub fn from_bytes(bytes: &[u8]) -> Result<Dataset> {
        let mut r = R { b: bytes, at: 0 };
        if r.take(4)? != MAGIC {
            return Err(bad("not crmlens dataset bytes (no CRMT header)"));
        }
        let version = u16::from_le_bytes([r.u8()?, r.u8()?]);
        let flags = u16::from_le_bytes([r.u8()?, r.u8()?]);
        if version != VERSION || flags != 0 {
            return Err(bad(format!(
                "dataset bytes of version {version} (flags {flags}); this build reads version {VERSION}"
            )));
        }
        let rows = usize::try_from(r.u64()?).map_err(|_| bad("row count out of range"))?;
        let ncols = r.count(8)?;
        let source = SourceInfo {
            format: r.str()?,
            encoding: r.str()?,
            delimiter: r.opt_str()?,
            header: r.bool()?,
            bytes: r.u64()?,
            records: r.u64()?,
            skipped_rows: r.u64()?,
            repaired_rows: r.u64()?,
            truncated: r.bool()?,
            // Not in version 1 of the format: the sniffer's confidence and note stay with the
            // table they were made for.
            delimiter_confidence: None,
            sniff_note: None,
        };
        let n = r.count(21)?;
        let mut issues = Vec::with_capacity(n);
        for _ in 0..n {
            let line = r.u64()?;
            let column = if r.bool()? { Some(r.u64()?) } else { None };
            issues.push(Issue { line, column, kind: r.str()?, action: r.str()?, message: r.str()? });
        }
        let n = r.count(16)?;
        let mut issue_counts = Vec::with_capacity(n);
        for _ in 0..n {
            issue_counts.push(IssueCount { kind: r.str()?, action: r.str()?, count: r.u64()? });
        }
        let mut columns = Vec::with_capacity(ncols);
        for _ in 0..ncols {
            columns.push(read_column(&mut r, rows)?);
        }
        if r.at != bytes.len() {
            return Err(bad(format!("{} bytes after the last column", bytes.len() - r.at)));
        }
        if ncols == 0 && rows != 0 {
            return Err(bad("rows without columns"));
        }
        let mut ds = Dataset::new(columns).map_err(|e| bad(e.to_string()))?;
        ds.source = source;
        ds.issues = issues;
        ds.issue_counts = issue_counts;
        Ok(ds)
    }
}

/// A column's name, type, role, format, missing tokens, warnings and UTC flag: the part
/// before its values, shared by both writers.
fn write_column_head(w: &mut W, c: &Column) {
    write_head(w, &c.name, c.dtype(), c);
}

/// A text column's values: their byte length, the bytes, then each value's end offset.
pub(super) fn write_text_values(out: &mut Vec<u8>, s: &StrVec) {
    out.extend_from_slice(&(s.byte_len() as u64).to_le_bytes());
    s.iter().for_each(|x| out.extend_from_slice(x.as_bytes()));
    let mut end = 0u64;
    for x in s.iter() {
        end += x.len() as u64;
        out.extend_from_slice(&end.to_le_bytes());
    }
}

/// [`write_column_head`] with another name and type (a column whose values are written
/// separately: [`super::bytes_writer`]).
pub(super) fn write_head(w: &mut W, name: &str, dtype: DataType, c: &Column) {
    w.str(name);
    w.u8(TYPES.iter().position(|&t| t == dtype).unwrap_or(0) as u8);
    w.u8(c.role.and_then(|r| ROLES.iter().position(|&x| x == r)).map_or(0, |i| i as u8 + 1));
    w.opt_str(&c.format);
    w.u32(c.missing_tokens.len());
    for (t, n) in &c.missing_tokens {
        w.str(t);
        w.u64(*n as u64);
    }
    w.u32(c.warnings.len());
    for s in &c.warnings {
        w.str(s);
    }
    w.u8(c.utc as u8);
}

fn write_column(w: &mut W, c: &Column) {
    write_column_head(w, c);
    let n = c.len();
    match &c.data {
        ColumnData::Int64(v) | ColumnData::Datetime(v) => w.values(n, 8, &|i| v[i] as u64),
        ColumnData::Float64(v) => w.values(n, 8, &|i| v[i].to_bits()),
        ColumnData::Bool(v) => w.values(n, 1, &|i| v[i] as u64),
        ColumnData::Date(v) => w.values(n, 4, &|i| v[i] as u32 as u64),
        ColumnData::Category { codes, dict } => {
            w.u32(dict.len());
            dict.iter().for_each(|s| w.str(s));
            w.values(n, 4, &|i| codes[i] as u64);
        }
        ColumnData::Text(s) => {
            w.u64(s.byte_len() as u64);
            s.iter().for_each(|x| w.0.extend_from_slice(x.as_bytes()));
            let mut end = 0u64;
            for x in s.iter() {
                end += x.len() as u64;
                w.u64(end);
            }
        }
    }
    w.u8((c.null_count() > 0) as u8);
    if c.null_count() > 0 {
        // Bit i % 8 of byte i / 8: row i is present.
        w.values(n.div_ceil(8), 1, &|b| (0..8).fold(0, |acc, k| acc | (c.validity.is_valid(b * 8 + k) as u64) << k));
    }
}

impl Dataset {
    /// The same bytes as [`Dataset::to_bytes`], the values written by one monomorphised loop
    /// per type: several times faster on large tables, and more code. For the lazily loaded
    /// modules that hand large tables back (the rules module's events); the core keeps the
    /// small writer above, so this is not in the core wasm.
    pub fn to_bytes_fast(&self) -> Vec<u8> {
        // The header as `to_bytes` writes it for a table with no columns, then the row and
        // column counts (bytes 8..20) set to this table's.
        let mut head = Dataset::new(Vec::new()).unwrap_or_default();
        head.source = self.source.clone();
        head.issues = self.issues.clone();
        head.issue_counts = self.issue_counts.clone();
        let mut w = W(head.to_bytes());
        w.0.reserve(64 + self.memory_bytes() + self.num_rows() * 8);
        w.0[8..16].copy_from_slice(&(self.num_rows() as u64).to_le_bytes());
        w.0[16..20].copy_from_slice(&(self.num_columns() as u32).to_le_bytes());
        for c in self.columns() {
            write_column_fast(&mut w, c);
        }
        w.0
    }
}

/// `v`'s values as `f` writes them, into `out` grown once (a loop of plain stores: pushing
/// value by value checked the capacity each time, most of a large write's time).
fn put<T: Copy, const N: usize>(out: &mut Vec<u8>, v: &[T], f: impl Fn(T) -> [u8; N]) {
    let start = out.len();
    out.resize(start + v.len() * N, 0);
    for (d, &x) in out[start..].chunks_exact_mut(N).zip(v) {
        d.copy_from_slice(&f(x));
    }
}

/// [`write_column`] with a loop per type.
pub(super) fn write_column_fast(w: &mut W, c: &Column) {
    write_column_head(w, c);
    let out = &mut w.0;
    match &c.data {
        ColumnData::Int64(v) | ColumnData::Datetime(v) => put(out, v, i64::to_le_bytes),
        ColumnData::Float64(v) => put(out, v, |x: f64| x.to_bits().to_le_bytes()),
        ColumnData::Bool(v) => out.extend(v.iter().map(|&b| b as u8)),
        ColumnData::Date(v) => put(out, v, i32::to_le_bytes),
        ColumnData::Category { codes, dict } => {
            w.u32(dict.len());
            dict.iter().for_each(|s| w.str(s));
            put(&mut w.0, codes, u32::to_le_bytes);
        }
        ColumnData::Text(s) => write_text_values(out, s),
    }
    let n = c.len();
    w.u8((c.null_count() > 0) as u8);
    if c.null_count() > 0 {
        // Bit i % 8 of byte i / 8: row i is present (the words' little-endian bytes).
        let bytes = c.validity.words().iter().flat_map(|x| x.to_le_bytes());
        w.0.extend(bytes.take(n.div_ceil(8)));
    }
}

fn bad(message: impl Into<String>) -> CrmError {
    CrmError::parse(format!("dataset bytes: {}", message.into()), Location::default())
}

struct R<'a> {
    b: &'a [u8],
    at: usize,
}

impl<'a> R<'a> {
    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or_else(|| bad("truncated"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    fn bool(&mut self) -> Result<bool> {
        match self.u8()? {
            0 => Ok(false),
            1 => Ok(true),
            v => Err(bad(format!("flag {v} at byte {} is not 0 or 1", self.at - 1))),
        }
    }
    fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    fn u64(&mut self) -> Result<u64> {
        Ok(u64::from_le_bytes(self.array()?))
    }
    fn array(&mut self) -> Result<[u8; 8]> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(a)
    }
    /// A u32 count of items of at least `min` bytes each, checked against the bytes left.
    fn count(&mut self, min: usize) -> Result<usize> {
        let n = self.u32()? as usize;
        self.fits(n, min)?;
        Ok(n)
    }
    fn fits(&self, n: usize, size: usize) -> Result<()> {
        match n.checked_mul(size) {
            Some(b) if b <= self.b.len() - self.at => Ok(()),
            _ => Err(bad("truncated (a count exceeds the bytes left)")),
        }
    }
    fn str(&mut self) -> Result<String> {
        let n = self.u32()? as usize;
        let at = self.at;
        String::from_utf8(self.take(n)?.to_vec()).map_err(|_| bad(format!("invalid UTF-8 at byte {at}")))
    }
    fn opt_str(&mut self) -> Result<Option<String>> {
        Ok(if self.bool()? { Some(self.str()?) } else { None })
    }
    /// `rows` fixed-size values, each decoded by `f` from its bytes.
    fn values<T, const N: usize>(&mut self, rows: usize, f: fn([u8; N]) -> T) -> Result<Vec<T>> {
        self.fits(rows, N)?;
        let bytes = self.take(rows * N)?;
        Ok(bytes
            .chunks_exact(N)
            .map(|c| {
                let mut a = [0u8; N];
                a.copy_from_slice(c);
                f(a)
            })
            .collect())
    }
}

fn read_column(r: &mut R, rows: usize) -> Result<Column> {
    let name = r.str()?;
    let col_err = |m: &str| bad(format!("column `{name}`: {m}"));
    let dtype = *TYPES.get(r.u8()? as usize).ok_or_else(|| col_err("unknown type"))?;
    let role = match r.u8()? {
        0 => None,
        i => Some(*ROLES.get(i as usize - 1).ok_or_else(|| col_err("unknown role"))?),
    };
    let format = r.opt_str()?;
    let n = r.count(12)?;
    let mut missing_tokens = Vec::with_capacity(n);
    for _ in 0..n {
        let t = r.str()?;
        let c = usize::try_from(r.u64()?).map_err(|_| col_err("missing-token count out of range"))?;
        missing_tokens.push((t, c));
    }
    let n = r.count(4)?;
    let mut warnings = Vec::with_capacity(n);
    for _ in 0..n {
        warnings.push(r.str()?);
    }
    let utc = r.bool()?;
    let data = match dtype {
        DataType::Int64 => ColumnData::Int64(r.values(rows, i64::from_le_bytes)?),
        DataType::Datetime => ColumnData::Datetime(r.values(rows, i64::from_le_bytes)?),
        DataType::Float64 => ColumnData::Float64(r.values(rows, f64::from_le_bytes)?),
        DataType::Date => ColumnData::Date(r.values(rows, i32::from_le_bytes)?),
        DataType::Bool => {
            let v = r.values(rows, |[b]: [u8; 1]| b)?;
            if v.iter().any(|&b| b > 1) {
                return Err(col_err("a bool value is not 0 or 1"));
            }
            ColumnData::Bool(v.into_iter().map(|b| b == 1).collect())
        }
        DataType::Category => {
            let n = r.count(4)?;
            let mut dict = Vec::with_capacity(n);
            for _ in 0..n {
                dict.push(r.str()?);
            }
            let codes = r.values(rows, u32::from_le_bytes)?;
            // Null slots hold code 0, which an empty dictionary cannot index: allow it there.
            if codes.iter().any(|&c| c as usize >= n.max(1)) {
                return Err(col_err("a category code is outside the dictionary"));
            }
            ColumnData::Category { codes, dict }
        }
        DataType::Text => {
            let len = usize::try_from(r.u64()?).map_err(|_| col_err("text length out of range"))?;
            r.fits(len, 1)?;
            let data = String::from_utf8(r.take(len)?.to_vec()).map_err(|_| col_err("invalid UTF-8 text"))?;
            let ends = r.values(rows, u64::from_le_bytes)?;
            let mut prev = 0usize;
            let mut ends_usize = Vec::with_capacity(rows);
            for e in ends {
                let e = usize::try_from(e).unwrap_or(usize::MAX);
                if e < prev || e > len || !data.is_char_boundary(e) {
                    return Err(col_err("text offsets are not ascending character boundaries"));
                }
                ends_usize.push(e);
                prev = e;
            }
            if prev != len {
                return Err(col_err("text offsets do not cover the text"));
            }
            ColumnData::Text(StrVec::from_parts(data, ends_usize))
        }
    };
    let validity = match r.u8()? {
        0 => Validity::all_valid(rows),
        1 => Validity::from_le_bytes(r.take(rows.div_ceil(8))?, rows),
        _ => return Err(col_err("unknown null encoding")),
    };
    if dtype == DataType::Category && n_dict_empty(&data) && validity.null_count() != rows {
        return Err(col_err("values without a dictionary"));
    }
    // The currency of a money column is not in version 1 of the format.
    Ok(Column { name, data, validity, role, format, missing_tokens, warnings, utc, currency: None })
}

fn n_dict_empty(data: &ColumnData) -> bool {
    matches!(data, ColumnData::Category { dict, .. } if dict.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Dataset {
        let mut v = Validity::default();
        for b in [true, false, true] {
            v.push(b);
        }
        let mut text = StrVec::default();
        for s in ["北京", "", "Bob"] {
            text.push(s);
        }
        let mut cat = Column::new(
            "c",
            ColumnData::Category { codes: vec![1, 0, 0], dict: vec!["x".into(), "y".into()] },
            v.clone(),
        );
        cat.role = Some(Role::Country);
        cat.missing_tokens = vec![("NA".into(), 1)];
        let mut ds = Dataset::new(vec![
            Column::new("i", ColumnData::Int64(vec![1, 0, -3]), v.clone()),
            Column::new("f", ColumnData::Float64(vec![0.5, f64::NAN, 2.0]), Validity::all_valid(3)),
            Column::new("t", ColumnData::Text(text), Validity::all_valid(3)),
            cat,
        ])
        .unwrap();
        ds.source.format = "csv".into();
        ds.source.delimiter = Some(";".into());
        ds.issues.push(Issue {
            line: 3,
            column: Some(2),
            kind: "ragged".into(),
            action: "skipped".into(),
            message: "m".into(),
        });
        ds
    }

    #[test]
    fn the_fast_writer_writes_the_same_bytes() {
        let mut ds = sample();
        ds.source.format = "csv".into();
        ds.source.delimiter = Some(";".into());
        ds.source.records = 7;
        ds.issue_counts.push(IssueCount { kind: "k".into(), action: "a".into(), count: 3 });
        ds.issues.push(Issue { line: 2, column: Some(1), kind: "k".into(), action: "a".into(), message: "m".into() });
        assert_eq!(ds.to_bytes_fast(), ds.to_bytes());
        // Every type, 70 rows (two bitmap words), some missing.
        let n = 70;
        let mut v = Validity::default();
        (0..n).for_each(|i| v.push(i % 7 != 3));
        let mut dt =
            Column::new("dt", ColumnData::Datetime((0..n as i64).map(|i| i * 86_400_123).collect()), v.clone());
        dt.utc = true;
        let wide = Dataset::new(vec![
            Column::new("b", ColumnData::Bool((0..n).map(|i| i % 2 == 0).collect()), v.clone()),
            Column::new("d", ColumnData::Date((0..n as i32).map(|i| i * 40 - 900).collect()), v.clone()),
            dt,
            Column::new("f", ColumnData::Float64((0..n).map(|i| i as f64 / 3.0).collect()), Validity::all_valid(n)),
        ])
        .unwrap();
        assert_eq!(wide.to_bytes_fast(), wide.to_bytes());
        assert_eq!(Dataset::from_bytes(&wide.to_bytes_fast()).unwrap(), wide);
        let empty = Dataset::new(Vec::new()).unwrap();
        assert_eq!(empty.to_bytes_fast(), empty.to_bytes());
    }

    #[test]
    fn round_trips_and_rejects_every_truncation() {
        let ds = sample();
        let bytes = ds.to_bytes();
        let back = Dataset::from_bytes(&bytes).unwrap();
        assert_eq!(back.to_bytes(), bytes);
        assert_eq!(back.column_info(), ds.column_info());
        assert_eq!(back.source, ds.source);
        assert_eq!(back.issues, ds.issues);
        assert_eq!(back.row(0), ds.row(0));
        for n in 0..bytes.len() {
            let e = Dataset::from_bytes(&bytes[..n]).unwrap_err();
            assert_eq!(e.code(), "PARSE_ERROR", "prefix of {n} bytes");
        }
    }

    #[test]
    fn rejects_tampered_bytes_without_panicking() {
        let bytes = sample().to_bytes();
        // Every single byte flipped to every value either decodes to a valid dataset or
        // returns an error; none panics or allocates past the input.
        for i in 0..bytes.len() {
            for v in [0u8, 1, 2, 7, 0x7f, 0x80, 0xff] {
                let mut b = bytes.clone();
                b[i] = v;
                if let Ok(ds) = Dataset::from_bytes(&b) {
                    for c in ds.columns() {
                        for row in 0..ds.num_rows() {
                            let _ = c.get(row);
                        }
                    }
                }
            }
        }
        let mut b = bytes.clone();
        b[4] = 2;
        assert!(Dataset::from_bytes(&b).unwrap_err().to_string().contains("version 2"));
        let mut b = bytes;
        b.push(0);
        assert!(Dataset::from_bytes(&b).is_err());
    }
}
