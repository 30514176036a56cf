// Webhook notifications. ref §11:
// - §11.1 POST of a JSON body to the shop's Event API address for that event type, else the app-level URL;
//   the receiver must answer 200 within 3 s, otherwise retries at +2 min, +30 min (after the 1st retry),
//   +3 h and +12 h; after the 4th failed retry the notification is dropped.
// - §11.2 header `Authorization` = lowercase hex HMAC-SHA256(key = app_secret, message = app_key + raw body).
// - §11.3 payload `{type, tts_notification_id, shop_id, timestamp, data}`.
// Retry delays run on REAL time multiplied by `retryTimeScale` so tests can shorten them.
import crypto from 'node:crypto';
import type { BusinessClock } from './clock';
import type { FaultInjector } from './faults';
import { computeWebhookSignature } from './signing';
import type { AppConfig, EmulatorState } from './state';

/** Type codes and Event API names, ref §11.4. */
export const WEBHOOK_TYPES = {
  ORDER_STATUS_CHANGE: 1,
  RECIPIENT_ADDRESS_UPDATE: 3,
  PACKAGE_UPDATE: 4,
  PRODUCT_STATUS_CHANGE: 5,
  SELLER_DEAUTHORIZATION: 6,
  UPCOMING_AUTHORIZATION_EXPIRATION: 7,
  CANCELLATION_STATUS_CHANGE: 11,
  RETURN_STATUS_CHANGE: 12,
  PRODUCT_CREATION: 16,
  PRODUCT_CATEGORY_CHANGE: 18,
  /** Type 27 has no Event API name (Partner Center only, ref §11.4); the emulator uses this internal name. */
  INVENTORY_STATUS_CHANGE: 27,
  PRODUCT_AUDIT_STATUS_CHANGE: 37,
} as const;

export type WebhookEventName = keyof typeof WEBHOOK_TYPES;

/** event_type values accepted by Update Shop Webhook (ref §11.4 table, the ones with an Event API name). */
export const EVENT_API_TYPES = new Set([
  'ORDER_STATUS_CHANGE',
  'REVERSE_STATUS_UPDATE',
  'RECIPIENT_ADDRESS_UPDATE',
  'PACKAGE_UPDATE',
  'PRODUCT_STATUS_CHANGE',
  'SELLER_DEAUTHORIZATION',
  'UPCOMING_AUTHORIZATION_EXPIRATION',
  'CANCELLATION_STATUS_CHANGE',
  'RETURN_STATUS_CHANGE',
  'NEW_CONVERSATION',
  'NEW_MESSAGE',
  'PRODUCT_INFORMATION_CHANGE',
  'PRODUCT_CREATION',
  'PRODUCT_CATEGORY_CHANGE',
  'NEW_MESSAGE_LISTENER',
  'INVOICE_STATUS_CHANGE',
  'PRODUCT_AUDIT_STATUS_CHANGE',
]);

export const DEFAULT_RETRY_DELAYS_MS = [2 * 60_000, 30 * 60_000, 3 * 3_600_000, 12 * 3_600_000];

/**
 * Address rules of the Event API (ref §11.1): https, a domain name rather than an IP, no port, ≤255 chars.
 * With `allowLoopbackHttp` (a development setting), http/https to 127.0.0.1 or localhost with a port is
 * also admitted. Returns an error message or null.
 */
export function checkWebhookAddress(address: string, allowLoopbackHttp: boolean): string | null {
  if (address.length > 255) return 'param body.address is too long';
  let url: URL;
  try {
    url = new URL(address);
  } catch {
    return 'param body.address is invalid';
  }
  const loopback = url.hostname === '127.0.0.1' || url.hostname === 'localhost';
  if (allowLoopbackHttp && loopback && (url.protocol === 'http:' || url.protocol === 'https:')) return null;
  if (url.protocol !== 'https:') return 'param body.address must use https';
  if (url.port !== '') return 'param body.address must not contain a port';
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(url.hostname) || url.hostname.startsWith('[')) {
    return 'param body.address must be a domain name, not an IP address';
  }
  if (!url.hostname.includes('.')) return 'param body.address must be a domain name';
  return null;
}

export interface WebhookOptions {
  defaultUrl?: string;
  retryDelaysMs: number[];
  retryTimeScale: number;
  timeoutMs: number;
}

export interface DeliveryLog {
  notificationId: string;
  type: number;
  eventType: string;
  shopId: string;
  appKey: string;
  address: string | null;
  body: string;
  attempts: { realAt: string; status: number | null; error: string | null }[];
  state: 'pending' | 'delivered' | 'failed' | 'dropped_by_fault' | 'no_address' | 'held';
  /** Which fault dropped it: the overall probability or the event type's seeded fraction (faults.ts). */
  droppedBy: 'probability' | 'event_fraction' | null;
  duplicated: boolean;
  reordered: boolean;
}

export class WebhookDispatcher {
  readonly log: DeliveryLog[] = [];
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly controllers = new Set<AbortController>();
  private held: { entry: DeliveryLog; app: AppConfig; timer: NodeJS.Timeout }[] = [];
  private seq = 0;
  private closed = false;
  /** How often each notification content was seen (a repeat of the same content hashes anew). */
  private readonly seen = new Map<string, number>();

  constructor(
    private readonly state: EmulatorState,
    private readonly clock: BusinessClock,
    private readonly faults: FaultInjector,
    readonly options: WebhookOptions,
  ) {}

  configure(patch: Partial<WebhookOptions>): WebhookOptions {
    Object.assign(this.options, patch);
    return this.options;
  }

  /** Emits one notification for every app authorized on the shop. */
  emit(shopId: string, event: WebhookEventName, data: Record<string, unknown>): void {
    if (this.closed) return;
    for (const app of this.state.appsForShop(shopId)) this.emitFor(app, shopId, event, data);
  }

  emitFor(app: AppConfig, shopId: string, event: WebhookEventName, data: Record<string, unknown>): void {
    const type = WEBHOOK_TYPES[event];
    const sub = this.state.webhookSubscriptions.get(`${app.appKey}|${shopId}|${event}`);
    const address = sub?.address ?? app.webhookUrl ?? this.options.defaultUrl ?? null;
    this.seq++;
    const notificationId = `7${String(Date.now()).slice(-12)}${String(this.seq).padStart(6, '0')}`;
    const body = JSON.stringify({
      type,
      tts_notification_id: notificationId,
      shop_id: shopId,
      timestamp: this.clock.nowSeconds(),
      data,
    });
    const entry: DeliveryLog = {
      notificationId,
      type,
      eventType: event,
      shopId,
      appKey: app.appKey,
      address,
      body,
      attempts: [],
      state: 'pending',
      droppedBy: null,
      duplicated: false,
      reordered: false,
    };
    this.log.push(entry);
    if (!address) {
      entry.state = 'no_address';
      return;
    }
    const wf = this.faults.config.webhooks;
    const rule = wf.dropByEvent[event];
    if (rule && rule.fraction > 0 && this.hashUnit(rule.seed, event, shopId, data) < rule.fraction) {
      entry.state = 'dropped_by_fault';
      entry.droppedBy = 'event_fraction';
      return;
    }
    if (this.faults.roll(wf.dropProbability)) {
      entry.state = 'dropped_by_fault';
      entry.droppedBy = 'probability';
      return;
    }
    // Anything held back is released after this newer notification, which puts it out of order.
    const release = this.held;
    this.held = [];
    if (this.faults.roll(wf.reorderProbability)) {
      entry.state = 'held';
      entry.reordered = true;
      const timer = setTimeout(() => {
        this.timers.delete(timer);
        this.held = this.held.filter((h) => h.entry !== entry);
        entry.state = 'pending';
        this.attempt(entry, app, 0);
      }, wf.reorderDelayMs);
      this.timers.add(timer);
      this.held.push({ entry, app, timer });
    } else {
      this.attempt(entry, app, 0);
      if (this.faults.roll(wf.duplicateProbability)) {
        entry.duplicated = true;
        this.send(entry, app).catch(() => undefined);
      }
    }
    for (const h of release) {
      clearTimeout(h.timer);
      this.timers.delete(h.timer);
      h.entry.state = 'pending';
      this.attempt(h.entry, h.app, 0);
    }
  }

  /** A number in [0, 1) from the seed and the notification's content without its `*_time` fields. */
  private hashUnit(seed: number, event: string, shopId: string, data: Record<string, unknown>): number {
    const content = JSON.stringify(
      Object.keys(data)
        .filter((k) => !k.endsWith('_time'))
        .sort()
        .map((k) => [k, data[k]]),
    );
    const key = `${event}|${shopId}|${content}`;
    const n = (this.seen.get(key) ?? 0) + 1;
    this.seen.set(key, n);
    return crypto.createHash('sha256').update(`${seed}|${key}|${n}`).digest().readUInt32BE(0) / 4294967296;
  }

  private attempt(entry: DeliveryLog, app: AppConfig, retryIndex: number): void {
    if (this.closed) return;
    this.send(entry, app)
      .then((ok) => {
        if (ok) {
          entry.state = 'delivered';
          return;
        }
        this.scheduleRetry(entry, app, retryIndex);
      })
      .catch(() => this.scheduleRetry(entry, app, retryIndex));
  }

  private scheduleRetry(entry: DeliveryLog, app: AppConfig, retryIndex: number): void {
    if (this.closed) return;
    const delay = this.options.retryDelaysMs[retryIndex];
    if (delay === undefined) {
      entry.state = 'failed';
      return;
    }
    const timer = setTimeout(
      () => {
        this.timers.delete(timer);
        this.attempt(entry, app, retryIndex + 1);
      },
      Math.max(0, Math.round(delay * this.options.retryTimeScale)),
    );
    this.timers.add(timer);
  }

  /** One POST; success means HTTP 200 within the timeout (ref §11.1). */
  private async send(entry: DeliveryLog, app: AppConfig): Promise<boolean> {
    const controller = new AbortController();
    this.controllers.add(controller);
    const timeout = setTimeout(() => controller.abort(), this.options.timeoutMs);
    const attempt: DeliveryLog['attempts'][number] = { realAt: new Date().toISOString(), status: null, error: null };
    entry.attempts.push(attempt);
    try {
      const res = await fetch(entry.address ?? '', {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          authorization: computeWebhookSignature(app.appKey, app.appSecret, entry.body),
        },
        body: entry.body,
        signal: controller.signal,
      });
      attempt.status = res.status;
      await res.arrayBuffer().catch(() => undefined);
      return res.status === 200;
    } catch (err) {
      attempt.error = err instanceof Error ? err.message : String(err);
      return false;
    } finally {
      clearTimeout(timeout);
      this.controllers.delete(controller);
    }
  }

  close(): void {
    this.closed = true;
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
    for (const c of this.controllers) c.abort();
    this.controllers.clear();
  }

  clearLog(): void {
    this.log.length = 0;
    this.seen.clear();
  }
}
