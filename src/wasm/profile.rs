//! `dataset.profile(options?)`: the profile report as a plain object.

use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crate::profile::{profile, ProfileOptions};

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// A profile of the table: dataset figures (rows, columns, memory, exact duplicate rows,
    /// missing cells), per column type, role, counts, missing (and the tokens read as
    /// missing), distinct values, top values, numeric moments, percentiles p1…p99,
    /// histogram, outlier counts, text lengths / shapes / whitespace / PII, date range and
    /// granularity; Pearson, Spearman and Cramér's V with the strongest pairs; and alerts
    /// with severity. Every statistic is computed from mergeable states.
    #[wasm_bindgen(unchecked_return_type = "ProfileReport")]
    pub fn profile(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "ProfileOptions")] options: Option<js_sys::Object>,
    ) -> JsResult<JsValue> {
        let opts: ProfileOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        let report = profile(&self.inner, &opts).js()?;
        convert::to_plain(&report).js()
    }
}
