//! The byte form of mergeable states shipped between processes (engine workers → driver):
//! a checked header, then little-endian fields.
//!
//! ```text
//! "CRMS" [u8; 4] kind (e.g. "SUMB") u16 version, then the state's own fields
//! ```
//!
//! [`Reader::open`] checks the header: bytes that are not a crmlens state, or a state of
//! another kind, are `PARSE_ERROR`; a state of another version is `INVALID_STATE` (it was
//! written by a different crmlens build and cannot be merged with this one's). Every count
//! is compared with the bytes left before anything is allocated for it.

use crate::error::{CrmError, Location, Result};

const MAGIC: &[u8; 4] = b"CRMS";

/// Writes a state: the header, then fields.
pub struct Writer(Vec<u8>);

impl Writer {
    pub fn new(kind: &[u8; 4], version: u16) -> Self {
        let mut v = Vec::with_capacity(64);
        v.extend_from_slice(MAGIC);
        v.extend_from_slice(kind);
        v.extend_from_slice(&version.to_le_bytes());
        Writer(v)
    }
    pub fn u8(&mut self, v: u8) {
        self.0.push(v);
    }
    pub fn u32(&mut self, v: u32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn u64(&mut self, v: u64) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn i32(&mut self, v: i32) {
        self.0.extend_from_slice(&v.to_le_bytes());
    }
    pub fn f64(&mut self, v: f64) {
        self.u64(v.to_bits());
    }
    /// A length or count (u64).
    pub fn len(&mut self, n: usize) {
        self.u64(n as u64);
    }
    /// An unsigned LEB128 varint (1 byte below 128): for compact states.
    pub fn uvar(&mut self, mut v: u64) {
        while v >= 0x80 {
            self.0.push((v as u8) | 0x80);
            v >>= 7;
        }
        self.0.push(v as u8);
    }
    pub fn str(&mut self, s: &str) {
        self.len(s.len());
        self.0.extend_from_slice(s.as_bytes());
    }
    /// A string with a varint length (short ids: 1 byte of length instead of 8).
    pub fn vstr(&mut self, s: &str) {
        self.uvar(s.len() as u64);
        self.0.extend_from_slice(s.as_bytes());
    }
    pub fn finish(self) -> Vec<u8> {
        self.0
    }
}

/// Reads a state written by [`Writer`], checking every field.
pub struct Reader<'a> {
    b: &'a [u8],
    at: usize,
    what: &'static str,
}

impl<'a> Reader<'a> {
    /// Checks the header: `kind` and `version` must be the ones this build writes. `what`
    /// names the state in error messages.
    pub fn open(bytes: &'a [u8], kind: &[u8; 4], version: u16, what: &'static str) -> Result<Self> {
        let mut r = Reader { b: bytes, at: 0, what };
        if bytes.len() < 10 || &bytes[..4] != MAGIC {
            return Err(r.bad("not crmlens state bytes (no CRMS header)"));
        }
        r.at = 4;
        let k = r.take(4)?;
        if k != kind {
            let got = String::from_utf8_lossy(k).into_owned();
            let want = String::from_utf8_lossy(kind).into_owned();
            return Err(r.bad(format!("a state of kind {got:?}, not {want:?}")));
        }
        let v = u16::from_le_bytes([r.u8()?, r.u8()?]);
        if v != version {
            return Err(CrmError::state(format!(
                "{what}: a state of version {v}; this crmlens build reads and writes version {version} \
                 (rebuild every state with the same crmlens version)"
            )));
        }
        Ok(r)
    }

    pub fn bad(&self, message: impl Into<String>) -> CrmError {
        CrmError::parse(format!("{}: {}", self.what, message.into()), Location::default())
    }
    pub fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.b.len()).ok_or_else(|| self.bad("truncated"))?;
        let s = &self.b[self.at..end];
        self.at = end;
        Ok(s)
    }
    pub fn u8(&mut self) -> Result<u8> {
        Ok(self.take(1)?[0])
    }
    pub fn u32(&mut self) -> Result<u32> {
        let b = self.take(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub fn u64(&mut self) -> Result<u64> {
        let mut a = [0u8; 8];
        a.copy_from_slice(self.take(8)?);
        Ok(u64::from_le_bytes(a))
    }
    pub fn i32(&mut self) -> Result<i32> {
        Ok(self.u32()? as i32)
    }
    pub fn f64(&mut self) -> Result<f64> {
        Ok(f64::from_bits(self.u64()?))
    }
    /// A number written by [`Writer::len`] that is not a count of what follows (a row
    /// position, a total).
    pub fn usize(&mut self) -> Result<usize> {
        usize::try_from(self.u64()?).map_err(|_| self.bad("number out of range"))
    }
    /// A varint written by [`Writer::uvar`] (at most 10 bytes; overlong or overflowing ones
    /// are bad bytes).
    pub fn uvar(&mut self) -> Result<u64> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.u8()?;
            let bits = u64::from(b & 0x7f);
            if shift == 63 && bits > 1 {
                break;
            }
            v |= bits << shift;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(self.bad("varint out of range"))
    }
    /// A count written by [`Writer::uvar`] of items of at least `min` bytes each, checked
    /// against the bytes left.
    pub fn uvar_len(&mut self, min: usize) -> Result<usize> {
        let n = usize::try_from(self.uvar()?).map_err(|_| self.bad("count out of range"))?;
        match n.checked_mul(min.max(1)) {
            Some(b) if b <= self.b.len() - self.at => Ok(n),
            _ => Err(self.bad("truncated (a count exceeds the bytes left)")),
        }
    }
    /// A count of items of at least `min` bytes each, checked against the bytes left.
    pub fn len(&mut self, min: usize) -> Result<usize> {
        let n = usize::try_from(self.u64()?).map_err(|_| self.bad("count out of range"))?;
        match n.checked_mul(min.max(1)) {
            Some(b) if b <= self.b.len() - self.at => Ok(n),
            _ => Err(self.bad("truncated (a count exceeds the bytes left)")),
        }
    }
    pub fn str(&mut self) -> Result<&'a str> {
        let n = self.len(1)?;
        let at = self.at;
        std::str::from_utf8(self.take(n)?).map_err(|_| self.bad(format!("invalid UTF-8 at byte {at}")))
    }
    /// A string written by [`Writer::vstr`].
    pub fn vstr(&mut self) -> Result<&'a str> {
        let n = self.uvar_len(1)?;
        let at = self.at;
        std::str::from_utf8(self.take(n)?).map_err(|_| self.bad(format!("invalid UTF-8 at byte {at}")))
    }
    /// Fails unless every byte was read.
    pub fn end(&self) -> Result<()> {
        if self.at != self.b.len() {
            return Err(self.bad(format!("{} bytes after the end of the state", self.b.len() - self.at)));
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn header_errors_have_stable_codes() {
        let mut w = Writer::new(b"TEST", 3);
        w.str("héllo");
        w.f64(-0.5);
        let b = w.finish();
        let mut r = Reader::open(&b, b"TEST", 3, "test state").unwrap();
        assert_eq!(r.str().unwrap(), "héllo");
        assert_eq!(r.f64().unwrap(), -0.5);
        r.end().unwrap();
        assert_eq!(Reader::open(&b, b"TEST", 4, "t").err().unwrap().code(), "INVALID_STATE");
        assert_eq!(Reader::open(&b, b"OTHR", 3, "t").err().unwrap().code(), "PARSE_ERROR");
        assert_eq!(Reader::open(b"garbage!!!!", b"TEST", 3, "t").err().unwrap().code(), "PARSE_ERROR");
        for cut in 10..b.len() {
            let mut r = Reader::open(&b[..cut], b"TEST", 3, "t").unwrap();
            assert!(r.str().and_then(|_| r.f64()).is_err(), "cut at {cut}");
        }
    }
}
