import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import { SUPPORTED_REGIONS } from '../../policy';
import { registerShop } from '../../temporal/shopRegistration';
import { getShopQuery, type ShopState } from '../../workflows/shopLifecycle/messages';
import { shopWorkflowId } from '../../workflows/ids';
import { createShopRepository } from '../../db/shops';
import { requireRole, requireShop, shopFilter } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

export const ShopRegistrationBody = z.object({
  shopId: z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"'),
  region: z.enum(SUPPORTED_REGIONS),
  displayName: z.string().trim().min(1).max(200),
});
export type ShopRegistrationBody = z.infer<typeof ShopRegistrationBody>;

const ShopParams = z.object({ shopId: ShopRegistrationBody.shape.shopId });

/** Waits (briefly) until the workflow has applied the latest registration, then returns its state. */
async function shopStateAfter(deps: Pick<ApiDeps, 'temporal'>, shopId: string, expect: ShopRegistrationBody) {
  const handle = deps.temporal.workflow.getHandle(shopWorkflowId(shopId));
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      const state = await handle.query(getShopQuery);
      if (state.displayName === expect.displayName && state.region === expect.region) return state;
    } catch (err) {
      if (Date.now() > deadline) throw err;
    }
    if (Date.now() > deadline) throw new HttpError(504, 'timeout', 'the shop workflow did not answer in time');
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Shops: registration (the shopLifecycle workflow) and the shop's state from its workflow. */
export function shopLifecycleRoutes(deps: ApiDeps): Router {
  const router = Router();
  const shops = createShopRepository(deps.db);

  router.post('/v1/shops', requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const body = parseOr400(ShopRegistrationBody, req.body, 'body');
    requireShop(req, body.shopId);
    const region = await shops.region(body.shopId);
    const existed = region !== undefined;
    // The region selects every platform rule the shop's workflows apply (policy/): moving a live shop is an admin's
    // decision, not something a warehouse or dashboard key may do by re-registering.
    if (existed && region !== body.region && req.auth?.role !== 'admin') {
      throw new HttpError(403, 'forbidden', `changing shop ${body.shopId}'s region needs the admin role`);
    }
    await registerShop({ temporal: deps.temporal, cfg: deps.config }, body);
    const state = await shopStateAfter(deps, body.shopId, body);
    res
      .status(existed ? 200 : 201)
      .location(`/v1/shops/${encodeURIComponent(body.shopId)}`)
      .json(state);
  });

  router.get('/v1/shops', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    res.json({ shops: await shops.list(shopFilter(req)) });
  });

  router.get('/v1/shops/:shopId', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    let state: ShopState;
    try {
      state = await deps.temporal.workflow.getHandle(shopWorkflowId(shopId)).query(getShopQuery);
    } catch (err) {
      if (err instanceof WorkflowNotFoundError)
        throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
      throw err;
    }
    res.json(state);
  });

  return router;
}
