import type { ReconciliationCounts, ReconciliationKind } from '../workflows/shared/reconciliation';
import type { Db } from './knex';

export type { ReconciliationKind };

/** One reconciliation_runs row (a run of a shop's reconcile-orders or reconcile-returns Schedule). */
export interface ReconciliationRunRow {
  kind: ReconciliationKind;
  workflow_id: string;
  run_id: string;
  status: string;
  searched_from: Date | null;
  watermark_before: Date | null;
  watermark_after: Date | null;
  pages: number;
  seen: number;
  workflows_started: number;
  workflows_signalled: number;
  already_closed: number;
  already_notified: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export interface ReconciliationWatermark {
  updated_since: Date;
  updated_at: Date;
}

/**
 * Reconciliation of one kind: each shop's watermark (updated since) and its runs. Rows of the other kind are never
 * read or written through it.
 */
export function createReconciliationRepository(db: Db, kind: ReconciliationKind) {
  return {
    kind,

    async watermark(shopId: string): Promise<ReconciliationWatermark | undefined> {
      return db('reconciliation_watermarks')
        .where({ shop_id: shopId, kind })
        .first<ReconciliationWatermark | undefined>('updated_since', 'updated_at');
    },

    /** Opens a run's row (once: a retried write is the same row). */
    async openRun(run: {
      shopId: string;
      workflowId: string;
      runId: string;
      searchedFrom: Date;
      watermarkBefore: Date | null;
    }): Promise<void> {
      await db('reconciliation_runs')
        .insert({
          kind,
          shop_id: run.shopId,
          workflow_id: run.workflowId,
          run_id: run.runId,
          searched_from: run.searchedFrom,
          watermark_before: run.watermarkBefore,
        })
        .onConflict(['workflow_id', 'run_id'])
        .ignore();
    },

    /**
     * Moves the watermark forward to `seenAt` (never back; undefined: it stays) and closes the run's row, in one
     * transaction; returns the watermark after.
     */
    async closeRun(run: {
      shopId: string;
      workflowId: string;
      runId: string;
      status: 'completed' | 'failed';
      seenAt?: Date;
      pages: number;
      seen: number;
      counts: ReconciliationCounts;
      error?: string;
    }): Promise<Date | null> {
      return db.transaction(async (trx) => {
        if (run.seenAt) {
          await trx('reconciliation_watermarks')
            .insert({ shop_id: run.shopId, kind, updated_since: run.seenAt, last_run_workflow_id: run.workflowId })
            .onConflict(['shop_id', 'kind'])
            .merge({
              updated_since: trx.raw('greatest(reconciliation_watermarks.updated_since, excluded.updated_since)'),
              last_run_workflow_id: run.workflowId,
              updated_at: trx.fn.now(),
            });
        }
        const row = await trx('reconciliation_watermarks')
          .where({ shop_id: run.shopId, kind })
          .first<{ updated_since: Date } | undefined>('updated_since');
        await trx('reconciliation_runs')
          .where({ workflow_id: run.workflowId, run_id: run.runId })
          .update({
            status: run.status,
            watermark_after: row?.updated_since ?? null,
            pages: run.pages,
            seen: run.seen,
            workflows_started: run.counts.started,
            workflows_signalled: run.counts.signalled,
            already_closed: run.counts.alreadyClosed,
            already_notified: run.counts.alreadyNotified ?? 0,
            error: run.error ?? null,
            finished_at: trx.fn.now(),
          });
        return row?.updated_since ?? null;
      });
    },

    /** The shop's latest runs, newest first. */
    async latestRuns(shopId: string, limit: number): Promise<ReconciliationRunRow[]> {
      return db('reconciliation_runs')
        .where({ shop_id: shopId, kind })
        .orderBy('id', 'desc')
        .limit(limit)
        .select<ReconciliationRunRow[]>('*');
    },
  };
}

export type ReconciliationRepository = ReturnType<typeof createReconciliationRepository>;
