import { Router } from 'express';
import { z } from 'zod';
import { ROLES, type ApiKeyRecord } from '../../db/apiKeys';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const shopId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"');
const CreateKeyBody = z.strictObject({
  name: z.string().trim().min(1).max(200),
  role: z.enum(ROLES),
  // Omitted: the key covers every shop (agency-wide). Listed: only those shops, whether registered yet or not.
  shopIds: z.array(shopId).min(1).max(1000).optional(),
});
const KeyParams = z.object({ id: z.uuid() });

const view = (k: ApiKeyRecord) => ({ ...k, shopIds: k.shopIds ?? 'all' });

/**
 * Admins create, list and revoke API keys. The plaintext key is shown once, at creation. Only agency-wide admin keys
 * manage keys: a shop-scoped admin could otherwise mint a key for every shop.
 */
export function apiKeyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const agencyAdmin = requireRole(deps.apiKeys, 'admin', { agencyWide: true });

  router.post('/v1/api-keys', agencyAdmin, async (req, res) => {
    const body = parseOr400(CreateKeyBody, req.body, 'body');
    const { id, key, shopIds } = await deps.apiKeys.create(body.name, body.role, { shopIds: body.shopIds });
    res.status(201).json({ id, name: body.name, role: body.role, shopIds: shopIds ?? 'all', key });
  });

  router.get('/v1/api-keys', agencyAdmin, async (_req, res) => {
    res.json({ apiKeys: (await deps.apiKeys.list()).map(view) });
  });

  router.delete('/v1/api-keys/:id', agencyAdmin, async (req, res) => {
    const { id } = parseOr400(KeyParams, req.params, 'params');
    const revoked = await deps.apiKeys.revoke(id);
    if (!revoked) throw new HttpError(404, 'not_found', `no active API key ${id}`);
    res.json(view(revoked));
  });

  return router;
}
