import crypto from 'node:crypto';
import type { Db } from './knex';

export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** viewer < operator < admin: a key may do what its role and every lower role may do. */
export function roleAtLeast(have: Role, need: Role): boolean {
  return ROLES.indexOf(have) >= ROLES.indexOf(need);
}

export interface ApiKeyRecord {
  id: string;
  name: string;
  role: Role;
  keyPrefix: string;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
  bootstrap: boolean;
  /** The shops this key may act on; null: every shop (agency-wide keys, the bootstrap admin). */
  shopIds: string[] | null;
}

interface Row {
  id: string;
  name: string;
  role: Role;
  key_prefix: string;
  key_hash: string;
  created_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  bootstrap: boolean;
  shop_ids: string[] | null;
}

const toRecord = (r: Row): ApiKeyRecord => ({
  id: r.id,
  name: r.name,
  role: r.role,
  keyPrefix: r.key_prefix,
  createdAt: r.created_at,
  lastUsedAt: r.last_used_at,
  revokedAt: r.revoked_at,
  bootstrap: r.bootstrap,
  shopIds: r.shop_ids,
});

/**
 * How stale `last_used_at` may get: without a bound every request rewrote the key's row (one hot row per busy key,
 * a WAL record and a dead tuple per request). At most one write a minute per key is enough to see unused keys.
 */
export const LAST_USED_RESOLUTION_MS = 60_000;

export const hashApiKey = (key: string): string => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

export function generateApiKey(): string {
  return `tso_${crypto.randomBytes(24).toString('base64url')}`;
}

export function createApiKeyRepository(db: Db) {
  // Per process: when this process last wrote each key's last_used_at (the SQL condition covers other processes).
  const lastWritten = new Map<string, number>();

  function touch(row: Row): void {
    const now = Date.now();
    const written = Math.max(lastWritten.get(row.id) ?? 0, row.last_used_at?.getTime() ?? 0);
    if (now - written < LAST_USED_RESOLUTION_MS) return;
    lastWritten.set(row.id, now);
    // Best effort; a failed timestamp update never blocks a request.
    void db('api_keys')
      .where({ id: row.id })
      .andWhere((q) =>
        q
          .whereNull('last_used_at')
          .orWhere('last_used_at', '<', db.raw(`now() - interval '${LAST_USED_RESOLUTION_MS} milliseconds'`)),
      )
      .update({ last_used_at: db.fn.now() })
      .catch(() => undefined);
  }

  return {
    /** A new key; `shopIds` undefined or null: the key covers every shop. */
    async create(name: string, role: Role, opts: { shopIds?: string[] | null; key?: string } = {}) {
      const id = crypto.randomUUID();
      const key = opts.key ?? generateApiKey();
      const shopIds = opts.shopIds ? [...new Set(opts.shopIds)].sort() : null;
      await db('api_keys').insert({
        id,
        name,
        role,
        key_hash: hashApiKey(key),
        key_prefix: key.slice(0, 12),
        bootstrap: false,
        shop_ids: shopIds,
      });
      return { id, key, shopIds };
    },

    /**
     * Makes sure the bootstrap admin key (ADMIN_API_KEY or the generated one) exists and is the only bootstrap key:
     * a changed ADMIN_API_KEY revokes the previous one (otherwise a leaked key stayed valid after rotation). Keys
     * created through the API are untouched. Returns how many earlier bootstrap keys were revoked.
     */
    async ensureBootstrapAdmin(key: string): Promise<{ revoked: number }> {
      const keyHash = hashApiKey(key);
      return db.transaction(async (trx) => {
        await trx('api_keys')
          .insert({
            id: crypto.randomUUID(),
            name: 'bootstrap admin',
            role: 'admin',
            key_hash: keyHash,
            key_prefix: key.slice(0, 12),
            bootstrap: true,
          })
          .onConflict('key_hash')
          .ignore();
        const current = await trx<Row>('api_keys').where({ key_hash: keyHash }).first();
        // A process still configured with an earlier key (a rolling restart) must not revoke the newer one: only
        // bootstrap keys older than this one are revoked, and none when this one was itself revoked.
        if (!current || current.revoked_at) return { revoked: 0 };
        const revoked = await trx('api_keys')
          .where({ bootstrap: true })
          .whereNot({ id: current.id })
          .where('created_at', '<=', current.created_at)
          .whereNull('revoked_at')
          .update({ revoked_at: trx.fn.now() });
        return { revoked };
      });
    },

    /** The active key, or null. Throws when the database cannot answer (the caller answers 503). */
    async authenticate(key: string): Promise<ApiKeyRecord | null> {
      const row = await db<Row>('api_keys')
        .where({ key_hash: hashApiKey(key) })
        .whereNull('revoked_at')
        .first();
      if (!row) return null;
      touch(row);
      return toRecord(row);
    },

    async list(): Promise<ApiKeyRecord[]> {
      const rows = await db<Row>('api_keys').orderBy('created_at', 'asc');
      return rows.map(toRecord);
    },

    async revoke(id: string): Promise<ApiKeyRecord | null> {
      const [row] = await db<Row>('api_keys')
        .where({ id })
        .whereNull('revoked_at')
        .update({ revoked_at: db.fn.now() })
        .returning('*');
      return row ? toRecord(row) : null;
    },
  };
}

export type ApiKeyRepository = ReturnType<typeof createApiKeyRepository>;
