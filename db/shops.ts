import { whereShopIn, type Db } from './knex';

export interface ShopSummary {
  shopId: string;
  region: string;
  displayName: string;
  registeredAt: Date;
}

/** A shop as connected to TikTok (tiktok_shops, written through db/tiktokAuthorizations.ts). */
export interface ConnectedShopRow {
  shop_id: string;
  open_id: string;
  region: string | null;
  authorization_status: string;
}

/** Shops: the registered shops (`shops`, one per shopLifecycle workflow) and their TikTok connection. */
export function createShopRepository(db: Db) {
  return {
    /** The registered shop's region; undefined when the shop is not registered. */
    async region(shopId: string): Promise<string | undefined> {
      const shop = await db('shops').where({ shop_id: shopId }).first<{ region: string } | undefined>();
      return shop?.region;
    },

    /** Registers the shop, or updates its region and name. */
    async record(shop: { shopId: string; region: string; displayName: string; workflowId: string }): Promise<void> {
      await db('shops')
        .insert({
          shop_id: shop.shopId,
          region: shop.region,
          display_name: shop.displayName,
          workflow_id: shop.workflowId,
        })
        .onConflict('shop_id')
        .merge({ region: shop.region, display_name: shop.displayName, updated_at: db.fn.now() });
    },

    /** Registered shops by id; `shopIds` null: all of them. */
    async list(shopIds: readonly string[] | null): Promise<ShopSummary[]> {
      const rows = await whereShopIn(
        db('shops').select('shop_id', 'region', 'display_name', 'registered_at').orderBy('shop_id'),
        shopIds,
      );
      return rows.map((r: { shop_id: string; region: string; display_name: string; registered_at: Date }) => ({
        shopId: r.shop_id,
        region: r.region,
        displayName: r.display_name,
        registeredAt: r.registered_at,
      }));
    },

    /** The shop's TikTok connection, if it is connected. */
    async connected(shopId: string): Promise<ConnectedShopRow | undefined> {
      return db('tiktok_shops')
        .where({ shop_id: shopId })
        .first<ConnectedShopRow | undefined>('shop_id', 'open_id', 'region', 'authorization_status');
    },

    /** The connected shops of one seller (webhooks naming a seller rather than a shop). */
    async connectedShopsOfSeller(openId: string): Promise<string[]> {
      const rows = await db('tiktok_shops').where({ open_id: openId }).select<{ shop_id: string }[]>('shop_id');
      return rows.map((r) => r.shop_id);
    },
  };
}

export type ShopRepository = ReturnType<typeof createShopRepository>;
