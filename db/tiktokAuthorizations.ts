import type { Knex } from 'knex';
import type { Db } from './knex';

/** A seller's tokens as stored (sealed with SECRETS_ENCRYPTION_KEY by integrations/tiktok/tokenStore.ts). */
export interface AuthorizationRow {
  open_id: string;
  key_id: string;
  access_token_enc: Buffer;
  access_token_expires_at: Date;
  refresh_token_enc: Buffer;
  refresh_token_expires_at: Date;
  refreshed_at: Date;
}

/** The sealed columns of a grant, as the token store writes them. */
export type GrantColumns = Omit<AuthorizationRow, 'open_id'> & { granted_scopes: string; updated_at: Date };

export interface TikTokShopRow {
  shop_id: string;
  open_id: string;
  shop_cipher: string;
  authorization_status: 'authorized' | 'revoked';
  authorization_reason: string | null;
  authorization_changed_at: Date;
}

export interface AuthorizedShopColumns {
  shopId: string;
  shopCipher: string;
  name: string | null;
  region: string | null;
  sellerType: string | null;
  code: string | null;
}

type Conn = Db | Knex.Transaction;

/**
 * TikTok authorizations (tiktok_authorizations: a seller's sealed tokens), the shops they cover (tiktok_shops) and
 * the single-use consent states (oauth_states). The token store and the consent links call it; nobody else writes
 * these tables.
 */
export function createTikTokAuthorizationRepository(db: Db) {
  const authorization = (conn: Conn, openId: string) =>
    conn<AuthorizationRow>('tiktok_authorizations').where({ open_id: openId }).first();
  return {
    authorization: (openId: string) => authorization(db, openId),

    /**
     * Runs `fn` in a transaction holding the seller's refresh lock (a transaction-scoped advisory lock), with the
     * row as read under it, so a single-use refresh token is spent by one process only.
     */
    async withRefreshLock<T>(
      openId: string,
      fn: (row: AuthorizationRow, save: (columns: GrantColumns) => Promise<void>) => Promise<T>,
    ): Promise<T> {
      return db.transaction(async (trx) => {
        await trx.raw('select pg_advisory_xact_lock(hashtext(?))', [`tiktok-token:${openId}`]);
        const row = (await authorization(trx, openId))!;
        return fn(row, async (columns) => {
          await trx('tiktok_authorizations').where({ open_id: openId }).update(columns);
        });
      });
    },

    async saveAuthorization(
      seller: { openId: string; sellerName: string | null; sellerBaseRegion: string | null },
      columns: GrantColumns,
    ): Promise<void> {
      await db('tiktok_authorizations')
        .insert({
          open_id: seller.openId,
          seller_name: seller.sellerName,
          seller_base_region: seller.sellerBaseRegion,
          ...columns,
        })
        .onConflict('open_id')
        .merge();
    },

    async saveShops(openId: string, shops: AuthorizedShopColumns[]): Promise<void> {
      for (const shop of shops) {
        await db('tiktok_shops')
          .insert({
            shop_id: shop.shopId,
            open_id: openId,
            shop_cipher: shop.shopCipher,
            name: shop.name,
            region: shop.region,
            seller_type: shop.sellerType,
            code: shop.code,
          })
          .onConflict('shop_id')
          .merge(['open_id', 'shop_cipher', 'name', 'region', 'seller_type', 'code']);
      }
    },

    shop: (shopId: string) => db<TikTokShopRow>('tiktok_shops').where({ shop_id: shopId }).first(),

    async setShopAuthorization(shopId: string, status: 'authorized' | 'revoked', reason: string | null, at: Date) {
      await db('tiktok_shops')
        .where({ shop_id: shopId })
        .update({ authorization_status: status, authorization_reason: reason, authorization_changed_at: at });
    },

    /** Pauses every shop of the seller; returns their ids. */
    async revokeSeller(openId: string, reason: string, at: Date): Promise<string[]> {
      const shops = await db<TikTokShopRow>('tiktok_shops')
        .where({ open_id: openId })
        .update({ authorization_status: 'revoked', authorization_reason: reason, authorization_changed_at: at })
        .returning('shop_id');
      return shops.map((s) => s.shop_id);
    },

    async createConsentState(state: string, purpose: string, shopId: string | null, at: Date): Promise<void> {
      await db('oauth_states').insert({ state, purpose, shop_id: shopId, created_at: at });
    },

    /** Marks an unused state created after `notBefore` used; null when unknown, already used or too old. */
    async consumeConsentState(
      state: string,
      notBefore: Date,
      at: Date,
    ): Promise<{ purpose: string; shopId: string | null } | null> {
      const [row] = await db('oauth_states')
        .where({ state })
        .whereNull('used_at')
        .where('created_at', '>', notBefore)
        .update({ used_at: at })
        .returning<{ purpose: string; shop_id: string | null }[]>(['purpose', 'shop_id']);
      return row ? { purpose: row.purpose, shopId: row.shop_id } : null;
    },
  };
}

export type TikTokAuthorizationRepository = ReturnType<typeof createTikTokAuthorizationRepository>;
