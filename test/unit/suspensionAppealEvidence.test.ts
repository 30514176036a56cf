// Issue 18 item 2: the causes an appeal's evidence gives each late dispatch and each seller-fault cancellation (from
// our own event log), and account health listing every offending order when an appeal asks (a report lists 20).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { computeMetrics } from '../../accountHealth/metrics';
import { OFFENDING_ORDERS_CAP } from '../../accountHealth/model';
import { policyReader } from '../../accountHealth/policyReader';
import { cancellationCause, countCauses, hoursLate, lateDispatchCause } from '../../appeal/evidence';

const deadlines = { readyToShipBy: '2026-11-16T08:00:00.000Z', carrierScanBy: '2026-11-17T08:00:00.000Z' };

test('a late dispatch is blamed on its first late step: hand-off, packing, else the carrier', () => {
  const onTime = { handedToWarehouseAt: '2026-11-14T09:00:00.000Z', markedShippedAt: '2026-11-16T07:00:00.000Z' };
  assert.equal(lateDispatchCause({ ...deadlines, ...onTime }), 'carrier_pickup_late');
  assert.equal(
    lateDispatchCause({ ...deadlines, ...onTime, handedToWarehouseAt: '2026-11-16T08:00:01.000Z' }),
    'warehouse_hand_off_late',
  );
  assert.equal(
    lateDispatchCause({ ...deadlines, ...onTime, markedShippedAt: '2026-11-16T08:00:01.000Z' }),
    'warehouse_packing_late',
  );
  // Shipped exactly at the deadline is in time.
  assert.equal(
    lateDispatchCause({ ...deadlines, ...onTime, markedShippedAt: deadlines.readyToShipBy }),
    'carrier_pickup_late',
  );
  // Handed off but never marked shipped: the warehouse; neither recorded: unknown.
  assert.equal(lateDispatchCause({ ...deadlines, ...onTime, markedShippedAt: null }), 'warehouse_packing_late');
  assert.equal(lateDispatchCause({ ...deadlines, handedToWarehouseAt: null, markedShippedAt: null }), 'unknown');
  // No ready-to-ship deadline known: shipping after the carrier-scan deadline is the warehouse's.
  assert.equal(
    lateDispatchCause({ ...onTime, readyToShipBy: null, carrierScanBy: '2026-11-16T06:00:00.000Z' }),
    'warehouse_packing_late',
  );
  assert.equal(hoursLate(deadlines.carrierScanBy, '2026-11-17T15:30:00.000Z'), 7.5);
});

test('a seller-fault cancellation is blamed on stock, pricing or the SLA from TikTok’s reason and initiator', () => {
  assert.equal(
    cancellationCause({ cancelInitiator: 'SELLER', cancelReason: 'seller_cancel_reason_out_of_stock' }),
    'out_of_stock',
  );
  assert.equal(
    cancellationCause({ cancelInitiator: 'SELLER', cancelReason: 'seller_cancel_reason_pricing_error' }),
    'pricing_error',
  );
  assert.equal(
    cancellationCause({ cancelInitiator: 'SYSTEM', cancelReason: 'system_cancel_sla_timeout' }),
    'sla_auto_cancel',
  );
  assert.equal(cancellationCause({ cancelInitiator: 'SELLER', cancelReason: null }), 'seller_other');
  assert.deepEqual(countCauses(['b', 'a', 'b', 'c', 'a', 'b']), [
    { cause: 'b', orders: 3 },
    { cause: 'a', orders: 2 },
    { cause: 'c', orders: 1 },
  ]);
});

test('account health lists every offending order when asked (an appeal), 20 by default', () => {
  const asOf = new Date('2026-11-20T12:00:00.000Z');
  const dispatch = Array.from({ length: 25 }, (_, i) => ({
    order_id: `L${i}`,
    kind: 'dispatched',
    occurred_at: new Date(asOf.getTime() - (i + 1) * 3_600_000),
    on_time: false,
  }));
  const policy = policyReader('US', asOf);
  const ldr = (cap?: number) =>
    computeMetrics(policy, { asOf, facts: [], dispatch, ...(cap ? { offendingCap: cap } : {}) }).find(
      (m) => m.key === 'ldr',
    )!;
  assert.equal(ldr().offendingOrderIds.length, OFFENDING_ORDERS_CAP);
  assert.equal(ldr().offendingTotal, 25);
  const all = ldr(Number.MAX_SAFE_INTEGER);
  assert.deepEqual(
    all.offendingOrderIds,
    dispatch.map((d) => d.order_id),
  );
  assert.deepEqual([all.numerator, all.denominator], [25, 25]);
});
