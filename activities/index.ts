import type { Client } from '@temporalio/client';
import type { AppConfig } from '../config';
import type { TikTokSettings } from '../config/tiktok';
import type { Db } from '../db/knex';
import type { TikTokAuth } from '../integrations/tiktok/auth';
import type { AuthorizationLinks } from '../integrations/tiktok/authorizationLinks';
import type { TikTokClient } from '../integrations/tiktok/client';
import type { TokenStore } from '../integrations/tiktok/tokenStore';
import type { Notifier } from '../notifications/notifier';
import { createOrderActivities } from './orderAcknowledgment';
import { createInventoryActivities } from './inventory';
import { createNotificationActivities } from './notifications';
import { createRetentionActivities } from './retention';
import { createOrderInventoryActivities } from './orderInventory';
import { createOrderReconciliationActivities } from './orderReconciliation';
import type { Keyring } from '../secrets/keyring';
import { createShopActivities } from './shop';
import { createShopConnectionActivities } from './shopConnection';
import { withLivenessHeartbeat } from '../temporal/activityLiveness';

/** Everything activities reach the outside world through; built once per worker process. */
export interface ActivityDeps {
  cfg: AppConfig;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient; auth: TikTokAuth; settings: TikTokSettings };
  tokens: TokenStore;
  notifier: Notifier;
  authorizationLinks: AuthorizationLinks;
  /** SECRETS_ENCRYPTION_KEY: stored secrets (tokens) and buyer data at rest (the warehouse outbox payload). */
  secretsKeyring: Keyring;
}

/** All activities the worker registers, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createShopActivities(deps),
    ...createShopConnectionActivities(deps),
    ...createInventoryActivities(deps),
    // The order's activities run under a 20 s heartbeat timeout (workflows/orderAcknowledgment/proxies.ts): a worker that dies
    // mid-activity is noticed in seconds, not at the 5-minute start-to-close timeout.
    ...withLivenessHeartbeat(createOrderActivities(deps)),
    ...createOrderReconciliationActivities(deps),
    ...withLivenessHeartbeat(createOrderInventoryActivities(deps)),
    ...createNotificationActivities(deps),
    ...createRetentionActivities(deps),
  };
}
