import { Router } from 'express';
import { z } from 'zod';
import { coversRow, requireRole, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ListQuery = z.object({
  source: z.string().max(200).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** Operators list and inspect what the edge rejected (raw bodies included). */
export function deadLetterRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');

  router.get('/v1/dead-letters', operator, async (req, res) => {
    const q = parseOr400(ListQuery, req.query, 'query');
    res.json({
      deadLetters: await deps.deadLetters.list({
        source: q.source,
        limit: q.limit,
        beforeId: q.before,
        shopIds: shopFilter(req),
      }),
    });
  });

  router.get('/v1/dead-letters/:id', operator, async (req, res) => {
    const { id } = parseOr400(IdParams, req.params, 'params');
    const row = await deps.deadLetters.get(id);
    if (!row || !coversRow(req, row.shop_id)) throw new HttpError(404, 'not_found', `no dead letter ${id}`);
    res.json(row);
  });

  return router;
}
