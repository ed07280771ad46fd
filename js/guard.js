// Makes a freed handle fail like any other crmlens error (CrmlensError, code
// INVALID_STATE) instead of wasm-bindgen's bare "null pointer passed to rust", and makes
// a second free() (or dispose) harmless. Relies on wasm-bindgen setting `__wbg_ptr` to 0
// when a handle is freed; if a future wasm-bindgen drops that field, nothing is wrapped.
function freedError(name) {
  const e = new Error(`this ${name} was freed; it cannot be used any more`);
  e.name = 'CrmlensError';
  e.code = 'INVALID_STATE';
  return e;
}

export function guardFreed(cls) {
  const proto = cls.prototype;
  const isFreed = (obj) => obj.__wbg_ptr === 0;
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor') continue;
    const desc = Object.getOwnPropertyDescriptor(proto, key);
    if (key === 'free') {
      const free = desc.value;
      proto.free = function () { if (!isFreed(this)) free.call(this); };
    } else if (typeof desc.value === 'function') {
      const fn = desc.value;
      proto[key] = function (...args) {
        if (isFreed(this)) throw freedError(cls.name);
        return fn.apply(this, args);
      };
    } else if (desc.get) {
      Object.defineProperty(proto, key, {
        ...desc,
        get() {
          if (isFreed(this)) throw freedError(cls.name);
          return desc.get.call(this);
        },
      });
    }
  }
  if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
}
