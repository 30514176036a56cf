// The certificate vault over HTTP and the CLI (api/routes/certificates.ts, cli/certificates.ts; issue 19 item 1):
// documents typed by content within TikTok's upload limits, metadata validated against its document type, listed by
// how soon they expire, corrected, deleted softly; scoped to their shop.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { runCli } from '../../cli/main';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { PDF_BYTES, pngHeader, pngImage } from '../helpers/imageBytes';

const MB = 1024 * 1024;
const sha256 = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');
const inDays = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);

describe('certificate vault API', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  const shopA = uniqueId('vaultA');
  const shopB = uniqueId('vaultB');
  let operatorA: string;
  let operatorB: string;
  const fda = { documentType: 'fda_food_facility_registration', issuer: 'US FDA', identifier: '123-4567-8901' };

  const upload = async (
    shopId: string,
    key: string,
    file: { bytes: Buffer; name: string; type?: string },
    fields: Record<string, string>,
  ) => {
    const form = new FormData();
    form.append(
      'file',
      new Blob([new Uint8Array(file.bytes)], { type: file.type ?? 'application/octet-stream' }),
      file.name,
    );
    for (const [name, value] of Object.entries(fields)) form.append(name, value);
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${key}` },
      body: form,
    });
    return { status: res.status, json: (await res.json()) as any };
  };
  const call = async (method: string, url: string, key: string, body?: unknown) => {
    const res = await fetch(`${stack.baseUrl}${url}`, {
      method,
      headers: { authorization: `Bearer ${key}`, ...(body ? { 'content-type': 'application/json' } : {}) },
      body: body ? JSON.stringify(body) : undefined,
    });
    return { status: res.status, json: (await res.json()) as any };
  };

  before(async () => {
    env = await devServerEnv();
    // Above TikTok's 20 MB for PDFs, so the image limit (10 MB) is what refuses the oversize image below.
    stack = await startTestStack(env, { FILE_MAX_BYTES: String(30 * MB) });
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

  test('a PDF with its metadata → 201; the identifier normalized, the bytes served back as they came', async () => {
    const res = await upload(
      shopA,
      operatorA,
      { bytes: PDF_BYTES, name: 'fda.pdf' },
      { ...fda, expiresOn: inDays(20) },
    );
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.deepEqual(
      [res.json.documentType, res.json.identifier, res.json.issuer, res.json.expiresOn, res.json.daysLeft],
      ['fda_food_facility_registration', '12345678901', 'US FDA', inDays(20), 20],
    );
    assert.deepEqual(
      [res.json.fileId, res.json.mimeType, res.json.createdBy],
      [sha256(PDF_BYTES), 'application/pdf', `ops-${shopA}`],
    );
    const got = await fetch(`${stack.baseUrl}${res.json.content}`, {
      headers: { authorization: `Bearer ${operatorA}` },
    });
    assert.equal(got.status, 200);
    assert.equal(got.headers.get('content-type'), 'application/pdf');
    assert.ok(Buffer.from(await got.arrayBuffer()).equals(PDF_BYTES));
    // Another shop's key sees nothing of it.
    assert.equal(
      (await call('GET', `/v1/shops/${shopA}/certificates/${res.json.certificateId}`, operatorB)).status,
      404,
    );
  });

  test('a PNG (named .pdf) is taken as a PNG; metadata may come as JSON in "metadata"', async () => {
    const png = pngImage(800, 600, 7);
    const metadata = {
      documentType: 'ul_certificate',
      issuer: 'UL',
      product: 'Charger X',
      identifier: 'e123456',
      issuedOn: '2025-01-10',
      expiresOn: inDays(400),
    };
    const res = await upload(
      shopA,
      operatorA,
      { bytes: png, name: 'ul.pdf', type: 'application/pdf' },
      { metadata: JSON.stringify(metadata), categories: 'electronics, household_appliances' },
    );
    assert.equal(res.status, 201, JSON.stringify(res.json));
    assert.deepEqual(
      [res.json.mimeType, res.json.identifier, res.json.categories],
      ['image/png', 'E123456', ['electronics', 'household_appliances']],
    );
  });

  test('refused: a text file named .pdf (415), an image over 10 MB (413), a tiny image (422), bad metadata (422)', async () => {
    const text = await upload(
      shopA,
      operatorA,
      { bytes: Buffer.from('not a certificate\n'), name: 'cert.pdf', type: 'application/pdf' },
      fda,
    );
    assert.deepEqual([text.status, text.json.error.code], [415, 'unsupported_file_type']);
    const big = Buffer.concat([pngHeader(1000, 1000), Buffer.alloc(10 * MB)]);
    const oversize = await upload(shopA, operatorA, { bytes: big, name: 'big.png' }, { ...fda, expiresOn: inDays(90) });
    assert.deepEqual([oversize.status, oversize.json.error.code], [413, 'file_too_large']);
    assert.match(oversize.json.error.message, /at most 10485760 bytes/);
    const tiny = await upload(
      shopA,
      operatorA,
      { bytes: pngImage(50, 50, 1), name: 't.png' },
      { ...fda, expiresOn: inDays(90) },
    );
    assert.deepEqual([tiny.status, tiny.json.error.code], [422, 'unusable_file']);
    const badId = await upload(
      shopA,
      operatorA,
      { bytes: PDF_BYTES, name: 'fda.pdf' },
      { ...fda, identifier: '12345', expiresOn: '2026-02-30' },
    );
    assert.deepEqual([badId.status, badId.json.error.code], [422, 'invalid_certificate']);
    assert.match(
      badId.json.error.message,
      /^identifier: "12345" is not a valid FDA registration number \(e.g. 12345678901\); expiresOn: expiresOn must be a calendar day/,
    );
    const unknownField = await upload(
      shopA,
      operatorA,
      { bytes: PDF_BYTES, name: 'fda.pdf' },
      { ...fda, colour: 'red' },
    );
    assert.equal(unknownField.status, 400);
    // Nothing of the refused uploads was recorded.
    const list = await call('GET', `/v1/shops/${shopA}/certificates?type=fda_food_facility_registration`, operatorA);
    assert.equal(list.json.certificates.length, 1);
  });

  test('expiring within 30 days: soonest first, expired included, later and undated left out; PATCH and soft DELETE', async () => {
    const coa = {
      documentType: 'certificate_of_analysis',
      issuer: 'Eurofins',
      product: 'Vitamin D3',
      lot: 'L-7',
      issuedOn: inDays(-400),
    };
    const expired = await upload(
      shopB,
      operatorB,
      { bytes: PDF_BYTES, name: 'a.pdf' },
      { ...coa, expiresOn: inDays(-2) },
    );
    const soon = await upload(
      shopB,
      operatorB,
      { bytes: PDF_BYTES, name: 'b.pdf' },
      { ...coa, lot: 'L-8', expiresOn: inDays(30) },
    );
    const later = await upload(
      shopB,
      operatorB,
      { bytes: PDF_BYTES, name: 'c.pdf' },
      { ...coa, lot: 'L-9', expiresOn: inDays(31) },
    );
    const undated = await upload(shopB, operatorB, { bytes: PDF_BYTES, name: 'd.pdf' }, { ...coa, lot: 'L-10' });
    for (const r of [expired, soon, later, undated]) assert.equal(r.status, 201, JSON.stringify(r.json));
    const ids = (json: any) => json.certificates.map((c: { certificateId: string }) => c.certificateId);
    const within = await call('GET', `/v1/shops/${shopB}/certificates?expiringWithinDays=30`, operatorB);
    assert.deepEqual(ids(within.json), [expired.json.certificateId, soon.json.certificateId]);
    assert.deepEqual(
      within.json.certificates.map((c: { daysLeft: number }) => c.daysLeft),
      [-2, 30],
    );
    const all = await call('GET', `/v1/shops/${shopB}/certificates`, operatorB);
    assert.deepEqual(ids(all.json), [
      expired.json.certificateId,
      soon.json.certificateId,
      later.json.certificateId,
      undated.json.certificateId,
    ]);

    // A correction is validated whole: clearing a required field is refused, a new expiry is taken.
    const cleared = await call('PATCH', `/v1/shops/${shopB}/certificates/${soon.json.certificateId}`, operatorB, {
      lot: null,
    });
    assert.deepEqual(
      [cleared.status, cleared.json.error.message],
      [422, 'lot: Certificate of Analysis (third-party lab) needs lot'],
    );
    const renewed = await call('PATCH', `/v1/shops/${shopB}/certificates/${soon.json.certificateId}`, operatorB, {
      expiresOn: inDays(365),
    });
    assert.equal(renewed.status, 200, JSON.stringify(renewed.json));
    assert.deepEqual(
      [renewed.json.expiresOn, renewed.json.updatedBy, renewed.json.lot],
      [inDays(365), `ops-${shopB}`, 'L-8'],
    );

    const deleted = await call('DELETE', `/v1/shops/${shopB}/certificates/${expired.json.certificateId}`, operatorB);
    assert.deepEqual([deleted.status, deleted.json.deletedBy], [200, `ops-${shopB}`]);
    const after = await call('GET', `/v1/shops/${shopB}/certificates?expiringWithinDays=30`, operatorB);
    assert.deepEqual(ids(after.json), []);
    // Kept for audit: still readable by id, and listed on request.
    const kept = await call('GET', `/v1/shops/${shopB}/certificates/${expired.json.certificateId}`, operatorB);
    assert.ok(kept.json.deletedAt);
    const withDeleted = await call(
      'GET',
      `/v1/shops/${shopB}/certificates?expiringWithinDays=30&includeDeleted=true`,
      operatorB,
    );
    assert.deepEqual(ids(withDeleted.json), [expired.json.certificateId]);
    const patchDeleted = await call(
      'PATCH',
      `/v1/shops/${shopB}/certificates/${expired.json.certificateId}`,
      operatorB,
      { note: 'x' },
    );
    assert.equal(patchDeleted.status, 409);
  });

  test("a category's requirements checked against the vault: satisfied, expired, absent", async () => {
    // Shop B (test above): Certificates of Analysis, one expired and deleted, the others valid; nothing else.
    const res = await call('GET', `/v1/shops/${shopB}/category-requirements/dietary_supplements`, operatorB);
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual([res.json.label, res.json.unverified], ['Dietary Supplements', true]);
    assert.deepEqual(
      res.json.satisfied.map((d: { documentType: string; expiresOn?: string }) => [d.documentType, d.expiresOn]),
      [['certificate_of_analysis', undefined]],
    );
    assert.deepEqual(
      res.json.missing.map((d: { documentType: string; reason: string }) => [d.documentType, d.reason]),
      [
        ['fda_food_facility_registration', 'absent'],
        ['brand_authorization', 'absent'],
      ],
    );
    assert.equal((await call('GET', `/v1/shops/${shopB}/category-requirements/fireworks`, operatorB)).status, 404);
  });

  test('CLI: certificates upload, list --expiring-within, show', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'vault-'));
    const file = path.join(dir, 'fcc.pdf');
    fs.writeFileSync(file, PDF_BYTES);
    const run = async (...argv: string[]) => {
      let out = '';
      let err = '';
      const code = await runCli(argv, {
        stdout: (s) => (out += s),
        stderr: (s) => (err += s),
        target: () => ({ baseUrl: stack.baseUrl, apiKey: operatorA }),
      });
      return { code, out, err };
    };
    const up = await run(
      'certificates',
      'upload',
      shopA,
      file,
      '--type',
      'fcc_authorization',
      '--issuer',
      'FCC',
      '--product',
      'Speaker S1',
      '--identifier',
      '2ABCD-S1',
      '--issued-on',
      '2025-03-01',
      '--expires-on',
      inDays(10),
      '--json',
    );
    assert.equal(up.code, 0, up.err + up.out);
    const created = JSON.parse(up.out);
    assert.equal(created.identifier, '2ABCD-S1');
    const list = await run('certificates', 'list', shopA, '--expiring-within', '15');
    assert.equal(list.code, 0, list.err);
    assert.match(list.out, new RegExp(`${created.certificateId}.*2ABCD-S1.*10 d left`));
    const show = await run('certificates', 'show', shopA, created.certificateId);
    assert.match(show.out, /FCC equipment authorization \(grant\)/);
    assert.match(show.out, /identifier: 2ABCD-S1/);
    const bad = await run('certificates', 'upload', shopA, file, '--type', 'fcc_authorization', '--issuer', 'FCC');
    assert.equal(bad.code, 1);
    assert.match(bad.err, /422 invalid_certificate: product: .*identifier/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
