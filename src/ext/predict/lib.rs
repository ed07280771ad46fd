//! crmlens-predict, the lazily loaded wasm module `predict` (see docs-lazy-modules.md): the
//! core's `crmlens::predict` (issue 17) behind a JS boundary of its own. Tables arrive as
//! Dataset bytes (`datasetToBytes` of js/bytes.js), options as JSON text; tables leave as
//! Dataset bytes (read back into a core `Dataset` with `Dataset.fromBytes`), reports as JSON
//! text. js/predict.js is the public API over these exports.
//!
//! - [`train`]: `Predictor.train` (async: progress, abort and a turn for the page through the
//!   [`host::JsHost`] the JS side passes in).
//! - [`Model`]: a trained predictor in this module's memory: report, predict, scores, JSON.
//! - [`transaction_features`]: `transactionFeatures` on an order log.
//! - [`host`]: the `task::Control` built from the JS callbacks.

pub mod host;

use crmlens::predict::{self, PredictOptions, Predictor, TrainOptions, TransactionFeatureOptions};
use crmlens::task::Ctl;
use crmlens::{CrmError, Dataset};
use js_sys::{Error, Function, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

/// `CrmError` → JS `Error { name: "CrmlensError", code, field }` (as the core's boundary does).
fn to_js(e: CrmError) -> JsValue {
    let err = Error::new(&e.to_string());
    err.set_name("CrmlensError");
    let _ = Reflect::set(&err, &"code".into(), &e.code().into());
    if let Some(f) = e.location().field {
        let _ = Reflect::set(&err, &"field".into(), &f.into());
    }
    err.into()
}

fn json<T: Serialize>(v: &T) -> Result<String, JsValue> {
    serde_json::to_string(v).map_err(|e| to_js(CrmError::state(format!("serialising the result failed: {e}"))))
}

/// Trains a predictor on a table given as Dataset bytes; `options` is the options object as
/// JSON text (`TrainOptions`: target, positive, task, features, model, validation,
/// classWeight, threshold). `progress(phase, done, total)` is called about every 25 ms and at
/// each phase; `aborted()` is asked at the same points (true → `ABORTED`); `pause()` returns a
/// Promise that gives the host a turn.
#[wasm_bindgen]
pub async fn train(
    dataset: Vec<u8>,
    options: String,
    progress: Option<Function>,
    aborted: Option<Function>,
    pause: Option<Function>,
) -> Result<Model, JsValue> {
    let ds = Dataset::from_bytes(&dataset).map_err(to_js)?;
    drop(dataset);
    let opts = TrainOptions::from_json(&options).map_err(to_js)?;
    let host = host::JsHost { progress, aborted, pause };
    let mut ctl = Ctl::new(&host);
    let inner = predict::train(&ds, &opts, &mut ctl).await.map_err(to_js)?;
    Ok(Model { inner })
}

/// What `Predictor` shows of itself (everything but the fitted numbers).
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Report<'a> {
    task: &'a predict::Task,
    target: &'a str,
    model: &'a predict::ModelKind,
    positive: &'a Option<String>,
    negative: &'a Option<String>,
    output: &'a predict::Output,
    threshold: f64,
    quality: &'a predict::Quality,
    candidates: &'a [predict::Candidate],
    importance: &'a [predict::Importance],
    features: &'a predict::FeatureReport,
    warnings: &'a [String],
}

/// A trained predictor, kept in this module's memory.
#[wasm_bindgen]
pub struct Model {
    inner: Predictor,
}

#[wasm_bindgen]
impl Model {
    /// The report as JSON text: task, target, model, positive, negative, output, threshold,
    /// quality, candidates, importance, features ({ used, leftOut }), warnings.
    pub fn report(&self) -> Result<String, JsValue> {
        let p = &self.inner;
        json(&Report {
            task: &p.task,
            target: &p.target,
            model: &p.model,
            positive: &p.positive,
            negative: &p.negative,
            output: &p.output,
            threshold: p.threshold,
            quality: &p.quality,
            candidates: &p.candidates,
            importance: &p.importance,
            features: &p.features,
            warnings: &p.warnings,
        })
    }

    /// Scores a table (Dataset bytes); `options` as JSON text (`{ explain }`). Returns
    /// `{ bytes: Uint8Array (the scored table as Dataset bytes), warnings: string (JSON) }`.
    pub fn predict(&self, dataset: &[u8], options: &str) -> Result<JsValue, JsValue> {
        let ds = Dataset::from_bytes(dataset).map_err(to_js)?;
        let o = PredictOptions::from_json(options).map_err(to_js)?;
        scored(self.inner.predict(&ds, o.explain).map_err(to_js)?)
    }

    /// [`Model::predict`] with progress (phase `explain`), abort and a turn for the page, as
    /// [`train`] takes them.
    #[wasm_bindgen(js_name = predictAsync)]
    pub fn predict_async(
        &self,
        dataset: Vec<u8>,
        options: String,
        progress: Option<Function>,
        aborted: Option<Function>,
        pause: Option<Function>,
    ) -> js_sys::Promise {
        // The future must own what it reads (wasm-bindgen futures are 'static): a copy of
        // the model (its trees or coefficients, small next to the table).
        let inner = self.inner.clone();
        wasm_bindgen_futures::future_to_promise(async move {
            let ds = Dataset::from_bytes(&dataset).map_err(to_js)?;
            drop(dataset);
            let o = PredictOptions::from_json(&options).map_err(to_js)?;
            let host = host::JsHost { progress, aborted, pause };
            let mut ctl = Ctl::new(&host);
            scored(inner.predict_async(&ds, o.explain, &mut ctl).await.map_err(to_js)?)
        })
    }

    /// Probability of the positive class (or the value) per row of a table (Dataset bytes):
    /// `{ scores: Float64Array, warnings: string (JSON) }`.
    pub fn scores(&self, dataset: &[u8]) -> Result<JsValue, JsValue> {
        let ds = Dataset::from_bytes(dataset).map_err(to_js)?;
        let (s, w) = self.inner.scores_checked(&ds).map_err(to_js)?;
        let o = Object::new();
        let _ = Reflect::set(&o, &"scores".into(), &js_sys::Float64Array::from(s.as_slice()).into());
        let _ = Reflect::set(&o, &"warnings".into(), &json(&w)?.into());
        Ok(o.into())
    }

    /// The model as JSON text (no training rows).
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> Result<String, JsValue> {
        self.inner.to_json().map_err(to_js)
    }

    /// A model from `toJson` text, checked before use (`INVALID_OPTION`, field `model`).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(text: &str) -> Result<Model, JsValue> {
        Ok(Model { inner: Predictor::from_json(text).map_err(to_js)? })
    }
}

/// A scored table as `{ bytes, warnings }`: the warnings of scoring (carried by the score
/// column, see `Predictor::predict`) as JSON text beside the Dataset bytes.
fn scored(out: Dataset) -> Result<JsValue, JsValue> {
    // The score column is the last `probability` / `value` (id columns, which come first and
    // keep their own load warnings, could share the name).
    let score = out.columns().iter().rev().find(|c| c.name == "probability" || c.name == "value");
    let warnings = score.map(|c| c.warnings.clone()).unwrap_or_default();
    let o = Object::new();
    let _ = Reflect::set(&o, &"bytes".into(), &Uint8Array::from(out.to_bytes().as_slice()).into());
    let _ = Reflect::set(&o, &"warnings".into(), &json(&warnings)?.into());
    Ok(o.into())
}

/// Per-customer features and labels from an order log (Dataset bytes); `options` as JSON
/// text (`TransactionFeatureOptions`). Returns `{ customers: Uint8Array (Dataset bytes),
/// report: string (JSON) }`.
#[wasm_bindgen(js_name = transactionFeatures)]
pub fn transaction_features(orders: &[u8], options: &str) -> Result<JsValue, JsValue> {
    let ds = Dataset::from_bytes(orders).map_err(to_js)?;
    let opts = TransactionFeatureOptions::from_json(options).map_err(to_js)?;
    let out = predict::transaction_features(&ds, &opts).map_err(to_js)?;
    let o = Object::new();
    let bytes = out.customers.to_bytes();
    let _ = Reflect::set(&o, &"customers".into(), &Uint8Array::from(bytes.as_slice()).into());
    let _ = Reflect::set(&o, &"report".into(), &json(&out.report)?.into());
    Ok(o.into())
}

/// The version of this module (the package's).
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_string()
}
