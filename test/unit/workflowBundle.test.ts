// The workflow bundle holds workflow code only: every cached workflow evaluates it, so a library pulled in by a value
// import (zod through shopSettings/schema.ts once cost about 1 MB of worker memory per cached order workflow: flash
// sale run F11 in bench/RESULTS.md) multiplies by the cache size.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { workflowBundle } from '../helpers/temporal';

test('the workflow bundle carries no zod and stays under 3 MB', async () => {
  const { code } = await workflowBundle();
  const libraries = new Set([...code.matchAll(/node_modules\/((?:@[^/"]+\/)?[^/"]+)/g)].map((m) => m[1]));
  assert.ok(!libraries.has('zod'), `libraries in the workflow bundle: ${[...libraries].join(', ')}`);
  assert.ok(code.length < 3 * 1024 * 1024, `workflow bundle ${(code.length / 1024).toFixed(0)} KB`);
});
