import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { AppConfig } from '../config';
import type { TikTokSettings } from '../config/tiktok';
import type { AuthorizationLinks } from '../integrations/tiktok/authorizationLinks';
import type { ApiKeyRepository } from '../db/apiKeys';
import type { DeadLetterRepository } from '../db/deadLetters';
import type { Db } from '../db/knex';
import type { FileStore } from '../files/fileStore';

export interface ApiDeps {
  config: AppConfig;
  db: Db;
  temporal: Client;
  logger: Logger;
  apiKeys: ApiKeyRepository;
  deadLetters: DeadLetterRepository;
  tiktok: TikTokSettings;
  authorizationLinks: AuthorizationLinks;
  /** The file store (uploads, evidence), sealed with SECRETS_ENCRYPTION_KEY. */
  files: FileStore;
}
