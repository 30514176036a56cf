import type { TikTokSkuRef } from '../../integrations/erp/catalogExport';
import type { TikTokClient } from '../../integrations/tiktok/client';
import type { ShopRef } from '../../integrations/tiktok/common';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';

/** Matching a catalog to TikTok: the shop's TikTok SKUs of given seller_skus (Search Products, then Get Product). */
export function createTikTokSkuLookup(deps: { tiktok: { client: TikTokClient } }) {
  /**
   * The TikTok SKUs (with their warehouses) of every product that has one of these seller_skus; `products` keeps each
   * product's Get Product across the chunks of one attempt.
   */
  async function tiktokSkus(
    shop: ShopRef,
    sellerSkus: string[],
    products: Map<string, Promise<TikTokSkuRef[]>>,
  ): Promise<TikTokSkuRef[]> {
    const productIds = new Set<string>();
    for (let i = 0; i < sellerSkus.length; i += 50) {
      let pageToken: string | undefined;
      do {
        const page = await callEndpoint(deps.tiktok.client, endpoints.searchProducts, shop, {
          page_size: 100,
          page_token: pageToken,
          seller_skus: sellerSkus.slice(i, i + 50),
        });
        for (const p of page.products) productIds.add(p.id);
        pageToken = page.next_page_token || undefined;
      } while (pageToken);
    }
    const refs: TikTokSkuRef[] = [];
    for (const productId of productIds) {
      let skus = products.get(productId);
      if (!skus) {
        skus = skusOf(shop, productId);
        products.set(productId, skus);
      }
      refs.push(...(await skus));
    }
    return refs;
  }

  async function skusOf(shop: ShopRef, productId: string): Promise<TikTokSkuRef[]> {
    const product = await callEndpoint(deps.tiktok.client, endpoints.getProduct, shop, { product_id: productId });
    return product.skus.flatMap((s) =>
      s.seller_sku
        ? [
            {
              productId,
              skuId: s.id,
              sellerSku: s.seller_sku,
              warehouseIds: (s.inventory ?? []).map((w) => w.warehouse_id).filter((w): w is string => Boolean(w)),
              productTitle: product.title,
            },
          ]
        : [],
    );
  }

  return tiktokSkus;
}
