// OAuth authorization codes and access/refresh tokens. ref §3.1–§3.2.
import type { BusinessClock } from './clock';
import { coded } from './errorCodes';
import type { EmulatorState, Seller, TokenPair } from './state';

/** Scopes granted to every emulated authorization (the shape of `granted_scopes`, ref §3.2). */
const GRANTED_SCOPES = [
  'seller.authorization.info',
  'seller.order.info',
  'seller.fulfillment.basic',
  'seller.logistics',
  'seller.product.basic',
  'seller.product.write',
  'seller.return_refund.basic',
  'seller.shop.info',
];

export class TokenService {
  constructor(
    private readonly state: EmulatorState,
    private readonly clock: BusinessClock,
  ) {}

  /** Issues a single-use auth code valid for the configured lifetime (30 min, ref §3.1). */
  issueAuthCode(appKey: string, openId: string): string {
    const code = `ROW_${this.state.randomToken(40)}`;
    this.state.authCodes.set(code, {
      code,
      appKey,
      openId,
      expiresAt: this.clock.now() + this.clock.rules.authCodeTtlMs,
      used: false,
    });
    return code;
  }

  private checkApp(appKey: string | undefined, appSecret: string | undefined): void {
    const app = appKey ? this.state.apps.get(appKey) : undefined;
    if (!app) throw coded('token_app_invalid', 'Invalid credentials. The app_key is invalid.');
    if (app.appSecret !== appSecret) {
      throw coded('token_app_invalid', 'Invalid credentials. The app_secret is invalid.');
    }
  }

  /** GET /api/v2/token/get (ref §3.2): grant_type must be the literal `authorized_code`. */
  exchange(q: Record<string, string>): Record<string, unknown> {
    this.checkApp(q.app_key, q.app_secret);
    if (q.grant_type !== 'authorized_code') {
      throw coded('token_grant_type_invalid', 'Invalid grant_type. Expected authorized_code.');
    }
    const code = q.auth_code ? this.state.authCodes.get(q.auth_code) : undefined;
    if (!code || code.appKey !== q.app_key) {
      throw coded('auth_code_invalid', 'Invalid credentials. The auth_code is invalid.');
    }
    if (code.used) throw coded('auth_code_used', 'The auth_code has already been used.');
    if (this.clock.now() > code.expiresAt) throw coded('auth_code_expired', 'Expired credentials: auth_code.');
    code.used = true;
    const pair = this.issuePair(code.appKey, code.openId);
    for (const shop of this.state.shops.values()) {
      if (shop.openId === code.openId && !shop.authorizedAppKeys.includes(code.appKey)) {
        shop.authorizedAppKeys.push(code.appKey);
      }
    }
    return this.responseData(pair);
  }

  /** GET /api/v2/token/refresh (ref §3.2). A new access and refresh token are issued. */
  refresh(q: Record<string, string>): Record<string, unknown> {
    this.checkApp(q.app_key, q.app_secret);
    if (q.grant_type !== 'refresh_token') {
      throw coded('token_grant_type_invalid', 'Invalid grant_type. Expected refresh_token.');
    }
    const old = q.refresh_token ? this.state.tokensByRefresh.get(q.refresh_token) : undefined;
    if (!old || old.appKey !== q.app_key) {
      // The message of the captured response (errorCodes.ts 'refresh_token_invalid').
      throw coded('refresh_token_invalid', 'can not find related auth record');
    }
    if (old.revoked) {
      throw coded('refresh_token_revoked', 'refresh token is invalid; detail:your token has been deauthorized');
    }
    if (this.clock.now() > old.refreshExpiresAt) throw coded('refresh_token_expired', 'rt has expired');
    // The old refresh token stops working; the old access token keeps working until its own expiry.
    this.state.tokensByRefresh.delete(old.refreshToken);
    const pair = this.issuePair(old.appKey, old.openId, old.refreshExpiresAt);
    return this.responseData(pair);
  }

  private issuePair(appKey: string, openId: string, refreshExpiresAt?: number): TokenPair {
    const now = this.clock.now();
    const pair: TokenPair = {
      accessToken: `TTP_${this.state.randomToken(48)}`,
      refreshToken: `TTP_${this.state.randomToken(48)}`,
      appKey,
      openId,
      accessExpiresAt: now + this.clock.rules.accessTokenTtlMs,
      refreshExpiresAt: refreshExpiresAt ?? now + this.clock.rules.refreshTokenTtlMs,
      revoked: false,
    };
    this.state.tokensByAccess.set(pair.accessToken, pair);
    this.state.tokensByRefresh.set(pair.refreshToken, pair);
    return pair;
  }

  /** Issue tokens directly (admin seeding), bypassing the consent page. */
  issueDirect(appKey: string, openId: string): Record<string, unknown> {
    return this.responseData(this.issuePair(appKey, openId));
  }

  /**
   * Token response. ref §3.2: `access_token_expire_in` and `refresh_token_expire_in` are ABSOLUTE Unix
   * timestamps in seconds, not durations.
   */
  private responseData(pair: TokenPair): Record<string, unknown> {
    const seller: Seller | undefined = this.state.sellers.get(pair.openId);
    return {
      access_token: pair.accessToken,
      access_token_expire_in: Math.floor(pair.accessExpiresAt / 1000),
      refresh_token: pair.refreshToken,
      refresh_token_expire_in: Math.floor(pair.refreshExpiresAt / 1000),
      open_id: pair.openId,
      seller_name: seller?.name ?? '',
      seller_base_region: seller?.region ?? 'US',
      user_type: 0,
      granted_scopes: GRANTED_SCOPES,
    };
  }

  /**
   * Validates the `x-tts-access-token` header (ref §3.2, §4.3): unknown → 36009004, deauthorized/revoked →
   * 105001, expired (business clock) → 105002 (errorCodes.ts).
   */
  validate(appKey: string, header: string | undefined): TokenPair {
    if (!header) {
      throw coded('invalid_credentials', 'Invalid credentials. The x-tts-access-token header is missing.');
    }
    const pair = this.state.tokensByAccess.get(header);
    if (!pair || pair.appKey !== appKey) {
      throw coded('invalid_credentials', 'Invalid credentials. The x-tts-access-token header is invalid.');
    }
    if (pair.revoked) {
      throw coded('token_invalid', 'access token is invalid; detail:your token has been deauthorized');
    }
    if (this.clock.now() >= pair.accessExpiresAt) throw coded('token_expired', 'Expired credentials');
    return pair;
  }

  /** Revokes tokens matching the filter; returns how many were revoked. */
  revoke(filter: { accessToken?: string; openId?: string; appKey?: string }): number {
    let n = 0;
    for (const pair of this.state.tokensByAccess.values()) {
      if (pair.revoked) continue;
      if (filter.accessToken && pair.accessToken !== filter.accessToken) continue;
      if (filter.openId && pair.openId !== filter.openId) continue;
      if (filter.appKey && pair.appKey !== filter.appKey) continue;
      pair.revoked = true;
      n++;
    }
    return n;
  }
}
