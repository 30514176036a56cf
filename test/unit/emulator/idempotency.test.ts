// The emulator honours `idempotency_key` where the endpoint pages define it (the after-sales writes take it in the
// query, e.g. https://partner.tiktokshop.com/docv2/page/approve-cancellation-202309): a repeat with the same key
// returns the first outcome and applies nothing a second time.
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { APP_KEY, APP_SECRET, HOUR, admin, api, seedShop } from './helpers';
import type { Shop } from './helpers';

void describe('idempotency_key', () => {
  let em: RunningEmulator;
  let s: Shop;

  /** An order past the remorse window with a pending buyer cancellation request. */
  async function pendingCancellation(): Promise<{ orderId: string; cancelId: string }> {
    const o = await admin(em, '/orders', { shop_id: s.shopId, items: [{ sku_id: s.skuId }] });
    em.clock.advance(HOUR);
    const c = await admin(em, `/orders/${o.id}/buyer-cancel`, {});
    return { orderId: o.id, cancelId: c.cancel_id };
  }

  const approve = (cancelId: string, key?: string) =>
    api(em, {
      method: 'POST',
      path: `/return_refund/202309/cancellations/${cancelId}/approve`,
      query: key === undefined ? {} : { idempotency_key: key },
      token: s.token,
      cipher: s.cipher,
    });

  const mutationsOf = async (cancelId: string): Promise<any[]> =>
    ((await admin(em, '/record/mutations')).mutations as any[]).filter((m) => m.path.includes(cancelId));

  before(async () => {
    em = await startTikTokShopEmulator({ port: 0, apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }] });
    s = await seedShop(em, 50);
  });
  after(async () => em.close());

  void test('a repeat with the same key returns the first outcome; the action is applied once', async () => {
    const { cancelId } = await pendingCancellation();
    const first = await approve(cancelId, 'approve-1');
    const again = await approve(cancelId, 'approve-1');
    assert.equal(first.body.code, 0);
    assert.equal(again.body.code, 0, 'not an error');
    assert.deepEqual(again.body.data, first.body.data);
    const m = await mutationsOf(cancelId);
    assert.deepEqual(
      m.map((x) => [x.applied, x.idempotencyKey, x.replayOf]),
      [
        [true, 'approve-1', null],
        [false, 'approve-1', m[0].seq],
      ],
    );
  });

  void test('without a key the repeat is refused as a state conflict (25001003)', async () => {
    const { cancelId } = await pendingCancellation();
    assert.equal((await approve(cancelId)).body.code, 0);
    assert.equal((await approve(cancelId)).body.code, 25001003);
  });

  void test('a response lost after the write: the retry with the same key gets the success', async () => {
    const { orderId, cancelId } = await pendingCancellation();
    await admin(em, '/faults', { responseLost: { count: 1, mode: '5xx' }, pathPattern: cancelId });
    try {
      const lost = await approve(cancelId, 'lost-1');
      assert.equal(lost.status, 500);
    } finally {
      await admin(em, '/faults/reset', {});
    }
    const retry = await approve(cancelId, 'lost-1');
    assert.equal(retry.body.code, 0);
    const order = await admin(em, `/orders/${orderId}`);
    assert.equal(order.status, 'CANCELLED');
    assert.equal((await mutationsOf(cancelId)).filter((x) => x.applied).length, 1);
  });

  void test('a business refusal is the outcome too: the same key repeats it, a new key runs again', async () => {
    const { cancelId } = await pendingCancellation();
    const bad = {
      method: 'POST',
      path: `/return_refund/202309/cancellations/${cancelId}/reject`,
      body: { reject_reason: 'no_such_reason' },
      token: s.token,
      cipher: s.cipher,
    };
    const first = await api(em, { ...bad, query: { idempotency_key: 'reject-1' } });
    assert.equal(first.body.code, 25001014);
    const again = await api(em, { ...bad, query: { idempotency_key: 'reject-1' } });
    assert.equal(again.body.code, 25001014);
    assert.equal(again.body.message, first.body.message);
    assert.equal((await approve(cancelId, 'approve-after-reject')).body.code, 0);
  });

  void test('the same key on another request of the shop is refused; a key over 255 characters is refused', async () => {
    const a = await pendingCancellation();
    const b = await pendingCancellation();
    assert.equal((await approve(a.cancelId, 'shared')).body.code, 0);
    const conflict = await approve(b.cancelId, 'shared');
    assert.equal(conflict.body.code, 36009004);
    assert.match(conflict.body.message, /idempotency_key/);
    assert.equal((await admin(em, `/orders/${b.orderId}`)).status, 'AWAITING_SHIPMENT', 'nothing applied');
    assert.equal((await approve(b.cancelId, 'k'.repeat(256))).body.code, 36009004);
    assert.equal((await approve(b.cancelId, 'k'.repeat(255))).body.code, 0);
  });

  void test('keys are scoped to the shop', async () => {
    const other = await seedShop(em, 5);
    const mine = await pendingCancellation();
    assert.equal((await approve(mine.cancelId, 'per-shop')).body.code, 0);
    const o = await admin(em, '/orders', { shop_id: other.shopId, items: [{ sku_id: other.skuId }] });
    em.clock.advance(HOUR);
    const c = await admin(em, `/orders/${o.id}/buyer-cancel`, {});
    const theirs = await api(em, {
      method: 'POST',
      path: `/return_refund/202309/cancellations/${c.cancel_id}/approve`,
      query: { idempotency_key: 'per-shop' },
      token: other.token,
      cipher: other.cipher,
    });
    assert.equal(theirs.body.code, 0);
    assert.equal((await admin(em, `/orders/${o.id}`)).status, 'CANCELLED');
  });
});
