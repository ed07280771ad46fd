// Types of the package entry: generated from the Rust types in crmlens.d.ts, plus the
// functions written in JS: customerProfiles (a thin walk over joinCustomers) and the
// sentiment functions (thin wrappers over sentimentOfTexts / sentimentOfDataset,
// topTermsOfTexts / topTermsOfDataset and installChineseSentiment).
import type { BgNbdFit, Dataset, DataType, JoinReport, LongWork, Progress, RowReport, SentimentOptions, SentimentResult, TopTerms, TopTermsOptions } from './crmlens.js';
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
export function loadModule(name: 'zh' | 'en' | 'tables' | 'predict' | 'rules' | 'sheets' | 'arrow'): Promise<unknown>;

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

/** What `Dataset.fromExcel` reads from a workbook. */
export interface ExcelOptions {
  /** The sheet: its name, or its 0-based position; default the first sheet (`Dataset.sheets` lists them). */
  sheet?: string | number;
  /** A cell range in A1 notation (`"B3:F200"`, or `"B3"` for all cells from B3 on); default the used cells. With a range, title rows are not looked for. */
  range?: string;
  /** Whether the first row (after any title rows) holds the column names; default detected (text over typed columns). */
  header?: boolean;
  /** Stop after this many data rows (`source.truncated` then says so). */
  maxRows?: number;
  /** Called before the sheet is read and after (as `Dataset.fromFile`'s progress). */
  onProgress?: (progress: Progress) => void;
  /** Aborts the read; the promise then rejects with a CrmlensError of code `ABORTED`. */
  signal?: AbortSignal;
}

declare module './crmlens.js' {
  namespace Dataset {
    /**
     * The sheet names of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods), in order. Async: the
     * lazily loaded `sheets` module is fetched on first use. Not a workbook: a CrmlensError
     * `NOT_A_TABLE` with the detected `kind`.
     */
    function sheets(workbook: Uint8Array | ArrayBuffer | Blob): Promise<string[]>;
    /**
     * One sheet of a workbook (.xlsx, .xlsm, .xlsb, .xls, .ods) as a Dataset. Async: the lazily
     * loaded `sheets` module (its own .wasm) is fetched on first use. Cell types come from the
     * workbook (numbers, dates from serial numbers and date formats, booleans, formulas'
     * cached values); title rows above the header, Total/footer rows and formula errors (read
     * as null) are listed in `issues`. `onProgress` / `signal` as `Dataset.fromFile` (the
     * sheet itself is read in one step). `Dataset.fromFile` reads a workbook too (told by
     * its first bytes), with these options.
     */
    function fromExcel(workbook: Uint8Array | ArrayBuffer | Blob, options?: ExcelOptions): Promise<Dataset>;
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

// --- Prediction (issue 17): the lazily loaded module `predict` -----------------------------

/** What a Predictor predicts: a class (binary) or a number. */
export type PredictTask = 'classification' | 'regression';
/** The model family; `auto` cross-validates the candidates that fit the task and keeps the best. */
export type PredictModel = 'auto' | 'logistic' | 'gbdt' | 'random-forest' | 'decision-tree' | 'svm' | 'linear';
/** What the per-row contributions (and `baseValue`) add up to: log-odds (logistic, boosting), an SVM margin, a probability (forest, tree) or the value (regression). */
export type PredictOutput = 'logOdds' | 'margin' | 'probability' | 'value';
/** How the decision threshold is chosen from the out-of-fold scores: max F1 (default), the top `fraction` of customers (a contact budget), a fixed probability, or the least total cost (`falsePositive` per customer flagged who is negative, `falseNegative` per positive missed; both >= 0, not both 0). */
export type PredictThreshold = { rule: 'maxF1' } | { rule: 'top'; fraction: number } | { rule: 'fixed'; value: number } | { rule: 'cost'; falsePositive: number; falseNegative: number };

export interface PredictorTrainOptions {
  /** The column to predict. */
  target: string;
  /** The positive class as written in the data (default: `true`, `1`, `yes`, … or the rarer of two classes). */
  positive?: string | number | boolean;
  /** Default: regression for a numeric target with many values, else classification. */
  task?: PredictTask;
  /** `'auto'` (default) or a list of columns; ids, free text, constant and leaking columns are left out with reasons (`features.leftOut`). */
  features?: 'auto' | string[];
  /** Default `'auto'`. */
  model?: PredictModel;
  /** Stratified k-fold cross-validation: folds 2–20 (default 5), seed (default 0). */
  validation?: { folds?: number; seed?: number };
  /** `'balanced'`: each class weighs the same in total. Default `'none'`. */
  classWeight?: 'balanced' | 'none';
  /** Default `{ rule: 'maxF1' }`. */
  threshold?: PredictThreshold;
}

/** A curve as parallel arrays (at most 101 points): ROC (x = false positive rate, y = true positive rate) or PR (x = recall, y = precision). */
export interface PredictCurve { x: number[]; y: number[]; threshold: number[] }
/** Counts at the threshold (predicted positive when probability ≥ threshold). */
export interface PredictConfusion { truePositive: number; falsePositive: number; trueNegative: number; falseNegative: number }
/** One tenth of the rows by decreasing score. */
export interface PredictDecile {
  decile: number;
  rows: number;
  /** Share of positives (mean value for regression) in this decile. */
  positiveRate: number;
  /** Rate in the decile / overall rate. */
  lift: number;
  /** Share of all positives found in the top deciles up to this one. */
  cumulativeGain: number;
}
/** Predicted against observed in one of ten equal-width probability bins. */
export interface PredictCalibrationBin { low: number; high: number; rows: number; meanPredicted: number; observedRate: number }
/** What a model must beat: the prior rate (mean), the majority class, and their scores. */
export interface PredictBaseline { rate: number; majorityAccuracy?: number; brier?: number; logLoss?: number; rmse?: number }
/** Out-of-fold quality of the chosen model (every number from rows the model did not see). */
export interface PredictQuality {
  rows: number;
  folds: number;
  auc?: number;
  prAuc?: number;
  accuracy?: number;
  precision?: number;
  recall?: number;
  f1?: number;
  logLoss?: number;
  brier?: number;
  confusion?: PredictConfusion;
  threshold?: number;
  /** How the threshold was chosen, in words. */
  thresholdRule?: string;
  rocCurve?: PredictCurve;
  prCurve?: PredictCurve;
  /** Lift and cumulative gain by decile of the score. */
  lift: PredictDecile[];
  calibration?: PredictCalibrationBin[];
  /** `none`, `platt` or `isotonic`, with the Brier score before it. */
  calibrationMethod?: string;
  r2?: number;
  rmse?: number;
  mae?: number;
  baseline: PredictBaseline;
  grade: 'A' | 'B' | 'C';
  /** What the numbers mean for a campaign, in plain language. */
  explanation: string;
}
/** One model tried (with `model: 'auto'`, every candidate). */
export interface PredictCandidate {
  model: PredictModel;
  /** Out-of-fold AUC (classification) or R² (regression). */
  score: number;
  metric: string;
  /** Training time of all folds in milliseconds. */
  fitMs: number;
  chosen: boolean;
  /** Why it won or lost. */
  note: string;
}
/** Permutation importance of one feature (in the table's own column names): the drop in out-of-fold AUC (R²) when it is shuffled. */
export interface PredictImportance { feature: string; mean: number; std: number }
/** How a column is encoded. */
/** A feature's encoding; a category's `others` are 32-bit FNV-1a hashes of the values seen in training but not kept as levels (up to 4,096, absent when none): scoring does not warn about them. */
export type PredictEncoding = { kind: 'number' } | { kind: 'bool' } | { kind: 'age'; reference: number } | { kind: 'category'; levels: string[]; others?: number[] };
export interface PredictFeature { name: string; encoding: PredictEncoding; /** Share of training rows where it was missing. */ missing: number }
/** The columns used, and the columns left out with the reason. */
export interface PredictFeatures { used: PredictFeature[]; leftOut: Array<{ name: string; reason: string }> }
export interface PredictOptions {
  /** Top factors per row (0–20, default 0): columns `baseValue`, `factorN`, `factorNValue`, `factorNContribution`. */
  explain?: number;
}
/** A predictor as JSON (`predictor.toJSON()`): versioned, everything needed to score, no training rows. */
export interface PredictorJson {
  format: 'crmlens.predictor';
  version: number;
  task: PredictTask;
  target: string;
  model: PredictModel;
  [key: string]: unknown;
}

/**
 * What scoring a table read differently from the training table, one line per feature and kind,
 * with the count and an example: values of a category that training never saw (scored as no
 * known level, as scikit-learn's `handle_unknown='ignore'`; values seen in training but too rare
 * to be a level are scored as in training and not counted), numeric cells read as
 * missing (text that is not a number, values past ±1e150). Empty when the table matched.
 */
export interface ScoringWarnings {
  readonly warnings: readonly string[];
}
/** `predict`'s scored table, with the warnings of scoring. */
export type ScoredDataset = Dataset & ScoringWarnings;
/**
 * A model trained on a customer table: who will churn, who will buy, how much they will spend.
 * Trained, cross-validated, calibrated, explained and graded in the lazily loaded `predict`
 * module (fetched on the first `train` / `fromJSON`).
 */
export declare class Predictor {
  private constructor();
  /** Trains on `customers` (a Dataset): async, loads the `predict` module on first use; `onProgress` / `signal` as every long operation (abort → CrmlensError `ABORTED`). Bad input (one class, too few rows, no usable feature, …) rejects with a CrmlensError. */
  static train(customers: Dataset, options: PredictorTrainOptions & LongWork): Promise<Predictor>;
  /** A predictor from `toJSON()` output (object or text); async: loads the `predict` module on first use. A damaged or edited model is INVALID_OPTION (field `model`). */
  static fromJSON(json: PredictorJson | string): Promise<Predictor>;
  readonly task: PredictTask;
  readonly target: string;
  /** The model chosen (never `auto`). */
  readonly model: PredictModel;
  /** The positive class and the other class (classification), as text. */
  readonly positive: string | null;
  readonly negative: string | null;
  readonly output: PredictOutput;
  /** Probability at or above which `label` is the positive class. */
  readonly threshold: number;
  readonly quality: PredictQuality;
  readonly candidates: PredictCandidate[];
  readonly importance: PredictImportance[];
  readonly features: PredictFeatures;
  /** What the result says about its own validity (rows without a target, dropped features, …). */
  readonly warnings: string[];
  /** Scores a table with the training columns: its id columns, then `probability` and `label` (or `value`), then with `explain` the top factors per row (`baseValue` + contributions = the model output, see `output`). Synchronous. */
  predict(dataset: Dataset, options?: PredictOptions): ScoredDataset;
  /** `predict` for large tables: async, `onProgress` reports phase `explain` (rows done of all) about every 25 ms, `signal` aborts (CrmlensError `ABORTED`). Same result as `predict`. */
  predictAsync(dataset: Dataset, options?: PredictOptions & LongWork): Promise<ScoredDataset>;
  /** The probability of the positive class (or the value) per row; its `warnings` as `predict`'s. A feature column the table lacks is CrmlensError `UNKNOWN_COLUMN` naming them all. */
  scores(dataset: Dataset): Float64Array & ScoringWarnings;
  toJSON(): PredictorJson;
  /** Frees the model's memory; a second free is harmless, any other later use is INVALID_STATE. */
  free(): void;
}

export interface TransactionFeatureOptions {
  /** Customer id column. */
  customer: string;
  /** Order date column. */
  date: string;
  /** Order value column (without it spend features are 0). */
  amount?: string;
  /** Last day the features see (`YYYY-MM-DD`). */
  cutoff: string;
  /** The label window: days after the cutoff, or its last day (`YYYY-MM-DD`). */
  horizon: number | string;
  /** Days in each of the two windows `trend` compares (default 90). */
  trendDays?: number;
}
export interface TransactionFeatureReport {
  cutoff: string;
  horizonEnd: string;
  horizonDays: number;
  customers: number;
  /** Rows read, used before the cutoff, and left out by reason. */
  rows: RowReport;
  /** Rows after the cutoff of customers first seen after it (not in the table). */
  rowsOfNewCustomers: number;
  /** The BG/NBD fit behind `pAlive` and `expectedPurchases` (time in days). */
  bgNbd: BgNbdFit;
  warnings: string[];
}
/**
 * One row per customer of an order log as of `cutoff` (recency, frequency, monetary, tenure,
 * trend, inter-purchase time, BG/NBD P(alive) and expected purchases, …) with the labels
 * `purchasedInHorizon` and `spendInHorizon`: a table for `Predictor.train`. Async: loads the
 * `predict` module on first use.
 */
export function transactionFeatures(orders: Dataset, options: TransactionFeatureOptions): Promise<{ customers: Dataset; report: TransactionFeatureReport }>;
// --- rules (issue 18): the lazily loaded module `rules` (src/ext/rules) -----------------------

/** A value inside a JSON Logic condition. */
export type JsonLogicValue = string | number | boolean | null | JsonLogic | JsonLogicValue[];
/** A JSON Logic condition: one operator and its arguments, e.g. `{ "<": [{ "var": "pAlive" }, 0.3] }`. */
export type JsonLogic = { [operator: string]: JsonLogicValue };
/** A rule's condition: an expression (`"pAlive < 0.3 and clv > 200"`) or a JSON Logic object. */
export type RuleCondition = string | JsonLogic;
/** A JSON value a host keeps in a rule's `then`. */
export type RuleExtra = string | number | boolean | null | RuleExtra[] | { [key: string]: RuleExtra };
/** What a matching rule asks for: `action`, `priority` (lower is more urgent, default 0), and any other key the host needs (kept as given). */
export interface RuleAction {
  action: string;
  priority?: number;
  [key: string]: RuleExtra | undefined;
}
/** One business rule (named BusinessRule: `Rule` is an association rule of `associationRules`). */
export interface BusinessRule {
  /** Unique within a rule list; keys the snapshot. */
  id: string;
  when: RuleCondition;
  then: RuleAction;
  description?: string;
}
/** Per rule, the keys that matched (what the next run's `'change'` trigger needs). */
export interface RuleSnapshot {
  id: string;
  /** Hash of the condition: a changed condition is reported in `warnings`. */
  fingerprint: string;
  keys: string[];
}
/** The state `rules` returns for the next run's `previous` (serialises with JSON.stringify). */
export interface RulesSnapshot {
  /** Format version (1). */
  version: number;
  /** The key column the keys come from (`""` for row numbers). */
  key: string;
  asOf: string | null;
  rules: RuleSnapshot[];
}
export interface RulesOptions {
  /** Column identifying a customer (default: the first column whose role is `id`, else the row number, 1-based). */
  key?: string;
  /** The day date functions (`days_since` & co.) are relative to, `YYYY-MM-DD`. */
  asOf?: string;
  /** The previous run's snapshot, for `new` / `continuing` / `resolved`. */
  previous?: RulesSnapshot;
  /** `'change'` (default): events only on not matching → matching (`new`) and back (`resolved`); `'always'`: every matching row. */
  trigger?: 'change' | 'always';
  /** Most events returned (default 1,000,000); the counts are exact regardless. */
  maxEvents?: number;
  /** What the event list carries. `values: 'read'` (default): after `reason`, one typed column per column any rule
   * read; `'none'`: the fixed columns only (`rule` … `reason`), much less to hand over for a large run.
   * `reason: true` (default): the `reason` text column (the values the rule read); `false` leaves it out. */
  events?: { values?: 'read' | 'none'; reason?: boolean };
}
/** Per rule: how its rows came out. */
export interface RuleCounts {
  rule: string;
  /** Rows where the condition is true. */
  matched: number;
  /** Matched rows whose key did not match in the previous run. */
  new: number;
  /** Matched rows whose key matched in the previous run too. */
  continuing: number;
  /** Keys that matched in the previous run and do not now. */
  resolved: number;
  /** Rows where the condition could not be decided (missing values). */
  undecided: number;
  /** Events returned for this rule (after the trigger and `maxEvents`). */
  events: number;
}
/** The result of `rules` / `rulesAsync`. */
export interface RulesResult {
  /** One row per event: rule, key, action, priority, status (new | continuing | resolved), row, reason, then the columns the rules read. */
  events: Dataset;
  /** Per rule, in the order given. */
  counts: RuleCounts[];
  /** Pass as `previous` next time (serialises with JSON.stringify). */
  snapshot: RulesSnapshot;
  /** True when `maxEvents` cut the event list (the counts are exact regardless). */
  eventsTruncated: boolean;
  /** Repeated or missing keys, rules changed since the snapshot. */
  warnings: string[];
}
export interface RuleCountsOptions {
  /** The day date functions are relative to, `YYYY-MM-DD`. */
  asOf?: string;
}
/** A rule's problem, as `ruleCounts` reports it. */
export interface RuleProblem {
  /** `RULE_ERROR`, `TOO_LARGE`, `INVALID_OPTION`. */
  code: string;
  message: string;
  /** 1-based line and column (in characters) of a text condition where the problem starts. */
  line: number | null;
  column: number | null;
  /** What to do about it (``did you mean `CLV`?``), when known. */
  hint: string | null;
}
/** One rule checked against a table. */
export interface RuleCheck {
  rule: string;
  rows: number;
  /** Rows where the condition is true (0 when it has an error). */
  matched: number;
  /** Rows where it could not be decided (missing values). */
  undecided: number;
  /** Columns the condition reads. */
  columns: string[];
  error: RuleProblem | null;
}
export interface RuleTemplateParam {
  name: string;
  description: string;
  /** The value used when none is given. */
  default: number;
}
/** A ready-made CRM rule. */
export interface RuleTemplate {
  id: string;
  name: string;
  description: string;
  /** The condition with `{param}` placeholders. */
  when: string;
  params: RuleTemplateParam[];
  /** Columns the condition expects. */
  columns: string[];
  /** Which crmlens result has those columns. */
  source: string;
  then: RuleAction;
  /** The rule with every parameter at its default. */
  rule: BusinessRule;
}

/**
 * Runs business rules over `dataset` (one row per customer). A rule that does not compile
 * fails the call before any work: CrmlensError `RULE_ERROR` with `field` (the rule id),
 * `line` / `column` in the expression and `hint`. Needs the `rules` module loaded: in Node it
 * loads on first use; in a browser `await loadRules()` first (or use `rulesAsync`).
 */
export function rules(dataset: Dataset, ruleList: BusinessRule[], options?: RulesOptions): RulesResult;
/** `rules` as long work (progress phase `rules`, abort between blocks of rows); loads the module itself. */
export function rulesAsync(dataset: Dataset, ruleList: BusinessRule[], options?: RulesOptions & LongWork): Promise<RulesResult>;
/** Each rule checked against `dataset` (an editor's live counts); never throws for a bad rule. */
export function ruleCounts(dataset: Dataset, ruleList: BusinessRule[], options?: RuleCountsOptions): RuleCheck[];
/** The ready-made CRM rules (inactive N days, high value at risk, win-back, new customer follow-up, purchase anniversary, …). */
export function ruleTemplates(): RuleTemplate[];
/** The rule of template `template` with some parameters set (`{ days: 60 }`), the others at their defaults. */
export function ruleFromTemplate(template: string, params?: Record<string, number>): BusinessRule;
/** Loads the `rules` module (once): afterwards `rules`, `ruleCounts`, `ruleTemplates` and `ruleFromTemplate` work in a browser too. */
export function loadRules(): Promise<void>;
