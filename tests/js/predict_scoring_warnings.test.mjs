// Honest scoring through the package (issue 17): `predict` / `predictAsync` / `scores` on an
// altered copy of Telco churn (../shared/data) carry `warnings` counting, per feature, the
// category values outside the model's levels and the numeric cells read as missing; a missing
// feature column is CrmlensError UNKNOWN_COLUMN naming every missing column.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Dataset, Predictor } from '../../pkg/node.js';
import { readData, assertCrmlensError } from './_util.mjs';

const telcoCsv = readData('telco_customer_churn/WA_Fn-UseC_-Telco-Customer-Churn.csv').toString('utf8');

test('scoring an altered Telco: unknown levels and unreadable cells counted per feature', async () => {
  const p = await Predictor.train(Dataset.fromCsv(telcoCsv), { target: 'Churn', positive: 'Yes', model: 'logistic', validation: { folds: 2, seed: 0 } });
  try {
    const [head, ...rows] = telcoCsv.trimEnd().split('\n').slice(0, 201);
    const names = head.split(',');
    const contract = names.indexOf('Contract');
    const tenure = names.indexOf('tenure');
    let edited = 0;
    const altered = rows.map((line, i) => {
      const f = line.split(',');
      if (f[contract] === 'Month-to-month') { f[contract] = 'Weekly'; edited++; }
      if (i === 5) f[tenure] = 'n.k.';
      return f.join(',');
    });
    const plain = Dataset.fromCsv([head, ...rows].join('\n'));
    assert.deepEqual([...p.predict(plain).warnings], []);
    const ds = Dataset.fromCsv([head, ...altered].join('\n'));
    for (const out of [p.predict(ds, { explain: 2 }), await p.predictAsync(ds, { explain: 2 })]) {
      assert.equal(out.numRows, 200);
      assert.equal(out.warnings.length, 2, out.warnings.join('\n'));
      assert.ok(out.warnings[0].startsWith('`tenure`: 1 value(s) could not be read') && out.warnings[0].includes('`n.k.`'), out.warnings[0]);
      assert.ok(out.warnings[1].startsWith(`\`Contract\`: ${edited} value(s) are not among the model's levels (e.g. \`Weekly\`)`), out.warnings[1]);
    }
    const s = p.scores(ds);
    assert.equal(s.length, 200);
    assert.deepEqual([...s.warnings], [...p.predict(ds).warnings]);
    const lacking = Dataset.fromCsv([head, ...rows].map((l) => l.split(',').filter((_, j) => j !== contract && j !== tenure).join(',')).join('\n'));
    const e = assertCrmlensError(() => p.predict(lacking), 'UNKNOWN_COLUMN');
    assert.ok(e.message.includes('`tenure`') && e.message.includes('`Contract`'), e.message);
  } finally {
    p.free();
  }
});
