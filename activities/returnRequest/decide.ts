import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { APPROVE_RETURN_DECISIONS, type REJECT_RETURN_DECISIONS } from '../../integrations/tiktok/returns';
import type { ReturnActivityDeps } from './deps';

/** One evidence image as Reject Return takes it (`image_id`: the uri Upload Product Image returned). */
export interface EvidenceImage {
  image_id: string;
  mime_type?: string;
  width?: number;
  height?: number;
}

export interface SendReturnDecisionInput {
  shopId: string;
  returnId: string;
  /** The workflow deciding; with the action it makes the idempotency key. */
  workflowId: string;
  action: string;
  /** TikTok's decision value (APPROVE_REFUND, REJECT_RETURN, …: workflows/returnRequest/returnDecision.ts). */
  decision: string;
  /** TikTok's deadline for the action (ISO): the call's place in the shop's rate budget. */
  deadline?: string;
  rejectReason?: string;
  comment?: string;
  images?: EvidenceImage[];
  buyerKeepItem?: boolean;
}

/**
 * The key TikTok deduplicates a decision by (`idempotency_key`, ≤255 characters, ref §8): one per workflow, action and
 * deadline, so a retried activity (a lost response, a worker restart) never decides twice, and a later action of the
 * same return gets a key of its own.
 */
export function decisionIdempotencyKey(workflowId: string, action: string, deadline?: string): string {
  const due = deadline ? `:${Math.floor(Date.parse(deadline) / 1000)}` : '';
  return `${workflowId}:${action}${due}`.slice(0, 255);
}

/** Step: send the seller's decision to TikTok (Approve Return or Reject Return). */
export function createReturnDecisionActivities(deps: Pick<ReturnActivityDeps, 'tiktok' | 'tokens'>) {
  const client = deps.tiktok.client;
  return {
    /**
     * Approve or reject; TikTok's refusals (25001044 cannot be approved, 25001003 invalid status, …) fail as
     * TikTokStateConflict, not retried: the workflow reads the return back to learn what happened instead.
     */
    async sendReturnDecision(input: SendReturnDecisionInput): Promise<void> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const idempotency_key = decisionIdempotencyKey(input.workflowId, input.action, input.deadline);
      const opts = { deadline: input.deadline ? new Date(input.deadline) : undefined };
      if ((APPROVE_RETURN_DECISIONS as readonly string[]).includes(input.decision)) {
        await callEndpoint(
          client,
          endpoints.approveReturn,
          shop,
          {
            return_id: input.returnId,
            idempotency_key,
            decision: input.decision as (typeof APPROVE_RETURN_DECISIONS)[number],
            ...(input.buyerKeepItem !== undefined ? { buyer_keep_item: input.buyerKeepItem } : {}),
          },
          opts,
        );
        return;
      }
      await callEndpoint(
        client,
        endpoints.rejectReturn,
        shop,
        {
          return_id: input.returnId,
          idempotency_key,
          decision: input.decision as (typeof REJECT_RETURN_DECISIONS)[number],
          reject_reason: input.rejectReason ?? '',
          ...(input.comment !== undefined ? { comment: input.comment } : {}),
          ...(input.images?.length ? { images: input.images } : {}),
        },
        opts,
      );
    },
  };
}
