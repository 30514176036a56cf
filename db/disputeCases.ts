import { whereShopIn, type Db } from './knex';

export type DisputeCaseKind = 'chargeback' | 'dispute_appeal';

/** A chargeback or an appeal as its workflow last recorded it (dispute_cases). */
export interface DisputeCaseRecord {
  shopId: string;
  caseKind: DisputeCaseKind;
  caseId: string;
  orderId: string;
  returnId?: string;
  workflowId: string;
  reason?: string;
  amount?: { amount: string; currency: string };
  /** ISO: the notice's date (chargeback), the decision's time (appeal). */
  openedFrom: string;
  /** ISO: when the evidence is due in Seller Center. */
  deadline: string;
  stage: string;
  details?: Record<string, unknown>;
  bundleId?: string;
  submittedAt?: string;
  submittedBy?: string;
  submissionReference?: string;
  outcome?: string;
  amountRecovered?: string;
  outcomeBy?: string;
  openedBy: string;
  /** The workflow is done with the case (an outcome recorded, or the deadline passed). */
  closed?: boolean;
}

export interface DisputeCaseRow {
  shop_id: string;
  case_kind: DisputeCaseKind;
  case_id: string;
  order_id: string;
  return_id: string | null;
  workflow_id: string;
  reason: string | null;
  amount: string | null;
  currency: string | null;
  opened_from: Date;
  deadline: Date;
  stage: string;
  details: Record<string, unknown>;
  bundle_id: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  submission_reference: string | null;
  outcome: string | null;
  amount_recovered: string | null;
  outcome_by: string | null;
  opened_by: string;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/** Chargebacks and dispute appeals: written by their workflows' activities, read shop-scoped. */
export function createDisputeCaseRepository(db: Db) {
  return {
    /** Inserts or rewrites the case's row (a retried activity writes the same); `closed` stamps closed_at once. */
    async upsertCase(c: DisputeCaseRecord): Promise<void> {
      const row = {
        shop_id: c.shopId,
        case_kind: c.caseKind,
        case_id: c.caseId,
        order_id: c.orderId,
        return_id: c.returnId ?? null,
        workflow_id: c.workflowId,
        reason: c.reason ?? null,
        amount: c.amount?.amount ?? null,
        currency: c.amount?.currency ?? null,
        opened_from: c.openedFrom,
        deadline: c.deadline,
        stage: c.stage,
        details: JSON.stringify(c.details ?? {}),
        bundle_id: c.bundleId ?? null,
        submitted_at: c.submittedAt ?? null,
        submitted_by: c.submittedBy ?? null,
        submission_reference: c.submissionReference ?? null,
        outcome: c.outcome ?? null,
        amount_recovered: c.amountRecovered ?? null,
        outcome_by: c.outcomeBy ?? null,
        opened_by: c.openedBy,
        updated_at: db.fn.now(),
      };
      await db('dispute_cases')
        .insert({ ...row, closed_at: c.closed ? db.fn.now() : null })
        .onConflict(['shop_id', 'case_kind', 'case_id'])
        .merge({ ...row, ...(c.closed ? { closed_at: db.raw('coalesce(dispute_cases.closed_at, now())') } : {}) });
    },

    async getCase(shopId: string, caseKind: DisputeCaseKind, caseId: string): Promise<DisputeCaseRow | undefined> {
      return db<DisputeCaseRow>('dispute_cases')
        .where({ shop_id: shopId, case_kind: caseKind, case_id: caseId })
        .first();
    },

    /** Cases of one kind of the shops a caller covers (null: every shop), soonest deadline first; `open`: not closed. */
    async listCases(q: {
      shopIds: readonly string[] | null;
      shopId?: string;
      caseKind: DisputeCaseKind;
      open?: boolean;
      limit: number;
    }): Promise<DisputeCaseRow[]> {
      let query = whereShopIn(
        db('dispute_cases').select('*').where('case_kind', q.caseKind).orderBy('deadline', 'asc').limit(q.limit),
        q.shopIds,
      );
      if (q.shopId) query = query.where('shop_id', q.shopId);
      if (q.open !== undefined) query = q.open ? query.whereNull('closed_at') : query.whereNotNull('closed_at');
      return (await query) as DisputeCaseRow[];
    },
  };
}

export type DisputeCaseRepository = ReturnType<typeof createDisputeCaseRepository>;
