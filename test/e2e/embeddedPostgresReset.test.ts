// Issue 12 item 8 on a real embedded PostgreSQL: as root, with the clone in a folder the postgres user cannot enter,
// `rm -rf .data` used to leave the relocated cluster behind with a password nobody knew any more, and the next start
// died with `password authentication failed for user "postgres"`. Now the start says exactly what to remove.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { freePort, postgresLayout, startEmbeddedPostgres } from '../../db/embeddedPostgres';
import { ensureDatabase } from '../../db/ensureDatabase';
import { resetPlan } from '../../scripts/resetLocal';

test(
  'as root: after rm -rf .data the next start names the relocated cluster to remove; after the reset it starts',
  { skip: process.getuid?.() !== 0 ? 'needs root (the relocation only happens as root)' : false },
  async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-private-home-'));
    fs.chmodSync(home, 0o700);
    const dataRoot = path.join(home, 'clone', '.data');
    const opts = {
      dataDir: path.join(dataRoot, 'postgres'),
      passwordFile: path.join(dataRoot, 'secrets', 'postgres-password'),
    };
    const relocatedRoot = postgresLayout(opts).relocatedRoot;
    assert.ok(relocatedRoot, 'the cluster is relocated out of the private folder');
    try {
      const first = await startEmbeddedPostgres({ ...opts, port: await freePort() });
      await ensureDatabase(first.url, 'reset_probe');
      await first.stop();

      fs.rmSync(dataRoot, { recursive: true, force: true });
      await assert.rejects(
        startEmbeddedPostgres({ ...opts, port: await freePort() }),
        (err: Error) => err.message.includes(`rm -rf ${relocatedRoot}`) && err.message.includes('npm run reset'),
      );

      for (const dir of resetPlan(dataRoot).remove) fs.rmSync(dir, { recursive: true, force: true });
      const fresh = await startEmbeddedPostgres({ ...opts, port: await freePort() });
      try {
        await ensureDatabase(fresh.url, 'reset_probe');
      } finally {
        await fresh.stop();
      }
    } finally {
      fs.rmSync(relocatedRoot, { recursive: true, force: true });
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
);
