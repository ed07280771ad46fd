//! Null bitmap: bit set = value present.

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Validity {
    bits: Vec<u64>,
    len: usize,
    nulls: usize,
}

impl Validity {
    pub fn with_capacity(n: usize) -> Self {
        Validity { bits: Vec::with_capacity(n.div_ceil(64)), len: 0, nulls: 0 }
    }
    /// All `len` values present.
    pub fn all_valid(len: usize) -> Self {
        let mut bits = vec![u64::MAX; len.div_ceil(64)];
        if len % 64 != 0 {
            if let Some(last) = bits.last_mut() {
                *last = (1u64 << (len % 64)) - 1;
            }
        }
        Validity { bits, len, nulls: 0 }
    }
    #[inline(always)]
    pub fn push(&mut self, valid: bool) {
        let (word, bit) = (self.len / 64, self.len % 64);
        if word == self.bits.len() {
            self.bits.push(0);
        }
        if valid {
            self.bits[word] |= 1 << bit;
        } else {
            self.nulls += 1;
        }
        self.len += 1;
    }
    #[inline]
    pub fn is_valid(&self, i: usize) -> bool {
        i < self.len && (self.bits[i / 64] >> (i % 64)) & 1 == 1
    }
    pub fn len(&self) -> usize {
        self.len
    }
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }
    pub fn null_count(&self) -> usize {
        self.nulls
    }
    /// From a bitmap of `len` values as little-endian bytes (bit `i % 8` of byte `i / 8`: value
    /// `i` present), read a word at a time; bits past `len` and missing bytes read as absent.
    pub fn from_le_bytes(bytes: &[u8], len: usize) -> Self {
        let n = len.div_ceil(64);
        let mut bits: Vec<u64> = bytes
            .chunks(8)
            .take(n)
            .map(|c| {
                let mut a = [0u8; 8];
                a[..c.len()].copy_from_slice(c);
                u64::from_le_bytes(a)
            })
            .collect();
        bits.resize(n, 0);
        if let (Some(last), 1..) = (bits.last_mut(), len % 64) {
            *last &= (1u64 << (len % 64)) - 1;
        }
        let present: usize = bits.iter().map(|w| w.count_ones() as usize).sum();
        Validity { bits, len, nulls: len - present }
    }
    /// The bitmap, 64 values a word, least significant bit first (Arrow's layout once
    /// written little-endian); the bits past `len` are 0.
    pub fn words(&self) -> &[u64] {
        &self.bits
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn push_and_query() {
        let mut v = Validity::default();
        for i in 0..130 {
            v.push(i % 3 != 0);
        }
        assert_eq!(v.len(), 130);
        assert_eq!(v.null_count(), 44);
        assert!(!v.is_valid(0) && v.is_valid(1) && v.is_valid(128) && !v.is_valid(129));
        assert!(!v.is_valid(500));
        let all = Validity::all_valid(70);
        assert!(all.is_valid(69) && !all.is_valid(70) && all.null_count() == 0);
    }

    #[test]
    fn from_le_bytes_reads_what_push_builds() {
        let mut rng = crate::rng::Rng::new(18);
        for len in [0usize, 1, 7, 8, 9, 63, 64, 65, 127, 128, 129, 1000] {
            let mut pushed = Validity::with_capacity(len);
            let mut bytes = vec![0u8; len.div_ceil(8)];
            for i in 0..len {
                let ok = rng.next_f64() < 0.7;
                pushed.push(ok);
                bytes[i / 8] |= (ok as u8) << (i % 8);
            }
            // Bits past `len` in the last byte are ignored.
            if len % 8 != 0 {
                *bytes.last_mut().unwrap() |= 0xff << (len % 8);
            }
            assert_eq!(Validity::from_le_bytes(&bytes, len), pushed, "len {len}");
        }
        // Missing bytes read as absent values, never a panic.
        let short = Validity::from_le_bytes(&[0xff], 100);
        assert_eq!((short.len(), short.null_count()), (100, 92));
        assert!(short.is_valid(7) && !short.is_valid(8) && !short.is_valid(99));
    }
}
