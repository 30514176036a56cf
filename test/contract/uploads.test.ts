// Contract: Upload Product Image / Upload Product File through our client (integrations/tiktok/uploads.ts) against
// the emulator: multipart bodies, signed over path and query only, sent without shop_cipher.
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309
// https://partner.tiktokshop.com/docv2/page/upload-product-file-202309
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { TikTokInvalidRequest } from '../../integrations/tiktok/errors';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { uploadFile } from '../../integrations/tiktok/uploads';
import { PDF_BYTES, jpegHeader, pngHeader } from '../helpers/imageBytes';
import { expectFailure, startHarness } from './harness';
import type { Harness } from './harness';

void describe('product uploads', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness();
  });
  after(async () => {
    await h.close();
  });

  void test('an evidence photo: uri and url come back, and the url serves the uploaded bytes', async () => {
    const bytes = jpegHeader(1200, 900);
    const image = await callEndpoint(h.client, endpoints.uploadProductImage, h.shop, {
      data: uploadFile(bytes, 'damaged-box.jpg', 'image/jpeg'),
      use_case: 'DESCRIPTION_IMAGE',
    });
    assert.match(image.uri, /^tos-maliva-i-o3syd03w52-us\//);
    assert.deepEqual([image.width, image.height, image.use_case], [1200, 900, 'DESCRIPTION_IMAGE']);
    assert.deepEqual(Buffer.from(await (await fetch(image.url)).arrayBuffer()), bytes);
    const upload = (await h.admin<{ mutations: any[] }>('/record/mutations')).mutations.find(
      (m) => m.action === 'upload_product_image',
    );
    assert.equal(upload.code, 0);
    assert.equal(upload.shopId, null, 'no shop_cipher was sent');
  });

  void test('a qualification document (PDF) and a certification image', async () => {
    const file = await callEndpoint(h.client, endpoints.uploadProductFile, h.shop, {
      data: uploadFile(PDF_BYTES, 'fcc-certificate.pdf', 'application/pdf'),
      name: 'fcc-certificate.pdf',
    });
    assert.deepEqual([file.name, file.format], ['fcc-certificate.pdf', 'PDF']);
    assert.ok(file.id.length > 0);
    const image = await callEndpoint(h.client, endpoints.uploadProductImage, h.shop, {
      data: uploadFile(pngHeader(1024, 1024), 'label.png', 'image/png'),
      use_case: 'CERTIFICATION_IMAGE',
    });
    assert.ok(image.uri.length > 0);
  });

  void test('refusals: the platform checks the image size for its use; the client checks the file name', async () => {
    const small = await expectFailure(
      callEndpoint(h.client, endpoints.uploadProductImage, h.shop, {
        data: uploadFile(pngHeader(120, 120), 'small.png', 'image/png'),
        use_case: 'MAIN_IMAGE',
      }),
      TikTokInvalidRequest,
    );
    assert.equal(small.code, 12038014);
    const badName = await expectFailure(
      callEndpoint(h.client, endpoints.uploadProductFile, h.shop, {
        data: uploadFile(PDF_BYTES, 'fcc.pdf'),
        name: 'fcc certificate.pdf',
      }),
      TikTokInvalidRequest,
    );
    assert.equal(badName.code, null, 'refused before sending');
  });
});
