// The file store reads a file's type and pixel size from its bytes (files/contentType.ts), on real images: CPython's
// 16 × 16 test images, Modernizr's 1 × 1 WebPs and complete PNGs made here (test/helpers/imageBytes.ts).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { acceptedTypes, extensionOf, purposeProblem, sniffContent } from '../../files/contentType';
import {
  PDF_BYTES,
  REAL_JPEG_16,
  REAL_PNG_16,
  REAL_WEBP_VP8_1,
  REAL_WEBP_VP8L_1,
  REAL_WEBP_VP8X_16,
  jpegHeader,
  pngImage,
} from '../helpers/imageBytes';

test('real JPEG, PNG and WebP (VP8, VP8L, VP8X) images: type and pixel size from the content', () => {
  assert.deepEqual(sniffContent(REAL_JPEG_16), { mimeType: 'image/jpeg', width: 16, height: 16 });
  assert.deepEqual(sniffContent(REAL_PNG_16), { mimeType: 'image/png', width: 16, height: 16 });
  assert.deepEqual(sniffContent(REAL_WEBP_VP8X_16), { mimeType: 'image/webp', width: 16, height: 16 });
  assert.deepEqual(sniffContent(REAL_WEBP_VP8_1), { mimeType: 'image/webp', width: 1, height: 1 });
  assert.deepEqual(sniffContent(REAL_WEBP_VP8L_1), { mimeType: 'image/webp', width: 1, height: 1 });
  assert.deepEqual(sniffContent(PDF_BYTES), { mimeType: 'application/pdf' });
});

test('width and height are not swapped, and large sizes read whole', () => {
  assert.deepEqual(sniffContent(pngImage(1200, 900)), { mimeType: 'image/png', width: 1200, height: 900 });
  assert.deepEqual(sniffContent(pngImage(3, 20_001)), { mimeType: 'image/png', width: 3, height: 20_001 });
  // A progressive JPEG's frame header is SOF2; the segments before it (APP0) are skipped by their lengths.
  const progressive = jpegHeader(4000, 3000);
  progressive[progressive.indexOf(0xc0, 20)] = 0xc2;
  assert.deepEqual(sniffContent(progressive), { mimeType: 'image/jpeg', width: 4000, height: 3000 });
  assert.deepEqual(sniffContent(jpegHeader(640, 480)), { mimeType: 'image/jpeg', width: 640, height: 480 });
});

test('content that is not one of the stored types, whatever it would be named', () => {
  // A text file renamed photo.png, an empty file, a GIF, SVG (script in an image), HTML.
  assert.equal(sniffContent(Buffer.from('hello, this is not a picture\n')), undefined);
  assert.equal(sniffContent(Buffer.alloc(0)), undefined);
  assert.equal(sniffContent(Buffer.from('GIF89a\x10\x00\x10\x00\x00\x00\x00', 'latin1')), undefined);
  assert.equal(sniffContent(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script/></svg>')), undefined);
  assert.equal(sniffContent(Buffer.from('<!doctype html><title>x</title>')), undefined);
});

test('truncated or broken image headers are refused, not guessed', () => {
  // Only the signature of each format; a JPEG whose scan starts before any frame header; a zero-sized PNG.
  assert.equal(sniffContent(REAL_PNG_16.subarray(0, 20)), undefined);
  assert.equal(sniffContent(REAL_JPEG_16.subarray(0, 100)), undefined);
  assert.equal(sniffContent(REAL_WEBP_VP8X_16.subarray(0, 16)), undefined);
  assert.equal(sniffContent(Buffer.from([0xff, 0xd8, 0xff, 0xda, 0x00, 0x02, 0xff, 0xd9])), undefined);
  assert.equal(sniffContent(pngImage(0, 10)), undefined);
  // A VP8 chunk without the key frame's start code.
  const vp8 = Buffer.from(REAL_WEBP_VP8_1);
  vp8[23] = 0;
  assert.equal(sniffContent(vp8), undefined);
});

test("evidence takes JPEG, PNG and WebP of 100–20000 px a side (TikTok's Upload Product Image); other purposes PDF too", () => {
  assert.deepEqual(acceptedTypes('evidence'), ['image/jpeg', 'image/png', 'image/webp']);
  assert.deepEqual(acceptedTypes('certificate'), ['image/jpeg', 'image/png', 'image/webp', 'application/pdf']);
  const size = (width: number, height: number) => ({ mimeType: 'image/png' as const, width, height });
  assert.equal(purposeProblem('evidence', size(100, 20_000)), undefined);
  assert.match(purposeProblem('evidence', size(99, 500)) ?? '', /100–20000 px a side.*99 × 500/);
  assert.match(purposeProblem('evidence', size(500, 20_001)) ?? '', /500 × 20001/);
  assert.equal(purposeProblem('report', size(16, 16)), undefined, 'pixel limits are for evidence only');
  assert.deepEqual(['image/jpeg', 'image/png', 'image/webp', 'application/pdf', 'text/plain'].map(extensionOf), [
    'jpg',
    'png',
    'webp',
    'pdf',
    'bin',
  ]);
});

test('JSON is a process’s own data: sniffed as JSON, taken only by the JSON purposes (an appeal’s evidence)', () => {
  assert.deepEqual(sniffContent(Buffer.from(' {"a": [1, 2]}\n')), { mimeType: 'application/json' });
  assert.deepEqual(sniffContent(Buffer.from('[]')), { mimeType: 'application/json' });
  // Not JSON, or not an object or array: not a stored type.
  assert.equal(sniffContent(Buffer.from('{"a": ')), undefined);
  assert.equal(sniffContent(Buffer.from('"text"')), undefined);
  assert.equal(sniffContent(Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])), undefined, 'not UTF-8');
  assert.deepEqual(acceptedTypes('appeal-evidence'), ['application/json']);
  assert.ok(!acceptedTypes('certificate').includes('application/json'));
  assert.ok(!acceptedTypes('evidence').includes('application/json'));
  assert.equal(extensionOf('application/json'), 'json');
});
