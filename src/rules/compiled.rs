//! One rule's condition compiled against one table: parse (text or JSON Logic, both
//! bounded), type check, fold; then evaluation block by block.

use serde_json::Value;

use super::ast::{MAX_EXPR_BYTES, MAX_JSON_NODES};
use super::compile::Compiler;
use super::diag::{to_error, Source};
use super::eval::{self, Frame, BLOCK};
use super::jsonlogic::Converter;
use super::options::When;
use super::plan::{Tri, TRUE, UNKNOWN};
use crate::error::{CrmError, Result};
use crate::table::{Column, Dataset};
use crate::task::Ctl;

/// A condition ready to run over the table it was compiled for.
#[derive(Debug, Clone, PartialEq)]
pub struct Compiled {
    plan: Tri,
    /// Dataset column index of each slot.
    slots: Vec<usize>,
    /// Names of the columns read, in slot order.
    names: Vec<String>,
    rows: usize,
}

/// Matched and undecided rows of one condition.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MatchCount {
    pub rows: usize,
    pub matched: usize,
    pub undecided: usize,
}

/// `asOf` (`YYYY-MM-DD`, or a date-time whose day is taken) as days since 1970-01-01.
pub fn parse_as_of(s: &str) -> Result<i32> {
    super::compile::parse_instant(s).map(|ms| (ms / 86_400_000.0).floor() as i32).ok_or_else(|| {
        CrmError::invalid_option("asOf", format!("expected a date such as 2024-01-31, got {:?}", super::diag::short(s)))
    })
}

/// Walks a JSON value without recursion: fails past [`MAX_JSON_NODES`] nodes or
/// [`MAX_EXPR_BYTES`] of text.
fn check_json_size(v: &Value, rule: &str) -> Result<()> {
    let mut stack = vec![v];
    let (mut nodes, mut bytes) = (0usize, 0usize);
    while let Some(v) = stack.pop() {
        nodes += 1;
        match v {
            Value::String(s) => bytes += s.len(),
            Value::Array(a) => stack.extend(a.iter()),
            Value::Object(m) => {
                for (k, x) in m {
                    bytes += k.len();
                    stack.push(x);
                }
            }
            _ => bytes += 8,
        }
        if nodes > MAX_JSON_NODES * 2 || bytes > MAX_EXPR_BYTES {
            return Err(CrmError::TooLarge {
                message: format!(
                    "rule `{}`: a JSON Logic condition may have at most {MAX_JSON_NODES} nodes and {MAX_EXPR_BYTES} bytes of text",
                    super::diag::short(rule)
                ),
                location: crate::error::Location::field(rule),
            });
        }
    }
    Ok(())
}

/// Compiles `when` for `ds`. `as_of` is days since 1970-01-01; `fold` turns on the
/// compile-time folding (always on outside tests).
pub fn compile(ds: &Dataset, rule: &str, when: &When, as_of: Option<i32>, fold: bool) -> Result<Compiled> {
    let mut c = Compiler::new(ds, as_of);
    let plan = match when {
        When::Expr(text) => {
            if text.len() > MAX_EXPR_BYTES {
                return Err(CrmError::TooLarge {
                    message: format!(
                        "rule `{}`: the condition is {} bytes; at most {MAX_EXPR_BYTES} are accepted",
                        super::diag::short(rule),
                        text.len()
                    ),
                    location: crate::error::Location::field(rule),
                });
            }
            let src = Source::Text(text);
            let e = super::parser::parse(text).map_err(|d| to_error(rule, &src, d))?;
            c.rule(&e).map_err(|d| to_error(rule, &src, d))?
        }
        When::Logic(v) => {
            check_json_size(v, rule)?;
            let mut conv = Converter::new();
            let converted = conv.convert(v, "", 0);
            let src = Source::Json(&conv.paths);
            let e = converted.map_err(|d| to_error(rule, &src, d))?;
            c.rule(&e).map_err(|d| to_error(rule, &src, d))?
        }
    };
    let slots = c.slots;
    let cols: Vec<&Column> = slots.iter().map(|&i| &ds.columns()[i]).collect();
    let plan = if fold { super::fold::tri(plan, &cols, ds.num_rows()) } else { plan };
    let names = cols.iter().map(|c| c.name.clone()).collect();
    Ok(Compiled { plan, slots, names, rows: ds.num_rows() })
}

impl Compiled {
    /// Names of the columns the condition reads.
    pub fn columns(&self) -> &[String] {
        &self.names
    }

    /// Dataset column index of each column read.
    pub fn column_indexes(&self) -> &[usize] {
        &self.slots
    }

    /// The plan's columns in `ds`, checked to be the ones it was compiled against.
    fn frame_columns<'d>(&self, ds: &'d Dataset) -> Result<Vec<&'d Column>> {
        let ok = ds.num_rows() == self.rows
            && self.slots.iter().zip(&self.names).all(|(&i, n)| ds.columns().get(i).is_some_and(|c| &c.name == n));
        if !ok {
            return Err(CrmError::state("a compiled rule was evaluated on a different table than it was compiled for"));
        }
        Ok(self.slots.iter().map(|&i| &ds.columns()[i]).collect())
    }

    /// The condition for rows `start..start + len`: [`TRUE`], [`FALSE`](super::plan::FALSE)
    /// or [`UNKNOWN`] per row.
    pub fn block(&self, cols: &[&Column], start: usize, len: usize) -> Vec<u8> {
        eval::tri(&self.plan, &Frame { cols, start, len }).expand(len)
    }

    /// The condition for every row, a block at a time, ticking `ctl` per block.
    pub async fn evaluate(&self, ds: &Dataset, ctl: &mut Ctl<'_>) -> Result<Vec<u8>> {
        let cols = self.frame_columns(ds)?;
        let n = ds.num_rows();
        let mut out = Vec::with_capacity(n);
        let mut start = 0;
        while start < n {
            let len = BLOCK.min(n - start);
            out.extend_from_slice(&self.block(&cols, start, len));
            start += len;
            ctl.tick("rules", start as u64, n as u64).await?;
        }
        Ok(out)
    }

    /// Matched and undecided rows, without keeping the per-row result.
    pub async fn count(&self, ds: &Dataset, ctl: &mut Ctl<'_>) -> Result<MatchCount> {
        let cols = self.frame_columns(ds)?;
        let n = ds.num_rows();
        let mut m = MatchCount { rows: n, matched: 0, undecided: 0 };
        let mut start = 0;
        while start < n {
            let len = BLOCK.min(n - start);
            for v in self.block(&cols, start, len) {
                m.matched += (v == TRUE) as usize;
                m.undecided += (v == UNKNOWN) as usize;
            }
            start += len;
            ctl.tick("rules", start as u64, n as u64).await?;
        }
        Ok(m)
    }
}
