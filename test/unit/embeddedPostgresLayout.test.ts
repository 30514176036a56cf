// Resetting a local install (issue 12 item 8): the embedded cluster and its password stay together, and a reset that
// leaves a relocated cluster behind is named, with the exact folder to remove, instead of failing to authenticate.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import {
  EmbeddedPostgresMismatchError,
  postgresLayout,
  preparePostgresLayout,
  type PostgresLayout,
} from '../../db/embeddedPostgres';
import { resetPlan } from '../../scripts/resetLocal';

/** A clone in a folder only its owner may enter (such as /root), and a stand-in for /var/lib/tiktok-shop-ops. */
function rootInstall() {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-home-'));
  fs.chmodSync(home, 0o700);
  const dataRoot = path.join(home, 'clone', '.data');
  const relocatedBase = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-varlib-'));
  const legacyPasswordFile = path.join(dataRoot, 'secrets', 'postgres-password');
  const layout = postgresLayout({
    dataDir: path.join(dataRoot, 'postgres'),
    passwordFile: legacyPasswordFile,
    isRoot: true,
    relocatedBase,
  });
  return { dataRoot, relocatedBase, legacyPasswordFile, layout };
}

/** What `initialise()` and the first start leave: a cluster, and its password where the layout keeps it. */
function initialiseCluster(layout: PostgresLayout): void {
  fs.mkdirSync(layout.dataDir, { recursive: true });
  fs.writeFileSync(path.join(layout.dataDir, 'PG_VERSION'), '17\n');
  fs.writeFileSync(layout.passwordFile, 'pw\n', { mode: 0o600 });
}

test('as root with a private clone, the cluster and its password live together outside the clone', () => {
  const { dataRoot, relocatedBase, legacyPasswordFile, layout } = rootInstall();
  assert.ok(layout.relocatedRoot?.startsWith(relocatedBase));
  assert.equal(path.dirname(layout.dataDir), layout.relocatedRoot);
  assert.equal(path.dirname(layout.passwordFile), layout.relocatedRoot, 'the password is kept with the cluster');
  preparePostgresLayout(layout, legacyPasswordFile);
  assert.equal(fs.readFileSync(path.join(dataRoot, 'postgres-location'), 'utf8').trim(), layout.relocatedRoot);
});

test('rm -rf .data with a relocated cluster: the next start names the folder to remove; npm run reset removes both', () => {
  const { dataRoot, legacyPasswordFile, layout } = rootInstall();
  preparePostgresLayout(layout, legacyPasswordFile);
  initialiseCluster(layout);
  preparePostgresLayout(layout, legacyPasswordFile); // a second start of the same install is fine

  fs.rmSync(dataRoot, { recursive: true, force: true });
  assert.throws(
    () => preparePostgresLayout(layout, legacyPasswordFile),
    (err: Error) =>
      err instanceof EmbeddedPostgresMismatchError && err.message.includes(`rm -rf ${layout.relocatedRoot}`),
  );

  const plan = resetPlan(dataRoot, { isRoot: true, relocatedBase: path.dirname(layout.relocatedRoot!) });
  assert.deepEqual(plan, { remove: [dataRoot, layout.relocatedRoot], running: false });
  for (const dir of plan.remove) fs.rmSync(dir, { recursive: true, force: true });
  preparePostgresLayout(layout, legacyPasswordFile); // a fresh install starts
  assert.ok(!fs.existsSync(layout.dataDir));
});

test('an install from before the password moved keeps working: its password is moved beside the cluster', () => {
  const { dataRoot, legacyPasswordFile, layout } = rootInstall();
  initialiseCluster(layout);
  fs.rmSync(layout.passwordFile);
  fs.mkdirSync(path.dirname(legacyPasswordFile), { recursive: true });
  fs.writeFileSync(legacyPasswordFile, 'old-pw\n', { mode: 0o600 });
  preparePostgresLayout(layout, legacyPasswordFile);
  assert.equal(fs.readFileSync(layout.passwordFile, 'utf8'), 'old-pw\n');
  assert.ok(fs.existsSync(path.join(dataRoot, 'postgres-location')));
});

test('a cluster whose password file was removed is named with the folder to remove', () => {
  const dataRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-data-'));
  const passwordFile = path.join(dataRoot, 'secrets', 'postgres-password');
  const layout = postgresLayout({ dataDir: path.join(dataRoot, 'postgres'), passwordFile, isRoot: false });
  assert.deepEqual(layout, { dataDir: path.join(dataRoot, 'postgres'), passwordFile });
  fs.mkdirSync(path.dirname(passwordFile), { recursive: true });
  initialiseCluster(layout);
  preparePostgresLayout(layout, passwordFile);
  fs.rmSync(path.dirname(passwordFile), { recursive: true });
  assert.throws(() => preparePostgresLayout(layout, passwordFile), new RegExp(`rm -rf ${layout.dataDir}`));
  assert.deepEqual(resetPlan(dataRoot, { isRoot: false }).remove, [dataRoot]);
});
