// `tax registrations list|set|remove` (cli/tax.ts) without a server: the request each makes, what it prints, and a
// bad frequency or date refused as a usage error before any request.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cliAgainstFakeApi } from '../helpers/cliAgainstFakeApi';

const cli = cliAgainstFakeApi;

const tx = {
  shopId: 'shop-1',
  state: 'TX',
  permitNumber: '32012345678',
  filingFrequency: 'monthly',
  startDate: '2026-03-01',
  updatedBy: 'ops (key 1)',
  createdAt: '2026-12-05T12:00:00.000Z',
  updatedAt: '2026-12-05T12:00:00.000Z',
};

test('tax registrations list: GET the list, one line per state', async () => {
  const out = await cli(['tax', 'registrations', 'list', 'shop-1'], { shopId: 'shop-1', registrations: [tx] });
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    { method: 'GET', url: 'http://api.test:3000/v1/shops/shop-1/tax/registrations', body: undefined },
  ]);
  assert.match(out.stdout, /^state +permit +frequency +start +updated by\n/);
  assert.match(out.stdout, /TX +32012345678 +monthly +2026-03-01 +ops \(key 1\)\n/);
  const none = await cli(['tax', 'registrations', 'list', 'shop-1'], { shopId: 'shop-1', registrations: [] });
  assert.equal(none.stdout, 'Shop shop-1 has no sales-tax registrations\n');
});

test('tax registrations set: PUT the state (upper case); a bad frequency or date is a usage error', async () => {
  const args = ['tax', 'registrations', 'set', 'shop-1', 'tx', '--permit', '32012345678'];
  const out = await cli([...args, '--frequency', 'monthly', '--start', '2026-03-01'], tx);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    {
      method: 'PUT',
      url: 'http://api.test:3000/v1/shops/shop-1/tax/registrations/TX',
      body: { permitNumber: '32012345678', filingFrequency: 'monthly', startDate: '2026-03-01' },
    },
  ]);
  assert.equal(out.stdout, 'Registered TX for shop shop-1: permit 32012345678, monthly from 2026-03-01\n');
  const weekly = await cli([...args, '--frequency', 'weekly', '--start', '2026-03-01'], tx);
  assert.equal(weekly.code, 2);
  assert.deepEqual(weekly.sent, []);
  assert.match(weekly.stderr, /one of monthly, quarterly, semiannual, annual/);
  const date = await cli([...args, '--frequency', 'monthly', '--start', '1 March'], tx);
  assert.equal(date.code, 2);
  assert.deepEqual(date.sent, []);
});

test('tax registrations remove: DELETE the state', async () => {
  const out = await cli(['tax', 'registrations', 'remove', 'shop-1', 'ca'], undefined, 204);
  assert.equal(out.code, 0, out.stderr);
  assert.deepEqual(out.sent, [
    { method: 'DELETE', url: 'http://api.test:3000/v1/shops/shop-1/tax/registrations/CA', body: undefined },
  ]);
  assert.equal(out.stdout, 'Removed the CA registration of shop shop-1\n');
});
