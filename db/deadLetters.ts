import crypto from 'node:crypto';
import type { Db } from './knex';

export interface DeadLetterInput {
  source: string;
  reason: string;
  details?: unknown;
  rawBody: string;
  headers?: Record<string, unknown>;
  /** The shop the rejected input concerns, where it can be derived; null: visible to agency-wide keys only. */
  shopId?: string | null;
  /**
   * The whole body when `rawBody` is only its first bytes (a body refused for its size, such as a catalog over
   * CATALOG_IMPORT_MAX_ROWS): the row stores that body's hash and size and is marked as not holding it (raw_kept
   * false); the same body again counts on the same row. A body too large to hold (a file upload over FILE_MAX_BYTES)
   * is given as its hash and size, computed while it streamed past.
   */
  fullBody?: Buffer | BodyDigest;
}

/** A body's SHA-256 (hex) and size, for a body that was never held whole. */
export interface BodyDigest {
  sha256: string;
  bytes: number;
}

/** What is kept of a request that failed authentication or its signature: its hash, first 4 KB and a count. */
export interface UnauthenticatedInput {
  source: string;
  reason: string;
  rawBody: Buffer;
  headers?: Record<string, unknown>;
  remoteAddress: string;
}

/** How much of an unauthenticated sender's body is kept (issue 13 item 2). */
export const UNAUTHENTICATED_BODY_PREFIX_BYTES = 4096;

export interface DeadLetterSummary {
  id: string;
  source: string;
  reason: string;
  details: unknown;
  received_at: Date;
  replayed_at: Date | null;
  shop_id: string | null;
  raw_kept: boolean;
  count: number;
  last_received_at: Date;
}

export interface DeadLetterRow extends DeadLetterSummary {
  raw_body: string;
  headers: unknown;
  body_sha256: string | null;
  body_bytes: number | null;
  remote_address: string;
}

const sha256 = (body: Buffer | string) => crypto.createHash('sha256').update(body).digest('hex');

// PostgreSQL text holds no NUL byte and jsonb no \u0000 escape: what was refused for containing one is kept with
// U+FFFD in its place rather than lost.
const withoutNul = (text: string) => text.replaceAll('\u0000', '\uFFFD');
const jsonWithoutNul = (value: unknown) => JSON.stringify(value).replace(/\\u0000/g, '\\ufffd');

export function createDeadLetterRepository(db: Db) {
  return {
    async record(input: DeadLetterInput): Promise<number> {
      if (input.fullBody) {
        const full = Buffer.isBuffer(input.fullBody)
          ? { sha256: sha256(input.fullBody), bytes: input.fullBody.length }
          : input.fullBody;
        const result = await db.raw<{ rows: { id: string }[] }>(
          `insert into dead_letters (source, reason, details, raw_body, headers, shop_id, body_sha256, body_bytes, raw_kept)
           values (?, ?, ?, ?, ?, ?, ?, ?, false)
           on conflict (source, remote_address, body_sha256, (coalesce(shop_id, ''))) where not raw_kept
           do update set count = dead_letters.count + 1, last_received_at = now(), reason = excluded.reason
           returning id`,
          [
            input.source,
            withoutNul(input.reason).slice(0, 500),
            input.details === undefined ? null : jsonWithoutNul(input.details),
            withoutNul(input.rawBody),
            jsonWithoutNul(input.headers ?? {}),
            input.shopId ?? null,
            full.sha256,
            full.bytes,
          ],
        );
        return Number(result.rows[0]!.id);
      }
      const [row] = await db('dead_letters')
        .insert({
          source: input.source,
          reason: withoutNul(input.reason).slice(0, 500),
          details: input.details === undefined ? null : jsonWithoutNul(input.details),
          raw_body: withoutNul(input.rawBody),
          headers: jsonWithoutNul(input.headers ?? {}),
          shop_id: input.shopId ?? null,
          body_sha256: sha256(input.rawBody),
          body_bytes: Buffer.byteLength(input.rawBody),
        })
        .returning<{ id: string }[]>('id');
      return Number(row!.id);
    },

    /**
     * A request that failed authentication or its signature: nobody without a key fills the database, so only the
     * body's SHA-256, its first 4 KB and a count are kept; the same body from the same address counts on one row.
     */
    async recordUnauthenticated(input: UnauthenticatedInput): Promise<number> {
      const prefix = input.rawBody.subarray(0, UNAUTHENTICATED_BODY_PREFIX_BYTES).toString('utf8');
      const result = await db.raw<{ rows: { id: string }[] }>(
        `insert into dead_letters
           (source, reason, raw_body, headers, body_sha256, body_bytes, raw_kept, remote_address)
         values (?, ?, ?, ?, ?, ?, false, ?)
         on conflict (source, remote_address, body_sha256, (coalesce(shop_id, ''))) where not raw_kept
         do update set count = dead_letters.count + 1, last_received_at = now(), reason = excluded.reason
         returning id`,
        [
          input.source.slice(0, 64),
          withoutNul(input.reason).slice(0, 500),
          withoutNul(prefix),
          jsonWithoutNul(
            Object.fromEntries(
              Object.entries(input.headers ?? {}).map(([k, v]) => [k, typeof v === 'string' ? v.slice(0, 256) : v]),
            ),
          ),
          sha256(input.rawBody),
          input.rawBody.length,
          input.remoteAddress.slice(0, 64),
        ],
      );
      return Number(result.rows[0]!.id);
    },

    /** `shopIds` null: every row; else only rows of those shops (rows without a shop are left out). */
    async list(opts: {
      source?: string;
      limit: number;
      beforeId?: number;
      shopIds?: readonly string[] | null;
    }): Promise<DeadLetterSummary[]> {
      let q = db<DeadLetterRow>('dead_letters')
        .select(
          'id',
          'source',
          'reason',
          'details',
          'received_at',
          'replayed_at',
          'shop_id',
          'raw_kept',
          'count',
          'last_received_at',
        )
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

    /** A replayed webhook letter went through verification again and into the inbox. */
    async markReplayed(id: number): Promise<void> {
      await db('dead_letters').where({ id }).update({ replayed_at: db.fn.now() });
    },

    /** Retention: a keyset page of ids of letters last received before `before`. */
    async expiredIds(before: Date, afterId: string, limit: number): Promise<string[]> {
      return db('dead_letters')
        .where('last_received_at', '<', before)
        .andWhere('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .pluck<string[]>('id');
    },

    async deleteIds(ids: string[]): Promise<number> {
      return ids.length ? db('dead_letters').whereIn('id', ids).del() : 0;
    },
  };
}

export type DeadLetterRepository = ReturnType<typeof createDeadLetterRepository>;
