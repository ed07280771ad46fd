//! Sentiment: `sentimentOfTexts` / `sentimentOfDataset` (the package's `sentiment(input,
//! options)` picks one and loads the Chinese data on first need) and the Chinese data loader.

use js_sys::{Array, Float64Array, Object, Reflect, Uint32Array};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crmlens::error::CrmError;
use crmlens::sentiment::analyze::ids_from_json;
use crmlens::sentiment::analyze::sentiment_async;
use crmlens::sentiment::dataset::sentiment_of_dataset_async;
use crmlens::sentiment::dataset::text_column;
use crmlens::sentiment::rollup::CustomerRollup;
use crmlens::sentiment::terms::{top_terms, top_terms_async, TopTermsOptions};
use crmlens::sentiment::{sentiment, CustomerKey, SentimentOptions, SentimentResult};
use crmlens::task::Ctl;
use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

use super::lifecycle;

fn set(obj: &Object, key: &str, v: &JsValue) -> JsResult<()> {
    Reflect::set(obj, &JsValue::from_str(key), v)?;
    Ok(())
}

fn strings<T>(items: &[T], f: impl Fn(&T) -> Option<&'static str>) -> JsValue {
    let out = Array::new_with_length(items.len() as u32);
    for (i, x) in items.iter().enumerate() {
        out.set(i as u32, f(x).map_or(JsValue::NULL, JsValue::from_str));
    }
    out.into()
}

/// An array of strings / null / undefined (missing) from JS.
fn texts_from_js(texts: JsValue) -> JsResult<Vec<Option<String>>> {
    let arr: Array = texts
        .dyn_into()
        .map_err(|_| CrmError::invalid_option("texts", "expected an array of strings or a Dataset"))
        .js()?;
    let mut owned: Vec<Option<String>> = Vec::with_capacity(arr.length() as usize);
    for (i, v) in arr.iter().enumerate() {
        if v.is_null() || v.is_undefined() {
            owned.push(None);
        } else if let Some(s) = v.as_string() {
            owned.push(Some(s));
        } else {
            return Err(CrmError::invalid_option("texts", format!("texts[{i}] is not a string"))).js();
        }
    }
    Ok(owned)
}

fn rollup_js(c: &CustomerRollup) -> JsResult<JsValue> {
    let o = Object::new();
    let ids = Array::new_with_length(c.customer.len() as u32);
    for (i, id) in c.customer.iter().enumerate() {
        ids.set(i as u32, JsValue::from_str(id));
    }
    set(&o, "customer", &ids)?;
    set(&o, "texts", &Uint32Array::from(c.texts.as_slice()))?;
    set(&o, "meanCompound", &Float64Array::from(c.mean_compound.as_slice()))?;
    set(&o, "positive", &Uint32Array::from(c.positive.as_slice()))?;
    set(&o, "neutral", &Uint32Array::from(c.neutral.as_slice()))?;
    set(&o, "negative", &Uint32Array::from(c.negative.as_slice()))?;
    set(&o, "label", &strings(&c.label, |l| l.map(|l| l.as_str())))?;
    set(&o, "missingCustomer", &JsValue::from_f64(c.missing_customer as f64))?;
    set(&o, "missingText", &JsValue::from_f64(c.missing_text as f64))?;
    Ok(o.into())
}

fn result_js(r: &SentimentResult) -> JsResult<JsValue> {
    let o = Object::new();
    set(&o, "compound", &Float64Array::from(r.compound.as_slice()))?;
    set(&o, "positive", &Float64Array::from(r.positive.as_slice()))?;
    set(&o, "neutral", &Float64Array::from(r.neutral.as_slice()))?;
    set(&o, "negative", &Float64Array::from(r.negative.as_slice()))?;
    set(&o, "label", &strings(&r.label, |l| l.map(|l| l.as_str())))?;
    set(&o, "language", &strings(&r.language, |l| Some(l.as_str())))?;
    set(&o, "summary", &convert::to_plain(&r.summary).js()?)?;
    if let Some(e) = &r.explanation {
        set(&o, "explanation", &convert::to_plain(e).js()?)?;
    }
    if let Some(c) = &r.customers {
        set(&o, "customers", &rollup_js(c)?)?;
    }
    if let Some(a) = &r.aspects {
        set(&o, "aspects", &convert::to_plain(a).js()?)?;
    }
    Ok(o.into())
}

/// Sentiment of an array of texts (`null`/`undefined` entries are missing texts). With
/// `options.customer` an array of customer ids of the same length. Use the package's
/// `sentiment(texts, options)`, which also loads the Chinese data when needed.
#[wasm_bindgen(js_name = sentimentOfTexts, unchecked_return_type = "SentimentResult")]
pub fn js_sentiment_of_texts(
    #[wasm_bindgen(unchecked_param_type = "Array<string | null | undefined>")] texts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SentimentOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: SentimentOptions = convert::options(&options).js()?;
    let (owned, ids) = texts_args(texts, &opts)?;
    let refs: Vec<Option<&str>> = owned.iter().map(|s| s.as_deref()).collect();
    let r = sentiment(&refs, ids.as_deref(), &opts).js()?;
    result_js(&r)
}

/// The texts (owned) and the inline customer ids of a `sentimentOfTexts` call.
type TextsArgs = (Vec<Option<String>>, Option<Vec<Option<String>>>);

fn texts_args(texts: JsValue, opts: &SentimentOptions) -> JsResult<TextsArgs> {
    if opts.column.is_some() {
        return Err(CrmError::invalid_option(
            "column",
            "`column` is for a Dataset input; texts were given as an array",
        ))
        .js();
    }
    let owned = texts_from_js(texts)?;
    let ids = match &opts.customer {
        None => None,
        Some(CustomerKey::Ids(v)) => Some(ids_from_json(v).js()?),
        Some(CustomerKey::Column(_)) => {
            return Err(CrmError::invalid_option(
                "customer",
                "with an array of texts, `customer` is an array of ids (a column name needs a Dataset)",
            ))
            .js()
        }
    };
    Ok((owned, ids))
}

/// `sentimentOfTexts` as long work (`onProgress`, `signal` beside the options; progress
/// `texts`). The package's `sentiment()` uses it.
#[wasm_bindgen(js_name = sentimentOfTextsAsync, unchecked_return_type = "Promise<SentimentResult>")]
pub fn js_sentiment_of_texts_async(
    #[wasm_bindgen(unchecked_param_type = "Array<string | null | undefined>")] texts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "SentimentOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: SentimentOptions = convert::options(&opts).js()?;
        let (owned, ids) = texts_args(texts, &opts)?;
        Ok(future_to_promise(async move {
            let mut ctl = Ctl::new(&control);
            let refs: Vec<Option<&str>> = owned.iter().map(|s| s.as_deref()).collect();
            let r = sentiment_async(&refs, ids.as_deref(), &opts, &mut ctl).await.js()?;
            result_js(&r)
        }))
    })())
}

/// `sentimentOfDataset` as long work (`onProgress`, `signal` beside the options).
#[wasm_bindgen(js_name = sentimentOfDatasetAsync, unchecked_return_type = "Promise<SentimentResult>")]
pub fn js_sentiment_of_dataset_async(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "SentimentOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: SentimentOptions = convert::options(&opts).js()?;
        let ds = dataset.inner.clone();
        Ok(future_to_promise(async move {
            let mut ctl = Ctl::new(&control);
            let r = sentiment_of_dataset_async(&ds, &opts, &mut ctl).await.js()?;
            result_js(&r)
        }))
    })())
}

/// `topTermsOfTexts` as long work (progress `texts`). The package's `topTerms()` uses it.
#[wasm_bindgen(js_name = topTermsOfTextsAsync, unchecked_return_type = "Promise<TopTerms>")]
pub fn js_top_terms_of_texts_async(
    #[wasm_bindgen(unchecked_param_type = "Array<string | null | undefined>")] texts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TopTermsOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: TopTermsOptions = convert::options(&opts).js()?;
        if opts.column.is_some() {
            return Err(CrmError::invalid_option(
                "column",
                "`column` is for a Dataset input; texts were given as an array",
            ))
            .js();
        }
        let texts = texts_from_js(texts)?;
        Ok(top_terms_promise(texts, opts, control))
    })())
}

/// `topTermsOfDataset` as long work (progress `texts`).
#[wasm_bindgen(js_name = topTermsOfDatasetAsync, unchecked_return_type = "Promise<TopTerms>")]
pub fn js_top_terms_of_dataset_async(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "TopTermsOptions & LongWork")] options: JsValue,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(Some(options))?;
        let opts: TopTermsOptions = convert::options(&opts).js()?;
        let texts = text_column(&dataset.inner, opts.column.as_deref()).js()?;
        let texts: Vec<Option<String>> = texts.into_iter().map(|t| t.map(|t| t.into_owned())).collect();
        Ok(top_terms_promise(texts, opts, control))
    })())
}

fn top_terms_promise(texts: Vec<Option<String>>, opts: TopTermsOptions, control: lifecycle::JsControl) -> Promise {
    future_to_promise(async move {
        let mut ctl = Ctl::new(&control);
        let refs: Vec<Option<&str>> = texts.iter().map(|s| s.as_deref()).collect();
        convert::to_plain(&top_terms_async(&refs, &opts, &mut ctl).await.js()?).js()
    })
}

/// Sentiment of a Dataset's text column (`options.column`, required); `options.customer`
/// names its customer column for the roll-up.
#[wasm_bindgen(js_name = sentimentOfDataset, unchecked_return_type = "SentimentResult")]
pub fn js_sentiment_of_dataset(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "SentimentOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: SentimentOptions = convert::options(&options).js()?;
    let r = crmlens::sentiment::dataset::sentiment_of_dataset(&dataset.inner, &opts).js()?;
    result_js(&r)
}

/// The most positive and most negative terms of an array of texts. Use the package's
/// `topTerms(input, options)`, which also takes a Dataset and loads the Chinese data.
#[wasm_bindgen(js_name = topTermsOfTexts, unchecked_return_type = "TopTerms")]
pub fn js_top_terms_of_texts(
    #[wasm_bindgen(unchecked_param_type = "Array<string | null | undefined>")] texts: JsValue,
    #[wasm_bindgen(unchecked_param_type = "TopTermsOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: TopTermsOptions = convert::options(&options).js()?;
    if opts.column.is_some() {
        return Err(CrmError::invalid_option(
            "column",
            "`column` is for a Dataset input; texts were given as an array",
        ))
        .js();
    }
    let owned = texts_from_js(texts)?;
    let refs: Vec<Option<&str>> = owned.iter().map(|s| s.as_deref()).collect();
    convert::to_plain(&top_terms(&refs, &opts).js()?).js()
}

/// The most positive and most negative terms of a Dataset's text column (`options.column`).
#[wasm_bindgen(js_name = topTermsOfDataset, unchecked_return_type = "TopTerms")]
pub fn js_top_terms_of_dataset(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_param_type = "TopTermsOptions")] options: JsValue,
) -> JsResult<JsValue> {
    let opts: TopTermsOptions = convert::options(&options).js()?;
    let texts = text_column(&dataset.inner, opts.column.as_deref()).js()?;
    let refs: Vec<Option<&str>> = texts.iter().map(|t| t.as_deref()).collect();
    convert::to_plain(&top_terms(&refs, &opts).js()?).js()
}

/// Installs the Chinese sentiment data (the text of the package's `crmlens_zh.js` data
/// module). `sentiment()` does this by itself on first Chinese text.
#[wasm_bindgen(js_name = installChineseSentiment)]
pub fn js_install_chinese_sentiment(data: &str) -> JsResult<()> {
    crmlens::sentiment::chinese::install(data).js()
}

/// Installs the English sentiment data (the VADER lexicon and emoji texts of the package's
/// `crmlens_en.js` data module). `sentiment()` does this by itself before its first text.
#[wasm_bindgen(js_name = installEnglishSentiment)]
pub fn js_install_english_sentiment(lexicon: &str, emoji: &str) {
    crmlens::sentiment::english::lexicon::install(lexicon, emoji)
}

/// Whether the English sentiment data is available.
#[wasm_bindgen(js_name = englishSentimentLoaded)]
pub fn js_english_sentiment_loaded() -> bool {
    crmlens::sentiment::english::lexicon::loaded()
}

/// Whether the Chinese sentiment data is installed.
#[wasm_bindgen(js_name = chineseSentimentLoaded)]
pub fn js_chinese_sentiment_loaded() -> bool {
    crmlens::sentiment::chinese::loaded().is_some()
}
