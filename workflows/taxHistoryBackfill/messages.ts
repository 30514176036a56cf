// The tax-history backfill's input, result and progress query (module level, as every process declares them).
import { defineQuery } from '@temporalio/workflow';
import type { TaskPriorityConfig } from '../shared/taskPriority';

export interface TaxHistoryBackfillInput {
  shopId: string;
  /** Whole months before the current one (UTC) to fetch; default 24 (nexus windows need 12–24 months). */
  months?: number;
  /** The server's task priority keys, so the activities go at the lowest one (temporal/taxHistoryBackfill.ts). */
  taskPriority?: TaskPriorityConfig;
}

export interface TaxHistoryBackfillProgress {
  monthsTotal: number;
  monthsDone: number;
  /** The month being fetched ('YYYY-MM'), absent before the first and after the last. */
  current?: string;
  lines: number;
}

export interface TaxHistoryBackfillResult extends TaxHistoryBackfillProgress {
  /** Months fetched, newest first. */
  monthsFetched: string[];
  fbtPresences: number;
}

export const backfillProgressQuery = defineQuery<TaxHistoryBackfillProgress>('backfillProgress');

export const DEFAULT_BACKFILL_MONTHS = 24;
export const MAX_BACKFILL_MONTHS = 36;
