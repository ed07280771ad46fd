//! The host of long work in this module: a `task::Control` over three JS callbacks that
//! js/predict.js passes to `train` (`onProgress`, the `signal`, and a macrotask yield), so
//! that this module needs none of the core boundary's lifecycle code.

use crmlens::task::{Control, Pause, Progress};
use js_sys::{Function, Promise};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;

pub struct JsHost {
    /// `(phase, done, total)`.
    pub progress: Option<Function>,
    /// `() => boolean`.
    pub aborted: Option<Function>,
    /// `() => Promise<void>`.
    pub pause: Option<Function>,
}

impl Control for JsHost {
    fn now_ms(&self) -> f64 {
        js_sys::Date::now()
    }

    fn progress(&self, p: &Progress) {
        if let Some(f) = &self.progress {
            // A callback that throws does not stop the work.
            let _ = f.call3(
                &JsValue::NULL,
                &JsValue::from_str(p.phase),
                &JsValue::from_f64(p.done as f64),
                &JsValue::from_f64(p.total as f64),
            );
        }
    }

    fn aborted(&self) -> bool {
        self.aborted.as_ref().is_some_and(|f| f.call0(&JsValue::NULL).is_ok_and(|v| v.is_truthy()))
    }

    fn pause(&self) -> Option<Pause> {
        let promise = self.pause.as_ref()?.call0(&JsValue::NULL).ok()?.dyn_into::<Promise>().ok()?;
        let wait = JsFuture::from(promise);
        Some(Box::pin(async move {
            let _ = wait.await;
        }))
    }
}
