// Issue 20 item 4: both official SDKs (avatax 26.9.0, taxjar 5.0.0) end to end against the local emulators, through
// the product's TaxEngine implementations: AvaTax's jurisdiction details (jurisName) and createoradjust by code, its
// refund call; TaxJar's breakdown, its 422 on a known transaction_id answered by an update, its refunds.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAvaTaxEmulator, type RunningAvaTaxEmulator } from '../../emulators/avatax/server';
import { startTaxJarEmulator, type RunningTaxJarEmulator } from '../../emulators/taxjar/server';
import { createAvaTaxEngine } from '../../integrations/taxEngines/avatax';
import { createTaxJarEngine } from '../../integrations/taxEngines/taxjar';
import type { SellerOwedTransaction, TaxEngine } from '../../integrations/taxEngines/types';

const ACCOUNT = '1100012345';
const LICENSE = 'A1B2C3D4E5F60718';
const TAXJAR_KEY = '9e0cd62a22f451701f29c3bde214';

/** A $100 and a 3 × $10 line shipped to Irvine, CA (7.75%: AvaTax's own worked example), $5 shipping. */
const irvineSale = (orderId: string): SellerOwedTransaction => ({
  orderId,
  date: '2026-11-03',
  customerCode: 'buyer-1',
  shipFrom: { region: 'CA', postalCode: '90012', country: 'US', city: 'Los Angeles' },
  shipTo: { region: 'CA', postalCode: '92618', country: 'US', city: 'Irvine', line1: '1 Main St' },
  shipping: 5,
  lines: [
    { lineId: '1', collector: 'seller', amount: 100, quantity: 1, salesTaxCollected: 7.75, itemCode: 'SERUM-30' },
    { lineId: '2', collector: 'seller', amount: 30, quantity: 3, salesTaxCollected: 2.33, itemCode: 'MASK-1' },
  ],
});

/** Shipped to Austin, TX (6.25% + 1% city + 1% transit; freight taxable). */
const austinSale = (orderId: string): SellerOwedTransaction => ({
  ...irvineSale(orderId),
  shipTo: { region: 'TX', postalCode: '78701', country: 'US', city: 'Austin' },
  shipping: 10,
  shippingTaxCollected: 0.83,
});

async function emulatorState(url: string): Promise<any> {
  return (await fetch(`${url}/__admin/state`)).json();
}
async function emulatorCalls(url: string): Promise<Record<string, number>> {
  return (await (await fetch(`${url}/__admin/calls`)).json()) as Record<string, number>;
}

describe('AvaTax SDK against the AvaTax emulator', () => {
  let emulator: RunningAvaTaxEmulator;
  let engine: TaxEngine;
  before(async () => {
    emulator = await startAvaTaxEmulator({ accountId: ACCOUNT, licenseKey: LICENSE, companies: ['TTSHOP'] });
    engine = createAvaTaxEngine({
      accountId: ACCOUNT,
      licenseKey: LICENSE,
      baseUrl: emulator.url,
      companyCode: 'TTSHOP',
    });
  });
  after(() => emulator?.close());

  test('a sale is committed with tax by jurisdiction (jurisName); committing it again adjusts it, no duplicate', async () => {
    const [first] = await engine.commitTransactions([irvineSale('576461413038785752')]);
    assert.equal(first!.action, 'created');
    assert.equal(first!.transactionCode, 'tts-576461413038785752');
    // 130 of goods at 7.75%; shipping is not taxable in CA: 6% 7.80, 0.25% 0.33 (0.325 rounded), 0.5% 0.65, 1% 1.30.
    assert.deepEqual(
      first!.jurisdictions.map((j) => [j.name, j.type, j.rate, j.taxable, j.tax]),
      [
        ['CALIFORNIA', 'State', 0.06, 130, 7.8],
        ['ORANGE', 'County', 0.0025, 130, 0.33],
        ['ORANGE COUNTY DISTRICT TAX SP', 'Special', 0.005, 130, 0.65],
        ['ORANGE CO LOCAL TAX SL', 'Special', 0.01, 130, 1.3],
      ],
    );
    assert.equal(first!.engineTax, 10.08);
    assert.equal(first!.collectedTax, 10.08);

    const [again] = await engine.commitTransactions([irvineSale('576461413038785752')]);
    assert.equal(again!.action, 'adjusted');
    const state = await emulatorState(emulator.url);
    const sales = state.transactions.filter((t: any) => t.code === 'tts-576461413038785752');
    assert.equal(sales.length, 1, 'one transaction under the code');
    assert.equal(sales[0].version, 2);
    assert.equal(sales[0].status, 'Committed');
    assert.equal(sales[0].type, 'SalesInvoice');
    assert.equal(sales[0].companyCode, 'TTSHOP');
  });

  test('a partial refund goes through the refund call as a committed ReturnInvoice; repeated, it is read back', async () => {
    await engine.commitTransactions([irvineSale('576461413038785753')]);
    const refund = {
      ...irvineSale('576461413038785753'),
      refundId: '4035318504811',
      date: '2026-12-02',
      full: false,
      shipping: 0,
      lines: [irvineSale('x').lines[0]!],
    };
    const outcome = await engine.refundTransaction(refund);
    assert.equal(outcome.action, 'created');
    assert.equal(outcome.kind, 'refund');
    assert.equal(outcome.transactionCode, 'tts-r-4035318504811');
    assert.equal(outcome.engineTax, -7.75);
    assert.equal(outcome.collectedTax, -7.75);
    assert.deepEqual(
      outcome.jurisdictions.map((j) => [j.name, j.tax]),
      [
        ['CALIFORNIA', -6],
        ['ORANGE', -0.25],
        ['ORANGE COUNTY DISTRICT TAX SP', -0.5],
        ['ORANGE CO LOCAL TAX SL', -1],
      ],
    );
    const again = await engine.refundTransaction(refund);
    assert.equal(again.action, 'existing');
    assert.equal(again.engineTax, -7.75);
    const state = await emulatorState(emulator.url);
    const returns = state.transactions.filter((t: any) => t.type === 'ReturnInvoice');
    assert.deepEqual(
      returns.map((t: any) => [t.code, t.status, t.totalAmount, t.totalTax, t.refundOf]),
      [['tts-r-4035318504811', 'Committed', -100, -7.75, '4035318504811']],
    );
    const calls = await emulatorCalls(emulator.url);
    assert.equal(calls['POST /api/v2/companies/:companyCode/transactions/:transactionCode/refund 200'], 1);
  });

  test('an address outside the rate table is refused (not retryable); bad credentials are retryable', async () => {
    const [refused] = await engine.commitTransactions([
      { ...irvineSale('1'), shipTo: { region: 'TX', postalCode: '92618', country: 'US' } },
    ]);
    assert.equal(refused!.action, 'failed');
    assert.deepEqual([refused!.error?.code, refused!.error?.retryable], ['InvalidAddress', false]);
    const wrongKey = createAvaTaxEngine({
      accountId: ACCOUNT,
      licenseKey: 'nope',
      baseUrl: emulator.url,
      companyCode: 'TTSHOP',
    });
    const [denied] = await wrongKey.commitTransactions([irvineSale('2')]);
    assert.deepEqual([denied!.error?.code, denied!.error?.retryable], ['AuthenticationException', true]);
  });
});

describe('TaxJar SDK against the TaxJar emulator', () => {
  let emulator: RunningTaxJarEmulator;
  let engine: TaxEngine;
  before(async () => {
    emulator = await startTaxJarEmulator({ apiKey: TAXJAR_KEY });
    engine = createTaxJarEngine({ apiKey: TAXJAR_KEY, apiUrl: emulator.url });
  });
  after(() => emulator?.close());

  test('a sale is priced with its breakdown and recorded; recorded again, the 422 turns into an update', async () => {
    const [first] = await engine.commitTransactions([austinSale('576461413038785760')]);
    assert.equal(first!.action, 'created');
    // 130 of goods + 10 shipping (freight taxable in TX) = 140, rounded per line then summed: state 6.25% of 100, 30
    // and 10 = 6.25 + 1.88 + 0.63 = 8.76; city and transit 1% each = 1.40.
    assert.deepEqual(
      first!.jurisdictions.map((j) => [j.name, j.type, j.rate, j.taxable, j.tax]),
      [
        ['TX', 'State', 0.0625, 140, 8.76],
        ['AUSTIN', 'City', 0.01, 140, 1.4],
        ['SPECIAL DISTRICT', 'Special', 0.01, 140, 1.4],
      ],
    );
    assert.equal(first!.engineTax, 11.56);
    assert.equal(first!.collectedTax, 10.91);

    const [again] = await engine.commitTransactions([austinSale('576461413038785760')]);
    assert.equal(again!.action, 'updated');
    const calls = await emulatorCalls(emulator.url);
    assert.equal(calls['POST /v2/transactions/orders 200'], 1);
    assert.equal(calls['POST /v2/transactions/orders 422'], 1);
    assert.equal(calls['PUT /v2/transactions/orders/:transaction_id 200'], 1);
    const state = await emulatorState(emulator.url);
    assert.deepEqual(
      state.orders.map((o: any) => [o.transaction_id, o.amount, o.sales_tax, o.version]),
      [['tts-576461413038785760', '140.0', '10.91', 2]],
    );
  });

  test('a refund is recorded against its order with negative amounts; again: 422, then an update', async () => {
    const refund = { ...austinSale('576461413038785760'), refundId: 'R-77', date: '2026-12-02', full: true };
    const outcome = await engine.refundTransaction(refund);
    assert.equal(outcome.action, 'created');
    assert.equal(outcome.engineTax, -11.56);
    assert.equal(outcome.collectedTax, -10.91);
    assert.equal((await engine.refundTransaction(refund)).action, 'updated');
    const state = await emulatorState(emulator.url);
    assert.deepEqual(
      state.refunds.map((r: any) => [r.transaction_id, r.transaction_reference_id, r.amount, r.sales_tax]),
      [['tts-r-R-77', 'tts-576461413038785760', '-140.0', '-10.91']],
    );
  });

  test('an exempt (resale) order owes nothing; a ZIP outside its state is refused; a wrong key is retryable', async () => {
    const resale = austinSale('576461413038785761');
    resale.lines = resale.lines.map((l) => ({ ...l, salesTaxCollected: 0, exemption: { reason: 'resale' as const } }));
    resale.shippingTaxCollected = 0;
    const [exempt] = await engine.commitTransactions([resale]);
    assert.equal(exempt!.action, 'created');
    assert.equal(exempt!.engineTax, 0);
    assert.deepEqual(exempt!.jurisdictions, []);

    const [refused] = await engine.commitTransactions([
      { ...austinSale('3'), shipTo: { region: 'CA', postalCode: '78701', country: 'US' } },
    ]);
    assert.deepEqual([refused!.error?.code, refused!.error?.retryable], ['HTTP400', false]);
    const wrongKey = createTaxJarEngine({ apiKey: 'nope', apiUrl: emulator.url });
    const [denied] = await wrongKey.commitTransactions([austinSale('4')]);
    assert.deepEqual([denied!.error?.code, denied!.error?.retryable], ['HTTP401', true]);
  });
});
