//! Top-k selection with a total, deterministic order: higher score first, then lower index.

use std::cmp::Ordering;

/// Best first: score descending, index ascending on ties (NaN sorts last).
pub fn by_score(a: &(u32, f32), b: &(u32, f32)) -> Ordering {
    match (a.1.is_nan(), b.1.is_nan()) {
        (false, true) => Ordering::Less,
        (true, false) => Ordering::Greater,
        _ => b.1.partial_cmp(&a.1).unwrap_or(Ordering::Equal).then(a.0.cmp(&b.0)),
    }
}

/// Sorts `(key, payload)` pairs by key, then payload. Every index sort of the module goes
/// through this one function so that the wasm holds one sort routine instead of one per
/// closure.
pub fn sort_keyed(v: &mut [(u64, u32)]) {
    v.sort_unstable();
}

/// Keeps the `k` best of `v`, sorted best first (O(n + k log k)).
pub fn top_k(v: &mut Vec<(u32, f32)>, k: usize) {
    if k == 0 {
        v.clear();
        return;
    }
    if v.len() > k {
        v.select_nth_unstable_by(k - 1, by_score);
        v.truncate(k);
    }
    v.sort_unstable_by(by_score);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_best_with_index_tie_break() {
        let mut v = vec![(5, 1.0), (1, 3.0), (2, 1.0), (3, f32::NAN), (4, 2.0), (0, 1.0)];
        top_k(&mut v, 4);
        assert_eq!(v, vec![(1, 3.0), (4, 2.0), (0, 1.0), (2, 1.0)]);
        let mut w = vec![(1, 1.0)];
        top_k(&mut w, 0);
        assert!(w.is_empty());
    }
}
