/**
 * `npm run bench:webhooks [-- --quick]`: a burst of signed ORDER_STATUS_CHANGE webhooks against the real receiver
 * (API process: verify, inbox row, 200) with the real relay draining it into Temporal (signal-with-start), compared
 * in the same run with two ceilings: a minimal receiver (verify + insert one row) and the server's raw
 * signal-with-start rate at the relay's concurrency.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { Pool } from 'pg';
import { ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate } from '../db/knex';
import { freePort } from '../db/embeddedPostgres';
import { computeWebhookSignature } from '../integrations/tiktok/signing';
import { WEBHOOK_ROUTES } from '../webhooks/routes';
import { startTestServices } from '../scripts/testServices';
import { stopChild } from '../temporal/devServer';
import { parseCommandLine } from '../scripts/commandLine';
import { fmt, openLoopLoad, percentile, startChild, type LoadResult } from './lib';

const quick =
  parseCommandLine('npm run bench:webhooks -- [--quick]', { quick: { type: 'boolean' } }).values.quick ?? false;
const RATE = quick ? 200 : 1000;
const SECONDS = quick ? 5 : 30;
const RELAY_CONCURRENCY = 32;
const APP_KEY = 'bench_app_key';
const SHOP_ID = '7495000000000001';
const APP_SECRET = crypto.randomBytes(16).toString('hex');
const say = (m: string) => process.stdout.write(`[bench] ${m}\n`);

function webhook(run: string, i: number) {
  const now = Math.floor(Date.now() / 1000);
  const body = Buffer.from(
    JSON.stringify({
      type: 1,
      tts_notification_id: `${run}-${i}`,
      shop_id: SHOP_ID,
      timestamp: now,
      data: {
        order_id: `57${run.replace(/\D/g, '').slice(0, 6)}${String(i).padStart(9, '0')}`,
        order_status: 'AWAITING_SHIPMENT',
        is_on_hold_order: false,
        update_time: now,
      },
    }),
  );
  return {
    body,
    headers: {
      'content-type': 'application/json',
      authorization: computeWebhookSignature({ appKey: APP_KEY, appSecret: APP_SECRET, rawBody: body }),
    },
  };
}

function summarize(name: string, r: LoadResult) {
  const p50 = percentile(r.latenciesMs, 50);
  const p99 = percentile(r.latenciesMs, 99);
  say(
    `${name}: sent ${r.sent} in ${fmt(r.durationMs / 1000)} s (${fmt(r.sent / (r.durationMs / 1000), 0)}/s), 2xx ${r.ok}, non-2xx ${r.non2xx}, errors ${r.errors}, p50 ${fmt(p50)} ms, p99 ${fmt(p99)} ms`,
  );
  return { p50, p99 };
}

async function rawSignalWithStartRate(address: string, count: number): Promise<number> {
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: RELAY_CONCURRENCY }, async () => {
      while (next < count) {
        const i = next++;
        await client.workflow.signalWithStart('benchSink', {
          workflowId: `bench-sws-${i}`,
          taskQueue: 'bench-no-worker',
          args: [],
          signal: 'ping',
          signalArgs: [{ i }],
        });
      }
    }),
  );
  const rate = count / ((performance.now() - started) / 1000);
  await connection.close();
  return rate;
}

async function main(): Promise<void> {
  say(`${quick ? 'quick' : 'full'} run: ${RATE} webhooks/s for ${SECONDS} s; ${os.cpus().length} cores`);
  const services = await startTestServices(say, { temporalOnDisk: true });
  const children: Awaited<ReturnType<typeof startChild>>[] = [];
  try {
    const dbUrl = await ensureDatabase(services.env.TEST_DATABASE_ADMIN_URL!, 'bench_webhooks');
    const db = createDb(dbUrl, 4);
    await migrate(db);
    // The shop the webhooks are about is connected (routes skip events of shops we do not know).
    await db('tiktok_authorizations').insert({
      open_id: 'bench-seller',
      key_id: 'bench',
      access_token_enc: Buffer.from('x'),
      access_token_expires_at: new Date(Date.now() + 86_400_000),
      refresh_token_enc: Buffer.from('x'),
      refresh_token_expires_at: new Date(Date.now() + 86_400_000),
    });
    await db('tiktok_shops').insert({
      shop_id: SHOP_ID,
      open_id: 'bench-seller',
      shop_cipher: 'ROW_bench',
      region: 'US',
    });
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-bench-'));
    const baseEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATA_DIR: dataDir,
      DATABASE_URL: dbUrl,
      TEMPORAL_ADDRESS: services.env.TEST_TEMPORAL_ADDRESS,
      TIKTOK_APP_KEY: APP_KEY,
      TIKTOK_APP_SECRET: APP_SECRET,
    };

    // Ceiling: the least a durable receiver can do.
    const minimalPort = await freePort();
    const minimal = await startChild('bench/minimalReceiver.js', { ...baseEnv, PORT: String(minimalPort) }, /ready/);
    children.push(minimal);
    // Warm-up (not counted): connection pools, JIT.
    await openLoopLoad({
      url: `http://127.0.0.1:${minimalPort}/`,
      ratePerSecond: RATE,
      seconds: 2,
      request: (i) => webhook('minwarm', i),
    });
    const ceiling = await openLoopLoad({
      url: `http://127.0.0.1:${minimalPort}/`,
      ratePerSecond: RATE,
      seconds: SECONDS,
      request: (i) => webhook('min', i),
    });
    await stopChild(minimal);
    const ceilingFigures = summarize('minimal receiver (ceiling)', ceiling);

    // The product: API process (receiver) + relay process, as deployed.
    const apiPort = await freePort();
    const api = await startChild(
      'api/main.js',
      {
        ...baseEnv,
        API_PORT: String(apiPort),
        API_HOST: '127.0.0.1',
        CODEC_PORT: String(await freePort()),
      },
      { url: `http://127.0.0.1:${apiPort}/healthz` },
    );
    children.push(api);
    // BENCH_NO_RELAY=1 isolates the receiver (diagnosis only; the reported run includes the relay).
    if (!process.env.BENCH_NO_RELAY) children.push(await startChild('bench/relayProcess.js', baseEnv, /relay ready/));
    await openLoopLoad({
      url: `http://127.0.0.1:${apiPort}/webhooks/tiktok`,
      ratePerSecond: RATE,
      seconds: 2,
      request: (i) => webhook('warm', i),
    });
    await db('webhook_inbox').del();
    const run = `r${Date.now()}`;
    const product = await openLoopLoad({
      url: `http://127.0.0.1:${apiPort}/webhooks/tiktok`,
      ratePerSecond: RATE,
      seconds: SECONDS,
      request: (i) => webhook(run, i),
    });
    const burstEnded = Date.now();
    const productFigures = summarize('POST /webhooks/tiktok (inbox)', product);

    const pool = new Pool({ connectionString: dbUrl, max: 2 });
    const count = async (where: string) =>
      Number((await pool.query<{ n: string }>(`select count(*) n from webhook_inbox ${where}`)).rows[0]!.n);
    const durable = await count('');
    let pending = await count(`where status in ('pending','failed')`);
    while (pending > 0 && Date.now() - burstEnded < 300_000) {
      await new Promise((r) => setTimeout(r, 500));
      pending = await count(`where status in ('pending','failed')`);
    }
    const drained = (
      await pool.query<{ n: string; first: Date; last: Date }>(
        `select count(*) n, min(routed_at) first, max(routed_at) last from webhook_inbox where status = 'routed'`,
      )
    ).rows[0]!;
    const unrouted = await count(`where status = 'unrouted'`);
    const routed = Number(drained.n);
    const drainSeconds = routed > 1 ? (drained.last.getTime() - drained.first.getTime()) / 1000 : NaN;
    const drainRate = routed / drainSeconds;
    await pool.end();
    for (const c of children.splice(0)) await stopChild(c);

    const swsCount = Math.max(500, Math.min(routed || 2000, quick ? 1000 : 5000));
    const swsRate = await rawSignalWithStartRate(services.env.TEST_TEMPORAL_ADDRESS!, swsCount);
    say(`raw signal-with-start (ceiling, concurrency ${RELAY_CONCURRENCY}): ${fmt(swsRate, 0)}/s over ${swsCount}`);
    say(
      `relay: routed ${routed} (unrouted ${unrouted}) at ${fmt(drainRate, 0)}/s; inbox drained ${fmt((Date.now() - burstEnded) / 1000)} s after the burst`,
    );
    if (!WEBHOOK_ROUTES.ORDER_STATUS_CHANGE)
      say('note: no route for ORDER_STATUS_CHANGE in this release: the relay only marks rows unrouted');
    await db.destroy();

    const acceptedUnique = product.ok;
    const rows: [string, string, string, string][] = [
      [
        'webhook p50 / p99 (ms)',
        `${fmt(productFigures.p50)} / ${fmt(productFigures.p99)}`,
        `${fmt(ceilingFigures.p50)} / ${fmt(ceilingFigures.p99)}`,
        'p99 ≤ 50',
      ],
      ['non-2xx + errors', String(product.non2xx + product.errors), String(ceiling.non2xx + ceiling.errors), '0'],
      ['events durable / accepted', `${durable} / ${acceptedUnique}`, '—', 'all'],
      [
        'relay drain (/s)',
        fmt(drainRate, 0),
        `${fmt(swsRate, 0)} (raw SWS)`,
        `≥ 80% of raw (${fmt((drainRate / swsRate) * 100, 0)}%)`,
      ],
    ];
    say('');
    say(`| figure | product | ceiling | target |`);
    say(`| --- | --- | --- | --- |`);
    for (const r of rows) say(`| ${r.join(' | ')} |`);
    const met = {
      p99: productFigures.p99 <= 50,
      lossless: durable === acceptedUnique && product.non2xx + product.errors === 0,
      drain: drainRate >= 0.8 * swsRate,
    };
    say(
      `targets: webhook p99 ≤ 50 ms ${met.p99 ? 'MET' : 'MISSED'}; every accepted event durable ${met.lossless ? 'MET' : 'MISSED'}; relay ≥ 80% of raw SWS ${met.drain ? 'MET' : 'MISSED'}`,
    );
  } finally {
    for (const c of children) await stopChild(c);
    await services.stop();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
