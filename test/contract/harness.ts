// Contract-test harness: our TikTok Shop client (integrations/tiktok) against the local emulator
// (emulators/tiktok-shop), both written from the published API pages ("ref §n": docs/tiktok-shop-api-sources.md).
// The emulator runs in-process on port 0; the shop, warehouses and products are seeded through its admin API
// (/__admin, emulators/tiktok-shop/README.md); the shop is then authorized through the real OAuth flow
// (authorization URL → /oauth/authorize redirect → code → exchangeAuthCode, ref §3.1-§3.2) and its cipher is
// learned from Get Authorized Shops (ref §3.3).
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTikTokShopEmulator } from '../../emulators/tiktok-shop/server';
import type { EmulatorOptions, RunningEmulator } from '../../emulators/tiktok-shop/server';
import { buildAuthorizationUrl, createTikTokAuth } from '../../integrations/tiktok/auth';
import type { TikTokAuth, TikTokTokenGrant } from '../../integrations/tiktok/auth';
import { getAuthorizedShops } from '../../integrations/tiktok/authorization';
import type { AuthorizedShop } from '../../integrations/tiktok/authorization';
import { createTikTokClient } from '../../integrations/tiktok/client';
import type { TikTokClient, TikTokClientDeps, TokenProvider } from '../../integrations/tiktok/client';
import type { ShopRef } from '../../integrations/tiktok/common';
import type { TikTokFailure } from '../../integrations/tiktok/errors';
import { signRequest } from '../../integrations/tiktok/signing';

export const APP_KEY = 'contract_app_key';
export const APP_SECRET = 'contract_app_secret_0123456789';
export const SERVICE_ID = 'contract_service_7001';
export const REDIRECT_URL = 'https://seller-app.example.test/oauth/callback';

export const MINUTE = 60_000;
export const HOUR = 60 * MINUTE;
export const DAY = 24 * HOUR;

/** A simple in-memory TokenProvider (the production one is the encrypted PostgreSQL store). */
export class MemoryTokenProvider implements TokenProvider {
  readonly grants = new Map<string, TikTokTokenGrant>();
  readonly refreshes: string[] = [];

  constructor(private readonly auth: TikTokAuth) {}

  set(shopId: string, grant: TikTokTokenGrant): void {
    this.grants.set(shopId, grant);
  }

  getAccessToken(shopId: string): Promise<string> {
    const grant = this.grants.get(shopId);
    if (!grant) return Promise.reject(new Error(`no token for shop ${shopId}`));
    return Promise.resolve(grant.accessToken);
  }

  async refresh(shopId: string): Promise<string> {
    const grant = this.grants.get(shopId);
    if (!grant) throw new Error(`no token for shop ${shopId}`);
    this.refreshes.push(shopId);
    const next = await this.auth.refreshAccessToken(grant.refreshToken);
    this.grants.set(shopId, next);
    return next.accessToken;
  }
}

export interface SeededSku {
  id: string;
  sellerSku: string;
  /** warehouse id → seeded available quantity */
  inventory: Record<string, number>;
}

export interface SeededProduct {
  id: string;
  skus: SeededSku[];
}

export interface Harness {
  em: RunningEmulator;
  url: string;
  auth: TikTokAuth;
  tokens: MemoryTokenProvider;
  client: TikTokClient;
  shop: ShopRef;
  authorizedShop: AuthorizedShop;
  grant: TikTokTokenGrant;
  sellerOpenId: string;
  warehouseIds: string[];
  /** [0]: two SKUs (the first stocked in both warehouses), [1]: one SKU in the first warehouse. */
  products: SeededProduct[];
  admin<T = any>(path: string, body?: unknown): Promise<T>;
  /** A second client on the same emulator and token store, with overridden deps (secret, clock, fetch). */
  makeClient(overrides?: Partial<TikTokClientDeps>): TikTokClient;
  close(): Promise<void>;
}

export interface HarnessOptions {
  emulator?: Partial<EmulatorOptions>;
  client?: Partial<TikTokClientDeps>;
}

export async function adminCall<T = any>(url: string, path: string, body?: unknown): Promise<T> {
  const res = await fetch(`${url}/__admin${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  if (!res.ok) throw new Error(`admin ${path} → HTTP ${res.status} ${JSON.stringify(json)}`);
  return json;
}

/** Follows the seller consent link to the emulator's authorization page and returns the redirect (ref §3.1). */
export async function followAuthorization(authorizationUrl: string): Promise<URL> {
  const res = await fetch(authorizationUrl, { redirect: 'manual' });
  assert.equal(res.status, 302, `authorize page answered ${res.status}`);
  await res.arrayBuffer();
  const location = res.headers.get('location');
  assert.ok(location, 'redirect without Location');
  return new URL(location);
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const em = await startTikTokShopEmulator({
    port: 0,
    apps: [{ appKey: APP_KEY, appSecret: APP_SECRET, serviceId: SERVICE_ID, redirectUrl: REDIRECT_URL }],
    allowLoopbackWebhookHttp: true,
    ...options.emulator,
  });
  const admin = <T = any>(path: string, body?: unknown): Promise<T> => adminCall<T>(em.url, path, body);
  try {
    // Seed: a US seller with one shop and two sales warehouses; the app is NOT pre-authorized, so the shop only
    // becomes visible to the app through the OAuth flow below.
    const seeded = await admin('/shops', {
      name: 'Contract Beauty',
      region: 'US',
      seller_name: 'Contract Seller',
      warehouses: 2,
      authorize_apps: false,
    });
    const warehouseIds: string[] = seeded.warehouses.map((w: { id: string }) => w.id);
    const [wh1, wh2] = warehouseIds as [string, string];
    const p1 = await admin('/products', {
      shop_id: seeded.shop.id,
      product: {
        title: 'Lip Gloss',
        skus: [
          {
            seller_sku: 'GLOSS-RED',
            name: 'Red',
            price: '12.50',
            inventory: [
              { warehouse_id: wh1, quantity: 40 },
              { warehouse_id: wh2, quantity: 10 },
            ],
          },
          { seller_sku: 'GLOSS-PINK', name: 'Pink', price: '12.50', inventory: [{ warehouse_id: wh1, quantity: 30 }] },
        ],
      },
    });
    const p2 = await admin('/products', {
      shop_id: seeded.shop.id,
      product: {
        title: 'Face Mask',
        skus: [
          { seller_sku: 'MASK-1', name: 'Default', price: '5.00', inventory: [{ warehouse_id: wh1, quantity: 8 }] },
        ],
      },
    });
    const products: SeededProduct[] = [p1.product, p2.product].map(
      (p: {
        id: string;
        skus: { id: string; seller_sku: string; inventory: Record<string, { available: number }> }[];
      }) => ({
        id: p.id,
        skus: p.skus.map((s) => ({
          id: s.id,
          sellerSku: s.seller_sku,
          inventory: Object.fromEntries(Object.entries(s.inventory).map(([w, l]) => [w, l.available])),
        })),
      }),
    );

    // OAuth (ref §3.1): consent link → authorization page → 302 to the redirect URL with code + state.
    const state = 'csrf-state-42';
    const authorizationUrl = buildAuthorizationUrl({
      serviceId: SERVICE_ID,
      state,
      authorizeBaseUrl: `${em.url}/open/authorize`,
    });
    const redirect = await followAuthorization(authorizationUrl);
    assert.equal(redirect.origin + redirect.pathname, REDIRECT_URL);
    assert.equal(redirect.searchParams.get('state'), state);
    const code = redirect.searchParams.get('code');
    assert.ok(code && code !== 'null', 'no auth code in the redirect');

    // Token exchange on the auth host (ref §3.2); the emulator serves the auth host paths too.
    const auth = createTikTokAuth({ authBaseUrl: em.url, appKey: APP_KEY, appSecret: APP_SECRET });
    const grant = await auth.exchangeAuthCode(code);
    const tokens = new MemoryTokenProvider(auth);
    const baseDeps: TikTokClientDeps = {
      baseUrl: em.url,
      authBaseUrl: em.url,
      appKey: APP_KEY,
      appSecret: APP_SECRET,
      tokens,
      ...options.client,
    };
    const client = createTikTokClient(baseDeps);

    // Get Authorized Shops with the raw token (no shop id known yet): the shop_cipher comes from here (ref §3.3).
    const shops = await getAuthorizedShops(client, { accessToken: grant.accessToken });
    const authorizedShop = shops.find((s) => s.shopId === seeded.shop.id);
    assert.ok(authorizedShop, 'the authorized shop is not listed');
    tokens.set(authorizedShop.shopId, grant);

    return {
      em,
      url: em.url,
      auth,
      tokens,
      client,
      shop: { shopId: authorizedShop.shopId, shopCipher: authorizedShop.shopCipher },
      authorizedShop,
      grant,
      sellerOpenId: seeded.seller.openId,
      warehouseIds,
      products,
      admin,
      makeClient: (overrides = {}) => createTikTokClient({ ...baseDeps, ...overrides }),
      close: () => em.close(),
    };
  } catch (err) {
    await em.close();
    throw err;
  }
}

export interface PlaceOrderOptions {
  items: { sku_id: string; quantity?: number }[];
  shipping_type?: 'SELLER' | 'TIKTOK';
  warehouse_id?: string;
  buyer_user_id?: string;
  paid?: boolean;
}

/** Admin: a buyer places (and by default pays) an order; it is ON_HOLD until the remorse window ends. */
export async function placeOrder(h: Harness, o: PlaceOrderOptions): Promise<string> {
  const order = await h.admin<{ id: string }>('/orders', { shop_id: h.shop.shopId, ...o });
  return order.id;
}

/** Moves the emulator's business clock; due transitions (remorse end, audits, ...) are applied first. */
export async function advanceClock(h: Harness, ms: number): Promise<void> {
  await h.admin('/clock/advance', { ms });
}

/** Places orders and lets the 1 h remorse window (ref §5.3) pass, so they are AWAITING_SHIPMENT. */
export async function placeShippableOrders(h: Harness, orders: PlaceOrderOptions[]): Promise<string[]> {
  const ids: string[] = [];
  for (const o of orders) ids.push(await placeOrder(h, o));
  await advanceClock(h, HOUR + MINUTE);
  return ids;
}

/** Asserts that `promise` rejects with a client failure of class `cls`; returns it for further checks. */
export async function expectFailure<T extends TikTokFailure>(
  promise: Promise<unknown>,
  cls: abstract new (...args: never[]) => T,
  check?: (err: T) => void,
): Promise<T> {
  let caught: unknown;
  try {
    await promise;
  } catch (err) {
    caught = err;
  }
  assert.ok(caught !== undefined, `expected ${cls.name}, but the call succeeded`);
  assert.ok(
    caught instanceof cls,
    `expected ${cls.name}, got ${caught instanceof Error ? `${caught.constructor.name}: ${caught.message}` : JSON.stringify(caught)}`,
  );
  check?.(caught);
  return caught;
}

export interface RawEnvelope {
  code: number;
  message: string;
  request_id: string;
  data: any;
}

export interface RawCall {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  path: string;
  query?: Record<string, string>;
  body?: string;
  token?: string;
  /** Overrides the computed sign. */
  sign?: string;
  timestampSec?: number;
  appSecret?: string;
  contentType?: string;
}

/**
 * A hand-crafted Open API request with plain `fetch`, for the negative cases the client would never send.
 * The sign is computed with the client's own signRequest (ref §2.2) unless `sign` is given.
 */
export async function rawOpenApi(h: Harness, c: RawCall): Promise<{ status: number; body: RawEnvelope }> {
  const query: Record<string, string> = {
    app_key: APP_KEY,
    timestamp: String(c.timestampSec ?? Math.floor(Date.now() / 1000)),
    ...(c.query ?? {}),
  };
  const contentType = c.contentType ?? 'application/json';
  const sign =
    c.sign ?? signRequest({ appSecret: c.appSecret ?? APP_SECRET, path: c.path, query, body: c.body, contentType });
  const url = new URL(h.url + c.path);
  for (const [k, v] of Object.entries({ ...query, sign })) url.searchParams.append(k, v);
  const res = await fetch(url, {
    method: c.method,
    headers: { 'content-type': contentType, 'x-tts-access-token': c.token ?? h.grant.accessToken },
    body: c.body,
  });
  return { status: res.status, body: (await res.json()) as RawEnvelope };
}

export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  rawBody: string;
  status: number;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  waitFor(pred: (r: ReceivedWebhook[]) => boolean, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

/** A local HTTP receiver; `handle` decides the status (200 accepted, 401 bad signature, ref §11.1). */
export async function startWebhookReceiver(
  handle: (rawBody: string, headers: IncomingHttpHeaders) => number,
): Promise<WebhookReceiver> {
  const received: ReceivedWebhook[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      let status = 500;
      try {
        status = handle(rawBody, req.headers);
      } catch {
        status = 400;
      }
      received.push({ headers: req.headers, rawBody, status });
      res.writeHead(status);
      res.end(); // ref §11.1: 200 with an empty body
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/tiktok/webhooks`,
    received,
    waitFor: async (pred, timeoutMs = 5000) => {
      const start = Date.now();
      while (!pred(received)) {
        if (Date.now() - start > timeoutMs) throw new Error(`timed out waiting for webhooks (got ${received.length})`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
