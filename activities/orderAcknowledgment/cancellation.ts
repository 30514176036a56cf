import { ApplicationFailure } from '@temporalio/common';
import type { OrderActivityDeps } from './deps';
import { callOpts } from './orderRead';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

// Preferred reason when rejecting a cancellation because the parcel left (§8, seller rejection reasons).
const PREFERRED_REJECT_REASONS = ['seller_reject_apply_product_has_been_packed'];

/** Step: decide a buyer's cancellation request (approve, or reject with a reason TikTok offers). */
export function createCancellationActivities(deps: Pick<OrderActivityDeps, 'tiktok' | 'tokens'>) {
  const client = deps.tiktok.client;
  return {
    async approveCancellation(input: { shopId: string; cancelId: string; deadline?: string }): Promise<void> {
      const shop = await deps.tokens.shopRef(input.shopId);
      await callEndpoint(
        client,
        endpoints.approveCancellation,
        shop,
        { cancel_id: input.cancelId, idempotency_key: `approve:${input.cancelId}` },
        callOpts(input.deadline),
      );
    },

    /** Rejects with a reason TikTok offers for this request (Get Reject Reasons); returns the reason name. */
    async rejectCancellation(input: { shopId: string; cancelId: string; deadline?: string }): Promise<string> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const reasons = await callEndpoint(
        client,
        endpoints.getRejectReasons,
        shop,
        { return_or_cancel_id: input.cancelId },
        callOpts(input.deadline),
      );
      const reason = reasons.find((r) => PREFERRED_REJECT_REASONS.includes(r.name)) ?? reasons[0];
      if (!reason) throw ApplicationFailure.nonRetryable(`no reject reason for ${input.cancelId}`, 'TikTokApiError');
      await callEndpoint(
        client,
        endpoints.rejectCancellation,
        shop,
        { cancel_id: input.cancelId, reject_reason: reason.name, idempotency_key: `reject:${input.cancelId}` },
        callOpts(input.deadline),
      );
      return reason.name;
    },
  };
}
