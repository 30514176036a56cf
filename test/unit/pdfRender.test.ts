// The shared PDF renderer (pdf/render.ts): text found by value on the right pages, tables that break across pages
// with their header repeated, page numbers, metadata from the document's own date, embedded DejaVu fonts, and the
// same bytes for the same document.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderConcurrency, renderPdf, type PdfDoc } from '../../pdf/render';
import { pngImage } from '../helpers/imageBytes';
import { flat, pdfText } from '../helpers/pdfText';

const createdAt = new Date('2026-03-04T05:06:07.000Z');

function sample(rows = 3): PdfDoc {
  return {
    title: 'Evidence for order 5770001',
    subtitle: 'Chargeback CB-1',
    createdAt,
    author: 'ops test',
    sections: [
      {
        heading: 'Order',
        note: 'As TikTok returned it',
        blocks: [
          {
            kind: 'fields',
            rows: [
              ['Order id', '5770001'],
              ['Ship to', 'Zoë Łukasz, 12 Elm Street, Springfield, IL 62701'],
            ],
          },
          { kind: 'paragraph', text: 'The buyer reported the parcel missing.' },
        ],
      },
      {
        heading: 'Scans',
        blocks: [
          {
            kind: 'table',
            columns: ['Time', 'Status', 'Place', 'Message'],
            rows: Array.from({ length: rows }, (_, i) => [
              `2026-03-0${(i % 9) + 1}T10:00:00Z`,
              'in_transit',
              `City${i}, IL`,
              `Scan number ${i} ` + 'arrived at a facility and departed again '.repeat(i % 3),
            ]),
          },
          { kind: 'image', png: pngImage(40, 20), width: 200, caption: 'Figure 1: a picture' },
        ],
      },
    ],
  };
}

test('the text of the document reads back by value; metadata carries the document date and title', async () => {
  const bytes = await renderPdf(sample());
  assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
  const pdf = await pdfText(bytes);
  assert.equal(pdf.pageCount, 1);
  assert.equal(pdf.title, 'Evidence for order 5770001');
  assert.equal(pdf.creationDate?.toISOString(), createdAt.toISOString());
  const text = flat(pdf.text);
  assert.match(text, /Ship to Zoë Łukasz, 12 Elm Street, Springfield, IL 62701/);
  assert.match(text, /Data as of 2026-03-04T05:06:07\.000Z · Prepared by ops test/);
  assert.match(text, /2026-03-02T10:00:00Z in_transit City1, IL Scan number 1 arrived at a facility/);
  assert.match(text, /Figure 1: a picture/);
  assert.match(text, /page 1 of 1/);
  // DejaVu embedded (subset), no reference to a standard font the viewer would substitute.
  const raw = bytes.toString('latin1');
  assert.match(raw, /\/FontName \/[A-Z]{6}\+DejaVuSans\b/);
  assert.match(raw, /\/FontName \/[A-Z]{6}\+DejaVuSans-Bold\b/);
  assert.doesNotMatch(raw, /Helvetica/);
});

test('a long table breaks across pages, repeats its header and every page says "page X of Y"', async () => {
  const pdf = await pdfText(await renderPdf(sample(80)));
  assert.ok(pdf.pageCount >= 3, `pages: ${pdf.pageCount}`);
  pdf.pages.forEach((page, i) => {
    const text = flat(page);
    assert.match(text, new RegExp(`page ${i + 1} of ${pdf.pageCount}`));
    if (i > 0 && i < pdf.pageCount - 1) assert.match(text, /Time Status Place Message/, `header on page ${i + 1}`);
  });
  // Every row printed once, in order, none lost at a page break.
  const all = flat(pdf.text);
  let from = 0;
  for (let i = 0; i < 80; i++) {
    const at = all.indexOf(`City${i}, IL Scan number ${i} `, from);
    assert.ok(at >= from, `row ${i}`);
    from = at;
  }
});

test('the same document renders to the same bytes; another date changes them', async () => {
  const a = await renderPdf(sample(40));
  const b = await renderPdf(sample(40));
  assert.ok(a.equals(b), 'byte-identical rebuild');
  const c = await renderPdf({ ...sample(40), createdAt: new Date('2026-03-04T05:06:08.000Z') });
  assert.ok(!a.equals(c));
});

test('documents rendered at once (sharing the parsed fonts) come out as each rendered alone', async () => {
  const alone = [await renderPdf(sample(5)), await renderPdf(sample(30))];
  const together = await Promise.all([sample(5), sample(30), sample(5), sample(30)].map((d) => renderPdf(d)));
  together.forEach((bytes, i) => assert.ok(bytes.equals(alone[i % 2]!), `document ${i}`));
});

test('renders asked for at once run as many at a time as the machine has cores, the rest wait their turn', async () => {
  const { slots } = renderConcurrency();
  const many = await Promise.all(Array.from({ length: slots * 4 }, () => renderPdf(sample(30))));
  assert.equal(many.length, slots * 4);
  assert.ok(many.every((bytes) => bytes.equals(many[0]!)));
  const { peak } = renderConcurrency();
  assert.ok(peak >= 1 && peak <= slots, `peak ${peak} of ${slots} slots`);
});

test('an image block refuses bytes that are not a PNG', async () => {
  await assert.rejects(
    renderPdf({
      title: 't',
      createdAt,
      sections: [{ heading: 'h', blocks: [{ kind: 'image', png: Buffer.from('nope') }] }],
    }),
    /PNG/,
  );
});
