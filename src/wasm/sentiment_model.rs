//! The `SentimentModel` class: train on labelled texts, predict, evaluate, toJSON / fromJSON.

use js_sys::{Array, Float64Array, Object, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::error::{IntoJs, JsResult};
use crmlens::error::CrmError;
use crmlens::sentiment::trainable::{ModelJson, SentimentModel, TrainOptions};

/// A sentiment classifier trained on your own labelled feedback. Call `free()` when done.
#[wasm_bindgen(js_name = SentimentModel)]
pub struct JsSentimentModel {
    inner: SentimentModel,
}

/// An array of strings (no missing entries: a model needs every text and label).
fn strings(v: &JsValue, field: &str) -> JsResult<Vec<String>> {
    let arr: &Array =
        v.dyn_ref().ok_or_else(|| CrmError::invalid_option(field, "expected an array of strings")).js()?;
    arr.iter()
        .enumerate()
        .map(|(i, x)| {
            x.as_string().ok_or_else(|| CrmError::invalid_option(field, format!("{field}[{i}] is not a string"))).js()
        })
        .collect()
}

fn refs(v: &[String]) -> Vec<&str> {
    v.iter().map(|s| s.as_str()).collect()
}

#[wasm_bindgen(js_class = SentimentModel)]
impl JsSentimentModel {
    /// Trains a classifier: `labels[i]` is the class of `texts[i]` (any strings, at least two
    /// different ones). Options: `language` ("auto" | "en" | "zh"), `model` ("naive-bayes" |
    /// "logistic"), `alpha`, `l2`, `epochs`, `seed`, `minCount`.
    pub fn train(
        #[wasm_bindgen(unchecked_param_type = "string[]")] texts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
        #[wasm_bindgen(unchecked_param_type = "TrainOptions")] options: JsValue,
    ) -> JsResult<JsSentimentModel> {
        let opts: TrainOptions = convert::options(&options).js()?;
        let (t, l) = (strings(&texts, "texts")?, strings(&labels, "labels")?);
        Ok(JsSentimentModel { inner: SentimentModel::train(&refs(&t), &refs(&l), &opts).js()? })
    }

    /// The classes, sorted.
    #[wasm_bindgen(getter)]
    pub fn classes(&self) -> Vec<String> {
        self.inner.classes().to_vec()
    }

    /// `{ label: string[], probability: Float64Array, classes: string[], probabilities:
    /// Float64Array }` (`probabilities[i * classes.length + c]`).
    #[wasm_bindgen(unchecked_return_type = "Predictions")]
    pub fn predict(&self, #[wasm_bindgen(unchecked_param_type = "string[]")] texts: JsValue) -> JsResult<JsValue> {
        let t = strings(&texts, "texts")?;
        let p = self.inner.predict(&refs(&t));
        let o = Object::new();
        let label = Array::new_with_length(p.label.len() as u32);
        for (i, l) in p.label.iter().enumerate() {
            label.set(i as u32, JsValue::from_str(l));
        }
        Reflect::set(&o, &"label".into(), &label)?;
        Reflect::set(&o, &"probability".into(), &Float64Array::from(p.probability.as_slice()))?;
        Reflect::set(&o, &"classes".into(), &convert::to_plain(&p.classes).js()?)?;
        Reflect::set(&o, &"probabilities".into(), &Float64Array::from(p.probabilities.as_slice()))?;
        Ok(o.into())
    }

    /// Accuracy, macro precision / recall / F1, per-class metrics and the confusion matrix.
    #[wasm_bindgen(unchecked_return_type = "SentimentEvaluation")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string[]")] texts: JsValue,
        #[wasm_bindgen(unchecked_param_type = "string[]")] labels: JsValue,
    ) -> JsResult<JsValue> {
        let (t, l) = (strings(&texts, "texts")?, strings(&labels, "labels")?);
        convert::to_plain(&self.inner.evaluate(&refs(&t), &refs(&l)).js()?).js()
    }

    /// The model as a plain JSON-able object (no training data in it).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "ModelJson")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.to_json()).js()
    }

    /// A model from `toJSON()`'s object (or its JSON text).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "ModelJson | string")] json: JsValue,
    ) -> JsResult<JsSentimentModel> {
        let text = match json.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&json)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| CrmError::invalid_option("json", "expected the object from toJSON() or its JSON text"))
                .js()?,
        };
        // Plain serde_json (not options_from_json's per-key diagnosis): a model is data, not options.
        let j: ModelJson = serde_json::from_str(&text)
            .map_err(|e| CrmError::invalid_option("json", format!("not a model: {e}")))
            .js()?;
        Ok(JsSentimentModel { inner: SentimentModel::from_json(j).js()? })
    }
}
