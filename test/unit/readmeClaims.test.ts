// Issue 14 item 9: README.md claims nothing that does not exist. Every repository path it names in backticks is a
// file or folder of the repository (placeholders such as `workflows/<type>/` name a folder that must have members),
// and every npm script it tells the reader to run is defined in package.json.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';

const readme = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
const TOP = fs.readdirSync(REPO_ROOT).filter((n) => !n.startsWith('.') || n === '.jscpd.json' || n === '.ci');
/** Paths the running stack creates, not files of the repository. */
const CREATED = /^\.(data|tools)\b|^dist\//;

test('every repository path README.md names exists', () => {
  const missing: string[] = [];
  for (const [, quoted] of readme.matchAll(/`([^`\s]+)`/g)) {
    const token = quoted!.replace(/[.,:;]+$/, '').replace(/^\.\//, '');
    const first = token.split('/')[0]!;
    if (!TOP.includes(first) || CREATED.test(token) || !/[/.]/.test(token)) continue;
    if (/[<*…]/.test(token)) {
      // A placeholder: the folder before it exists and holds at least one entry.
      const folder = token.slice(0, token.search(/[<*…]/)).replace(/\/[^/]*$/, '');
      if (!fs.existsSync(path.join(REPO_ROOT, folder)) || fs.readdirSync(path.join(REPO_ROOT, folder)).length === 0)
        missing.push(token);
      continue;
    }
    if (!fs.existsSync(path.join(REPO_ROOT, token.replace(/\.js$/, '.ts').replace(/^dist\//, '')))) missing.push(token);
  }
  assert.deepEqual([...new Set(missing)], [], 'README.md names paths that do not exist');
});

test('every npm script README.md tells the reader to run is defined', () => {
  const scripts = (
    JSON.parse(fs.readFileSync(path.join(REPO_ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    }
  ).scripts;
  const named = [...readme.matchAll(/npm (?:run ([\w:-]+)|(start|test))\b/g)].map((m) => (m[1] ?? m[2])!);
  assert.ok(named.length > 5, 'the walk finds the commands');
  assert.deepEqual(
    [...new Set(named.filter((n) => !(n in scripts)))],
    [],
    'README.md names npm scripts package.json does not define',
  );
});
