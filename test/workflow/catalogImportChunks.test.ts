// Issue 12 item 3: a catalog import runs in checkpointed chunks that a retried attempt resumes from its heartbeat
// details, and an import over CATALOG_IMPORT_MAX_ROWS is refused with a JSON 413, dead-lettered as a hash and 4 KB.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { MockActivityEnvironment, type TestWorkflowEnvironment } from '@temporalio/testing';
import { CATALOG_IMPORT_CHUNK, createCatalogImportActivities } from '../../activities/catalogImport';
import type { TikTokClient, TikTokRequest } from '../../integrations/tiktok/client';
import { endpoints } from '../../integrations/tiktok/endpoints';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { startTestStack, type TestStack } from '../helpers/stack';
import { devServerEnv, testConfig, uniqueId } from '../helpers/temporal';

describe('catalog import: checkpointed chunks and the row cap', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env, { CATALOG_IMPORT_MAX_ROWS: '3' });
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('an attempt that fails mid-import is resumed at its checkpoint; finished chunks are not done again', async () => {
    const shopId = uniqueId('shop');
    // 120 SKUs of 12 products (10 each) and one seller_sku TikTok does not know: 121 rows, 3 chunks of 50 SKUs.
    const skus = Array.from({ length: 120 }, (_, i) => `SKU-${i}`);
    const lines = ['parent_key,seller_sku', ...skus.map((s, i) => `G${Math.floor(i / 10)},${s}`)];
    lines.splice(60, 0, 'G5,NOPE-1');
    const importId = `imp_${crypto.randomBytes(16).toString('hex')}`;
    await stack.database
      .db('catalog_import_reports')
      .insert({ id: importId, shop_id: shopId, format: 'csv', source: lines.join('\n') });

    const searches: string[][] = [];
    const productReads: string[] = [];
    let failOnSearch: number | undefined;
    const client = {
      appKey: 'k',
      request: (req: TikTokRequest<never>) => {
        if (req.path === endpoints.searchProducts.path) {
          const wanted = (req.body as { seller_skus: string[] }).seller_skus;
          searches.push(wanted);
          if (searches.length === failOnSearch) return Promise.reject(new Error('worker lost mid-import'));
          const ids = [...new Set(wanted.filter((s) => s.startsWith('SKU-')).map((s) => productOf(s)))];
          return Promise.resolve({ products: ids.map((id) => ({ id })), next_page_token: '' });
        }
        if (req.path === endpoints.getProduct.path) {
          const id = req.pathParams!.product_id!;
          productReads.push(id);
          const n = Number(id.slice(2));
          const skusOfProduct = skus.slice(n * 10, n * 10 + 10);
          return Promise.resolve({
            id,
            title: `Product ${n}`,
            skus: skusOfProduct.map((s) => ({ id: `t-${s}`, seller_sku: s, inventory: [{ warehouse_id: 'w1' }] })),
          });
        }
        return Promise.reject(new Error(`unexpected call ${req.path}`));
      },
    } as unknown as TikTokClient;
    const activities = createCatalogImportActivities({
      cfg: testConfig(),
      db: stack.database.db,
      temporal: stack.client,
      tiktok: { client },
      tokens: { shopRef: (id: string) => Promise.resolve({ shopId: id, shopCipher: 'c' }) } as unknown as TokenStore,
    });

    // Attempt 1 fails on the third chunk's search, after chunks 0 and 1 were stored.
    failOnSearch = 3;
    const first = new MockActivityEnvironment({ attempt: 1 });
    const beats: unknown[] = [];
    first.on('heartbeat', (d: unknown) => beats.push(d));
    await assert.rejects(
      first.run((i: { shopId: string; importId: string }) => activities.importCatalog(i), { shopId, importId }),
      /worker lost mid-import/,
    );
    assert.deepEqual(beats.at(-1), { importId, nextChunk: 2, chunks: 3 });
    const stored = await stack.database.db('catalog_items').where({ shop_id: shopId }).count('* as n');
    assert.equal(Number(stored[0]!.n), 2 * CATALOG_IMPORT_CHUNK - 1, 'chunks 0 and 1 stored (NOPE-1 rejected)');

    // Attempt 2 gets the last heartbeat's details, as Temporal hands them to a retry.
    failOnSearch = undefined;
    const searchesBefore = searches.length;
    const readsBefore = productReads.length;
    const second = new MockActivityEnvironment({ attempt: 2, heartbeatDetails: beats.at(-1) });
    const result = await second.run((i: { shopId: string; importId: string }) => activities.importCatalog(i), {
      shopId,
      importId,
    });
    assert.deepEqual(
      searches.slice(searchesBefore),
      [skus.slice(99)],
      'only the last chunk is searched again (its 21 SKUs)',
    );
    assert.deepEqual(
      productReads.slice(readsBefore),
      ['P-9', 'P-10', 'P-11'],
      'only the last chunk’s products are read (P-9 holds SKUs of chunks 1 and 2)',
    );
    assert.deepEqual(result, { rowsTotal: 121, rowsImported: 120, rowsRejected: 1 });
    const report = await stack.database.db('catalog_import_reports').where({ id: importId }).first();
    assert.equal(report.status, 'completed');
    assert.deepEqual(
      report.errors.map((e: { sellerSku: string; code: string }) => [e.sellerSku, e.code]),
      [['NOPE-1', 'unknown_seller_sku']],
      'the rejected row is reported once',
    );
    const items = await stack.database.db('catalog_items').where({ shop_id: shopId }).count('* as n');
    assert.equal(Number(items[0]!.n), 120);
  });

  test('over CATALOG_IMPORT_MAX_ROWS: a JSON 413, and the dead letter keeps only a sha256 and the first 4 KB', async () => {
    const shopId = uniqueId('shop');
    // 4 variant rows, padded so the body is well over 4 KB.
    const pad = 'x'.repeat(3000);
    const csv = ['parent_key,seller_sku,note', ...[1, 2, 3, 4].map((i) => `G,BIG-${i},${pad}`)].join('\n');
    const res = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/catalog/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(res.status, 413);
    assert.match(res.headers.get('content-type') ?? '', /application\/json/);
    const body = (await res.json()) as { error: { code: string; message: string } };
    assert.equal(body.error.code, 'catalog_too_large');
    assert.match(body.error.message, /4 variant rows; at most 3/);

    const row = await stack.database
      .db('dead_letters')
      .where({ source: 'api:POST /v1/shops/:shopId/catalog/imports' })
      .orderBy('id', 'desc')
      .first();
    assert.ok(row, 'the refused import is dead-lettered');
    assert.equal(row.raw_body, csv.slice(0, 4096));
    assert.equal(row.details.sha256, crypto.createHash('sha256').update(csv).digest('hex'));
    assert.equal(row.details.bytes, Buffer.byteLength(csv));
    assert.equal(row.details.rows, 4);
    assert.equal(row.body_sha256, row.details.sha256, 'the row’s hash is the whole body’s');
    assert.equal(row.body_bytes, Buffer.byteLength(csv));
    assert.equal(row.raw_kept, false, 'marked as holding only a prefix');
    // The same export again counts on the same row.
    const again = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/catalog/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(again.status, 413);
    const rows = await stack.database.db('dead_letters').where({ body_sha256: row.body_sha256 });
    assert.deepEqual(
      rows.map((r: { id: string; count: number }) => [r.id, r.count]),
      [[row.id, 2]],
    );
    // Another shop's same export is its own row, in its own view.
    const otherShop = uniqueId('shop');
    const other = await fetch(`${stack.baseUrl}/v1/shops/${otherShop}/catalog/imports`, {
      method: 'POST',
      headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
      body: csv,
    });
    assert.equal(other.status, 413);
    const perShop = await stack.database
      .db('dead_letters')
      .where({ body_sha256: row.body_sha256 })
      .orderBy('id')
      .select('shop_id', 'count');
    assert.deepEqual(
      perShop.map((r: { shop_id: string; count: number }) => [r.shop_id, r.count]),
      [
        [shopId, 2],
        [otherShop, 1],
      ],
    );
    const reports = await stack.database.db('catalog_import_reports').where({ shop_id: shopId });
    assert.equal(reports.length, 0, 'nothing is imported');
  });
});

function productOf(sellerSku: string): string {
  return `P-${Math.floor(Number(sellerSku.slice(4)) / 10)}`;
}
