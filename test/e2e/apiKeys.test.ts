/**
 * API keys against PostgreSQL (issue 13 items 5 and 10): rotating ADMIN_API_KEY revokes the previous bootstrap key,
 * last_used_at is written at most once a minute per key, and a database that does not answer is a 503.
 */
import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import express from 'express';
import { requireRole } from '../../api/auth';
import { prepareDatabase } from '../../api/bootstrap';
import { createErrorHandler } from '../../api/errors';
import { createApiKeyRepository } from '../../db/apiKeys';
import type { DeadLetterRepository } from '../../db/deadLetters';
import { createDb } from '../../db/knex';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { testConfig } from '../helpers/temporal';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('API keys (PostgreSQL)', () => {
  let database: TestDatabase;
  before(async () => {
    database = await testDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  test('changing ADMIN_API_KEY revokes the previous bootstrap key, and only it', async () => {
    const first = 'tso_first_admin_key_0123456789abcdef';
    const second = 'tso_second_admin_key_9876543210fedcba';
    await prepareDatabase(testConfig({ ADMIN_API_KEY: first }), database.db);
    const keys = createApiKeyRepository(database.db);
    const created = await keys.create('warehouse', 'operator');
    assert.equal((await keys.authenticate(first))?.role, 'admin');

    await prepareDatabase(testConfig({ ADMIN_API_KEY: second }), database.db);
    assert.equal(await keys.authenticate(first), null, 'the previous bootstrap key still works');
    assert.equal((await keys.authenticate(second))?.role, 'admin');
    assert.equal((await keys.authenticate(created.key))?.name, 'warehouse', 'a key made through the API is kept');

    // A restart with the same key changes nothing.
    await prepareDatabase(testConfig({ ADMIN_API_KEY: second }), database.db);
    assert.equal((await keys.authenticate(second))?.role, 'admin');
    const active = await database.db('api_keys').where({ bootstrap: true }).whereNull('revoked_at').count('* as n');
    assert.equal(Number(active[0]!.n), 1);
    // A process still configured with the first key (a rolling restart) neither revives it nor revokes the new one.
    await prepareDatabase(testConfig({ ADMIN_API_KEY: first }), database.db);
    assert.equal(await keys.authenticate(first), null);
    assert.equal((await keys.authenticate(second))?.role, 'admin');
  });

  test('last_used_at is written at most once a minute per key, across processes', async () => {
    const keys = createApiKeyRepository(database.db);
    const otherProcess = createApiKeyRepository(database.db);
    const { id, key } = await keys.create('dashboard', 'viewer');
    const lastUsed = async () =>
      (await database.db('api_keys').where({ id }).first<{ last_used_at: Date | null }>('last_used_at')).last_used_at;

    assert.ok(await keys.authenticate(key));
    let first: Date | null = null;
    for (let i = 0; i < 50 && !first; i++) {
      await sleep(20);
      first = await lastUsed();
    }
    assert.ok(first, 'the first use is recorded');
    for (let i = 0; i < 5; i++) {
      assert.ok(await keys.authenticate(key));
      assert.ok(await otherProcess.authenticate(key));
    }
    await sleep(300);
    assert.equal((await lastUsed())?.getTime(), first.getTime(), 'last_used_at was written again within a minute');
  });
});

describe('a database outage answers 503', () => {
  let server: http.Server;
  let base: string;
  let deadDb: ReturnType<typeof createDb>;

  before(async () => {
    // A port nobody listens on: connections are refused, as when PostgreSQL is down.
    const probe = http.createServer();
    await new Promise<void>((r) => probe.listen(0, '127.0.0.1', r));
    const port = (probe.address() as AddressInfo).port;
    await new Promise<void>((r) => probe.close(() => r()));
    deadDb = createDb(`postgres://nobody:nothing@127.0.0.1:${port}/none`, 2);

    const app = express();
    app.get('/with-key', requireRole(createApiKeyRepository(deadDb), 'viewer'), (_req, res) => {
      res.json({ ok: true });
    });
    app.get('/query', async () => {
      await deadDb('shops').select('*');
    });
    const deadLetters = { record: () => Promise.resolve(0) } as unknown as DeadLetterRepository;
    app.use(createErrorHandler(deadLetters));
    server = http.createServer(app);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(async () => {
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await deadDb?.destroy();
  });

  test('checking a key while PostgreSQL is down is 503, not 500', async () => {
    const res = await fetch(`${base}/with-key`, { headers: { authorization: 'Bearer tso_some_key' } });
    assert.equal(res.status, 503);
    assert.equal(((await res.json()) as { error: { code: string } }).error.code, 'unavailable');
  });

  test('a route whose query cannot reach PostgreSQL is 503, not 500', async () => {
    const res = await fetch(`${base}/query`);
    assert.equal(res.status, 503);
  });
});
