// The certificate vault's rules (policy/certificateRules.ts) and the category requirements check
// (policy/categoryRequirements.ts, issue 19 items 1 and 2): identifier formats, required fields, dates, TikTok's upload
// limits read from content, and what an application lacks at a given day.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import {
  CATEGORY_REQUIREMENT_ROWS,
  categoryRequirement,
  missingDocuments,
  unknownDocumentTypes,
} from '../../policy/categoryRequirements';
import {
  CERTIFICATE_TYPE_ROWS,
  certificateFileProblem,
  daysUntilExpiry,
  normalizeIdentifier,
  validateCertificateMetadata,
} from '../../policy/certificateRules';
import { expiryThreshold, vaultRisk } from '../../workflows/certificateExpiry/thresholds';

const fields = (m: Parameters<typeof validateCertificateMetadata>[0]) =>
  validateCertificateMetadata(m).map((p) => p.field);

test('an FDA food facility registration needs 11 digits (spaces and dashes dropped)', () => {
  const base = { documentType: 'fda_food_facility_registration', issuer: 'US FDA', expiresOn: '2026-12-31' };
  assert.deepEqual(fields({ ...base, identifier: '12345678901' }), []);
  assert.deepEqual(fields({ ...base, identifier: '123 4567 8901' }), []);
  assert.deepEqual(fields({ ...base, identifier: '1234567890' }), ['identifier']);
  assert.deepEqual(fields({ ...base, identifier: '1234567890A' }), ['identifier']);
  // Required: the identifier and the expiry (registrations are renewed every two years).
  assert.deepEqual(fields({ documentType: 'fda_food_facility_registration', issuer: 'US FDA' }), [
    'identifier',
    'expiresOn',
  ]);
});

test('UL file numbers and FCC IDs: formats checked, upper-cased; an unverified format says so', () => {
  const ul = { documentType: 'ul_certificate', issuer: 'UL', product: 'Charger X', issuedOn: '2025-01-10' };
  assert.deepEqual(fields({ ...ul, identifier: 'e123456' }), []);
  const refused = validateCertificateMetadata({ ...ul, identifier: '123456' });
  assert.equal(refused.length, 1);
  assert.match(refused[0]!.message, /is not a valid UL file number \(e.g. E123456\) \(format unverified\)$/);
  const fcc = { documentType: 'fcc_authorization', issuer: 'FCC', product: 'Speaker', issuedOn: '2025-01-10' };
  assert.deepEqual(fields({ ...fcc, identifier: '2ABCD-XY100' }), []);
  assert.deepEqual(fields({ ...fcc, identifier: 'BCGA1234' }), []);
  assert.deepEqual(fields({ ...fcc, identifier: 'AB' }), ['identifier']);
  assert.deepEqual(fields({ ...fcc, identifier: '2ABCD_XY100' }), ['identifier']);
  assert.match(
    validateCertificateMetadata({ ...fcc, identifier: 'AB' })[0]!.message,
    /is not a valid FCC ID \(e.g. 2ABCD-XY100\)$/,
  );
  const ulRule = CERTIFICATE_TYPE_ROWS.find((r) => r.key === 'certificate.ul_certificate')!.value;
  assert.equal(normalizeIdentifier(ulRule, ' e-123456 '), 'E123456');
});

test('unknown types, missing fields, impossible dates and an expiry before the issue date are refused', () => {
  assert.deepEqual(fields({ documentType: 'passport' }), ['documentType']);
  assert.deepEqual(fields({ documentType: 'certificate_of_analysis', issuer: 'Lab' }), ['product', 'lot', 'issuedOn']);
  assert.deepEqual(fields({ documentType: 'other', issuer: 'x', issuedOn: '2025-02-30' }), ['issuedOn']);
  assert.deepEqual(fields({ documentType: 'other', issuer: 'x', issuedOn: '2025-03-01', expiresOn: '2025-03-01' }), [
    'expiresOn',
  ]);
  // A free identifier (no public format): letters, digits, spaces, ".", "/", "-", at most 64.
  const coa = {
    documentType: 'certificate_of_analysis',
    issuer: 'Lab',
    product: 'P',
    lot: 'L1',
    issuedOn: '2025-01-01',
  };
  assert.deepEqual(fields({ ...coa, identifier: 'COA-2026/0142' }), []);
  assert.deepEqual(fields({ ...coa, identifier: 'COA;DROP' }), ['identifier']);
});

test("TikTok's upload limits by content: PDFs to 20 MB, images to 10 MB and 100–20000 px, nothing else", () => {
  const MB = 1024 * 1024;
  assert.equal(certificateFileProblem({ mimeType: 'application/pdf' }, 20 * MB), undefined);
  assert.equal(certificateFileProblem({ mimeType: 'application/pdf' }, 20 * MB + 1)?.reason, 'size');
  assert.equal(certificateFileProblem({ mimeType: 'image/png', width: 800, height: 600 }, 10 * MB), undefined);
  assert.equal(
    certificateFileProblem({ mimeType: 'image/jpeg', width: 800, height: 600 }, 10 * MB + 1)?.reason,
    'size',
  );
  assert.equal(certificateFileProblem({ mimeType: 'image/png', width: 99, height: 600 }, 1000)?.reason, 'dimensions');
  assert.equal(certificateFileProblem({ mimeType: 'image/webp', width: 800, height: 600 }, 1000)?.reason, 'type');
  assert.equal(certificateFileProblem(undefined, 10)?.reason, 'type');
});

test('missingDocuments: absent, expired (valid through its expiry day), deleted, the longest valid one chosen', () => {
  const reqs = categoryRequirement('dietary_supplements')!.value.documents;
  assert.deepEqual(
    reqs.map((r) => r.documentType),
    ['certificate_of_analysis', 'fda_food_facility_registration', 'brand_authorization'],
  );
  const docs = [
    { certificateId: 'coa-old', documentType: 'certificate_of_analysis', expiresOn: '2026-06-30' },
    { certificateId: 'coa-new', documentType: 'certificate_of_analysis', expiresOn: '2027-06-30' },
    { certificateId: 'fda', documentType: 'fda_food_facility_registration', expiresOn: '2026-12-31' },
    { certificateId: 'brand-gone', documentType: 'brand_authorization', expiresOn: '2028-01-01', deleted: true },
  ];
  const onExpiryDay = missingDocuments(reqs, docs, new Date('2026-12-31T23:00:00Z'));
  assert.deepEqual(onExpiryDay.satisfied, [
    { documentType: 'certificate_of_analysis', certificateId: 'coa-new', expiresOn: '2027-06-30' },
    { documentType: 'fda_food_facility_registration', certificateId: 'fda', expiresOn: '2026-12-31' },
  ]);
  assert.deepEqual(
    onExpiryDay.missing.map((m) => [m.documentType, m.reason]),
    [['brand_authorization', 'absent']],
  );
  const dayAfter = missingDocuments(reqs, docs, new Date('2027-01-01T00:00:00Z'));
  assert.deepEqual(
    dayAfter.missing.map((m) => [m.documentType, m.reason, m.expiredOn, m.certificateId]),
    [
      ['fda_food_facility_registration', 'expired', '2026-12-31', 'fda'],
      ['brand_authorization', 'absent', undefined, undefined],
    ],
  );
  // A document without an expiry never expires.
  const undated = missingDocuments(
    [reqs[0]!],
    [{ certificateId: 'u', documentType: 'certificate_of_analysis' }],
    new Date('2099-01-01'),
  );
  assert.deepEqual(undated.satisfied, [{ documentType: 'certificate_of_analysis', certificateId: 'u' }]);
});

test('every requirement row names a known document type and has a source; the 13 categories are there', () => {
  assert.deepEqual(unknownDocumentTypes(), []);
  assert.deepEqual(
    unknownDocumentTypes([
      { ...CATEGORY_REQUIREMENT_ROWS[0]!, value: { label: 'x', documents: [{ documentType: 'nope', why: '' }] } },
    ]),
    ['nope'],
  );
  assert.equal(CATEGORY_REQUIREMENT_ROWS.length, 13);
  for (const row of [...CATEGORY_REQUIREMENT_ROWS, ...CERTIFICATE_TYPE_ROWS])
    assert.ok(row.source.length > 10, row.key);
});

test('expiry thresholds and the vault risk (certificateExpiry workflow); days counted by UTC calendar day', () => {
  assert.deepEqual([31, 30, 8, 7, 0, -1].map(expiryThreshold), ['30d', '30d', '30d', '7d', '7d', 'expired']);
  assert.equal(vaultRisk([]), 'done');
  assert.equal(vaultRisk([{ daysLeft: 20 }, { daysLeft: 8 }]), 'on_track');
  assert.equal(vaultRisk([{ daysLeft: 20 }, { daysLeft: 7 }]), 'at_risk');
  assert.equal(vaultRisk([{ daysLeft: 20 }, { daysLeft: -1 }]), 'late');
  assert.equal(daysUntilExpiry('2026-12-31', new Date('2026-12-31T23:59:00Z')), 0);
  assert.equal(daysUntilExpiry('2026-12-31', new Date('2027-01-01T00:00:00Z')), -1);
  assert.equal(daysUntilExpiry('2027-01-30', new Date('2026-12-31T12:00:00Z')), 30);
});
