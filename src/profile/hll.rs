//! HyperLogLog distinct counter (Flajolet et al. 2007) with Ertl's improved estimator
//! (O. Ertl, "New cardinality estimation algorithms for HyperLogLog sketches", 2017), which
//! needs no empirical bias tables and is unbiased from a handful of values to billions.
//! 2^14 registers: standard error 1.04 / 128 ≈ 0.8 %.

/// Register index bits.
pub const P: u32 = 14;
const M: usize = 1 << P;
const Q: u32 = 64 - P;

#[derive(Debug, Clone, PartialEq)]
pub struct Hll {
    pub(crate) registers: Vec<u8>,
}

impl Default for Hll {
    fn default() -> Self {
        Hll { registers: vec![0; M] }
    }
}

impl Hll {
    /// Adds a value by its 64-bit hash (see [`super::hash`]).
    #[inline]
    pub fn insert_hash(&mut self, h: u64) {
        let idx = (h >> Q) as usize;
        let rest = h << P;
        let rank = (rest.leading_zeros() + 1).min(Q + 1) as u8;
        let r = &mut self.registers[idx];
        if rank > *r {
            *r = rank;
        }
    }

    pub fn merge(&mut self, other: &Hll) {
        for (a, &b) in self.registers.iter_mut().zip(&other.registers) {
            *a = (*a).max(b);
        }
    }

    /// The estimated number of distinct values.
    pub fn estimate(&self) -> f64 {
        let mut c = [0u32; Q as usize + 2];
        for &r in &self.registers {
            c[r as usize] += 1;
        }
        let m = M as f64;
        let mut z = m * tau(1.0 - c[Q as usize + 1] as f64 / m);
        for k in (1..=Q as usize).rev() {
            z = 0.5 * (z + c[k] as f64);
        }
        z += m * sigma(c[0] as f64 / m);
        let alpha_inf = 1.0 / (2.0 * std::f64::consts::LN_2);
        alpha_inf * m * m / z
    }
}

fn sigma(mut x: f64) -> f64 {
    if x == 1.0 {
        return f64::INFINITY;
    }
    let mut y = 1.0;
    let mut z = x;
    loop {
        x *= x;
        let z_old = z;
        z += x * y;
        y += y;
        if z == z_old {
            return z;
        }
    }
}

fn tau(mut x: f64) -> f64 {
    if x == 0.0 || x == 1.0 {
        return 0.0;
    }
    let mut y = 1.0;
    let mut z = 1.0 - x;
    loop {
        x = x.sqrt();
        let z_old = z;
        y *= 0.5;
        z -= (1.0 - x) * (1.0 - x) * y;
        if z == z_old {
            return z / 3.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::hash::hash_bytes;
    use super::*;

    #[test]
    fn error_within_two_percent_across_the_range() {
        for &n in &[10usize, 1_000, 30_000, 100_000, 1_000_000] {
            let mut h = Hll::default();
            for i in 0..n {
                h.insert_hash(hash_bytes(format!("id{i}").as_bytes()));
            }
            let e = h.estimate();
            let rel = (e - n as f64).abs() / n as f64;
            assert!(rel < 0.02, "n={n} estimate={e}");
        }
    }

    #[test]
    fn merge_equals_union() {
        let (mut a, mut b, mut all) = (Hll::default(), Hll::default(), Hll::default());
        for i in 0..50_000 {
            let h = hash_bytes(format!("{i}").as_bytes());
            if i % 3 == 0 {
                a.insert_hash(h)
            } else {
                b.insert_hash(h)
            }
            all.insert_hash(h);
            if i % 5 == 0 {
                a.insert_hash(h); // overlap does not count twice
            }
        }
        a.merge(&b);
        assert_eq!(a, all);
        assert_eq!(Hll::default().estimate(), 0.0);
    }
}
