import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { startOrSignalReturnWorkflow } from '../../temporal/returnStart';
import type { ReconciledPage } from '../../workflows/returnReconciliation/messages';
import { reconcileItems, updatedSinceQuery, type ReconciliationSearchDeps } from '../reconciliation';

// Search Returns takes 10 to 50 (ref §8): the largest page, fewest calls.
const PAGE_SIZE = 50;

export type ReturnReconciliationDeps = ReconciliationSearchDeps;

/** Search Returns and the return workflows' start-or-signal; the run's bookkeeping is activities/reconciliation/. */
export function createReturnReconciliationActivities(deps: ReturnReconciliationDeps) {
  const startDeps = { temporal: deps.temporal, taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE };

  return {
    /**
     * One page of Search Returns updated since `updateTimeGe`, newest update first, and the start-or-signal of each
     * return's workflow through temporal/returnStart.ts — except those whose status already arrived by webhook.
     * Returns counts only: the rows stay out of the workflow's history. A return on two pages (the list shifted) is
     * signalled twice, which its workflow takes as one more read-back.
     */
    async reconcileReturnsPage(input: {
      shopId: string;
      updateTimeGe: number;
      pageToken?: string;
    }): Promise<ReconciledPage> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const page = await callEndpoint(
        deps.tiktok.client,
        endpoints.searchReturns,
        shop,
        updatedSinceQuery(input, PAGE_SIZE),
      );
      const returns = page.return_orders.map((r) => ({
        id: r.return_id,
        status: r.return_status,
        updateTime: r.update_time ?? 0,
      }));
      const counts = await reconcileItems(deps.db, 'returns', input.shopId, returns, (r) =>
        startOrSignalReturnWorkflow(startDeps, input.shopId, r.id, { status: r.status, updateTime: r.updateTime }),
      );
      return {
        ...counts,
        seen: returns.length,
        maxUpdateTime: returns.length > 0 ? Math.max(...returns.map((r) => r.updateTime)) : undefined,
        nextPageToken: page.next_page_token || undefined,
      };
    },
  };
}

export type ReturnReconciliationActivities = ReturnType<typeof createReturnReconciliationActivities>;
