//! A batch in. Python hands over bytes and says what they are:
//!
//! - `"arrow"`: an Arrow IPC stream (a `pyarrow.RecordBatch` / `Table` written with
//!   `pyarrow.ipc`), read by the core's reader (`crmlens::io::arrow::read_ipc_stream`) into a
//!   `Dataset` with Arrow's types.
//! - `"arrow"` with a `header`: the stream holds one string column of lines of a delimited
//!   text file (what `spark.read.text` / `dask.bag.read_text` give) and `header` is the file's
//!   first line: header + lines are parsed by the core's loader with the load options, the
//!   same parse and type inference the browser package applies to the file.
//! - `"csv"`: the bytes of a delimited text file (header included), parsed by the loader.
//!
//! Every load is tallied in a [`LoadTally`] (records, rows skipped or repaired, issue counts
//! by kind), which the states carry so that no partition's rows are dropped silently.

use crmlens::error::CrmError;
use crmlens::io::shard::{CsvShard, ShardType};
use crmlens::io::{read_bytes, LoadOptions, Loader};
use crmlens::table::wire::{Reader, Writer};
use crmlens::table::{ColumnData, Dataset};

use crate::error::Res;

/// Reads one batch.
pub fn dataset(kind: &str, data: &[u8], header: Option<&str>, load: Option<&str>) -> Res<Dataset> {
    let opts: LoadOptions = match load {
        Some(j) if !j.is_empty() => crmlens::options::options_from_json(j)?,
        _ => LoadOptions::default(),
    };
    match (kind, header) {
        ("csv", None) => read_bytes(data, opts),
        ("csv", Some(h)) => {
            let mut text = Vec::with_capacity(h.len() + 1 + data.len());
            text.extend_from_slice(h.as_bytes());
            text.push(b'\n');
            text.extend_from_slice(data);
            read_bytes(&text, opts)
        }
        ("arrow", None) => arrow(data),
        ("arrow", Some(h)) => {
            let lines = arrow(data)?;
            let text = join_lines(&lines, h)?;
            read_bytes(&text, opts)
        }
        _ => Err(CrmError::invalid_option("kind", format!("{kind:?}: expected \"arrow\" or \"csv\""))),
    }
}

/// [`dataset`], with per column a type decided across partitions (`crmlens::io::shard::ShardType`
/// codes: 0 the partition's own inference, 1 float, 2 string, 3 text, 4/5 dates day/month
/// first) for text input; typed (Arrow) input keeps its types.
pub fn dataset_forced(kind: &str, data: &[u8], header: Option<&str>, load: Option<&str>, force: &[u8]) -> Res<Dataset> {
    if force.iter().all(|&c| c == 0) || kind != "csv" {
        return dataset(kind, data, header, load);
    }
    let opts: LoadOptions = match load {
        Some(j) if !j.is_empty() => crmlens::options::options_from_json(j)?,
        _ => LoadOptions::default(),
    };
    let text = match header {
        Some(h) => {
            let mut t = Vec::with_capacity(h.len() + 1 + data.len());
            t.extend_from_slice(h.as_bytes());
            t.push(b'\n');
            t.extend_from_slice(data);
            t
        }
        None => data.to_vec(),
    };
    let force = force.iter().map(|&c| ShardType::from_code(c)).collect();
    let mut loader = Loader::shard(opts, CsvShard { names: None, first_line: 1, last: true, force })?;
    loader.expect_bytes(text.len() as u64);
    for piece in text.chunks(1 << 20) {
        loader.push(piece)?;
        if loader.is_full() {
            break;
        }
    }
    loader.finish()
}

fn arrow(data: &[u8]) -> Res<Dataset> {
    crate::arrow_in::read(data)
}

/// Header + the lines of a one-column string table, newline-separated (null lines are empty).
fn join_lines(ds: &Dataset, header: &str) -> Res<Vec<u8>> {
    let [col] = ds.columns() else {
        return Err(CrmError::invalid_option(
            "header",
            format!("lines of a text file come as one string column; this batch has {} columns", ds.num_columns()),
        ));
    };
    let mut out = Vec::with_capacity(header.len() + 1 + ds.num_rows() * 32);
    out.extend_from_slice(header.as_bytes());
    match &col.data {
        ColumnData::Text(v) => {
            for i in 0..v.len() {
                out.push(b'\n');
                if col.validity.is_valid(i) {
                    out.extend_from_slice(v.get(i).as_bytes());
                }
            }
        }
        ColumnData::Category { codes, dict } => {
            for (i, &c) in codes.iter().enumerate() {
                out.push(b'\n');
                if col.validity.is_valid(i) {
                    out.extend_from_slice(dict.get(c as usize).map_or("", |s| s.as_str()).as_bytes());
                }
            }
        }
        _ => {
            return Err(CrmError::invalid_option(
                "header",
                format!("lines of a text file come as one string column; column {:?} is {:?}", col.name, col.dtype()),
            ))
        }
    }
    Ok(out)
}

/// What loading the batches read and what it skipped or repaired, summed over batches.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct LoadTally {
    pub batches: u64,
    pub rows: u64,
    pub skipped_rows: u64,
    pub repaired_rows: u64,
    /// (kind, action) → count, in order of first appearance.
    pub issues: Vec<(String, String, u64)>,
}

impl LoadTally {
    pub fn of(ds: &Dataset) -> Self {
        let s = &ds.source;
        LoadTally {
            batches: 1,
            rows: ds.num_rows() as u64,
            skipped_rows: s.skipped_rows,
            repaired_rows: s.repaired_rows,
            issues: ds.issue_counts.iter().map(|c| (c.kind.clone(), c.action.clone(), c.count)).collect(),
        }
    }
    pub fn merge(&mut self, o: &LoadTally) {
        self.batches += o.batches;
        self.rows += o.rows;
        self.skipped_rows += o.skipped_rows;
        self.repaired_rows += o.repaired_rows;
        for (k, a, n) in &o.issues {
            match self.issues.iter_mut().find(|(k2, a2, _)| k2 == k && a2 == a) {
                Some(e) => e.2 += n,
                None => self.issues.push((k.clone(), a.clone(), *n)),
            }
        }
    }
    pub fn write(&self, w: &mut Writer) {
        w.u64(self.batches);
        w.u64(self.rows);
        w.u64(self.skipped_rows);
        w.u64(self.repaired_rows);
        w.len(self.issues.len());
        for (k, a, n) in &self.issues {
            w.str(k);
            w.str(a);
            w.u64(*n);
        }
    }
    pub fn read(r: &mut Reader) -> Res<Self> {
        let mut t = LoadTally {
            batches: r.u64()?,
            rows: r.u64()?,
            skipped_rows: r.u64()?,
            repaired_rows: r.u64()?,
            issues: Vec::new(),
        };
        let n = r.len(24)?;
        for _ in 0..n {
            let k = r.str()?.to_string();
            let a = r.str()?.to_string();
            t.issues.push((k, a, r.u64()?));
        }
        Ok(t)
    }
    pub fn to_py<'py>(&self, py: pyo3::Python<'py>) -> pyo3::PyResult<pyo3::Bound<'py, pyo3::types::PyDict>> {
        use pyo3::types::PyDictMethods;
        let d = pyo3::types::PyDict::new(py);
        d.set_item("batches", self.batches)?;
        d.set_item("rows", self.rows)?;
        d.set_item("skippedRows", self.skipped_rows)?;
        d.set_item("repairedRows", self.repaired_rows)?;
        let issues: Vec<(String, String, u64)> = self.issues.clone();
        d.set_item(
            "issueCounts",
            issues
                .into_iter()
                .map(|(k, a, n)| {
                    let e = pyo3::types::PyDict::new(py);
                    let _ = e.set_item("kind", k);
                    let _ = e.set_item("action", a);
                    let _ = e.set_item("count", n);
                    e
                })
                .collect::<Vec<_>>(),
        )?;
        Ok(d)
    }
}
