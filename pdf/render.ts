import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import type PDFDocumentClass from 'pdfkit';

/**
 * The one PDF renderer (issue 16): evidence bundles, appeals, ungating and tax documents describe their content as a
 * PdfDoc and this turns it into bytes. The same PdfDoc always gives the same bytes: the creation date is the data's
 * own date (never the clock), and pdfkit derives the trailer's /ID from the info dictionary
 * (node_modules/pdfkit/js/pdfkit.js, PDFSecurity.generateFileID), which holds only values taken from the PdfDoc.
 */
export interface PdfDoc {
  title: string;
  subtitle?: string;
  /** The data's own date, never now: rebuilds are byte-identical. */
  createdAt: Date;
  author?: string;
  sections: PdfSection[];
}

export interface PdfSection {
  heading: string;
  /** A short line under the heading (method, source, caveat). */
  note?: string;
  blocks: PdfBlock[];
}

export type PdfBlock =
  | { kind: 'paragraph'; text: string }
  | { kind: 'fields'; rows: [string, string][] }
  | { kind: 'table'; columns: string[]; rows: string[][] }
  | { kind: 'image'; png: Buffer; width?: number; caption?: string };

// DejaVu Sans (https://dejavu-fonts.github.io/, free license) covers Latin, Greek and Cyrillic: buyers' names and
// addresses print as written. Embedded (subset) so every viewer shows the same glyphs and the bytes do not depend
// on the machine's fonts.
const FONT_DIR = path.join(path.dirname(require.resolve('dejavu-fonts-ttf/package.json')), 'ttf');
const FONT_FILES = { body: 'DejaVuSans.ttf', bold: 'DejaVuSans-Bold.ttf' } as const;
type FontName = keyof typeof FONT_FILES;

// pdfkit, fontkit and the fonts load on the first render, not with this module: the API and every worker import the
// activities that render, and most processes never print a page.
const pdfkitRequire = createRequire(require.resolve('pdfkit'));
let pdfkit: typeof PDFDocumentClass | undefined;
const loadPdfkit = () => (pdfkit ??= pdfkitRequire('pdfkit') as typeof PDFDocumentClass);

/** A parsed font as pdfkit takes it in place of font bytes (node_modules/pdfkit/js/pdfkit.js, PDFFontFactory.open). */
type ParsedFont = object;
// pdfkit's own fontkit, the parser it would use on our bytes: parsing DejaVu is most of a small document's time, so
// each font is parsed once per process and the parsed font is handed to every document (pdfkit accepts one: anything
// with a `layout` function). Rendering is synchronous, so documents built at once never interleave on it.
let fonts: Record<FontName, ParsedFont> | undefined;
function loadFonts(): Record<FontName, ParsedFont> {
  const fontkit = pdfkitRequire('fontkit') as { create(bytes: Buffer): ParsedFont };
  fonts ??= {
    body: fontkit.create(fs.readFileSync(path.join(FONT_DIR, FONT_FILES.body))),
    bold: fontkit.create(fs.readFileSync(path.join(FONT_DIR, FONT_FILES.bold))),
  };
  return fonts;
}
/** pdfkit's types name font bytes or a path only; a parsed font is accepted at run time (see above). */
const asFontSource = (font: ParsedFont) => font as unknown as string;

// US Letter, 0.75 inch margins; the footer sits in the bottom margin.
const MARGIN = 54;
const FOOTER_GAP = 30;
const SIZE = { title: 18, subtitle: 11, heading: 13, body: 9.5, table: 8.5, small: 8 } as const;
const CELL_PAD = 3;
const GRAY = '#555555';
const RULE = '#999999';
const HEADER_FILL = '#e8e8e8';

type Doc = PDFKit.PDFDocument;
type Font = 'body' | 'bold';

/** Renders the document: a title block, the sections in order, "page X of Y" in every page's footer. */
export async function renderPdf(pdf: PdfDoc): Promise<Buffer> {
  return (await renderPdfDocument(pdf)).bytes;
}

// Renders are CPU-bound and each holds its whole document until it ends: a worker asked for hundreds at once (500
// chargebacks opened within a minute, bench/evidence.ts run E1 in bench/RESULTS.md: 3 GB RSS) queues them here, as
// many at a time as the machine has cores, instead of interleaving them all.
const RENDER_SLOTS = Math.max(1, os.availableParallelism());
const renderGate = { busy: 0, peak: 0, waiting: [] as (() => void)[] };

/** How many renders may run at once in this process, and the most that ever did (for tests and benchmarks). */
export function renderConcurrency(): { slots: number; peak: number } {
  return { slots: RENDER_SLOTS, peak: renderGate.peak };
}

/** renderPdf, with the number of pages it made. */
export async function renderPdfDocument(pdf: PdfDoc): Promise<{ bytes: Buffer; pageCount: number }> {
  while (renderGate.busy >= RENDER_SLOTS) await new Promise<void>((resolve) => renderGate.waiting.push(resolve));
  renderGate.busy += 1;
  renderGate.peak = Math.max(renderGate.peak, renderGate.busy);
  try {
    return await renderNow(pdf);
  } finally {
    renderGate.busy -= 1;
    renderGate.waiting.shift()?.();
  }
}

function renderNow(pdf: PdfDoc): Promise<{ bytes: Buffer; pageCount: number }> {
  const { body, bold } = loadFonts();
  const info: PDFKit.DocumentInfo = {
    Title: pdf.title,
    ...(pdf.subtitle ? { Subject: pdf.subtitle } : {}),
    ...(pdf.author ? { Author: pdf.author } : {}),
    Creator: 'tiktok-shop-ops',
    Producer: 'PDFKit',
    CreationDate: pdf.createdAt,
    ModDate: pdf.createdAt,
  };
  const PDFDocument = loadPdfkit();
  const doc = new PDFDocument({
    size: 'LETTER',
    margin: MARGIN,
    bufferPages: true,
    info,
    // pdfkit's default font is Helvetica (not embedded); ours is set before any text is written.
    font: asFontSource(body),
    autoFirstPage: false,
    displayTitle: true,
  });
  doc.registerFont('body', asFontSource(body));
  doc.registerFont('bold', asFontSource(bold));
  const chunks: Buffer[] = [];
  let pageCount = 0;
  const done = new Promise<{ bytes: Buffer; pageCount: number }>((resolve, reject) => {
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve({ bytes: Buffer.concat(chunks), pageCount }));
    doc.on('error', reject);
  });
  try {
    doc.addPage();
    titleBlock(doc, pdf);
    for (const section of pdf.sections) renderSection(doc, section);
    pageCount = footers(doc, pdf.title);
    doc.end();
  } catch (err) {
    doc.end();
    return Promise.reject(err instanceof Error ? err : new Error(String(err)));
  }
  return done;
}

const left = (doc: Doc) => doc.page.margins.left;
const contentWidth = (doc: Doc) => doc.page.width - doc.page.margins.left - doc.page.margins.right;
const bottom = (doc: Doc) => doc.page.height - doc.page.margins.bottom;
/** The height a page offers between its margins. */
const pageRoom = (doc: Doc) => bottom(doc) - doc.page.margins.top;

/** Starts a new page when `height` does not fit below the cursor; true when it did. */
function ensureSpace(doc: Doc, height: number): boolean {
  if (doc.y + height <= bottom(doc)) return false;
  doc.addPage();
  return true;
}

function titleBlock(doc: Doc, pdf: PdfDoc): void {
  doc.font('bold').fontSize(SIZE.title).fillColor('black');
  doc.text(pdf.title, left(doc), doc.y, { width: contentWidth(doc) });
  if (pdf.subtitle) {
    doc
      .font('body')
      .fontSize(SIZE.subtitle)
      .text(pdf.subtitle, { width: contentWidth(doc) });
  }
  doc.font('body').fontSize(SIZE.small).fillColor(GRAY);
  const meta = [`Data as of ${pdf.createdAt.toISOString()}`];
  if (pdf.author) meta.push(`Prepared by ${pdf.author}`);
  doc.text(meta.join(' · '), { width: contentWidth(doc) });
  doc.fillColor('black');
  doc.moveDown(0.6);
}

function renderSection(doc: Doc, section: PdfSection): void {
  // A heading stays with what follows it: all of a short first block, else a few lines.
  const keep = keepWithHeading(doc, section.blocks[0]);
  doc.font('body').fontSize(SIZE.small);
  const noteHeight = section.note ? doc.heightOfString(section.note, { width: contentWidth(doc) }) + 4 : 0;
  doc.font('bold').fontSize(SIZE.heading);
  const headingHeight = doc.heightOfString(section.heading, { width: contentWidth(doc) });
  ensureSpace(doc, headingHeight + 12 + noteHeight + keep);
  doc.moveDown(0.4);
  doc.text(section.heading, left(doc), doc.y, { width: contentWidth(doc) });
  const ruleY = doc.y + 1;
  doc
    .moveTo(left(doc), ruleY)
    .lineTo(left(doc) + contentWidth(doc), ruleY)
    .lineWidth(0.5)
    .strokeColor(RULE)
    .stroke();
  doc.y = ruleY + 4;
  if (section.note) {
    doc.font('body').fontSize(SIZE.small).fillColor(GRAY);
    doc.text(section.note, left(doc), doc.y, { width: contentWidth(doc) });
    doc.fillColor('black');
    doc.moveDown(0.3);
  }
  for (const block of section.blocks) {
    renderBlock(doc, block);
    doc.moveDown(0.5);
  }
}

function renderBlock(doc: Doc, block: PdfBlock): void {
  switch (block.kind) {
    case 'paragraph':
      doc.font('body').fontSize(SIZE.body).fillColor('black');
      // Long text flows onto the next pages on its own (pdfkit breaks at the bottom margin).
      doc.text(block.text, left(doc), doc.y, { width: contentWidth(doc) });
      return;
    case 'fields':
      return fields(doc, block.rows);
    case 'table':
      return table(doc, block.columns, block.rows);
    case 'image':
      return image(doc, block.png, block.width, block.caption);
  }
}

/** Key/value rows: the key in bold on the left, the value wrapping on the right. */
function fieldLayout(doc: Doc, rows: [string, string][]) {
  const width = contentWidth(doc);
  const keyWidth = Math.min(170, width * 0.32);
  const valueWidth = width - keyWidth - 8;
  doc.fontSize(SIZE.body);
  const heights = rows.map(([key, value]) =>
    Math.max(
      doc.font('bold').heightOfString(key, { width: keyWidth }),
      doc.font('body').heightOfString(value, { width: valueWidth }),
    ),
  );
  return { keyWidth, valueWidth, heights, total: heights.reduce((a, h) => a + h + 2, 0) };
}

function fields(doc: Doc, rows: [string, string][]): void {
  const { keyWidth, valueWidth, heights } = fieldLayout(doc, rows);
  doc.fontSize(SIZE.body).fillColor('black');
  rows.forEach(([key, value], i) => {
    const h = heights[i]!;
    ensureSpace(doc, h);
    const y = doc.y;
    doc.font('bold').text(key, left(doc), y, { width: keyWidth });
    doc.font('body').text(value, left(doc) + keyWidth + 8, y, { width: valueWidth });
    doc.y = y + h + 2;
  });
  doc.x = left(doc);
}

/** How much of a block should stay on the page of its section's heading: all of a short one, else a few lines. */
function keepWithHeading(doc: Doc, block: PdfBlock | undefined): number {
  let height = 60;
  if (block?.kind === 'fields') height = fieldLayout(doc, block.rows).total;
  else if (block?.kind === 'table') height = tableLayout(doc, block.columns, block.rows).total;
  else if (block?.kind === 'paragraph') {
    height = doc
      .font('body')
      .fontSize(SIZE.body)
      .heightOfString(block.text, { width: contentWidth(doc) });
  }
  return height <= pageRoom(doc) / 3 ? height : Math.min(height, 60);
}

/**
 * Column widths from the content, as browsers lay out automatic tables: each column gets at least its longest word
 * (times, ids and codes do not break), and the space left goes to the columns whose text is longer than that (messages,
 * addresses), in proportion. A table that fits on one line per row keeps its natural widths, scaled to the page.
 */
function columnWidths(doc: Doc, columns: string[], rows: string[][]): number[] {
  const width = contentWidth(doc);
  const pad = 2 * CELL_PAD;
  const natural: number[] = [];
  const minimum: number[] = [];
  columns.forEach((c, i) => {
    const cells: [string, Font][] = [[c, 'bold'], ...rows.map((r): [string, Font] => [r[i] ?? '', 'body'])];
    let nat = 0;
    let min = 0;
    for (const [text, font] of cells) {
      doc.font(font).fontSize(SIZE.table);
      nat = Math.max(nat, doc.widthOfString(text));
      for (const word of text.split(/[ \n]+/)) min = Math.max(min, doc.widthOfString(word));
    }
    natural.push(nat + pad + 1);
    minimum.push(min + pad + 1);
  });
  const sum = (xs: number[]) => xs.reduce((a, b) => a + b, 0);
  if (sum(natural) <= width) return natural.map((n) => (n * width) / sum(natural));
  if (sum(minimum) >= width) return minimum.map((m) => (m * width) / sum(minimum));
  const spare = width - sum(minimum);
  const want = natural.map((n, i) => n - minimum[i]!);
  return minimum.map((m, i) => m + (spare * want[i]!) / sum(want));
}

function rowHeight(doc: Doc, cells: string[], widths: number[], font: Font): number {
  doc.font(font).fontSize(SIZE.table);
  return (
    Math.max(...widths.map((w, i) => doc.heightOfString(cells[i] ?? '', { width: w - 2 * CELL_PAD }))) + 2 * CELL_PAD
  );
}

function drawRow(doc: Doc, cells: string[], widths: number[], font: Font, height: number): void {
  const y = doc.y;
  let x = left(doc);
  if (font === 'bold') {
    doc
      .rect(
        x,
        y,
        widths.reduce((a, b) => a + b, 0),
        height,
      )
      .fill(HEADER_FILL)
      .fillColor('black');
  }
  doc.font(font).fontSize(SIZE.table).fillColor('black');
  widths.forEach((w, i) => {
    // A cell taller than a page is cut with an ellipsis rather than flowing into the next row.
    doc.text(cells[i] ?? '', x + CELL_PAD, y + CELL_PAD, { width: w - 2 * CELL_PAD, height: height - CELL_PAD });
    x += w;
  });
  const end = y + height;
  doc.moveTo(left(doc), end).lineTo(x, end).lineWidth(0.3).strokeColor(RULE).stroke();
  doc.x = left(doc);
  doc.y = end;
}

interface TableLayout {
  widths: number[];
  headerHeight: number;
  heights: number[];
  /** Header and every row. */
  total: number;
}

function tableLayout(doc: Doc, columns: string[], rows: string[][]): TableLayout {
  const widths = columnWidths(doc, columns, rows);
  const headerHeight = rowHeight(doc, columns, widths, 'bold');
  const pageRoom = bottom(doc) - doc.page.margins.top - headerHeight;
  const heights = rows.map((r) => Math.min(rowHeight(doc, r, widths, 'body'), pageRoom));
  return { widths, headerHeight, heights, total: headerHeight + heights.reduce((a, b) => a + b, 0) };
}

/**
 * A table whose cells wrap; rows never split, and the header row repeats on every page the table reaches. A short
 * table (a third of a page or less) is not split at all: it starts on the next page when it does not fit.
 */
function table(doc: Doc, columns: string[], rows: string[][]): void {
  const { widths, headerHeight, heights, total } = tableLayout(doc, columns, rows);
  ensureSpace(doc, total <= pageRoom(doc) / 3 ? total : headerHeight + (heights[0] ?? 0));
  drawRow(doc, columns, widths, 'bold', headerHeight);
  rows.forEach((row, i) => {
    const h = heights[i]!;
    if (ensureSpace(doc, h)) drawRow(doc, columns, widths, 'bold', headerHeight);
    drawRow(doc, row, widths, 'body', h);
  });
}

/** Width and height from a PNG's IHDR chunk (https://www.w3.org/TR/png/#11IHDR). */
function pngSize(png: Buffer): { width: number; height: number } {
  const signature = '89504e470d0a1a0a';
  if (
    png.length < 24 ||
    png.subarray(0, 8).toString('hex') !== signature ||
    png.toString('latin1', 12, 16) !== 'IHDR'
  ) {
    throw new Error('image blocks take PNG bytes');
  }
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

function image(doc: Doc, png: Buffer, wanted: number | undefined, caption: string | undefined): void {
  const size = pngSize(png);
  const maxHeight = bottom(doc) - doc.page.margins.top - 40;
  let width = Math.min(wanted ?? contentWidth(doc), contentWidth(doc));
  let height = (size.height * width) / size.width;
  if (height > maxHeight) {
    width = (width * maxHeight) / height;
    height = maxHeight;
  }
  doc.font('body').fontSize(SIZE.small);
  const captionHeight = caption ? doc.heightOfString(caption, { width: contentWidth(doc) }) + 4 : 0;
  ensureSpace(doc, height + captionHeight);
  const y = doc.y;
  doc.image(png, left(doc), y, { width, height });
  doc.y = y + height + 4;
  if (caption) {
    doc.fillColor(GRAY).text(caption, left(doc), doc.y, { width: contentWidth(doc) });
    doc.fillColor('black');
  }
}

/** "page X of Y" centred in each page's bottom margin, the title on the left. */
function footers(doc: Doc, title: string): number {
  const range = doc.bufferedPageRange();
  for (let i = 0; i < range.count; i++) {
    doc.switchToPage(range.start + i);
    // Writing inside the bottom margin must not start a new page.
    const margin = doc.page.margins.bottom;
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN + FOOTER_GAP - 10;
    doc.font('body').fontSize(SIZE.small).fillColor(GRAY);
    doc.text(title, left(doc), y, { width: contentWidth(doc) / 2, lineBreak: false, ellipsis: true, height: 10 });
    doc.text(`page ${i + 1} of ${range.count}`, left(doc), y, {
      width: contentWidth(doc),
      align: 'right',
      lineBreak: false,
    });
    doc.page.margins.bottom = margin;
  }
  doc.fillColor('black');
  return range.count;
}
