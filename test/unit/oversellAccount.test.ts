// The flash-sale benchmark's account of an oversold SKU: counts and the timeline that shows how it happened.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oversellAccount, type WarehouseEvent } from '../../bench/oversellAccount';

const start = 1_000_000;
const ev = (at: number, kind: WarehouseEvent['kind'], onHand: number, atp: number, orderId?: string) => ({
  at: start + at,
  sellerSku: 'A',
  kind,
  onHand,
  availableToPromise: atp,
  ...(orderId ? { orderId } : {}),
});

test('a unit TikTok sold before its hold reached the warehouse, then sold by the other channel, is accounted', () => {
  // Stock 3; TikTok sells o1, o2 and o3 (hold of o3 arrives 9 s late); the other channel sells one unit meanwhile.
  const lines = oversellAccount({
    skus: [
      { sellerSku: 'A', stock: 3 },
      { sellerSku: 'B', stock: 5 },
    ],
    tiktokSales: [
      { orderId: 'order-000001', sellerSku: 'A', placedAt: start + 1_000 },
      { orderId: 'order-000002', sellerSku: 'A', placedAt: start + 2_000 },
      { orderId: 'order-000003', sellerSku: 'A', placedAt: start + 3_000 },
      { orderId: 'order-000004', sellerSku: 'B', placedAt: start + 3_000 },
    ],
    warehouse: [
      ev(1_500, 'hold', 3, 2, 'order-000001'),
      ev(2_500, 'hold', 3, 1, 'order-000002'),
      ev(4_000, 'other_sale', 2, 0),
      ev(12_000, 'hold', 2, -1, 'order-000003'),
    ],
    pushes: [{ sellerSku: 'A', quantity: 0, requestedAt: start + 5_000, stockEventAt: start + 4_000 }],
    startedAt: start,
  });
  assert.equal(lines.length, 1, 'only A is oversold (B sold 1 of 5)');
  const line = lines[0]!;
  assert.match(line, /^oversold A: 1 unit\(s\); stock 3, TikTok sold 3, other channel 1; /);
  assert.match(line, /\+3\.0s tiktok sale 000003 \(hold \+9\.0s later\)/);
  assert.match(line, /\+4\.0s other sale \(on-hand 2, atp 0\)/);
  assert.match(line, /\+5\.0s feed pushes 0, \+1\.0s after its stock event/);
  // In time order: the late-held sale comes before the other channel's sale.
  assert.ok(line.indexOf('tiktok sale 000003') < line.indexOf('other sale'));
});

test('nothing oversold gives no lines', () => {
  assert.deepEqual(
    oversellAccount({
      skus: [{ sellerSku: 'A', stock: 3 }],
      tiktokSales: [{ orderId: 'o1', sellerSku: 'A', placedAt: start }],
      warehouse: [ev(10, 'other_sale', 2, 1)],
      pushes: [],
      startedAt: start,
    }),
    [],
  );
});
