// The order reconciliation's input, result and progress query (shared with returnReconciliation:
// workflows/shared/reconciliation.ts), and the shape its activities report.
export {
  getReconciliationProgressQuery,
  type ReconciliationCounts,
  type ReconciliationResult as OrderReconciliationResult,
} from '../shared/reconciliation';

export interface OrderReconciliationInput {
  shopId: string;
}

/** One order from Search Orders: ids, status and TikTok's update time only (no buyer data). */
export interface ReconciledOrder {
  orderId: string;
  status: string;
  /** TikTok's update_time, unix seconds. */
  updateTime: number;
}
