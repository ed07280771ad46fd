// sentiment(input, options): one entry point for an array of texts or a Dataset column.
// The Chinese data is a lazily loaded module of the package (`zh`: crmlens_zh.js, loaded by
// modules.js from a relative path: same origin, no other request); it is loaded the first
// time a text needs it, or ahead of time with loadChineseSentiment().
import {
  Dataset, sentimentOfTextsAsync, sentimentOfDatasetAsync, topTermsOfTextsAsync, topTermsOfDatasetAsync,
  installChineseSentiment, chineseSentimentLoaded,
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
  try {
    return await run();
  } catch (e) {
    // The only INVALID_STATE the scorer raises before the data is installed is "Chinese
    // data not loaded": load it and score again.
    if (e?.code === 'INVALID_STATE' && !chineseSentimentLoaded()) {
      await loadChineseSentiment();
      return run();
    }
    throw e;
  }
}
