// Issue 14 item 8: scripts and benchmarks read their flags with node:util's parseArgs; a flag they do not take
// stops them with a named error instead of being ignored.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';
import { parseCommandLine, UsageError } from '../../scripts/commandLine';

test('known flags and positionals are read; an unknown flag is a UsageError naming it and the usage', () => {
  const options = { shop: { type: 'string' }, quick: { type: 'boolean' } } as const;
  const ok = parseCommandLine('x [count] [--shop <id>]', options, { argv: ['5', '--shop', '7495'], positionals: true });
  assert.deepEqual(ok.positionals, ['5']);
  assert.equal(ok.values.shop, '7495');
  assert.throws(
    () => parseCommandLine('x [--quick]', options, { argv: ['--quik'] }),
    (e: unknown) =>
      e instanceof UsageError && e.name === 'UsageError' && /'--quik'/.test(e.message) && /usage: x/.test(e.message),
  );
  assert.throws(() => parseCommandLine('x', {}, { argv: ['stray'] }), UsageError, 'positionals only when allowed');
});

test('npm run emulator:orders with a mistyped flag stops with a UsageError before calling anything', () => {
  const script = path.join(REPO_ROOT, 'dist', 'scripts', 'emulatorOrders.js');
  const run = spawnSync(process.execPath, [script, '3', '--shp', '7495'], { encoding: 'utf8', timeout: 30_000 });
  assert.equal(run.status, 1, run.stderr);
  assert.match(run.stderr, /^UsageError: Unknown option '--shp'/);
  assert.match(run.stderr, /usage: npm run emulator:orders -- \[count\] \[--shop <shopId>\]/);
});
