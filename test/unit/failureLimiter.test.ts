// The per-address limit on failed authentications (api/failureLimiter.ts): an IPv6 sender is counted by its /64, so
// rotating through its prefix's addresses buys no fresh count; IPv4 (also IPv4-mapped) by the address.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { addressKey, createFailureLimiter } from '../../api/failureLimiter';

test('addresses are counted by IPv4 address or IPv6 /64', () => {
  assert.equal(addressKey('192.0.2.7'), '192.0.2.7');
  assert.equal(addressKey('::ffff:192.0.2.7'), '192.0.2.7');
  assert.equal(addressKey('2001:db8:1:2:aaaa::1'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:0db8:0001:0002:ffff:1:2:3'), '2001:db8:1:2::/64');
  assert.equal(addressKey('2001:db8::5'), '2001:db8:0:0::/64');
  assert.equal(addressKey('::1'), '0:0:0:0::/64');
});

test('addresses of one IPv6 /64 share one count; another prefix or address does not', () => {
  let t = 0;
  const limiter = createFailureLimiter({ limit: 3, windowMs: 60_000, now: () => t });
  for (let i = 1; i <= 3; i++) limiter.fail(`2001:db8:1:2::${i.toString(16)}`);
  assert.equal(limiter.limited('2001:db8:1:2::ffff'), true, 'a fresh address of the same /64 is limited');
  assert.equal(limiter.limited('2001:db8:1:3::1'), false, 'the next /64 is not');
  limiter.fail('192.0.2.1');
  assert.equal(limiter.limited('::ffff:192.0.2.1'), false);
  t = 60_000;
  assert.equal(limiter.limited('2001:db8:1:2::1'), false, 'the window ends');
});
