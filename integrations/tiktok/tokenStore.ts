import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../../db/knex';
import {
  createTikTokAuthorizationRepository,
  type AuthorizationRow,
  type GrantColumns,
  type TikTokShopRow,
} from '../../db/tiktokAuthorizations';
import { decrypt, encrypt, type Keyring } from '../../secrets/keyring';
import type { TikTokAuth, TikTokTokenGrant } from './auth';
import type { AuthorizedShop } from './authorization';
import type { TikTokLogger, TokenProvider } from './client';
import { isTikTokFailure } from './errors';

import { SHOP_AUTHORIZATION_PAUSED, SHOP_NOT_CONNECTED } from '../../workflows/shared/failureTypes';

// A forced refresh (after 105002) reuses a token that another process refreshed this recently.
const FRESH_REFRESH_MS = 30_000;

export interface TokenStoreDeps {
  db: Db;
  keyring: Keyring;
  auth: TikTokAuth;
  /** Refresh this long before the access token expires (TikTok's expiry fields are absolute times, §3.2). */
  refreshMarginMs: number;
  now?: () => number;
  logger?: TikTokLogger;
  /** Told when refreshing shows the seller withdrew consent, so each shop's workflow can react. */
  onAuthorizationLost?: (shopIds: string[], reason: string) => Promise<void>;
}

/**
 * TikTok tokens in PostgreSQL, encrypted with SECRETS_ENCRYPTION_KEY. Shared by every worker process: a refresh
 * takes a transaction-scoped advisory lock on the seller, so a single-use refresh token is spent exactly once.
 */
export function createTokenStore(deps: TokenStoreDeps) {
  const now = deps.now ?? Date.now;
  const { keyring } = deps;
  const repo = createTikTokAuthorizationRepository(deps.db);
  const seal = (plain: string) => encrypt(keyring.keys.get(keyring.activeKeyId)!, Buffer.from(plain, 'utf8'));
  const open = (row: Pick<AuthorizationRow, 'key_id'>, data: Buffer) => {
    const key = keyring.keys.get(row.key_id);
    if (!key) throw new Error(`token encrypted with unknown key id ${row.key_id}`);
    return decrypt(key, data).toString('utf8');
  };
  const grantColumns = (grant: TikTokTokenGrant): GrantColumns => ({
    key_id: keyring.activeKeyId,
    access_token_enc: seal(grant.accessToken),
    access_token_expires_at: grant.accessTokenExpiresAt,
    refresh_token_enc: seal(grant.refreshToken),
    refresh_token_expires_at: grant.refreshTokenExpiresAt,
    granted_scopes: JSON.stringify(grant.grantedScopes),
    refreshed_at: new Date(now()),
    updated_at: new Date(now()),
  });

  async function shopRow(shopId: string): Promise<TikTokShopRow> {
    const row = await repo.shop(shopId);
    if (!row) {
      throw ApplicationFailure.nonRetryable(`shop ${shopId} is not connected to TikTok`, SHOP_NOT_CONNECTED);
    }
    if (row.authorization_status === 'revoked') {
      throw ApplicationFailure.retryable(
        `calls for shop ${shopId} are paused until the seller authorizes again (${row.authorization_reason ?? 'revoked'})`,
        SHOP_AUTHORIZATION_PAUSED,
      );
    }
    return row;
  }

  async function markRevoked(openId: string, reason: string): Promise<string[]> {
    const ids = await repo.revokeSeller(openId, reason, new Date(now()));
    deps.logger?.warn({ openId, shops: ids, reason }, 'TikTok authorization lost');
    if (ids.length > 0) await deps.onAuthorizationLost?.(ids, reason);
    return ids;
  }

  /** Returns a valid access token for the seller, refreshing it first when due (or when `force`d after 105002). */
  async function tokenFor(openId: string, force: boolean): Promise<string> {
    const current = await repo.authorization(openId);
    if (!current) throw ApplicationFailure.nonRetryable(`no TikTok authorization for ${openId}`, SHOP_NOT_CONNECTED);
    const due = (row: AuthorizationRow) => row.access_token_expires_at.getTime() - deps.refreshMarginMs <= now();
    if (!force && !due(current)) return open(current, current.access_token_enc);
    try {
      return await repo.withRefreshLock(openId, async (row, save) => {
        // Another process may have refreshed while we waited for the lock, or just before we looked (a 105002
        // seen by several workers at once must cost one refresh: refresh tokens are single-use).
        const refreshedMeanwhile = row.refreshed_at.getTime() > current.refreshed_at.getTime();
        const justRefreshed = Math.abs(now() - row.refreshed_at.getTime()) < FRESH_REFRESH_MS;
        if (refreshedMeanwhile || justRefreshed || (!force && !due(row))) return open(row, row.access_token_enc);
        const grant = await deps.auth.refreshAccessToken(open(row, row.refresh_token_enc));
        await save(grantColumns(grant));
        deps.logger?.info(
          { openId, requestId: grant.requestId, expiresAt: grant.accessTokenExpiresAt },
          'token refreshed',
        );
        return grant.accessToken;
      });
    } catch (err) {
      if (isTikTokFailure(err, 'TikTokAuthRevoked')) await markRevoked(openId, `token refresh refused: ${err.message}`);
      throw err;
    }
  }

  const provider: TokenProvider = {
    async getAccessToken(shopId) {
      return tokenFor((await shopRow(shopId)).open_id, false);
    },
    async refresh(shopId) {
      return tokenFor((await shopRow(shopId)).open_id, true);
    },
  };

  return {
    provider,

    /** Stores a fresh grant (auth-code exchange or re-authorization); returns the seller's open_id. */
    async saveGrant(grant: TikTokTokenGrant): Promise<string> {
      if (!grant.openId) throw ApplicationFailure.nonRetryable('token grant has no open_id', 'TikTokResponseInvalid');
      await repo.saveAuthorization(
        { openId: grant.openId, sellerName: grant.sellerName, sellerBaseRegion: grant.sellerBaseRegion },
        grantColumns(grant),
      );
      return grant.openId;
    },

    /** The seller's current access token (for calls made before its shops are known). */
    accessTokenForSeller: (openId: string) => tokenFor(openId, false),

    async saveShops(openId: string, shops: AuthorizedShop[]): Promise<void> {
      await repo.saveShops(openId, shops);
    },

    /** What the client needs to address a shop; refuses while the shop's calls are paused. */
    async shopRef(shopId: string): Promise<{ shopId: string; shopCipher: string }> {
      const row = await shopRow(shopId);
      return { shopId: row.shop_id, shopCipher: row.shop_cipher };
    },

    async setShopAuthorization(shopId: string, status: 'authorized' | 'revoked', reason: string | null) {
      await repo.setShopAuthorization(shopId, status, reason, new Date(now()));
    },

    /** A TikTok call answered "revoked" (105001): pause every shop of that seller and tell their workflows. */
    async reportRevoked(shopId: string, reason: string): Promise<void> {
      const row = await repo.shop(shopId);
      if (row) await markRevoked(row.open_id, reason);
    },
  };
}

export type TokenStore = ReturnType<typeof createTokenStore>;
