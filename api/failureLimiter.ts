/**
 * Per-address limit on requests that fail authentication or a signature check (issue 13 item 2): after `limit`
 * failures within `windowMs`, further failing requests from that address are answered 429 and nothing of them is
 * stored. Requests that authenticate (a valid API key, a validly signed TikTok webhook) never consult it, so a
 * flood of forgeries from an address cannot lock out TikTok or a real client sharing it. In memory, per API process
 * (each process limits on its own; the point is to bound what an anonymous sender can write, not exact counts).
 */
export interface FailureLimiter {
  /** True when this address has used up its failures for the current window. */
  limited(address: string): boolean;
  /** Counts one failure of this address. */
  fail(address: string): void;
}

// Addresses remembered at most; under a spray from many addresses the oldest windows are forgotten first.
const MAX_ADDRESSES = 100_000;

export function createFailureLimiter(opts: { limit: number; windowMs: number; now?: () => number }): FailureLimiter {
  const now = opts.now ?? Date.now;
  const windows = new Map<string, { startedAt: number; failures: number }>();
  const current = (address: string) => {
    const w = windows.get(address);
    if (w && now() - w.startedAt < opts.windowMs) return w;
    if (w) windows.delete(address);
    return undefined;
  };
  return {
    limited: (address) => (current(address)?.failures ?? 0) >= opts.limit,
    fail: (address) => {
      const w = current(address);
      if (w) {
        w.failures += 1;
        return;
      }
      if (windows.size >= MAX_ADDRESSES) windows.delete(windows.keys().next().value!);
      windows.set(address, { startedAt: now(), failures: 1 });
    },
  };
}
