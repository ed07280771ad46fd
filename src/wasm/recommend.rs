//! `Recommender` (fit, recommend, recommendMany, similarItems, recommendFor, evaluate,
//! toJSON / fromJSON) and `associationRules`.

use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crate::error::CrmError;
use crate::recommend::{
    association_rules, AssociationRuleOptions, EvaluateOptions, RecommendOptions, Recommender, RecommenderOptions,
};

/// A fitted recommender held in WebAssembly memory. Call `free()` (or use `using`) when done.
#[wasm_bindgen(js_name = Recommender)]
pub struct JsRecommender {
    inner: Recommender,
}

fn k_of(k: Option<f64>) -> Result<usize, CrmError> {
    match k {
        None => Ok(10),
        Some(k) if k.is_finite() && k >= 0.0 && k.fract() == 0.0 && k <= 1e6 => Ok(k as usize),
        Some(k) => Err(CrmError::invalid_option("k", format!("must be a whole number ≥ 0, got {k}"))),
    }
}

fn strings(v: &JsValue, field: &str) -> Result<Vec<String>, CrmError> {
    let arr = v.dyn_ref::<js_sys::Array>().ok_or_else(|| CrmError::invalid_option(field, "must be an array of ids"))?;
    arr.iter()
        .map(|x| match x.as_string() {
            Some(s) => Ok(s),
            None => x
                .as_f64()
                .map(crate::table::column::format_float)
                .ok_or_else(|| CrmError::invalid_option(field, "ids must be strings or numbers")),
        })
        .collect()
}

fn id(v: &JsValue, field: &str) -> Result<String, CrmError> {
    v.as_string()
        .or_else(|| v.as_f64().map(crate::table::column::format_float))
        .ok_or_else(|| CrmError::invalid_option(field, "must be a string or a number"))
}

#[wasm_bindgen(js_class = Recommender)]
impl JsRecommender {
    /// Fits on an interaction table: `options.user` and `.item` name its columns,
    /// `.weight` / `.timestamp` optionally weigh and date each row; `.method` is
    /// `"item-knn"`, `"als"`, `"popularity"`, `"recency"` or `"auto"` (default).
    pub fn fit(
        interactions: &JsDataset,
        #[wasm_bindgen(unchecked_param_type = "RecommenderOptions")] options: JsValue,
    ) -> JsResult<JsRecommender> {
        let opts: RecommenderOptions = convert::options(&options).js()?;
        Ok(JsRecommender { inner: Recommender::fit_dataset(&interactions.inner, &opts).js()? })
    }

    /// The method in use (`auto` resolved).
    #[wasm_bindgen(getter, unchecked_return_type = "Method")]
    pub fn method(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.method).js()
    }

    /// What `auto` compared (NDCG@10 per candidate), or null.
    #[wasm_bindgen(getter, unchecked_return_type = "AutoChoice | null")]
    pub fn auto(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.auto).js()
    }

    /// Rows read and left out, by reason.
    #[wasm_bindgen(getter, unchecked_return_type = "InteractionReport")]
    pub fn report(&self) -> JsResult<JsValue> {
        convert::to_plain(self.inner.report()).js()
    }

    #[wasm_bindgen(getter, js_name = numUsers)]
    pub fn num_users(&self) -> usize {
        self.inner.users().len()
    }

    #[wasm_bindgen(getter, js_name = numItems)]
    pub fn num_items(&self) -> usize {
        self.inner.items().len()
    }

    /// User ids in order of first appearance.
    #[wasm_bindgen(getter, unchecked_return_type = "string[]")]
    pub fn users(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.users()).js()
    }

    /// Item ids in order of first appearance.
    #[wasm_bindgen(getter, unchecked_return_type = "string[]")]
    pub fn items(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.items()).js()
    }

    /// `[{ item, score, because, fallback }]` for a user of the training data; an unknown user
    /// gets the most popular items with `fallback: true`.
    #[wasm_bindgen(unchecked_return_type = "Recommendation[]")]
    pub fn recommend(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | number")] user: JsValue,
        #[wasm_bindgen(unchecked_param_type = "RecommendOptions")] options: JsValue,
    ) -> JsResult<JsValue> {
        let user = id(&user, "user").js()?;
        let opts: RecommendOptions = convert::options(&options).js()?;
        convert::to_plain(&self.inner.recommend(&user, &opts).js()?).js()
    }

    /// `k` (default 10) recommendations for each user.
    #[wasm_bindgen(js_name = recommendMany, unchecked_return_type = "UserRecommendations[]")]
    pub fn recommend_many(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Array<string | number>")] users: JsValue,
        k: Option<f64>,
    ) -> JsResult<JsValue> {
        let users = strings(&users, "users").js()?;
        convert::to_plain(&self.inner.recommend_many(&users, k_of(k).js()?).js()?).js()
    }

    /// The `k` (default 10) items most like `item`.
    #[wasm_bindgen(js_name = similarItems, unchecked_return_type = "SimilarItem[]")]
    pub fn similar_items(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string | number")] item: JsValue,
        k: Option<f64>,
    ) -> JsResult<JsValue> {
        let item = id(&item, "item").js()?;
        convert::to_plain(&self.inner.similar_items(&item, k_of(k).js()?).js()?).js()
    }

    /// Recommendations for a customer not in the training data, from the items they have
    /// (fold-in, no retraining). Unknown items are ignored; if none is known the result is
    /// the popularity fallback.
    #[wasm_bindgen(js_name = recommendFor, unchecked_return_type = "Recommendation[]")]
    pub fn recommend_for(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Array<string | number>")] items: JsValue,
        k: Option<f64>,
    ) -> JsResult<JsValue> {
        let items = strings(&items, "items").js()?;
        let opts = RecommendOptions::with_k(k_of(k).js()?);
        convert::to_plain(&self.inner.recommend_for(&items, &opts).js()?).js()
    }

    /// Refits on a split of the training data and scores the held-out items against the
    /// popularity baseline: precision, recall, MAP, NDCG at k, coverage and a grade.
    #[wasm_bindgen(unchecked_return_type = "Evaluation")]
    pub fn evaluate(
        &self,
        #[wasm_bindgen(unchecked_param_type = "EvaluateOptions")] options: JsValue,
    ) -> JsResult<JsValue> {
        let opts: EvaluateOptions = convert::options(&options).js()?;
        convert::to_plain(&self.inner.evaluate(&opts).js()?).js()
    }

    /// The whole model as a plain JSON-compatible object (so `JSON.stringify(model)` works).
    #[wasm_bindgen(js_name = toJSON)]
    pub fn to_json(&self) -> JsResult<JsValue> {
        let text = self.inner.to_json().js()?;
        js_sys::JSON::parse(&text).map_err(|_| CrmError::state("the model JSON did not parse")).js()
    }

    /// A model from `toJSON()` output (the object, or its JSON text).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "object | string")] model: JsValue,
    ) -> JsResult<JsRecommender> {
        let text = match model.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&model)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| CrmError::invalid_option("model", "not a model object"))
                .js()?,
        };
        Ok(JsRecommender { inner: Recommender::from_json(&text).js()? })
    }
}

/// Association rules between items bought together: `options.transaction` and `.item` name
/// the basket and item columns; rules A → C with support, confidence, lift, leverage and
/// conviction (null = infinite), best lift first.
#[wasm_bindgen(js_name = associationRules, unchecked_return_type = "AssociationRules")]
pub fn js_association_rules(
    baskets: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "AssociationRuleOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: AssociationRuleOptions = convert::options(&options).js()?;
    convert::to_plain(&association_rules(&baskets.inner, &opts).js()?).js()
}
