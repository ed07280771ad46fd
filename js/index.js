// crmlens for browsers and bundlers: instantiates the WebAssembly module from the
// package's own crmlens_bg.wasm (the only request the package ever makes: a GET of a
// static file next to this script), then exposes the API.
import init, { Dataset, Recommender, SentimentModel } from './crmlens.js';
import { guardFreed } from './guard.js';
import { defineToBytes } from './bytes.js';
export * from './crmlens.js';
export { customerProfiles } from './profiles.js';
export { sentiment, topTerms, sentimentAsync, topTermsAsync, loadChineseSentiment, loadSentimentData } from './sentiment.js';
export { loadModule } from './modules.js';
export { groupBy } from './tables.js';
import { loadModule } from './modules.js';
import { predictApi } from './predict.js';
/** Prediction (Predictor, transactionFeatures) from the lazily loaded module `predict`. */
export const { Predictor, transactionFeatures } = predictApi(loadModule);

await init({ module_or_path: new URL('./crmlens_bg.wasm', import.meta.url) });
defineToBytes(Dataset);
guardFreed(Dataset);
guardFreed(Recommender);
guardFreed(SentimentModel);
