// Warehouses, delivery options and shipping providers. ref §6.3: the shipping_provider_id
// used by Mark Package As Shipped is found by walking warehouse → delivery option → shipping providers.
import { coded } from './errorCodes';
import type { Platform } from './platform';
import { AdminError } from './platform';
import type { Warehouse } from './state';
import type { Json } from './util';

export const DELIVERY_OPTIONS = [
  {
    id: '7129736250391840558',
    name: 'Standard shipping',
    type: 'STANDARD',
    description: 'TikTok Shipping: buy the label through TikTok',
  },
  {
    id: '7129736250391840559',
    name: 'Shipped by seller',
    type: 'SEND_BY_SELLER',
    description: 'Seller Shipping: upload a tracking number',
  },
];

/** Example id for USPS is the one the reference quotes (§6.3). */
export const SHIPPING_PROVIDERS = [
  { id: '7117858858072016686', name: 'USPS' },
  { id: '7117859084333745966', name: 'UPS' },
  { id: '7117858858072016687', name: 'FedEx' },
];

export function providerName(id: string): string | undefined {
  return SHIPPING_PROVIDERS.find((x) => x.id === id)?.name;
}

export function seedWarehouse(
  p: Platform,
  shopId: string,
  input: { id?: string; name?: string; type?: Warehouse['type']; is_default?: boolean; state?: string; city?: string },
): Warehouse {
  if (!p.state.shops.has(shopId)) throw new AdminError(404, `unknown shop ${shopId}`);
  const existing = [...p.state.warehouses.values()].filter(
    (w) => w.shopId === shopId && w.type === (input.type ?? 'SALES_WAREHOUSE'),
  );
  const w: Warehouse = {
    id: input.id ?? p.state.newId('72'),
    shopId,
    name: input.name ?? `Warehouse ${existing.length + 1}`,
    type: input.type ?? 'SALES_WAREHOUSE',
    isDefault: input.is_default ?? existing.length === 0,
    effectStatus: 'ENABLED',
    address: {
      region: 'US',
      state: input.state ?? 'California',
      city: input.city ?? 'Los Angeles',
      postalCode: '90001',
      fullAddress: `1 Warehouse Way, ${input.city ?? 'Los Angeles'}, ${input.state ?? 'California'} 90001`,
    },
  };
  p.state.warehouses.set(w.id, w);
  return w;
}

export function listWarehouses(p: Platform, shopId: string): Json {
  return {
    warehouses: [...p.state.warehouses.values()]
      .filter((w) => w.shopId === shopId)
      .map((w) => ({
        id: w.id,
        entity_id: w.id,
        name: w.name,
        effect_status: w.effectStatus,
        type: w.type,
        sub_type: 'DOMESTIC_WAREHOUSE',
        is_default: w.isDefault,
        address: {
          region: w.address.region,
          state: w.address.state,
          city: w.address.city,
          distict: '',
          town: '',
          contact_person: 'Warehouse manager',
          postal_code: w.address.postalCode,
          full_address: w.address.fullAddress,
          region_code: 'US',
          phone_number: '(+1)213-555-0000',
          address_line1: '1 Warehouse Way',
        },
      })),
  };
}

export function warehouseDeliveryOptions(p: Platform, shopId: string, warehouseId: string): Json {
  const w = p.state.warehouses.get(warehouseId);
  if (!w || w.shopId !== shopId) throw coded('warehouse_not_found', 'The warehouse does not exist');
  return {
    delivery_options: DELIVERY_OPTIONS.map((d) => ({
      ...d,
      dimension_limit: { max_height: 100, max_length: 100, max_width: 100, unit: 'INCH' },
      weight_limit: { max_weight: 150, min_weight: 0, unit: 'POUND' },
      platform: ['TIKTOK_SHOP'],
    })),
  };
}

export function shippingProviders(deliveryOptionId: string): Json {
  if (!DELIVERY_OPTIONS.some((d) => d.id === deliveryOptionId)) {
    throw coded('delivery_option_not_found', 'The delivery option does not exist');
  }
  return { shipping_providers: SHIPPING_PROVIDERS };
}
