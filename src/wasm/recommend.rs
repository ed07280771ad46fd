//! `Recommender` (fit, fitAsync, recommend, recommendMany, similarItems, recommendFor,
//! evaluate, toJSON / fromJSON) and `associationRules`.

use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::{future_to_promise, JsFuture};

use std::rc::Rc;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle;
use super::lifecycle::{aborted, take_prop};
use crmlens::error::CrmError;
use crmlens::recommend::{
    association_rules, association_rules_async, AssociationRuleOptions, EvaluateOptions, Method, RecommendOptions,
    Recommender, RecommenderOptions, Training,
};
use crmlens::task::Ctl;

#[wasm_bindgen(typescript_custom_section)]
const RECOMMENDER_JSON: &str = r#"
/**
 * A fitted Recommender as plain JSON (`toJSON()`, `JSON.stringify(model)`); `Recommender.fromJSON`
 * takes it (or its text) back. The top level is stable; the fitted arrays inside `data` and
 * `model` are versioned by `format` and not meant to be read.
 */
export interface RecommenderJson {
  /** `"crmlens.recommender.v1"`. */
  format: string;
  /** The checked fit parameters. */
  params: Record<string, number | string | boolean | null>;
  /** The method in use (never `auto`). */
  method: Method;
  auto: AutoChoice | null;
  /** The interaction matrix and the names of its users and items. */
  data: { users: string[]; items: string[]; [part: string]: unknown };
  /** Popularity score of each item. */
  popularity: number[];
  /** The fitted scoring model (`"popularity"`, or an object keyed by the method). */
  model: string | Record<string, unknown>;
}
"#;

/// Progress of `Recommender.fitAsync`, passed to `onProgress` after each step: ALS takes one
/// step per iteration, every other method one step in all.
#[derive(Serialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct FitProgress {
    /// Steps done (1, 2, …).
    pub iteration: usize,
    /// Steps in all.
    pub iterations: usize,
    /// The method being fitted (`auto` resolved).
    pub method: Method,
}

/// Options of `Recommender.fitAsync`: those of `fit` plus progress and abort. (Only its
/// TypeScript declaration is used; the values are read from the JS object.)
#[derive(tsify::Tsify)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct FitAsyncOptions {
    #[serde(flatten)]
    pub fit: RecommenderOptions,
    /// Called after each step with the iterations done and in all.
    #[tsify(type = "(progress: FitProgress) => void", optional)]
    pub on_progress: (),
    /// Stops the fit between steps; the promise then rejects with a CrmlensError of code
    /// `ABORTED`.
    #[tsify(type = "AbortSignal", optional)]
    pub signal: (),
}

fn abort_error() -> JsValue {
    super::error::to_js(CrmError::Aborted { message: "the fit was aborted".into() })
}

/// Lets the event loop run (a macrotask: `setTimeout(0)`), so abort signals and messages
/// get through between steps.
async fn yield_to_event_loop() -> JsResult<()> {
    let set_timeout: Function = Reflect::get(&js_sys::global(), &JsValue::from_str("setTimeout"))?.dyn_into()?;
    let mut call = |resolve: Function, _reject: Function| {
        let _ = set_timeout.call2(&JsValue::NULL, &resolve, &JsValue::from_f64(0.0));
    };
    JsFuture::from(Promise::new(&mut call)).await?;
    Ok(())
}

/// A fitted recommender held in WebAssembly memory. Call `free()` (or use `using`) when done.
#[wasm_bindgen(js_name = Recommender)]
pub struct JsRecommender {
    inner: Rc<Recommender>,
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
                .map(crmlens::table::column::format_float)
                .ok_or_else(|| CrmError::invalid_option(field, "ids must be strings or numbers")),
        })
        .collect()
}

fn id(v: &JsValue, field: &str) -> Result<String, CrmError> {
    v.as_string()
        .or_else(|| v.as_f64().map(crmlens::table::column::format_float))
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
        Ok(JsRecommender { inner: Rc::new(Recommender::fit_dataset(&interactions.inner, &opts).js()?) })
    }

    /// `fit` step by step, letting the event loop run between steps: `options.onProgress`
    /// hears `{ iteration, iterations, method }` after each ALS iteration (other methods take
    /// one step) and `options.signal` (an AbortSignal) stops the fit between steps, rejecting
    /// with a CrmlensError of code `ABORTED`. Reading the table and `auto`'s evaluation run
    /// before the first step, in one go.
    #[wasm_bindgen(js_name = fitAsync, unchecked_return_type = "Promise<Recommender>")]
    pub fn fit_async(
        interactions: &JsDataset,
        #[wasm_bindgen(unchecked_optional_param_type = "FitAsyncOptions")] options: Option<Object>,
    ) -> Promise {
        let setup = || -> JsResult<(Training, Option<Function>, JsValue)> {
            let copy = Object::assign(&Object::new(), &options.unwrap_or_else(Object::new));
            let on_progress = convert::function_prop(&copy, "onProgress").js()?;
            let _ = take_prop(&copy, "onProgress");
            let signal = take_prop(&copy, "signal");
            if aborted(&signal) {
                return Err(abort_error());
            }
            let opts: RecommenderOptions = convert::options(&copy.into()).js()?;
            Ok((Training::from_dataset(&interactions.inner, &opts).js()?, on_progress, signal))
        };
        let setup = setup();
        future_to_promise(async move {
            let (mut training, on_progress, signal) = setup?;
            while !training.done() {
                training.step();
                if let Some(f) = &on_progress {
                    let p = FitProgress {
                        iteration: training.iteration(),
                        iterations: training.iterations(),
                        method: training.method(),
                    };
                    f.call1(&JsValue::NULL, &convert::to_plain(&p).js()?)?;
                }
                yield_to_event_loop().await?;
                if aborted(&signal) {
                    return Err(abort_error());
                }
            }
            Ok(JsRecommender { inner: Rc::new(training.finish()) }.into())
        })
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

    /// `evaluate` as long work: `{ ...EvaluateOptions, onProgress, signal }`; progress `fit`
    /// (the refit's steps), then `score` (users).
    #[wasm_bindgen(js_name = evaluateAsync, unchecked_return_type = "Promise<Evaluation>")]
    pub fn evaluate_async(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "EvaluateOptions & LongWork")] options: Option<JsValue>,
    ) -> Promise {
        lifecycle::promise((|| {
            let (opts, control) = lifecycle::split(options)?;
            let opts: EvaluateOptions = convert::options(&opts).js()?;
            let model = self.inner.clone();
            Ok(future_to_promise(async move {
                let mut ctl = Ctl::new(&control);
                convert::to_plain(&model.evaluate_async(&opts, &mut ctl).await.js()?).js()
            }))
        })())
    }

    /// The whole model as a plain JSON-compatible object (so `JSON.stringify(model)` works).
    #[wasm_bindgen(js_name = toJSON, unchecked_return_type = "RecommenderJson")]
    pub fn to_json(&self) -> JsResult<JsValue> {
        let text = self.inner.to_json().js()?;
        js_sys::JSON::parse(&text).map_err(|_| CrmError::state("the model JSON did not parse")).js()
    }

    /// A model from `toJSON()` output (the object, or its JSON text).
    #[wasm_bindgen(js_name = fromJSON)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "RecommenderJson | string")] model: JsValue,
    ) -> JsResult<JsRecommender> {
        let text = match model.as_string() {
            Some(s) => s,
            None => js_sys::JSON::stringify(&model)
                .ok()
                .and_then(|s| s.as_string())
                .ok_or_else(|| CrmError::invalid_option("model", "not a model object"))
                .js()?,
        };
        Ok(JsRecommender { inner: Rc::new(Recommender::from_json(&text).js()?) })
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

/// [`associationRules`](js_association_rules) as long work: `options` may add `onProgress`
/// (phases `baskets`, `mine`, `rules`) and `signal` (→ `ABORTED`).
#[wasm_bindgen(js_name = associationRulesAsync, unchecked_return_type = "Promise<AssociationRules>")]
pub fn js_association_rules_async(
    baskets: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "AssociationRuleOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: AssociationRuleOptions = convert::options(&opts).js()?;
        let ds = baskets.inner.clone();
        Ok(future_to_promise(async move {
            let mut ctl = Ctl::new(&control);
            let rules = association_rules_async(&ds, &opts, &mut ctl).await.js()?;
            convert::to_plain(&rules).js()
        }))
    })())
}
