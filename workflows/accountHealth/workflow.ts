import {
  ActivityFailure,
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import { INVALID_DECISION } from '../shared/failureTypes';
import { checkDecidedBy, invalidDecision } from '../shared/humanSteps';
import { upsertCaseAttributes } from '../shared/searchAttributes';
import {
  accountHealthDirtySignal,
  accountHealthSnapshotSignal,
  getAccountHealthQuery,
  recordViolationUpdate,
  type AccountHealthInput,
  type AccountHealthSummary,
  type AccountHealthView,
  type RecordViolationInput,
} from './messages';
import { accountHealthActivities as acts } from './proxies';
import { idleTimeoutMs, refreshWaitMs } from './refreshClock';
import { violationInputProblems } from './violationInput';

const MIN_REFRESH_INTERVAL_MS = 60_000;
const RETRY_AFTER_MS = 5 * 60_000;
// A refresh is a handful of events; a daily snapshot and a busy day's refreshes stay far below this.
const DEFAULT_MAX_HISTORY_EVENTS = 2_000;

/**
 * One long-lived workflow per shop (`account-health:<shopId>`), its account health kept current: wait until
 * something changed (orders, cancellations, tracking: the `accountHealthDirty` signal, sent once per clean→dirty
 * transition of the shop's marker; a violation entered; the day's snapshot due; a violation expiring) → refresh from
 * PostgreSQL at most once a minute (the report's summary, its warnings notified) → publish the milestone, risk and
 * forecast as the case attributes → continue-as-new before the history grows.
 *
 * Mode `daily` is the short run the shop's daily Schedule starts (`account-health-daily:<shopId>`): a Schedule can only
 * start workflows, so this run asks the shop's workflow for the day's snapshot by signal-with-start (which also brings
 * back a workflow that was terminated) and ends; the snapshot is taken by the one workflow that owns the shop's health.
 */
export async function accountHealth(input: AccountHealthInput): Promise<void> {
  const { shopId } = input;
  if (input.mode === 'daily') {
    await acts.requestAccountHealthSnapshot({ shopId, scheduledAt: new Date().toISOString() });
    return;
  }
  const minIntervalMs = input.minRefreshIntervalMs ?? MIN_REFRESH_INTERVAL_MS;
  const retryAfterMs = input.retryAfterMs ?? RETRY_AFTER_MS;
  const maxEvents = input.maxHistoryEvents ?? DEFAULT_MAX_HISTORY_EVENTS;
  const carried = input.carried;
  // A new workflow refreshes once at start: the shop was just connected, or its workflow started again.
  let dirty = carried?.dirty ?? true;
  let snapshotDue = carried?.snapshotDue ?? false;
  let summary: AccountHealthSummary | undefined = carried?.summary;
  let lastRefreshAt = carried?.lastRefreshAt;
  let refreshes = carried?.refreshes ?? 0;
  let lastError = carried?.lastError;
  let retryAt: number | undefined;
  /** The snapshot of a failed refresh, taken by the retry (it must not wake the workflow before then). */
  let snapshotOwed = false;
  let published = '';

  const historyIsLarge = (): boolean => {
    const info = workflowInfo();
    return info.continueAsNewSuggested || info.historyLength > maxEvents;
  };
  const view = (): AccountHealthView => ({
    shopId,
    summary: summary ?? null,
    lastRefreshAt: lastRefreshAt === undefined ? null : new Date(lastRefreshAt).toISOString(),
    refreshes,
    dirty,
    snapshotDue,
    lastError: lastError ?? null,
  });

  setHandler(accountHealthDirtySignal, () => void (dirty = true));
  setHandler(accountHealthSnapshotSignal, () => void (snapshotDue = true));
  setHandler(getAccountHealthQuery, view);
  setHandler(
    recordViolationUpdate,
    async (violation) => {
      try {
        const result = await acts.recordAccountHealthViolation({ shopId, ...violation });
        dirty = true;
        return result;
      } catch (err) {
        // The regime's own check of the points (the 48-point regime's ranges per policy): the person's input.
        if (
          err instanceof ActivityFailure &&
          err.cause instanceof ApplicationFailure &&
          err.cause.type === INVALID_DECISION
        )
          throw invalidDecision(err.cause.message);
        throw err;
      }
    },
    {
      validator: (violation: RecordViolationInput) => {
        checkDecidedBy(violation);
        const problems = violationInputProblems(violation, Date.now());
        if (problems.length > 0) throw invalidDecision(problems.join('; '));
      },
    },
  );

  if (summary) publish(summary);
  for (;;) {
    if (historyIsLarge()) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof accountHealth>({
        ...input,
        carried: { summary, lastRefreshAt, dirty, snapshotDue: snapshotDue || snapshotOwed, refreshes, lastError },
      });
      return;
    }
    const wake = () => dirty || snapshotDue || historyIsLarge();
    const timeout = idleTimeoutMs(Date.now(), { nextChangeAt: summary?.nextChangeAt, retryAt });
    // The score changes by itself when a violation expires: refresh then, without any event.
    if (timeout === undefined) await condition(wake);
    else if (!(await condition(wake, timeout))) dirty = true;
    if (historyIsLarge()) continue;

    // At most one refresh a minute: whatever arrives meanwhile is read by this one.
    const wait = refreshWaitMs(lastRefreshAt, Date.now(), minIntervalMs);
    if (wait > 0) await sleep(wait);
    const snapshot: boolean = snapshotDue || snapshotOwed;
    dirty = false;
    snapshotDue = false;
    snapshotOwed = false;
    retryAt = undefined;
    try {
      summary = await acts.refreshAccountHealth({
        shopId,
        asOf: new Date().toISOString(),
        snapshot,
        previousWarnings: summary?.warnings.map((w) => w.key),
      });
      lastError = undefined;
      publish(summary);
    } catch (err) {
      // A failed refresh (database down, shop not registered yet) must not end the shop's workflow: try later.
      if (!(err instanceof ActivityFailure)) throw err;
      lastError = err.cause?.message ?? err.message;
      snapshotOwed = snapshot;
      retryAt = Date.now() + retryAfterMs;
    }
    lastRefreshAt = Date.now();
    refreshes += 1;
  }

  /** The case attributes, upserted only when they change (an upsert is a history event). */
  function publish(s: AccountHealthSummary): void {
    const attrs = {
      shopId,
      region: s.region,
      kind: 'account_health',
      caseId: shopId,
      stage: s.stage,
      risk: s.risk,
      nextDeadline: s.nextMilestoneAt,
    };
    const key = JSON.stringify(attrs);
    if (key === published) return;
    published = key;
    upsertCaseAttributes(attrs);
  }
}
