// PDF pages as images, for tests that check a page looks like something (not blank): pdftoppm (poppler-utils,
// installed by scripts/ensure-installed.js --poppler) renders the page to a PNG, decoded here.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';

/** Page `page` (1-based) of the PDF as a PNG at `dpi`, through pdftoppm. */
export function renderPage(pdf: Buffer, page = 1, dpi = 50): Buffer {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tso-page-'));
  try {
    const input = path.join(dir, 'in.pdf');
    fs.writeFileSync(input, pdf);
    const p = String(page);
    execFileSync('pdftoppm', [
      '-f',
      p,
      '-l',
      p,
      '-r',
      String(dpi),
      '-gray',
      '-png',
      '-singlefile',
      input,
      path.join(dir, 'page'),
    ]);
    return fs.readFileSync(path.join(dir, 'page.png'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The pixels of an 8-bit greyscale or RGB non-interlaced PNG (what pdftoppm -png writes) as grey levels: IDAT inflated,
 * each row's filter undone (https://www.w3.org/TR/png/#9Filters), RGB averaged.
 */
export function greyPixels(png: Buffer): { width: number; height: number; pixels: Uint8Array } {
  const width = png.readUInt32BE(16);
  const height = png.readUInt32BE(20);
  const channels = png[25] === 0 ? 1 : png[25] === 2 ? 3 : 0;
  if (png[24] !== 8 || channels === 0 || png[28] !== 0) throw new Error('not an 8-bit grey or RGB non-interlaced PNG');
  const idat: Buffer[] = [];
  for (let at = 8; at < png.length;) {
    const len = png.readUInt32BE(at);
    if (png.toString('latin1', at + 4, at + 8) === 'IDAT') idat.push(png.subarray(at + 8, at + 8 + len));
    at += 12 + len;
  }
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const rows = new Uint8Array(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    for (let x = 0; x < stride; x++) {
      const v = raw[y * (stride + 1) + 1 + x]!;
      const a = x >= channels ? rows[y * stride + x - channels]! : 0;
      const b = y > 0 ? rows[(y - 1) * stride + x]! : 0;
      const c = x >= channels && y > 0 ? rows[(y - 1) * stride + x - channels]! : 0;
      let pred = 0;
      if (filter === 1) pred = a;
      else if (filter === 2) pred = b;
      else if (filter === 3) pred = (a + b) >> 1;
      else if (filter === 4) {
        const p = a + b - c;
        const pa = Math.abs(p - a);
        const pb = Math.abs(p - b);
        const pc = Math.abs(p - c);
        pred = pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
      }
      rows[y * stride + x] = (v + pred) & 0xff;
    }
  }
  const pixels = new Uint8Array(width * height);
  for (let i = 0; i < pixels.length; i++) {
    let sum = 0;
    for (let k = 0; k < channels; k++) sum += rows[i * channels + k]!;
    pixels[i] = Math.round(sum / channels);
  }
  return { width, height, pixels };
}

/** Mean and variance of the pixel values (a blank page: variance 0). */
export function pixelStats(pixels: Uint8Array): { mean: number; variance: number; dark: number } {
  let sum = 0;
  let sq = 0;
  let dark = 0;
  for (const v of pixels) {
    sum += v;
    sq += v * v;
    if (v < 128) dark++;
  }
  const mean = sum / pixels.length;
  return { mean, variance: sq / pixels.length - mean * mean, dark: dark / pixels.length };
}
