// Contract: the categoryUngating workflow's TikTok activities (activities/categoryUngating/platform.ts) against the
// emulator: readCategoryRequirements while the category is restricted and once approved; attachCertifications
// uploading the vault's documents and sending Partial Edit Product per product of the category (the product's other
// certifications and properties kept); the product → category mapping it syncs, and the audit events recorded while a
// product was unmapped replayed to the category's workflow.
import assert from 'node:assert/strict';
import crypto from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import type { Client } from '@temporalio/client';
import { createCategoryUngatingPlatformActivities } from '../../activities/categoryUngating/platform';
import { createCertificateRepository, type CertificateFields } from '../../db/certificates';
import { createProductCategoryRepository } from '../../db/productCategories';
import { createFileStore } from '../../files/fileStore';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { uploadFile } from '../../integrations/tiktok/uploads';
import type { Keyring } from '../../secrets/keyring';
import { testDatabase, type TestDatabase } from '../helpers/database';
import { PDF_BYTES, pngImage } from '../helpers/imageBytes';
import { applicationFailureOf } from '../helpers/temporal';
import { startHarness, type Harness } from './harness';

const VITAMINS = '700439';

void describe('category ungating activities against the emulator', () => {
  let h: Harness;
  let database: TestDatabase;
  const keyring: Keyring = { activeKeyId: 'k1', keys: new Map([['k1', crypto.randomBytes(32)]]) };
  const signals: { workflowId: string; arg: unknown }[] = [];
  let activities: ReturnType<typeof createCategoryUngatingPlatformActivities>;
  let vitaminC: string;
  let zinc: string;

  // Temporal as far as the activities use it: a signal to a workflow that runs.
  const temporal = {
    workflow: {
      getHandle: (workflowId: string) => ({
        signal: (_def: unknown, arg: unknown) => {
          signals.push({ workflowId, arg });
          return Promise.resolve();
        },
      }),
    },
  } as unknown as Client;

  before(async () => {
    h = await startHarness();
    database = await testDatabase();
    activities = createCategoryUngatingPlatformActivities({
      cfg: { FILE_MAX_BYTES: 1024 * 1024 },
      db: database.db,
      temporal,
      tiktok: { client: h.client },
      tokens: { shopRef: (shopId: string) => Promise.resolve({ ...h.shop, shopId }) },
      secretsKeyring: keyring,
    });
    const seed = async (title: string) =>
      (
        await h.admin<{ product: { id: string } }>('/products', {
          shop_id: h.shop.shopId,
          product: { title, category_id: VITAMINS, skus: [{ seller_sku: title, price: '14.00' }] },
        })
      ).product.id;
    vitaminC = await seed('VITC');
    zinc = await seed('ZINC');
  });
  after(async () => {
    await database?.drop();
    await h?.close();
  });

  const vaultDocument = async (bytes: Buffer, mimeType: string, fields: Partial<CertificateFields>) => {
    const files = createFileStore({ db: database.db, keyring, maxBytes: 1024 * 1024 });
    const stored = await files.put(h.shop.shopId, bytes, { purpose: 'certificate', createdBy: 'ops' });
    const row = await createCertificateRepository(database.db).insert({
      shop_id: h.shop.shopId,
      file_id: stored.fileId,
      mime_type: mimeType,
      size_bytes: bytes.length,
      created_by: 'ops',
      document_type: 'other',
      issuer: 'Lab',
      product: null,
      lot: null,
      identifier: null,
      issued_on: null,
      expires_on: null,
      categories: [],
      note: null,
      ...fields,
    });
    return row.certificate_id;
  };

  void test('requirements: gated while restricted, the certifications once the Qualification Center approves', async () => {
    const mapping = createProductCategoryRepository(database.db);
    assert.equal(await mapping.categoryOf(h.shop.shopId, vitaminC), undefined);
    assert.deepEqual(await activities.readCategoryRequirements({ shopId: h.shop.shopId, categoryId: VITAMINS }), {
      gated: true,
      permission: 'INVITE_ONLY',
      certifications: [],
    });
    // Synced on the way: the decision's audit webhooks of its products can be routed.
    assert.equal(await mapping.categoryOf(h.shop.shopId, vitaminC), VITAMINS);
    await h.admin('/categories/applications', { shop_id: h.shop.shopId, category_id: VITAMINS });
    await h.admin('/categories/decide', { shop_id: h.shop.shopId, category_id: VITAMINS, outcome: 'approved' });
    assert.deepEqual(await activities.readCategoryRequirements({ shopId: h.shop.shopId, categoryId: VITAMINS }), {
      gated: false,
      permission: 'AVAILABLE',
      certifications: [
        { id: '8200101', name: 'Certificate of Analysis (COA)', required: true, expiryRequired: true },
        { id: '8200102', name: 'FDA Food Facility Registration', required: true, expiryRequired: false },
        { id: '8200103', name: 'Brand Authorization Letter', required: false, expiryRequired: true },
      ],
    });
  });

  void test('attachCertifications: uploads, one Partial Edit per product, other certifications and fields kept', async () => {
    // An audit event that arrived before our mapping knew the product: recorded as unmapped.
    const mapping = createProductCategoryRepository(database.db);
    const audited = new Date('2026-12-01T10:00:00Z');
    await mapping.recordAuditEvent({
      shop_id: h.shop.shopId,
      product_id: zinc,
      category_id: null,
      audit_status: 'APPROVED',
      reasons: [],
      occurred_at: audited,
      outcome: 'unmapped',
      workflow_id: null,
    });
    // The seller had attached a brand letter by hand: it must stay.
    const letter = await callEndpoint(h.client, endpoints.uploadProductFile, h.shop, {
      data: uploadFile(PDF_BYTES, 'brand-letter.pdf', 'application/pdf'),
      name: 'brand-letter.pdf',
    });
    const letterExpiry = Math.floor(Date.parse('2028-01-01T00:00:00Z') / 1000);
    const brand = {
      id: '8200103',
      files: [{ id: letter.id, name: 'brand-letter.pdf', format: 'PDF' as const }],
      expiration_date: letterExpiry,
    };
    const before = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });

    const coa = await vaultDocument(PDF_BYTES, 'application/pdf', {
      document_type: 'certificate_of_analysis',
      lot: 'L-42',
      expires_on: '2027-06-30',
    });
    const olderCoa = await vaultDocument(Buffer.concat([PDF_BYTES, Buffer.from('%2')]), 'application/pdf', {
      document_type: 'certificate_of_analysis',
      lot: 'L-41',
      expires_on: '2027-03-31',
    });
    const fda = await vaultDocument(pngImage(1200, 1600, 4), 'image/png', {
      document_type: 'fda_food_facility_registration',
      identifier: '12345678901',
    });
    const result = await activities.attachCertifications({
      shopId: h.shop.shopId,
      categoryId: VITAMINS,
      certificateIds: [coa, olderCoa, fda],
    });
    assert.deepEqual(
      result.products.map((p) => [p.productId, p.auditStatus]).sort(),
      [
        [vitaminC, 'AUDITING'],
        [zinc, 'AUDITING'],
      ].sort(),
    );
    // This run sent both COAs as one certification, with the earlier expiry.
    const zincCerts = new Map(
      ((await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: zinc })).certifications ?? []).map(
        (c) => [c.id, c],
      ),
    );
    assert.equal(zincCerts.get('8200101')?.files?.length, 2);
    assert.equal(zincCerts.get('8200101')?.expiration_date, Math.floor(Date.parse('2027-03-31T00:00:00Z') / 1000));
    // Now the brand letter on one product, then the activity again: what it does not attach stays.
    await callEndpoint(h.client, endpoints.partialEditProduct, h.shop, {
      product_id: vitaminC,
      certifications: [...(await certificationsOf(vitaminC)), brand],
    });
    await activities.attachCertifications({ shopId: h.shop.shopId, categoryId: VITAMINS, certificateIds: [coa, fda] });

    const after = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });
    assert.deepEqual(
      [after.title, after.skus, after.category_chains],
      [before.title, before.skus, before.category_chains],
    );
    const certs = new Map((after.certifications ?? []).map((c) => [c.id, c]));
    assert.deepEqual([...certs.keys()].sort(), ['8200101', '8200102', '8200103']);
    assert.deepEqual(certs.get('8200103')?.files, brand.files, 'the hand-attached letter is kept');
    assert.equal(certs.get('8200103')?.expiration_date, letterExpiry);
    assert.equal(certs.get('8200101')?.files?.length, 1);
    assert.match(certs.get('8200101')!.files![0]!.name!, /^certificate_of_analysis-[0-9a-f]{8}\.pdf$/);
    assert.equal(certs.get('8200101')?.expiration_date, Math.floor(Date.parse('2027-06-30T00:00:00Z') / 1000));
    assert.equal(certs.get('8200102')?.images?.length, 1);

    // The mapping has every product of the shop; the unmapped event went to the category's workflow.
    assert.deepEqual(
      (await mapping.productsOf(h.shop.shopId, VITAMINS)).map((r) => r.product_id).sort(),
      [vitaminC, zinc].sort(),
    );
    assert.deepEqual(signals[0], {
      workflowId: `ungating:${h.shop.shopId}:${VITAMINS}`,
      arg: { productId: zinc, status: 'APPROVED', reasons: [], at: audited.toISOString() },
    });
    assert.deepEqual(
      (await mapping.auditEvents(h.shop.shopId, { productId: zinc })).map((e) => e.outcome),
      ['routed'],
    );
  });

  void test('a document of a type the category does not ask for fails the activity for good', async () => {
    const ul = await vaultDocument(Buffer.concat([PDF_BYTES, Buffer.from('%ul')]), 'application/pdf', {
      document_type: 'ul_certificate',
      identifier: 'E123456',
    });
    const err = await activities
      .attachCertifications({ shopId: h.shop.shopId, categoryId: VITAMINS, certificateIds: [ul] })
      .then(
        () => assert.fail('attached'),
        (e: unknown) => e,
      );
    const failure = applicationFailureOf(err);
    assert.equal(failure?.type, 'CertificationNotInCategory');
    assert.equal(failure?.nonRetryable, true);
  });

  async function certificationsOf(productId: string) {
    const product = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: productId });
    return (product.certifications ?? []).map((c) => ({
      id: c.id,
      ...(c.images?.length ? { images: c.images.map((i) => ({ uri: i.uri! })) } : {}),
      ...(c.files?.length ? { files: c.files.map((f) => ({ id: f.id!, name: f.name!, format: 'PDF' as const })) } : {}),
      ...(c.expiration_date ? { expiration_date: c.expiration_date } : {}),
    }));
  }
});
