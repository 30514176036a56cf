// Where a return stands, from its `return_status` and `arbitration_status` (ref §8, Search Returns (docs/tiktok-shop-api-sources.md);
// policy/returnRows.ts: the buyer may escalate a rejection to arbitration). Pure; unit-tested in
// test/unit/returnRequestDecision.test.ts.

/** Ended for good: refunded, completed, cancelled by the buyer. */
const CLOSED_STATUSES: readonly string[] = [
  'RETURN_OR_REFUND_REQUEST_SUCCESS',
  'RETURN_OR_REFUND_REQUEST_COMPLETE',
  'RETURN_OR_REFUND_REQUEST_CANCEL',
  'REPLACEMENT_REQUEST_COMPLETE',
  'REPLACEMENT_REQUEST_CANCEL',
  'REPLACEMENT_REQUEST_REFUND_SUCCESS',
];

/** The seller rejected: closed unless the buyer escalates to arbitration within the escalation window. */
const REJECTED_STATUSES: readonly string[] = [
  'REFUND_OR_RETURN_REQUEST_REJECT',
  'REJECT_RECEIVE_PACKAGE',
  'REPLACEMENT_REQUEST_REJECT',
];

/** Arbitration outcomes that end the case (SUPPORT_BUYER moves the return to a success status of its own). */
const ARBITRATION_ENDED: readonly string[] = ['SUPPORT_SELLER', 'CLOSED'];

export type ReturnPhase = 'open' | 'arbitration' | 'rejected' | 'closed';

export function returnPhase(status: string, arbitrationStatus?: string): ReturnPhase {
  if (arbitrationStatus === 'IN_PROGRESS') return 'arbitration';
  if (CLOSED_STATUSES.includes(status)) return 'closed';
  if (REJECTED_STATUSES.includes(status))
    return arbitrationStatus && ARBITRATION_ENDED.includes(arbitrationStatus) ? 'closed' : 'rejected';
  return 'open';
}
