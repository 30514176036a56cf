// Seeding helpers: sellers, shops, warehouses, demo catalogue.
import { seedProduct } from './inventory';
import { seedWarehouse } from './logistics';
import type { Platform } from './platform';
import { AdminError } from './platform';
import type { Product, Seller, Shop, Warehouse } from './state';

export interface SeedShopInput {
  shop_id?: string;
  name?: string;
  region?: string;
  seller_open_id?: string;
  seller_name?: string;
  /** number of sales warehouses to create (default 1) */
  warehouses?: number;
  /** authorize every configured app on the shop (default true); otherwise the OAuth flow does it */
  authorize_apps?: boolean;
}

export function seedShop(p: Platform, input: SeedShopInput): { shop: Shop; seller: Seller; warehouses: Warehouse[] } {
  const openId = input.seller_open_id ?? `${p.state.randomToken(8)}-${p.state.randomToken(6)}`;
  let seller = p.state.sellers.get(openId);
  if (!seller) {
    seller = { openId, name: input.seller_name ?? 'Emulated Seller', region: input.region ?? 'US', shopIds: [] };
    p.state.sellers.set(openId, seller);
  }
  const id = input.shop_id ?? p.state.newId('74');
  if (p.state.shops.has(id)) throw new AdminError(409, `shop ${id} already exists`);
  const shop: Shop = {
    id,
    name: input.name ?? 'Emulated Shop',
    region: input.region ?? 'US',
    sellerType: 'LOCAL',
    // Opaque cipher in the documented style (ref §3.3, e.g. `ROW_…` / `GCP_…`).
    cipher: `ROW_${p.state.randomToken(32)}`,
    code: `US${p.state.randomToken(8).toUpperCase()}`,
    openId,
    authorizedAppKeys: input.authorize_apps === false ? [] : [...p.state.apps.keys()],
  };
  p.state.shops.set(id, shop);
  seller.shopIds.push(id);
  const warehouses: Warehouse[] = [];
  for (let i = 0; i < (input.warehouses ?? 1); i++) warehouses.push(seedWarehouse(p, id, {}));
  return { shop, seller, warehouses };
}

/** A ready-to-use shop with one warehouse and two products, and a token for every app. */
export function seedDemoShop(p: Platform): { shop: Shop; products: Product[]; tokens: Record<string, unknown>[] } {
  const { shop, warehouses, seller } = seedShop(p, { name: 'Demo Shop', seller_name: 'Demo Seller' });
  const wh = warehouses[0]?.id;
  const products = [
    seedProduct(p, shop.id, {
      title: 'Demo T-shirt',
      skus: [
        {
          seller_sku: 'TSHIRT-RED-M',
          name: 'Red / M',
          price: '19.99',
          inventory: wh ? [{ warehouse_id: wh, quantity: 100 }] : [],
        },
        {
          seller_sku: 'TSHIRT-RED-L',
          name: 'Red / L',
          price: '19.99',
          inventory: wh ? [{ warehouse_id: wh, quantity: 50 }] : [],
        },
      ],
    }),
    seedProduct(p, shop.id, {
      title: 'Demo Mug',
      skus: [
        {
          seller_sku: 'MUG-WHITE',
          name: 'White',
          price: '9.50',
          inventory: wh ? [{ warehouse_id: wh, quantity: 3 }] : [],
        },
      ],
    }),
  ];
  const tokens = [...p.state.apps.keys()].map((k) => ({ app_key: k, ...p.tokens.issueDirect(k, seller.openId) }));
  return { shop, products, tokens };
}
