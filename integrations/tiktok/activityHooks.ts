// How a TikTok call waiting in the rate budget stays a well-behaved Temporal activity: it heartbeats while it waits
// (an activity with a heartbeat timeout, pushAndConfirmInventory's 20 s, must not miss it in a long queue) and it gives
// up its place when the activity is cancelled or timed out (a stale attempt must never send later). The client reads
// these from the activity context when there is one; outside an activity (API, scripts, tests) there is none and
// nothing changes. Cancellation reaches an activity only through heartbeats
// (https://typescript.temporal.io/api/namespaces/activity, "Cancellation").
import { asyncLocalStorage, Context } from '@temporalio/activity';

/** What a budget wait honours: an abort signal that ends the wait, and a beat called while it waits. */
export interface WaitHooks {
  signal?: AbortSignal;
  onWait?: () => void;
}

// The latest details each running activity heartbeated with: a beat from the budget's wait sends them again, so a
// checkpoint (catalog import) is never replaced by an empty heartbeat.
const lastDetails = new WeakMap<Context, { details: unknown }>();

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined; // not inside an activity
  }
}

/** Heartbeats with a checkpoint to resume from (read back as `activityInfo().heartbeatDetails` after a retry). */
export function heartbeatCheckpoint(details: unknown): void {
  const ctx = currentContext();
  if (!ctx || ctx.info.isLocal) return;
  lastDetails.set(ctx, { details });
  ctx.heartbeat(details);
}

/** The hooks of the activity this code runs in, or undefined outside an activity. */
export function activityWaitHooks(): WaitHooks | undefined {
  const ctx = currentContext();
  if (!ctx) return undefined;
  // Only an activity with a heartbeat timeout beats: a local activity has no heartbeat (Core would warn on each one),
  // and an activity without the timeout needs none; Core's local start-to-close timer still aborts the signal of
  // either. A flash sale queues thousands of order calls here: a heartbeat each would load the Temporal server.
  if (ctx.info.isLocal || !ctx.info.heartbeatTimeoutMs) return { signal: ctx.cancellationSignal };
  return {
    signal: ctx.cancellationSignal,
    onWait: () => {
      const last = lastDetails.get(ctx);
      // Before the first checkpoint of this attempt, the previous attempt's details are the ones to keep.
      ctx.heartbeat(last ? last.details : ctx.info.heartbeatDetails);
    },
  };
}

/**
 * Runs `fn` outside any activity's context: for work done on behalf of several activities (a Get Order Detail call
 * shared by many orders' reads), which one activity's cancellation must not stop nor its heartbeat be charged to.
 */
export function detachedFromActivity<T>(fn: () => T): T {
  return asyncLocalStorage.exit(fn);
}

/** The reason an aborted wait fails with (Temporal's CancelledFailure inside an activity). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('the call was cancelled while it waited');
}
