// The file store (files/fileStore.ts, issue 15 item 4) on PostgreSQL: sealed at rest with the secrets keyring and
// opened with the key its row names (rotation), addressed by the SHA-256 of the content (the same bytes twice are one
// row whose expiry moves), one shop's files invisible to another, expired files deleted in batches.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createFileStore, FileTooLargeError, UnsupportedFileError } from '../../files/fileStore';
import type { Keyring } from '../../secrets/keyring';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { PDF_BYTES, REAL_JPEG_16, pngImage } from '../helpers/imageBytes';
import { uniqueId } from '../helpers/temporal';

const DAY = 86_400_000;
const ring = (...ids: string[]): Keyring => ({
  activeKeyId: ids[0]!,
  keys: new Map(ids.map((id) => [id, crypto.createHash('sha256').update(id).digest()])),
});

describe('file store', () => {
  let database: TestDatabase;
  let clock = Date.parse('2026-12-01T00:00:00Z');
  const shopA = uniqueId('shopA');
  const shopB = uniqueId('shopB');
  const photo = pngImage(640, 480, 7);
  const store = (keyring: Keyring, maxBytes = 64 * 1024) =>
    createFileStore({ db: database.db, keyring, maxBytes, retainDays: 400, now: () => clock });

  before(async () => {
    database = await testDatabase();
  });
  after(async () => {
    await database?.drop();
  });

  test('put: the id is the SHA-256 of the content; get answers the same bytes; the row holds no plaintext', async () => {
    const files = store(ring('k1'));
    const stored = await files.put(shopA, photo, { purpose: 'evidence', createdBy: 'ops' });
    assert.equal(stored.fileId, crypto.createHash('sha256').update(photo).digest('hex'));
    assert.deepEqual(
      [stored.created, stored.mimeType, stored.sizeBytes, stored.width, stored.height, stored.purpose],
      [true, 'image/png', photo.length, 640, 480, 'evidence'],
    );
    assert.equal(stored.expiresAt, new Date(clock + 400 * DAY).toISOString());
    const got = await files.get(shopA, stored.fileId);
    assert.ok(got);
    assert.ok(got.bytes.equals(photo));
    assert.deepEqual(got.file, await files.describe(shopA, stored.fileId));

    const row = await database.db('stored_files').where({ shop_id: shopA, file_id: stored.fileId }).first();
    assert.equal(row.key_id, 'k1');
    assert.ok(!row.sealed.equals(photo));
    assert.equal(row.sealed.indexOf(photo.subarray(0, 16)), -1, 'not even the PNG header is in clear');
    assert.equal(row.sealed.length, photo.length + 28, 'AES-256-GCM: 12-byte IV + ciphertext + 16-byte tag');
  });

  test('the same bytes again: one row, kept as first sealed, its expiry moved later', async () => {
    const files = store(ring('k1'));
    const first = await files.put(shopA, REAL_JPEG_16, { purpose: 'report', createdBy: 'ops' });
    const sealed = (await database.db('stored_files').where({ file_id: first.fileId }).first()).sealed as Buffer;
    clock += 10 * DAY;
    const again = await files.put(shopA, Buffer.from(REAL_JPEG_16), { purpose: 'report', createdBy: 'someone else' });
    assert.equal(again.created, false);
    assert.equal(again.fileId, first.fileId);
    assert.equal(again.createdBy, 'ops');
    assert.equal(again.expiresAt, new Date(clock + 400 * DAY).toISOString());
    const rows = await database.db('stored_files').where({ file_id: first.fileId });
    assert.equal(rows.length, 1);
    assert.ok(rows[0].sealed.equals(sealed), 'not sealed again');
    // A shorter retention on a later upload never shortens the expiry.
    const shorter = await files.put(shopA, REAL_JPEG_16, { purpose: 'report', createdBy: 'ops', retainDays: 1 });
    assert.equal(shorter.expiresAt, again.expiresAt);
  });

  test("shops are apart: the same bytes are a file of each shop; one shop's id finds nothing in another", async () => {
    const files = store(ring('k1'));
    const a = await files.put(shopA, PDF_BYTES, { purpose: 'certificate', createdBy: 'ops' });
    assert.equal(await files.get(shopB, a.fileId), undefined);
    assert.equal(await files.describe(shopB, a.fileId), undefined);
    assert.deepEqual(await files.list(shopB), []);
    const b = await files.put(shopB, PDF_BYTES, { purpose: 'certificate', createdBy: 'ops' });
    assert.equal(b.created, true);
    assert.equal(b.fileId, a.fileId);
    assert.deepEqual(
      (await files.list(shopA, { purpose: 'certificate' })).map((f) => [f.shopId, f.mimeType]),
      [[shopA, 'application/pdf']],
    );
    assert.equal(await files.get(shopA, 'not-a-file-id'), undefined);
  });

  test('key rotation: files sealed with an older key still open; new files use the active key', async () => {
    const old = await store(ring('k1')).put(shopA, pngImage(200, 200), { purpose: 'evidence', createdBy: 'ops' });
    const rotated = store(ring('k2', 'k1'));
    const opened = await rotated.get(shopA, old.fileId);
    assert.ok(opened?.bytes.equals(pngImage(200, 200)));
    const fresh = await rotated.put(shopA, pngImage(300, 200), { purpose: 'evidence', createdBy: 'ops' });
    const row = await database.db('stored_files').where({ shop_id: shopA, file_id: fresh.fileId }).first();
    assert.equal(row.key_id, 'k2');
    // Without the key its row names, the file cannot be opened (and says why).
    await assert.rejects(store(ring('k3')).get(shopA, old.fileId), /unknown key id "k1"/);
  });

  test('a sealed file swapped for another one is refused: the content must hash to its id', async () => {
    const files = store(ring('k1'));
    const one = await files.put(shopA, pngImage(101, 101), { purpose: 'evidence', createdBy: 'ops' });
    const two = await files.put(shopA, pngImage(102, 102), { purpose: 'evidence', createdBy: 'ops' });
    const sealedTwo = (await database.db('stored_files').where({ shop_id: shopA, file_id: two.fileId }).first())
      .sealed as Buffer;
    await database.db('stored_files').where({ shop_id: shopA, file_id: one.fileId }).update({ sealed: sealedTwo });
    await assert.rejects(files.get(shopA, one.fileId), /does not match its hash/);
  });

  test('refusals: over the cap, a type the purpose does not take, evidence outside TikTok’s pixel limits', async () => {
    const files = store(ring('k1'), 2048);
    await assert.rejects(
      files.put(shopA, Buffer.alloc(2049, 1), { purpose: 'evidence', createdBy: 'ops' }),
      (err: unknown) => err instanceof FileTooLargeError && err.sizeBytes === 2049 && err.maxBytes === 2048,
    );
    const refusedAs = (reason: string) => (err: unknown) =>
      err instanceof UnsupportedFileError && err.reason === reason;
    await assert.rejects(
      files.put(shopA, Buffer.from('plain text named photo.png'), { purpose: 'evidence', createdBy: 'ops' }),
      refusedAs('type'),
    );
    await assert.rejects(files.put(shopA, PDF_BYTES, { purpose: 'evidence', createdBy: 'ops' }), refusedAs('type'));
    await assert.rejects(
      files.put(shopA, REAL_JPEG_16, { purpose: 'evidence', createdBy: 'ops' }),
      refusedAs('dimensions'),
    );
    await assert.rejects(files.put(shopA, Buffer.alloc(0), { purpose: 'report', createdBy: 'ops' }), refusedAs('type'));
  });

  test('deleteExpired: files past their expiry go, at most `limit` at a time; others stay', async () => {
    const files = store(ring('k1'));
    const shop = uniqueId('shopC');
    clock = Date.parse('2027-01-01T00:00:00Z');
    const kept = await files.put(shop, pngImage(110, 110), { purpose: 'evidence', createdBy: 'ops', retainDays: 30 });
    for (const side of [111, 112, 113]) {
      await files.put(shop, pngImage(side, side), { purpose: 'evidence', createdBy: 'ops', retainDays: 1 });
    }
    const at = new Date(clock + 2 * DAY);
    assert.equal((await files.list(shop)).length, 4);
    // Other tests' files (400 days) are not expired at this date either.
    assert.equal(await files.deleteExpired(at, 2), 2);
    assert.equal(await files.deleteExpired(at, 2), 1);
    assert.equal(await files.deleteExpired(at, 2), 0);
    assert.deepEqual(
      (await files.list(shop)).map((f) => f.fileId),
      [kept.fileId],
    );
  });
});
