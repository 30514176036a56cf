// The return reconciliation's input and result; the progress query and counts are every reconciliation's
// (workflows/shared/reconciliation.ts).
export {
  getReconciliationProgressQuery,
  type ReconciledPage,
  type ReconciliationResult as ReturnReconciliationResult,
} from '../shared/reconciliation';

export interface ReturnReconciliationInput {
  shopId: string;
}
