// The application packet of a category application (activities/categoryUngating/packet.ts through pdf/render.ts), read
// back with a PDF parser: the checklist names each required document with its status and the vault document that
// answers it, the previous rejection's reasons are printed, each document's metadata and file hash follow, a PNG is
// printed, a PDF is named as attached; the same data rebuilds byte-identical.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { packetDocument, type PacketInput } from '../../activities/categoryUngating/packet';
import type { CertificateRow } from '../../db/certificates';
import { renderPdf } from '../../pdf/render';
import { pngImage } from '../helpers/imageBytes';
import { flat, pdfText } from '../helpers/pdfText';

const row = (over: Partial<CertificateRow>): CertificateRow => ({
  certificate_id: '11111111-1111-4111-8111-111111111111',
  shop_id: 'shop-1',
  file_id: 'a'.repeat(64),
  mime_type: 'application/pdf',
  size_bytes: 2048,
  document_type: 'certificate_of_analysis',
  issuer: 'Eurofins Scientific',
  product: 'Vitamin D3 gummies',
  lot: 'LOT-2611-07',
  identifier: 'COA-2026-0142',
  issued_on: '2026-11-02',
  expires_on: null,
  categories: ['dietary_supplements'],
  note: null,
  created_by: 'ops (key 1)',
  created_at: new Date('2026-11-03T10:00:00Z'),
  updated_by: null,
  updated_at: null,
  deleted_by: null,
  deleted_at: null,
  ...over,
});

const FDA = row({
  certificate_id: '22222222-2222-4222-8222-222222222222',
  file_id: 'b'.repeat(64),
  mime_type: 'image/png',
  size_bytes: 900,
  document_type: 'fda_food_facility_registration',
  issuer: 'US FDA',
  product: null,
  lot: null,
  identifier: '12345678901',
  issued_on: null,
  expires_on: '2026-12-31',
});

const input = (): PacketInput => ({
  shopId: 'shop-1',
  categoryId: '601450',
  categoryLabel: 'Dietary Supplements',
  attempt: 2,
  round: 1,
  asOf: '2026-11-20T09:30:00.000Z',
  requirements: [
    { documentType: 'certificate_of_analysis', why: 'third-party lab test of the lot' },
    { documentType: 'fda_food_facility_registration', why: 'the manufacturer’s FDA food facility registration' },
    {
      documentType: 'brand_authorization',
      why: 'selling a brand the shop does not own',
      conditional: 'products of a brand the seller does not own',
    },
  ],
  check: {
    satisfied: [
      { documentType: 'certificate_of_analysis', certificateId: row({}).certificate_id },
      { documentType: 'fda_food_facility_registration', certificateId: FDA.certificate_id, expiresOn: '2026-12-31' },
    ],
    missing: [{ documentType: 'brand_authorization', why: 'selling a brand the shop does not own', reason: 'absent' }],
  },
  rejections: [{ attempt: 1, decidedAt: '2026-11-15T12:00:00.000Z', reasons: ['missing COA lot', 'blurry scan'] }],
  documents: [{ row: row({}) }, { row: FDA, png: pngImage(40, 20) }],
});

test('the packet prints the checklist, the rejection reasons and each document by value', async () => {
  const bytes = await renderPdf(packetDocument(input()));
  const read = await pdfText(bytes);
  const text = flat(read.text);
  assert.equal(read.title, 'Category application: Dietary Supplements');
  assert.equal(read.creationDate?.toISOString(), '2026-11-20T09:30:00.000Z');
  assert.match(text, /Shop shop-1 · category 601450 · round 1, submission 2/);
  assert.match(text, /2 of 3 required documents provided/);
  // Checklist rows: the COA and FDA registration provided with their identifiers, the brand authorization missing.
  assert.match(
    text,
    /Certificate of Analysis \(third-party lab\) third-party lab test of the lot provided COA-2026-0142/,
  );
  assert.match(text, /FDA food facility registration .*provided 12345678901 US FDA 2026-12-31/);
  assert.match(
    text,
    /selling a brand the shop does not own \(only: products of a brand the seller does not own\) MISSING/,
  );
  assert.match(text, /Previous rejections .* 1 2026-11-15T12:00:00.000Z missing COA lot; blurry scan/);
  // Each document: its metadata and file hash; the PDF is attached beside, the PNG printed.
  assert.match(text, /Lot LOT-2611-07/);
  // A 64-character hash wraps in its cell: compared without the line break.
  assert.ok(text.replace(/ /g, '').includes(`File(SHA-256)${'a'.repeat(64)}`));
  assert.match(text, /Attached beside this packet as its own file/);
  assert.match(text, /FDA food facility registration: the document as uploaded/);
  assert.equal((text.match(/Attached beside this packet/g) ?? []).length, 1);
  // The same data: the same bytes.
  assert.ok(bytes.equals(await renderPdf(packetDocument(input()))));
});

test('a first submission has no rejections section; an expired document shows its expiry in the checklist', async () => {
  const first = input();
  first.rejections = [];
  first.check.missing = [{ documentType: 'brand_authorization', why: 'x', reason: 'expired', expiredOn: '2026-10-01' }];
  const text = flat((await pdfText(await renderPdf(packetDocument(first)))).text);
  assert.doesNotMatch(text, /Previous rejections/);
  assert.match(text, /EXPIRED 2026-10-01/);
});
