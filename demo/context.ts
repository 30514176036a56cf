// What every demo needs before its scenario runs, against a running stack: the API and the emulator answer, the demo
// shop is found and connected, and time is compressed (demo/compressedTime.ts) without restarting anything.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { AVATAX_SANDBOX_URL, type AvaTaxSettings } from '../config/taxEngines';
import { compressTime } from './compressedTime';
import { DemoError, type ApiAnswer, type CliRun, type DemoContext, type DemoShop } from './scenario';

export interface DemoTarget {
  /** The product's HTTP API, e.g. http://127.0.0.1:3000. */
  apiUrl: string;
  /** An agency-wide operator or admin key (it creates consent links and a key for the demo's operator). */
  apiKey: string;
  /** The TikTok emulator, e.g. http://127.0.0.1:9100. */
  emulatorUrl: string;
  /** The emulator shop to use; default the one named "Demo Shop", else the first. */
  shopId?: string;
  compression: number;
  log: (line: string) => void;
  /** The AvaTax account the product commits to (the emulator's under `npm start`): the tax demo reads it back. */
  avatax?: Pick<AvaTaxSettings, 'accountId' | 'licenseKey' | 'baseUrl' | 'companyCode'>;
}

export interface OpenDemo {
  ctx: DemoContext;
  /** Puts the emulator's rules and the shop's settings back as they were. */
  restore(): Promise<void>;
}

const POLL_MS = 200;

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  try {
    return text ? (JSON.parse(text) as unknown) : undefined;
  } catch {
    return text;
  }
}

/** The message of an API or emulator error body ({error: {message}} or {error: "…"}). */
function errorText(json: unknown): string {
  const error = (json as { error?: unknown } | undefined)?.error;
  if (typeof error === 'string') return error;
  const message = (error as { message?: unknown } | undefined)?.message;
  return typeof message === 'string' ? message : JSON.stringify(json ?? null).slice(0, 300);
}

async function reach(url: string, what: string, hint: string): Promise<Response> {
  try {
    return await fetch(url, { signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new DemoError(`no ${what} at ${url}: ${hint}`);
  }
}

function httpClients(target: DemoTarget) {
  const api: DemoContext['api'] = async (method, apiPath, body, opts = {}) => {
    const headers: Record<string, string> = { authorization: `Bearer ${opts.key ?? target.apiKey}`, ...opts.headers };
    if (body !== undefined && !('content-type' in headers)) headers['content-type'] = 'application/json';
    const res = await fetch(`${target.apiUrl}${apiPath}`, {
      method,
      headers,
      body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
    });
    const answer: ApiAnswer = { status: res.status, json: await readJson(res) };
    if (!res.ok && !opts.accept?.includes(res.status)) {
      throw new DemoError(`${method} ${apiPath} answered HTTP ${res.status}: ${errorText(answer.json)}`);
    }
    return answer;
  };
  const download: DemoContext['download'] = async (apiPath) => {
    const res = await fetch(`${target.apiUrl}${apiPath}`, { headers: { authorization: `Bearer ${target.apiKey}` } });
    if (!res.ok) throw new DemoError(`GET ${apiPath} answered HTTP ${res.status}: ${errorText(await readJson(res))}`);
    return { bytes: Buffer.from(await res.arrayBuffer()), contentType: res.headers.get('content-type') };
  };
  const emulator: DemoContext['emulator'] = async (adminPath, body) => {
    const res = await fetch(`${target.emulatorUrl}/__admin${adminPath}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const json = await readJson(res);
    if (!res.ok) throw new DemoError(`emulator ${adminPath} answered HTTP ${res.status}: ${errorText(json)}`);
    return json;
  };
  const avatax: DemoContext['avatax'] = async (apiPath) => {
    const account = target.avatax;
    if (!account)
      throw new DemoError(
        'no AvaTax account to read back: run beside `npm start` (it keeps its AvaTax emulator in DATA_DIR/secrets) or set AVATAX_ACCOUNT_ID and AVATAX_LICENSE_KEY',
      );
    const base = { sandbox: AVATAX_SANDBOX_URL, production: 'https://rest.avatax.com' }[account.baseUrl];
    const res = await fetch(`${(base ?? account.baseUrl).replace(/\/+$/, '')}/api/v2${apiPath}`, {
      headers: {
        authorization: `Basic ${Buffer.from(`${account.accountId}:${account.licenseKey}`).toString('base64')}`,
      },
    });
    const json = await readJson(res);
    if (!res.ok) throw new DemoError(`AvaTax GET ${apiPath} answered HTTP ${res.status}: ${errorText(json)}`);
    return json;
  };
  return { api, emulator, download, avatax };
}

export async function until<T>(what: string, fn: () => Promise<T | undefined | false>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await fn();
      if (v !== undefined && v !== false) return v;
    } catch (err) {
      if (err instanceof DemoError) throw err;
      last = err;
    }
    if (Date.now() > deadline) {
      const why = last instanceof Error ? ` (last error: ${last.message})` : '';
      throw new DemoError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for ${what}${why}`);
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

/** `npm run cli -- …` is `node dist/cli/main.js …`: run that directly (no npm banner, one process less). */
function runCli(target: DemoTarget, args: string[], key?: string): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'cli', 'main.js'), ...args], {
      env: { ...process.env, OPS_API_URL: target.apiUrl, OPS_API_KEY: key ?? target.apiKey },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString('utf8')));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString('utf8')));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

interface AdminShop {
  id: string;
  name: string;
  openId: string;
}
interface AdminProduct {
  id: string;
  status: string;
  skus: { id: string; seller_sku: string; inventory: Record<string, { available?: number }> }[];
}

async function findShop(emulator: DemoContext['emulator'], wanted: string | undefined): Promise<DemoShop> {
  const { shops } = (await emulator('/shops')) as { shops: AdminShop[] };
  const shop = wanted ? shops.find((s) => s.id === wanted) : (shops.find((s) => s.name === 'Demo Shop') ?? shops[0]);
  if (!shop) throw new DemoError(wanted ? `the emulator has no shop ${wanted}` : 'the emulator has no shop');
  const { products } = (await emulator(`/products?shop_id=${encodeURIComponent(shop.id)}`)) as {
    products: AdminProduct[];
  };
  const skus = products
    .filter((p) => p.status === 'ACTIVATE')
    .flatMap((p) =>
      p.skus.map((s) => ({
        productId: p.id,
        skuId: s.id,
        sellerSku: s.seller_sku,
        available: Object.values(s.inventory).reduce((sum, level) => sum + (level.available ?? 0), 0),
      })),
    );
  const warehouseId = products.flatMap((p) => p.skus.flatMap((s) => Object.keys(s.inventory)))[0];
  if (skus.length === 0 || !warehouseId) throw new DemoError(`shop ${shop.id} has no active product with stock`);
  return { shopId: shop.id, name: shop.name, openId: shop.openId, warehouseId, skus };
}

/**
 * Connected means both sides know it: the product holds the shop as authorized, and this emulator (state in memory,
 * new at every `npm start`) has the shop's webhook subscriptions from a consent it saw.
 */
async function isConnected(ctx: Pick<DemoContext, 'api' | 'emulator' | 'shop'>): Promise<boolean> {
  const shop = await ctx.api('GET', `/v1/shops/${ctx.shop.shopId}`, undefined, { accept: [404] });
  if (shop.status !== 200 || shop.json?.authorization !== 'authorized') return false;
  const { subscriptions } = (await ctx.emulator(
    `/webhook-subscriptions?shop_id=${encodeURIComponent(ctx.shop.shopId)}`,
  )) as { subscriptions: unknown[] };
  return subscriptions.length > 0;
}

/** Follows a consent link as the seller's browser would: the emulator's page, then its redirect to our callback. */
async function consent(ctx: Pick<DemoContext, 'api' | 'emulator' | 'until' | 'shop'>, link?: string): Promise<void> {
  const url = link ?? ((await ctx.api('POST', '/v1/tiktok/authorization-links', {})).json.url as string);
  const page = await fetch(url, { redirect: 'manual' });
  const location = page.headers.get('location');
  if (page.status !== 302 || !location) throw new DemoError(`the consent page answered HTTP ${page.status}`);
  const callback = await fetch(location);
  const outcome = (await readJson(callback)) as { status?: string } | undefined;
  if (callback.status !== 200 && callback.status !== 202) {
    throw new DemoError(`the OAuth callback answered HTTP ${callback.status}: ${errorText(outcome)}`);
  }
  await ctx.until(`shop ${ctx.shop.shopId} connected (authorized, webhooks subscribed)`, () => isConnected(ctx));
}

/** Checks the stack, finds and connects the demo shop, compresses time. */
export async function openDemo(target: DemoTarget): Promise<OpenDemo> {
  const health = await reach(`${target.apiUrl}/healthz`, 'API', 'start the stack with `npm start` first');
  if (!health.ok)
    throw new DemoError(`the API at ${target.apiUrl} is not healthy: ${errorText(await readJson(health))}`);
  await reach(
    `${target.emulatorUrl}/__admin/health`,
    'TikTok emulator',
    '`npm start` runs it when no TikTok credentials are configured (TIKTOK_APP_KEY, TIKTOK_API_BASE_URL unset)',
  );
  const { api, emulator, download, avatax } = httpClients(target);
  const shop = await findShop(emulator, target.shopId);
  const partial = { api, emulator, shop, until };
  const ctx: DemoContext = {
    ...partial,
    download,
    avatax,
    avataxCompany: target.avatax?.companyCode,
    compression: target.compression,
    log: target.log,
    cli: (args, opts = {}) => runCli(target, args, opts.key),
    connectShop: (link) => consent(partial, link),
  };
  if (!(await isConnected(ctx))) {
    target.log(`connecting ${shop.name} (${shop.shopId}) through the consent link…`);
    await ctx.connectShop();
  }
  const restore = await compressTime(ctx, target.log);
  return { ctx, restore };
}
