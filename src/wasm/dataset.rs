//! The `Dataset` class.

use js_sys::Uint8Array;
use std::rc::Rc;

use wasm_bindgen::prelude::*;

use super::convert;
use super::error::{IntoJs, JsResult};
use crmlens::error::CrmError;
use crmlens::io::{self, CsvWriteOptions, LoadOptions};
use crmlens::table::Dataset;

/// A typed, columnar table held in WebAssembly memory. Call `free()` (or use `using`)
/// when done with it.
#[wasm_bindgen(js_name = Dataset)]
pub struct JsDataset {
    /// Shared, so that long work (`segmentAsync`, …) keeps the table alive across its
    /// pauses even if the handle is freed meanwhile. A Dataset never changes once built.
    pub(crate) inner: Rc<Dataset>,
}

impl JsDataset {
    pub(crate) fn new(ds: Dataset) -> Self {
        JsDataset { inner: Rc::new(ds) }
    }
}

enum Input {
    Text(String),
    Bytes(Uint8Array),
}

fn input(v: &JsValue) -> Result<Input, CrmError> {
    if let Some(s) = v.as_string() {
        return Ok(Input::Text(s));
    }
    if let Some(a) = v.dyn_ref::<Uint8Array>() {
        return Ok(Input::Bytes(a.clone()));
    }
    if let Some(b) = v.dyn_ref::<js_sys::ArrayBuffer>() {
        return Ok(Input::Bytes(Uint8Array::new(b)));
    }
    Err(CrmError::invalid_option(
        "input",
        "expected a string, Uint8Array or ArrayBuffer (use Dataset.fromFile for a File or Blob)",
    ))
}

/// CSV from JS bytes, copied into wasm memory 1 MiB at a time (never the whole input).
fn csv_from_js_bytes(bytes: &Uint8Array, mut opts: LoadOptions) -> Result<Dataset, CrmError> {
    opts.format = io::Format::Csv;
    load_js_bytes(io::Loader::new(opts)?, bytes)
}

/// Feeds JS bytes to `loader` 1 MiB at a time and builds the dataset.
pub(crate) fn load_js_bytes(mut loader: io::Loader, bytes: &Uint8Array) -> Result<Dataset, CrmError> {
    const PIECE: u32 = 1 << 20;
    loader.expect_bytes(bytes.length() as u64);
    let mut buf = vec![0u8; PIECE.min(bytes.length()) as usize];
    let mut at = 0;
    while at < bytes.length() && !loader.is_full() {
        let end = (at + PIECE).min(bytes.length());
        let piece = &mut buf[..(end - at) as usize];
        bytes.subarray(at, end).copy_to(piece);
        loader.push(piece)?;
        at = end;
    }
    loader.finish()
}

#[wasm_bindgen(js_class = Dataset)]
impl JsDataset {
    /// Reads CSV (or TSV, `;`, `|`, whitespace-separated) from a string or bytes.
    /// Bytes are decoded by `options.encoding` (default: detected).
    #[wasm_bindgen(js_name = fromCsv)]
    pub fn from_csv(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: Option<js_sys::Object>,
    ) -> JsResult<JsDataset> {
        super::host::ensure();
        let opts: LoadOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        let ds = match self::input(&input).js()? {
            Input::Text(s) => io::read_csv_str(&s, opts),
            Input::Bytes(b) => csv_from_js_bytes(&b, opts),
        }
        .js()?;
        Ok(JsDataset::new(ds))
    }

    /// Reads JSON: an array of objects, or NDJSON (one object per line).
    #[wasm_bindgen(js_name = fromJson)]
    pub fn from_json(
        #[wasm_bindgen(unchecked_param_type = "string | Uint8Array | ArrayBuffer")] input: JsValue,
        #[wasm_bindgen(unchecked_optional_param_type = "LoadOptions")] options: Option<js_sys::Object>,
    ) -> JsResult<JsDataset> {
        super::host::ensure();
        let mut opts: LoadOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        let ds = match self::input(&input).js()? {
            Input::Text(s) => {
                opts.encoding = Some("utf-8".into());
                io::read_json_bytes(s.as_bytes(), opts)
            }
            Input::Bytes(b) => io::read_json_bytes(&b.to_vec(), opts),
        }
        .js()?;
        Ok(JsDataset::new(ds))
    }

    /// Reads the compact binary form that `dataset.toBytes()` writes (version 1), e.g. a
    /// table a lazily loaded module built in its own memory, or one saved by the page.
    /// Every count, offset and code is checked: truncated or tampered bytes are a
    /// `PARSE_ERROR`, never a trap.
    #[wasm_bindgen(js_name = fromBytes)]
    pub fn from_bytes(
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer")] bytes: JsValue,
    ) -> JsResult<JsDataset> {
        super::host::ensure();
        let bytes = match self::input(&bytes).js()? {
            Input::Bytes(b) => b.to_vec(),
            Input::Text(_) => {
                return Err(CrmError::invalid_option("bytes", "expected a Uint8Array or ArrayBuffer")).js();
            }
        };
        Ok(JsDataset::new(Dataset::from_bytes(&bytes).js()?))
    }

    /// Number of rows.
    #[wasm_bindgen(getter, js_name = numRows)]
    pub fn num_rows(&self) -> usize {
        self.inner.num_rows()
    }

    /// Number of columns.
    #[wasm_bindgen(getter, js_name = numColumns)]
    pub fn num_columns(&self) -> usize {
        self.inner.num_columns()
    }

    /// Name, type, role and null count of every column.
    #[wasm_bindgen(unchecked_return_type = "ColumnInfo[]")]
    pub fn columns(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.column_info()).js()
    }

    /// The values of one column: a `Float64Array` for `int64` and `float64` columns
    /// (null = NaN; int64 values are exact, as inference keeps them within ±2^53), an
    /// array of booleans for `bool`, of ISO strings for `date`/`datetime`, of strings for
    /// `category`/`text` (null where missing).
    #[wasm_bindgen(unchecked_return_type = "Float64Array | Array<string | boolean | null>")]
    pub fn column(&self, #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue) -> JsResult<JsValue> {
        let name = name
            .as_string()
            .ok_or_else(|| CrmError::invalid_option("name", "the column name must be a string"))
            .js()?;
        let col = self.inner.column(&name).js()?;
        Ok(convert::column(col))
    }

    /// A date or datetime column as milliseconds since 1970-01-01 UTC (`new Date(ms)`
    /// gives the instant; dates are at midnight UTC; null = NaN). Faster than `column()`
    /// for big columns, and free of time-zone ambiguity.
    pub fn timestamps(
        &self,
        #[wasm_bindgen(unchecked_param_type = "string")] name: JsValue,
    ) -> JsResult<js_sys::Float64Array> {
        let name = name
            .as_string()
            .ok_or_else(|| CrmError::invalid_option("name", "the column name must be a string"))
            .js()?;
        let col = self.inner.column(&name).js()?;
        let ms = col
            .to_millis()
            .ok_or_else(|| {
                CrmError::invalid_option(
                    "name",
                    format!("column `{name}` is {}, not a date or datetime", col.dtype().name()),
                )
            })
            .js()?;
        Ok(js_sys::Float64Array::from(ms.as_slice()))
    }

    /// Rows as plain objects (numbers, booleans, strings, ISO dates, null).
    /// Defaults: offset 0, limit 100.
    #[wasm_bindgen(unchecked_return_type = "Array<Record<string, string | number | boolean | null>>")]
    pub fn rows(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] offset: Option<JsValue>,
        #[wasm_bindgen(unchecked_optional_param_type = "number")] limit: Option<JsValue>,
    ) -> JsResult<JsValue> {
        let count = |v: Option<JsValue>, name: &str, default: usize| -> JsResult<usize> {
            match v {
                None => Ok(default),
                Some(v) if v.is_undefined() || v.is_null() => Ok(default),
                Some(v) => match v.as_f64() {
                    Some(f) if f >= 0.0 && f.fract() == 0.0 => Ok(f.min(usize::MAX as f64) as usize),
                    _ => Err(CrmError::invalid_option(name, "must be a non-negative integer")).js(),
                },
            }
        };
        Ok(convert::rows(&self.inner, count(offset, "offset", 0)?, count(limit, "limit", 100)?))
    }

    /// Problems found while loading (ragged rows, bad bytes, unclosed quotes...), each with
    /// its line and what was done. At most 10,000 are listed; `issueCounts` is exact.
    #[wasm_bindgen(getter, unchecked_return_type = "Issue[]")]
    pub fn issues(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.issues).js()
    }

    /// Exact counts of issues by kind and action.
    #[wasm_bindgen(getter, js_name = issueCounts, unchecked_return_type = "IssueCount[]")]
    pub fn issue_counts(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.issue_counts).js()
    }

    /// How the input was read: format, encoding, delimiter, header, bytes, records, skipped rows.
    #[wasm_bindgen(getter, unchecked_return_type = "SourceInfo")]
    pub fn source(&self) -> JsResult<JsValue> {
        convert::to_plain(&self.inner.source).js()
    }

    /// Approximate bytes of WebAssembly memory held by the columns.
    #[wasm_bindgen(getter, js_name = memoryBytes)]
    pub fn memory_bytes(&self) -> usize {
        self.inner.memory_bytes()
    }

    /// CSV text of the whole table.
    #[wasm_bindgen(js_name = toCsv)]
    pub fn to_csv(
        &self,
        #[wasm_bindgen(unchecked_optional_param_type = "CsvWriteOptions")] options: Option<js_sys::Object>,
    ) -> JsResult<String> {
        let opts: CsvWriteOptions = convert::options(&options.map(JsValue::from).unwrap_or(JsValue::UNDEFINED)).js()?;
        io::to_csv(&self.inner, &opts).js()
    }

    /// The table as an Apache Arrow IPC stream, for DuckDB-Wasm (`insertArrowFromIPCStream`),
    /// apache-arrow (`tableFromIPC`), Perspective, Arquero or Observable: `int64` → Int64,
    /// `float64` → Float64, `bool` → Bool, `date` → Date32, `datetime` → Timestamp(ms, UTC
    /// when the column is), `category` → Dictionary<Int32, Utf8>, `text` → Utf8; nulls as
    /// validity bitmaps. The values are copied once, from the columns into the returned
    /// array (the wasm memory does not grow by the size of the output).
    #[wasm_bindgen(js_name = toArrow)]
    pub fn to_arrow(&self) -> JsResult<Uint8Array> {
        let stream = io::IpcStream::new(&self.inner);
        let len = u32::try_from(stream.len())
            .ok()
            .filter(|&n| n < u32::MAX)
            .ok_or_else(|| {
                CrmError::too_large("toArrow", "the Arrow stream would pass 4 GiB, the limit of a Uint8Array here")
            })
            .js()?;
        let out = Uint8Array::new_with_length(len);
        let mut at = 0u32;
        stream.write(&mut |piece| {
            let end = at + piece.len() as u32;
            out.subarray(at, end).copy_from(piece);
            at = end;
        });
        Ok(out)
    }

    /// JSON text: an array of row objects.
    #[wasm_bindgen(js_name = toJson)]
    pub fn to_json(&self) -> JsResult<String> {
        io::to_json(&self.inner).js()
    }
}
