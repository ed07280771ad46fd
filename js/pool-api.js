// The JS-side parts of a CrmlensPool worker's `api` (pool-entry.js): none. The pool's workers
// run the shard ops and the basic dataset ops on crmlens_pool_bg.wasm; customerProfiles, the
// rules and the prediction APIs (worker-api.js) import the core glue (crmlens.js), which a pool
// worker never initialises, so pool-entry.js imports this file instead.

/** No extra members. */
export function workerApi() {
  return {};
}
