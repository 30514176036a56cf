// The accountHealth workflow's activities: the refresh (the report computed from PostgreSQL by accountHealth/, its
// warnings notified, the day's snapshot saved; a summary returned, never order rows), a violation a person entered,
// and the two Temporal calls of the process (the daily run's signal, the start when a shop is connected).
import type { Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { computeAccountHealth, InvalidViolationError, recordHealthViolation } from '../../accountHealth';
import type { AccountHealthReport, HealthWarning } from '../../accountHealth/model';
import type { AppConfig } from '../../config';
import { createAccountHealthRepository } from '../../db/accountHealth';
import type { Db } from '../../db/knex';
import type { Notifier } from '../../notifications/notifier';
import {
  ensureAccountHealthSchedule,
  signalAccountHealthDirty,
  signalAccountHealthSnapshot,
} from '../../temporal/accountHealth';
import type {
  AccountHealthSummary,
  RecordViolationInput,
  RecordViolationResult,
} from '../../workflows/accountHealth/messages';
import { INVALID_DECISION } from '../../workflows/shared/failureTypes';
import { summarizeAccountHealth, warningKey } from './summary';

export interface AccountHealthActivityDeps {
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'>;
  db: Db;
  temporal: Client;
  notifier: Pick<Notifier, 'notify'>;
}

/** How many order ids a warning's notification names (the report names up to OFFENDING_ORDERS_CAP). */
const ORDERS_NAMED = 10;

/** A warning as a notification: what it says, then the orders that caused it. */
export function warningNotification(report: Pick<AccountHealthReport, 'shopId' | 'asOf'>, w: HealthWarning) {
  const shown = w.orderIds.slice(0, ORDERS_NAMED);
  const more = w.orderIds.length - shown.length;
  const orders = shown.length === 0 ? '' : `\nOrders: ${shown.join(', ')}${more > 0 ? ` and ${more} more` : ''}`;
  return {
    // One notification per warning and day it (re)appears: a retried refresh never notifies twice.
    dedupKey: `account-health:${report.shopId}:${warningKey(w)}:${report.asOf.slice(0, 10)}`,
    shopId: report.shopId,
    kind: `account_health_${w.code}`,
    severity: w.severity,
    title: `Account health: ${w.message}`,
    // The message says "(unverified)" itself where a policy value behind it has no official source.
    body: `${w.message}${orders}`,
  };
}

export function createAccountHealthActivities(deps: AccountHealthActivityDeps) {
  const health = createAccountHealthRepository(deps.db);
  const ctx = { temporal: deps.temporal, taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE };

  return {
    /**
     * Clears the shop's dirty marker first (an event committed during the read marks it again and signals again, so
     * nothing is missed), computes the report as of `asOf` (the workflow's time), saves it as the day's snapshot when
     * asked, notifies the warnings that were not active at the previous refresh, and returns the summary.
     */
    async refreshAccountHealth(input: {
      shopId: string;
      asOf: string;
      snapshot: boolean;
      previousWarnings?: string[];
    }): Promise<AccountHealthSummary> {
      await health.clearDirty(input.shopId, new Date());
      const report = await computeAccountHealth({ db: deps.db }, input.shopId, new Date(input.asOf));
      let snapshotDay: string | undefined;
      if (input.snapshot) {
        await health.saveSnapshot(report);
        snapshotDay = report.asOf.slice(0, 10);
      }
      const before = new Set(input.previousWarnings ?? []);
      for (const w of report.warnings) {
        if (w.severity === 'info' || before.has(warningKey(w))) continue;
        await deps.notifier.notify(warningNotification(report, w));
      }
      return summarizeAccountHealth(report, snapshotDay);
    },

    /**
     * Records a Seller Center notice a person entered (accountHealth/ recordHealthViolation: it counts for the
     * regime's window from its date). The same notice id again corrects the one recorded. Points the regime does not
     * allow fail as InvalidDecision (the API's 422), not retried.
     */
    async recordAccountHealthViolation(
      input: RecordViolationInput & { shopId: string },
    ): Promise<RecordViolationResult> {
      try {
        const violation = await recordHealthViolation(
          { db: deps.db },
          {
            shopId: input.shopId,
            policy: input.policy,
            points: input.points,
            occurredAt: new Date(input.occurredAt),
            noticeRef: input.noticeId,
            note: input.note,
            enteredBy: input.decidedBy,
          },
        );
        return {
          violationId: violation.id,
          noticeId: input.noticeId,
          occurredAt: violation.occurredAt,
          expiresAt: violation.expiresAt,
        };
      } catch (err) {
        if (err instanceof InvalidViolationError)
          throw ApplicationFailure.create({ type: INVALID_DECISION, message: err.message, nonRetryable: true });
        throw err;
      }
    },

    /** The daily Schedule's run: asks the shop's account-health workflow for the day's snapshot. */
    async requestAccountHealthSnapshot(input: { shopId: string; scheduledAt: string }): Promise<void> {
      await signalAccountHealthSnapshot(ctx, input.shopId, input.scheduledAt);
    },

    /**
     * The shop is connected: its account-health workflow runs (started, or told to refresh) and its daily Schedule
     * (`account-health-daily:<shopId>`) exists and runs.
     */
    async ensureAccountHealth(shopId: string): Promise<{ schedule: 'created' | 'updated' }> {
      await signalAccountHealthDirty(ctx, shopId);
      return { schedule: await ensureAccountHealthSchedule(ctx, shopId) };
    },
  };
}

export type AccountHealthActivities = ReturnType<typeof createAccountHealthActivities>;
