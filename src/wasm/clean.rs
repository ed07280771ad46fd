//! `dataset.mask(options)` and `dataset.clean(plan)`: new Datasets with what changed.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crmlens::clean::{clean, mask, CleanPlan, CleanReport, MaskOptions};

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
        Reflect::set(&out, &"dataset".into(), &JsDataset { inner: ds }.into())?;
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
        let r = clean(&self.inner, &plan).js()?;
        let report = CleanReport { log: r.log, duplicates: r.duplicates };
        let out = Object::new();
        Reflect::set(&out, &"log".into(), &convert::to_plain(&report.log).js()?)?;
        Reflect::set(&out, &"duplicates".into(), &convert::to_plain(&report.duplicates).js()?)?;
        Reflect::set(&out, &"dataset".into(), &JsDataset { inner: r.dataset }.into())?;
        Ok(out.into())
    }
}
