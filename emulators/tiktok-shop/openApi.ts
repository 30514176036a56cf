// The Open API request pipeline: common parameters, signature, timestamp window, access token, shop_cipher,
// rate limit, fault injection, idempotency key, handler, emulator record. ref §2, §3.2, §4,
// §14.2–§14.3. Error codes are resolved per endpoint through the error-code table (errorCodes.ts).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Envelope } from './envelope';
import { ApiError, CODES, failure, httpStatusFor, newRequestId, success } from './envelope';
import type { Situation } from './errorCodes';
import { coded } from './errorCodes';
import type { FaultInjector } from './faults';
import type { Platform } from './platform';
import type { RateLimiter } from './rateLimit';
import type { Call, CallIds, RouteDef, RouteMatch } from './routes';
import { resolveRoute } from './routes';
import { isMultipart, verifyRequestSign } from './signing';
import type { MutationRecord, Shop } from './state';
import type { UploadForm } from './uploads';
import { parseUploadForm } from './uploads';
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
  /** The body as text (empty for multipart bodies, which are read from `rawBytes`). */
  rawBody: string;
  rawBytes: Buffer;
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
    const ids: CallIds = { orderIds: [], skuIds: [], productIds: [], packageIds: [], returnIds: [], decisions: [] };
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
        throw coded('too_many_requests', 'Too many requests');
      }
      const latency = this.faults.latency();
      if (latency > 0) await sleep(latency);
      const burst = this.faults.takeBurst(req.path);
      if (burst) throw new ApiError(burst.code, 'Service temporarily unavailable (injected fault)', burst.httpStatus);
      if (match.route.multipart) call.form = await readForm(req);
      const slot = this.idempotencySlot(match.route, call, shop, record);
      const first = slot === null ? undefined : this.p.state.idempotency.get(slot);
      if (first) {
        // A repeat with the same key: the first outcome again (same body, same ids), nothing applied twice.
        if (first.request !== `${req.method} ${req.path}`) {
          throw coded('idempotency_key_conflict', 'The idempotency_key was already used for another request.');
        }
        if (record) {
          record.replayOf = first.seq;
          record.code = first.code;
          this.fillIds(record, ids);
          // The ids and decision the first request touched, so a replay is counted against the same objects.
          const original = this.p.state.mutations.find((m) => m.seq === first.seq);
          if (original) {
            for (const k of ['orderIds', 'skuIds', 'productIds', 'packageIds', 'returnIds'] as const) {
              record[k] = [...original[k]];
            }
            record.decision = original.decision;
          }
        }
        const body: Envelope = {
          code: first.code,
          message: first.message,
          request_id: newRequestId(),
          data: first.data,
        };
        this.send(res, first.code === 0 ? 200 : httpStatusFor(first.code, this.options.errorStatusMode), body);
        return;
      }
      let data: Json;
      try {
        data = match.route.handler(call);
      } catch (err) {
        // A business refusal is the request's outcome too; gateway errors (above) and crashes are not kept.
        if (slot !== null && err instanceof ApiError) {
          this.p.state.idempotency.set(slot, {
            request: `${req.method} ${req.path}`,
            seq: record?.seq ?? 0,
            code: this.codeOf(err, match),
            message: err.message,
            data: null,
          });
        }
        throw err;
      }
      if (slot !== null) {
        this.p.state.idempotency.set(slot, {
          request: `${req.method} ${req.path}`,
          seq: record?.seq ?? 0,
          code: 0,
          message: 'Success',
          data,
        });
      }
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
      // Applied, never answered: the socket stays open until the caller goes away.
      if (lost === 'hold') return;
      if (lost === '5xx') {
        this.send(res, 500, failure(CODES.INTERNAL, 'Internal error. Please try again.'));
        return;
      }
      this.send(res, 200, success(data));
    } catch (err) {
      const e = err instanceof ApiError ? err : coded('internal_error', 'Internal error. Please try again.');
      if (!(err instanceof ApiError)) console.error('[tiktok-shop-emulator] handler crashed', err);
      const code = this.codeOf(e, match);
      if (record) {
        record.code = code;
        this.fillIds(record, ids);
      }
      this.send(res, e.httpStatus ?? httpStatusFor(code, this.options.errorStatusMode), failure(code, e.message));
    }
  }

  /** The code answered for an error: the table's code for its situation on this endpoint, else its own. */
  private codeOf(e: ApiError, match: RouteMatch | null): number {
    if (e.situation === undefined) return e.code;
    const api = match ? `${match.route.method} ${match.route.path}` : undefined;
    return this.p.errors.code(e.situation as Situation, api);
  }

  /**
   * The request's slot in the idempotency store, or null when the endpoint documents no `idempotency_key` or the
   * request carries none. Keys are scoped to app and shop (the pages ask for keys unique within the shop).
   */
  private idempotencySlot(
    route: RouteDef,
    call: Call,
    shop: Shop | null,
    record: MutationRecord | null,
  ): string | null {
    const where = route.idempotencyKey;
    if (!where) return null;
    const raw = where.in === 'query' ? call.query.idempotency_key : call.body.idempotency_key;
    if (raw === undefined) return null;
    if (typeof raw !== 'string' || raw === '' || raw.length > where.maxLength) {
      throw coded(
        'idempotency_key_invalid',
        `param ${where.in}.idempotency_key is invalid (1-${where.maxLength} chars)`,
      );
    }
    if (record) record.idempotencyKey = raw;
    return `${call.app.appKey}|${shop?.id ?? '-'}|${raw}`;
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
      returnIds: [],
      decision: null,
      applied: false,
      code: -1,
      responseLost: false,
      idempotencyKey: req.query.idempotency_key ?? null,
      replayOf: null,
    };
    this.p.state.mutations.push(r);
    return r;
  }

  private fillIds(record: MutationRecord, ids: CallIds): void {
    record.orderIds = [...new Set(ids.orderIds)];
    record.skuIds = [...new Set(ids.skuIds)];
    record.productIds = [...new Set(ids.productIds)];
    record.packageIds = [...new Set(ids.packageIds)];
    record.returnIds = [...new Set(ids.returnIds)];
    record.decision = ids.decisions[0] ?? null;
  }

  /** Checks in the order a gateway would: app, sign presence, timestamp, sign, content type, token, cipher. */
  private authenticate(req: RawRequest, match: RouteMatch, ids: CallIds): { call: Call; shop: Shop | null } {
    const q = req.query;
    const app = q.app_key ? this.p.state.apps.get(q.app_key) : undefined;
    if (!app) throw coded('invalid_credentials', 'Invalid credentials. The app_key query parameter is invalid.');
    if (!q.sign) {
      throw coded('invalid_credentials', 'Invalid credentials. The signature is missing from the query parameters.');
    }
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
    if (!ok) throw coded('bad_sign', 'Invalid credentials. The sign query parameter is invalid.');
    if (req.rawBody !== '' && !isMultipart(contentType) && !/^application\/json\b/i.test(contentType ?? '')) {
      throw coded('bad_content_type', 'The content-type must be application/json or multipart/form-data.');
    }
    if (match.route.multipart && !isMultipart(contentType)) {
      throw coded(
        'multipart_required',
        'Invalid request format. The value of the content-type header must be multipart/form-data.',
      );
    }
    const header = req.headers['x-tts-access-token'];
    const token = this.p.tokens.validate(app.appKey, Array.isArray(header) ? header[0] : header);
    let shop: Shop | null = null;
    if (match.route.shopCipher) {
      if (!q.shop_cipher) throw coded('shop_cipher_missing', 'The shop_cipher query parameter is missing.');
      const found = this.p.state.shopByCipher(q.shop_cipher);
      if (!found) throw coded('unknown_shop_cipher', 'Invalid identifier. The shop_cipher query parameter is invalid.');
      if (found.openId !== token.openId || !found.authorizedAppKeys.includes(app.appKey)) {
        throw coded('wrong_shop_token', 'The x-tts-access-token does not belong to the shop of shop_cipher.');
      }
      shop = found;
    } else if (q.shop_cipher !== undefined) {
      throw coded('unexpected_identifier', 'Unexpected identifier. The shop_cipher query parameter is not expected.');
    }
    let body: Json = {};
    if (req.rawBody.trim() !== '' && !isMultipart(contentType)) {
      try {
        const parsed: unknown = JSON.parse(req.rawBody);
        if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('not an object');
        body = parsed as Json;
      } catch {
        throw coded('invalid_param', 'The request body is not valid JSON.');
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
      form: null,
    };
    return { call, shop };
  }

  /** ref §2.1: 10-digit Unix seconds inside [now − 5 min, now + 30 s] of the REAL wall clock. */
  private checkTimestamp(raw: string | undefined): void {
    if (raw === undefined || !/^-?\d+$/.test(raw)) {
      throw coded('invalid_credentials', 'Invalid timestamp. The timestamp query parameter is missing or invalid.');
    }
    const ts = Number(raw);
    const now = Math.floor(Date.now() / 1000);
    if (ts < 0) throw coded('invalid_credentials', 'Invalid timestamp. The timestamp must not be negative.');
    if (ts < now - this.options.timestampPastSec) {
      throw coded('invalid_credentials', 'Invalid timestamp. The timestamp is older than 5 minutes.');
    }
    if (ts > now + this.options.timestampFutureSec) {
      throw coded('invalid_credentials', 'Invalid timestamp. The timestamp is more than 30 seconds in the future.');
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

/** The multipart body of an upload; a body that is not valid multipart is an invalid upload file. */
async function readForm(req: RawRequest): Promise<UploadForm> {
  try {
    return await parseUploadForm(req.rawBytes, String(req.headers['content-type'] ?? ''));
  } catch {
    throw coded('upload_file_missing', 'Invalid upload file. Please ensure you are passing the correct file data.');
  }
}
