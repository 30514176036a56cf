import type { Db } from './knex';

export interface DeadLetterInput {
  source: string;
  reason: string;
  details?: unknown;
  rawBody: string;
  headers?: Record<string, unknown>;
  /** The shop the rejected input concerns, where it can be derived; null: visible to agency-wide keys only. */
  shopId?: string | null;
}

export interface DeadLetterSummary {
  id: string;
  source: string;
  reason: string;
  details: unknown;
  received_at: Date;
  replayed_at: Date | null;
  shop_id: string | null;
}

export interface DeadLetterRow extends DeadLetterSummary {
  raw_body: string;
  headers: unknown;
}

// PostgreSQL text holds no NUL byte and jsonb no \u0000 escape: what was refused for containing one is kept with
// U+FFFD in its place rather than lost.
const withoutNul = (text: string) => text.replaceAll('\u0000', '\uFFFD');
const jsonWithoutNul = (value: unknown) => JSON.stringify(value).replace(/\\u0000/g, '\\ufffd');

export function createDeadLetterRepository(db: Db) {
  return {
    async record(input: DeadLetterInput): Promise<number> {
      const [row] = await db('dead_letters')
        .insert({
          source: input.source,
          reason: withoutNul(input.reason).slice(0, 500),
          details: input.details === undefined ? null : jsonWithoutNul(input.details),
          raw_body: withoutNul(input.rawBody),
          headers: jsonWithoutNul(input.headers ?? {}),
          shop_id: input.shopId ?? null,
        })
        .returning<{ id: string }[]>('id');
      return Number(row!.id);
    },

    /** `shopIds` null: every row; else only rows of those shops (rows without a shop are left out). */
    async list(opts: {
      source?: string;
      limit: number;
      beforeId?: number;
      shopIds?: readonly string[] | null;
    }): Promise<DeadLetterSummary[]> {
      let q = db<DeadLetterRow>('dead_letters')
        .select('id', 'source', 'reason', 'details', 'received_at', 'replayed_at', 'shop_id')
        .orderBy('id', 'desc')
        .limit(opts.limit);
      if (opts.source) q = q.where('source', opts.source);
      if (opts.beforeId) q = q.where('id', '<', String(opts.beforeId));
      if (opts.shopIds) q = q.whereIn('shop_id', [...opts.shopIds]);
      return q;
    },

    async get(id: number): Promise<DeadLetterRow | undefined> {
      return db<DeadLetterRow>('dead_letters').where('id', String(id)).first();
    },
  };
}

export type DeadLetterRepository = ReturnType<typeof createDeadLetterRepository>;
