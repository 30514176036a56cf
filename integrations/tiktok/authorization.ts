// Authorization family: Get Authorized Shops, the source of every shop's `cipher` (reference §3.3, Appendix A).
import { z } from 'zod';
import type { TikTokClient } from './client';
import type { CallOptions } from './common';
import { idSchema } from './common';

export const GET_AUTHORIZED_SHOPS_PATH = '/authorization/202309/shops'; // GET, no shop_cipher (§2.5)

export const authorizedShopSchema = z.looseObject({
  id: idSchema,
  name: z.string().optional(),
  region: z.string().optional(), // e.g. GB, US
  seller_type: z.string().optional(), // CROSS_BORDER | LOCAL
  cipher: z.string().min(1),
  code: z.string().optional(), // shop code shown in Seller Center
});

export const getAuthorizedShopsResponseSchema = z.looseObject({
  shops: z.array(authorizedShopSchema).optional().default([]),
});

export interface AuthorizedShop {
  shopId: string;
  shopCipher: string;
  region: string | null;
  name: string | null;
  sellerType: string | null;
  code: string | null;
}

/**
 * Who is calling: a shop already in the token store (`shopId`), or a raw access token straight from
 * exchangeAuthCode, before any shop id is known (`accessToken`).
 */
export type AuthorizedShopsCaller = { shopId: string } | { accessToken: string };

export async function getAuthorizedShops(
  client: TikTokClient,
  caller: AuthorizedShopsCaller,
  opts: CallOptions = {},
): Promise<AuthorizedShop[]> {
  const data = await client.request({
    method: 'GET',
    path: GET_AUTHORIZED_SHOPS_PATH,
    ...('shopId' in caller ? { shopId: caller.shopId } : { accessToken: caller.accessToken }),
    deadline: opts.deadline,
    schema: getAuthorizedShopsResponseSchema,
  });
  return data.shops.map((shop) => ({
    shopId: shop.id,
    shopCipher: shop.cipher,
    region: shop.region ?? null,
    name: shop.name ?? null,
    sellerType: shop.seller_type ?? null,
    code: shop.code ?? null,
  }));
}
