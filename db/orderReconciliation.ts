import type { Db } from './knex';

/** One order_reconciliation_runs row (a run of a shop's reconcile-orders Schedule). */
export interface ReconciliationRunRow {
  workflow_id: string;
  run_id: string;
  status: string;
  searched_from: Date | null;
  watermark_before: Date | null;
  watermark_after: Date | null;
  pages: number;
  orders_seen: number;
  workflows_started: number;
  workflows_signalled: number;
  already_closed: number;
  error: string | null;
  started_at: Date;
  finished_at: Date | null;
}

export interface ReconciliationWatermark {
  updated_since: Date;
  updated_at: Date;
}

/** Order reconciliation: each shop's watermark (orders updated since) and its runs. */
export function createOrderReconciliationRepository(db: Db) {
  return {
    async watermark(shopId: string): Promise<ReconciliationWatermark | undefined> {
      return db('order_reconciliation_watermarks')
        .where({ shop_id: shopId })
        .first<ReconciliationWatermark | undefined>();
    },

    /** Opens a run's row (once: a retried write is the same row). */
    async openRun(run: {
      shopId: string;
      workflowId: string;
      runId: string;
      searchedFrom: Date;
      watermarkBefore: Date | null;
    }): Promise<void> {
      await db('order_reconciliation_runs')
        .insert({
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
      started: number;
      signalled: number;
      alreadyClosed: number;
      error?: string;
    }): Promise<Date | null> {
      return db.transaction(async (trx) => {
        if (run.seenAt) {
          await trx('order_reconciliation_watermarks')
            .insert({ shop_id: run.shopId, updated_since: run.seenAt, last_run_workflow_id: run.workflowId })
            .onConflict('shop_id')
            .merge({
              updated_since: trx.raw('greatest(order_reconciliation_watermarks.updated_since, excluded.updated_since)'),
              last_run_workflow_id: run.workflowId,
              updated_at: trx.fn.now(),
            });
        }
        const row = await trx('order_reconciliation_watermarks')
          .where({ shop_id: run.shopId })
          .first<{ updated_since: Date } | undefined>();
        await trx('order_reconciliation_runs')
          .where({ workflow_id: run.workflowId, run_id: run.runId })
          .update({
            status: run.status,
            watermark_after: row?.updated_since ?? null,
            pages: run.pages,
            orders_seen: run.seen,
            workflows_started: run.started,
            workflows_signalled: run.signalled,
            already_closed: run.alreadyClosed,
            error: run.error ?? null,
            finished_at: trx.fn.now(),
          });
        return row?.updated_since ?? null;
      });
    },

    /** The shop's latest runs, newest first. */
    async latestRuns(shopId: string, limit: number): Promise<ReconciliationRunRow[]> {
      return db('order_reconciliation_runs')
        .where({ shop_id: shopId })
        .orderBy('id', 'desc')
        .limit(limit)
        .select<ReconciliationRunRow[]>('*');
    },
  };
}

export type OrderReconciliationRepository = ReturnType<typeof createOrderReconciliationRepository>;
