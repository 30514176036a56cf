import { Router, type Request } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { createTaxSalesRepository } from '../../db/taxSales';
import { describeTaxHistoryBackfill, startTaxHistoryBackfill } from '../../temporal/taxHistoryBackfill';
import { DEFAULT_BACKFILL_MONTHS, MAX_BACKFILL_MONTHS } from '../../workflows/taxHistoryBackfill/messages';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const ShopParams = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"'),
});
const StartBody = z
  .strictObject({ months: z.number().int().min(1).max(MAX_BACKFILL_MONTHS).optional() })
  .optional()
  .transform((b) => ({ months: b?.months ?? DEFAULT_BACKFILL_MONTHS }));

/**
 * The tax-history backfill (issue 20 item 1): an operator starts it for a shop (months of Finance API history, at
 * the lowest priority of the shop's rate budget); anyone with the shop in scope reads its progress and the history
 * coverage the monthly report relies on (which day ranges of each source were fetched or imported).
 */
export function taxHistoryBackfillRoutes(deps: ApiDeps): Router {
  const router = Router();
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const operator = requireRole(deps.apiKeys, 'operator');
  const shops = createShopRepository(deps.db);
  const taxSales = createTaxSalesRepository(deps.db);

  async function connectedShop(req: Request): Promise<string> {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if (!(await shops.connected(shopId)))
      throw new HttpError(404, 'not_found', `shop ${shopId} is not connected to TikTok`);
    return shopId;
  }

  router.post('/v1/shops/:shopId/tax/backfill', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const { months } = parseOr400(StartBody, req.body, 'body');
    await connectedShop(req);
    const out = await startTaxHistoryBackfill(deps.temporal, deps.config, { shopId, months });
    res.status(out.started ? 202 : 200).json({ ...out, shopId, months, status: 'RUNNING' });
  });

  router.get('/v1/shops/:shopId/tax/backfill', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const found = await describeTaxHistoryBackfill(deps.temporal, shopId);
    if (!found) throw new HttpError(404, 'not_found', `shop ${shopId} has no tax-history backfill`);
    res.json({ shopId, ...found });
  });

  router.get('/v1/shops/:shopId/tax/coverage', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    res.json({ shopId, coverage: await taxSales.coverage(shopId) });
  });

  return router;
}
