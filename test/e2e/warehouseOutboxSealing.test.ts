// Buyer data at rest (issue 13 item 7): outbox rows written in clear before sealing are sealed at worker start.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, test } from 'node:test';
import { sealPlainOutboxPayloads } from '../../db/warehouseOutboxSealing';
import type { Keyring } from '../../secrets/keyring';
import { openJson, sealJson } from '../../secrets/sealedJson';
import { testDatabase, type TestDatabase } from '../helpers/database';

let database: TestDatabase;
before(async () => {
  database = await testDatabase();
});
after(async () => {
  await database?.drop();
});

test('plain outbox payloads are sealed in batches; sealed ones are left as they are', async () => {
  const ring: Keyring = { activeKeyId: 's1', keys: new Map([['s1', crypto.randomBytes(32)]]) };
  const plain = (i: number) => ({ orderId: `o${i}`, recipient: { name: `Buyer ${i}`, address: `${i} Main St` } });
  const already = sealJson(ring, plain(99));
  await database
    .db('warehouse_outbox')
    .insert([
      ...[1, 2, 3].map((i) => ({ shop_id: 's', order_id: `o${i}`, payload: JSON.stringify(plain(i)) })),
      { shop_id: 's', order_id: 'o99', payload: JSON.stringify(already) },
    ]);
  assert.equal(await sealPlainOutboxPayloads(database.db, ring, 2), 3);
  const rows = await database
    .db('warehouse_outbox')
    .orderBy('order_id')
    .select<{ order_id: string; payload: unknown }[]>();
  assert.ok(!JSON.stringify(rows).includes('Main St'));
  for (const row of rows) {
    const i = Number(row.order_id.slice(1));
    assert.deepEqual(openJson(ring, row.payload), plain(i));
  }
  assert.deepEqual(rows.find((r) => r.order_id === 'o99')!.payload, already);
  assert.equal(await sealPlainOutboxPayloads(database.db, ring), 0);
});
