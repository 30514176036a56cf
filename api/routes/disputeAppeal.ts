import type { Router } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { appealWindow } from '../../policy/disputeRows';
import { disputeAppealWorkflowId } from '../../workflows/ids';
import type { DisputeAppealInput } from '../../workflows/disputeAppeal/messages';
import { disputeAppeal } from '../../workflows/disputeAppeal/workflow';
import {
  amountSchema,
  caseIdSchema,
  currencySchema,
  disputeCaseRoutes,
  isoTimeSchema,
  openedByCaller,
} from '../disputeCases';
import type { ApiDeps } from '../deps';
import { HttpError } from '../errors';

/** A decided after-sale dispute (or arbitration) the seller appeals. */
export const DisputeAppealBody = z
  .strictObject({
    disputeId: caseIdSchema,
    disputeType: z.enum(['return_refund', 'arbitration']),
    orderId: caseIdSchema,
    returnId: caseIdSchema.optional(),
    decision: z.string().trim().min(1).max(200),
    decidedAt: isoTimeSchema,
    amount: amountSchema.optional(),
    currency: currencySchema.optional(),
  })
  .refine((b) => (b.amount === undefined) === (b.currency === undefined), {
    path: ['currency'],
    message: 'amount and currency go together',
  });

/**
 * Appeals of decided disputes (workflows/disputeAppeal): open one, list a shop's, show one (api/disputeCases.ts). A
 * decision older than the appeal window (21 days in the US, policy/disputeRows.ts) is refused with 422
 * `appeal_window_closed`; one dated in the future with 422 too.
 */
export function disputeAppealRoutes(deps: ApiDeps): Router {
  const shops = createShopRepository(deps.db);
  return disputeCaseRoutes<z.output<typeof DisputeAppealBody>, DisputeAppealInput>(deps, {
    caseKind: 'dispute_appeal',
    plural: 'dispute-appeals',
    body: DisputeAppealBody,
    workflow: disputeAppeal,
    workflowId: disputeAppealWorkflowId,
    caseIdOf: (b) => b.disputeId,
    async input(req, shopId, b) {
      const decidedMs = Date.parse(b.decidedAt);
      if (decidedMs > Date.now() + 5 * 60_000)
        throw new HttpError(422, 'invalid_decided_at', `decidedAt ${b.decidedAt} is in the future`);
      const region = (await shops.region(shopId)) ?? 'US';
      const window = appealWindow(region, new Date(decidedMs));
      const deadline = new Date(decidedMs + window.windowMs).toISOString();
      if (Date.parse(deadline) <= Date.now())
        throw new HttpError(
          422,
          'appeal_window_closed',
          `the dispute was decided at ${b.decidedAt}: its appeal window of ${window.windowMs / 86_400_000} days ` +
            `closed at ${deadline} (${window.source})`,
        );
      return { input: { shopId, ...b, openedBy: openedByCaller(req) }, deadline };
    },
  });
}
