// Contract: category ungating through our client (integrations/tiktok/categories.ts, products.ts) against the emulator
// (emulators/tiktok-shop/categories.ts): Get Categories' permission_statuses, Get Category Rules refusing a restricted
// category (12052223 / 12052226) and answering certifications once approved, Check Listing Prerequisites, Partial
// Edit Product with certifications (the other properties kept), and webhook 37 following the Qualification Center's
// scripted decisions. https://partner.tiktokshop.com/docv2/page/get-category-rules-202309
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { callEndpoint, endpoints, type EndpointInput } from '../../integrations/tiktok/endpoints';
import { TikTokInvalidRequest, TikTokPermissionDenied } from '../../integrations/tiktok/errors';
import { uploadFile } from '../../integrations/tiktok/uploads';
import { parseWebhookEvent, type TikTokWebhookEvent } from '../../integrations/tiktok/webhooks';
import { PDF_BYTES, pngHeader } from '../helpers/imageBytes';
import { advanceClock, expectFailure, MINUTE, startHarness, startWebhookReceiver } from './harness';
import type { Harness, WebhookReceiver } from './harness';

const VITAMINS = '700439'; // restricted leaf of the emulator's tree (certifications 8200101 COA, 8200102 FDA, 8200103)
const KITCHEN = '602002'; // open leaf without certifications

void describe('categories, category rules and certifications', () => {
  let h: Harness;
  let receiver: WebhookReceiver;
  const audits: { productId: string; status: string; reasons: string[] }[] = [];
  const moves: { productId: string; from?: string; to: string }[] = [];
  let vitaminC: string;
  let jar: string;

  before(async () => {
    h = await startHarness();
    receiver = await startWebhookReceiver((rawBody) => {
      const e: TikTokWebhookEvent = parseWebhookEvent(rawBody);
      if (e.kind === 'PRODUCT_AUDIT_STATUS_CHANGE') {
        audits.push({
          productId: e.data.product_id,
          status: e.data.audit.status,
          reasons: e.data.audit.pre_approved_reasons ?? [],
        });
      }
      if (e.kind === 'PRODUCT_CATEGORY_CHANGE') {
        moves.push({
          productId: e.data.product_id,
          from: e.data.previous_category_id,
          to: e.data.current_category_id,
        });
      }
      return 200;
    });
    for (const event_type of ['PRODUCT_AUDIT_STATUS_CHANGE', 'PRODUCT_CATEGORY_CHANGE'] as const) {
      await callEndpoint(h.client, endpoints.updateShopWebhook, h.shop, { address: receiver.url, event_type });
    }
    const seed = async (title: string, category: string, sku: string) =>
      (
        await h.admin<{ product: { id: string } }>('/products', {
          shop_id: h.shop.shopId,
          product: { title, category_id: category, skus: [{ seller_sku: sku, price: '19.90' }] },
        })
      ).product.id;
    vitaminC = await seed('Vitamin C 500 mg', VITAMINS, 'VITC-500');
    jar = await seed('Glass Jar', KITCHEN, 'JAR-1');
  });
  after(async () => {
    await h.close();
    await receiver.close();
  });

  const auditsOf = async (productId: string, n: number) => {
    await receiver.waitFor(() => audits.filter((a) => a.productId === productId).length >= n);
    return audits.filter((a) => a.productId === productId).map((a) => [a.status, a.reasons.join(',')]);
  };

  void test('Get Categories: the shop’s permission per category; US shops must ask for v2', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.getCategories, h.shop, { category_version: 'v1' }),
      TikTokInvalidRequest,
    );
    assert.equal(err.code, 12052217);
    const all = await callEndpoint(h.client, endpoints.getCategories, h.shop, { category_version: 'v2' });
    const byId = new Map(all.map((c) => [c.id, c]));
    assert.deepEqual(byId.get(VITAMINS)?.permission_statuses, ['INVITE_ONLY']);
    assert.equal(byId.get(VITAMINS)?.parent_id, '700438');
    assert.equal(byId.get(VITAMINS)?.is_leaf, true);
    assert.deepEqual(byId.get(KITCHEN)?.permission_statuses, ['AVAILABLE']);
    const found = await callEndpoint(h.client, endpoints.getCategories, h.shop, {
      category_version: 'v2',
      keyword: 'vitamin',
    });
    assert.deepEqual(
      found.map((c) => c.id),
      [VITAMINS],
    );
  });

  void test('Get Category Rules: unknown, not a leaf, restricted (12052223), an open category without certifications', async () => {
    const rules = (category_id: string) =>
      callEndpoint(h.client, endpoints.getCategoryRules, h.shop, { category_id, category_version: 'v2' });
    assert.equal((await expectFailure(rules('999999'), TikTokInvalidRequest)).code, 12052023);
    assert.equal((await expectFailure(rules('700438'), TikTokInvalidRequest)).code, 12052024);
    const restricted = await expectFailure(rules(VITAMINS), TikTokPermissionDenied);
    assert.equal(restricted.code, 12052223);
    assert.match(restricted.tiktokMessage, /Qualification Center/);
    const open = await rules(KITCHEN);
    assert.deepEqual(open.product_certifications, []);
    assert.equal(open.package_dimension?.is_required, true);
  });

  void test('Check Listing Prerequisites: one result per check item; failures set by the admin API are reported', async () => {
    const before = await callEndpoint(h.client, endpoints.checkListingPrerequisites, h.shop);
    assert.equal(before.length, 10);
    const failed = (r: typeof before) => r.filter((c) => c.is_failed).map((c) => [c.check_item, c.fail_reasons]);
    // The harness shop has two sales warehouses and no return warehouse.
    assert.deepEqual(failed(before), [['RETURN_WAREHOUSE', ['The shop has no return warehouse.']]]);
    await h.admin('/prerequisites', { shop_id: h.shop.shopId, failed: { SHOP_TAX: ['Tax information missing'] } });
    const after = await callEndpoint(h.client, endpoints.checkListingPrerequisites, h.shop);
    assert.deepEqual(failed(after), [
      ['SHOP_TAX', ['Tax information missing']],
      ['RETURN_WAREHOUSE', ['The shop has no return warehouse.']],
    ]);
  });

  void test('Partial Edit Product of a restricted product without an application is refused (12052223)', async () => {
    const err = await expectFailure(
      callEndpoint(h.client, endpoints.partialEditProduct, h.shop, { product_id: vitaminC, title: 'Vitamin C' }),
      TikTokPermissionDenied,
    );
    assert.equal(err.code, 12052223);
  });

  void test('the Qualification Center follows its script: rejected with the reason, then approved (webhook 37)', async () => {
    const p0 = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });
    assert.deepEqual(
      [p0.status, p0.audit?.status, p0.audit?.pre_approved_reasons],
      ['PENDING', 'PRE_APPROVED', ['RESTRICTED_CATEGORY_PENDING']],
    );
    assert.deepEqual(
      p0.category_chains?.map((c) => c.id),
      ['700437', '700438', VITAMINS],
    );
    await h.admin('/categories/script', {
      shop_id: h.shop.shopId,
      category_id: VITAMINS,
      outcomes: ['rejected:missing COA lot;label does not match', 'approved'],
    });
    await h.admin('/categories/applications', { shop_id: h.shop.shopId, category_id: VITAMINS });
    assert.deepEqual(await auditsOf(vitaminC, 1), [['PRE_APPROVED', 'RESTRICTED_CATEGORY_PENDING']]);
    // Under review: the other restricted code.
    const pending = await expectFailure(
      callEndpoint(h.client, endpoints.getCategoryRules, h.shop, { category_id: VITAMINS, category_version: 'v2' }),
      TikTokPermissionDenied,
    );
    assert.equal(pending.code, 12052226);

    const rejected = await h.admin('/categories/decide', { shop_id: h.shop.shopId, category_id: VITAMINS });
    assert.equal(rejected.status, 'REJECTED');
    assert.deepEqual((await auditsOf(vitaminC, 2))[1], ['FAILED', '']);
    const failedProduct = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });
    assert.deepEqual(failedProduct.audit_failed_reasons?.[0]?.reasons, ['missing COA lot', 'label does not match']);
    assert.equal(failedProduct.status, 'FAILED');
    assert.equal(
      (
        await expectFailure(
          callEndpoint(h.client, endpoints.getCategoryRules, h.shop, { category_id: VITAMINS, category_version: 'v2' }),
          TikTokPermissionDenied,
        )
      ).code,
      12052223,
    );

    await h.admin('/categories/applications', { shop_id: h.shop.shopId, category_id: VITAMINS });
    const approved = await h.admin('/categories/decide', { shop_id: h.shop.shopId, category_id: VITAMINS });
    assert.equal(approved.status, 'APPROVED');
    assert.deepEqual(
      approved.attempts.map((a: { outcome: string }) => a.outcome),
      ['rejected', 'approved'],
    );
    assert.deepEqual((await auditsOf(vitaminC, 4)).slice(2), [
      ['PRE_APPROVED', 'RESTRICTED_CATEGORY_PENDING'],
      ['APPROVED', ''],
    ]);
    assert.equal(
      (await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC })).status,
      'ACTIVATE',
    );
    const cats = await callEndpoint(h.client, endpoints.getCategories, h.shop, { category_version: 'v2' });
    assert.deepEqual(cats.find((c) => c.id === VITAMINS)?.permission_statuses, ['AVAILABLE']);

    const rules = await callEndpoint(h.client, endpoints.getCategoryRules, h.shop, {
      category_id: VITAMINS,
      category_version: 'v2',
    });
    assert.deepEqual(
      rules.product_certifications.map((c) => [
        c.id,
        c.name,
        c.is_required,
        c.expiration_date?.is_required,
        c.requirement_conditions.length,
      ]),
      [
        ['8200101', 'Certificate of Analysis (COA)', true, true, 0],
        ['8200102', 'FDA Food Facility Registration', true, false, 0],
        ['8200103', 'Brand Authorization Letter', false, true, 1],
      ],
    );
  });

  void test('Partial Edit Product: certifications checked against the rules, the other properties kept, then audited', async () => {
    const pdf = await callEndpoint(h.client, endpoints.uploadProductFile, h.shop, {
      data: uploadFile(PDF_BYTES, 'coa-lot-42.pdf', 'application/pdf'),
      name: 'coa-lot-42.pdf',
    });
    const image = await callEndpoint(h.client, endpoints.uploadProductImage, h.shop, {
      data: uploadFile(pngHeader(1200, 1600), 'fda.png', 'image/png'),
      use_case: 'CERTIFICATION_IMAGE',
    });
    const now = Math.floor(Date.now() / 1000);
    const coa = { id: '8200101', files: [{ id: pdf.id, name: 'coa-lot-42.pdf', format: 'PDF' as const }] };
    const fda = { id: '8200102', images: [{ uri: image.uri }] };
    const edit = (input: EndpointInput<typeof endpoints.partialEditProduct>) =>
      callEndpoint(h.client, endpoints.partialEditProduct, h.shop, input);
    const codeOf = async (certifications: object[]) =>
      (
        await expectFailure(
          edit({ product_id: vitaminC, certifications: certifications as never }),
          TikTokInvalidRequest,
        )
      ).code;
    assert.equal(await codeOf([{ ...coa, expiration_date: now + 86_400 * 365 }]), 12052105, 'the FDA one is required');
    assert.equal(await codeOf([coa, fda]), 12052385, 'the COA needs an expiry');
    assert.equal(await codeOf([{ ...coa, expiration_date: now - 86_400 }, fda]), 12052385, 'not an expired one');
    assert.equal(await codeOf([{ id: '1234', images: [{ uri: image.uri }] }]), 12052655);
    assert.equal(await codeOf([fda, fda]), 12052656);

    const before = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });
    const expiry = now + 86_400 * 365;
    const edited = await edit({ product_id: vitaminC, certifications: [{ ...coa, expiration_date: expiry }, fda] });
    assert.equal(edited.product_id, vitaminC);
    assert.equal(edited.audit?.status, 'AUDITING');
    const after = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: vitaminC });
    assert.deepEqual(
      [after.title, after.description, after.status, after.skus, after.category_chains],
      [before.title, before.description, before.status, before.skus, before.category_chains],
    );
    assert.deepEqual(after.certifications, [
      { id: '8200101', images: [], files: coa.files, expiration_date: expiry },
      { id: '8200102', images: [{ uri: image.uri }], files: [] },
    ]);
    await advanceClock(h, 10 * MINUTE + 1000);
    assert.deepEqual((await auditsOf(vitaminC, 6)).slice(4), [
      ['AUDITING', ''],
      ['APPROVED', ''],
    ]);
    // An open category takes edits without certifications; the title changes and nothing else.
    await edit({ product_id: jar, title: 'Glass Jar 1 l' });
    const jarAfter = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: jar });
    assert.deepEqual(
      [jarAfter.title, jarAfter.skus[0]?.seller_sku, jarAfter.skus[0]?.price?.sale_price],
      ['Glass Jar 1 l', 'JAR-1', '19.90'],
    );
  });

  void test('a product moved to another category: webhook 18 names both, Get Product the new chain', async () => {
    await h.admin(`/products/${jar}/category`, { category_id: '601003' });
    await receiver.waitFor(() => moves.length >= 1);
    assert.deepEqual(moves, [{ productId: jar, from: KITCHEN, to: '601003' }]);
    const moved = await callEndpoint(h.client, endpoints.getProduct, h.shop, { product_id: jar });
    assert.deepEqual(
      moved.category_chains?.map((c) => c.id),
      ['601001', '601003'],
    );
  });
});
