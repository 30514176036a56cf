// The file store over HTTP (api/routes/files.ts, issue 15 item 4): one multipart upload route whose type check reads
// the content, 413 over FILE_MAX_BYTES (kept as a dead letter of hash + first 4 KB), files sealed at rest and scoped to
// their shop.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { REAL_JPEG_16, pngImage } from '../helpers/imageBytes';

const MAX_BYTES = 64 * 1024;
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('files API', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopA = uniqueId('filesA');
  const shopB = uniqueId('filesB');
  let operatorA: string;
  let operatorB: string;
  const photo = pngImage(800, 600, 42);

  /** POSTs a multipart form: a file part (bytes, name, claimed type) and text fields. */
  const upload = async (
    shopId: string,
    key: string,
    file: { bytes: Buffer; name: string; type: string; field?: string } | null,
    fields: Record<string, string> = {},
  ) => {
    const form = new FormData();
    if (file) form.append(file.field ?? 'file', new Blob([file.bytes], { type: file.type }), file.name);
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/files`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: res.status, json: (await res.json()) as any, headers: res.headers };
  };
  const download = (shopId: string, fileId: string, key: string) =>
    fetch(`${stack.baseUrl}/v1/shops/${shopId}/files/${fileId}/content`, {
      headers: { authorization: `Bearer ${key}` },
    });

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env, { FILE_MAX_BYTES: String(MAX_BYTES) });
    for (const shopId of [shopA, shopB]) {
      const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: shopId });
      assert.equal(res.status, 201, JSON.stringify(res.json));
    }
    const key = async (shopId: string) =>
      (await stack.call('POST', '/v1/api-keys', { name: `ops-${shopId}`, role: 'operator', shopIds: [shopId] })).json
        .key as string;
    operatorA = await key(shopA);
    operatorB = await key(shopB);
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('upload → 201 with the SHA-256 as id; the download is the same bytes, typed by content', async () => {
    // The client calls it a JPEG named evidence.jpg: the store goes by the bytes (a PNG).
    const res = await upload(shopA, operatorA, { bytes: photo, name: 'evidence.jpg', type: 'image/jpeg' });
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.equal(res.json.fileId, sha256(photo));
    assert.deepEqual(
      [res.json.shopId, res.json.mimeType, res.json.sizeBytes, res.json.width, res.json.height, res.json.purpose],
      [shopA, 'image/png', photo.length, 800, 600, 'evidence'],
    );
    assert.equal(res.json.createdBy, `ops-${shopA}`);
    assert.equal(res.headers.get('location'), `/v1/shops/${shopA}/files/${sha256(photo)}`);

    const got = await download(shopA, res.json.fileId, operatorA);
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'image/png');
    assert.equal(got.headers.get('x-content-type-options'), 'nosniff');
    assert.match(
      got.headers.get('content-disposition') ?? '',
      new RegExp(`attachment; filename="${sha256(photo)}.png"`),
    );
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(photo));

    const meta = await stack.call('GET', `/v1/shops/${shopA}/files/${res.json.fileId}`, undefined, operatorA);
    assert.equal(meta.status, 200);
    assert.deepEqual(meta.json, res.json);
    const list = await stack.call('GET', `/v1/shops/${shopA}/files?purpose=evidence`, undefined, operatorA);
    assert.deepEqual(
      list.json.files.map((f: { fileId: string }) => f.fileId),
      [sha256(photo)],
    );

    // The same bytes again: the same file (200), not a second one.
    const again = await upload(shopA, operatorA, { bytes: photo, name: 'again.png', type: 'image/png' });
    assert.equal(again.status, 200);
    assert.equal(again.json.fileId, res.json.fileId);
  });

  test('bytes at rest are sealed: the row holds neither the file nor its header', async () => {
    const rows = await stack.database.db('stored_files').where({ shop_id: shopA });
    assert.equal(rows.length, 1);
    const sealed = rows[0].sealed as Buffer;
    assert.ok(sealed.length >= photo.length);
    assert.equal(sealed.indexOf(photo.subarray(0, 16)), -1);
    assert.equal(sealed.indexOf(photo.subarray(photo.length - 16)), -1);
  });

  test("another shop's key gets 404 for the file, its content and the shop's list", async () => {
    const id = sha256(photo);
    for (const path of [`/files/${id}`, `/files/${id}/content`, '/files']) {
      const res = await stack.call('GET', `/v1/shops/${shopA}${path}`, undefined, operatorB);
      assert.equal(res.status, 404, path);
    }
    // Asked about its own shop, B's key does not find A's file either.
    assert.equal((await download(shopB, id, operatorB)).status, 404);
    assert.deepEqual((await stack.call('GET', `/v1/shops/${shopB}/files`, undefined, operatorB)).json.files, []);
    // Nor can it upload into A.
    const res = await upload(shopA, operatorB, { bytes: photo, name: 'x.png', type: 'image/png' });
    assert.equal(res.status, 404);
  });

  test('413 over FILE_MAX_BYTES, kept as a dead letter of the whole file’s hash and its first 4 KB', async () => {
    const big = crypto.randomBytes(MAX_BYTES + 5000);
    const res = await upload(shopA, operatorA, { bytes: big, name: 'huge.png', type: 'image/png' });
    assert.equal(res.status, 413);
    assert.equal(res.json.error.code, 'file_too_large');
    assert.match(res.json.error.message, new RegExp(`${big.length} bytes; at most ${MAX_BYTES}`));
    const letter = await stack.database
      .db('dead_letters')
      .where({ source: 'api:POST /v1/shops/:shopId/files', shop_id: shopA })
      .first();
    assert.ok(letter);
    assert.equal(letter.raw_kept, false);
    assert.equal(letter.body_sha256, sha256(big));
    assert.equal(letter.body_bytes, big.length);
    assert.ok(Buffer.from(letter.raw_body, 'base64').equals(big.subarray(0, 4096)));
    // Exactly the cap is taken.
    const atCap = Buffer.concat([pngImage(100, 100), Buffer.alloc(MAX_BYTES - pngImage(100, 100).length)]);
    assert.equal((await upload(shopA, operatorA, { bytes: atCap, name: 'cap.png', type: 'image/png' })).status, 201);
  });

  test('415 for a text file named .png and sent as image/png, and for a body that is not multipart', async () => {
    const text = Buffer.from('this is a shopping list, not a photo\n');
    const res = await upload(shopA, operatorA, { bytes: text, name: 'photo.png', type: 'image/png' });
    assert.equal(res.status, 415);
    assert.equal(res.json.error.code, 'unsupported_file_type');
    const json = await stack.call('POST', `/v1/shops/${shopA}/files`, { file: 'aGVsbG8=' }, operatorA);
    assert.equal(json.status, 415);
    assert.match(json.json.error.message, /multipart\/form-data/);
  });

  test("JSON is no upload: 415 for another purpose, 400 for an appeal's evidence (the product writes it)", async () => {
    const json = { bytes: Buffer.from('{"breaches": []}'), name: 'evidence.json', type: 'application/json' };
    const report = await upload(shopA, operatorA, json, { purpose: 'report' });
    assert.deepEqual([report.status, report.json.error.code], [415, 'unsupported_file_type']);
    const evidence = await upload(shopA, operatorA, json, { purpose: 'appeal-evidence' });
    assert.equal(evidence.status, 400);
    assert.match(evidence.json.error.message, /written by the product, not uploaded/);
  });

  test('400 without the file field; 422 for evidence TikTok would refuse (16 px), taken for another purpose', async () => {
    const none = await upload(shopA, operatorA, null, { purpose: 'evidence' });
    assert.equal(none.status, 400);
    assert.match(none.json.error.message, /multipart field "file"/);
    const elsewhere = await upload(shopA, operatorA, {
      bytes: photo,
      name: 'p.png',
      type: 'image/png',
      field: 'photo',
    });
    assert.equal(elsewhere.status, 400);

    const small = await upload(shopA, operatorA, { bytes: REAL_JPEG_16, name: 'tiny.jpg', type: 'image/jpeg' });
    assert.equal(small.status, 422);
    assert.match(small.json.error.message, /100–20000 px a side/);
    const report = await upload(
      shopA,
      operatorA,
      { bytes: REAL_JPEG_16, name: 'tiny.jpg', type: 'image/jpeg' },
      { purpose: 'report' },
    );
    assert.equal(report.status, 201);
    assert.deepEqual([report.json.mimeType, report.json.purpose], ['image/jpeg', 'report']);
  });
});
