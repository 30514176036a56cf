/**
 * `npm test`: lint, format and duplicate-code checks, then every test file (unit, workflow on a real dev server,
 * time-skipping, replay, end to end) against services started once for the run. Ends with `N passed, N failed`.
 * The pre-step (scripts/ensure-installed.js) has already installed tools and type-checked by compiling.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { startTestServices } from './testServices';
import { failureDigest } from './tapDigest';

const say = (msg: string) => process.stdout.write(`[test] ${msg}\n`);

interface Tally {
  passed: number;
  failed: number;
  skipped: number;
  /** Each failed test: its name, location and the first lines of its error (from the TAP diagnostics). */
  failures: string[];
}

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(cmd, args, { cwd: REPO_ROOT, env, stdio: 'inherit' });
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/**
 * Whether a compiled test still has its TypeScript source: an incremental build leaves the output of a deleted or
 * renamed test file in dist/, and running it would test code that no longer exists.
 */
function hasSource(compiled: string): boolean {
  const relative = path.relative(path.join(REPO_ROOT, 'dist'), compiled);
  return fs.existsSync(path.join(REPO_ROOT, relative.replace(/\.js$/, '.ts')));
}

function findTests(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? findTests(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .filter((f) => f.endsWith('.test.js') && hasSource(f))
    .sort();
}

/** Runs test files with node's runner; reads the totals from its TAP output. */
async function runNodeTests(files: string[], concurrency: number, env: NodeJS.ProcessEnv): Promise<Tally> {
  if (files.length === 0) return { passed: 0, failed: 0, skipped: 0, failures: [] };
  const tap = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'tso-tap-')), 'out.tap');
  const code = await run(
    process.execPath,
    [
      '--test',
      `--test-concurrency=${concurrency}`,
      // A hung test fails after 4 minutes instead of holding CI until its time limit.
      '--test-timeout=240000',
      '--test-reporter=spec',
      '--test-reporter-destination=stdout',
      '--test-reporter=tap',
      `--test-reporter-destination=${tap}`,
      ...files,
    ],
    env,
  );
  const text = fs.existsSync(tap) ? fs.readFileSync(tap, 'utf8') : '';
  const total = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(text)?.[1] ?? 0);
  const tally = {
    passed: total('pass'),
    failed: total('fail') + total('cancelled'),
    skipped: total('skipped'),
    failures: failureDigest(text),
  };
  if (code !== 0 && tally.failed === 0) {
    tally.failed = 1; // the runner itself failed (e.g. a file crashed)
    tally.failures.push(`✖ the test runner exited with ${code} (${files.length} files)`);
  }
  return tally;
}

async function main(): Promise<void> {
  const started = Date.now();
  const tally: Tally = { passed: 0, failed: 0, skipped: 0, failures: [] };
  const check = async (name: string, cmd: string, args: string[]) => {
    say(`${name}…`);
    const ok = (await run(cmd, args)) === 0;
    say(`${name}: ${ok ? 'ok' : 'FAILED'}`);
    tally[ok ? 'passed' : 'failed'] += 1;
    if (!ok) tally.failures.push(`✖ ${name}`);
  };
  const bin = (name: string) => path.join(REPO_ROOT, 'node_modules', '.bin', name);
  // Naming test files (npm test -- shopLifecycleApi) is for quick local iterations: it skips the lint and format checks.
  const only = process.argv.slice(2);
  if (only.length === 0) {
    await check('eslint', bin('eslint'), ['.']);
    await check('prettier --check', bin('prettier'), ['--check', '.', '--log-level', 'warn']);
    // Copied logic in product code: scope and threshold in .jscpd.json.
    await check('jscpd (duplicate code)', bin('jscpd'), ['--config', '.jscpd.json', '--silent']);
  }

  const distTest = path.join(REPO_ROOT, 'dist', 'test');
  const pick = (files: string[]) => (only.length ? files.filter((f) => only.some((o) => f.includes(o))) : files);
  const unit = pick(findTests(path.join(distTest, 'unit')));
  const replay = pick(findTests(path.join(distTest, 'replay')));
  // Contract tests: our TikTok Shop client against the in-process emulator (no external services).
  const contract = pick(findTests(path.join(distTest, 'contract')));
  const serverTests = pick([
    ...findTests(path.join(distTest, 'workflow')),
    ...findTests(path.join(distTest, 'e2e')),
    ...findTests(path.join(distTest, 'bench')),
  ]);
  const timeskip = pick(findTests(path.join(distTest, 'timeskip')));

  say(`starting test services…`);
  const services = await startTestServices(say);
  // Interrupted (Ctrl-C, CI cancel): stop PostgreSQL and the Temporal servers instead of orphaning them.
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      void services.stop().finally(() => process.exit(130));
    });
  }
  const env = { ...process.env, ...services.env, NODE_ENV: 'test', LOG_LEVEL: process.env.LOG_LEVEL ?? 'silent' };
  try {
    for (const [name, files, concurrency] of [
      ['unit and replay', [...unit, ...contract, ...replay], 2],
      ['workflow and end-to-end (dev server)', serverTests, 2],
      // Each time-skipping test starts a Java test server of its own (test/helpers/temporal.ts).
      ['time-skipping', timeskip, 2],
    ] as const) {
      say(`${name}: ${files.length} files`);
      const t = await runNodeTests([...files], concurrency, env);
      tally.passed += t.passed;
      tally.failed += t.failed;
      tally.skipped += t.skipped;
      tally.failures.push(...t.failures);
    }
  } finally {
    await services.stop();
  }
  const total = tally.passed + tally.failed;
  say(`finished in ${Math.round((Date.now() - started) / 1000)} s`);
  if (total === 0) {
    say('no tests ran: that is a failure');
    tally.failed += 1;
  }
  if (tally.failures.length) say(`what failed:\n${tally.failures.join('\n')}`);
  process.stdout.write(
    `${tally.passed} passed, ${tally.failed} failed${tally.skipped ? `, ${tally.skipped} skipped` : ''}\n`,
  );
  process.exit(tally.failed === 0 ? 0 : 1);
}

main().catch((err) => {
  console.error(err);
  process.stdout.write('0 passed, 1 failed\n');
  process.exit(1);
});
