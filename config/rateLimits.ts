// The TikTok rate limits as configured (TIKTOK_RATE_LIMITS): parsed here, where the configuration is validated, and
// applied by the shared rate budget (integrations/tiktok/rateBudget.ts). TikTok Shop documents 50 QPS per API, counted
// per app + shop pair (https://partner.tiktokshop.com/docv2/page/rate-limits); sources differ, so the limits are
// configuration, set per API family.

export interface RateLimit {
  /** Requests allowed per `perMs` (the steady rate is requests / perMs). */
  requests: number;
  perMs: number;
  /**
   * Bucket capacity: how many calls may go out back to back after a quiet period. Default 1 (smooth pacing), the only
   * value that keeps every sliding window of `perMs` at or under `requests`; a burst B allows B − 1 more.
   */
  burst?: number;
}

export interface RateLimitConfig {
  default: RateLimit;
  /** Keyed by API family (`apiFamilyOf`), e.g. `fulfillment`, `order`, `product`; each API of the family gets it. */
  perApi?: Record<string, RateLimit>;
}

/** The documented default, 50 QPS per API (TIKTOK_RATE_LIMITS unset). */
export const DEFAULT_RATE_LIMIT_SPEC = 'default=50/1s';

const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, sec: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const FAMILY_RE = /^[a-z0-9_]{1,100}$/;

function parseDuration(text: string, where: string): number {
  const match = /^(\d+(?:\.\d+)?)?\s*([a-z]+)$/.exec(text.trim().toLowerCase());
  const unit = match ? DURATION_UNITS[match[2]!] : undefined;
  if (!match || unit === undefined) throw new Error(`${where}: bad duration "${text}" (use e.g. 1s, 60s, 500ms, 1m)`);
  const ms = (match[1] === undefined ? 1 : Number(match[1])) * unit;
  if (!(ms > 0)) throw new Error(`${where}: duration must be positive`);
  return ms;
}

/**
 * Parses `default=50/1s;fulfillment=100/60s,burst=5;order=20/s`: entries separated by `;` (or new lines), each
 * `family=REQUESTS/DURATION` with an optional `,burst=N`. Without a `default` entry the documented default (50/1s)
 * applies.
 */
export function parseRateLimitConfig(spec: string): RateLimitConfig {
  const entries = new Map<string, RateLimit>();
  for (const raw of spec.split(/[;\n]/)) {
    const entry = raw.trim();
    if (entry === '') continue;
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new Error(`rate limit "${entry}": expected family=REQUESTS/DURATION`);
    const name = entry.slice(0, eq).trim().toLowerCase();
    if (!FAMILY_RE.test(name)) throw new Error(`rate limit "${entry}": bad API family name "${name}"`);
    if (entries.has(name)) throw new Error(`rate limit "${entry}": ${name} is given twice`);
    const [rate, ...options] = entry
      .slice(eq + 1)
      .split(',')
      .map((s) => s.trim());
    const slash = rate!.indexOf('/');
    if (slash <= 0) throw new Error(`rate limit "${entry}": expected REQUESTS/DURATION such as 50/1s`);
    const requests = Number(rate!.slice(0, slash));
    if (!Number.isFinite(requests) || requests <= 0) throw new Error(`rate limit "${entry}": requests must be > 0`);
    const limit: RateLimit = { requests, perMs: parseDuration(rate!.slice(slash + 1), `rate limit "${entry}"`) };
    for (const option of options) {
      const m = /^burst\s*=\s*(\d+)$/i.exec(option);
      if (!m || Number(m[1]) < 1) throw new Error(`rate limit "${entry}": unknown option "${option}" (burst=N, N ≥ 1)`);
      limit.burst = Number(m[1]);
    }
    entries.set(name, limit);
  }
  const def = entries.get('default') ?? { requests: 50, perMs: 1000 };
  entries.delete('default');
  return { default: def, perApi: Object.fromEntries(entries) };
}
