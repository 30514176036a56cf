import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { startTikTokShopEmulator, type RunningEmulator } from '../../emulators/tiktok-shop/server';
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
  warehouseId: string;
  skuId: string;
  /** Follows a consent link through the emulator's page to our callback; returns the callback's JSON. */
  consent(url: string): Promise<any>;
  /** Creates a consent link and follows it: connects the shop (tokens, cipher, webhooks). */
  connect(): Promise<any>;
  stop(): Promise<void>;
}

/**
 * The in-process emulator with one seeded shop (one warehouse, one SKU) and the product's API + worker + relay
 * pointed at it, on a port known in advance so the emulator can redirect to our callback.
 */
export async function startEmulatorStack(
  env: TestWorkflowEnvironment,
  opts: { appKey: string; appSecret: string; shopName: string; sellerName: string; env?: Record<string, string> },
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
  });
  const admin = emulatorAdmin(emulator.url);
  const seeded = await admin('/shops', {
    name: opts.shopName,
    region: 'US',
    seller_name: opts.sellerName,
    warehouses: 1,
  });
  const shopId: string = seeded.shop.id;
  const warehouseId: string = seeded.warehouses[0].id;
  const product = await admin('/products', {
    shop_id: shopId,
    product: {
      title: 'Serum',
      skus: [{ seller_sku: 'SERUM-30', price: '20.00', inventory: [{ warehouse_id: warehouseId, quantity: 50 }] }],
    },
  });
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
    warehouseId,
    skuId: product.product.skus[0].id,
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
