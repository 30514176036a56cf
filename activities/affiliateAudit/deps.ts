import type { Db } from '../../db/knex';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';

/** What the affiliate audit's activities reach the outside world through. */
export interface AffiliateAuditDeps {
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
}
