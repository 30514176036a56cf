// Create Product (POST /product/202309/products), the part the emulator checks: title, description, category,
// main images and certification images/files that must come from this app's uploads (uploads.ts), SKUs with price
// and warehouse stock, package weight, save mode. Codes: the page's list,
// https://partner.tiktokshop.com/docv2/page/create-product-202309 (errorCodes.ts). Categories, attributes, brands,
// size charts and listing rules are not emulated: any numeric category id is accepted. `idempotency_key` (body,
// up to 128 characters) is handled by the pipeline (openApi.ts).
import { coded } from './errorCodes';
import { seedProduct, startAudit } from './inventory';
import type { Platform } from './platform';
import type { Json } from './util';
import { asObject, optNumber, optString, paramError } from './util';

const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);

function uploaded(p: Platform, appKey: string, kind: 'image' | 'file', reference: string | undefined): boolean {
  if (reference === undefined) return false;
  for (const u of p.state.uploads.values()) {
    if (u.kind === kind && u.appKey === appKey && u.reference === reference) return true;
  }
  return false;
}

export function createProduct(p: Platform, appKey: string, shopId: string, body: Json, productIdsOut: string[]): Json {
  const title = optString(body.title);
  if (!title) throw coded('product_title_missing', 'product name is empty');
  if (!optString(body.description)) throw coded('product_description_missing', 'The product description is required');
  if (!/^\d+$/.test(optString(body.category_id) ?? ''))
    throw coded('product_category_invalid', 'Incorrect category format');
  const mainImages = objects(body.main_images);
  if (mainImages.length === 0) throw coded('product_main_image_missing', 'Main product image is required');
  for (const image of mainImages) {
    if (!uploaded(p, appKey, 'image', optString(image.uri))) {
      throw coded('product_main_image_unknown', 'product main image uri illegal');
    }
  }
  for (const cert of objects(body.certifications)) {
    for (const image of objects(cert.images)) {
      if (!uploaded(p, appKey, 'image', optString(image.uri))) {
        throw coded('product_certification_image_unknown', 'product qualification image uri illegal');
      }
    }
    for (const file of objects(cert.files)) {
      if (!uploaded(p, appKey, 'file', optString(file.id))) {
        throw coded('product_certification_file_unknown', 'product qualification file uri illegal');
      }
    }
  }
  const weight = asObject(body.package_weight);
  if (!((optNumber(weight.value) ?? 0) > 0) || !optString(weight.unit)) {
    throw coded('product_package_weight_invalid', 'product package weight is invalid');
  }
  const skus = objects(body.skus);
  if (skus.length === 0) throw paramError('param body.skus is missing');
  if (skus.length > 100) throw coded('product_sku_count', 'A single product cannot have more than 100 different SKUs');
  const seeded = skus.map((sku) => {
    const price = asObject(sku.price);
    const amount = optString(price.amount) ?? optString(price.sale_price);
    if (!amount || !/^\d+(\.\d{1,2})?$/.test(amount) || Number(amount) <= 0) {
      throw coded('product_price_invalid', 'The product price is invalid');
    }
    const inventory = objects(sku.inventory).map((i) => {
      const warehouseId = optString(i.warehouse_id) ?? '';
      if (p.state.warehouses.get(warehouseId)?.shopId !== shopId) {
        throw coded('warehouse_not_found', 'The warehouse does not exist');
      }
      const quantity = optNumber(i.quantity) ?? 0;
      if (!Number.isInteger(quantity) || quantity < 0 || quantity > p.clock.rules.maxInventoryQuantity) {
        throw coded(
          'product_quantity_invalid',
          'The SKU inventory quantity for the warehouse must be within allowed limits.',
        );
      }
      return { warehouse_id: warehouseId, quantity };
    });
    if (inventory.length === 0) throw paramError('param body.skus.inventory is missing');
    return {
      seller_sku: optString(sku.seller_sku),
      price: amount,
      currency: optString(price.currency) ?? 'USD',
      inventory,
    };
  });
  const saveMode = optString(body.save_mode) ?? 'LISTING';
  if (saveMode !== 'LISTING' && saveMode !== 'AS_DRAFT') throw paramError('param body.save_mode is invalid');
  const product = seedProduct(p, shopId, { title, status: 'DRAFT', skus: seeded });
  product.auditStatus = 'NONE';
  // LISTING sends the product to audit: PENDING, then ACTIVATE once the audit completes (rules.auditDurationMs).
  if (saveMode === 'LISTING') startAudit(p, product, p.clock.now());
  productIdsOut.push(product.id);
  return {
    product_id: product.id,
    skus: product.skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku, sales_attributes: [] })),
    warnings: [],
  };
}
