// crmlens for Node.js: reads the package's own crmlens_bg.wasm from disk (no network).
import { readFileSync } from 'node:fs';
import { initSync, Dataset, Recommender, SentimentModel } from './crmlens.js';
import { guardFreed } from './guard.js';
import { defineToBytes } from './bytes.js';
import { defineSheets } from './sheets.js';
import { defineFromArrow } from './arrow.js';
import { loadModule } from './modules.js';
import { setFileReader } from './loader.js';
export * from './crmlens.js';
export { customerProfiles } from './profiles.js';
export { sentiment, topTerms, sentimentAsync, topTermsAsync, loadChineseSentiment, loadSentimentData } from './sentiment.js';
export { loadModule } from './modules.js';
export { groupBy } from './tables.js';
import { predictApi } from './predict.js';
/** Prediction (Predictor, transactionFeatures) from the lazily loaded module `predict`. */
export const { Predictor, transactionFeatures } = predictApi(loadModule);
export { loadRules, rules, rulesAsync, ruleCounts, ruleTemplates, ruleFromTemplate } from './rules-page.js';

initSync({ module: readFileSync(new URL('./crmlens_bg.wasm', import.meta.url)) });
// Lazily loaded wasm modules are read from disk too (loader.js).
setFileReader(readFileSync);
defineToBytes(Dataset);
// Dataset.sheets / fromExcel, and fromFile of a workbook: the lazily loaded `sheets` module.
defineSheets(Dataset, loadModule);
defineFromArrow(Dataset, loadModule);
guardFreed(Dataset);
guardFreed(Recommender);
guardFreed(SentimentModel);
