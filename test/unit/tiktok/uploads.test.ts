// The upload calls on the wire: multipart bodies signed over path and query only, without shop_cipher.
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309 (no shop_cipher parameter) and
// https://partner.tiktokshop.com/docv2/page/sign-your-api-request (a multipart body is not appended to the sign).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { signRequest } from '../../../integrations/tiktok/signing';
import { callEndpoint, endpoints } from '../../../integrations/tiktok/endpoints';
import { uploadFile } from '../../../integrations/tiktok/uploads';
import { TikTokInvalidRequest } from '../../../integrations/tiktok/errors';
import { PDF_BYTES, pngHeader } from '../../helpers/imageBytes';
import { APP_SECRET, SHOP, envelope, jsonResponse, makeClient } from './fakeTikTok';

interface Sent {
  url: URL;
  headers: Headers;
  body: unknown;
}

/** A fetch that keeps the raw `init` (the shared fake keeps string bodies only) and answers from a queue. */
function capturingFetch(answers: unknown[]): { fetch: typeof fetch; sent: Sent[] } {
  const sent: Sent[] = [];
  const impl = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input.toString());
    sent.push({ url, headers: new Headers(init?.headers), body: init?.body });
    const answer = answers[Math.min(sent.length - 1, answers.length - 1)];
    return Promise.resolve(jsonResponse(200, answer));
  };
  return { fetch: impl, sent };
}

function signWithoutBody(req: Sent): string {
  const query: Record<string, string> = {};
  for (const [k, v] of req.url.searchParams) if (k !== 'sign') query[k] = v;
  return signRequest({ appSecret: APP_SECRET, path: req.url.pathname, query, contentType: 'multipart/form-data' });
}

const IMAGE_DATA = { uri: 'tos-maliva-i-o3syd03w52-us/abc', url: 'https://img.test/abc', width: 800, height: 800 };

void test('Upload Product Image: multipart fields data + use_case, no shop_cipher, sign over path and query', async () => {
  const { fetch, sent } = capturingFetch([envelope(0, { ...IMAGE_DATA, use_case: 'MAIN_IMAGE' })]);
  const tc = makeClient([], { fetch });
  const bytes = pngHeader(800, 800);
  const out = await callEndpoint(tc.client, endpoints.uploadProductImage, SHOP, {
    data: uploadFile(bytes, 'front.png', 'image/png'),
    use_case: 'MAIN_IMAGE',
  });
  assert.equal(out.uri, IMAGE_DATA.uri);
  const req = sent[0]!;
  assert.equal(req.url.pathname, '/product/202309/images/upload');
  assert.equal(req.url.searchParams.has('shop_cipher'), false);
  assert.equal(req.url.searchParams.get('sign'), signWithoutBody(req));
  assert.equal(req.headers.get('content-type'), null, 'fetch sets multipart/form-data with its boundary');
  assert.equal(req.headers.get('x-tts-access-token'), 'TTP_token_1');
  assert.ok(req.body instanceof FormData);
  const part = req.body.get('data');
  assert.ok(part instanceof File);
  assert.deepEqual([part.name, part.type], ['front.png', 'image/png']);
  assert.deepEqual(Buffer.from(await part.arrayBuffer()), bytes);
  assert.equal(req.body.get('use_case'), 'MAIN_IMAGE');
  assert.deepEqual(
    tc.budget.calls.map((c) => [c.shopId, c.api]),
    [[SHOP.shopId, 'POST /product/202309/images/upload']],
  );
});

void test('the multipart body is sent again after a token refresh (105002)', async () => {
  const { fetch, sent } = capturingFetch([envelope(105002, null, 'Expired credentials'), envelope(0, IMAGE_DATA)]);
  const tc = makeClient([], { fetch });
  await callEndpoint(tc.client, endpoints.uploadProductImage, SHOP, { data: uploadFile(pngHeader(800, 800), 'a.png') });
  assert.equal(sent.length, 2);
  assert.deepEqual(tc.tokens.calls, [`get:${SHOP.shopId}`, `refresh:${SHOP.shopId}`]);
  assert.ok(sent[1]!.body instanceof FormData);
  assert.ok(sent[1]!.body.get('data') instanceof Blob);
  assert.equal(sent[1]!.url.searchParams.get('sign'), signWithoutBody(sent[1]!));
});

void test('Upload Product File: fields data + name; bad names and empty files never leave the client', async () => {
  const { fetch, sent } = capturingFetch([envelope(0, { id: 'v0abc', url: 'https://f.test/v0abc', name: 'c.pdf' })]);
  const tc = makeClient([], { fetch });
  const out = await callEndpoint(tc.client, endpoints.uploadProductFile, SHOP, {
    data: uploadFile(PDF_BYTES, 'c.pdf', 'application/pdf'),
    name: 'c.pdf',
  });
  assert.equal(out.id, 'v0abc');
  const req = sent[0]!;
  assert.equal(req.url.pathname, '/product/202309/files/upload');
  assert.equal(req.url.searchParams.has('shop_cipher'), false);
  assert.ok(req.body instanceof FormData);
  assert.equal(req.body.get('name'), 'c.pdf');
  for (const input of [
    { data: uploadFile(PDF_BYTES, 'x.pdf'), name: 'no extension' },
    { data: uploadFile(PDF_BYTES, 'x.pdf'), name: 'two.dots.pdf' },
    { data: uploadFile(Buffer.alloc(0), 'x.pdf'), name: 'empty.pdf' },
  ]) {
    await assert.rejects(callEndpoint(tc.client, endpoints.uploadProductFile, SHOP, input), TikTokInvalidRequest);
  }
  assert.equal(sent.length, 1);
});
