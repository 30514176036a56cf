// What the production image ships (issue 13 item 9): no test-only packages, a supported Node LTS.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../../config';

const read = (file: string) => fs.readFileSync(path.join(REPO_ROOT, file), 'utf8');
const pkg = JSON.parse(read('package.json')) as {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
};
const lock = JSON.parse(read('package-lock.json')) as {
  packages: Record<
    string,
    { dependencies?: Record<string, string>; devDependencies?: Record<string, string>; dev?: boolean }
  >;
};
const TEST_ONLY = ['@temporalio/testing', 'yaml'];

test('test-only packages are devDependencies, in package.json and in the lock file alike', () => {
  for (const name of TEST_ONLY) {
    assert.equal(pkg.dependencies[name], undefined, `${name} is not a runtime dependency`);
    assert.ok(pkg.devDependencies[name], `${name} is a devDependency`);
    assert.equal(lock.packages[`node_modules/${name}`]?.dev, true, `the lock file marks ${name} dev-only`);
  }
  assert.deepEqual(lock.packages['']!.dependencies, pkg.dependencies);
  assert.deepEqual(lock.packages['']!.devDependencies, pkg.devDependencies);
});

/** Every repository source file the processes of the image load, from their entry points. */
function reachableSources(entries: string[]): Map<string, string[]> {
  const packagesOf = new Map<string, string[]>();
  const queue = entries.map((e) => path.join(REPO_ROOT, e));
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (packagesOf.has(file)) continue;
    const source = fs.readFileSync(file, 'utf8');
    const specifiers = [...source.matchAll(/(?:from\s+|require\(\s*|import\(\s*)'([^']+)'/g)].map((m) => m[1]!);
    // Type-only imports vanish from the compiled code.
    const typeOnly = new Set([...source.matchAll(/import\s+type\s+[^;]+?from\s+'([^']+)'/g)].map((m) => m[1]!));
    packagesOf.set(
      file,
      specifiers.filter((s) => !s.startsWith('.') && !s.startsWith('node:') && !typeOnly.has(s)),
    );
    for (const s of specifiers.filter((x) => x.startsWith('.') && !typeOnly.has(x))) {
      const base = path.resolve(path.dirname(file), s);
      const resolved = [`${base}.ts`, path.join(base, 'index.ts'), base].find(
        (c) => fs.existsSync(c) && fs.statSync(c).isFile(),
      );
      if (resolved?.endsWith('.ts')) queue.push(resolved);
    }
  }
  return packagesOf;
}

test('nothing the API, worker or relay loads imports a devDependency', () => {
  const sources = reachableSources(['api/main.ts', 'workers/main.ts', 'workers/relay.ts']);
  assert.ok(sources.size > 20, 'the walk follows imports');
  for (const [file, packages] of sources) {
    for (const specifier of packages) {
      const name = specifier.startsWith('@') ? specifier.split('/').slice(0, 2).join('/') : specifier.split('/')[0]!;
      assert.ok(
        pkg.dependencies[name],
        `${path.relative(REPO_ROOT, file)} imports ${name}, which is not a runtime dependency`,
      );
      assert.ok(!TEST_ONLY.includes(name), `${path.relative(REPO_ROOT, file)} imports ${name}`);
    }
  }
});

test('the image builds on a supported Node LTS and ships no dev dependencies', () => {
  const dockerfile = read('Dockerfile');
  const bases = [...dockerfile.matchAll(/^FROM node:(\d+)[-.\w]*/gm)].map((m) => Number(m[1]));
  assert.ok(bases.length >= 2);
  // Even majors are LTS lines; 20 reached end of life on 2026-04-30 (https://nodejs.org/en/about/previous-releases).
  for (const major of bases) assert.ok(major % 2 === 0 && major >= 22, `node:${major} is a supported LTS`);
  assert.match(dockerfile, /npm prune --omit=dev|npm ci[^\n]*--omit=dev/);
  assert.match(dockerfile, /rm -rf dist\/test/);
});
