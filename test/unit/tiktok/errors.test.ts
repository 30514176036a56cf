import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ApplicationFailure } from '@temporalio/common';
import {
  NON_RETRYABLE_TIKTOK_FAILURES,
  TIKTOK_FAILURE_CLASSES,
  TIKTOK_FAILURE_TYPES,
  TikTokAccessTokenExpired,
  TikTokApiError,
  TikTokAuthRevoked,
  TikTokInvalidRequest,
  TikTokNotFound,
  TikTokPermissionDenied,
  TikTokRateLimited,
  TikTokResponseInvalid,
  TikTokSignatureInvalid,
  TikTokStateConflict,
  TikTokUnavailable,
  classifyTikTokError,
  tiktokEnvelopeSchema,
} from '../../../integrations/tiktok/errors';

void test('classification by body code (§4.3) and by HTTP status (§4.2)', () => {
  const cases: [number | null, number | null, string, unknown][] = [
    [null, 429, '', TikTokRateLimited],
    [36009002, 200, 'Too many requests', TikTokRateLimited],
    [45101004, 200, 'quota', TikTokRateLimited],
    [null, 500, '', TikTokUnavailable],
    [null, 503, '', TikTokUnavailable],
    [null, null, '', TikTokUnavailable],
    [36009003, 200, 'internal error', TikTokUnavailable],
    [36009007, 200, 'timeout', TikTokUnavailable],
    [105002, 200, 'Expired credentials', TikTokAccessTokenExpired],
    [105001, 200, 'deauthorized', TikTokAuthRevoked],
    [36009004, 200, 'Invalid credentials. The x-tts-access-token header is invalid.', TikTokAuthRevoked],
    [36009004, 200, 'Missing signature in query', TikTokSignatureInvalid],
    [36009004, 200, 'Unexpected identifier. shop_cipher is not expected.', TikTokInvalidRequest],
    [106001, 200, 'Invalid credentials', TikTokSignatureInvalid],
    [105005, 200, 'you should apply auth pkg for this api', TikTokPermissionDenied],
    [36009033, 200, 'ip', TikTokPermissionDenied],
    [106013, 200, 'shop_cipher missing', TikTokInvalidRequest],
    [36009009, 404, 'invalid path', TikTokInvalidRequest],
    [25001001, 200, 'invalid param', TikTokInvalidRequest],
    [25007006, 200, 'order not found', TikTokNotFound],
    // 25001045 is Approve Cancellation's own code: its endpoint maps it (endpoints.test.ts); elsewhere it is unknown.
    [25001045, 200, 'already shipped', TikTokApiError],
    [21008099, 200, 'Package has been shipped', TikTokStateConflict],
    [99999999, 200, 'unknown', TikTokApiError],
    [99999999, 503, 'unknown but 503', TikTokUnavailable],
    [99999999, 429, 'unknown but 429', TikTokRateLimited],
    [null, 400, '', TikTokInvalidRequest],
    [null, 403, '', TikTokPermissionDenied],
    [null, 200, '', TikTokResponseInvalid],
  ];
  for (const [code, httpStatus, message, expected] of cases) {
    assert.equal(classifyTikTokError({ code, message, httpStatus }), expected, `code ${code} status ${httpStatus}`);
  }
});

void test('every class is an ApplicationFailure with its own stable type and retry flag', () => {
  const info = { code: 1, message: 'm', request_id: 'r', path: '/p', method: 'GET', http_status: 200 };
  const expected: Record<string, boolean> = {
    TikTokRateLimited: false,
    TikTokUnavailable: false,
    TikTokAccessTokenExpired: false,
    TikTokAuthRevoked: true,
    TikTokPermissionDenied: true,
    TikTokSignatureInvalid: true,
    TikTokInvalidRequest: true,
    TikTokNotFound: true,
    TikTokStateConflict: true,
    TikTokResponseInvalid: true,
    TikTokApiError: true,
  };
  assert.deepEqual(new Set(TIKTOK_FAILURE_TYPES), new Set(Object.keys(expected)));
  for (const cls of TIKTOK_FAILURE_CLASSES) {
    const err = new cls(info);
    assert.ok(err instanceof ApplicationFailure);
    assert.equal(err.type, cls.FAILURE_TYPE);
    assert.equal(err.nonRetryable, expected[cls.FAILURE_TYPE], cls.FAILURE_TYPE);
    assert.deepEqual(err.details, [info]);
  }
  assert.deepEqual(
    [...NON_RETRYABLE_TIKTOK_FAILURES].sort(),
    Object.keys(expected)
      .filter((k) => expected[k])
      .sort(),
  );
});

void test('the failure message carries code, path and request_id', () => {
  const err = new TikTokNotFound({
    code: 25007006,
    message: 'order not found',
    request_id: '2022030707490001',
    path: '/order/202309/orders',
    method: 'GET',
    http_status: 200,
  });
  assert.match(err.message, /^TikTokNotFound: GET \/order\/202309\/orders failed \(code 25007006, HTTP 200/);
  assert.match(err.message, /request_id 2022030707490001/);
  assert.equal(err.requestId, '2022030707490001');
  assert.equal(err.code, 25007006);
});

void test('envelope schema (§4.1)', () => {
  const ok = tiktokEnvelopeSchema.parse({
    code: 0,
    message: 'Success',
    request_id: '202203070749000101890810281E8C70B7',
    data: { shops: [] },
  });
  assert.equal(ok.code, 0);
  assert.equal(tiktokEnvelopeSchema.safeParse({ message: 'no code' }).success, false);
  assert.equal(tiktokEnvelopeSchema.safeParse({ code: '0' }).success, false);
  // ECOM issue #40 live response: no data.
  assert.equal(
    tiktokEnvelopeSchema.safeParse({ code: 105005, message: 'you should apply auth pkg for this api', request_id: 'x' })
      .success,
    true,
  );
});
