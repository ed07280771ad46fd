// Types of the package entry: everything is generated from the Rust types in crmlens.d.ts.
export * from './crmlens.js';
