//! The profile of a table held in shards (the workers of `CrmlensPool`, or machines): each
//! shard's first pass as bytes ([`first_pass_bytes`]); every shard's second pass planned
//! from their merge ([`second_pass_bytes`]); the report from all of them ([`profile_shards`]):
//! the same merges `profile_parts` makes over row ranges of one table.

use super::driver::{finish, steps, FirstPass, ShardTotals};
use super::options::ProfileOptions;
use super::report::ProfileReport;
use super::rows::RowState;
use super::second::{Plan, SecondState};
use crate::error::{CrmError, Result};
use crate::table::Dataset;

/// The first pass over all of `ds` (one shard of a table), as bytes (`wire`).
pub fn first_pass_bytes(ds: &Dataset, opts: &ProfileOptions) -> Result<Vec<u8>> {
    opts.validate()?;
    let mut p = FirstPass::new(ds, opts);
    p.update(ds, 0..ds.num_rows());
    Ok(p.to_bytes())
}

/// Every shard's first pass (packed, in table order), merged.
fn merged_first(ds: &Dataset, opts: &ProfileOptions, firsts: &[u8]) -> Result<FirstPass> {
    let mut first = FirstPass::new(ds, opts);
    for b in super::wire::unpack(firsts)? {
        let p = FirstPass::from_bytes(b)?;
        if p.columns.len() != ds.num_columns() {
            return Err(CrmError::state("profile shards must have the same columns"));
        }
        first.merge(&p);
    }
    Ok(first)
}

/// The second pass (and the row hashes, unless a sorted column proves the rows distinct)
/// over all of `ds`, planned from every shard's first pass: as bytes (`wire`).
pub fn second_pass_bytes(ds: &Dataset, opts: &ProfileOptions, firsts: &[u8]) -> Result<Vec<u8>> {
    let first = merged_first(ds, opts, firsts)?;
    let plan = Plan::new(ds, &first.columns, opts);
    let mut s = SecondState::new(ds, &plan);
    let mut rows = RowState::default();
    let all = 0..ds.num_rows();
    for step in steps(&all) {
        s.update(ds, step.clone(), &plan);
        if !first.order.proves_distinct() {
            rows.update(ds, step);
        }
    }
    Ok(super::wire::second_to_bytes(&s, &rows))
}

/// The report of a table held in shards, from every shard's first and second pass (packed,
/// in table order): the report `profile` gives on the whole table, up to the sketches' error
/// once they take over (quantiles, distinct counts; as [`profile_parts`]). `ds` is any shard
/// (for the column names and types).
pub fn profile_shards(
    ds: &Dataset,
    opts: &ProfileOptions,
    firsts: &[u8],
    seconds: &[u8],
    totals: &ShardTotals,
) -> Result<ProfileReport> {
    let first = merged_first(ds, opts, firsts)?;
    let plan = Plan::new(ds, &first.columns, opts);
    let mut second = SecondState::new(ds, &plan);
    let mut rows = RowState::default();
    for b in super::wire::unpack(seconds)? {
        let (s, r) = super::wire::second_from_bytes(b)?;
        if s.hist.len() != second.hist.len()
            || s.tables.len() != second.tables.len()
            || s.pearson.len() != second.pearson.len()
        {
            return Err(CrmError::state("profile shards were planned differently"));
        }
        second.merge(&s);
        rows.rows += r.rows;
        rows.hashes.extend_from_slice(&r.hashes);
    }
    second.add_counts(&first.columns, &plan);
    let dup = if first.order.proves_distinct() { 0 } else { rows.duplicates() };
    Ok(finish(ds, Some(totals), &first, dup, &plan, &second, opts))
}
