// Issue 14 item 9: comments and documents cite public sources (URLs) or files inside this repository, never a file
// outside it (a reviewer's or a session's notes are not there for a reader of the repository).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';

const SKIP_DIRS = new Set(['node_modules', 'dist', '.git', '.tools', '.data', 'fixtures']);
const TEXT = /\.(ts|js|mjs|cjs|md|ya?ml|json)$|^Dockerfile$|^Caddyfile$/;

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    if (e.isDirectory()) return SKIP_DIRS.has(e.name) ? [] : files(path.join(dir, e.name));
    return TEXT.test(e.name) && e.name !== 'package-lock.json' ? [path.join(dir, e.name)] : [];
  });
}

const all = files(REPO_ROOT);
const basenames = new Set(all.map((f) => path.basename(f)));
const inside = (p: string) => p === REPO_ROOT || p.startsWith(REPO_ROOT + path.sep);

/** Where `text` (the content of `file`) names a file outside the repository, as `line: word` strings. */
export function outsideCitations(file: string, text: string): string[] {
  const found: string[] = [];
  text.split('\n').forEach((line, i) => {
    for (const word of line.split(/[\s`'"()[\]<>,;]+/)) {
      if (!word || word.includes('://')) continue; // a URL is a public source
      const at = `${i + 1}: ${word}`;
      if (/^\/(work|home)\//.test(word) || /(^|\/)shared\/reference\//.test(word)) {
        found.push(at);
        continue;
      }
      if (word.startsWith('../')) {
        const target = path.resolve(path.dirname(file), word.replace(/[.:]+$/, ''));
        if (!inside(target)) found.push(at);
        continue;
      }
      const md = /([\w.-]+(?:\/[\w.-]+)*\.md)\b/.exec(word)?.[1];
      if (md === undefined) continue;
      const exists = md.includes('/')
        ? [path.resolve(REPO_ROOT, md), path.resolve(path.dirname(file), md)].some((p) => inside(p) && fs.existsSync(p))
        : basenames.has(md);
      if (!exists) found.push(at);
    }
  });
  return found;
}

test('no comment or document cites a file outside the repository', () => {
  const self = path.join(REPO_ROOT, 'test', 'unit', 'sourceCitations.test.ts');
  const bad = all
    .filter((f) => f !== self)
    .flatMap((f) => outsideCitations(f, fs.readFileSync(f, 'utf8')).map((c) => `${path.relative(REPO_ROOT, f)}:${c}`));
  assert.deepEqual(bad, [], `cite a public URL or a file inside the repository instead:\n${bad.join('\n')}`);
});

test('the check itself: outside paths and missing documents are found, URLs and repository files are not', () => {
  const file = path.join(REPO_ROOT, 'scripts', 'x.ts');
  const cite = (comment: string) => outsideCitations(file, comment);
  assert.equal(cite('// see ../shared/reference/temporal-typescript.md §5.2').length, 1);
  assert.equal(cite('// written from /work/shared/reference/tiktok-shop-api.md').length, 1);
  assert.equal(cite('// (tiktok-shop-api.md §4.4)').length, 1);
  assert.equal(cite('// the target shape (design.md)').length, 1);
  assert.deepEqual(cite('// https://partner.tiktokshop.com/docv2/page/64f1991d64ed2e0295f3d2c0 (rate limits)'), []);
  assert.deepEqual(cite('// docs/tiktok-shop-api-sources.md §4.4, bench/RESULTS.md, README.md'), []);
  assert.deepEqual(cite("import { x } from '../config';"), []);
});
