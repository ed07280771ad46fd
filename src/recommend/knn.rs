//! Item-item nearest neighbours (Sarwar et al. 2001; the weighting schemes of Ben
//! Frederickson's `implicit`): each item keeps only its `k` most similar other items, found
//! by sparse accumulation over the users who touched it — the item × item matrix is never
//! formed. Scores of a user are Σ over the user's items i of weight(u, i) · sim(i, j).

use serde::{Deserialize, Serialize};

use super::csr::Csr;
use super::topk::top_k;

/// How item vectors (over users) are weighted before the dot products.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Weighting {
    /// Each item vector scaled to unit length: cosine similarity.
    Cosine,
    /// Okapi BM25 (k1 = 1.2, b = 0.75): a user who touched many items counts less (idf), a
    /// long item row is length-normalised.
    #[default]
    Bm25,
}

pub const BM25_K1: f32 = 1.2;
pub const BM25_B: f32 = 0.75;

/// `item_users` (items × users) weighted by `w`.
pub fn weigh(item_users: &Csr, w: Weighting) -> Csr {
    let mut out = item_users.clone();
    match w {
        Weighting::Cosine => {
            for i in 0..out.rows {
                let (a, b) = (out.indptr[i] as usize, out.indptr[i + 1] as usize);
                let norm = out.data[a..b].iter().map(|&x| x as f64 * x as f64).sum::<f64>().sqrt();
                if norm > 0.0 {
                    out.data[a..b].iter_mut().for_each(|x| *x = (*x as f64 / norm) as f32);
                }
            }
        }
        Weighting::Bm25 => {
            let n = out.rows as f64;
            let mut per_user = vec![0u32; out.cols];
            out.indices.iter().for_each(|&u| per_user[u as usize] += 1);
            let idf: Vec<f64> = per_user.iter().map(|&c| n.ln() - (c as f64).ln_1p()).collect();
            let row_sums: Vec<f64> =
                (0..out.rows).map(|i| out.row(i).1.iter().map(|&x| x as f64).sum::<f64>()).collect();
            let avg = row_sums.iter().sum::<f64>() / n.max(1.0);
            let (k1, b) = (BM25_K1 as f64, BM25_B as f64);
            for (i, &len) in row_sums.iter().enumerate() {
                let norm = (1.0 - b) + b * len / avg;
                for e in out.indptr[i] as usize..out.indptr[i + 1] as usize {
                    let x = out.data[e] as f64;
                    out.data[e] = (x * (k1 + 1.0) / (k1 * norm + x) * idf[out.indices[e] as usize]) as f32;
                }
            }
        }
    }
    out
}

/// For each row (item) of `weighted` (items × users), its `k` other items with the largest
/// positive dot product: an items × items matrix with at most `k` entries a row.
pub fn neighbours(weighted: &Csr, k: usize) -> Csr {
    let user_items = weighted.transpose();
    let n = weighted.rows;
    let mut acc = vec![0f32; n];
    let mut stamp = vec![u32::MAX; n];
    let mut touched: Vec<u32> = Vec::new();
    let mut cand: Vec<(u32, f32)> = Vec::new();
    let mut keyed: Vec<(u64, u32)> = Vec::new();
    let mut indptr = Vec::with_capacity(n + 1);
    indptr.push(0u32);
    let (mut indices, mut data) = (Vec::new(), Vec::new());
    for i in 0..n {
        let (users, wi) = weighted.row(i);
        // The number of (user, item) steps for this item: when it is a good part of n, a
        // dense accumulation (no first-touch bookkeeping in the inner loop) and one scan of
        // all n sums is cheaper. Same additions in the same order either way, so the same bits.
        let work: usize = users.iter().map(|&u| user_items.row(u as usize).0.len()).sum();
        cand.clear();
        if work >= n / 4 {
            for (&u, &wu) in users.iter().zip(wi) {
                let (items, wj) = user_items.row(u as usize);
                for (&j, &w) in items.iter().zip(wj) {
                    acc[j as usize] += wu * w;
                }
            }
            for (j, a) in acc.iter_mut().enumerate() {
                if j != i && *a > 0.0 {
                    cand.push((j as u32, *a));
                }
                *a = 0.0;
            }
        } else {
            touched.clear();
            for (&u, &wu) in users.iter().zip(wi) {
                let (items, wj) = user_items.row(u as usize);
                for (&j, &w) in items.iter().zip(wj) {
                    let j = j as usize;
                    if stamp[j] != i as u32 {
                        stamp[j] = i as u32;
                        acc[j] = 0.0;
                        touched.push(j as u32);
                    }
                    acc[j] += wu * w;
                }
            }
            cand.extend(
                touched.iter().filter(|&&j| j as usize != i && acc[j as usize] > 0.0).map(|&j| (j, acc[j as usize])),
            );
            for &j in &touched {
                acc[j as usize] = 0.0;
            }
        }
        top_k(&mut cand, k);
        keyed.clear();
        keyed.extend(cand.iter().map(|&(j, s)| (j as u64, s.to_bits())));
        super::topk::sort_keyed(&mut keyed);
        for &(j, s) in &keyed {
            indices.push(j as u32);
            data.push(f32::from_bits(s));
        }
        indptr.push(indices.len() as u32);
    }
    Csr { rows: n, cols: n, indptr, indices, data }
}

/// Scores of every item for a history `(items, weights)`: Σ weight · sim(i, ·), written into
/// `scores` (which is reset first).
pub fn score(nbrs: &Csr, items: &[u32], weights: &[f32], scores: &mut [f32]) {
    scores.iter_mut().for_each(|s| *s = 0.0);
    for (&i, &w) in items.iter().zip(weights) {
        let (js, sims) = nbrs.row(i as usize);
        for (&j, &s) in js.iter().zip(sims) {
            scores[j as usize] += w * s;
        }
    }
}

/// The history items that contributed most to item `j`'s score, best first (positive
/// contributions only, at most `max`).
pub fn explain(nbrs: &Csr, items: &[u32], weights: &[f32], j: u32, max: usize) -> Vec<(u32, f32)> {
    let mut parts: Vec<(u32, f32)> = items
        .iter()
        .zip(weights)
        .filter_map(|(&i, &w)| nbrs.get(i as usize, j).map(|s| (i, w * s)))
        .filter(|p| p.1 > 0.0)
        .collect();
    top_k(&mut parts, max);
    parts
}

#[cfg(test)]
mod tests {
    use super::*;

    fn brute_force(weighted: &Csr, i: usize, j: usize) -> f32 {
        let (ui, wi) = weighted.row(i);
        ui.iter().zip(wi).filter_map(|(&u, &w)| weighted.get(j, u).map(|x| x * w)).sum()
    }

    #[test]
    fn neighbours_are_the_top_k_of_all_pairs() {
        // 6 items × 5 users, a few overlaps.
        let t = vec![
            (0, 0, 1.0),
            (0, 1, 1.0),
            (1, 0, 1.0),
            (1, 1, 2.0),
            (1, 2, 1.0),
            (2, 2, 1.0),
            (2, 3, 1.0),
            (3, 3, 3.0),
            (4, 0, 1.0),
            (4, 4, 1.0),
            (5, 4, 1.0),
        ];
        let m = Csr::from_triples(6, 5, t);
        for w in [Weighting::Cosine, Weighting::Bm25] {
            let x = weigh(&m, w);
            let nb = neighbours(&x, 2);
            for i in 0..6 {
                let mut all: Vec<(u32, f32)> = (0..6)
                    .filter(|&j| j != i)
                    .map(|j| (j as u32, brute_force(&x, i, j)))
                    .filter(|p| p.1 > 0.0)
                    .collect();
                top_k(&mut all, 2);
                let (idx, val) = nb.row(i);
                let mut got: Vec<(u32, f32)> = idx.iter().copied().zip(val.iter().copied()).collect();
                top_k(&mut got, 2);
                assert_eq!(got.len(), all.len(), "{w:?} item {i}");
                for (g, a) in got.iter().zip(&all) {
                    assert_eq!(g.0, a.0);
                    assert!((g.1 - a.1).abs() < 1e-6);
                }
            }
        }
        let cos = weigh(&m, Weighting::Cosine);
        let n0: f32 = cos.row(1).1.iter().map(|x| x * x).sum();
        assert!((n0 - 1.0).abs() < 1e-6);
    }
}
