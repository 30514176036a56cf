import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createOrderRepository } from '../../db/orders';
import { createShopSettingsRepository } from '../../db/shopSettings';
import { effectiveShopSettings } from '../../shopSettings/schema';
import { createCarrierTracking, type ShipmentToTrack } from '../carrierTracking';
import type { ShopRef } from '../../integrations/tiktok/common';
import { isTikTokFailure } from '../../integrations/tiktok/errors';
import type { TikTokOrder } from '../../integrations/tiktok/orders';
import type { ShipmentPackage, ShippedPackage } from '../../workflows/orderAcknowledgment/messages';
import { UNKNOWN_CARRIER } from '../../workflows/shared/failureTypes';
import type { OrderActivityDeps } from './deps';
import { callOpts, type OrderDetail } from './orderRead';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

// TikTok codes meaning "this package is already shipped" (ref §6.2, docs/tiktok-shop-api-sources.md): the mutation is
// already done.
export const ALREADY_SHIPPED_CODES = new Set([21008099, 11006021]);

/** The package already holding these line items (all of them when none are given), if TikTok has one. */
function existingPackage(order: TikTokOrder, lineItemIds: string[] | undefined, trackingNumber?: string) {
  const items = order.line_items.filter((li) => !lineItemIds || lineItemIds.includes(li.id));
  const withPackage = items.filter((li) => li.package_id && (!trackingNumber || li.tracking_number === trackingNumber));
  if (items.length === 0 || withPackage.length !== items.length) return undefined;
  const ids = new Set(withPackage.map((li) => li.package_id!));
  return ids.size === 1 ? withPackage[0] : undefined;
}

/** Step: the warehouse reports a shipment; the packages are marked shipped on TikTok and recorded. */
export function createShipmentActivities(deps: OrderActivityDeps, orderDetail: OrderDetail) {
  const client = deps.tiktok.client;
  const orders = createOrderRepository(deps.db);
  const settings = createShopSettingsRepository(deps.db);
  const carrierTracking = createCarrierTracking(deps);

  /**
   * Where the shop enables carrierTracking.trackAtShipment, each shipped package's carrier tracker is created now, so
   * its scans arrive by webhook from the first one. Best effort: the shipment is done and recorded whatever EasyPost
   * answers (a case opened later creates the tracker then).
   */
  async function trackAtShipment(shopId: string, orderId: string, packages: ShipmentToTrack[]): Promise<void> {
    const stored = await settings.get(shopId);
    if (!effectiveShopSettings(stored?.settings).carrierTracking.trackAtShipment) return;
    for (const p of packages) {
      try {
        await carrierTracking.track(shopId, orderId, p);
      } catch (err) {
        log.warn('carrier tracker not created at shipment', { shopId, orderId, error: (err as Error).message });
      }
    }
  }

  async function providerIdFor(shop: ShopRef, warehouseId: string, carrier: string, deadline?: string) {
    const options = await callEndpoint(
      client,
      endpoints.getWarehouseDeliveryOptions,
      shop,
      { warehouse_id: warehouseId },
      callOpts(deadline),
    );
    const wanted = carrier.trim().toLowerCase();
    const known: string[] = [];
    // Seller shipping uses the SEND_BY_SELLER options' providers (ref §6.3, docs/tiktok-shop-api-sources.md); others
    // come last.
    const ordered = [...options].sort(
      (a, b) => Number(b.type === 'SEND_BY_SELLER') - Number(a.type === 'SEND_BY_SELLER'),
    );
    for (const option of ordered) {
      const providers = await callEndpoint(
        client,
        endpoints.getShippingProviders,
        shop,
        { delivery_option_id: option.id },
        callOpts(deadline),
      ).catch((err: unknown) => {
        // A TikTok-fulfilled option has no providers (21008116/21008117): skip it.
        if (isTikTokFailure(err, 'TikTokInvalidRequest')) return [];
        throw err;
      });
      const match = providers.find((p) => (p.name ?? '').trim().toLowerCase() === wanted);
      if (match) return match.id;
      known.push(...providers.map((p) => p.name ?? p.id));
    }
    throw ApplicationFailure.nonRetryable(
      `carrier "${carrier}" is not a shipping provider of warehouse ${warehouseId} (known: ${[...new Set(known)].join(', ')})`,
      UNKNOWN_CARRIER,
    );
  }

  return {
    /** Seller shipping: Mark Package As Shipped per package, idempotently (reads the order first). */
    async shipPackages(input: {
      shopId: string;
      orderId: string;
      warehouseId?: string;
      packages: ShipmentPackage[];
      deadline?: string;
    }): Promise<ShippedPackage[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      let order = await orderDetail(shop, input.orderId, input.deadline);
      const warehouseId = input.warehouseId ?? order.warehouse_id;
      if (!warehouseId)
        throw ApplicationFailure.nonRetryable(`order ${input.orderId} has no warehouse`, UNKNOWN_CARRIER);
      const shipped: ShippedPackage[] = [];
      for (const p of input.packages) {
        const shippingProviderId = await providerIdFor(shop, warehouseId, p.carrier, input.deadline);
        let done = existingPackage(order, p.lineItemIds, p.trackingNumber);
        if (!done) {
          try {
            const res = await callEndpoint(
              client,
              endpoints.markPackageAsShipped,
              shop,
              {
                order_id: input.orderId,
                tracking_number: p.trackingNumber,
                shipping_provider_id: shippingProviderId,
                order_line_item_ids: p.lineItemIds,
              },
              callOpts(input.deadline),
            );
            done = { package_id: res.package_id } as TikTokOrder['line_items'][number];
          } catch (err) {
            if (!(isTikTokFailure(err, 'TikTokStateConflict') && ALREADY_SHIPPED_CODES.has(err.code ?? 0))) throw err;
            order = await orderDetail(shop, input.orderId, input.deadline);
            done = existingPackage(order, p.lineItemIds);
            if (!done) throw err;
          }
        }
        const pkg: ShippedPackage = {
          packageId: done.package_id!,
          trackingNumber: p.trackingNumber,
          carrier: p.carrier,
          shippingProviderId,
        };
        await orders.saveShipment(
          input.shopId,
          input.orderId,
          pkg,
          p.lineItemIds ?? order.line_items.map((li) => li.id),
        );
        shipped.push(pkg);
      }
      await trackAtShipment(
        input.shopId,
        input.orderId,
        shipped.flatMap((p) =>
          p.trackingNumber ? [{ trackingNumber: p.trackingNumber, carrierName: p.carrier }] : [],
        ),
      );
      return shipped;
    },

    /** TikTok Shipping: Create Packages (unless one exists), Ship Package, then the shipping label (§6.2). */
    async shipWithTikTok(input: {
      shopId: string;
      orderId: string;
      lineItemIds?: string[];
      deadline?: string;
    }): Promise<ShippedPackage[]> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const order = await orderDetail(shop, input.orderId, input.deadline);
      const packageId =
        existingPackage(order, input.lineItemIds)?.package_id ??
        (
          await callEndpoint(
            client,
            endpoints.createPackages,
            shop,
            { order_id: input.orderId, order_line_item_ids: input.lineItemIds },
            callOpts(input.deadline),
          )
        ).package_id;
      try {
        await callEndpoint(client, endpoints.shipPackage, shop, { package_id: packageId }, callOpts(input.deadline));
      } catch (err) {
        if (!(isTikTokFailure(err, 'TikTokStateConflict') && ALREADY_SHIPPED_CODES.has(err.code ?? 0))) throw err;
      }
      const doc = await callEndpoint(
        client,
        endpoints.getPackageShippingDocument,
        shop,
        { package_id: packageId, document_type: 'SHIPPING_LABEL' },
        callOpts(input.deadline),
      );
      const pkg: ShippedPackage = { packageId, trackingNumber: doc.tracking_number, labelUrl: doc.doc_url };
      await orders.saveShipment(
        input.shopId,
        input.orderId,
        pkg,
        input.lineItemIds ?? order.line_items.map((li) => li.id),
      );
      // TikTok Shipping names no carrier here: EasyPost detects it from the tracking number.
      if (pkg.trackingNumber)
        await trackAtShipment(input.shopId, input.orderId, [{ trackingNumber: pkg.trackingNumber }]);
      return [pkg];
    },
  };
}
