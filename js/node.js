// crmlens for Node.js: reads the package's own crmlens_bg.wasm from disk (no network).
import { readFileSync } from 'node:fs';
import { initSync, Dataset, Recommender, SentimentModel } from './crmlens.js';
import { guardFreed } from './guard.js';
import { defineToBytes } from './bytes.js';
import { setFileReader } from './loader.js';
export * from './crmlens.js';
export { customerProfiles } from './profiles.js';
export { sentiment, topTerms, sentimentAsync, topTermsAsync, loadChineseSentiment, loadSentimentData } from './sentiment.js';
export { loadModule } from './modules.js';
export { groupBy } from './tables.js';
import { loadModule } from './modules.js';
import { predictApi } from './predict.js';
/** Prediction (Predictor, transactionFeatures) from the lazily loaded module `predict`. */
export const { Predictor, transactionFeatures } = predictApi(loadModule);

initSync({ module: readFileSync(new URL('./crmlens_bg.wasm', import.meta.url)) });
// Lazily loaded wasm modules are read from disk too (loader.js).
setFileReader(readFileSync);
defineToBytes(Dataset);
guardFreed(Dataset);
guardFreed(Recommender);
guardFreed(SentimentModel);
