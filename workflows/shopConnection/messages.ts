// The shop connection's input and result (it has no signals, queries or updates: the OAuth callback waits for it).
import type { ConnectedShop } from '../../activities/shopConnection';

export interface ShopConnectionInput {
  /** The authorization code of TikTok's OAuth redirect. */
  code: string;
}

export interface ShopConnectionResult {
  sellerName: string | null;
  shops: (ConnectedShop & { webhooks: string[] })[];
}
