import { whereShopIn, type Db } from './knex';

/** A suspension appeal as its workflow last recorded it (suspension_appeals). */
export interface SuspensionAppealRecord {
  shopId: string;
  noticeId: string;
  workflowId: string;
  notice: Record<string, unknown>;
  stage: string;
  round: number;
  refusal?: Record<string, unknown>;
  windowClosesAt?: string;
  windowSource?: string;
  approvedVersion?: number;
  submittedAt?: string;
  submittedBy?: string;
  submissionReference?: string;
  decision?: 'approved' | 'denied';
  decisionReason?: string;
  decidedBy?: string;
  /** Earlier rounds' submissions and decisions. */
  rounds?: Record<string, unknown>[];
  openedBy: string;
  /** The workflow is done with the appeal (refused, decided, expired). */
  closed?: boolean;
}

export interface SuspensionAppealRow {
  shop_id: string;
  notice_id: string;
  workflow_id: string;
  notice: Record<string, unknown>;
  stage: string;
  round: number;
  refusal: Record<string, unknown> | null;
  window_closes_at: Date | null;
  window_source: string | null;
  approved_version: number | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  submission_reference: string | null;
  decision: string | null;
  decision_reason: string | null;
  decided_by: string | null;
  rounds: Record<string, unknown>[];
  opened_by: string;
  opened_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

/** One version of an appeal's Plan of Action (suspension_appeal_versions). */
export interface AppealVersionRecord {
  shopId: string;
  noticeId: string;
  version: number;
  round: number;
  kind: 'draft' | 'edit' | 'revision';
  plan: unknown;
  /** Round 2: what the revision states changed since the first appeal, one statement each. */
  changesSinceFirst?: string[];
  note?: string;
  createdBy: string;
  createdAt: string;
  file?: { fileId: string; sha256: string; pageCount: number };
  evidenceFileId?: string;
}

export interface AppealVersionRow {
  shop_id: string;
  notice_id: string;
  version: number;
  round: number;
  kind: AppealVersionRecord['kind'];
  plan: unknown;
  changes_since_first: string[] | null;
  note: string | null;
  created_by: string;
  created_at: Date;
  file_id: string | null;
  sha256: string | null;
  page_count: number | null;
  evidence_file_id: string | null;
}

const json = (v: unknown) => (v === undefined ? null : JSON.stringify(v));

/** Suspension appeals and their Plan of Action versions: written by the workflow's activities, read shop-scoped. */
export function createSuspensionAppealRepository(db: Db) {
  return {
    /** Inserts or rewrites the appeal's row (a retried activity writes the same); `closed` stamps closed_at once. */
    async upsertAppeal(a: SuspensionAppealRecord): Promise<void> {
      const row = {
        shop_id: a.shopId,
        notice_id: a.noticeId,
        workflow_id: a.workflowId,
        notice: JSON.stringify(a.notice),
        stage: a.stage,
        round: a.round,
        refusal: json(a.refusal),
        window_closes_at: a.windowClosesAt ?? null,
        window_source: a.windowSource ?? null,
        approved_version: a.approvedVersion ?? null,
        submitted_at: a.submittedAt ?? null,
        submitted_by: a.submittedBy ?? null,
        submission_reference: a.submissionReference ?? null,
        decision: a.decision ?? null,
        decision_reason: a.decisionReason ?? null,
        decided_by: a.decidedBy ?? null,
        rounds: JSON.stringify(a.rounds ?? []),
        opened_by: a.openedBy,
        updated_at: db.fn.now(),
      };
      await db('suspension_appeals')
        .insert({ ...row, closed_at: a.closed ? db.fn.now() : null })
        .onConflict(['shop_id', 'notice_id'])
        .merge({ ...row, ...(a.closed ? { closed_at: db.raw('coalesce(suspension_appeals.closed_at, now())') } : {}) });
    },

    async getAppeal(shopId: string, noticeId: string): Promise<SuspensionAppealRow | undefined> {
      return db<SuspensionAppealRow>('suspension_appeals').where({ shop_id: shopId, notice_id: noticeId }).first();
    },

    /** Appeals of the shops a caller covers (null: every shop), newest first; `open`: not closed. */
    async listAppeals(q: {
      shopIds: readonly string[] | null;
      shopId: string;
      open?: boolean;
      limit: number;
    }): Promise<SuspensionAppealRow[]> {
      let query = whereShopIn(
        db('suspension_appeals').select('*').where('shop_id', q.shopId).orderBy('opened_at', 'desc').limit(q.limit),
        q.shopIds,
      );
      if (q.open !== undefined) query = q.open ? query.whereNull('closed_at') : query.whereNotNull('closed_at');
      return (await query) as SuspensionAppealRow[];
    },

    /** Stores a version once: a retried activity finds it there and changes nothing (versions are never rewritten). */
    async addVersion(v: AppealVersionRecord): Promise<void> {
      await db('suspension_appeal_versions')
        .insert({
          shop_id: v.shopId,
          notice_id: v.noticeId,
          version: v.version,
          round: v.round,
          kind: v.kind,
          plan: JSON.stringify(v.plan),
          changes_since_first: json(v.changesSinceFirst),
          note: v.note ?? null,
          created_by: v.createdBy,
          created_at: v.createdAt,
          file_id: v.file?.fileId ?? null,
          sha256: v.file?.sha256 ?? null,
          page_count: v.file?.pageCount ?? null,
          evidence_file_id: v.evidenceFileId ?? null,
        })
        .onConflict(['shop_id', 'notice_id', 'version'])
        .ignore();
    },

    async listVersions(shopId: string, noticeId: string): Promise<AppealVersionRow[]> {
      return db<AppealVersionRow>('suspension_appeal_versions')
        .where({ shop_id: shopId, notice_id: noticeId })
        .orderBy('version', 'asc');
    },

    async getVersion(shopId: string, noticeId: string, version: number): Promise<AppealVersionRow | undefined> {
      return db<AppealVersionRow>('suspension_appeal_versions')
        .where({ shop_id: shopId, notice_id: noticeId, version })
        .first();
    },
  };
}

export type SuspensionAppealRepository = ReturnType<typeof createSuspensionAppealRepository>;
