import { isDeepStrictEqual } from 'node:util';
import type { Db } from './knex';

/** Who changed settings: the API key's name (what people read) and id (names are not unique). */
export interface SettingsAuthor {
  name: string;
  keyId: string | null;
}

/** A shop's stored settings (a shop without a row runs on the defaults, version 0). */
export interface StoredShopSettings {
  shopId: string;
  settings: unknown;
  version: number;
  updatedAt: Date;
  updatedBy: string;
  updatedByKeyId: string | null;
}

/** One audited change: the effective settings before and after it. */
export interface ShopSettingsChange {
  id: string;
  shopId: string;
  version: number;
  changedBy: string;
  changedByKeyId: string | null;
  changedAt: Date;
  before: unknown;
  after: unknown;
}

interface SettingsRow {
  shop_id: string;
  settings: unknown;
  version: number;
  updated_at: Date;
  updated_by: string;
  updated_by_key_id: string | null;
}

interface ChangeRow {
  id: string;
  shop_id: string;
  version: number;
  changed_by: string;
  changed_by_key_id: string | null;
  changed_at: Date;
  before: unknown;
  after: unknown;
}

const toStored = (r: SettingsRow): StoredShopSettings => ({
  shopId: r.shop_id,
  settings: r.settings,
  version: r.version,
  updatedAt: r.updated_at,
  updatedBy: r.updated_by,
  updatedByKeyId: r.updated_by_key_id,
});

const toChange = (r: ChangeRow): ShopSettingsChange => ({
  id: String(r.id),
  shopId: r.shop_id,
  version: r.version,
  changedBy: r.changed_by,
  changedByKeyId: r.changed_by_key_id,
  changedAt: r.changed_at,
  before: r.before,
  after: r.after,
});

export type SettingsUpdate =
  | { outcome: 'updated' | 'unchanged'; stored: StoredShopSettings | undefined }
  | { outcome: 'conflict'; version: number };

/** Shop settings (`shop_settings`) and their audit trail (`shop_settings_changes`). */
export function createShopSettingsRepository(db: Db) {
  return {
    async get(shopId: string): Promise<StoredShopSettings | undefined> {
      const row = await db<SettingsRow>('shop_settings').where({ shop_id: shopId }).first();
      return row && toStored(row);
    },

    /**
     * Changes a shop's settings in one transaction that also writes the audit row. `next` computes the new settings
     * from the stored row (undefined: none yet) and may throw to refuse them (nothing is written). Writers of one
     * shop are serialised, so `expectedVersion` (If-Match) is compared with what the change is really applied to:
     * another version answers `conflict`. Settings equal to what they replace are not written (`unchanged`).
     * `before` is what the audit row records as the settings before (the effective settings: the caller's view).
     */
    async update(
      shopId: string,
      opts: {
        expectedVersion?: number;
        author: SettingsAuthor;
        next: (stored: StoredShopSettings | undefined) => { before: unknown; after: unknown };
      },
    ): Promise<SettingsUpdate> {
      return db.transaction(async (trx) => {
        // A row-level lock cannot cover a shop's first save (no row yet): a transaction-scoped advisory lock on the
        // shop does, for the first save and every later one alike.
        await trx.raw('select pg_advisory_xact_lock(hashtextextended(?, 0))', [`shop_settings:${shopId}`]);
        const row = await trx<SettingsRow>('shop_settings').where({ shop_id: shopId }).first();
        const current = row && toStored(row);
        const version = current?.version ?? 0;
        if (opts.expectedVersion !== undefined && opts.expectedVersion !== version) {
          return { outcome: 'conflict', version };
        }
        const { before, after } = opts.next(current);
        if (isDeepStrictEqual(before, after)) return { outcome: 'unchanged', stored: current };
        const values = {
          settings: JSON.stringify(after),
          version: version + 1,
          updated_at: trx.fn.now(),
          updated_by: opts.author.name,
          updated_by_key_id: opts.author.keyId,
        };
        const [written] = await trx('shop_settings')
          .insert({ shop_id: shopId, ...values })
          .onConflict('shop_id')
          .merge(values)
          .returning<SettingsRow[]>('*');
        await trx('shop_settings_changes').insert({
          shop_id: shopId,
          version: version + 1,
          changed_by: opts.author.name,
          changed_by_key_id: opts.author.keyId,
          before: JSON.stringify(before),
          after: JSON.stringify(after),
        });
        return { outcome: 'updated', stored: toStored(written!) };
      });
    },

    /** The shop's changes, newest first; `beforeVersion`: older than that version (the next page). */
    async changes(shopId: string, opts: { limit: number; beforeVersion?: number }): Promise<ShopSettingsChange[]> {
      let query = db<ChangeRow>('shop_settings_changes')
        .where({ shop_id: shopId })
        .orderBy('version', 'desc')
        .limit(opts.limit);
      if (opts.beforeVersion !== undefined) query = query.andWhere('version', '<', opts.beforeVersion);
      return (await query).map(toChange);
    },
  };
}

export type ShopSettingsRepository = ReturnType<typeof createShopSettingsRepository>;
