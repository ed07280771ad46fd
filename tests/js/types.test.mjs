// The package's types as a user meets them: tests/types/consumer.ts imports `crmlens` and
// `crmlens/worker` (pkg/'s .d.ts) and calls every export; it must type-check under
// `tsc --noEmit --strict`.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

test('tests/types/consumer.ts type-checks against pkg/ (tsc --noEmit --strict)', () => {
  const tsc = fileURLToPath(new URL('../../node_modules/.bin/tsc', import.meta.url));
  const r = spawnSync(tsc, ['--noEmit', '--strict', '-p', 'tests/types'], { cwd: ROOT, encoding: 'utf8' });
  assert.equal(r.error, undefined, `tsc runs (npm ci installs it): ${r.error?.message}`);
  assert.equal(r.status, 0, `tsc found type errors:\n${r.stdout}${r.stderr}`);
});
