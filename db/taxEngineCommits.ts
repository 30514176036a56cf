import type { Db } from './knex';
import {
  refundTransactionCode,
  saleTransactionCode,
  type CommitOutcome,
  type SellerOwedRefund,
  type SellerOwedTransaction,
  type TaxEngineName,
} from '../integrations/taxEngines/types';

/** What a month commits: a seller-owed sale or a refund of one (tax_seller_owed_transactions.payload). */
export type StagedTaxTransaction =
  { kind: 'sale'; sale: SellerOwedTransaction } | { kind: 'refund'; refund: SellerOwedRefund };

export interface StagedRow {
  id: number;
  transactionCode: string;
  kind: 'sale' | 'refund';
  orderId: string;
  /** As stored (JSON): checked again before it is committed (integrations/taxEngines/types.ts assertSellerOwed). */
  payload: StagedTaxTransaction;
}

export interface LedgerCounts {
  committed: number;
  rejected: number;
  /** Committed rows by the action the engine took (created, adjusted, updated, existing). */
  byAction: Record<string, number>;
  engineTax: number;
  collectedTax: number;
}

const codeOf = (t: StagedTaxTransaction): string =>
  t.kind === 'sale' ? saleTransactionCode(t.sale.orderId) : refundTransactionCode(t.refund.refundId);
const orderOf = (t: StagedTaxTransaction): string => (t.kind === 'sale' ? t.sale.orderId : t.refund.orderId);

/** tax_seller_owed_transactions and tax_engine_commits (migration 028): the month's commit input and its ledger. */
export function createTaxEngineCommitRepository(db: Db) {
  return {
    /**
     * Stages a month's transactions (sales before refunds, so a refund never reaches an engine before its sale within
     * the month); staging the same code again replaces its payload. Returns the rows written.
     */
    async stage(
      shopId: string,
      period: string,
      items: readonly StagedTaxTransaction[],
      chunk = 1_000,
    ): Promise<number> {
      const ordered = [...items.filter((i) => i.kind === 'sale'), ...items.filter((i) => i.kind === 'refund')];
      let written = 0;
      for (let i = 0; i < ordered.length; i += chunk) {
        const rows = ordered.slice(i, i + chunk).map((t) => ({
          shop_id: shopId,
          period,
          transaction_code: codeOf(t),
          kind: t.kind,
          order_id: orderOf(t),
          payload: JSON.stringify(t),
        }));
        await db('tax_seller_owed_transactions')
          .insert(rows)
          .onConflict(['shop_id', 'period', 'transaction_code'])
          .merge(['payload', 'kind', 'order_id']);
        written += rows.length;
      }
      return written;
    },

    /**
     * Removes a month's staged transactions (a month is staged again whole from its approved report, so a transaction
     * an earlier report of the month held and the approved one does not is never committed). The ledger stays.
     */
    async clearStaged(shopId: string, period: string): Promise<number> {
      return db('tax_seller_owed_transactions').where({ shop_id: shopId, period }).delete();
    },

    /** The staged rows after `afterId`, in id order (the commit's cursor). */
    async page(shopId: string, period: string, afterId: number, limit: number): Promise<StagedRow[]> {
      const rows: {
        id: string;
        transaction_code: string;
        kind: 'sale' | 'refund';
        order_id: string;
        payload: StagedTaxTransaction;
      }[] = await db('tax_seller_owed_transactions')
        .where({ shop_id: shopId, period })
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .select('id', 'transaction_code', 'kind', 'order_id', 'payload');
      return rows.map((r) => ({
        id: Number(r.id),
        transactionCode: r.transaction_code,
        kind: r.kind,
        orderId: r.order_id,
        payload: r.payload,
      }));
    },

    /** Which of these codes the ledger already holds for the engine and month (committed or rejected). */
    async recorded(
      shopId: string,
      engine: TaxEngineName,
      period: string,
      codes: readonly string[],
    ): Promise<Set<string>> {
      if (codes.length === 0) return new Set();
      const rows: { transaction_code: string }[] = await db('tax_engine_commits')
        .where({ shop_id: shopId, engine, period })
        .whereIn('transaction_code', [...codes])
        .select('transaction_code');
      return new Set(rows.map((r) => r.transaction_code));
    },

    /**
     * Records what the engine took (committed) or refused (rejected). A code recorded again is overwritten unless it
     * is already committed and the new outcome is a refusal (a committed transaction stays committed).
     */
    async record(
      shopId: string,
      engine: TaxEngineName,
      period: string,
      outcomes: readonly CommitOutcome[],
    ): Promise<void> {
      if (outcomes.length === 0) return;
      const rows = outcomes.map((o) => ({
        shop_id: shopId,
        engine,
        period,
        transaction_code: o.transactionCode,
        kind: o.kind,
        order_id: o.orderId,
        status: o.action === 'failed' ? 'rejected' : 'committed',
        action: o.action,
        engine_tax: o.action === 'failed' ? null : o.engineTax,
        collected_tax: o.action === 'failed' ? null : o.collectedTax,
        jurisdictions: JSON.stringify(o.jurisdictions),
        error: o.error ? `${o.error.code}: ${o.error.message}`.slice(0, 2000) : null,
      }));
      await db('tax_engine_commits')
        .insert(rows)
        .onConflict(['shop_id', 'engine', 'period', 'transaction_code'])
        .merge()
        .whereRaw("NOT (tax_engine_commits.status = 'committed' AND excluded.status = 'rejected')");
    },

    async counts(shopId: string, engine: TaxEngineName, period: string): Promise<LedgerCounts> {
      const rows: {
        status: string;
        action: string;
        n: string;
        engine_tax: string | null;
        collected_tax: string | null;
      }[] = await db('tax_engine_commits')
        .where({ shop_id: shopId, engine, period })
        .groupBy('status', 'action')
        .select('status', 'action')
        .count({ n: '*' })
        .sum({ engine_tax: 'engine_tax', collected_tax: 'collected_tax' });
      const out: LedgerCounts = { committed: 0, rejected: 0, byAction: {}, engineTax: 0, collectedTax: 0 };
      for (const r of rows) {
        const n = Number(r.n);
        if (r.status === 'rejected') out.rejected += n;
        else {
          out.committed += n;
          out.byAction[r.action] = (out.byAction[r.action] ?? 0) + n;
          out.engineTax += Number(r.engine_tax ?? 0);
          out.collectedTax += Number(r.collected_tax ?? 0);
        }
      }
      out.engineTax = Math.round(out.engineTax * 100) / 100;
      out.collectedTax = Math.round(out.collectedTax * 100) / 100;
      return out;
    },

    /** The ledger rows of a month (tests, reports), in code order. */
    async rows(shopId: string, engine: TaxEngineName, period: string) {
      return db('tax_engine_commits')
        .where({ shop_id: shopId, engine, period })
        .orderBy('transaction_code')
        .select('transaction_code', 'kind', 'order_id', 'status', 'action', 'engine_tax', 'collected_tax', 'error');
    },
  };
}

export type TaxEngineCommitRepository = ReturnType<typeof createTaxEngineCommitRepository>;
