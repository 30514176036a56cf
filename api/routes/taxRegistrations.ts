import { Router, type Request } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { createTaxRegistrationRepository } from '../../db/taxRegistrations';
import { RULE_STATES } from '../../policy/taxRules';
import { decidedByCaller, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const shopId = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const state = z
  .string()
  .transform((s) => s.toUpperCase())
  .refine((s) => RULE_STATES.includes(s), 'a state with a sales tax (two letters, e.g. TX), or DC');
const ShopParams = z.object({ shopId });
const StateParams = z.object({ shopId, state });
const isoDay = z.iso.date('a date as YYYY-MM-DD');
const PutBody = z.strictObject({
  permitNumber: z.string().trim().min(1).max(64),
  filingFrequency: z.enum(['monthly', 'quarterly', 'semiannual', 'annual']),
  startDate: isoDay,
});

/**
 * The seller's sales-tax registrations (issue 20 item 2): per shop and state, the permit number, the filing frequency
 * the state assigned and the first day it applies. Entered by a person; the monthly tax report reads them. Shop-scoped.
 */
export function taxRegistrationsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const operator = requireRole(deps.apiKeys, 'operator');
  const shops = createShopRepository(deps.db);
  const registrations = createTaxRegistrationRepository(deps.db);

  /** The shop of the request: in the key's scope (else 404) and registered. */
  async function registeredShop(req: Request, id: string): Promise<string> {
    requireShop(req, id);
    if ((await shops.region(id)) === undefined) throw new HttpError(404, 'not_found', `shop ${id} is not registered`);
    return id;
  }

  router.get('/v1/shops/:shopId/tax/registrations', viewer, async (req, res) => {
    const id = await registeredShop(req, parseOr400(ShopParams, req.params, 'params').shopId);
    res.json({ shopId: id, registrations: await registrations.list(id) });
  });

  router.get('/v1/shops/:shopId/tax/registrations/:state', viewer, async (req, res) => {
    const p = parseOr400(StateParams, req.params, 'params');
    const id = await registeredShop(req, p.shopId);
    const found = await registrations.get(id, p.state);
    if (!found) throw new HttpError(404, 'not_found', `shop ${id} has no tax registration in ${p.state}`);
    res.json(found);
  });

  router.put('/v1/shops/:shopId/tax/registrations/:state', operator, async (req, res) => {
    const p = parseOr400(StateParams, req.params, 'params');
    const id = await registeredShop(req, p.shopId);
    const body = parseOr400(PutBody, req.body, 'body');
    const out = await registrations.put(id, p.state, { ...body, updatedBy: decidedByCaller(req) });
    res.status(out.created ? 201 : 200).json(out.registration);
  });

  router.delete('/v1/shops/:shopId/tax/registrations/:state', operator, async (req, res) => {
    const p = parseOr400(StateParams, req.params, 'params');
    const id = await registeredShop(req, p.shopId);
    if (!(await registrations.remove(id, p.state))) {
      throw new HttpError(404, 'not_found', `shop ${id} has no tax registration in ${p.state}`);
    }
    res.status(204).end();
  });

  return router;
}
