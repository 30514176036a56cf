import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import { tiktokSettings } from '../config/tiktok';
import { createApiKeyRepository } from '../db/apiKeys';
import { createDeadLetterRepository } from '../db/deadLetters';
import type { Db } from '../db/knex';
import { createFileStore } from '../files/fileStore';
import { createAuthorizationLinks } from '../integrations/tiktok/authorizationLinks';
import { loadSecretsKeyring } from '../secrets/keyring';
import type { ApiDeps } from './deps';

export function buildApiDeps(config: AppConfig, infra: { db: Db; temporal: Client; logger: Logger }): ApiDeps {
  const tiktok = tiktokSettings(config);
  return {
    config,
    ...infra,
    apiKeys: createApiKeyRepository(infra.db),
    deadLetters: createDeadLetterRepository(infra.db),
    tiktok,
    authorizationLinks: createAuthorizationLinks({ db: infra.db, settings: tiktok }),
    files: createFileStore({
      db: infra.db,
      keyring: loadSecretsKeyring(config),
      maxBytes: config.FILE_MAX_BYTES,
      retainDays: config.FILE_RETENTION_DAYS,
    }),
  };
}
