import { Router, type Request } from 'express';
import { z } from 'zod';
import { createShopRepository } from '../../db/shops';
import { extensionOf, JSON_PURPOSES } from '../../files/contentType';
import { FILE_ID, FileTooLargeError, UnsupportedFileError, type StoredFile } from '../../files/fileStore';
import { requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';
import { readMultipartFile, type ReceivedFile } from '../multipartFile';

const shopIdSchema = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'shop ids are 1-64 letters, digits, "_" or "-"');
const ShopParams = z.object({ shopId: shopIdSchema });
const FileParams = z.object({
  shopId: shopIdSchema,
  fileId: z.string().regex(FILE_ID, 'a file id is the SHA-256 of the file, 64 lowercase hex digits'),
});
const UploadFields = z.strictObject({
  purpose: z
    .string()
    .regex(/^[a-z][a-z0-9_-]{0,63}$/, 'a purpose is a lowercase word such as evidence')
    // An appeal's evidence is what the product gathered from its own records: never a file someone uploads.
    .refine((p) => !JSON_PURPOSES.has(p), 'files of this purpose are written by the product, not uploaded')
    .default('evidence'),
});
const ListQuery = z.object({
  purpose: z.string().max(64).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
  before: z.iso.datetime({ offset: true }).optional(),
});

const UPLOAD_SOURCE = 'api:POST /v1/shops/:shopId/files';
/** How much of a refused (too large) file the dead-letter table keeps, beside its sha256 and size. */
const DEAD_LETTER_KEPT_BYTES = 4096;

/**
 * The file store over HTTP (files/fileStore.ts): upload one file (multipart field `file`, its type read from its
 * content), list a shop's files, describe one, download it. Files belong to one shop: another shop's key sees none.
 */
export function filesRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const shops = createShopRepository(deps.db);
  const location = (file: StoredFile) => `/v1/shops/${encodeURIComponent(file.shopId)}/files/${file.fileId}`;

  /** A file over the cap: 413, kept as a dead letter of its hash, size and first 4 KB (as catalog imports are). */
  async function refuseTooLarge(req: Request, shopId: string, file: ReceivedFile): Promise<never> {
    const maxBytes = deps.files.maxBytes;
    await deps.deadLetters.record({
      source: UPLOAD_SOURCE,
      shopId,
      reason: `file_too_large: ${file.sizeBytes} bytes, more than FILE_MAX_BYTES (${maxBytes})`,
      details: {
        code: 'file_too_large',
        shopId,
        bytes: file.sizeBytes,
        maxBytes,
        sha256: file.sha256,
        filename: file.filename,
        claimedType: file.claimedType,
        keptBytes: file.prefix.length,
        // A file is binary: its first bytes are kept as base64 text.
        rawBodyEncoding: 'base64',
      },
      rawBody: file.prefix.toString('base64'),
      fullBody: { sha256: file.sha256, bytes: file.sizeBytes },
      headers: { 'content-type': req.headers['content-type'], 'user-agent': req.headers['user-agent'] },
    });
    throw new HttpError(
      413,
      'file_too_large',
      `the file has ${file.sizeBytes} bytes; at most ${maxBytes} per upload (FILE_MAX_BYTES)`,
    );
  }

  router.post('/v1/shops/:shopId/files', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if ((await shops.region(shopId)) === undefined) throw new HttpError(404, 'not_found', `no shop ${shopId}`);
    const upload = await readMultipartFile(req, {
      fileField: 'file',
      maxBytes: deps.files.maxBytes,
      prefixBytes: DEAD_LETTER_KEPT_BYTES,
    });
    const received = upload.file;
    if (!received) throw new HttpError(400, 'invalid_request', 'no file: send it in the multipart field "file"');
    if (!received.bytes) return refuseTooLarge(req, shopId, received);
    const { purpose } = parseOr400(UploadFields, upload.fields, 'body');
    try {
      const { created, ...file } = await deps.files.put(shopId, received.bytes, {
        purpose,
        createdBy: req.apiKey?.name ?? 'api',
      });
      res
        .status(created ? 201 : 200)
        .location(location(file))
        .json(file);
    } catch (err) {
      if (err instanceof FileTooLargeError) return refuseTooLarge(req, shopId, received);
      if (err instanceof UnsupportedFileError) {
        throw err.reason === 'type'
          ? new HttpError(415, 'unsupported_file_type', err.message)
          : new HttpError(422, 'unusable_file', err.message);
      }
      throw err;
    }
  });

  router.get('/v1/shops/:shopId/files', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const files = await deps.files.list(shopId, {
      purpose: q.purpose,
      limit: q.limit,
      before: q.before ? new Date(q.before) : undefined,
    });
    res.json({ files });
  });

  router.get('/v1/shops/:shopId/files/:fileId', viewer, async (req, res) => {
    const { shopId, fileId } = parseOr400(FileParams, req.params, 'params');
    requireShop(req, shopId);
    const file = await deps.files.describe(shopId, fileId);
    if (!file) throw new HttpError(404, 'not_found', `no file ${fileId} for shop ${shopId}`);
    res.json(file);
  });

  router.get('/v1/shops/:shopId/files/:fileId/content', viewer, async (req, res) => {
    const { shopId, fileId } = parseOr400(FileParams, req.params, 'params');
    requireShop(req, shopId);
    const found = await deps.files.get(shopId, fileId);
    if (!found) throw new HttpError(404, 'not_found', `no file ${fileId} for shop ${shopId}`);
    // Served as what its content is, never sniffed again by the browser, and as a download: a stored file is
    // evidence to look at, not a page of this origin.
    res
      .status(200)
      .type(found.file.mimeType)
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': `attachment; filename="${fileId}.${extensionOf(found.file.mimeType)}"`,
        'Cache-Control': 'private, max-age=0',
        ETag: `"${fileId}"`,
      })
      .send(found.bytes);
  });

  return router;
}
