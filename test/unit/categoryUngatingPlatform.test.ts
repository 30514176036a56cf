// The pure pieces of the category ungating activities (activities/categoryUngating/): which certification rule a vault
// document fills (by the rule's name), the product's leaf category, the category tree version per region.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { certificationRuleFor } from '../../activities/categoryUngating/certificationMatch';
import { categoryVersionOf, leafCategoryOf } from '../../activities/categoryUngating/platform';
import { loadConfig } from '../../config';
import { WEBHOOK_EVENT_TYPES } from '../../integrations/tiktok/events';
import { WEBHOOK_ROUTES } from '../../webhooks/routes';

const rules = [
  { id: '1', name: 'Certificate of Analysis (COA)' },
  { id: '2', name: 'FDA Food Facility Registration' },
  { id: '3', name: 'Brand Authorization Letter' },
  { id: '4', name: 'UL Certificate' },
  { id: '5', name: 'FCC Equipment Authorization' },
  { id: '6', name: "Children's Product Certificate (CPC)" },
  { id: '7', name: 'FDA Cosmetic Product Listing (MoCRA)' },
];

test('each vault document type finds the certification it fills by the rule’s name; others find none', () => {
  assert.deepEqual(
    [
      'certificate_of_analysis',
      'fda_food_facility_registration',
      'brand_authorization',
      'ul_certificate',
      'fcc_authorization',
      'childrens_product_certificate',
      'fda_cosmetic_listing',
      'fda_device_establishment_registration',
      'other',
    ].map((type) => certificationRuleFor(type, rules)),
    ['1', '2', '3', '4', '5', '6', '7', undefined, undefined],
  );
  // "UL" as a word only: a name merely containing the letters is not a UL certificate.
  assert.equal(certificationRuleFor('ul_certificate', [{ id: '9', name: 'Regulatory Document' }]), undefined);
});

test('the leaf of category_chains is the product’s category; US shops use the v2 tree', () => {
  const chain = [
    { id: '700437', is_leaf: false },
    { id: '700439', is_leaf: true },
    { id: '700438', is_leaf: false },
  ];
  assert.equal(leafCategoryOf({ category_chains: chain }), '700439');
  assert.equal(leafCategoryOf({ category_chains: [{ id: 'a' }, { id: 'b' }] }), 'b');
  assert.equal(leafCategoryOf({ category_chains: [] }), undefined);
  assert.deepEqual(['US', 'GB', undefined].map(categoryVersionOf), ['v2', 'v1', 'v2']);
});

test('each connected shop is subscribed to every webhook type the relay routes, product audits included', () => {
  const subscribed = loadConfig({}).TIKTOK_WEBHOOK_EVENTS.split(',');
  // Kinds with an Event API name (the others can only be configured in Partner Center).
  const routed = Object.keys(WEBHOOK_ROUTES).filter((k) => (WEBHOOK_EVENT_TYPES as readonly string[]).includes(k));
  assert.ok(routed.includes('PRODUCT_AUDIT_STATUS_CHANGE') && routed.includes('PRODUCT_CATEGORY_CHANGE'));
  assert.deepEqual(
    routed.filter((k) => !subscribed.includes(k)),
    [],
  );
});
