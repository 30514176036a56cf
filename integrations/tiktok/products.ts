// Product family (reference §7.1, §7.2, Appendix A "products"): search, get, inventory update and search,
// activate and deactivate. All take shop_cipher.
import { z } from 'zod';
import type { TikTokClient } from './client';
import {
  amountSchema,
  batchResultSchema,
  idSchema,
  pageOutSchema,
  parseInput,
  unixSecondsSchema,
  type BatchResult,
  type CallOptions,
  type ShopRef,
} from './common';

// §7.2: Search Products is listed as POST /product/202309/products/search (newest 202502); we use 202309 like the
// main table and ECOM.
export const SEARCH_PRODUCTS_PATH = '/product/202309/products/search'; // POST
export const GET_PRODUCT_PATH = '/product/202309/products/{product_id}'; // GET
export const UPDATE_INVENTORY_PATH = '/product/202309/products/{product_id}/inventory/update'; // POST
export const INVENTORY_SEARCH_PATH = '/product/202309/inventory/search'; // POST
export const ACTIVATE_PRODUCTS_PATH = '/product/202309/products/activate'; // POST
export const DEACTIVATE_PRODUCTS_PATH = '/product/202309/products/deactivate'; // POST

/** §7.1 product `status`. */
export const PRODUCT_STATUSES = [
  'DRAFT',
  'PENDING',
  'FAILED',
  'ACTIVATE',
  'SELLER_DEACTIVATED',
  'PLATFORM_DEACTIVATED',
  'FREEZE',
  'DELETED',
] as const;
export type ProductStatus = (typeof PRODUCT_STATUSES)[number];

const skuInventorySchema = z.looseObject({
  warehouse_id: z.string().optional(),
  quantity: z.number().int().optional(),
  backorder_quantity: z.number().int().optional(),
  handling_time: z.number().int().optional(),
});

export const skuSchema = z.looseObject({
  id: idSchema,
  seller_sku: z.string().optional(),
  price: z
    .looseObject({
      tax_exclusive_price: amountSchema.optional(),
      sale_price: amountSchema.optional(),
      currency: z.string().optional(),
      unit_price: amountSchema.optional(),
    })
    .optional(),
  inventory: z.array(skuInventorySchema).optional(),
  sales_attributes: z
    .array(
      z.looseObject({
        id: z.string().optional(),
        name: z.string().optional(),
        value_id: z.string().optional(),
        value_name: z.string().optional(),
      }),
    )
    .optional(),
  external_sku_id: z.string().optional(),
  status_info: z.looseObject({ status: z.string().optional(), deactivation_source: z.string().optional() }).optional(),
});
export type ProductSku = z.output<typeof skuSchema>;

export const productSummarySchema = z.looseObject({
  id: idSchema,
  title: z.string().optional(),
  status: z.string().optional(), // see PRODUCT_STATUSES
  skus: z.array(skuSchema).optional().default([]),
  sales_regions: z.array(z.string()).optional(),
  create_time: unixSecondsSchema.optional(),
  update_time: unixSecondsSchema.optional(),
});
export type ProductSummary = z.output<typeof productSummarySchema>;

export const productSchema = productSummarySchema.extend({
  description: z.string().optional(),
  category_chains: z
    .array(
      z.looseObject({
        id: z.string(),
        parent_id: z.string().optional(),
        local_name: z.string().optional(),
        is_leaf: z.boolean().optional(),
      }),
    )
    .optional(),
  brand: z.looseObject({ id: z.string().optional(), name: z.string().optional() }).optional(),
  main_images: z.array(z.looseObject({ uri: z.string().optional() })).optional(),
  package_weight: z.looseObject({ value: z.string().optional(), unit: z.string().optional() }).optional(),
  audit: z
    .looseObject({ status: z.string().optional(), pre_approved_reasons: z.array(z.string()).optional() })
    .optional(),
  audit_failed_reasons: z.array(z.looseObject({})).optional(),
  is_cod_allowed: z.boolean().optional(),
  external_product_id: z.string().optional(),
});
export type Product = z.output<typeof productSchema>;

// ---------- Search Products ----------

export const searchProductsInputSchema = z.strictObject({
  // query
  page_size: z.number().int().min(1).max(100).default(20),
  page_token: z.string().min(1).optional(),
  // body (§7.2): products use *_le, not *_lt
  status: z.enum([...PRODUCT_STATUSES, 'ALL']).optional(),
  seller_skus: z.array(z.string().min(1)).optional(),
  create_time_ge: unixSecondsSchema.optional(),
  create_time_le: unixSecondsSchema.optional(),
  update_time_ge: unixSecondsSchema.optional(),
  update_time_le: unixSecondsSchema.optional(),
  category_version: z.string().optional(),
  listing_quality_tiers: z.array(z.string()).optional(),
  listing_platforms: z.array(z.string()).optional(),
  audit_status: z.array(z.string()).optional(),
  sku_ids: z.array(idSchema).max(10).optional(),
  return_draft_version: z.boolean().optional(),
});
export type SearchProductsInput = z.input<typeof searchProductsInputSchema>;

export const searchProductsResponseSchema = z.looseObject({
  ...pageOutSchema,
  products: z.array(productSummarySchema).optional().default([]),
});
export type SearchProductsResult = z.output<typeof searchProductsResponseSchema>;

export async function searchProducts(
  client: TikTokClient,
  shop: ShopRef,
  input: SearchProductsInput,
  opts: CallOptions = {},
): Promise<SearchProductsResult> {
  const { page_size, page_token, ...body } = parseInput(searchProductsInputSchema, input, 'POST', SEARCH_PRODUCTS_PATH);
  return client.request({
    method: 'POST',
    path: SEARCH_PRODUCTS_PATH,
    query: { page_size, page_token },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: searchProductsResponseSchema,
  });
}

// ---------- Get Product ----------

export const getProductInputSchema = z.strictObject({
  product_id: idSchema,
  return_under_review_version: z.boolean().optional(),
  return_draft_version: z.boolean().optional(),
  locale: z.string().optional(),
});
export type GetProductInput = z.input<typeof getProductInputSchema>;

export async function getProduct(
  client: TikTokClient,
  shop: ShopRef,
  input: GetProductInput,
  opts: CallOptions = {},
): Promise<Product> {
  const { product_id, ...query } = parseInput(getProductInputSchema, input, 'GET', GET_PRODUCT_PATH);
  return client.request({
    method: 'GET',
    path: GET_PRODUCT_PATH,
    pathParams: { product_id },
    query,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: productSchema,
  });
}

// ---------- Update Inventory ----------

/**
 * §7.2: every SKU must belong to the product, which must be ACTIVATE; each SKU must list all of its warehouses
 * (warehouse_id may be left out only for a single-warehouse SKU). The documented quantity range is [1, 99 999];
 * whether 0 is accepted is not stated (§15), and setting stock to zero is a common need, so 0 is allowed here.
 */
export const updateInventoryInputSchema = z.strictObject({
  product_id: idSchema,
  skus: z
    .array(
      z.strictObject({
        id: idSchema,
        inventory: z
          .array(
            z.strictObject({
              warehouse_id: idSchema.optional(),
              quantity: z.number().int().min(0).max(99_999),
              backorder_quantity: z.number().int().min(0).optional(),
              handling_time: z.number().int().min(0).optional(),
            }),
          )
          .min(1),
      }),
    )
    .min(1)
    .max(100), // at most 100 SKUs per product (12052050, §7.1)
});
export type UpdateInventoryInput = z.input<typeof updateInventoryInputSchema>;

/** Per-SKU failures come back in `errors[]` of a successful envelope (§4.1). */
export async function updateInventory(
  client: TikTokClient,
  shop: ShopRef,
  input: UpdateInventoryInput,
  opts: CallOptions = {},
): Promise<BatchResult> {
  const { product_id, ...body } = parseInput(updateInventoryInputSchema, input, 'POST', UPDATE_INVENTORY_PATH);
  return client.request({
    method: 'POST',
    path: UPDATE_INVENTORY_PATH,
    pathParams: { product_id },
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    beforeSend: opts.beforeSend,
    schema: batchResultSchema,
  });
}

// ---------- Inventory Search ----------

export const inventorySearchInputSchema = z
  .strictObject({
    product_ids: z.array(idSchema).min(1).max(100).optional(),
    sku_ids: z.array(idSchema).min(1).max(600).optional(), // takes precedence when both are sent (§7.2)
  })
  .refine((v) => v.product_ids !== undefined || v.sku_ids !== undefined, {
    message: 'product_ids or sku_ids is required',
  });
export type InventorySearchInput = z.input<typeof inventorySearchInputSchema>;

export const inventoryRecordSchema = z.looseObject({
  product_id: idSchema,
  skus: z
    .array(
      z.looseObject({
        id: idSchema,
        seller_sku: z.string().optional(),
        total_available_quantity: z.number().int().optional(),
        total_committed_quantity: z.number().int().optional(),
        warehouse_inventory: z
          .array(
            z.looseObject({
              warehouse_id: z.string(),
              available_quantity: z.number().int().optional(),
              committed_quantity: z.number().int().optional(),
            }),
          )
          .optional()
          .default([]),
      }),
    )
    .optional()
    .default([]),
});
export type InventoryRecord = z.output<typeof inventoryRecordSchema>;

export const inventorySearchResponseSchema = z.looseObject({
  inventory: z.array(inventoryRecordSchema).optional().default([]),
});

export async function inventorySearch(
  client: TikTokClient,
  shop: ShopRef,
  input: InventorySearchInput,
  opts: CallOptions = {},
): Promise<InventoryRecord[]> {
  const body = parseInput(inventorySearchInputSchema, input, 'POST', INVENTORY_SEARCH_PATH);
  const data = await client.request({
    method: 'POST',
    path: INVENTORY_SEARCH_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: inventorySearchResponseSchema,
  });
  return data.inventory;
}

// ---------- Activate / Deactivate ----------

export const activateProductsInputSchema = z.strictObject({
  product_ids: z.array(idSchema).min(1).max(20), // max 20 (§7.2)
});
export type ActivateProductsInput = z.input<typeof activateProductsInputSchema>;

/** SELLER_/PLATFORM_DEACTIVATED → PENDING (audit) → ACTIVATE (§7.2). Per-product failures in `errors[]`. */
export async function activateProducts(
  client: TikTokClient,
  shop: ShopRef,
  input: ActivateProductsInput,
  opts: CallOptions = {},
): Promise<BatchResult> {
  const body = parseInput(activateProductsInputSchema, input, 'POST', ACTIVATE_PRODUCTS_PATH);
  return client.request({
    method: 'POST',
    path: ACTIVATE_PRODUCTS_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: batchResultSchema,
  });
}

export const deactivateProductsInputSchema = z.strictObject({
  product_ids: z.array(idSchema).min(1).max(20),
  listing_platforms: z.array(z.string().min(1)).optional(),
});
export type DeactivateProductsInput = z.input<typeof deactivateProductsInputSchema>;

/** ACTIVATE → SELLER_DEACTIVATED (§7.2). Per-product failures in `errors[]`. */
export async function deactivateProducts(
  client: TikTokClient,
  shop: ShopRef,
  input: DeactivateProductsInput,
  opts: CallOptions = {},
): Promise<BatchResult> {
  const body = parseInput(deactivateProductsInputSchema, input, 'POST', DEACTIVATE_PRODUCTS_PATH);
  return client.request({
    method: 'POST',
    path: DEACTIVATE_PRODUCTS_PATH,
    body,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: batchResultSchema,
  });
}
