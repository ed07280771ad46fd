//! Sorting with few instantiations, to keep the wasm small.
//!
//! Each `sort_by(|a, b| …)` with its own closure makes the compiler emit a whole new sort
//! routine (driftsort/ipnsort with their small-sort networks: 2–15 KB of wasm each); the
//! crate had 131 of them. Cold sorts (result lists, reports, a few thousand items) go
//! through [`by`], which sorts a `u32` permutation with a `dyn` comparator, one routine for
//! the whole crate, and is stable. Hot sorts of numbers use [`f64s`] and [`f64_keyed`]. A sort
//! without a closure (`v.sort_unstable()`) is still one routine per element type: only hot
//! ones keep it (item ids in FP-growth, top-k keys).

use std::cmp::Ordering;

/// Sorts `v` by `cmp`, stable (equal items keep their order).
pub fn by<T>(v: &mut [T], cmp: &dyn Fn(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = permutation(v.len(), &|a, b| cmp(&v[a], &v[b]));
    apply(v, order);
}

/// Sorts `v` in its `Ord` order (cold sorts of strings, id pairs, …), stable.
pub fn ord<T: Ord>(v: &mut [T]) {
    by(v, &T::cmp);
}

/// Sorts `v` by the key `key` extracts (compared with `Ord`), stable.
pub fn by_key<T, K: Ord>(v: &mut [T], key: impl Fn(&T) -> K) {
    by(v, &|a, b| key(a).cmp(&key(b)));
}

/// The indices `0..n` ordered by `cmp` (ties by index, so the order is stable).
pub fn permutation(n: usize, cmp: &dyn Fn(usize, usize) -> Ordering) -> Vec<u32> {
    let mut order: Vec<u32> = (0..n as u32).collect();
    order.sort_unstable_by(|&a, &b| cmp(a as usize, b as usize).then(a.cmp(&b)));
    order
}

/// Numbers in IEEE total order (-NaN < -inf < … < -0 < +0 < … < inf < NaN).
pub fn f64s(v: &mut [f64]) {
    v.sort_unstable_by(f64::total_cmp);
}

/// `(key, index)` pairs by key in IEEE total order, then index: the hot index sorts
/// (RFM quintiles over every customer) share this one routine.
pub fn f64_keyed(v: &mut [(f64, u32)]) {
    v.sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
}

/// The value that would sit at index `n` if `v` were sorted largest first (`v` is reordered):
/// the one selection routine of the crate (profile frequencies, recommendation top-k).
pub fn nth_largest(v: &mut [u64], n: usize) -> u64 {
    *v.select_nth_unstable_by(n, |a, b| b.cmp(a)).1
}

/// Sorts 64-bit keys ascending by least-significant-digit radix sort, 8 bits a pass, skipping
/// the digits every key shares: a few linear passes instead of O(n log n) comparisons (the
/// profile's value blocks and row hashes).
pub fn radix_u64(v: &mut [u64]) {
    let n = v.len();
    if n < 2 {
        return;
    }
    let mut counts = vec![[0u32; 256]; 8];
    for &x in v.iter() {
        for (d, c) in counts.iter_mut().enumerate() {
            c[((x >> (8 * d)) & 255) as usize] += 1;
        }
    }
    let mut buf = vec![0u64; n];
    let mut in_buf = false;
    for (d, c) in counts.iter().enumerate() {
        if c.iter().any(|&k| k as usize == n) {
            continue;
        }
        let mut pos = [0u32; 256];
        let mut at = 0;
        for (p, &k) in pos.iter_mut().zip(c) {
            *p = at;
            at += k;
        }
        let (src, dst): (&[u64], &mut [u64]) = if in_buf { (&buf, v) } else { (v, &mut buf) };
        for &x in src {
            let b = ((x >> (8 * d)) & 255) as usize;
            dst[pos[b] as usize] = x;
            pos[b] += 1;
        }
        in_buf = !in_buf;
    }
    if in_buf {
        v.copy_from_slice(&buf);
    }
}

/// The bits of `x` as a key whose unsigned order is the IEEE total order of `x`.
#[inline]
pub fn f64_order_key(x: f64) -> u64 {
    let b = x.to_bits();
    if b >> 63 == 1 {
        !b
    } else {
        b | 1 << 63
    }
}

/// The inverse of [`f64_order_key`].
#[inline]
pub fn f64_from_order_key(k: u64) -> f64 {
    f64::from_bits(if k >> 63 == 1 { k & !(1 << 63) } else { !k })
}

/// Rearranges `v` so that position `i` holds what was at `order[i]` (cycle by cycle, with
/// swaps: no `Clone` needed).
fn apply<T>(v: &mut [T], mut order: Vec<u32>) {
    for start in 0..v.len() {
        let mut at = start;
        loop {
            let from = order[at] as usize;
            order[at] = at as u32;
            if from == start {
                break;
            }
            v.swap(at, from);
            at = from;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn radix_sorts_like_the_comparison_sort() {
        let mut x = 0x9E37_79B9_7F4A_7C15u64;
        for n in [0usize, 1, 2, 7, 300, 5000] {
            let mut v: Vec<u64> = (0..n)
                .map(|i| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    // Shared high bytes (skipped digits) half of the time.
                    if i % 2 == 0 {
                        x & 0xffff
                    } else {
                        x
                    }
                })
                .collect();
            let mut want = v.clone();
            want.sort_unstable();
            radix_u64(&mut v);
            assert_eq!(v, want);
        }
        let mut f = vec![3.5, -0.0, 0.0, -2.0, f64::INFINITY, -1e300, 1e-300, f64::NEG_INFINITY, 2.0];
        let mut want = f.clone();
        f64s(&mut want);
        let mut keys: Vec<u64> = f.iter().map(|&x| f64_order_key(x)).collect();
        radix_u64(&mut keys);
        f = keys.into_iter().map(f64_from_order_key).collect();
        assert_eq!(
            f.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            want.iter().map(|x| x.to_bits()).collect::<Vec<_>>()
        );
    }

    #[test]
    fn by_sorts_stably_like_std_and_applies_any_permutation() {
        let mut state = 12345u64;
        let mut next = || {
            state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (state >> 33) as u32
        };
        for n in [0usize, 1, 2, 3, 10, 257, 5000] {
            let v: Vec<(u32, u32)> = (0..n as u32).map(|i| (next() % 17, i)).collect();
            let mut ours = v.clone();
            by(&mut ours, &|a, b| a.0.cmp(&b.0));
            let mut std_sorted = v.clone();
            std_sorted.sort_by_key(|p| p.0);
            assert_eq!(ours, std_sorted, "n = {n}");
            let mut keyed = v.clone();
            by_key(&mut keyed, |p| std::cmp::Reverse(p.0));
            let mut want = v.clone();
            want.sort_by_key(|p| std::cmp::Reverse(p.0));
            assert_eq!(keyed, want);
        }
        let mut x = vec![3.0, f64::NAN, -0.0, 0.0, -1.0, f64::NEG_INFINITY];
        f64s(&mut x);
        assert_eq!(format!("{x:?}"), "[-inf, -1.0, -0.0, 0.0, 3.0, NaN]");
        let mut s = vec!["b".to_string(), "a".into(), "c".into()];
        apply(&mut s, vec![2, 0, 1]);
        assert_eq!(s, ["c", "b", "a"]);
    }
}
