// Rate limits. ref §4.4: 50 QPS per API, counted per app + shop pair; past the budget the
// platform answers HTTP 429 with body code 36009002 (§4.2).

export interface RateLimitConfig {
  /** Requests allowed per window for one (app, shop, API). Default 50. */
  limit: number;
  /** Window length in real milliseconds. Default 1000 (QPS). */
  windowMs: number;
  /** Per-API overrides, keyed by "METHOD /path/template". */
  perApi: Record<string, number>;
  enabled: boolean;
}

export const DEFAULT_RATE_LIMIT: RateLimitConfig = { limit: 50, windowMs: 1000, perApi: {}, enabled: true };

export class RateLimiter {
  private readonly windows = new Map<string, { start: number; count: number }>();
  /** Calls answered 36009002 since the last reset, per API (the emulator record shows them). */
  private readonly refused = new Map<string, number>();
  config: RateLimitConfig;

  constructor(config: Partial<RateLimitConfig> = {}) {
    this.config = { ...DEFAULT_RATE_LIMIT, ...config, perApi: { ...(config.perApi ?? {}) } };
  }

  configure(patch: Partial<RateLimitConfig>): RateLimitConfig {
    this.config = { ...this.config, ...patch, perApi: { ...this.config.perApi, ...(patch.perApi ?? {}) } };
    this.windows.clear();
    return this.config;
  }

  /** Counts one call; returns false when the call is over budget (fixed window, real time). */
  take(appKey: string, shopId: string, api: string): boolean {
    if (!this.config.enabled) return true;
    const limit = this.config.perApi[api] ?? this.config.limit;
    const key = `${appKey}|${shopId}|${api}`;
    const now = Date.now();
    let w = this.windows.get(key);
    if (!w || now - w.start >= this.config.windowMs) {
      w = { start: now, count: 0 };
      this.windows.set(key, w);
    }
    w.count++;
    if (w.count <= limit) return true;
    this.refused.set(api, (this.refused.get(api) ?? 0) + 1);
    return false;
  }

  refusedByApi(): Record<string, number> {
    return Object.fromEntries(this.refused);
  }

  reset(): void {
    this.windows.clear();
    this.refused.clear();
  }
}
