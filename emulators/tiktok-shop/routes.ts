// Open API route table: exact methods, paths and versions from ref §3.3, §5–§8, §11 and
// Appendix A. `shopCipher` says whether the endpoint takes `shop_cipher` (ref §2.5 lists those that must not).
import {
  getTracking,
  markPackageAsShipped,
  packageDetail,
  searchPackages,
  shipPackage,
  shippingDocument,
  updatePackageShippingInfo,
  updateShippingInfo,
  createPackages,
} from './fulfillment';
import { createProduct } from './createProduct';
import { checkListingPrerequisites, getCategories, getCategoryRules, partialEditProduct } from './categories';
import {
  activateProducts,
  deactivateProducts,
  getProduct,
  inventorySearch,
  searchProducts,
  updateInventory,
} from './inventory';
import { listWarehouses, shippingProviders, warehouseDeliveryOptions } from './logistics';
import { addExternalOrders, getExternalOrders, getOrderDetail, searchByExternalOrder, searchOrders } from './orders';
import type { Platform } from './platform';
import { sec } from './platform';
import {
  approveCancellation,
  approveReturn,
  createReturn,
  rejectCancellation,
  rejectReasons,
  rejectReturn,
  returnRecords,
  searchCancellations,
  searchReturns,
  sellerCancelOrder,
} from './returns';
import {
  createOpenCollaboration,
  createTargetCollaboration,
  editOpenCollaborationSettings,
  getCreatorPerformance,
  getTargetCollaboration,
  removeCreatorFromOpenCollaboration,
  removeTargetCollaboration,
  searchAffiliateOrders,
  searchMarketplaceCreators,
  searchOpenCollaborations,
  searchTargetCollaborations,
  shopVideoPerformance,
  updateTargetCollaboration,
} from './affiliate';
import type { AppConfig, Shop, TokenPair } from './state';
import type { Json } from './util';
import { paramError, reqString } from './util';
import { EVENT_API_TYPES, checkWebhookAddress } from './webhooks';
import { coded } from './errorCodes';
import type { UploadForm } from './uploads';
import { uploadProductFile, uploadProductImage } from './uploads';
import {
  getFbtWarehouses,
  getOrderStatementTransactions,
  getStatementTransactions,
  getStatements,
  getUnsettledTransactions,
  searchFbtInventoryRecords,
} from './taxFinance';

export interface CallIds {
  orderIds: string[];
  skuIds: string[];
  productIds: string[];
  packageIds: string[];
  returnIds: string[];
  /** The after-sales `decision` a call carried (kept in the record to tell a repeat from the next step). */
  decisions: string[];
}

export interface Call {
  p: Platform;
  app: AppConfig;
  token: TokenPair;
  /** Present on shop-scoped routes. */
  shop: Shop;
  query: Record<string, string>;
  body: Json;
  params: Record<string, string>;
  ids: CallIds;
  allowLoopbackWebhookHttp: boolean;
  /** The parsed multipart body, on `multipart` routes. */
  form: UploadForm | null;
}

export interface RouteDef {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  shopCipher: boolean;
  /** Set on mutating endpoints; names the action in the emulator record. */
  action?: string;
  /**
   * Where the endpoint's page documents `idempotency_key` and its maximum length: a repeat with the same key
   * returns the first outcome (openApi.ts). The after-sales writes take it in the query (≤255 characters,
   * e.g. https://partner.tiktokshop.com/docv2/page/approve-cancellation-202309); Create Product in the body (≤128).
   */
  idempotencyKey?: { in: 'query' | 'body'; maxLength: number };
  /** The body is multipart/form-data (uploads); any other content type is refused with 36009023. */
  multipart?: boolean;
  handler: (c: Call) => Json;
}

/** The after-sales writes: `idempotency_key` query parameter, up to 255 characters. */
const AFTERSALES_KEY = { in: 'query', maxLength: 255 } as const;

const shopId = (c: Call): string => c.shop.id;
const param = (c: Call, name: string): string => c.params[name] ?? '';

function webhooksOf(c: Call): Json {
  const list = [...c.p.state.webhookSubscriptions.values()].filter(
    (w) => w.appKey === c.app.appKey && w.shopId === c.shop.id,
  );
  return {
    webhooks: list.map((w) => ({
      event_type: w.eventType,
      address: w.address,
      create_time: sec(w.createTime),
      update_time: sec(w.updateTime),
    })),
    total_count: list.length,
  };
}

function putWebhook(c: Call): Json {
  const address = reqString(c.body, 'address');
  const eventType = reqString(c.body, 'event_type');
  if (!EVENT_API_TYPES.has(eventType)) throw paramError('param body.event_type is invalid');
  const problem = checkWebhookAddress(address, c.allowLoopbackWebhookHttp);
  if (problem) throw coded('invalid_param', problem);
  const key = `${c.app.appKey}|${c.shop.id}|${eventType}`;
  const now = c.p.clock.now();
  const existing = c.p.state.webhookSubscriptions.get(key);
  c.p.state.webhookSubscriptions.set(key, {
    appKey: c.app.appKey,
    shopId: c.shop.id,
    eventType,
    address,
    createTime: existing?.createTime ?? now,
    updateTime: now,
  });
  return {};
}

/** DELETE reports success even when nothing was configured (ref §11.1). */
function deleteWebhook(c: Call): Json {
  const eventType = reqString(c.body, 'event_type');
  c.p.state.webhookSubscriptions.delete(`${c.app.appKey}|${c.shop.id}|${eventType}`);
  return {};
}

function authorizedShops(c: Call): Json {
  const seller = c.p.state.sellers.get(c.token.openId);
  const shops = (seller?.shopIds ?? [])
    .map((id) => c.p.state.shops.get(id))
    .filter((s): s is Shop => s !== undefined && s.authorizedAppKeys.includes(c.app.appKey));
  return {
    shops: shops.map((s) => ({
      id: s.id,
      name: s.name,
      region: s.region,
      seller_type: s.sellerType,
      cipher: s.cipher,
      code: s.code,
    })),
  };
}

function activeShops(c: Call): Json {
  const seller = c.p.state.sellers.get(c.token.openId);
  return { shops: (seller?.shopIds ?? []).map((id) => ({ id, region: c.p.state.shops.get(id)?.region ?? 'US' })) };
}

function track(ids: string[], value: string): string {
  ids.push(value);
  return value;
}

export const ROUTES: RouteDef[] = [
  // authorization / seller (no shop_cipher, ref §2.5, §3.3)
  { method: 'GET', path: '/authorization/202309/shops', shopCipher: false, handler: authorizedShops },
  { method: 'GET', path: '/seller/202309/shops', shopCipher: false, handler: activeShops },
  // event (ref §11.1)
  { method: 'GET', path: '/event/202309/webhooks', shopCipher: true, handler: webhooksOf },
  {
    method: 'PUT',
    path: '/event/202309/webhooks',
    shopCipher: true,
    action: 'update_shop_webhook',
    handler: putWebhook,
  },
  {
    method: 'DELETE',
    path: '/event/202309/webhooks',
    shopCipher: true,
    action: 'delete_shop_webhook',
    handler: deleteWebhook,
  },
  // orders (ref §5.1)
  {
    method: 'POST',
    path: '/order/202309/orders/search',
    shopCipher: true,
    handler: (c) => searchOrders(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'GET',
    path: '/order/202309/orders',
    shopCipher: true,
    handler: (c) => getOrderDetail(c.p, shopId(c), c.query, []),
  },
  {
    method: 'GET',
    path: '/order/202507/orders',
    shopCipher: true,
    handler: (c) => getOrderDetail(c.p, shopId(c), c.query, []),
  },
  {
    method: 'POST',
    path: '/order/202406/orders/external_orders',
    shopCipher: true,
    action: 'add_external_order_references',
    handler: (c) => addExternalOrders(c.p, shopId(c), c.body, c.ids.orderIds),
  },
  {
    method: 'GET',
    path: '/order/202406/orders/{order_id}/external_orders',
    shopCipher: true,
    handler: (c) => getExternalOrders(c.p, shopId(c), param(c, 'order_id'), c.query),
  },
  {
    method: 'POST',
    path: '/order/202406/orders/external_order_search',
    shopCipher: true,
    handler: (c) => searchByExternalOrder(c.p, shopId(c), c.query),
  },
  // fulfillment (ref §6.2)
  {
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/packages',
    shopCipher: true,
    action: 'mark_package_as_shipped',
    handler: (c) =>
      markPackageAsShipped(c.p, shopId(c), track(c.ids.orderIds, param(c, 'order_id')), c.body, c.ids.packageIds),
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages',
    shopCipher: true,
    action: 'create_packages',
    handler: (c) => createPackages(c.p, shopId(c), c.body, { orders: c.ids.orderIds, packages: c.ids.packageIds }),
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/ship',
    shopCipher: true,
    action: 'ship_package',
    handler: (c) =>
      shipPackage(c.p, shopId(c), track(c.ids.packageIds, param(c, 'package_id')), c.body, c.ids.orderIds),
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}',
    shopCipher: true,
    handler: (c) => packageDetail(c.p, shopId(c), param(c, 'package_id')),
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/packages/{package_id}/shipping_documents',
    shopCipher: true,
    handler: (c) => shippingDocument(c.p, shopId(c), param(c, 'package_id'), c.query),
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/orders/{order_id}/shipping_info/update',
    shopCipher: true,
    action: 'update_shipping_info',
    handler: (c) => updateShippingInfo(c.p, shopId(c), track(c.ids.orderIds, param(c, 'order_id')), c.body),
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/{package_id}/shipping_info/update',
    shopCipher: true,
    action: 'update_package_shipping_info',
    handler: (c) =>
      updatePackageShippingInfo(
        c.p,
        shopId(c),
        track(c.ids.packageIds, param(c, 'package_id')),
        c.body,
        c.ids.orderIds,
      ),
  },
  {
    method: 'GET',
    path: '/fulfillment/202309/orders/{order_id}/tracking',
    shopCipher: true,
    handler: (c) => getTracking(c.p, shopId(c), param(c, 'order_id')),
  },
  {
    method: 'POST',
    path: '/fulfillment/202309/packages/search',
    shopCipher: true,
    handler: (c) => searchPackages(c.p, shopId(c), c.query, c.body),
  },
  // logistics (ref §6.3)
  {
    method: 'GET',
    path: '/logistics/202309/warehouses',
    shopCipher: true,
    handler: (c) => listWarehouses(c.p, shopId(c)),
  },
  {
    method: 'GET',
    path: '/logistics/202309/warehouses/{warehouse_id}/delivery_options',
    shopCipher: true,
    handler: (c) => warehouseDeliveryOptions(c.p, shopId(c), param(c, 'warehouse_id')),
  },
  {
    method: 'GET',
    path: '/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers',
    shopCipher: true,
    handler: (c) => shippingProviders(param(c, 'delivery_option_id')),
  },
  // products and inventory (ref §7.2)
  {
    method: 'POST',
    path: '/product/202309/products/search',
    shopCipher: true,
    handler: (c) => searchProducts(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/product/202502/products/search',
    shopCipher: true,
    handler: (c) => searchProducts(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/product/202309/products',
    shopCipher: true,
    action: 'create_product',
    // https://partner.tiktokshop.com/docv2/page/create-product-202309: body `idempotency_key`, up to 128 characters.
    idempotencyKey: { in: 'body', maxLength: 128 },
    handler: (c) => createProduct(c.p, c.app.appKey, shopId(c), c.body, c.ids.productIds),
  },
  {
    method: 'GET',
    path: '/product/202309/products/{product_id}',
    shopCipher: true,
    handler: (c) => getProduct(c.p, shopId(c), param(c, 'product_id')),
  },
  {
    method: 'POST',
    path: '/product/202309/products/{product_id}/inventory/update',
    shopCipher: true,
    action: 'update_inventory',
    handler: (c) =>
      updateInventory(c.p, shopId(c), track(c.ids.productIds, param(c, 'product_id')), c.body, c.ids.skuIds),
  },
  {
    method: 'POST',
    path: '/product/202309/inventory/search',
    shopCipher: true,
    handler: (c) => inventorySearch(c.p, shopId(c), c.body),
  },
  {
    method: 'POST',
    path: '/product/202309/products/activate',
    shopCipher: true,
    action: 'activate_products',
    handler: (c) => activateProducts(c.p, shopId(c), c.body, c.ids.productIds),
  },
  {
    method: 'POST',
    path: '/product/202309/products/deactivate',
    shopCipher: true,
    action: 'deactivate_products',
    handler: (c) => deactivateProducts(c.p, shopId(c), c.body, c.ids.productIds),
  },
  // uploads (ref §7.2): multipart, no shop_cipher, the body is not signed
  {
    method: 'POST',
    path: '/product/202309/images/upload',
    shopCipher: false,
    multipart: true,
    action: 'upload_product_image',
    handler: (c) => uploadProductImage(c.p, c.app.appKey, c.form),
  },
  {
    method: 'POST',
    path: '/product/202309/files/upload',
    shopCipher: false,
    multipart: true,
    action: 'upload_product_file',
    handler: (c) => uploadProductFile(c.p, c.app.appKey, c.form),
  },
  // return and refund (ref §8)
  {
    method: 'POST',
    path: '/return_refund/202309/returns/search',
    shopCipher: true,
    handler: (c) => searchReturns(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/approve',
    shopCipher: true,
    action: 'approve_return',
    idempotencyKey: AFTERSALES_KEY,
    handler: (c) => approveReturn(c.p, shopId(c), param(c, 'return_id'), c.body, c.ids),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns/{return_id}/reject',
    shopCipher: true,
    action: 'reject_return',
    idempotencyKey: AFTERSALES_KEY,
    handler: (c) => rejectReturn(c.p, c.app.appKey, shopId(c), param(c, 'return_id'), c.body, c.ids),
  },
  {
    // https://partner.tiktokshop.com/docv2/page/get-return-records-202309
    method: 'GET',
    path: '/return_refund/202309/returns/{return_id}/records',
    shopCipher: true,
    handler: (c) => returnRecords(c.p, shopId(c), param(c, 'return_id')),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/search',
    shopCipher: true,
    handler: (c) => searchCancellations(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/approve',
    shopCipher: true,
    action: 'approve_cancellation',
    idempotencyKey: AFTERSALES_KEY,
    handler: (c) => approveCancellation(c.p, shopId(c), param(c, 'cancel_id'), c.ids.orderIds),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations/{cancel_id}/reject',
    shopCipher: true,
    action: 'reject_cancellation',
    idempotencyKey: AFTERSALES_KEY,
    handler: (c) => rejectCancellation(c.p, shopId(c), param(c, 'cancel_id'), c.body, c.ids.orderIds),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/cancellations',
    shopCipher: true,
    action: 'cancel_order',
    handler: (c) => sellerCancelOrder(c.p, shopId(c), c.body, c.ids.orderIds),
  },
  {
    method: 'POST',
    path: '/return_refund/202309/returns',
    shopCipher: true,
    action: 'create_return',
    idempotencyKey: AFTERSALES_KEY,
    handler: (c) => createReturn(c.p, shopId(c), c.body, c.ids),
  },
  {
    method: 'GET',
    path: '/return_refund/202309/reject_reasons',
    shopCipher: true,
    handler: (c) => rejectReasons(c.p, shopId(c), c.query),
  },
  // categories, listing rules and prerequisites, Partial Edit Product (issue 19; categories.ts)
  {
    method: 'GET',
    path: '/product/202309/categories',
    shopCipher: true,
    handler: (c) => getCategories(c.p, shopId(c), c.query),
  },
  {
    method: 'GET',
    path: '/product/202309/categories/{category_id}/rules',
    shopCipher: true,
    handler: (c) => getCategoryRules(c.p, shopId(c), param(c, 'category_id'), c.query),
  },
  // ECOM and HSIB call 202309; the published page is 202312
  {
    method: 'GET',
    path: '/product/202312/prerequisites',
    shopCipher: true,
    handler: (c) => checkListingPrerequisites(c.p, shopId(c)),
  },
  {
    method: 'GET',
    path: '/product/202309/prerequisites',
    shopCipher: true,
    handler: (c) => checkListingPrerequisites(c.p, shopId(c)),
  },
  ...['202309', '202509'].map((version): RouteDef => ({
    method: 'POST',
    path: `/product/${version}/products/{product_id}/partial_edit`,
    shopCipher: true,
    action: 'partial_edit_product',
    handler: (c) =>
      partialEditProduct(c.p, c.app.appKey, shopId(c), track(c.ids.productIds, param(c, 'product_id')), c.body),
  })),
  // finance and FBT (issue 20; taxFinance.ts)
  {
    method: 'GET',
    path: '/finance/202309/statements',
    shopCipher: true,
    handler: (c) => getStatements(c.p, shopId(c), c.query),
  },
  {
    method: 'GET',
    path: '/finance/202501/statements/{statement_id}/statement_transactions',
    shopCipher: true,
    handler: (c) => getStatementTransactions(c.p, shopId(c), param(c, 'statement_id'), c.query),
  },
  {
    method: 'GET',
    path: '/finance/202501/orders/{order_id}/statement_transactions',
    shopCipher: true,
    handler: (c) => getOrderStatementTransactions(c.p, shopId(c), param(c, 'order_id')),
  },
  {
    method: 'GET',
    path: '/finance/202507/orders/unsettled',
    shopCipher: true,
    handler: (c) => getUnsettledTransactions(c.p, shopId(c), c.query),
  },
  { method: 'GET', path: '/fbt/202408/warehouses', shopCipher: true, handler: (c) => getFbtWarehouses(c.p, shopId(c)) },
  {
    method: 'POST',
    path: '/fbt/202410/inventory_records/search',
    shopCipher: true,
    handler: (c) => searchFbtInventoryRecords(c.p, shopId(c), c.query, c.body),
  },
  // affiliate seller (ref §9.1; issue 21)
  {
    method: 'POST',
    path: '/affiliate_seller/202410/orders/search',
    shopCipher: true,
    handler: (c) => searchAffiliateOrders(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202412/open_collaborations/search',
    shopCipher: true,
    handler: (c) => searchOpenCollaborations(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202412/open_collaborations',
    shopCipher: true,
    action: 'create_open_collaboration',
    handler: (c) => createOpenCollaboration(c.p, shopId(c), c.body, c.ids.productIds),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202405/open_collaboration_settings',
    shopCipher: true,
    action: 'edit_open_collaboration_settings',
    handler: (c) => editOpenCollaborationSettings(c.p, shopId(c), c.body),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202508/open_collaborations/{open_collaboration_id}/remove_creator',
    shopCipher: true,
    action: 'remove_creator_from_open_collaboration',
    handler: (c) => removeCreatorFromOpenCollaboration(c.p, shopId(c), param(c, 'open_collaboration_id'), c.body),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202508/target_collaborations/search',
    shopCipher: true,
    handler: (c) => searchTargetCollaborations(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'GET',
    path: '/affiliate_seller/202508/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    handler: (c) => getTargetCollaboration(c.p, shopId(c), param(c, 'target_collaboration_id')),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202508/target_collaborations',
    shopCipher: true,
    action: 'create_target_collaboration',
    handler: (c) => createTargetCollaboration(c.p, shopId(c), c.body, c.ids.productIds),
  },
  {
    method: 'PUT',
    path: '/affiliate_seller/202508/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    action: 'update_target_collaboration',
    handler: (c) =>
      updateTargetCollaboration(c.p, shopId(c), param(c, 'target_collaboration_id'), c.body, c.ids.productIds),
  },
  {
    method: 'DELETE',
    path: '/affiliate_seller/202409/target_collaborations/{target_collaboration_id}',
    shopCipher: true,
    action: 'remove_target_collaboration',
    handler: (c) => removeTargetCollaboration(c.p, shopId(c), param(c, 'target_collaboration_id')),
  },
  {
    method: 'POST',
    path: '/affiliate_seller/202508/marketplace_creators/search',
    shopCipher: true,
    handler: (c) => searchMarketplaceCreators(c.p, shopId(c), c.query, c.body),
  },
  {
    method: 'GET',
    path: '/affiliate_seller/202508/marketplace_creators/{creator_user_id}',
    shopCipher: true,
    handler: (c) => getCreatorPerformance(c.p, shopId(c), param(c, 'creator_user_id')),
  },
  // analytics (Appendix A): the videos promoting the shop's products
  {
    method: 'GET',
    path: '/analytics/202409/shop_videos/performance',
    shopCipher: true,
    handler: (c) => shopVideoPerformance(c.p, shopId(c), c.query),
  },
];

export interface RouteMatch {
  route: RouteDef;
  params: Record<string, string>;
}

function matchTemplate(template: string, path: string, anyVersion: boolean): Record<string, string> | null {
  const t = template.split('/');
  const s = path.split('/');
  if (t.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < t.length; i++) {
    const seg = t[i] ?? '';
    const val = s[i] ?? '';
    if (seg.startsWith('{') && seg.endsWith('}')) {
      if (val === '') return null;
      params[seg.slice(1, -1)] = decodeURIComponent(val);
    } else if (anyVersion && i === 2 && /^\d{6}$/.test(seg) && /^\d{6}$/.test(val)) {
      continue;
    } else if (seg !== val) {
      return null;
    }
  }
  return params;
}

/** Finds the route; distinguishes bad path (36009009), bad method (36009010) and bad version (36009014). */
export function resolveRoute(method: string, path: string): RouteMatch {
  const normalized = path.length > 1 ? path.replace(/\/+$/, '') : path;
  let methodMismatch = false;
  for (const route of ROUTES) {
    const params = matchTemplate(route.path, normalized, false);
    if (!params) continue;
    if (route.method === method) return { route, params };
    methodMismatch = true;
  }
  if (methodMismatch) throw coded('invalid_method', 'Invalid HTTP method');
  if (ROUTES.some((r) => matchTemplate(r.path, normalized, true))) {
    throw coded('invalid_version', 'The version name is invalid, please check and retry.');
  }
  throw coded('invalid_path', 'Invalid path');
}
