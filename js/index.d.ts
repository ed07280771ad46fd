// Types of the package entry: generated from the Rust types in crmlens.d.ts, plus the
// functions written in JS: customerProfiles (a thin walk over joinCustomers) and the
// sentiment functions (thin wrappers over sentimentOfTexts / sentimentOfDataset,
// topTermsOfTexts / topTermsOfDataset and installChineseSentiment).
import type { Dataset, DataType, JoinReport, LongWork, SentimentOptions, SentimentResult, TopTerms, TopTermsOptions } from './crmlens.js';
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
/** `sentiment` by the name every long operation has (the same function). */
export function sentimentAsync(input: Array<string | null | undefined> | Dataset, options?: SentimentOptions & LongWork): Promise<SentimentResult>;
/** `topTerms` by the name every long operation has (the same function). */
export function topTermsAsync(input: Array<string | null | undefined> | Dataset, options?: TopTermsOptions & LongWork): Promise<TopTerms>;
/** Loads the Chinese sentiment data module (once). */
export function loadChineseSentiment(): Promise<void>;
/** Loads the English and Chinese sentiment data modules (once each); afterwards the synchronous sentimentOfTexts / sentimentOfDataset / topTermsOf… need no loading. */
export function loadSentimentData(): Promise<void>;

/**
 * Loads one of the package's lazily loaded modules (once; fetched from next to the package
 * files, same origin): `zh` (Chinese sentiment data), `tables` or `arrow` (wasm modules). Rejects with
 * a CrmlensError of code `MODULE_LOAD_FAILED` naming the module (`field`) and `url`.
 * The API functions load what they need themselves; this is for loading ahead of time.
 */
export function loadModule(name: 'zh' | 'tables' | 'arrow'): Promise<unknown>;

declare module './crmlens.js' {
  interface Dataset {
    /**
     * The table in crmlens's compact binary form (version 1: types, nulls, category
     * dictionaries, roles, formats, the load report), e.g. for a lazily loaded module, which
     * reads it with the checking `Dataset::from_bytes`.
     */
    toBytes(): Uint8Array;
  }
  namespace Dataset {
    /**
     * Reads an Apache Arrow IPC stream or `.arrow` file (apache-arrow `tableToIPC`, DuckDB,
     * pyarrow, Polars): integers, floats, decimals, booleans, dates, timestamps (any unit and
     * time zone, held in UTC), strings and dictionary-encoded strings (→ `category`), any
     * number of batches. The reader is the lazily loaded module `arrow` (fetched on the first
     * call). Rejects with a CrmlensError: `PARSE_ERROR` for bad bytes (the message ends with the
     * byte offset) or an unsupported type (`field` = the column), `TOO_LARGE` past the budget.
     */
    function fromArrow(bytes: Uint8Array | ArrayBuffer): Promise<Dataset>;
  }
}

/** One aggregate of `groupBy`. */
export interface GroupByAggregate {
  /** `count` counts rows (or non-null values of `column`); `distinct` counts distinct non-null values. */
  op: 'count' | 'sum' | 'mean' | 'min' | 'max' | 'distinct';
  /** The column aggregated (not needed for `count`). */
  column?: string;
  /** Output column name; default `op(column)`, or `count`. */
  name?: string;
}
export interface GroupByOptions {
  /** Key columns (at least one); they come out as text columns, a null key as its own group. */
  by: string[];
  /** Default: `[{ op: 'count' }]`. */
  aggregates?: GroupByAggregate[];
}
/** A table as plain columns: numbers as Float64Array (null = NaN), other types as arrays (null where missing). */
export interface GroupedTable {
  numRows: number;
  columns: Array<{ name: string; type: DataType; values: Float64Array | Array<string | boolean | null> }>;
}
/**
 * One row per distinct key (first-seen order) with the aggregates. Runs in the lazily loaded
 * `tables` module, whose wasm is fetched on the first call.
 */
export function groupBy(dataset: Dataset, options: GroupByOptions): Promise<GroupedTable>;
