// What a stored file is, read from its bytes: never from the client's Content-Type or file name, which anyone can set.
// A small reader of format signatures and image headers (no pixel is decoded); `file-type` is ESM-only and this
// product is CommonJS on Node 20. Formats and where their headers are specified:
// - PNG: signature and IHDR chunk, https://www.w3.org/TR/png-3/#5PNG-file-signature and #11IHDR
// - JPEG: markers and the frame header (SOFn: Lf, P, Y, X), ITU-T T.81 Annex B,
//   https://www.w3.org/Graphics/JPEG/itu-t81.pdf (B.1.1.3, B.2.2)
// - WebP: RIFF container with a VP8, VP8L or VP8X first chunk, RFC 9649, https://www.rfc-editor.org/rfc/rfc9649
//   (§2.5 simple lossy, §2.6 lossless signature and sizes, §2.7 extended canvas size); the VP8 frame header,
//   RFC 6386 §9.1, https://www.rfc-editor.org/rfc/rfc6386#section-9.1
// - PDF: the `%PDF-` file header, ISO 32000-1 §7.5.2,
//   https://opensource.adobe.com/dc-acrobat-sdk-docs/pdfstandards/PDF32000_2008.pdf

export type StoredMimeType =
  'image/jpeg' | 'image/png' | 'image/webp' | 'application/pdf' | 'application/json' | 'text/csv';

export interface SniffedContent {
  mimeType: StoredMimeType;
  /** Pixel size, for images. */
  width?: number;
  height?: number;
}

interface Size {
  width: number;
  height: number;
}

const latin1 = (b: Buffer, start: number, end: number): string => b.toString('latin1', start, end);
const positive = (size: Size): Size | undefined => (size.width > 0 && size.height > 0 ? size : undefined);

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** PNG: the signature, then IHDR first (length 13): width and height, 4 bytes big-endian each. */
function pngSize(b: Buffer): Size | undefined {
  if (b.length < 24 || !b.subarray(0, 8).equals(PNG_SIGNATURE) || latin1(b, 12, 16) !== 'IHDR') return undefined;
  return positive({ width: b.readUInt32BE(16), height: b.readUInt32BE(20) });
}

// Start-of-frame markers: C0–CF except DHT (C4), JPG (C8) and DAC (CC), T.81 Table B.1.
const isStartOfFrame = (marker: number): boolean =>
  marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;

/** JPEG: SOI, then segments up to the first frame header, whose Y (lines) and X (samples per line) give the size. */
function jpegSize(b: Buffer): Size | undefined {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8 || b[2] !== 0xff) return undefined;
  let at = 2;
  while (at + 4 <= b.length) {
    if (b[at] !== 0xff) return undefined;
    const marker = b[at + 1]!;
    if (marker === 0xff) {
      at += 1; // a fill byte before a marker (B.1.1.2)
    } else if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd8)) {
      at += 2; // TEM, RSTn, SOI: markers without a segment
    } else if (marker === 0xd9 || marker === 0xda) {
      return undefined; // end of image or start of scan before any frame header
    } else if (isStartOfFrame(marker)) {
      if (at + 9 > b.length) return undefined;
      return positive({ height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) });
    } else {
      at += 2 + b.readUInt16BE(at + 2);
    }
  }
  return undefined;
}

/** WebP: `RIFF` size `WEBP`, then the first chunk's FourCC at 12 and its payload from 20. */
function webpSize(b: Buffer): Size | undefined {
  if (b.length < 30 || latin1(b, 0, 4) !== 'RIFF' || latin1(b, 8, 12) !== 'WEBP') return undefined;
  switch (latin1(b, 12, 16)) {
    case 'VP8 ':
      // 3-byte frame tag, start code 9d 01 2a, then 14-bit width and height (2 scale bits above each).
      if (b[23] !== 0x9d || b[24] !== 0x01 || b[25] !== 0x2a) return undefined;
      return positive({ width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff });
    case 'VP8L': {
      // Signature 0x2f, then width − 1 and height − 1 in 14 bits each, least significant bits first.
      if (b[20] !== 0x2f) return undefined;
      const bits = b.readUInt32LE(21);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
    case 'VP8X':
      // Flags and reserved bytes, then canvas width − 1 and height − 1 in 24 bits each.
      return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
    default:
      return undefined;
  }
}

/**
 * The file's type and, for an image, its pixel size; undefined for any other content (a text file named .png, a
 * GIF, a truncated or unreadable image header).
 */
export function sniffContent(bytes: Buffer): SniffedContent | undefined {
  const png = pngSize(bytes);
  if (png) return { mimeType: 'image/png', ...png };
  const jpeg = jpegSize(bytes);
  if (jpeg) return { mimeType: 'image/jpeg', ...jpeg };
  const webp = webpSize(bytes);
  if (webp) return { mimeType: 'image/webp', ...webp };
  if (latin1(bytes, 0, 5) === '%PDF-') return { mimeType: 'application/pdf' };
  if (isJsonDocument(bytes)) return { mimeType: 'application/json' };
  return undefined;
}

/** A JSON object or array (RFC 8259) in UTF-8: what a process stores as its own data (an appeal's evidence). */
function isJsonDocument(bytes: Buffer): boolean {
  const first = bytes.find((b) => b !== 0x20 && b !== 0x0a && b !== 0x0d && b !== 0x09);
  if (first !== 0x7b && first !== 0x5b) return false;
  try {
    JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
    return true;
  } catch {
    return false;
  }
}

const EXTENSIONS: Record<StoredMimeType, string> = {
  'image/jpeg': 'jpg',
  'image/png': 'png',
  'image/webp': 'webp',
  'application/pdf': 'pdf',
  'application/json': 'json',
  'text/csv': 'csv',
};

/** The usual file extension of a stored type, for the names a file is served or sent under. */
export function extensionOf(mimeType: string): string {
  return EXTENSIONS[mimeType as StoredMimeType] ?? 'bin';
}

/**
 * Evidence images go to TikTok through Upload Product Image, which takes JPG/JPEG, PNG, WEBP, HEIC and BMP of at most
 * 10 MB and 100–20000 px a side (https://partner.tiktokshop.com/docv2/page/upload-product-image-202309); Reject Return
 * takes the uri it answers as `images[].image_id`
 * (https://partner.tiktokshop.com/docv2/page/reject-return-202309). HEIC and BMP are left out: a browser cannot show
 * them to the operator who reviews the evidence.
 */
export const EVIDENCE_IMAGE = {
  mimeTypes: ['image/jpeg', 'image/png', 'image/webp'] as readonly StoredMimeType[],
  maxBytes: 10 * 1024 * 1024,
  minSide: 100,
  maxSide: 20_000,
};

/** Other purposes (documents, certificates, reports) also take PDF (Upload Product File takes PDFs). */
export const DOCUMENT_MIME_TYPES: readonly StoredMimeType[] = [...EVIDENCE_IMAGE.mimeTypes, 'application/pdf'];

/**
 * Purposes whose files are a process's own data as JSON, written by an activity, never uploaded (an appeal's evidence,
 * appeal/model.ts APPEAL_EVIDENCE_PURPOSE): they take JSON only, and no other purpose takes JSON.
 */
export const JSON_PURPOSES: ReadonlySet<string> = new Set(['appeal-evidence']);

/** Purposes whose files may also be CSV text (reports a person downloads into a spreadsheet). */
export const CSV_PURPOSES: readonly string[] = ['tax-report'];

/** The types a purpose accepts. */
export function acceptedTypes(purpose: string): readonly StoredMimeType[] {
  if (JSON_PURPOSES.has(purpose)) return ['application/json'];
  if (purpose === 'evidence') return EVIDENCE_IMAGE.mimeTypes;
  return CSV_PURPOSES.includes(purpose) ? [...DOCUMENT_MIME_TYPES, 'text/csv'] : DOCUMENT_MIME_TYPES;
}

/**
 * CSV has no signature (RFC 4180, https://www.rfc-editor.org/rfc/rfc4180): text is taken as CSV when it is valid
 * UTF-8 without control characters other than tab, CR and LF, and is not one of the signed formats above. Only
 * purposes in CSV_PURPOSES ask for this reading.
 */
export function sniffCsv(bytes: Buffer): SniffedContent | undefined {
  if (sniffContent(bytes)) return undefined;
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return undefined;
  }
  // eslint-disable-next-line no-control-regex
  return /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/.test(text) ? undefined : { mimeType: 'text/csv' };
}

/** Why a file cannot serve its purpose beyond its type (TikTok's pixel limits for evidence), or undefined. */
export function purposeProblem(purpose: string, content: SniffedContent): string | undefined {
  if (purpose !== 'evidence') return undefined;
  const { minSide, maxSide } = EVIDENCE_IMAGE;
  const sides = [content.width ?? 0, content.height ?? 0];
  if (sides.some((s) => s < minSide || s > maxSide)) {
    return `evidence images must be ${minSide}–${maxSide} px a side (TikTok's Upload Product Image); this one is ${sides.join(' × ')}`;
  }
  return undefined;
}
