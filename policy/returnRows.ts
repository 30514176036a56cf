/**
 * Return and refund clocks as sourced rows. The return workflow takes each seller deadline from what TikTok states on
 * the return (`seller_next_action_response[].deadline`, ref §8 in docs/tiktok-shop-api-sources.md); these rows serve
 * where TikTok states none, and for what follows a decision. Read through an activity (activities/returnRequest/read.ts),
 * so the value a return used is in its history.
 */
import type { PolicyRow } from './table';

const UNDATED = '2023-09-01';

export const RETURN_ROWS: PolicyRow[] = [
  {
    // Used only when a pending seller action carries no deadline of its own.
    region: 'US',
    key: 'returns.sellerResponseWindowMs',
    value: 48 * 3_600_000,
    effectiveFrom: UNDATED,
    source:
      'help.commentsold.com "How Returns Work with TikTok" (48 h to respond, otherwise auto-approved); https://help.commentsold.com/',
  },
  {
    // How long the workflow follows a rejected request for an arbitration before it closes the case.
    region: 'US',
    key: 'returns.buyerEscalationWindowMs',
    value: 10 * 24 * 3_600_000,
    effectiveFrom: '2025-10-30',
    source:
      'seller-us.tiktok.com "After-Sale Dispute Escalation Policy" (2025-10-30): the buyer escalates within 10 days of the seller\'s rejection',
  },
];
