import type { AppConfig } from '../config';
import { createApiKeyRepository, generateApiKey } from '../db/apiKeys';
import { migrate, type Db } from '../db/knex';
import { loadOrCreateSecret } from '../secrets/keyring';

/**
 * Brings the database to the current schema and makes sure the bootstrap admin key exists.
 * The key is ADMIN_API_KEY, else one generated on first start and kept in DATA_DIR/secrets/admin-api-key.
 */
export async function prepareDatabase(cfg: AppConfig, db: Db): Promise<{ adminKey: string; adminKeyFile?: string }> {
  await migrate(db);
  const admin = loadOrCreateSecret(cfg, 'admin-api-key', cfg.ADMIN_API_KEY, 'ADMIN_API_KEY', generateApiKey);
  await createApiKeyRepository(db).ensureBootstrapAdmin(admin.value);
  return { adminKey: admin.value, adminKeyFile: admin.file };
}
