import type { AppConfig } from '../config';
import { ADMIN_KEY_SECRET } from '../config/opsApi';
import { createApiKeyRepository, generateApiKey } from '../db/apiKeys';
import { migrate, type Db } from '../db/knex';
import { loadOrCreateSecret } from '../secrets/keyring';

/**
 * Brings the database to the current schema and makes sure the bootstrap admin key exists.
 * The key is ADMIN_API_KEY, else one generated on first start and kept in DATA_DIR/secrets/admin-api-key.
 * A changed key revokes the previous bootstrap key (`revokedBootstrapKeys` counts them).
 */
export async function prepareDatabase(
  cfg: AppConfig,
  db: Db,
): Promise<{ adminKey: string; adminKeyFile?: string; revokedBootstrapKeys: number }> {
  await migrate(db);
  const admin = loadOrCreateSecret(cfg, ADMIN_KEY_SECRET, cfg.ADMIN_API_KEY, 'ADMIN_API_KEY', generateApiKey);
  const { revoked } = await createApiKeyRepository(db).ensureBootstrapAdmin(admin.value);
  return { adminKey: admin.value, adminKeyFile: admin.file, revokedBootstrapKeys: revoked };
}

/**
 * Where the admin key is kept, for start-up output: never the key itself (terminal scrollback and CI logs outlive
 * it). `shell` reads it in a command line.
 */
export function adminKeyLocation(adminKeyFile: string | undefined): { where: string; shell: string } {
  return adminKeyFile
    ? { where: `kept in ${adminKeyFile}`, shell: `$(cat '${adminKeyFile}')` }
    : { where: 'the ADMIN_API_KEY environment variable', shell: '$ADMIN_API_KEY' };
}
