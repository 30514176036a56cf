// Benchmark of the affiliate commission audit (issue 21): N affiliate order lines already in PostgreSQL (bulk insert
// with generate_series, problems planted at fixed strides) → the finished audit (`affiliateAudit` workflow on the
// product's worker, a process of its own whose RSS is sampled: findings computed page by page, actions proposed,
// human steps opened), compared in the same run with a single SQL pass over the same rows (the same statements,
// one page holding everything). Targets: ≤ 3 minutes, worker RSS < 1 GB.
//
//   npm run bench:affiliate [-- --lines=500000]
import { spawn } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { loadConfig, REPO_ROOT } from '../config';
import { createAffiliateFindingsRepository, type AuditScope } from '../db/affiliateFindings';
import { ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate, type Db } from '../db/knex';
import { parseCommandLine } from '../scripts/commandLine';
import { DEFAULT_SHOP_SETTINGS } from '../shopSettings/schema';
import { createDataConverter } from '../temporal/connection';
import { startAffiliateAudit } from '../temporal/affiliateAudit';
import { getAffiliateAuditQuery } from '../workflows/affiliateAudit/messages';
import { parsePeriod, type AuditPeriod } from '../workflows/affiliateAudit/period';
import { benchChildren, fmt, killBenchChildren, sampleRss, startBenchServices, wholeNumber } from './lib';

const SHOP = 'bench-affiliate-shop';
const CREATORS = 2_000;
const PERIOD = '2026-10';

/** N lines over October 2026: 1–2 lines an order, 2,000 creators, problems at fixed strides. */
async function seed(db: Db, lines: number): Promise<void> {
  await db.raw(
    `INSERT INTO affiliate_order_lines (shop_id, order_id, line_no, order_status, order_create_time, delivery_time,
       product_id, quantity, price_amount, currency, open_collaboration_id, creator_username, content_type,
       commission_rate, shop_ads_commission_rate, estimated_commission_base, estimated_paid_commission,
       estimated_paid_shop_ads_commission, actual_commission_base, actual_paid_commission,
       actual_paid_shop_ads_commission, refunded_quantity, returned_quantity)
     SELECT :shop, 'O' || (g / 2), g % 2,
       CASE WHEN (g / 2) % 997 = 0 THEN 'CANCELLED' ELSE 'COMPLETED' END,
       timestamptz '2026-10-01' + (g / 2) * (interval '31 days' / (:n / 2 + 1)),
       CASE WHEN (g / 2) % 997 = 0 THEN NULL ELSE timestamptz '2026-10-04' END,
       'P' || (g % 50), 2, 25.00, 'USD', 'OC' || (g % 50),
       -- the second line of every 1,000th order is the first's product credited to another creator
       'c' || lpad(((CASE WHEN g % 2 = 1 AND (g / 2) % 1000 = 0 THEN g - 1 ELSE g END) % ${CREATORS} + (g % 2) * 7)::text, 4, '0'),
       'VIDEO', 1000, CASE WHEN g % 500 = 0 THEN 500 ELSE NULL END,
       50.00, 5.00, CASE WHEN g % 500 = 0 THEN 2.50 ELSE 0 END,
       -- every 700th line: one unit refunded, the actual base still on both
       CASE WHEN g % 700 = 0 OR (g / 2) % 997 = 0 THEN 50.00 ELSE 50.00 END,
       CASE WHEN (g / 2) % 997 = 0 THEN 0 ELSE 5.00 END,
       CASE WHEN g % 500 = 0 THEN 2.50 ELSE 0 END,
       CASE WHEN g % 700 = 0 OR (g / 2) % 997 = 0 THEN 1 ELSE 0 END, 0
     FROM generate_series(0, :n - 1) AS g`,
    { shop: SHOP, n: lines },
  );
  // Half of the double-credited products: same product, another creator (the stride above keeps product g % 50 apart).
  await db.raw(
    `UPDATE affiliate_order_lines SET product_id = (SELECT product_id FROM affiliate_order_lines f
       WHERE f.shop_id = affiliate_order_lines.shop_id AND f.order_id = affiliate_order_lines.order_id AND f.line_no = 0)
     WHERE shop_id = :shop AND line_no = 1 AND substr(order_id, 2)::bigint % 1000 = 0`,
    { shop: SHOP },
  );
  await db.raw(
    `INSERT INTO affiliate_creators (shop_id, creator_open_id, username)
     SELECT :shop, 'open-c' || lpad(i::text, 4, '0'), 'c' || lpad(i::text, 4, '0') FROM generate_series(0, :n + 7) i`,
    { shop: SHOP, n: CREATORS },
  );
  // Every 100th creator sells at a GMV per view under the default target (GPM 5 = 0.005 per view).
  await db.raw(
    `INSERT INTO affiliate_creator_performance (shop_id, creator_open_id, as_of_date, currency, gpm)
     SELECT :shop, 'open-c' || lpad(i::text, 4, '0'), date '2026-10-31', 'USD',
       CASE WHEN i % 100 = 0 THEN 5.00 ELSE 40.00 END FROM generate_series(0, :n + 7) i`,
    { shop: SHOP, n: CREATORS },
  );
  await db.raw('ANALYZE affiliate_order_lines');
}

async function main(): Promise<void> {
  const { values } = parseCommandLine('npm run bench:affiliate [-- --lines=500000]', { lines: { type: 'string' } });
  const lines = wholeNumber('lines', values.lines) ?? 500_000;
  const log = (m: string) => console.log(`[bench] ${m}`);
  log(
    `host: ${os.cpus().length} CPUs, ${fmt(os.totalmem() / 2 ** 30)} GB; load average ${os
      .loadavg()
      .map((l) => fmt(l, 2))
      .join(' ')}`,
  );
  const bench = await startBenchServices(log);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-affiliate-bench-'));
  try {
    const url = await ensureDatabase(bench.services.databaseAdminUrl, 'bench_affiliate');
    const db = createDb(url, 5);
    await migrate(db);
    let t = performance.now();
    await seed(db, lines);
    const seeded = (await db('affiliate_order_lines').where({ shop_id: SHOP }).count({ n: '*' }))[0]!.n;
    log(`${seeded} affiliate order lines inserted in ${fmt((performance.now() - t) / 1000)} s (generate_series)`);

    const env: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'info',
      DATA_DIR: dataDir,
      DATABASE_URL: url,
      TEMPORAL_ADDRESS: bench.services.temporalAddress,
      TEMPORAL_TASK_QUEUE: `bench-affiliate-${crypto.randomBytes(3).toString('hex')}`,
    };
    const child = spawn(process.execPath, [path.join(REPO_ROOT, 'dist', 'workers', 'main.js')], {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    benchChildren.add(child);
    let out = '';
    await new Promise<void>((resolve, reject) => {
      setTimeout(() => reject(new Error(`worker not ready in 120 s: ${out.slice(-2000)}`)), 120_000).unref();
      const onData = (c: Buffer) => {
        out += c.toString();
        if (/worker started/.test(out)) resolve();
        if (out.length > 100_000) out = out.slice(-10_000);
      };
      child.stdout.on('data', onData);
      child.stderr.on('data', onData);
      child.once('exit', (code, signal) => reject(new Error(`worker exited ${code ?? signal}: ${out.slice(-2000)}`)));
    });
    log(`worker ${child.pid} polling ${env.TEMPORAL_TASK_QUEUE}`);
    // Read once the worker is up: it wrote the payload keys into DATA_DIR, and the client must use the same ones.
    const cfg = loadConfig(env);
    const rssAtStart = sampleRss(child.pid!).stop();
    const connection = await Connection.connect({ address: bench.services.temporalAddress });
    const client = new Client({ connection, namespace: 'default', dataConverter: createDataConverter(cfg) });

    const period = parsePeriod(PERIOD) as AuditPeriod;
    const rss = sampleRss(child.pid!);
    t = performance.now();
    const { workflowId } = await startAffiliateAudit(
      { temporal: client, taskQueue: cfg.TEMPORAL_TASK_QUEUE },
      SHOP,
      period,
      {
        sync: false,
      },
    );
    const handle = client.workflow.getHandle(workflowId);
    let view;
    const deadline = Date.now() + 10 * 60_000;
    for (;;) {
      if (Date.now() > deadline)
        throw new Error(`the audit did not finish in 10 minutes: ${JSON.stringify(view ?? null)}`);
      view = await handle.query(getAffiliateAuditQuery).catch(() => undefined);
      if (view?.stage === 'awaiting_decisions' || view?.stage === 'done') break;
      if (Math.floor((Date.now() - deadline) / 1000) % 15 === 0) {
        const d = await handle.describe().catch((e: unknown) => ({ status: { name: String(e) } }));
        log(`audit: ${view?.stage ?? 'no answer'} (${d.status.name})`);
      }
      await new Promise((r) => setTimeout(r, 1000));
    }
    const oursMs = performance.now() - t;
    const maxRss = rss.stop();
    const ours = view.summary!;
    await handle.terminate('benchmark done');
    log(
      `ours: ${ours.linesSeen} lines in ${ours.pages} pages, ${ours.creatorsSeen} creators → ${view.actions.length} ` +
        `actions put to a person in ${fmt(oursMs / 1000)} s; worker RSS ${fmt(rssAtStart, 0)} MB at start, ` +
        `${fmt(maxRss, 0)} MB max`,
    );

    // The same definitions in one pass: every order in one page, every creator in one page.
    const repo = createAffiliateFindingsRepository(db);
    const scope: AuditScope = { shopId: SHOP, periodKey: `${PERIOD}-single`, from: period.from, to: period.to };
    t = performance.now();
    await repo.beginAudit(scope, 'single-pass');
    await repo.findLinePage(scope, undefined, lines);
    await repo.findCreatorPage(scope, DEFAULT_SHOP_SETTINGS.affiliate.targets, '', CREATORS + 100);
    const singleMs = performance.now() - t;
    const single = await repo.totals(SHOP, scope.periodKey);
    const same = JSON.stringify(single) === JSON.stringify(ours.totals);
    log(`single SQL pass: ${fmt(singleMs / 1000)} s; findings ${same ? 'equal to' : 'DIFFERENT from'} the audit's`);
    for (const [kind, t2] of Object.entries(ours.totals))
      log(`  ${kind}: ${t2.count} findings, ${t2.money} USD at stake`);
    const ok = oursMs <= 180_000 && maxRss < 1024 && same;
    console.log(
      `affiliate audit bench: ${ok ? 'ok' : 'MISSED'} — ${ours.linesSeen} lines: audit ${fmt(oursMs / 1000)} s ` +
        `(target ≤ 180 s), worker RSS max ${fmt(maxRss, 0)} MB (target < 1024), single SQL pass ${fmt(singleMs / 1000)} s ` +
        `(×${fmt(oursMs / singleMs, 2)}), same findings: ${same}`,
    );
    process.exitCode = ok ? 0 : 1;
    await connection.close();
    await db.destroy();
  } finally {
    killBenchChildren();
    await bench.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  killBenchChildren();
  process.exit(1);
});
