// Upload Product Image / Upload Product File on the emulator: multipart, no shop_cipher, the body outside the sign.
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309
// https://partner.tiktokshop.com/docv2/page/upload-product-file-202309
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startTikTokShopEmulator } from '../../../emulators/tiktok-shop/server';
import type { RunningEmulator } from '../../../emulators/tiktok-shop/server';
import { computeRequestSign } from '../../../emulators/tiktok-shop/signing';
import { sniffImage } from '../../../emulators/tiktok-shop/uploads';
import { PDF_BYTES as PDF, jpegHeader, pngHeader } from '../../helpers/imageBytes';
import { APP_KEY, APP_SECRET, admin, api, seedShop } from './helpers';
import type { Envelope, Shop } from './helpers';

const IMAGE = '/product/202309/images/upload';
const FILE = '/product/202309/files/upload';

void test('image headers: PNG, JPEG, WEBP (VP8X), BMP, HEIC (ispe) dimensions; GIF is not supported', () => {
  assert.deepEqual(sniffImage(pngHeader(640, 480)), { format: 'PNG', width: 640, height: 480 });
  assert.deepEqual(sniffImage(jpegHeader(1000, 500)), { format: 'JPEG', width: 1000, height: 500 });
  const webp = Buffer.alloc(30);
  webp.write('RIFF', 0, 'latin1');
  webp.write('WEBPVP8X', 8, 'latin1');
  webp.writeUIntLE(799, 24, 3);
  webp.writeUIntLE(599, 27, 3);
  assert.deepEqual(sniffImage(webp), { format: 'WEBP', width: 800, height: 600 });
  const bmp = Buffer.alloc(26);
  bmp.write('BM', 0, 'latin1');
  bmp.writeInt32LE(320, 18);
  bmp.writeInt32LE(-240, 22);
  assert.deepEqual(sniffImage(bmp), { format: 'BMP', width: 320, height: 240 });
  const heic = Buffer.alloc(40);
  heic.write('ftypheic', 4, 'latin1');
  heic.write('ispe', 20, 'latin1');
  heic.writeUInt32BE(3024, 28);
  heic.writeUInt32BE(4032, 32);
  assert.deepEqual(sniffImage(heic), { format: 'HEIC', width: 3024, height: 4032 });
  assert.equal(sniffImage(Buffer.from('GIF89a....', 'latin1')), null);
});

void describe('upload endpoints', () => {
  let em: RunningEmulator;
  let s: Shop;

  async function upload(
    path: string,
    form: FormData | string,
    opts: { cipher?: boolean; contentType?: string } = {},
  ): Promise<{ status: number; body: Envelope }> {
    const query: Record<string, string> = {
      app_key: APP_KEY,
      timestamp: String(Math.floor(Date.now() / 1000)),
      ...(opts.cipher ? { shop_cipher: s.cipher } : {}),
    };
    // The sign covers path and query only: a multipart body is never part of it.
    const sign = computeRequestSign({ appSecret: APP_SECRET, path, query, contentType: 'multipart/form-data' });
    const headers: Record<string, string> = { 'x-tts-access-token': s.token };
    if (opts.contentType) headers['content-type'] = opts.contentType;
    const res = await fetch(`${em.url}${path}?${new URLSearchParams({ ...query, sign }).toString()}`, {
      method: 'POST',
      headers,
      body: form,
    });
    return { status: res.status, body: (await res.json()) as Envelope };
  }

  function imageForm(bytes: Buffer, useCase?: string): FormData {
    const form = new FormData();
    form.append('data', new Blob([Uint8Array.from(bytes)], { type: 'image/png' }), 'photo.png');
    if (useCase !== undefined) form.append('use_case', useCase);
    return form;
  }

  function fileForm(bytes: Buffer, name?: string): FormData {
    const form = new FormData();
    form.append('data', new Blob([Uint8Array.from(bytes)], { type: 'application/pdf' }), name ?? 'file');
    if (name !== undefined) form.append('name', name);
    return form;
  }

  before(async () => {
    em = await startTikTokShopEmulator({ port: 0, apps: [{ appKey: APP_KEY, appSecret: APP_SECRET }] });
    s = await seedShop(em);
  });
  after(async () => em.close());

  void test('Upload Product Image answers uri, url, size and use case; the url serves the bytes', async () => {
    const bytes = pngHeader(800, 600);
    const r = await upload(IMAGE, imageForm(bytes, 'MAIN_IMAGE'));
    assert.equal(r.body.code, 0, r.body.message);
    assert.match(r.body.data.uri, /^tos-maliva-i-o3syd03w52-us\/[0-9a-z]{32}$/);
    assert.deepEqual([r.body.data.width, r.body.data.height, r.body.data.use_case], [800, 600, 'MAIN_IMAGE']);
    const served = await fetch(r.body.data.url);
    assert.deepEqual(Buffer.from(await served.arrayBuffer()), bytes);
    const second = await upload(IMAGE, imageForm(bytes, 'MAIN_IMAGE'));
    assert.notEqual(second.body.data.uri, r.body.data.uri, 'each upload is a new image');
  });

  void test('gateway: shop_cipher is refused, a JSON body is refused (36009023)', async () => {
    const withCipher = await upload(IMAGE, imageForm(pngHeader(800, 800)), { cipher: true });
    assert.equal(withCipher.body.code, 36009004);
    assert.match(withCipher.body.message, /Unexpected identifier/);
    const json = await api(em, { path: IMAGE, body: { data: 'x' }, token: s.token });
    assert.equal(json.body.code, 36009023);
  });

  void test('image checks: use case limits, format, use_case value, missing file', async () => {
    assert.equal((await upload(IMAGE, imageForm(pngHeader(200, 200), 'MAIN_IMAGE'))).body.code, 12038014);
    assert.equal((await upload(IMAGE, imageForm(pngHeader(200, 200)))).body.code, 12038014, 'default MAIN_IMAGE');
    assert.equal((await upload(IMAGE, imageForm(pngHeader(200, 200), 'DESCRIPTION_IMAGE'))).body.code, 0);
    assert.equal((await upload(IMAGE, imageForm(pngHeader(2000, 900), 'SIZE_CHART_IMAGE'))).body.code, 12038014);
    assert.equal((await upload(IMAGE, imageForm(pngHeader(20001, 500), 'ATTRIBUTE_IMAGE'))).body.code, 12038014);
    assert.equal((await upload(IMAGE, imageForm(jpegHeader(1200, 1600), 'CERTIFICATION_IMAGE'))).body.code, 0);
    const gif = Buffer.from('GIF89a\x01\x00\x01\x00', 'latin1');
    assert.equal((await upload(IMAGE, imageForm(gif, 'MAIN_IMAGE'))).body.code, 12038015);
    assert.equal((await upload(IMAGE, imageForm(pngHeader(800, 800), 'BANNER'))).body.code, 11050001);
    const noFile = new FormData();
    noFile.append('use_case', 'MAIN_IMAGE');
    assert.equal((await upload(IMAGE, noFile)).body.code, 12038002);
  });

  void test('Create Product takes uploaded images and files; a repeat with its idempotency_key is the same product', async () => {
    const image = (await upload(IMAGE, imageForm(pngHeader(800, 800), 'MAIN_IMAGE'))).body.data;
    const cert = (await upload(IMAGE, imageForm(pngHeader(800, 800), 'CERTIFICATION_IMAGE'))).body.data;
    const pdf = (await upload(FILE, fileForm(PDF, 'test-report.pdf'))).body.data;
    const product = (overrides: Record<string, unknown> = {}) => ({
      title: 'Kettle',
      description: '<p>Electric kettle</p>',
      category_id: '600001',
      main_images: [{ uri: image.uri }],
      certifications: [
        {
          id: '7182427311584347905',
          images: [{ uri: cert.uri }],
          files: [{ id: pdf.id, name: 'test-report.pdf', format: 'PDF' }],
        },
      ],
      package_weight: { value: '1.2', unit: 'KILOGRAM' },
      skus: [
        {
          seller_sku: 'K-1',
          price: { amount: '29.90', currency: 'USD' },
          inventory: [{ warehouse_id: s.warehouseId, quantity: 5 }],
        },
      ],
      idempotency_key: 'create-kettle-1',
      ...overrides,
    });
    const create = (body: unknown) =>
      api(em, { path: '/product/202309/products', body, token: s.token, cipher: s.cipher });
    const first = await create(product());
    assert.equal(first.body.code, 0, first.body.message);
    const again = await create(product());
    assert.deepEqual(again.body.data, first.body.data, 'same product id and SKU ids');
    const listed = await admin(em, `/products?shop_id=${s.shopId}`);
    assert.equal(listed.products.filter((x: any) => x.title === 'Kettle').length, 1, 'created once');
    const got = await api(em, {
      path: `/product/202309/products/${first.body.data.product_id}`,
      token: s.token,
      cipher: s.cipher,
    });
    assert.equal(got.body.data.status, 'PENDING', 'LISTING goes to audit');

    const refused = async (overrides: Record<string, unknown>) =>
      (await create(product({ idempotency_key: undefined, ...overrides }))).body.code;
    assert.equal(await refused({ main_images: [{ uri: 'tos-maliva-i-o3syd03w52-us/notuploaded' }] }), 12052300);
    assert.equal(await refused({ main_images: [] }), 12052028);
    assert.equal(await refused({ certifications: [{ id: '1', files: [{ id: 'v0unknown' }] }] }), 12052658);
    assert.equal(await refused({ certifications: [{ id: '1', images: [{ uri: pdf.id }] }] }), 12052650);
    assert.equal(await refused({ title: '' }), 12052261);
    assert.equal(await refused({ idempotency_key: 'k'.repeat(129) }), 36009004);
  });

  void test('Upload Product File answers id, url, name and format; checks name and content', async () => {
    const r = await upload(FILE, fileForm(PDF, 'certificate.pdf'));
    assert.equal(r.body.code, 0, r.body.message);
    assert.match(r.body.data.id, /^v0[0-9a-z]{30}$/);
    assert.deepEqual([r.body.data.name, r.body.data.format], ['certificate.pdf', 'PDF']);
    assert.deepEqual(Buffer.from(await (await fetch(r.body.data.url)).arrayBuffer()), PDF);

    assert.equal((await upload(FILE, fileForm(PDF))).body.code, 12019104, 'name missing');
    const badName = await upload(FILE, fileForm(PDF, 'my certificate.pdf'));
    assert.equal(badName.body.code, 36009004, 'name rules: unverified code (errorCodes.ts)');
    assert.equal((await upload(FILE, fileForm(Buffer.from('not a pdf'), 'certificate.pdf'))).body.code, 12019105);
    assert.equal((await upload(FILE, fileForm(PDF, 'certificate.docx'))).body.code, 12019105);
    assert.equal((await upload(FILE, fileForm(Buffer.alloc(0), 'certificate.pdf'))).body.code, 12019103);
  });
});
