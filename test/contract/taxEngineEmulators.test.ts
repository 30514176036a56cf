// Issue 20 item 4: the AvaTax and TaxJar emulators hold to each API's contract on the paths the SDKs do not exercise
// in the end-to-end test: authentication failures and request validation, each in its engine's own error envelope
// (docs/tax-engines-sources.md cites the published behaviour per row).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startAvaTaxEmulator, type RunningAvaTaxEmulator } from '../../emulators/avatax/server';
import { startTaxJarEmulator, type RunningTaxJarEmulator } from '../../emulators/taxjar/server';

async function call(
  url: string,
  method: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: any }> {
  const res = await fetch(url, {
    method,
    headers: { 'content-type': 'application/json', ...headers },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, json: await res.json() };
}

describe('AvaTax emulator contract', () => {
  let emulator: RunningAvaTaxEmulator;
  const basic = { authorization: `Basic ${Buffer.from('1100000001:KEY-1').toString('base64')}` };
  const api = (path: string) => `${emulator.url}/api/v2${path}`;
  const model = (over: object = {}) => ({
    type: 'SalesInvoice',
    code: 'INV-1',
    companyCode: 'DEFAULT',
    date: '2026-11-05',
    customerCode: 'C1',
    commit: true,
    addresses: { singleLocation: { region: 'NY', postalCode: '10001', country: 'US' } },
    lines: [{ number: '1', quantity: 1, amount: 100 }],
    ...over,
  });
  before(async () => {
    emulator = await startAvaTaxEmulator({ accountId: '1100000001', licenseKey: 'KEY-1' });
  });
  after(() => emulator?.close());

  /** The AvaTax envelope: error {code, message, target, details[{code, number, severity, helpLink}]}. */
  function assertEnvelope(json: any, code: string, number: number, target?: string) {
    assert.equal(json.error.code, code);
    assert.equal(json.error.details[0].code, code);
    assert.equal(json.error.details[0].number, number);
    assert.equal(json.error.details[0].severity, 'Error');
    assert.equal(json.error.details[0].helpLink, `http://developer.avalara.com/avatax/errors/${code}`);
    if (target) assert.equal(json.error.target, target);
  }

  test('ping answers without credentials; anything else needs Basic accountId:licenseKey', async () => {
    const anonymous = await call(api('/utilities/ping'), 'GET');
    assert.deepEqual(
      [anonymous.status, anonymous.json.authenticated, anonymous.json.authenticationType],
      [200, false, 'None'],
    );
    const known = await call(api('/utilities/ping'), 'GET', undefined, basic);
    assert.deepEqual([known.json.authenticated, known.json.authenticationType], [true, 'AccountIdLicenseKey']);
    for (const headers of [
      {} as Record<string, string>,
      { authorization: `Basic ${Buffer.from('1100000001:WRONG').toString('base64')}` },
    ]) {
      const denied = await call(
        api('/transactions/createoradjust'),
        'POST',
        { createTransactionModel: model() },
        headers,
      );
      assert.equal(denied.status, 401);
      assertEnvelope(denied.json, 'AuthenticationException', 30, 'HttpRequestHeaders');
    }
  });

  test('validation: body, lines, required fields, address, company', async () => {
    const notJson = await call(api('/transactions/create'), 'POST', '{"lines": [', basic);
    assert.equal(notJson.status, 400);
    assertEnvelope(notJson.json, 'ModelRequiredException', 38);
    const noLines = await call(api('/transactions/create'), 'POST', model({ lines: [] }), basic);
    assertEnvelope(noLines.json, 'MissingLine', 311, 'IncorrectData');
    const noCustomer = await call(api('/transactions/create'), 'POST', model({ customerCode: '' }), basic);
    assertEnvelope(noCustomer.json, 'ValueRequiredError', 5);
    assert.equal(noCustomer.json.error.details[0].refersTo, 'customerCode');
    const noAmount = await call(api('/transactions/create'), 'POST', model({ lines: [{ quantity: 1 }] }), basic);
    assertEnvelope(noAmount.json, 'ValueRequiredError', 5);
    const wrongZip = await call(
      api('/transactions/create'),
      'POST',
      model({ addresses: { singleLocation: { region: 'NJ', postalCode: '10001', country: 'US' } } }),
      basic,
    );
    assertEnvelope(wrongZip.json, 'InvalidAddress', 309);
    const noCompany = await call(api('/transactions/create'), 'POST', model({ companyCode: 'NOPE' }), basic);
    assert.equal(noCompany.status, 404);
    assertEnvelope(noCompany.json, 'EntityNotFoundError', 4);
  });

  test('document lifecycle: SalesOrder not stored, duplicate code, lock, refund of an uncommitted invoice, void', async () => {
    const estimate = await call(
      api('/transactions/create'),
      'POST',
      model({ type: 'SalesOrder', code: 'EST-1' }),
      basic,
    );
    assert.deepEqual([estimate.status, estimate.json.status, estimate.json.totalTax], [200, 'Temporary', 8.88]);
    const missing = await call(
      api('/companies/DEFAULT/transactions/EST-1?documentType=SalesOrder'),
      'GET',
      undefined,
      basic,
    );
    assertEnvelope(missing.json, 'EntityNotFoundError', 4);

    assert.equal((await call(api('/transactions/create'), 'POST', model(), basic)).json.status, 'Committed');
    const duplicate = await call(api('/transactions/create'), 'POST', model(), basic);
    assert.equal(duplicate.status, 400);
    assertEnvelope(duplicate.json, 'DocumentCodeConflict', 303);

    await fetch(`${emulator.url}/__admin/lock/DEFAULT/INV-1`, { method: 'POST' });
    const locked = await call(api('/transactions/createoradjust'), 'POST', { createTransactionModel: model() }, basic);
    assertEnvelope(locked.json, 'CannotModifyLockedTransaction', 1100);

    const saved = await call(api('/transactions/create'), 'POST', model({ code: 'INV-2', commit: false }), basic);
    assert.equal(saved.json.status, 'Saved');
    const refund = await call(
      api('/companies/DEFAULT/transactions/INV-2/refund'),
      'POST',
      { refundTransactionCode: 'R-2', refundDate: '2026-12-01', refundType: 'Full' },
      basic,
    );
    assertEnvelope(refund.json, 'InvalidDocumentStatusForRefund', 700);
    const noReason = await call(api('/companies/DEFAULT/transactions/INV-2/void'), 'POST', {}, basic);
    assertEnvelope(noReason.json, 'ValueRequiredError', 5);
    const voided = await call(api('/companies/DEFAULT/transactions/INV-2/void'), 'POST', { code: 'DocVoided' }, basic);
    assert.equal(voided.json.status, 'Cancelled');

    // The SDK's typed enums travel as numbers (DocumentType.SalesInvoice = 1, RefundType.Partial = 1): taken too.
    const numeric = await call(api('/transactions/create'), 'POST', model({ code: 'INV-3', type: 1 }), basic);
    assert.deepEqual([numeric.json.type, numeric.json.status], ['SalesInvoice', 'Committed']);
    const partial = await call(
      api('/companies/DEFAULT/transactions/INV-3/refund'),
      'POST',
      { refundTransactionCode: 'R-3', refundDate: '2026-12-01', refundType: 1, refundLines: ['1'] },
      basic,
    );
    assert.deepEqual(
      [partial.json.type, partial.json.totalAmount, partial.json.totalTax],
      ['ReturnInvoice', -100, -8.88],
    );
  });

  test('ListTransactionsByCompany: every stored document of the company, paged by $top/$skip, lines on $include', async () => {
    await call(api('/transactions/create'), 'POST', model({ code: 'LIST-1' }), basic);
    const held = (await (await fetch(`${emulator.url}/__admin/state`)).json()) as { transactions: { code: string }[] };
    const codes = held.transactions.map((t) => t.code);
    assert.ok(codes.length >= 2, codes.join());
    const all = await call(api('/companies/DEFAULT/transactions'), 'GET', undefined, basic);
    assert.equal(all.status, 200);
    assert.equal(all.json['@recordsetCount'], codes.length);
    assert.deepEqual(
      all.json.value.map((t: any) => t.code),
      codes,
    );
    assert.equal(all.json.value[0].lines, undefined);
    assert.equal(all.json['@nextLink'], undefined);
    const page = await call(api('/companies/DEFAULT/transactions?$top=1&$skip=1'), 'GET', undefined, basic);
    assert.deepEqual(
      page.json.value.map((t: any) => t.code),
      [codes[1]],
    );
    assert.equal(
      page.json['@nextLink'],
      codes.length > 2 ? '/api/v2/companies/DEFAULT/transactions?$top=1&$skip=2' : undefined,
    );
    const withLines = await call(api('/companies/DEFAULT/transactions?$include=Lines&$top=1'), 'GET', undefined, basic);
    assert.equal(withLines.json.value[0].lines.length, 1);
    const filtered = await call(
      api("/companies/DEFAULT/transactions?$filter=code eq 'LIST-1'"),
      'GET',
      undefined,
      basic,
    );
    assert.equal(filtered.status, 400);
    assertEnvelope(filtered.json, 'RangeError', 8);
    assert.equal((await call(api('/companies/DEFAULT/transactions'), 'GET')).status, 401);
  });
});

describe('TaxJar emulator contract', () => {
  let emulator: RunningTaxJarEmulator;
  const bearer = { authorization: 'Bearer tj-key-1' };
  const api = (path: string) => `${emulator.url}/v2${path}`;
  const order = (over: object = {}) => ({
    transaction_id: 'T-1',
    transaction_date: '2026-11-05T10:00:00-08:00',
    to_country: 'US',
    to_zip: '98101',
    to_state: 'WA',
    amount: 25,
    shipping: 5,
    sales_tax: 2.6,
    line_items: [{ id: '1', quantity: 2, unit_price: 10, discount: 0, sales_tax: 2.6 }],
    ...over,
  });
  before(async () => {
    emulator = await startTaxJarEmulator({ apiKey: 'tj-key-1', nexusStates: ['WA', 'OR'] });
  });
  after(() => emulator?.close());

  test('a missing or wrong token is 401 in {error, detail, status}; Token token="…" is accepted too', async () => {
    const none = await call(api('/nexus/regions'), 'GET');
    assert.deepEqual(none, {
      status: 401,
      json: { error: 'Unauthorized', detail: "Not authorized for route 'GET /v2/nexus/regions'", status: 401 },
    });
    assert.equal((await call(api('/nexus/regions'), 'GET', undefined, { authorization: 'Bearer nope' })).status, 401);
    const token = await call(api('/nexus/regions'), 'GET', undefined, { authorization: 'Token token="tj-key-1"' });
    assert.deepEqual(
      token.json.regions.map((r: any) => r.region_code),
      ['OR', 'WA'],
    );
  });

  test('transactions: 406 for blank required fields or a form body, 400 for a bad amount, 422 for a known id, 404', async () => {
    const noTax = await call(api('/transactions/orders'), 'POST', order({ sales_tax: undefined }), bearer);
    assert.deepEqual(noTax, {
      status: 406,
      json: { error: 'Not Acceptable', detail: 'sales_tax is missing', status: 406 },
    });
    const form = await fetch(api('/transactions/orders'), {
      method: 'POST',
      headers: { ...bearer, 'content-type': 'application/x-www-form-urlencoded' },
      body: 'transaction_id=T-9&line_items[][id]=1',
    });
    assert.equal(form.status, 406);
    const lineTax = await call(
      api('/transactions/orders'),
      'POST',
      order({ line_items: [{ id: '1', quantity: 1, unit_price: 20 }] }),
      bearer,
    );
    assert.equal(lineTax.status, 406);
    // API version 2020-08-07 (the default): amount = line items (20) + shipping (5) = 25, not 30.
    const mismatch = await call(api('/transactions/orders'), 'POST', order({ amount: 30 }), bearer);
    assert.equal(mismatch.status, 400);
    assert.match(mismatch.json.detail, /does not equal the line items plus shipping \(25\)/);
    const lenient = await call(api('/transactions/orders'), 'POST', order({ amount: 30, transaction_id: 'T-OLD' }), {
      ...bearer,
      'x-api-version': '2012-01-01',
    });
    assert.equal(lenient.status, 200);
    const badId = await call(api('/transactions/orders'), 'POST', order({ transaction_id: 'T 1' }), bearer);
    assert.equal(badId.status, 400);

    const created = await call(api('/transactions/orders'), 'POST', order(), bearer);
    assert.equal(created.status, 200);
    assert.deepEqual(
      [created.json.order.amount, created.json.order.sales_tax, created.json.order.line_items[0].unit_price],
      ['25.0', '2.6', '10.0'],
    );
    const again = await call(api('/transactions/orders'), 'POST', order(), bearer);
    assert.deepEqual(again, {
      status: 422,
      json: {
        error: 'Unprocessable Entity',
        detail: 'Provider tranx already imported for your user account',
        status: 422,
      },
    });
    const unknown = await call(api('/transactions/orders/NOPE'), 'PUT', { sales_tax: 1 }, bearer);
    assert.deepEqual([unknown.status, unknown.json.detail], [404, 'Resource can not be found']);
    const refund = await call(api('/transactions/refunds'), 'POST', order({ transaction_id: 'R-1' }), bearer);
    assert.deepEqual([refund.status, refund.json.detail], [406, 'transaction_reference_id is missing']);
  });

  test('taxes: breakdown with nexus, none without, marketplace exemption, ZIP/state mismatch', async () => {
    const body = { to_country: 'US', to_zip: '98101', to_state: 'WA', shipping: 5, amount: 100 };
    const seattle = (await call(api('/taxes'), 'POST', body, bearer)).json.tax;
    // 105 taxable (WA taxes freight) at 6.5% + 2.25% + 1.4% = 10.15%: 6.83 + 2.36 + 1.47.
    assert.deepEqual(
      [seattle.has_nexus, seattle.taxable_amount, seattle.amount_to_collect, seattle.rate],
      [true, 105, 10.66, 0.1015],
    );
    assert.deepEqual(
      [
        seattle.breakdown.state_tax_collectable,
        seattle.breakdown.city_tax_collectable,
        seattle.breakdown.special_district_tax_collectable,
      ],
      [6.83, 2.36, 1.47],
    );
    const texas = (await call(api('/taxes'), 'POST', { ...body, to_zip: '78701', to_state: 'TX' }, bearer)).json.tax;
    assert.deepEqual([texas.has_nexus, texas.amount_to_collect, texas.breakdown], [false, 0, undefined]);
    const marketplace = (await call(api('/taxes'), 'POST', { ...body, exemption_type: 'marketplace' }, bearer)).json
      .tax;
    assert.deepEqual([marketplace.amount_to_collect, marketplace.exemption_type], [0, 'marketplace']);
    const oregon = (
      await call(
        api('/taxes'),
        'POST',
        { ...body, to_zip: '97204', to_state: 'OR', exemption_type: 'marketplace' },
        bearer,
      )
    ).json.tax;
    assert.deepEqual([oregon.amount_to_collect, oregon.exemption_type], [0, null]);
    const mismatch = await call(api('/taxes'), 'POST', { ...body, to_state: 'OR' }, bearer);
    assert.deepEqual([mismatch.status, mismatch.json.detail], [400, 'to_zip 98101 is not used within to_state OR']);
    const noShipping = await call(api('/taxes'), 'POST', { ...body, shipping: undefined }, bearer);
    assert.equal(noShipping.status, 406);
  });
});
