// Test helpers: a signed Open API client and a webhook receiver, written against the published API
// (docs/tiktok-shop-api-sources.md) rather than against the emulator's internals (only its exported signing
// function is reused for convenience).
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { computeRequestSign } from '../../../emulators/tiktok-shop/signing';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';

export const APP_KEY = 'test_app_key';
export const APP_SECRET = 'test_app_secret';

export interface Envelope {
  code: number;
  message: string;
  request_id: string;
  data: any;
}

export interface ApiCall {
  method?: string;
  path: string;
  query?: Record<string, string>;
  body?: unknown;
  token?: string;
  cipher?: string;
  timestamp?: number;
  sign?: string;
  appKey?: string;
  appSecret?: string;
}

export async function api(em: RunningEmulator, c: ApiCall): Promise<{ status: number; body: Envelope }> {
  const query: Record<string, string> = {
    app_key: c.appKey ?? APP_KEY,
    timestamp: String(c.timestamp ?? Math.floor(Date.now() / 1000)),
    ...(c.cipher ? { shop_cipher: c.cipher } : {}),
    ...(c.query ?? {}),
  };
  const bodyText = c.body === undefined ? '' : JSON.stringify(c.body);
  const sign =
    c.sign ??
    computeRequestSign({
      appSecret: c.appSecret ?? APP_SECRET,
      path: c.path,
      query,
      body: bodyText,
      contentType: 'application/json',
    });
  const qs = new URLSearchParams({ ...query, sign }).toString();
  const res = await fetch(`${em.url}${c.path}?${qs}`, {
    method: c.method ?? (c.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...(c.token ? { 'x-tts-access-token': c.token } : {}) },
    body: bodyText === '' ? undefined : bodyText,
  });
  return { status: res.status, body: (await res.json()) as Envelope };
}

export async function admin(em: RunningEmulator, path: string, body?: unknown): Promise<any> {
  const res = await fetch(`${em.url}/__admin${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json: unknown = await res.json();
  if (!res.ok) throw new Error(`admin ${path} → ${res.status} ${JSON.stringify(json)}`);
  return json;
}

export async function adminStatus(em: RunningEmulator, path: string, body: unknown): Promise<number> {
  const res = await fetch(`${em.url}/__admin${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  await res.arrayBuffer();
  return res.status;
}

export interface Shop {
  shopId: string;
  cipher: string;
  token: string;
  warehouseId: string;
  productId: string;
  skuId: string;
}

/** Seeds a shop with one warehouse and one product of one SKU, and issues an access token. */
export async function seedShop(em: RunningEmulator, stock = 10, warehouses = 1): Promise<Shop> {
  const s = await admin(em, '/shops', { warehouses });
  const whs: string[] = s.warehouses.map((w: { id: string }) => w.id);
  const pr = await admin(em, '/products', {
    shop_id: s.shop.id,
    product: {
      title: 'Widget',
      skus: [{ seller_sku: 'W-1', price: '12.50', inventory: whs.map((w) => ({ warehouse_id: w, quantity: stock })) }],
    },
  });
  const t = await admin(em, '/tokens', { app_key: APP_KEY, shop_id: s.shop.id });
  return {
    shopId: s.shop.id,
    cipher: s.shop.cipher,
    token: t.access_token,
    warehouseId: whs[0]!,
    productId: pr.product.id,
    skuId: pr.product.skus[0].id,
  };
}

export interface Received {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

export interface Receiver {
  url: string;
  received: Received[];
  /** status to answer for the n-th request (0-based); default 200 */
  statusFor: (n: number) => number;
  waitFor: (pred: (r: Received[]) => boolean, timeoutMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const received: Received[] = [];
  const recv: Partial<Receiver> = { received, statusFor: () => 200 };
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const n = received.length;
      received.push({ at: Date.now(), headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
      res.writeHead(recv.statusFor!(n));
      res.end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  recv.url = `http://127.0.0.1:${port}/hook`;
  recv.waitFor = async (pred, timeoutMs = 5000) => {
    const start = Date.now();
    while (!pred(received)) {
      if (Date.now() - start > timeoutMs) throw new Error(`timeout waiting for webhooks; got ${received.length}`);
      await new Promise((r) => setTimeout(r, 10));
    }
  };
  recv.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return recv as Receiver;
}

export const HOUR = 3_600_000;
export const DAY = 24 * HOUR;
