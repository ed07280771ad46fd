// The Recommender and associationRules of the built package (release wasm), on real data:
// MovieLens 100K accuracy against the `implicit` library (the same check as
// tests/recommend_movielens.rs, here on the shipped code), the Online Retail purchase log
// for the API, errors, JSON round trip and memory.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { Dataset, Recommender, associationRules, initSync } from '../../pkg/node.js';
import { readData } from './_util.mjs';

const REF = JSON.parse(readFileSync(new URL('../fixtures/recommend/movielens_implicit_reference.json', import.meta.url), 'utf8'));
const RULES = JSON.parse(readFileSync(new URL('../fixtures/recommend/online_retail_mlxtend_rules.json', import.meta.url), 'utf8'));

// Ratings ≥ 4 of u.data as a CSV table (MovieLens is read from ../shared/data, never copied).
function movielensPositives() {
  const lines = ['user,item,ts'];
  for (const line of readData('movielens_ml-100k/u.data').toString('utf8').split('\n')) {
    if (!line) continue;
    const [u, i, r, t] = line.split('\t');
    if (Number(r) >= 4) lines.push(`${u},${i},${t}`);
  }
  return Dataset.fromCsv(lines.join('\n'));
}

const retailCsv = readData('online_retail_uci_first5000/online_retail_small.csv');
const retail = () => Dataset.fromCsv(retailCsv);

test('MovieLens 100K: item-knn and ALS precision@10 at least implicit 0.7.3 on the same split', () => {
  const ds = movielensPositives();
  try {
    for (const method of ['item-knn', 'als']) {
      const model = Recommender.fit(ds, { user: 'user', item: 'item', timestamp: 'ts', method });
      try {
        assert.equal(model.numUsers, REF.users);
        assert.equal(model.numItems, REF.items);
        const random = model.evaluate({ k: 10, split: 'random', seed: 0 });
        const theirs = REF.random_seed0[method === 'als' ? 'als' : 'bm25'];
        assert.equal(random.heldOut, REF.random_seed0.held_out);
        assert.ok(random.model.precision >= theirs.precision, `${method}: ${random.model.precision} < implicit ${theirs.precision}`);
        // The popularity baseline is deterministic and defined identically: equal to the reference.
        assert.ok(Math.abs(random.baseline.precision - REF.random_seed0.popularity.precision) < 1e-12);
        assert.ok(Math.abs(random.baseline.ndcg - REF.random_seed0.popularity.ndcg) < 1e-12);
        assert.equal(random.grade.verdict, 'better');
        assert.ok(random.grade.ndcgLift > 1.3, JSON.stringify(random.grade));
        const llo = model.evaluate({ k: 10, split: 'leave-last-out' });
        assert.equal(llo.heldOut, REF.leave_last_out.held_out);
        assert.equal(llo.grade.verdict, 'better');
        if (method === 'item-knn') {
          assert.ok(llo.model.precision >= REF.leave_last_out.bm25.precision);
        } else {
          const lo = Math.min(...REF.leave_last_out.als_runs.map((r) => r.precision));
          assert.ok(llo.model.precision >= lo, `${llo.model.precision} below implicit's seed range from ${lo}`);
        }
      } finally {
        model.free();
      }
    }
  } finally {
    ds.free();
  }
});

test('Online Retail: recommendations explain themselves; unknown users fall back to popularity, flagged', () => {
  const ds = retail();
  const model = Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', timestamp: 'InvoiceDate', method: 'item-knn', neighbours: 30 });
  try {
    assert.equal(model.method, 'item-knn');
    assert.equal(model.auto, null);
    const rep = model.report;
    assert.equal(rep.rows, 5000);
    assert.equal(rep.used + rep.missingUser + rep.missingItem + rep.missingWeight + rep.nonPositiveWeight + rep.missingTimestamp, 5000);
    assert.ok(rep.missingUser > 1000, 'rows without CustomerID are counted');
    const users = model.users;
    assert.equal(users.length, model.numUsers);
    const user = users[0];
    // Independent oracle: the stock codes this customer bought, straight from the CSV columns.
    const cust = ds.column('CustomerID');
    const codes = ds.column('StockCode');
    const bought = new Set();
    for (let r = 0; r < cust.length; r++) if (cust[r] !== null && String(cust[r]) === user) bought.add(String(codes[r]));
    const recs = model.recommend(user, { k: 5 });
    assert.equal(recs.length, 5);
    for (const r of recs) {
      assert.ok(!bought.has(r.item), `already bought ${r.item}`);
      assert.equal(r.fallback, false);
      assert.ok(r.because.length >= 1 && r.because.every((b) => bought.has(b)), JSON.stringify(r));
      assert.equal(typeof r.score, 'number');
    }
    const numeric = model.recommend(Number(user), { k: 5 });
    assert.deepEqual(numeric, recs, 'a numeric id is the same customer');
    const unknown = model.recommend('nobody', { k: 3 });
    assert.ok(unknown.every((r) => r.fallback && r.because.length === 0));
    const many = model.recommendMany([user, 'nobody'], 5);
    assert.deepEqual(many[0].recommendations, recs);
    assert.equal(many[1].fallback, true);
    const sim = model.similarItems(recs[0].item, 4);
    assert.ok(sim.length > 0 && sim.every((s) => s.item !== recs[0].item && s.score > 0));
    const folded = model.recommendFor([...bought], 5);
    assert.ok(folded.every((r) => !bought.has(r.item) && !r.fallback));
    assert.equal(model.recommendFor(['no-such-item'], 2)[0].fallback, true);
    const filtered = model.recommend(user, { k: 50, excludeSeen: false, filter: { include: [...bought].slice(0, 3) } });
    assert.ok(filtered.length <= 3 && filtered.every((r) => bought.has(r.item)));

    // toJSON / fromJSON: JSON.stringify works on the model; a restored model answers the same.
    const text = JSON.stringify(model);
    const back = Recommender.fromJSON(JSON.parse(text));
    const back2 = Recommender.fromJSON(text);
    try {
      assert.deepEqual(back.recommend(user, { k: 5 }), recs);
      assert.deepEqual(back2.similarItems(recs[0].item, 4), sim);
    } finally {
      back.free();
      back2.free();
    }
  } finally {
    model.free();
    ds.free();
  }
});

test('auto picks the best of item-knn, als and popularity by NDCG@10 and says so', () => {
  const ds = retail();
  const model = Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', timestamp: 'InvoiceDate', factors: 16, seed: 3 });
  try {
    const auto = model.auto;
    assert.equal(auto.chosen, model.method);
    assert.deepEqual(auto.candidates.map((c) => c[0]).sort(), ['als', 'item-knn', 'popularity']);
    const best = Math.max(...auto.candidates.map((c) => c[1]));
    assert.equal(auto.candidates.find((c) => c[0] === model.method)[1], best);
  } finally {
    model.free();
    ds.free();
  }
});

test('associationRules on Online Retail equal mlxtend (rule set and measures)', () => {
  const ds = retail();
  try {
    for (const cfg of RULES.configs) {
      const out = associationRules(ds, { transaction: 'InvoiceNo', item: 'StockCode', ...cfg.options, maxLen: cfg.options.maxLen ?? undefined });
      assert.equal(out.transactions, RULES.transactions);
      assert.equal(out.frequentItemsets, cfg.frequentItemsets);
      const key = (a, c) => `${a.join('+')}=>${c.join('+')}`;
      const theirs = new Map(cfg.rules.map((r) => [key(r[0], r[1]), r]));
      assert.equal(out.rules.length, theirs.size);
      for (const r of out.rules) {
        const t = theirs.get(key(r.antecedents, r.consequents));
        assert.ok(t, `extra rule ${key(r.antecedents, r.consequents)}`);
        assert.ok(Math.abs(r.lift - t[6]) <= 1e-9 * t[6]);
        assert.equal(r.conviction === null, t[8] === null);
      }
    }
  } finally {
    ds.free();
  }
});

test('bad options and freed models are CrmlensErrors naming the problem', () => {
  const ds = retail();
  try {
    assert.throws(() => Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', neighbors: 5 }), { name: 'CrmlensError', code: 'INVALID_OPTION', field: 'neighbors' });
    assert.throws(() => Recommender.fit(ds, { user: 'CustomerID', item: 'Nope' }), { name: 'CrmlensError', code: 'UNKNOWN_COLUMN' });
    assert.throws(() => Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', method: 'svd' }), { code: 'INVALID_OPTION', field: 'method' });
    assert.throws(() => associationRules(ds, { transaction: 'InvoiceNo', item: 'StockCode', minSupport: 2 }), { code: 'INVALID_OPTION', field: 'minSupport' });
    assert.throws(() => Recommender.fromJSON({ format: 'something else' }), { code: 'INVALID_OPTION' });
    const model = Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', method: 'popularity' });
    assert.throws(() => model.recommend('x', { k: 3, exclude: [] }), { code: 'INVALID_OPTION', field: 'exclude' });
    assert.throws(() => model.recommendMany('not an array', 3), { code: 'INVALID_OPTION' });
    assert.throws(() => model.similarItems('no-such-item', 3), { code: 'INVALID_OPTION' });
    model.free();
    assert.throws(() => model.recommend('x'), { name: 'CrmlensError', code: 'INVALID_STATE' });
    model.free(); // a second free is harmless
  } finally {
    ds.free();
  }
});

test('20 fit + recommend + free cycles do not grow WebAssembly memory after warm-up', () => {
  const memory = initSync().memory;
  const ds = retail();
  const cycle = () => {
    const m = Recommender.fit(ds, { user: 'CustomerID', item: 'StockCode', method: 'als', factors: 16, iterations: 5 });
    m.recommendMany(m.users.slice(0, 20), 10);
    m.free();
  };
  try {
    for (let i = 0; i < 3; i++) cycle();
    const before = memory.buffer.byteLength;
    for (let i = 0; i < 20; i++) cycle();
    assert.equal(memory.buffer.byteLength, before);
  } finally {
    ds.free();
  }
});
