// When the account-health workflow refreshes next (pure: unit-tested in test/unit/accountHealthRefreshClock.test.ts).
// A flash sale marks the shop dirty once and then keeps it dirty: however many orders move, the workflow reads
// PostgreSQL at most once per interval, and not at all while nothing changed.

/** How long to wait before a refresh that is due now, so refreshes are at least `minIntervalMs` apart. */
export function refreshWaitMs(lastRefreshAt: number | undefined, nowMs: number, minIntervalMs: number): number {
  if (lastRefreshAt === undefined) return 0;
  return Math.max(0, lastRefreshAt + minIntervalMs - nowMs);
}

/**
 * How long the idle workflow may sleep before refreshing without any signal: until the score changes by itself
 * (`nextChangeAt`, a violation expiring) or a failed refresh is due again; undefined: until a signal.
 */
export function idleTimeoutMs(
  nowMs: number,
  due: { nextChangeAt?: string | null; retryAt?: number },
): number | undefined {
  const times = [due.nextChangeAt ? Date.parse(due.nextChangeAt) : NaN, due.retryAt ?? NaN].filter(
    (t) => !Number.isNaN(t),
  );
  if (times.length === 0) return undefined;
  return Math.max(0, Math.min(...times) - nowMs);
}
