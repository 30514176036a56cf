import crypto from 'node:crypto';
import type { TikTokSettings } from '../../config/tiktok';
import type { Db } from '../../db/knex';
import { createTikTokAuthorizationRepository } from '../../db/tiktokAuthorizations';
import { buildAuthorizationUrl } from './auth';

// An auth code is valid for 30 minutes (ref §3.1, docs/tiktok-shop-api-sources.md); a link older than a day is not accepted.
const STATE_MAX_AGE_MS = 24 * 3600_000;

/**
 * Seller consent links. Each carries a single-use random `state` stored in PostgreSQL, so the OAuth callback
 * only accepts redirects that we started (CSRF protection) and never the same one twice.
 */
export function createAuthorizationLinks(deps: { db: Db; settings: TikTokSettings; now?: () => number }) {
  const now = deps.now ?? Date.now;
  const repo = createTikTokAuthorizationRepository(deps.db);
  return {
    async create(purpose: 'connect' | 'reauthorize', shopId?: string): Promise<{ url: string; state: string }> {
      const state = crypto.randomBytes(24).toString('base64url');
      await repo.createConsentState(state, purpose, shopId ?? null, new Date(now()));
      const url = buildAuthorizationUrl({
        serviceId: deps.settings.serviceId,
        state,
        authorizeBaseUrl: deps.settings.authorizeUrl,
      });
      return { url, state };
    },

    /** Marks a state used; null when unknown, already used or too old. */
    async consume(state: string): Promise<{ purpose: string; shopId: string | null } | null> {
      return repo.consumeConsentState(state, new Date(now() - STATE_MAX_AGE_MS), new Date(now()));
    },
  };
}

export type AuthorizationLinks = ReturnType<typeof createAuthorizationLinks>;
