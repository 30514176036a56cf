// The workflow bundle holds workflow code only: every cached workflow evaluates it, so a library pulled in by a value
// import (zod through shopSettings/schema.ts once cost about 1 MB of worker memory per cached order workflow: flash
// sale run F11 in bench/RESULTS.md) multiplies by the cache size.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';
import { workflowBundle } from '../helpers/temporal';

test('the workflow bundle carries no zod and stays under 3 MB', async () => {
  const { code } = await workflowBundle();
  const libraries = new Set([...code.matchAll(/node_modules\/((?:@[^/"]+\/)?[^/"]+)/g)].map((m) => m[1]));
  assert.ok(!libraries.has('zod'), `libraries in the workflow bundle: ${[...libraries].join(', ')}`);
  assert.ok(code.length < 3 * 1024 * 1024, `workflow bundle ${(code.length / 1024).toFixed(0)} KB`);
});

// Each cached workflow instantiates the modules it requires for itself (workflows/index.ts): loading the registry
// must instantiate no process, and calling one type must load that type's modules and no other process's. Measured
// in a fresh node process (this file's other imports load workflow modules of their own).
test('workflows/index.ts loads a workflow type on its first call, and only that one', () => {
  const probe = `
    const loaded = () => Object.keys(require.cache)
      .map((f) => /[\\/]workflows[\\/](\\w+)[\\/]workflow\\.js$/.exec(f)?.[1]).filter(Boolean);
    const registry = require(${JSON.stringify(path.join(REPO_ROOT, 'dist', 'workflows'))});
    const atLoad = loaded();
    const name = registry.orderAcknowledgment.name;
    try { registry.orderAcknowledgment('shop', 'order')?.catch?.(() => {}); } catch {}
    console.log(JSON.stringify({ atLoad, name, afterCall: loaded() }));`;
  const run = spawnSync(process.execPath, ['-e', probe], { encoding: 'utf8' });
  assert.equal(run.status, 0, run.stderr);
  // Outside a workflow context the call fails (no activator); the require has happened by then.
  assert.deepEqual(JSON.parse(run.stdout.trim().split('\n').at(-1)!), {
    atLoad: [],
    name: 'orderAcknowledgment',
    afterCall: ['orderAcknowledgment'],
  });
});
