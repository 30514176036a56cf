import { proxyActivities } from '@temporalio/workflow';
import type { DisputeAppealActivities } from '../../activities/disputeAppeal';
import { disputeCase, type DisputeCaseResult } from '../shared/disputeCase';
import type { DisputeAppealInput } from './messages';

const { readAppealWindow } = proxyActivities<DisputeAppealActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '1 minute' },
});

/**
 * The appeal of one decided after-sale dispute (`dispute-appeal:<shopId>:<disputeId>`), opened through the API or the
 * CLI: the deadline is the decision's time plus the platform's appeal window (21 days in the US, policy/disputeRows.ts)
 * → record the case → evidence at once (carrier history, then the bundle) → a person submits the appeal in Seller
 * Center by the deadline (human step `submit`, reminders; nothing by then: `expired`) → the outcome a person reports.
 */
export async function disputeAppeal(input: DisputeAppealInput): Promise<DisputeCaseResult> {
  const window = await readAppealWindow({ shopId: input.shopId, decidedAt: input.decidedAt });
  const c = disputeCase({
    shopId: input.shopId,
    region: window.region,
    caseKind: 'dispute_appeal',
    caseId: input.disputeId,
    orderId: input.orderId,
    ...(input.returnId ? { returnId: input.returnId } : {}),
    reason: input.decision,
    ...(input.amount && input.currency ? { amount: { amount: input.amount, currency: input.currency } } : {}),
    openedFrom: input.decidedAt,
    deadline: new Date(Date.parse(input.decidedAt) + window.windowMs).toISOString(),
    deadlineSource: window.source,
    openedBy: input.openedBy,
    details: { disputeType: input.disputeType, decision: input.decision },
    label: `Appeal of dispute ${input.disputeId} (order ${input.orderId})`,
    submitIn: 'Seller Center (Orders > Manage Returns > Appealed/Disputed)',
  });
  await c.open();
  await c.gatherEvidence();
  if (await c.awaitSubmission()) await c.awaitOutcome();
  return c.result();
}
