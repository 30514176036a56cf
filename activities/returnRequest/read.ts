import { ApplicationFailure } from '@temporalio/common';
import { createShopRepository } from '../../db/shops';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { policy, PolicyNotFoundError } from '../../policy';
import { RETURN_NOT_FOUND } from '../../workflows/shared/failureTypes';
import type { ReturnSnapshot } from '../../workflows/returnRequest/messages';
import type { ReturnActivityDeps } from './deps';

/** A return policy value for the shop's region; the US row where the region has none of its own. */
function returnPolicy(region: string, key: string): number {
  try {
    return policy<number>(region, key).value;
  } catch (err) {
    if (!(err instanceof PolicyNotFoundError)) throw err;
    return policy<number>('US', key).value;
  }
}

/** Step: read the return (Search Returns by id) and the reasons TikTok offers to reject it. */
export function createReturnReadActivities(deps: Pick<ReturnActivityDeps, 'db' | 'tiktok' | 'tokens'>) {
  const shops = createShopRepository(deps.db);
  const client = deps.tiktok.client;
  return {
    /**
     * The return reduced to what the workflow decides on: type, status, reason, refund total, arbitration and the
     * pending seller action with its deadline as TikTok states it (the policy window only where it states none).
     */
    async readReturn(input: { shopId: string; returnId: string }): Promise<ReturnSnapshot> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const found = await callEndpoint(client, endpoints.searchReturns, shop, { return_ids: [input.returnId] });
      const r = found.return_orders.find((o) => o.return_id === input.returnId);
      if (!r) throw ApplicationFailure.nonRetryable(`return ${input.returnId} not found`, RETURN_NOT_FOUND);
      const region = (await shops.region(input.shopId)) ?? 'US';
      const next = r.seller_next_action_response?.[0];
      const since = (r.update_time ?? r.create_time ?? Math.floor(Date.now() / 1000)) * 1000;
      const deadlineMs =
        next?.deadline !== undefined
          ? next.deadline * 1000
          : since + returnPolicy(region, 'returns.sellerResponseWindowMs');
      const total = r.refund_amount?.refund_total;
      const currency = r.refund_amount?.currency;
      return {
        returnId: r.return_id,
        orderId: r.order_id,
        region,
        type: r.return_type,
        status: r.return_status,
        reason: r.return_reason,
        refund: total !== undefined && currency ? { amount: total, currency } : undefined,
        arbitrationStatus: r.arbitration_status,
        nextAction: next
          ? {
              action: next.action,
              deadline: new Date(deadlineMs).toISOString(),
              deadlineSource: next.deadline !== undefined ? 'tiktok' : 'policy',
            }
          : undefined,
        buyerEscalationWindowMs: returnPolicy(region, 'returns.buyerEscalationWindowMs'),
      };
    },

    /** Get Reject Reasons for this return (they depend on its status: a received package has its own). */
    async readRejectReasons(input: { shopId: string; returnId: string }): Promise<{ name: string; text?: string }[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const reasons = await callEndpoint(client, endpoints.getRejectReasons, shop, {
        return_or_cancel_id: input.returnId,
      });
      return reasons.map((r) => ({ name: r.name, ...(r.text !== undefined ? { text: r.text } : {}) }));
    },
  };
}
