// Categories, their listing rules and the shop's listing prerequisites (issue 19, category ungating). All take
// shop_cipher. US shops must ask for the 7-level tree, `category_version=v2` (12052217 otherwise).
// https://partner.tiktokshop.com/docv2/page/get-categories-202309
// https://partner.tiktokshop.com/docv2/page/get-category-rules-202309
// https://partner.tiktokshop.com/docv2/page/check-listing-prerequisites-202312
// A restricted category (`INVITE_ONLY` in `permission_statuses`) makes Get Category Rules refuse with 12052223 or
// 12052226 ("apply through the Qualification Center in Seller Center"): errors.ts maps both to TikTokPermissionDenied.
import { z } from 'zod';
import { idSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';

/** The shop's permission for a category (Get Categories `permission_statuses`). */
export const CATEGORY_PERMISSIONS = ['AVAILABLE', 'INVITE_ONLY', 'NON_MAIN_CATEGORY', 'PROHIBITED'] as const;
export type CategoryPermission = (typeof CATEGORY_PERMISSIONS)[number];

/** The codes of a restricted category: apply in Seller Center's Qualification Center (no API does it). */
export const RESTRICTED_CATEGORY_CODES: readonly number[] = [12052223, 12052226];

const categoryVersion = z.enum(['v1', 'v2']);

export const categorySchema = z.looseObject({
  id: idSchema,
  parent_id: z.string().optional(), // "0" for a root
  local_name: z.string().optional(),
  is_leaf: z.boolean().optional(),
  permission_statuses: z.array(z.string()).optional().default([]),
});
export type Category = z.output<typeof categorySchema>;

export const productCertificationRuleSchema = z.looseObject({
  id: idSchema,
  name: z.string().optional().default(''),
  is_required: z.boolean().optional().default(false),
  document_details: z.string().optional(),
  sample_image_url: z.string().optional(),
  /** Any one met makes the certification required (only when `is_required` is false). */
  requirement_conditions: z
    .array(
      z.looseObject({
        condition_type: z.string().optional(), // VALUE_ID_MATCH
        attribute_id: z.string().optional(),
        attribute_value_id: z.string().optional(),
      }),
    )
    .optional()
    .default([]),
  expiration_date: z.looseObject({ is_required: z.boolean().optional().default(false) }).optional(),
});
export type ProductCertificationRule = z.output<typeof productCertificationRuleSchema>;

const flag = (name: 'is_required' | 'is_supported') => z.looseObject({ [name]: z.boolean().optional() }).optional();

export const categoryRulesSchema = z.looseObject({
  product_certifications: z.array(productCertificationRuleSchema).optional().default([]),
  size_chart: z.looseObject({ is_supported: z.boolean().optional(), is_required: z.boolean().optional() }).optional(),
  cod: flag('is_supported'),
  package_dimension: flag('is_required'),
  epr: flag('is_required'),
  responsible_person: flag('is_required'),
  manufacturer: flag('is_required'),
  allowed_special_product_types: z.array(z.string()).optional(),
});
export type CategoryRules = z.output<typeof categoryRulesSchema>;

/** Check Listing Prerequisites `check_item` values (the page spells `BANk_ACCOUNT` so). */
export const LISTING_CHECK_ITEMS = [
  'SHOP_STATUS',
  'SHOP_TAX',
  'PICKUP_WAREHOUSE',
  'RETURN_WAREHOUSE',
  'DELIVERY_OPTION',
  'SHIPPING_TEMPLATE',
  'PRODUCT_QUANTITY_LIMIT',
  'EXTENDED_PRODUCER_RESPONSIBILITY',
  'BANk_ACCOUNT',
  'CONTACT_INFO',
] as const;

export const listingPrerequisitesSchema = z
  .looseObject({
    check_results: z
      .array(
        z.looseObject({
          check_item: z.string(),
          is_failed: z.boolean(),
          fail_reasons: z.array(z.string()).optional().default([]),
        }),
      )
      .optional()
      .default([]),
  })
  .transform((d) => d.check_results);
export type ListingPrerequisites = z.output<typeof listingPrerequisitesSchema>;

export const categoryEndpoints = {
  getCategories: defineEndpoint({
    title: 'Get Categories',
    docs: docsPage('get-categories-202309'),
    method: 'GET',
    path: '/product/202309/categories',
    shopCipher: true,
    query: z.strictObject({
      locale: z.string().optional(),
      keyword: z.string().optional(),
      category_version: categoryVersion.optional(),
      listing_platform: z.string().optional(),
      include_prohibited_categories: z.boolean().optional(),
    }),
    response: z
      .looseObject({ categories: z.array(categorySchema).optional().default([]) })
      .transform((d) => d.categories),
  }),

  getCategoryRules: defineEndpoint({
    title: 'Get Category Rules',
    docs: docsPage('get-category-rules-202309'),
    method: 'GET',
    path: '/product/202309/categories/{category_id}/rules',
    shopCipher: true,
    params: z.strictObject({ category_id: idSchema }),
    query: z.strictObject({ category_version: categoryVersion.optional(), locale: z.string().optional() }),
    response: categoryRulesSchema,
  }),

  checkListingPrerequisites: defineEndpoint({
    title: 'Check Listing Prerequisites',
    docs: docsPage('check-listing-prerequisites-202312'),
    method: 'GET',
    path: '/product/202312/prerequisites',
    shopCipher: true,
    response: listingPrerequisitesSchema,
  }),
};
