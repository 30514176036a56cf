import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import {
  startTikTokShopEmulator,
  type EmulatorOptions,
  type RunningEmulator,
} from '../../emulators/tiktok-shop/server';
import { freePort } from '../../db/embeddedPostgres';
import { startTestStack, type TestStack } from './stack';

/** The emulator's admin API (unsigned JSON): GET without a body, POST with one. */
export function emulatorAdmin(url: string) {
  return async (path: string, body?: unknown): Promise<any> => {
    const res = await fetch(`${url}/__admin${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    assert.ok(res.ok, `admin ${path}: HTTP ${res.status} ${await res.clone().text()}`);
    return res.json();
  };
}

/** A local HTTP receiver (WMS, chat webhook) that records what it is sent. */
export async function captureServer(): Promise<{
  url: string;
  requests: { headers: http.IncomingHttpHeaders; body: string }[];
  close(): void;
}> {
  const requests: { headers: http.IncomingHttpHeaders; body: string }[] = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      requests.push({ headers: req.headers, body });
      res.end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () => server.close(),
  };
}

export interface EmulatorStack {
  emulator: RunningEmulator;
  stack: TestStack;
  admin: ReturnType<typeof emulatorAdmin>;
  shopId: string;
  /** The first warehouse (of `warehouseIds`). */
  warehouseId: string;
  warehouseIds: string[];
  /** The first SKU of the first product. */
  skuId: string;
  /** The seeded products as the emulator created them (id, skus with id and seller_sku). */
  products: any[];
  /** Follows a consent link through the emulator's page to our callback; returns the callback's JSON. */
  consent(url: string): Promise<any>;
  /** Creates a consent link and follows it: connects the shop (tokens, cipher, webhooks). */
  connect(): Promise<any>;
  stop(): Promise<void>;
}

export interface EmulatorStackOptions {
  appKey: string;
  appSecret: string;
  shopName: string;
  sellerName: string;
  /** Warehouses of the seeded shop (default 1). */
  warehouses?: number;
  /** Product bodies for the emulator's admin API, given the warehouse ids (default: one SKU SERUM-30, 50 units). */
  products?: (warehouseIds: string[]) => unknown[];
  /** More emulator settings (rules, tick). */
  emulator?: Pick<EmulatorOptions, 'rules' | 'tickIntervalMs' | 'startTime'>;
  /** More product configuration (e.g. ORDER_RECONCILE_INTERVAL). */
  env?: Record<string, string>;
}

/**
 * The in-process emulator with one seeded shop (one warehouse and one SKU unless told otherwise) and the product's
 * API + worker + relay pointed at it, on a port known in advance so the emulator can redirect to our callback.
 */
export async function startEmulatorStack(
  env: TestWorkflowEnvironment,
  opts: EmulatorStackOptions,
): Promise<EmulatorStack> {
  const apiPort = await freePort();
  const apiUrl = `http://127.0.0.1:${apiPort}`;
  const emulator = await startTikTokShopEmulator({
    port: 0,
    apps: [
      {
        appKey: opts.appKey,
        appSecret: opts.appSecret,
        serviceId: opts.appKey,
        redirectUrl: `${apiUrl}/oauth/tiktok/callback`,
      },
    ],
    allowLoopbackWebhookHttp: true,
    ...opts.emulator,
  });
  const admin = emulatorAdmin(emulator.url);
  const seeded = await admin('/shops', {
    name: opts.shopName,
    region: 'US',
    seller_name: opts.sellerName,
    warehouses: opts.warehouses ?? 1,
  });
  const shopId: string = seeded.shop.id;
  const warehouseIds: string[] = seeded.warehouses.map((w: { id: string }) => w.id);
  const bodies = opts.products?.(warehouseIds) ?? [
    {
      title: 'Serum',
      skus: [{ seller_sku: 'SERUM-30', price: '20.00', inventory: [{ warehouse_id: warehouseIds[0], quantity: 50 }] }],
    },
  ];
  const products: any[] = [];
  for (const product of bodies) products.push((await admin('/products', { shop_id: shopId, product })).product);
  const stack = await startTestStack(
    env,
    {
      TIKTOK_APP_KEY: opts.appKey,
      TIKTOK_APP_SECRET: opts.appSecret,
      TIKTOK_API_BASE_URL: emulator.url,
      TIKTOK_AUTH_BASE_URL: emulator.url,
      TIKTOK_AUTHORIZE_URL: `${emulator.url}/open/authorize`,
      PUBLIC_BASE_URL: apiUrl,
      ...opts.env,
    },
    { port: apiPort },
  );
  const consent = async (url: string) => {
    const page = await fetch(url, { redirect: 'manual' });
    assert.equal(page.status, 302);
    const callback = new URL(page.headers.get('location')!);
    assert.equal(callback.pathname, '/oauth/tiktok/callback');
    const res = await fetch(callback);
    const json = (await res.json()) as any;
    assert.equal(res.status, 200, JSON.stringify(json));
    return json;
  };
  return {
    emulator,
    stack,
    admin,
    shopId,
    warehouseId: warehouseIds[0]!,
    warehouseIds,
    skuId: products[0].skus[0].id,
    products,
    consent,
    async connect() {
      const link = await stack.call('POST', '/v1/tiktok/authorization-links', {});
      assert.equal(link.status, 201);
      return consent(link.json.url);
    },
    async stop() {
      await stack.stop();
      await emulator.close();
    },
  };
}
