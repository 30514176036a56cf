import { whereShopIn, type Db } from './knex';

/** A return as its workflow last read it (return_cases). */
export interface ReturnCaseRecord {
  shopId: string;
  returnId: string;
  orderId: string;
  workflowId: string;
  type?: string;
  reason?: string;
  refund?: { amount: string; currency: string };
  status: string;
  arbitrationStatus?: string;
  /** The workflow stopped following the return. */
  closed?: boolean;
}

/** One seller decision on a return (return_decisions): opened when the action became pending, decided later. */
export interface ReturnDecisionRow {
  shopId: string;
  returnId: string;
  action: string;
  deadline?: string;
  openedAt: string;
  decidedAt?: string;
  channel?: 'auto' | 'person' | 'platform';
  decidedBy?: string;
  decision?: string;
  outcome: string;
}

export interface ReturnCaseRow {
  shop_id: string;
  return_id: string;
  order_id: string;
  return_type: string | null;
  reason: string | null;
  refund_amount: string | null;
  refund_currency: string | null;
  status: string;
  arbitration_status: string | null;
  workflow_id: string;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface ReturnDecisionDbRow {
  id: string;
  shop_id: string;
  return_id: string;
  action: string;
  deadline: Date | null;
  opened_at: Date;
  decided_at: Date | null;
  latency_ms: string | null;
  channel: string | null;
  decided_by: string | null;
  decision: string | null;
  outcome: string;
}

/** Returns and their decisions: written by the return workflow's activities, read shop-scoped. */
export function createReturnCaseRepository(db: Db) {
  return {
    /** Inserts or updates the return's row; `closed` stamps closed_at once. */
    async upsertCase(c: ReturnCaseRecord): Promise<void> {
      const row = {
        shop_id: c.shopId,
        return_id: c.returnId,
        order_id: c.orderId,
        workflow_id: c.workflowId,
        return_type: c.type ?? null,
        reason: c.reason ?? null,
        refund_amount: c.refund?.amount ?? null,
        refund_currency: c.refund?.currency ?? null,
        status: c.status,
        arbitration_status: c.arbitrationStatus ?? null,
        updated_at: db.fn.now(),
      };
      await db('return_cases')
        .insert({ ...row, closed_at: c.closed ? db.fn.now() : null })
        .onConflict(['shop_id', 'return_id'])
        .merge({ ...row, ...(c.closed ? { closed_at: db.raw('coalesce(return_cases.closed_at, now())') } : {}) });
    },

    /** Inserts or rewrites the decision row of (shop, return, action); the latency is derived from its times. */
    async recordDecision(d: ReturnDecisionRow): Promise<void> {
      const latency = d.decidedAt === undefined ? null : Math.max(0, Date.parse(d.decidedAt) - Date.parse(d.openedAt));
      const row = {
        shop_id: d.shopId,
        return_id: d.returnId,
        action: d.action,
        deadline: d.deadline ?? null,
        opened_at: d.openedAt,
        decided_at: d.decidedAt ?? null,
        latency_ms: latency,
        channel: d.channel ?? null,
        decided_by: d.decidedBy ?? null,
        decision: d.decision ?? null,
        outcome: d.outcome,
        updated_at: db.fn.now(),
      };
      await db('return_decisions').insert(row).onConflict(['shop_id', 'return_id', 'action']).merge(row);
    },

    async getCase(shopId: string, returnId: string): Promise<ReturnCaseRow | undefined> {
      return db<ReturnCaseRow>('return_cases').where({ shop_id: shopId, return_id: returnId }).first();
    },

    /** Returns of the shops a caller covers (null: every shop), most recently updated first; `open`: not closed. */
    async listCases(q: {
      shopIds: readonly string[] | null;
      shopId?: string;
      open?: boolean;
      limit: number;
    }): Promise<ReturnCaseRow[]> {
      let query = whereShopIn(db('return_cases').select('*').orderBy('updated_at', 'desc').limit(q.limit), q.shopIds);
      if (q.shopId) query = query.where('shop_id', q.shopId);
      if (q.open !== undefined) query = q.open ? query.whereNull('closed_at') : query.whereNotNull('closed_at');
      return (await query) as ReturnCaseRow[];
    },

    /** Decisions of one shop's returns (or one return), oldest first. */
    async listDecisions(shopId: string, returnId?: string): Promise<ReturnDecisionDbRow[]> {
      const query = db<ReturnDecisionDbRow>('return_decisions').where('shop_id', shopId);
      if (returnId) query.where('return_id', returnId);
      return query.orderBy('opened_at', 'asc').orderBy('id', 'asc');
    },
  };
}

export type ReturnCaseRepository = ReturnType<typeof createReturnCaseRepository>;
