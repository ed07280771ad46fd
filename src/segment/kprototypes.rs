//! k-prototypes (Huang 1998, "Extensions to the k-means algorithm for clustering large data
//! sets with categorical values"): numeric columns by squared Euclidean distance to the
//! centre's means, each category column by a mismatch cost `gamma[j]` against the centre's
//! most frequent level. Seeded like k-means++ (squared-cost sampling), Lloyd-style
//! iterations, empty clusters re-seeded at the costliest row, `n_init` restarts.

use super::kmeans::{sq_dist, Clustering, KMeansParams};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::task::{run_unhosted, Ctl};

/// Mixed data: `num` is `n × p` (already scaled and weighted), `cats` is `n × q` codes,
/// `levels[j]` the number of levels of category j, `gamma[j]` its mismatch cost.
pub struct Mixed<'a> {
    pub num: &'a [f64],
    pub p: usize,
    pub cats: &'a [u32],
    pub q: usize,
    pub levels: &'a [usize],
    pub gamma: &'a [f64],
    pub n: usize,
}

/// A k-prototypes result: numeric centres in `clustering.centers` (`k × p`), modes `k × q`.
pub struct Prototypes {
    pub clustering: Clustering,
    pub modes: Vec<u32>,
}

impl Mixed<'_> {
    #[inline]
    fn cost(&self, i: usize, centers: &[f64], modes: &[u32], j: usize) -> f64 {
        let (p, q) = (self.p, self.q);
        let mut c = sq_dist(&self.num[i * p..(i + 1) * p], &centers[j * p..(j + 1) * p]);
        for t in 0..q {
            if self.cats[i * q + t] != modes[j * q + t] {
                c += self.gamma[t];
            }
        }
        c
    }

    fn nearest(&self, i: usize, centers: &[f64], modes: &[u32], k: usize) -> (u32, f64) {
        let (mut b, mut best) = (0u32, f64::INFINITY);
        for j in 0..k {
            let c = self.cost(i, centers, modes, j);
            if c < best {
                best = c;
                b = j as u32;
            }
        }
        (b, best)
    }

    fn copy_row(&self, i: usize, centers: &mut Vec<f64>, modes: &mut Vec<u32>) {
        centers.extend_from_slice(&self.num[i * self.p..(i + 1) * self.p]);
        modes.extend_from_slice(&self.cats[i * self.q..(i + 1) * self.q]);
    }

    fn init(&self, k: usize, rng: &mut Rng) -> (Vec<f64>, Vec<u32>) {
        let n = self.n;
        let (mut centers, mut modes) = (Vec::with_capacity(k * self.p), Vec::with_capacity(k * self.q));
        self.copy_row(rng.below(n), &mut centers, &mut modes);
        let mut closest: Vec<f64> = (0..n).map(|i| self.cost(i, &centers, &modes, 0)).collect();
        for j in 1..k {
            let total: f64 = closest.iter().sum();
            let pick = if total > 0.0 {
                let r = rng.next_f64() * total;
                let mut acc = 0.0;
                let mut pick = n - 1;
                for (i, &c) in closest.iter().enumerate() {
                    acc += c;
                    if acc > r {
                        pick = i;
                        break;
                    }
                }
                pick
            } else {
                rng.below(n)
            };
            self.copy_row(pick, &mut centers, &mut modes);
            for (i, c) in closest.iter_mut().enumerate() {
                *c = c.min(self.cost(i, &centers, &modes, j));
            }
        }
        (centers, modes)
    }

    async fn run(&self, k: usize, max_iter: usize, rng: &mut Rng, ctl: &mut Ctl<'_>) -> Result<Prototypes> {
        let (n, p, q) = (self.n, self.p, self.q);
        let (mut centers, mut modes) = self.init(k, rng);
        let offsets: Vec<usize> = self
            .levels
            .iter()
            .scan(0, |s, &l| {
                let o = *s;
                *s += l;
                Some(o)
            })
            .collect();
        let width: usize = self.levels.iter().sum();
        let mut labels = vec![u32::MAX; n];
        let mut iterations = 0;
        let converged = loop {
            ctl.check().await?;
            let mut changed = 0;
            for (i, label) in labels.iter_mut().enumerate() {
                let (b, _) = self.nearest(i, &centers, &modes, k);
                if *label != b {
                    *label = b;
                    changed += 1;
                }
            }
            // Re-seed empty clusters at the costliest rows of clusters that keep one.
            let mut sizes = vec![0usize; k];
            labels.iter().for_each(|&l| sizes[l as usize] += 1);
            for j in 0..k {
                if sizes[j] > 0 {
                    continue;
                }
                let far = (0..n)
                    .filter(|&i| sizes[labels[i] as usize] > 1)
                    .map(|i| (self.cost(i, &centers, &modes, labels[i] as usize), i))
                    .fold(
                        None,
                        |m: Option<(f64, usize)>, (c, i)| if m.is_none_or(|(b, _)| c > b) { Some((c, i)) } else { m },
                    );
                if let Some((_, i)) = far {
                    sizes[labels[i] as usize] -= 1;
                    sizes[j] = 1;
                    labels[i] = j as u32;
                    changed += 1;
                }
            }
            if changed == 0 || iterations >= max_iter {
                break changed == 0;
            }
            iterations += 1;
            // Means and modes of the new clusters.
            let mut sums = vec![0.0; k * p];
            let mut counts = vec![0usize; k * width];
            for i in 0..n {
                let l = labels[i] as usize;
                for t in 0..p {
                    sums[l * p + t] += self.num[i * p + t];
                }
                for t in 0..q {
                    counts[l * width + offsets[t] + self.cats[i * q + t] as usize] += 1;
                }
            }
            for j in 0..k {
                if sizes[j] == 0 {
                    continue;
                }
                for t in 0..p {
                    centers[j * p + t] = sums[j * p + t] / sizes[j] as f64;
                }
                for t in 0..q {
                    let c = &counts[j * width + offsets[t]..j * width + offsets[t] + self.levels[t]];
                    let mode = (0..c.len()).max_by_key(|&v| (c[v], std::cmp::Reverse(v))).unwrap_or(0);
                    modes[j * q + t] = mode as u32;
                }
            }
        };
        let inertia = (0..n).map(|i| self.cost(i, &centers, &modes, labels[i] as usize)).sum();
        Ok(Prototypes { clustering: Clustering { labels, centers, k, inertia, iterations, converged }, modes })
    }
}

/// k-prototypes with `n_init` restarts; the lowest total cost wins.
pub fn kprototypes(data: &Mixed, p: &KMeansParams, rng: &mut Rng) -> Prototypes {
    run_unhosted(kprototypes_async(data, p, rng, &mut Ctl::none()))
}

/// [`kprototypes`] as long work: checks `ctl` per restart and per iteration.
pub async fn kprototypes_async(
    data: &Mixed<'_>,
    p: &KMeansParams,
    rng: &mut Rng,
    ctl: &mut Ctl<'_>,
) -> Result<Prototypes> {
    let mut best: Option<Prototypes> = None;
    for _ in 0..p.n_init.max(1) {
        let mut r = rng.fork();
        let run = data.run(p.k, p.max_iter, &mut r, ctl).await?;
        if best.as_ref().is_none_or(|b| run.clustering.inertia < b.clustering.inertia) {
            best = Some(run);
        }
    }
    best.ok_or_else(|| CrmError::invalid_option("nInit", "must be at least 1"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn separates_by_category_when_numbers_do_not() {
        // One numeric column of noise, one category that splits the rows in two.
        let mut r = Rng::new(5);
        let n = 200;
        let num: Vec<f64> = (0..n).map(|_| r.next_f64()).collect();
        let cats: Vec<u32> = (0..n).map(|i| (i % 2) as u32).collect();
        let data = Mixed { num: &num, p: 1, cats: &cats, q: 1, levels: &[2], gamma: &[5.0], n };
        let out = kprototypes(&data, &KMeansParams { k: 2, n_init: 3, max_iter: 50, tol: 0.0 }, &mut Rng::new(1));
        let l = &out.clustering.labels;
        assert!((0..n).all(|i| (l[i] == l[0]) == (cats[i] == cats[0])));
        assert_ne!(out.modes[0], out.modes[1]);
    }
}
