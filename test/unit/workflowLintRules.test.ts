import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../config';

// The sandbox rules must really fire: lint a workflow file that breaks each of them.
const eslint = new ESLint({ cwd: REPO_ROOT });

// Typed linting only sees files that exist when the project loads, so the probe is a real, short-lived file.
async function ruleIds(code: string, filePath: string): Promise<string[]> {
  const file = path.join(REPO_ROOT, filePath);
  fs.writeFileSync(file, code);
  try {
    const [result] = await eslint.lintFiles([file]);
    return (result?.messages ?? []).map((m) => m.ruleId ?? m.message);
  } finally {
    fs.rmSync(file, { force: true });
  }
}

test('workflow files may not import Node built-ins, activity code or non-workflow Temporal packages', async () => {
  const ids = await ruleIds(
    [
      "import fs from 'node:fs';",
      "import { Client } from '@temporalio/client';",
      "import { createShopActivities } from '../activities/shop';",
      'export const x = [fs, Client, createShopActivities];',
      '',
    ].join('\n'),
    'workflows/__lintProbe1.ts',
  );
  assert.equal(ids.filter((id) => id === 'no-restricted-imports').length, 3, ids.join(', '));
});

test('type-only activity imports are allowed in workflows; floating promises are not', async () => {
  const ids = await ruleIds(
    [
      "import type { createShopActivities } from '../activities/shop';",
      'export type A = ReturnType<typeof createShopActivities>;',
      'async function f(): Promise<void> {}',
      'export function g(): void {',
      '  f();',
      '}',
      '',
    ].join('\n'),
    'workflows/__lintProbe2.ts',
  );
  assert.deepEqual(ids, ['@typescript-eslint/no-floating-promises']);
});
