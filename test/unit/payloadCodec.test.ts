import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { defaultPayloadConverter } from '@temporalio/common';
import { EncryptionCodec, ENCRYPTED_ENCODING, KEY_ID_METADATA } from '../../temporal/payloadCodec';
import { temporal } from '@temporalio/proto';
import { loadOrCreateKeyring, parseKeyring, SecretsError, type Keyring } from '../../secrets/keyring';
import { createDataConverter } from '../../temporal/connection';

const ring = (ids: string[], active = ids[0]!): Keyring => ({
  activeKeyId: active,
  keys: new Map(ids.map((id) => [id, crypto.randomBytes(32)])),
});

test('payloads are encrypted with the active key id in metadata and decode back', async () => {
  const codec = new EncryptionCodec(ring(['k1']));
  const original = defaultPayloadConverter.toPayload({ buyer: 'Jane Doe', address: '1 Main St' });
  const [encoded] = await codec.encode([original]);
  assert.equal(Buffer.from(encoded!.metadata!.encoding!).toString(), ENCRYPTED_ENCODING);
  assert.equal(Buffer.from(encoded!.metadata![KEY_ID_METADATA]!).toString(), 'k1');
  assert.ok(!Buffer.from(encoded!.data!).toString('latin1').includes('Jane Doe'));
  const [decoded] = await codec.decode([encoded!]);
  assert.deepEqual(defaultPayloadConverter.fromPayload(decoded!), { buyer: 'Jane Doe', address: '1 Main St' });
});

test('rotation: payloads written with an older key still decode', async () => {
  const keys = ring(['old', 'new'], 'old');
  const [encoded] = await new EncryptionCodec(keys).encode([defaultPayloadConverter.toPayload('x')]);
  const rotated = new EncryptionCodec({ ...keys, activeKeyId: 'new' });
  const [decoded] = await rotated.decode([encoded!]);
  assert.equal(defaultPayloadConverter.fromPayload(decoded!), 'x');
  const [reencoded] = await rotated.encode([decoded!]);
  assert.equal(Buffer.from(reencoded!.metadata![KEY_ID_METADATA]!).toString(), 'new');
});

test('tampered ciphertext and unknown key ids are refused; plain payloads pass through', async () => {
  const codec = new EncryptionCodec(ring(['k1']));
  const [encoded] = await codec.encode([defaultPayloadConverter.toPayload('secret')]);
  const tampered = { ...encoded!, data: Buffer.from(encoded!.data!) };
  tampered.data[20] = (tampered.data[20] ?? 0) ^ 0xff;
  await assert.rejects(codec.decode([tampered]));
  await assert.rejects(new EncryptionCodec(ring(['other'])).decode([encoded!]), /unknown key id "k1"/);
  const plain = defaultPayloadConverter.toPayload('plain');
  assert.deepEqual(await codec.decode([plain]), [plain]);
});

test('keyrings: parsed from the environment, else generated once into the data folder', () => {
  assert.throws(() => parseKeyring('k1:short', undefined, 'PAYLOAD_CODEC_KEYS'), SecretsError);
  assert.throws(() => parseKeyring(`k1:${crypto.randomBytes(32).toString('base64')}`, 'k2', 'X'), /active key id "k2"/);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-keys-'));
  const cfg = { DATA_DIR: dataDir, NODE_ENV: 'development' as const };
  const first = loadOrCreateKeyring(cfg, 'payload-codec', undefined, undefined, 'PAYLOAD_CODEC_KEYS');
  const second = loadOrCreateKeyring(cfg, 'payload-codec', undefined, undefined, 'PAYLOAD_CODEC_KEYS');
  assert.equal(first.activeKeyId, second.activeKeyId);
  assert.deepEqual(first.keys.get(first.activeKeyId), second.keys.get(second.activeKeyId));
  const file = path.join(dataDir, 'secrets', 'payload-codec.keys');
  assert.equal(fs.statSync(file).mode & 0o777, 0o600);
  assert.throws(
    () => loadOrCreateKeyring({ ...cfg, NODE_ENV: 'production' }, 'other', undefined, undefined, 'PAYLOAD_CODEC_KEYS'),
    /PAYLOAD_CODEC_KEYS must be set in production/,
  );
});

test('the production worker refuses unencrypted payloads; clients and development workers pass them through', async () => {
  const cfg = {
    DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), 'tso-keys-')),
    NODE_ENV: 'production' as const,
    PAYLOAD_CODEC_KEYS: `k1:${crypto.randomBytes(32).toString('base64')}`,
    PAYLOAD_CODEC_ACTIVE_KEY_ID: undefined,
  };
  const plain = defaultPayloadConverter.toPayload({ action: 'cancel', orderId: '576' });
  const worker = createDataConverter(cfg, 'worker').payloadCodecs![0]!;
  await assert.rejects(worker.decode([plain]), /refused an unencrypted payload \(encoding "json\/plain"\)/);
  await assert.rejects(worker.decode([{ metadata: {}, data: new Uint8Array() }]), /unencrypted/);
  const [encrypted] = await worker.encode([plain]);
  assert.deepEqual(await worker.decode([encrypted!]), [
    temporal.api.common.v1.Payload.decode(temporal.api.common.v1.Payload.encode(plain).finish()),
  ]);
  assert.deepEqual(await createDataConverter(cfg).payloadCodecs![0]!.decode([plain]), [plain]);
  const dev = createDataConverter({ ...cfg, NODE_ENV: 'development' }, 'worker').payloadCodecs![0]!;
  assert.deepEqual(await dev.decode([plain]), [plain]);
});
