//! The host's `TextDecoder` (WHATWG Encoding Standard), which decodes the non-Unicode
//! encodings in WebAssembly builds (see `io::encoding::legacy`).

use js_sys::{Object, Reflect};
use wasm_bindgen::prelude::*;

#[wasm_bindgen]
extern "C" {
    #[wasm_bindgen(js_name = TextDecoder)]
    type JsTextDecoder;

    #[wasm_bindgen(constructor, catch, js_class = "TextDecoder")]
    fn new(label: &str, options: &JsValue) -> Result<JsTextDecoder, JsValue>;

    #[wasm_bindgen(method, getter)]
    fn encoding(this: &JsTextDecoder) -> String;

    #[wasm_bindgen(method, catch)]
    fn decode(this: &JsTextDecoder, input: &[u8], options: &JsValue) -> Result<String, JsValue>;
}

/// The label to construct the host decoder with: the standard's GBK decoder *is* the
/// gb18030 decoder (four-byte sequences included), but ICU-based hosts such as Node map
/// "gbk" to a narrower converter, so GBK is always decoded as gb18030.
fn host_label(name: &str) -> &str {
    if name.eq_ignore_ascii_case("gbk") {
        "gb18030"
    } else {
        name
    }
}

fn options(key: &str, value: bool) -> JsValue {
    let o = Object::new();
    let _ = Reflect::set(&o, &JsValue::from_str(key), &JsValue::from_bool(value));
    o.into()
}

/// The canonical name (lower case, as the host reports it) of the encoding `label` names,
/// or `None` when the host does not know the label.
pub fn canonical_name(label: &str) -> Option<String> {
    JsTextDecoder::new(label, &JsValue::UNDEFINED).ok().map(|d| d.encoding())
}

/// Whether `sample` decodes in `name` without a malformed sequence.
pub fn decodes_cleanly(name: &str, sample: &[u8], complete: bool) -> bool {
    match JsTextDecoder::new(host_label(name), &options("fatal", true)) {
        Ok(d) => d.decode(sample, &options("stream", !complete)).is_ok(),
        Err(_) => false,
    }
}

/// A streaming decoder; undecodable bytes become U+FFFD.
pub struct HostDecoder {
    decoder: Option<JsTextDecoder>,
    stream: JsValue,
    end: JsValue,
}

impl HostDecoder {
    pub fn new(name: &str) -> Self {
        // Every name reaching here came from the host itself (or is windows-1252/gb18030,
        // which every host has); should one still fail, the text is read as windows-1252.
        let decoder = JsTextDecoder::new(host_label(name), &JsValue::UNDEFINED)
            .or_else(|_| JsTextDecoder::new("windows-1252", &JsValue::UNDEFINED))
            .ok();
        HostDecoder { decoder, stream: options("stream", true), end: options("stream", false) }
    }

    pub fn decode(&mut self, src: &[u8], out: &mut String, last: bool) {
        let Some(d) = &self.decoder else {
            out.extend(src.iter().map(|&b| b as char));
            return;
        };
        let opts = if last { &self.end } else { &self.stream };
        match d.decode(src, opts) {
            Ok(text) => out.push_str(&text),
            // A non-fatal decoder does not throw; keep every byte visible if it ever does.
            Err(_) => out.extend(src.iter().map(|&b| b as char)),
        }
    }
}
