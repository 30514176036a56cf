import { Router } from 'express';
import { z } from 'zod';
import { ROLES } from '../../db/apiKeys';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const CreateKeyBody = z.object({ name: z.string().trim().min(1).max(200), role: z.enum(ROLES) });
const KeyParams = z.object({ id: z.uuid() });

/** Admins create, list and revoke API keys. The plaintext key is shown once, at creation. */
export function apiKeyRoutes(deps: ApiDeps): Router {
  const router = Router();
  const admin = requireRole(deps.apiKeys, 'admin');

  router.post('/v1/api-keys', admin, async (req, res) => {
    const body = parseOr400(CreateKeyBody, req.body, 'body');
    const { id, key } = await deps.apiKeys.create(body.name, body.role);
    res.status(201).json({ id, name: body.name, role: body.role, key });
  });

  router.get('/v1/api-keys', admin, async (_req, res) => {
    res.json({ apiKeys: await deps.apiKeys.list() });
  });

  router.delete('/v1/api-keys/:id', admin, async (req, res) => {
    const { id } = parseOr400(KeyParams, req.params, 'params');
    const revoked = await deps.apiKeys.revoke(id);
    if (!revoked) throw new HttpError(404, 'not_found', `no active API key ${id}`);
    res.json(revoked);
  });

  return router;
}
