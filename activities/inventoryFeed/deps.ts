import type { Client } from '@temporalio/client';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import { URGENT_DEADLINE_MS } from '../../workflows/shared/taskPriority';

/** What the inventory feed's activities reach the outside world through. */
export interface InventoryFeedDeps {
  cfg: AppConfig;
  db: Db;
  temporal: Client;
  tiktok: { client: TikTokClient };
  tokens: TokenStore;
}

/** A stock-out's place in the shop's rate budget: ahead of every call with a later deadline. */
export const urgentDeadline = () => new Date(Date.now() + URGENT_DEADLINE_MS);
