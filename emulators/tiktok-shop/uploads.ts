// Product image and file uploads (ref §7.2): multipart/form-data, no shop_cipher, the body is
// not part of the sign. Pages: https://partner.tiktokshop.com/docv2/page/upload-product-image-202309 and
// https://partner.tiktokshop.com/docv2/page/upload-product-file-202309. The emulator reads formats and pixel
// dimensions from the file headers only; it decodes no pixels and does not measure video aspect ratios.
import { coded } from './errorCodes';
import type { Platform } from './platform';
import type { StoredUpload } from './state';
import type { Json } from './util';

export interface UploadedPart {
  filename: string;
  type: string;
  bytes: Buffer;
}

export interface UploadForm {
  fields: Map<string, string>;
  files: Map<string, UploadedPart>;
}

/** Parses a multipart body with the platform's own parser (fetch's Response.formData); throws on a malformed body. */
export async function parseUploadForm(raw: Buffer, contentType: string): Promise<UploadForm> {
  const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
  const fields = new Map<string, string>();
  const files = new Map<string, UploadedPart>();
  for (const [name, value] of form.entries()) {
    if (typeof value === 'string') {
      if (!fields.has(name)) fields.set(name, value);
    } else if (!files.has(name)) {
      files.set(name, { filename: value.name, type: value.type, bytes: Buffer.from(await value.arrayBuffer()) });
    }
  }
  return { fields, files };
}

const MB = 1024 * 1024;

export const IMAGE_USE_CASES = [
  'MAIN_IMAGE',
  'ATTRIBUTE_IMAGE',
  'DESCRIPTION_IMAGE',
  'CERTIFICATION_IMAGE',
  'SIZE_CHART_IMAGE',
] as const;

export interface ImageInfo {
  format: 'JPEG' | 'PNG' | 'WEBP' | 'HEIC' | 'BMP';
  width: number;
  height: number;
}

const ascii = (b: Buffer, start: number, end: number): string => b.toString('latin1', start, end);

function jpegSize(b: Buffer): { width: number; height: number } | null {
  let i = 2;
  while (i + 9 < b.length) {
    if (b[i] !== 0xff) return null;
    const marker = b[i + 1] ?? 0;
    if (marker === 0xff) {
      i++; // fill byte
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd9)) {
      i += 2; // markers without a length
      continue;
    }
    const isFrame = marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc;
    if (isFrame) return { height: b.readUInt16BE(i + 5), width: b.readUInt16BE(i + 7) };
    i += 2 + b.readUInt16BE(i + 2);
  }
  return null;
}

function webpSize(b: Buffer): { width: number; height: number } | null {
  const chunk = ascii(b, 12, 16);
  if (chunk === 'VP8 ' && b.length >= 30) {
    return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  }
  if (chunk === 'VP8L' && b.length >= 25) {
    const b1 = b[22] ?? 0;
    const b2 = b[23] ?? 0;
    const b3 = b[24] ?? 0;
    return { width: 1 + (((b1 & 0x3f) << 8) | (b[21] ?? 0)), height: 1 + (((b3 & 0xf) << 10) | (b2 << 2) | (b1 >> 6)) };
  }
  if (chunk === 'VP8X' && b.length >= 30) return { width: 1 + b.readUIntLE(24, 3), height: 1 + b.readUIntLE(27, 3) };
  return null;
}

const HEIF_BRANDS = new Set(['heic', 'heix', 'hevc', 'hevx', 'heim', 'heis', 'mif1', 'msf1']);

/**
 * The image format and pixel size from the file header, or null when the format is not one the page supports
 * (JPG/JPEG, PNG, WEBP, HEIC, BMP); width/height 0 when the header cannot be read.
 */
export function sniffImage(b: Buffer): ImageInfo | null {
  if (b.length >= 24 && b.readUInt32BE(0) === 0x89504e47 && ascii(b, 12, 16) === 'IHDR') {
    return { format: 'PNG', width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
  }
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) {
    return { format: 'JPEG', ...(jpegSize(b) ?? { width: 0, height: 0 }) };
  }
  if (b.length >= 16 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'WEBP') {
    return { format: 'WEBP', ...(webpSize(b) ?? { width: 0, height: 0 }) };
  }
  if (b.length >= 26 && ascii(b, 0, 2) === 'BM') {
    return { format: 'BMP', width: Math.abs(b.readInt32LE(18)), height: Math.abs(b.readInt32LE(22)) };
  }
  if (b.length >= 12 && ascii(b, 4, 8) === 'ftyp' && HEIF_BRANDS.has(ascii(b, 8, 12))) {
    // HEIF: the `ispe` property box holds the image extent (size, 'ispe', version/flags, width, height).
    const at = b.indexOf('ispe', 0, 'latin1');
    if (at < 0 || at + 16 > b.length) return { format: 'HEIC', width: 0, height: 0 };
    return { format: 'HEIC', width: b.readUInt32BE(at + 8), height: b.readUInt32BE(at + 12) };
  }
  return null;
}

/** Dimension limits of the page: every image 100–20000 px a side; MAIN_IMAGE 300–4000; SIZE_CHART shorter ≥ 1024. */
function dimensionProblem(useCase: string, w: number, h: number): string | null {
  const [min, max]: [number, number] = useCase === 'MAIN_IMAGE' ? [300, 4000] : [100, 20000];
  if (w < min || h < min || w > max || h > max) {
    return `The image dimensions exceed the allowed limits. Allowed dimensions (width x height in pixels): ${min} x ${min} to ${max} x ${max}`;
  }
  if (useCase === 'SIZE_CHART_IMAGE' && Math.min(w, h) < 1024) {
    return 'The image dimensions exceed the allowed limits. The shorter side of a size chart image must be at least 1024 px';
  }
  return null;
}

function store(p: Platform, upload: StoredUpload): string {
  p.state.uploads.set(upload.id, upload);
  return `${p.baseUrl()}/__uploads/${encodeURIComponent(upload.id)}`;
}

/** POST /product/202309/images/upload — fields `data` (the file) and `use_case`. */
export function uploadProductImage(p: Platform, appKey: string, form: UploadForm | null): Json {
  const data = form?.files.get('data');
  if (!form || !data || data.bytes.length === 0) {
    throw coded('upload_file_missing', 'Invalid upload file. Please ensure you are passing the correct file data.');
  }
  // Emulator choice: without `use_case` the image is checked and reported as a MAIN_IMAGE (the page sets no default).
  const useCase = form.fields.get('use_case') ?? 'MAIN_IMAGE';
  if (!(IMAGE_USE_CASES as readonly string[]).includes(useCase))
    throw coded('upload_use_case_invalid', 'invalid param');
  if (data.bytes.length > 10 * MB) {
    throw coded('upload_image_too_large', 'The file size exceeds the maximum allowed size.');
  }
  const info = sniffImage(data.bytes);
  if (!info) {
    throw coded(
      'upload_image_format',
      'Failed to process the image. The format or content is not supported. Supported formats: JPG, JPEG, PNG, WEBP, HEIC, BMP',
    );
  }
  if (info.width === 0 || info.height === 0) {
    throw coded('upload_image_unreadable', 'Failed to process the image. The format or content is not supported.');
  }
  const problem = dimensionProblem(useCase, info.width, info.height);
  if (problem) throw coded('upload_image_dimensions', problem);
  // The page's example uri: `tos-maliva-i-o3syd03w52-us/c668cdf70b7f483c94dbe`.
  const key = p.state.randomToken(32).toLowerCase();
  const uri = `tos-maliva-i-o3syd03w52-us/${key}`;
  const url = store(p, {
    id: key,
    kind: 'image',
    appKey,
    name: data.filename,
    contentType: data.type || `image/${info.format.toLowerCase()}`,
    bytes: data.bytes,
    format: info.format,
    useCase,
    reference: uri,
    width: info.width,
    height: info.height,
    createTime: p.clock.now(),
  });
  return { uri, url, height: info.height, width: info.width, use_case: useCase };
}

interface FileFormat {
  maxBytes: number;
  magic: (b: Buffer) => boolean;
  contentType: string;
}

const ftyp = (b: Buffer): boolean =>
  b.length >= 12 && ['ftyp', 'moov', 'wide', 'mdat', 'free'].includes(ascii(b, 4, 8));
const ebml = (b: Buffer): boolean => b.length >= 4 && b.readUInt32BE(0) === 0x1a45dfa3;

/** The page's formats and limits: PDF ≤ 20 MB; videos ≤ 100 MB. */
const FILE_FORMATS: Record<string, FileFormat> = {
  PDF: { maxBytes: 20 * MB, magic: (b) => ascii(b, 0, 5) === '%PDF-', contentType: 'application/pdf' },
  MP4: { maxBytes: 100 * MB, magic: ftyp, contentType: 'video/mp4' },
  MOV: { maxBytes: 100 * MB, magic: ftyp, contentType: 'video/quicktime' },
  '3GP': { maxBytes: 100 * MB, magic: ftyp, contentType: 'video/3gpp' },
  MKV: { maxBytes: 100 * MB, magic: ebml, contentType: 'video/x-matroska' },
  WEBM: { maxBytes: 100 * MB, magic: ebml, contentType: 'video/webm' },
  WMV: {
    maxBytes: 100 * MB,
    magic: (b) => b.length >= 4 && b.readUInt32BE(0) === 0x3026b275,
    contentType: 'video/x-ms-wmv',
  },
  AVI: {
    maxBytes: 100 * MB,
    magic: (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 12) === 'AVI ',
    contentType: 'video/x-msvideo',
  },
  FLV: { maxBytes: 100 * MB, magic: (b) => ascii(b, 0, 3) === 'FLV', contentType: 'video/x-flv' },
  MPEG: {
    maxBytes: 100 * MB,
    magic: (b) => b.length >= 4 && (b.readUInt32BE(0) === 0x000001ba || b.readUInt32BE(0) === 0x000001b3),
    contentType: 'video/mpeg',
  },
};

/** The page's name rules: the extension included, no spaces, no other period, not starting with a symbol. */
const FILE_NAME = /^[A-Za-z0-9][^\s.]*\.([A-Za-z0-9]+)$/;

/** POST /product/202309/files/upload — fields `data` (the file) and `name` (with its extension). */
export function uploadProductFile(p: Platform, appKey: string, form: UploadForm | null): Json {
  const data = form?.files.get('data');
  if (!form || !data) {
    throw coded('upload_file_missing', 'Invalid upload file. Please ensure you are passing the correct file data.');
  }
  if (data.bytes.length === 0) throw coded('upload_file_empty', "Couldn't upload file, the file is empty.");
  const name = form.fields.get('name');
  if (name === undefined || name === '') throw coded('upload_file_name_missing', 'The file name is empty.');
  const match = FILE_NAME.exec(name);
  if (!match) {
    throw coded(
      'upload_file_name_invalid',
      'param body.name is invalid: include the extension, no spaces, no other period, no leading symbol',
    );
  }
  const format = (match[1] ?? '').toUpperCase();
  const spec = FILE_FORMATS[format === 'MPG' ? 'MPEG' : format];
  if (!spec || !spec.magic(data.bytes)) {
    throw coded('upload_file_format', 'Failed to process the file. The format or content is not supported.');
  }
  if (data.bytes.length > spec.maxBytes) {
    throw coded('upload_file_too_large', 'The file size exceeds the maximum allowed size.');
  }
  const id = `v0${p.state.randomToken(30).toLowerCase()}`;
  const url = store(p, {
    id,
    kind: 'file',
    appKey,
    name,
    contentType: spec.contentType,
    bytes: data.bytes,
    format: format === 'MPG' ? 'MPEG' : format,
    useCase: null,
    reference: id,
    width: null,
    height: null,
    createTime: p.clock.now(),
  });
  return { id, url, name, format: format === 'MPG' ? 'MPEG' : format };
}
