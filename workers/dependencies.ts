import type { Client } from '@temporalio/client';
import type { Logger } from 'pino';
import type { ActivityDeps } from '../activities';
import type { AppConfig } from '../config';
import { taxEngineSettings } from '../config/taxEngines';
import { tiktokSettings } from '../config/tiktok';
import type { Db } from '../db/knex';
import { createTaxEngines } from '../integrations/taxEngines';
import { createTikTokAuth } from '../integrations/tiktok/auth';
import { createAuthorizationLinks } from '../integrations/tiktok/authorizationLinks';
import { createTikTokClient, type TikTokClient } from '../integrations/tiktok/client';
import { isTikTokFailure } from '../integrations/tiktok/errors';
import { createPostgresRateBudget, parseRateLimitConfig } from '../integrations/tiktok/rateBudget';
import { createTokenStore } from '../integrations/tiktok/tokenStore';
import { createNotifier } from '../notifications/notifier';
import { signalAccountHealthDirty } from '../temporal/accountHealth';
import { temporalDeliveryStarter } from '../temporal/notificationDelivery';
import { loadSecretsKeyring } from '../secrets/keyring';
import { shopWorkflowId } from '../workflows/ids';
import { authorizationChangedSignal } from '../workflows/shopLifecycle/messages';

export interface BuiltDependencies extends ActivityDeps {
  close(): Promise<void>;
}

/** Wires the TikTok client, token store, shared rate budget and notifier for one worker process. */
export function buildDependencies(
  cfg: AppConfig,
  infra: { db: Db; temporal: Client; logger: Logger; fetch?: typeof fetch; now?: () => number },
): BuiltDependencies {
  const settings = tiktokSettings(cfg);
  const log = infra.logger.child({ component: 'tiktok' });
  const keyring = loadSecretsKeyring(cfg);
  const auth = createTikTokAuth({ ...settings, fetch: infra.fetch, logger: log });
  const tokens = createTokenStore({
    db: infra.db,
    keyring,
    auth,
    refreshMarginMs: cfg.TIKTOK_TOKEN_REFRESH_MARGIN_SECONDS * 1000,
    now: infra.now,
    logger: log,
    // The shop's workflow decides what a lost authorization means (pause, notify, ask for consent).
    onAuthorizationLost: async (shopIds, reason) => {
      const at = new Date().toISOString();
      for (const shopId of shopIds) {
        await infra.temporal.workflow
          .getHandle(shopWorkflowId(shopId))
          .signal(authorizationChangedSignal, { status: 'revoked', reason, at })
          .catch((err: unknown) => log.warn({ err, shopId }, 'could not signal the shop workflow'));
      }
    },
  });
  const budget = createPostgresRateBudget({ db: infra.db, limits: parseRateLimitConfig(cfg.TIKTOK_RATE_LIMITS) });
  const rawClient = createTikTokClient({
    baseUrl: settings.apiBaseUrl,
    authBaseUrl: settings.authBaseUrl,
    appKey: settings.appKey,
    appSecret: settings.appSecret,
    fetch: infra.fetch,
    logger: log,
    tokens: tokens.provider,
    budget,
  });
  // Any call answered "revoked" (105001) pauses the seller's shops and tells their workflows.
  const client: TikTokClient = {
    ...rawClient,
    request: async (req) => {
      try {
        return await rawClient.request(req);
      } catch (err) {
        if (req.shopId && isTikTokFailure(err, 'TikTokAuthRevoked'))
          await tokens.reportRevoked(req.shopId, err.message);
        throw err;
      }
    },
  };
  return {
    cfg,
    db: infra.db,
    temporal: infra.temporal,
    tiktok: { client, auth, settings },
    tokens,
    notifier: createNotifier({
      db: infra.db,
      webhookUrl: cfg.NOTIFY_WEBHOOK_URL,
      fetch: infra.fetch,
      startDelivery: temporalDeliveryStarter({ temporal: infra.temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE }),
    }),
    authorizationLinks: createAuthorizationLinks({ db: infra.db, settings }),
    secretsKeyring: keyring,
    taxEngines: createTaxEngines(taxEngineSettings(cfg)),
    onShopHealthDirty: (shopId) =>
      signalAccountHealthDirty({ temporal: infra.temporal, taskQueue: cfg.TEMPORAL_TASK_QUEUE }, shopId),
    close: () => budget.close(),
  };
}
