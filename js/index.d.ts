// Types of the package entry: generated from the Rust types in crmlens.d.ts, plus the
// functions written in JS: customerProfiles (a thin walk over joinCustomers) and the
// sentiment functions (thin wrappers over sentimentOfTexts / sentimentOfDataset,
// topTermsOfTexts / topTermsOfDataset and installChineseSentiment).
import type { Dataset, JoinReport, LongWork, SentimentOptions, SentimentResult, TopTerms, TopTermsOptions } from './crmlens.js';
export * from './crmlens.js';

/** A table to join in `customerProfiles`: a Dataset, or one with its own id column / prefix. */
export type ProfileTable = Dataset | { table: Dataset; key?: string; prefix?: string };

export interface CustomerProfilesOptions {
  /** Customer attribute table (e.g. a CRM export), one row per customer. */
  attributes?: Dataset;
  /** Id column of `attributes` (default: a column named like `key`, else an id column, else the first). */
  attributesKey?: string;
  /** Id column of the value table (default: its first column). */
  key?: string;
  /** Further per-customer tables (sentiment roll-ups, segment labels, …). */
  extra?: ProfileTable | ProfileTable[];
  /** Prefix for the attribute columns. */
  prefix?: string;
}

/**
 * One row per customer of `values` (the result of `customerValue`, or a Dataset), with the
 * columns of every joined table; `joins` reports, per table, matched and unmatched ids.
 */
export function customerProfiles(
  values: Dataset | { customers: Dataset },
  options?: CustomerProfilesOptions,
): { profiles: Dataset; joins: Array<JoinReport & { table: string }> };

/** Sentiment of an array of texts, or of a Dataset column (`options.column`). Loads the Chinese data on first need; reports progress (`texts`) and stops on `signal`. */
export function sentiment(input: Array<string | null | undefined> | Dataset, options?: SentimentOptions & LongWork): Promise<SentimentResult>;
/** The most positive / negative terms of a corpus (an array of texts, or a Dataset column via `options.column`). */
export function topTerms(input: Array<string | null | undefined> | Dataset, options?: TopTermsOptions & LongWork): Promise<TopTerms>;
/** `sentiment` by the name every long operation has. */
export const sentimentAsync: typeof sentiment;
/** `topTerms` by the name every long operation has. */
export const topTermsAsync: typeof topTerms;
/** Loads the Chinese sentiment data module (once). */
export function loadChineseSentiment(): Promise<void>;
