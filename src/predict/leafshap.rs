//! Exact TreeSHAP for scoring many rows (`predict` with `explain`): the same values as
//! [`super::shap::add`], computed leaf by leaf (in the spirit of Fast TreeSHAP v2, Yang 2021).
//! Algorithm 2 of Lundberg et al. reaches each leaf with a path polynomial built from, per
//! distinct feature on the leaf's path, `zero` (the product of the cover fractions of its
//! splits) and `one` (1 if the row meets all of its splits, else 0). `zero` is fixed per tree,
//! so a leaf's contributions depend on the row only through the bit pattern of `one`: each
//! leaf has a table over its 2^d patterns (d = distinct features on its path), filled the
//! first time a row meets a pattern, holding the contributions already times the ensemble's
//! scale.
//!
//! A row's pass through a tree is one sweep over the nodes in preorder: a node's pattern is
//! its parent's, with the bit of the parent's feature cleared when the row goes the other
//! way (bits are numbered by each feature's first split on the path, so a node's bit is the
//! same for every leaf below it). Then each leaf adds its table entry: one lookup and d
//! additions, where it used to walk the leaf's whole path, node by node, per row.
//!
//! Memory is bounded: a leaf with more than [`CACHED_DEPTH`] distinct features, or one met
//! after [`TABLE_CELLS`] cells are taken, gets no table; its contributions are computed per
//! row (O(d²), the same values).
//!
//! The values are the same bits as before this table layout: each leaf's numbers come from the
//! same polynomial in the same order, and each row's sums are added tree by tree, leaf by
//! leaf. They differ from the recursion only in the order of the sums (≈ 1e-15 relative;
//! tests/predict_explain_fast.rs). [`Explainer::add_block`] runs a block of rows through
//! one tree at a time, so that tree's tables stay in the processor's cache.

use super::shap::{extend, unwound_sum, Elem};
use super::tree::Tree;

/// Most distinct features on a leaf's path for it to get a table of its 2^d patterns.
pub const CACHED_DEPTH: usize = 12;
/// Most index slots over all leaves (4 bytes each: 32 MB).
pub const INDEX_CELLS: usize = 1 << 23;
/// Most stored contributions over all leaves (8 bytes each: 64 MB).
pub const CACHE_CELLS: usize = 1 << 23;

/// A leaf's table is not decided yet (first visit) / will not be made (computed per row).
const UNSET: usize = usize::MAX;
const NONE: usize = usize::MAX - 1;

/// A leaf as each row's pass needs it.
#[derive(Clone, Copy)]
struct Hot {
    /// Preorder position of the leaf.
    pos: usize,
    /// Distinct features of its path.
    d: usize,
    /// Start of its features (in the order of their first split) in [`TreePaths::feats`].
    feats: usize,
    /// Start of its index (pattern -> start in the arena), or [`UNSET`] / [`NONE`].
    table: usize,
}

/// What a leaf needs to compute a pattern's contributions.
struct Cold {
    value: f64,
    /// Distinct features of the path in the order of their last split (as the recursion).
    last: Vec<u32>,
    zero: Vec<f64>,
    /// Position in `last` of the k-th feature by first split.
    to_last: Vec<u8>,
}

struct TreePaths {
    /// Per preorder position: the tree's node, its parent's position, whether it is its
    /// parent's left child, and the mask that clears its parent's feature's bit.
    node: Vec<u32>,
    parent: Vec<u32>,
    is_left: Vec<bool>,
    clear: Vec<u64>,
    hot: Vec<Hot>,
    cold: Vec<Cold>,
    feats: Vec<u32>,
    /// This tree's pattern indexes and stored contributions (per tree, so that a block's
    /// pass through the tree reads one compact region).
    index: Vec<u32>,
    arena: Vec<f64>,
}

/// Leaf paths of every tree of an ensemble, with their tables; one per `predict` call.
pub struct Explainer<'a> {
    trees: &'a [Tree],
    paths: Vec<TreePaths>,
    /// The scale the tables hold (they are refilled if another one comes).
    scale: f64,
    /// Index slots and stored contributions over all trees.
    cells: (usize, usize),
    pat: Vec<u64>,
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
            scale: f64::NAN,
            cells: (0, 0),
            pat: Vec::new(),
            left: Vec::new(),
            m: Vec::new(),
            one: Vec::new(),
            out: Vec::new(),
        }
    }

    /// Index slots and stored contributions so far (at most [`INDEX_CELLS`], [`CACHE_CELLS`]).
    pub fn table_cells(&self) -> (usize, usize) {
        self.cells
    }

    /// Leaves computed per row (no table): too many distinct features, or past the budget.
    pub fn leaves_without_table(&self) -> usize {
        self.paths.iter().flat_map(|t| &t.hot).filter(|h| h.table == NONE).count()
    }

    /// Adds the contributions of row `x` (a full encoded row) to `phi` times `scale`.
    pub fn add(&mut self, x: &[f64], phi: &mut [f64], scale: f64) {
        self.add_block(x, x.len(), phi, scale);
    }

    /// [`Explainer::add`] for a block of rows: `xs` holds rows of `width` values one after
    /// the other, `phis` their contributions in the same layout. Tree by tree, each tree over
    /// all rows of the block, so the tree's tables stay in the processor's cache. Each row's
    /// sums are added in the same order as by [`Explainer::add`] (tree by tree, leaf by
    /// leaf), so the results are the same bits.
    pub fn add_block(&mut self, xs: &[f64], width: usize, phis: &mut [f64], scale: f64) {
        if width == 0 {
            return;
        }
        if scale.to_bits() != self.scale.to_bits() {
            self.scale = scale;
            for tp in &mut self.paths {
                tp.index.fill(u32::MAX);
                tp.arena.clear();
            }
            self.cells.1 = 0;
        }
        for (t, tp) in self.trees.iter().zip(self.paths.iter_mut()) {
            for (x, phi) in xs.chunks_exact(width).zip(phis.chunks_exact_mut(width)) {
                // The pattern of every node, parents first.
                self.pat.clear();
                self.left.clear();
                for (i, &j) in tp.node.iter().enumerate() {
                    let p = if i == 0 {
                        u64::MAX
                    } else {
                        let q = tp.parent.get(i).map_or(0, |&q| q as usize);
                        let above = self.pat.get(q).copied().unwrap_or(u64::MAX);
                        let follows = self.left.get(q).copied() == tp.is_left.get(i).copied();
                        if follows {
                            above
                        } else {
                            above & tp.clear.get(i).copied().unwrap_or(u64::MAX)
                        }
                    };
                    self.pat.push(p);
                    self.left.push(t.nodes.get(j as usize).is_some_and(|n| !n.is_leaf() && n.goes_left(x)));
                }
                for (h, c) in tp.hot.iter_mut().zip(&tp.cold) {
                    let d = h.d;
                    if d == 0 {
                        continue;
                    }
                    let all = self.pat.get(h.pos).copied().unwrap_or(u64::MAX);
                    let bits = if d >= 64 { all } else { all & ((1u64 << d) - 1) };
                    let feats = tp.feats.get(h.feats..h.feats + d).unwrap_or_default();
                    if h.table == UNSET {
                        h.table = if d <= CACHED_DEPTH && self.cells.0 + (1 << d) <= INDEX_CELLS {
                            self.cells.0 += 1 << d;
                            tp.index.resize(tp.index.len() + (1 << d), u32::MAX);
                            tp.index.len() - (1 << d)
                        } else {
                            NONE
                        };
                    }
                    let slot = if h.table == NONE { None } else { tp.index.get_mut(h.table + bits as usize) };
                    let mut at = slot.as_deref().map_or(u32::MAX, |&a| a) as usize;
                    if at == u32::MAX as usize {
                        contributions(c, bits, &mut self.m, &mut self.one, &mut self.out);
                        let Some(slot) = slot.filter(|_| self.cells.1 + d <= CACHE_CELLS) else {
                            for (&f, &k) in feats.iter().zip(&c.to_last) {
                                if let (Some(p), Some(v)) = (phi.get_mut(f as usize), self.out.get(k as usize)) {
                                    *p += v * scale;
                                }
                            }
                            continue;
                        };
                        at = tp.arena.len();
                        *slot = at as u32;
                        self.cells.1 += d;
                        tp.arena.extend(c.to_last.iter().map(|&l| self.out.get(l as usize).map_or(0.0, |v| v * scale)));
                    }
                    for (&f, v) in feats.iter().zip(tp.arena.get(at..at + d).unwrap_or_default()) {
                        if let Some(p) = phi.get_mut(f as usize) {
                            *p += v;
                        }
                    }
                }
            }
        }
    }
}

/// The leaf's contribution per distinct feature (in the order of `last`, before the scale)
/// for the pattern `bits` (bit k: the k-th feature by first split is met).
fn contributions(c: &Cold, bits: u64, m: &mut Vec<Elem>, one: &mut Vec<f64>, out: &mut Vec<f64>) {
    let d = c.last.len();
    one.clear();
    one.resize(d, 0.0);
    for (k, &l) in c.to_last.iter().enumerate() {
        if k < 64 && bits >> k & 1 == 1 {
            if let Some(o) = one.get_mut(l as usize) {
                *o = 1.0;
            }
        }
    }
    m.clear();
    extend(m, 1.0, 1.0, -1);
    for ((&z, &o), &f) in c.zero.iter().zip(one.iter()).zip(&c.last) {
        extend(m, z, o, f as i64);
    }
    out.clear();
    for (k, (&z, &o)) in c.zero.iter().zip(one.iter()).enumerate() {
        let w = unwound_sum(m, k + 1);
        out.push(w * (o - z) * c.value);
    }
}

/// One split on a path: (node, went left, cover fraction of the child taken).
type Step = (u32, bool, f64);

/// A node to visit: (node, parent's position, is left, path so far, features by first split).
type Visit = (usize, u32, bool, Vec<Step>, Vec<u32>);

/// The tree in preorder (left child first, so leaves come in the order of the recursion),
/// with every leaf's path. Iterative; a damaged tree cannot loop or blow up: children come
/// after parents ([`Tree::valid`]), each node is entered once, and paths stop at
/// [`super::tree::MAX_DEPTH`] + 1 splits.
fn paths_of(t: &Tree) -> TreePaths {
    let mut tp = TreePaths {
        node: Vec::new(),
        parent: Vec::new(),
        is_left: Vec::new(),
        clear: Vec::new(),
        hot: Vec::new(),
        cold: Vec::new(),
        feats: Vec::new(),
        index: Vec::new(),
        arena: Vec::new(),
    };
    let mut seen = vec![false; t.nodes.len()];
    let mut stack: Vec<Visit> = vec![(0, 0, false, Vec::new(), Vec::new())];
    while let Some((j, parent, is_left, path, first)) = stack.pop() {
        let (Some(node), Some(s)) = (t.nodes.get(j), seen.get_mut(j)) else { continue };
        if *s || path.len() > super::tree::MAX_DEPTH {
            continue;
        }
        *s = true;
        let pos = tp.node.len() as u32;
        let slot = path.last().and_then(|&(q, _, _)| {
            let f = t.nodes.get(q as usize)?.feature;
            first.iter().position(|&g| g == f)
        });
        tp.node.push(j as u32);
        tp.parent.push(parent);
        tp.is_left.push(is_left);
        tp.clear.push(slot.filter(|&k| k < 64).map_or(u64::MAX, |k| !(1u64 << k)));
        if node.is_leaf() {
            let cold = cold_of(node.value, &path, t);
            let to_last = first.iter().map(|f| cold.last.iter().position(|g| g == f).unwrap_or(0) as u8).collect();
            tp.hot.push(Hot { pos: pos as usize, d: first.len(), feats: tp.feats.len(), table: UNSET });
            tp.feats.extend_from_slice(&first);
            tp.cold.push(Cold { to_last, ..cold });
            continue;
        }
        let frac = |k: u32| match t.nodes.get(k as usize) {
            Some(c) if node.cover > 0.0 => c.cover / node.cover,
            _ => 0.0,
        };
        let mut below = first;
        if !below.contains(&node.feature) {
            below.push(node.feature);
        }
        for (child, went_left) in [(node.right, false), (node.left, true)] {
            let mut p = path.clone();
            p.push((j as u32, went_left, frac(child)));
            stack.push((child as usize, pos, went_left, p, below.clone()));
        }
    }
    tp
}

/// A leaf's distinct features in the order of their last split, and their `zero`.
fn cold_of(value: f64, path: &[Step], t: &Tree) -> Cold {
    let feature = |j: u32| t.nodes.get(j as usize).map_or(u32::MAX, |n| n.feature);
    let mut last: Vec<u32> = Vec::new();
    for &(j, _, _) in path {
        let f = feature(j);
        last.retain(|&g| g != f);
        last.push(f);
    }
    let zero: Vec<f64> =
        last.iter().map(|&f| path.iter().filter(|s| feature(s.0) == f).fold(1.0, |z, s| z * s.2)).collect();
    Cold { value, last, zero, to_last: Vec::new() }
}
