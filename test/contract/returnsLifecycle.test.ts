// Contract: the whole life of a return through our client against the emulator — replacement requests, the buyer
// cancelling, arbitration after a rejection, the platform's auto-approval, evidence images on Reject Return, Get Return
// Records, idempotency keys on decisions, and the seeded drop of RETURN_STATUS_CHANGE webhooks (ref §8, §11).
// https://partner.tiktokshop.com/docv2/page/search-returns-202309
// https://partner.tiktokshop.com/docv2/page/get-return-records-202309
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { z } from 'zod';
import { TikTokInvalidRequest, TikTokStateConflict } from '../../integrations/tiktok/errors';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { uploadFile } from '../../integrations/tiktok/uploads';
import { jpegHeader } from '../helpers/imageBytes';
import { HOUR, MINUTE, advanceClock, expectFailure, startHarness, startWebhookReceiver } from './harness';
import type { Harness } from './harness';

const recordsSchema = z.looseObject({
  records: z.array(
    z.looseObject({
      event: z.string(),
      role: z.string(),
      description: z.string(),
      reason_text: z.string(),
      note: z.string(),
      images: z.array(z.looseObject({ url: z.string(), width: z.number(), height: z.number() })),
      create_time: z.number(),
    }),
  ),
});

void describe('return lifecycle', () => {
  let h: Harness;

  /** Opens requests on delivered orders made on the spot ($12.50 each, red and pink gloss in turn: 80 in stock). */
  let opened = 0;
  const open = async (...types: string[]): Promise<string[]> => {
    const skus = h.products[0]!.skus.map((s) => s.id);
    const res = await h.admin<{ opened: { return_id: string }[]; refused: unknown[] }>('/returns/bulk', {
      shop_id: h.shop.shopId,
      returns: types.map((return_type) => ({ sku_id: skus[opened++ % skus.length], return_type })),
    });
    assert.deepEqual(res.refused, []);
    return res.opened.map((o) => o.return_id);
  };
  const search = async (id: string) => {
    const res = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { return_ids: [id] });
    return res.return_orders[0]!;
  };
  const approve = (id: string, decision: string, idempotency_key?: string) =>
    callEndpoint(h.client, endpoints.approveReturn, h.shop, {
      return_id: id,
      decision: decision as 'APPROVE_REFUND',
      ...(idempotency_key ? { idempotency_key } : {}),
    });
  const reject = (id: string, decision: string, extra: Record<string, unknown> = {}) =>
    callEndpoint(h.client, endpoints.rejectReturn, h.shop, {
      return_id: id,
      decision: decision as 'REJECT_REFUND',
      reject_reason: 'seller_reject_return_product_used',
      ...extra,
    });
  /** The RETURN_STATUS_CHANGE notifications emitted for a return, oldest first (the emulator's delivery log). */
  const notified = async (id: string): Promise<string[]> => {
    const log = await h.admin<{ deliveries: { eventType: string; body: string }[] }>('/webhooks');
    return log.deliveries
      .filter((d) => d.eventType === 'RETURN_STATUS_CHANGE')
      .map((d) => (JSON.parse(d.body) as { data: { return_id: string; return_status: string } }).data)
      .filter((d) => d.return_id === id)
      .map((d) => d.return_status);
  };
  const records = (id: string) =>
    h.client.request({
      method: 'GET',
      path: '/return_refund/202309/returns/{return_id}/records',
      pathParams: { return_id: id },
      shopId: h.shop.shopId,
      shopCipher: h.shop.shopCipher,
      schema: recordsSchema,
    });

  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  void test('replacement requests: pending with SELLER_RESPOND_REPLACEMENT; approve, refund instead, reject', async () => {
    const [a, b, c] = await open('REPLACEMENT', 'REPLACEMENT', 'REPLACEMENT');
    const pending = await search(a!);
    assert.equal(pending.return_type, 'REPLACEMENT');
    assert.equal(pending.return_status, 'REPLACEMENT_REQUEST_PENDING');
    assert.equal(pending.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_REPLACEMENT');
    // A refund decision on a replacement: "decision not match reverse type" (25020004 on both pages).
    const mismatch = await expectFailure(approve(a!, 'APPROVE_REFUND'), TikTokInvalidRequest);
    assert.equal(mismatch.code, 25020004);
    await approve(a!, 'APPROVE_REPLACEMENT');
    await approve(b!, 'ISSUE_REPLACEMENT_REFUND');
    await reject(c!, 'REJECT_REPLACEMENT');
    assert.equal((await search(a!)).return_status, 'REPLACEMENT_REQUEST_COMPLETE');
    assert.equal((await search(b!)).return_status, 'REPLACEMENT_REQUEST_REFUND_SUCCESS');
    const rejected = await search(c!);
    assert.equal(rejected.return_status, 'REPLACEMENT_REQUEST_REJECT');
    assert.deepEqual(rejected.seller_next_action_response, []);
    assert.deepEqual(await notified(a!), ['REPLACEMENT_REQUEST_PENDING', 'REPLACEMENT_REQUEST_COMPLETE']);
    assert.deepEqual(await notified(c!), ['REPLACEMENT_REQUEST_PENDING', 'REPLACEMENT_REQUEST_REJECT']);
  });

  void test('the buyer cancels a pending request → RETURN_OR_REFUND_REQUEST_CANCEL; approving it then is 25020009', async () => {
    const [id] = await open('RETURN_AND_REFUND');
    await h.admin(`/returns/${id}/buyer-cancel`, {});
    const r = await search(id!);
    assert.equal(r.return_status, 'RETURN_OR_REFUND_REQUEST_CANCEL');
    assert.equal(r.role, 'BUYER');
    const err = await expectFailure(approve(id!, 'APPROVE_RETURN'), TikTokStateConflict);
    assert.equal(err.code, 25020009);
    assert.deepEqual(await notified(id!), ['RETURN_OR_REFUND_REQUEST_PENDING', 'RETURN_OR_REFUND_REQUEST_CANCEL']);
  });

  void test('arbitration after a rejection: IN_PROGRESS blocks decisions; SUPPORT_BUYER refunds, SUPPORT_SELLER cancels', async () => {
    const [forBuyer, forSeller, notRejected] = await open('REFUND', 'REFUND', 'REFUND');
    await reject(forBuyer!, 'REJECT_REFUND');
    await reject(forSeller!, 'REJECT_REFUND');
    assert.equal((await search(forBuyer!)).return_status, 'REFUND_OR_RETURN_REQUEST_REJECT');
    await h.admin(`/returns/${forBuyer}/escalate`, {});
    await h.admin(`/returns/${forSeller}/escalate`, {});
    const escalated = await search(forBuyer!);
    assert.equal(escalated.arbitration_status, 'IN_PROGRESS');
    assert.equal(escalated.return_status, 'REFUND_OR_RETURN_REQUEST_REJECT');
    // Nothing to escalate on a pending request.
    await assert.rejects(h.admin(`/returns/${notRejected}/escalate`, {}), /HTTP 409/);
    const inArbitration = await expectFailure(
      reject(forBuyer!, 'REJECT_REFUND', { comment: 'again' }),
      TikTokStateConflict,
    );
    assert.equal(inArbitration.code, 25011010);
    await h.admin(`/returns/${forBuyer}/arbitrate`, { outcome: 'SUPPORT_BUYER' });
    await h.admin(`/returns/${forSeller}/arbitrate`, { outcome: 'SUPPORT_SELLER' });
    const won = await search(forBuyer!);
    assert.deepEqual(
      [won.return_status, won.arbitration_status, won.role],
      ['RETURN_OR_REFUND_REQUEST_SUCCESS', 'SUPPORT_BUYER', 'OPERATOR'],
    );
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [won.order_id] });
    assert.equal(order!.status, 'COMPLETED', 'the refund completed the delivered order');
    const lost = await search(forSeller!);
    assert.deepEqual(
      [lost.return_status, lost.arbitration_status],
      ['RETURN_OR_REFUND_REQUEST_CANCEL', 'SUPPORT_SELLER'],
    );
    assert.deepEqual(await notified(forBuyer!), [
      'RETURN_OR_REFUND_REQUEST_PENDING',
      'REFUND_OR_RETURN_REQUEST_REJECT',
      'REFUND_OR_RETURN_REQUEST_REJECT', // escalated: arbitration_status changed
      'RETURN_OR_REFUND_REQUEST_SUCCESS',
    ]);
  });

  void test('a missed deadline: the platform approves (role SYSTEM), replacements included', async () => {
    const [replacement, ret] = await open('REPLACEMENT', 'RETURN_AND_REFUND');
    await advanceClock(h, 48 * HOUR + MINUTE);
    const r1 = await search(replacement!);
    assert.deepEqual([r1.return_status, r1.role], ['REPLACEMENT_REQUEST_COMPLETE', 'SYSTEM']);
    const r2 = await search(ret!);
    assert.deepEqual([r2.return_status, r2.role], ['AWAITING_BUYER_SHIP', 'SYSTEM']);
    // The buyer ships; confirming receipt has the same window (no separate one is published).
    await h.admin(`/returns/${ret}/buyer-ship`, {});
    const shipped = await search(ret!);
    assert.equal(shipped.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_RECEIVE_PACKAGE');
    assert.equal(shipped.seller_next_action_response?.[0]?.deadline, (shipped.update_time ?? 0) + 48 * 3600);
  });

  void test('Reject Return: image_id must be an uploaded image uri; reason, comment and images are kept; records', async () => {
    const [id] = await open('RETURN_AND_REFUND');
    const unknown = await expectFailure(
      reject(id!, 'REJECT_RETURN', { images: [{ image_id: 'tos-maliva-i-o3syd03w52-us/not-uploaded' }] }),
      TikTokInvalidRequest,
    );
    assert.equal(unknown.code, 25001001);
    assert.equal((await search(id!)).return_status, 'RETURN_OR_REFUND_REQUEST_PENDING', 'nothing applied');
    const image = await callEndpoint(h.client, endpoints.uploadProductImage, h.shop, {
      data: uploadFile(jpegHeader(800, 600), 'scuffed-sole.jpg', 'image/jpeg'),
      use_case: 'DESCRIPTION_IMAGE',
    });
    await reject(id!, 'REJECT_RETURN', {
      comment: 'worn outdoors',
      images: [{ image_id: image.uri, mime_type: 'image/jpeg', width: 800, height: 600 }],
    });
    const kept = await h.admin<any>(`/returns/${id}`);
    assert.equal(kept.return_status, 'REFUND_OR_RETURN_REQUEST_REJECT');
    assert.equal(kept.rejection.reject_reason, 'seller_reject_return_product_used');
    assert.equal(kept.rejection.comment, 'worn outdoors');
    assert.deepEqual(
      kept.rejection.images.map((i: any) => [i.image_id, i.width, i.height]),
      [[image.uri, 800, 600]],
    );
    const { records: list } = await records(id!);
    assert.deepEqual(
      list.map((r) => [r.event, r.role]),
      [
        ['ORDER_RETURN', 'BUYER'],
        ['ORDER_RETURN', 'SELLER'],
      ],
    );
    assert.equal(list[1]!.reason_text, 'The product has been used');
    assert.equal(list[1]!.note, 'worn outdoors');
    assert.deepEqual(
      list[1]!.images.map((i) => [i.width, i.height]),
      [[800, 600]],
    );
    assert.deepEqual(Buffer.from(await (await fetch(list[1]!.images[0]!.url)).arrayBuffer()), jpegHeader(800, 600));
    assert.ok(list[0]!.create_time <= list[1]!.create_time);
  });

  void test('decisions with an idempotency_key: a repeat answers the first outcome and applies nothing', async () => {
    const [id, other] = await open('REFUND', 'REFUND');
    await approve(id!, 'APPROVE_REFUND', `decide:${id}`);
    await approve(id!, 'APPROVE_REFUND', `decide:${id}`); // the repeat: success again, nothing applied
    assert.equal((await records(id!)).records.length, 2, 'one request, one approval');
    assert.deepEqual(await notified(id!), ['RETURN_OR_REFUND_REQUEST_PENDING', 'RETURN_OR_REFUND_REQUEST_SUCCESS']);
    const mutations = (await h.admin<{ mutations: any[] }>('/record/mutations')).mutations.filter((m) =>
      (m.returnIds as string[]).includes(id!),
    );
    assert.deepEqual(
      mutations.map((m) => [m.action, m.decision, m.applied, m.replayOf === null]),
      [
        ['approve_return', 'APPROVE_REFUND', true, true],
        ['approve_return', 'APPROVE_REFUND', false, false],
      ],
    );
    // The same key on another return's decision is refused.
    const conflict = await expectFailure(approve(other!, 'APPROVE_REFUND', `decide:${id}`), TikTokInvalidRequest);
    assert.equal(conflict.code, 36009004);
    // Rejections too: the second answers the first's outcome.
    await reject(other!, 'REJECT_REFUND', { idempotency_key: `reject:${other}` });
    await reject(other!, 'REJECT_REFUND', { idempotency_key: `reject:${other}` });
    assert.equal((await records(other!)).records.length, 2);
  });

  void test('RETURN_STATUS_CHANGE dropped by a seeded fraction; the log names the dropped ones', async () => {
    const receiver = await startWebhookReceiver(() => 200);
    try {
      await h.admin('/webhooks/config', { default_url: receiver.url });
      await h.admin('/faults', { webhooks: { dropByEvent: { RETURN_STATUS_CHANGE: { fraction: 0.5, seed: 11 } } } });
      const ids = await open(...Array.from({ length: 40 }, () => 'REFUND'));
      const dropped = (
        await h.admin<{ dropped: { event_type: string; dropped_by: string; data: { return_id: string } }[] }>(
          '/webhooks/dropped?event_type=RETURN_STATUS_CHANGE',
        )
      ).dropped.filter((d) => ids.includes(d.data.return_id));
      assert.ok(dropped.length > 5 && dropped.length < 35, `dropped ${dropped.length} of 40`);
      assert.ok(dropped.every((d) => d.dropped_by === 'event_fraction'));
      const returnNotifications = () =>
        receiver.received
          .map((r) => JSON.parse(r.rawBody) as { type: number; data: { return_id: string } })
          .filter((n) => n.type === 12)
          .map((n) => n.data);
      await receiver.waitFor(() => returnNotifications().length >= 40 - dropped.length);
      const received = returnNotifications();
      const droppedIds = new Set(dropped.map((d) => d.data.return_id));
      assert.equal(received.length, 40 - dropped.length, JSON.stringify(receiver.received.map((r) => r.rawBody)));
      assert.ok(received.every((d) => ids.includes(d.return_id) && !droppedIds.has(d.return_id)));
      // Other event types are untouched by the rule.
      await h.admin('/faults', { webhooks: { dropByEvent: { RETURN_STATUS_CHANGE: { fraction: 1, seed: 11 } } } });
      const [all] = await open('REFUND');
      const more = (await h.admin<{ dropped: { data: { return_id: string } }[] }>('/webhooks/dropped')).dropped;
      assert.ok(more.some((d) => d.data.return_id === all));
    } finally {
      await h.admin('/faults/reset', {});
      await receiver.close();
    }
  });
});
