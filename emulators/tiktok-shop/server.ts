// Entry point of the TikTok Shop Open API emulator: one HTTP server for the API host paths, the auth host
// paths (/api/v2/token/*), the authorization page, shipping documents and the admin API.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { adminRouter } from './admin';
import { BusinessClock } from './clock';
import { CODES, failure } from './envelope';
import { ErrorCodeTable } from './errorCodes';
import { FaultInjector } from './faults';
import { onAuditDone } from './inventory';
import { onCategoryReview, onEditAuditDone } from './categories';
import { authorizePage, tokenEndpoint } from './oauth';
import { OpenApiPipeline } from './openApi';
import { onAutoCancel, onComplete, onLateDispatch, onRemorseEnd, onUnpaidTimeout } from './orders';
import type { Platform } from './platform';
import type { RateLimitConfig } from './rateLimit';
import { RateLimiter } from './rateLimit';
import { onCancelDeadline, onReturnDeadline } from './returns';
import type { BusinessRules } from './rules';
import { DEFAULT_RULES } from './rules';
import { Scheduler } from './scheduler';
import { EmulatorState } from './state';
import { TokenService } from './tokens';
import { DEFAULT_RETRY_DELAYS_MS, WebhookDispatcher } from './webhooks';

export interface EmulatorAppOptions {
  appKey: string;
  appSecret: string;
  serviceId?: string;
  /** Where /oauth/authorize redirects (ref §3.1). */
  redirectUrl?: string;
  /** App-level webhook URL (Partner Center setting); falls back to options.webhookUrl. */
  webhookUrl?: string;
}

export interface EmulatorOptions {
  /** 0 picks a free port. Default 0. */
  port?: number;
  /** Default 127.0.0.1. */
  host?: string;
  apps: EmulatorAppOptions[];
  /** Default webhook address for shops without an Event API registration. */
  webhookUrl?: string;
  /**
   * Development setting: the Event API also accepts http(s)://127.0.0.1:port and localhost:port addresses,
   * which the platform rule (https, domain name, no port; ref §11.1) would reject.
   */
  allowLoopbackWebhookHttp?: boolean;
  rules?: Partial<BusinessRules>;
  rateLimit?: Partial<RateLimitConfig>;
  /** PRNG seed for tokens, ciphers and fault probabilities. */
  seed?: number;
  /** Business clock start (epoch ms). Default: the real now. */
  startTime?: number;
  /** Webhook retry delays (ref §11.1 default +2 min, +30 min, +3 h, +12 h). */
  webhookRetryDelaysMs?: number[];
  /** Factor applied to retry delays (real time). 1 = real schedule; 0.001 turns 2 min into 120 ms. */
  webhookRetryTimeScale?: number;
  /** Receiver deadline (ref §11.1: 3 s). */
  webhookTimeoutMs?: number;
  /** HTTP status policy for error envelopes (see envelope.ts). Default 'semantic'. */
  errorStatusMode?: 'semantic' | 'always200';
  /** Real-time period of the scheduler tick. Default 250 ms. */
  tickIntervalMs?: number;
  /** Error code per situation, replacing the table's (errorCodes.ts), e.g. for a code marked unverified there. */
  errorCodes?: Partial<Record<string, number>>;
}

export interface RunningEmulator {
  url: string;
  state: EmulatorState;
  clock: BusinessClock;
  /** Everything the business modules share (scheduler, webhooks, tokens, faults). */
  platform: Platform;
  rateLimiter: RateLimiter;
  close(): Promise<void>;
}

/** A tiny valid PDF (or 1x1 PNG) served as the shipping document. */
function documentBytes(kind: string, packageId: string): { type: string; bytes: Buffer } {
  if (kind.endsWith('.png')) {
    return {
      type: 'image/png',
      bytes: Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=',
        'base64',
      ),
    };
  }
  const text = `Emulated shipping document for package ${packageId}`;
  const stream = `BT /F1 12 Tf 72 720 Td (${text}) Tj ET`;
  const pdf = `%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 612 792]/Contents 4 0 R/Resources<</Font<</F1 5 0 R>>>>>>endobj\n4 0 obj<</Length ${stream.length}>>stream\n${stream}\nendstream endobj\n5 0 obj<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n`;
  return { type: 'application/pdf', bytes: Buffer.from(pdf, 'latin1') };
}

export async function startTikTokShopEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const seed = options.seed ?? 42;
  const clock = new BusinessClock(options.startTime ?? Date.now(), options.rules ?? {});
  const state = new EmulatorState(seed, clock.rules);
  for (const a of options.apps) state.apps.set(a.appKey, { ...a });
  const faults = new FaultInjector(state.rng);
  const scheduler = new Scheduler();
  const webhooks = new WebhookDispatcher(state, clock, faults, {
    defaultUrl: options.webhookUrl,
    retryDelaysMs: options.webhookRetryDelaysMs ?? DEFAULT_RETRY_DELAYS_MS,
    retryTimeScale: options.webhookRetryTimeScale ?? 1,
    timeoutMs: options.webhookTimeoutMs ?? 3000,
  });
  const tokens = new TokenService(state, clock);
  const errors = new ErrorCodeTable(options.errorCodes ?? {});
  let baseUrl = '';
  const p: Platform = { state, clock, scheduler, webhooks, tokens, faults, errors, baseUrl: () => baseUrl };

  scheduler.on('remorse_end', (id, at) => onRemorseEnd(p, id, at));
  scheduler.on('unpaid_timeout', (id, at) => onUnpaidTimeout(p, id, at));
  scheduler.on('auto_cancel', (id, at) => onAutoCancel(p, id, at));
  scheduler.on('late_dispatch', (id, at) => onLateDispatch(p, id, at));
  scheduler.on('complete', (id, at) => onComplete(p, id, at));
  scheduler.on('return_deadline', (id, at) => onReturnDeadline(p, id, at));
  scheduler.on('cancel_deadline', (id, at) => onCancelDeadline(p, id, at));
  scheduler.on('audit_done', (id, at) => onAuditDone(p, id, at));
  scheduler.on('edit_audit_done', (id, at) => onEditAuditDone(p, id, at));
  scheduler.on('category_review', (id) => onCategoryReview(p, id));
  clock.onChange((now) => scheduler.tick(now));
  const ticker = setInterval(() => scheduler.tick(clock.now()), options.tickIntervalMs ?? 250);
  ticker.unref();

  const limiter = new RateLimiter(options.rateLimit ?? {});
  const errorStatusMode = options.errorStatusMode ?? 'semantic';
  const pipeline = new OpenApiPipeline(p, limiter, faults, {
    errorStatusMode,
    allowLoopbackWebhookHttp: options.allowLoopbackWebhookHttp ?? false,
    timestampPastSec: 300,
    timestampFutureSec: 30,
  });

  const reset = (): void => {
    state.clear();
    scheduler.clear();
    webhooks.clearLog();
    limiter.reset();
    faults.reset();
    errors.reset(options.errorCodes ?? {});
    Object.assign(clock.rules, DEFAULT_RULES, options.rules ?? {});
  };

  const app = express();
  app.disable('x-powered-by');
  app.set('query parser', 'simple');
  app.use('/__admin', adminRouter({ p, limiter, reset, initialRules: options.rules ?? {} }));
  // ref §3.1: the current consent link is `/open/authorize?service_id=…` (services host); `/oauth/authorize?app_key=…`
  // is the legacy one on the auth host. One server plays every host, so both paths lead to the consent page.
  app.get(['/open/authorize', '/oauth/authorize'], (req, res) => authorizePage(p, req, res));
  app.all('/api/v2/token/get', (req, res) => tokenEndpoint(p, 'get', errorStatusMode, req, res));
  app.all('/api/v2/token/refresh', (req, res) => tokenEndpoint(p, 'refresh', errorStatusMode, req, res));
  app.get('/__documents/:packageId/:file', (req, res) => {
    if (!state.packages.has(req.params.packageId)) {
      res.status(404).end();
      return;
    }
    const doc = documentBytes(req.params.file, req.params.packageId);
    res.type(doc.type).send(doc.bytes);
  });
  // Where an upload's `url` points (uploads.ts).
  app.get('/__uploads/:id', (req, res) => {
    const upload = state.uploads.get(req.params.id);
    if (!upload) {
      res.status(404).end();
      return;
    }
    res.type(upload.contentType).send(upload.bytes);
  });
  // The largest documented upload is a 100 MB video (Upload Product File); a larger body is 36009021.
  app.use(express.raw({ type: () => true, limit: '110mb' }));
  app.use((err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    if ((err as { type?: string } | null)?.type !== 'entity.too.large') {
      next(err);
      return;
    }
    res
      .status(413)
      .json(failure(CODES.FILE_TOO_LARGE, 'Invalid file size. The uploaded file size exceeds the maximum limit.'));
  });
  app.use((req, res) => {
    const url = new URL(req.originalUrl, 'http://emulator.local');
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) if (!(k in query)) query[k] = v;
    const raw: unknown = req.body;
    const rawBytes = Buffer.isBuffer(raw) ? raw : Buffer.alloc(0);
    // Multipart bodies are not signed and may be large binaries: they are read from the bytes only.
    const rawBody = /^multipart\/form-data\b/i.test(req.headers['content-type'] ?? '') ? '' : rawBytes.toString('utf8');
    pipeline
      .handle({ method: req.method, path: url.pathname, query, headers: req.headers, rawBody, rawBytes }, res)
      .catch((err: unknown) => {
        console.error('[tiktok-shop-emulator] pipeline failure', err);
        if (!res.headersSent) res.status(500).end();
      });
  });

  const host = options.host ?? '127.0.0.1';
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(options.port ?? 0, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const addr = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  return {
    url: baseUrl,
    state,
    clock,
    platform: p,
    rateLimiter: limiter,
    close: () =>
      new Promise<void>((resolve, reject) => {
        clearInterval(ticker);
        webhooks.close();
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
}

export type { BusinessRules } from './rules';
export { BusinessClock } from './clock';
export { EmulatorState } from './state';
export { computeRequestSign, verifyRequestSign, computeWebhookSignature, verifyWebhookSignature } from './signing';
