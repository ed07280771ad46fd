//! `Dataset.fromFile`: streams a `Blob`/`File` in chunks, with progress and abort.

use js_sys::{Function, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use crate::error::CrmError;
use crate::io::{LoadOptions, Loader};

/// Progress of `Dataset.fromFile`, passed to `onProgress`.
#[derive(Serialize, tsify::Tsify)]
#[serde(rename_all = "camelCase")]
pub struct Progress {
    pub bytes_read: f64,
    pub total_bytes: f64,
    pub rows: f64,
}

/// Options of `Dataset.fromFile`: the load options plus streaming controls. (Only its
/// TypeScript declaration is used; the values are read from the JS object.)
#[derive(tsify::Tsify)]
#[allow(dead_code)]
#[serde(rename_all = "camelCase")]
pub struct FileOptions {
    #[serde(flatten)]
    pub load: LoadOptions,
    /// Called after each chunk with bytes read, total bytes and rows so far.
    #[tsify(type = "(progress: Progress) => void", optional)]
    pub on_progress: (),
    /// Aborts the load; the promise then rejects with a CrmlensError of code `ABORTED`.
    #[tsify(type = "AbortSignal", optional)]
    pub signal: (),
    /// Bytes read per step (default 4 MiB).
    #[tsify(optional)]
    pub chunk_size: Option<u32>,
}

const DEFAULT_CHUNK: f64 = 4.0 * 1024.0 * 1024.0;

fn take_prop(obj: &Object, key: &str) -> JsValue {
    let k = JsValue::from_str(key);
    let v = Reflect::get(obj, &k).unwrap_or(JsValue::UNDEFINED);
    let _ = Reflect::delete_property(obj, &k);
    v
}

fn aborted(signal: &JsValue) -> bool {
    signal.is_object() && Reflect::get(signal, &JsValue::from_str("aborted")).map(|v| v.is_truthy()).unwrap_or(false)
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Streams a `File` or `Blob`: never holds the whole file's bytes, only one chunk at a
    /// time plus the table being built. Reports progress and honours an `AbortSignal`.
    #[wasm_bindgen(js_name = fromFile)]
    pub async fn from_file(
        #[wasm_bindgen(unchecked_param_type = "Blob")] blob: JsValue,
        #[wasm_bindgen(unchecked_param_type = "FileOptions")] options: Option<Object>,
    ) -> JsResult<JsDataset> {
        let blob: web_sys::Blob =
            blob.dyn_into().map_err(|_| CrmError::invalid_option("input", "expected a File or Blob")).js()?;
        // Separate the JS-only controls from the serde options (a shallow copy; the
        // caller's object is not changed).
        let copy = Object::assign(&Object::new(), &options.unwrap_or_else(Object::new));
        let on_progress: Option<Function> = convert::function_prop(&copy, "onProgress").js()?;
        let _ = take_prop(&copy, "onProgress");
        let signal = take_prop(&copy, "signal");
        let chunk = take_prop(&copy, "chunkSize");
        let chunk = match chunk.as_f64() {
            None if chunk.is_undefined() || chunk.is_null() => DEFAULT_CHUNK,
            Some(c) if c >= 1.0 && c.is_finite() => c.floor(),
            _ => return Err(CrmError::invalid_option("chunkSize", "must be a positive number")).js(),
        };
        let mut opts: LoadOptions = convert::options(&copy.into()).js()?;
        if opts.file_name.is_none() {
            opts.file_name = Reflect::get(&blob, &JsValue::from_str("name")).ok().and_then(|v| v.as_string());
        }
        let mut loader = Loader::new(opts).js()?;
        let total = blob.size();
        let mut offset = 0.0;
        let mut buf: Vec<u8> = Vec::new();
        let report = |loader: &Loader| -> JsResult<()> {
            if let Some(f) = &on_progress {
                let p =
                    Progress { bytes_read: loader.bytes_read() as f64, total_bytes: total, rows: loader.rows() as f64 };
                f.call1(&JsValue::NULL, &convert::to_plain(&p).js()?)?;
            }
            Ok(())
        };
        while offset < total && !loader.is_full() {
            if aborted(&signal) {
                return Err(CrmError::Aborted { message: "the load was aborted".into() }).js();
            }
            let end = (offset + chunk).min(total);
            let piece = blob.slice_with_f64_and_f64(offset, end)?;
            let bytes = JsFuture::from(piece.array_buffer()).await?;
            let arr = Uint8Array::new(&bytes);
            buf.resize(arr.length() as usize, 0);
            arr.copy_to(&mut buf);
            loader.push(&buf).js()?;
            offset = end;
            report(&loader)?;
        }
        if aborted(&signal) {
            return Err(CrmError::Aborted { message: "the load was aborted".into() }).js();
        }
        drop(buf);
        let ds = loader.finish().js()?;
        // Typing the columns is one synchronous step that cannot be interrupted; an abort
        // that arrived meanwhile still wins, and the table is dropped.
        if aborted(&signal) {
            return Err(CrmError::Aborted { message: "the load was aborted".into() }).js();
        }
        Ok(JsDataset { inner: ds })
    }
}
