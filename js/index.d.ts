// Types of the package entry: everything is generated from the Rust types in crmlens.d.ts,
// except the JS-level sentiment functions below (thin wrappers over sentimentOfTexts /
// sentimentOfDataset, topTermsOfTexts / topTermsOfDataset and installChineseSentiment).
import type { Dataset, SentimentOptions, SentimentResult, TopTerms, TopTermsOptions } from './crmlens.js';
export * from './crmlens.js';

/** Sentiment of an array of texts, or of a Dataset column (`options.column`). Loads the Chinese data on first need. */
export function sentiment(input: Array<string | null | undefined> | Dataset, options?: SentimentOptions): Promise<SentimentResult>;
/** The most positive / negative terms of a corpus (an array of texts, or a Dataset column via `options.column`). */
export function topTerms(input: Array<string | null | undefined> | Dataset, options?: TopTermsOptions): Promise<TopTerms>;
/** Loads the Chinese sentiment data module (once). */
export function loadChineseSentiment(): Promise<void>;
