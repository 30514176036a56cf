// The other-channel sales import (tax/salesImport.ts) and its CLI (`tax import`, cli/taxImport.ts): every row
// validated on its own with its row number, field and message; accepted rows as tax_sales_lines input; the CLI posts
// CSV as text/csv and JSON as JSON, prints the errors and exits 1 when a row was rejected.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { runCli } from '../../cli/main';
import { salesImportRows, validateSalesImport } from '../../tax/salesImport';

const HEADER =
  'channel,order_id,line_id,kind,occurred_at,ship_to_state,ship_to_zip,quantity,gross,seller_discount,item_tax,collected_by,fulfilled_by,refund_of_line_id';
const CSV = [
  HEADER,
  'shopify,S-1,1,sale,2026-10-03T15:00:00Z,TX,78701,2,80.00,8.00,5.94,seller,3pl,',
  'shopify,S-1,1,refund,2026-11-02,TX,78701,1,-40.00,-4.00,-2.97,seller,3pl,1',
  'tiktok,T-1,1,sale,2026-10-03,CA,90012,1,40.00,,,tiktok,fbt,',
  'shopify,S-2,1,sale,2026-10-04,CA,78701,1,forty,,,seller,seller,',
  'wholesale,W-1,1,refund,2026-10-05,NY,10001,1,12.00,,,none,seller,',
].join('\n');

test('CSV rows: accepted ones mapped, rejected ones with row, field and message', () => {
  const result = validateSalesImport('shop-1', salesImportRows('csv', CSV));
  assert.deepEqual(
    result.accepted.map((l) => [
      l.orderId,
      l.kind,
      l.gross,
      l.sellerDiscount,
      l.itemTax,
      l.platformDiscount,
      l.occurredAt,
    ]),
    [
      ['S-1', 'sale', '80.00', '8.00', '5.94', '0.00', '2026-10-03T15:00:00Z'],
      ['S-1', 'refund', '-40.00', '-4.00', '-2.97', '0.00', '2026-11-02T12:00:00Z'],
    ],
  );
  assert.equal(result.accepted[1]?.refundOfLineId, '1');
  assert.equal(result.accepted[0]?.source, 'import');
  const errors = result.rejected.flatMap((r) => r.errors);
  assert.deepEqual(
    errors.map((e) => [e.row, e.field]),
    [
      [3, 'channel'],
      [4, 'gross'],
      [5, 'gross'],
      [5, 'refund_of_line_id'],
    ],
  );
  assert.match(errors[0]!.message, /Finance API/);
  assert.equal(result.rejected[2]?.raw.order_id, 'W-1');
  // The ZIP in another state is caught once the row's own fields pass.
  const zip = validateSalesImport('shop-1', [
    {
      channel: 'shopify',
      order_id: 'S-3',
      line_id: 'a',
      kind: 'sale',
      occurred_at: '2026-10-04',
      ship_to_state: 'CA',
      ship_to_zip: '78701',
      quantity: 1,
      gross: 10,
      collected_by: 'seller',
      fulfilled_by: 'seller',
    },
  ]);
  assert.deepEqual(zip.rejected[0]?.errors, [{ row: 1, field: 'ship_to_zip', message: 'ZIP 78701 is in TX, not CA' }]);
});

test('JSON: an array or {rows}; a duplicate order/line/kind is refused', () => {
  const row = {
    channel: 'site',
    order_id: 'X',
    line_id: 1,
    kind: 'withdrawal',
    occurred_at: '2026-10-04',
    ship_to_state: 'tx',
    ship_to_zip: 78701,
    quantity: 3,
    gross: 30,
    collected_by: 'none',
    fulfilled_by: 'seller',
  };
  const rows = salesImportRows('json', JSON.stringify({ rows: [row, row] }));
  const result = validateSalesImport('s', rows);
  assert.equal(result.accepted.length, 1);
  assert.equal(result.accepted[0]?.shipToState, 'TX');
  assert.equal(result.accepted[0]?.gross, '30.00');
  assert.deepEqual(result.rejected[0]?.errors, [
    { row: 2, field: 'line_id', message: 'this order, line and kind appear twice' },
  ]);
  assert.throws(() => salesImportRows('json', '{"x":1}'), /array of rows/);
});

test('tax import: CSV as text/csv, errors printed, exit 1 when a row was rejected', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tax-import-'));
  const file = path.join(dir, 'sales.csv');
  fs.writeFileSync(file, CSV);
  const sent: { url: string; type: string | null; body: string }[] = [];
  let stdout = '';
  let stderr = '';
  const answer = {
    shopId: 'shop-1',
    rows: 5,
    accepted: 2,
    rejected: 3,
    errors: [{ row: 3, field: 'channel', message: 'no tiktok' }],
  };
  const code = await runCli(['tax', 'import', file, '--shop', 'shop-1'], {
    stdout: (s) => (stdout += s),
    stderr: (s) => (stderr += s),
    target: () => ({ baseUrl: 'http://api.test:3000', apiKey: 'tso_test' }),
    fetch: (url, init) => {
      sent.push({
        url: url instanceof Request ? url.url : url.toString(),
        type: new Headers(init?.headers).get('content-type'),
        body: init?.body as string,
      });
      return Promise.resolve(new Response(JSON.stringify(answer), { status: 200 }));
    },
  });
  assert.equal(code, 1);
  assert.deepEqual(sent, [
    { url: 'http://api.test:3000/v1/shops/shop-1/tax/sales-imports', type: 'text/csv', body: CSV },
  ]);
  assert.match(stdout, /Shop shop-1: 2 of 5 rows imported, 3 rejected/);
  assert.match(stdout, /3 +channel +no tiktok/);
  assert.match(stderr, /RowsRejected: 3 of 5 rows rejected/);
  fs.rmSync(dir, { recursive: true });
});
