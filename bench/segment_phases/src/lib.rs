//! src/segment's k-means++, Lloyd (Hamerly) and silhouette as plain wasm exports.
#![allow(clippy::missing_safety_doc)]

// At the crate root, so that the files' `super::` paths resolve here.
#[path = "../../../src/segment/distance.rs"]
pub mod distance;
#[path = "../../../src/segment/kmeans.rs"]
pub mod kmeans;
#[path = "../../../src/segment/metrics.rs"]
pub mod metrics;
#[path = "../../../src/rng.rs"]
pub mod rng;

use kmeans::{assign, kmeans_plus_plus, lloyd, mean_variance};
use rng::Rng;

struct State {
    centers: Vec<f64>,
    labels: Vec<u32>,
    iterations: usize,
}
static mut STATE: State = State { centers: Vec::new(), labels: Vec::new(), iterations: 0 };

#[allow(static_mut_refs)]
fn state() -> &'static mut State {
    // SAFETY: wasm here is single-threaded and the exports never re-enter.
    unsafe { &mut STATE }
}

#[no_mangle]
pub extern "C" fn alloc_f64(n: usize) -> *mut f64 {
    let mut v = vec![0.0f64; n];
    let p = v.as_mut_ptr();
    std::mem::forget(v);
    p
}

/// k-means++ seeding; returns the sum of the centres (a checksum).
#[no_mangle]
pub unsafe extern "C" fn seed_centers(x: *const f64, n: usize, d: usize, k: usize, seed: u64) -> f64 {
    let x = std::slice::from_raw_parts(x, n * d);
    state().centers = kmeans_plus_plus(x, n, d, k, &mut Rng::new(seed));
    state().centers.iter().sum()
}

/// Lloyd with Hamerly's bounds from the seeded centres; returns the inertia.
#[no_mangle]
pub unsafe extern "C" fn run_lloyd(x: *const f64, n: usize, d: usize, k: usize, tol: f64) -> f64 {
    let x = std::slice::from_raw_parts(x, n * d);
    let c = lloyd(x, n, d, state().centers.clone(), k, 300, tol * mean_variance(x, n, d));
    state().iterations = c.iterations;
    state().labels = c.labels;
    c.inertia
}

#[no_mangle]
pub extern "C" fn iterations() -> usize {
    state().iterations
}

/// One full assignment pass (every row against every centre), like scikit-learn's predict.
#[no_mangle]
pub unsafe extern "C" fn run_assign(x: *const f64, n: usize, d: usize, k: usize) -> f64 {
    let x = std::slice::from_raw_parts(x, n * d);
    let mut labels = vec![0u32; n];
    assign(x, n, d, &state().centers, k, &mut labels)
}

/// Silhouette of the last Lloyd labels (exact up to 10,000 rows).
#[no_mangle]
pub unsafe extern "C" fn run_silhouette(x: *const f64, n: usize, d: usize, k: usize) -> f64 {
    let x = std::slice::from_raw_parts(x, n * d);
    metrics::silhouette(x, n, d, &state().labels, k, 0).0
}
