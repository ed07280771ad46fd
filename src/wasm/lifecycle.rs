//! Long work from JS, one mechanism for every `…Async` operation: the options object's
//! `onProgress` and `signal` become a [`crmlens::task::Control`], the rest is parsed as the
//! operation's options; the core's `async fn` runs as a `Promise` that gives the event loop a
//! turn (a macrotask, not the 4 ms-clamped nested timer) once per time slice, so the page
//! stays responsive and an abort is seen within one slice (~25 ms).

use js_sys::{Function, Object, Promise, Reflect};
use serde::Serialize;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

use super::convert;
use super::error::{to_js, IntoJs, JsResult};
use crmlens::error::CrmError;
use crmlens::task::{Control, Pause, Progress};

#[wasm_bindgen(inline_js = r#"
let channel = null;
const queue = [];
export function crmlens_macrotask() {
  return new Promise((resolve) => {
    if (typeof setImmediate === 'function') { setImmediate(resolve); return; }
    if (typeof MessageChannel === 'function') {
      if (channel === null) {
        channel = new MessageChannel();
        channel.port1.onmessage = () => { const r = queue.shift(); if (r) r(); };
      }
      queue.push(resolve);
      channel.port2.postMessage(0);
      return;
    }
    setTimeout(resolve, 0);
  });
}
"#)]
extern "C" {
    fn crmlens_macrotask() -> Promise;
}

/// Takes `key` out of `obj` (read, then deleted): the JS-only controls of an options object.
pub(super) fn take_prop(obj: &Object, key: &str) -> JsValue {
    let k = JsValue::from_str(key);
    let v = Reflect::get(obj, &k).unwrap_or(JsValue::UNDEFINED);
    let _ = Reflect::delete_property(obj, &k);
    v
}

pub(super) fn aborted(signal: &JsValue) -> bool {
    signal.is_object() && Reflect::get(signal, &JsValue::from_str("aborted")).map(|v| v.is_truthy()).unwrap_or(false)
}

/// Gives the event loop a turn (a macrotask), so timers, messages and an `AbortSignal`
/// aborted from them get through between steps of long work.
pub(super) async fn macrotask() {
    let _ = JsFuture::from(crmlens_macrotask()).await;
}

#[wasm_bindgen(typescript_custom_section)]
const LONG_WORK: &str = r#"
/** Where long work is, passed to `onProgress` about every 25 ms and at each phase boundary. */
export interface WorkProgress {
  /** The step under way, e.g. `"cluster"`, `"score"`, `"fit"`, `"rows"`. */
  phase: string;
  /** Units of this phase done. */
  done: number;
  /** Units of this phase in all (0 when not known in advance). */
  total: number;
}

/** The controls every `…Async` operation takes beside its own options. */
export interface LongWork {
  /** Called with the progress about every 25 ms and at each phase boundary. */
  onProgress?: (progress: WorkProgress) => void;
  /** Stops the work within about 25 ms of work; the promise rejects with a CrmlensError of code `ABORTED`. */
  signal?: AbortSignal;
}
"#;

/// `onProgress` and `signal` of one call.
pub struct JsControl {
    on_progress: Option<Function>,
    signal: JsValue,
}

#[derive(Serialize)]
struct Plain<'a> {
    phase: &'a str,
    done: f64,
    total: f64,
}

impl Control for JsControl {
    fn now_ms(&self) -> f64 {
        crmlens::host::now_ms()
    }
    fn progress(&self, p: &Progress) {
        if let Some(f) = &self.on_progress {
            let plain = Plain { phase: p.phase, done: p.done as f64, total: p.total as f64 };
            if let Ok(v) = convert::to_plain(&plain) {
                // A callback that throws does not stop the work (nor is it retried).
                let _ = f.call1(&JsValue::NULL, &v);
            }
        }
    }
    fn aborted(&self) -> bool {
        aborted(&self.signal)
    }
    fn pause(&self) -> Option<Pause> {
        let wait = JsFuture::from(crmlens_macrotask());
        Some(Box::pin(async move {
            let _ = wait.await;
        }))
    }
}

/// Splits `options` into the control (`onProgress`, `signal`) and the operation's own
/// options (a shallow copy; the caller's object is not changed). An already aborted signal
/// is an `ABORTED` error here, before any work.
pub fn split(options: Option<JsValue>) -> JsResult<(JsValue, JsControl)> {
    let given = options.unwrap_or(JsValue::UNDEFINED);
    let copy = if given.is_undefined() || given.is_null() {
        Object::new()
    } else if given.is_object() && !js_sys::Array::is_array(&given) {
        Object::assign(&Object::new(), given.unchecked_ref())
    } else {
        return Err(to_js(CrmError::invalid_option("options", "options must be a plain object")));
    };
    let on_progress = convert::function_prop(&copy, "onProgress").js()?;
    let _ = take_prop(&copy, "onProgress");
    let signal = take_prop(&copy, "signal");
    let bad_signal = !signal.is_undefined()
        && !signal.is_null()
        && (!signal.is_object() || Reflect::get(&signal, &"aborted".into())?.is_undefined());
    if bad_signal {
        return Err(to_js(CrmError::invalid_option("signal", "`signal` must be an AbortSignal")));
    }
    // A misspelt `onProgress` would vanish silently on the way to the options parser (JSON
    // has no functions): any other function-valued option is an error naming it.
    for key in Object::keys(&copy).iter() {
        if Reflect::get(&copy, &key)?.is_function() {
            let name = key.as_string().unwrap_or_default();
            return Err(to_js(CrmError::invalid_option(
                name.clone(),
                format!("unknown option `{name}` (a function; the only function option is `onProgress`)"),
            )));
        }
    }
    let control = JsControl { on_progress, signal };
    if control.aborted() {
        return Err(to_js(CrmError::aborted()));
    }
    Ok((copy.into(), control))
}

/// The Promise of an `…Async` call: a setup error (bad options, an already aborted signal)
/// rejects it too, so callers handle every failure in one place.
pub fn promise(setup: JsResult<Promise>) -> Promise {
    setup.unwrap_or_else(|e| Promise::reject(&e))
}
