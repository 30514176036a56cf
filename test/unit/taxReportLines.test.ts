// The monthly tax report's pure parts (issue 20 item 3): classification of every line, the recomputed tax and the
// differences, the per-state return lines, the CSV, and the hash chain's digests. Every expected figure is worked
// out by hand in the comment beside it from the rate table's published figures, never from the code under test.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { centsOf, classify, money, type ReportLine } from '../../tax/classify';
import { rateFor, taxCents } from '../../tax/rateTable';
import { differenceOf, recompute } from '../../tax/recompute';
import { addLine, buildReturnLines, emptyAccumulator } from '../../tax/returnLines';
import { CSV_COLUMNS, reportCsv } from '../../tax/reportDocument';
import { chainHash, MultisetDigest } from '../../tax/reportHash';
import { composeReport } from '../../tax/report';

let seq = 0;
function line(over: Partial<ReportLine>): ReportLine {
  seq += 1;
  return {
    id: String(seq),
    channel: 'tiktok',
    orderId: `o${seq}`,
    lineId: '1',
    kind: 'sale',
    day: '2026-03-10',
    state: 'TX',
    zip: '78701',
    city: 'Austin',
    quantity: 1,
    grossCents: 0,
    sellerDiscountCents: 0,
    platformDiscountCents: 0,
    shippingCents: 0,
    itemTaxCents: 0,
    shippingTaxCents: 0,
    collectedBy: 'tiktok',
    exemptReason: null,
    fulfilledBy: 'seller',
    refundOfLineId: null,
    ...over,
  };
}

test('classification: who owes the tax on each kind of line', () => {
  const c = (kind: ReportLine['kind'], collectedBy: ReportLine['collectedBy'], exemptReason: string | null = null) =>
    classify({ kind, collectedBy, exemptReason });
  assert.deepEqual(c('sale', 'tiktok'), { cls: 'marketplace', refund: false });
  // TikTok takes no exemption certificates: a facilitated line marked exempt is still TikTok's.
  assert.deepEqual(c('sale', 'tiktok', 'resale'), { cls: 'marketplace', refund: false });
  assert.deepEqual(c('sale', 'seller'), { cls: 'seller', refund: false });
  // A direct sale on which nobody collected tax is still the seller's.
  assert.deepEqual(c('sale', 'none'), { cls: 'seller', refund: false });
  assert.deepEqual(c('sale', 'seller', 'resale'), { cls: 'exempt', refund: false });
  // A creator sample shipped through TikTok owes use tax, not nothing.
  assert.deepEqual(c('sample', 'tiktok'), { cls: 'use_tax', refund: false });
  assert.deepEqual(c('withdrawal', 'none'), { cls: 'use_tax', refund: false });
  assert.deepEqual(c('refund', 'tiktok'), { cls: 'marketplace', refund: true });
  assert.deepEqual(c('refund', 'seller'), { cls: 'seller', refund: true });
});

test('amounts: decimal text to cents and back', () => {
  assert.deepEqual(['12.34', '-0.50', '7', '0.5', '-120.00'].map(centsOf), [1234, -50, 700, 50, -12000]);
  assert.throws(() => centsOf('1.234'));
  assert.throws(() => centsOf('abc'));
  assert.deepEqual([1234, -50, 0, -12000, 5].map(money), ['12.34', '-0.50', '0.00', '-120.00', '0.05']);
});

test('tax per jurisdiction rounds half away from zero, exactly', () => {
  assert.equal(taxCents(9000, 62500), 563); // 562.5
  assert.equal(taxCents(599, 62500), 37); // 37.4375
  assert.equal(taxCents(-15000, 62500), -938); // -937.5
  assert.equal(taxCents(5, 500_000), 3); // 2.5
  // 10^12 cents at 10%: past 2^53 in the product, still exact.
  assert.equal(taxCents(1_000_000_000_000, 100_000), 100_000_000_000);
});

test('recomputation: base after the seller discount, platform discount kept, freight where taxable', () => {
  const tx = rateFor('78701-1234')!;
  // Austin: TX 6.25% + city 1% + MTA 1% = 8.25%, shipping taxable. Base 100.00 − 10.00 seller discount = 90.00
  // (the 5.00 platform discount stays in it); shipping 5.99.
  const r = recompute({ grossCents: 10_000, sellerDiscountCents: 1_000, shippingCents: 599 }, tx);
  // Item: 562.5→563, 90, 90 = 743; shipping: 37.4375→37, 5.99→6, 6 = 49; 95.99 × 8.25% = 7.919 → 7.92.
  assert.equal(r.itemTaxCents, 743);
  assert.equal(r.shippingTaxCents, 49);
  assert.equal(r.totalCents, 792);
  assert.deepEqual(
    r.parts.map((p) => [p.name, p.taxCents]),
    [
      ['TEXAS', 600],
      ['AUSTIN', 96],
      ['AUSTIN MTA TRANSIT', 96],
    ],
  );
  // Irvine: 7.75%, shipping not taxable: 50.00 → 300 + 12.5→13 + 25 + 50 = 388; the 4.00 shipping is non-taxable.
  const ca = recompute({ grossCents: 5_000, sellerDiscountCents: 0, shippingCents: 400 }, rateFor('92618')!);
  assert.equal(ca.totalCents, 388);
  assert.equal(ca.nonTaxableShippingCents, 400);
  assert.equal(rateFor('99999'), undefined);
});

test('differences: over- and under-charges beyond a cent per jurisdiction are listed, rounding is not', () => {
  const tx = rateFor('78701')!;
  const base = { grossCents: 10_000, sellerDiscountCents: 1_000, platformDiscountCents: 500, shippingCents: 599 };
  assert.equal(differenceOf(line({ ...base, itemTaxCents: 743, shippingTaxCents: 49 }), tx), undefined);
  // 7.90 charged against 7.92: two cents across three jurisdictions is rounding.
  assert.equal(differenceOf(line({ ...base, itemTaxCents: 741, shippingTaxCents: 49 }), tx), undefined);
  const over = differenceOf(line({ ...base, itemTaxCents: 843, shippingTaxCents: 49 }), tx);
  assert.deepEqual([over?.chargedCents, over?.expectedCents, over?.differenceCents], [892, 792, 100]);
  const under = differenceOf(line({ ...base, itemTaxCents: 0, shippingTaxCents: 0 }), tx);
  assert.equal(under?.differenceCents, -792);
  // A refund of the whole line refunds the tax: -7.92 expected.
  const refund = line({
    kind: 'refund',
    grossCents: -10_000,
    sellerDiscountCents: -1_000,
    shippingCents: -599,
    itemTaxCents: -743,
    shippingTaxCents: -49,
  });
  assert.equal(differenceOf(refund, tx), undefined);
});

function texasMonth() {
  const acc = emptyAccumulator();
  const add = (l: ReportLine) => addLine(acc, l, rateFor(l.zip));
  // TikTok sale: amount 90.00 + 5.99 shipping = 95.99, tax charged 7.92.
  add(line({ grossCents: 10_000, sellerDiscountCents: 1_000, platformDiscountCents: 500, shippingCents: 599, itemTaxCents: 743, shippingTaxCents: 49 }));
  // Own-site sale of 200.00, tax collected 16.50.
  add(line({ channel: 'shopify', collectedBy: 'seller', grossCents: 20_000, itemTaxCents: 1_650 }));
  // Own-site refund of 50.00 made this month (of a February sale): in this month, negative.
  add(line({ channel: 'shopify', collectedBy: 'seller', kind: 'refund', grossCents: -5_000, itemTaxCents: -413 }));
  // A creator sample listed at 30.00, given free (a 100% seller discount): use tax on the 30.00.
  add(line({ kind: 'sample', grossCents: 3_000, sellerDiscountCents: 3_000 }));
  // California: an exempt (resale) wholesale sale of 100.00, and a TikTok refund of 20.00.
  add(line({ state: 'CA', zip: '92618', channel: 'wholesale', collectedBy: 'none', exemptReason: 'resale', grossCents: 10_000 }));
  add(line({ state: 'CA', zip: '92618', kind: 'refund', grossCents: -2_000, itemTaxCents: -155 }));
  // An own-site sale to a ZIP the table does not hold.
  add(line({ state: 'TX', zip: '75001', channel: 'shopify', collectedBy: 'seller', grossCents: 1_000 }));
  return acc;
} // prettier-ignore

test('return lines: gross, marketplace deduction, exempt, taxable, tax by jurisdiction, use tax, due date', () => {
  const { lines } = buildReturnLines({
    acc: texasMonth(),
    period: '2026-03',
    registrations: [
      { state: 'TX', frequency: 'monthly', startDate: '2025-01-01' },
      // NY's quarters are Mar–May, Jun–Aug, …: none ends in March.
      { state: 'NY', frequency: 'quarterly', startDate: '2025-01-01' },
    ],
  });
  assert.deepEqual(
    lines.map((l) => [l.state, l.group]),
    [
      ['CA', 'monitored'],
      ['NY', 'registered_zero'],
      ['TX', 'registered_due'],
    ],
  );
  const tx = lines.find((l) => l.state === 'TX')!;
  // Gross: 95.99 + 200.00 − 50.00 + 10.00 = 255.99; marketplace 95.99; taxable 200 − 50 + 10 = 160.00.
  assert.equal(tx.grossCents, 25_599);
  assert.equal(tx.marketplaceDeductionCents, 9_599);
  assert.equal(tx.exemptCents, 0);
  assert.equal(tx.taxableCents, 16_000);
  // Rated seller base 150.00: TX 937.5→938, Austin 150, MTA 150 = 12.38 (the 10.00 to 75001 is not rated).
  assert.deepEqual(
    tx.jurisdictions.map((j) => [j.name, j.baseCents, j.taxCents]),
    [
      ['AUSTIN', 15_000, 150],
      ['AUSTIN MTA TRANSIT', 15_000, 150],
      ['TEXAS', 15_000, 938],
    ],
  );
  assert.equal(tx.sellerTaxCents, 1_238);
  // Use tax on the 30.00 sample: 187.5→188 + 30 + 30 = 2.48.
  assert.equal(tx.useTaxBaseCents, 3_000);
  assert.equal(tx.useTaxCents, 248);
  assert.equal(tx.vendorDiscountCents, 0);
  assert.equal(tx.taxDueCents, 1_486);
  assert.equal(tx.sellerCollectedCents, 1_650 - 413);
  assert.equal(tx.marketplaceTaxCollectedCents, 792);
  assert.equal(tx.refundCents, -5_000);
  assert.equal(tx.unratedLines, 1);
  // Texas monthly returns are due on the 20th: 20 April 2026 is a Monday.
  assert.deepEqual(tx.filing, {
    frequency: 'monthly',
    period: { from: '2026-03-01', to: '2026-03-31' },
    due: '2026-04-20',
    ruleId: 'TX.filing@2018-06-21',
  });
  const ca = lines.find((l) => l.state === 'CA')!;
  // Exempt 100.00; the TikTok refund of 20.00 lowers gross and the marketplace deduction in March.
  assert.deepEqual(
    [ca.grossCents, ca.marketplaceDeductionCents, ca.exemptCents, ca.taxableCents, ca.taxDueCents],
    [8_000, -2_000, 10_000, 0, 0],
  );
  const ny = lines.find((l) => l.state === 'NY')!;
  assert.deepEqual([ny.lines, ny.taxDueCents, ny.filing], [0, 0, undefined]);
});

test('CSV: one row per state and jurisdiction, amounts by column, formula text defused', () => {
  const { outputs } = composeReport({
    period: '2026-03',
    timeZone: 'America/Chicago',
    acc: texasMonth(),
    dailyTotals: [],
    presence: [],
    coverage: [{ from: '2024-01-01', to: '2026-03-31' }],
    registrations: [{ state: 'TX', frequency: 'monthly', startDate: '2025-01-01' }],
    sellerOwed: { transactions: 2, lines: 2, digest: '0' },
    differences: { count: 1, overCents: 100, underCents: 0, digest: '0' },
  });
  const csv = reportCsv({
    shopId: 'shop-1',
    outputs,
    differences: [
      {
        lineRef: '9',
        orderId: '=HYPERLINK("x")',
        lineId: '1',
        state: 'TX',
        zip: '78701',
        day: '2026-03-10',
        chargedCents: 892,
        expectedCents: 792,
        differenceCents: 100,
      },
    ],
    inputsDigest: 'i',
    outputsDigest: 'o',
  });
  const rows = csv.trimEnd().split('\r\n');
  assert.equal(rows[0], CSV_COLUMNS.join(','));
  const at = (r: string, c: (typeof CSV_COLUMNS)[number]) => r.split(',')[CSV_COLUMNS.indexOf(c)];
  const tx = rows.find((r) => r.startsWith('state,TX,'))!;
  assert.deepEqual(
    (['gross', 'marketplace_deduction', 'taxable', 'seller_tax', 'use_tax', 'tax_due', 'due_date'] as const).map((c) =>
      at(tx, c),
    ),
    ['255.99', '95.99', '160.00', '12.38', '2.48', '14.86', '2026-04-20'],
  );
  const texas = rows.find((r) => r.startsWith('jurisdiction,TX,') && r.includes(',TEXAS,'))!;
  assert.deepEqual(
    (['rate', 'taxable', 'seller_tax', 'use_tax_base', 'use_tax'] as const).map((c) => at(texas, c)),
    ['6.25%', '150.00', '9.38', '30.00', '1.88'],
  );
  const diff = rows.find((r) => r.startsWith('difference,'))!;
  assert.ok(diff.includes(`"'=HYPERLINK(""x"")"`), diff);
  assert.ok(diff.endsWith(',8.92,7.92,1.00'), diff);
});

test('digests: the line digest ignores order and splitting; the chain hash covers every part', () => {
  const a = new MultisetDigest();
  for (const s of ['x', 'y', 'z']) a.add(s);
  const b = new MultisetDigest();
  b.add('z');
  const c = new MultisetDigest(b.hex);
  c.add('x');
  c.add('y');
  assert.equal(c.hex, a.hex);
  const d = new MultisetDigest(a.hex);
  d.add('x');
  assert.notEqual(d.hex, a.hex);
  const link = { inputsDigest: 'i', ruleVersions: ['b', 'a'], outputsDigest: 'o', previousHash: null };
  const h = chainHash(link);
  assert.equal(chainHash({ ...link, ruleVersions: ['a', 'b'] }), h);
  for (const changed of [
    { ...link, inputsDigest: 'j' },
    { ...link, ruleVersions: ['a'] },
    { ...link, outputsDigest: 'p' },
    { ...link, previousHash: h },
  ])
    assert.notEqual(chainHash(changed), h);
});
