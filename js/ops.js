// The one declaration of the worker contract: every operation CrmlensWorker offers, once.
//
//   js/worker-entry.js builds its op table from OPS (it runs each `run` in the worker);
//   js/worker.js generates one CrmlensWorker method per op (argument order = `params`);
//   scripts/package.mjs writes pkg/worker.d.ts from the `params` / `result` types below;
//   tests/js/contract.test.mjs checks the three against OPS, and OPS against the public
//   exports of the package (pkg/crmlens.d.ts + index.d.ts).
//
// This file imports nothing: the page (worker.js) and the worker both read it, and only the
// worker runs the `run` functions (with the package's exports as `api`).
//
// An op, to add one:
//   params   ['name: Type', 'name?: Type', 'name?: Type = default']: the method's arguments
//            in order; each becomes the field `name` of the message. A type that is one of
//            HANDLES (Dataset, Recommender, SentimentModel, Predictor; Model = either of the first
//            two models) is a handle:
//            a number on the page, the object in the worker (a freed or unknown handle is
//            an INVALID_STATE CrmlensError).
//   run      what the worker does: 'fn(a, b)' (an export of the package), 'Class.fn(a, b)'
//            (a static) or 'a.method(b)' (a method of the handle argument `a`); or
//            `(args, api) => result` when it needs more.
//   result   its TypeScript type, in the package's own types. Every Dataset / Recommender /
//            SentimentModel the worker gets back (the result itself, or a field of it) is
//            kept in the worker and answered with its summary (HANDLES), so a class name in
//            `result` reads as that summary in worker.d.ts.
//   progress the last param is the options object and may hold { onProgress, signal }:
//            onProgress is called with the worker's progress, signal aborts the work.
//   transfer typed arrays of the result (the result itself, or its top-level fields) move to
//            the page instead of being copied (they are made for the reply).
//   chinese  on "Chinese data not loaded" (INVALID_STATE) the page loads crmlens_zh.js, hands
//            it to the worker (installChinese) and calls again.
//   covers   the public exports of `crmlens` this op is the worker form of ('fn',
//            'Class.method'); contract.test.mjs fails when an export is covered nowhere.
//   pool     the op runs only in a CrmlensPool worker (pool-entry.js), whose wasm
//            (crmlens_pool_bg.wasm, the `pool` feature of src/wasm) has the shard ops; its
//            `covers` name exports of crmlens_pool.d.ts. In a plain worker it is an
//            INVALID_STATE CrmlensError saying so.
//   doc      the JSDoc line of the method.
//
// An `Async` form of an export (`profileAsync`, `segmentAsync`, …) is the same worker
// operation: add it to that op's `covers`, and to run the op with progress and abort, point
// `run` at it and set `progress: true` (the method keeps its name and arguments).

/** Classes whose instances stay in the worker, as handles. `fields` make the summary the page gets (a method of that name is called, otherwise the property is read). */
export const HANDLES = {
  Dataset: {
    summary: 'DatasetSummary',
    handleField: 'handle',
    fields: {
      numRows: 'number',
      numColumns: 'number',
      memoryBytes: 'number',
      columns: 'ColumnInfo[]',
      source: 'SourceInfo',
      issues: 'Issue[]',
      issueCounts: 'IssueCount[]',
    },
  },
  Recommender: {
    summary: 'RecommenderSummary',
    handleField: 'model',
    fields: {
      method: 'Method',
      auto: 'AutoChoice | null',
      report: 'InteractionReport',
      numUsers: 'number',
      numItems: 'number',
      users: 'string[]',
      items: 'string[]',
    },
  },
  SentimentModel: {
    summary: 'SentimentModelSummary',
    handleField: 'model',
    fields: { classes: 'string[]' },
  },
  Predictor: {
    summary: 'PredictorSummary',
    handleField: 'predictor',
    fields: {
      task: 'PredictTask',
      target: 'string',
      model: 'PredictModel',
      positive: 'string | null',
      negative: 'string | null',
      output: 'PredictOutput',
      threshold: 'number',
      quality: 'PredictQuality',
      candidates: 'PredictCandidate[]',
      importance: 'PredictImportance[]',
      features: 'PredictFeatures',
      warnings: 'string[]',
    },
  },
};

/** Handle types that accept more than one class. */
/** CsvShard's `force` values, in the order of their codes (Dataset.nextCsvShard). */
export const SHARD_TYPES = ['auto', 'float', 'string', 'text', 'dmy', 'mdy'];

export const HANDLE_UNIONS = { Model: ['Recommender', 'SentimentModel'] };

/** Types of worker.d.ts that are not in the package's own .d.ts (the summaries are generated from HANDLES). */
export const TYPES = `
/** How CrmlensPool reads one byte range: the file's column names (absent for the range with the header), the line of its first byte, whether it ends the file, per column a type decided across ranges. */
export interface CsvShard { names?: string[]; firstLine?: number; last?: boolean; force?: Array<'auto' | 'float' | 'string' | 'text' | 'dmy' | 'mdy'> }

/** A load error of one shard (loadShard), as a CrmlensError's fields. */
export interface ShardError { name: string; message: string; code?: string; line?: number; column?: number; field?: string }

/** Options of CrmlensPool: \`workers\` ('auto' = navigator.hardwareConcurrency / os.availableParallelism, at most 8), \`url\` of pool-entry.js (the pool's worker entry). */
export interface CrmlensPoolOptions { workers?: 'auto' | number; url?: string | URL }

/** Options of CrmlensPool.fromFile: a load's options, progress / abort, and the size under which a file loads in one worker (default 4 MiB). */
export type PoolLoadOptions = LoadOptions & LongWork & { minShardBytes?: number };

/** CrmlensPool.segment of a table in several shards: segment's k-means numbers (labels over every row, -1 for a dropped row; centroids in the original units; sizes of segments 0..k-1, largest first), without projection or segment descriptions; with \`k: 'auto'\` the silhouettes that chose k. */
export interface ShardedSegmentResult {
  k: number;
  algorithm: 'kmeans';
  inertia: number;
  iterations: number;
  converged: boolean;
  seed: number;
  centroidColumns: string[];
  centroids: Float64Array[];
  labels: Int32Array;
  sizes: number[];
  preparation: { rowsTotal: number; rowsUsed: number; rowsDropped: number; numericColumns: string[]; categoricalColumns: string[]; imputed: Array<{ column: string; note: string }>; excluded: Array<{ column: string; note: string }>; scaling: string };
  /** Shards the table was held in. */
  shards: number;
  /** With \`k: 'auto'\`: the chosen k's silhouette, how it was computed, every k tried and why this k (segment's rule and wording). */
  silhouette?: number;
  silhouetteMethod?: SilhouetteMethod;
  kScores?: KScore[];
  kChoice?: string;
}

/** A table held in shards, one per pool worker: the reading API of a Dataset, async where it asks the workers. */
export declare class ShardedDataset {
  readonly numRows: number;
  readonly numColumns: number;
  readonly memoryBytes: number;
  /** How many workers hold a part of the table. */
  readonly numShards: number;
  readonly source: SourceInfo;
  readonly issues: Issue[];
  readonly issueCounts: IssueCount[];
  columns(): ColumnInfo[];
  rows(offset?: number, limit?: number): Promise<Array<Record<string, string | number | boolean | null>>>;
  /** The profile merged from every shard's states: the report Dataset.profile gives on the whole table. */
  profile(options?: ProfileOptions & LongWork): Promise<ProfileReport>;
  free(): Promise<void>;
}

/** crmlens on every core: the wasm compiled once, N module workers (worker_threads in Node), tables loaded and held in shards. */
export declare class CrmlensPool {
  constructor(options?: CrmlensPoolOptions);
  readonly size: number;
  readonly ready: Promise<void>;
  /** False once terminated (a crashed worker is replaced; the shards it held are lost). */
  readonly usable: boolean;
  fromFile(input: Blob | Uint8Array | ArrayBuffer, options?: PoolLoadOptions): Promise<ShardedDataset>;
  customerValue(ds: ShardedDataset, options: CustomerValueOptions & LongWork): Promise<{ customers: ShardedDataset; model: ValueModel; cohorts: CohortMatrix }>;
  sentiment(ds: ShardedDataset, options?: SentimentOptions & LongWork): Promise<SentimentResult>;
  /** A table in one shard: segment's full result. In several shards: k-means with the shards' sums each iteration (numeric columns, k given or 'auto' (each k of kRange scored by segment's silhouette on rows gathered from the shards), algorithm 'kmeans', scaling 'standard' / 'none'; anything else is an INVALID_OPTION naming the option), the same labels and centroids as segment on the whole table. */
  segment(ds: ShardedDataset, options?: SegmentOptions & LongWork): Promise<SegmentResult | ShardedSegmentResult>;
  /** Stops every worker: their memory is given back. */
  terminate(): void;
}

/** A table of the worker's customerProfiles: a dataset handle, or one with its own id column / prefix. */
export type WorkerProfileTable = number | { table: number; key?: string; prefix?: string };

/** customerProfiles' options in the worker: the tables are dataset handles. */
export interface WorkerProfilesOptions {
  attributes?: number;
  attributesKey?: string;
  key?: string;
  prefix?: string;
  extra?: WorkerProfileTable | WorkerProfileTable[];
}
`;

/** The piece a shard is read in (loadShard): its progress step. */
const SHARD_PIECE = 1 << 20;

const CHINESE_NOT_LOADED = 'the Chinese sentiment data is not loaded in the worker';

export const OPS = {
  // --- load and read datasets -------------------------------------------------------------
  loadFile: {
    doc: 'Streams a File/Blob into a dataset inside the worker (onProgress / signal as Dataset.fromFile).',
    params: ['file: Blob', 'options?: FileOptions'],
    progress: true,
    run: 'Dataset.fromFile(file, options)',
    result: 'Dataset',
    covers: ['Dataset.fromFile'],
  },
  sheets: {
    doc: 'The sheet names of a workbook (.xlsx, .xls, .ods), from the lazily loaded `sheets` module the worker loads on first use.',
    params: ['workbook: Uint8Array | ArrayBuffer | Blob'],
    run: 'Dataset.sheets(workbook)',
    result: 'string[]',
    covers: ['Dataset.sheets'],
  },
  fromExcel: {
    doc: 'Reads one sheet of a workbook (.xlsx, .xls, .ods) into a dataset inside the worker (onProgress / signal as Dataset.fromFile).',
    params: ['workbook: Uint8Array | ArrayBuffer | Blob', 'options?: ExcelOptions'],
    progress: true,
    run: 'Dataset.fromExcel(workbook, options)',
    result: 'Dataset',
    covers: ['Dataset.fromExcel'],
  },
  load: {
    doc: 'Loads a string or bytes (`format` "csv", the default, or "json").',
    params: ["input: string | Uint8Array | ArrayBuffer", "options?: LoadOptions & { format?: 'csv' | 'json' }"],
    run: ({ input, options }, api) => {
      const { format = 'csv', ...rest } = options ?? {};
      return format === 'json' ? api.Dataset.fromJson(input, rest) : api.Dataset.fromCsv(input, rest);
    },
    result: 'Dataset',
    covers: ['Dataset.fromCsv', 'Dataset.fromJson'],
  },
  fromBytes: {
    doc: 'A dataset from the bytes `dataset.toBytes()` writes (e.g. saved by the page, or built by a module).',
    params: ['bytes: Uint8Array | ArrayBuffer'],
    run: 'Dataset.fromBytes(bytes)',
    result: 'Dataset',
    covers: ['Dataset.fromBytes'],
  },
  toBytes: {
    doc: 'A dataset as the bytes `dataset.toBytes()` writes (moved, not copied): `fromBytes` reads them back, e.g. a workspace saved by the page.',
    params: ['handle: Dataset'],
    run: 'handle.toBytes()',
    result: 'Uint8Array',
    transfer: true,
    covers: [],
  },
  fromArrow: {
    doc: 'A dataset from an Apache Arrow IPC stream or file (apache-arrow `tableToIPC`, DuckDB, pyarrow, Polars), read by the lazily loaded `arrow` module, which the worker loads itself on first use.',
    params: ['bytes: Uint8Array | ArrayBuffer'],
    run: async ({ bytes }, api) => {
      const arrow = await api.loadModule('arrow');
      return api.Dataset.fromBytes(arrow.readArrow(bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes));
    },
    result: 'Dataset',
    covers: ['Dataset.fromArrow'],
  },
  rows: {
    doc: 'Rows `offset` .. `offset + limit` of a dataset, as plain objects.',
    params: ['handle: Dataset', 'offset?: number = 0', 'limit?: number = 100'],
    run: 'handle.rows(offset, limit)',
    result: 'Array<Record<string, string | number | boolean | null>>',
    covers: ['Dataset.rows'],
  },
  column: {
    doc: 'One column: a Float64Array for numbers and dates (moved, not copied), else an array.',
    params: ['handle: Dataset', 'name: string'],
    run: 'handle.column(name)',
    result: 'Float64Array | Array<string | boolean | null>',
    transfer: true,
    covers: ['Dataset.column'],
  },
  columns: {
    doc: 'The column descriptions of a dataset (also in its summary).',
    params: ['handle: Dataset'],
    run: 'handle.columns()',
    result: 'ColumnInfo[]',
    covers: ['Dataset.columns'],
  },
  timestamps: {
    doc: 'A date / datetime column as milliseconds since 1970 (NaN where missing).',
    params: ['handle: Dataset', 'name: string'],
    run: 'handle.timestamps(name)',
    result: 'Float64Array',
    transfer: true,
    covers: ['Dataset.timestamps'],
  },
  copy: {
    doc: 'An independent copy of a dataset (a new handle; free both).',
    params: ['handle: Dataset'],
    run: 'handle.copy()',
    result: 'Dataset',
    covers: ['Dataset.copy'],
  },
  toCsv: {
    doc: 'A dataset as CSV text.',
    params: ['handle: Dataset', 'options?: CsvWriteOptions'],
    run: 'handle.toCsv(options)',
    result: 'string',
    covers: ['Dataset.toCsv'],
  },
  toJson: {
    doc: 'A dataset as JSON text (an array of row objects).',
    params: ['handle: Dataset'],
    run: 'handle.toJson()',
    result: 'string',
    covers: ['Dataset.toJson'],
  },
  toArrow: {
    doc: 'A dataset as an Apache Arrow IPC stream (for DuckDB-Wasm `insertArrowFromIPCStream`, apache-arrow `tableFromIPC`, …), moved, not copied.',
    params: ['handle: Dataset'],
    run: 'handle.toArrow()',
    result: 'Uint8Array',
    transfer: true,
    covers: ['Dataset.toArrow'],
  },
  free: {
    doc: 'Frees a dataset in the worker (a second free is harmless). Resolves to true.',
    params: ['handle: number'],
    run: ({ handle }, api, worker) => { worker.free(handle, 'Dataset'); return true; },
    result: 'boolean',
    covers: ['Dataset.free'],
  },

  loadShard: {
    pool: true,
    doc: "One byte range of a CSV file (moved, not copied) as a dataset, for CrmlensPool's parallel loading: `options` the file's (sniffed delimiter, encoding), `shard` its header, first line and decided types; with `scan`, the range's quote scan too; `work` its progress (bytes of this range read, as the range is read in 1 MiB pieces) and abort. A load error is answered in `error`, so the scan still verifies the range (an abort rejects).",
    params: ['bytes: Uint8Array', 'options?: LoadOptions', 'shard?: CsvShard', 'scan?: { delimiter: number; quote: number }', 'work?: LongWork'],
    progress: true,
    run: async ({ bytes, options, shard, scan, work }, api) => {
      const scanned = scan ? Array.from(api.csvShardScan(bytes, scan.delimiter, scan.quote)) : null;
      try {
        const { names, firstLine = 1, last = false, force = [] } = shard ?? {};
        const codes = Uint8Array.from(force, (f) => Math.max(0, SHARD_TYPES.indexOf(f)));
        // Announced, then streamed through fromFile in 1 MiB pieces: its progress, abort and yields.
        api.Dataset.nextCsvShard(names, firstLine, last, codes, bytes.length);
        let at = 0;
        const pieces = new ReadableStream({
          pull(c) { if (at >= bytes.length) c.close(); else c.enqueue(bytes.subarray(at, (at += SHARD_PIECE))); },
        });
        const dataset = await api.Dataset.fromFile(pieces, { ...options, ...work });
        return { dataset, scan: scanned, error: null };
      } catch (e) {
        if (e?.code === 'ABORTED') throw e;
        return { dataset: null, scan: scanned, error: { name: e?.name ?? 'Error', message: String(e?.message ?? e), code: e?.code, line: e?.line, column: e?.column, field: e?.field } };
      }
    },
    result: '{ dataset: Dataset | null; scan: number[] | null; error: ShardError | null }',
    covers: ['Dataset.nextCsvShard', 'csvShardScan'],
  },

  // --- the shards of a CrmlensPool (pool.js): mergeable states, merged where the results go --
  profileState: {
    pool: true,
    doc: "A shard's profile state as bytes (CrmlensPool): the first pass, or with `firsts` (every shard's first pass, packed) the second pass planned from their merge.",
    params: ['handle: Dataset', 'options?: ProfileOptions', 'firsts?: Uint8Array'],
    run: 'handle.profileState(options, firsts)',
    result: 'Uint8Array',
    transfer: true,
    covers: ['Dataset.profileState'],
  },
  profileOfShards: {
    pool: true,
    doc: "The profile report of a table held in shards, from their packed first and second pass states and the shards' summed rows and memory (CrmlensPool; each column's missingTokens is this shard's).",
    params: ['handle: Dataset', 'options: ProfileOptions | undefined', 'firsts: Uint8Array', 'seconds: Uint8Array', 'rows: number', 'memoryBytes: number'],
    run: 'profileOfShards(handle, options, firsts, seconds, rows, memoryBytes)',
    result: 'ProfileReport',
    covers: ['profileOfShards'],
  },
  customerSummaryState: {
    pool: true,
    doc: "A shard's transaction rows as customer-summary bytes (CrmlensPool's customerValue).",
    params: ['handle: Dataset', 'options: CustomerValueOptions'],
    run: 'handle.customerSummaryState(options)',
    result: 'Uint8Array',
    transfer: true,
    covers: ['Dataset.customerSummaryState'],
  },
  customerValueOfStates: {
    pool: true,
    doc: "customerValue of every shard's customer-summary bytes (packed, in table order): merged and fitted once; `customers` is a new handle.",
    params: ['states: Uint8Array', 'options: CustomerValueOptions'],
    run: 'customerValueOfStates(states, options)',
    result: '{ customers: Dataset; model: ValueModel; cohorts: CohortMatrix }',
    covers: ['customerValueOfStates'],
  },

  segmentShardStats: {
    pool: true,
    doc: "The segmented numeric columns of a shard (CrmlensPool's segment): present counts, sums and largest magnitudes over the used rows; with `means` and `fills`, the summed squared deviations.",
    params: ['handle: Dataset', 'options: SegmentOptions | undefined', 'shards: number', 'means?: Float64Array', 'fills?: Float64Array'],
    run: 'handle.segmentShardStats(options, shards, means, fills)',
    result: '{ columns: string[]; present: number[]; sums: number[]; squares: number[]; maxAbs: number[]; kept: number; rows: number }',
    covers: ['Dataset.segmentShardStats'],
  },
  kmeansShardOpen: {
    pool: true,
    doc: "A shard's rows scaled by `plan` (fills, centers, scales, square-rooted weights) and kept in the worker for CrmlensPool's k-means: [run number, used rows].",
    params: ['handle: Dataset', 'options: SegmentOptions | undefined', 'shards: number', 'plan: Float64Array'],
    run: 'handle.kmeansShardOpen(options, shards, plan)',
    result: 'Float64Array',
    covers: ['Dataset.kmeansShardOpen'],
  },
  kmeansShardStep: {
    pool: true,
    doc: "One step of a shard's k-means run (CrmlensPool's segment; the step codes are kmeansShardStep's in src/wasm/shard_kmeans.rs); steps 16-18 are the run's seeded draws (crate::rng, as segment's), state [hi, lo] first in `arg`.",
    params: ['run: number', 'cmd: number', 'arg: Float64Array'],
    run: 'kmeansShardStep(run, cmd, arg)',
    result: 'Float64Array | Int32Array | boolean',
    transfer: true,
    covers: ['kmeansShardStep'],
  },

  // --- profile and clean ------------------------------------------------------------------
  profile: {
    doc: 'dataset.profileAsync(options) in the worker: the profile report (onProgress / signal as there).',
    params: ['handle: Dataset', 'options?: ProfileOptions & LongWork'],
    progress: true,
    run: 'handle.profileAsync(options)',
    result: 'ProfileReport',
    covers: ['Dataset.profile', 'Dataset.profileAsync'],
  },
  clean: {
    doc: 'dataset.clean(plan) in the worker: the cleaned dataset is a new handle.',
    params: ['handle: Dataset', 'plan?: CleanPlan & LongWork'],
    progress: true,
    run: 'handle.cleanAsync(plan)',
    result: '{ dataset: Dataset; log: CleanLog; duplicates: DuplicateGroup[] }',
    covers: ['Dataset.clean', 'Dataset.cleanAsync'],
  },
  mask: {
    doc: 'dataset.mask(options) in the worker: the masked dataset is a new handle.',
    params: ['handle: Dataset', 'options?: MaskOptions'],
    run: 'handle.mask(options)',
    result: '{ dataset: Dataset; report: MaskReport }',
    covers: ['Dataset.mask'],
  },

  // --- customer value -----------------------------------------------------------------------
  customerValue: {
    doc: 'customerValue on a transaction dataset in the worker: `customers` is a new handle.',
    params: ['handle: Dataset', 'options?: CustomerValueOptions & LongWork'],
    progress: true,
    run: 'customerValueAsync(handle, options)',
    result: '{ customers: Dataset; model: ValueModel; cohorts: CohortMatrix }',
    covers: ['customerValue', 'customerValueAsync'],
  },
  joinCustomers: {
    doc: 'joinCustomers in the worker: `other`\'s columns joined onto `customers` by id (a new handle).',
    params: ['customers: Dataset', 'other: Dataset', 'options?: JoinOptions'],
    run: 'joinCustomers(customers, other, options)',
    result: '{ dataset: Dataset; report: JoinReport }',
    covers: ['joinCustomers'],
  },
  customerProfiles: {
    doc: 'customerProfiles in the worker: `attributes` and `extra` tables are dataset handles; `profiles` is a new handle.',
    params: ['handle: Dataset', 'options?: WorkerProfilesOptions = {}'],
    run: ({ handle, options = {} }, api, worker) => {
      const table = (h) => worker.get(h, 'Dataset');
      const { attributes, extra, ...rest } = options ?? {};
      return api.customerProfiles(handle, {
        ...rest,
        ...(attributes != null ? { attributes: table(attributes) } : {}),
        ...(extra != null ? { extra: [extra].flat().map((e) => (typeof e === 'number' ? table(e) : { ...e, table: table(e?.table) })) } : {}),
      });
    },
    result: '{ profiles: Dataset; joins: Array<JoinReport & { table: string }> }',
    covers: ['customerProfiles'],
  },

  // --- segment --------------------------------------------------------------------------------
  segment: {
    doc: 'segment on a dataset in the worker: the same result as segment() (labels and projection are moved, not copied).',
    params: ['handle: Dataset', 'options?: SegmentOptions & LongWork'],
    progress: true,
    run: 'segmentAsync(handle, options)',
    result: 'SegmentResult',
    transfer: true,
    covers: ['segment', 'segmentAsync'],
  },

  // --- recommend ------------------------------------------------------------------------------
  fitRecommender: {
    doc: 'Recommender.fitAsync on a dataset in the worker (onProgress after each ALS iteration, signal between them); `model` is a handle for recommend / evaluateRecommender / freeModel.',
    params: ['handle: Dataset', 'options?: FitAsyncOptions'],
    progress: true,
    run: 'Recommender.fitAsync(handle, options)',
    result: 'Recommender',
    covers: ['Recommender.fitAsync', 'Recommender.fit'],
  },
  recommend: {
    doc: 'recommender.recommend(user, options) in the worker.',
    params: ['model: Recommender', 'user: string | number', 'options: RecommendOptions'],
    run: 'model.recommend(user, options)',
    result: 'Recommendation[]',
    covers: ['Recommender.recommend'],
  },
  recommendMany: {
    doc: 'recommender.recommendMany(users, k) in the worker: one entry per user.',
    params: ['model: Recommender', 'users: Array<string | number>', 'k?: number | null'],
    run: 'model.recommendMany(users, k)',
    result: 'UserRecommendations[]',
    covers: ['Recommender.recommendMany'],
  },
  recommendFor: {
    doc: 'recommender.recommendFor(items, k) in the worker: recommendations for a basket of items.',
    params: ['model: Recommender', 'items: Array<string | number>', 'k?: number | null'],
    run: 'model.recommendFor(items, k)',
    result: 'Recommendation[]',
    covers: ['Recommender.recommendFor'],
  },
  similarItems: {
    doc: 'recommender.similarItems(item, k) in the worker.',
    params: ['model: Recommender', 'item: string | number', 'k?: number | null'],
    run: 'model.similarItems(item, k)',
    result: 'SimilarItem[]',
    covers: ['Recommender.similarItems'],
  },
  evaluateRecommender: {
    doc: 'recommender.evaluate(options) in the worker: offline evaluation against baselines.',
    params: ['model: Recommender', 'options?: EvaluateOptions & LongWork'],
    progress: true,
    run: 'model.evaluateAsync(options)',
    result: 'Evaluation',
    covers: ['Recommender.evaluate', 'Recommender.evaluateAsync'],
  },
  recommenderToJSON: {
    doc: 'A fitted recommender as plain JSON, to keep without the data.',
    params: ['model: Recommender'],
    run: 'model.toJSON()',
    result: 'RecommenderJson',
    covers: ['Recommender.toJSON'],
  },
  recommenderFromJSON: {
    doc: 'A recommender in the worker from recommenderToJSON / Recommender.toJSON output (a new model handle).',
    params: ['json: RecommenderJson | string'],
    run: 'Recommender.fromJSON(json)',
    result: 'Recommender',
    covers: ['Recommender.fromJSON'],
  },
  associationRules: {
    doc: 'associationRules on a basket dataset in the worker (onProgress: baskets, mine, rules; signal aborts).',
    params: ['handle: Dataset', 'options: AssociationRuleOptions & LongWork'],
    progress: true,
    run: 'associationRulesAsync(handle, options)',
    result: 'AssociationRules',
    covers: ['associationRules', 'associationRulesAsync'],
  },
  freeModel: {
    doc: 'Frees a model (recommender or sentiment model) in the worker; a second free is harmless.',
    params: ['model: number'],
    run: ({ model }, api, worker) => { worker.free(model, 'Model'); },
    result: 'void',
    covers: ['Recommender.free', 'SentimentModel.free'],
  },

  // --- sentiment ------------------------------------------------------------------------------
  sentiment: {
    doc: "Sentiment of a dataset's text column (`options.column`), or of an array of texts; the Chinese data loads in the worker on first need.",
    params: ['handleOrTexts: number | Array<string | null>', 'options?: SentimentOptions & LongWork'],
    chinese: true,
    progress: true,
    run: ({ handleOrTexts, options }, api, worker) => (Array.isArray(handleOrTexts)
      ? api.sentimentOfTextsAsync(handleOrTexts, options ?? {})
      : api.sentimentOfDatasetAsync(worker.get(handleOrTexts, 'Dataset'), options ?? {})),
    result: 'SentimentResult',
    transfer: true,
    covers: ['sentiment', 'sentimentAsync', 'sentimentOfTexts', 'sentimentOfDataset', 'sentimentOfTextsAsync', 'sentimentOfDatasetAsync'],
  },
  topTerms: {
    doc: "The most positive and negative terms of a dataset's text column (`options.column`), or of an array of texts.",
    params: ['handleOrTexts: number | Array<string | null>', 'options?: TopTermsOptions & LongWork'],
    chinese: true,
    progress: true,
    run: ({ handleOrTexts, options }, api, worker) => (Array.isArray(handleOrTexts)
      ? api.topTermsOfTextsAsync(handleOrTexts, options ?? {})
      : api.topTermsOfDatasetAsync(worker.get(handleOrTexts, 'Dataset'), options ?? {})),
    result: 'TopTerms',
    covers: ['topTerms', 'topTermsAsync', 'topTermsOfTexts', 'topTermsOfDataset', 'topTermsOfTextsAsync', 'topTermsOfDatasetAsync'],
  },
  loadChineseSentiment: {
    doc: 'Loads the Chinese sentiment data into the worker now (otherwise it loads on the first Chinese text).',
    params: [],
    chinese: true,
    run: (args, api, worker) => {
      if (!api.chineseSentimentLoaded()) throw worker.error('INVALID_STATE', CHINESE_NOT_LOADED);
    },
    result: 'void',
    covers: ['loadChineseSentiment'],
  },
  chineseLoaded: {
    doc: 'Whether the worker has the Chinese sentiment data.',
    params: [],
    run: 'chineseSentimentLoaded()',
    result: 'boolean',
    covers: ['chineseSentimentLoaded'],
  },
  installChinese: {
    doc: 'Installs the Chinese sentiment data (the text of crmlens_zh.js) in the worker; loadChineseSentiment does this for you.',
    params: ['data: string'],
    run: ({ data }, api) => { api.installChineseSentiment(data); return true; },
    result: 'boolean',
    covers: ['installChineseSentiment'],
  },
  englishLoaded: {
    doc: 'Whether the worker has the English sentiment data (the VADER lexicon).',
    params: [],
    run: 'englishSentimentLoaded()',
    result: 'boolean',
    covers: ['englishSentimentLoaded'],
  },
  installEnglish: {
    doc: 'Installs the English sentiment data (the lexicon and emoji texts of crmlens_en.js) in the worker; the sentiment ops do this for you.',
    params: ['lexicon: string', 'emoji: string'],
    run: ({ lexicon, emoji }, api) => { api.installEnglishSentiment(lexicon, emoji); return true; },
    result: 'boolean',
    covers: ['installEnglishSentiment'],
  },
  loadSentimentData: {
    doc: 'Loads the English and Chinese sentiment data into the worker now (otherwise each loads on first need).',
    params: [],
    chinese: true,
    run: (args, api, worker) => {
      if (!api.chineseSentimentLoaded()) throw worker.error('INVALID_STATE', CHINESE_NOT_LOADED);
    },
    result: 'void',
    covers: ['loadSentimentData'],
  },
  trainSentimentModel: {
    doc: 'SentimentModel.train in the worker: `model` is a handle for predictSentiment / evaluateSentimentModel / freeModel.',
    params: ['texts: string[]', 'labels: string[]', 'options: TrainOptions'],
    run: 'SentimentModel.train(texts, labels, options)',
    result: 'SentimentModel',
    covers: ['SentimentModel.train'],
  },
  predictSentiment: {
    doc: 'sentimentModel.predict(texts) in the worker (the probability arrays are moved, not copied).',
    params: ['model: SentimentModel', 'texts: string[]'],
    run: 'model.predict(texts)',
    result: 'Predictions',
    transfer: true,
    covers: ['SentimentModel.predict'],
  },
  evaluateSentimentModel: {
    doc: 'sentimentModel.evaluate(texts, labels) in the worker: accuracy, per-class metrics, confusion matrix.',
    params: ['model: SentimentModel', 'texts: string[]', 'labels: string[]'],
    run: 'model.evaluate(texts, labels)',
    result: 'SentimentEvaluation',
    covers: ['SentimentModel.evaluate'],
  },
  sentimentModelToJSON: {
    doc: 'A trained sentiment model as plain JSON, to keep without the data.',
    params: ['model: SentimentModel'],
    run: 'model.toJSON()',
    result: 'ModelJson',
    covers: ['SentimentModel.toJSON'],
  },
  sentimentModelFromJSON: {
    doc: 'A sentiment model in the worker from sentimentModelToJSON / SentimentModel.toJSON output (a new model handle).',
    params: ['json: ModelJson | string'],
    run: 'SentimentModel.fromJSON(json)',
    result: 'SentimentModel',
    covers: ['SentimentModel.fromJSON'],
  },

  // --- predict (the lazily loaded module `predict`, loaded by the worker itself) -------------
  trainPredictor: {
    doc: 'Predictor.train on a dataset in the worker (onProgress / signal as there): `predictor` is a handle for predict / predictorToJSON / freePredictor.',
    params: ['handle: Dataset', 'options?: PredictorTrainOptions & LongWork'],
    progress: true,
    run: 'Predictor.train(handle, options)',
    result: 'Predictor',
    covers: ['Predictor.train'],
  },
  predict: {
    doc: 'predictor.predict(dataset, options) in the worker (as predictAsync: onProgress / signal during the scoring): the scored table is a new dataset handle; its summary carries the scoring `warnings` (as ScoredDataset.warnings).',
    params: ['predictor: Predictor', 'handle: Dataset', 'options?: PredictOptions & LongWork'],
    progress: true,
    run: 'predictor.predictAsync(handle, options)',
    result: 'Dataset & ScoringWarnings',
    covers: ['Predictor.predict', 'Predictor.predictAsync'],
  },
  predictScores: {
    doc: 'predictor.scores(dataset) in the worker: the probability (or value) per row, moved, not copied.',
    params: ['predictor: Predictor', 'handle: Dataset'],
    run: 'predictor.scores(handle)',
    result: 'Float64Array',
    transfer: true,
    covers: ['Predictor.scores'],
  },
  predictorToJSON: {
    doc: 'A trained predictor as plain JSON, to keep without the data.',
    params: ['predictor: Predictor'],
    run: 'predictor.toJSON()',
    result: 'PredictorJson',
    covers: ['Predictor.toJSON'],
  },
  predictorFromJSON: {
    doc: 'A predictor in the worker from predictorToJSON / Predictor.toJSON output (a new predictor handle).',
    params: ['json: PredictorJson | string'],
    run: 'Predictor.fromJSON(json)',
    result: 'Predictor',
    covers: ['Predictor.fromJSON'],
  },
  freePredictor: {
    doc: 'Frees a predictor in the worker; a second free is harmless.',
    params: ['predictor: number'],
    run: ({ predictor }, api, worker) => { worker.free(predictor, 'Predictor'); },
    result: 'void',
    covers: ['Predictor.free'],
  },
  transactionFeatures: {
    doc: 'transactionFeatures on an order log in the worker: `customers` is a new dataset handle.',
    params: ['handle: Dataset', 'options: TransactionFeatureOptions'],
    run: 'transactionFeatures(handle, options)',
    result: '{ customers: Dataset; report: TransactionFeatureReport }',
    covers: ['transactionFeatures'],
  },

  // --- rules (the lazily loaded module `rules`, which the worker loads itself) --------------
  rules: {
    doc: 'rulesAsync on a customer dataset in the worker: `events` is a new handle; counts and snapshot as rules() (onProgress / signal as there).',
    params: ['handle: Dataset', 'ruleList: BusinessRule[]', 'options?: RulesOptions & LongWork'],
    progress: true,
    run: 'rulesAsync(handle, ruleList, options)',
    result: '{ events: Dataset; counts: RuleCounts[]; snapshot: RulesSnapshot; eventsTruncated: boolean; warnings: string[] }',
    covers: ['rules', 'rulesAsync', 'loadRules'],
  },
  ruleCounts: {
    doc: "Each rule checked against a dataset in the worker (an editor's live counts): matched and undecided rows, or the rule's error with its position.",
    params: ['handle: Dataset', 'ruleList: BusinessRule[]', 'options?: RuleCountsOptions'],
    run: async ({ handle, ruleList, options }, api) => {
      await api.loadRules();
      return api.ruleCounts(handle, ruleList, options);
    },
    result: 'RuleCheck[]',
    covers: ['ruleCounts'],
  },
  ruleTemplates: {
    doc: 'The ready-made CRM rules, with their parameters and the columns they expect.',
    params: [],
    run: async (_, api) => {
      await api.loadRules();
      return api.ruleTemplates();
    },
    result: 'RuleTemplate[]',
    covers: ['ruleTemplates'],
  },
  ruleFromTemplate: {
    doc: 'The rule of a template with some parameters set (the others at their defaults).',
    params: ['template: string', 'params?: Record<string, number>'],
    run: async ({ template, params }, api) => {
      await api.loadRules();
      return api.ruleFromTemplate(template, params);
    },
    result: 'BusinessRule',
    covers: ['ruleFromTemplate'],
  },

  // --- the package ----------------------------------------------------------------------------
  groupBy: {
    doc: 'groupBy from the lazily loaded `tables` module, which the worker loads itself on first use.',
    params: ['handle: Dataset', 'options: GroupByOptions'],
    run: async ({ handle, options }, api) => {
      const tables = await api.loadModule('tables');
      return tables.groupBy(api.datasetToBytes(handle), JSON.stringify(options ?? {}));
    },
    result: 'GroupedTable',
    covers: ['groupBy', 'loadModule'],
  },
  version: {
    doc: "The worker's crmlens version.",
    params: [],
    run: 'version()',
    result: 'string',
    covers: ['version'],
  },
};

/** `'name?: Type = default'` → `{ name, optional, type, default, handle }` (handle: the HANDLES classes it accepts, or null). */
export function parseParam(text) {
  const m = /^(\w+)(\?)?:\s*(.+?)(?:\s+=\s+(.+))?$/.exec(text);
  if (!m) throw new Error(`crmlens ops: bad param ${JSON.stringify(text)}`);
  const [, name, q, type, dflt] = m;
  const handle = HANDLES[type] ? [type] : HANDLE_UNIONS[type] ?? null;
  return { name, optional: !!q || dflt !== undefined, type, default: dflt === undefined ? undefined : JSON.parse(dflt), handle };
}

/** `'recv.fn(a, b)'` / `'fn(a, b)'` → `{ recv, fn, args }`. */
export function parseRun(text) {
  const m = /^(?:(\w+)\.)?(\w+)\(([\w\s,]*)\)$/.exec(text);
  if (!m) throw new Error(`crmlens ops: bad run ${JSON.stringify(text)}`);
  return { recv: m[1] ?? null, fn: m[2], args: m[3].split(',').map((s) => s.trim()).filter(Boolean) };
}
