// Which folder may import which. workflows/ is the sandboxed side and temporal/ the client side: temporal/ may import
// workflows/ (ids, messages, workflow types to start), never the reverse, and no chain of imports through either
// folder comes back to where it started (a cycle makes module load order decide what a module sees). config/ is read
// by everything, so it reads no integration and nothing of the API. And only db/ queries the database (below).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';

const rel = (file: string): string => path.relative(REPO_ROOT, file).split(path.sep).join('/');

function tsFiles(dir: string, recursive: boolean): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((d) => {
    const full = path.join(dir, d.name);
    if (d.isDirectory()) return recursive ? tsFiles(full, true) : [];
    return d.name.endsWith('.ts') && !d.name.endsWith('.d.ts') ? [full] : [];
  });
}

interface Import {
  target: string;
  typeOnly: boolean;
}

const IMPORT_RE = /(?:^|\n)\s*(import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s+)?'([^']+)'/g;

/** The repository files a module imports (relative specifiers only), and whether each import is type-only. */
function importsOf(file: string): Import[] {
  const source = fs.readFileSync(file, 'utf8');
  const found: Import[] = [];
  for (const m of source.matchAll(IMPORT_RE)) {
    const spec = m[3]!;
    if (!spec.startsWith('.')) continue;
    const base = path.resolve(path.dirname(file), spec);
    const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
    if (target) found.push({ target, typeOnly: m[2] !== undefined });
  }
  return found;
}

const roots = [
  ...tsFiles(path.join(REPO_ROOT, 'temporal'), false),
  ...tsFiles(path.join(REPO_ROOT, 'workflows'), true),
];
const inScope = (file: string): boolean => /^(temporal|workflows)\//.test(rel(file));

test('workflows/ imports nothing from temporal/', () => {
  const wrong = roots
    .filter((f) => rel(f).startsWith('workflows/'))
    .flatMap((f) =>
      importsOf(f)
        .filter((i) => rel(i.target).startsWith('temporal/'))
        .map((i) => `${rel(f)} → ${rel(i.target)}`),
    );
  assert.deepEqual(wrong, []);
});

/** Strongly connected components (Tarjan) of the runtime imports reachable from `starts`. */
function importCycles(starts: string[]): string[][] {
  const edges = new Map<string, string[]>();
  const pending = [...starts];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (edges.has(file)) continue;
    const next = importsOf(file)
      .filter((i) => !i.typeOnly)
      .map((i) => i.target);
    edges.set(file, next);
    pending.push(...next);
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const cycles: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) !== index.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      onStack.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (edges.get(v) ?? []).includes(v)) cycles.push(component.map(rel).sort());
  };
  for (const v of edges.keys()) if (!index.has(v)) visit(v);
  return cycles;
}

test('no import cycle runs through temporal/ or workflows/', () => {
  const cycles = importCycles(roots).filter((c) => c.some((f) => inScope(path.join(REPO_ROOT, f))));
  assert.deepEqual(cycles, []);
});

test('the cycle check finds a cycle', () => {
  // Two probe modules importing each other: the walk must report them (or the test above proves nothing).
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cycle-probe-'));
  try {
    fs.writeFileSync(path.join(dir, 'a.ts'), "import { b } from './b';\nexport const a = () => b;\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import { a } from './a';\nexport const b = () => a;\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "import type { a } from './a';\nexport type C = typeof a;\n");
    // c.ts only imports a type of a.ts: no runtime edge, so it is in no cycle.
    const cycles = importCycles(['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(dir, f)));
    assert.deepEqual(cycles, [[rel(path.join(dir, 'a.ts')), rel(path.join(dir, 'b.ts'))]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('workflows/ holds one folder per process plus shared/; at its top only index.ts (exports) and ids.ts', () => {
  const top = fs
    .readdirSync(path.join(REPO_ROOT, 'workflows'), { withFileTypes: true })
    .filter((d) => d.isFile())
    .map((d) => d.name)
    .sort();
  assert.deepEqual(top, ['ids.ts', 'index.ts']);
  const index = fs.readFileSync(path.join(REPO_ROOT, 'workflows', 'index.ts'), 'utf8');
  // Statements with their line breaks folded (Prettier wraps the long ones), comments left out.
  const statements = index
    .split('\n')
    .filter((l) => !l.trim().startsWith('//') && !l.trim().startsWith('/*'))
    .join(' ')
    .split(';')
    .map((st) => st.replace(/\s+/g, ' ').replace(/\( /g, '(').replace(/,? \)/g, ')').trim())
    .filter((st) => st !== '');
  const exported: string[] = [];
  const typed: string[] = [];
  for (const st of statements) {
    if (st === "import { lazyWorkflow } from './shared/lazyWorkflow'") continue;
    const t = /^import type \* as (\w+)Module from '\.\/\1\/workflow'$/.exec(st);
    const e =
      /^export const (\w+) = lazyWorkflow\('\1', \(\) => require\('\.\/\1\/workflow'\) as typeof \1Module\)$/.exec(st);
    assert.ok(t ?? e, st);
    if (t) typed.push(t[1]!);
    if (e) exported.push(e[1]!);
  }
  assert.deepEqual(exported, typed, 'each workflow type imported as a type and exported once, loaded on first call');
});

test('config/ imports nothing from integrations/ or api/', () => {
  const wrong = tsFiles(path.join(REPO_ROOT, 'config'), true).flatMap((f) =>
    importsOf(f)
      .filter((i) => /^(integrations|api)\//.test(rel(i.target)))
      .map((i) => `${rel(f)} → ${rel(i.target)}`),
  );
  assert.deepEqual(wrong, []);
});

// Issue 14 item 5: persistence lives in db/, one repository per table group; nobody else writes SQL. Out of scope:
// db/ itself (repositories and migrations), tests and benchmarks (they set up and read back their worlds directly),
// the emulator (a second party with no database of ours) and scripts/captureHistories.ts (it seeds the worlds the
// replay fixtures are captured from, as a test would).
const SQL_OWNERS = ['db/', 'test/', 'bench/', 'emulators/', 'scripts/captureHistories.ts'];

/** The tables the migrations create. */
function migrationTables(): string[] {
  const names = new Set<string>();
  for (const file of tsFiles(path.join(REPO_ROOT, 'db', 'migrations'), true)) {
    const source = fs.readFileSync(file, 'utf8');
    for (const m of source.matchAll(/createTable(?:IfNotExists)?\(\s*'(\w+)'|CREATE TABLE (?:IF NOT EXISTS )?(\w+)/g)) {
      names.add((m[1] ?? m[2])!);
    }
  }
  return [...names].sort();
}

/**
 * Where `source` queries one of `tables`: a knex builder on the table (`db('t')`, `trx<Row>('t')`, `.from('t')`) or
 * SQL text naming it after FROM, INTO, UPDATE, JOIN or TABLE. Comments are left out. As `line: text` strings.
 */
function tableQueries(source: string, tables: readonly string[]): string[] {
  const names = tables.join('|');
  const query = new RegExp(
    `\\w(?:<[^<>()]*>)?\\(\\s*['"\`](?:${names})['"\`]|\\b(?:from|into|update|join|table)\\s+(?:only\\s+)?(?:${names})\\b`,
    'gi',
  );
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  const code = source
    .replace(/\/\*[\s\S]*?\*\//g, blank)
    .replace(/(^|[^:])(\/\/[^\n]*)/gm, (_m, before: string, comment: string) => before + blank(comment));
  const lines = source.split('\n');
  return [...code.matchAll(query)].map((m) => {
    const line = code.slice(0, m.index).split('\n').length;
    return `${line}: ${lines[line - 1]!.trim()}`;
  });
}

test('only db/ queries the tables: no knex builder or SQL on them anywhere else in the product', () => {
  const tables = migrationTables();
  assert.ok(tables.includes('rate_budget_waiters') && tables.includes('rate_budget_buckets'), tables.join(', '));
  const product = fs
    .readdirSync(REPO_ROOT, { withFileTypes: true })
    .filter((d) => d.isDirectory() && !d.name.startsWith('.') && !['node_modules', 'dist'].includes(d.name))
    .flatMap((d) => tsFiles(path.join(REPO_ROOT, d.name), true))
    .filter((f) => !SQL_OWNERS.some((owner) => rel(f) === owner || rel(f).startsWith(owner)));
  const wrong = product.flatMap((f) =>
    tableQueries(fs.readFileSync(f, 'utf8'), tables).map((hit) => `${rel(f)}:${hit}`),
  );
  assert.deepEqual(wrong, [], 'move these queries into a repository of db/');
});

test('the table check finds knex builders and SQL on a table, not comments or a mere mention', () => {
  const tables = ['rate_budget_waiters', 'shops'];
  const probe = [
    "await db('shops').where({ shop_id });", // 1
    "const row = await trx<ShopRow>('shops').first();", // 2
    '// DELETE FROM rate_budget_waiters in a comment', // 3
    "const kind = 'shops'; /* UPDATE shops */", // 4
    'await db.raw(`DELETE FROM', // 5
    '  rate_budget_waiters WHERE id = ?`, [id]);', // 6
    "await db.select('*').from('rate_budget_waiters');", // 7
    "logger.info({ url: 'http://x/shops' }, 'update of the shops list');", // 8
  ].join('\n');
  assert.deepEqual(
    tableQueries(probe, tables).map((hit) => Number(hit.split(':')[0])),
    [1, 2, 5, 7],
  );
  // The repository that owns the rate budget's tables is seen querying them (the check reads real sources).
  const repository = fs.readFileSync(path.join(REPO_ROOT, 'db', 'rateBudget.ts'), 'utf8');
  assert.ok(tableQueries(repository, migrationTables()).length >= 10);
});
