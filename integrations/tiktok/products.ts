// Product family declared as endpoints: search, get, partial edit, inventory update and search, activate and deactivate. All take
// shop_cipher. Search Products is at 202309 like the public clients (the newest is 202502).
import { z } from 'zod';
import { amountSchema, batchResultSchema, idSchema, pageOutSchema, pageQuery, unixSecondsSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';
import { TikTokInvalidRequest, TikTokNotFound, TikTokStateConflict } from './errors';

/** Product `status` (https://partner.tiktokshop.com/docv2/page/get-product-202309). */
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

/** Product `audit` (Get Product, Partial Edit Product, webhook 37): NONE, AUDITING, FAILED, PRE_APPROVED, APPROVED. */
export const productAuditSchema = z.looseObject({
  status: z.string().optional(),
  pre_approved_reasons: z.array(z.string()).optional(),
});

/** A certification as Get Product reports it (`expiration_date`: Unix seconds). */
export const productCertificationSchema = z.looseObject({
  id: z.string(),
  title: z.string().optional(),
  files: z
    .array(z.looseObject({ id: z.string().optional(), name: z.string().optional(), format: z.string().optional() }))
    .optional(),
  images: z.array(z.looseObject({ uri: z.string().optional() })).optional(),
  expiration_date: z.number().int().optional(),
});
export type ProductCertification = z.output<typeof productCertificationSchema>;

/**
 * A certification as Create / Edit / Partial Edit Product take it: the rule's id (Get Category Rules), images by the
 * uri Upload Product Image returned (use_case CERTIFICATION_IMAGE), PDFs by the id Upload Product File returned, and the
 * expiry in Unix seconds where the rule asks for one. At most 10 per product.
 */
export const certificationInputSchema = z.strictObject({
  id: idSchema,
  images: z.array(z.strictObject({ uri: z.string().min(1) })).optional(),
  files: z
    .array(z.strictObject({ id: z.string().min(1), name: z.string().min(1), format: z.literal('PDF') }))
    .optional(),
  expiration_date: unixSecondsSchema.optional(),
});
export type CertificationInput = z.output<typeof certificationInputSchema>;

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
  audit: productAuditSchema.optional(),
  audit_failed_reasons: z
    .array(
      z.looseObject({
        position: z.string().optional(),
        reasons: z.array(z.string()).optional().default([]),
        suggestions: z.array(z.string()).optional().default([]),
      }),
    )
    .optional(),
  certifications: z.array(productCertificationSchema).optional(),
  is_cod_allowed: z.boolean().optional(),
  external_product_id: z.string().optional(),
});
export type Product = z.output<typeof productSchema>;

export const searchProductsResponseSchema = z.looseObject({
  ...pageOutSchema,
  products: z.array(productSummarySchema).optional().default([]),
});
export type SearchProductsResult = z.output<typeof searchProductsResponseSchema>;

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

export const productEndpoints = {
  searchProducts: defineEndpoint({
    title: 'Search Products',
    docs: docsPage('search-products-202309'),
    method: 'POST',
    path: '/product/202309/products/search',
    shopCipher: true,
    query: z.strictObject(pageQuery({ max: 100, default: 20 })),
    // Products filter with *_le, not *_lt.
    body: z.strictObject({
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
    }),
    response: searchProductsResponseSchema,
  }),

  getProduct: defineEndpoint({
    title: 'Get Product',
    docs: docsPage('get-product-202309'),
    method: 'GET',
    path: '/product/202309/products/{product_id}',
    shopCipher: true,
    params: z.strictObject({ product_id: idSchema }),
    query: z.strictObject({
      return_under_review_version: z.boolean().optional(),
      return_draft_version: z.boolean().optional(),
      locale: z.string().optional(),
    }),
    response: productSchema,
  }),

  /**
   * Every SKU must belong to the product, which must be ACTIVATE; each SKU lists all of its warehouses (warehouse_id
   * may be left out only for a single-warehouse SKU). The page documents quantities in [1, 99 999] without saying
   * whether 0 is accepted; setting stock to zero is a common need, so 0 is allowed here. Per-SKU failures come back
   * in data.errors[] of a successful envelope.
   */
  updateInventory: defineEndpoint({
    title: 'Update Inventory',
    docs: docsPage('update-inventory-202309'),
    method: 'POST',
    path: '/product/202309/products/{product_id}/inventory/update',
    shopCipher: true,
    params: z.strictObject({ product_id: idSchema }),
    body: z.strictObject({
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
        .max(100), // at most 100 SKUs per product (12052050)
    }),
    response: batchResultSchema,
  }),

  inventorySearch: defineEndpoint({
    title: 'Inventory Search',
    docs: docsPage('search-inventory-202309'),
    method: 'POST',
    path: '/product/202309/inventory/search',
    shopCipher: true,
    body: z
      .strictObject({
        product_ids: z.array(idSchema).min(1).max(100).optional(),
        sku_ids: z.array(idSchema).min(1).max(600).optional(), // takes precedence when both are sent
      })
      .refine((v) => v.product_ids !== undefined || v.sku_ids !== undefined, {
        message: 'product_ids or sku_ids is required',
      }),
    response: z
      .looseObject({ inventory: z.array(inventoryRecordSchema).optional().default([]) })
      .transform((d) => d.inventory),
  }),

  /** SELLER_/PLATFORM_DEACTIVATED → PENDING (audit) → ACTIVATE. Per-product failures in data.errors[]. */
  activateProducts: defineEndpoint({
    title: 'Activate Product',
    docs: docsPage('activate-product-202309'),
    method: 'POST',
    path: '/product/202309/products/activate',
    shopCipher: true,
    body: z.strictObject({ product_ids: z.array(idSchema).min(1).max(20) }),
    response: batchResultSchema,
  }),

  /** ACTIVATE → SELLER_DEACTIVATED. Per-product failures in data.errors[]. */
  deactivateProducts: defineEndpoint({
    title: 'Deactivate Products',
    docs: docsPage('deactivate-products-202309'),
    method: 'POST',
    path: '/product/202309/products/deactivate',
    shopCipher: true,
    body: z.strictObject({
      product_ids: z.array(idSchema).min(1).max(20),
      listing_platforms: z.array(z.string().min(1)).optional(),
    }),
    response: batchResultSchema,
  }),

  /**
   * Replaces only the top-level properties sent; every other property keeps its value (a full Edit Product would
   * blank what it does not carry). The edit goes to audit (webhook 37); the live version stays until it passes.
   * ECOM and HSIB call 202309; the newest version is 202509 with the same body for these fields.
   */
  partialEditProduct: defineEndpoint({
    title: 'Partial Edit Product',
    docs: docsPage('partial-edit-product-202309'),
    method: 'POST',
    path: '/product/202309/products/{product_id}/partial_edit',
    shopCipher: true,
    params: z.strictObject({ product_id: idSchema }),
    body: z.strictObject({
      save_mode: z.enum(['AS_DRAFT', 'LISTING']).optional(),
      title: z.string().min(1).optional(),
      description: z.string().min(1).optional(),
      brand_id: z.string().optional(),
      main_images: z
        .array(z.strictObject({ uri: z.string().min(1) }))
        .max(9)
        .optional(),
      certifications: z.array(certificationInputSchema).max(10).optional(),
      external_product_id: z.string().optional(),
    }),
    response: z.looseObject({
      product_id: idSchema,
      skus: z
        .array(z.looseObject({ id: idSchema, seller_sku: z.string().optional() }))
        .optional()
        .default([]),
      audit: productAuditSchema.optional(),
    }),
    // The page's codes for what a certification edit can meet (https://partner.tiktokshop.com/docv2/page/partial-edit-product-202509).
    errors: {
      12052032: TikTokNotFound, // product does not exist
      12052105: TikTokInvalidRequest, // required qualification missing
      12052385: TikTokInvalidRequest, // certificate expiration date invalid
      12052650: TikTokInvalidRequest, // qualification image uri illegal
      12052655: TikTokInvalidRequest, // qualification id does not exist
      12052656: TikTokInvalidRequest, // qualification id duplicated
      12052657: TikTokInvalidRequest, // too many qualification images and files
      12052901: TikTokStateConflict, // product status forbids the edit
    },
  }),
};
