import type { Request } from 'express';
import type { Role } from '../db/apiKeys';

/** The shops a request may act on: every shop (agency-wide keys) or the key's list. */
export type ShopScope = 'all' | readonly string[];

declare module 'express-serve-static-core' {
  interface Request {
    /** Set by requireRole (api/auth.ts): the caller's role and shops, read by the helpers below. */
    auth?: { role: Role; shops: ShopScope; shop?: string };
  }
}

function scopeOf(req: Request): ShopScope {
  // A route that forgot requireRole must not become agency-wide: no auth on the request covers no shop.
  return req.auth?.shops ?? [];
}

/** Whether the caller's key covers `shopId`. */
export function coversShop(req: Request, shopId: string): boolean {
  const shops = scopeOf(req);
  return shops === 'all' || shops.includes(shopId);
}

/** Whether a row of `shopId` is the caller's: rows without a shop belong to agency-wide keys only. */
export function coversRow(req: Request, shopId: string | null): boolean {
  return shopId === null ? scopeOf(req) === 'all' : coversShop(req, shopId);
}

/**
 * For list queries: null when the key covers every shop, else the shops it covers. Rows without a shop are
 * visible only to agency-wide keys (a `shop_id IN (…)` filter leaves them out: the repositories' whereShopIn,
 * db/knex.ts).
 */
export function shopFilter(req: Request): readonly string[] | null {
  const shops = scopeOf(req);
  return shops === 'all' ? null : shops;
}

const SHOP_ID = /^[0-9A-Za-z_-]{1,64}$/;

/**
 * The shop a request concerns, for recording it on what the request leaves behind (dead letters): the shop the
 * route checked (requireShop), else a `shopId` in the body; only when well-formed and covered by the caller's key (an
 * unauthenticated or out-of-scope claim is not recorded, so nobody can place rows in another brand's view).
 */
export function requestShop(req: Request, body: unknown = req.body): string | null {
  for (const candidate of [req.auth?.shop, (body as { shopId?: unknown } | null | undefined)?.shopId]) {
    if (typeof candidate === 'string' && SHOP_ID.test(candidate) && coversShop(req, candidate)) return candidate;
  }
  return null;
}
