// The Open API request pipeline: common parameters, signature, timestamp window, access token, shop_cipher,
// rate limit, fault injection, handler, emulator record. ref tiktok-shop-api.md §2, §3.2, §4, §14.2–§14.3.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, CODES, failure, httpStatusFor, success } from './envelope';
import type { FaultInjector } from './faults';
import type { Platform } from './platform';
import type { RateLimiter } from './rateLimit';
import type { Call, CallIds, RouteMatch } from './routes';
import { resolveRoute } from './routes';
import { isMultipart, verifyRequestSign } from './signing';
import type { MutationRecord, Shop } from './state';
import type { Json } from './util';

export interface PipelineOptions {
  errorStatusMode: 'semantic' | 'always200';
  allowLoopbackWebhookHttp: boolean;
  /** Accepted timestamp window relative to the REAL clock (ref §2.1: [now − 300 s, now + 30 s]). */
  timestampPastSec: number;
  timestampFutureSec: number;
}

export interface RawRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingMessage['headers'];
  rawBody: string;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export class OpenApiPipeline {
  private seq = 0;

  constructor(
    private readonly p: Platform,
    private readonly limiter: RateLimiter,
    private readonly faults: FaultInjector,
    readonly options: PipelineOptions,
  ) {}

  async handle(req: RawRequest, res: ServerResponse): Promise<void> {
    let match: RouteMatch | null = null;
    let record: MutationRecord | null = null;
    const ids: CallIds = { orderIds: [], skuIds: [], productIds: [], packageIds: [] };
    try {
      match = resolveRoute(req.method, req.path);
      if (match.route.action) record = this.newRecord(req, match);
      const { call, shop } = this.authenticate(req, match, ids);
      if (record) {
        record.appKey = call.app.appKey;
        record.shopId = shop?.id ?? null;
      }
      const api = `${match.route.method} ${match.route.path}`;
      if (!this.limiter.take(call.app.appKey, shop?.id ?? '-', api)) {
        throw new ApiError(CODES.TOO_MANY_REQUESTS, 'Too many requests');
      }
      const latency = this.faults.latency();
      if (latency > 0) await sleep(latency);
      const burst = this.faults.takeBurst(req.path);
      if (burst) throw new ApiError(burst.code, 'Service temporarily unavailable (injected fault)', burst.httpStatus);
      const data = match.route.handler(call);
      if (record) {
        record.applied = true;
        record.code = 0;
        this.fillIds(record, ids);
      }
      const lost = match.route.action ? this.faults.takeResponseLost(req.path) : null;
      if (lost && record) record.responseLost = true;
      if (lost === 'destroy') {
        res.socket?.destroy();
        return;
      }
      if (lost === '5xx') {
        this.send(res, 500, failure(CODES.INTERNAL, 'Internal error. Please try again.'));
        return;
      }
      this.send(res, 200, success(data));
    } catch (err) {
      const e = err instanceof ApiError ? err : new ApiError(CODES.INTERNAL, 'Internal error. Please try again.');
      if (!(err instanceof ApiError)) console.error('[tiktok-shop-emulator] handler crashed', err);
      if (record) {
        record.code = e.code;
        this.fillIds(record, ids);
      }
      this.send(res, e.httpStatus ?? httpStatusFor(e.code, this.options.errorStatusMode), failure(e.code, e.message));
    }
  }

  private newRecord(req: RawRequest, match: RouteMatch): MutationRecord {
    const r: MutationRecord = {
      seq: ++this.seq,
      realTime: new Date().toISOString(),
      businessTime: this.p.clock.now(),
      method: req.method,
      path: req.path,
      api: `${match.route.method} ${match.route.path}`,
      action: match.route.action ?? '',
      appKey: null,
      shopId: null,
      orderIds: [],
      skuIds: [],
      productIds: [],
      packageIds: [],
      applied: false,
      code: -1,
      responseLost: false,
      idempotencyKey: req.query.idempotency_key ?? null,
    };
    this.p.state.mutations.push(r);
    return r;
  }

  private fillIds(record: MutationRecord, ids: CallIds): void {
    record.orderIds = [...new Set(ids.orderIds)];
    record.skuIds = [...new Set(ids.skuIds)];
    record.productIds = [...new Set(ids.productIds)];
    record.packageIds = [...new Set(ids.packageIds)];
  }

  /** Checks in the order a gateway would: app, sign presence, timestamp, sign, content type, token, cipher. */
  private authenticate(req: RawRequest, match: RouteMatch, ids: CallIds): { call: Call; shop: Shop | null } {
    const q = req.query;
    const app = q.app_key ? this.p.state.apps.get(q.app_key) : undefined;
    if (!app)
      throw new ApiError(CODES.INVALID_CREDENTIALS, 'Invalid credentials. The app_key query parameter is invalid.');
    if (!q.sign)
      throw new ApiError(
        CODES.INVALID_CREDENTIALS,
        'Invalid credentials. The signature is missing from the query parameters.',
      );
    this.checkTimestamp(q.timestamp);
    const contentType = req.headers['content-type'];
    const ok = verifyRequestSign({
      appSecret: app.appSecret,
      path: req.path,
      query: q,
      body: req.rawBody,
      contentType,
      sign: q.sign,
    });
    if (!ok) throw new ApiError(CODES.BAD_SIGN, 'Invalid credentials. The sign query parameter is invalid.');
    if (req.rawBody !== '' && !isMultipart(contentType) && !/^application\/json\b/i.test(contentType ?? '')) {
      throw new ApiError(CODES.BAD_CONTENT_TYPE, 'The content-type must be application/json or multipart/form-data.');
    }
    const header = req.headers['x-tts-access-token'];
    const token = this.p.tokens.validate(app.appKey, Array.isArray(header) ? header[0] : header);
    let shop: Shop | null = null;
    if (match.route.shopCipher) {
      if (!q.shop_cipher) throw new ApiError(CODES.SHOP_CIPHER_MISSING, 'The shop_cipher query parameter is missing.');
      const found = this.p.state.shopByCipher(q.shop_cipher);
      if (!found)
        throw new ApiError(
          CODES.INVALID_CREDENTIALS,
          'Invalid identifier. The shop_cipher query parameter is invalid.',
        );
      if (found.openId !== token.openId || !found.authorizedAppKeys.includes(app.appKey)) {
        throw new ApiError(
          CODES.WRONG_SHOP_TOKEN,
          'The x-tts-access-token does not belong to the shop of shop_cipher.',
        );
      }
      shop = found;
    } else if (q.shop_cipher !== undefined) {
      throw new ApiError(
        CODES.INVALID_CREDENTIALS,
        'Unexpected identifier. The shop_cipher query parameter is not expected.',
      );
    }
    let body: Json = {};
    if (req.rawBody.trim() !== '' && !isMultipart(contentType)) {
      try {
        const parsed: unknown = JSON.parse(req.rawBody);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Json;
      } catch {
        throw new ApiError(CODES.INVALID_CREDENTIALS, 'The request body is not valid JSON.');
      }
    }
    const call: Call = {
      p: this.p,
      app,
      token,
      shop: shop as Shop,
      query: q,
      body,
      params: match.params,
      ids,
      allowLoopbackWebhookHttp: this.options.allowLoopbackWebhookHttp,
    };
    return { call, shop };
  }

  /** ref §2.1: 10-digit Unix seconds inside [now − 5 min, now + 30 s] of the REAL wall clock. */
  private checkTimestamp(raw: string | undefined): void {
    if (raw === undefined || !/^-?\d+$/.test(raw)) {
      throw new ApiError(
        CODES.INVALID_CREDENTIALS,
        'Invalid timestamp. The timestamp query parameter is missing or invalid.',
      );
    }
    const ts = Number(raw);
    const now = Math.floor(Date.now() / 1000);
    if (ts < 0) throw new ApiError(CODES.INVALID_CREDENTIALS, 'Invalid timestamp. The timestamp must not be negative.');
    if (ts < now - this.options.timestampPastSec) {
      throw new ApiError(CODES.INVALID_CREDENTIALS, 'Invalid timestamp. The timestamp is older than 5 minutes.');
    }
    if (ts > now + this.options.timestampFutureSec) {
      throw new ApiError(
        CODES.INVALID_CREDENTIALS,
        'Invalid timestamp. The timestamp is more than 30 seconds in the future.',
      );
    }
  }

  private send(res: ServerResponse, status: number, body: unknown): void {
    if (res.headersSent || res.destroyed) return;
    const text = JSON.stringify(body);
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
  }
}
