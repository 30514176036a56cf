// Temporal task priority (server ≥ 1.29 with the new matcher): a task with a lower priority key is handed to a worker
// before any task with a higher one waiting on the same queue. The server's number of keys (`matching.priorityLevels`,
// default 5, middle key the default) is its configuration; the app is told it through TEMPORAL_PRIORITY_LEVELS.
// Pure: imported by workflows.
import type { ActivityOptions, Priority } from '@temporalio/common';

export interface TaskPriorityConfig {
  /** The server's `matching.priorityLevels`. */
  levels: number;
  /** Width of one deadline key: calls due within the same step share a key (then the rate budget orders them). */
  deadlineStepMs: number;
}

/**
 * How long an urgent TikTok call (a stock-out, an order's hand-off or first read) may wait in the shop's shared rate
 * budget: its budget deadline is this far ahead, so it goes before calls whose deadlines are hours or days away.
 */
export const URGENT_DEADLINE_MS = 5_000;

/** The rate-budget deadline of an urgent call: URGENT_DEADLINE_MS from now, or its own deadline when sooner. */
export function urgentBudgetDeadline(ownDeadline: string | undefined, nowMs: number): string {
  return new Date(Math.min(ownDeadline ? Date.parse(ownDeadline) : Infinity, nowMs + URGENT_DEADLINE_MS)).toISOString();
}

/** Stock-outs (oversell) and an order's hand-off to the warehouse: ahead of everything else. */
export const URGENT: Priority = { priorityKey: 1 };

/**
 * A call with a deadline: keys 2 … (default − 1) by time left, one key per `deadlineStepMs`, so that fulfilment calls
 * leave the task queue nearly earliest-deadline-first and always before calls without a deadline (the default key).
 * With the server's 5 keys every deadline call gets key 2. Time left is counted when the task is scheduled, so a task
 * that waits in the queue keeps its key (ordering error at most its wait; the rate budget then orders by deadline).
 */
export function deadlinePriority(
  cfg: TaskPriorityConfig | undefined,
  deadline: string | undefined,
  nowMs: number,
): Pick<ActivityOptions, 'priority' | 'allowEagerDispatch'> | undefined {
  if (!cfg || !deadline || cfg.levels < 3) return undefined;
  const lastDeadlineKey = Math.floor((cfg.levels + 1) / 2) - 1;
  const steps = Math.floor(Math.max(0, Date.parse(deadline) - nowMs) / cfg.deadlineStepMs);
  const priorityKey = Math.min(lastDeadlineKey, 2 + steps);
  // Eager dispatch hands the task straight back to the worker that scheduled it, past every task waiting in the
  // queue: a call whose deadline is near enough to be ordered goes through the queue instead.
  return priorityKey < lastDeadlineKey
    ? { priority: { priorityKey }, allowEagerDispatch: false }
    : { priority: { priorityKey } };
}

/**
 * The lowest task priority (the server's last key): work that may wait behind everything else, such as the tax-history
 * backfill. Its TikTok calls are also `background` in the rate budget (integrations/tiktok/common.ts CallOptions).
 */
export function backgroundPriority(cfg: TaskPriorityConfig | undefined): Pick<ActivityOptions, 'priority'> | undefined {
  return cfg && cfg.levels >= 3 ? { priority: { priorityKey: cfg.levels } } : undefined;
}
