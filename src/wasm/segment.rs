//! `segment`: customer segments of a Dataset (k-means / mini-batch / k-prototypes, automatic
//! k, quality scores, 2-D projection, a description of every segment).

use js_sys::{Array, Float64Array, Int32Array, Reflect};
use wasm_bindgen::prelude::*;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle;
use crmlens::segment::{segment, segment_async, SegmentOptions, Segmentation};
use crmlens::task::Ctl;
use js_sys::Promise;
use wasm_bindgen_futures::future_to_promise;

#[wasm_bindgen(typescript_custom_section)]
const SEGMENT_RESULT: &str = r#"
/** The result of `segment`: the report plus the per-row arrays. */
export type SegmentResult = SegmentReport & {
  /** Segment of each dataset row (0..k-1); -1 for a row left out by `missing: "drop"`. */
  labels: Int32Array;
  /** One Float64Array per segment: the mean of its rows in each of `centroidColumns`, in the original units. */
  centroids: Float64Array[];
  /** Row-major n × 2 coordinates on the first two principal components (NaN for a dropped row). */
  projection: Float64Array;
};
"#;

/// Segments the rows of `dataset`: `{ labels, k, centroids, inertia, silhouette,
/// daviesBouldin, calinskiHarabasz, projection, segments, kScores, ... }` (see `SegmentResult`).
/// Options: `{ columns?, k: number | "auto", kRange, algorithm, scaling, missing, seed, nInit,
/// maxIter, tol, weights? }`; an unknown or misspelt option is an error naming it.
#[wasm_bindgen(js_name = segment, unchecked_return_type = "SegmentResult")]
pub fn js_segment(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_optional_param_type = "SegmentOptions")] options: Option<JsValue>,
) -> JsResult<JsValue> {
    let opts: SegmentOptions = convert::options(&options.unwrap_or(JsValue::UNDEFINED)).js()?;
    result_js(segment(&dataset.inner, &opts).js()?)
}

/// `segment` as long work: `{ ...SegmentOptions, onProgress, signal }`; progress phases
/// `cluster` (one unit per k of the range) and `score`; abort between k-means iterations.
#[wasm_bindgen(js_name = segmentAsync, unchecked_return_type = "Promise<SegmentResult>")]
pub fn js_segment_async(
    dataset: &JsDataset,
    #[wasm_bindgen(unchecked_optional_param_type = "SegmentOptions & LongWork")] options: Option<JsValue>,
) -> Promise {
    lifecycle::promise((|| {
        let (opts, control) = lifecycle::split(options)?;
        let opts: SegmentOptions = convert::options(&opts).js()?;
        let ds = dataset.inner.clone();
        Ok(future_to_promise(async move {
            let mut ctl = Ctl::new(&control);
            let s = segment_async(&ds, &opts, &mut ctl).await.js()?;
            result_js(s)
        }))
    })())
}

fn result_js(s: Segmentation) -> JsResult<JsValue> {
    let out = convert::to_plain(&s.report).js()?;
    Reflect::set(&out, &"labels".into(), &Int32Array::from(s.labels.as_slice()))?;
    let width = s.report.centroid_columns.len();
    let centroids = Array::new();
    for j in 0..s.report.k {
        centroids.push(&Float64Array::from(&s.centroids[j * width..(j + 1) * width]));
    }
    Reflect::set(&out, &"centroids".into(), &centroids)?;
    Reflect::set(&out, &"projection".into(), &Float64Array::from(s.projection.as_slice()))?;
    Ok(out)
}
