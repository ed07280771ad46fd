// The next macrotask, for long work done from JS (Predictor, rules): the page gets a turn
// between units. setImmediate in Node, one shared MessageChannel in browsers and workers —
// never the 4 ms-clamped nested timer. (src/wasm/lifecycle.rs carries the same yield as
// wasm-bindgen inline JS for the core's own long work.)
let channel = null;
const queue = [];

/** Resolves on the next macrotask. */
export function macrotask() {
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
