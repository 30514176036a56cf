// Contract: Search Cancellations, Approve / Reject Cancellation, Search Returns, Approve / Reject Return,
// Get Reject Reasons (ref §8, §15).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest, TikTokNotFound, TikTokStateConflict } from '../../integrations/tiktok/errors';
import { expectFailure, placeShippableOrders, startHarness } from './harness';
import type { Harness } from './harness';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

const USPS = '7117858858072016686'; // ref §6.3 example provider

void describe('returns and cancellations', () => {
  let h: Harness;
  let toReject: string;
  let toApprove: string;
  let shippedFirst: string;
  let refundOrder: string;
  let returnOrder: string;
  let returnOrder2: string;
  const cancelIds: Record<string, string> = {};
  const returnIds: Record<string, string> = {};

  const ship = async (orderId: string, n: number): Promise<void> => {
    await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: orderId,
      tracking_number: `9400100000000${n}`,
      shipping_provider_id: USPS,
    });
  };
  const deliver = async (orderId: string, n: number): Promise<void> => {
    await ship(orderId, n);
    await h.admin(`/orders/${orderId}/carrier-scan`, {});
    await h.admin(`/orders/${orderId}/deliver`, {});
  };

  before(async () => {
    h = await startHarness();
    const red = h.products[0]!.skus[0]!;
    [toReject, toApprove, shippedFirst, refundOrder, returnOrder, returnOrder2] = (await placeShippableOrders(
      h,
      Array.from({ length: 6 }, () => ({ items: [{ sku_id: red.id }] })),
    )) as [string, string, string, string, string, string];
    for (const id of [toReject, toApprove, shippedFirst]) {
      const c = await h.admin<{ cancel_id: string }>(`/orders/${id}/buyer-cancel`, {});
      cancelIds[id] = c.cancel_id;
    }
    await ship(shippedFirst, 1);
    await deliver(refundOrder, 2);
    await deliver(returnOrder, 3);
    await deliver(returnOrder2, 4);
    returnIds[refundOrder] = (await h.admin(`/orders/${refundOrder}/returns`, { return_type: 'REFUND' })).return_id;
    returnIds[returnOrder] = (await h.admin(`/orders/${returnOrder}/returns`, {})).return_id;
    returnIds[returnOrder2] = (await h.admin(`/orders/${returnOrder2}/returns`, {})).return_id;
  });
  after(async () => {
    await h.close();
  });

  void test('search cancellations: pending buyer requests with a response deadline', async () => {
    const res = await callEndpoint(h.client, endpoints.searchCancellations, h.shop, {
      order_ids: [toReject, toApprove, shippedFirst],
    });
    assert.equal(res.total_count, 3);
    for (const c of res.cancellations) {
      assert.equal(c.cancel_status, 'CANCELLATION_REQUEST_PENDING');
      assert.equal(c.cancel_type, 'BUYER_CANCEL');
      assert.equal(c.role, 'BUYER');
      assert.equal(c.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_CANCEL');
      assert.ok((c.seller_next_action_response?.[0]?.deadline ?? 0) > (c.create_time ?? 0));
      assert.equal(c.cancel_line_items?.length, 1);
    }
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [toReject] });
    assert.equal(order!.is_buyer_request_cancel, true);
  });

  void test('get reject reasons for a cancellation; reject it → …_CANCELLED, order stays', async () => {
    const reasons = await callEndpoint(h.client, endpoints.getRejectReasons, h.shop, {
      return_or_cancel_id: cancelIds[toReject],
    });
    assert.ok(reasons.length > 0);
    const reason = reasons.find((r) => r.name === 'seller_reject_apply_product_has_been_packed') ?? reasons[0]!;
    await callEndpoint(h.client, endpoints.rejectCancellation, h.shop, {
      cancel_id: cancelIds[toReject]!,
      reject_reason: reason.name,
      comment: 'already packed',
      idempotency_key: 'reject-1',
    });
    // ref §8/§15: the filter value `…_CANCEL` (sent by the client) finds the `…_CANCELLED` record.
    const res = await callEndpoint(h.client, endpoints.searchCancellations, h.shop, {
      cancel_status: ['CANCELLATION_REQUEST_CANCELLED'],
    });
    assert.deepEqual(
      res.cancellations.map((c) => c.cancel_id),
      [cancelIds[toReject]],
    );
    assert.equal(res.cancellations[0]!.cancel_status, 'CANCELLATION_REQUEST_CANCELLED');
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [toReject] });
    assert.equal(order!.status, 'AWAITING_SHIPMENT');
    assert.equal(order!.is_buyer_request_cancel, false);
    // Answering twice: the request is no longer pending.
    await expectFailure(
      callEndpoint(h.client, endpoints.rejectCancellation, h.shop, {
        cancel_id: cancelIds[toReject]!,
        reject_reason: reason.name,
      }),
      TikTokStateConflict,
    );
  });

  void test('an unknown reject reason is refused (25001014)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.rejectCancellation, h.shop, {
        cancel_id: cancelIds[toApprove]!,
        reject_reason: 'no_such_reason',
      }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, 25001014);
  });

  void test('approve a cancellation → order CANCELLED', async () => {
    await callEndpoint(h.client, endpoints.approveCancellation, h.shop, {
      cancel_id: cancelIds[toApprove]!,
      idempotency_key: 'approve-1',
    });
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [toApprove] });
    assert.equal(order!.status, 'CANCELLED');
    assert.equal(order!.cancellation_initiator, 'BUYER');
    const res = await callEndpoint(h.client, endpoints.searchCancellations, h.shop, {
      cancel_ids: [cancelIds[toApprove]!],
    });
    assert.equal(res.cancellations[0]!.cancel_status, 'CANCELLATION_REQUEST_SUCCESS');
  });

  void test('the same approval again: with its idempotency_key the first outcome, without it a state conflict', async () => {
    // https://partner.tiktokshop.com/docv2/page/approve-cancellation-202309: the key recognises the same request.
    await callEndpoint(h.client, endpoints.approveCancellation, h.shop, {
      cancel_id: cancelIds[toApprove]!,
      idempotency_key: 'approve-1',
    });
    await expectFailure(
      callEndpoint(h.client, endpoints.approveCancellation, h.shop, { cancel_id: cancelIds[toApprove]! }),
      TikTokStateConflict,
    );
  });

  void test('approving a cancellation after the order shipped → TikTokStateConflict (25001045, ref §8)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.approveCancellation, h.shop, { cancel_id: cancelIds[shippedFirst]! }),
      TikTokStateConflict,
    );
    assert.equal(err.code, 25001045);
  });

  void test('unknown cancellation → TikTokNotFound (25007006)', async () => {
    await expectFailure(
      callEndpoint(h.client, endpoints.approveCancellation, h.shop, { cancel_id: '589999999999999999' }),
      TikTokNotFound,
    );
  });

  void test('search returns: pending requests with the seller action and deadline; filters and paging', async () => {
    const res = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { page_size: 10 });
    assert.equal(res.total_count, 3);
    assert.deepEqual(res.return_orders.map((r) => r.return_id).sort(), Object.values(returnIds).sort());
    const refund = res.return_orders.find((r) => r.order_id === refundOrder)!;
    assert.equal(refund.return_type, 'REFUND');
    assert.equal(refund.return_status, 'RETURN_OR_REFUND_REQUEST_PENDING');
    assert.equal(refund.seller_next_action_response?.[0]?.action, 'SELLER_RESPOND_REFUND');
    assert.equal(refund.refund_amount?.refund_total, '12.50');
    const byType = await callEndpoint(h.client, endpoints.searchReturns, h.shop, {
      return_types: ['RETURN_AND_REFUND'],
    });
    assert.deepEqual(byType.return_orders.map((r) => r.order_id).sort(), [returnOrder, returnOrder2].sort());
    const byOrder = await callEndpoint(h.client, endpoints.searchReturns, h.shop, { order_ids: [returnOrder] });
    assert.deepEqual(
      byOrder.return_orders.map((r) => r.return_id),
      [returnIds[returnOrder]],
    );
    // page_size is 10..50 for returns (ref §8).
    await expectFailure(
      callEndpoint(h.client, endpoints.searchReturns, h.shop, { page_size: 5 }),
      TikTokInvalidRequest,
    );
  });

  void test('approve a refund → RETURN_OR_REFUND_REQUEST_SUCCESS; approve a return → AWAITING_BUYER_SHIP', async () => {
    await callEndpoint(h.client, endpoints.approveReturn, h.shop, {
      return_id: returnIds[refundOrder]!,
      decision: 'APPROVE_REFUND',
    });
    await callEndpoint(h.client, endpoints.approveReturn, h.shop, {
      return_id: returnIds[returnOrder2]!,
      decision: 'APPROVE_RETURN',
    });
    const res = await callEndpoint(h.client, endpoints.searchReturns, h.shop, {
      return_ids: [returnIds[refundOrder]!, returnIds[returnOrder2]!],
    });
    const status = new Map(res.return_orders.map((r) => [r.return_id, r.return_status]));
    assert.equal(status.get(returnIds[refundOrder]!), 'RETURN_OR_REFUND_REQUEST_SUCCESS');
    assert.equal(status.get(returnIds[returnOrder2]!), 'AWAITING_BUYER_SHIP');
    // A fully refunded delivered order completes (ref §5.3).
    const [order] = await callEndpoint(h.client, endpoints.getOrderDetail, h.shop, { ids: [refundOrder] });
    assert.equal(order!.status, 'COMPLETED');
    // Approving it again is a state conflict (25001044).
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.approveReturn, h.shop, {
        return_id: returnIds[refundOrder]!,
        decision: 'APPROVE_REFUND',
      }),
      TikTokStateConflict,
    );
    assert.equal(err.code, 25001044);
  });

  void test('reject a return with a reason from Get Reject Reasons → REFUND_OR_RETURN_REQUEST_REJECT', async () => {
    const reasons = await callEndpoint(h.client, endpoints.getRejectReasons, h.shop, {
      return_or_cancel_id: returnIds[returnOrder],
    });
    assert.ok(reasons.length > 0);
    await callEndpoint(h.client, endpoints.rejectReturn, h.shop, {
      return_id: returnIds[returnOrder]!,
      decision: 'REJECT_RETURN',
      reject_reason: reasons[0]!.name,
      comment: 'used product',
    });
    const res = await callEndpoint(h.client, endpoints.searchReturns, h.shop, {
      return_status: ['REFUND_OR_RETURN_REQUEST_REJECT'],
    });
    assert.deepEqual(
      res.return_orders.map((r) => r.return_id),
      [returnIds[returnOrder]],
    );
  });

  void test('get reject reasons without an id lists every reason; an unknown id → TikTokNotFound', async () => {
    const all = await callEndpoint(h.client, endpoints.getRejectReasons, h.shop, {});
    assert.ok(all.some((r) => r.name === 'seller_reject_apply_product_has_been_packed'));
    assert.ok(all.every((r) => typeof r.name === 'string' && r.name.length > 0));
    await expectFailure(
      callEndpoint(h.client, endpoints.getRejectReasons, h.shop, { return_or_cancel_id: '469999999999999999' }),
      TikTokNotFound,
    );
  });
});
