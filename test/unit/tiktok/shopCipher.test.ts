import { test } from 'node:test';
import assert from 'node:assert/strict';
import { takesShopCipher } from '../../../integrations/tiktok/shopCipher';

void test('§2.5 endpoints without shop_cipher', () => {
  const none: [Parameters<typeof takesShopCipher>[0], string][] = [
    ['GET', '/authorization/202309/shops'],
    ['GET', '/authorization/202405/category_assets'],
    ['GET', '/seller/202309/shops'],
    ['GET', '/seller/202309/permissions'],
    ['POST', '/product/202309/images/upload'],
    ['POST', '/product/202309/files/upload'],
    ['POST', '/product/202309/brands'],
    ['POST', '/product/202309/global_products'],
    ['DELETE', '/product/202309/global_products'],
    ['PUT', '/product/202309/global_products/123'],
    ['POST', '/product/202312/global_products/search'],
    ['GET', '/product/202309/global_categories'],
    ['POST', '/product/202309/global_categories/recommend'],
    ['GET', '/product/202309/categories/600001/global_attributes'],
    ['GET', '/product/202309/categories/600001/global_rules'],
    ['POST', '/product/202409/compliance/manufacturers'],
    ['POST', '/product/202501/compliance/responsible_persons/search'],
    ['POST', '/product/202409/compliance/manufacturers/1/partial_edit'],
    ['POST', '/product/202407/sizecharts/search'],
    ['GET', '/logistics/202309/global_warehouses'],
    ['POST', '/fulfillment/202407/bundles'],
    ['POST', '/supply_chain/202309/packages/sync'],
    ['POST', '/affiliate_creator/202410/orders/search'],
    ['GET', '/affiliate_partner/202405/campaigns'],
    ['POST', '/affiliate_seller/202511/images/upload'],
  ];
  for (const [method, path] of none) assert.equal(takesShopCipher(method, path), false, `${method} ${path}`);
});

void test('shop-scoped endpoints take shop_cipher, including near-misses of the exclusion rules', () => {
  const some: [Parameters<typeof takesShopCipher>[0], string][] = [
    ['POST', '/order/202309/orders/search'],
    ['GET', '/order/202309/orders'],
    ['GET', '/product/202309/brands'], // GET brands does take it
    ['GET', '/product/202507/global_listing_rules'],
    ['GET', '/product/202507/products/1/replicated_products'],
    ['POST', '/product/202507/products/1/global_replicate'],
    ['GET', '/product/202309/categories/600001/rules'],
    ['POST', '/fulfillment/202510/first_mile_bundle'],
    ['POST', '/fulfillment/202309/images/upload'],
    ['POST', '/customer_service/202309/images/upload'],
    ['POST', '/affiliate_seller/202410/orders/search'],
    ['GET', '/logistics/202309/warehouses'],
    ['PUT', '/event/202309/webhooks'],
    ['POST', '/return_refund/202309/cancellations/1/approve'],
  ];
  for (const [method, path] of some) assert.equal(takesShopCipher(method, path), true, `${method} ${path}`);
});
