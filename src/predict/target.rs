//! The target column: which rows have one (the others are counted and left out), the task
//! (given or inferred), and the 0/1 label or the number of each used row.

use super::options::{Positive, Task, TrainOptions};
use crate::error::{CrmError, Result};
use crate::table::{Column, Dataset, Value};

pub struct Target {
    pub task: Task,
    /// Rows of the dataset with a usable target.
    pub rows: Vec<usize>,
    /// Per used row: 0/1 (classification) or the value.
    pub y: Vec<f64>,
    pub positive: Option<String>,
    pub negative: Option<String>,
    pub missing: usize,
}

fn text(v: Value<'_>) -> Option<String> {
    v.to_text()
}

fn matches(v: Value<'_>, p: &Positive) -> bool {
    match (v, p) {
        (Value::Str(s), Positive::Text(t)) => s == t,
        (Value::Int(i), Positive::Number(x)) => i as f64 == *x,
        (Value::Float(f), Positive::Number(x)) => f == *x,
        (Value::Bool(b), Positive::Bool(x)) => b == *x,
        (Value::Bool(b), Positive::Text(t)) => truth(t) == Some(b),
        (Value::Bool(b), Positive::Number(x)) => (*x == 1.0 && b) || (*x == 0.0 && !b),
        (v, Positive::Text(t)) => v.to_text().as_deref() == Some(t.as_str()),
        (v, Positive::Number(x)) => v.to_text() == Some(crate::table::column::format_float(*x)),
        (v, Positive::Bool(x)) => v.to_text() == Some(x.to_string()),
    }
}

/// A boolean written as text (`Yes`, `true`, `1`, …).
fn truth(t: &str) -> Option<bool> {
    match t.trim().to_ascii_lowercase().as_str() {
        "true" | "yes" | "y" | "1" | "t" => Some(true),
        "false" | "no" | "n" | "0" | "f" => Some(false),
        _ => None,
    }
}

/// The other class of a boolean target, written like the positive one.
fn opposite(t: &str) -> String {
    let word = match t.trim().to_ascii_lowercase().as_str() {
        "yes" => "no",
        "y" => "n",
        "no" => "yes",
        "true" => "false",
        "false" => "true",
        "1" => "0",
        "0" => "1",
        _ => return format!("not {t}"),
    };
    if t.starts_with(|c: char| c.is_uppercase()) {
        let mut c = word.chars();
        c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
    } else {
        word.to_string()
    }
}

pub fn read(ds: &Dataset, opts: &TrainOptions, warnings: &mut Vec<String>) -> Result<Target> {
    let c: &Column = ds.column(&opts.target)?;
    let rows: Vec<usize> = (0..ds.num_rows()).filter(|&r| c.validity.is_valid(r)).collect();
    let missing = ds.num_rows() - rows.len();
    if missing > 0 {
        warnings.push(format!("{missing} rows have no value in `{}` and were left out", opts.target));
    }
    if rows.is_empty() {
        return Err(CrmError::empty(format!("the target `{}` has no values", opts.target)));
    }
    // Distinct values (up to 3 are enough to decide).
    let mut distinct: Vec<String> = Vec::new();
    for &r in &rows {
        if let Some(t) = text(c.get(r)) {
            if !distinct.contains(&t) {
                distinct.push(t);
                if distinct.len() > 2 {
                    break;
                }
            }
        }
    }
    let numeric = c.dtype().is_numeric();
    let task = match opts.task {
        Some(t) => t,
        None if opts.positive.is_some() => Task::Classification,
        None if numeric && distinct.len() > 2 => Task::Regression,
        None => Task::Classification,
    };
    match task {
        Task::Regression => {
            let v = c.to_f64().ok_or_else(|| {
                CrmError::invalid_option(
                    "task",
                    format!("regression needs a numeric target; `{}` is {}", c.name, c.dtype().name()),
                )
            })?;
            let y: Vec<f64> = rows.iter().map(|&r| v[r]).collect();
            if y.iter().any(|v| !v.is_finite()) {
                return Err(CrmError::invalid_option("target", "the target has values that are not finite"));
            }
            if let Some(v) = y.iter().find(|v| v.abs() > super::features::MAX_MAGNITUDE) {
                return Err(CrmError::too_large(
                    "target",
                    format!("the target has values too large to fit (e.g. {v:e}; the limit is ±1e150)"),
                ));
            }
            Ok(Target { task, rows, y, positive: None, negative: None, missing })
        }
        Task::Classification => {
            let positive = match &opts.positive {
                Some(p) => p.clone(),
                None if distinct.len() > 2 => {
                    return Err(CrmError::invalid_option(
                        "positive",
                        format!("`{}` has more than two values; say which is the positive class", c.name),
                    ))
                }
                None => {
                    // true / yes / 1, else the rarer of the two.
                    let pick = ["true", "yes", "1", "y"]
                        .iter()
                        .find_map(|w| distinct.iter().find(|d| d.eq_ignore_ascii_case(w)).cloned());
                    let pick = pick.unwrap_or_else(|| {
                        let count = |s: &String| rows.iter().filter(|&&r| text(c.get(r)).as_ref() == Some(s)).count();
                        let first = distinct.first().cloned().unwrap_or_default();
                        match distinct.get(1) {
                            Some(second) if count(second) < count(&first) => second.clone(),
                            _ => first,
                        }
                    });
                    Positive::Text(pick)
                }
            };
            let y: Vec<f64> = rows.iter().map(|&r| matches(c.get(r), &positive) as u8 as f64).collect();
            let pos = y.iter().filter(|&&v| v > 0.5).count();
            let ptext = match &positive {
                Positive::Text(s) => s.clone(),
                Positive::Number(x) => crate::table::column::format_float(*x),
                Positive::Bool(b) => b.to_string(),
            };
            if pos == 0 || pos == y.len() {
                return Err(CrmError::invalid_option(
                    "target",
                    format!(
                        "`{}` has one class only ({} of {} rows are {ptext:?}); a model needs both",
                        c.name,
                        pos,
                        y.len()
                    ),
                ));
            }
            let negative = if c.dtype() == crate::table::DataType::Bool {
                Some(opposite(&ptext))
            } else if distinct.len() == 2 {
                distinct.iter().find(|d| **d != ptext).cloned()
            } else {
                None
            };
            Ok(Target { task, rows, y, positive: Some(ptext), negative, missing })
        }
    }
}
