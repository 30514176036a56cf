import { disputeCase, type DisputeCaseResult } from '../shared/disputeCase';
import type { ChargebackInput } from './messages';

/**
 * One chargeback (`chargeback:<shopId>:<chargebackId>`), opened from its notice through the API or the CLI:
 * record the case → evidence at once (the parcel's carrier history, then the bundle PDF) → a person submits the bundle
 * in Seller Center by the notice's deadline (human step `submit`, reminded at the shop's offsets; nothing by the
 * deadline: `expired`, paged as critical) → the outcome a person reports (human step `outcome`) → the result recorded.
 */
export async function chargeback(input: ChargebackInput): Promise<DisputeCaseResult> {
  const c = disputeCase({
    shopId: input.shopId,
    caseKind: 'chargeback',
    caseId: input.chargebackId,
    orderId: input.orderId,
    reason: input.reason,
    amount: { amount: input.amount, currency: input.currency },
    openedFrom: input.noticeDate,
    deadline: input.responseDeadline,
    deadlineSource: 'the chargeback notice',
    openedBy: input.openedBy,
    details: {
      ...(input.issuer ? { issuer: input.issuer } : {}),
      ...(input.network ? { network: input.network } : {}),
    },
    label: `Chargeback ${input.chargebackId} (order ${input.orderId})`,
    submitIn: 'Seller Center (Finances > Chargebacks)',
  });
  await c.open();
  await c.gatherEvidence();
  if (await c.awaitSubmission()) await c.awaitOutcome();
  return c.result();
}
