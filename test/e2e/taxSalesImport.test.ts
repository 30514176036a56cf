// The other-channel sales import through the HTTP API: accepted rows stored (a re-import replaces them), each
// rejected row answered with its errors and kept in the dead letters with the row itself, the import's days recorded
// as covered history (GET …/tax/coverage).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { SALES_IMPORT_SOURCE } from '../../api/routes/taxHistoryBackfill';
import { devServerEnv, uniqueId } from '../helpers/temporal';
import { startTestStack, type TestStack } from '../helpers/stack';

const CSV = [
  'channel,order_id,line_id,kind,occurred_at,ship_to_state,ship_to_zip,quantity,gross,item_tax,collected_by,fulfilled_by',
  'shopify,S-1,1,sale,2026-10-03T15:00:00Z,TX,78701,2,80.00,6.60,seller,3pl',
  'shopify,S-2,1,sale,2026-10-09,NY,10001,1,25.50,,seller,seller',
  'shopify,S-3,1,sale,2026-10-10,NY,1000,1,25.50,,seller,seller',
].join('\n');

describe('tax sales import through the HTTP API (dev server + PostgreSQL)', () => {
  let env: TestWorkflowEnvironment;
  let stack: TestStack;
  let shopId: string;

  before(async () => {
    env = await devServerEnv();
    stack = await startTestStack(env);
    shopId = uniqueId('taxImport');
    const res = await stack.call('POST', '/v1/shops', { shopId, region: 'US', displayName: shopId });
    assert.equal(res.status, 201, JSON.stringify(res.json));
  });
  after(async () => {
    await stack?.stop();
    await env?.teardown();
  });

  test('CSV: two rows in, one refused with its error and dead-lettered; coverage per channel', async () => {
    const post = async () => {
      const r = await fetch(`${stack.baseUrl}/v1/shops/${shopId}/tax/sales-imports`, {
        method: 'POST',
        headers: { authorization: `Bearer ${stack.adminKey}`, 'content-type': 'text/csv' },
        body: CSV,
      });
      return { status: r.status, json: await r.json() };
    };
    const res = await post();
    assert.equal(res.status, 200, JSON.stringify(res.json));
    assert.deepEqual(res.json, {
      shopId,
      rows: 3,
      accepted: 2,
      rejected: 1,
      errors: [{ row: 3, field: 'ship_to_zip', message: 'a ZIP code (12345 or 12345-6789)' }],
    });
    await post(); // a re-import replaces the same rows
    const lines = await stack.database
      .db('tax_sales_lines')
      .where({ shop_id: shopId })
      .orderBy('order_id')
      .select('order_id', 'channel', 'source', 'ship_to_state', 'gross', 'item_tax', 'collected_by');
    assert.deepEqual(lines, [
      {
        order_id: 'S-1',
        channel: 'shopify',
        source: 'import',
        ship_to_state: 'TX',
        gross: '80.00',
        item_tax: '6.60',
        collected_by: 'seller',
      },
      {
        order_id: 'S-2',
        channel: 'shopify',
        source: 'import',
        ship_to_state: 'NY',
        gross: '25.50',
        item_tax: '0.00',
        collected_by: 'seller',
      },
    ]);
    const dead = await stack.database
      .db('dead_letters')
      .where({ source: SALES_IMPORT_SOURCE, shop_id: shopId })
      .select('reason', 'raw_body');
    assert.equal(dead.length, 2, 'one dead letter per rejected row and import');
    assert.match(dead[0]!.reason, /^rejected sales row 3: ship_to_zip: /);
    assert.equal(JSON.parse(dead[0]!.raw_body).order_id, 'S-3');

    const coverage = await stack.call('GET', `/v1/shops/${shopId}/tax/coverage`);
    assert.deepEqual(coverage.json, {
      shopId,
      coverage: [{ source: 'import:shopify', from: '2026-10-03', to: '2026-10-09' }],
    });
    const bad = await stack.call('POST', `/v1/shops/${shopId}/tax/sales-imports`, { rows: 'x' });
    assert.equal(bad.status, 400);
  });
});
