/**
 * Committing an approved month's seller-owed transactions to a tax engine (issue 20), resumably and without
 * duplicates. The transactions are read by cursor (tax_seller_owed_transactions.id) in batches; each batch skips
 * what the ledger (tax_engine_commits) already holds, commits the rest through the engine (AvaTax createoradjust is
 * idempotent by code; TaxJar answers 422 on a known transaction_id and the engine updates instead), records the
 * outcomes, then heartbeats the cursor. A worker killed mid-batch leaves the heartbeat at the last finished batch:
 * the retried attempt resumes there, and the ledger plus the engines' own idempotency make a re-sent transaction a
 * no-op (an adjustment/update in place, never a second transaction).
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/knex';
import { createTaxEngineCommitRepository, type StagedRow } from '../../db/taxEngineCommits';
import {
  assertSellerOwed,
  failedOutcome,
  mapLimit,
  NotSellerOwedError,
  type CommitOutcome,
  type TaxEngineName,
} from '../../integrations/taxEngines/types';
import type { TaxEngines } from '../../integrations/taxEngines';

/** Transactions per batch: one ledger read, one engine round (8 calls in flight), one ledger write, one heartbeat. */
export const TAX_COMMIT_BATCH = 100;
/** Transactions one activity call commits at most before it returns its cursor (the workflow calls again). */
export const TAX_COMMIT_PER_ACTIVITY = 5_000;
/** Between heartbeats while a batch waits on the engine (well under the callers' heartbeat timeout). */
const BEAT_EVERY_MS = 5_000;

export interface CommitSellerOwedInput {
  shopId: string;
  engine: TaxEngineName;
  /** YYYY-MM */
  period: string;
  /** Resume after this staged row id (0 or absent: from the start). */
  cursor?: number;
  /** At most this many transactions in this call (default TAX_COMMIT_PER_ACTIVITY). */
  maxTransactions?: number;
  /** Batch size (default TAX_COMMIT_BATCH). */
  batchSize?: number;
}

export interface TaxCommitCounts {
  /** Staged rows read. */
  seen: number;
  /** Taken by the engine in this call, by what it did. */
  created: number;
  /** Already at the engine (an earlier attempt's answer was lost): adjusted/updated in place, or read back. */
  replaced: number;
  /** Already in the ledger: not sent again. */
  skipped: number;
  /** Refused by the engine (or not seller-owed): recorded as rejected, not retried. */
  rejected: number;
  refunds: number;
}

export interface CommitSellerOwedResult extends TaxCommitCounts {
  /** Where the next call starts. */
  cursor: number;
  /** No staged rows after the cursor. */
  done: boolean;
}

/** Heartbeat details: where a retried attempt resumes, and what this call had counted so far. */
interface TaxCommitCheckpoint extends TaxCommitCounts {
  cursor: number;
}

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

export const emptyTaxCommitCounts = (): TaxCommitCounts => ({
  seen: 0,
  created: 0,
  replaced: 0,
  skipped: 0,
  rejected: 0,
  refunds: 0,
});

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

export function createTaxCommitActivities(deps: { db: Db; taxEngines: TaxEngines }) {
  const ledger = createTaxEngineCommitRepository(deps.db);

  /** Commits one batch's rows not yet in the ledger; returns their outcomes (recorded by the caller). */
  async function commitBatch(engineName: TaxEngineName, rows: StagedRow[]): Promise<CommitOutcome[]> {
    const engine = deps.taxEngines[engineName]!;
    const refused: CommitOutcome[] = [];
    const ok = rows.filter((row) => {
      const tx = row.payload.kind === 'sale' ? row.payload.sale : row.payload.refund;
      try {
        assertSellerOwed(tx);
        return true;
      } catch (err) {
        if (!(err instanceof NotSellerOwedError)) throw err;
        const base = { transactionCode: row.transactionCode, orderId: row.orderId, kind: row.kind };
        refused.push(failedOutcome(base, { code: 'NotSellerOwed', message: err.message, retryable: false }));
        return false;
      }
    });
    const sales = ok.flatMap((r) => (r.payload.kind === 'sale' ? [r.payload.sale] : []));
    const refunds = ok.flatMap((r) => (r.payload.kind === 'refund' ? [r.payload.refund] : []));
    // Sales first: a refund in the same batch reverses a sale that must exist at the engine.
    const saleOutcomes = await engine.commitTransactions(sales);
    const refundOutcomes = await mapLimit(refunds, 4, (r) => engine.refundTransaction(r));
    return [...refused, ...saleOutcomes, ...refundOutcomes];
  }

  return {
    async commitSellerOwedTransactions(input: CommitSellerOwedInput): Promise<CommitSellerOwedResult> {
      if (!PERIOD.test(input.period))
        throw ApplicationFailure.nonRetryable(`period ${input.period} is not YYYY-MM`, 'InvalidTaxPeriod');
      if (!deps.taxEngines[input.engine])
        throw ApplicationFailure.nonRetryable(
          `tax engine ${input.engine} is not configured (README: AVATAX_* / TAXJAR_* variables)`,
          'TaxEngineNotConfigured',
        );
      const ctx = currentContext();
      const resumed = ctx?.info.heartbeatDetails as TaxCommitCheckpoint | undefined;
      const state: TaxCommitCheckpoint =
        resumed && resumed.cursor >= (input.cursor ?? 0)
          ? { ...resumed }
          : { cursor: input.cursor ?? 0, ...emptyTaxCommitCounts() };
      const beat = () => ctx?.heartbeat({ ...state });
      const timer = ctx ? setInterval(beat, BEAT_EVERY_MS) : undefined;
      const max = input.maxTransactions ?? TAX_COMMIT_PER_ACTIVITY;
      const batchSize = input.batchSize ?? TAX_COMMIT_BATCH;
      let done = false;
      let readThisCall = 0;
      try {
        while (readThisCall < max) {
          const rows = await ledger.page(
            input.shopId,
            input.period,
            state.cursor,
            Math.min(batchSize, max - readThisCall),
          );
          if (rows.length === 0) {
            done = true;
            break;
          }
          const known = await ledger.recorded(
            input.shopId,
            input.engine,
            input.period,
            rows.map((r) => r.transactionCode),
          );
          const todo = rows.filter((r) => !known.has(r.transactionCode));
          const outcomes = await commitBatch(input.engine, todo);
          const retryable = outcomes.filter((o) => o.action === 'failed' && o.error?.retryable);
          await ledger.record(
            input.shopId,
            input.engine,
            input.period,
            outcomes.filter((o) => !(o.action === 'failed' && o.error?.retryable)),
          );
          if (retryable.length > 0) {
            // The rest of the batch is in the ledger; the cursor stays before the batch, so the retry resends only these.
            const first = retryable[0]!.error!;
            throw ApplicationFailure.retryable(
              `${retryable.length} of ${todo.length} transactions not taken by ${input.engine} (${first.code}: ${first.message})`,
              'TaxEngineUnavailable',
            );
          }
          state.seen += rows.length;
          state.skipped += rows.length - todo.length;
          for (const o of outcomes) {
            if (o.action === 'failed') state.rejected++;
            else if (o.action === 'created') state.created++;
            else state.replaced++;
            if (o.kind === 'refund' && o.action !== 'failed') state.refunds++;
          }
          state.cursor = rows.at(-1)!.id;
          readThisCall += rows.length;
          beat();
        }
      } finally {
        if (timer) clearInterval(timer);
      }
      if (!done) done = (await ledger.page(input.shopId, input.period, state.cursor, 1)).length === 0;
      return { ...state, done };
    },
  };
}
