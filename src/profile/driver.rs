//! `profile`: the first pass over every part, merged; the plan; the second pass over every
//! part, merged (and the rows hashed, unless a sorted column proved them distinct); then the
//! report. Parts are row ranges here; the same states merge across Web Workers or machines.

use std::ops::Range;

use super::alerts::alerts;
use super::column::{self, ColumnState, Kind};
use super::options::ProfileOptions;
use super::order::KeyOrder;
use super::report::*;
use super::rows::RowState;
use super::second::{cramers_v, edges, Plan, SecondState};
use super::text::TextFacets;
use crate::error::{CrmError, Result};
use crate::table::column::format_float;
use crate::table::date::{format_date, format_datetime};
use crate::table::{ColumnData, Dataset};
use crate::task::{Ctl, Work};

/// Everything the first pass learns about a part of the table.
#[derive(Debug, Clone)]
pub struct FirstPass {
    pub columns: Vec<ColumnState>,
    /// Whether some sorted column proves every row distinct (else rows are hashed later).
    pub order: KeyOrder,
}

impl FirstPass {
    pub fn new(ds: &Dataset, opts: &ProfileOptions) -> Self {
        let columns = ds
            .columns()
            .iter()
            .enumerate()
            .map(|(j, c)| ColumnState::new(Kind::of(c), opts.exact_distinct_limit, opts.seed.wrapping_add(j as u64)))
            .collect();
        FirstPass { columns, order: KeyOrder::default() }
    }

    pub fn update(&mut self, ds: &Dataset, range: Range<usize>) {
        crate::task::run_unhosted(self.update_async(ds, range, &mut Ctl::none()))
    }

    /// [`FirstPass::update`] as long work: progress `columns`, one unit per column.
    pub async fn update_async(&mut self, ds: &Dataset, range: Range<usize>, ctl: &mut Ctl<'_>) -> Result<()> {
        // The order first: a column strictly monotone over the range has no repeated value.
        let mut order = KeyOrder::default();
        order.update(ds, range.clone());
        let n = ds.num_columns() as u64;
        for (j, (st, col)) in self.columns.iter_mut().zip(ds.columns()).enumerate() {
            ctl.tick("columns", j as u64, n).await?;
            st.update_known(col, range.clone(), order.is_monotone(j));
        }
        self.order.merge(&order);
        Ok(())
    }

    pub fn merge(&mut self, o: &FirstPass) {
        for (a, b) in self.columns.iter_mut().zip(&o.columns) {
            a.merge(b);
        }
        self.order.merge(&o.order);
    }
}

/// Profiles the whole table in one part.
pub fn profile(ds: &Dataset, opts: &ProfileOptions) -> Result<ProfileReport> {
    profile_parts(ds, opts, std::slice::from_ref(&(0..ds.num_rows())))
}

/// [`profile`] as long work: progress `columns` (first pass, one unit per column), then
/// `rows` (second pass and duplicate rows, in steps of 131,072 rows). The report is the
/// same as [`profile`]'s: the steps split only row-wise work that adds up exactly.
pub async fn profile_async(ds: &Dataset, opts: &ProfileOptions, ctl: &mut Ctl<'_>) -> Result<ProfileReport> {
    profile_parts_async(ds, opts, std::slice::from_ref(&(0..ds.num_rows())), ctl).await
}

/// Rows per step of the row-wise passes: a multiple of both passes' block sizes, so that a
/// range cut into steps is summed in exactly the blocks it would be whole.
const STEP: usize = 131_072;

pub(super) fn steps(r: &Range<usize>) -> impl Iterator<Item = Range<usize>> + '_ {
    (r.start..r.end).step_by(STEP).map(move |s| s..(s + STEP).min(r.end))
}

/// Profiles the table as the given parts (disjoint row ranges covering every row, in any
/// order), each summarised on its own and then merged.
pub fn profile_parts(ds: &Dataset, opts: &ProfileOptions, parts: &[Range<usize>]) -> Result<ProfileReport> {
    crate::task::run(profile_parts_async(ds, opts, parts, &mut Ctl::none()))
}

/// [`profile_parts`] as long work (see [`profile_async`]).
pub fn profile_parts_async<'a>(
    ds: &'a Dataset,
    opts: &'a ProfileOptions,
    parts: &'a [Range<usize>],
    ctl: &'a mut Ctl<'_>,
) -> Work<'a, ProfileReport> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(profile_parts_async_inner(ds, opts, parts, ctl))
}

async fn profile_parts_async_inner(
    ds: &Dataset,
    opts: &ProfileOptions,
    parts: &[Range<usize>],
    ctl: &mut Ctl<'_>,
) -> Result<ProfileReport> {
    opts.validate()?;
    let mut sorted: Vec<Range<usize>> = parts.to_vec();
    crate::sort::by_key(&mut sorted, |r| r.start);
    let mut next = 0;
    for r in &sorted {
        if r.start != next || r.end < r.start {
            return Err(CrmError::state("profile parts must be disjoint row ranges covering every row"));
        }
        next = r.end;
    }
    if next != ds.num_rows() {
        return Err(CrmError::state("profile parts must be disjoint row ranges covering every row"));
    }
    let mut first: Option<FirstPass> = None;
    ctl.phase("columns", 0, ds.num_columns() as u64).await?;
    for r in parts {
        let mut p = FirstPass::new(ds, opts);
        p.update_async(ds, r.clone(), ctl).await?;
        match &mut first {
            Some(f) => f.merge(&p),
            None => first = Some(p),
        }
    }
    let first = first.unwrap_or_else(|| FirstPass::new(ds, opts));
    let plan = Plan::new(ds, &first.columns, opts);
    let mut second = SecondState::new(ds, &plan);
    let total = ds.num_rows() as u64 * if first.order.proves_distinct() { 1 } else { 2 };
    let mut done = 0u64;
    ctl.phase("rows", 0, total).await?;
    for r in parts {
        let mut s = SecondState::new(ds, &plan);
        for step in steps(r) {
            ctl.tick("rows", done, total).await?;
            done += step.len() as u64;
            s.update(ds, step, &plan);
        }
        second.merge(&s);
    }
    second.add_counts(&first.columns, &plan);
    // Exact duplicate rows: zero when a sorted column proves it, else by hashing every part
    // (`RowState::update` appends a part's hashes, as `merge` would).
    let mut rows = RowState::default();
    if !first.order.proves_distinct() {
        for r in parts {
            for step in steps(r) {
                ctl.tick("rows", done, total).await?;
                done += step.len() as u64;
                rows.update(ds, step);
            }
        }
    }
    Ok(finish(ds, None, &first, rows.duplicates(), &plan, &second, opts))
}

/// What the shards of a table add up to, for the report of `shards::profile_shards` (the
/// figures `finish` otherwise reads from the one dataset).
#[derive(Debug, Clone, Default)]
pub struct ShardTotals {
    pub rows: u64,
    pub memory_bytes: u64,
    /// Per column: the tokens read as missing, with their counts over every shard (empty:
    /// the caller fills `missing_tokens` in the report itself, as js/pool.js does).
    pub missing_tokens: Vec<Vec<(String, usize)>>,
}

fn pct(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        100.0 * a as f64 / b as f64
    }
}

fn format_key(ds_col: &ColumnData, bits: u64) -> String {
    let x = f64::from_bits(bits);
    match ds_col {
        ColumnData::Bool(_) => (x != 0.0).to_string(),
        ColumnData::Date(_) => format_date(x as i32),
        ColumnData::Datetime(_) => format_datetime(x as i64),
        _ => format_float(x),
    }
}

fn top_values(v: Vec<(String, u64)>) -> Vec<ValueCount> {
    v.into_iter().map(|(value, count)| ValueCount { value, count }).collect()
}

fn granularity(kind: &ColumnData, finer: u8) -> &'static str {
    let date_only = matches!(kind, ColumnData::Date(_));
    if finer & column::FINER_THAN_SECOND != 0 && !date_only {
        "millisecond"
    } else if finer & column::FINER_THAN_MINUTE != 0 && !date_only {
        "second"
    } else if finer & column::FINER_THAN_HOUR != 0 && !date_only {
        "minute"
    } else if finer & column::FINER_THAN_DAY != 0 && !date_only {
        "hour"
    } else if finer & column::FINER_THAN_MONTH != 0 {
        "day"
    } else if finer & column::FINER_THAN_YEAR != 0 {
        "month"
    } else {
        "year"
    }
}

fn text_stats(st: &ColumnState, f: &TextFacets, top_k: usize) -> TextStats {
    let mut shapes: Vec<(String, u64)> =
        f.shapes.iter().map(|(k, &c)| (String::from_utf8_lossy(k).into_owned(), c)).collect();
    super::freq::by_count(&mut shapes);
    shapes.truncate(top_k.max(1));
    let mut sentinels: Vec<(String, u64)> = f.sentinels.iter().map(|(k, &c)| (k.clone(), c)).collect();
    super::freq::by_count(&mut sentinels);
    // Case variants: distinct values equal once trimmed and lower-cased.
    let mut groups: rustc_hash::FxHashMap<String, Vec<String>> = Default::default();
    for (k, _) in st.strs.entries() {
        groups.entry(k.trim().to_lowercase()).or_default().push(k.clone());
    }
    let mut case_variants: Vec<Vec<String>> = groups.into_values().filter(|g| g.len() > 1).collect();
    case_variants.iter_mut().for_each(|g| crate::sort::ord(g));
    crate::sort::ord(&mut case_variants);
    case_variants.truncate(20);
    let pii = crate::cells::detect::PiiKind::ALL
        .iter()
        .filter(|k| f.pii[k.index()] > 0)
        .map(|&kind| PiiCount { kind, count: f.pii[kind.index()] })
        .collect();
    let n = f.lengths.n > 0;
    TextStats {
        min_length: if n { f.lengths.min as f64 } else { 0.0 },
        max_length: if n { f.lengths.max as f64 } else { 0.0 },
        mean_length: f.lengths.mean(),
        blank: f.blank,
        padded: f.padded,
        inner_spaces: f.inner_spaces,
        shapes: top_values(shapes),
        spelled_number: f.spelled[0],
        spelled_date: f.spelled[1],
        spelled_bool: f.spelled[2],
        spelled_text: f.spelled[3],
        sentinels: top_values(sentinels),
        pii,
        case_variants,
    }
}

pub(super) fn finish(
    ds: &Dataset,
    totals: Option<&ShardTotals>,
    first: &FirstPass,
    duplicate_rows: u64,
    plan: &Plan,
    second: &SecondState,
    opts: &ProfileOptions,
) -> ProfileReport {
    let mut columns = Vec::with_capacity(ds.num_columns());
    for (j, (col, st)) in ds.columns().iter().zip(&first.columns).enumerate() {
        let count = st.count();
        let distinct = st.distinct();
        let (top, top_exact) = if st.is_text() {
            (top_values(st.strs.top(opts.top_k)), st.strs.is_exact())
        } else {
            let t = st.nums.top(opts.top_k).into_iter().map(|(k, c)| (format_key(&col.data, k), c)).collect();
            (top_values(t), st.nums.is_exact())
        };
        let m = &st.moments;
        let numeric_like = matches!(st.kind, Kind::Numeric | Kind::Date) && m.n > 0;
        let (quantiles, histogram) = if numeric_like {
            let (w, exact) = st.weighted();
            let values = (1..100).map(|p| w.quantile(p as f64 / 100.0).unwrap_or(f64::NAN)).collect();
            let (lo, hi, bins) = plan.columns[j].hist.unwrap_or((m.min, m.max, opts.bins));
            let hist = Histogram { edges: edges(lo, hi, bins), counts: second.hist[j].clone() };
            (Some(Quantiles { exact, values }), Some(hist))
        } else {
            (None, None)
        };
        let numeric = (st.kind == Kind::Numeric && m.n > 0).then(|| {
            let (w, _) = st.weighted();
            let q = |p: f64| w.quantile(p).unwrap_or(f64::NAN);
            NumericStats {
                min: m.min,
                max: m.max,
                mean: m.mean,
                sum: m.sum,
                std: m.std(),
                variance: m.variance(),
                skewness: m.skewness(),
                kurtosis: m.kurtosis(),
                zeros: m.zeros,
                negatives: m.negatives,
                non_finite: st.non_finite,
                iqr: q(0.75) - q(0.25),
                mad: plan.columns[j].mad.map_or(0.0, |x| x.1),
                outliers_iqr: second.outliers_iqr[j],
                outliers_mad: plan.columns[j].mad.map(|_| second.outliers_mad[j]),
            }
        });
        let dates = (st.kind == Kind::Date && m.n > 0).then(|| {
            let (fmt, day): (fn(f64) -> String, f64) = match col.data {
                ColumnData::Date(_) => (|x| format_date(x as i32), 1.0),
                _ => (|x| format_datetime(x as i64), 86_400_000.0),
            };
            DateStats {
                min: fmt(m.min),
                max: fmt(m.max),
                range_days: (m.max - m.min) / day,
                granularity: granularity(&col.data, st.finer).to_string(),
            }
        });
        let text = st.is_text().then(|| text_stats(st, &st.text_facets(), opts.top_k));
        let kind = match st.kind {
            Kind::Numeric => "numeric",
            Kind::Date => "date",
            Kind::Bool => "boolean",
            Kind::Text => "text",
        };
        columns.push(ColumnProfile {
            name: col.name.clone(),
            dtype: col.dtype(),
            role: col.role,
            kind: kind.to_string(),
            count,
            missing: st.missing,
            missing_pct: pct(st.missing, st.rows),
            missing_tokens: match totals {
                Some(t) => t.missing_tokens.get(j).cloned().unwrap_or_default(),
                None => col.missing_tokens.clone(),
            },
            distinct,
            distinct_exact: st.distinct_exact(),
            distinct_pct: pct(distinct.min(count), count),
            top,
            top_exact,
            numeric,
            quantiles,
            histogram,
            text,
            dates,
        });
    }
    let correlations = correlations(ds, plan, second);
    let missing_cells: u64 = first.columns.iter().map(|c| c.missing).sum();
    let (n, memory) = totals.map_or((ds.num_rows() as u64, ds.memory_bytes() as u64), |t| (t.rows, t.memory_bytes));
    let cells = n * ds.num_columns() as u64;
    let mut dataset = DatasetProfile {
        rows: n,
        columns: ds.num_columns() as u64,
        memory_bytes: memory,
        duplicate_rows,
        missing_cells,
        missing_cells_pct: pct(missing_cells, cells),
        alerts: 0,
    };
    let alerts = alerts(&dataset, &columns);
    dataset.alerts = alerts.len() as u64;
    ProfileReport { dataset, columns, correlations, alerts }
}

fn correlations(ds: &Dataset, plan: &Plan, second: &SecondState) -> Correlations {
    let name = |j: usize| ds.columns()[j].name.clone();
    let p = plan.numeric.len();
    let mut out =
        Correlations { numeric_columns: plan.numeric.iter().map(|x| name(x.0)).collect(), ..Default::default() };
    out.pearson = vec![None; p * p];
    out.spearman = vec![None; p * p];
    let mut strongest = Vec::new();
    let mut k = 0;
    for a in 0..p {
        out.pearson[a * p + a] = Some(1.0);
        out.spearman[a * p + a] = Some(1.0);
        for b in a + 1..p {
            for (m, sums, method) in
                [(&mut out.pearson, &second.pearson, "pearson"), (&mut out.spearman, &second.spearman, "spearman")]
            {
                let r = sums[k].r();
                m[a * p + b] = r;
                m[b * p + a] = r;
                if let Some(v) = r {
                    strongest.push(CorrelationPair {
                        a: out.numeric_columns[a].clone(),
                        b: out.numeric_columns[b].clone(),
                        method: method.into(),
                        value: v,
                    });
                }
            }
            k += 1;
        }
    }
    let c = plan.categorical.len();
    out.categorical_columns = plan.categorical.iter().map(|x| name(x.0)).collect();
    out.cramers_v = vec![None; c * c];
    let mut k = 0;
    for a in 0..c {
        out.cramers_v[a * c + a] = Some(1.0);
        for b in a + 1..c {
            let (jb, ib) = &plan.categorical[b];
            let nb = if matches!(ds.columns()[*jb].data, ColumnData::Bool(_)) { 2 } else { ib.len() };
            let v = cramers_v(&second.tables[k], nb);
            out.cramers_v[a * c + b] = v;
            out.cramers_v[b * c + a] = v;
            if let Some(v) = v {
                strongest.push(CorrelationPair {
                    a: out.categorical_columns[a].clone(),
                    b: out.categorical_columns[b].clone(),
                    method: "cramersV".into(),
                    value: v,
                });
            }
            k += 1;
        }
    }
    crate::sort::by(&mut strongest, &|x, y| {
        y.value.abs().total_cmp(&x.value.abs()).then_with(|| (&x.a, &x.b).cmp(&(&y.a, &y.b)))
    });
    strongest.truncate(10);
    out.strongest = strongest;
    out
}
