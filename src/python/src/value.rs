//! The customer summary state and `customer_value`.
//!
//! State bytes (`crmlens::table::wire`, kind "VALU", version [`VERSION`]): the transaction
//! columns (JSON, so that only states read with the same columns merge), then one entry per
//! partition: its number, its load tally and the core's `SummaryBuilder` in its compact bytes
//! (`crmlens::value::summary::compact`, kind "SUMC", its own version: grouped per customer and
//! purchase day, amounts as cents: 7.5 bytes per CDNOW row against the plain form's 28.4). A
//! merge only concatenates the partitions' bytes (nothing is decoded on the workers); the fit
//! decodes them once.
//!
//! Why partitions are kept apart until the fit: the builder keeps every usable transaction
//! (customer, day, amount, row), numbers customers in order of first appearance and sums the
//! amounts of one purchase occasion in row order. Merging the partitions' builders in partition
//! order (0, 1, 2, … — the order of the file) therefore gives the very builder that reading the
//! whole file gives, whatever order the engine delivered and reduced the states in: the same
//! customer order, the same row numbers in the report, the same floating-point sums. A merge
//! is a union of entries (a partition merged twice is `INVALID_STATE`), so any reduction tree
//! works; the state is the sum of the partitions' compact builders.

use pyo3::prelude::*;
use pyo3::types::{PyBytes, PyDict};

use crmlens::error::CrmError;
use crmlens::table::wire::{Reader, Writer};
use crmlens::value::{
    customer_value_from_builder, summary_builder, CustomerValueOptions, SummaryBuilder, TransactionColumns,
};

use crate::error::{new, to_py, Res};
use crate::input::{dataset, LoadTally};

const KIND: &[u8; 4] = b"VALU";
pub const VERSION: u16 = 2;
const WHAT: &str = "customer summary state";

struct Part {
    /// The partition's number (its place in the file); `u64::MAX` for "after the numbered
    /// ones, in the order merged".
    part: u64,
    load: LoadTally,
    /// The builder's compact bytes (decoded by [`State::builder`]).
    builder: Vec<u8>,
}

struct State {
    columns: String,
    parts: Vec<Part>,
}

impl State {
    fn to_bytes(&self) -> Vec<u8> {
        let mut w = Writer::new(KIND, VERSION);
        w.str(&self.columns);
        w.len(self.parts.len());
        let mut tail = Vec::new();
        for p in &self.parts {
            w.u64(p.part);
            p.load.write(&mut w);
            w.len(p.builder.len());
            tail.push(&p.builder);
        }
        let mut out = w.finish();
        for b in tail {
            out.extend_from_slice(b);
        }
        out
    }
    fn from_bytes(bytes: &[u8]) -> Res<State> {
        let mut r = Reader::open(bytes, KIND, VERSION, WHAT)?;
        let columns = r.str()?.to_string();
        let n = r.len(8 + 40)?;
        let mut heads = Vec::with_capacity(n);
        for _ in 0..n {
            let part = r.u64()?;
            let load = LoadTally::read(&mut r)?;
            let len = r.len(1)?;
            heads.push((part, load, len));
        }
        let mut parts = Vec::with_capacity(n);
        for (part, load, len) in heads {
            parts.push(Part { part, load, builder: r.take(len)?.to_vec() });
        }
        r.end()?;
        Ok(State { columns, parts })
    }
    /// The load tallies summed over partitions.
    fn load(&self) -> LoadTally {
        let mut t = LoadTally::default();
        for p in &self.parts {
            t.merge(&p.load);
        }
        t
    }
    /// One builder: the partitions' builders decoded and merged in partition order (bad or
    /// foreign bytes are errors here).
    fn builder(&self) -> Res<SummaryBuilder> {
        let mut order: Vec<usize> = (0..self.parts.len()).collect();
        order.sort_by_key(|&i| self.parts[i].part);
        let mut b = SummaryBuilder::new();
        for i in order {
            b.merge(SummaryBuilder::from_compact_bytes(&self.parts[i].builder)?);
        }
        Ok(b)
    }
}

fn column_options(columns: &str) -> Res<CustomerValueOptions> {
    crmlens::options::options_from_json(columns)
}

/// One batch → state bytes. `columns`: JSON `{customer, date, amount | quantity + price,
/// invoice}`; `part`: the batch's partition number (its place in the file), if known.
#[pyfunction]
#[pyo3(signature = (kind, data, columns, header=None, load=None, part=None))]
pub fn summary_update<'py>(
    py: Python<'py>,
    kind: &str,
    data: &[u8],
    columns: &str,
    header: Option<&str>,
    load: Option<&str>,
    part: Option<u64>,
) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| -> Res<Vec<u8>> {
            let o = column_options(columns)?;
            let ds = dataset(kind, data, header, load)?;
            let cols = TransactionColumns {
                customer: &o.customer,
                date: &o.date,
                amount: o.amount.as_deref(),
                quantity: o.quantity.as_deref(),
                price: o.price.as_deref(),
                invoice: o.invoice.as_deref(),
            };
            let builder = summary_builder(&ds, &cols)?;
            let part =
                Part { part: part.unwrap_or(u64::MAX), load: LoadTally::of(&ds), builder: builder.to_compact_bytes() };
            Ok(State { columns: columns.to_string(), parts: vec![part] }.to_bytes())
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// Several states → one. States read with other columns, and a numbered partition found in
/// two states, are `INVALID_STATE`.
#[pyfunction]
pub fn summary_merge<'py>(py: Python<'py>, states: Vec<Vec<u8>>) -> PyResult<Bound<'py, PyBytes>> {
    let bytes = py
        .detach(|| -> Res<Vec<u8>> {
            let mut it = states.iter();
            let first = it.next().ok_or_else(|| CrmError::state("merge needs at least one state"))?;
            let mut acc = State::from_bytes(first)?;
            for b in it {
                let s = State::from_bytes(b)?;
                if s.columns != acc.columns {
                    return Err(CrmError::state(format!(
                        "customer summary states of different columns: {} and {}",
                        acc.columns, s.columns
                    )));
                }
                for p in s.parts {
                    if p.part != u64::MAX && acc.parts.iter().any(|q| q.part == p.part) {
                        return Err(CrmError::state(format!(
                            "partition {} is in two of the states merged (its rows would count twice)",
                            p.part
                        )));
                    }
                    acc.parts.push(p);
                }
            }
            Ok(acc.to_bytes())
        })
        .map_err(to_py)?;
    Ok(PyBytes::new(py, &bytes))
}

/// What a state has read: `{"columns", "parts": [numbers], "load": {...}, "rows": RowReport JSON}`
/// (counts summed over partitions).
#[pyfunction]
pub fn summary_counts<'py>(py: Python<'py>, state: &[u8]) -> PyResult<Bound<'py, PyDict>> {
    let s = State::from_bytes(state).map_err(to_py)?;
    let d = PyDict::new(py);
    d.set_item("columns", &s.columns)?;
    let parts: Vec<Option<u64>> = s.parts.iter().map(|p| (p.part != u64::MAX).then_some(p.part)).collect();
    d.set_item("parts", parts)?;
    d.set_item("load", s.load().to_py(py)?)?;
    d.set_item("rows", crate::output::json(s.builder().map_err(to_py)?.report())?)?;
    Ok(d)
}

/// The value table of a (merged) state: `(customers columns, model JSON, cohorts JSON, load)`.
/// `options`: `customerValue`'s options JSON without the column names (they come from the
/// state).
#[pyfunction]
pub fn customer_value<'py>(
    py: Python<'py>,
    state: &[u8],
    options: &str,
) -> PyResult<(Bound<'py, PyDict>, String, String, Bound<'py, PyDict>)> {
    let s = State::from_bytes(state).map_err(to_py)?;
    let mut merged: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(&s.columns).map_err(|e| new("INVALID_STATE", format!("columns of the state: {e}")))?;
    let extra: serde_json::Map<String, serde_json::Value> =
        serde_json::from_str(if options.is_empty() { "{}" } else { options })
            .map_err(|e| new("INVALID_OPTION", format!("options: {e}")))?;
    for (k, v) in extra {
        merged.insert(k, v);
    }
    let opts: CustomerValueOptions =
        crmlens::options::options_from_json(&serde_json::Value::Object(merged).to_string()).map_err(to_py)?;
    let v = py.detach(|| customer_value_from_builder(&s.builder()?, &opts)).map_err(to_py)?;
    let cols = crate::output::columns(py, &v.customers)?;
    Ok((cols, crate::output::json(&v.model)?, crate::output::json(&v.cohorts)?, s.load().to_py(py)?))
}
