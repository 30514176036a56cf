// Benchmark of the Finance import behind the monthly tax report (issue 20: "the import of those lines from the
// emulator reported as its own figure"): one month of a shop's TikTok orders in the TikTok emulator (two sale lines an
// order, POST /__admin/tax/seed with bulk_orders), imported into PostgreSQL by the real `syncTaxFinance` activity
// (activities/taxData/) through the real client: signed requests, the shared PostgreSQL rate budget at the published
// 50 calls/s per API (config/rateLimits.ts DEFAULT_RATE_LIMIT_SPEC), the emulator enforcing the same limit. The sync runs
// in a process of its own whose RSS is sampled, as the worker runs it. Compared in the same run with the floors: the
// time the rate limit alone imposes on the calls made (calls of each API ÷ 50/s, the APIs called one after another),
// and one bulk SQL copy of the same rows (the storage floor).
//
//   npm run bench:tax-import [-- --lines=100000]
import { createTaxDataActivities, type TaxFinanceSyncCounts } from '../activities/taxData';
import { ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate } from '../db/knex';
import { startTikTokShopEmulator } from '../emulators/tiktok-shop/server';
import type { TaxSeedAnswer } from '../emulators/tiktok-shop/taxSeed';
import { createTikTokClient, type TikTokClient } from '../integrations/tiktok/client';
import { apiBucketOf, createPostgresRateBudget, parseRateLimitConfig } from '../integrations/tiktok/rateBudget';
import { DEFAULT_RATE_LIMIT_SPEC } from '../config/rateLimits';
import { parseCommandLine } from '../scripts/commandLine';
import {
  emulatorAdminClient,
  fmt,
  hostLine,
  killBenchChildren,
  runMeasuredChild,
  startBenchServices,
  wholeNumber,
} from './lib';

const APP_KEY = 'bench_tax_import_app';
const APP_SECRET = 'bench_tax_import_secret_0123456789';
const PERIOD_FROM = '2026-10-01T00:00:00Z';
const PERIOD_TO = '2026-11-01T00:00:00Z';
/** The emulator's business clock: early November, so October is the month before and its last days are unsettled. */
const START_TIME = Date.parse('2026-11-05T12:00:00Z');
/** The published limit the budget and the emulator both apply (reference §4.4: 50 QPS per API). */
const CALLS_PER_SECOND = 50;

interface ChildInput {
  databaseUrl: string;
  emulatorUrl: string;
  shopId: string;
  shopCipher: string;
  accessToken: string;
  /** Real ms at which the emulator's business clock read START_TIME. */
  clockZero: number;
}

/** The child: syncTaxFinance over the month, as the worker would call it; prints counts and calls per API. */
async function child(input: ChildInput): Promise<void> {
  const db = createDb(input.databaseUrl, 4);
  const budget = createPostgresRateBudget({ db, limits: parseRateLimitConfig(DEFAULT_RATE_LIMIT_SPEC) });
  const raw = createTikTokClient({
    baseUrl: input.emulatorUrl,
    authBaseUrl: input.emulatorUrl,
    appKey: APP_KEY,
    appSecret: APP_SECRET,
    tokens: {
      getAccessToken: () => Promise.resolve(input.accessToken),
      refresh: () => Promise.resolve(input.accessToken),
    },
    budget,
  });
  const calls = new Map<string, number>();
  const client: TikTokClient = {
    ...raw,
    request: (req) => {
      const api = apiBucketOf(`${req.method} ${req.path}`);
      calls.set(api, (calls.get(api) ?? 0) + 1);
      return raw.request(req);
    },
  };
  const acts = createTaxDataActivities({
    db,
    tiktok: { client },
    tokens: { shopRef: () => Promise.resolve({ shopId: input.shopId, shopCipher: input.shopCipher }) },
    now: () => new Date(START_TIME + (Date.now() - input.clockZero)),
  });
  const counts = await acts.syncTaxFinance({ shopId: input.shopId, from: PERIOD_FROM, to: PERIOD_TO });
  const cpu = process.cpuUsage();
  const cpuMs = (cpu.user + cpu.system) / 1000;
  console.log(`SUMMARY ${JSON.stringify({ counts, calls: Object.fromEntries(calls), cpuMs })}`);
  await budget.close();
  await db.destroy();
}

async function main(): Promise<void> {
  const { values } = parseCommandLine('npm run bench:tax-import [-- --lines=100000]', {
    lines: { type: 'string' },
    child: { type: 'string' },
  });
  if (values.child) return child(JSON.parse(values.child) as ChildInput);
  const lines = wholeNumber('lines', values.lines) ?? 100_000;
  const log = (m: string) => console.log(`[bench] ${m}`);
  log(hostLine());
  const bench = await startBenchServices(log);
  const clockZero = Date.now();
  const em = await startTikTokShopEmulator({
    port: 0,
    startTime: START_TIME,
    apps: [
      {
        appKey: APP_KEY,
        appSecret: APP_SECRET,
        serviceId: 'bench_tax_import',
        redirectUrl: 'https://bench.example.test/cb',
      },
    ],
  });
  try {
    const admin = emulatorAdminClient(em.url);
    const seeded = (await admin('/shops', { name: 'Bench Tax Shop', region: 'US', seller_name: 'Bench Seller' })) as {
      shop: { id: string; cipher: string };
    };
    const shopId = seeded.shop.id;
    let t = performance.now();
    const seed = (await admin('/tax/seed', {
      shop_id: shopId,
      month: '2026-10',
      bulk_orders: Math.ceil(lines / 2),
    })) as TaxSeedAnswer;
    log(
      `emulator: ${seed.orders} orders of ${seed.month} (${seed.saleLines} sale lines) seeded in ${fmt((performance.now() - t) / 1000)} s`,
    );
    const token = (await admin('/tokens', { app_key: APP_KEY, shop_id: shopId })) as { access_token: string };
    const url = await ensureDatabase(bench.services.databaseAdminUrl, 'bench_tax_import');
    const db = createDb(url, 3);
    await migrate(db);

    // Ours: syncTaxFinance in a process of its own.
    const input: ChildInput = {
      databaseUrl: url,
      emulatorUrl: em.url,
      shopId,
      shopCipher: seeded.shop.cipher,
      accessToken: token.access_token,
      clockZero,
    };
    // This process serves the emulator during the sync: its CPU time is the emulator's share.
    const emulatorCpu = process.cpuUsage();
    const {
      code,
      out,
      ms: oursMs,
      maxRssMb: maxRss,
    } = await runMeasuredChild(__filename, [`--child=${JSON.stringify(input)}`]);
    const emCpu = process.cpuUsage(emulatorCpu);
    const emulatorCpuMs = (emCpu.user + emCpu.system) / 1000;
    const m = /SUMMARY (.*)/.exec(out);
    if (code !== 0 || !m) throw new Error(`the sync process exited with ${code}: ${out.slice(-2000)}`);
    const { counts, calls, cpuMs } = JSON.parse(m[1]!) as {
      counts: TaxFinanceSyncCounts;
      calls: Record<string, number>;
      cpuMs: number;
    };
    const totalCalls = Object.values(calls).reduce((a, b) => a + b, 0);
    const stored = Number((await db('tax_sales_lines').where({ shop_id: shopId }).count({ n: '*' }))[0]!.n);
    const imported = counts.saleLines + counts.sampleLines + counts.refundLines;
    log(
      `ours: ${imported} lines (${counts.saleLines} sales, ${counts.sampleLines} samples, ${counts.refundLines} refunds) ` +
        `of ${counts.orders} orders, ${stored} rows stored, in ${fmt(oursMs / 1000)} s = ${fmt(imported / (oursMs / 1000), 0)} lines/s; ` +
        `${totalCalls} calls (${Object.entries(calls)
          .map(([api, n]) => `${api} ${n}`)
          .join(', ')}); sync RSS max ${fmt(maxRss, 0)} MB; CPU: sync process ${fmt(cpuMs / 1000)} s, ` +
        `emulator ${fmt(emulatorCpuMs / 1000)} s`,
    );

    // Floors: the rate limit alone on the same calls (one API after another), and one bulk SQL copy of the rows.
    const rateFloorMs = Object.values(calls).reduce(
      (s, n) => s + (Math.max(0, n - CALLS_PER_SECOND) / CALLS_PER_SECOND) * 1000,
      0,
    );
    await db.raw('CREATE TEMP TABLE bench_copy (LIKE tax_sales_lines INCLUDING DEFAULTS)');
    t = performance.now();
    await db.raw('INSERT INTO bench_copy SELECT * FROM tax_sales_lines WHERE shop_id = ?', [shopId]);
    const sqlMs = performance.now() - t;
    const perMillion = (ms: number) => (ms / Math.max(1, imported)) * 1_000_000;
    log(
      `floors: rate limit ${fmt(rateFloorMs / 1000)} s for these ${totalCalls} calls at ${CALLS_PER_SECOND}/s per API; ` +
        `bulk SQL copy of the ${stored} rows ${fmt(sqlMs / 1000, 2)} s`,
    );
    const ok = stored >= seed.saleLines && imported >= seed.saleLines;
    console.log(
      `tax import bench: ${ok ? 'ok' : 'MISSED'} — ${imported} lines from the emulator's Finance API in ` +
        `${fmt(oursMs / 1000)} s (${fmt(imported / (oursMs / 1000), 0)} lines/s, ${totalCalls} calls, sync RSS max ` +
        `${fmt(maxRss, 0)} MB, CPU ${fmt(cpuMs / 1000)} s ours + ${fmt(emulatorCpuMs / 1000)} s emulator); rate-limit floor ${fmt(rateFloorMs / 1000)} s, bulk SQL copy ${fmt(sqlMs / 1000, 2)} s; ` +
        `1,000,000 lines projected at this rate: ${fmt(perMillion(oursMs) / 1000, 0)} s ` +
        `(rate-limit floor ${fmt(perMillion(rateFloorMs) / 1000, 0)} s)`,
    );
    process.exitCode = ok ? 0 : 1;
    await db.destroy();
  } finally {
    killBenchChildren();
    await em.close();
    await bench.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  killBenchChildren();
  process.exit(1);
});
