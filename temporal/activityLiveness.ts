// Liveness heartbeats for activities whose worker may die (issue 12 item 11). An activity with only a start-to-close
// timeout that was running on a worker that is SIGKILLed is retried only when that timeout expires (5 minutes for the
// order's activities: an order stayed open long after a chaos run's sale). With a heartbeat timeout, the server
// notices the silence within it and retries the activity on a live worker. The activities themselves need not know:
// this wrapper heartbeats while each call runs (the SDK throttles what it sends to the server).
import { Context } from '@temporalio/activity';

/** How often a running activity says it is alive; well under the order activities' heartbeat timeout (20 s). */
export const LIVENESS_HEARTBEAT_MS = 5_000;

type AsyncFn = (...args: never[]) => Promise<unknown>;
type Call = (...args: unknown[]) => Promise<unknown>;

/**
 * The same activities, each heartbeating every `everyMs` while it runs. Not for activities that heartbeat details
 * (a checkpoint to resume from): a detail-less heartbeat would replace their details. Local activities (no
 * heartbeats in Temporal) and calls outside an activity (tests) run as they are.
 */
export function withLivenessHeartbeat<T extends Record<string, AsyncFn>>(
  activities: T,
  everyMs = LIVENESS_HEARTBEAT_MS,
): T {
  const wrapped: Record<string, Call> = {};
  for (const [name, activity] of Object.entries(activities)) {
    const fn = activity as Call;
    wrapped[name] = async (...args: unknown[]) => {
      let ctx: Context;
      try {
        ctx = Context.current();
      } catch {
        return fn(...args);
      }
      if (ctx.info.isLocal) return fn(...args);
      const timer = setInterval(() => ctx.heartbeat(), everyMs);
      try {
        return await fn(...args);
      } finally {
        clearInterval(timer);
      }
    };
  }
  return wrapped as unknown as T;
}
