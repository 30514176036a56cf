// Seller authorization: the consent link and the auth-host token calls (reference §3.1, §3.2).
// The token calls are plain GETs with app_key/app_secret in the query: unsigned and without x-tts-access-token.
import { z } from 'zod';
import type { TikTokLogger } from './client';
import {
  classifyTikTokError,
  createTikTokFailure,
  noResponseFailure,
  readEnvelope,
  TikTokAccessTokenExpired,
  TikTokApiError,
  TikTokAuthRevoked,
  TikTokInvalidRequest,
  TikTokResponseInvalid,
  type TikTokFailure,
  type TikTokFailureClass,
} from './errors';
// The consent hosts are configuration's defaults; callers can pass `authorizeBaseUrl`.
import { TIKTOK_AUTHORIZE_URL_ROW, TIKTOK_AUTHORIZE_URL_US } from '../../config/tiktokHosts';

export interface TikTokAuthDeps {
  authBaseUrl: string;
  appKey: string;
  appSecret: string;
  fetch?: typeof fetch;
  logger?: TikTokLogger;
  timeoutMs?: number;
}

/** §3.2 token response `data`; the `*_expire_in` fields are absolute Unix seconds despite their names. */
export const tokenDataSchema = z.looseObject({
  access_token: z.string().min(1),
  access_token_expire_in: z.number().int().positive(),
  refresh_token: z.string().min(1),
  refresh_token_expire_in: z.number().int().positive(),
  open_id: z.string().optional(),
  seller_name: z.string().optional(),
  seller_base_region: z.string().optional(),
  user_type: z.number().int().optional(), // 0 seller, 1 creator, 3 partner
  granted_scopes: z.array(z.string()).optional(),
});
export type TokenData = z.output<typeof tokenDataSchema>;

export interface TikTokTokenGrant {
  accessToken: string;
  accessTokenExpiresAt: Date;
  refreshToken: string;
  refreshTokenExpiresAt: Date;
  openId: string | null;
  sellerName: string | null;
  sellerBaseRegion: string | null;
  /** 0 seller, 1 creator, 3 partner (§3.2). */
  userType: number | null;
  grantedScopes: string[];
  /** request_id of the auth-host response, for support tickets. */
  requestId: string | null;
}

export interface TikTokAuth {
  /** Exchanges a one-time `auth_code` (valid 30 min, §3.1) for tokens. */
  exchangeAuthCode(authCode: string): Promise<TikTokTokenGrant>;
  refreshAccessToken(refreshToken: string): Promise<TikTokTokenGrant>;
}

export function toTokenGrant(data: TokenData, requestId: string | null): TikTokTokenGrant {
  return {
    accessToken: data.access_token,
    accessTokenExpiresAt: new Date(data.access_token_expire_in * 1000),
    refreshToken: data.refresh_token,
    refreshTokenExpiresAt: new Date(data.refresh_token_expire_in * 1000),
    openId: data.open_id ?? null,
    sellerName: data.seller_name ?? null,
    sellerBaseRegion: data.seller_base_region ?? null,
    userType: data.user_type ?? null,
    grantedScopes: data.granted_scopes ?? [],
    requestId,
  };
}

export function createTikTokAuth(deps: TikTokAuthDeps): TikTokAuth {
  const doFetch = deps.fetch ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? 30_000;
  const authBaseUrl = deps.authBaseUrl.replace(/\/+$/, '');

  async function tokenCall(path: string, params: Record<string, string>): Promise<TikTokTokenGrant> {
    const url = new URL(authBaseUrl + path);
    url.searchParams.set('app_key', deps.appKey);
    url.searchParams.set('app_secret', deps.appSecret);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    const base = { path, method: 'GET' };

    let status: number;
    let text: string;
    try {
      const response = await doFetch(url, { method: 'GET', signal: AbortSignal.timeout(timeoutMs) });
      status = response.status;
      text = await response.text();
    } catch (err) {
      const failure = noResponseFailure(err, base, timeoutMs);
      deps.logger?.warn({ path, timeout: failure.info.timeout }, 'tiktok auth request failed');
      throw failure;
    }

    const read = readEnvelope(text, status, base);
    if ('failure' in read) throw logged(read.failure);
    const { code, message, data } = read.envelope;
    const requestId = read.envelope.request_id ?? null;
    if (code !== 0 || status >= 400) {
      let cls: TikTokFailureClass = classifyTikTokError({ code, message, httpStatus: status });
      // The published pages list no auth-host codes (ref §3.2). A refusal neither transient nor of a known class
      // means the auth code or refresh token was not accepted: the seller has to authorize again. That includes an
      // expired grant (105002 here is about the auth code or the refresh token, which no refresh can fix: §3.1 the
      // code lives 30 min; §3.2 once the refresh token expires "the seller has to authorize again") and a 36009004
      // refusal of the auth_code or refresh_token itself (invalid, already used, retired by a refresh; §2.4).
      if (
        cls === TikTokApiError ||
        cls === TikTokAccessTokenExpired ||
        (cls === TikTokInvalidRequest && /auth_code|refresh_token/i.test(message))
      ) {
        cls = TikTokAuthRevoked;
      }
      throw fail(cls, { ...base, code, message, request_id: requestId, http_status: status });
    }
    const parsed = tokenDataSchema.safeParse(data);
    if (!parsed.success) {
      throw fail(TikTokResponseInvalid, {
        ...base,
        code,
        message: `token response data does not match the schema: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
        request_id: requestId,
        http_status: status,
      });
    }
    // Never log tokens or the app secret; the request_id is enough to trace.
    deps.logger?.info({ path, request_id: requestId, open_id: parsed.data.open_id }, 'tiktok auth request ok');
    return toTokenGrant(parsed.data, requestId);
  }

  function fail(cls: TikTokFailureClass, info: Parameters<typeof createTikTokFailure>[1]): TikTokFailure {
    return logged(createTikTokFailure(cls, info));
  }

  function logged(failure: TikTokFailure): TikTokFailure {
    const { info } = failure;
    deps.logger?.[failure.nonRetryable ? 'error' : 'warn'](
      { path: info.path, code: info.code, request_id: info.request_id, http_status: info.http_status },
      `tiktok auth request failed: ${failure.type}`,
    );
    return failure;
  }

  return {
    // §3.2: GET /api/v2/token/get with grant_type=authorized_code (literal).
    exchangeAuthCode: (authCode) =>
      tokenCall('/api/v2/token/get', { auth_code: authCode, grant_type: 'authorized_code' }),
    // §3.2: GET /api/v2/token/refresh with grant_type=refresh_token.
    refreshAccessToken: (refreshToken) =>
      tokenCall('/api/v2/token/refresh', { refresh_token: refreshToken, grant_type: 'refresh_token' }),
  };
}

export type BuildAuthorizationUrlInput =
  | {
      /** Partner Center service id: the current consent link (§3.1). */
      serviceId: string;
      state?: string;
      /** `US` picks the US link; anything else the ROW link. */
      market?: 'US' | 'ROW';
      authorizeBaseUrl?: string;
    }
  | {
      /** Legacy link keyed by app_key on the auth host (§3.1, single-source, legacy). */
      appKey: string;
      state?: string;
      authBaseUrl?: string;
    };

/** The seller consent link (§3.1). The redirect comes back with `?code=<auth_code>&state=<state>`. */
export function buildAuthorizationUrl(input: BuildAuthorizationUrlInput): string {
  let url: URL;
  if ('serviceId' in input) {
    const base = input.authorizeBaseUrl ?? (input.market === 'US' ? TIKTOK_AUTHORIZE_URL_US : TIKTOK_AUTHORIZE_URL_ROW);
    url = new URL(base);
    url.searchParams.set('service_id', input.serviceId);
  } else {
    const base = (input.authBaseUrl ?? 'https://auth.tiktok-shops.com').replace(/\/+$/, '');
    url = new URL(`${base}/oauth/authorize`);
    url.searchParams.set('app_key', input.appKey);
  }
  if (input.state !== undefined) url.searchParams.set('state', input.state);
  return url.toString();
}
