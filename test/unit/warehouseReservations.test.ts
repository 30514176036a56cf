// The WMS contract's reservations (integrations/wms.ts): what the product sends, and the bench's warehouse model
// honouring them (bench/flashSaleWorld.ts): a held order's units are not sold by the other channel before its hand-off.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { sendWmsReservation, signWmsRequest, type WmsReservation } from '../../integrations/wms';
import { Warehouse, type SalePlan } from '../../bench/flashSaleWorld';

const plan: SalePlan = {
  seed: 1,
  skus: [{ sellerSku: 'A', parentKey: 'P', stock: 3, weight: 1 }],
  orders: [],
  otherChannel: [],
  durationMs: 1,
};

function warehouse(): Warehouse {
  return new Warehouse(
    plan,
    60_000,
    { shipped: () => Promise.resolve(), stockChanged: () => Promise.resolve() },
    () => undefined,
  );
}

describe('warehouse reservations (the bench warehouse honours the WMS contract)', () => {
  test('units held for an order seen but not handed off are not sold by the other channel', async () => {
    const w = warehouse();
    assert.equal(w.reserve('o1', ['A', 'A']), true);
    assert.equal(w.availableToPromise('A'), 1);
    assert.equal(await w.sellElsewhere('A'), true);
    assert.equal(await w.sellElsewhere('A'), false, 'the last 2 units are held for o1');
    assert.equal(w.onHand.get('A'), 2);
    await w.stop();
  });

  test('a repeated hold is one hold; the hand-off converts it (not counted twice); a cancelled order releases it', async () => {
    const w = warehouse();
    w.reserve('o1', ['A']);
    assert.equal(w.reserve('o1', ['A']), false, 'a repeat changes nothing');
    assert.equal(w.availableToPromise('A'), 2);
    assert.equal(w.receive('o1', ['A'], { delayMs: 60_000 }), true);
    assert.equal(w.availableToPromise('A'), 2, 'allocated once, no longer reserved');
    assert.equal(w.reserve('o1', ['A']), false, 'a late hold after the hand-off changes nothing');
    assert.equal(w.release('o1'), false, 'nothing to release once handed off');
    w.reserve('o2', ['A']);
    assert.equal(w.availableToPromise('A'), 1);
    assert.equal(w.release('o2'), true);
    assert.equal(w.release('o2'), false);
    assert.equal(w.availableToPromise('A'), 2);
    await w.stop();
  });
});

describe('the reservation request (integrations/wms.ts)', () => {
  test('signed like a hand-off, keyed per order and action, and a refusal throws', async () => {
    const sent: { url: string; init: RequestInit }[] = [];
    let status = 200;
    const fakeFetch = ((url: string, init: RequestInit) => {
      sent.push({ url, init });
      return Promise.resolve(new Response('ok', { status }));
    }) as unknown as typeof fetch;
    const reservation: WmsReservation = {
      action: 'hold',
      shopId: 's1',
      orderId: 'o1',
      lineItems: [{ lineItemId: 'l1', skuId: 'k1', sellerSku: 'A' }],
    };
    const target = { url: 'http://wms.test/orders', secret: 'secret-0123456789abcdef', fetch: fakeFetch };
    await sendWmsReservation(target, reservation);
    const { init } = sent[0]!;
    const headers = init.headers as Record<string, string>;
    assert.equal(headers['idempotency-key'], 'reservation:s1:o1:hold');
    assert.deepEqual(JSON.parse(init.body as string), { reservation });
    assert.equal(headers['x-signature'], signWmsRequest(target.secret, headers['x-timestamp']!, init.body as string));
    status = 503;
    await assert.rejects(sendWmsReservation(target, { ...reservation, action: 'release' }), /HTTP 503/);
  });
});
