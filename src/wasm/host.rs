//! The core's host services in JavaScript ([`crmlens::host::Host`]): `performance.now` as
//! the clock, and the platform's `TextDecoder` (WHATWG Encoding Standard) for the
//! non-Unicode encodings. Installed once when the module starts (`mod.rs`).

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

/// Milliseconds from `performance.now()` where the global has it (browsers, workers, Node),
/// else `Date.now()`.
fn now_ms() -> f64 {
    use js_sys::Reflect;
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    if let Ok(perf) = Reflect::get(&global, &"performance".into()) {
        if let Ok(now) = Reflect::get(&perf, &"now".into()) {
            if let Some(f) = now.dyn_ref::<js_sys::Function>() {
                if let Some(v) = f.call0(&perf).ok().and_then(|v| v.as_f64()) {
                    return v;
                }
            }
        }
    }
    js_sys::Date::now()
}

/// Installs [`HOST`] as the core's host (once; later calls do nothing). Called when the
/// module starts and, for builds whose start function does not run (the wasm-bindgen test
/// runner), by the loaders.
pub fn ensure() {
    crmlens::host::install(&HOST);
}

/// The JS host: stateless (decoders are made per call), so one static instance serves all.
pub struct JsHost;

pub static HOST: JsHost = JsHost;

impl crmlens::host::Host for JsHost {
    fn now_ms(&self) -> f64 {
        now_ms()
    }
    fn encoding_name(&self, label: &str) -> Option<String> {
        canonical_name(label)
    }
    fn decodes_cleanly(&self, name: &str, sample: &[u8], complete: bool) -> bool {
        decodes_cleanly(name, sample, complete)
    }
    fn decoder(&self, name: &str) -> Box<dyn crmlens::host::LegacyDecoder> {
        Box::new(HostDecoder::new(name))
    }
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

impl crmlens::host::LegacyDecoder for HostDecoder {
    fn decode(&mut self, src: &[u8], out: &mut String, last: bool) {
        HostDecoder::decode(self, src, out, last)
    }
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
