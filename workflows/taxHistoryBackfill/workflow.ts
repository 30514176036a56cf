import { proxyActivities, setHandler } from '@temporalio/workflow';
import type { TaxDataActivities } from '../../activities/taxHistoryBackfill';
import { backgroundPriority } from '../shared/taskPriority';
import {
  backfillProgressQuery,
  DEFAULT_BACKFILL_MONTHS,
  MAX_BACKFILL_MONTHS,
  type TaxHistoryBackfillInput,
  type TaxHistoryBackfillProgress,
  type TaxHistoryBackfillResult,
} from './messages';
import { monthsBefore } from './months';

/**
 * A shop's first tax report needs 12–24 months of history (nexus windows): fetch the Finance API month by month,
 * newest first, every call at the lowest priority of the shop's rate budget and of the task queue, so an order's
 * calls are never delayed by it. Each month's activity stores the lines and records the month as covered
 * (db/taxSales.ts coverage), so a report can say which windows its history lacks; then the FBT stock presence.
 * Only counts enter the history.
 */
export async function taxHistoryBackfill(input: TaxHistoryBackfillInput): Promise<TaxHistoryBackfillResult> {
  const { syncTaxFinance, syncFbtInventory } = proxyActivities<TaxDataActivities>({
    // A month of a large shop is many pages, each waiting behind every other call of the shop: a long timeout, a
    // heartbeat per page.
    startToCloseTimeout: '2 hours',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes' },
    ...backgroundPriority(input.taskPriority),
  });
  const months = monthsBefore(Date.now(), Math.min(MAX_BACKFILL_MONTHS, input.months ?? DEFAULT_BACKFILL_MONTHS));
  const progress: TaxHistoryBackfillProgress = { monthsTotal: months.length, monthsDone: 0, lines: 0 };
  setHandler(backfillProgressQuery, () => progress);

  const monthsFetched: string[] = [];
  for (const m of months) {
    progress.current = m.month;
    const counts = await syncTaxFinance({ shopId: input.shopId, from: m.from, to: m.to, background: true });
    progress.lines += counts.saleLines + counts.sampleLines + counts.refundLines;
    progress.monthsDone += 1;
    monthsFetched.push(m.month);
  }
  delete progress.current;
  const fbt = await syncFbtInventory({ shopId: input.shopId, background: true });
  return { ...progress, monthsFetched, fbtPresences: fbt.presences };
}
