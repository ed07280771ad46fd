//! `sentiment`: per row compound, positive, neutral, negative, label and language — the
//! same scores as the package's `sentiment()` (row-wise, so partitions need no merge).

use pyo3::prelude::*;
use pyo3::types::PyDict;

use crmlens::sentiment::dataset::sentiment_of_dataset;
use crmlens::sentiment::SentimentOptions;

use crate::error::{to_py, Res};
use crate::input::{dataset, LoadTally};

/// `(columns, load)`; `options`: `sentiment()`'s options JSON (`column`, `language`, …).
#[pyfunction]
#[pyo3(signature = (kind, data, options, header=None, load=None))]
pub fn sentiment<'py>(
    py: Python<'py>,
    kind: &str,
    data: &[u8],
    options: &str,
    header: Option<&str>,
    load: Option<&str>,
) -> PyResult<(Bound<'py, PyDict>, Bound<'py, PyDict>)> {
    let (r, tally) = py
        .detach(|| -> Res<_> {
            let opts: SentimentOptions = crmlens::options::options_from_json(options)?;
            let ds = dataset(kind, data, header, load)?;
            Ok((sentiment_of_dataset(&ds, &opts)?, LoadTally::of(&ds)))
        })
        .map_err(to_py)?;
    let d = PyDict::new(py);
    let f = |v: &[f64]| v.iter().map(|&x| x.is_finite().then_some(x)).collect::<Vec<Option<f64>>>();
    d.set_item("compound", f(&r.compound))?;
    d.set_item("positive", f(&r.positive))?;
    d.set_item("neutral", f(&r.neutral))?;
    d.set_item("negative", f(&r.negative))?;
    d.set_item("label", r.label.iter().map(|l| l.map(|l| l.as_str())).collect::<Vec<_>>())?;
    let lang: Vec<String> = r
        .language
        .iter()
        .map(|l| serde_json::to_value(l).ok().and_then(|v| v.as_str().map(String::from)).unwrap_or_default())
        .collect();
    d.set_item("language", lang)?;
    Ok((d, tally.to_py(py)?))
}
