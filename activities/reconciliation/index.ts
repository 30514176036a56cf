// What every reconciliation shares (orderReconciliation, returnReconciliation): the run's row and the shop's
// watermark (db/reconciliation.ts), the start-or-signal of each item found, and the shop's Schedules
// (temporal/reconciliation.ts), created when the shop is authorized and paused while it is revoked.
import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { createReconciliationRepository, type ReconciliationKind } from '../../db/reconciliation';
import { createWebhookInboxRepository } from '../../db/webhookInbox';
import {
  RECONCILIATION_KINDS,
  ensureReconciliationSchedule,
  setReconciliationInterval,
  setReconciliationSchedulePaused,
} from '../../temporal/reconciliation';
import { ensureAffiliateAuditSchedules, pauseAffiliateAuditSchedules } from '../../temporal/affiliateAudit';
import { ensureTaxReportSchedule, setTaxReportSchedulePaused } from '../../temporal/taxReport';
import { readTaxSettings } from '../../shopSettings/tax';
import type { StartOutcome } from '../../temporal/startOutcome';
import { reconciliationInterval } from '../../shopSettings/reconciliation';
import type { ReconciliationCounts, ReconciliationRunRef } from '../../workflows/shared/reconciliation';

// Search is read from the watermark minus this overlap: an update indexed late by TikTok, or sharing the watermark's
// second, is still found. Items found twice are only signalled again (their workflow reads them back).
export const RECONCILE_OVERLAP_SECONDS = 120;

// A first run (no watermark yet) looks this far back. Orders updated before the shop was connected are not ours. A
// return's seller response window is 48 hours (after which TikTok approves it: help.commentsold.com "How Returns
// Work with TikTok"), so a return updated longer ago than that has nothing left for the seller to decide.
const INITIAL_LOOKBACK_MS: Record<ReconciliationKind, number> = {
  orders: 24 * 3_600_000,
  returns: 48 * 3_600_000,
};

// Concurrent settings changes converge in one or two rounds; the bound only keeps a runaway writer from holding
// the activity.
const SETTLE_ROUNDS = 5;

/** The inbox event kind that brings each kind's status changes (ref §11.4). */
const STATUS_EVENT: Record<ReconciliationKind, 'ORDER_STATUS_CHANGE' | 'RETURN_STATUS_CHANGE'> = {
  orders: 'ORDER_STATUS_CHANGE',
  returns: 'RETURN_STATUS_CHANGE',
};

/**
 * The query of a search for what TikTok updated since `updateTimeGe`, newest update first: with offset pages, an item
 * updated during the run moves to a page already read (it is newer than the watermark, so the next run finds it) and
 * never pushes an unread item out of reach.
 */
export function updatedSinceQuery(input: { updateTimeGe: number; pageToken?: string }, pageSize: number) {
  return {
    page_size: pageSize,
    page_token: input.pageToken,
    sort_field: 'update_time' as const,
    sort_order: 'DESC' as const,
    update_time_ge: input.updateTimeGe,
  };
}

/** One item a reconciliation found: its id, status and TikTok's update time (unix seconds). */
export interface ReconciledItem {
  id: string;
  status: string;
  updateTime: number;
}

/**
 * Start-or-signal of each item's workflow, unless the status it is in already reached that workflow by webhook
 * (routed, or waiting in the inbox for the relay): nothing was missed, and a signal would only make the workflow read
 * it back again.
 */
export async function reconcileItems(
  db: Db,
  kind: ReconciliationKind,
  shopId: string,
  items: ReconciledItem[],
  startOrSignal: (item: ReconciledItem) => Promise<StartOutcome>,
): Promise<Required<ReconciliationCounts>> {
  const counts: Record<StartOutcome, number> = { started: 0, signalled: 0, closed: 0 };
  const delivered = await createWebhookInboxRepository(db).statusEvents(
    shopId,
    STATUS_EVENT[kind],
    items.map((i) => i.id),
  );
  const known = new Set(delivered.map((d) => `${d.id}\u0000${d.status}`));
  let alreadyNotified = 0;
  for (const item of items) {
    if (known.has(`${item.id}\u0000${item.status}`)) alreadyNotified += 1;
    else counts[await startOrSignal(item)] += 1;
  }
  return { started: counts.started, signalled: counts.signalled, alreadyClosed: counts.closed, alreadyNotified };
}

/** What a kind's search activity needs (Search Orders / Search Returns, then start-or-signal each item found). */
export interface ReconciliationSearchDeps {
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE'>;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
}

export interface ReconciliationDeps {
  cfg: Pick<AppConfig, 'TEMPORAL_TASK_QUEUE' | 'ORDER_RECONCILE_INTERVAL'>;
  db: Db;
  temporal: Client;
}

export function createReconciliationActivities(deps: ReconciliationDeps) {
  const repositories = {
    orders: createReconciliationRepository(deps.db, 'orders'),
    returns: createReconciliationRepository(deps.db, 'returns'),
  };
  const scheduleDeps = { temporal: deps.temporal, taskQueue: deps.cfg.TEMPORAL_TASK_QUEUE };

  return {
    /** Reads the shop's watermark and opens this run's row; returns where the search starts (unix seconds). */
    async beginReconciliationRun(
      input: ReconciliationRunRef,
    ): Promise<{ watermark: string | null; updateTimeGe: number }> {
      const repository = repositories[input.kind];
      const row = await repository.watermark(input.shopId);
      const fromMs = row
        ? row.updated_since.getTime() - RECONCILE_OVERLAP_SECONDS * 1000
        : Date.now() - INITIAL_LOOKBACK_MS[input.kind];
      const updateTimeGe = Math.max(0, Math.floor(fromMs / 1000));
      await repository.openRun({
        shopId: input.shopId,
        workflowId: input.workflowId,
        runId: input.runId,
        searchedFrom: new Date(updateTimeGe * 1000),
        watermarkBefore: row?.updated_since ?? null,
      });
      return { watermark: row?.updated_since.toISOString() ?? null, updateTimeGe };
    },

    /** Moves the watermark forward (never back; only for a completed run) and closes the run's row, in one transaction. */
    async finishReconciliationRun(
      input: ReconciliationRunRef & {
        status: 'completed' | 'failed';
        /** Highest update_time seen (unix seconds); undefined: nothing seen, the watermark stays. */
        maxUpdateTime?: number;
        pages: number;
        seen: number;
        counts: ReconciliationCounts;
        error?: string;
      },
    ): Promise<{ watermark: string | null }> {
      const seenAt =
        input.status === 'completed' && input.maxUpdateTime !== undefined && input.maxUpdateTime > 0
          ? new Date(input.maxUpdateTime * 1000)
          : undefined;
      const watermark = await repositories[input.kind].closeRun({ ...input, seenAt });
      return { watermark: watermark?.toISOString() ?? null };
    },

    /**
     * Creates or updates each of the shop's reconciliation Schedules (`reconcile-orders:<shopId>`,
     * `reconcile-returns:<shopId>`) and leaves them running: the shop is authorized.
     */
    async ensureReconciliationSchedules(shopId: string): Promise<Record<ReconciliationKind, 'created' | 'updated'>> {
      const done: Partial<Record<ReconciliationKind, 'created' | 'updated'>> = {};
      for (const kind of RECONCILIATION_KINDS) {
        let every = await reconciliationInterval(deps, kind, shopId);
        done[kind] = await ensureReconciliationSchedule(scheduleDeps, kind, shopId, every);
        // A settings change committed while this ran found no Schedule yet (its hook answers false) or was
        // overwritten by the update above: read the setting again now that the Schedule exists, until it holds.
        // A change committed after this read is applied by its own hook (api/routes/shopSettings.ts).
        for (let round = 0; round < SETTLE_ROUNDS; round++) {
          const now = await reconciliationInterval(deps, kind, shopId);
          if (now === every) break;
          every = now;
          await setReconciliationInterval(scheduleDeps, kind, shopId, every);
        }
      }
      // The shop's affiliate audits run on Schedules of their own, created and paused with these (issue 21).
      await ensureAffiliateAuditSchedules(scheduleDeps, shopId);
      // And its monthly tax report (issue 20), on the 1st in the shop's tax time zone.
      await ensureTaxReportSchedule(scheduleDeps, shopId, await readTaxSettings(deps, shopId));
      return done as Record<ReconciliationKind, 'created' | 'updated'>;
    },

    /** Pauses the shop's Schedules while its authorization is revoked (their calls would only wait). */
    async pauseReconciliationSchedules(shopId: string, reason: string): Promise<ReconciliationKind[]> {
      const paused: ReconciliationKind[] = [];
      for (const kind of RECONCILIATION_KINDS) {
        const note = `authorization revoked: ${reason}`.slice(0, 500);
        if (await setReconciliationSchedulePaused(scheduleDeps, kind, shopId, true, note)) paused.push(kind);
      }
      await pauseAffiliateAuditSchedules(scheduleDeps, shopId, `authorization revoked: ${reason}`.slice(0, 500));
      await setTaxReportSchedulePaused(scheduleDeps, shopId, true, `authorization revoked: ${reason}`.slice(0, 500));
      return paused;
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
