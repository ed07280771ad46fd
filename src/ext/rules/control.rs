//! Long work driven from JS: the `control` object that js/rules.js builds from `onProgress`
//! and `signal` (`{ onProgress, aborted, pause }`, all functions) as a
//! [`crmlens::task::Control`]. The JS side checks the options (an AbortSignal, no other
//! function-valued option), so this side only calls.

use crmlens::task::{Control, Pause, Progress};
use js_sys::{Function, Object, Promise, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub struct JsControl {
    on_progress: Option<Function>,
    aborted: Option<Function>,
    pause: Option<Function>,
}

fn function(obj: &JsValue, key: &str) -> Option<Function> {
    Reflect::get(obj, &JsValue::from_str(key)).ok().and_then(|v| v.dyn_into::<Function>().ok())
}

impl JsControl {
    pub fn new(control: &JsValue) -> Self {
        JsControl {
            on_progress: function(control, "onProgress"),
            aborted: function(control, "aborted"),
            pause: function(control, "pause"),
        }
    }
}

impl Control for JsControl {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }
    fn progress(&self, p: &Progress) {
        if let Some(f) = &self.on_progress {
            let o = Object::new();
            let _ = Reflect::set(&o, &"phase".into(), &JsValue::from_str(p.phase));
            let _ = Reflect::set(&o, &"done".into(), &JsValue::from_f64(p.done as f64));
            let _ = Reflect::set(&o, &"total".into(), &JsValue::from_f64(p.total as f64));
            // A callback that throws does not stop the work.
            let _ = f.call1(&JsValue::NULL, &o);
        }
    }
    fn aborted(&self) -> bool {
        self.aborted.as_ref().and_then(|f| f.call0(&JsValue::NULL).ok()).is_some_and(|v| v.is_truthy())
    }
    fn pause(&self) -> Option<Pause> {
        let f = self.pause.as_ref()?;
        let p: Promise = f.call0(&JsValue::NULL).ok()?.dyn_into().ok()?;
        let wait = JsFuture::from(p);
        Some(Box::pin(async move {
            let _ = wait.await;
        }))
    }
}
