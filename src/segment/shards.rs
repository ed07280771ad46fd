//! Sharded k-means (`CrmlensPool.segment`, js/pool-kmeans.js): the half of `segment` that runs
//! on one shard of a table held in several workers. The coordinator (on the page) merges what
//! the shards answer and replays the single-table algorithm step by step:
//!
//! - [`stats`]: the chosen numeric columns, their present counts and sums over the kept rows
//!   (the imputation means); with the merged means, the squared deviations (the scaling);
//! - [`ShardKMeans`]: the shard's scaled rows and per-row state, with the steps of greedy
//!   k-means++ (row fetch, squared-distance totals, candidate picks, candidate potentials,
//!   adding a centre) and of Lloyd (assignment with per-centroid sums and counts, the farthest
//!   row for an empty cluster, the final assignment, the best run's labels).
//!
//! Each step does what [`super::kmeans`] does on the whole table, over this shard's rows and in
//! the same row order, so the merged run chooses the same centres and labels (sums of several
//! shards may differ from one sequential sum in the last bits). Numeric columns only; the
//! coordinator refuses the other options with INVALID_OPTION.

use super::distance::each_sq_dist;
use super::features::default_exclusion;
use super::kmeans::sq_dist;
use super::options::{Missing, Params};
use crate::error::{CrmError, Result};
use crate::table::{ColumnData, Dataset};

/// What a shard says about the chosen columns: names, present values and their sums over the
/// kept rows (the rows used: all, or those without a missing value with `missing: "drop"`);
/// with `means`, each column's summed squared deviation from it (missing values imputed with
/// `fills`).
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ShardStats {
    pub columns: Vec<String>,
    pub present: Vec<f64>,
    pub sums: Vec<f64>,
    pub squares: Vec<f64>,
    /// Largest |value| of each column (the single-table check on values too large).
    pub max_abs: Vec<f64>,
    pub kept: usize,
    pub rows: usize,
}

/// The numeric columns `segment` would use: the named ones (each must be numeric), or the
/// default choice (every column `segment` would choose must be numeric).
#[inline(never)]
fn chosen<'a>(ds: &'a Dataset, p: &Params, shards: usize) -> Result<Vec<(&'a str, Vec<f64>)>> {
    let numeric = |name: &str, data: &ColumnData| match data {
        ColumnData::Int64(_) | ColumnData::Float64(_) => Ok(()),
        _ => Err(CrmError::invalid_option(
            "columns",
            format!(
                "column `{name}` is not numeric: segment of a table held in {shards} shards uses numeric columns \
                 only (name them in `columns`, or load the table with workers: 1)"
            ),
        )),
    };
    let mut out = Vec::new();
    match &p.columns {
        Some(names) => {
            for name in names {
                let col = ds.column(name)?;
                if out.iter().any(|(n, _): &(&str, Vec<f64>)| *n == name.as_str()) {
                    return Err(CrmError::invalid_option("columns", format!("column `{name}` is named twice")));
                }
                numeric(name, &col.data)?;
                out.push((col.name.as_str(), col.to_f64().unwrap_or_default()));
            }
        }
        None => {
            for col in ds.columns() {
                let why = default_exclusion(col);
                // A column missing in this shard only is decided by the coordinator (all shards).
                if why.is_none() || (col.null_count() == col.len() && why.as_deref() == Some(ALL_MISSING)) {
                    numeric(&col.name, &col.data)?;
                    out.push((col.name.as_str(), col.to_f64().unwrap_or_default()));
                }
            }
        }
    }
    for name in p.weights.keys() {
        if !out.iter().any(|(n, _)| n == name) {
            return Err(CrmError::invalid_option("weights", format!("`{name}` is not one of the segmented columns")));
        }
    }
    for (_, v) in out.iter_mut() {
        v.iter_mut().for_each(|x| {
            if !x.is_finite() {
                *x = f64::NAN
            }
        });
    }
    Ok(out)
}

/// The reason [`default_exclusion`] gives a column whose every value is missing.
pub const ALL_MISSING: &str = "every value is missing";

/// Squared distances of `point` to each row of `rows` (`d` wide) into `out`: the values
/// `nearest_two` and k-means++ see (`each_sq_dist`), from one copy of its loop (not inlined
/// at every step, which kept the pool wasm within its budget).
#[inline(never)]
fn distances(rows: &[f64], d: usize, point: &[f64], out: &mut Vec<f64>) {
    out.clear();
    each_sq_dist(rows, d, point, |_, v| out.push(v));
}

/// The first nearest of `dist` (as `nearest_two`: a later centre only when strictly nearer).
fn nearest(dist: &[f64]) -> (u32, f64) {
    let (mut b, mut d1) = (0u32, f64::INFINITY);
    for (j, &v) in dist.iter().enumerate() {
        if v < d1 {
            d1 = v;
            b = j as u32;
        }
    }
    (b, d1)
}

fn kept_rows(cols: &[(&str, Vec<f64>)], n: usize, missing: Missing) -> Vec<usize> {
    match missing {
        Missing::Impute => (0..n).collect(),
        Missing::Drop => (0..n).filter(|&i| cols.iter().all(|(_, v)| !v[i].is_nan())).collect(),
    }
}

/// See [`ShardStats`]; `shards` names the count in errors.
pub fn stats(ds: &Dataset, p: &Params, shards: usize, means: Option<(&[f64], &[f64])>) -> Result<ShardStats> {
    let cols = chosen(ds, p, shards)?;
    let keep = kept_rows(&cols, ds.num_rows(), p.missing);
    let m = cols.len();
    let mut st = ShardStats {
        columns: cols.iter().map(|(n, _)| n.to_string()).collect(),
        present: vec![0.0; m],
        sums: vec![0.0; m],
        squares: vec![0.0; m],
        max_abs: vec![0.0; m],
        kept: keep.len(),
        rows: ds.num_rows(),
    };
    for (j, (_, v)) in cols.iter().enumerate() {
        for &i in &keep {
            let x = v[i];
            if !x.is_nan() {
                st.present[j] += 1.0;
                st.sums[j] += x;
                st.max_abs[j] = st.max_abs[j].max(x.abs());
            }
        }
        if let Some((means, fills)) = means {
            let (mean, fill) = (value_at(means, j)?, value_at(fills, j)?);
            st.squares[j] = keep
                .iter()
                .map(|&i| {
                    let x = if v[i].is_nan() { fill } else { v[i] };
                    (x - mean) * (x - mean)
                })
                .sum();
        }
    }
    Ok(st)
}

fn value_at(v: &[f64], j: usize) -> Result<f64> {
    v.get(j).copied().ok_or_else(|| CrmError::invalid_option("plan", "one value per segmented column expected"))
}

/// One shard's rows for k-means: scaled and weighted as `segment` does, and the per-row state
/// of the run in progress.
#[derive(Debug, Clone)]
pub struct ShardKMeans {
    /// Rows used (row-major `n × d`): ((value or fill) − center) / scale × √weight.
    pub x: Vec<f64>,
    /// The values before scaling (missing ones imputed), `n × d`: the centroids' units.
    raw: Vec<f64>,
    pub n: usize,
    pub d: usize,
    /// Dataset row of each used row.
    rows: Vec<usize>,
    total: usize,
    labels: Vec<u32>,
    best: Vec<u32>,
    closest: Vec<f64>,
    cumulative: Vec<f64>,
}

impl ShardKMeans {
    /// `plan`: per column (in [`ShardStats::columns`] order) its fill, center, scale and
    /// √weight, as four consecutive blocks of `d` values.
    pub fn new(ds: &Dataset, p: &Params, shards: usize, plan: &[f64]) -> Result<ShardKMeans> {
        let cols = chosen(ds, p, shards)?;
        let d = cols.len();
        if plan.len() != 4 * d {
            return Err(CrmError::invalid_option("plan", format!("expected {} values, got {}", 4 * d, plan.len())));
        }
        let keep = kept_rows(&cols, ds.num_rows(), p.missing);
        let n = keep.len();
        let mut x = crate::budget::zeroed(n.saturating_mul(d), "columns", "the shard's rows × features matrix")?;
        let mut raw = crate::budget::zeroed(n.saturating_mul(d), "columns", "the shard's rows × features matrix")?;
        for (j, (_, v)) in cols.iter().enumerate() {
            let (fill, center, scale, root) = (plan[j], plan[d + j], plan[2 * d + j], plan[3 * d + j]);
            for (r, &i) in keep.iter().enumerate() {
                let value = if v[i].is_nan() { fill } else { v[i] };
                raw[r * d + j] = value;
                x[r * d + j] = (value - center) / scale * root;
            }
        }
        Ok(ShardKMeans {
            x,
            raw,
            n,
            d,
            rows: keep,
            total: ds.num_rows(),
            labels: vec![0; n],
            best: Vec::new(),
            closest: Vec::new(),
            cumulative: Vec::new(),
        })
    }

    fn row(&self, i: usize) -> Result<&[f64]> {
        self.x
            .get(i * self.d..(i + 1) * self.d)
            .ok_or_else(|| CrmError::state(format!("no used row {i} in this shard")))
    }

    fn centers<'c>(&self, c: &'c [f64]) -> Result<(&'c [f64], usize)> {
        let d = self.d.max(1);
        if c.is_empty() || c.len() % d != 0 {
            return Err(CrmError::state("centres: k × d values expected"));
        }
        Ok((c, c.len() / d))
    }

    /// Per column: the sum of the used rows (`mean_variance`'s first pass); with `means`, the
    /// summed squared deviations (its second).
    pub fn column_sums(&self, means: Option<&[f64]>) -> Vec<f64> {
        let mut out = vec![0.0; self.d];
        for row in self.x.chunks_exact(self.d.max(1)) {
            for (j, (o, v)) in out.iter_mut().zip(row).enumerate() {
                *o += match means {
                    None => *v,
                    Some(m) => (v - m.get(j).copied().unwrap_or(0.0)) * (v - m.get(j).copied().unwrap_or(0.0)),
                };
            }
        }
        out
    }

    /// The used row `i` (scaled).
    pub fn fetch(&self, i: usize) -> Result<Vec<f64>> {
        Ok(self.row(i)?.to_vec())
    }

    /// k-means++ starts over: `closest` is every row's squared distance to `first`. Returns the total.
    pub fn start(&mut self, first: &[f64]) -> f64 {
        self.closest = vec![f64::INFINITY; self.n];
        self.add_center(first)
    }

    fn running_total(&mut self) -> f64 {
        self.cumulative.resize(self.n, 0.0);
        let mut acc = 0.0;
        for (c, v) in self.cumulative.iter_mut().zip(&self.closest) {
            acc += v;
            *c = acc;
        }
        acc
    }

    /// For each draw `r` (in `0..total` of this shard), the row where the running total of
    /// `closest` first exceeds it, as its scaled values (one after another).
    pub fn pick(&self, draws: &[f64]) -> Result<Vec<f64>> {
        let mut out = Vec::with_capacity(draws.len() * self.d);
        for &r in draws {
            let i = self.cumulative.partition_point(|&v| v <= r).min(self.n.saturating_sub(1));
            out.extend_from_slice(self.row(i)?);
        }
        Ok(out)
    }

    /// Each candidate's potential over this shard: Σ min(distance to it, `closest`).
    pub fn potentials(&self, cands: &[f64]) -> Result<Vec<f64>> {
        let (cands, t) = self.centers(cands)?;
        let mut pots = vec![0.0; t];
        let mut dist = Vec::with_capacity(t);
        for (row, &near) in self.x.chunks_exact(self.d.max(1)).zip(&self.closest) {
            distances(cands, self.d, row, &mut dist);
            for (p, &v) in pots.iter_mut().zip(&dist) {
                *p += if v < near { v } else { near };
            }
        }
        Ok(pots)
    }

    /// Adds a centre to k-means++: `closest` lowered where it is nearer. Returns the new total.
    pub fn add_center(&mut self, c: &[f64]) -> f64 {
        let mut dist = Vec::with_capacity(self.n);
        distances(&self.x, self.d, c, &mut dist);
        for (near, &v) in self.closest.iter_mut().zip(&dist) {
            if v < *near {
                *near = v;
            }
        }
        self.running_total()
    }

    /// Per-centroid sums (`k × d`) then counts (`k`) of the current labels.
    pub fn sums(&self, k: usize) -> Vec<f64> {
        sums_of(&self.x, self.d, &self.labels, k)
    }

    /// Lloyd's first labels (the nearest centre, the lowest on a tie): [`ShardKMeans::assign`]
    /// from no label (`[changed, inertia, sums, counts]`).
    pub fn label_nearest(&mut self, centers: &[f64]) -> Result<Vec<f64>> {
        self.assign(centers, true)
    }

    /// One Lloyd assignment, as `kmeans::assign` (a row moves only to a strictly nearer
    /// centre; `fresh`: every row to its nearest): `[changed, inertia of the new labels, sums,
    /// counts]`.
    pub fn assign(&mut self, centers: &[f64], fresh: bool) -> Result<Vec<f64>> {
        let (c, k) = self.centers(centers)?;
        let d = self.d;
        let (mut changed, mut inertia) = (0usize, 0.0);
        let mut dist = Vec::with_capacity(k);
        for i in 0..self.n {
            distances(c, d, &self.x[i * d..(i + 1) * d], &mut dist);
            let a = (self.labels[i] as usize).min(k - 1);
            let own = if fresh { f64::INFINITY } else { dist[a] };
            let (b, d1) = nearest(&dist);
            if d1 < own {
                changed += (b as usize != a) as usize;
                self.labels[i] = b;
                inertia += d1;
            } else {
                self.labels[i] = a as u32;
                inertia += own;
            }
        }
        let mut out = vec![changed as f64, inertia];
        out.extend(self.sums(k));
        Ok(out)
    }

    /// The row farthest from its own centre among the clusters with a global `counts` of at
    /// least 2: `[distance, row, its label, values…]` (`[-1]`: none).
    pub fn farthest(&self, centers: &[f64], counts: &[f64]) -> Result<Vec<f64>> {
        let (c, k) = self.centers(centers)?;
        let d = self.d;
        let mut far: Option<(f64, usize)> = None;
        for (i, &l) in self.labels.iter().enumerate() {
            let l = (l as usize).min(k - 1);
            if counts.get(l).copied().unwrap_or(0.0) < 2.0 {
                continue;
            }
            let v = sq_dist(&self.x[i * d..(i + 1) * d], &c[l * d..(l + 1) * d]);
            if far.is_none_or(|(best, _)| v > best) {
                far = Some((v, i));
            }
        }
        Ok(match far {
            None => vec![-1.0],
            Some((v, i)) => {
                let mut out = vec![v, i as f64, self.labels[i] as f64];
                out.extend_from_slice(self.row(i)?);
                out
            }
        })
    }

    /// Moves used row `i` into cluster `j` (an empty cluster re-seeded there).
    pub fn take(&mut self, i: usize, j: u32) -> Result<()> {
        let l = self.labels.get_mut(i).ok_or_else(|| CrmError::state(format!("no used row {i} in this shard")))?;
        *l = j;
        Ok(())
    }

    /// Keeps the current labels as the best run's.
    pub fn keep_best(&mut self) {
        self.best.clone_from(&self.labels);
    }

    /// The best run's labels over every dataset row of the shard (-1 for a row not used).
    pub fn labels(&self) -> Vec<i32> {
        let mut out = vec![-1; self.total];
        for (&r, &l) in self.rows.iter().zip(&self.best) {
            out[r] = l as i32;
        }
        out
    }

    /// Per cluster of the best run, the sums of the unscaled values (`k × d`) and the counts (`k`).
    pub fn raw_sums(&self, k: usize) -> Vec<f64> {
        sums_of(&self.raw, self.d, &self.best, k)
    }
}

/// Per-label sums of the rows of `x` (`k × d`) then the counts (`k`).
fn sums_of(x: &[f64], d: usize, labels: &[u32], k: usize) -> Vec<f64> {
    let mut out = vec![0.0; k * d + k];
    for (row, &l) in x.chunks_exact(d.max(1)).zip(labels) {
        let l = (l as usize).min(k.max(1) - 1);
        out[k * d + l] += 1.0;
        for (s, v) in out[l * d..(l + 1) * d].iter_mut().zip(row) {
            *s += v;
        }
    }
    out
}
