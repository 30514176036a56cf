import { Router, type Request, type Response } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { createShopSettingsRepository, type StoredShopSettings } from '../../db/shopSettings';
import {
  changedPaths,
  effectiveShopSettings,
  mergeShopSettings,
  shopSettingsSchema,
  type ShopSettingsPatch,
} from '../../shopSettings/schema';
import { resolveTaxSettings } from '../../shopSettings/tax';
import { applyReconciliationSettings } from '../../temporal/reconciliation';
import { setTaxReportScheduleTime } from '../../temporal/taxReport';
import { callerIdentity, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';
import { ShopRegistrationBody } from './shopLifecycle';

const ShopParams = z.object({ shopId: ShopRegistrationBody.shape.shopId });
// Any JSON object: what it may hold is checked on the merged result against the full schema, so an issue names
// the setting's full path (returns.autoApprove.maxRefund.amount), whichever part of it the patch sent.
const PatchBody = z.record(z.string(), z.unknown());
const ChangesQuery = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  before: z.coerce.number().int().positive().optional(),
});
// If-Match: the version a client read (GET answers it as the ETag, "3"); `*` or no header: no check.
const IF_MATCH = /^(?:W\/)?"?(\d{1,9})"?$/;

/** The version an If-Match header asks for; undefined: no precondition. */
function expectedVersion(req: Request): number | undefined {
  const header = req.headers['if-match']?.trim();
  if (header === undefined || header === '' || header === '*') return undefined;
  const match = IF_MATCH.exec(header);
  if (!match)
    throw new HttpError(400, 'invalid_request', `If-Match must be a settings version, e.g. "3" (got ${header})`);
  return Number(match[1]);
}

/** The answer of GET and PATCH: the effective settings (defaults merged), version 0 when the shop never saved any. */
function sendSettings(res: Response, shopId: string, stored: StoredShopSettings | undefined): void {
  const version = stored?.version ?? 0;
  res.setHeader('ETag', `"${version}"`);
  res.json({
    shopId,
    version,
    settings: effectiveShopSettings(stored?.settings),
    updatedAt: stored?.updatedAt ?? null,
    updatedBy: stored?.updatedBy ?? null,
  });
}

/** A shop's settings (the seller's choices every human-in-the-loop process reads) and their audit trail. */
export function shopSettingsRoutes(deps: ApiDeps): Router {
  const router = Router();
  const shops = createShopRepository(deps.db);
  const settings = createShopSettingsRepository(deps.db);

  /** The shop of the request: in the key's scope (else 404, as for a shop that does not exist) and registered. */
  async function registeredShop(req: Request): Promise<string> {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if ((await shops.region(shopId)) === undefined) {
      throw new HttpError(404, 'not_found', `shop ${shopId} is not registered`);
    }
    return shopId;
  }

  router.get('/v1/shops/:shopId/settings', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const shopId = await registeredShop(req);
    sendSettings(res, shopId, await settings.get(shopId));
  });

  router.patch('/v1/shops/:shopId/settings', requireRole(deps.apiKeys, 'operator'), async (req, res) => {
    const shopId = await registeredShop(req);
    const ifMatch = expectedVersion(req);
    const patch = parseOr400(PatchBody, req.body, 'body') as ShopSettingsPatch;
    const result = await settings.update(shopId, {
      expectedVersion: ifMatch,
      author: callerIdentity(req),
      next: (stored) => {
        const before = effectiveShopSettings(stored?.settings);
        // Refused inside the transaction: nothing is written (400 with zod's issues at the settings' paths).
        const after = parseOr400(shopSettingsSchema, mergeShopSettings(before, patch), 'body');
        return { before, after };
      },
    });
    if (result.outcome === 'conflict') {
      throw new HttpError(
        412,
        'precondition_failed',
        `shop ${shopId}'s settings are at version ${result.version}, not ${ifMatch}: read them again and reapply the change`,
        { version: result.version },
      );
    }
    // After commit, also when unchanged: a PATCH repeated after a failed hook brings the Schedule up to date.
    const effective = effectiveShopSettings(result.stored?.settings);
    await applyReconciliationSettings({ temporal: deps.temporal }, shopId, effective);
    // The tax report Schedule's calendar follows tax.timeZone and tax.scheduleHour.
    await setTaxReportScheduleTime(
      { temporal: deps.temporal },
      shopId,
      resolveTaxSettings(effective, await shops.region(shopId)),
    );
    sendSettings(res, shopId, result.stored);
  });

  router.get('/v1/shops/:shopId/settings/changes', requireRole(deps.apiKeys, 'viewer'), async (req, res) => {
    const shopId = await registeredShop(req);
    const q = parseOr400(ChangesQuery, req.query, 'query');
    const changes = await settings.changes(shopId, { limit: q.limit, beforeVersion: q.before });
    res.json({
      shopId,
      changes: changes.map((c) => ({
        version: c.version,
        changedAt: c.changedAt,
        changedBy: c.changedBy,
        changedByKeyId: c.changedByKeyId,
        changed: changedPaths(c.before, c.after),
        before: c.before,
        after: c.after,
      })),
    });
  });

  return router;
}
