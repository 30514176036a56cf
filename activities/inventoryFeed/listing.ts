import { createInventoryRepository } from '../../db/inventory';
import { urgentDeadline, type InventoryFeedDeps } from './deps';
import { createPushLog } from './pushLog';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

export interface ListingItem {
  sellerSku: string;
  skuId: string;
  quantity: number;
  version: number;
  stockEventAt: string | null;
}

/** Step: take a sold-out product off sale (Deactivate Products) or back on (Activate Product), and confirm it. */
export function createListingActivities(deps: Pick<InventoryFeedDeps, 'db' | 'tiktok' | 'tokens'>) {
  const inventory = createInventoryRepository(deps.db);
  const logRows = createPushLog(deps.db);

  return {
    /** Deactivate Products (sold out, 0 refused) or Activate Product (restocked); logs one row per SKU. */
    async setProductListing(input: {
      shopId: string;
      productId: string;
      action: 'deactivate' | 'activate';
      reason: string;
      skus: ListingItem[];
      urgent: boolean;
    }): Promise<{ accepted: boolean; logIds: string[]; code: number | null }> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const requestedAt = new Date();
      const endpoint = input.action === 'deactivate' ? endpoints.deactivateProducts : endpoints.activateProducts;
      const { errors } = await callEndpoint(
        deps.tiktok.client,
        endpoint,
        shop,
        { product_ids: [input.productId] },
        input.urgent ? { deadline: urgentDeadline() } : {},
      );
      const error = errors[0];
      const logIds = await logRows(input, input.action, input.skus, requestedAt, () =>
        error
          ? { outcome: 'refused', detail: JSON.stringify(error).slice(0, 2000) }
          : { outcome: 'requested', detail: input.reason },
      );
      return { accepted: error === undefined, logIds, code: error?.code ?? null };
    },

    /**
     * Get Product: the product's status. With `confirm`, rows of a deactivation (or activation) are confirmed when the
     * status matches, and marked unconfirmed on the final attempt.
     */
    async readProductListing(input: {
      shopId: string;
      productId: string;
      confirm?: { expect: 'deactivated' | 'active'; logIds: string[]; final: boolean };
    }): Promise<string> {
      const shop = await deps.tokens.shopRef(input.shopId);
      const product = await callEndpoint(
        deps.tiktok.client,
        endpoints.getProduct,
        shop,
        { product_id: input.productId },
        input.confirm?.expect === 'deactivated' ? { deadline: urgentDeadline() } : {},
      );
      const status = product.status ?? 'UNKNOWN';
      const c = input.confirm;
      if (c && c.logIds.length > 0) {
        const ok = c.expect === 'deactivated' ? status.endsWith('DEACTIVATED') : status === 'ACTIVATE';
        if (ok) await inventory.confirmPushes(c.logIds);
        else if (c.final) await inventory.markPushesUnconfirmed(c.logIds);
      }
      return status;
    },
  };
}
