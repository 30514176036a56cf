// Create Product (POST /product/202309/products), the part the emulator checks: title, description, category,
// main images and certification images/files that must come from this app's uploads (uploads.ts), SKUs with price
// and warehouse stock, package weight, save mode. Codes: the page's list,
// https://partner.tiktokshop.com/docv2/page/create-product-202309 (errorCodes.ts). Categories, attributes, brands,
// size charts and listing rules are not emulated; a category of the emulator's tree must be open to the shop (or its
// application under review) and its certification rules apply (categories.ts); any other numeric id is accepted. `idempotency_key` (body,
// up to 128 characters) is handled by the pipeline (openApi.ts).
import { categoryChain, categoryOpenFor, parseCertifications, uploadedBy } from './categories';
import { coded } from './errorCodes';
import { seedProduct, startAudit } from './inventory';
import type { Platform } from './platform';
import type { Json } from './util';
import { asObject, optNumber, optString, paramError } from './util';

const objects = (v: unknown): Json[] => (Array.isArray(v) ? v.map(asObject) : []);

const uploaded = (p: Platform, appKey: string, kind: 'image' | 'file', reference: string | undefined): boolean =>
  reference !== undefined && uploadedBy(p, appKey, kind, reference);

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
  // A category of the emulator's tree (categories.ts) must be open to the shop, or waiting for its approval; its
  // rules check the certifications. Another numeric id is taken as before (only the uploads are checked).
  const categoryId = optString(body.category_id) ?? '';
  const known = categoryChain(categoryId).length > 0;
  if (known) categoryOpenFor(p, shopId, categoryId);
  const certifications =
    body.certifications === undefined
      ? []
      : parseCertifications(p, appKey, { shopId, categoryId: known ? categoryId : null }, body.certifications);
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
  product.preApprovedReasons = [];
  product.categoryId = known ? categoryId : null;
  product.description = optString(body.description) ?? null;
  product.mainImageUris = mainImages.map((i) => optString(i.uri) ?? '');
  product.certifications = certifications;
  // LISTING sends the product to audit: PENDING, then ACTIVATE once the audit completes (rules.auditDurationMs).
  if (saveMode === 'LISTING') startAudit(p, product, p.clock.now());
  productIdsOut.push(product.id);
  return {
    product_id: product.id,
    skus: product.skus.map((s) => ({ id: s.id, seller_sku: s.sellerSku, sales_attributes: [] })),
    warnings: [],
  };
}
