// Logistics family (reference §6.3, Appendix A "logistics"): warehouses → delivery options → shipping providers,
// which is how the `shipping_provider_id` for seller shipping is found.
import { z } from 'zod';
import type { TikTokClient } from './client';
import { idSchema, parseInput, type CallOptions, type ShopRef } from './common';

export const GET_WAREHOUSES_PATH = '/logistics/202309/warehouses'; // GET
export const GET_WAREHOUSE_DELIVERY_OPTIONS_PATH = '/logistics/202309/warehouses/{warehouse_id}/delivery_options'; // GET
export const GET_SHIPPING_PROVIDERS_PATH = '/logistics/202309/delivery_options/{delivery_option_id}/shipping_providers'; // GET

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
      distict: z.string().optional(), // sic (§6.3)
      postal_code: z.string().optional(),
      full_address: z.string().optional(),
      region_code: z.string().optional(),
      contact_person: z.string().optional(),
      phone_number: z.string().optional(),
    })
    .optional(),
});
export type Warehouse = z.output<typeof warehouseSchema>;

export const getWarehousesResponseSchema = z.looseObject({
  warehouses: z.array(warehouseSchema).optional().default([]),
});

export async function getWarehouses(
  client: TikTokClient,
  shop: ShopRef,
  _input: Record<string, never> = {},
  opts: CallOptions = {},
): Promise<Warehouse[]> {
  const data = await client.request({
    method: 'GET',
    path: GET_WAREHOUSES_PATH,
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getWarehousesResponseSchema,
  });
  return data.warehouses;
}

export const getWarehouseDeliveryOptionsInputSchema = z.strictObject({
  warehouse_id: idSchema,
  scope: z.enum(['WAREHOUSE', 'PRODUCT']).optional(),
});
export type GetWarehouseDeliveryOptionsInput = z.input<typeof getWarehouseDeliveryOptionsInputSchema>;

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

export const getWarehouseDeliveryOptionsResponseSchema = z.looseObject({
  delivery_options: z.array(deliveryOptionSchema).optional().default([]),
});

export async function getWarehouseDeliveryOptions(
  client: TikTokClient,
  shop: ShopRef,
  input: GetWarehouseDeliveryOptionsInput,
  opts: CallOptions = {},
): Promise<DeliveryOption[]> {
  const { warehouse_id, scope } = parseInput(
    getWarehouseDeliveryOptionsInputSchema,
    input,
    'GET',
    GET_WAREHOUSE_DELIVERY_OPTIONS_PATH,
  );
  const data = await client.request({
    method: 'GET',
    path: GET_WAREHOUSE_DELIVERY_OPTIONS_PATH,
    pathParams: { warehouse_id },
    query: { scope },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getWarehouseDeliveryOptionsResponseSchema,
  });
  return data.delivery_options;
}

export const getShippingProvidersInputSchema = z.strictObject({ delivery_option_id: idSchema });
export type GetShippingProvidersInput = z.input<typeof getShippingProvidersInputSchema>;

export const shippingProviderSchema = z.looseObject({ id: idSchema, name: z.string().optional() });
export type ShippingProvider = z.output<typeof shippingProviderSchema>;

export const getShippingProvidersResponseSchema = z.looseObject({
  shipping_providers: z.array(shippingProviderSchema).optional().default([]),
});

/** A TikTok-fulfilled delivery option has no providers (errors 21008116/21008117, §6.3). */
export async function getShippingProviders(
  client: TikTokClient,
  shop: ShopRef,
  input: GetShippingProvidersInput,
  opts: CallOptions = {},
): Promise<ShippingProvider[]> {
  const { delivery_option_id } = parseInput(getShippingProvidersInputSchema, input, 'GET', GET_SHIPPING_PROVIDERS_PATH);
  const data = await client.request({
    method: 'GET',
    path: GET_SHIPPING_PROVIDERS_PATH,
    pathParams: { delivery_option_id },
    shopId: shop.shopId,
    shopCipher: shop.shopCipher,
    deadline: opts.deadline,
    schema: getShippingProvidersResponseSchema,
  });
  return data.shipping_providers;
}
