//! Exact TreeSHAP (Lundberg, Erion & Lee 2018, Algorithm 2): per-feature contributions of
//! one row to one tree's output, with cover-weighted (path-dependent) expectations for the
//! features left out, in O(leaves × depth²). With [`expected`] they add up to the tree's
//! output exactly.

use super::tree::Tree;

#[derive(Clone, Copy)]
pub(super) struct Elem {
    pub(super) feature: i64,
    pub(super) zero: f64,
    pub(super) one: f64,
    pub(super) weight: f64,
}

/// The cover-weighted mean output of the tree.
pub fn expected(t: &Tree) -> f64 {
    let root = t.nodes.first().map_or(0.0, |n| n.cover);
    if root <= 0.0 {
        return 0.0;
    }
    t.nodes.iter().filter(|n| n.is_leaf()).map(|n| n.value * n.cover).sum::<f64>() / root
}

/// Adds the contributions of row `x` to `phi` (one slot per encoded column) times `scale`.
pub fn add(t: &Tree, x: &[f64], phi: &mut [f64], scale: f64) {
    if t.nodes.is_empty() {
        return;
    }
    let path: Vec<Elem> = Vec::new();
    recurse(t, x, phi, scale, 0, &path, 1.0, 1.0, -1);
}

#[allow(clippy::too_many_arguments)]
fn recurse(
    t: &Tree,
    x: &[f64],
    phi: &mut [f64],
    scale: f64,
    j: usize,
    parent: &[Elem],
    zero: f64,
    one: f64,
    feature: i64,
) {
    let mut m = parent.to_vec();
    extend(&mut m, zero, one, feature);
    let node = &t.nodes[j];
    if node.is_leaf() {
        for i in 1..m.len() {
            let w = unwound_sum(&m, i);
            let e = m[i];
            if let Some(p) = phi.get_mut(e.feature as usize) {
                *p += w * (e.one - e.zero) * node.value * scale;
            }
        }
        return;
    }
    let (hot, cold) = if node.goes_left(x) {
        (node.left as usize, node.right as usize)
    } else {
        (node.right as usize, node.left as usize)
    };
    let cover = node.cover;
    let frac = |k: usize| if cover > 0.0 { t.nodes[k].cover / cover } else { 0.0 };
    let (mut iz, mut io) = (1.0, 1.0);
    let f = node.feature as i64;
    if let Some(k) = (1..m.len()).find(|&k| m[k].feature == f) {
        iz = m[k].zero;
        io = m[k].one;
        unwind(&mut m, k);
    }
    recurse(t, x, phi, scale, hot, &m, iz * frac(hot), io, f);
    recurse(t, x, phi, scale, cold, &m, iz * frac(cold), 0.0, f);
}

pub(super) fn extend(m: &mut Vec<Elem>, zero: f64, one: f64, feature: i64) {
    let l = m.len();
    m.push(Elem { feature, zero, one, weight: if l == 0 { 1.0 } else { 0.0 } });
    let lf = (l + 1) as f64;
    for i in (0..l).rev() {
        m[i + 1].weight += one * m[i].weight * (i + 1) as f64 / lf;
        m[i].weight = zero * m[i].weight * (l - i) as f64 / lf;
    }
}

fn unwind(m: &mut Vec<Elem>, i: usize) {
    let l = m.len() - 1;
    let (one, zero) = (m[i].one, m[i].zero);
    let mut n = m[l].weight;
    let lf = (l + 1) as f64;
    for j in (0..l).rev() {
        if one != 0.0 {
            let tmp = m[j].weight;
            m[j].weight = n * lf / ((j + 1) as f64 * one);
            n = tmp - m[j].weight * zero * (l - j) as f64 / lf;
        } else {
            m[j].weight = m[j].weight * lf / (zero * (l - j) as f64);
        }
    }
    for j in i..l {
        m[j].feature = m[j + 1].feature;
        m[j].zero = m[j + 1].zero;
        m[j].one = m[j + 1].one;
    }
    m.pop();
}

pub(super) fn unwound_sum(m: &[Elem], i: usize) -> f64 {
    let l = m.len() - 1;
    let (one, zero) = (m[i].one, m[i].zero);
    let lf = (l + 1) as f64;
    let mut total = 0.0;
    if one != 0.0 {
        let mut n = m[l].weight;
        for j in (0..l).rev() {
            let tmp = n * lf / ((j + 1) as f64 * one);
            total += tmp;
            n = m[j].weight - tmp * zero * (l - j) as f64 / lf;
        }
    } else {
        for j in (0..l).rev() {
            total += m[j].weight * lf / (zero * (l - j) as f64);
        }
    }
    total
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predict::matrix::Mat;
    use crate::predict::tree::{grow, Binned, TreeParams};
    use crate::rng::Rng;

    /// E[f | x_S] with the features outside S averaged by cover (what TreeSHAP explains).
    fn value(t: &Tree, x: &[f64], s: u32, j: usize) -> f64 {
        let n = &t.nodes[j];
        if n.is_leaf() {
            return n.value;
        }
        if s >> n.feature & 1 == 1 {
            return value(t, x, s, if n.goes_left(x) { n.left } else { n.right } as usize);
        }
        let (l, r) = (&t.nodes[n.left as usize], &t.nodes[n.right as usize]);
        (l.cover * value(t, x, s, n.left as usize) + r.cover * value(t, x, s, n.right as usize)) / n.cover
    }

    fn brute(t: &Tree, x: &[f64], d: usize) -> Vec<f64> {
        let fact = |k: usize| (1..=k).map(|v| v as f64).product::<f64>();
        let mut phi = vec![0.0; d];
        for (i, p) in phi.iter_mut().enumerate() {
            for s in 0..(1u32 << d) {
                if s >> i & 1 == 1 {
                    continue;
                }
                let k = s.count_ones() as usize;
                let w = fact(k) * fact(d - k - 1) / fact(d);
                *p += w * (value(t, x, s | 1 << i, 0) - value(t, x, s, 0));
            }
        }
        phi
    }

    #[test]
    fn treeshap_equals_brute_force_shapley_values() {
        let (n, d) = (300, 5);
        let mut rng = Rng::new(3);
        let mut data = vec![0.0; n * d];
        for v in data.iter_mut() {
            *v = if rng.next_f64() < 0.1 { f64::NAN } else { (rng.next_f64() * 10.0).floor() };
        }
        let x = Mat { rows: n, cols: d, data };
        // A target with interactions and a repeated feature on paths.
        let y: Vec<f64> = (0..n)
            .map(|i| {
                let (a, b, c) = (x.get(i, 0), x.get(i, 1), x.get(i, 2));
                (a > 4.0) as u8 as f64 * 2.0
                    + (b.is_nan() || b < 3.0) as u8 as f64 * (c > 5.0) as u8 as f64
                    + (a > 7.0) as u8 as f64
            })
            .collect();
        let b = Binned::new(&x).unwrap();
        let g: Vec<f64> = y.iter().map(|v| -v).collect();
        let p = TreeParams { max_leaves: 12, max_depth: 6, min_leaf: 3.0, lambda: 0.0, features_per_split: d };
        let t = grow(
            &b,
            &g,
            &vec![1.0; n],
            &vec![1.0; n],
            (0..n as u32).collect(),
            &p,
            1.0,
            &mut Rng::new(1),
            &mut vec![0; n],
        );
        assert!(t.nodes.len() >= 15, "{}", t.nodes.len());
        for i in 0..40 {
            let row = x.row(i);
            let mut phi = vec![0.0; d];
            add(&t, &row, &mut phi, 1.0);
            let want = brute(&t, &row, d);
            for k in 0..d {
                assert!((phi[k] - want[k]).abs() < 1e-9, "row {i} feature {k}: {} vs {}", phi[k], want[k]);
            }
            let total = expected(&t) + phi.iter().sum::<f64>();
            assert!((total - t.predict_row(&row)).abs() < 1e-9);
        }
    }
}
