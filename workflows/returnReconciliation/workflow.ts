import { proxyActivities } from '@temporalio/workflow';
import type { ReconciliationActivities } from '../../activities/reconciliation';
import type { ReturnReconciliationActivities } from '../../activities/returnReconciliation';
import {
  BOOKKEEPING_ACTIVITY_OPTIONS,
  SEARCH_ACTIVITY_OPTIONS,
  reconcileSinceWatermark,
} from '../shared/reconciliation';
import type { ReturnReconciliationInput, ReturnReconciliationResult } from './messages';

const db = proxyActivities<ReconciliationActivities>(BOOKKEEPING_ACTIVITY_OPTIONS);
// A page is one Search Returns call and up to 50 start-or-signals: a retry repeats only signals (idempotent).
const tiktok = proxyActivities<ReturnReconciliationActivities>(SEARCH_ACTIVITY_OPTIONS);

/**
 * One run per firing of the shop's `reconcile-returns:<shopId>` Schedule (every `reconciliation.returnsEvery` of the
 * shop's settings): every return TikTok updated since the watermark (minus an overlap) reaches its returnRequest
 * workflow through the webhooks' own path, so a return whose RETURN_STATUS_CHANGE was dropped is still decided before
 * its deadline; then the watermark moves to the newest update seen. The returns themselves stay in the activity
 * (this history holds counts only).
 */
export async function returnReconciliation(input: ReturnReconciliationInput): Promise<ReturnReconciliationResult> {
  const { shopId } = input;
  return reconcileSinceWatermark('returns', shopId, db, (updateTimeGe, pageToken) =>
    tiktok.reconcileReturnsPage({ shopId, updateTimeGe, pageToken }),
  );
}
