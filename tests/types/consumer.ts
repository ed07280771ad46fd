// A user's TypeScript code: imports `crmlens` and `crmlens/worker` and calls every export
// with realistic arguments, using the results by their declared types. Type-checked (never
// run) by tests/js/types.test.mjs: `tsc --noEmit --strict -p tests/types`. When an export or
// a worker operation is added, call it here too (tests/js/contract.test.mjs lists them).
import {
  initSync,
  start,
  version,
  Dataset,
  Recommender,
  SentimentModel,
  customerValue,
  joinCustomers,
  customerProfiles,
  segment,
  associationRules,
  associationRulesAsync,
  sentiment,
  topTerms,
  loadChineseSentiment,
  sentimentOfTexts,
  sentimentOfDataset,
  topTermsOfTexts,
  topTermsOfDataset,
  installChineseSentiment,
  chineseSentimentLoaded,
  Predictor,
  transactionFeatures,
  type PredictorJson,
  type PredictQuality,
  type PredictorTrainOptions,
  type TransactionFeatureReport,
  rules as runRules,
  rulesAsync,
  ruleTemplates,
  ruleFromTemplate,
  ruleCounts,
  type BusinessRule,
  type RulesSnapshot,
  type RuleTemplate,
  type RuleCheck,
  type CustomerValueOptions,
  type ValueModel,
  type CohortMatrix,
  type RecommenderJson,
  type ModelJson,
  type SentimentEvaluation,
  type Evaluation,
  type CleanPlan,
  type ProfileReport,
  type AssociationRules,
} from 'crmlens';
import { CrmlensWorker, CrmlensPool, type ShardedDataset, type DatasetSummary, type PredictorSummary, type RecommenderSummary, type SentimentModelSummary } from 'crmlens/worker';

const orders = `invoice,customer,date,amount,item
536365,C17850,2010-12-01,15.30,WHITE HANGING HEART T-LIGHT HOLDER
536366,C17850,2010-12-08,22.00,HAND WARMER UNION JACK
536367,C13047,2010-12-01,54.08,ASSORTED COLOUR BIRD ORNAMENT
C536379,C14527,2010-12-01,-27.50,Discount
`;
const crm = 'id,name,email,city\nC17850,Ann Lee,ANN@example.com ,London\nC13047,Bo Chen,bo@example.cn,Beijing\n';
const reviews = ['Great service, will buy again!', 'The parcel arrived broken.', '物流很快，质量很好', null];

async function mainThread(wasm: Uint8Array, file: File): Promise<void> {
  // Instantiation (the package entry has done it already; shown for completeness).
  initSync({ module: wasm });
  start();
  const v: string = version();

  // Load and read.
  const tx = Dataset.fromCsv(orders, { format: 'csv' });
  const people = Dataset.fromJson('[{"id":"C17850","segment":"vip"}]');
  const streamed = await Dataset.fromFile(file, { onProgress: (p) => console.log(p.bytesRead), signal: new AbortController().signal });
  // Workbooks: the lazily loaded `sheets` module (async statics added in JS, typed in index.d.ts).
  const sheetNames: string[] = await Dataset.sheets(wasm);
  const book: Dataset = await Dataset.fromExcel(wasm.buffer as ArrayBuffer, { sheet: sheetNames[0] ?? 0, range: 'A1:F500', header: true, maxRows: 10, onProgress: (p) => console.log(p.rows) });
  const fromBook = await Dataset.fromFile(file, { sheet: 1, range: 'B3' });
  console.log(book.numRows, fromBook.numRows);
  const rows: Array<Record<string, string | number | boolean | null>> = tx.rows(0, 10);
  const amounts = tx.column('amount');
  const numeric: number = amounts instanceof Float64Array ? amounts[0] : 0;
  const when: Float64Array = tx.timestamps('date');
  console.log(tx.columns().map((c) => c.name), tx.numRows, tx.numColumns, tx.memoryBytes, tx.source, tx.issues, tx.issueCounts);
  const csv: string = tx.toCsv({ delimiter: ';' });
  const json: string = tx.toJson();
  const copy = tx.copy();
  const fromBytes: Dataset = Dataset.fromBytes(tx.toBytes());
  console.log(fromBytes.numRows);
  const ipc: Uint8Array = tx.toArrow();
  const fromArrow: Dataset = await Dataset.fromArrow(ipc);
  const fromArrowBuffer: Dataset = await Dataset.fromArrow(ipc.buffer as ArrayBuffer);
  console.log(fromArrow.numRows, fromArrowBuffer.numColumns);

  // Profile, clean, mask.
  const report = tx.profile({ topK: 5 });
  console.log(report.columns.length);
  const plan: CleanPlan = { trim: 'all', case: { name: 'title' }, standardize: { email: 'email' }, fill: { city: { constant: 'unknown' } }, dedupe: true };
  const cleaned = Dataset.fromCsv(crm).clean(plan);
  console.log(cleaned.dataset.numRows, cleaned.log, cleaned.duplicates.length);
  const masked = cleaned.dataset.mask({ columns: 'auto' });
  console.log(masked.report, masked.dataset.numRows);

  // Customer value and profiles.
  const options: CustomerValueOptions = { customer: 'customer', date: 'date', amount: 'amount', invoice: 'invoice', horizon: 12 };
  const value = customerValue(tx, options);
  const model: ValueModel = value.model;
  const cohorts: CohortMatrix = value.cohorts;
  const alpha: number = model.bgNbd.alpha;
  const spend: number | undefined = model.gammaGamma?.p;
  const retention: number[][] = cohorts.retention;
  const joined = joinCustomers(value.customers, people, { otherKey: 'id', prefix: 'crm_' });
  console.log(joined.report, joined.dataset.numRows, alpha, spend, retention, model.rows.cancelled, model.segments[0]?.meanRecency);
  const profiles = customerProfiles(value, { attributes: people, attributesKey: 'id', extra: [{ table: copy, key: 'customer', prefix: 'tx_' }] });
  console.log(profiles.profiles.numRows, profiles.joins.map((j) => j.table));

  // Segment.
  const seg = segment(value.customers, { columns: ['frequency', 'monetary'], k: 'auto', seed: 7 });
  const labels: Int32Array = seg.labels;

  // Recommend.
  const rec = Recommender.fit(tx, { user: 'customer', item: 'item' });
  const recAsync = await Recommender.fitAsync(tx, { user: 'customer', item: 'item', onProgress: (p) => console.log(p), signal: new AbortController().signal });
  const recs = rec.recommend('C17850', { k: 5, excludeSeen: true });
  const many = rec.recommendMany(['C17850', 'C13047'], 3);
  const forBasket = rec.recommendFor(['HAND WARMER UNION JACK'], 3);
  const similar = rec.similarItems('HAND WARMER UNION JACK', 3);
  const evaluation: Evaluation = rec.evaluate({ k: 10, seed: 1 });
  const saved: RecommenderJson = rec.toJSON();
  const restored = Recommender.fromJSON(saved);
  const restoredFromText = Recommender.fromJSON(JSON.stringify(saved));
  console.log(recs[0]?.because, many[0]?.recommendations, forBasket, similar[0]?.score, evaluation.model, saved.format, rec.method, rec.auto, rec.report, rec.numUsers, rec.numItems, rec.users, rec.items);
  const rules = associationRules(tx, { transaction: 'invoice', item: 'item', minSupport: 0.01 });
  const rulesLater: AssociationRules = await associationRulesAsync(tx, { transaction: 'invoice', item: 'item', onProgress: (p) => console.log(p.phase, p.done, p.total), signal: new AbortController().signal });
  console.log(rulesLater.rules.length);
  console.log(rules);

  // Prediction (the lazily loaded module `predict`).
  const { customers: labelled, report: txReport } = await transactionFeatures(tx, { customer: 'customer', date: 'date', amount: 'amount', cutoff: '2010-12-05', horizon: 30 });
  const txr: TransactionFeatureReport = txReport;
  const trainOptions: PredictorTrainOptions = { target: 'purchasedInHorizon', model: 'logistic', validation: { folds: 3, seed: 1 }, classWeight: 'balanced', threshold: { rule: 'top', fraction: 0.1 } };
  const costOptions: PredictorTrainOptions = { target: 'purchasedInHorizon', threshold: { rule: 'cost', falsePositive: 1, falseNegative: 5 } };
  console.log(costOptions.threshold);
  const predictor = await Predictor.train(labelled, { ...trainOptions, onProgress: (p) => console.log(p.phase, p.done, p.total), signal: new AbortController().signal });
  const pq: PredictQuality = predictor.quality;
  console.log(txr.bgNbd.r, txr.rows.used, pq.auc, pq.grade, pq.rocCurve?.x, pq.lift[0]?.cumulativeGain, pq.confusion?.truePositive, pq.baseline.rate);
  console.log(predictor.task, predictor.target, predictor.model, predictor.positive, predictor.negative, predictor.output, predictor.threshold, predictor.warnings);
  console.log(predictor.candidates[0]?.score, predictor.importance[0]?.feature, predictor.features.used[0]?.encoding.kind, predictor.features.leftOut[0]?.reason);
  const scoredTable: Dataset = predictor.predict(labelled, { explain: 3 });
  const scoreArray: Float64Array = predictor.scores(labelled);
  const savedPredictor: PredictorJson = predictor.toJSON();
  const restoredPredictor: Predictor = await Predictor.fromJSON(savedPredictor);
  const restoredFromTextP = await Predictor.fromJSON(JSON.stringify(savedPredictor));
  console.log(scoredTable.numRows, scoreArray.length, savedPredictor.format, restoredPredictor.quality.auc, restoredFromTextP.model);
  for (const x of [predictor, restoredPredictor, restoredFromTextP]) x.free();
  scoredTable.free();
  labelled.free();

  // Sentiment.
  const s1 = await sentiment(reviews, { language: 'auto' });
  const s2 = await sentiment(Dataset.fromCsv('text\nlovely\n'), { column: 'text' });
  const t1 = await topTerms(reviews);
  await loadChineseSentiment();
  const s3 = sentimentOfTexts(reviews, { explain: true });
  const s4 = sentimentOfDataset(Dataset.fromCsv('text\nawful\n'), { column: 'text' });
  const t2 = topTermsOfTexts(reviews, { column: undefined });
  const t3 = topTermsOfDataset(Dataset.fromCsv('text\nfine\n'), { column: 'text' });
  if (!chineseSentimentLoaded()) installChineseSentiment('词\t1\n');
  console.log(s1, s2, s3, s4, t1, t2, t3);
  const texts = ['love it', 'hate it', 'great', 'terrible'];
  const labelsOf = ['pos', 'neg', 'pos', 'neg'];
  const sm = SentimentModel.train(texts, labelsOf, { language: 'en', seed: 1 });
  const predictions = sm.predict(['really love it']);
  const probability: Float64Array = predictions.probability;
  const quality: SentimentEvaluation = sm.evaluate(texts, labelsOf);
  const kept: ModelJson = sm.toJSON();
  const sm2 = SentimentModel.fromJSON(kept);
  console.log(probability, quality.accuracy, sm.classes, sm2.classes);

  // Rules: text and JSON Logic conditions, templates, the live check, the change trigger.
  const templates: RuleTemplate[] = ruleTemplates();
  const ruleList: BusinessRule[] = [
    { id: 'win-back', when: 'pAlive < 0.3 and clv > 200 and days_since(lastPurchase) > 90', then: { action: 'Send win-back offer', priority: 1 } },
    { id: 'vip', when: { and: [{ '==': [{ var: 'segment' }, 'Champions'] }, { '>': [{ var: 'frequency' }, 5] }] }, then: { action: 'Thank', channel: 'email' } },
    templates[0].rule,
    ruleFromTemplate('inactive', { days: 60 }),
  ];
  const checks: RuleCheck[] = ruleCounts(value.customers, ruleList, { asOf: '1998-07-01' });
  const firstError: number | null = checks[0].error?.column ?? null;
  const run1 = runRules(value.customers, ruleList, { key: 'customer', asOf: '1998-07-01', trigger: 'change', events: { values: 'none', reason: false } });
  const kept1: RulesSnapshot = JSON.parse(JSON.stringify(run1.snapshot));
  const run2 = await rulesAsync(value.customers, ruleList, { key: 'customer', asOf: '1998-08-01', previous: kept1, trigger: 'always', maxEvents: 1000, onProgress: (p) => console.log(p.phase), signal: new AbortController().signal });
  const resolved: number = run2.counts.reduce((a, c) => a + c.resolved + c.undecided, 0);
  console.log(firstError, run1.events.numRows, run2.eventsTruncated, run2.warnings, resolved, templates[0].params[0]?.default);
  run1.events.free();
  run2.events.free();

  for (const h of [tx, people, streamed, copy, cleaned.dataset, masked.dataset, value.customers, joined.dataset, profiles.profiles]) h.free();
  for (const m of [rec, recAsync, restored, restoredFromText]) m.free();
  sm.free();
  sm2[Symbol.dispose]();
  console.log(v, rows, numeric, when, csv, json, labels);
}

async function inWorker(file: File): Promise<void> {
  const w = new CrmlensWorker({ url: new URL('./worker-entry.js', import.meta.url) });
  await w.ready;
  const tx: DatasetSummary = await w.load(orders, { format: 'csv' });
  const crmTable = await w.load(crm);
  const big = await w.loadFile(file, { onProgress: (p) => console.log(p.bytesRead), signal: new AbortController().signal });
  const fromJson = await w.load('[{"id":"C17850"}]', { format: 'json' });
  console.log(await w.rows(tx.handle), await w.rows(tx.handle, 10, 5), await w.column(tx.handle, 'amount'), await w.columns(tx.handle));
  const ts: Float64Array = await w.timestamps(tx.handle, 'date');
  const copy = await w.copy(tx.handle);
  const fromBytes: DatasetSummary = await w.fromBytes(new Uint8Array(0));
  console.log(fromBytes.numRows);
  const saved: Uint8Array = await w.toBytes(fromBytes.handle);
  console.log(saved.byteLength);
  const workerIpc: Uint8Array = await w.toArrow(tx.handle);
  const workerFromArrow: DatasetSummary = await w.fromArrow(workerIpc);
  console.log(workerFromArrow.numRows);
  console.log(ts, await w.toCsv(tx.handle, { delimiter: '\t' }), await w.toJson(tx.handle));

  console.log((await w.profile(tx.handle, { topK: 3 })).columns);
  const cleaned = await w.clean(crmTable.handle, { trim: 'all', dedupe: true });
  const masked = await w.mask(cleaned.dataset.handle, { columns: 'auto' });
  console.log(cleaned.log, masked.report);

  const value = await w.customerValue(tx.handle, { customer: 'customer', date: 'date', amount: 'amount' });
  const model: ValueModel = value.model;
  const cohorts: CohortMatrix = value.cohorts;
  const joined = await w.joinCustomers(value.customers.handle, fromJson.handle, { otherKey: 'id' });
  const profiles = await w.customerProfiles(value.customers.handle, { attributes: crmTable.handle, attributesKey: 'id', extra: [copy.handle, { table: joined.dataset.handle, prefix: 'j_' }] });
  console.log(model.bgNbd.r, cohorts.cohorts, profiles.profiles.handle, profiles.joins);
  const seg = await w.segment(value.customers.handle, { k: 3, seed: 1 });
  console.log(seg.labels, seg.projection);
  const templates = await w.ruleTemplates();
  const oneRule = await w.ruleFromTemplate('inactive', { days: 30 });
  const checks = await w.ruleCounts(value.customers.handle, [oneRule, templates[1].rule], { asOf: '2011-01-01' });
  const fired = await w.rules(value.customers.handle, [oneRule], { asOf: '2011-01-01', onProgress: (p) => console.log(p.done) });
  const again2 = await w.rules(value.customers.handle, [oneRule], { asOf: '2011-02-01', previous: fired.snapshot });
  console.log(checks[0].matched, fired.events.numRows, again2.counts[0].resolved);
  await w.free(fired.events.handle);
  await w.free(again2.events.handle);

  const fitted: RecommenderSummary = await w.fitRecommender(tx.handle, { user: 'customer', item: 'item', onProgress: (p) => console.log(p), signal: new AbortController().signal });
  console.log(await w.recommend(fitted.model, 'C17850', { k: 3 }), await w.recommendMany(fitted.model, ['C17850'], 3), await w.recommendFor(fitted.model, ['HAND WARMER UNION JACK'], 3));
  console.log(await w.similarItems(fitted.model, 'HAND WARMER UNION JACK'), await w.evaluateRecommender(fitted.model, { k: 5 }));
  const json: RecommenderJson = await w.recommenderToJSON(fitted.model);
  const again = await w.recommenderFromJSON(json);
  console.log(await w.associationRules(tx.handle, { transaction: 'invoice', item: 'item' }));

  console.log(await w.sentiment(reviews), await w.sentiment(crmTable.handle, { column: 'name' }), await w.topTerms(reviews, { column: undefined }));
  await w.loadChineseSentiment();
  if (!(await w.chineseLoaded())) await w.installChinese('词\t1\n');
  const sm: SentimentModelSummary = await w.trainSentimentModel(['good', 'bad'], ['pos', 'neg'], { seed: 1 });
  const predictions = await w.predictSentiment(sm.model, ['good stuff']);
  const quality: SentimentEvaluation = await w.evaluateSentimentModel(sm.model, ['good', 'bad'], ['pos', 'neg']);
  const kept: ModelJson = await w.sentimentModelToJSON(sm.model);
  const sm2 = await w.sentimentModelFromJSON(JSON.stringify(kept));
  console.log(predictions.label, quality.f1, sm2.classes, await w.version());

  // The ops CrmlensPool runs on its workers' shards.
  const bytes = new Uint8Array(await file.arrayBuffer());
  const shard = await w.loadShard(bytes, { delimiter: ',' }, { names: ['a', 'b'], firstLine: 10, last: true, force: ['float', 'auto'] }, { delimiter: 44, quote: 34 });
  if (shard.error) console.log(shard.error.code, shard.error.line);
  const first: Uint8Array = await w.profileState(tx.handle);
  const second = await w.profileState(tx.handle, { topK: 3 }, first);
  const report: ProfileReport = await w.profileOfShards(tx.handle, undefined, first, second, 1, 0);
  const sumState = await w.customerSummaryState(tx.handle, { customer: 'customer', date: 'date' });
  const merged = await w.customerValueOfStates(sumState, { customer: 'customer', date: 'date' });
  console.log(shard.scan, report.dataset.rows, merged.customers.handle);

  const features = await w.transactionFeatures(tx.handle, { customer: 'customer', date: 'date', cutoff: '2010-12-05', horizon: '2011-01-05' });
  const trained: PredictorSummary = await w.trainPredictor(features.customers.handle, { target: 'purchasedInHorizon', onProgress: (p) => console.log(p), signal: new AbortController().signal });
  const scoredSummary: DatasetSummary = await w.predict(trained.predictor, features.customers.handle, { explain: 2 });
  const scoringWarnings: readonly string[] = (await w.predict(trained.predictor, features.customers.handle)).warnings;
  console.log(scoringWarnings.length);
  const workerScores: Float64Array = await w.predictScores(trained.predictor, features.customers.handle);
  const pjson: PredictorJson = await w.predictorToJSON(trained.predictor);
  const trained2 = await w.predictorFromJSON(pjson);
  console.log(features.report.horizonDays, trained.quality.auc, trained.candidates, trained.importance, scoredSummary.numRows, workerScores[0], trained2.model);
  for (const p of [trained.predictor, trained2.predictor]) await w.freePredictor(p);
  for (const d of [features.customers, scoredSummary]) await w.free(d.handle);
  for (const m of [fitted.model, again.model, sm.model, sm2.model]) await w.freeModel(m);
  for (const d of [tx, crmTable, big, fromJson, copy, cleaned.dataset, masked.dataset, value.customers, joined.dataset, profiles.profiles]) {
    const freed: boolean = await w.free(d.handle);
    console.log(freed);
  }
  w.terminate();
}

async function inPool(file: File): Promise<void> {
  const pool = new CrmlensPool({ workers: 'auto' });
  const ds: ShardedDataset = await pool.fromFile(file, { onProgress: (p) => console.log(p), signal: new AbortController().signal, minShardBytes: 1 << 20 });
  console.log(ds.numRows, ds.numShards, await ds.rows(0, 50), (await ds.profile({ topK: 5 })).dataset.rows, ds.columns()[0].name);
  const v = await pool.customerValue(ds, { customer: 'customer', date: 'date', amount: 'amount' });
  console.log(v.model.bgNbd.r, v.customers.numRows, (await pool.sentiment(ds, { column: 'text' })).summary.meanCompound);
  console.log((await pool.segment(v.customers, { k: 3 })).labels);
  await ds.free();
  pool.terminate();
}

export { mainThread, inWorker, inPool };
