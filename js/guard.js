// Makes misuse of a handle class (Dataset, Recommender, SentimentModel) fail like any other
// crmlens error (CrmlensError, code INVALID_STATE) instead of reaching Rust:
// - a freed handle used as the receiver (`ds.rows()` after `ds.free()`), or passed as an
//   ARGUMENT (`segment(ds)`, `Recommender.fit(ds, …)`, `joinCustomers(a, ds)`): wasm-bindgen's
//   glue reads `arg.__wbg_ptr` to pass it, and on a freed handle that read throws the
//   CrmlensError (without this, Rust answers a bare "null pointer passed to rust");
// - a prototype method called with a foreign `this` (another class's instance, a plain object
//   with a forged `__wbg_ptr`): only objects the glue itself made (its `__wrap`) are accepted,
//   so Rust never reads memory as the wrong type;
// - a second free() (or dispose) is harmless.
// Relies on wasm-bindgen's `__wbg_ptr` field and static `__wrap`; if a future wasm-bindgen
// drops `__wrap`, the receiver check falls back to `instanceof`.
import { crmlensError } from './errors.js';

const freedError = (name) => crmlensError('INVALID_STATE', `this ${name} was freed; it cannot be used any more`);

export function guardFreed(cls) {
  const proto = cls.prototype;
  if (Object.hasOwn(proto, '__crmlensGuarded')) return;
  Object.defineProperty(proto, '__crmlensGuarded', { value: true });
  const made = new WeakSet(); // objects the glue made (genuine handles of this class)
  const freed = new WeakSet();
  const hasWrap = typeof cls.__wrap === 'function';
  if (hasWrap) {
    const wrap = cls.__wrap;
    cls.__wrap = function (ptr) {
      const obj = wrap.call(this, ptr);
      made.add(obj);
      return obj;
    };
  }
  const genuine = (obj) => (hasWrap ? made.has(obj) : obj instanceof cls);
  const check = (obj, key) => {
    if (freed.has(obj) || (genuine(obj) && obj.__wbg_ptr === 0)) throw freedError(cls.name);
    if (!genuine(obj)) throw crmlensError('INVALID_STATE', `${cls.name}.prototype.${String(key)} called on something that is not a ${cls.name}`);
  };
  for (const key of Object.getOwnPropertyNames(proto)) {
    if (key === 'constructor' || key === '__crmlensGuarded' || key.startsWith('__')) continue;
    const desc = Object.getOwnPropertyDescriptor(proto, key);
    if (key === 'free') {
      const free = desc.value;
      proto.free = function () {
        if (freed.has(this)) return;
        check(this, key);
        free.call(this);
        freed.add(this);
        // Any later read of the pointer (the glue passing this handle as an argument) throws.
        Object.defineProperty(this, '__wbg_ptr', { get() { throw freedError(cls.name); }, configurable: true });
      };
    } else if (typeof desc.value === 'function') {
      const fn = desc.value;
      proto[key] = { [key](...args) { check(this, key); return fn.apply(this, args); } }[key];
    } else if (desc.get) {
      Object.defineProperty(proto, key, {
        ...desc,
        get() {
          check(this, key);
          return desc.get.call(this);
        },
      });
    }
  }
  if (Symbol.dispose) proto[Symbol.dispose] = proto.free;
}
