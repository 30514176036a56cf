import { Router } from 'express';
import { z } from 'zod';
import {
  describeCertificateExpirySchedule,
  ensureCertificateExpirySchedule,
  triggerCertificateExpiry,
} from '../../temporal/certificateExpiry';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { parseOr400 } from '../errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"'),
});

/**
 * The certificate vault's daily expiry check (issue 19): the shop's `certificate-expiry` Schedule as it stands, and a
 * run now. The documents themselves: GET /v1/shops/:shopId/certificates?expiringWithinDays=30 (api/routes/certificates.ts).
 */
export function certificateExpiryRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');

  router.get('/v1/shops/:shopId/certificate-expiry', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    res.json({ schedule: (await describeCertificateExpirySchedule(deps.temporal, shopId)) ?? null });
  });

  router.post('/v1/shops/:shopId/certificate-expiry/trigger', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    // A shop whose documents predate its Schedule gets one here.
    const ctx = { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE };
    await ensureCertificateExpirySchedule(ctx, shopId);
    await triggerCertificateExpiry(deps.temporal, shopId);
    res.status(202).json({ schedule: await describeCertificateExpirySchedule(deps.temporal, shopId) });
  });

  return router;
}
