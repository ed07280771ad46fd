//! `Dataset.fromFile`: streams a `Blob`/`File` in chunks, with progress and abort.

use js_sys::{Function, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert;
use super::dataset::JsDataset;
use super::error::{IntoJs, JsResult};
use super::lifecycle::{aborted, take_prop};
use crmlens::error::CrmError;
use crmlens::io::{LoadOptions, Loader};

/// Progress of `Dataset.fromFile`, passed to `onProgress` (`totalBytes` is NaN for a
/// stream of unknown length).
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
    /// A workbook (.xlsx/.xls/.ods, told by its first bytes, read by the `sheets` module):
    /// the sheet, by name or 0-based position (see `ExcelOptions`). Not for text files.
    #[tsify(type = "string | number", optional)]
    pub sheet: (),
    /// A workbook: the cell range in A1 notation (see `ExcelOptions`). Not for text files.
    #[tsify(type = "string", optional)]
    pub range: (),
}

const DEFAULT_CHUNK: f64 = 4.0 * 1024.0 * 1024.0;

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Streams a `File`, `Blob` or `ReadableStream` of bytes: never holds the whole file, only one chunk at a
    /// time plus the table being built. Reports progress and honours an `AbortSignal`.
    #[wasm_bindgen(js_name = fromFile)]
    pub async fn from_file(
        #[wasm_bindgen(unchecked_param_type = "Blob | ReadableStream<Uint8Array>")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "FileOptions")] options: Option<Object>,
    ) -> JsResult<JsDataset> {
        // The pool's wasm: the CSV byte range `Dataset.nextCsvShard` announced for this load
        // (src/wasm/shard.rs), taken first, so no later load sees it.
        #[cfg(feature = "pool")]
        let (shard, size) = super::shard::take_next().map_or((None, None), |(s, n)| (Some(s), Some(n)));
        let source = Source::new(input).js()?;
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
            opts.file_name = source.name();
        }
        super::host::ensure();
        #[cfg(feature = "pool")]
        let mut loader = super::shard::loader(opts, shard).js()?;
        #[cfg(not(feature = "pool"))]
        let mut loader = Loader::new(opts).js()?;
        let total = source.size();
        #[cfg(feature = "pool")]
        let total = total.or(size);
        if let Some(t) = total.filter(|t| t.is_finite() && *t >= 0.0) {
            loader.expect_bytes(t as u64);
        }
        let report = |loader: &Loader| -> JsResult<()> {
            if let Some(f) = &on_progress {
                let p = Progress {
                    bytes_read: loader.bytes_read() as f64,
                    total_bytes: total.unwrap_or(f64::NAN),
                    rows: loader.rows() as f64,
                };
                f.call1(&JsValue::NULL, &convert::to_plain(&p).js()?)?;
            }
            Ok(())
        };
        let abort_error = || Err(CrmError::Aborted { message: "the load was aborted".into() }).js();
        let mut reader = source.reader(chunk)?;
        let mut buf: Vec<u8> = Vec::new();
        // A Blob's slices resolve as microtasks: without a macrotask now and then, a timer
        // (and an abort it sends) cannot run until the whole load is done (fuzz finding 12).
        let mut turn = crmlens::host::now_ms();
        while !loader.is_full() {
            if crmlens::host::now_ms() - turn >= 25.0 {
                super::lifecycle::macrotask().await;
                turn = crmlens::host::now_ms();
            }
            if aborted(&signal) {
                reader.cancel();
                return abort_error();
            }
            let Some(arr) = reader.next().await? else { break };
            buf.resize(arr.length() as usize, 0);
            arr.copy_to(&mut buf);
            loader.push(&buf).js()?;
            report(&loader)?;
        }
        if loader.is_full() {
            reader.cancel(); // maxRows reached: the rest of a stream is not wanted
        }
        if aborted(&signal) {
            return abort_error();
        }
        drop(buf);
        let ds = loader.finish().js()?;
        // Typing the columns is one synchronous step that cannot be interrupted; an abort
        // that arrived meanwhile still wins, and the table is dropped.
        if aborted(&signal) {
            return abort_error();
        }
        Ok(JsDataset::new(ds))
    }
}

/// What `fromFile` reads: a Blob (read in slices) or a ReadableStream (read chunk by chunk).
enum Source {
    Blob(web_sys::Blob),
    Stream(JsValue),
}

impl Source {
    fn new(input: JsValue) -> Result<Source, CrmError> {
        if input.is_object() {
            if let Ok(getter) = Reflect::get(&input, &JsValue::from_str("getReader")) {
                if getter.is_function() {
                    return Ok(Source::Stream(input));
                }
            }
        }
        input
            .dyn_into::<web_sys::Blob>()
            .map(Source::Blob)
            .map_err(|_| CrmError::invalid_option("input", "expected a File, a Blob or a ReadableStream of bytes"))
    }

    fn name(&self) -> Option<String> {
        match self {
            Source::Blob(b) => Reflect::get(b, &JsValue::from_str("name")).ok().and_then(|v| v.as_string()),
            Source::Stream(_) => None,
        }
    }

    fn size(&self) -> Option<f64> {
        match self {
            Source::Blob(b) => Some(b.size()),
            Source::Stream(_) => None,
        }
    }

    fn reader(&self, chunk: f64) -> JsResult<Reader> {
        Ok(match self {
            Source::Blob(b) => Reader::Blob { blob: b.clone(), offset: 0.0, chunk },
            Source::Stream(s) => {
                let get: Function = Reflect::get(s, &JsValue::from_str("getReader"))?.dyn_into()?;
                Reader::Stream(get.call0(s)?)
            }
        })
    }
}

enum Reader {
    Blob { blob: web_sys::Blob, offset: f64, chunk: f64 },
    Stream(JsValue),
}

impl Reader {
    /// The next piece of input, `None` at the end.
    async fn next(&mut self) -> JsResult<Option<Uint8Array>> {
        match self {
            Reader::Blob { blob, offset, chunk } => {
                let total = blob.size();
                if *offset >= total {
                    return Ok(None);
                }
                let end = (*offset + *chunk).min(total);
                let bytes = JsFuture::from(blob.slice_with_f64_and_f64(*offset, end)?.array_buffer()).await?;
                *offset = end;
                Ok(Some(Uint8Array::new(&bytes)))
            }
            Reader::Stream(reader) => loop {
                let read: Function = Reflect::get(reader, &JsValue::from_str("read"))?.dyn_into()?;
                let promise: js_sys::Promise = read.call0(reader)?.dyn_into()?;
                let step = JsFuture::from(promise).await?;
                if Reflect::get(&step, &JsValue::from_str("done"))?.is_truthy() {
                    return Ok(None);
                }
                let value = Reflect::get(&step, &JsValue::from_str("value"))?;
                if let Some(a) = value.dyn_ref::<Uint8Array>() {
                    if a.length() > 0 {
                        return Ok(Some(a.clone()));
                    }
                } else if let Some(b) = value.dyn_ref::<js_sys::ArrayBuffer>() {
                    return Ok(Some(Uint8Array::new(b)));
                } else {
                    return Err(CrmError::invalid_option("input", "the stream must yield Uint8Array chunks")).js();
                }
            },
        }
    }

    /// Releases a stream that will not be read to its end.
    fn cancel(&self) {
        if let Reader::Stream(reader) = self {
            if let Ok(f) = Reflect::get(reader, &JsValue::from_str("cancel")) {
                if let Ok(f) = f.dyn_into::<Function>() {
                    // cancel() returns a promise; a rejection of it must not surface as an
                    // unhandled rejection.
                    if let Ok(p) = f.call0(reader).and_then(|p| p.dyn_into::<js_sys::Promise>()) {
                        let ignore = Closure::<dyn FnMut(JsValue)>::new(|_: JsValue| {});
                        let _ = p.catch(&ignore);
                        ignore.forget(); // a few bytes, once per cancelled load
                    }
                }
            }
        }
    }
}
