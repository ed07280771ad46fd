//! `dataset.mask(options)` and `dataset.clean(plan)`: new Datasets with what changed.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crate::clean::{mask, MaskOptions};

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
}
