//! The second pass, planned from the merged first pass: histograms with fixed edges,
//! outlier counts against fixed fences, and the sums behind Pearson, Spearman and Cramér's V.
//! Given the plan, every part is independent and merging is addition.

use crate::stats::dot;
use std::ops::Range;

use rustc_hash::FxHashMap;

use super::column::{ColumnState, Kind};
use super::hash::MixMap;
use super::kll::WeightedValues;
use super::options::ProfileOptions;
use crate::table::{Column, ColumnData, Dataset};

const BLOCK: usize = 8192;

/// What the second pass needs to know about one column.
#[derive(Debug, Clone, Default)]
pub struct ColumnPlan {
    /// min, max, bins.
    pub hist: Option<(f64, f64, usize)>,
    /// IQR fences (low, high).
    pub fences: Option<(f64, f64)>,
    /// median, MAD (MAD > 0).
    pub mad: Option<(f64, f64)>,
    /// The histogram and outliers come from the first pass's exact value counts
    /// ([`SecondState::add_counts`]), not from a pass over the rows.
    pub from_counts: bool,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub columns: Vec<ColumnPlan>,
    /// Numeric columns in the Pearson / Spearman matrices, with their mean and rank table.
    pub numeric: Vec<(usize, f64, WeightedValues)>,
    /// For numeric columns with exact counts: value bits → mid-rank (a hash lookup per row
    /// instead of a binary search).
    pub ranks: Vec<Option<MixMap<u64, f64>>>,
    /// Categorical columns in Cramér's V, with their level index.
    pub categorical: Vec<(usize, FxHashMap<String, u32>)>,
}

/// Weighted median of |x − m|.
fn mad(w: &WeightedValues, m: f64) -> f64 {
    let mut dev: Vec<(f64, f64)> = Vec::with_capacity(w.values.len());
    let mut prev = 0.0;
    for (v, c) in w.values.iter().zip(&w.cum) {
        dev.push(((v - m).abs(), c - prev));
        prev = *c;
    }
    super::kll::sort_pairs(&mut dev);
    WeightedValues::from_sorted(dev).quantile(0.5).unwrap_or(0.0)
}

impl Plan {
    pub fn new(ds: &Dataset, states: &[ColumnState], opts: &ProfileOptions) -> Plan {
        let mut plan = Plan::default();
        for (j, st) in states.iter().enumerate() {
            let mut cp = ColumnPlan::default();
            if matches!(st.kind, Kind::Numeric | Kind::Date) && st.moments.n > 0 {
                cp.hist = Some((st.moments.min, st.moments.max, opts.bins));
                cp.from_counts = st.nums.is_exact();
                if st.kind == Kind::Numeric {
                    let (w, _) = st.weighted();
                    if let (Some(q1), Some(q3), Some(med)) = (w.quantile(0.25), w.quantile(0.75), w.quantile(0.5)) {
                        let iqr = q3 - q1;
                        if iqr > 0.0 {
                            cp.fences = Some((q1 - 1.5 * iqr, q3 + 1.5 * iqr));
                        }
                        let d = mad(&w, med);
                        if d > 0.0 {
                            cp.mad = Some((med, d));
                        }
                    }
                    if opts.correlations && plan.numeric.len() < opts.max_correlation_columns && st.moments.n > 1 {
                        let ranks = st.nums.is_exact().then(|| {
                            let mut below = 0.0;
                            w.values
                                .iter()
                                .zip(&w.cum)
                                .map(|(v, &c)| {
                                    let r = (below + 1.0 + c) / 2.0;
                                    below = c;
                                    ((v + 0.0).to_bits(), r)
                                })
                                .collect()
                        });
                        plan.ranks.push(ranks);
                        plan.numeric.push((j, st.moments.mean, w));
                    }
                }
            }
            let levels = if st.is_text() { st.strs.exact().map(|m| m.len()) } else { None };
            let is_cat = match st.kind {
                Kind::Bool => Some(2),
                Kind::Text => levels,
                _ => None,
            };
            if let Some(n) = is_cat {
                if opts.correlations
                    && (2..=opts.max_levels).contains(&n)
                    && plan.categorical.len() < opts.max_correlation_columns
                    && st.distinct() >= 2
                {
                    let mut index = FxHashMap::default();
                    if st.kind == Kind::Text {
                        let mut keys: Vec<&String> = st.strs.exact().into_iter().flat_map(|m| m.keys()).collect();
                        crate::sort::ord(&mut keys);
                        for (i, k) in keys.into_iter().enumerate() {
                            index.insert(k.clone(), i as u32);
                        }
                    }
                    plan.categorical.push((j, index));
                }
            }
            plan.columns.push(cp);
        }
        let _ = ds;
        plan
    }
}

/// Sums for a correlation coefficient over pairwise-complete rows (values centred first).
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct PairSums {
    pub n: f64,
    pub sx: f64,
    pub sy: f64,
    pub sxx: f64,
    pub syy: f64,
    pub sxy: f64,
}

impl PairSums {
    fn add(&mut self, o: &PairSums) {
        self.n += o.n;
        self.sx += o.sx;
        self.sy += o.sy;
        self.sxx += o.sxx;
        self.syy += o.syy;
        self.sxy += o.sxy;
    }
    pub fn r(&self) -> Option<f64> {
        if self.n < 2.0 {
            return None;
        }
        let cxy = self.sxy - self.sx * self.sy / self.n;
        let cxx = self.sxx - self.sx * self.sx / self.n;
        let cyy = self.syy - self.sy * self.sy / self.n;
        let d = (cxx * cyy).sqrt();
        (d > 0.0 && d.is_finite()).then(|| (cxy / d).clamp(-1.0, 1.0))
    }
}

#[derive(Debug, Clone, Default)]
pub struct SecondState {
    pub hist: Vec<Vec<u64>>,
    pub outliers_iqr: Vec<u64>,
    pub outliers_mad: Vec<u64>,
    /// Upper triangle, row-major over `plan.numeric`.
    pub pearson: Vec<PairSums>,
    pub spearman: Vec<PairSums>,
    /// Contingency tables over pairs of `plan.categorical`.
    pub tables: Vec<Vec<u64>>,
}

/// numpy.histogram's bin of `x` for `bins` equal bins over [lo, hi].
pub fn bin_of(x: f64, lo: f64, hi: f64, bins: usize, edges: &[f64]) -> usize {
    if hi <= lo {
        return 0;
    }
    let norm = bins as f64 / (hi - lo);
    let mut i = (((x - lo) * norm) as usize).min(bins);
    if i == bins {
        i -= 1;
    }
    if x < edges[i] && i > 0 {
        i -= 1;
    } else if i + 1 < bins && x >= edges[i + 1] {
        i += 1;
    }
    i
}

/// The histogram bin and outlier tests of one column, as planned.
struct Tally {
    e: Vec<f64>,
    lo: f64,
    hi: f64,
    bins: usize,
    fences: (f64, f64),
    mad: (f64, f64),
}

impl Tally {
    fn new(cp: &ColumnPlan) -> Option<Tally> {
        let (lo, hi, bins) = cp.hist?;
        let e = edges(lo, hi, bins);
        let (lo, hi) = (e[0], e[bins]);
        let fences = cp.fences.unwrap_or((f64::NEG_INFINITY, f64::INFINITY));
        let mad = cp.mad.unwrap_or((0.0, f64::INFINITY));
        Some(Tally { e, lo, hi, bins, fences, mad })
    }

    /// Counts `c` copies of the (non-missing, finite) value `x`.
    #[inline]
    fn add(&self, x: f64, c: u64, hist: &mut [u64], out_iqr: &mut u64, out_mad: &mut u64) {
        hist[bin_of(x, self.lo, self.hi, self.bins, &self.e)] += c;
        if x < self.fences.0 || x > self.fences.1 {
            *out_iqr += c;
        }
        if 0.6745 * (x - self.mad.0).abs() / self.mad.1 > 3.5 {
            *out_mad += c;
        }
    }
}

/// numpy.linspace(lo, hi, bins + 1).
pub fn edges(lo: f64, hi: f64, bins: usize) -> Vec<f64> {
    let (lo, hi) = if hi > lo { (lo, hi) } else { (lo - 0.5, lo + 0.5) };
    let step = (hi - lo) / bins as f64;
    let mut e: Vec<f64> = (0..=bins).map(|i| lo + i as f64 * step).collect();
    e[bins] = hi;
    e
}

/// The values of rows `range` of a numeric, date or boolean column as `f64`, NaN where missing
/// or not finite.
fn values(col: &Column, range: Range<usize>, out: &mut Vec<f64>) {
    out.clear();
    let r = range.clone();
    match &col.data {
        ColumnData::Int64(v) => out.extend(v[r].iter().map(|&x| x as f64)),
        ColumnData::Float64(v) => out.extend(v[r].iter().map(|&x| if x.is_finite() { x } else { f64::NAN })),
        ColumnData::Date(v) => out.extend(v[r].iter().map(|&x| x as f64)),
        ColumnData::Datetime(v) => out.extend(v[r].iter().map(|&x| x as f64)),
        ColumnData::Bool(v) => out.extend(v[r].iter().map(|&x| x as u8 as f64)),
        _ => out.extend(r.map(|_| f64::NAN)),
    }
    if col.validity.null_count() > 0 {
        for (o, i) in out.iter_mut().zip(range) {
            if !col.validity.is_valid(i) {
                *o = f64::NAN;
            }
        }
    }
}

/// One column of a block for the correlation sums: values with 0 where missing, their
/// squares, a 0 / 1 mask, and the plain sums for when the partner column is complete.
struct Centred {
    x: Vec<f64>,
    xx: Vec<f64>,
    mask: Vec<f64>,
    complete: bool,
    sum: f64,
    sum_sq: f64,
}

impl Centred {
    fn new(it: impl Iterator<Item = f64>) -> Centred {
        let x: Vec<f64> = it.collect();
        let complete = !x.iter().any(|v| v.is_nan());
        let (x, mask): (Vec<f64>, Vec<f64>) = if complete {
            (x, Vec::new())
        } else {
            x.iter().map(|&v| if v.is_nan() { (0.0, 0.0) } else { (v, 1.0) }).unzip()
        };
        let xx: Vec<f64> = x.iter().map(|v| v * v).collect();
        let (sum, sum_sq) = (sum(&x), sum(&xx));
        Centred { x, xx, mask, complete, sum, sum_sq }
    }

    /// Sums over the rows where both are present.
    fn pair(a: &Centred, b: &Centred) -> PairSums {
        let sxy = dot(&a.x, &b.x);
        match (a.complete, b.complete) {
            (true, true) => PairSums { n: a.x.len() as f64, sx: a.sum, sy: b.sum, sxx: a.sum_sq, syy: b.sum_sq, sxy },
            (true, false) => PairSums {
                n: sum(&b.mask),
                sx: dot(&a.x, &b.mask),
                sy: b.sum,
                sxx: dot(&a.xx, &b.mask),
                syy: b.sum_sq,
                sxy,
            },
            (false, true) => PairSums {
                n: sum(&a.mask),
                sx: a.sum,
                sy: dot(&b.x, &a.mask),
                sxx: a.sum_sq,
                syy: dot(&b.xx, &a.mask),
                sxy,
            },
            (false, false) => PairSums {
                n: dot(&a.mask, &b.mask),
                sx: dot(&a.x, &b.mask),
                sy: dot(&b.x, &a.mask),
                sxx: dot(&a.xx, &b.mask),
                syy: dot(&b.xx, &a.mask),
                sxy,
            },
        }
    }
}

fn sum(a: &[f64]) -> f64 {
    let mut acc = [0.0f64; 4];
    let mut ch = a.chunks_exact(4);
    for c in &mut ch {
        for k in 0..4 {
            acc[k] += c[k];
        }
    }
    ch.remainder().iter().sum::<f64>() + (acc[0] + acc[1]) + (acc[2] + acc[3])
}

fn level(col: &Column, i: usize, index: &FxHashMap<String, u32>) -> Option<u32> {
    if !col.validity.is_valid(i) {
        return None;
    }
    match &col.data {
        ColumnData::Bool(v) => Some(v[i] as u32),
        ColumnData::Category { codes, dict } => index.get(&dict[codes[i] as usize]).copied(),
        ColumnData::Text(s) => index.get(s.get(i)).copied(),
        _ => None,
    }
}

fn levels_of(ds: &Dataset, j: usize, index: &FxHashMap<String, u32>) -> usize {
    match ds.columns()[j].data {
        ColumnData::Bool(_) => 2,
        _ => index.len(),
    }
}

impl SecondState {
    pub fn new(ds: &Dataset, plan: &Plan) -> Self {
        let p = plan.numeric.len();
        let c = &plan.categorical;
        let mut tables = Vec::new();
        for a in 0..c.len() {
            for b in a + 1..c.len() {
                tables.push(vec![0; levels_of(ds, c[a].0, &c[a].1) * levels_of(ds, c[b].0, &c[b].1)]);
            }
        }
        SecondState {
            hist: plan.columns.iter().map(|cp| vec![0; cp.hist.map_or(0, |h| h.2)]).collect(),
            outliers_iqr: vec![0; plan.columns.len()],
            outliers_mad: vec![0; plan.columns.len()],
            pearson: vec![PairSums::default(); p * p.saturating_sub(1) / 2],
            spearman: vec![PairSums::default(); p * p.saturating_sub(1) / 2],
            tables,
        }
    }

    pub fn update(&mut self, ds: &Dataset, range: Range<usize>, plan: &Plan) {
        let mut xs = Vec::with_capacity(BLOCK);
        for (j, (col, cp)) in ds.columns().iter().zip(&plan.columns).enumerate() {
            let Some(t) = Tally::new(cp).filter(|_| !cp.from_counts) else { continue };
            let (mut out_iqr, mut out_mad) = (0u64, 0u64);
            let mut start = range.start;
            while start < range.end {
                let end = (start + BLOCK).min(range.end);
                values(col, start..end, &mut xs);
                for &x in xs.iter().filter(|x| !x.is_nan()) {
                    t.add(x, 1, &mut self.hist[j], &mut out_iqr, &mut out_mad);
                }
                start = end;
            }
            self.outliers_iqr[j] += out_iqr;
            self.outliers_mad[j] += out_mad;
        }
        let mut start = range.start;
        while start < range.end {
            let end = (start + BLOCK).min(range.end);
            self.block(ds, start..end, plan);
            start = end;
        }
    }

    fn block(&mut self, ds: &Dataset, range: Range<usize>, plan: &Plan) {
        let cols = ds.columns();
        let mut raw = Vec::with_capacity(range.len());
        let mut xs = Vec::with_capacity(plan.numeric.len());
        let mut rs = Vec::with_capacity(plan.numeric.len());
        for ((j, mean, w), ranks) in plan.numeric.iter().zip(&plan.ranks) {
            values(&cols[*j], range.clone(), &mut raw);
            xs.push(Centred::new(raw.iter().map(|x| x - mean)));
            let mid = (w.total() + 1.0) / 2.0;
            rs.push(Centred::new(raw.iter().map(|&x| {
                if x.is_nan() {
                    return x;
                }
                let r = match ranks {
                    Some(m) => m.get(&(x + 0.0).to_bits()).copied().unwrap_or_else(|| w.midrank(x)),
                    None => w.midrank(x),
                };
                r - mid
            })));
        }
        let mut k = 0;
        for a in 0..xs.len() {
            for b in a + 1..xs.len() {
                self.pearson[k].add(&Centred::pair(&xs[a], &xs[b]));
                self.spearman[k].add(&Centred::pair(&rs[a], &rs[b]));
                k += 1;
            }
        }
        let lv: Vec<Vec<u32>> = plan
            .categorical
            .iter()
            .map(|(j, index)| {
                let col = &cols[*j];
                if let ColumnData::Category { codes, dict } = &col.data {
                    // Dictionary codes to levels once, not a string lookup per row.
                    let map: Vec<u32> = dict.iter().map(|s| index.get(s).copied().unwrap_or(u32::MAX)).collect();
                    return range
                        .clone()
                        .map(|i| if col.validity.is_valid(i) { map[codes[i] as usize] } else { u32::MAX })
                        .collect();
                }
                range.clone().map(|i| level(col, i, index).unwrap_or(u32::MAX)).collect()
            })
            .collect();
        let mut k = 0;
        for a in 0..lv.len() {
            for b in a + 1..lv.len() {
                let nb = levels_of(ds, plan.categorical[b].0, &plan.categorical[b].1);
                let t = &mut self.tables[k];
                for (&x, &y) in lv[a].iter().zip(&lv[b]) {
                    if x != u32::MAX && y != u32::MAX {
                        t[x as usize * nb + y as usize] += 1;
                    }
                }
                k += 1;
            }
        }
    }

    /// Histograms and outlier counts of the columns planned [`from_counts`](ColumnPlan::from_counts),
    /// from the (merged) first pass: once per distinct value instead of once per row. Call
    /// once, after merging the parts.
    pub fn add_counts(&mut self, states: &[ColumnState], plan: &Plan) {
        for (j, (st, cp)) in states.iter().zip(&plan.columns).enumerate() {
            let (Some(t), Some(map)) = (Tally::new(cp).filter(|_| cp.from_counts), st.nums.exact()) else { continue };
            let (mut out_iqr, mut out_mad) = (0u64, 0u64);
            for (&k, &c) in map {
                t.add(f64::from_bits(k), c, &mut self.hist[j], &mut out_iqr, &mut out_mad);
            }
            self.outliers_iqr[j] += out_iqr;
            self.outliers_mad[j] += out_mad;
        }
    }

    pub fn merge(&mut self, o: &SecondState) {
        for (a, b) in self.hist.iter_mut().zip(&o.hist) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
        self.outliers_iqr.iter_mut().zip(&o.outliers_iqr).for_each(|(x, y)| *x += y);
        self.outliers_mad.iter_mut().zip(&o.outliers_mad).for_each(|(x, y)| *x += y);
        self.pearson.iter_mut().zip(&o.pearson).for_each(|(x, y)| x.add(y));
        self.spearman.iter_mut().zip(&o.spearman).for_each(|(x, y)| x.add(y));
        for (a, b) in self.tables.iter_mut().zip(&o.tables) {
            a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        }
    }
}

/// Cramér's V of an `r × c` contingency table (rows / columns with no count dropped).
pub fn cramers_v(t: &[u64], c: usize) -> Option<f64> {
    if c == 0 {
        return None;
    }
    let r = t.len() / c;
    let row: Vec<f64> = (0..r).map(|i| t[i * c..(i + 1) * c].iter().sum::<u64>() as f64).collect();
    let col: Vec<f64> = (0..c).map(|j| (0..r).map(|i| t[i * c + j]).sum::<u64>() as f64).collect();
    let n: f64 = row.iter().sum();
    let (rr, cc) = (row.iter().filter(|&&v| v > 0.0).count(), col.iter().filter(|&&v| v > 0.0).count());
    if n <= 0.0 || rr < 2 || cc < 2 {
        return None;
    }
    let mut chi2 = 0.0;
    for i in 0..r {
        for j in 0..c {
            let e = row[i] * col[j] / n;
            if e > 0.0 {
                let d = t[i * c + j] as f64 - e;
                chi2 += d * d / e;
            }
        }
    }
    Some((chi2 / n / (rr.min(cc) - 1) as f64).sqrt().min(1.0))
}
