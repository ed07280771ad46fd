//! `segment`: prepare the columns, run the chosen algorithm for one k or for every k of
//! `kRange` (keeping the best silhouette, with the reason), relabel segments by size, score
//! the result, project it to 2-D and describe every segment.

use serde::Serialize;

use super::describe::{describe, Segment};
use super::features::{prepare, Features, Preparation};
use super::kmeans::{kmeans_async, update_centers, Clustering, KMeansParams};
use super::kprototypes::{kprototypes_async, Mixed};
use super::metrics::{calinski_harabasz, davies_bouldin, silhouette_async, SilhouetteMethod};
use super::minibatch::minibatch_async;
use super::options::{Algorithm, SegmentOptions};
use super::pca::project_2d;
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::table::Dataset;
use crate::task::{self, Ctl, Work};

/// Silhouette below which `"auto"` warns that the data has no strong cluster structure
/// (Kaufman & Rousseeuw's "weak or artificial structure" band).
pub const WEAK_SILHOUETTE: f64 = 0.25;

/// The score of one k tried.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct KScore {
    pub k: usize,
    pub silhouette: f64,
    pub inertia: f64,
}

/// Where the time went, in milliseconds (NaN where no clock was given).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SegmentTimings {
    /// Column choice, missing values, scaling, encoding.
    pub prepare_ms: f64,
    /// Seeding and iterations of every run (every k tried, every restart).
    pub cluster_ms: f64,
    /// Silhouette of every k tried, Davies–Bouldin, Calinski–Harabasz.
    pub score_ms: f64,
    /// The 2-D projection.
    pub project_ms: f64,
    /// Segment features and descriptions.
    pub describe_ms: f64,
}

/// Everything about a segmentation except the per-row arrays.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct SegmentReport {
    pub k: usize,
    /// The algorithm that ran (`"auto"` resolved).
    pub algorithm: String,
    /// The objective of the algorithm: sum of squared distances of the rows to their
    /// centre in the scaled feature space (k-prototypes: plus the category mismatch costs).
    pub inertia: f64,
    pub silhouette: f64,
    pub silhouette_method: SilhouetteMethod,
    pub davies_bouldin: f64,
    pub calinski_harabasz: f64,
    pub segments: Vec<Segment>,
    pub k_scores: Vec<KScore>,
    /// Why this k: the fixed value asked for, or the silhouette comparison of `"auto"`.
    pub k_choice: String,
    /// Numeric columns of each centroid, in order.
    pub centroid_columns: Vec<String>,
    /// Share of the variance of the scaled features along the two projection axes.
    pub explained_variance: [f64; 2],
    /// k-prototypes: the mismatch cost of a category (before column weights); else null.
    #[cfg_attr(feature = "ts", tsify(type = "number | null"))]
    pub gamma: Option<f64>,
    pub iterations: usize,
    pub converged: bool,
    pub seed: u64,
    pub preparation: Preparation,
    pub timings: SegmentTimings,
}

/// A segmentation: per-row labels (-1 for a dropped row), centroids in the original units
/// (`k × centroid_columns`, row-major: the mean of each segment's rows), the 2-D projection
/// (`rows × 2`, NaN for a dropped row) and the report.
#[derive(Debug, Clone)]
pub struct Segmentation {
    pub labels: Vec<i32>,
    pub centroids: Vec<f64>,
    pub projection: Vec<f64>,
    pub report: SegmentReport,
}

/// The random stream of one k: the same whichever other k are tried.
fn rng_for(seed: u64, k: usize) -> Rng {
    let mut r = Rng::new(seed);
    for _ in 0..k {
        r.next_u64();
    }
    Rng::new(r.next_u64())
}

/// Relabels clusters by decreasing size (ties: lower old label first).
fn by_size(mut c: Clustering, d: usize) -> Clustering {
    let mut sizes = vec![0usize; c.k];
    c.labels.iter().for_each(|&l| sizes[l as usize] += 1);
    let mut order: Vec<usize> = (0..c.k).collect();
    crate::sort::by(&mut order, &|&a, &b| sizes[b].cmp(&sizes[a]).then(a.cmp(&b)));
    let mut new_of = vec![0u32; c.k];
    for (new, &old) in order.iter().enumerate() {
        new_of[old] = new as u32;
    }
    c.labels.iter_mut().for_each(|l| *l = new_of[*l as usize]);
    if d > 0 && c.centers.len() == c.k * d {
        let old = c.centers.clone();
        for (new, &o) in order.iter().enumerate() {
            c.centers[new * d..(new + 1) * d].copy_from_slice(&old[o * d..(o + 1) * d]);
        }
    }
    c
}

struct Runner<'a> {
    f: &'a Features,
    x: Vec<f64>,
    d: usize,
    algorithm: Algorithm,
    gamma: f64,
    n_init: usize,
    max_iter: usize,
    tol: f64,
    seed: u64,
}

impl Runner<'_> {
    /// Boxed (as [`Runner::silhouette`]): awaited at two sites, one copy of the clustering code.
    fn run<'s>(&'s self, k: usize, ctl: &'s mut Ctl<'_>) -> Work<'s, Clustering> {
        Box::pin(self.run_inner(k, ctl))
    }

    async fn run_inner(&self, k: usize, ctl: &mut Ctl<'_>) -> Result<Clustering> {
        let n = self.f.len();
        let params = KMeansParams { k, n_init: self.n_init, max_iter: self.max_iter, tol: self.tol };
        let mut rng = rng_for(self.seed, k);
        match self.algorithm {
            Algorithm::KMeans => kmeans_async(&self.x, n, self.d, &params, &mut rng, ctl).await,
            Algorithm::MiniBatch => minibatch_async(&self.x, n, self.d, &params, &mut rng, ctl).await,
            Algorithm::KPrototypes => {
                let num = self.f.weighted_numeric();
                let levels: Vec<usize> = self.f.categories.iter().map(|c| c.levels.len()).collect();
                let gamma: Vec<f64> = self.f.categories.iter().map(|c| self.gamma * c.weight).collect();
                let data = Mixed {
                    num: &num,
                    p: self.f.numeric.len(),
                    cats: &self.f.cats,
                    q: self.f.categories.len(),
                    levels: &levels,
                    gamma: &gamma,
                    n,
                };
                Ok(kprototypes_async(&data, &params, &mut rng, ctl).await?.clustering)
            }
        }
    }

    fn silhouette<'s>(
        &'s self,
        labels: &'s [u32],
        k: usize,
        ctl: &'s mut Ctl<'_>,
    ) -> Work<'s, (f64, SilhouetteMethod)> {
        Box::pin(silhouette_async(&self.x, self.f.len(), self.d, labels, k, self.seed, ctl))
    }
}

/// Segments the rows of `ds` (see [`SegmentOptions`]).
pub fn segment(ds: &Dataset, opts: &SegmentOptions) -> Result<Segmentation> {
    task::run(segment_async(ds, opts, &mut Ctl::none()))
}

/// [`segment`] as long work: progress `cluster` (one unit per clustering run: each k of the
/// range, with its restarts) and `score`, abort between iterations. Timings come from the
/// host clock ([`crate::host`]).
pub fn segment_async<'a>(ds: &'a Dataset, opts: &'a SegmentOptions, ctl: &'a mut Ctl<'_>) -> Work<'a, Segmentation> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(segment_async_inner(ds, opts, ctl))
}

async fn segment_async_inner(ds: &Dataset, opts: &SegmentOptions, ctl: &mut Ctl<'_>) -> Result<Segmentation> {
    let clock = crate::host::now_ms;
    let mut timings = SegmentTimings::default();
    let mut t = clock();
    let mut lap = |into: &mut f64| {
        let now = clock();
        *into += now - t;
        t = now;
    };
    let p = opts.check()?;
    let f = prepare(ds, &p)?;
    let n = f.len();
    let algorithm = p.algorithm_for(n);
    // k-prototypes (Huang 1998): a category mismatch costs half the mean standard deviation
    // of the scaled numeric columns (1 without numeric columns). One-hot entries of
    // √(γ/2) make the squared Euclidean distance of the encoded rows equal that cost, so
    // silhouette and projection see the distance the algorithm used.
    let gamma = if algorithm == Algorithm::KPrototypes {
        let p_num = f.numeric.len();
        if p_num == 0 {
            1.0
        } else {
            let sd: f64 = (0..p_num)
                .map(|j| {
                    let m = (0..n).map(|i| f.num[i * p_num + j]).sum::<f64>() / n as f64;
                    ((0..n).map(|i| (f.num[i * p_num + j] - m).powi(2)).sum::<f64>() / n as f64).sqrt()
                })
                .sum::<f64>()
                / p_num as f64;
            if sd > 0.0 {
                0.5 * sd
            } else {
                1.0
            }
        }
    } else {
        0.0
    };
    if algorithm == Algorithm::KPrototypes && f.categories.is_empty() {
        return Err(CrmError::invalid_option("algorithm", "\"kprototypes\" needs at least one category column"));
    }
    let onehot = if algorithm == Algorithm::KPrototypes { (gamma / 2.0).sqrt() } else { 1.0 };
    let d = f.dense_dim();
    let runner = Runner {
        x: f.dense(onehot),
        f: &f,
        d,
        algorithm,
        gamma,
        n_init: p.n_init_for(algorithm),
        max_iter: p.max_iter_for(algorithm),
        tol: p.tol,
        seed: p.seed,
    };
    lap(&mut timings.prepare_ms);

    let (best, k_scores, k_choice, sil) = match p.k {
        Some(k) => {
            if k > n {
                return Err(CrmError::invalid_option("k", format!("k = {k} but only {n} rows are segmented")));
            }
            ctl.phase("cluster", 0, 1).await?;
            let c = runner.run(k, ctl).await?;
            lap(&mut timings.cluster_ms);
            ctl.phase("score", 1, 1).await?;
            let sil = runner.silhouette(&c.labels, k, ctl).await?;
            lap(&mut timings.score_ms);
            let scores = vec![KScore { k, silhouette: sil.0, inertia: c.inertia }];
            (c, scores, format!("k = {k} as requested"), sil)
        }
        None => {
            let (lo, hi) = (p.k_range.0, p.k_range.1.min(n.saturating_sub(1)));
            if lo > hi {
                return Err(CrmError::invalid_option(
                    "kRange",
                    format!("with {n} segmented rows k can be at most {}", n.saturating_sub(1)),
                ));
            }
            let mut scores = Vec::new();
            let mut best: Option<(Clustering, (f64, SilhouetteMethod))> = None;
            let runs = (hi - lo + 1) as u64;
            for k in lo..=hi {
                ctl.phase("cluster", (k - lo) as u64, runs).await?;
                let c = runner.run(k, ctl).await?;
                lap(&mut timings.cluster_ms);
                let sil = runner.silhouette(&c.labels, k, ctl).await?;
                lap(&mut timings.score_ms);
                scores.push(KScore { k, silhouette: sil.0, inertia: c.inertia });
                if best.as_ref().is_none_or(|(_, b)| sil.0 > b.0 || b.0.is_nan()) {
                    best = Some((c, sil));
                }
            }
            let Some((c, sil)) = best else { return Err(CrmError::invalid_option("kRange", "the range is empty")) };
            let choice = explain_choice(&scores, c.k, lo, hi, &sil.1);
            (c, scores, choice, sil)
        }
    };
    let k = best.k;
    let best = by_size(best, if algorithm == Algorithm::KPrototypes { f.numeric.len() } else { d });
    // Centres in the encoded space as the means of each segment (for Davies–Bouldin and Calinski–Harabasz).
    let mut centers = vec![0.0; k * d];
    update_centers(&runner.x, d, &best.labels, &mut centers, k);
    let db = davies_bouldin(&runner.x, n, d, &best.labels, &centers, k);
    let ch = calinski_harabasz(&runner.x, n, d, &best.labels, &centers, k);
    let (silhouette, silhouette_method) = sil;
    lap(&mut timings.score_ms);
    let (proj, explained) = project_2d(&runner.x, n, d);
    lap(&mut timings.project_ms);
    let segments = describe(&f, &best.labels, k);

    let total = ds.num_rows();
    let mut labels = vec![-1i32; total];
    let mut projection = vec![f64::NAN; total * 2];
    for (i, &row) in f.rows.iter().enumerate() {
        labels[row] = best.labels[i] as i32;
        projection[2 * row] = proj[2 * i];
        projection[2 * row + 1] = proj[2 * i + 1];
    }
    let p_num = f.numeric.len();
    let mut centroids = vec![f64::NAN; k * p_num];
    for s in &segments {
        for (j, feat) in s.features.iter().take(p_num).enumerate() {
            centroids[s.id as usize * p_num + j] = feat.mean.unwrap_or(f64::NAN);
        }
    }
    lap(&mut timings.describe_ms);
    let report = SegmentReport {
        k,
        algorithm: algorithm.name().into(),
        inertia: best.inertia,
        silhouette,
        silhouette_method,
        davies_bouldin: db,
        calinski_harabasz: ch,
        segments,
        k_scores,
        k_choice,
        centroid_columns: f.numeric.iter().map(|c| c.name.clone()).collect(),
        explained_variance: explained,
        gamma: (algorithm == Algorithm::KPrototypes).then_some(gamma),
        iterations: best.iterations,
        converged: best.converged,
        seed: p.seed,
        preparation: f.report.clone(),
        timings,
    };
    Ok(Segmentation { labels, centroids, projection, report })
}

fn explain_choice(scores: &[KScore], k: usize, lo: usize, hi: usize, method: &SilhouetteMethod) -> String {
    let best = scores.iter().find(|s| s.k == k).map_or(f64::NAN, |s| s.silhouette);
    let runner_up = scores
        .iter()
        .filter(|s| s.k != k && !s.silhouette.is_nan())
        .max_by(|a, b| a.silhouette.total_cmp(&b.silhouette));
    let basis = if method.exact {
        "silhouette over all rows".to_string()
    } else {
        format!("silhouette on a sample of {} rows (seed {})", method.rows, method.seed)
    };
    let mut text = format!("k = {k}: the highest {basis} ({best:.3}) of k = {lo}–{hi}");
    if let Some(r) = runner_up {
        text.push_str(&format!("; next best k = {} ({:.3})", r.k, r.silhouette));
    }
    if best < WEAK_SILHOUETTE {
        text.push_str(&format!(
            ". A silhouette below {WEAK_SILHOUETTE} means the rows do not fall into clearly separated groups: \
             read the segments as a useful partition, not as natural clusters"
        ));
    }
    text
}
