import { createCarrierTrackerRepository } from '../../db/carrierTrackers';
import { createEvidenceBundleRepository } from '../../db/evidenceBundles';
import type { EvidenceData } from '../../evidence/bundleDocument';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { TikTokNotFound } from '../../integrations/tiktok/errors';
import type { BuildEvidenceBundleInput, EvidenceBundleActivityDeps } from './index';

/**
 * Step: gather a case's evidence. From TikTok: the order with its lines and the delivery address as Get Order Detail
 * returns it, and the order's tracking (Get Tracking). From our tables: the carrier history last stored for the order
 * and our own records of it (db/evidenceBundles.ts).
 */
export function createEvidenceGathering(deps: Pick<EvidenceBundleActivityDeps, 'db' | 'tiktok' | 'tokens'>) {
  const bundles = createEvidenceBundleRepository(deps.db);
  const trackers = createCarrierTrackerRepository(deps.db);
  const client = deps.tiktok.client;
  return async (input: BuildEvidenceBundleInput): Promise<EvidenceData> => {
    const shop = await deps.tokens.shopRef(input.shopId);
    const orders = await callEndpoint(client, endpoints.getOrderDetail, shop, { ids: [input.orderId] });
    const order = orders.find((o) => o.id === input.orderId);
    let tiktokTracking: EvidenceData['tiktokTracking'] = [];
    if (order) {
      try {
        tiktokTracking = await callEndpoint(client, endpoints.getTracking, shop, { order_id: input.orderId });
      } catch (err) {
        // An order not shipped yet has no tracking: the section says so.
        if (!(err instanceof TikTokNotFound)) throw err;
      }
    }
    const carrier = await trackers.latest(input.shopId, input.orderId);
    return {
      shopId: input.shopId,
      caseKind: input.caseKind,
      caseId: input.caseId,
      orderId: input.orderId,
      ...(order ? { order } : {}),
      tiktokTracking,
      ...(carrier ? { carrier } : {}),
      eventLog: await bundles.orderEventLog(input.shopId, input.orderId),
    };
  };
}
