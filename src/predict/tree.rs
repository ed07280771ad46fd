//! Histogram trees: features binned once (≤ 255 bins + a missing bin, coded as the number
//! of bins so that a histogram is indexed by the code directly), splits found on
//! per-bin sums of gradient and hessian, grown best-first. One builder serves gradient
//! boosting (g, h of the loss), random forests and single trees (g = −y·w, h = w: the
//! split gain is then the weighted variance reduction, i.e. the Gini gain for 0/1 targets).
//! Missing values are routed to the side that gains more, as in LightGBM / HistGradientBoosting.

use serde::{Deserialize, Serialize};

use super::matrix::{checked_cells, exclusive_runs, Mat};
use crate::error::Result;
use crate::rng::Rng;

/// Deepest tree accepted from JSON (training grows at most 16 levels).
pub const MAX_DEPTH: usize = 64;
const MAX_BINS: usize = 255;

/// Features as bin codes (column-major) with each bin's upper threshold.
pub struct Binned {
    pub rows: usize,
    pub codes: Vec<u8>,
    /// Per feature: `x <= thresholds[b]` for bin b (the last bin is +∞).
    pub thresholds: Vec<Vec<f64>>,
    /// Runs of mutually exclusive 0/1 columns (a category's one-hot levels), histogrammed in
    /// one pass each.
    bundles: Vec<Bundle>,
    /// Per feature: the bundle it belongs to (`usize::MAX` when none).
    bundle_of: Vec<usize>,
}

/// A run of exclusive 0/1 features ([`exclusive_runs`]). A node's histograms of all of them
/// come from one pass over the codes: the 1-bin of feature k holds the rows with code k,
/// its 0-bin the node's total minus those.
struct Bundle {
    first: usize,
    width: usize,
    codes: Vec<u8>,
}

impl Binned {
    pub fn new(x: &Mat) -> Result<Binned> {
        let n = checked_cells(x.rows, x.cols, "features")?;
        let mut codes = Vec::with_capacity(n);
        let mut thresholds = Vec::with_capacity(x.cols);
        for j in 0..x.cols {
            let col = x.col(j);
            let (mut zero, mut one) = (false, false);
            let binary = col.iter().all(|&v| {
                zero |= v == 0.0;
                one |= v == 1.0;
                v == 0.0 || v == 1.0 || !v.is_finite()
            });
            let mut t: Vec<f64> = if binary {
                // 0/1 columns (one-hot levels, booleans): no sort needed.
                if zero && one {
                    vec![0.5]
                } else {
                    Vec::new()
                }
            } else {
                let mut all: Vec<f64> = col.iter().copied().filter(|v| v.is_finite()).collect();
                crate::sort::f64s(&mut all);
                let mut v = all.clone();
                v.dedup();
                if v.len() <= MAX_BINS {
                    v.windows(2).map(|w| w[0] + (w[1] - w[0]) / 2.0).collect()
                } else {
                    // Quantiles of the distinct values weighted by rows.
                    let mut t = Vec::with_capacity(MAX_BINS);
                    for k in 1..MAX_BINS {
                        let q = all[k * all.len() / MAX_BINS];
                        if t.last().is_none_or(|&l| q > l) && q < all[all.len() - 1] {
                            t.push(q);
                        }
                    }
                    t
                }
            };
            t.push(f64::INFINITY);
            let missing = t.len() as u8; // t.len() ≤ 255: bins are 0..t.len()
            for &x in col {
                codes.push(if x.is_finite() { t.partition_point(|&th| th < x) as u8 } else { missing });
            }
            thresholds.push(t);
        }
        let (bundles, bundle_of) = bundles(x);
        Ok(Binned { rows: x.rows, codes, thresholds, bundles, bundle_of })
    }

    fn col(&self, j: usize) -> &[u8] {
        &self.codes[j * self.rows..(j + 1) * self.rows]
    }
}

fn bundles(x: &Mat) -> (Vec<Bundle>, Vec<usize>) {
    let mut out = Vec::new();
    let mut of = vec![usize::MAX; x.cols];
    for (first, width, codes) in exclusive_runs(x, x.cols) {
        for f in of.iter_mut().skip(first).take(width) {
            *f = out.len();
        }
        out.push(Bundle { first, width, codes });
    }
    (out, of)
}

/// A node; a leaf when `left == 0` (children always come after their parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Node {
    pub feature: u32,
    pub threshold: f64,
    pub missing_left: bool,
    pub left: u32,
    pub right: u32,
    pub value: f64,
    /// Training weight that reached the node.
    pub cover: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Tree {
    pub nodes: Vec<Node>,
}

impl Node {
    pub fn is_leaf(&self) -> bool {
        self.left == 0
    }
    /// Whether `x` (a full encoded row) goes left.
    pub fn goes_left(&self, x: &[f64]) -> bool {
        let v = x.get(self.feature as usize).copied().unwrap_or(f64::NAN);
        if v.is_nan() {
            self.missing_left
        } else {
            v <= self.threshold
        }
    }
}

impl Tree {
    pub fn predict_row(&self, x: &[f64]) -> f64 {
        let mut i = 0;
        loop {
            let Some(n) = self.nodes.get(i) else { return 0.0 };
            if n.is_leaf() {
                return n.value;
            }
            i = if n.goes_left(x) { n.left } else { n.right } as usize;
        }
    }

    /// Checks the structure of a tree read from JSON: children after parents and in range,
    /// features below `cols`, at most [`MAX_DEPTH`] levels (explanations recurse per level).
    pub fn valid(&self, cols: usize) -> bool {
        let n = self.nodes.len();
        let mut depth = vec![0usize; n];
        for (i, nd) in self.nodes.iter().enumerate() {
            if !nd.is_leaf() {
                for c in [nd.left as usize, nd.right as usize] {
                    if c > i && c < n {
                        depth[c] = depth[c].max(depth[i] + 1);
                    }
                }
            }
        }
        n > 0
            && depth.iter().all(|&d| d <= MAX_DEPTH)
            && self.nodes.iter().enumerate().all(|(i, nd)| {
                nd.value.is_finite()
                    && nd.cover.is_finite()
                    && nd.cover >= 0.0
                    && (nd.is_leaf()
                        || ((nd.left as usize) > i
                            && (nd.right as usize) > i
                            && (nd.left as usize) < n
                            && (nd.right as usize) < n
                            && (nd.feature as usize) < cols))
            })
    }
}

#[derive(Debug, Clone, Copy)]
pub struct TreeParams {
    pub max_leaves: usize,
    pub max_depth: usize,
    /// Least training weight (rows) in a leaf.
    pub min_leaf: f64,
    pub lambda: f64,
    /// Features tried per split (all when ≥ the number of features).
    pub features_per_split: usize,
}

struct Split {
    gain: f64,
    feature: usize,
    bin: u8,
    missing_left: bool,
    /// Sums of (g, h, c) going left, and in the whole node (from the histogram).
    left: [f64; 3],
    total: [f64; 3],
}

struct Open {
    node: usize,
    rows: Vec<u32>,
    depth: usize,
    split: Option<Split>,
    /// The node's histograms, kept when its children may be derived by subtraction.
    hist: Option<Vec<[f64; 3]>>,
}

/// Histogram cells kept at most over all open leaves (× 24 bytes) for subtraction.
const MAX_KEPT_CELLS: usize = 1 << 22;

/// Where each feature's bins start in a node histogram (bins, then one missing bin).
fn offsets(b: &Binned) -> Vec<usize> {
    let mut o = Vec::with_capacity(b.thresholds.len() + 1);
    let mut at = 0;
    for t in &b.thresholds {
        o.push(at);
        at += t.len() + 1;
    }
    o.push(at);
    o
}

/// Grows one tree on rows `rows` with per-row gradients `g`, hessians `h` and weights `c`
/// (the row counts for `min_leaf` and cover). Leaf values are `−G / (H + λ) · scale`.
/// `leaf_of[i]` is set to the leaf of each row `i` in `rows`.
#[allow(clippy::too_many_arguments)]
pub fn grow(
    b: &Binned,
    g: &[f64],
    h: &[f64],
    c: &[f64],
    rows: Vec<u32>,
    p: &TreeParams,
    scale: f64,
    rng: &mut Rng,
    leaf_of: &mut [u32],
) -> Tree {
    let d = b.thresholds.len();
    let off = offsets(b);
    let all = p.features_per_split >= d;
    // Subtraction needs every feature's histogram at every node.
    let keep = all && off[d].saturating_mul(p.max_leaves.min(1 << 16)) <= MAX_KEPT_CELLS;
    let mut nodes = vec![leaf(g, h, c, &rows, p.lambda, scale)];
    let feats = |rng: &mut Rng| if all { (0..d).collect() } else { rng.sample_indices(d, p.features_per_split) };
    let f0 = feats(rng);
    let hist = build(b, &off, g, h, c, &rows, &f0);
    let split = best_split(b, &off, &hist, &f0, p);
    let mut open = vec![Open { split, node: 0, rows, depth: 0, hist: keep.then_some(hist) }];
    let mut leaves = 1;
    while leaves < p.max_leaves {
        // The open leaf with the largest gain.
        let Some(k) = (0..open.len())
            .filter(|&k| open[k].split.is_some())
            .max_by(|&a, &bb| gain_of(&open[a]).total_cmp(&gain_of(&open[bb])).then(bb.cmp(&a)))
        else {
            break;
        };
        let o = open.swap_remove(k);
        let Some(s) = o.split else { break };
        let col = b.col(s.feature);
        let missing = b.thresholds[s.feature].len() as u8;
        let (l, r): (Vec<u32>, Vec<u32>) = o.rows.iter().partition(|&&i| {
            let code = col[i as usize];
            if code == missing {
                s.missing_left
            } else {
                code <= s.bin
            }
        });
        let li = nodes.len();
        let right = [s.total[0] - s.left[0], s.total[1] - s.left[1], s.total[2] - s.left[2]];
        nodes.push(leaf_of_sums(s.left, p.lambda, scale));
        nodes.push(leaf_of_sums(right, p.lambda, scale));
        let thr = b.thresholds[s.feature][s.bin as usize];
        let parent = &mut nodes[o.node];
        parent.feature = s.feature as u32;
        parent.threshold = thr;
        parent.missing_left = s.missing_left;
        parent.left = li as u32;
        parent.right = li as u32 + 1;
        leaves += 1;
        let grow_on = o.depth + 1 < p.max_depth && leaves < p.max_leaves;
        let mut hists: [Option<Vec<[f64; 3]>>; 2] = [None, None];
        let mut fs: [Vec<usize>; 2] = [Vec::new(), Vec::new()];
        if grow_on {
            if let Some(ph) = o.hist {
                // Build the smaller child, derive the larger: parent − smaller.
                let small = if l.len() <= r.len() { 0 } else { 1 };
                let hs = build(b, &off, g, h, c, if small == 0 { &l } else { &r }, &f0);
                let hl: Vec<[f64; 3]> =
                    ph.iter().zip(&hs).map(|(a, s)| [a[0] - s[0], a[1] - s[1], a[2] - s[2]]).collect();
                hists[small] = Some(hs);
                hists[1 - small] = Some(hl);
                fs = [f0.clone(), f0.clone()];
            } else {
                for (k, rows) in [&l, &r].into_iter().enumerate() {
                    fs[k] = feats(rng);
                    hists[k] = Some(build(b, &off, g, h, c, rows, &fs[k]));
                }
            }
        }
        for (k, (node, rows)) in [(li, l), (li + 1, r)].into_iter().enumerate() {
            let (split, hist) = match hists[k].take() {
                Some(hs) => (best_split(b, &off, &hs, &fs[k], p), keep.then_some(hs)),
                None => (None, None),
            };
            open.push(Open { node, rows, depth: o.depth + 1, split, hist });
        }
    }
    for o in &open {
        for &i in &o.rows {
            if let Some(l) = leaf_of.get_mut(i as usize) {
                *l = o.node as u32;
            }
        }
    }
    Tree { nodes }
}

fn gain_of(o: &Open) -> f64 {
    o.split.as_ref().map_or(f64::NEG_INFINITY, |s| s.gain)
}

fn leaf(g: &[f64], h: &[f64], c: &[f64], rows: &[u32], lambda: f64, scale: f64) -> Node {
    let (mut gs, mut hs, mut cs) = (0.0, 0.0, 0.0);
    for &i in rows {
        gs += g[i as usize];
        hs += h[i as usize];
        cs += c[i as usize];
    }
    leaf_of_sums([gs, hs, cs], lambda, scale)
}

/// A leaf from its sums of (g, h, c).
fn leaf_of_sums([gs, hs, cs]: [f64; 3], lambda: f64, scale: f64) -> Node {
    let value = if hs + lambda > 0.0 { -gs / (hs + lambda) * scale } else { 0.0 };
    Node { feature: 0, threshold: 0.0, missing_left: false, left: 0, right: 0, value, cover: cs }
}

/// Per-bin sums of (g, h, c) over `rows` for the features `feats` (others stay zero).
#[allow(clippy::too_many_arguments)]
fn build(b: &Binned, off: &[usize], g: &[f64], h: &[f64], c: &[f64], rows: &[u32], feats: &[usize]) -> Vec<[f64; 3]> {
    let mut hist = vec![[0.0f64; 3]; off[off.len() - 1]];
    // The node's gradients gathered once, in row order, for the per-feature passes.
    let gh: Vec<[f64; 3]> = rows.iter().map(|&i| [g[i as usize], h[i as usize], c[i as usize]]).collect();
    // Bundles with at least two of `feats`: one pass each.
    let mut wanted = vec![0usize; b.bundles.len()];
    let mut asked = vec![false; b.thresholds.len()];
    for &j in feats {
        asked[j] = true;
        if let Some(w) = wanted.get_mut(b.bundle_of[j]) {
            *w += 1;
        }
    }
    let mut scratch = Vec::new();
    for (k, bu) in b.bundles.iter().enumerate() {
        if wanted[k] < 2 {
            continue;
        }
        let s = sums(&bu.codes, rows, &gh, bu.width + 1, &mut scratch);
        let mut total = [0.0f64; 3];
        for e in s {
            total = [total[0] + e[0], total[1] + e[1], total[2] + e[2]];
        }
        for (m, e) in s.iter().enumerate().take(bu.width) {
            let j = bu.first + m;
            if !asked[j] {
                continue;
            }
            let t = &b.thresholds[j];
            let zero = off[j] + t.partition_point(|&th| th < 0.0);
            let one = off[j] + t.partition_point(|&th| th < 1.0);
            let rest = [total[0] - e[0], total[1] - e[1], total[2] - e[2]];
            for (at, v) in [(zero, rest), (one, *e)] {
                let o = &mut hist[at];
                *o = [o[0] + v[0], o[1] + v[1], o[2] + v[2]];
            }
        }
    }
    for &j in feats {
        if wanted.get(b.bundle_of[j]).is_some_and(|&w| w >= 2) {
            continue;
        }
        let (lo, hi) = (off[j], off[j + 1]);
        let s = sums(b.col(j), rows, &gh, hi - lo, &mut scratch);
        hist[lo..hi].copy_from_slice(s);
    }
    hist
}

/// Per-code sums of the gathered `gh` of `rows`, codes below `bins`, in `scratch`.
fn sums<'a>(col: &[u8], rows: &[u32], gh: &[[f64; 3]], bins: usize, scratch: &'a mut Vec<[f64; 3]>) -> &'a [[f64; 3]] {
    // Two interleaved histograms: consecutive rows in the same bin (the common case with
    // few bins) would otherwise wait on each other's additions.
    scratch.clear();
    scratch.resize(2 * bins, [0.0; 3]);
    let (ha, hb) = scratch.split_at_mut(bins);
    let mut pairs = rows.chunks_exact(2).zip(gh.chunks_exact(2));
    for (r, v) in &mut pairs {
        let a = &mut ha[col[r[0] as usize] as usize];
        a[0] += v[0][0];
        a[1] += v[0][1];
        a[2] += v[0][2];
        let o = &mut hb[col[r[1] as usize] as usize];
        o[0] += v[1][0];
        o[1] += v[1][1];
        o[2] += v[1][2];
    }
    if rows.len() % 2 == 1 {
        let (i, v) = (rows[rows.len() - 1], gh[gh.len() - 1]);
        let a = &mut ha[col[i as usize] as usize];
        a[0] += v[0];
        a[1] += v[1];
        a[2] += v[2];
    }
    for (a, o) in ha.iter_mut().zip(hb.iter()) {
        *a = [a[0] + o[0], a[1] + o[1], a[2] + o[2]];
    }
    &scratch[..bins]
}

fn best_split(b: &Binned, off: &[usize], hist: &[[f64; 3]], feats: &[usize], p: &TreeParams) -> Option<Split> {
    let first = feats.first()?;
    let (mut gt, mut ht, mut ct) = (0.0, 0.0, 0.0);
    for e in &hist[off[*first]..off[first + 1]] {
        gt += e[0];
        ht += e[1];
        ct += e[2];
    }
    if ct < 2.0 * p.min_leaf {
        return None;
    }
    let parent = gt * gt / (ht + p.lambda);
    let mut best: Option<Split> = None;
    for &j in feats {
        let hj = &hist[off[j]..off[j + 1]];
        let nb = b.thresholds[j].len();
        let miss = hj[nb];
        let (mut gl, mut hl, mut cl) = (0.0, 0.0, 0.0);
        for (bin, e) in hj.iter().enumerate().take(nb.saturating_sub(1)) {
            gl += e[0];
            hl += e[1];
            cl += e[2];
            for missing_left in [false, true] {
                if missing_left && miss[2] == 0.0 {
                    continue;
                }
                let (gl, hl, cl) = if missing_left { (gl + miss[0], hl + miss[1], cl + miss[2]) } else { (gl, hl, cl) };
                let (gr, hr, cr) = (gt - gl, ht - hl, ct - cl);
                if cl < p.min_leaf || cr < p.min_leaf || hl <= 1e-12 || hr <= 1e-12 {
                    continue;
                }
                let gain = gl * gl / (hl + p.lambda) + gr * gr / (hr + p.lambda) - parent;
                if gain > 1e-12 && best.as_ref().is_none_or(|s| gain > s.gain) {
                    // With no missing values in training, send missing to the bigger side.
                    let ml = if miss[2] == 0.0 { cl >= cr } else { missing_left };
                    best = Some(Split {
                        gain,
                        feature: j,
                        bin: bin as u8,
                        missing_left: ml,
                        left: [gl, hl, cl],
                        total: [gt, ht, ct],
                    });
                }
            }
        }
    }
    best
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stump_finds_the_step_and_routes_missing() {
        // y = 1 when x > 3; missing rows are all positive.
        let x: Vec<f64> = vec![1.0, 2.0, 3.0, 4.0, 5.0, 6.0, f64::NAN, f64::NAN];
        let y = [0.0, 0.0, 0.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let m = Mat { rows: 8, cols: 1, data: x };
        let b = Binned::new(&m).unwrap();
        let g: Vec<f64> = y.iter().map(|v| -v).collect();
        let p = TreeParams { max_leaves: 2, max_depth: 5, min_leaf: 1.0, lambda: 0.0, features_per_split: 1 };
        let t = grow(&b, &g, &[1.0; 8], &[1.0; 8], (0..8).collect(), &p, 1.0, &mut Rng::new(1), &mut [0; 8]);
        assert_eq!(t.nodes.len(), 3);
        assert_eq!(t.nodes[0].threshold, 3.5);
        assert!(!t.nodes[0].missing_left);
        assert_eq!(t.predict_row(&[f64::NAN]), 1.0);
        assert_eq!(t.predict_row(&[2.0]), 0.0);
        assert!(t.valid(1) && !t.valid(0));
    }
}
