//! A fast, well-mixed 64-bit hash for sketches (HyperLogLog needs every bit to look random;
//! `FxHash` does not), stable across platforms so native and wasm results agree.

const K: u64 = 0x9E37_79B9_7F4A_7C15;

/// The MurmurHash3 64-bit finaliser: a bijection that spreads every input bit.
#[inline]
pub fn fmix64(mut k: u64) -> u64 {
    k ^= k >> 33;
    k = k.wrapping_mul(0xff51_afd7_ed55_8ccd);
    k ^= k >> 33;
    k = k.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    k ^ (k >> 33)
}

#[inline]
fn step(h: u64, w: u64) -> u64 {
    (h ^ fmix64(w)).rotate_left(27).wrapping_mul(K).wrapping_add(0x52dc_e729)
}

/// Hash of a byte string (8 bytes at a time, length folded in).
pub fn hash_bytes(b: &[u8]) -> u64 {
    let mut h = K ^ (b.len() as u64);
    let mut chunks = b.chunks_exact(8);
    for c in &mut chunks {
        h = step(h, u64::from_le_bytes([c[0], c[1], c[2], c[3], c[4], c[5], c[6], c[7]]));
    }
    let rem = chunks.remainder();
    if !rem.is_empty() {
        let mut buf = [0u8; 8];
        buf[..rem.len()].copy_from_slice(rem);
        h = step(h, u64::from_le_bytes(buf));
    }
    fmix64(h)
}

/// Hash of a 64-bit key (an integer, or the bits of a float).
#[inline]
pub fn hash_u64(v: u64) -> u64 {
    fmix64(v ^ K)
}

/// Combines hashes in order (for whole rows).
#[inline]
pub fn combine(h: u64, v: u64) -> u64 {
    step(h, v)
}

/// `FxHasher` with [`fmix64`] on its output. Plain `FxHasher` maps the bits of
/// integer-valued floats (`43.0` = `0x4045_8000_0000_0000`: 47 trailing zeros) to hashes whose
/// low bits are all zero, so every key lands in the same bucket and each lookup scans the table;
/// the finaliser spreads them. Used for every profile table keyed by value.
#[derive(Default, Clone)]
pub struct MixHasher(rustc_hash::FxHasher);

impl std::hash::Hasher for MixHasher {
    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0.write(bytes)
    }
    #[inline]
    fn write_u8(&mut self, i: u8) {
        self.0.write_u8(i)
    }
    #[inline]
    fn write_u32(&mut self, i: u32) {
        self.0.write_u32(i)
    }
    #[inline]
    fn write_u64(&mut self, i: u64) {
        self.0.write_u64(i)
    }
    #[inline]
    fn write_usize(&mut self, i: usize) {
        self.0.write_usize(i)
    }
    /// Two 64-bit words (the default would hash 16 bytes as a byte string: several times
    /// dearer, and these keys are whole packed cells looked up once per row).
    #[inline]
    fn write_u128(&mut self, i: u128) {
        self.0.write_u64(i as u64);
        self.0.write_u64((i >> 64) as u64)
    }
    #[inline]
    fn finish(&self) -> u64 {
        fmix64(self.0.finish())
    }
}

/// A hash map keyed by values, hashed with [`MixHasher`].
pub type MixMap<K, V> = std::collections::HashMap<K, V, std::hash::BuildHasherDefault<MixHasher>>;

/// Something a sketch can hash.
pub trait Hash64 {
    fn hash64(&self) -> u64;
}
impl Hash64 for u64 {
    fn hash64(&self) -> u64 {
        hash_u64(*self)
    }
}
impl Hash64 for String {
    fn hash64(&self) -> u64 {
        hash_bytes(self.as_bytes())
    }
}
impl Hash64 for str {
    fn hash64(&self) -> u64 {
        hash_bytes(self.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn integer_valued_floats_spread_over_buckets() {
        use std::hash::BuildHasher;
        let b = std::hash::BuildHasherDefault::<MixHasher>::default();
        let mut low = std::collections::HashSet::new();
        for v in 0..128u32 {
            low.insert(b.hash_one((v as f64).to_bits()) & 127);
        }
        assert!(low.len() > 64, "{} of 128 buckets", low.len());
    }

    #[test]
    fn distinct_inputs_spread_over_the_bits() {
        assert_ne!(hash_bytes(b"a"), hash_bytes(b"a\0"));
        assert_ne!(hash_bytes(b""), hash_bytes(b"\0"));
        // Each output bit is set about half of the time over sequential keys.
        let n = 20_000u64;
        let mut ones = [0u32; 64];
        for i in 0..n {
            let h = hash_bytes(format!("customer-{i}").as_bytes());
            for (b, o) in ones.iter_mut().enumerate() {
                *o += ((h >> b) & 1) as u32;
            }
        }
        for o in ones {
            let share = o as f64 / n as f64;
            assert!((share - 0.5).abs() < 0.02, "bit share {share}");
        }
    }
}
