//! `groupBy`: one output row per distinct combination of the key columns (first-seen order),
//! with aggregates of other columns.

use std::collections::HashMap;

use crmlens::table::{Column, ColumnData, StrVec, Validity, Value};
use crmlens::{CrmError, Dataset, Result};
use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct GroupByOptions {
    /// Key columns (at least one).
    pub by: Vec<String>,
    /// Aggregates per group; default: `[{ op: "count" }]`.
    #[serde(default)]
    pub aggregates: Vec<Aggregate>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
pub struct Aggregate {
    pub op: Op,
    /// The column aggregated (not needed for `count`, which counts rows).
    #[serde(default)]
    pub column: Option<String>,
    /// Output column name; default `op(column)` (or `count`).
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Op {
    /// Rows in the group (or non-null values of `column` when given).
    Count,
    Sum,
    Mean,
    Min,
    Max,
    /// Distinct non-null values of `column`.
    Distinct,
}

impl Op {
    fn name(self) -> &'static str {
        match self {
            Op::Count => "count",
            Op::Sum => "sum",
            Op::Mean => "mean",
            Op::Min => "min",
            Op::Max => "max",
            Op::Distinct => "distinct",
        }
    }
}

/// Key columns come out as text (null keys form their own group, kept null); counts as
/// int64; sum / mean / min / max as float64 over the non-null numbers (null when a group has
/// none).
pub fn group_by(ds: &Dataset, opts: &GroupByOptions) -> Result<Dataset> {
    if opts.by.is_empty() {
        return Err(CrmError::invalid_option("by", "name at least one key column"));
    }
    let keys: Vec<&Column> = opts.by.iter().map(|n| ds.column(n)).collect::<Result<_>>()?;
    let count = [Aggregate { op: Op::Count, column: None, name: None }];
    let aggs: &[Aggregate] = if opts.aggregates.is_empty() { &count } else { &opts.aggregates };

    // Group index of every row.
    let mut index: HashMap<Vec<Option<String>>, usize> = HashMap::new();
    let mut first_row = Vec::new();
    let mut group = Vec::with_capacity(ds.num_rows());
    let mut buf = String::new();
    for row in 0..ds.num_rows() {
        let key: Vec<Option<String>> = keys.iter().map(|c| c.get(row).text_in(&mut buf).map(str::to_string)).collect();
        let next = index.len();
        let g = *index.entry(key).or_insert(next);
        if g == next {
            first_row.push(row);
        }
        group.push(g);
    }
    let groups = first_row.len();

    let mut columns = Vec::new();
    for (name, c) in opts.by.iter().zip(&keys) {
        let mut text = StrVec::default();
        let mut valid = Validity::with_capacity(groups);
        for &row in &first_row {
            let v = c.get(row);
            valid.push(v != Value::Null);
            text.push(v.text_in(&mut buf).unwrap_or(""));
        }
        columns.push(Column::new(name.clone(), ColumnData::Text(text), valid));
    }
    for a in aggs {
        columns.push(aggregate(ds, a, &group, groups)?);
    }
    // The only way this fails is two output columns of one name.
    Dataset::new(columns).map_err(|e| CrmError::invalid_option("aggregates", e.to_string()))
}

fn aggregate(ds: &Dataset, a: &Aggregate, group: &[usize], groups: usize) -> Result<Column> {
    let col = a.column.as_deref().map(|n| ds.column(n)).transpose()?;
    let name = a.name.clone().unwrap_or_else(|| match &a.column {
        Some(c) => format!("{}({c})", a.op.name()),
        None => a.op.name().to_string(),
    });
    let col = match (a.op, col) {
        (Op::Count, None) => {
            let mut n = vec![0i64; groups];
            group.iter().for_each(|&g| n[g] += 1);
            return Ok(Column::new(name, ColumnData::Int64(n), Validity::all_valid(groups)));
        }
        (_, Some(c)) => c,
        (op, None) => return Err(CrmError::invalid_option("aggregates", format!("`{}` needs a column", op.name()))),
    };
    if matches!(a.op, Op::Count | Op::Distinct) {
        let mut n = vec![0i64; groups];
        let mut seen: HashMap<(usize, String), ()> = HashMap::new();
        let mut buf = String::new();
        for (row, &g) in group.iter().enumerate() {
            let Some(text) = col.get(row).text_in(&mut buf) else { continue };
            if a.op == Op::Count || seen.insert((g, text.to_string()), ()).is_none() {
                n[g] += 1;
            }
        }
        return Ok(Column::new(name, ColumnData::Int64(n), Validity::all_valid(groups)));
    }
    let values = col.to_f64().ok_or_else(|| {
        CrmError::invalid_option(
            "aggregates",
            format!("`{}` needs a numeric column; `{}` is {}", a.op.name(), col.name, col.dtype().name()),
        )
    })?;
    let (mut acc, mut n) = (vec![0.0f64; groups], vec![0usize; groups]);
    for (&v, &g) in values.iter().zip(group) {
        if v.is_nan() {
            continue;
        }
        acc[g] = match (a.op, n[g]) {
            (Op::Min | Op::Max, 0) => v,
            (Op::Min, _) => acc[g].min(v),
            (Op::Max, _) => acc[g].max(v),
            _ => acc[g] + v,
        };
        n[g] += 1;
    }
    let mut valid = Validity::with_capacity(groups);
    for g in 0..groups {
        valid.push(n[g] > 0 || a.op == Op::Sum);
        if a.op == Op::Mean && n[g] > 0 {
            acc[g] /= n[g] as f64;
        }
    }
    Ok(Column::new(name, ColumnData::Float64(acc), valid))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crmlens::io::{read_csv_str, LoadOptions};

    #[test]
    fn groups_in_first_seen_order_with_aggregates() {
        let ds = read_csv_str("k,v\na,1\nb,2\na,3\n,4\nb,\n", LoadOptions::default()).unwrap();
        let opts: GroupByOptions = crmlens::options::options_from_json(
            r#"{"by":["k"],"aggregates":[{"op":"count"},{"op":"sum","column":"v"},{"op":"mean","column":"v"},{"op":"max","column":"v","name":"top"}]}"#,
        )
        .unwrap();
        let out = group_by(&ds, &opts).unwrap();
        assert_eq!(out.column_names(), ["k", "count", "sum(v)", "mean(v)", "top"]);
        let rows: Vec<Vec<Option<String>>> =
            (0..out.num_rows()).map(|r| out.row(r).iter().map(|v| v.to_text()).collect()).collect();
        let s = |x: &str| Some(x.to_string());
        assert_eq!(rows[0], [s("a"), s("2"), s("4"), s("2"), s("3")]);
        assert_eq!(rows[1], [s("b"), s("2"), s("2"), s("2"), s("2")]);
        assert_eq!(rows[2], [None, s("1"), s("4"), s("4"), s("4")]);
        let bad = crmlens::options::options_from_json::<GroupByOptions>(r#"{"by":["k"],"aggregates":[{"op":"avg"}]}"#);
        assert_eq!(bad.unwrap_err().code(), "INVALID_OPTION");
    }
}
