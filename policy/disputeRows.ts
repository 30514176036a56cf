/**
 * Dispute clocks as sourced rows. A chargeback's deadline is not here: it is the one written in its notice (TikTok's
 * Chargeback Policy, 2025-01-22: "within the timeframe specified in the email",
 * https://seller-us.tiktok.com/university/essay?default_language=en&knowledge_id=7989055607670570), so the chargeback
 * workflow takes it from its input. The appeal window of a decided after-sale dispute is a platform rule: read through
 * an activity (activities/disputeAppeal/), so the value an appeal used is in its history, and by the API to refuse a
 * decision already past it.
 */
import { PolicyNotFoundError, policyValue, type PolicyRow } from './table';

export const DISPUTE_ROWS: PolicyRow[] = [
  {
    region: 'US',
    key: 'disputes.appealWindowMs',
    value: 21 * 24 * 3_600_000,
    effectiveFrom: '2025-10-30',
    source:
      'seller-us.tiktok.com "After-Sale Dispute Escalation Policy" (2025-10-30): "Sellers may appeal within 21 days with ' +
      'relevant evidence"; https://seller-us.tiktok.com/university/essay?knowledge_id=3985068541478658',
  },
];

/**
 * How long after a dispute's decision the seller may appeal it: the row of the region in force at the decision, else
 * the US row (a region with none of its own), else today's US row (a decision older than every row). Shared by the
 * appeal's activity and the API, which refuses to open an appeal already out of time.
 */
export function appealWindow(region: string, decidedAt: Date): { windowMs: number; source: string } {
  const tries: [string, Date][] = [
    [region, decidedAt],
    ['US', decidedAt],
    ['US', new Date()],
  ];
  for (const [r, at] of tries) {
    try {
      const row = policyValue<number>(DISPUTE_ROWS, r, 'disputes.appealWindowMs', at);
      return { windowMs: row.value, source: row.source };
    } catch (err) {
      if (!(err instanceof PolicyNotFoundError)) throw err;
    }
  }
  throw new PolicyNotFoundError('no disputes.appealWindowMs row');
}
