//! Mini-batch k-means (Sculley 2010, "Web-scale k-means clustering"), for large n: each
//! step assigns a random batch and moves the centres toward it with per-centre learning
//! rates; stops when the smoothed batch inertia has not improved for 10 steps or after
//! `max_iter` passes over the data. Of `n_init` k-means++ starts (each on a sample of
//! 3 × batch rows), the one with the lowest inertia on that sample is optimised. Labels and
//! inertia are then computed over all rows.

use super::distance::nearest_two;
use super::kmeans::{assign, kmeans_plus_plus, reseed_empty, update_centers, Clustering, KMeansParams};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::task::{run_unhosted, Ctl};

pub const BATCH: usize = 1024;
const NO_IMPROVEMENT: usize = 10;

pub fn minibatch(x: &[f64], n: usize, d: usize, p: &KMeansParams, rng: &mut Rng) -> Clustering {
    run_unhosted(minibatch_async(x, n, d, p, rng, &mut Ctl::none()))
}

/// [`minibatch`] as long work: checks `ctl` per restart and per batch step.
pub async fn minibatch_async(
    x: &[f64],
    n: usize,
    d: usize,
    p: &KMeansParams,
    rng: &mut Rng,
    ctl: &mut Ctl<'_>,
) -> Result<Clustering> {
    let k = p.k;
    let batch = BATCH.min(n);
    // Choose the start on a sample.
    let sample = rng.sample_indices(n, (3 * batch).max(3 * k).min(n));
    let xs: Vec<f64> = sample.iter().flat_map(|&i| x[i * d..(i + 1) * d].iter().copied()).collect();
    let m = sample.len();
    let mut best: Option<(f64, Vec<f64>)> = None;
    let mut scratch = vec![0u32; m];
    for _ in 0..p.n_init.max(1) {
        let mut r = rng.fork();
        let init = kmeans_plus_plus(&xs, m, d, k, &mut r);
        let inertia = assign(&xs, m, d, &init, k, &mut scratch);
        ctl.check().await?;
        if best.as_ref().is_none_or(|(b, _)| inertia < *b) {
            best = Some((inertia, init));
        }
    }
    let Some((_, mut centers)) = best else { return Err(CrmError::invalid_option("nInit", "must be at least 1")) };

    let mut seen = vec![0.0f64; k];
    let steps = p.max_iter.saturating_mul(n.div_ceil(batch)).max(1);
    let alpha = (2.0 * batch as f64 / (n as f64 + 1.0)).min(1.0);
    let (mut ewa, mut best_ewa, mut stale) = (f64::NAN, f64::INFINITY, 0usize);
    let mut idx = vec![0usize; batch];
    let mut lab = vec![0u32; batch];
    let mut sums = vec![0.0; k * d];
    let mut counts = vec![0usize; k];
    let mut iterations = 0;
    let mut converged = false;
    for _ in 0..steps {
        ctl.check().await?;
        iterations += 1;
        idx.iter_mut().for_each(|i| *i = rng.below(n));
        sums.iter_mut().for_each(|s| *s = 0.0);
        counts.iter_mut().for_each(|c| *c = 0);
        let mut inertia = 0.0;
        for (b, &i) in idx.iter().enumerate() {
            let row = &x[i * d..(i + 1) * d];
            let (best_j, best_v, _, _) = nearest_two(row, &centers[..k * d], d, usize::MAX);
            let best_j = best_j as usize;
            lab[b] = best_j as u32;
            inertia += best_v;
            counts[best_j] += 1;
            for t in 0..d {
                sums[best_j * d + t] += row[t];
            }
        }
        for j in 0..k {
            if counts[j] == 0 {
                continue;
            }
            let total = seen[j] + counts[j] as f64;
            for t in 0..d {
                let c = &mut centers[j * d + t];
                *c = (*c * seen[j] + sums[j * d + t]) / total;
            }
            seen[j] = total;
        }
        let per_row = inertia / batch as f64;
        ewa = if ewa.is_nan() { per_row } else { ewa * (1.0 - alpha) + per_row * alpha };
        if ewa < best_ewa {
            best_ewa = ewa;
            stale = 0;
        } else {
            stale += 1;
            if stale >= NO_IMPROVEMENT {
                converged = true;
                break;
            }
        }
    }
    let mut labels = vec![0u32; n];
    let mut inertia = assign(x, n, d, &centers, k, &mut labels);
    // A centre no row is nearest to: re-seed it at the farthest row and take one Lloyd step.
    let mut c2 = centers.clone();
    let mut counts = update_centers(x, d, &labels, &mut c2, k);
    if counts.contains(&0) && reseed_empty(x, d, &mut labels, &mut centers, &mut counts) {
        update_centers(x, d, &labels, &mut centers, k);
        inertia = assign(x, n, d, &centers, k, &mut labels);
    }
    Ok(Clustering { labels, centers, k, inertia, iterations, converged })
}
