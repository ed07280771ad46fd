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
use super::warnings::{self as checks, min_auto_size};
use crate::error::{CrmError, Result};
use crate::rng::Rng;
use crate::table::Dataset;
use crate::task::{self, Ctl, Work};
use crate::warning::Warning;

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
    /// The silhouette over the rows of segments with at least 1% of the rows (and 2): what
    /// `"auto"` compares, so isolating an outlier row does not count as a good split. Equal to
    /// `silhouette` when no segment is that small; NaN when fewer than two segments are.
    pub group_silhouette: f64,
    pub inertia: f64,
    /// Rows in the smallest segment.
    pub smallest_segment: usize,
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
    /// What the result says about its own validity, in plain language: `SMALL_SEGMENT`,
    /// `K_AT_EDGE`, `TRANSACTION_ROWS`, `NO_K_WITHOUT_TINY_SEGMENT`, `WEAK_STRUCTURE`, `WORK_CAPPED`.
    pub warnings: Vec<Warning>,
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
pub(crate) fn rng_for(seed: u64, k: usize) -> Rng {
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

/// Most distance work (rows × k × features per iteration, summed over every restart and
/// every k tried) one `segment` call may take: about 4 s natively. Past it each run's
/// iterations are capped (at least [`MIN_ITER`]) and, if a run stops there unconverged,
/// `WORK_CAPPED` says so (the fuzz harness found kRange [2, 31] with 200 one-hot features
/// running 52 s).
pub const MAX_WORK: f64 = 1e10;
/// Iterations a run always gets, whatever the work budget.
pub const MIN_ITER: usize = 5;

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
    /// Values of k this call tries (the work budget is shared among them).
    ks: usize,
    /// Set when a run's iterations were capped by the work budget.
    capped: std::cell::Cell<bool>,
}

impl Runner<'_> {
    /// `max_iter`, or fewer so that this k's runs stay within its share of [`MAX_WORK`].
    fn iterations_for(&self, k: usize) -> usize {
        let per_iteration = (self.f.len() as f64) * (k as f64) * (self.d.max(1) as f64) * (self.n_init as f64);
        let allowed = (MAX_WORK / self.ks.max(1) as f64 / per_iteration.max(1.0)) as usize;
        allowed.max(MIN_ITER).min(self.max_iter)
    }

    /// Boxed (as [`Runner::silhouette`]): awaited at two sites, one copy of the clustering code.
    fn run<'s>(&'s self, k: usize, ctl: &'s mut Ctl<'_>) -> Work<'s, Clustering> {
        Box::pin(self.run_inner(k, ctl))
    }

    async fn run_inner(&self, k: usize, ctl: &mut Ctl<'_>) -> Result<Clustering> {
        let n = self.f.len();
        let max_iter = self.iterations_for(k);
        let params = KMeansParams { k, n_init: self.n_init, max_iter, tol: self.tol };
        let mut rng = rng_for(self.seed, k);
        let c = match self.algorithm {
            Algorithm::KMeans => kmeans_async(&self.x, n, self.d, &params, &mut rng, ctl).await?,
            Algorithm::MiniBatch => minibatch_async(&self.x, n, self.d, &params, &mut rng, ctl).await?,
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
                kprototypes_async(&data, &params, &mut rng, ctl).await?.clustering
            }
        };
        if max_iter < self.max_iter && !c.converged {
            self.capped.set(true);
        }
        Ok(c)
    }

    fn silhouette<'s>(
        &'s self,
        labels: &'s [u32],
        k: usize,
        ctl: &'s mut Ctl<'_>,
    ) -> Work<'s, (f64, SilhouetteMethod)> {
        silhouette_boxed(&self.x, self.f.len(), self.d, labels, k, self.seed, ctl)
    }

    /// The silhouette of the groups: over the rows of segments with at least `min_size` rows
    /// (smaller ones are outliers, not groups), NaN when fewer than two such segments remain.
    /// Equal to `full` when no segment is that small.
    async fn group_silhouette(
        &self,
        labels: &[u32],
        k: usize,
        min_size: usize,
        full: f64,
        ctl: &mut Ctl<'_>,
    ) -> Result<f64> {
        let sizes = checks::sizes(labels, k);
        if sizes.iter().all(|&s| s >= min_size) {
            return Ok(full);
        }
        let mut new_id = vec![u32::MAX; k];
        let mut groups = 0u32;
        for (j, &s) in sizes.iter().enumerate() {
            if s >= min_size {
                new_id[j] = groups;
                groups += 1;
            }
        }
        if groups < 2 {
            return Ok(f64::NAN);
        }
        let d = self.d;
        let (mut x, mut l) = (Vec::new(), Vec::new());
        for (i, &lab) in labels.iter().enumerate() {
            let g = new_id[lab as usize];
            if g != u32::MAX {
                x.extend_from_slice(&self.x[i * d..(i + 1) * d]);
                l.push(g);
            }
        }
        Ok(silhouette_boxed(&x, l.len(), d, &l, groups as usize, self.seed, ctl).await?.0)
    }
}

/// The silhouette as boxed long work: one copy of its code for every caller.
#[allow(clippy::too_many_arguments)]
fn silhouette_boxed<'s>(
    x: &'s [f64],
    n: usize,
    d: usize,
    labels: &'s [u32],
    k: usize,
    seed: u64,
    ctl: &'s mut Ctl<'_>,
) -> Work<'s, (f64, SilhouetteMethod)> {
    Box::pin(silhouette_async(x, n, d, labels, k, seed, ctl))
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
    let x = f.dense(onehot)?;
    // Only whether there are more distinct rows than the largest k tried matters: the count
    // stops there (a full count of 10^5 rows cost segment 10% of its time).
    let distinct = distinct_rows(&x, n, d, p.k.unwrap_or(p.k_range.1).max(p.k_range.0).saturating_add(1));
    let runner = Runner {
        x,
        f: &f,
        d,
        algorithm,
        gamma,
        n_init: p.n_init_for(algorithm),
        max_iter: p.max_iter_for(algorithm),
        tol: p.tol,
        seed: p.seed,
        ks: match p.k {
            Some(_) => 1,
            None => p.k_range.1.min(n.saturating_sub(1)).min(distinct).saturating_sub(p.k_range.0) + 1,
        },
        capped: std::cell::Cell::new(false),
    };
    lap(&mut timings.prepare_ms);

    let (best, k_scores, k_choice, sil) = match p.k {
        Some(k) => {
            if k > n {
                return Err(CrmError::invalid_option("k", format!("k = {k} but only {n} rows are segmented")));
            }
            if k > distinct {
                return Err(CrmError::invalid_option(
                    "k",
                    format!(
                        "k = {k} but the {n} rows hold only {distinct} distinct points: at most {distinct} segments"
                    ),
                ));
            }
            ctl.phase("cluster", 0, 1).await?;
            let c = runner.run(k, ctl).await?;
            lap(&mut timings.cluster_ms);
            ctl.phase("score", 1, 1).await?;
            let sil = runner.silhouette(&c.labels, k, ctl).await?;
            lap(&mut timings.score_ms);
            let group = runner.group_silhouette(&c.labels, k, min_auto_size(n), sil.0, ctl).await?;
            let smallest = checks::sizes(&c.labels, k).into_iter().min().unwrap_or(0);
            let scores = vec![KScore {
                k,
                silhouette: sil.0,
                group_silhouette: group,
                inertia: c.inertia,
                smallest_segment: smallest,
            }];
            (c, scores, format!("k = {k} as requested"), sil)
        }
        None => {
            // More segments than distinct points leave clusters empty: k-means re-seeds them on
            // every pass and never converges (the fuzz harness found 50 rows of a one-hot token
            // column with kRange [2, 31] running 1,000 iterations per run).
            let (lo, hi) = (p.k_range.0, p.k_range.1.min(n.saturating_sub(1)).min(distinct));
            if lo > hi {
                return Err(CrmError::invalid_option(
                    "kRange",
                    format!(
                        "with {n} segmented rows ({distinct} distinct) k can be at most {}",
                        n.saturating_sub(1).min(distinct)
                    ),
                ));
            }
            // The best silhouette of the groups: segments under `min_size` rows are outliers,
            // left out of the score (a split that isolates one outlier row scores a silhouette
            // near 1 and says nothing about groups). Only when no k forms two groups, the best
            // plain silhouette, with a warning.
            let min_size = min_auto_size(n);
            let mut scores = Vec::new();
            let mut best: Option<(Clustering, (f64, SilhouetteMethod), f64)> = None;
            let mut best_any: Option<(Clustering, (f64, SilhouetteMethod), f64)> = None;
            let better = |cur: &Option<(Clustering, (f64, SilhouetteMethod), f64)>, s: f64| {
                !s.is_nan() && cur.as_ref().is_none_or(|b| s > b.2 || b.2.is_nan())
            };
            let runs = (hi - lo + 1) as u64;
            for k in lo..=hi {
                ctl.phase("cluster", (k - lo) as u64, runs).await?;
                let c = runner.run(k, ctl).await?;
                lap(&mut timings.cluster_ms);
                let sil = runner.silhouette(&c.labels, k, ctl).await?;
                let group = runner.group_silhouette(&c.labels, k, min_size, sil.0, ctl).await?;
                lap(&mut timings.score_ms);
                let smallest = checks::sizes(&c.labels, k).into_iter().min().unwrap_or(0);
                scores.push(KScore {
                    k,
                    silhouette: sil.0,
                    group_silhouette: group,
                    inertia: c.inertia,
                    smallest_segment: smallest,
                });
                if better(&best, group) {
                    best = Some((c, sil, group));
                } else if best.is_none() && (best_any.is_none() || better(&best_any, sil.0)) {
                    let plain = sil.0;
                    best_any = Some((c, sil, plain));
                }
            }
            let fallback = best.is_none();
            let Some((c, sil, _)) = best.or(best_any) else {
                return Err(CrmError::state("segment: kRange produced no clustering"));
            };
            let mut choice = explain_choice(&scores, c.k, lo, hi, &sil.1, min_size);
            if fallback {
                choice.push_str(&format!(
                    ". No k tried forms two segments of {min_size} rows or more; this is the best plain silhouette"
                ));
            }
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
    let mut warnings = Vec::new();
    let seg_sizes: Vec<usize> = segments.iter().map(|s| s.size).collect();
    checks::small_segments(&seg_sizes, n, &mut warnings);
    if p.k.is_none() {
        let (lo, hi) = (p.k_range.0, p.k_range.1.min(n.saturating_sub(1)).min(distinct));
        checks::k_at_edge(k, lo, hi, &mut warnings);
        if k_scores.iter().all(|s| s.group_silhouette.is_nan()) {
            warnings.push(Warning::new(
                "NO_K_WITHOUT_TINY_SEGMENT",
                format!(
                    "no k of kRange forms two segments of {} rows or more: the data may hold a few \
                     outliers and no clear groups",
                    min_auto_size(n)
                ),
            ));
        }
        if silhouette < WEAK_SILHOUETTE {
            warnings.push(Warning::new(
                "WEAK_STRUCTURE",
                format!(
                    "silhouette {silhouette:.3} (below {WEAK_SILHOUETTE}): the rows do not fall into clearly \
                     separated groups; read the segments as a useful partition, not as natural clusters"
                ),
            ));
        }
    }
    checks::transaction_rows(ds, &f.rows, &mut warnings);
    if runner.capped.get() {
        warnings.push(Warning::new(
            "WORK_CAPPED",
            format!(
                "{n} rows × {d} features: to stay within its work budget each run was limited to fewer than \
                 maxIter iterations and at least one stopped before converging; the segments are usable but \
                 may shift slightly with more iterations (segment fewer columns, or fewer values of k)"
            ),
        ));
    }
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
        warnings,
        timings,
    };
    Ok(Segmentation { labels, centroids, projection, report })
}

/// Distinct rows of the encoded matrix (bit patterns), counted up to `cap` (then `cap`).
fn distinct_rows(x: &[f64], n: usize, d: usize, cap: usize) -> usize {
    let mut seen: rustc_hash::FxHashSet<Vec<u64>> = rustc_hash::FxHashSet::default();
    let mut row = Vec::with_capacity(d);
    for i in 0..n {
        if seen.len() >= cap {
            break;
        }
        row.clear();
        row.extend(x[i * d..(i + 1) * d].iter().map(|v| v.to_bits()));
        if !seen.contains(row.as_slice()) {
            seen.insert(row.clone());
        }
    }
    seen.len()
}

fn explain_choice(
    scores: &[KScore],
    k: usize,
    lo: usize,
    hi: usize,
    method: &SilhouetteMethod,
    min_size: usize,
) -> String {
    let best = scores.iter().find(|s| s.k == k).map_or(f64::NAN, |s| s.group_silhouette);
    let runner_up = scores
        .iter()
        .filter(|s| s.k != k && !s.group_silhouette.is_nan())
        .max_by(|a, b| a.group_silhouette.total_cmp(&b.group_silhouette));
    let basis = if method.exact {
        "silhouette over all rows".to_string()
    } else {
        format!("silhouette on a sample of {} rows (seed {})", method.rows, method.seed)
    };
    let mut text = format!("k = {k}: the highest {basis} ({best:.3}) of k = {lo}–{hi}");
    if let Some(r) = runner_up {
        text.push_str(&format!("; next best k = {} ({:.3})", r.k, r.group_silhouette));
    }
    let passed_over: Vec<String> = scores
        .iter()
        .filter(|s| s.k != k && s.smallest_segment < min_size && s.silhouette > best)
        .map(|s| format!("k = {} (silhouette {:.3} with a segment of {} rows)", s.k, s.silhouette, s.smallest_segment))
        .collect();
    if scores.iter().any(|s| s.smallest_segment < min_size) {
        text.push_str(&format!("; segments under {min_size} rows count as outliers, not groups, in this comparison"));
    }
    if !passed_over.is_empty() {
        text.push_str(&format!("; passed over {} for isolating outliers", passed_over.join(", ")));
    }
    if best < WEAK_SILHOUETTE {
        text.push_str(&format!(
            ". A silhouette below {WEAK_SILHOUETTE} means the rows do not fall into clearly separated groups: \
             read the segments as a useful partition, not as natural clusters"
        ));
    }
    text
}
