//! `customerValue`: the customer value table of a transaction Dataset.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crate::value::{customer_value, CustomerValueOptions};

/// From a transaction table (`options.customer`, `.date`, `.amount` name its columns) to
/// `{ customers, model, cohorts }`: `customers` is a Dataset with one row per customer
/// (first/last purchase, frequency, recency, T, monetary, R/F/M scores, RFM code, segment,
/// P(alive), expected purchases over `horizon` months, expected spend, discounted CLV);
/// `model` holds the BG/NBD and Gamma-Gamma fits (with `converged` and a diagnostic), the
/// segment summary and the count of transaction rows used and left out, by reason;
/// `cohorts` is the monthly acquisition-cohort retention matrix.
#[wasm_bindgen(js_name = customerValue, unchecked_return_type = "{ customers: Dataset, model: any, cohorts: any }")]
pub fn js_customer_value(
    transactions: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "CustomerValueOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: CustomerValueOptions = convert::options(&options).js()?;
    let v = customer_value(&transactions.inner, &opts).js()?;
    let out = Object::new();
    Reflect::set(&out, &"model".into(), &convert::to_plain(&v.model).js()?)?;
    Reflect::set(&out, &"cohorts".into(), &convert::to_plain(&v.cohorts).js()?)?;
    Reflect::set(&out, &"customers".into(), &JsDataset { inner: v.customers }.into())?;
    Ok(out.into())
}
