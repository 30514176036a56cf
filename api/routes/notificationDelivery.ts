import { Router } from 'express';
import { z } from 'zod';
import type { NotificationRow } from '../../notifications/notifier';
import { requireRole, whereInScope } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ListQuery = z.object({
  shopId: z.string().max(64).optional(),
  unacknowledged: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});
const IdParams = z.object({ id: z.coerce.number().int().positive() });

export function notificationRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/notifications', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    let query = whereInScope(deps.db('notifications').select('*').orderBy('id', 'desc').limit(q.limit), req);
    if (q.shopId) query = query.where('shop_id', q.shopId);
    if (q.unacknowledged === 'true') query = query.whereNull('acknowledged_at');
    res.json({ notifications: await query });
  });

  router.post('/v1/notifications/:id/ack', requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const [row] = await whereInScope(deps.db('notifications').where({ id }), req)
      .update({ acknowledged_at: deps.db.fn.now(), acknowledged_by: req.apiKey?.name ?? null })
      .returning<NotificationRow[]>('*');
    if (!row) throw new HttpError(404, 'not_found', `no notification ${id}`);
    res.json(row);
  });

  return router;
}
