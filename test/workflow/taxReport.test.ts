// Issue 20 items 3 and 7: the monthly tax report of a seeded shop, end to end through its activities on PostgreSQL
// (computeTaxReportStep, stageTaxReportCommit, setTaxReportStatus). The golden figures are computed HERE from the
// seeded rows with this file's own rate table and arithmetic, never by the report code. Also: the month cut in the
// shop's time zone, refunds in their own month, FBT stock arriving mid-month, economic nexus crossed mid-month,
// incomplete history, the CSV and PDF by value, a resumed build giving the same report, the hash chain, a rebuild
// that is the same and one that differs, and the staged commit holding seller-owed transactions only.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { createTaxReportActivities, type TaxReportSummary } from '../../activities/taxReport';
import { createTaxEngineCommitRepository, type StagedTaxTransaction } from '../../db/taxEngineCommits';
import { createTaxRegistrationRepository } from '../../db/taxRegistrations';
import { createTaxReportRepository } from '../../db/taxReports';
import { createTaxSalesRepository, type TaxSalesLineInput } from '../../db/taxSales';
import { createFileStore } from '../../files/fileStore';
import type { Keyring } from '../../secrets/keyring';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { pdfText } from '../helpers/pdfText';
import { uniqueId } from '../helpers/temporal';

const PERIOD = '2026-03';
const TZ = 'America/Chicago';
const keyring: Keyring = {
  activeKeyId: 'k1',
  keys: new Map([['k1', crypto.createHash('sha256').update('tax-report-test').digest()]]),
};

// This test's own copy of the synthetic rates of the seeded ZIPs (per jurisdiction, percent) and freight taxability.
const RATES: Record<string, { pct: number[]; freight: boolean }> = {
  '78701': { pct: [6.25, 1, 1], freight: true },
  '92618': { pct: [6, 0.25, 0.5, 1], freight: false },
  '85004': { pct: [5.6, 0.7, 2.3], freight: false },
  '33131': { pct: [6, 1], freight: true },
  '10001': { pct: [4, 4.5, 0.375], freight: true },
};
const STATE_OF: Record<string, string> = { '78701': 'TX', '92618': 'CA', '85004': 'AZ', '33131': 'FL', '10001': 'NY' };

/** Tax in cents on `cents` at each jurisdiction's rate, each rounded half away from zero. */
const taxOn = (cents: number, zip: string): number =>
  RATES[zip]!.pct.reduce((s, p) => s + Math.sign(cents) * Math.round((Math.abs(cents) * p) / 100), 0);

interface Seed {
  id: string;
  at: string;
  zip: string;
  kind?: TaxSalesLineInput['kind'];
  channel?: string;
  by?: TaxSalesLineInput['collectedBy'];
  gross: number;
  disc?: number;
  pdisc?: number;
  ship?: number;
  exempt?: string;
  /** Cents added to the correct tax (planted over- or under-charge). */
  plant?: number;
  /** Tax charged: absent = correct for TikTok and the seller, 0 when nobody collected. */
  fulfilled?: TaxSalesLineInput['fulfilledBy'];
}

const c = (dollars: number) => Math.round(dollars * 100);
const d = (cents: number) => (cents / 100).toFixed(2);

// March in Chicago runs from 2026-03-01T06:00Z (CST) to 2026-04-01T05:00Z (CDT).
const SEEDS: Seed[] = [
  { id: 'T1', at: '2026-03-02T15:00:00Z', zip: '78701', gross: 40, disc: 4, pdisc: 2, ship: 5, fulfilled: 'fbt' },
  { id: 'T2', at: '2026-03-05T15:00:00Z', zip: '78701', gross: 25, plant: 150 }, // over-charged 1.50
  { id: 'T3', at: '2026-03-06T15:00:00Z', zip: '92618', gross: 60, ship: 6 },
  { id: 'T4', at: '2026-03-07T15:00:00Z', zip: '92618', gross: 80, plant: -c(80 * 0.0775) }, // charged nothing
  { id: 'T5', at: '2026-03-08T15:00:00Z', zip: '10001', gross: 15, ship: 3 },
  { id: 'T6', at: '2026-03-09T15:00:00Z', zip: '33131', gross: 30 },
  { id: 'T7', at: '2026-03-10T15:00:00Z', zip: '85004', gross: 22 },
  // Refund in March of a February TikTok sale (T0): booked in March, negative.
  { id: 'T8', at: '2026-03-11T15:00:00Z', zip: '78701', kind: 'refund', gross: -25 },
  // 23:30 on 28 February in Chicago: February, not in the report.
  { id: 'T9', at: '2026-03-01T05:30:00Z', zip: '78701', gross: 99 },
  // 23:30 on 31 March in Chicago: March.
  { id: 'T10', at: '2026-04-01T04:30:00Z', zip: '78701', gross: 11 },
  { id: 'T0', at: '2026-02-20T15:00:00Z', zip: '78701', gross: 25 },
  // A creator sample: a 100% seller discount; use tax on its list price.
  { id: 'S1', at: '2026-03-12T15:00:00Z', zip: '78701', kind: 'sample', by: 'none', gross: 20, disc: 20 },
  { id: 'D1', at: '2026-03-03T15:00:00Z', zip: '92618', channel: 'shopify', by: 'seller', gross: 120, ship: 8 },
  { id: 'D2', at: '2026-03-04T15:00:00Z', zip: '92618', channel: 'shopify', by: 'none', gross: 45, disc: 5 },
  { id: 'D0', at: '2026-02-10T15:00:00Z', zip: '92618', channel: 'shopify', by: 'seller', gross: 30 },
  { id: 'D3', at: '2026-03-13T15:00:00Z', zip: '92618', channel: 'shopify', by: 'seller', kind: 'refund', gross: -30 },
  // The Arizona sale that takes the year's direct sales from 95,000 to 101,000 on 10 March.
  { id: 'D4', at: '2026-03-10T15:00:00Z', zip: '85004', channel: 'shopify', by: 'seller', gross: 6000 },
  {
    id: 'W1',
    at: '2026-03-14T15:00:00Z',
    zip: '92618',
    channel: 'wholesale',
    by: 'none',
    gross: 500,
    exempt: 'resale',
  },
  // Texas (500,000 over the trailing 12 months, marketplace sales included): with this January sale the window
  // ending 31 March holds 25 + 99 (T0, T9) + 40 + 25 − 25 (T1, T2, T8) + 499,830 = 499,994 before T10 (11.00 at
  // 23:30 on 31 March in Chicago, 1 April in UTC), 500,005 with it: the threshold is crossed on the month's last day.
  { id: 'X1', at: '2026-01-15T15:00:00Z', zip: '78701', channel: 'shopify', by: 'seller', gross: 499_830 },
  // Arizona direct sales in January and February: 19 × 5,000 = 95,000.
  ...Array.from({ length: 19 }, (_, i): Seed => ({
    id: `A${i}`,
    at: `2026-0${1 + (i % 2)}-${String(3 + i).padStart(2, '0')}T18:00:00Z`,
    zip: '85004',
    channel: 'shopify',
    by: 'seller',
    gross: 5000,
  })),
];

function toInput(shopId: string, s: Seed): TaxSalesLineInput {
  const by = s.by ?? 'tiktok';
  const base = c(s.gross) - c(s.disc ?? 0);
  const ship = c(s.ship ?? 0);
  const itemTax = by === 'none' || s.exempt ? 0 : taxOn(base, s.zip) + (s.plant ?? 0);
  const shipTax = by === 'none' || s.exempt || !RATES[s.zip]!.freight ? 0 : taxOn(ship, s.zip);
  const sign = s.gross < 0 ? -1 : 1;
  return {
    shopId,
    channel: s.channel ?? 'tiktok',
    source: (s.channel ?? 'tiktok') === 'tiktok' ? 'tiktok_finance' : 'import',
    orderId: s.id.replace(/^(T8)$/, 'T0').replace(/^(D3)$/, 'D0'),
    lineId: '1',
    kind: s.kind ?? 'sale',
    occurredAt: s.at,
    shipToState: STATE_OF[s.zip]!,
    shipToZip: s.zip,
    shipToCity: null,
    quantity: 1,
    gross: d(c(s.gross)),
    sellerDiscount: d(sign * Math.abs(c(s.disc ?? 0))),
    platformDiscount: d(c(s.pdisc ?? 0)),
    shipping: d(ship),
    itemTax: d(itemTax),
    shippingTax: d(shipTax),
    collectedBy: by,
    exemptReason: s.exempt ?? null,
    fulfilledBy: s.fulfilled ?? 'seller',
    refundOfLineId: s.kind === 'refund' ? '1' : null,
    currency: 'USD',
  };
}

/** The golden per-state figures, from the seeds alone. */
function expectedStates() {
  const inMonth = SEEDS.filter((s) => s.at >= '2026-03-01T06:00:00Z' && s.at < '2026-04-01T05:00:00Z');
  const out = new Map<string, { gross: number; mkt: number; exempt: number; taxable: number; due: number }>();
  const sellerBase = new Map<string, number>(); // by zip: the month's total, taxed once per jurisdiction
  const useBase = new Map<string, number>();
  for (const s of inMonth) {
    const state = STATE_OF[s.zip]!;
    const e = out.get(state) ?? { gross: 0, mkt: 0, exempt: 0, taxable: 0, due: 0 };
    out.set(state, e);
    const item = c(s.gross) - c(s.disc ?? 0);
    const ship = c(s.ship ?? 0);
    if (s.kind === 'sample') {
      useBase.set(s.zip, (useBase.get(s.zip) ?? 0) + c(s.gross));
      continue;
    }
    e.gross += item + ship;
    if ((s.by ?? 'tiktok') === 'tiktok') e.mkt += item + ship;
    else if (s.exempt) e.exempt += item + ship;
    else {
      const taxedShip = RATES[s.zip]!.freight ? ship : 0;
      e.taxable += item + taxedShip;
      sellerBase.set(s.zip, (sellerBase.get(s.zip) ?? 0) + item + taxedShip);
    }
  }
  for (const [zip, base] of [...sellerBase, ...useBase]) out.get(STATE_OF[zip]!)!.due += taxOn(base, zip);
  return out;
}

describe('monthly tax report of a seeded shop', () => {
  let database: TestDatabase;
  const shopId = uniqueId('taxshop');
  let activities: ReturnType<typeof createTaxReportActivities>;
  let first: TaxReportSummary;

  async function build(acts = activities, shop = shopId): Promise<{ summary: TaxReportSummary; calls: number }> {
    let cursor: string | undefined;
    for (let calls = 1; calls < 1000; calls++) {
      const r = await acts.computeTaxReportStep({
        shopId: shop,
        period: PERIOD,
        timeZone: TZ,
        ...(cursor ? { cursor } : {}),
      });
      if (r.done) return { summary: r.summary!, calls };
      cursor = r.cursor;
    }
    throw new Error('the build never finished');
  }

  before(async () => {
    database = await testDatabase();
    const sales = createTaxSalesRepository(database.db);
    await sales.upsertLines(SEEDS.map((s) => toInput(shopId, s)));
    await sales.replacePresence(shopId, 'tiktok_fbt', [
      { state: 'TX', locationId: 'FBT-TX-1', locationKind: 'fbt', fromDay: '2026-03-15', toDay: null, units: 400 },
    ]);
    await sales.replacePresence(shopId, '3pl', [
      { state: 'FL', locationId: '3PL-MIA', locationKind: '3pl', fromDay: '2026-03-20', toDay: null, units: 50 },
    ]);
    await sales.recordCoverage(shopId, 'tiktok_finance', '2025-06-01', '2026-03-31');
    await sales.recordCoverage(shopId, 'import', '2025-06-01', '2026-03-31');
    const regs = createTaxRegistrationRepository(database.db);
    await regs.put(shopId, 'CA', {
      permitNumber: 'SR-1',
      filingFrequency: 'monthly',
      startDate: '2025-01-01',
      updatedBy: 't',
    });
    await regs.put(shopId, 'NY', {
      permitNumber: 'NY-1',
      filingFrequency: 'quarterly',
      startDate: '2025-01-01',
      updatedBy: 't',
    });
    activities = createTaxReportActivities({
      cfg: { FILE_MAX_BYTES: 10 * 1024 * 1024 },
      db: database.db,
      secretsKeyring: keyring,
    });
    first = (await build()).summary;
  });
  after(() => database?.drop());

  test('golden figures per state, computed from the seeded rows', async () => {
    const expected = expectedStates();
    const rows = (await database.db('tax_report_states').where({ report_id: first.reportId }).orderBy('state')) as {
      state: string;
      group: string;
      gross: string;
      marketplace_deduction: string;
      exempt: string;
      taxable: string;
      tax_due: string;
    }[];
    assert.deepEqual(
      rows.map((r) => r.state),
      ['AZ', 'CA', 'FL', 'NY', 'TX'],
    );
    for (const r of rows) {
      const e = expected.get(r.state)!;
      assert.deepEqual(
        [r.gross, r.marketplace_deduction, r.exempt, r.taxable, r.tax_due],
        [d(e.gross), d(e.mkt), d(e.exempt), d(e.taxable), d(e.due)],
        r.state,
      );
    }
    assert.deepEqual(
      rows.map((r) => [r.state, r.group]),
      [
        ['AZ', 'monitored'],
        ['CA', 'registered_due'],
        ['FL', 'monitored'],
        ['NY', 'registered_zero'],
        ['TX', 'monitored'],
      ],
    );
    const total = [...expected.values()].reduce((s, e) => s + e.due, 0);
    assert.equal(first.sellerOwedTax, d(total));
    // By hand: CA 130.00 base × 7.75% by jurisdiction = 7.80 + 0.33 + 0.65 + 1.30 = 10.08; AZ 6,000 × 8.6% = 516.00;
    // TX use tax on the 20.00 sample = 1.25 + 0.20 + 0.20 = 1.65. Total 527.73.
    assert.equal(first.sellerOwedTax, '527.73');
  });

  test('summary: nexus crossed mid-month and on the last local day, FBT stock in Texas, 3PL stock in Florida, gaps, flags', () => {
    assert.equal(first.status, 'draft');
    assert.equal(first.rebuild, 'first');
    assert.equal(first.states, 5);
    assert.deepEqual(first.mustRegister, [
      // AZ: direct sales reach 101,000 on 10 March; registration from the first month starting 30 days on: 1 May.
      { state: 'AZ', nexusFrom: '2026-03-10', mustRegisterBy: '2026-05-01' },
      // FL: third-party stock from 20 March (physical nexus; register by the first stock day).
      { state: 'FL', nexusFrom: '2026-03-20', mustRegisterBy: '2026-03-20' },
      // TX: crossed on 31 March (above); from then the FBT stock there is no longer relieved (below the threshold
      // only), so the stock on 31 March is physical nexus too and registration is due that day.
      { state: 'TX', nexusFrom: '2026-03-31', mustRegisterBy: '2026-03-31' },
    ]);
    // Seller-owed: D1, D2, D4, W1 sales and the D3 refund; TikTok lines and the sample are not.
    assert.equal(first.sellerOwedTransactions, 5);
    assert.equal(first.differences, 2);
    // Texas tests trailing 12 months at every month end: March 2025's window starts 1 April 2024; the history starts
    // 1 June 2025.
    assert.deepEqual(first.historyGaps, [{ from: '2024-04-01', to: '2025-05-31' }]);
    assert.ok(
      first.flags.some((f) => f.startsWith('FL.inventory@') && f.includes('unsourced')),
      first.flags.join('\n'),
    );
    assert.ok(first.flags.some((f) => f.includes('synthetic')));
  });

  test('the differences are the planted lines, by value', async () => {
    const rows: Record<string, string>[] = await database
      .db('tax_report_differences')
      .where({ report_id: first.reportId })
      .orderBy('order_id')
      .select('order_id', 'charged', 'expected', 'difference');
    assert.deepEqual(rows, [
      { order_id: 'T2', charged: d(taxOn(2500, '78701') + 150), expected: d(taxOn(2500, '78701')), difference: '1.50' },
      { order_id: 'T4', charged: '0.00', expected: d(taxOn(8000, '92618')), difference: d(-taxOn(8000, '92618')) },
    ]);
  });

  test('CSV and PDF in the file store, by value', async () => {
    const store = createFileStore({ db: database.db, keyring, maxBytes: 10 * 1024 * 1024 });
    const csv = await store.get(shopId, first.csvFileId);
    assert.equal(csv?.file.mimeType, 'text/csv');
    const rows = csv.bytes.toString('utf8').trimEnd().split('\r\n');
    const header = rows[0]!.split(',');
    const col = (row: string, name: string) => row.split(',')[header.indexOf(name)];
    const ca = rows.find((r) => r.startsWith('state,CA,'))!;
    const e = expectedStates().get('CA')!;
    assert.deepEqual(
      ['gross', 'exempt', 'taxable', 'tax_due', 'filing_frequency', 'due_date'].map((n) => col(ca, n)),
      // CA monthly returns are due the last day of the next month: Thursday 30 April 2026.
      [d(e.gross), d(e.exempt), d(e.taxable), d(e.due), 'monthly', '2026-04-30'],
    );
    const az = rows.find((r) => r.startsWith('state,AZ,'))!;
    assert.deepEqual([col(az, 'nexus_from'), col(az, 'must_register_by')], ['2026-03-10', '2026-05-01']);
    assert.equal(rows.filter((r) => r.startsWith('difference,')).length, 2);

    const pdf = await store.get(shopId, first.pdfFileId);
    assert.equal(pdf?.file.mimeType, 'application/pdf');
    // Compared without white space: a wrapped line may break after a hyphen.
    const text = (await pdfText(pdf.bytes)).text.replace(/\s+/g, '');
    for (const want of ['Sales tax report 2026-03', 'T2', 'T4', '2026-05-01', '2024-04-01 to 2025-05-31', '527.73'])
      assert.ok(text.includes(want.replace(/\s+/g, '')), `PDF lacks ${want}`);
  });

  test('a build resumed over many calls gives the same report; a rebuild is "same" and chained', async () => {
    const paged = createTaxReportActivities(
      { cfg: { FILE_MAX_BYTES: 10 * 1024 * 1024 }, db: database.db, secretsKeyring: keyring },
      { pageLines: 3, callBudgetMs: 0 },
    );
    const { summary, calls } = await build(paged);
    assert.ok(calls > 5, `only ${calls} calls`);
    assert.equal(summary.rebuild, 'same');
    assert.equal(summary.csvFileId, first.csvFileId);
    assert.equal(summary.pdfFileId, first.pdfFileId);
    assert.notEqual(summary.hash, first.hash);
    const repo = createTaxReportRepository(database.db);
    const chain = await repo.chain(shopId);
    assert.deepEqual(
      chain.map((r) => [r.id, r.previousHash]),
      [
        [first.reportId, null],
        [summary.reportId, first.hash],
      ],
    );
  });

  test('a changed input makes a rebuild that differs, kept beside the earlier ones', async () => {
    const sales = createTaxSalesRepository(database.db);
    await sales.upsertLines([toInput(shopId, { id: 'T11', at: '2026-03-20T15:00:00Z', zip: '10001', gross: 10 })]);
    const { summary } = await build();
    assert.equal(summary.rebuild, 'differs');
    const repo = createTaxReportRepository(database.db);
    const builds = await repo.list(shopId, { period: PERIOD });
    assert.equal(builds.length, 3);
    assert.deepEqual(
      builds.map((b) => b.rebuild),
      ['differs', 'same', 'first'],
    );
    assert.equal(builds[0]!.previousHash, builds[1]!.hash);
    assert.deepEqual(await repo.verifyChain(shopId), { ok: true, reports: 3 });
  });

  test('the chain check finds a report whose stored outputs were changed afterwards', async () => {
    const other = uniqueId('taxshop-tamper');
    await createTaxSalesRepository(database.db).upsertLines(SEEDS.slice(0, 6).map((s) => toInput(other, s)));
    const a = (await build(activities, other)).summary;
    await build(activities, other);
    const repo = createTaxReportRepository(database.db);
    assert.deepEqual(await repo.verifyChain(other), { ok: true, reports: 2 });
    // Someone edits the first month's figures in place.
    await database.db.raw(
      `update tax_reports set outputs = jsonb_set(outputs, '{sellerOwed,taxDueCents}', '1') where id = ?`,
      [a.reportId],
    );
    assert.deepEqual(await repo.verifyChain(other), {
      ok: false,
      reports: 2,
      brokenAt: a.reportId,
      reason: 'its outputs do not match their digest',
    });
  });

  test('approval, staging of seller-owed transactions only, and status rules', async () => {
    await assert.rejects(
      activities.stageTaxReportCommit({ shopId, reportId: first.reportId, engine: 'avatax' }),
      /only an approved report/,
    );
    assert.deepEqual(await activities.setTaxReportStatus({ reportId: first.reportId, status: 'approved', by: 'op' }), {
      status: 'approved',
    });
    const { staged } = await activities.stageTaxReportCommit({ shopId, reportId: first.reportId, engine: 'avatax' });
    assert.equal(staged, 5);
    const ledger = createTaxEngineCommitRepository(database.db);
    const rows = await ledger.page(shopId, PERIOD, 0, 100);
    assert.deepEqual(
      rows.map((r) => [r.kind, r.orderId]),
      [
        ['sale', 'D1'],
        ['sale', 'D2'],
        ['sale', 'D4'],
        ['sale', 'W1'],
        ['refund', 'D0'],
      ],
    );
    const payload = (id: string) => rows.find((r) => r.orderId === id)!.payload;
    const d1 = payload('D1') as Extract<StagedTaxTransaction, { kind: 'sale' }>;
    assert.deepEqual(
      [
        d1.sale.date,
        d1.sale.shipTo.postalCode,
        d1.sale.shipping,
        d1.sale.lines[0]!.amount,
        d1.sale.lines[0]!.salesTaxCollected,
      ],
      ['2026-03-03', '92618', 8, 120, taxOn(12000, '92618') / 100],
    );
    const w1 = payload('W1') as Extract<StagedTaxTransaction, { kind: 'sale' }>;
    assert.deepEqual(w1.sale.lines[0]!.exemption, { reason: 'resale' });
    const d0 = payload('D0') as Extract<StagedTaxTransaction, { kind: 'refund' }>;
    assert.deepEqual([d0.refund.date, d0.refund.lines[0]!.amount], ['2026-03-13', 30]);
    // Staging again replaces the month's staged rows, never doubles them.
    await activities.stageTaxReportCommit({ shopId, reportId: first.reportId, engine: 'avatax' });
    assert.equal((await ledger.page(shopId, PERIOD, 0, 100)).length, 5);

    await activities.setTaxReportStatus({ reportId: first.reportId, status: 'committed' });
    await assert.rejects(
      activities.setTaxReportStatus({ reportId: first.reportId, status: 'rejected' }),
      /committed: it cannot become rejected/,
    );
  });
});
