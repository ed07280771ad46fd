//! Cluster quality: silhouette (exact without an n × n matrix, or on a stated sample),
//! Davies–Bouldin, Calinski–Harabasz, and the adjusted Rand index between two labellings.
//! Definitions as in Rousseeuw (1987), Davies & Bouldin (1979), Caliński & Harabasz (1974),
//! Hubert & Arabie (1985), matching scikit-learn's `metrics` module.

use serde::Serialize;

use super::distance::{each_sq_dist, sq_dist};
use crate::error::Result;
use crate::rng::Rng;
use crate::task::{run_unhosted, Ctl};

/// Rows up to which the silhouette is exact.
pub const SILHOUETTE_EXACT_MAX: usize = 10_000;
/// Rows of the seeded sample above [`SILHOUETTE_EXACT_MAX`] (a quarter of the pairs of the
/// exact case; the standard error of the mean silhouette is then about 0.005 or less).
pub const SILHOUETTE_SAMPLE: usize = 5_000;
/// Most pair-distance work (rows² × features) one silhouette may take: past it the sample
/// shrinks (to no fewer than [`SILHOUETTE_MIN_SAMPLE`] rows). Up to 80 features this changes
/// nothing (5,000² × 80); with hundreds of one-hot features it keeps `"auto"` from spending a
/// minute on silhouettes (found by the fuzz harness).
pub const SILHOUETTE_WORK: f64 = 2e9;
pub const SILHOUETTE_MIN_SAMPLE: usize = 1_000;

/// How a silhouette was computed.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SilhouetteMethod {
    /// True when every row was used.
    pub exact: bool,
    /// Rows the score was computed on (distances among these rows only).
    pub rows: usize,
    /// Seed of the sample (the `seed` option; used only when not exact).
    pub seed: u64,
}

/// Rows per tile of the pairwise pass (a tile pair's partial sums stay in L1).
const TILE: usize = 64;

/// Mean silhouette of the given rows (`idx`) among themselves. The rows are copied grouped
/// by label and cut into tiles that never straddle two clusters; each pair of rows is
/// visited once, its distance added to both rows' sums for the other's cluster. O(m² d)
/// time, O(m (d + k)) memory, never an m × m matrix.
async fn silhouette_of(x: &[f64], d: usize, labels: &[u32], k: usize, idx: &[usize], ctl: &mut Ctl<'_>) -> Result<f64> {
    let m = idx.len();
    let mut order: Vec<usize> = idx.to_vec();
    order.sort_by_key(|&i| labels[i]); // stable: rows keep their order within a cluster
    let mut rows = Vec::with_capacity(m * d);
    let mut starts = vec![0usize; k + 1];
    for &i in &order {
        rows.extend_from_slice(&x[i * d..(i + 1) * d]);
        starts[labels[i] as usize + 1] += 1;
    }
    for c in 0..k {
        starts[c + 1] += starts[c];
    }
    let mut tiles: Vec<(usize, usize, usize)> = Vec::new();
    for c in 0..k {
        let mut t = starts[c];
        while t < starts[c + 1] {
            let end = (t + TILE).min(starts[c + 1]);
            tiles.push((t, end, c));
            t = end;
        }
    }
    let row = |i: usize| &rows[i * d..(i + 1) * d];
    let mut sums = vec![0.0; m * k];
    for (ti, &(a0, a1, ca)) in tiles.iter().enumerate() {
        ctl.check().await?;
        for &(b0, b1, cb) in &tiles[ti..] {
            for a in a0..a1 {
                let ra = row(a);
                let mut acc = 0.0;
                let first = if b0 == a0 { a + 1 } else { b0 };
                let b_to_ca = &mut sums[ca * m + first..ca * m + b1];
                each_sq_dist(&rows[first * d..b1 * d], d, ra, |j, v| {
                    let dist = v.sqrt();
                    acc += dist;
                    b_to_ca[j] += dist;
                });
                sums[cb * m + a] += acc;
            }
        }
    }
    let mut total = 0.0;
    for c in 0..k {
        let own = starts[c + 1] - starts[c];
        if own <= 1 {
            continue; // silhouette 0 for a singleton
        }
        for a in starts[c]..starts[c + 1] {
            let intra = sums[c * m + a] / (own - 1) as f64;
            let mut inter = f64::INFINITY;
            for o in 0..k {
                let (sum, size) = (sums[o * m + a], starts[o + 1] - starts[o]);
                if o != c && size > 0 {
                    inter = inter.min(sum / size as f64);
                }
            }
            if inter.is_finite() {
                let denom = intra.max(inter);
                if denom > 0.0 {
                    total += (inter - intra) / denom;
                }
            }
        }
    }
    Ok(total / m as f64)
}

/// Mean silhouette: exact for n ≤ [`SILHOUETTE_EXACT_MAX`], else over a seeded sample of
/// [`SILHOUETTE_SAMPLE`] rows. NaN when fewer than two clusters are non-empty.
pub fn silhouette(x: &[f64], n: usize, d: usize, labels: &[u32], k: usize, seed: u64) -> (f64, SilhouetteMethod) {
    run_unhosted(silhouette_async(x, n, d, labels, k, seed, &mut Ctl::none()))
}

/// [`silhouette`] as long work: checks `ctl` per tile of rows.
pub async fn silhouette_async(
    x: &[f64],
    n: usize,
    d: usize,
    labels: &[u32],
    k: usize,
    seed: u64,
    ctl: &mut Ctl<'_>,
) -> Result<(f64, SilhouetteMethod)> {
    let idx = silhouette_rows(n, d, seed);
    let method = SilhouetteMethod { exact: idx.len() == n, rows: idx.len(), seed };
    let mut present = vec![false; k];
    idx.iter().for_each(|&i| present[labels[i] as usize] = true);
    if present.iter().filter(|&&p| p).count() < 2 {
        return Ok((f64::NAN, method));
    }
    Ok((silhouette_of(x, d, labels, k, &idx, ctl).await?, method))
}

/// The rows the silhouette of `n` rows of `d` features is computed over: every row, or the
/// seeded sample, in the order drawn. (A table held in shards gathers these rows with their
/// labels: [`silhouette`] of them alone is this silhouette, as it takes all of at most 5,000
/// rows of up to 80 features.) Inlined: the core's one caller compiles as before.
#[inline(always)]
pub fn silhouette_rows(n: usize, d: usize, seed: u64) -> Vec<usize> {
    // Its own stream: the sample does not repeat the rows the clustering drew with the same seed.
    let fits = |m: usize| (m as f64) * (m as f64) * (d.max(1) as f64) <= SILHOUETTE_WORK;
    let m = if n <= SILHOUETTE_EXACT_MAX && fits(n) {
        n
    } else {
        let by_work = (SILHOUETTE_WORK / d.max(1) as f64).sqrt() as usize;
        by_work.clamp(SILHOUETTE_MIN_SAMPLE, SILHOUETTE_SAMPLE).min(n)
    };
    Rng::new(seed ^ 0x5EED_5111_0E77_E000).sample_indices(n, m)
}

/// Davies–Bouldin index (lower is better); NaN for fewer than two non-empty clusters.
pub fn davies_bouldin(x: &[f64], n: usize, d: usize, labels: &[u32], centers: &[f64], k: usize) -> f64 {
    let mut spread = vec![0.0; k];
    let mut sizes = vec![0usize; k];
    for i in 0..n {
        let l = labels[i] as usize;
        spread[l] += sq_dist(&x[i * d..(i + 1) * d], &centers[l * d..(l + 1) * d]).sqrt();
        sizes[l] += 1;
    }
    let live: Vec<usize> = (0..k).filter(|&j| sizes[j] > 0).collect();
    if live.len() < 2 {
        return f64::NAN;
    }
    for &j in &live {
        spread[j] /= sizes[j] as f64;
    }
    let mut total = 0.0;
    for &a in &live {
        let mut worst: f64 = 0.0;
        for &b in &live {
            if a != b {
                let sep = sq_dist(&centers[a * d..(a + 1) * d], &centers[b * d..(b + 1) * d]).sqrt();
                let r = if sep > 0.0 { (spread[a] + spread[b]) / sep } else { f64::INFINITY };
                worst = worst.max(r);
            }
        }
        total += worst;
    }
    total / live.len() as f64
}

/// Calinski–Harabasz index (higher is better): between-cluster over within-cluster
/// dispersion, each divided by its degrees of freedom. NaN when k < 2 or n ≤ k.
pub fn calinski_harabasz(x: &[f64], n: usize, d: usize, labels: &[u32], centers: &[f64], k: usize) -> f64 {
    let mut sizes = vec![0usize; k];
    labels.iter().for_each(|&l| sizes[l as usize] += 1);
    let live = sizes.iter().filter(|&&s| s > 0).count();
    if live < 2 || n <= live {
        return f64::NAN;
    }
    let mut mean = vec![0.0; d];
    for i in 0..n {
        for t in 0..d {
            mean[t] += x[i * d + t];
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let within: f64 = (0..n)
        .map(|i| sq_dist(&x[i * d..(i + 1) * d], &centers[labels[i] as usize * d..(labels[i] as usize + 1) * d]))
        .sum();
    let between: f64 = (0..k).map(|j| sizes[j] as f64 * sq_dist(&centers[j * d..(j + 1) * d], &mean)).sum();
    if within == 0.0 {
        return f64::INFINITY;
    }
    (between / (live - 1) as f64) / (within / (n - live) as f64)
}

/// Adjusted Rand index of two labellings of the same rows (1 = identical partitions up to renaming).
pub fn adjusted_rand_index(a: &[u32], b: &[u32]) -> f64 {
    assert_eq!(a.len(), b.len());
    let n = a.len();
    let ka = a.iter().max().map_or(0, |&m| m as usize + 1);
    let kb = b.iter().max().map_or(0, |&m| m as usize + 1);
    let mut table = vec![0u64; ka * kb];
    for (&x, &y) in a.iter().zip(b) {
        table[x as usize * kb + y as usize] += 1;
    }
    let pairs = |c: u64| (c * c.saturating_sub(1) / 2) as f64;
    let index: f64 = table.iter().map(|&c| pairs(c)).sum();
    let rows: f64 = (0..ka).map(|i| pairs(table[i * kb..(i + 1) * kb].iter().sum())).sum();
    let cols: f64 = (0..kb).map(|j| pairs((0..ka).map(|i| table[i * kb + j]).sum())).sum();
    let expected = rows * cols / pairs(n as u64);
    let max = 0.5 * (rows + cols);
    if max == expected {
        return 1.0;
    }
    (index - expected) / (max - expected)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn small_cases_by_hand() {
        // Two tight pairs far apart: a = 1, b ≈ 10 → silhouette ≈ 0.9 for every point.
        let x = [0.0, 1.0, 10.0, 11.0];
        let labels = [0, 0, 1, 1];
        let (s, m) = silhouette(&x, 4, 1, &labels, 2, 0);
        assert!(m.exact);
        let expect = ((10.0 + 11.0) / 2.0 - 1.0) / ((10.0 + 11.0) / 2.0) * 0.5 + ((9.0 + 10.0) / 2.0 - 1.0) / 9.5 * 0.5;
        assert!((s - expect).abs() < 1e-12, "{s} vs {expect}");
        let centers = [0.5, 10.5];
        assert!((davies_bouldin(&x, 4, 1, &labels, &centers, 2) - 0.1).abs() < 1e-12);
        // between = 4 × 25 = 100 over 1; within = 4 × 0.25 = 1 over 2 → 200.
        assert!((calinski_harabasz(&x, 4, 1, &labels, &centers, 2) - 200.0).abs() < 1e-9);
        assert_eq!(adjusted_rand_index(&[0, 0, 1, 1], &[1, 1, 0, 0]), 1.0);
        // scikit-learn: adjusted_rand_score([0,0,1,1],[0,0,1,2]) = 0.5714285714285715
        assert!((adjusted_rand_index(&[0, 0, 1, 1], &[0, 0, 1, 2]) - 0.5714285714285715).abs() < 1e-12);
    }

    #[test]
    fn gathered_sample_rows_give_the_same_silhouette() {
        // 10,500 rows in three uneven clusters (sampled), and 300 rows (exact): the rows of
        // `silhouette_rows`, gathered with their labels and scored alone, score what
        // `silhouette` scores on the whole (CrmlensPool's k: 'auto' over shards does this).
        for n in [10_500usize, 300] {
            let mut r = Rng::new(9);
            let d = 3;
            let labels: Vec<u32> = (0..n).map(|i| (i % 7 % 3) as u32).collect();
            let x: Vec<f64> = (0..n * d).map(|j| labels[j / d] as f64 * 4.0 + r.next_f64()).collect();
            let (whole, method) = silhouette(&x, n, d, &labels, 3, 42);
            let rows = silhouette_rows(n, d, 42);
            assert_eq!(rows.len(), method.rows);
            let gx: Vec<f64> = rows.iter().flat_map(|&i| x[i * d..(i + 1) * d].to_vec()).collect();
            let gl: Vec<u32> = rows.iter().map(|&i| labels[i]).collect();
            let (got, alone) = silhouette(&gx, rows.len(), d, &gl, 3, 42);
            assert!(alone.exact);
            assert_eq!(got.to_bits(), whole.to_bits(), "{n}: {got} vs {whole}");
        }
    }

    #[test]
    fn above_ten_thousand_rows_a_stated_sample() {
        // Two clusters uniform on [0, 1] and [100, 101]: a ≈ 1/3, b ≈ 100, silhouette ≈ 0.9967.
        let mut r = Rng::new(4);
        let n = 10_001;
        let x: Vec<f64> = (0..n).map(|i| r.next_f64() + if i % 2 == 0 { 0.0 } else { 100.0 }).collect();
        let labels: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
        let (s, m) = silhouette(&x, n, 1, &labels, 2, 9);
        assert_eq!(m, SilhouetteMethod { exact: false, rows: SILHOUETTE_SAMPLE, seed: 9 });
        assert!((s - (1.0 - 1.0 / 300.0)).abs() < 0.002, "{s}");
        assert_eq!(silhouette(&x, n, 1, &labels, 2, 9).0.to_bits(), s.to_bits());
    }
}
