import { Router } from 'express';
import { z } from 'zod';
import { shopConnectionWorkflowId } from '../../workflows/ids';
import { shopConnection } from '../../workflows/shopConnection/workflow';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const CallbackQuery = z.union([
  z.object({ code: z.string().min(1).max(512), state: z.string().min(1).max(128) }),
  z.object({ error: z.string().max(200), state: z.string().max(128).optional() }),
]);

// The callback answers the seller's browser; a slow TikTok must not leave it hanging for long.
const CALLBACK_WAIT_MS = 20_000;

/**
 * Connecting a shop: operators create a consent link for the seller; TikTok redirects the seller's browser back to
 * the callback, which hands the single-use code to the `shopConnection` workflow (exchange, shops, webhooks).
 */
export function tiktokConnectionRoutes(deps: ApiDeps): Router {
  const router = Router();

  // Agency-wide keys only: the seller picks which shops to authorize, so a shop-scoped key cannot bound what it adds.
  router.post(
    '/v1/tiktok/authorization-links',
    requireRole(deps.apiKeys, 'operator', { agencyWide: true }),
    async (_req, res) => {
      const link = await deps.authorizationLinks.create('connect');
      res.status(201).json({ url: link.url, redirectUri: `${deps.tiktok.publicBaseUrl}/oauth/tiktok/callback` });
    },
  );

  router.get('/oauth/tiktok/callback', async (req, res) => {
    const query = parseOr400(CallbackQuery, req.query, 'query');
    if ('error' in query)
      throw new HttpError(400, 'authorization_denied', `the seller did not authorize: ${query.error}`);
    const link = await deps.authorizationLinks.consume(query.state);
    if (!link)
      throw new HttpError(400, 'invalid_state', 'unknown, used or expired authorization link: create a new one');
    const handle = await deps.temporal.workflow.start(shopConnection, {
      workflowId: shopConnectionWorkflowId(query.state),
      taskQueue: deps.config.TEMPORAL_TASK_QUEUE,
      args: [{ code: query.code }],
    });
    const result = await Promise.race([
      handle.result(),
      new Promise<null>((resolve) => setTimeout(() => resolve(null), CALLBACK_WAIT_MS).unref()),
    ]);
    if (!result) {
      res.status(202).json({ status: 'connecting', workflowId: handle.workflowId });
      return;
    }
    res.status(200).json({ status: 'connected', workflowId: handle.workflowId, ...result });
  });

  return router;
}
