import express, { Router } from 'express';
import { z } from 'zod';
import { UNAUTHENTICATED_BODY_PREFIX_BYTES } from '../../db/deadLetters';
import { createWebhookInboxRepository } from '../../db/webhookInbox';
import { ingestEasyPostWebhook } from '../../webhooks/easypostInbox';
import { ingestTikTokWebhook, TIKTOK_WEBHOOK_SOURCE } from '../../webhooks/tiktokInbox';
import { coversRow, requireRole, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import type { FailureLimiter } from '../failureLimiter';
import { HttpError, parseOr400 } from '../errors';

const IdParams = z.object({ id: z.coerce.number().int().positive() });
const InboxQuery = z.object({
  status: z.enum(['pending', 'delivering', 'routed', 'unrouted', 'skipped', 'failed']).optional(),
  kind: z.string().max(64).optional(),
  shopId: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});

/** The TikTok webhook receiver; mounted before the JSON body parser because the signature covers the raw bytes. */
export function tiktokWebhookReceiver(deps: ApiDeps, limiter?: FailureLimiter): Router {
  const router = Router();
  router.post('/webhooks/tiktok', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let result: Awaited<ReturnType<typeof ingestTikTokWebhook>>;
    try {
      result = await ingestTikTokWebhook(
        { db: deps.db, settings: deps.tiktok, deadLetters: deps.deadLetters },
        raw,
        { authorization: req.headers.authorization, 'content-type': req.headers['content-type'] },
        { remoteAddress: req.ip ?? '', limiter },
      );
    } catch (err) {
      // Mounted before the request logger: say here what failed (TikTok delivers again after a non-200).
      deps.logger.error({ err, bytes: raw.length }, 'webhook not stored');
      res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
      return;
    }
    if (result.status === 200) {
      res.status(200).json({ code: 0, message: 'success' });
      return;
    }
    if (result.status === 429) {
      // Past the per-address limit nothing is stored, and only at debug level, so a flood fills no log either.
      deps.logger.debug({ remoteAddress: req.ip }, 'webhook refused: too many invalid signatures');
      res.status(429).json({ error: { code: 'too_many_failures', message: result.reason } });
      return;
    }
    deps.logger.warn({ reason: result.reason, deadLetterId: result.deadLetterId }, 'webhook rejected');
    res
      .status(result.status)
      .json({ error: { code: result.status === 401 ? 'invalid_signature' : 'invalid_event', message: result.reason } });
  });
  return router;
}

/**
 * EasyPost's webhook receiver (webhooks/easypostInbox.ts); mounted before the JSON parser for the same reason as
 * TikTok's: the signature covers the raw bytes. EasyPost redelivers anything not answered 2xx.
 */
export function easypostWebhookReceiver(deps: ApiDeps, limiter?: FailureLimiter): Router {
  const router = Router();
  router.post('/webhooks/easypost', express.raw({ type: () => true, limit: '1mb' }), async (req, res) => {
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const header = (name: string) => (typeof req.headers[name] === 'string' ? req.headers[name] : undefined);
    let result: Awaited<ReturnType<typeof ingestEasyPostWebhook>>;
    try {
      result = await ingestEasyPostWebhook(
        { db: deps.db, webhookSecret: deps.config.EASYPOST_WEBHOOK_SECRET, deadLetters: deps.deadLetters },
        raw,
        { 'x-hmac-signature': header('x-hmac-signature'), 'content-type': header('content-type') },
        { remoteAddress: req.ip ?? '', limiter },
      );
    } catch (err) {
      deps.logger.error({ err, bytes: raw.length }, 'EasyPost webhook not stored');
      res.status(500).json({ error: { code: 'internal', message: 'internal error' } });
      return;
    }
    if (result.status === 200) {
      res.status(200).json({ received: result.eventId, applied: result.applied, duplicate: result.duplicate });
      return;
    }
    if (result.status === 429) {
      deps.logger.debug({ remoteAddress: req.ip }, 'EasyPost webhook refused: too many invalid signatures');
      res.status(429).json({ error: { code: 'too_many_failures', message: result.reason } });
      return;
    }
    deps.logger.warn({ reason: result.reason, deadLetterId: result.deadLetterId }, 'EasyPost webhook rejected');
    res
      .status(result.status)
      .json({ error: { code: result.status === 401 ? 'invalid_signature' : 'invalid_event', message: result.reason } });
  });
  return router;
}

/** Operators see what arrived, what could not be routed yet, and replay either. */
export function webhookInboxRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const inbox = createWebhookInboxRepository(deps.db);

  router.get('/v1/webhooks/inbox', operator, async (req, res) => {
    const q = parseOr400(InboxQuery, req.query, 'query');
    res.json(await inbox.list({ shopIds: shopFilter(req), ...q }));
  });

  router.get('/v1/webhooks/inbox/:id', operator, async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await inbox.get(id, shopFilter(req));
    if (!row) throw new HttpError(404, 'not_found', `no inbox event ${id}`);
    res.json(row);
  });

  router.post('/v1/webhooks/inbox/:id/replay', operator, async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await inbox.replay(id, shopFilter(req));
    if (!row) throw new HttpError(404, 'not_found', `no inbox event ${id}`);
    res.status(202).json(row);
  });

  /** Re-runs a rejected webhook through verification and parsing (e.g. after an app-secret fix). */
  router.post('/v1/dead-letters/:id/replay', operator, async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const letter = await deps.deadLetters.get(id);
    if (!letter || !coversRow(req, letter.shop_id)) throw new HttpError(404, 'not_found', `no dead letter ${id}`);
    if (letter.source !== TIKTOK_WEBHOOK_SOURCE) {
      throw new HttpError(409, 'not_replayable', `dead letters from ${letter.source} are kept for inspection only`);
    }
    // An unsigned body is kept only up to its first 4 KB: a longer one cannot be sent through verification again.
    if (!letter.raw_kept && (letter.body_bytes ?? 0) > UNAUTHENTICATED_BODY_PREFIX_BYTES) {
      throw new HttpError(409, 'not_replayable', 'only a hash and the first 4 KB of this unsigned body were kept');
    }
    const headers = (letter.headers ?? {}) as Record<string, string | undefined>;
    const result = await ingestTikTokWebhook(
      { db: deps.db, settings: deps.tiktok, deadLetters: deps.deadLetters },
      Buffer.from(letter.raw_body, 'utf8'),
      headers,
    );
    if (result.status !== 200) {
      const deadLetterId = 'deadLetterId' in result ? result.deadLetterId : undefined;
      res.status(422).json({ error: { code: 'still_rejected', message: result.reason, deadLetterId } });
      return;
    }
    await deps.deadLetters.markReplayed(id);
    res.status(202).json({ inboxId: result.inboxId, duplicate: result.duplicate });
  });

  return router;
}
