// Issue 20: TikTok-facilitated lines are never committed as seller liability. The type has no way to carry one (the
// ts-expect-error directives below fail the build if it ever does), and the guard refuses one read back from JSON.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  assertSellerOwed,
  NotSellerOwedError,
  refundTransactionCode,
  saleTransactionCode,
  type SellerOwedLine,
  type SellerOwedTransaction,
} from '../../integrations/taxEngines/types';

const line: SellerOwedLine = { lineId: '1', collector: 'seller', amount: 10, quantity: 1, salesTaxCollected: 0.8 };

test('a marketplace-collected line does not type-check as a seller-owed line', () => {
  // @ts-expect-error TikTok collects and remits on its lines: 'marketplace' is not a SellerOwedLine collector.
  const tiktokLine: SellerOwedLine = { ...line, collector: 'marketplace' };
  const tx: SellerOwedTransaction = {
    orderId: '1',
    date: '2026-11-01',
    customerCode: 'c',
    shipFrom: { region: 'CA', postalCode: '90012', country: 'US' },
    shipTo: { region: 'TX', postalCode: '78701', country: 'US' },
    shipping: 0,
    // @ts-expect-error a line without a collector is not seller-owed either.
    lines: [{ lineId: '2', amount: 1, quantity: 1, salesTaxCollected: 0 }],
  };
  assert.equal(tiktokLine.collector, 'marketplace');
  assert.equal(tx.lines.length, 1);
});

test('the guard refuses a transaction with any line the seller does not collect on, and an empty one', () => {
  assert.doesNotThrow(() => assertSellerOwed({ orderId: '1', lines: [line] }));
  const fromJson = JSON.parse(
    JSON.stringify({ orderId: '7', lines: [line, { ...line, lineId: '2', collector: 'marketplace' }] }),
  ) as { orderId: string; lines: SellerOwedLine[] };
  assert.throws(
    () => assertSellerOwed(fromJson),
    (err: unknown) => {
      assert.ok(err instanceof NotSellerOwedError);
      assert.match(err.message, /order 7 line 2: collected by marketplace/);
      return true;
    },
  );
  assert.throws(() => assertSellerOwed({ orderId: '8', lines: [] }), NotSellerOwedError);
});

test('transaction codes derive from the order and refund ids, in the characters both engines take', () => {
  assert.equal(saleTransactionCode('576461413038785752'), 'tts-576461413038785752');
  assert.equal(refundTransactionCode('4035 318/504'), 'tts-r-4035-318-504');
  assert.ok(saleTransactionCode('9'.repeat(80)).length <= 50);
});
