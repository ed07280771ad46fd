//! The per-row top factors of `predict` with `explain`: every row's contributions per feature
//! (coefficient × centred value for linear models, exact TreeSHAP through
//! [`super::leafshap`] for trees), the `k` largest by size, and their columns. The values are
//! those of [`Fitted::explain_row`] (the per-row reference, kept for tests); this path only
//! avoids its per-row allocations and sorts, and reports progress / checks for abort about
//! every 25 ms (phase `explain`).

use super::ensemble::Ensemble;
use super::features::Feature;
use super::fitted::Fitted;
use super::leafshap::Explainer;
use super::linear::Linear;
use super::matrix::Mat;
use crate::error::Result;
use crate::table::{Column, ColumnData, Dataset, StrVec, Validity};
use crate::task::Ctl;

/// Rows between two progress / abort checks.
const BLOCK: usize = 2048;

/// Rows per block of the tree path ([`Explainer::add_block`]: each tree runs through the
/// block's rows while its cached patterns are hot).
const TREE_BLOCK: usize = 256;

/// The tree path's current block: rows `start..start + len` of the matrix, row-major, and
/// their contributions per encoded column.
struct Block<'a> {
    ensemble: &'a Ensemble,
    explainer: Box<Explainer<'a>>,
    rows: Vec<f64>,
    phi: Vec<f64>,
    start: usize,
    len: usize,
}

enum Rows<'a> {
    Linear(&'a Linear),
    Trees(Block<'a>),
}

impl Rows<'_> {
    /// Contributions of row `i` of `x`, per feature, into `out` (zeroed here).
    fn row(&mut self, x: &Mat, i: usize, owner: &[usize], out: &mut [f64]) {
        out.fill(0.0);
        match self {
            Rows::Linear(l) => {
                let s = &l.scaler;
                let nm = s.mean.len();
                for k in 0..l.coef.len() {
                    let (src, z) = if k < nm {
                        let v = if k < x.cols { x.get(i, k) } else { f64::NAN };
                        (k, if v.is_finite() { (v - s.mean[k]) / s.scale[k] } else { 0.0 })
                    } else {
                        let j = s.indicators.get(k - nm).copied().unwrap_or(usize::MAX);
                        (j, if j < x.cols && !x.get(i, j).is_finite() { 1.0 } else { 0.0 })
                    };
                    if let (Some(&f), Some(c), Some(m)) = (owner.get(src), l.coef.get(k), l.centre.get(k)) {
                        if let Some(o) = out.get_mut(f) {
                            *o += c * (z - m);
                        }
                    }
                }
            }
            Rows::Trees(b) => {
                let w = x.cols;
                if i < b.start || i >= b.start + b.len {
                    b.start = i;
                    b.len = TREE_BLOCK.min(x.rows.saturating_sub(i));
                    b.rows.clear();
                    b.rows.extend((i..i + b.len).flat_map(|r| (0..w).map(move |j| (r, j))).map(|(r, j)| x.get(r, j)));
                    b.phi.clear();
                    b.phi.resize(b.len * w, 0.0);
                    b.explainer.add_block(&b.rows, w, &mut b.phi, b.ensemble.scale);
                }
                let at = (i - b.start) * w;
                for (j, &v) in b.phi.get(at..at + w).unwrap_or_default().iter().enumerate() {
                    if let Some(o) = owner.get(j).and_then(|&f| out.get_mut(f)) {
                        *o += v;
                    }
                }
            }
        }
    }
}

/// `baseValue`, then `factor{r}`, `factor{r}Value`, `factor{r}Contribution` for r = 1..=k.
pub async fn factor_columns(
    fitted: &Fitted,
    used: &[Feature],
    owner: &[usize],
    ds: &Dataset,
    x: &Mat,
    k: usize,
    ctl: &mut Ctl<'_>,
) -> Result<Vec<Column>> {
    let n = x.rows;
    let nf = used.len();
    let (base, mut rows) = match fitted {
        Fitted::Linear(l) => (l.base(), Rows::Linear(l)),
        Fitted::Trees(e) => {
            let block = Block {
                ensemble: e,
                explainer: Box::new(Explainer::new(&e.trees)),
                rows: Vec::new(),
                phi: Vec::new(),
                start: 0,
                len: 0,
            };
            (e.expected(), Rows::Trees(block))
        }
    };
    let source: Vec<Option<&Column>> = used.iter().map(|f| ds.column(&f.name).ok()).collect();
    let mut names: Vec<StrVec> = (0..k).map(|_| StrVec::default()).collect();
    let mut values: Vec<StrVec> = (0..k).map(|_| StrVec::default()).collect();
    let mut contrib: Vec<Vec<f64>> = vec![Vec::with_capacity(n); k];
    let mut c = vec![0.0; nf];
    let mut top: Vec<usize> = Vec::with_capacity(k + 1);
    for i in 0..n {
        if i % BLOCK == 0 {
            ctl.tick("explain", i as u64, n as u64).await?;
        }
        rows.row(x, i, owner, &mut c);
        // The k largest by size, ties to the earlier feature (as a stable sort would).
        top.clear();
        for f in 0..nf {
            let before = |g: &usize| c[*g].abs().total_cmp(&c[f].abs()).is_ge();
            let at = top.iter().take_while(|g| before(g)).count();
            if at < k {
                top.insert(at, f);
                top.truncate(k);
            }
        }
        for (r, &f) in top.iter().enumerate() {
            names[r].push(&used[f].name);
            values[r].push(&source[f].and_then(|col| col.get(i).to_text()).unwrap_or_default());
            contrib[r].push(c[f]);
        }
    }
    ctl.tick("explain", n as u64, n as u64).await?;
    let float = |name: String, v: Vec<f64>| {
        let len = v.len();
        Column::new(name, ColumnData::Float64(v), Validity::all_valid(len))
    };
    let mut cols = vec![float("baseValue".into(), vec![base; n])];
    for (r, ((nm, vl), ct)) in names.into_iter().zip(values).zip(contrib).enumerate() {
        cols.push(Column::new(format!("factor{}", r + 1), ColumnData::Text(nm), Validity::all_valid(n)));
        cols.push(Column::new(format!("factor{}Value", r + 1), ColumnData::Text(vl), Validity::all_valid(n)));
        cols.push(float(format!("factor{}Contribution", r + 1), ct));
    }
    Ok(cols)
}
