//! Exact TreeSHAP for scoring many rows (`predict` with `explain`): the same values as
//! [`super::shap::add`], computed leaf by leaf. Algorithm 2 of Lundberg et al. reaches each
//! leaf with a path polynomial built from, per distinct feature on the leaf's path, `zero` (the
//! product of the cover fractions of its splits) and `one` (1 if the row meets all of its
//! splits, else 0). `zero` is fixed per tree, so a leaf's contributions depend on the row only
//! through the bit pattern of `one`: they are computed once per (leaf, pattern) met and kept
//! (leaves with at most [`CACHED_DEPTH`] distinct features, within [`INDEX_CELLS`] index slots
//! and [`CACHE_CELLS`] numbers in all; past that, computed per row). A row then costs one pass over the nodes plus one pass over each leaf's path, instead
//! of O(leaves × depth²) arithmetic and an allocation per node. Rounding differs from the
//! recursion only in the order of the sums (≈ 1e-15 relative; tests/predict_explain_fast.rs).
//! [`Explainer::add_block`] runs a block of rows through one tree at a time, so that tree's
//! leaves and cached patterns stay in the processor's cache (row by row, every leaf of every
//! tree was a trip to memory); each row's sums keep their order, so the bits are the same.

use super::shap::{extend, unwound_sum, Elem};
use super::tree::Tree;

/// Most distinct features on a leaf's path for its patterns to be cached (an index of 2^d).
pub const CACHED_DEPTH: usize = 12;
/// Most index slots over all leaves (4 bytes each: 32 MB).
pub const INDEX_CELLS: usize = 1 << 23;
/// Most cached contributions over all leaves (8 bytes each: 64 MB).
pub const CACHE_CELLS: usize = 1 << 23;

struct Leaf {
    value: f64,
    /// Path from the root: (node, went left, slot of its feature in `features`).
    steps: Vec<(u32, bool, u8)>,
    /// Distinct features of the path, in the order of their last split (as the recursion).
    features: Vec<u32>,
    zero: Vec<f64>,
    /// Start in the arena of each pattern's contributions (`u32::MAX`: not yet computed);
    /// empty until first used, or when the leaf is not cached.
    index: Vec<u32>,
}

struct TreePaths {
    leaves: Vec<Leaf>,
    nodes: usize,
}

/// Leaf paths of every tree of an ensemble, with their caches; one per `predict` call.
pub struct Explainer<'a> {
    trees: &'a [Tree],
    paths: Vec<TreePaths>,
    index_budget: usize,
    arena: Vec<f64>,
    left: Vec<bool>,
    m: Vec<Elem>,
    one: Vec<f64>,
    out: Vec<f64>,
}

impl<'a> Explainer<'a> {
    pub fn new(trees: &'a [Tree]) -> Self {
        let paths = trees.iter().map(paths_of).collect();
        Explainer {
            trees,
            paths,
            index_budget: INDEX_CELLS,
            arena: Vec::new(),
            left: Vec::new(),
            m: Vec::new(),
            one: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Adds the contributions of row `x` (a full encoded row) to `phi` times `scale`.
    pub fn add(&mut self, x: &[f64], phi: &mut [f64], scale: f64) {
        self.add_block(x, x.len(), phi, scale);
    }

    /// [`Explainer::add`] for a block of rows: `xs` holds rows of `width` values one after
    /// the other, `phis` their contributions in the same layout. Tree by tree, each tree over
    /// all rows of the block: the tree's leaves and cached patterns stay in the processor's
    /// cache while the block runs through it, where row by row every leaf of every tree was
    /// a trip to main memory. Each row's sums are added in the same order as by
    /// [`Explainer::add`] (tree by tree, leaf by leaf), so the results are the same bits.
    pub fn add_block(&mut self, xs: &[f64], width: usize, phis: &mut [f64], scale: f64) {
        if width == 0 {
            return;
        }
        for (t, tp) in self.trees.iter().zip(self.paths.iter_mut()) {
            for (x, phi) in xs.chunks_exact(width).zip(phis.chunks_exact_mut(width)) {
                self.left.clear();
                self.left.extend(t.nodes.iter().take(tp.nodes).map(|n| !n.is_leaf() && n.goes_left(x)));
                for leaf in &mut tp.leaves {
                    let d = leaf.features.len();
                    if d == 0 {
                        continue;
                    }
                    let mut bits = if d >= 64 { u64::MAX } else { (1u64 << d) - 1 };
                    for &(node, went_left, slot) in &leaf.steps {
                        if slot < 64 && self.left.get(node as usize).copied() != Some(went_left) {
                            bits &= !(1u64 << slot);
                        }
                    }
                    if leaf.index.is_empty() && d <= CACHED_DEPTH && (1 << d) <= self.index_budget {
                        self.index_budget -= 1 << d;
                        leaf.index = vec![u32::MAX; 1 << d];
                    }
                    let b = bits as usize;
                    let mut at = leaf.index.get(b).copied().unwrap_or(u32::MAX) as usize;
                    if at == u32::MAX as usize {
                        contributions(leaf, bits, &mut self.m, &mut self.one, &mut self.out);
                        if leaf.index.is_empty() || self.arena.len() + d > CACHE_CELLS {
                            for (k, &f) in leaf.features.iter().enumerate() {
                                if let Some(p) = phi.get_mut(f as usize) {
                                    *p += self.out[k] * scale;
                                }
                            }
                            continue;
                        }
                        at = self.arena.len();
                        self.arena.extend_from_slice(&self.out[..d]);
                        if let Some(s) = leaf.index.get_mut(b) {
                            *s = at as u32;
                        }
                    }
                    for (k, &f) in leaf.features.iter().enumerate() {
                        if let (Some(p), Some(v)) = (phi.get_mut(f as usize), self.arena.get(at + k)) {
                            *p += v * scale;
                        }
                    }
                }
            }
        }
    }
}

/// The leaf's contribution per distinct feature (before `scale`) for the pattern `bits`.
fn contributions(leaf: &Leaf, bits: u64, m: &mut Vec<Elem>, one: &mut Vec<f64>, out: &mut Vec<f64>) {
    let d = leaf.features.len();
    one.clear();
    one.extend((0..d).map(|k| if k < 64 && bits >> k & 1 == 1 { 1.0 } else { 0.0 }));
    m.clear();
    extend(m, 1.0, 1.0, -1);
    for ((&z, &o), &f) in leaf.zero.iter().zip(one.iter()).zip(&leaf.features) {
        extend(m, z, o, f as i64);
    }
    out.clear();
    for (k, (&z, &o)) in leaf.zero.iter().zip(one.iter()).enumerate() {
        let w = unwound_sum(m, k + 1);
        out.push(w * (o - z) * leaf.value);
    }
}

/// One split on a path: (node, went left, cover fraction of the child taken).
type Step = (u32, bool, f64);

/// Every leaf's path, from a depth-first walk (iterative; a damaged tree cannot loop: each
/// node is entered at most once per path and paths stop at [`super::tree::MAX_DEPTH`] + 1).
fn paths_of(t: &Tree) -> TreePaths {
    let mut leaves = Vec::new();
    // (node, path so far: (node, went left), zero per step)
    let mut stack: Vec<(usize, Vec<Step>)> = vec![(0, Vec::new())];
    while let Some((j, path)) = stack.pop() {
        let Some(node) = t.nodes.get(j) else { continue };
        if node.is_leaf() || path.len() > super::tree::MAX_DEPTH {
            if node.is_leaf() {
                leaves.push(leaf_of(node.value, &path, t));
            }
            continue;
        }
        let frac = |k: u32| match t.nodes.get(k as usize) {
            Some(c) if node.cover > 0.0 => c.cover / node.cover,
            _ => 0.0,
        };
        for (child, went_left) in [(node.right, false), (node.left, true)] {
            let mut p = path.clone();
            p.push((j as u32, went_left, frac(child)));
            stack.push((child as usize, p));
        }
    }
    TreePaths { leaves, nodes: t.nodes.len() }
}

fn leaf_of(value: f64, path: &[Step], t: &Tree) -> Leaf {
    let feature = |j: u32| t.nodes.get(j as usize).map_or(u32::MAX, |n| n.feature);
    // Distinct features in the order of their last split, zero = product of the fractions.
    let mut features: Vec<u32> = Vec::new();
    for &(j, _, _) in path {
        let f = feature(j);
        features.retain(|&g| g != f);
        features.push(f);
    }
    let zero: Vec<f64> =
        features.iter().map(|&f| path.iter().filter(|s| feature(s.0) == f).fold(1.0, |z, s| z * s.2)).collect();
    let steps = path
        .iter()
        .map(|&(j, l, _)| (j, l, features.iter().position(|&g| g == feature(j)).unwrap_or(0) as u8))
        .collect();
    Leaf { value, steps, features, zero, index: Vec::new() }
}
