// Core HTTP client of the TikTok Shop Open API: common parameters, signing, access token, envelope handling and
// typed failures. Sections (§N) are those of docs/tiktok-shop-api-sources.md: §1 (hosts, content types, token
// header), §2 (signing, shop_cipher), §4 (envelope, errors).
import type { z } from 'zod';
import { createTikTokAuth, type TikTokAuth } from './auth';
import {
  classifyTikTokError,
  createTikTokFailure,
  noResponseFailure,
  readEnvelope,
  TikTokAccessTokenExpired,
  TikTokInvalidRequest,
  TikTokResponseInvalid,
} from './errors';
import type { TikTokErrorMapping, TikTokFailure } from './errors';
import { abortReason, activityWaitHooks, type WaitHooks } from './activityHooks';
import { takesShopCipher, type HttpMethod } from './shopCipher';
import { signRequest } from './signing';

export type { HttpMethod } from './shopCipher';

export const DEFAULT_TIMEOUT_MS = 30_000;

/** pino-compatible subset. */
export interface TikTokLogger {
  debug?(obj: Record<string, unknown>, msg?: string): void;
  info(obj: Record<string, unknown>, msg?: string): void;
  warn(obj: Record<string, unknown>, msg?: string): void;
  error(obj: Record<string, unknown>, msg?: string): void;
}

/** Access tokens per shop; the encrypted PostgreSQL store implements it elsewhere. */
export interface TokenProvider {
  getAccessToken(shopId: string): Promise<string>;
  /** Refreshes the shop's token (auth host, see auth.ts) and returns the new access token. */
  refresh(shopId: string): Promise<string>;
}

/** What a call asks the budget for; `signal` ends its wait (rejecting with its reason), `onWait` beats while it waits. */
export interface AcquireInput extends WaitHooks {
  shopId: string;
  api: string;
  deadline?: Date;
  /** Lowest priority (history backfills): served after every other waiter of the bucket, deadline or not. */
  background?: boolean;
}

/** Shared per-shop, per-API request budget (§4.4: 50 QPS per API per app+shop). */
export interface RateBudget {
  acquire(input: AcquireInput): Promise<void>;
}

export const noopRateBudget: RateBudget = {
  acquire: () => Promise.resolve(),
};

/** Budget key used when a call is not tied to a known shop (e.g. Get Authorized Shops right after the code exchange). */
export const UNSCOPED_SHOP_ID = '_unscoped';

export interface TikTokClientDeps {
  baseUrl: string;
  authBaseUrl: string;
  appKey: string;
  appSecret: string;
  fetch?: typeof fetch;
  /** Wall clock in milliseconds; the signed timestamp must be within [now − 5 min, now + 30 s] of TikTok's (§2.1). */
  now?: () => number;
  logger?: TikTokLogger;
  tokens: TokenProvider;
  budget?: RateBudget;
  timeoutMs?: number;
  /**
   * The cancellation signal and heartbeat of the caller, passed to the budget's wait. Default: the current Temporal
   * activity's (activityHooks.ts), none outside an activity.
   */
  waitHooks?: () => WaitHooks | undefined;
}

export type QueryValue = string | number | boolean | readonly (string | number)[] | null | undefined;

export interface TikTokRequest<S extends z.ZodType> {
  method: HttpMethod;
  /** Path template such as `/fulfillment/202309/packages/{package_id}/ship`; also the budget's `api` key. */
  path: string;
  pathParams?: Readonly<Record<string, string>>;
  query?: Readonly<Record<string, QueryValue>>;
  /** Serialised with JSON.stringify; the exact string sent is the one signed. */
  body?: unknown;
  /**
   * A multipart/form-data body (uploads.ts) instead of `body`: sent with fetch's boundary, and not part of the sign
   * (https://partner.tiktokshop.com/docv2/page/sign-your-api-request: the body is appended unless multipart).
   */
  form?: FormData;
  /** Shop whose token is used (and whose rate budget is charged). */
  shopId?: string;
  shopCipher?: string;
  /** Use this token instead of the TokenProvider (no refresh on 105002). */
  accessToken?: string;
  deadline?: Date;
  /** See CallOptions.background. */
  background?: boolean;
  /** See CallOptions.beforeSend: checked after the rate-budget wait, before each send. */
  beforeSend?: () => Promise<void>;
  /** See CallOptions.tokenReserved: the first attempt's token was taken with `reserve`. */
  tokenReserved?: boolean;
  /** Codes the endpoint documents with their failure class, checked before the common ones (endpoint.ts). */
  errors?: TikTokErrorMapping;
  /** Validates `data` of a successful envelope. */
  schema: S;
}

export interface TikTokClient {
  readonly appKey: string;
  readonly auth: TikTokAuth;
  request<S extends z.ZodType>(req: TikTokRequest<S>): Promise<z.output<S>>;
  /**
   * Takes one token of the shop's budget for `method path` (the template, as `request` is given it) without sending:
   * for a caller that fills the request once the token is there (Get Order Detail batches, orderDetailReader.ts) and
   * then sends it with `tokenReserved`.
   */
  reserve(input: { method: HttpMethod; path: string; shopId: string; deadline?: Date }): Promise<void>;
}

/** §2.1: array-valued query parameters are sent as one comma-separated parameter. */
export function serializeQueryValue(value: QueryValue): string | undefined {
  if (value === undefined || value === null) return undefined;
  if (Array.isArray(value)) return value.map(String).join(',');
  return String(value);
}

export function fillPath(template: string, params: Readonly<Record<string, string>> | undefined): string {
  return template.replace(/\{(\w+)\}/g, (_match, name: string) => {
    const value = params?.[name];
    if (value === undefined || value === '') throw new Error(`missing path parameter ${name} for ${template}`);
    return encodeURIComponent(value);
  });
}

interface SendResult {
  data: unknown;
  requestId: string | null;
  status: number;
}

interface Attempt {
  method: HttpMethod;
  api: string;
  path: string;
  query: Record<string, string | undefined>;
  body: string | FormData | undefined;
  accessToken: string;
  shopId: string | undefined;
  errors: TikTokErrorMapping | undefined;
}

export function createTikTokClient(deps: TikTokClientDeps): TikTokClient {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const now = deps.now ?? Date.now;
  const budget = deps.budget ?? noopRateBudget;
  const timeoutMs = deps.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const waitHooks = deps.waitHooks ?? activityWaitHooks;
  const logger = deps.logger;
  const baseUrl = deps.baseUrl.replace(/\/+$/, '');
  const auth = createTikTokAuth({
    authBaseUrl: deps.authBaseUrl,
    appKey: deps.appKey,
    appSecret: deps.appSecret,
    fetch: doFetch,
    logger,
    timeoutMs,
  });

  function localFailure(method: HttpMethod, path: string, message: string, cause?: Error): TikTokFailure {
    return new TikTokInvalidRequest({ code: null, message, request_id: null, path, method, http_status: null }, cause);
  }

  async function send(attempt: Attempt): Promise<SendResult> {
    // Common parameters (§2.1): app_key + timestamp in seconds, then the sign over everything (§2.2).
    const query: Record<string, string | undefined> = {
      ...attempt.query,
      app_key: deps.appKey,
      timestamp: String(Math.floor(now() / 1000)),
    };
    // §1: non-binary requests are JSON only; uploads are multipart, whose body is never signed (see `form`).
    const multipart = attempt.body instanceof FormData;
    const contentType = multipart ? 'multipart/form-data' : 'application/json';
    const signedBody = typeof attempt.body === 'string' ? attempt.body : undefined;
    query.sign = signRequest({ appSecret: deps.appSecret, path: attempt.path, query, body: signedBody, contentType });
    const url = new URL(baseUrl + attempt.path);
    for (const [key, value] of Object.entries(query)) if (value !== undefined) url.searchParams.append(key, value);

    const base = { path: attempt.path, method: attempt.method };
    const started = now();
    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, {
        method: attempt.method,
        // §1: the token travels in the x-tts-access-token header, never in the query. A multipart content type is
        // left to fetch, which adds the boundary.
        headers: multipart
          ? { 'x-tts-access-token': attempt.accessToken }
          : { 'content-type': contentType, 'x-tts-access-token': attempt.accessToken },
        body: attempt.body,
        signal: AbortSignal.timeout(timeoutMs),
      });
      status = response.status;
      text = await response.text();
    } catch (err) {
      const failure = noResponseFailure(err, base, timeoutMs);
      log('warn', attempt, { duration_ms: now() - started, failure: failure.type, timeout: failure.info.timeout });
      throw failure;
    }

    const read = readEnvelope(text, status, base);
    if ('failure' in read) {
      const { failure } = read;
      log(failure.nonRetryable ? 'error' : 'warn', attempt, {
        http_status: status,
        duration_ms: now() - started,
        failure: failure.type,
      });
      throw failure;
    }
    const envelope = read.envelope;
    const { code, message, data } = envelope;
    const requestId = envelope.request_id ?? null;
    const fields = { http_status: status, code, request_id: requestId, duration_ms: now() - started };
    // The body code is the authority (§4.2), so 36009002 inside an HTTP 200 is still a rate limit; a code-0 body
    // with HTTP 429/5xx is treated by its status. A code the endpoint documents as its own is mapped by the endpoint.
    if (code !== 0 || status >= 400) {
      const cls =
        (code !== 0 ? attempt.errors?.[code] : undefined) ?? classifyTikTokError({ code, message, httpStatus: status });
      const failure = createTikTokFailure(cls, { ...base, code, message, request_id: requestId, http_status: status });
      // A state conflict (already shipped, already cancelled…) is TikTok's answer about the order, which the caller
      // often treats as done: a warning, not an error.
      const level = failure.nonRetryable && failure.type !== 'TikTokStateConflict' ? 'error' : 'warn';
      log(level, attempt, { ...fields, failure: failure.type, message });
      throw failure;
    }
    // Every successful call at debug: at info, a flash sale's worker spent a tenth of its main thread writing them.
    log('debug', attempt, fields);
    return { data, requestId, status };
  }

  function log(level: 'debug' | 'warn' | 'error', attempt: Attempt, fields: Record<string, unknown>): void {
    const write = level === 'debug' ? logger?.debug?.bind(logger) : logger?.[level].bind(logger);
    write?.(
      { tiktok_api: attempt.api, method: attempt.method, path: attempt.path, shop_id: attempt.shopId, ...fields },
      level === 'debug' ? 'tiktok request ok' : 'tiktok request failed',
    );
  }

  async function request<S extends z.ZodType>(req: TikTokRequest<S>): Promise<z.output<S>> {
    const api = `${req.method} ${req.path}`;
    let path: string;
    try {
      path = fillPath(req.path, req.pathParams);
    } catch (err) {
      throw localFailure(req.method, req.path, (err as Error).message);
    }

    const query: Record<string, string | undefined> = {};
    for (const [key, value] of Object.entries(req.query ?? {})) query[key] = serializeQueryValue(value);
    // §2.5: shop_cipher goes only where the contract wants it; elsewhere it would be rejected.
    delete query.shop_cipher;
    if (takesShopCipher(req.method, path)) {
      if (req.shopCipher === undefined || req.shopCipher === '') {
        throw localFailure(req.method, path, 'shop_cipher is required by this endpoint (§2.5, 106013)');
      }
      query.shop_cipher = req.shopCipher;
    }

    if (req.accessToken === undefined && req.shopId === undefined) {
      throw localFailure(req.method, path, 'either shopId (token provider) or accessToken is required');
    }
    let accessToken = req.accessToken ?? (await deps.tokens.getAccessToken(req.shopId as string));
    const body = req.form ?? (req.body === undefined ? undefined : JSON.stringify(req.body));
    let refreshed = false;

    let reserved = req.tokenReserved === true;
    const hooks = waitHooks();
    for (;;) {
      if (!reserved) {
        await budget.acquire({
          shopId: req.shopId ?? UNSCOPED_SHOP_ID,
          api,
          ...(req.deadline ? { deadline: req.deadline } : {}),
          ...(req.background ? { background: true } : {}),
          ...hooks,
        });
      }
      reserved = false; // a retry (token refresh) takes a token of its own
      await req.beforeSend?.();
      // An attempt cancelled or timed out while it waited never sends: its retry (or nobody) makes the call.
      if (hooks?.signal?.aborted) throw abortReason(hooks.signal);
      const attempt: Attempt = {
        method: req.method,
        api,
        path,
        query,
        body,
        accessToken,
        shopId: req.shopId,
        errors: req.errors,
      };
      let result: SendResult;
      try {
        result = await send(attempt);
      } catch (err) {
        // §3.2: 105002 = expired token. Refresh once through the provider, then retry once.
        const canRefresh = req.accessToken === undefined && req.shopId !== undefined && !refreshed;
        if (err instanceof TikTokAccessTokenExpired && canRefresh) {
          logger?.info({ tiktok_api: api, shop_id: req.shopId, request_id: err.requestId }, 'tiktok token refresh');
          accessToken = await deps.tokens.refresh(req.shopId as string);
          refreshed = true;
          continue;
        }
        throw err;
      }

      const parsed = req.schema.safeParse(result.data);
      if (!parsed.success) {
        const issues = parsed.error.issues
          .slice(0, 5)
          .map((i) => `${i.path.join('.') || '(data)'}: ${i.message}`)
          .join('; ');
        const failure = new TikTokResponseInvalid({
          code: 0,
          message: `response data does not match the schema: ${issues}`,
          request_id: result.requestId,
          path,
          method: req.method,
          http_status: result.status,
        });
        logger?.error({ tiktok_api: api, shop_id: req.shopId, request_id: result.requestId, issues }, failure.message);
        throw failure;
      }
      return parsed.data;
    }
  }

  async function reserve(input: { method: HttpMethod; path: string; shopId: string; deadline?: Date }): Promise<void> {
    const hooks = waitHooks();
    await budget.acquire({
      shopId: input.shopId,
      api: `${input.method} ${input.path}`,
      ...(input.deadline ? { deadline: input.deadline } : {}),
      ...hooks,
    });
    if (hooks?.signal?.aborted) throw abortReason(hooks.signal);
  }

  return { appKey: deps.appKey, auth, request, reserve };
}
