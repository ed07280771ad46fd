// sentiment(input, options): one entry point for an array of texts or a Dataset column.
// The Chinese data is a lazily loaded module of the package (`zh`: crmlens_zh.js, loaded by
// modules.js from a relative path: same origin, no other request); it is loaded the first
// time a text needs it, or ahead of time with loadChineseSentiment().
import {
  Dataset, sentimentOfTextsAsync, sentimentOfDatasetAsync, topTermsOfTextsAsync, topTermsOfDatasetAsync,
  installChineseSentiment, chineseSentimentLoaded, installEnglishSentiment, englishSentimentLoaded,
} from './crmlens.js';
import { loadModule } from './modules.js';

let installing = null;

/** Loads the Chinese sentiment data (once). Resolves when Chinese texts can be scored. */
export function loadChineseSentiment() {
  if (chineseSentimentLoaded()) return Promise.resolve();
  installing ??= loadModule('zh')
    .then((data) => { if (!chineseSentimentLoaded()) installChineseSentiment(data); })
    .catch((e) => { installing = null; throw e; });
  return installing;
}

let installingEnglish = null;

/** Loads the English sentiment data (the VADER lexicon, a data module of the package; once). */
function loadEnglishSentiment() {
  if (englishSentimentLoaded()) return Promise.resolve();
  installingEnglish ??= loadModule('en')
    .then((data) => { if (!englishSentimentLoaded()) installEnglishSentiment(data.lexicon, data.emoji); })
    .catch((e) => { installingEnglish = null; throw e; });
  return installingEnglish;
}

/** Loads the sentiment data of both languages (each once): afterwards the synchronous
 * sentimentOfTexts / sentimentOfDataset / topTermsOf… score every text without waiting. */
export function loadSentimentData() {
  return Promise.all([loadEnglishSentiment(), loadChineseSentiment()]).then(() => undefined);
}

/**
 * Sentiment of `input` (an array of strings, or a Dataset with `options.column` naming its
 * text column). Resolves to columnar results; see SentimentResult. Long work: takes
 * `onProgress` and `signal` beside its options (it is `sentimentAsync` too).
 */
export function sentiment(input, options) {
  return withChinese(() => (input instanceof Dataset ? sentimentOfDatasetAsync(input, options) : sentimentOfTextsAsync(input, options)));
}

/** The most positive and most negative terms of a corpus (array of strings, or a Dataset with `options.column`); takes `onProgress` and `signal` too. */
export function topTerms(input, options) {
  return withChinese(() => (input instanceof Dataset ? topTermsOfDatasetAsync(input, options) : topTermsOfTextsAsync(input, options)));
}

/** `sentiment` by the name every long operation has (`…Async`). */
export const sentimentAsync = sentiment;
/** `topTerms` by the name every long operation has (`…Async`). */
export const topTermsAsync = topTerms;

async function withChinese(run) {
  // The English lexicon first (every text may need it); the Chinese data on the first
  // Chinese text.
  await loadEnglishSentiment();
  try {
    return await run();
  } catch (e) {
    // The only INVALID_STATE the scorer raises once the English data is in is "Chinese
    // data not loaded": load it and score again.
    if (e?.code === 'INVALID_STATE' && !chineseSentimentLoaded()) {
      await loadChineseSentiment();
      return run();
    }
    throw e;
  }
}
