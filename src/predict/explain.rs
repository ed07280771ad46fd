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

enum Rows<'a> {
    Linear(&'a Linear),
    Trees(&'a Ensemble, Box<Explainer<'a>>, Vec<f64>, Vec<f64>),
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
            Rows::Trees(e, ex, row, phi) => {
                for (j, r) in row.iter_mut().enumerate() {
                    *r = x.get(i, j);
                }
                phi.fill(0.0);
                ex.add(row, phi, e.scale);
                for (j, &v) in phi.iter().enumerate() {
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
            (e.expected(), Rows::Trees(e, Box::new(Explainer::new(&e.trees)), vec![0.0; x.cols], vec![0.0; x.cols]))
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
