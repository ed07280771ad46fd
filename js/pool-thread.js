// A CrmlensPool thread in Node (worker_threads): gives worker-entry.js the global scope of a
// module Web Worker named 'crmlens-pool' (`self`, `postMessage`, `onmessage`), then runs it.
// Messages that arrive before worker-entry.js has loaded wait in a queue.
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';

globalThis.self = globalThis;
globalThis.name = 'crmlens-pool';
globalThis.postMessage = (data, transfer = []) => parentPort.postMessage(data, transfer);
const queue = [];
parentPort.on('message', (data) => {
  if (typeof globalThis.onmessage === 'function') globalThis.onmessage({ data });
  else queue.push(data);
});
const { setFileReader } = await import('./loader.js');
setFileReader(readFileSync);
await import('./worker-entry.js');
for (const data of queue.splice(0)) globalThis.onmessage({ data });
