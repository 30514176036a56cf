import { proxyActivities } from '@temporalio/workflow';
import type { PurgeResult, RetentionActivities, RetentionKind } from '../../activities/retention';
import type { RetentionInput, RetentionReport } from './messages';

const { purgeExpired } = proxyActivities<RetentionActivities>({
  startToCloseTimeout: '5 minutes',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', maximumInterval: '1 minute', maximumAttempts: 5 },
});

export const RETENTION_KINDS: RetentionKind[] = ['dead_letters', 'webhook_inbox', 'warehouse_outbox', 'stored_files'];
// Pages per kind in one run; what is left waits for the Schedule's next firing (the history stays small).
const DEFAULT_MAX_PAGES = 200;

/**
 * Started by the `retention` Schedule: deletes expired dead letters, delivered inbox rows, warehouse outbox rows and
 * stored files page by page (each page one activity, a bounded batch), never rows of an order whose workflow still runs.
 */
export async function retention(input: RetentionInput = {}): Promise<RetentionReport> {
  const report = {} as RetentionReport;
  for (const kind of RETENTION_KINDS) {
    const total = { deleted: 0, keptOpen: 0, pages: 0 };
    let afterId: string | undefined = '0';
    while (afterId !== undefined && total.pages < (input.maxPages ?? DEFAULT_MAX_PAGES)) {
      const page: PurgeResult = await purgeExpired(kind, afterId);
      total.deleted += page.deleted;
      total.keptOpen += page.keptOpen;
      total.pages += 1;
      afterId = page.nextAfterId;
    }
    report[kind] = total;
  }
  return report;
}
