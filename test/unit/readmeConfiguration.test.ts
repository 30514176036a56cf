// Issue 14 item 9: README.md lists every configuration variable the code reads, and nothing the code does not read.
// Both directions: the configuration schema (config/index.ts) and every process.env read across the repository
// against the README's two tables (the product's, and the emulator's, benchmarks' and test runner's).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { CONFIG_VARIABLES, REPO_ROOT } from '../../config';

/**
 * Variables a process of ours sets for a child it spawns, not settings anyone chooses: the webhook benchmark's
 * minimal receiver (bench/webhooks.ts starts bench/minimalReceiver.ts on a free port) and the rate-budget test's
 * worker processes (test/workflow/rateBudget.test.ts starts test/workflow/fixtures/rateBudgetWorker.ts).
 */
const HANDSHAKES = new Set(['PORT', 'RATE_BUDGET_CONCURRENCY', 'RATE_BUDGET_API']);

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.tools', '.data', 'fixtures']);
function sources(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : sources(path.join(dir, e.name));
    return /\.(ts|js|mjs|cjs)$/.test(e.name) ? [path.join(dir, e.name)] : [];
  });
}

/** Variable → files (relative) that read it (process.env dot or bracket access with a literal name). */
function envReads(): Map<string, string[]> {
  const reads = new Map<string, string[]>();
  for (const file of sources(REPO_ROOT)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const m of text.matchAll(/process\.env(?:\.([A-Z][A-Z0-9_]*)|\[\s*['"]([A-Z][A-Z0-9_]*)['"]\s*\])/g)) {
      const name = (m[1] ?? m[2])!;
      reads.set(name, [...(reads.get(name) ?? []), path.relative(REPO_ROOT, file)]);
    }
  }
  return reads;
}

interface Row {
  names: string[];
  cells: string[];
}

/** The tables of README.md's `## Configuration` section, in order, as rows of backticked variable names. */
function readmeTables(): Row[][] {
  const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
  const start = readme.indexOf('\n## Configuration\n');
  assert.ok(start >= 0, 'README.md has a Configuration section');
  const end = readme.indexOf('\n## ', start + 1);
  const section = readme.slice(start, end < 0 ? undefined : end);
  const tables: Row[][] = [];
  let current: Row[] | undefined;
  for (const line of section.split('\n')) {
    if (!line.startsWith('|')) {
      current = undefined;
      continue;
    }
    const cells = line
      .split('|')
      .slice(1, -1)
      .map((c) => c.trim());
    if (/^-+$/.test(cells[0] ?? '') || cells[0] === 'Variable') {
      if (!current) tables.push((current = []));
      continue;
    }
    const names = [...(cells[0] ?? '').matchAll(/`([A-Z][A-Z0-9_]*)`/g)].map((m) => m[1]!);
    current?.push({ names, cells });
  }
  return tables;
}

test('the README configuration tables and the code read the same variables, both ways', () => {
  const tables = readmeTables();
  assert.equal(tables.length, 2, 'two tables: the product, then the emulator, benchmarks and test runner');
  const [product, tools] = tables.map((t) => t.flatMap((r) => r.names)) as [string[], string[]];
  for (const row of tables.flat()) assert.equal(row.names.length, 1, `one variable per row: ${row.cells[0]}`);
  const listed = [...product, ...tools];
  assert.deepEqual(
    listed.filter((n, i) => listed.indexOf(n) !== i),
    [],
    'each variable is listed once',
  );

  const reads = envReads();
  const schema = new Set(CONFIG_VARIABLES);
  // Code → README: every schema key in the product table; every other env read in one of the tables.
  assert.deepEqual(
    CONFIG_VARIABLES.filter((n) => !product.includes(n)),
    [],
    'configuration variables missing from the README table',
  );
  assert.deepEqual(
    [...reads.keys()].filter((n) => !listed.includes(n) && !HANDSHAKES.has(n)).sort(),
    [],
    'process.env reads missing from the README tables',
  );
  // README → code: every listed variable is read.
  assert.deepEqual(
    product.filter((n) => !schema.has(n) && !reads.has(n)),
    [],
    'README lists product variables nothing reads',
  );
  assert.deepEqual(
    tools.filter((n) => schema.has(n)),
    [],
    'configuration variables belong in the product table',
  );
  assert.deepEqual(
    tools.filter((n) => !reads.has(n)),
    [],
    'README lists tool variables nothing reads',
  );
  // The tools table names where each is read.
  for (const row of tables[1]!) {
    const where = [...row.cells[1]!.matchAll(/`([^`]+)`/g)].map((m) => m[1]!);
    const files = reads.get(row.names[0]!) ?? [];
    assert.ok(
      where.length > 0 && where.every((w) => files.some((f) => f.startsWith(w))),
      `${row.names[0]} is read in ${files.join(', ')}, the README says ${where.join(', ')}`,
    );
  }
});
