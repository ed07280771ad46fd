import type { ColumnInfo, SourceInfo, Issue, IssueCount, FileOptions, LoadOptions, CsvWriteOptions, CustomerValueOptions, JoinReport, SegmentOptions, SegmentResult, SentimentOptions, SentimentResult, TopTermsOptions, TopTerms, FitAsyncOptions, Method, AutoChoice, InteractionReport } from './crmlens.js';

export interface DatasetSummary {
  handle: number;
  numRows: number;
  columns: ColumnInfo[];
  source: SourceInfo;
  issues: Issue[];
  issueCounts: IssueCount[];
}

/** crmlens in a module Web Worker: datasets live in the worker, referenced by handle. */
export class CrmlensWorker {
  constructor(options?: { url?: string | URL });
  readonly ready: Promise<void>;
  loadFile(file: Blob, options?: FileOptions): Promise<DatasetSummary>;
  load(input: string | Uint8Array, options?: LoadOptions & { format?: 'csv' | 'json' }): Promise<DatasetSummary>;
  customerValue(handle: number, options: CustomerValueOptions): Promise<{ customers: DatasetSummary; model: any; cohorts: any }>;
  customerProfiles(handle: number, options?: { attributes?: number; attributesKey?: string; key?: string; prefix?: string; extra?: number | Array<number | { table: number; key?: string; prefix?: string }> }): Promise<{ profiles: DatasetSummary; joins: Array<JoinReport & { table: string }> }>;
  segment(handle: number, options?: SegmentOptions): Promise<SegmentResult>;
  /** Recommender.fitAsync in the worker (onProgress after each ALS iteration, signal between them); `model` is a handle for recommend / evaluateRecommender / freeModel. */
  fitRecommender(handle: number, options: FitAsyncOptions): Promise<{ model: number; method: Method; auto: AutoChoice | null; report: InteractionReport; numUsers: number; numItems: number; users: string[] }>;
  /** sentiment of a dataset's text column (`options.column`), or of an array of texts; the Chinese data loads in the worker on first need. */
  sentiment(handleOrTexts: number | Array<string | null>, options?: SentimentOptions): Promise<SentimentResult>;
  topTerms(handleOrTexts: number | Array<string | null>, options?: TopTermsOptions): Promise<TopTerms>;
  /** groupBy in the worker (the lazily loaded `tables` module loads inside the worker on first use); the result is a new dataset handle. */
  groupBy(handle: number, options: import('./index.js').GroupByOptions): Promise<import('./index.js').GroupedTable>;
  rows(handle: number, offset?: number, limit?: number): Promise<Array<Record<string, string | number | boolean | null>>>;
  column(handle: number, name: string): Promise<Float64Array | Array<string | boolean | null>>;
  toCsv(handle: number, options?: CsvWriteOptions): Promise<string>;
  toJson(handle: number): Promise<string>;
  free(handle: number): Promise<boolean>;
  terminate(): void;
}
