import type { OnShopHealthDirty } from '../../accountHealth/model';
import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import type { CarrierTracking } from '../../integrations/carrierTracking/types';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { TokenStore } from '../../integrations/tiktok/tokenStore';
import type { Notifier } from '../../notifications/notifier';
import type { Keyring } from '../../secrets/keyring';

/** What the order's activities reach the outside world through. */
export interface OrderActivityDeps {
  cfg: Pick<AppConfig, 'WMS_URL' | 'WMS_SIGNING_SECRET'> &
    Partial<
      Pick<
        AppConfig,
        | 'TEMPORAL_PRIORITY_LEVELS'
        | 'TEMPORAL_PRIORITY_STEP_SECONDS'
        | 'ORDER_REMORSE_WINDOW'
        | 'EASYPOST_API_KEY'
        | 'EASYPOST_API_BASE_URL'
      >
    >;
  db: Db;
  tiktok: { client: TikTokClient };
  tokens: Pick<TokenStore, 'shopRef'>;
  notifier: Pick<Notifier, 'notify'>;
  /** SECRETS_ENCRYPTION_KEY: the outbox payload (buyer name, address, message) is stored sealed with it. */
  secretsKeyring?: Keyring;
  fetch?: typeof fetch;
  /** Called once when a shop's account health goes from clean to dirty (activities/orderAcknowledgment/healthFacts.ts). */
  onShopHealthDirty?: OnShopHealthDirty;
  /** Carrier tracking at shipment (shop setting carrierTracking.trackAtShipment); default EasyPost from cfg. */
  carrierTracking?: CarrierTracking;
}
