// The retention run's input and report (no signals, queries or updates: a Schedule starts it).
import type { RetentionKind } from '../../activities/retention';

export interface RetentionInput {
  /** Pages per kind in one run (default 200); what is left waits for the Schedule's next firing. */
  maxPages?: number;
}

export type RetentionReport = Record<RetentionKind, { deleted: number; keptOpen: number; pages: number }>;
