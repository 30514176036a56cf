// Rate budget of the TikTok Shop Open API (reference §4.4: 50 QPS per API, counted per app + shop pair; sources
// differ, so the limits are configuration, set per API family). One token bucket per (shop, API), shared by every worker process
// through PostgreSQL; pending calls are served earliest deadline first, calls without a deadline after them, FIFO.
// Temporal's task-queue rate limits and priority keys cannot express this (five priority buckets, not deadline order).
import crypto from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import {
  createRateBudgetRepository,
  type RateBudgetGrantTransaction,
  type RateBudgetRepository,
} from '../../db/rateBudget';
import { abortReason } from './activityHooks';
import type { RateLimitConfig } from '../../config/rateLimits';
import type { AcquireInput, RateBudget, TikTokLogger } from './client';

// ---------------------------------------------------------------------------------------------------------------
// Configuration: the limits are parsed where the configuration is read (config/rateLimits.ts).

export {
  DEFAULT_RATE_LIMIT_SPEC,
  parseRateLimitConfig,
  type RateLimit,
  type RateLimitConfig,
} from '../../config/rateLimits';

/** Splits what the client passes as `api` (`"POST /fulfillment/…"`, a bare path, a full URL or a family name). */
function splitApi(api: string): { method: string; path: string } {
  const text = api.trim();
  const space = text.lastIndexOf(' ');
  const method = space >= 0 ? text.slice(0, space).trim().toUpperCase() : '';
  const path = (space >= 0 ? text.slice(space + 1) : text).replace(/^[a-z]+:\/\/[^/]+/i, '').split(/[?#]/)[0]!;
  return { method, path };
}

/**
 * The API family a call's limit is configured under: the first path segment (`/fulfillment/202309/packages/{id}/ship`
 * → `fulfillment`).
 */
export function apiFamilyOf(api: string): string {
  const family = splitApi(api)
    .path.split('/')
    .find((s) => s !== '');
  return (family ?? '_root').toLowerCase();
}

/**
 * The bucket a call is counted in: §4.4 counts the limit per API, so `GET /order/202309/orders` (Get Order Detail) and
 * `POST /order/202406/orders/external_orders` each have their own 50 QPS. The client passes the path template
 * (`{order_id}` unfilled), so every call of one API lands in one bucket; a host and a query string are left out.
 */
export function apiBucketOf(api: string): string {
  const { method, path } = splitApi(api);
  return method === '' ? path : `${method} ${path}`;
}

interface ResolvedLimit {
  /** Tokens per millisecond. */
  rate: number;
  burst: number;
}

/**
 * How late a call may leave after its token's time without crowding TikTok's window: event-loop delay on a busy
 * worker, a waiter noticing a grant another transaction made for it while it slept. TikTok counts calls as they
 * arrive (§4.4), so tokens spaced exactly `perMs / requests` apart but sent late by different amounts put more than
 * `requests` calls in one of TikTok's windows: a slow full flash sale had a 36009002 on Get Product. Hence the steady
 * rate is `requests / (perMs + SEND_SLACK_MS)`: tokens granted in any span of `perMs + SEND_SLACK_MS` number at most
 * `requests` (burst 1), so the calls they let out in any window of `perMs` do too, however each is delayed within the
 * slack. At 50/1s that is 41.7/s. (A waiter noticing its grant later than this is not held back: giving its token up
 * wasted tokens and broke deadline order at slow rates, where waiters sleep a quarter of a second between looks.)
 */
export const SEND_SLACK_MS = 200;

export function resolveLimit(config: RateLimitConfig, family: string): ResolvedLimit {
  const limit = config.perApi?.[family] ?? config.default;
  if (!(limit.requests > 0) || !(limit.perMs > 0)) throw new Error(`rate limit for ${family} must be positive`);
  const burst = limit.burst ?? 1;
  if (!(burst >= 1)) throw new Error(`rate limit burst for ${family} must be ≥ 1`);
  return { rate: limit.requests / (limit.perMs + SEND_SLACK_MS), burst };
}

// ---------------------------------------------------------------------------------------------------------------
// Token bucket math (pure; shared by both implementations)

export interface BucketState {
  /** May be negative: tokens already promised to calls that go out a little later (see `lookaheadMs`). */
  tokens: number;
  refilledAt: number;
}

/** Continuous refill up to the burst; a clock that goes backwards adds nothing. */
export function refillBucket(state: BucketState, nowMs: number, limit: ResolvedLimit): BucketState {
  const elapsed = Math.max(0, nowMs - state.refilledAt);
  return {
    tokens: Math.min(limit.burst, state.tokens + elapsed * limit.rate),
    refilledAt: Math.max(nowMs, state.refilledAt),
  };
}

/**
 * Hands out tokens to the next `queueLength` callers in queue order, each at the moment its token exists, as long as
 * that moment is within `lookaheadMs`. Returns the delays (from the refill time) and the tokens left.
 */
export function grantInOrder(
  tokens: number,
  queueLength: number,
  limit: ResolvedLimit,
  lookaheadMs: number,
): { delays: number[]; tokens: number } {
  const delays: number[] = [];
  let left = tokens;
  while (delays.length < queueLength) {
    const delay = left >= 1 ? 0 : (1 - left) / limit.rate;
    if (delay > lookaheadMs) break;
    delays.push(delay);
    left -= 1;
  }
  return { delays, tokens: left };
}

/** How many grants can be made now (the `queueLength` worth asking the queue for). */
export function grantableCount(tokens: number, limit: ResolvedLimit, lookaheadMs: number): number {
  return Math.max(0, Math.floor(tokens + lookaheadMs * limit.rate + 1e-9));
}

export type ManagedRateBudget = RateBudget & { close(): Promise<void> };

interface BudgetOptions {
  /** Milliseconds since the epoch; used for deadlines (and, in memory, for the buckets). */
  clock?: () => number;
  logger?: TikTokLogger;
  /**
   * A token may be promised up to this long before it exists, so the call leaves exactly on time instead of one
   * database round trip late. Within this horizon a later, more urgent call cannot overtake. Default 50 ms.
   */
  lookaheadMs?: number;
  /** While a call waits, its `onWait` (an activity's heartbeat) is called this often. Default 1000 ms. */
  waitBeatMs?: number;
}

/**
 * While a call waits in a queue: its `onWait` beats at once and every `everyMs` (the activity waiting stays alive
 * through its heartbeat timeout, and a heartbeat is how it learns it was cancelled), and its `signal` ends the wait.
 */
function watchWait(input: AcquireInput, everyMs: number, onAbort: (err: Error) => void): () => void {
  const { signal, onWait } = input;
  const beat = onWait ? setInterval(onWait, everyMs) : undefined;
  beat?.unref();
  onWait?.();
  const aborted = () => onAbort(abortReason(signal!));
  signal?.addEventListener('abort', aborted, { once: true });
  return () => {
    if (beat) clearInterval(beat);
    signal?.removeEventListener('abort', aborted);
  };
}

// A saturated budget makes many calls late at once (urgent ones carry a deadline seconds ahead): one warning per
// shop and API every 10 s, counting the ones it stands for.
const LATE_WARNING_EVERY_MS = 10_000;
const lateWarnings = new Map<string, { lastAt: number; suppressed: number }>();

function warnLate(
  logger: TikTokLogger | undefined,
  input: { shopId: string; api: string; deadline?: Date },
  family: string,
  now: number,
): void {
  if (!input.deadline || now <= input.deadline.getTime()) return;
  const key = `${input.shopId}:${apiBucketOf(input.api)}`;
  const last = lateWarnings.get(key);
  if (last && now - last.lastAt < LATE_WARNING_EVERY_MS) {
    last.suppressed += 1;
    return;
  }
  lateWarnings.set(key, { lastAt: now, suppressed: 0 });
  logger?.warn(
    {
      shop_id: input.shopId,
      tiktok_api: input.api,
      api_family: family,
      deadline: input.deadline.toISOString(),
      late_ms: Math.round(now - input.deadline.getTime()),
      ...(last?.suppressed ? { more_late_calls_since_last_warning: last.suppressed } : {}),
    },
    'rate budget: call proceeds after its deadline',
  );
}

/** The budget's queue order: background calls last; earliest deadline first (none last), then arrival. */
export function queueOrder(
  a: { deadline: number | null; seq: number; background?: boolean },
  b: { deadline: number | null; seq: number; background?: boolean },
): number {
  if (Boolean(a.background) !== Boolean(b.background)) return a.background ? 1 : -1;
  if (a.deadline !== b.deadline) {
    if (a.deadline === null) return 1;
    if (b.deadline === null) return -1;
    return a.deadline - b.deadline;
  }
  return a.seq - b.seq;
}

// ---------------------------------------------------------------------------------------------------------------
// In memory (one process; unit tests)

interface MemoryWaiter {
  deadline: number | null;
  seq: number;
  background: boolean;
  resolve: () => void;
  reject: (err: Error) => void;
}

interface MemoryBucket {
  state: BucketState;
  limit: ResolvedLimit;
  queue: MemoryWaiter[];
  timer: NodeJS.Timeout | undefined;
}

export function createInMemoryRateBudget(limits: RateLimitConfig, opts: BudgetOptions = {}): ManagedRateBudget {
  const clock = opts.clock ?? Date.now;
  const lookaheadMs = opts.lookaheadMs ?? 0;
  const waitBeatMs = opts.waitBeatMs ?? 1000;
  const buckets = new Map<string, MemoryBucket>();
  const releases = new Set<NodeJS.Timeout>();
  let seq = 0;
  let closed = false;

  function pump(bucket: MemoryBucket): void {
    if (bucket.timer) clearTimeout(bucket.timer);
    bucket.timer = undefined;
    bucket.state = refillBucket(bucket.state, clock(), bucket.limit);
    const { delays, tokens } = grantInOrder(bucket.state.tokens, bucket.queue.length, bucket.limit, lookaheadMs);
    bucket.state.tokens = tokens;
    for (const [i, waiter] of bucket.queue.splice(0, delays.length).entries()) {
      const delay = delays[i]!;
      if (delay <= 0) {
        waiter.resolve();
      } else {
        const t = setTimeout(() => {
          releases.delete(t);
          waiter.resolve();
        }, Math.ceil(delay));
        releases.add(t);
      }
    }
    if (bucket.queue.length > 0) {
      const wait = (1 - bucket.state.tokens) / bucket.limit.rate - lookaheadMs;
      bucket.timer = setTimeout(() => pump(bucket), Math.max(1, Math.ceil(wait)));
    }
  }

  return {
    acquire(input) {
      if (closed) return Promise.reject(new Error('rate budget is closed'));
      if (input.signal?.aborted) return Promise.reject(abortReason(input.signal));
      const family = apiFamilyOf(input.api);
      const key = `${input.shopId}\u0000${apiBucketOf(input.api)}`;
      let bucket = buckets.get(key);
      if (!bucket) {
        const limit = resolveLimit(limits, family);
        bucket = { state: { tokens: limit.burst, refilledAt: clock() }, limit, queue: [], timer: undefined };
        buckets.set(key, bucket);
      }
      const b = bucket;
      return new Promise<void>((resolve, reject) => {
        let stopWatching: (() => void) | undefined;
        let settled = false;
        const waiter: MemoryWaiter = {
          deadline: input.deadline ? input.deadline.getTime() : null,
          seq: seq++,
          background: input.background === true,
          resolve: () => {
            if (settled) return; // aborted while its token was on the way: the token goes unused
            settled = true;
            stopWatching?.();
            warnLate(opts.logger, input, family, clock());
            resolve();
          },
          reject: (err) => {
            if (settled) return;
            settled = true;
            stopWatching?.();
            reject(err);
          },
        };
        const at = b.queue.findIndex((w) => queueOrder(waiter, w) < 0);
        b.queue.splice(at < 0 ? b.queue.length : at, 0, waiter);
        pump(b);
        if (!settled && (input.signal || input.onWait)) {
          stopWatching = watchWait(input, waitBeatMs, (err) => {
            const i = b.queue.indexOf(waiter);
            if (i >= 0) b.queue.splice(i, 1);
            waiter.reject(err);
          });
        }
      });
    },
    close() {
      closed = true;
      for (const t of releases) clearTimeout(t);
      releases.clear();
      for (const bucket of buckets.values()) {
        if (bucket.timer) clearTimeout(bucket.timer);
        for (const w of bucket.queue.splice(0)) w.reject(new Error('rate budget is closed'));
      }
      return Promise.resolve();
    },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// PostgreSQL (every worker process)

export interface PostgresRateBudgetOptions extends BudgetOptions {
  db: Knex;
  limits: RateLimitConfig;
  /**
   * How often a waiter looks at the queue while its token is near (a waiter ahead may have died, another process's
   * config may differ); one further back looks again after half its expected wait. Default 250.
   */
  pollMs?: number;
  /** Waiters refresh `heartbeat_at` this often. Default 1000 ms. */
  heartbeatMs?: number;
  /** A waiter whose heartbeat is older than this is purged (its process died). Default 10 000 ms. */
  staleAfterMs?: number;
  /** Identifies this process's rows; default host:pid:random. */
  owner?: string;
}

interface PgWaiter {
  id: string | null;
  shopId: string;
  /** The bucket (`apiBucketOf`): the `api` column of both tables. */
  api: string;
  deadline: Date | null;
  /** Kept as PostgreSQL's text so a purged-and-reinserted row keeps its exact place. */
  enqueuedAt: string | null;
}

type Attempt = { grantedInMs: number } | { sleepMs: number };

/**
 * The shared budget. Every pending `acquire` is a row of `rate_budget_waiters`; a transaction that locks the
 * (shop, API) row of `rate_budget_buckets` (SELECT … FOR UPDATE) refills it from the database clock and hands the
 * available tokens to the head of the queue (deadline NULLS LAST, enqueued_at, id), and only to the head. Waiters sleep
 * until about when their token exists (capped at `pollMs`), heartbeat while they wait, and purge rows whose
 * heartbeat stopped. All times come from PostgreSQL's clock, so processes on different machines agree. The statements
 * are db/rateBudget.ts's; this function decides which run, in which transaction, in what order.
 */
export function createPostgresRateBudget(opts: PostgresRateBudgetOptions): ManagedRateBudget {
  const { limits } = opts;
  const repo = createRateBudgetRepository(opts.db);
  const clock = opts.clock ?? Date.now;
  const pollMs = opts.pollMs ?? 250;
  const lookaheadMs = opts.lookaheadMs ?? 50;
  const heartbeatMs = opts.heartbeatMs ?? 1000;
  const staleAfterMs = opts.staleAfterMs ?? 10_000;
  const waitBeatMs = opts.waitBeatMs ?? 1000;
  const owner = opts.owner ?? `${os.hostname()}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  const knownBuckets = new Set<string>();
  const lastPurge = new Map<string, number>();
  const pending = new Set<PgWaiter>();
  const sleepers = new Set<{ timer: NodeJS.Timeout; resolve: () => void }>();
  let heartbeat: NodeJS.Timeout | undefined;
  let closed = false;
  // Calls that had to queue, per API, reported once a minute: whether TikTok's limit is what orders wait for.
  const waited = new Map<string, { calls: number; queued: number; totalMs: number; maxMs: number }>();
  const report = setInterval(() => {
    for (const [api, w] of waited) {
      if (w.queued === 0) continue;
      opts.logger?.info(
        {
          tiktok_api: api,
          calls: w.calls,
          queued: w.queued,
          mean_wait_ms: Math.round(w.totalMs / w.queued),
          max_wait_ms: w.maxMs,
        },
        'rate budget: calls queued in the last minute',
      );
    }
    waited.clear();
  }, 60_000);
  report.unref();
  const count = (api: string, waitMs?: number) => {
    const w = waited.get(api) ?? { calls: 0, queued: 0, totalMs: 0, maxMs: 0 };
    w.calls += 1;
    if (waitMs !== undefined) {
      w.queued += 1;
      w.totalMs += waitMs;
      w.maxMs = Math.max(w.maxMs, Math.round(waitMs));
    }
    waited.set(api, w);
  };

  /** Sleeps `ms`, or less when `signal` aborts (the caller then checks it). */
  function sleep(ms: number, signal?: AbortSignal): Promise<void> {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(entry.timer);
        sleepers.delete(entry);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const entry = { timer: setTimeout(done, signal?.aborted ? 0 : ms), resolve: done };
      sleepers.add(entry);
      signal?.addEventListener('abort', done, { once: true });
    });
  }

  async function beat(): Promise<void> {
    const ids = [...pending].map((w) => w.id).filter((id): id is string => id !== null);
    if (ids.length === 0) return;
    await repo.heartbeat(ids);
  }

  function startHeartbeat(): void {
    if (heartbeat) return;
    heartbeat = setInterval(() => {
      beat().catch((err: Error) => opts.logger?.warn({ err: err.message }, 'rate budget: heartbeat failed'));
    }, heartbeatMs);
    heartbeat.unref();
  }

  function stopHeartbeatIfIdle(): void {
    if (pending.size === 0 && heartbeat) {
      clearInterval(heartbeat);
      heartbeat = undefined;
    }
  }

  /** Locks the waiter's bucket row for this transaction, creating it (full) the first time this process sees it. */
  async function lockBucket(tx: RateBudgetGrantTransaction, w: PgWaiter, limit: ResolvedLimit): Promise<void> {
    const key = `${w.shopId}\u0000${w.api}`;
    if (knownBuckets.has(key) && (await tx.lockBucket(w))) return;
    await tx.createBucket(w, limit.burst);
    if (!(await tx.lockBucket(w))) throw new Error('rate budget bucket missing');
    knownBuckets.add(key);
  }

  /** Queues a waiter row; a re-queued waiter keeps its deadline and enqueued_at, hence its place. */
  async function enqueue(q: Pick<RateBudgetRepository, 'enqueue'>, w: PgWaiter): Promise<void> {
    const inserted = await q.enqueue({ ...w, owner });
    w.id = inserted.id;
    w.enqueuedAt = inserted.enqueuedAt;
  }

  async function attempt(w: PgWaiter, limit: ResolvedLimit): Promise<Attempt> {
    return repo.grantTransaction(async (tx) => {
      await lockBucket(tx, w, limit);
      const key = `${w.shopId}\u0000${w.api}`;

      // Stale waiters (their process died) would block the queue forever: purge them, at most once a second.
      const now = clock();
      if ((lastPurge.get(key) ?? 0) + Math.min(1000, staleAfterMs / 2) <= now) {
        lastPurge.set(key, now);
        await tx.purgeStaleWaiters(w, staleAfterMs);
      }

      if (w.id === null) await enqueue(tx, w); // purged while this process was stalled: same place again

      // Continuous refill, computed by the database's clock in one statement.
      let tokens = await tx.refill(w, limit);

      // Hand the available tokens to the head of the queue, in order.
      let mine: number | undefined;
      const count = Math.min(1000, grantableCount(tokens, limit, lookaheadMs));
      if (count > 0) {
        const head = await tx.queueHead(w, count);
        const granted = grantInOrder(tokens, head.length, limit, lookaheadMs);
        tokens = granted.tokens;
        const others: { id: string; delay: number }[] = [];
        head.slice(0, granted.delays.length).forEach((id, i) => {
          if (id === w.id) mine = granted.delays[i]!;
          else others.push({ id, delay: granted.delays[i]! });
        });
        if (granted.delays.length > 0) await tx.setTokens(w, tokens);
        if (others.length > 0) await tx.grantWaiters(w, others);
      }
      if (mine !== undefined) {
        await tx.removeWaiter(w.id!);
        return { grantedInMs: mine };
      }

      // Not served by this transaction: maybe by an earlier one, else sleep until about when our token exists.
      const me = await tx.waiterStatus(w.id!);
      if (!me) {
        // Purged while this process was stalled: queue again at the same place on the next attempt.
        w.id = null;
        return { sleepMs: 0 };
      }
      if (me.waitMs !== null) {
        await tx.removeWaiter(w.id!);
        return { grantedInMs: Math.max(0, me.waitMs) };
      }
      // Sleep until about when our token exists, but look again by half of that wait: a waiter far back (a deadline
      // queue of hundreds) looks a few times instead of every pollMs, and one ahead leaving early is noticed in time.
      const untilToken = Math.max(1, (me.pos + 1 - tokens) / limit.rate - lookaheadMs / 2);
      return { sleepMs: Math.min(untilToken, Math.max(pollMs, untilToken / 2)) };
    });
  }

  /**
   * The uncontended case in one statement: the bucket row is not locked by a grant in progress (SKIP LOCKED: never
   * waits), nobody is queued for it, and a whole token is there (refilled by the database clock in the same UPDATE).
   * Most calls take this path; a queue entry and a grant transaction cost about eight round trips. A waiter queued in
   * the same instant may lose this one token's race; every waiter queued before is served first.
   */
  async function takeFreeToken(shopId: string, api: string, limit: ResolvedLimit): Promise<boolean> {
    if (!knownBuckets.has(`${shopId}\u0000${api}`)) return false;
    return repo.takeFreeToken({ shopId, api }, limit);
  }

  async function acquire(input: AcquireInput): Promise<void> {
    if (closed) throw new Error('rate budget is closed');
    const { signal } = input;
    if (signal?.aborted) throw abortReason(signal);
    const family = apiFamilyOf(input.api);
    const api = apiBucketOf(input.api);
    if (input.shopId.length > 64 || api.length > 100) throw new Error('rate budget: shop id or API too long');
    const limit = resolveLimit(limits, family);
    if (!input.background && (await takeFreeToken(input.shopId, api, limit))) {
      count(api);
      warnLate(opts.logger, input, family, clock());
      return;
    }
    const queuedAt = clock();
    // A background call always queues, with deadline NULL and enqueued_at 'infinity': the queue order (deadline NULLS
    // LAST, enqueued_at, id) then puts it behind every other waiter, and background calls among themselves by id.
    const w: PgWaiter = {
      id: null,
      shopId: input.shopId,
      api,
      deadline: input.background ? null : (input.deadline ?? null),
      enqueuedAt: input.background ? 'infinity' : null,
    };
    pending.add(w);
    startHeartbeat();
    // The abort itself only wakes the sleep below; the loop then leaves and gives the waiter row up.
    const stopWatching = signal || input.onWait ? watchWait(input, waitBeatMs, () => undefined) : undefined;
    const check = () => {
      if (closed) throw new Error('rate budget is closed');
      if (signal?.aborted) throw abortReason(signal);
    };
    try {
      // Queued before waiting for the bucket lock, so a grant made by any process sees every waiter that arrived.
      await enqueue(repo, w);
      for (;;) {
        check();
        const result = await attempt(w, limit);
        if ('grantedInMs' in result) {
          w.id = null;
          if (result.grantedInMs > 0) await sleep(result.grantedInMs, signal);
          check(); // granted but aborted before its moment: the token goes unused, nothing is sent
          break;
        }
        await sleep(result.sleepMs, signal);
      }
    } catch (err) {
      if (w.id !== null) {
        await repo
          .removeWaiter(w.id)
          .catch((e: Error) => opts.logger?.warn({ err: e.message }, 'rate budget: could not remove a waiter'));
      }
      throw err;
    } finally {
      stopWatching?.();
      pending.delete(w);
      stopHeartbeatIfIdle();
    }
    count(api, clock() - queuedAt);
    warnLate(opts.logger, input, family, clock());
  }

  return {
    acquire,
    async close() {
      closed = true;
      clearInterval(report);
      for (const s of sleepers) {
        clearTimeout(s.timer);
        s.resolve();
      }
      sleepers.clear();
      if (heartbeat) clearInterval(heartbeat);
      heartbeat = undefined;
      await repo.removeOwnerWaiters(owner);
    },
  };
}
