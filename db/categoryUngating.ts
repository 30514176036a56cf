import type { Db } from './knex';

/** A vault document an application uses for one required type. */
export interface ApplicationDocument {
  documentType: string;
  certificateId: string;
  expiresOn?: string;
}

export interface UngatingApplicationRecord {
  applicationId: string;
  shopId: string;
  categoryId: string;
  round: number;
  workflowId: string;
  requirementKey: string;
  stage: string;
  outcome?: string | null;
  requiredTypes: string[];
  documents: ApplicationDocument[];
  /** YYYY-MM-DD. */
  earliestExpiry?: string | null;
  /** ISO 8601. */
  requalifyAt?: string | null;
  requestedBy?: string | null;
  closed?: boolean;
}

export interface UngatingAttemptRecord {
  applicationId: string;
  attempt: number;
  packetFileId?: string | null;
  submittedAt?: string | null;
  submittedBy?: string | null;
  reference?: string | null;
  decision?: 'approved' | 'rejected' | null;
  decidedAt?: string | null;
  decidedBy?: string | null;
  reasons?: string[];
}

export interface UngatingApplicationRow {
  application_id: string;
  shop_id: string;
  category_id: string;
  round: number;
  workflow_id: string;
  requirement_key: string;
  stage: string;
  outcome: string | null;
  required_types: string[];
  documents: ApplicationDocument[];
  earliest_expiry: string | null;
  requalify_at: Date | null;
  requested_by: string | null;
  started_at: Date;
  updated_at: Date;
  closed_at: Date | null;
}

export interface UngatingAttemptRow {
  application_id: string;
  attempt: number;
  packet_file_id: string | null;
  submitted_at: Date | null;
  submitted_by: string | null;
  reference: string | null;
  decision: string | null;
  decided_at: Date | null;
  decided_by: string | null;
  reasons: string[];
}

const APPLICATIONS = 'category_ungating_applications';
const ATTEMPTS = 'category_ungating_attempts';

/** Category applications and their attempts (migration 034); written by the categoryUngating activities only. */
export function createCategoryUngatingRepository(db: Db) {
  const applications = () =>
    db(APPLICATIONS).select<UngatingApplicationRow[]>([
      `${APPLICATIONS}.*`,
      db.raw(`to_char(earliest_expiry, 'YYYY-MM-DD') as earliest_expiry`),
    ]);

  return {
    /** Inserts or brings the application's row to the workflow's state (idempotent: a retry writes the same). */
    async upsertApplication(a: UngatingApplicationRecord): Promise<void> {
      const row = {
        application_id: a.applicationId,
        shop_id: a.shopId,
        category_id: a.categoryId,
        round: a.round,
        workflow_id: a.workflowId,
        requirement_key: a.requirementKey,
        stage: a.stage,
        outcome: a.outcome ?? null,
        required_types: a.requiredTypes,
        documents: JSON.stringify(a.documents),
        earliest_expiry: a.earliestExpiry ?? null,
        requalify_at: a.requalifyAt ?? null,
        requested_by: a.requestedBy ?? null,
        updated_at: db.fn.now(),
        closed_at: a.closed ? db.fn.now() : null,
      };
      const { application_id: _id, shop_id: _s, category_id: _c, round: _r, requested_by: _b, ...changes } = row;
      await db(APPLICATIONS).insert(row).onConflict('application_id').merge(changes);
    },

    /** Inserts or updates one attempt (only the fields given change). */
    async upsertAttempt(a: UngatingAttemptRecord): Promise<void> {
      const fields: Record<string, unknown> = {};
      const put = (column: string, value: unknown) => {
        if (value !== undefined) fields[column] = value;
      };
      put('packet_file_id', a.packetFileId);
      put('submitted_at', a.submittedAt);
      put('submitted_by', a.submittedBy);
      put('reference', a.reference);
      put('decision', a.decision);
      put('decided_at', a.decidedAt);
      put('decided_by', a.decidedBy);
      put('reasons', a.reasons);
      const insert = db(ATTEMPTS).insert({ application_id: a.applicationId, attempt: a.attempt, ...fields });
      await (Object.keys(fields).length
        ? insert.onConflict(['application_id', 'attempt']).merge(fields)
        : insert.onConflict(['application_id', 'attempt']).ignore());
    },

    /** A shop's applications, newest activity first; optionally one category's. */
    async list(shopId: string, opts: { categoryId?: string; limit?: number } = {}): Promise<UngatingApplicationRow[]> {
      const q = applications().where({ shop_id: shopId });
      if (opts.categoryId) void q.andWhere({ category_id: opts.categoryId });
      return q
        .orderBy([
          { column: 'updated_at', order: 'desc' },
          { column: 'round', order: 'desc' },
        ])
        .limit(opts.limit ?? 100);
    },

    /** The category's latest round with its attempts, or undefined when the shop never applied. */
    async latest(
      shopId: string,
      categoryId: string,
    ): Promise<{ application: UngatingApplicationRow; attempts: UngatingAttemptRow[] } | undefined> {
      const application = await applications()
        .where({ shop_id: shopId, category_id: categoryId })
        .orderBy('round', 'desc')
        .first();
      if (!application) return undefined;
      return { application, attempts: await this.attempts(application.application_id) };
    },

    async attempts(applicationId: string): Promise<UngatingAttemptRow[]> {
      return db(ATTEMPTS).where({ application_id: applicationId }).orderBy('attempt', 'asc');
    },
  };
}

export type CategoryUngatingRepository = ReturnType<typeof createCategoryUngatingRepository>;
