/**
 * The product as deployed, for the flash-sale benchmark: the API and a worker as child processes (env pointing TikTok
 * at the emulator and the WMS at the bench's warehouse), the shop connected through the OAuth consent flow, the
 * catalog imported, worker RSS sampled from /proc.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { freePort } from '../db/embeddedPostgres';
import { DEV_SERVER_PRIORITY_LEVELS, stopChild } from '../temporal/devServer';
import { benchChildren, onRequestBody, startChild } from './lib';
import { consent, REMORSE_WINDOW_MS, SAFETY_BUFFER, sleep, type EmulatorWorld, type SalePlan } from './flashSaleWorld';

export const APP_KEY = 'flash_sale_app_key';
export const APP_SECRET = 'flash_sale_app_secret_0123456789ab';
const WMS_SECRET = 'flash-sale-wms-secret-0123456789';
/** The benchmark's payload codec key (a test key derived from a fixed text; never a deployment's). */
const BENCH_CODEC_KEYS = `bench:${crypto.createHash('sha256').update('flash-sale-bench payload codec').digest('base64')}`;

export interface WmsServer {
  url: string;
  /** Every hand-off POST body (order JSON) goes here. */
  onOrder(fn: (body: { version: number; order: WmsOrder }) => void): void;
  /** Every reservation POST body (integrations/wms.ts) goes here. */
  onReservation(fn: (reservation: WmsReservationBody) => void): void;
  close(): Promise<void>;
}

export interface WmsReservationBody {
  action: 'hold' | 'release';
  orderId: string;
  lineItems: { lineItemId: string; sellerSku: string }[];
}

export interface WmsOrder {
  orderId: string;
  cancelled?: boolean;
  lineItems: { lineItemId: string; sellerSku: string | null }[];
}

/** The bench's WMS endpoint: answers 200 at once and hands the order to the warehouse simulator. */
export async function startWms(): Promise<WmsServer> {
  let handler: (body: { version: number; order: WmsOrder }) => void = () => undefined;
  let onReservation: (reservation: WmsReservationBody) => void = () => undefined;
  const server = http.createServer((req, res) => {
    onRequestBody(req, (raw) => {
      try {
        const body = JSON.parse(raw.toString('utf8')) as
          { version: number; order: WmsOrder } | { reservation: WmsReservationBody };
        if ('reservation' in body) onReservation(body.reservation);
        else handler(body);
        res.end('ok');
      } catch (err) {
        res.statusCode = 400;
        res.end((err as Error).message);
      }
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`,
    onOrder: (fn) => void (handler = fn),
    onReservation: (fn) => void (onReservation = fn),
    close: () =>
      new Promise<void>((r) => {
        server.closeAllConnections();
        server.close(() => r());
      }),
  };
}

/** A child whose output is drained (kept: the last lines, for errors) once it is ready. */
async function startWorkerChild(env: NodeJS.ProcessEnv, log: (m: string) => void): Promise<ChildProcess> {
  // BENCH_WORKER_EXEC_ARGV="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the worker (node refuses it in NODE_OPTIONS).
  const execArgv = process.env.BENCH_WORKER_EXEC_ARGV?.split(' ').filter(Boolean) ?? [];
  const child = spawn(process.execPath, [...execArgv, path.join(REPO_ROOT, 'dist', 'workers', 'main.js')], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  benchChildren.add(child);
  child.once('exit', () => benchChildren.delete(child));
  const tail: string[] = [];
  // BENCH_WORKER_LOG=/path keeps everything the worker writes (to see what it logs under load).
  const keep = process.env.BENCH_WORKER_LOG
    ? fs.createWriteStream(process.env.BENCH_WORKER_LOG, { flags: 'a' })
    : undefined;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`worker not ready in 60 s:\n${tail.join('')}`)), 60_000);
    let ready = false;
    const onData = (c: Buffer) => {
      const text = c.toString();
      keep?.write(text);
      tail.push(text);
      if (tail.length > 50) tail.shift();
      if (!ready && /worker started/.test(text)) {
        ready = true;
        clearTimeout(timer);
        resolve();
      }
      if (ready && /"level":(50|60)/.test(text)) log(`worker: ${text.trim().slice(0, 400)}`);
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      if (!ready) reject(new Error(`worker exited with ${code}:\n${tail.join('')}`));
    });
  });
  return child;
}

/** Peak VmRSS of a process, sampled every 500 ms. */
export function rssSampler(pid: number): { peakMb(): number; stop(): void } {
  let peak = 0;
  const sample = () => {
    try {
      const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
      const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
      peak = Math.max(peak, kb);
    } catch {
      // process gone
    }
  };
  sample();
  const t = setInterval(sample, 500);
  t.unref();
  return { peakMb: () => peak / 1024, stop: () => clearInterval(t) };
}

export interface ProductStack {
  apiUrl: string;
  adminKey: string;
  taskQueue: string;
  worker: ChildProcess;
  /** Every worker process (BENCH_WORKERS), the first being `worker`. */
  workers: ChildProcess[];
  /**
   * `--chaos`: SIGKILLs worker `index` (no graceful shutdown: its sticky queue, running activities and rate-budget
   * waiters are left for the server and the other processes to notice) and starts an identical one in its place.
   * Resolves with the new process once it is polling.
   */
  killAndReplaceWorker(index: number): Promise<ChildProcess>;
  call(
    method: string,
    p: string,
    body?: unknown,
    timeoutMs?: number,
    headers?: Record<string, string>,
  ): Promise<{ status: number; json: any }>;
  stop(): Promise<void>;
}

/**
 * API + worker as deployed, against the emulator. `apiPort` must be the one the emulator's app redirects to.
 * `extraEnv` e.g. TIKTOK_RATE_LIMITS for the deadline-ordering scenario.
 */
export async function startProduct(opts: {
  databaseUrl: string;
  temporalAddress: string;
  emulatorUrl: string;
  apiPort: number;
  wmsUrl: string;
  taskQueue: string;
  dataDir?: string;
  extraEnv?: Record<string, string>;
  log: (m: string) => void;
}): Promise<ProductStack & { dataDir: string }> {
  const dataDir = opts.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'tso-flash-'));
  const adminKey = `tso_bench_${crypto.createHash('sha256').update(dataDir).digest('hex').slice(0, 32)}`;
  const apiUrl = `http://127.0.0.1:${opts.apiPort}`;
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
    DATABASE_URL: opts.databaseUrl,
    TEMPORAL_ADDRESS: opts.temporalAddress,
    TEMPORAL_PRIORITY_LEVELS: String(DEV_SERVER_PRIORITY_LEVELS),
    TEMPORAL_TASK_QUEUE: opts.taskQueue,
    ADMIN_API_KEY: adminKey,
    TIKTOK_APP_KEY: APP_KEY,
    TIKTOK_APP_SECRET: APP_SECRET,
    TIKTOK_API_BASE_URL: opts.emulatorUrl,
    TIKTOK_AUTH_BASE_URL: opts.emulatorUrl,
    TIKTOK_AUTHORIZE_URL: `${opts.emulatorUrl}/open/authorize`,
    PUBLIC_BASE_URL: apiUrl,
    WMS_URL: opts.wmsUrl,
    WMS_SIGNING_SECRET: WMS_SECRET,
    // The emulator's buyer-remorse window (startWorld): a lost end-of-window webhook is noticed 2 s after it.
    ORDER_REMORSE_WINDOW: `${REMORSE_WINDOW_MS / 1000}s`,
    // One payload key for every stack on the server: stacks of one `npm test` run share the dev server, and each
    // worker updates the namespace's retention Schedule at start, which it must decode (a stack with keys of its own
    // in DATA_DIR crashed on the previous stack's Schedule).
    PAYLOAD_CODEC_KEYS: BENCH_CODEC_KEYS,
    PAYLOAD_CODEC_ACTIVE_KEY_ID: 'bench',
    ...opts.extraEnv,
  };
  const children: ChildProcess[] = [];
  try {
    children.push(
      await startChild(
        'api/main.js',
        { ...env, API_PORT: String(opts.apiPort), API_HOST: '127.0.0.1', CODEC_PORT: String(await freePort()) },
        { url: `${apiUrl}/healthz` },
      ),
    );
    // As `npm start` and docker-compose run it: the webhook relay in its own process, beside the worker(s).
    // BENCH_WORKERS=N runs N worker processes on the task queue (Temporal's scale-out; default 1).
    const workerCount = Math.max(1, Number(process.env.BENCH_WORKERS ?? 1) || 1);
    const workers: ChildProcess[] = [];
    const workerEnv = { ...env, LOG_LEVEL: 'info', WEBHOOK_RELAY_IN_WORKER: 'false' };
    for (let i = 0; i < workerCount; i++) workers.push(await startWorkerChild(workerEnv, opts.log));
    children.push(...workers);
    children.push(await startChild('workers/relay.js', { ...env, LOG_LEVEL: 'info' }, /relay started/));
    const agent = new http.Agent({ keepAlive: true, maxSockets: 4096 });
    const call = async (
      method: string,
      p: string,
      body?: unknown,
      timeoutMs = 60_000,
      extraHeaders: Record<string, string> = {},
    ) => {
      const payload = body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body);
      return new Promise<{ status: number; json: any }>((resolve, reject) => {
        const req = http.request(
          `${apiUrl}${p}`,
          {
            method,
            agent,
            headers: {
              ...extraHeaders,
              authorization: `Bearer ${adminKey}`,
              ...(payload !== undefined
                ? {
                    'content-type': typeof body === 'string' ? 'text/csv' : 'application/json',
                    'content-length': String(Buffer.byteLength(payload)),
                  }
                : {}),
            },
          },
          (res) => {
            const chunks: Buffer[] = [];
            res.on('data', (c: Buffer) => chunks.push(c));
            res.on('end', () => {
              const text = Buffer.concat(chunks).toString('utf8');
              let json: unknown;
              try {
                json = text ? JSON.parse(text) : undefined;
              } catch {
                json = text;
              }
              resolve({ status: res.statusCode ?? 0, json });
            });
          },
        );
        req.setTimeout(timeoutMs, () => req.destroy(new Error('API request timed out')));
        req.on('error', reject);
        req.end(payload);
      });
    };
    const killAndReplaceWorker = async (index: number): Promise<ChildProcess> => {
      const dead = workers[index]!;
      const exited = new Promise<void>((resolve) =>
        dead.exitCode !== null || dead.signalCode !== null ? resolve() : dead.once('exit', () => resolve()),
      );
      dead.kill('SIGKILL');
      await exited;
      const fresh = await startWorkerChild(workerEnv, opts.log);
      workers[index] = fresh;
      children[children.indexOf(dead)] = fresh;
      return fresh;
    };
    return {
      apiUrl,
      adminKey,
      taskQueue: opts.taskQueue,
      get worker() {
        return workers[0]!;
      },
      workers,
      dataDir,
      call,
      killAndReplaceWorker,
      stop: async () => {
        agent.destroy();
        for (const c of children.reverse()) await stopChild(c);
      },
    };
  } catch (err) {
    for (const c of children.reverse()) await stopChild(c);
    throw err;
  }
}

/** The seller consents on TikTok; the callback runs shopConnection (tokens, cipher, webhook subscriptions). */
export async function connectShop(
  stack: ProductStack,
  world: Pick<EmulatorWorld, 'emulator' | 'shopId'>,
): Promise<void> {
  const link = await stack.call('POST', '/v1/tiktok/authorization-links', {});
  if (link.status !== 201) throw new Error(`authorization link: ${link.status} ${JSON.stringify(link.json)}`);
  const callback = await consent(world.emulator.url, link.json.url as string);
  const res = await fetch(callback);
  if (res.status !== 200) throw new Error(`OAuth callback: ${res.status} ${await res.text()}`);
  // The webhook subscriptions are made by the connection workflow; wait until TikTok has them.
  const deadline = Date.now() + 30_000;
  while (![...world.emulator.state.webhookSubscriptions.values()].some((w) => w.shopId === world.shopId)) {
    if (Date.now() > deadline) throw new Error('the shop connection subscribed no webhooks in 30 s');
    await sleep(200);
  }
}

/** ERP export (CSV, seller_sku match, 2-unit safety buffer) → catalogImport; waits for the report. */
export async function importCatalog(stack: ProductStack, world: EmulatorWorld, plan: SalePlan): Promise<void> {
  const parents = [...new Set(plan.skus.map((s) => s.parentKey))];
  const csv = [
    'type,parent_key,seller_sku,title,safety_buffer',
    ...parents.flatMap((parentKey) => [
      `parent,${parentKey},,Flash ${parentKey},`,
      ...plan.skus
        .filter((s) => s.parentKey === parentKey)
        .map((s) => `variant,${parentKey},${s.sellerSku},,${SAFETY_BUFFER}`),
    ]),
  ].join('\r\n');
  const res = await stack.call('POST', `/v1/shops/${world.shopId}/catalog/imports`, csv);
  if (res.status !== 202) throw new Error(`catalog import: ${res.status} ${JSON.stringify(res.json)}`);
  const deadline = Date.now() + 120_000;
  for (;;) {
    const r = await stack.call('GET', `/v1/shops/${world.shopId}/catalog/imports/${res.json.id}`);
    if (r.json?.status === 'completed') {
      if (r.json.rowsImported !== plan.skus.length)
        throw new Error(
          `catalog import matched ${r.json.rowsImported}/${plan.skus.length}: ${JSON.stringify(r.json.errors)}`,
        );
      return;
    }
    if (r.json?.status === 'failed' || Date.now() > deadline)
      throw new Error(`catalog import not completed: ${JSON.stringify(r.json)}`);
    await sleep(300);
  }
}
