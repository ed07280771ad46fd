//! A minimal FlatBuffers reader and writer: what Arrow's IPC metadata (`Message.fbs`,
//! `Schema.fbs`) needs and nothing more: tables with scalar, table, string and vector fields,
//! vectors of tables and of 16-byte structs. No generated code, no dependency.
//!
//! Reading checks every offset against the buffer (a bad offset is a `PARSE_ERROR`, never a
//! panic) and never recurses on its own: the caller walks a fixed depth of the schema.
//!
//! Writing lays objects out front to back (a parent before its children, so every `uoffset`
//! points forward), each vtable just before its table, with every scalar aligned to its size
//! relative to the start of the buffer (what FlatBuffers verifiers, e.g. Arrow C++'s, check).

use super::bad;
use crate::error::Result;

fn bytes<const N: usize>(buf: &[u8], at: usize) -> Result<[u8; N]> {
    let s = at.checked_add(N).and_then(|end| buf.get(at..end)).ok_or_else(|| bad("metadata offset out of bounds"))?;
    let mut a = [0u8; N];
    a.copy_from_slice(s);
    Ok(a)
}

fn u32_at(buf: &[u8], at: usize) -> Result<usize> {
    Ok(u32::from_le_bytes(bytes(buf, at)?) as usize)
}

fn u16_at(buf: &[u8], at: usize) -> Result<usize> {
    Ok(u16::from_le_bytes(bytes(buf, at)?) as usize)
}

/// A table inside a FlatBuffer.
#[derive(Clone, Copy)]
pub struct Table<'a> {
    buf: &'a [u8],
    pos: usize,
    vtable: usize,
    vsize: usize,
}

/// A vector inside a FlatBuffer: `len` elements of `elem` bytes from `start`.
#[derive(Clone, Copy)]
pub struct Vector<'a> {
    buf: &'a [u8],
    start: usize,
    pub len: usize,
    elem: usize,
}

impl<'a> Table<'a> {
    /// The root table of a buffer.
    pub fn root(buf: &'a [u8]) -> Result<Table<'a>> {
        Table::at(buf, u32_at(buf, 0)?)
    }

    fn at(buf: &'a [u8], pos: usize) -> Result<Table<'a>> {
        let soffset = i32::from_le_bytes(bytes(buf, pos)?) as i64;
        let vtable = usize::try_from(pos as i64 - soffset).map_err(|_| bad("vtable offset out of bounds"))?;
        let vsize = u16_at(buf, vtable)?;
        if vsize < 4 || vtable.saturating_add(vsize) > buf.len() {
            return Err(bad("vtable out of bounds"));
        }
        Ok(Table { buf, pos, vtable, vsize })
    }

    /// Where field `i` is stored, if present.
    fn field(&self, i: usize) -> Result<Option<usize>> {
        let entry = 4 + 2 * i;
        if entry + 2 > self.vsize {
            return Ok(None);
        }
        Ok(match u16_at(self.buf, self.vtable + entry)? {
            0 => None,
            o => Some(self.pos.saturating_add(o)),
        })
    }

    /// A signed little-endian scalar of `width` bytes (1, 2, 4 or 8), or `default`.
    pub fn int(&self, i: usize, width: usize, default: i64) -> Result<i64> {
        let Some(p) = self.field(i)? else { return Ok(default) };
        let s = p
            .checked_add(width)
            .and_then(|e| self.buf.get(p..e))
            .ok_or_else(|| bad("metadata scalar out of bounds"))?;
        let mut b = [0u8; 8];
        b[..width].copy_from_slice(s);
        let shift = 64 - 8 * width as u32;
        Ok((i64::from_le_bytes(b) << shift) >> shift)
    }

    fn target(&self, i: usize) -> Result<Option<usize>> {
        match self.field(i)? {
            None => Ok(None),
            Some(p) => p.checked_add(u32_at(self.buf, p)?).map(Some).ok_or_else(|| bad("offset out of bounds")),
        }
    }

    /// The table in field `i`, if present.
    pub fn table(&self, i: usize) -> Result<Option<Table<'a>>> {
        self.target(i)?.map(|t| Table::at(self.buf, t)).transpose()
    }

    /// The vector in field `i` whose elements are `elem` bytes each, if present.
    pub fn vector(&self, i: usize, elem: usize) -> Result<Option<Vector<'a>>> {
        let Some(t) = self.target(i)? else { return Ok(None) };
        let len = u32_at(self.buf, t)?;
        let start = t + 4;
        match len.checked_mul(elem).and_then(|b| b.checked_add(start)) {
            Some(end) if end <= self.buf.len() => Ok(Some(Vector { buf: self.buf, start, len, elem })),
            _ => Err(bad("metadata vector out of bounds")),
        }
    }

    /// The string in field `i`, if present.
    pub fn str(&self, i: usize) -> Result<Option<&'a str>> {
        match self.vector(i, 1)? {
            None => Ok(None),
            Some(v) => std::str::from_utf8(v.bytes_of(0, v.len)).map(Some).map_err(|_| bad("a name is not UTF-8")),
        }
    }
}

impl<'a> Vector<'a> {
    fn bytes_of(&self, k: usize, n: usize) -> &'a [u8] {
        // In bounds: checked when the vector was made, for every k < len.
        let s = self.start + k * self.elem;
        self.buf.get(s..s + n).unwrap_or(&[])
    }
    /// Element `k` of a vector of tables.
    pub fn table(&self, k: usize) -> Result<Table<'a>> {
        if k >= self.len || self.elem != 4 {
            return Err(bad("vector index out of bounds"));
        }
        let p = self.start + k * 4;
        Table::at(self.buf, p.checked_add(u32_at(self.buf, p)?).ok_or_else(|| bad("offset out of bounds"))?)
    }
    /// The offset (first field) of element `k` of a vector of `Block` structs (the file
    /// footer's: offset `i64`, metadata length `i32`, padding, body length `i64`).
    pub fn block(&self, k: usize) -> Result<i64> {
        if k >= self.len || self.elem != 24 {
            return Err(bad("footer block index out of bounds"));
        }
        Ok(i64::from_le_bytes(bytes(self.buf, self.start + k * 24)?))
    }
    /// Element `k` of a vector of two-`i64` structs (`FieldNode`, `Buffer`).
    pub fn pair(&self, k: usize) -> Result<(i64, i64)> {
        if k >= self.len || self.elem != 16 {
            return Err(bad("fewer field nodes or buffers than the schema needs"));
        }
        let s = self.start + k * 16;
        Ok((i64::from_le_bytes(bytes(self.buf, s)?), i64::from_le_bytes(bytes(self.buf, s + 8)?)))
    }
}

/// A field value to write: a scalar of `width` bytes, or an object referenced by offset.
pub enum F<'a> {
    Int(i64, usize),
    Obj(Obj<'a>),
}

/// An object to write.
pub enum Obj<'a> {
    /// Fields by index (`None` = absent).
    Table(Vec<Option<F<'a>>>),
    Str(&'a str),
    Tables(Vec<Obj<'a>>),
    /// A vector of two-`i64` structs.
    Pairs(Vec<(i64, i64)>),
}

/// A FlatBuffer with `root` as its root table, padded to a multiple of 8 bytes.
pub fn build(root: &Obj) -> Vec<u8> {
    let mut b = vec![0u8; 4];
    let at = write(&mut b, root);
    patch(&mut b, 0, at);
    pad(&mut b, 8, 0);
    b
}

fn pad(b: &mut Vec<u8>, align: usize, rem: usize) {
    while b.len() % align != rem {
        b.push(0);
    }
}

fn patch(b: &mut [u8], slot: usize, target: usize) {
    b[slot..slot + 4].copy_from_slice(&((target - slot) as u32).to_le_bytes());
}

fn push(b: &mut Vec<u8>, v: i64, width: usize) {
    b.extend_from_slice(&v.to_le_bytes()[..width]);
}

#[inline(never)]
fn write(b: &mut Vec<u8>, o: &Obj) -> usize {
    match o {
        Obj::Str(s) => {
            pad(b, 4, 0);
            let at = b.len();
            push(b, s.len() as i64, 4);
            b.extend_from_slice(s.as_bytes());
            b.push(0);
            at
        }
        Obj::Pairs(v) => {
            pad(b, 8, 4);
            let at = b.len();
            push(b, v.len() as i64, 4);
            for &(x, y) in v {
                push(b, x, 8);
                push(b, y, 8);
            }
            at
        }
        Obj::Tables(v) => {
            pad(b, 4, 0);
            let at = b.len();
            push(b, v.len() as i64, 4);
            let slots = b.len();
            b.resize(slots + 4 * v.len(), 0);
            for (k, o) in v.iter().enumerate() {
                let t = write(b, o);
                patch(b, slots + 4 * k, t);
            }
            at
        }
        Obj::Table(fields) => {
            // Inline layout: the soffset, then fields widest first (each aligned, as the
            // table starts at 4 mod 8).
            let width = |f: &F| match f {
                F::Int(_, w) => *w,
                F::Obj(_) => 4,
            };
            let mut offsets = vec![0u16; fields.len()];
            let mut size = 4;
            for w in [8, 4, 2, 1] {
                for (i, f) in fields.iter().enumerate() {
                    if f.as_ref().is_some_and(|f| width(f) == w) {
                        offsets[i] = size as u16;
                        size += w;
                    }
                }
            }
            let vsize = 4 + 2 * fields.len();
            pad(b, 8, (12 - vsize % 8) % 8);
            let vtable = b.len();
            push(b, vsize as i64, 2);
            push(b, size as i64, 2);
            offsets.iter().for_each(|&o| push(b, o as i64, 2));
            let at = b.len();
            push(b, (at - vtable) as i64, 4);
            b.resize(at + size, 0);
            let mut children = Vec::new();
            for (i, f) in fields.iter().enumerate() {
                let slot = at + offsets[i] as usize;
                match f {
                    Some(F::Int(v, w)) => b[slot..slot + w].copy_from_slice(&v.to_le_bytes()[..*w]),
                    Some(F::Obj(o)) => children.push((slot, o)),
                    None => {}
                }
            }
            for (slot, o) in children {
                let t = write(b, o);
                patch(b, slot, t);
            }
            at
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn written_tables_read_back() {
        let child = Obj::Table(vec![Some(F::Int(-5, 4)), Some(F::Obj(Obj::Str("名前")))]);
        let root = Obj::Table(vec![
            Some(F::Int(4, 2)),
            None,
            Some(F::Obj(child)),
            Some(F::Int(1 << 40, 8)),
            Some(F::Obj(Obj::Pairs(vec![(1, 2), (-3, 4)]))),
            Some(F::Obj(Obj::Tables(vec![Obj::Table(vec![Some(F::Int(1, 1))]), Obj::Table(vec![])]))),
        ]);
        let b = build(&root);
        assert_eq!(b.len() % 8, 0);
        let t = Table::root(&b).unwrap();
        assert_eq!(t.int(0, 2, 0).unwrap(), 4);
        assert_eq!(t.int(1, 1, 9).unwrap(), 9);
        assert_eq!(t.int(3, 8, 0).unwrap(), 1 << 40);
        let c = t.table(2).unwrap().unwrap();
        assert_eq!((c.int(0, 4, 0).unwrap(), c.str(1).unwrap()), (-5, Some("名前")));
        let p = t.vector(4, 16).unwrap().unwrap();
        assert_eq!((p.len, p.pair(1).unwrap()), (2, (-3, 4)));
        assert!(p.pair(2).is_err());
        let v = t.vector(5, 4).unwrap().unwrap();
        assert_eq!(v.table(0).unwrap().int(0, 1, 0).unwrap(), 1);
        assert_eq!(v.table(1).unwrap().int(0, 1, 7).unwrap(), 7);
        assert!(t.table(9).unwrap().is_none());
    }

    #[test]
    fn every_truncation_and_byte_flip_is_an_error_or_a_value() {
        let root = Obj::Table(vec![
            Some(F::Obj(Obj::Str("abc"))),
            Some(F::Obj(Obj::Tables(vec![Obj::Table(vec![Some(F::Int(3, 8))])]))),
        ]);
        let b = build(&root);
        let walk = |b: &[u8]| -> Result<()> {
            let t = Table::root(b)?;
            t.str(0)?;
            if let Some(v) = t.vector(1, 4)? {
                for k in 0..v.len {
                    v.table(k)?.int(0, 8, 0)?;
                }
            }
            Ok(())
        };
        walk(&b).unwrap();
        for n in 0..b.len() {
            let _ = walk(&b[..n]);
        }
        for i in 0..b.len() {
            for v in [0u8, 1, 0x7f, 0x80, 0xff] {
                let mut c = b.clone();
                c[i] = v;
                let _ = walk(&c);
            }
        }
    }
}
