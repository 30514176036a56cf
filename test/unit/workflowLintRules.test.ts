import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { REPO_ROOT } from '../../config';

// The sandbox rules must really fire: lint a workflow file that breaks each of them.
const eslint = new ESLint({ cwd: REPO_ROOT });
const WORKFLOWS = path.join(REPO_ROOT, 'workflows');

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

test('workflow files may not import Node built-ins, activity code, temporal/ or non-workflow Temporal packages', async () => {
  const ids = await ruleIds(
    [
      "import fs from 'node:fs';",
      "import { Client } from '@temporalio/client';",
      "import { createShopActivities } from '../../activities/shop';",
      // An activity module one folder deeper (activities/<workflowType>/<step>.ts).
      "import { createHandOffActivities } from '../../activities/orderAcknowledgment/handOff';",
      // temporal/ is client-side, even for a type.
      "import type { TemporalTarget } from '../../temporal/connection';",
      'export const x = [fs, Client, createShopActivities, createHandOffActivities];',
      'export type T = TemporalTarget;',
      '',
    ].join('\n'),
    'workflows/orderAcknowledgment/__lintProbe1.ts',
  );
  assert.equal(ids.filter((id) => id === 'no-restricted-imports').length, 5, ids.join(', '));
});

test('type-only activity imports are allowed in workflows; floating promises are not', async () => {
  const ids = await ruleIds(
    [
      "import type { createShopActivities } from '../../activities/shop';",
      'export type A = ReturnType<typeof createShopActivities>;',
      'async function f(): Promise<void> {}',
      'export function g(): void {',
      '  f();',
      '}',
      '',
    ].join('\n'),
    'workflows/inventoryFeed/__lintProbe2.ts',
  );
  assert.deepEqual(ids, ['@typescript-eslint/no-floating-promises']);
});

test('the sandbox rules apply to every folder under workflows/ (each process and shared/)', async () => {
  const folders = fs
    .readdirSync(WORKFLOWS, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name);
  assert.ok(folders.includes('orderAcknowledgment') && folders.includes('shared'), folders.join(', '));
  for (const folder of folders) {
    for (const file of fs.readdirSync(path.join(WORKFLOWS, folder)).filter((f) => f.endsWith('.ts'))) {
      const config = (await eslint.calculateConfigForFile(path.join(WORKFLOWS, folder, file))) as {
        rules?: Record<string, unknown>;
      };
      const rule = config.rules?.['no-restricted-imports'];
      const severity = Array.isArray(rule) ? (rule[0] as unknown) : rule;
      assert.ok(severity === 2 || severity === 'error', `no-restricted-imports on workflows/${folder}/${file}`);
    }
  }
});
