import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { test } from 'node:test';
import type { Keyring } from '../../secrets/keyring';
import { isSealedJson, openJson, outboxKeyring, sealJson } from '../../secrets/sealedJson';

const ring = (ids: string[], active = ids[0]!): Keyring => ({
  activeKeyId: active,
  keys: new Map(ids.map((id) => [id, crypto.randomBytes(32)])),
});
const order = {
  orderId: '576',
  buyerMessage: 'leave at the door',
  recipient: { name: 'Jane Doe', address: '1 Main St' },
};

test('a sealed value shows no buyer data, opens back, and survives key rotation', () => {
  const keys = ring(['s1', 's2']);
  const sealed = sealJson(keys, order);
  assert.ok(isSealedJson(sealed));
  assert.equal(sealed.keyId, 's1');
  for (const clear of ['Jane Doe', '1 Main St', 'leave at the door'])
    assert.ok(!JSON.stringify(sealed).includes(clear));
  assert.notEqual(sealJson(keys, order).data, sealed.data, 'a random IV per seal');
  assert.deepEqual(openJson(keys, sealed), order);
  assert.deepEqual(openJson({ ...keys, activeKeyId: 's2' }, sealed), order, 'old key ids still open');
});

test('tampered or foreign-key values are refused; rows written before sealing open as they are', () => {
  const keys = ring(['s1']);
  const sealed = sealJson(keys, order);
  const bytes = Buffer.from(sealed.data, 'base64');
  bytes[15]! ^= 0xff;
  assert.throws(() => openJson(keys, { ...sealed, data: bytes.toString('base64') }));
  assert.throws(() => openJson(ring(['other']), sealed), /unknown key id "s1"/);
  assert.deepEqual(openJson(keys, order), order);
  assert.throws(() => outboxKeyring({}), /SECRETS_ENCRYPTION_KEY/);
});
