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
}
