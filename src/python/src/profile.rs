//! The profile states: the core's two-pass profile (`crmlens::profile::shards`, the states
//! `CrmlensPool` ships between browser workers) as bytes an engine ships between workers.
//!
//! - First pass ([`profile_first`], kind "PRF1"): per partition its number, load tally, rows,
//!   memory, missing tokens, schema (a zero-row `Dataset` in `crmlens::table::bytes` form) and
//!   the core's first-pass bytes. [`profile_merge`] is a union of partitions (a partition
//!   merged twice is `INVALID_STATE`); the partitions' first passes are merged in partition
//!   order only when needed, so the merged result does not depend on the engine's order.
//! - Second pass ([`profile_second`], kind "PRF2"): a partition's histograms, outlier and
//!   correlation sums and row hashes, planned from the merged first pass (every partition's
//!   first pass, in partition order), tagged with a hash of it so that a second pass planned
//!   from another first pass is refused.
//! - [`profile_finish`]: the report, from the merged first and second passes (the same
//!   `profile_shards` the pool calls); every partition of the first pass must be in the second.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crmlens::error::CrmError;
use crmlens::profile::{self, ProfileOptions, ShardTotals};
use crmlens::table::wire::{Reader, Writer};
use crmlens::table::{ColumnData, Dataset};

use crate::error::{to_py, Res};
use crate::input::{dataset, dataset_forced, LoadTally};

const FIRST: &[u8; 4] = b"PRF1";
const SECOND: &[u8; 4] = b"PRF2";
pub const VERSION: u16 = 1;
const WHAT: &str = "profile state";
/// The number of a partition without one (after the numbered ones, in merge order).
const NONE: u64 = u64::MAX;

struct Part {
    part: u64,
    load: LoadTally,
    memory: u64,
    tokens: Vec<Vec<(String, u64)>>,
    schema: Vec<u8>,
    first: Vec<u8>,
}

struct First {
    options: String,
    /// Per column a type decided across partitions (`ShardType` codes; empty: none).
    force: Vec<u8>,
    parts: Vec<Part>,
}

fn blobs(mut out: Vec<u8>, tail: Vec<&[u8]>) -> Vec<u8> {
    for b in tail {
        out.extend_from_slice(b);
    }
    out
}

impl First {
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(FIRST, VERSION);
        w.str(&self.options);
        w.len(self.force.len());
        self.force.iter().for_each(|&c| w.u8(c));
        w.len(self.parts.len());
        let mut tail = Vec::new();
        for p in &self.parts {
            w.u64(p.part);
            p.load.write(&mut w);
            w.u64(p.memory);
            w.len(p.tokens.len());
            for col in &p.tokens {
                w.len(col.len());
                for (t, n) in col {
                    w.str(t);
                    w.u64(*n);
                }
            }
            w.len(p.schema.len());
            w.len(p.first.len());
            tail.push(&p.schema[..]);
            tail.push(&p.first[..]);
        }
        blobs(w.finish(), tail)
    }

    fn from_bytes(bytes: &[u8]) -> Res<First> {
        let mut r = Reader::open(bytes, FIRST, VERSION, WHAT)?;
        let options = r.str()?.to_string();
        let mut force = Vec::new();
        for _ in 0..r.len(1)? {
            force.push(r.u8()?);
        }
        let n = r.len(8 + 40 + 8 + 8 + 16)?;
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            let part = r.u64()?;
            let load = LoadTally::read(&mut r)?;
            let memory = r.u64()?;
            let mut tokens = Vec::new();
            for _ in 0..r.len(8)? {
                let mut col = Vec::new();
                for _ in 0..r.len(16)? {
                    let t = r.str()?.to_string();
                    col.push((t, r.u64()?));
                }
                tokens.push(col);
            }
            let (s, f) = (r.len(1)?, r.len(1)?);
            heads.push((part, load, memory, tokens, s, f));
        }
        let mut parts = Vec::with_capacity(n);
        for (part, load, memory, tokens, s, f) in heads {
            let schema = r.take(s)?.to_vec();
            let first = r.take(f)?.to_vec();
            parts.push(Part { part, load, memory, tokens, schema, first });
        }
        r.end()?;
        Ok(First { options, force, parts })
    }

    /// The partitions in partition order (unnumbered ones after, in merge order).
    fn ordered(&self) -> Vec<&Part> {
        let mut v: Vec<&Part> = self.parts.iter().collect();
        v.sort_by_key(|p| p.part);
        v
    }

    /// Every partition's first pass, each after its u64 length, in partition order.
    fn packed(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for p in self.ordered() {
            out.extend_from_slice(&(p.first.len() as u64).to_le_bytes());
            out.extend_from_slice(&p.first);
        }
        out
    }

    fn opts(&self) -> Res<ProfileOptions> {
        options(&self.options)
    }

    /// The table's columns with zero rows, for the report: the partitions must agree on each
    /// column's name and kind; integers read as floats in some partition are floats, a
    /// category read as text in some partition is text (the widest of the partitions' types).
    fn schema(&self) -> Res<Dataset> {
        let parts = self.ordered();
        let Some(head) = parts.first() else {
            return Err(CrmError::state("a profile state of no partition"));
        };
        let mut cols = Dataset::from_bytes(&head.schema)?.columns().to_vec();
        for p in &parts[1..] {
            let ds = Dataset::from_bytes(&p.schema)?;
            if ds.num_columns() != cols.len() {
                return Err(schema_error(p.part, format!("{} columns, not {}", ds.num_columns(), cols.len())));
            }
            for (c, o) in cols.iter_mut().zip(ds.columns()) {
                if c.name != o.name {
                    return Err(schema_error(p.part, format!("column {:?} where another has {:?}", o.name, c.name)));
                }
                match (rank(&c.data), rank(&o.data)) {
                    ((a, x), (b, y)) if a == b => {
                        if y > x {
                            *c = o.clone();
                        }
                    }
                    _ => {
                        return Err(schema_error(
                            p.part,
                            format!("column {:?} is {:?} there and {:?} in another", c.name, o.dtype(), c.dtype()),
                        ))
                    }
                }
            }
        }
        Dataset::new(cols)
    }
}

/// Per column, the type to read every partition with when the partitions' own inference put
/// a column in groups that do not merge (ids `00012` in one partition, `12` in another):
/// `ShardType::String` (code 2) for those columns, 0 for the others; `None` when all merge.
fn decide(f: &First) -> Res<Option<Vec<u8>>> {
    let parts = f.ordered();
    let mut groups: Vec<Vec<u8>> = Vec::new();
    for p in &parts {
        let ds = Dataset::from_bytes(&p.schema)?;
        if !groups.is_empty() && ds.num_columns() != groups.len() {
            return Err(schema_error(p.part, format!("{} columns, not {}", ds.num_columns(), groups.len())));
        }
        groups.resize(ds.num_columns(), Vec::new());
        for (g, c) in groups.iter_mut().zip(ds.columns()) {
            let k = rank(&c.data).0;
            if !g.contains(&k) {
                g.push(k);
            }
        }
    }
    let force: Vec<u8> = groups.iter().map(|g| if g.len() > 1 { 2 } else { 0 }).collect();
    Ok(force.iter().any(|&c| c != 0).then_some(force))
}

/// (group, width): types of one group merge (the wider one wins); other groups do not.
fn rank(d: &ColumnData) -> (u8, u8) {
    match d {
        ColumnData::Int64(_) => (0, 0),
        ColumnData::Float64(_) => (0, 1),
        ColumnData::Category { .. } => (1, 0),
        ColumnData::Text(_) => (1, 1),
        ColumnData::Bool(_) => (2, 0),
        ColumnData::Date(_) => (3, 0),
        ColumnData::Datetime(_) => (4, 0),
    }
}

fn schema_error(part: u64, what: String) -> CrmError {
    let at = if part == NONE { "a partition".to_string() } else { format!("partition {part}") };
    CrmError::state(format!("the schema differs between partitions: {at} has {what}"))
}

fn options(json: &str) -> Res<ProfileOptions> {
    match json {
        "" | "{}" => Ok(ProfileOptions::default()),
        j => crmlens::options::options_from_json(j),
    }
}

/// FNV-1a of the packed first passes: which first pass a second pass was planned from.
fn fingerprint(b: &[u8]) -> u64 {
    b.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, &x| (h ^ x as u64).wrapping_mul(0x0100_0000_01b3))
}

/// A zero-row copy of the batch (its columns' names, types and metadata).
fn zero_rows(ds: &Dataset) -> Res<Vec<u8>> {
    Ok(Dataset::new(ds.columns().iter().map(|c| c.take(&[])).collect())?.to_bytes())
}

/// One batch → its first-pass state. `options`: `profile`'s options JSON (all partitions must
/// use the same).
/// `force`: per column a type decided across partitions ([`profile_decide`]).
#[pyfunction]
#[pyo3(signature = (kind, data, options, header=None, load=None, part=None, force=None))]
#[allow(clippy::too_many_arguments)]
pub fn profile_first<'py>(
    py: Python<'py>,
    kind: &str,
    data: &[u8],
    options: &str,
    header: Option<&str>,
    load: Option<&str>,
    part: Option<u64>,
    force: Option<Vec<u8>>,
) -> PyResult<Bound<'py, PyBytes>> {
    let force = force.unwrap_or_default();
    let bytes = py
        .detach(|| -> Res<Vec<u8>> {
            let opts = self::options(options)?;
            let ds = dataset_forced(kind, data, header, load, &force)?;
            let p = Part {
                part: part.unwrap_or(NONE),
                load: LoadTally::of(&ds),
                memory: ds.memory_bytes() as u64,
                tokens: ds
                    .columns()
                    .iter()
                    .map(|c| c.missing_tokens.iter().map(|(t, n)| (t.clone(), *n as u64)).collect())
                    .collect(),
                schema: zero_rows(&ds)?,
                first: profile::first_pass_bytes(&ds, &opts)?,
            };
            Ok(First { options: options.to_string(), force, parts: vec![p] }.to_bytes())
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Several first-pass states → one (a union of partitions).
#[pyfunction]
pub fn profile_merge<'py>(py: Python<'py>, states: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py.detach(|| merge_first(&states)).map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

fn merge_first(states: &[Vec<u8>]) -> Res<Vec<u8>> {
    let mut it = states.iter();
    let first = it.next().ok_or_else(|| CrmError::state("merge needs at least one state"))?;
    let mut acc = First::from_bytes(first)?;
    for b in it {
        let s = First::from_bytes(b)?;
        if s.force != acc.force {
            return Err(CrmError::state("profile states read with different column types (force) merged"));
        }
        if s.options != acc.options {
            return Err(CrmError::state(format!(
                "profile states of different options: {} and {}",
                acc.options, s.options
            )));
        }
        for p in s.parts {
            if p.part != NONE && acc.parts.iter().any(|q| q.part == p.part) {
                return Err(CrmError::state(format!(
                    "partition {} is in two of the states merged (its rows would count twice)",
                    p.part
                )));
            }
            acc.parts.push(p);
        }
    }
    // Columns whose types do not merge are left for `profile_decide` (the partitions are read
    // again with the types decided); the report checks them.
    Ok(acc.to_bytes())
}

/// A batch's second pass, planned from the merged first pass `first`.
#[pyfunction]
#[pyo3(signature = (first, kind, data, header=None, load=None, part=None))]
pub fn profile_second<'py>(
    py: Python<'py>,
    first: &[u8],
    kind: &str,
    data: &[u8],
    header: Option<&str>,
    load: Option<&str>,
    part: Option<u64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| -> Res<Vec<u8>> {
            let f = First::from_bytes(first)?;
            let packed = f.packed();
            let ds = dataset_forced(kind, data, header, load, &f.force)?;
            let s = profile::second_pass_bytes(&ds, &f.opts()?, &packed)?;
            let mut w = Writer::new(SECOND, VERSION);
            w.u64(fingerprint(&packed));
            w.len(1);
            w.u64(part.unwrap_or(NONE));
            w.len(s.len());
            Ok(blobs(w.finish(), vec![&s[..]]))
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

struct Second {
    plan: u64,
    parts: Vec<(u64, Vec<u8>)>,
}

impl Second {
    fn from_bytes(b: &[u8]) -> Res<Second> {
        let mut r = Reader::open(b, SECOND, VERSION, WHAT)?;
        let plan = r.u64()?;
        let n = r.len(16)?;
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            heads.push((r.u64()?, r.len(1)?));
        }
        let mut parts = Vec::with_capacity(n);
        for (p, len) in heads {
            parts.push((p, r.take(len)?.to_vec()));
        }
        r.end()?;
        Ok(Second { plan, parts })
    }
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(SECOND, VERSION);
        w.u64(self.plan);
        w.len(self.parts.len());
        for (p, b) in &self.parts {
            w.u64(*p);
            w.len(b.len());
        }
        blobs(w.finish(), self.parts.iter().map(|(_, b)| &b[..]).collect())
    }
}

/// Several second-pass states (of one first pass) → one.
#[pyfunction]
pub fn profile_merge_second<'py>(py: Python<'py>, states: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| -> Res<Vec<u8>> {
            let mut it = states.iter();
            let first = it.next().ok_or_else(|| CrmError::state("merge needs at least one state"))?;
            let mut acc = Second::from_bytes(first)?;
            for b in it {
                let s = Second::from_bytes(b)?;
                if s.plan != acc.plan {
                    return Err(CrmError::state("second-pass profile states planned from different first passes"));
                }
                for (p, b) in s.parts {
                    if p != NONE && acc.parts.iter().any(|q| q.0 == p) {
                        return Err(CrmError::state(format!(
                            "partition {p} is in two of the states merged (its rows would count twice)"
                        )));
                    }
                    acc.parts.push((p, b));
                }
            }
            Ok(acc.to_bytes())
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Missing tokens of one column over the partitions, in partition order (as js/pool.js
/// merges them: a token first seen later is placed after the tokens it followed).
fn merge_tokens(lists: &[&Vec<(String, u64)>]) -> Vec<(String, usize)> {
    let mut out: Vec<(String, usize)> = Vec::new();
    for list in lists {
        let mut at = 0;
        for (t, n) in list.iter() {
            match out.iter().position(|x| &x.0 == t) {
                Some(i) => {
                    out[i].1 += *n as usize;
                    at = i + 1;
                }
                None => {
                    out.insert(at, (t.clone(), *n as usize));
                    at += 1;
                }
            }
        }
    }
    out
}

/// The report (JSON) and the load tally of merged first- and second-pass states.
#[pyfunction]
pub fn profile_finish<'py>(py: Python<'py>, first: &[u8], second: &[u8]) -> PyResult<(String, Bound<'py, PyDict>)> {
    let (report, load) = py
        .detach(|| -> Res<(String, LoadTally)> {
            let f = First::from_bytes(first)?;
            let s = Second::from_bytes(second)?;
            let packed = f.packed();
            if s.plan != fingerprint(&packed) {
                return Err(CrmError::state("the second-pass state was planned from another first pass"));
            }
            let mut have: Vec<u64> = s.parts.iter().map(|p| p.0).collect();
            let mut want: Vec<u64> = f.parts.iter().map(|p| p.part).collect();
            have.sort_unstable();
            want.sort_unstable();
            if have != want {
                return Err(CrmError::state(format!(
                    "the second pass has partitions {have:?}, the first {want:?}: every partition needs both passes"
                )));
            }
            let mut seconds: Vec<&(u64, Vec<u8>)> = s.parts.iter().collect();
            seconds.sort_by_key(|p| p.0);
            let mut packed2 = Vec::new();
            for (_, b) in seconds {
                packed2.extend_from_slice(&(b.len() as u64).to_le_bytes());
                packed2.extend_from_slice(b);
            }
            let ds = f.schema()?;
            let parts = f.ordered();
            let mut load = LoadTally::default();
            parts.iter().for_each(|p| load.merge(&p.load));
            let totals = ShardTotals {
                rows: load.rows,
                memory_bytes: parts.iter().map(|p| p.memory).sum(),
                missing_tokens: (0..ds.num_columns())
                    .map(|j| merge_tokens(&parts.iter().filter_map(|p| p.tokens.get(j)).collect::<Vec<_>>()))
                    .collect(),
            };
            let report = profile::profile_shards(&ds, &f.opts()?, &packed, &packed2, &totals)?;
            let json = serde_json::to_string(&report).map_err(|e| CrmError::state(format!("report to JSON: {e}")))?;
            Ok((json, load))
        })
        .map_err(to_py)?;
    Ok((report, load.to_py(py)?))
}

/// What a first-pass state holds: `{"parts": [numbers], "load": {...}, "options"}`.
#[pyfunction]
pub fn profile_counts<'py>(py: Python<'py>, state: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let f = First::from_bytes(state).map_err(to_py)?;
    let d = PyDict::new(py);
    let parts: Vec<Option<u64>> = f.parts.iter().map(|p| (p.part != NONE).then_some(p.part)).collect();
    d.set_item("parts", parts)?;
    let mut load = LoadTally::default();
    f.parts.iter().for_each(|p| load.merge(&p.load));
    d.set_item("load", load.to_py(py)?)?;
    d.set_item("options", &f.options)?;
    Ok(d)
}

/// The profile of one batch read whole (the browser package's `dataset.profile()`), JSON.
#[pyfunction]
#[pyo3(signature = (kind, data, options, header=None, load=None))]
pub fn profile_whole(
    py: Python<'_>,
    kind: &str,
    data: &[u8],
    options: &str,
    header: Option<&str>,
    load: Option<&str>,
) -> PyResult<String> {
    py.detach(|| -> Res<String> {
        let ds = dataset(kind, data, header, load)?;
        let report = profile::profile(&ds, &self::options(options)?)?;
        serde_json::to_string(&report).map_err(|e| CrmError::state(format!("report to JSON: {e}")))
    })
    .map_err(to_py)
}

/// The second-pass state's partitions (for checks in Python).
#[pyfunction]
pub fn profile_second_parts(state: &[u8]) -> PyResult<Vec<Option<u64>>> {
    let s = Second::from_bytes(state).map_err(to_py)?;
    Ok(s.parts.iter().map(|p| (p.0 != NONE).then_some(p.0)).collect())
}

/// A batch read by the core's loader, as an Arrow IPC stream (the browser's `ds.toArrow()`):
/// a table with the types the browser package gives the file.
#[pyfunction]
#[pyo3(signature = (kind, data, header=None, load=None))]
pub fn to_arrow<'py>(
    py: Python<'py>,
    kind: &str,
    data: &[u8],
    header: Option<&str>,
    load: Option<&str>,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| -> Res<Vec<u8>> { Ok(crmlens::io::write_ipc_stream(&dataset(kind, data, header, load)?)) })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// The column types to read every partition with (`ShardType` codes), when the partitions'
/// own inference disagreed beyond what merges (see [`decide`]); `None` when nothing needs it.
#[pyfunction]
pub fn profile_decide(state: &[u8]) -> PyResult<Option<Vec<u8>>> {
    let f = First::from_bytes(state).map_err(to_py)?;
    if !f.force.is_empty() {
        // Already read with decided types: what still disagrees is an error of the schema.
        f.schema().map_err(to_py)?;
        return Ok(None);
    }
    decide(&f).map_err(to_py)
}
