//! k-means: k-means++ seeding (Arthur & Vassilvitskii 2007, greedy variant), Lloyd
//! iterations accelerated with Hamerly's bounds (Hamerly 2010, "Making k-means even faster"),
//! empty clusters re-seeded at the farthest point, and `n_init` restarts keeping the lowest
//! inertia. Data is one row-major `n × d` slice.

pub use super::distance::sq_dist;
use super::distance::{each_sq_dist, nearest_two};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::task::{run_unhosted, Ctl};

/// One clustering: labels `0..k`, centres (`k × d`, row-major), inertia (sum of squared
/// distances to the own centre).
#[derive(Debug, Clone)]
pub struct Clustering {
    pub labels: Vec<u32>,
    pub centers: Vec<f64>,
    pub k: usize,
    pub inertia: f64,
    pub iterations: usize,
    pub converged: bool,
}

#[derive(Debug, Clone, Copy)]
pub struct KMeansParams {
    pub k: usize,
    pub n_init: usize,
    pub max_iter: usize,
    /// Relative tolerance: a run stops when the summed squared centre shift is at most
    /// `tol` × the mean per-column variance (scikit-learn's rule), or when no label changes.
    pub tol: f64,
}

/// Mean per-column variance of the data (scales `tol`). Two row-major passes.
pub fn mean_variance(x: &[f64], n: usize, d: usize) -> f64 {
    if n == 0 || d == 0 {
        return 0.0;
    }
    let mut mean = vec![0.0; d];
    for row in x[..n * d].chunks_exact(d) {
        for (m, v) in mean.iter_mut().zip(row) {
            *m += v;
        }
    }
    mean.iter_mut().for_each(|m| *m /= n as f64);
    let mut var = vec![0.0; d];
    for row in x[..n * d].chunks_exact(d) {
        for ((s, v), m) in var.iter_mut().zip(row).zip(&mean) {
            *s += (v - m) * (v - m);
        }
    }
    var.iter().map(|s| s / n as f64).sum::<f64>() / d as f64
}

/// Greedy k-means++: each new centre is the best (lowest total potential) of
/// `2 + ⌊ln k⌋` candidates drawn with probability proportional to the squared distance to
/// the nearest centre so far. When every point coincides with a centre, draws uniformly.
pub fn kmeans_plus_plus(x: &[f64], n: usize, d: usize, k: usize, rng: &mut Rng) -> Vec<f64> {
    let mut centers = Vec::with_capacity(k * d);
    let first = rng.below(n);
    centers.extend_from_slice(&x[first * d..(first + 1) * d]);
    let mut closest: Vec<f64> = (0..n).map(|i| sq_dist(&x[i * d..(i + 1) * d], &centers[..d])).collect();
    let trials = 2 + (k as f64).ln() as usize;
    let mut cumulative = vec![0.0; n];
    let mut cands = vec![0usize; trials];
    let mut pots = vec![0.0; trials];
    let mut cand_rows = Vec::with_capacity(trials * d);
    for _ in 1..k {
        let mut acc = 0.0;
        for i in 0..n {
            acc += closest[i];
            cumulative[i] = acc;
        }
        for c in cands.iter_mut() {
            *c = if acc > 0.0 {
                let r = rng.next_f64() * acc;
                cumulative.partition_point(|&v| v <= r).min(n - 1)
            } else {
                rng.below(n)
            };
        }
        // Each candidate's potential (the total if it were added), all in one pass over the
        // rows (each sum still over the rows in order).
        cand_rows.clear();
        for &c in &cands {
            cand_rows.extend_from_slice(&x[c * d..(c + 1) * d]);
        }
        pots.iter_mut().for_each(|p| *p = 0.0);
        for (row, &near) in x[..n * d].chunks_exact(d.max(1)).zip(&closest) {
            each_sq_dist(&cand_rows, d, row, |t, v| pots[t] += if v < near { v } else { near });
        }
        let mut best = 0;
        for t in 1..trials {
            if pots[t] < pots[best] {
                best = t;
            }
        }
        let c = cands[best];
        let chosen = &x[c * d..(c + 1) * d];
        each_sq_dist(&x[..n * d], d, chosen, |i, v| {
            if v < closest[i] {
                closest[i] = v;
            }
        });
        centers.extend_from_slice(chosen);
    }
    centers
}

/// Nearest and second-nearest centre of `row` (squared distances).
#[inline]
fn two_nearest(row: &[f64], centers: &[f64], k: usize, d: usize) -> (u32, f64, f64) {
    let (b, d1, d2, _) = nearest_two(row, &centers[..k * d], d, usize::MAX);
    (b, d1, d2)
}

/// Labels of the nearest centre for every row (a row tied between its current label and
/// another centre keeps its label) and the resulting inertia.
pub fn assign(x: &[f64], n: usize, d: usize, centers: &[f64], k: usize, labels: &mut [u32]) -> f64 {
    let mut inertia = 0.0;
    for (row, label) in x[..n * d].chunks_exact(d.max(1)).zip(&mut labels[..n]) {
        let cur = (*label as usize).min(k - 1);
        let (b, d1, _, own) = nearest_two(row, &centers[..k * d], d, cur);
        if d1 < own {
            *label = b;
            inertia += d1;
        } else {
            *label = cur as u32;
            inertia += own;
        }
    }
    inertia
}

/// Means of the rows of each label into `centers`; returns the counts. Empty clusters keep
/// their old centre (the caller re-seeds them).
pub fn update_centers(x: &[f64], d: usize, labels: &[u32], centers: &mut [f64], k: usize) -> Vec<usize> {
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    for (i, &l) in labels.iter().enumerate() {
        let l = l as usize;
        counts[l] += 1;
        for (s, v) in sums[l * d..(l + 1) * d].iter_mut().zip(&x[i * d..(i + 1) * d]) {
            *s += v;
        }
    }
    for j in 0..k {
        if counts[j] > 0 {
            for t in 0..d {
                centers[j * d + t] = sums[j * d + t] / counts[j] as f64;
            }
        }
    }
    counts
}

/// Moves each empty cluster's centre onto the row farthest from its own centre (taking the
/// row from a cluster that keeps at least one). Returns true if anything moved.
pub fn reseed_empty(x: &[f64], d: usize, labels: &mut [u32], centers: &mut [f64], counts: &mut [usize]) -> bool {
    let k = counts.len();
    let mut moved = false;
    for j in 0..k {
        if counts[j] > 0 {
            continue;
        }
        let mut far: Option<(f64, usize)> = None;
        for (i, &l) in labels.iter().enumerate() {
            let l = l as usize;
            if counts[l] < 2 {
                continue;
            }
            let v = sq_dist(&x[i * d..(i + 1) * d], &centers[l * d..(l + 1) * d]);
            if far.is_none_or(|(best, _)| v > best) {
                far = Some((v, i));
            }
        }
        let Some((_, i)) = far else { break };
        counts[labels[i] as usize] -= 1;
        counts[j] = 1;
        labels[i] = j as u32;
        centers[j * d..(j + 1) * d].copy_from_slice(&x[i * d..(i + 1) * d]);
        moved = true;
    }
    moved
}

/// Lloyd's algorithm from the given centres, with Hamerly's upper/lower bounds to skip most
/// distance computations. `tol_abs` is the absolute centre-shift tolerance.
pub fn lloyd(x: &[f64], n: usize, d: usize, centers: Vec<f64>, k: usize, max_iter: usize, tol_abs: f64) -> Clustering {
    run_unhosted(lloyd_async(x, n, d, centers, k, max_iter, tol_abs, &mut Ctl::none()))
}

/// [`lloyd`] as long work: checks `ctl` once per iteration.
#[allow(clippy::too_many_arguments)]
pub async fn lloyd_async(
    x: &[f64],
    n: usize,
    d: usize,
    mut centers: Vec<f64>,
    k: usize,
    max_iter: usize,
    tol_abs: f64,
    ctl: &mut Ctl<'_>,
) -> Result<Clustering> {
    let mut labels = vec![0u32; n];
    let mut upper = vec![0.0; n];
    let mut lower = vec![0.0; n];
    for i in 0..n {
        let (b, d1, d2) = two_nearest(&x[i * d..(i + 1) * d], &centers, k, d);
        labels[i] = b;
        upper[i] = d1.sqrt();
        lower[i] = d2.sqrt();
    }
    let mut old = centers.clone();
    let mut shift = vec![0.0; k];
    let mut half_gap = vec![0.0; k];
    let (mut iterations, mut converged, mut strict) = (0, false, false);
    while iterations < max_iter {
        ctl.check().await?;
        iterations += 1;
        old.copy_from_slice(&centers);
        let mut counts = update_centers(x, d, &labels, &mut centers, k);
        let reseeded = reseed_empty(x, d, &mut labels, &mut centers, &mut counts);
        if reseeded {
            // Means again with the moved rows, and every bound reset.
            update_centers(x, d, &labels, &mut centers, k);
            upper.iter_mut().for_each(|u| *u = f64::INFINITY);
            lower.iter_mut().for_each(|l| *l = 0.0);
        }
        let mut total_shift = 0.0;
        for j in 0..k {
            let s2 = sq_dist(&centers[j * d..(j + 1) * d], &old[j * d..(j + 1) * d]);
            total_shift += s2;
            shift[j] = s2.sqrt();
        }
        if !reseeded {
            // The largest and second-largest shift, for the lower bounds.
            let (mut m1, mut m2, mut arg) = (0.0, 0.0, usize::MAX);
            for (j, &s) in shift.iter().enumerate() {
                if s > m1 {
                    m2 = m1;
                    m1 = s;
                    arg = j;
                } else if s > m2 {
                    m2 = s;
                }
            }
            for i in 0..n {
                let a = labels[i] as usize;
                upper[i] += shift[a];
                lower[i] -= if a == arg { m2 } else { m1 };
            }
        }
        if total_shift <= tol_abs && !reseeded {
            converged = true;
            break;
        }
        for j in 0..k {
            let mut m = f64::INFINITY;
            for t in 0..k {
                if t != j {
                    m = m.min(sq_dist(&centers[j * d..(j + 1) * d], &centers[t * d..(t + 1) * d]));
                }
            }
            half_gap[j] = 0.5 * m.sqrt();
        }
        let mut changed = 0usize;
        for i in 0..n {
            let a = labels[i] as usize;
            let bound = half_gap[a].max(lower[i]);
            if upper[i] <= bound {
                continue;
            }
            let row = &x[i * d..(i + 1) * d];
            let own = sq_dist(row, &centers[a * d..(a + 1) * d]);
            upper[i] = own.sqrt();
            if upper[i] <= bound {
                continue;
            }
            let (b, d1, d2) = two_nearest(row, &centers, k, d);
            if b as usize == a {
                lower[i] = d2.sqrt();
            } else if d1 < own {
                changed += 1;
                labels[i] = b;
                upper[i] = d1.sqrt();
                lower[i] = d2.sqrt();
            } else {
                // A tie with the own centre: stay (so coincident centres cannot empty a cluster).
                lower[i] = d1.sqrt();
            }
        }
        if changed == 0 && !reseeded {
            converged = true;
            strict = true;
            break;
        }
    }
    let inertia = if strict {
        (0..n)
            .map(|i| sq_dist(&x[i * d..(i + 1) * d], &centers[labels[i] as usize * d..(labels[i] as usize + 1) * d]))
            .sum()
    } else {
        assign(x, n, d, &centers, k, &mut labels)
    };
    Ok(Clustering { labels, centers, k, inertia, iterations, converged })
}

/// k-means with `n_init` k-means++ restarts; the run with the lowest inertia wins (the
/// earliest on a tie). Requires `1 ≤ k ≤ n`.
pub fn kmeans(x: &[f64], n: usize, d: usize, p: &KMeansParams, rng: &mut Rng) -> Clustering {
    run_unhosted(kmeans_async(x, n, d, p, rng, &mut Ctl::none()))
}

/// [`kmeans`] as long work: checks `ctl` per restart and per iteration.
pub async fn kmeans_async(
    x: &[f64],
    n: usize,
    d: usize,
    p: &KMeansParams,
    rng: &mut Rng,
    ctl: &mut Ctl<'_>,
) -> Result<Clustering> {
    let tol_abs = p.tol * mean_variance(x, n, d);
    let mut best: Option<Clustering> = None;
    for _ in 0..p.n_init.max(1) {
        let mut r = rng.fork();
        let init = kmeans_plus_plus(x, n, d, p.k, &mut r);
        ctl.check().await?;
        let c = lloyd_async(x, n, d, init, p.k, p.max_iter, tol_abs, ctl).await?;
        if best.as_ref().is_none_or(|b| c.inertia < b.inertia) {
            best = Some(c);
        }
    }
    best.ok_or_else(|| CrmError::invalid_option("nInit", "must be at least 1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain Lloyd without bounds, for comparison.
    fn naive(x: &[f64], n: usize, d: usize, mut c: Vec<f64>, k: usize) -> (Vec<u32>, f64) {
        let mut labels = vec![0; n];
        let mut last = f64::INFINITY;
        for _ in 0..300 {
            let inertia = assign(x, n, d, &c, k, &mut labels);
            let mut counts = update_centers(x, d, &labels, &mut c, k);
            reseed_empty(x, d, &mut labels, &mut c, &mut counts);
            if inertia == last {
                break;
            }
            last = inertia;
        }
        let inertia = assign(x, n, d, &c, k, &mut labels);
        (labels, inertia)
    }

    #[test]
    fn hamerly_matches_plain_lloyd() {
        let mut r = Rng::new(3);
        let (n, d, k) = (600, 3, 6);
        let x: Vec<f64> = (0..n * d).map(|i| r.next_f64() * 10.0 + ((i / d) % 4) as f64 * 3.0).collect();
        let init = kmeans_plus_plus(&x, n, d, k, &mut Rng::new(9));
        let fast = lloyd(&x, n, d, init.clone(), k, 300, 0.0);
        let (labels, inertia) = naive(&x, n, d, init, k);
        assert!(fast.converged);
        assert_eq!(fast.labels, labels);
        assert!((fast.inertia - inertia).abs() < 1e-9 * inertia);
    }

    #[test]
    fn duplicates_and_k_equal_n_do_not_break() {
        let x = vec![1.0, 1.0, 1.0, 1.0, 5.0, 5.0];
        let c = kmeans(&x, 3, 2, &KMeansParams { k: 3, n_init: 2, max_iter: 50, tol: 1e-4 }, &mut Rng::new(1));
        assert_eq!(c.inertia, 0.0);
        let mut l = c.labels.clone();
        l.sort();
        l.dedup();
        assert_eq!(l.len(), 3, "every cluster keeps a row");
    }
}
