import { isIPv6 } from 'node:net';

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

/**
 * The unit an address is counted by: an IPv4 address (also when IPv4-mapped), or an IPv6 address's /64 — one
 * subscriber's prefix (RFC 6177), whose 2^64 addresses would otherwise each get a fresh count.
 */
export function addressKey(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped) return mapped[1]!;
  if (!isIPv6(address)) return address;
  const [head = '', tail = ''] = address.split('::');
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = address.includes('::')
    ? [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right]
    : left;
  return `${groups
    .slice(0, 4)
    .map((g) => parseInt(g, 16).toString(16))
    .join(':')}::/64`;
}

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
    limited: (address) => (current(addressKey(address))?.failures ?? 0) >= opts.limit,
    fail: (raw) => {
      const address = addressKey(raw);
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
