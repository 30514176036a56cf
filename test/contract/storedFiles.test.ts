// Contract: the uploadEvidenceToTikTok activity (activities/storedFiles/index.ts) against the emulator: a stored image
// goes to Upload Product Image once per (shop, file), and its uri, size and type come back as Reject Return's
// `images[]` takes them; a retried or repeated activity uploads nothing twice.
// https://partner.tiktokshop.com/docv2/page/upload-product-image-202309
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { ApplicationFailure } from '@temporalio/common';
import { createStoredFileActivities } from '../../activities/storedFiles';
import { createFileStore } from '../../files/fileStore';
import type { Keyring } from '../../secrets/keyring';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { PDF_BYTES, pngImage } from '../helpers/imageBytes';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { placeShippableOrders, startHarness, type Harness } from './harness';

void describe('evidence images: stored file → Upload Product Image', () => {
  let h: Harness;
  let database: TestDatabase;
  const keyring: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]) };
  let activities: ReturnType<typeof createStoredFileActivities>;
  const uploads = async () =>
    (await h.admin<{ mutations: { action: string; code: number }[] }>('/record/mutations')).mutations.filter(
      (m) => m.action === 'upload_product_image',
    );

  before(async () => {
    h = await startHarness();
    database = await testDatabase();
    activities = createStoredFileActivities({
      cfg: { FILE_MAX_BYTES: 1024 * 1024 },
      db: database.db,
      tiktok: { client: h.client },
      tokens: { shopRef: (shopId: string) => Promise.resolve({ ...h.shop, shopId }) },
      secretsKeyring: keyring,
    });
  });
  after(async () => {
    await database?.drop();
    await h?.close();
  });

  void test('uploads once: the uri, TikTok’s size and the type come back; a repeat answers from the row', async () => {
    const files = createFileStore({ db: database.db, keyring, maxBytes: 1024 * 1024 });
    const photo = pngImage(1200, 900, 9);
    const stored = await files.put(h.shop.shopId, photo, { purpose: 'evidence', createdBy: 'ops' });
    const already = (await uploads()).length;

    const image = await activities.uploadEvidenceToTikTok({ shopId: h.shop.shopId, fileId: stored.fileId });
    assert.match(image.uri, /^tos-maliva-i-o3syd03w52-us\//);
    assert.deepEqual([image.width, image.height, image.mimeType], [1200, 900, 'image/png']);
    const sent = await uploads();
    assert.equal(sent.length, already + 1);
    assert.equal(sent.at(-1)!.code, 0);

    const again = await activities.uploadEvidenceToTikTok({ shopId: h.shop.shopId, fileId: stored.fileId });
    assert.deepEqual(again, image);
    assert.equal((await uploads()).length, already + 1, 'no second upload');
    const row = await database.db('stored_files').where({ shop_id: h.shop.shopId, file_id: stored.fileId }).first();
    assert.equal(row.tiktok_image.uri, image.uri);
    assert.equal(row.tiktok_image.useCase, 'DESCRIPTION_IMAGE');
  });

  void test('Reject Return takes the answer as images[]: the emulator finds the upload behind the uri', async () => {
    const files = createFileStore({ db: database.db, keyring, maxBytes: 1024 * 1024 });
    const photo = await files.put(h.shop.shopId, pngImage(640, 480, 3), { purpose: 'evidence', createdBy: 'ops' });
    const image = await activities.uploadEvidenceToTikTok({ shopId: h.shop.shopId, fileId: photo.fileId });

    const [orderId] = await placeShippableOrders(h, [{ items: [{ sku_id: h.products[0]!.skus[0]!.id }] }]);
    await callEndpoint(h.client, endpoints.markPackageAsShipped, h.shop, {
      order_id: orderId!,
      tracking_number: '9400100000000077',
      shipping_provider_id: '7117858858072016686',
    });
    await h.admin(`/orders/${orderId}/carrier-scan`, {});
    await h.admin(`/orders/${orderId}/deliver`, {});
    const { return_id: returnId } = await h.admin<{ return_id: string }>(`/orders/${orderId}/returns`, {});
    const [reason] = await callEndpoint(h.client, endpoints.getRejectReasons, h.shop, {
      return_or_cancel_id: returnId,
    });
    await callEndpoint(h.client, endpoints.rejectReturn, h.shop, {
      return_id: returnId,
      decision: 'REJECT_RETURN',
      reject_reason: reason!.name,
      comment: 'box damaged by the buyer, photo attached',
      images: [{ image_id: image.uri, mime_type: image.mimeType, width: image.width, height: image.height }],
    });
    const record = await h.admin<{ rejection: { images: Record<string, unknown>[] } }>(`/returns/${returnId}`);
    assert.deepEqual(
      record.rejection.images.map((i) => [i.image_id, i.mime_type, i.width, i.height]),
      [[image.uri, 'image/png', 640, 480]],
    );
  });

  void test('a file that is not there, or not an image, fails for good (non-retryable, typed)', async () => {
    const missing = 'f'.repeat(64);
    await assert.rejects(
      activities.uploadEvidenceToTikTok({ shopId: h.shop.shopId, fileId: missing }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'FileNotFound' && err.nonRetryable,
    );
    const files = createFileStore({ db: database.db, keyring, maxBytes: 1024 * 1024 });
    const pdf = await files.put(h.shop.shopId, PDF_BYTES, { purpose: 'certificate', createdBy: 'ops' });
    await assert.rejects(
      activities.uploadEvidenceToTikTok({ shopId: h.shop.shopId, fileId: pdf.fileId }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'NotAnImage' && err.nonRetryable,
    );
    // Another shop's id for the same file finds nothing.
    const photo = await files.put(h.shop.shopId, pngImage(300, 300), { purpose: 'evidence', createdBy: 'ops' });
    await assert.rejects(
      activities.uploadEvidenceToTikTok({ shopId: 'another-shop', fileId: photo.fileId }),
      (err: unknown) => err instanceof ApplicationFailure && err.type === 'FileNotFound',
    );
  });
});
