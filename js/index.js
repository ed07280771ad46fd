// crmlens for browsers and bundlers: instantiates the WebAssembly module from the
// package's own crmlens_bg.wasm (the only request the package ever makes: a GET of a
// static file next to this script), then exposes the API.
import init, { Dataset, Recommender, SentimentModel } from './crmlens.js';
import { guardFreed } from './guard.js';
import { defineToBytes } from './bytes.js';
import { defineSheets } from './sheets.js';
import { defineFromArrow } from './arrow.js';
import { loadModule } from './modules.js';
export * from './crmlens.js';
export { customerProfiles } from './profiles.js';
export { sentiment, topTerms, sentimentAsync, topTermsAsync, loadChineseSentiment, loadSentimentData } from './sentiment.js';
export { loadModule } from './modules.js';
export { groupBy } from './tables.js';
import { predictApi } from './predict.js';
/** Prediction (Predictor, transactionFeatures) from the lazily loaded module `predict`. */
export const { Predictor, transactionFeatures } = predictApi(loadModule);
export { loadRules, rules, rulesAsync, ruleCounts, ruleTemplates, ruleFromTemplate } from './rules-page.js';

await init({ module_or_path: new URL('./crmlens_bg.wasm', import.meta.url) });
defineToBytes(Dataset);
// Dataset.sheets / fromExcel, and fromFile of a workbook: the lazily loaded `sheets` module.
defineSheets(Dataset, loadModule);
defineFromArrow(Dataset, loadModule);
guardFreed(Dataset);
guardFreed(Recommender);
guardFreed(SentimentModel);
