//! `clean`: runs a [`CleanPlan`] step by step, logging every change, and returns the new
//! table, the log and the duplicate groups.

use crate::stats::quantile_sorted;
use crate::task::{self, Ctl};
use serde::Serialize;

use super::cells::{build, cells, take, Cell};
use super::dedupe::{exact_duplicates, fuzzy_duplicates, DuplicateGroup};
use super::log::CleanLog;
use super::plan::{CaseMode, CleanPlan, ColumnSet, Fill, OutlierAction, OutlierMethod, Standard};
use super::standardize::{normalize_whitespace, standard_email, standard_phone, title_case};
use crate::cells::values::{parse_bool, parse_day, parse_int, parse_number};
use crate::error::{CrmError, Result};
use crate::sort::f64s as sort_f64;
use crate::table::{Column, ColumnData, DataType, Dataset};

/// What `clean` returns.
#[derive(Debug, Clone, PartialEq)]
pub struct CleanResult {
    pub dataset: Dataset,
    pub log: CleanLog,
    pub duplicates: Vec<DuplicateGroup>,
}

/// The `log` and `duplicates` of a clean, for JS.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase")]
pub struct CleanReport {
    pub log: CleanLog,
    pub duplicates: Vec<DuplicateGroup>,
}

struct Work<'a> {
    cols: Vec<Column>,
    keep: Vec<bool>,
    log: CleanLog,
    max: usize,
    src: &'a Dataset,
}

impl Work<'_> {
    fn index(&self, name: &str) -> Result<usize> {
        self.cols.iter().position(|c| c.name == name).ok_or_else(|| CrmError::UnknownColumn { name: name.into() })
    }

    fn text_index(&self, name: &str, step: &str) -> Result<usize> {
        let j = self.index(name)?;
        match self.cols[j].data {
            ColumnData::Text(_) | ColumnData::Category { .. } => Ok(j),
            _ => Err(CrmError::invalid_option(
                step,
                format!(
                    "`{name}` is {}, not text (convert it first: convert: {{ \"{name}\": \"text\" }})",
                    self.cols[j].dtype().name()
                ),
            )),
        }
    }

    /// Applies `f` to every value of a text column; `f` returns the new value if it changes.
    fn map_text(&mut self, j: usize, rule: &str, f: impl Fn(&str) -> Option<String>) {
        let col = &self.cols[j];
        let mut cs = cells(col);
        let mut changed = false;
        for (i, c) in cs.iter_mut().enumerate() {
            if let Some(Cell::Str(s)) = c {
                if let Some(new) = f(s).filter(|n| n != s) {
                    self.log.record(self.max, i, Some(&col.name), Some(s.clone()), Some(new.clone()), rule);
                    *s = new;
                    changed = true;
                }
            }
        }
        if changed {
            self.cols[j] = build(col, col.dtype(), &cs);
        }
    }
}

fn convert_cell(c: &Cell, to: DataType) -> Option<Cell> {
    if let (Cell::Datetime(ms), DataType::Date) = (c, to) {
        return Some(Cell::Date(ms.div_euclid(86_400_000) as i32));
    }
    let t = c.text(false);
    let t = t.trim();
    Some(match to {
        DataType::Text | DataType::Category => Cell::Str(c.text(false)),
        DataType::Int64 => match parse_int(t) {
            Ok(v) if v.unsigned_abs() <= 1 << 53 => Cell::Int(v),
            _ => match parse_number(t) {
                Some((v, _)) if v.fract() == 0.0 && v.abs() <= 9_007_199_254_740_992.0 => Cell::Int(v as i64),
                _ => return None,
            },
        },
        DataType::Float64 => Cell::Float(parse_number(t)?.0),
        DataType::Bool => match c {
            Cell::Int(0) => Cell::Bool(false),
            Cell::Int(1) => Cell::Bool(true),
            _ => Cell::Bool(parse_bool(t)?),
        },
        DataType::Date => Cell::Date(parse_day(t)?),
        DataType::Datetime => match c {
            Cell::Date(d) => Cell::Datetime(*d as i64 * 86_400_000),
            _ => return None,
        },
    })
}

fn parse_type(name: &str) -> Result<DataType> {
    Ok(match name {
        "int64" => DataType::Int64,
        "float64" => DataType::Float64,
        "bool" => DataType::Bool,
        "date" => DataType::Date,
        "datetime" => DataType::Datetime,
        "category" => DataType::Category,
        "text" => DataType::Text,
        other => return Err(CrmError::invalid_option("convert", format!("unknown type `{other}`"))),
    })
}

fn fill_value(col: &Column, cs: &[Option<Cell>], keep: &[bool], rule: &Fill) -> Result<Option<Cell>> {
    let name = &col.name;
    let present = || cs.iter().zip(keep).filter(|(_, k)| **k).filter_map(|(c, _)| c.as_ref());
    let numeric = col.dtype().is_numeric();
    let bad = |m: &str| {
        CrmError::invalid_option("fill", format!("`{m}` needs a numeric column; `{name}` is {}", col.dtype().name()))
    };
    let as_int = matches!(col.data, ColumnData::Int64(_));
    let num_cell = |v: f64| if as_int { Cell::Int(v.round() as i64) } else { Cell::Float(v) };
    Ok(match rule {
        Fill::Method(m) if m == "mean" => {
            if !numeric {
                return Err(bad(m));
            }
            let v: Vec<f64> = present().filter_map(Cell::as_f64).collect();
            (!v.is_empty()).then(|| num_cell(v.iter().sum::<f64>() / v.len() as f64))
        }
        Fill::Method(m) if m == "median" => {
            if !numeric {
                return Err(bad(m));
            }
            let mut v: Vec<f64> = present().filter_map(Cell::as_f64).collect();
            sort_f64(&mut v);
            (!v.is_empty()).then(|| num_cell(quantile_sorted(&v, 0.5)))
        }
        Fill::Method(m) if m == "mode" => {
            let mut counts: rustc_hash::FxHashMap<String, (usize, usize, Cell)> = Default::default();
            for (order, c) in present().enumerate() {
                let e = counts.entry(c.text(col.utc)).or_insert((0, order, c.clone()));
                e.0 += 1;
            }
            counts.into_values().max_by_key(|(n, first, _)| (*n, std::cmp::Reverse(*first))).map(|x| x.2)
        }
        Fill::Method(m) if m == "previous" => None,
        Fill::Method(m) => {
            return Err(CrmError::invalid_option(
                "fill",
                format!("unknown fill `{m}` for `{name}` (mean, median, mode, previous or {{ constant }})"),
            ))
        }
        Fill::Constant { constant } => {
            let text = match constant {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Number(n) => n.to_string(),
                serde_json::Value::Bool(b) => b.to_string(),
                _ => return Err(CrmError::invalid_option("fill", "a constant must be a string, number or boolean")),
            };
            let c = convert_cell(&Cell::Str(text.clone()), col.dtype()).ok_or_else(|| {
                CrmError::invalid_option("fill", format!("`{text}` is not a {} value for `{name}`", col.dtype().name()))
            })?;
            Some(c)
        }
    })
}

fn column_set(w: &Work, set: &ColumnSet, step: &str) -> Result<Vec<usize>> {
    match set {
        ColumnSet::Keyword(k) if k == "all" => Ok(w
            .cols
            .iter()
            .enumerate()
            .filter(|(_, c)| matches!(c.data, ColumnData::Text(_) | ColumnData::Category { .. }))
            .map(|(j, _)| j)
            .collect()),
        ColumnSet::Keyword(k) => {
            Err(CrmError::invalid_option(step, format!("expected \"all\" or a list of names, got \"{k}\"")))
        }
        ColumnSet::List(names) => names.iter().map(|n| w.text_index(n, step)).collect(),
    }
}

/// Cleans a table as the plan says. The input is not changed.
pub fn clean(ds: &Dataset, plan: &CleanPlan) -> Result<CleanResult> {
    crate::task::run(clean_async(ds, plan, &mut Ctl::none()))
}

/// [`clean`] as long work: one phase per step of the plan (`convert`, `trim`, `case`,
/// `standardize`, `fill`, `outliers`, `dedupe`, `fuzzyDedupe`; 8 in all), checked per
/// column within a step.
pub fn clean_async<'a>(ds: &'a Dataset, plan: &'a CleanPlan, ctl: &'a mut Ctl<'_>) -> task::Work<'a, CleanResult> {
    // Boxed: the sync and async callers share one copy of the state machine in wasm.
    Box::pin(clean_async_inner(ds, plan, ctl))
}

async fn clean_async_inner(ds: &Dataset, plan: &CleanPlan, ctl: &mut Ctl<'_>) -> Result<CleanResult> {
    let mut w = Work {
        cols: ds.columns().to_vec(),
        keep: vec![true; ds.num_rows()],
        log: CleanLog { rows_in: ds.num_rows() as u64, ..Default::default() },
        max: plan.max_log,
        src: ds,
    };
    // 1. convert
    ctl.phase("convert", 0, 8).await?;
    for (name, to) in &plan.convert {
        let j = w.index(name)?;
        let to = parse_type(to)?;
        let col = &w.cols[j];
        if col.dtype() == to {
            continue;
        }
        let mut cs = cells(col);
        let mut failed = 0;
        for (i, c) in cs.iter_mut().enumerate() {
            if let Some(v) = c {
                match convert_cell(v, to) {
                    Some(n) => *c = Some(n),
                    None => {
                        w.log.record(w.max, i, Some(name), Some(v.text(col.utc)), None, "convert");
                        *c = None;
                        failed += 1;
                    }
                }
            }
        }
        w.log.notes.push(format!(
            "`{name}` converted from {} to {}; {failed} values did not convert and are now missing",
            col.dtype().name(),
            to.name()
        ));
        let mut like = col.clone();
        like.format = None;
        like.utc = col.utc && to == DataType::Datetime;
        w.cols[j] = build(&like, to, &cs);
    }
    // 2. trim
    ctl.phase("trim", 1, 8).await?;
    if let Some(set) = &plan.trim {
        for j in column_set(&w, set, "trim")? {
            w.map_text(j, "trim", |s| Some(normalize_whitespace(s)));
        }
    }
    // 3. case
    ctl.phase("case", 2, 8).await?;
    for (name, mode) in &plan.case {
        let j = w.text_index(name, "case")?;
        let mode = *mode;
        w.map_text(j, "case", move |s| {
            Some(match mode {
                CaseMode::Lower => s.to_lowercase(),
                CaseMode::Upper => s.to_uppercase(),
                CaseMode::Title => title_case(s),
            })
        });
    }
    // 4. standardize
    ctl.phase("standardize", 3, 8).await?;
    for (name, std) in &plan.standardize {
        let j = w.text_index(name, "standardize")?;
        match std {
            Standard::Email => w.map_text(j, "standardizeEmail", standard_email),
            Standard::Phone => w.map_text(j, "standardizePhone", standard_phone),
        }
    }
    // 5. fill
    ctl.phase("fill", 4, 8).await?;
    for (name, rule) in &plan.fill {
        let j = w.index(name)?;
        let col = &w.cols[j];
        let mut cs = cells(col);
        let value = fill_value(col, &cs, &w.keep, rule)?;
        let previous = matches!(rule, Fill::Method(m) if m == "previous");
        let mut last: Option<Cell> = None;
        let mut left = 0;
        for (i, c) in cs.iter_mut().enumerate() {
            if c.is_some() {
                last = c.clone();
                continue;
            }
            let v = if previous { last.clone() } else { value.clone() };
            match v {
                Some(v) => {
                    w.log.record(w.max, i, Some(name), None, Some(v.text(col.utc)), "fill");
                    *c = Some(v);
                }
                None => left += 1,
            }
        }
        if left > 0 {
            w.log.notes.push(format!("`{name}`: {left} missing values left unfilled (nothing to fill them from)"));
        }
        w.cols[j] = build(col, col.dtype(), &cs);
    }
    // 6. outliers
    ctl.phase("outliers", 5, 8).await?;
    for (name, rule) in &plan.outliers {
        let j = w.index(name)?;
        let col = &w.cols[j];
        let Some(values) = col.to_f64() else {
            return Err(CrmError::invalid_option("outliers", format!("`{name}` is not numeric")));
        };
        let mut sorted: Vec<f64> =
            values.iter().zip(&w.keep).filter(|(v, k)| **k && !v.is_nan()).map(|(v, _)| *v).collect();
        if sorted.is_empty() {
            continue;
        }
        sort_f64(&mut sorted);
        let is_out: Box<dyn Fn(f64) -> bool> = match rule.method {
            OutlierMethod::Iqr => {
                let k = rule.k.unwrap_or(1.5);
                let (q1, q3) = (quantile_sorted(&sorted, 0.25), quantile_sorted(&sorted, 0.75));
                let (lo, hi) = (q1 - k * (q3 - q1), q3 + k * (q3 - q1));
                Box::new(move |x| x < lo || x > hi)
            }
            OutlierMethod::Mad => {
                let k = rule.k.unwrap_or(3.5);
                let med = quantile_sorted(&sorted, 0.5);
                let mut dev: Vec<f64> = sorted.iter().map(|v| (v - med).abs()).collect();
                sort_f64(&mut dev);
                let mad = quantile_sorted(&dev, 0.5);
                Box::new(move |x| mad > 0.0 && 0.6745 * (x - med).abs() / mad > k)
            }
        };
        match rule.action {
            OutlierAction::Flag => {
                let flag_name = format!("{name}_outlier");
                if w.cols.iter().any(|c| c.name == flag_name) {
                    return Err(CrmError::invalid_option("outliers", format!("a column `{flag_name}` already exists")));
                }
                let flags: Vec<Option<Cell>> = values
                    .iter()
                    .enumerate()
                    .map(|(i, &v)| {
                        (!v.is_nan()).then(|| {
                            let o = is_out(v);
                            if o {
                                w.log.record(w.max, i, Some(&flag_name), None, Some("true".into()), "flagOutlier");
                            }
                            Cell::Bool(o)
                        })
                    })
                    .collect();
                let like = Column::new(flag_name, ColumnData::Bool(Vec::new()), Default::default());
                w.cols.push(build(&like, DataType::Bool, &flags));
            }
            OutlierAction::Drop => {
                for (i, &v) in values.iter().enumerate() {
                    if w.keep[i] && !v.is_nan() && is_out(v) {
                        w.keep[i] = false;
                        w.log.record(
                            w.max,
                            i,
                            Some(name),
                            Some(crate::table::column::format_float(v)),
                            None,
                            "dropOutlier",
                        );
                    }
                }
            }
        }
    }
    // 7. exact dedupe
    ctl.phase("dedupe", 6, 8).await?;
    let current = Dataset::new(w.cols.clone())?;
    if plan.dedupe {
        for (row, first) in exact_duplicates(&current, &w.keep) {
            w.keep[row] = false;
            w.log.record(w.max, row, None, Some(format!("duplicate of row {first}")), None, "dropDuplicate");
        }
    }
    // 8. fuzzy dedupe
    ctl.phase("fuzzyDedupe", 7, 8).await?;
    let mut duplicates = Vec::new();
    if let Some(cfg) = &plan.fuzzy_dedupe {
        if cfg.name.is_none() && cfg.email.is_none() && cfg.phone.is_none() {
            return Err(CrmError::invalid_option("fuzzyDedupe", "name, email or phone column needed"));
        }
        if !(0.0..=1.0).contains(&cfg.threshold) {
            return Err(CrmError::invalid_option("fuzzyDedupe", "threshold must be between 0 and 1"));
        }
        let res = fuzzy_duplicates(&current, cfg, &w.keep)?;
        if res.skipped_blocks > 0 {
            w.log.notes.push(format!(
                "fuzzy dedupe: {} blocks ({} records) larger than maxBlock were not compared pairwise",
                res.skipped_blocks, res.skipped_records
            ));
        }
        w.log.notes.push(format!(
            "fuzzy dedupe: {} pairs compared, {} groups found",
            res.compared_pairs,
            res.groups.len()
        ));
        if cfg.drop {
            for g in &res.groups {
                for &r in g.rows.iter().filter(|&&r| r != g.survivor) {
                    w.keep[r as usize] = false;
                    w.log.record(
                        w.max,
                        r as usize,
                        None,
                        Some(format!("same customer as row {}", g.survivor)),
                        None,
                        "dropFuzzyDuplicate",
                    );
                }
            }
        }
        duplicates = res.groups;
    }
    let rows: Vec<usize> = (0..w.keep.len()).filter(|&i| w.keep[i]).collect();
    let cols = if rows.len() == w.keep.len() { w.cols } else { w.cols.iter().map(|c| take(c, &rows)).collect() };
    let mut dataset = Dataset::new(cols)?;
    dataset.source = w.src.source.clone();
    dataset.issues = w.src.issues.clone();
    dataset.issue_counts = w.src.issue_counts.clone();
    w.log.rows_out = rows.len() as u64;
    Ok(CleanResult { dataset, log: w.log, duplicates })
}
