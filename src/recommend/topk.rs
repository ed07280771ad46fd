//! Top-k selection with a total, deterministic order: higher score first, then lower index.

/// Sorts `(key, payload)` pairs by key, then payload. Every index sort of the module goes
/// through this one function so that the wasm holds one sort routine instead of one per
/// closure.
pub fn sort_keyed(v: &mut [(u64, u32)]) {
    v.sort_unstable();
}

/// Best first (score descending, NaN last, -0 equal to 0; then index ascending) as one
/// integer, smaller first: the score's order-preserving bits inverted, then the index.
/// Selection and sorting then share the crate's integer routines instead of each
/// instantiating its own for a comparator.
fn rank_key(&(i, s): &(u32, f32)) -> u64 {
    let b = (s + 0.0).to_bits();
    let ordered = if b >> 31 == 1 { !b } else { b | 1 << 31 };
    let rank = if s.is_nan() { u32::MAX } else { !ordered };
    (rank as u64) << 32 | i as u64
}

/// Keeps the `k` best of `v`, sorted best first (O(n + k log k)).
pub fn top_k(v: &mut Vec<(u32, f32)>, k: usize) {
    if k == 0 {
        v.clear();
        return;
    }
    let mut keyed: Vec<(u64, u32)> = v.iter().enumerate().map(|(p, x)| (rank_key(x), p as u32)).collect();
    if keyed.len() > k {
        // The k-th smallest key is the k-th largest of the inverted keys.
        let mut worse_first: Vec<u64> = keyed.iter().map(|x| !x.0).collect();
        let cut = !crate::sort::nth_largest(&mut worse_first, k - 1);
        keyed.retain(|x| x.0 <= cut);
    }
    sort_keyed(&mut keyed);
    keyed.truncate(k);
    *v = keyed.iter().map(|&(_, p)| v[p as usize]).collect();
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cmp::Ordering;

    /// The order `rank_key` encodes, written as a comparator.
    fn by_score(a: &(u32, f32), b: &(u32, f32)) -> Ordering {
        match (a.1.is_nan(), b.1.is_nan()) {
            (false, true) => Ordering::Less,
            (true, false) => Ordering::Greater,
            _ => b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0)),
        }
    }

    #[test]
    fn keeps_best_with_index_tie_break() {
        let mut v = vec![(5, 1.0), (1, 3.0), (2, 1.0), (3, f32::NAN), (4, 2.0), (0, 1.0)];
        top_k(&mut v, 4);
        assert_eq!(v, vec![(1, 3.0), (4, 2.0), (0, 1.0), (2, 1.0)]);
        let mut all = vec![(7, -0.0), (2, f32::NAN), (3, 0.0), (9, f32::NEG_INFINITY), (1, -2.5), (4, f32::INFINITY)];
        let mut want = all.clone();
        want.sort_by(by_score);
        top_k(&mut all, 6);
        assert_eq!(format!("{all:?}"), format!("{want:?}"));
        let mut w = vec![(1, 1.0)];
        top_k(&mut w, 0);
        assert!(w.is_empty());
    }
}
