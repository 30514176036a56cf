// Benchmark of the monthly tax report (issue 20 targets): one month of a large shop already in PostgreSQL —
// N order lines (default 1,000,000, bulk-inserted by generate_series over every jurisdiction of the product's rate
// table: TikTok-facilitated, seller-collected, exempt, refunds, samples, with a planted over-charge every 1,000th
// TikTok line) and the 23 months before it as seeded daily totals per state — to the finished report
// (computeTaxReportStep called until done, in a process of its own whose RSS is sampled, as the worker runs it:
// pages by cursor, nexus from the SQL daily aggregate, CSV and PDF stored, hash chained), compared in the same run
// with a single SQL aggregate over the same rows (the floor). Targets: ≤ 5 minutes, worker RSS < 1 GB.
//
//   npm run bench:tax-report [-- --lines=1000000]
import crypto from 'node:crypto';
import { createTaxReportActivities, type TaxReportSummary } from '../activities/taxReport';
import { ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate, type Db } from '../db/knex';
import { createTaxRegistrationRepository } from '../db/taxRegistrations';
import { createTaxReportRepository } from '../db/taxReports';
import { createTaxSalesRepository } from '../db/taxSales';
import { parseCommandLine } from '../scripts/commandLine';
import { RATE_TABLE, combinedPpm } from '../tax/rateTable';
import { fmt, hostLine, killBenchChildren, runMeasuredChild, startBenchServices, wholeNumber } from './lib';

const SHOP = 'bench-tax-shop';
const PERIOD = '2026-10';
const TZ = 'America/Chicago';
const TARGET_MS = 5 * 60_000;

/**
 * N lines over October 2026 (Chicago: 2026-10-01T05:00Z to 2026-11-01T05:00Z), round-robin over the rate table's
 * ZIPs. Of every 100 lines: 80 TikTok sales, 13 own-site sales (tax collected), 2 exempt wholesale sales, 3 refunds
 * (TikTok and own-site), 2 creator samples. Tax charged at the ZIP's combined rate; every 1,000th TikTok sale is
 * over-charged by 1.00.
 */
async function seedMonth(db: Db, lines: number): Promise<void> {
  const zips = RATE_TABLE.map((r) => `('${r.zip}', '${r.state}', ${combinedPpm(r)}, ${r.freightTaxable})`).join(', ');
  await db.raw(
    `WITH z(zip, state, ppm, freight) AS (VALUES ${zips}),
     zn AS (SELECT row_number() OVER (ORDER BY zip) - 1 AS i, * FROM z),
     g AS (
       SELECT g, g % 100 AS k, (g % 37) + 5.00 AS price, CASE WHEN g % 3 = 0 THEN 4.99 ELSE 0 END AS ship,
         zn.zip, zn.state, zn.ppm, zn.freight
       FROM generate_series(0, :n - 1) AS g JOIN zn ON zn.i = g % (SELECT count(*) FROM z))
     INSERT INTO tax_sales_lines (shop_id, channel, source, order_id, line_id, kind, occurred_at, ship_to_state,
       ship_to_zip, quantity, gross, seller_discount, platform_discount, shipping, item_tax, shipping_tax, collected_by,
       exempt_reason, fulfilled_by, refund_of_line_id, currency)
     SELECT :shop,
       CASE WHEN k < 80 OR k IN (95, 96) OR k >= 98 THEN 'tiktok' WHEN k < 95 THEN 'shopify' ELSE 'wholesale' END,
       CASE WHEN k < 80 OR k IN (95, 96) OR k >= 98 THEN 'tiktok_finance' ELSE 'import' END,
       'B' || g, '1',
       CASE WHEN k IN (95, 96, 97) THEN 'refund' WHEN k >= 98 THEN 'sample' ELSE 'sale' END,
       timestamptz '2026-10-01 05:00:00+00' + g * (interval '31 days' / :n),
       state, zip, 1,
       CASE WHEN k IN (95, 96, 97) THEN -price ELSE price END,
       CASE WHEN k BETWEEN 80 AND 92 AND g % 2 = 0 THEN 1.00 ELSE 0 END,
       CASE WHEN k < 80 AND g % 5 = 0 THEN 0.50 ELSE 0 END,
       CASE WHEN k IN (95, 96, 97) THEN -ship ELSE ship END,
       CASE WHEN k >= 98 OR k IN (93, 94) THEN 0
         ELSE round((CASE WHEN k IN (95, 96, 97) THEN -price ELSE price END
                     - CASE WHEN k BETWEEN 80 AND 92 AND g % 2 = 0 THEN 1.00 ELSE 0 END) * ppm / 1000000.0, 2)
              + CASE WHEN k < 80 AND g % 1000 = 0 THEN 1.00 ELSE 0 END END,
       CASE WHEN k >= 98 OR k IN (93, 94) OR NOT freight THEN 0
         ELSE round((CASE WHEN k IN (95, 96, 97) THEN -ship ELSE ship END) * ppm / 1000000.0, 2) END,
       CASE WHEN k < 80 OR k IN (95, 96) THEN 'tiktok' WHEN k IN (93, 94) OR k >= 98 THEN 'none' ELSE 'seller' END,
       CASE WHEN k IN (93, 94) THEN 'resale' END,
       CASE WHEN g % 4 = 0 THEN 'fbt' ELSE 'seller' END,
       CASE WHEN k IN (95, 96, 97) THEN '0' END,
       'USD'
     FROM g`,
    { shop: SHOP, n: lines },
  );
}

/** The 23 months before October as one line per state, day and collector: the daily totals the nexus tests read. */
async function seedPriorDays(db: Db): Promise<number> {
  const states = [...new Set(RATE_TABLE.map((r) => `('${r.state}', '${r.zip}')`))].join(', ');
  const result = await db.raw<{ rowCount: number }>(
    `WITH s(state, zip) AS (VALUES ${states})
     INSERT INTO tax_sales_lines (shop_id, channel, source, order_id, line_id, kind, occurred_at, ship_to_state,
       ship_to_zip, quantity, gross, seller_discount, platform_discount, shipping, item_tax, shipping_tax, collected_by,
       fulfilled_by, currency)
     SELECT :shop, c.channel, c.source, 'D-' || s.zip || '-' || c.channel || '-' || d::date, '1', 'sale',
       d + interval '18 hours', s.state, s.zip, 1, c.amount, 0, 0, 0, 0, 0, c.collected_by, 'seller', 'USD'
     FROM s CROSS JOIN generate_series(date '2024-11-01', date '2026-09-30', interval '1 day') AS d
       CROSS JOIN (VALUES ('tiktok', 'tiktok_finance', 'tiktok', 2400.00), ('shopify', 'import', 'seller', 380.00))
         AS c(channel, source, collected_by, amount)`,
    { shop: SHOP },
  );
  return result.rowCount;
}

/** The child: computeTaxReportStep until done, as the workflow would call it; prints the summary as JSON. */
async function child(): Promise<void> {
  const db = createDb(process.env.DATABASE_URL!, 4);
  const keyring = { activeKeyId: 'bench', keys: new Map([['bench', crypto.randomBytes(32)]]) };
  const acts = createTaxReportActivities({ cfg: { FILE_MAX_BYTES: 50 * 1024 * 1024 }, db, secretsKeyring: keyring });
  let cursor: string | undefined;
  let calls = 0;
  for (;;) {
    calls += 1;
    const r = await acts.computeTaxReportStep({
      shopId: SHOP,
      period: PERIOD,
      timeZone: TZ,
      ...(cursor ? { cursor } : {}),
    });
    console.log(`[child] call ${calls}: ${r.progress.lines} lines${r.done ? ', done' : ''}`);
    if (r.done) {
      console.log(`SUMMARY ${JSON.stringify({ calls, summary: r.summary })}`);
      break;
    }
    cursor = r.cursor;
  }
  await db.destroy();
}

async function main(): Promise<void> {
  const { values } = parseCommandLine('npm run bench:tax-report [-- --lines=1000000]', {
    lines: { type: 'string' },
    child: { type: 'boolean' },
  });
  if (values.child) return child();
  const lines = wholeNumber('lines', values.lines) ?? 1_000_000;
  const log = (m: string) => console.log(`[bench] ${m}`);
  log(hostLine());
  const bench = await startBenchServices(log);
  try {
    const url = await ensureDatabase(bench.services.databaseAdminUrl, 'bench_tax_report');
    const db = createDb(url, 5);
    await migrate(db);
    let t = performance.now();
    await seedMonth(db, lines);
    const prior = await seedPriorDays(db);
    const sales = createTaxSalesRepository(db);
    await sales.recordCoverage(SHOP, 'tiktok_finance', '2024-11-01', '2026-10-31');
    await sales.recordCoverage(SHOP, 'import', '2024-11-01', '2026-10-31');
    await sales.replacePresence(SHOP, 'tiktok_fbt', [
      { state: 'TX', locationId: 'FBT-TX', locationKind: 'fbt', fromDay: '2026-10-15', toDay: null, units: 1000 },
    ]);
    const regs = createTaxRegistrationRepository(db);
    for (const state of ['CA', 'TX', 'WA'])
      await regs.put(SHOP, state, {
        permitNumber: `${state}-1`,
        filingFrequency: 'monthly',
        startDate: '2024-01-01',
        updatedBy: 'bench',
      });
    await db.raw('ANALYZE tax_sales_lines');
    log(
      `${lines} lines of ${PERIOD} and ${prior} prior daily totals inserted in ${fmt((performance.now() - t) / 1000)} s`,
    );

    // Ours: the activity in a process of its own, as the worker runs it.
    const {
      code,
      out,
      ms: oursMs,
      maxRssMb: maxRss,
    } = await runMeasuredChild(__filename, ['--child'], {
      env: { ...process.env, DATABASE_URL: url },
      onLine: (l) => l.startsWith('[child]') && log(l),
    });
    const m = /SUMMARY (.*)/.exec(out);
    if (code !== 0 || !m) throw new Error(`the report process exited with ${code}`);
    const { calls, summary } = JSON.parse(m[1]!) as { calls: number; summary: TaxReportSummary };
    const report = (await createTaxReportRepository(db).get(summary.reportId))!;
    const o = report.outputs!;
    log(
      `ours: ${o.lines} lines in ${calls} calls → ${o.states.length} states, ${summary.differences} differences, ` +
        `${summary.sellerOwedTransactions} seller-owed transactions, tax due ${summary.sellerOwedTax}, ` +
        `${fmt(oursMs / 1000)} s; worker RSS max ${fmt(maxRss, 0)} MB`,
    );

    // The floor: one SQL aggregate over the same rows (per state and collector, no classification, no nexus).
    t = performance.now();
    const floor = await db.raw<{ rows: { state: string; gross: string; lines: string }[] }>(
      `SELECT ship_to_state AS state, collected_by,
         sum(gross - seller_discount + shipping) FILTER (WHERE kind IN ('sale', 'refund'))::text AS gross,
         sum(item_tax + shipping_tax)::text AS tax, count(*)::text AS lines
       FROM tax_sales_lines
       WHERE shop_id = :shop AND occurred_at >= timestamptz '2026-10-01 05:00:00+00'
         AND occurred_at < timestamptz '2026-11-01 05:00:00+00'
       GROUP BY 1, 2`,
      { shop: SHOP },
    );
    const floorMs = performance.now() - t;
    const floorGross = floor.rows.reduce((s, r) => s + Math.round(Number(r.gross ?? 0) * 100), 0);
    const floorLines = floor.rows.reduce((s, r) => s + Number(r.lines), 0);
    const oursGross = o.states.reduce((s, x) => s + x.grossCents, 0);
    const same = floorGross === oursGross && floorLines === o.lines;
    log(
      `single SQL aggregate: ${fmt(floorMs / 1000)} s; gross and line count ${same ? 'equal to' : 'DIFFERENT from'} the report's`,
    );
    const ok = oursMs <= TARGET_MS && maxRss < 1024 && same;
    console.log(
      `tax report bench: ${ok ? 'ok' : 'MISSED'} — ${o.lines} lines: report ${fmt(oursMs / 1000)} s (target ≤ 300 s), ` +
        `worker RSS max ${fmt(maxRss, 0)} MB (target < 1024), single SQL aggregate ${fmt(floorMs / 1000)} s ` +
        `(×${fmt(oursMs / floorMs, 1)}), same totals: ${same}`,
    );
    process.exitCode = ok ? 0 : 1;
    await db.destroy();
  } finally {
    killBenchChildren();
    await bench.stop();
  }
}

void main().catch((err: unknown) => {
  console.error(err);
  killBenchChildren();
  process.exit(1);
});
