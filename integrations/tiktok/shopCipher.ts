// Which endpoints take the `shop_cipher` query parameter (reference §2.1, §2.5 and Appendix A).
// Shop-scoped endpoints require it (106013 when missing); the ones below reject it (36009004 "Unexpected identifier").

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';

interface CipherRule {
  /** Undefined = any method. */
  method?: HttpMethod;
  pattern: RegExp;
}

const V = '\\d{6}'; // the YYYYMM version segment (§1)

// §2.5, cross-checked against the "shop_cipher in query spec = no" rows of Appendix A.
const NO_SHOP_CIPHER: readonly CipherRule[] = [
  { pattern: new RegExp(`^/authorization/${V}/`) }, // Get Authorized Shops, Get Authorized Category Assets
  { pattern: new RegExp(`^/seller/${V}/`) }, // Get Active Shops, Get Seller Permissions
  { method: 'POST', pattern: new RegExp(`^/product/${V}/(images|files)/upload$`) }, // product uploads
  { method: 'POST', pattern: new RegExp(`^/product/${V}/brands$`) }, // Create Custom Brand (GET brands takes it)
  { pattern: new RegExp(`^/product/${V}/global_products(/|$)`) }, // every global product endpoint
  { pattern: new RegExp(`^/product/${V}/global_categories(/|$)`) }, // global categories (+ recommend)
  { pattern: new RegExp(`^/product/${V}/categories/[^/]+/global_(attributes|rules)$`) }, // global attributes/rules
  { pattern: new RegExp(`^/product/${V}/compliance/`) }, // manufacturers, responsible persons
  { method: 'POST', pattern: new RegExp(`^/product/${V}/sizecharts/search$`) },
  { method: 'GET', pattern: new RegExp(`^/logistics/${V}/global_warehouses$`) },
  { method: 'POST', pattern: new RegExp(`^/fulfillment/202407/bundles$`) }, // V2 (/202510/first_mile_bundle) takes it
  { method: 'POST', pattern: new RegExp(`^/supply_chain/${V}/packages/sync$`) },
  { pattern: new RegExp(`^/affiliate_creator/`) },
  { pattern: new RegExp(`^/affiliate_partner/`) },
  { method: 'POST', pattern: new RegExp(`^/affiliate_seller/${V}/images/upload$`) },
];

/** True when the endpoint wants `shop_cipher` in its query; false when sending it would be rejected. */
export function takesShopCipher(method: HttpMethod, path: string): boolean {
  return !NO_SHOP_CIPHER.some(
    (rule) => (rule.method === undefined || rule.method === method) && rule.pattern.test(path),
  );
}
