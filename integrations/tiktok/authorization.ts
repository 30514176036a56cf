// Authorization family: Get Authorized Shops, the source of every shop's `cipher`. It takes no shop_cipher.
import { z } from 'zod';
import type { TikTokClient } from './client';
import type { CallOptions } from './common';
import { idSchema } from './common';
import { callEndpoint, defineEndpoint, docsPage } from './endpoint';

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

export const authorizationEndpoints = {
  getAuthorizedShops: defineEndpoint({
    title: 'Get Authorized Shops',
    docs: docsPage('get-authorized-shops-202309'),
    method: 'GET',
    path: '/authorization/202309/shops',
    shopCipher: false,
    response: getAuthorizedShopsResponseSchema,
  }),
};

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

/** The seller's shops with their ciphers, in our names: what a connection stores. */
export async function getAuthorizedShops(
  client: TikTokClient,
  caller: AuthorizedShopsCaller,
  opts: CallOptions = {},
): Promise<AuthorizedShop[]> {
  const data = await callEndpoint(client, authorizationEndpoints.getAuthorizedShops, caller, {}, opts);
  return data.shops.map((shop) => ({
    shopId: shop.id,
    shopCipher: shop.cipher,
    region: shop.region ?? null,
    name: shop.name ?? null,
    sellerType: shop.seller_type ?? null,
    code: shop.code ?? null,
  }));
}
