import { Router } from 'express';
import { z } from 'zod';
import { createNotificationRepository } from '../../db/notifications';
import { requireRole, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ListQuery = z.object({
  shopId: z.string().max(64).optional(),
  unacknowledged: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** Notifications operators list and acknowledge (their outward delivery: the notificationDelivery workflow). */
export function notificationDeliveryRoutes(deps: ApiDeps): Router {
  const router = Router();
  const notifications = createNotificationRepository(deps.db);

  router.get('/v1/notifications', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    const rows = await notifications.list({
      shopIds: shopFilter(req),
      shopId: q.shopId,
      unacknowledged: q.unacknowledged === 'true',
      limit: q.limit,
    });
    res.json({ notifications: rows });
  });

  router.post('/v1/notifications/:id/ack', requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await notifications.acknowledge(id, shopFilter(req), req.apiKey?.name ?? null);
    if (!row) throw new HttpError(404, 'not_found', `no notification ${id}`);
    res.json(row);
  });

  return router;
}
