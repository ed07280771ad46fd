//! `customerValue`: the customer value table of a transaction Dataset.

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle;
use crmlens::task::Ctl;
use crmlens::value::customer_value::{customer_value, customer_value_async, CustomerValue};
use crmlens::value::profiles::{join_customers, JoinOptions};
use crmlens::value::CustomerValueOptions;
use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

/// From a transaction table (`options.customer`, `.date`, `.amount` name its columns) to
/// `{ customers, model, cohorts }`: `customers` is a Dataset with one row per customer
/// (first/last purchase, frequency, recency, T, monetary, R/F/M scores, RFM code, segment,
/// P(alive), expected purchases over `horizon` months, expected spend, discounted CLV);
/// `model` holds the BG/NBD and Gamma-Gamma fits (with `converged` and a diagnostic), the
/// segment summary and the count of transaction rows used and left out, by reason;
/// `cohorts` is the monthly acquisition-cohort retention matrix.
#[wasm_bindgen(js_name = customerValue, unchecked_return_type = "{ customers: Dataset, model: ValueModel, cohorts: CohortMatrix }")]
pub fn js_customer_value(
    transactions: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "CustomerValueOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: CustomerValueOptions = convert::options(&options).js()?;
    value_js(customer_value(&transactions.inner, &opts).js()?)
}

/// `customerValue` as long work: `{ ...CustomerValueOptions, onProgress, signal }`; progress
/// `rows` (transaction rows read), then `fit`, `predict`, `table`.
#[wasm_bindgen(js_name = customerValueAsync, unchecked_return_type = "Promise<ReturnType<typeof customerValue>>")]
pub fn js_customer_value_async(
    transactions: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "CustomerValueOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: CustomerValueOptions = convert::options(&opts).js()?;
        let ds = transactions.inner.clone();
        Ok(future_to_promise(async move {
            let mut ctl = Ctl::new(&control);
            value_js(customer_value_async(&ds, &opts, &mut ctl).await.js()?)
        }))
    })())
}

pub(crate) fn value_js(v: CustomerValue) -> JsResult<JsValue> {
    let out = Object::new();
    Reflect::set(&out, &"model".into(), &convert::to_plain(&v.model).js()?)?;
    Reflect::set(&out, &"cohorts".into(), &convert::to_plain(&v.cohorts).js()?)?;
    Reflect::set(&out, &"customers".into(), &JsDataset::new(v.customers).into())?;
    Ok(out.into())
}

/// Left-joins `other`'s columns onto the customer table `customers` by id (`options.key`,
/// `options.otherKey`, `options.prefix`): `{ dataset, report }`, one row per customer, with
/// every id that did not match counted in `report`. `customerProfiles` is built on this.
#[wasm_bindgen(js_name = joinCustomers, unchecked_return_type = "{ dataset: Dataset, report: JoinReport }")]
pub fn js_join_customers(
    customers: &JsDataset,
    other: &JsDataset,
    #[wasm_bindgen(unchecked_optional_param_type = "JoinOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: JoinOptions = convert::options(&options).js()?;
    let (dataset, report) = join_customers(&customers.inner, &other.inner, &opts).js()?;
    let out = Object::new();
    Reflect::set(&out, &"report".into(), &convert::to_plain(&report).js()?)?;
    Reflect::set(&out, &"dataset".into(), &JsDataset::new(dataset).into())?;
    Ok(out.into())
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// An independent copy of this table (its own wasm memory; free both).
    pub fn copy(&self) -> JsDataset {
        JsDataset { inner: self.inner.clone() }
    }
}
