//! `dataset.profile(options?)`: the profile report as a plain object, its numeric arrays
//! (percentiles, histograms, correlation matrices) as `Float64Array`s.

use js_sys::{Array, Float64Array, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle;
use crmlens::profile::{profile, profile_async, ProfileOptions, ProfileReport};
use crmlens::task::Ctl;
use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

fn set_f64(obj: &JsValue, key: &str, values: impl Iterator<Item = f64>) -> JsResult<()> {
    let v: Vec<f64> = values.collect();
    Reflect::set(obj, &key.into(), &Float64Array::from(v.as_slice()))?;
    Ok(())
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// A profile of the table: dataset figures (rows, columns, memory, exact duplicate rows,
    /// missing cells), per column type, role, counts, missing (and the tokens read as
    /// missing), distinct values, top values, numeric moments, percentiles p1…p99,
    /// histogram, outlier counts, text lengths / shapes / whitespace / PII, date range and
    /// granularity; Pearson, Spearman and Cramér's V with the strongest pairs; and alerts
    /// with severity. Every statistic is computed from mergeable states. Percentiles,
    /// histogram edges and counts, and the correlation matrices (NaN where undefined) are
    /// `Float64Array`s.
    #[wasm_bindgen(unchecked_return_type = "ProfileReport")]
    pub fn profile(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProfileOptions")] options: Option<js_sys::Object>,
    ) -> JsResult<JsValue> {
        let opts: ProfileOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        report_js(profile(&self.inner, &opts).js()?)
    }

    /// `profile` as long work: `{ ...ProfileOptions, onProgress, signal }`; progress
    /// `columns` (first pass), then `rows`. The same report as `profile`.
    #[wasm_bindgen(js_name = profileAsync, unchecked_return_type = "Promise<ProfileReport>")]
    pub fn profile_async(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProfileOptions & LongWork")] options: Option<js_sys::Object>,
    ) -> Promise {
        lifecycle::promise((|| {
            let (opts, control) = lifecycle::split(options.map(JsValue::from))?;
            let opts: ProfileOptions = convert::options(&opts).js()?;
            let ds = self.inner.clone();
            Ok(future_to_promise(async move {
                let mut ctl = Ctl::new(&control);
                report_js(profile_async(&ds, &opts, &mut ctl).await.js()?)
            }))
        })())
    }
}

pub(crate) fn report_js(report: ProfileReport) -> JsResult<JsValue> {
    {
        let out = convert::to_plain(&report).js()?;
        let columns = Array::from(&Reflect::get(&out, &"columns".into())?);
        for (c, jc) in report.columns.iter().zip(columns.iter()) {
            if let Some(q) = &c.quantiles {
                set_f64(&Reflect::get(&jc, &"quantiles".into())?, "values", q.values.iter().copied())?;
            }
            if let Some(h) = &c.histogram {
                let jh = Reflect::get(&jc, &"histogram".into())?;
                set_f64(&jh, "edges", h.edges.iter().copied())?;
                set_f64(&jh, "counts", h.counts.iter().map(|&n| n as f64))?;
            }
        }
        let corr = Reflect::get(&out, &"correlations".into())?;
        let c = &report.correlations;
        for (key, m) in [("pearson", &c.pearson), ("spearman", &c.spearman), ("cramersV", &c.cramers_v)] {
            set_f64(&corr, key, m.iter().map(|v| v.unwrap_or(f64::NAN)))?;
        }
        Ok(out)
    }
}
