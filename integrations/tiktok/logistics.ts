// Logistics family declared as endpoints: warehouses → delivery options → shipping providers, which is how the
// `shipping_provider_id` for seller shipping is found.
import { z } from 'zod';
import { idSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';
import { TikTokInvalidRequest } from './errors';

export const warehouseSchema = z.looseObject({
  id: idSchema,
  entity_id: z.string().optional(),
  name: z.string().optional(),
  effect_status: z.string().optional(), // ENABLED | DISABLED | RESTRICTED
  type: z.string().optional(), // SALES_WAREHOUSE | RETURN_WAREHOUSE
  sub_type: z.string().optional(),
  is_default: z.boolean().optional(),
  address: z
    .looseObject({
      region: z.string().optional(),
      state: z.string().optional(),
      city: z.string().optional(),
      distict: z.string().optional(), // sic, as the Get Warehouse List page spells it
      postal_code: z.string().optional(),
      full_address: z.string().optional(),
      region_code: z.string().optional(),
      contact_person: z.string().optional(),
      phone_number: z.string().optional(),
    })
    .optional(),
});
export type Warehouse = z.output<typeof warehouseSchema>;

export const deliveryOptionSchema = z.looseObject({
  id: idSchema,
  name: z.string().optional(),
  type: z.string().optional(), // STANDARD | EXPRESS | ECONOMY | SEND_BY_SELLER
  description: z.string().optional(),
  dimension_limit: z.looseObject({}).optional(),
  weight_limit: z.looseObject({}).optional(),
  platform: z.array(z.string()).optional(),
});
export type DeliveryOption = z.output<typeof deliveryOptionSchema>;

export const shippingProviderSchema = z.looseObject({ id: idSchema, name: z.string().optional() });
export type ShippingProvider = z.output<typeof shippingProviderSchema>;

export const logisticsEndpoints = {
  getWarehouses: defineEndpoint({
    title: 'Get Warehouse List',
    docs: docsPage('get-warehouse-list-202309'),
    method: 'GET',
    path: '/logistics/202309/warehouses',
    shopCipher: true,
    response: z
      .looseObject({ warehouses: z.array(warehouseSchema).optional().default([]) })
      .transform((d) => d.warehouses),
  }),

  getWarehouseDeliveryOptions: defineEndpoint({
    title: 'Get Warehouse Delivery Options',
    docs: docsPage('get-warehouse-delivery-options-202309'),
    method: 'GET',
    path: '/logistics/202309/warehouses/{warehouse_id}/delivery_options',
    shopCipher: true,
    params: z.strictObject({ warehouse_id: idSchema }),
    query: z.strictObject({ scope: z.enum(['WAREHOUSE', 'PRODUCT']).optional() }),
    response: z
      .looseObject({ delivery_options: z.array(deliveryOptionSchema).optional().default([]) })
      .transform((d) => d.delivery_options),
  }),

  getShippingProviders: defineEndpoint({
    title: 'Get Shipping Providers',
    docs: docsPage('get-shipping-providers-202309'),
    method: 'GET',
    path: '/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers',
    shopCipher: true,
    params: z.strictObject({ delivery_option_id: idSchema }),
    response: z
      .looseObject({ shipping_providers: z.array(shippingProviderSchema).optional().default([]) })
      .transform((d) => d.shipping_providers),
    // The page's codes for a delivery option that has no providers: a TikTok-fulfilled option (callers skip it).
    errors: { 21008116: TikTokInvalidRequest, 21008117: TikTokInvalidRequest },
  }),
};
