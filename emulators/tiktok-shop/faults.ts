// Fault injection, configured through the admin API. Faults are test tooling, not platform behaviour; the
// status/code pairs they produce follow ref §4.2–§4.3 (503 overload, 36009003 internal).

export interface FaultConfig {
  /** Added latency before every Open API answer, real ms. */
  latencyMs: number;
  /** Extra random latency in [0, latencyJitterMs). */
  latencyJitterMs: number;
  /** The next `count` Open API calls fail before being applied, with this HTTP status and body code. */
  errorBurst: { count: number; httpStatus: number; code: number };
  /**
   * "Applied but response lost": the mutation is applied, then the answer is lost. `count` consumes the
   * next N mutating calls; `probability` applies to every mutating call. mode 'destroy' resets the socket,
   * mode '5xx' answers HTTP 500 with 36009003, mode 'hold' never answers (the caller waits until it gives up or
   * dies: a worker killed between a call TikTok applied and its own record of it).
   */
  responseLost: { count: number; probability: number; mode: 'destroy' | '5xx' | 'hold' };
  /** Only calls whose path matches this regular expression are affected by errorBurst/responseLost. */
  pathPattern: string | null;
  webhooks: {
    dropProbability: number;
    duplicateProbability: number;
    /** Probability that a notification is held back and sent after a later one (or after reorderDelayMs). */
    reorderProbability: number;
    reorderDelayMs: number;
    /**
     * Per event type (e.g. RETURN_STATUS_CHANGE): drop this fraction of its notifications. Whether one is dropped
     * is a hash of the seed and the notification's content (its ids and status, not its times), so a run with the
     * same seed drops the same transitions whatever the timing; the delivery log marks them `event_fraction`.
     */
    dropByEvent: Record<string, { fraction: number; seed: number }>;
  };
}

export function defaultFaults(): FaultConfig {
  return {
    latencyMs: 0,
    latencyJitterMs: 0,
    errorBurst: { count: 0, httpStatus: 503, code: 36009003 },
    responseLost: { count: 0, probability: 0, mode: 'destroy' },
    pathPattern: null,
    webhooks: {
      dropProbability: 0,
      duplicateProbability: 0,
      reorderProbability: 0,
      reorderDelayMs: 2000,
      dropByEvent: {},
    },
  };
}

export class FaultInjector {
  config: FaultConfig = defaultFaults();

  constructor(private readonly rng: () => number) {}

  configure(patch: Partial<FaultConfig>): FaultConfig {
    this.config = {
      ...this.config,
      ...patch,
      errorBurst: { ...this.config.errorBurst, ...(patch.errorBurst ?? {}) },
      responseLost: { ...this.config.responseLost, ...(patch.responseLost ?? {}) },
      webhooks: { ...this.config.webhooks, ...(patch.webhooks ?? {}) },
    };
    return this.config;
  }

  reset(): void {
    this.config = defaultFaults();
  }

  private matches(path: string): boolean {
    return this.config.pathPattern === null || new RegExp(this.config.pathPattern).test(path);
  }

  latency(): number {
    const { latencyMs, latencyJitterMs } = this.config;
    return latencyMs + (latencyJitterMs > 0 ? Math.floor(this.rng() * latencyJitterMs) : 0);
  }

  /** Consumes one burst error when one is pending for this path. */
  takeBurst(path: string): { httpStatus: number; code: number } | null {
    const b = this.config.errorBurst;
    if (b.count <= 0 || !this.matches(path)) return null;
    b.count--;
    return { httpStatus: b.httpStatus, code: b.code };
  }

  /** Decides whether the answer to an applied mutation is lost. */
  takeResponseLost(path: string): 'destroy' | '5xx' | 'hold' | null {
    const r = this.config.responseLost;
    if (!this.matches(path)) return null;
    if (r.count > 0) {
      r.count--;
      return r.mode;
    }
    if (r.probability > 0 && this.rng() < r.probability) return r.mode;
    return null;
  }

  roll(probability: number): boolean {
    return probability > 0 && this.rng() < probability;
  }
}
