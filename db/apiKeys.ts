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
});

export const hashApiKey = (key: string): string => crypto.createHash('sha256').update(key, 'utf8').digest('hex');

export function generateApiKey(): string {
  return `tso_${crypto.randomBytes(24).toString('base64url')}`;
}

export function createApiKeyRepository(db: Db) {
  return {
    async create(name: string, role: Role, key = generateApiKey(), bootstrap = false) {
      const id = crypto.randomUUID();
      await db('api_keys').insert({
        id,
        name,
        role,
        key_hash: hashApiKey(key),
        key_prefix: key.slice(0, 12),
        bootstrap,
      });
      return { id, key };
    },

    /** Makes sure the bootstrap admin key (ADMIN_API_KEY or the generated one) exists; idempotent. */
    async ensureBootstrapAdmin(key: string): Promise<void> {
      await db('api_keys')
        .insert({
          id: crypto.randomUUID(),
          name: 'bootstrap admin',
          role: 'admin',
          key_hash: hashApiKey(key),
          key_prefix: key.slice(0, 12),
          bootstrap: true,
        })
        .onConflict('key_hash')
        .ignore();
    },

    async authenticate(key: string): Promise<ApiKeyRecord | null> {
      const row = await db<Row>('api_keys')
        .where({ key_hash: hashApiKey(key) })
        .whereNull('revoked_at')
        .first();
      if (!row) return null;
      // Best effort; a failed timestamp update never blocks a request.
      void db('api_keys')
        .where({ id: row.id })
        .update({ last_used_at: db.fn.now() })
        .catch(() => undefined);
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
