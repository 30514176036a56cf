import { Router } from 'express';
import { describeRetention } from '../../temporal/retention';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';

/**
 * Retention of this deployment (the `retention` workflow and its Schedule): what is kept how long, when it runs next
 * and what its latest run deleted. Admins with agency-wide keys only: it spans every shop's rows.
 */
export function retentionRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/retention', requireRole(deps.apiKeys, 'admin', { agencyWide: true }), async (_req, res) => {
    res.json(await describeRetention({ temporal: deps.temporal, cfg: deps.config }));
  });

  return router;
}
