import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  buildSignBaseString,
  computeWebhookSignature,
  isMultipart,
  signRequest,
  verifyWebhookSignature,
} from '../../../integrations/tiktok/signing';

// ref §2.3 V1 (official) and V2 (ECOM test), §11.2 webhook golden vector (docs/tiktok-shop-api-sources.md).
const V1 = {
  appSecret: 'e59af819cc',
  path: '/authorization/202309/shops',
  query: { app_key: '29a39d', timestamp: '1623812664' },
  expected: 'b596b73e0cc6de07ac26f036364178ab16b0a907af13d43f0a0cd2345f582dc8',
};
const V2 = {
  appSecret: 'app_secret',
  path: '/test-api',
  query: { foo: 'bar' },
  expected: 'd3cb7fe11ecae942802ceeca67e7cf10120cc12f1517d45fbc1c8cfe5413c80f',
};
const WEBHOOK = {
  appKey: 'abcdef',
  appSecret: '123',
  rawBody:
    '{"type":1,"tts_notification_id":"7380066284010030890","shop_id":"7495540735365777507","timestamp":1718305585,"data":{"is_on_hold_order":true,"order_id":"576653688135258178","order_status":"UNPAID","update_time":1718305585}}',
  expected: '5dec0f11ec2f6783b8deee53c9ffbf8d024302f7c7e7fa55a35d17629031ac05',
};

void test('V1: official vector', () => {
  assert.equal(signRequest({ appSecret: V1.appSecret, path: V1.path, query: V1.query }), V1.expected);
});

void test('V1: the base string is path + sorted key/value pairs', () => {
  assert.equal(
    buildSignBaseString({ path: V1.path, query: V1.query }),
    '/authorization/202309/shopsapp_key29a39dtimestamp1623812664',
  );
});

void test('V1: the curl placeholder sign from the doc page is not what we compute', () => {
  assert.ok(!signRequest({ appSecret: V1.appSecret, path: V1.path, query: V1.query }).startsWith('bc721f0e'));
});

void test('V2: ECOM vector without app_key/timestamp', () => {
  assert.equal(signRequest({ appSecret: V2.appSecret, path: V2.path, query: V2.query }), V2.expected);
});

void test('sign and access_token are excluded; key order of the input does not matter', () => {
  const withNoise = {
    timestamp: '1623812664',
    sign: 'whatever',
    access_token: 'TTP_x',
    'x-tts-access-token': 'TTP_y',
    app_key: '29a39d',
  };
  assert.equal(signRequest({ appSecret: V1.appSecret, path: V1.path, query: withNoise }), V1.expected);
});

void test('undefined query values are left out', () => {
  assert.equal(
    signRequest({ appSecret: V1.appSecret, path: V1.path, query: { ...V1.query, page_token: undefined } }),
    V1.expected,
  );
});

void test('keys sort in byte order and shop_cipher takes part', () => {
  const base = buildSignBaseString({
    path: '/event/202309/webhooks',
    query: { timestamp: '1696909648', shop_cipher: 'ROW_xkMbgAAAeVAQra0eZWebFQq5aIK', app_key: '68xu9ks5p4i8' },
    body: '{    "address":"https://partner.tiktokshop.com",    "event_type": "PACKAGE_UPDATE"}',
    contentType: 'application/json',
  });
  // The pre-wrap string shown in the DOC example of Update Shop Webhook (§2.2), body appended as-is.
  assert.equal(
    base,
    '/event/202309/webhooksapp_key68xu9ks5p4i8shop_cipherROW_xkMbgAAAeVAQra0eZWebFQq5aIKtimestamp1696909648{    "address":"https://partner.tiktokshop.com",    "event_type": "PACKAGE_UPDATE"}',
  );
});

void test('JSON body is appended; a different body gives a different sign', () => {
  const common = { appSecret: 's', path: '/p', query: { a: '1' }, contentType: 'application/json' };
  const withBody = signRequest({ ...common, body: '{"x":1}' });
  assert.notEqual(withBody, signRequest({ ...common }));
  assert.notEqual(withBody, signRequest({ ...common, body: '{"x":2}' }));
  assert.match(withBody, /^[0-9a-f]{64}$/);
});

void test('multipart bodies are not signed, boundary parameter ignored', () => {
  const common = { appSecret: 's', path: '/product/202309/images/upload', query: { a: '1' } };
  assert.equal(
    signRequest({ ...common, body: '--xyz\r\ncontent', contentType: 'multipart/form-data; boundary=xyz' }),
    signRequest({ ...common }),
  );
  assert.ok(isMultipart('Multipart/Form-Data; boundary=1'));
  assert.ok(!isMultipart('application/json'));
  assert.ok(!isMultipart(undefined));
});

void test('an empty {} body is not part of the sign (official Node SDK behaviour, §2.2)', () => {
  const common = { appSecret: 's', path: '/p', query: { a: '1' }, contentType: 'application/json' };
  assert.equal(signRequest({ ...common, body: '{}' }), signRequest({ ...common }));
});

void test('the sign is lowercase hex', () => {
  const sign = signRequest({ appSecret: V1.appSecret, path: V1.path, query: V1.query });
  assert.equal(sign, sign.toLowerCase());
});

void test('webhook: golden vector verifies', () => {
  assert.equal(computeWebhookSignature(WEBHOOK), WEBHOOK.expected);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: WEBHOOK.expected }), true);
  assert.equal(
    verifyWebhookSignature({ ...WEBHOOK, rawBody: Buffer.from(WEBHOOK.rawBody), authorization: WEBHOOK.expected }),
    true,
  );
});

void test('webhook: uppercase hex is rejected by the byte comparison', () => {
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: WEBHOOK.expected.toUpperCase() }), false);
});

void test('webhook: tampered body is rejected', () => {
  const tampered = WEBHOOK.rawBody.replace('UNPAID', 'AWAITING_SHIPMENT');
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, rawBody: tampered, authorization: WEBHOOK.expected }), false);
  // Whitespace matters: the raw body is signed, not a re-serialisation.
  assert.equal(
    verifyWebhookSignature({ ...WEBHOOK, rawBody: `${WEBHOOK.rawBody}\n`, authorization: WEBHOOK.expected }),
    false,
  );
});

void test('webhook: wrong key or secret, missing, prefixed or truncated header are rejected', () => {
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, appKey: 'abcdeg', authorization: WEBHOOK.expected }), false);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, appSecret: '124', authorization: WEBHOOK.expected }), false);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: undefined }), false);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: '' }), false);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: `Bearer ${WEBHOOK.expected}` }), false);
  assert.equal(verifyWebhookSignature({ ...WEBHOOK, authorization: WEBHOOK.expected.slice(0, 63) }), false);
});
