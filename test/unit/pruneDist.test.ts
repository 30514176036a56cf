import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';

// scripts/pruneDist.js is plain CommonJS (it runs before the build), so it is required by path.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { pruneStaleOutputs } = require(path.join(REPO_ROOT, 'scripts', 'pruneDist.js')) as {
  pruneStaleOutputs: (rootDir: string, distDir: string) => string[];
};

test('the build drops compiled files whose source moved away, so a stale file cannot shadow a new folder', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'prune-'));
  const write = (file: string) => {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), '');
  };
  // activities/orderAcknowledgment.ts became the folder activities/orderAcknowledgment/.
  write('activities/orderAcknowledgment/index.ts');
  write('workflows/ids.ts');
  for (const f of [
    'dist/activities/orderAcknowledgment.js',
    'dist/activities/orderAcknowledgment.js.map',
    'dist/activities/orderAcknowledgment.d.ts',
    'dist/activities/orderAcknowledgment/index.js',
    'dist/workflows/ids.js',
    'dist/workflows/order/patches.js',
    'dist/.tsbuildinfo',
  ])
    write(f);

  const removed = pruneStaleOutputs(root, path.join(root, 'dist')).sort();

  assert.deepEqual(removed, [
    path.join('activities', 'orderAcknowledgment.d.ts'),
    path.join('activities', 'orderAcknowledgment.js'),
    path.join('activities', 'orderAcknowledgment.js.map'),
    path.join('workflows', 'order', 'patches.js'),
  ]);
  assert.ok(fs.existsSync(path.join(root, 'dist/activities/orderAcknowledgment/index.js')));
  assert.ok(fs.existsSync(path.join(root, 'dist/workflows/ids.js')));
  assert.ok(fs.existsSync(path.join(root, 'dist/.tsbuildinfo')), 'not an output of a source file');
  assert.ok(!fs.existsSync(path.join(root, 'dist/workflows/order')), 'the emptied folder goes too');
  fs.rmSync(root, { recursive: true, force: true });
});
