// One layout per process (issue 14 item 2): every registered workflow type has its workflow folder, its activities,
// its route file and tests named after it, so a reader finds a process by one word (design: "One template per
// process"). A new workflow type exported from workflows/index.ts without them fails here.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';
import * as registered from '../../workflows';

const exists = (relative: string) => fs.existsSync(path.join(REPO_ROOT, relative));
const isDirectory = (relative: string) => exists(relative) && fs.statSync(path.join(REPO_ROOT, relative)).isDirectory();

/** Every test source under test/, relative to the repository. */
function testFiles(dir = 'test'): string[] {
  return fs.readdirSync(path.join(REPO_ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const relative = path.posix.join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'fixtures' ? [] : testFiles(relative);
    return entry.name.endsWith('.test.ts') ? [relative] : [];
  });
}

/** What a workflow type is missing of the layout (empty: nothing). */
function missingLayout(type: string, tests: string[], has = { exists, isDirectory }): string[] {
  const missing: string[] = [];
  if (!has.exists(`workflows/${type}/workflow.ts`)) missing.push(`workflows/${type}/workflow.ts`);
  if (!has.isDirectory(`activities/${type}`)) missing.push(`activities/${type}/`);
  if (!has.exists(`api/routes/${type}.ts`)) missing.push(`api/routes/${type}.ts`);
  if (!tests.some((t) => path.posix.basename(t).startsWith(type))) missing.push(`test/<kind>/${type}*.test.ts`);
  return missing;
}

const types = Object.entries(registered)
  .filter(([, value]) => typeof value === 'function')
  .map(([name]) => name)
  .sort();

test('workflows/index.ts registers the processes this test checks', () => {
  // A broken import would make the check below pass on nothing.
  assert.ok(types.length >= 8, `only ${types.length} workflow types found: ${types.join(', ')}`);
  assert.ok(types.includes('orderAcknowledgment'));
});

test('every registered workflow type has its workflow folder, activities, route file and tests', () => {
  const tests = testFiles();
  const gaps = types.flatMap((type) => missingLayout(type, tests).map((m) => `${type}: ${m}`));
  assert.deepEqual(gaps, []);
});

test('the check names what a process without the layout lacks', () => {
  const nothing = { exists: () => false, isDirectory: () => false };
  assert.deepEqual(missingLayout('returnRequest', ['test/e2e/orderAcknowledgment.test.ts'], nothing), [
    'workflows/returnRequest/workflow.ts',
    'activities/returnRequest/',
    'api/routes/returnRequest.ts',
    'test/<kind>/returnRequest*.test.ts',
  ]);
  // Test files count by their name only, whichever kind of test they are.
  assert.deepEqual(
    missingLayout('returnRequest', ['test/timeskip/returnRequestDeadlines.timeskip.test.ts'], nothing).at(-1),
    'api/routes/returnRequest.ts',
  );
});
