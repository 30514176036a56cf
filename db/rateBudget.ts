import type { Knex } from 'knex';
import type { Db } from './knex';

/** One token bucket: a shop and an API (`apiBucketOf` in integrations/tiktok/rateBudget.ts). */
export interface BucketKey {
  shopId: string;
  api: string;
}

/** A bucket's limit as the refill needs it. */
export interface BucketLimit {
  /** Tokens per millisecond. */
  rate: number;
  burst: number;
}

/** A waiter row to insert; `enqueuedAt` (PostgreSQL's text) set keeps a re-queued waiter's place. */
export interface WaiterToQueue extends BucketKey {
  deadline: Date | null;
  enqueuedAt: string | null;
  owner: string;
}

/** A queued waiter as the grant transaction sees it. */
export interface WaiterStatus {
  /** Milliseconds until its granted token exists (negative: already); null while it has no grant. */
  waitMs: number | null;
  /** How many ungranted waiters are ahead of it in queue order. */
  pos: number;
}

type Conn = Db | Knex.Transaction;

interface Row {
  [key: string]: unknown;
}

async function rows<T extends Row>(q: Conn, sql: string, bindings: readonly unknown[]) {
  const result = await q.raw<{ rows: T[] }>(sql, bindings as Knex.RawBinding[]);
  return result.rows;
}

/** The bucket's tokens refilled to the database clock `c.ts` (bindings: burst, rate). */
const REFILLED = `LEAST(?::float8, b.tokens + GREATEST(0, EXTRACT(EPOCH FROM (c.ts - b.refilled_at)) * 1000) * ?::float8)`;

/** Waiter rows, on the pool or inside a grant transaction. */
function waiterQueries(conn: Conn) {
  return {
    /** Queues a waiter row; returns its id and enqueued_at as text. */
    async enqueue(w: WaiterToQueue): Promise<{ id: string; enqueuedAt: string }> {
      const [inserted] = await rows<{ id: string; enqueued_at: string }>(
        conn,
        `INSERT INTO rate_budget_waiters (shop_id, api, deadline, enqueued_at, heartbeat_at, owner)
       VALUES (?, ?, ?, COALESCE(?::timestamptz, clock_timestamp()), clock_timestamp(), ?)
       RETURNING id, enqueued_at::text AS enqueued_at`,
        [w.shopId, w.api, w.deadline, w.enqueuedAt, w.owner],
      );
      return { id: inserted!.id, enqueuedAt: inserted!.enqueued_at };
    },

    async removeWaiter(id: string): Promise<void> {
      await conn.raw('DELETE FROM rate_budget_waiters WHERE id = ?', [id]);
    },
  };
}

/** The statements of one grant transaction (it holds the bucket's row lock from `lockBucket` on). */
function grantQueries(trx: Knex.Transaction) {
  return {
    ...waiterQueries(trx),

    /** Locks the bucket row (SELECT … FOR UPDATE); false when it does not exist. */
    async lockBucket(key: BucketKey): Promise<boolean> {
      const locked = await rows(
        trx,
        'SELECT tokens FROM rate_budget_buckets WHERE shop_id = ? AND api = ? FOR UPDATE',
        [key.shopId, key.api],
      );
      return locked.length > 0;
    },

    /** Creates the bucket full (`tokens`) unless another process just did. */
    async createBucket(key: BucketKey, tokens: number): Promise<void> {
      await trx.raw(
        `INSERT INTO rate_budget_buckets (shop_id, api, tokens, refilled_at) VALUES (?, ?, ?, clock_timestamp())
       ON CONFLICT (shop_id, api) DO NOTHING`,
        [key.shopId, key.api, tokens],
      );
    },

    /** Deletes the bucket's waiters whose heartbeat is older than `staleAfterMs` (their process died). */
    async purgeStaleWaiters(key: BucketKey, staleAfterMs: number): Promise<void> {
      await trx.raw(
        `DELETE FROM rate_budget_waiters
            WHERE shop_id = ? AND api = ? AND heartbeat_at < clock_timestamp() - ? * interval '1 millisecond'`,
        [key.shopId, key.api, staleAfterMs],
      );
    },

    /** Continuous refill, computed by the database's clock in one statement; returns the tokens. */
    async refill(key: BucketKey, limit: BucketLimit): Promise<number> {
      const [bucket] = await rows<{ tokens: number }>(
        trx,
        `UPDATE rate_budget_buckets b
            SET tokens = ${REFILLED},
                refilled_at = GREATEST(b.refilled_at, c.ts)
           FROM (SELECT clock_timestamp() AS ts) c
          WHERE b.shop_id = ? AND b.api = ?
          RETURNING b.tokens`,
        [limit.burst, limit.rate, key.shopId, key.api],
      );
      return Number(bucket!.tokens);
    },

    /** The ids of the first `count` ungranted waiters in queue order (deadline NULLS LAST, enqueued_at, id). */
    async queueHead(key: BucketKey, count: number): Promise<string[]> {
      const head = await rows<{ id: string }>(
        trx,
        `SELECT id FROM rate_budget_waiters
            WHERE shop_id = ? AND api = ? AND granted_at IS NULL
            ORDER BY deadline ASC NULLS LAST, enqueued_at, id
            LIMIT ?`,
        [key.shopId, key.api, count],
      );
      return head.map((row) => row.id);
    },

    async setTokens(key: BucketKey, tokens: number): Promise<void> {
      await trx.raw('UPDATE rate_budget_buckets SET tokens = ? WHERE shop_id = ? AND api = ?', [
        tokens,
        key.shopId,
        key.api,
      ]);
    },

    /** Marks waiters granted: each token exists `delay` ms after the bucket's refill time. */
    async grantWaiters(key: BucketKey, grants: { id: string; delay: number }[]): Promise<void> {
      await trx.raw(
        `UPDATE rate_budget_waiters w
                SET granted_at = b.refilled_at + g.delay * interval '1 millisecond'
               FROM unnest(?::bigint[], ?::float8[]) AS g(id, delay), rate_budget_buckets b
              WHERE w.id = g.id AND b.shop_id = ? AND b.api = ?`,
        [grants.map((o) => o.id), grants.map((o) => o.delay), key.shopId, key.api],
      );
    },

    /** The waiter's grant and place in the queue; undefined when its row is gone (purged). */
    async waiterStatus(id: string): Promise<WaiterStatus | undefined> {
      const [me] = await rows<{ wait_ms: number | null; pos: number | null }>(
        trx,
        `SELECT EXTRACT(EPOCH FROM (w.granted_at - clock_timestamp()))::float8 * 1000 AS wait_ms,
                (SELECT count(*)::int FROM rate_budget_waiters o
                  WHERE o.shop_id = w.shop_id AND o.api = w.api AND o.granted_at IS NULL AND o.id <> w.id
                    AND CASE WHEN w.deadline IS NULL
                             THEN o.deadline IS NOT NULL OR (o.enqueued_at, o.id) < (w.enqueued_at, w.id)
                             ELSE o.deadline IS NOT NULL AND (o.deadline, o.enqueued_at, o.id) < (w.deadline, w.enqueued_at, w.id)
                        END) AS pos
           FROM rate_budget_waiters w WHERE w.id = ?`,
        [id],
      );
      if (!me) return undefined;
      return { waitMs: me.wait_ms === null ? null : Number(me.wait_ms), pos: Number(me.pos) };
    },
  };
}

export type RateBudgetGrantTransaction = ReturnType<typeof grantQueries>;

/**
 * The TikTok rate budget's tables: token buckets (rate_budget_buckets) and pending calls (rate_budget_waiters). The
 * algorithm (integrations/tiktok/rateBudget.ts) calls it; nobody else writes these tables. Every time is
 * PostgreSQL's clock_timestamp(), so processes on different machines agree.
 */
export function createRateBudgetRepository(db: Db) {
  return {
    ...waiterQueries(db),

    /** Runs `fn` in one transaction with the grant statements bound to it. */
    grantTransaction<T>(fn: (tx: RateBudgetGrantTransaction) => Promise<T>): Promise<T> {
      return db.transaction((trx) => fn(grantQueries(trx)));
    },

    /** Refreshes these waiters' heartbeat_at. */
    async heartbeat(ids: string[]): Promise<void> {
      // SKIP LOCKED: a row a grant transaction holds is busy being served; it gets the next beat.
      await db.raw(
        `UPDATE rate_budget_waiters SET heartbeat_at = clock_timestamp()
        WHERE id IN (SELECT id FROM rate_budget_waiters WHERE id = ANY(?::bigint[]) FOR UPDATE SKIP LOCKED)`,
        [ids],
      );
    },

    /**
     * Takes one token in one statement when the bucket row is not locked by a grant in progress (SKIP LOCKED: never
     * waits), nobody is queued for it and a whole token is there (refilled by the database clock in the same
     * UPDATE). False otherwise, or when the bucket does not exist.
     */
    async takeFreeToken(key: BucketKey, limit: BucketLimit): Promise<boolean> {
      const taken = await rows<{ tokens: number }>(
        db,
        `WITH free AS (SELECT shop_id, api FROM rate_budget_buckets WHERE shop_id = ? AND api = ? FOR UPDATE SKIP LOCKED)
       UPDATE rate_budget_buckets b
          SET tokens = ${REFILLED} - 1, refilled_at = GREATEST(b.refilled_at, c.ts)
         FROM free, (SELECT clock_timestamp() AS ts) c
        WHERE b.shop_id = free.shop_id AND b.api = free.api AND ${REFILLED} >= 1
          AND NOT EXISTS (SELECT 1 FROM rate_budget_waiters w
                           WHERE w.shop_id = b.shop_id AND w.api = b.api AND w.granted_at IS NULL)
        RETURNING b.tokens`,
        [key.shopId, key.api, limit.burst, limit.rate, limit.burst, limit.rate],
      );
      return taken.length > 0;
    },

    /** Removes this process's waiters that have no grant (on close). */
    async removeOwnerWaiters(owner: string): Promise<void> {
      await db.raw('DELETE FROM rate_budget_waiters WHERE owner = ? AND granted_at IS NULL', [owner]);
    },
  };
}

export type RateBudgetRepository = ReturnType<typeof createRateBudgetRepository>;
