import {
  ScheduleAlreadyRunning,
  ScheduleNotFoundError,
  ScheduleOverlapPolicy,
  type Client,
  type ScheduleDescription,
} from '@temporalio/client';
import type { Duration } from '@temporalio/common';
import { certificateExpiry } from '../workflows/certificateExpiry/workflow';
import { certificateExpiryScheduleId } from '../workflows/ids';
import { CaseId, CaseKind, ShopId } from '../workflows/shared/searchAttributes';

type Ctx = { temporal: Client; taskQueue: string };

/** Once a day, early UTC morning: the notices are read during the US working day. */
export const CERTIFICATE_EXPIRY_DAILY_AT = { hour: 13, minute: 0 } as const;

function dailySchedule(ctx: Ctx, shopId: string) {
  return {
    spec: { calendars: [{ ...CERTIFICATE_EXPIRY_DAILY_AT, comment: 'daily certificate expiry check' }] },
    action: {
      type: 'startWorkflow' as const,
      workflowType: certificateExpiry,
      args: [{ shopId }] as [{ shopId: string }],
      taskQueue: ctx.taskQueue,
      workflowId: certificateExpiryScheduleId(shopId),
      workflowRunTimeout: '10 minutes' as Duration,
      typedSearchAttributes: [
        { key: ShopId, value: shopId },
        { key: CaseKind, value: 'certificate_expiry' },
        { key: CaseId, value: shopId },
      ],
    },
    // A check missed while the server was down is still worth running the same day; two at once are one too many.
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '12 hours' as Duration, pauseOnFailure: false },
  };
}

/**
 * Creates the shop's daily certificate-expiry Schedule (`certificate-expiry:<shopId>`), or brings an existing one to
 * today's spec and action. Called when a document is uploaded (a shop without documents has nothing to check).
 */
export async function ensureCertificateExpirySchedule(ctx: Ctx, shopId: string): Promise<'created' | 'updated'> {
  const handle = ctx.temporal.schedule.getHandle(certificateExpiryScheduleId(shopId));
  const wanted = dailySchedule(ctx, shopId);
  const state = { paused: false, note: 'certificate vault: daily expiry check' };
  // Most uploads find the Schedule there: update first, create when there is none.
  const updated = await handle
    .update((previous) => ({ ...previous, ...wanted, state: { ...previous.state, ...state } }))
    .then(
      () => true,
      (err: unknown) => {
        if (err instanceof ScheduleNotFoundError) return false;
        throw err;
      },
    );
  if (updated) return 'updated';
  // Two first uploads at once: the second finds the first's Schedule, as wanted.
  await ctx.temporal.schedule.create({ scheduleId: handle.scheduleId, ...wanted, state }).catch((err: unknown) => {
    if (!(err instanceof ScheduleAlreadyRunning)) throw err;
  });
  return 'created';
}

/** The Schedule as operators see it (next runs, the latest runs' workflow ids), or undefined when the shop has none. */
export async function describeCertificateExpirySchedule(temporal: Client, shopId: string) {
  const found: ScheduleDescription | undefined = await temporal.schedule
    .getHandle(certificateExpiryScheduleId(shopId))
    .describe()
    .catch((err: unknown) => {
      if (err instanceof ScheduleNotFoundError) return undefined;
      throw err;
    });
  if (!found) return undefined;
  const { scheduleId, state, info } = found;
  return {
    scheduleId,
    paused: state.paused,
    nextRuns: info.nextActionTimes.map((t) => t.toISOString()),
    latestRuns: info.recentActions.map((a) => ({
      at: a.scheduledAt?.toISOString() ?? null,
      workflowId: a.action.workflow.workflowId,
    })),
  };
}

/** Runs the check now (skipped while one runs). */
export async function triggerCertificateExpiry(temporal: Client, shopId: string): Promise<void> {
  await temporal.schedule.getHandle(certificateExpiryScheduleId(shopId)).trigger(ScheduleOverlapPolicy.SKIP);
}
