import { test, describe } from 'node:test';
import assert from 'node:assert/strict';
import { computeRequestSign, computeWebhookSignature, verifyRequestSign } from '../../../emulators/tiktok-shop/signing';
import {
  businessDeadline,
  federalHolidays,
  formatPacific,
  pacificToUtc,
} from '../../../emulators/tiktok-shop/usBusinessCalendar';

void describe('request signing (ref §2.2–§2.3)', () => {
  void test('V1 official vector', () => {
    const input = {
      appSecret: 'e59af819cc',
      path: '/authorization/202309/shops',
      query: { app_key: '29a39d', timestamp: '1623812664' },
    };
    assert.equal(computeRequestSign(input), 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8');
    assert.equal(
      verifyRequestSign({ ...input, sign: 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8' }),
      true,
    );
    // the curl placeholder from the same page is not a valid sign
    assert.equal(verifyRequestSign({ ...input, sign: 'bc721f0e'.padEnd(64, '0') }), false);
  });

  void test('V2 SDK vector', () => {
    const input = { appSecret: 'app_secret', path: '/test-api', query: { foo: 'bar' } };
    assert.equal(computeRequestSign(input), 'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f');
  });

  void test('sign and access_token are excluded; uppercase hex is rejected; body appended unless multipart', () => {
    const base = {
      appSecret: 'e59af819cc',
      path: '/authorization/202309/shops',
      query: { app_key: '29a39d', timestamp: '1623812664' },
    };
    const withExtra = { ...base, query: { ...base.query, sign: 'x', access_token: 'y' } };
    assert.equal(computeRequestSign(withExtra), computeRequestSign(base));
    const upper = computeRequestSign(base).toUpperCase();
    assert.equal(verifyRequestSign({ ...base, sign: upper }), false);
    const withBody = computeRequestSign({ ...base, body: '{"a":1}', contentType: 'application/json' });
    assert.notEqual(withBody, computeRequestSign(base));
    assert.equal(
      computeRequestSign({ ...base, body: 'xx', contentType: 'multipart/form-data; boundary=abc' }),
      computeRequestSign(base),
    );
  });

  void test('webhook signature golden vector (ref §11.2)', () => {
    const payload =
      '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}';
    assert.equal(
      computeWebhookSignature('abcdef', '123', payload),
      '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
    );
  });
});

void describe('US business calendar (US SLA page)', () => {
  void test('worked example: Thu 2026-12-24 20:00 Pacific → carrier scan by Tue 2026-12-29 23:59:59 Pacific', () => {
    const placed = pacificToUtc({ year: 2026, month: 12, day: 24 }, 20, 0, 0);
    assert.equal(new Date(placed).toISOString(), '2026-12-25T04:00:00.000Z');
    const deadline = businessDeadline(placed, 2);
    assert.equal(formatPacific(deadline), '2026-12-29 23:59:59 America/Los_Angeles');
    assert.equal(new Date(deadline).toISOString(), '2026-12-30T07:59:59.000Z');
    // auto-cancel after 7 business days skips New Year's Day 2027 (Friday)
    assert.equal(formatPacific(businessDeadline(placed, 7)), '2027-01-06 23:59:59 America/Los_Angeles');
  });

  void test('observed federal holidays', () => {
    const h2026 = federalHolidays(2026);
    assert.ok(h2026.has('2026-07-03'), 'Independence Day on a Saturday is observed on Friday');
    assert.ok(!h2026.has('2026-07-04'));
    assert.ok(h2026.has('2026-11-26'), 'Thanksgiving 2026');
    assert.ok(h2026.has('2026-12-25'));
    assert.ok(federalHolidays(2021).has('2021-12-31'), "New Year's Day 2022 (Saturday) observed on Dec 31 2021");
    assert.equal(h2026.size, 11);
  });

  void test('daylight saving: a summer deadline is 23:59:59 PDT (UTC-7)', () => {
    const placed = pacificToUtc({ year: 2026, month: 6, day: 15 }, 9, 0, 0); // Monday
    assert.equal(new Date(businessDeadline(placed, 2)).toISOString(), '2026-06-18T06:59:59.000Z');
  });
});
