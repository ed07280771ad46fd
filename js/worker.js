// crmlens/worker (browsers): CrmlensWorker (worker-core.js), a Web Worker running crmlens, and
// the pool of workers (pool.js; in Node, pool-node.js is this entry).
export { CrmlensWorker } from './worker-core.js';
export { CrmlensPool, ShardedDataset } from './pool.js';
