//! `dataset.mask(options)` and `dataset.clean(plan)`: new Datasets with what changed.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle;
use crmlens::clean::{clean, clean_async, mask, CleanPlan, CleanReport, CleanResult, MaskOptions};
use crmlens::task::Ctl;
use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Masks personal data: `{ columns: string[] | "auto", method: "redact" | "hash" |
    /// "partial", salt? }` → `{ dataset, report }`; `report.columns` lists every column
    /// changed, the kind of personal data found and how many cells changed. This Dataset
    /// is left as it is.
    #[wasm_bindgen(unchecked_return_type = "{ dataset: Dataset, report: MaskReport }")]
    pub fn mask(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "MaskOptions")] options: Option<Object>,
    ) -> JsResult<JsValue> {
        let opts: MaskOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        let (ds, report) = mask(&self.inner, &opts).js()?;
        let out = Object::new();
        Reflect::set(&out, &"report".into(), &convert::to_plain(&report).js()?)?;
        Reflect::set(&out, &"dataset".into(), &JsDataset::new(ds).into())?;
        Ok(out.into())
    }

    /// Cleans the table as `plan` says (steps run in the order convert, trim, case,
    /// standardize, fill, outliers, dedupe, fuzzyDedupe) → `{ dataset, log, duplicates }`:
    /// the new Dataset; the log of every change (row, column, before, after, rule) with exact
    /// counts per rule and notes; and the fuzzy duplicate groups with per-field scores and
    /// a suggested survivor. This Dataset is left as it is.
    #[wasm_bindgen(unchecked_return_type = "{ dataset: Dataset, log: CleanLog, duplicates: DuplicateGroup[] }")]
    pub fn clean(&self, #[wasm_bindgen(unchecked_param_type = "CleanPlan")] plan: JsValue) -> JsResult<JsValue> {
        let plan: CleanPlan = convert::options(&plan).js()?;
        clean_js(clean(&self.inner, &plan).js()?)
    }

    /// `clean` as long work: `{ ...CleanPlan, onProgress, signal }`; one progress phase per
    /// step of the plan. The same result as `clean`.
    #[wasm_bindgen(
        js_name = cleanAsync,
        unchecked_return_type = "Promise<{ dataset: Dataset, log: CleanLog, duplicates: DuplicateGroup[] }>"
    )]
    pub fn clean_async(&self, #[wasm_bindgen(unchecked_param_type = "CleanPlan & LongWork")] plan: JsValue) -> Promise {
        lifecycle::promise((|| {
            let (plan, control) = lifecycle::split(Some(plan))?;
            let plan: CleanPlan = convert::options(&plan).js()?;
            let ds = self.inner.clone();
            Ok(future_to_promise(async move {
                let mut ctl = Ctl::new(&control);
                clean_js(clean_async(&ds, &plan, &mut ctl).await.js()?)
            }))
        })())
    }
}

fn clean_js(r: CleanResult) -> JsResult<JsValue> {
    {
        let report = CleanReport { log: r.log, duplicates: r.duplicates };
        let out = Object::new();
        Reflect::set(&out, &"log".into(), &convert::to_plain(&report.log).js()?)?;
        Reflect::set(&out, &"duplicates".into(), &convert::to_plain(&report.duplicates).js()?)?;
        Reflect::set(&out, &"dataset".into(), &JsDataset::new(r.dataset).into())?;
        Ok(out.into())
    }
}
