import type { Db } from '../../db/knex';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import type { Notifier } from '../../notifications/notifier';

/** What the return's activities reach the outside world through. */
export interface ReturnActivityDeps {
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  notifier: Pick<Notifier, 'notify'>;
}
