import { Router } from 'express';
import { z } from 'zod';
import { createCertificateRepository, type CertificateFields, type CertificateRow } from '../../db/certificates';
import { createShopRepository } from '../../db/shops';
import { categoryRequirement, missingDocuments, RESTRICTED_CATEGORIES } from '../../policy/categoryRequirements';
import { extensionOf, sniffContent } from '../../files/contentType';
import {
  CERTIFICATE_UPLOAD_LIMITS,
  certificateFileProblem,
  certificateTypeRule,
  daysUntilExpiry,
  normalizeIdentifier,
  validateCertificateMetadata,
  type CertificateMetadata,
} from '../../policy/certificateRules';
import { ensureCertificateExpirySchedule } from '../../temporal/certificateExpiry';
import { callerIdentity, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';
import { readMultipartFile } from '../multipartFile';

const DAY_MS = 86_400_000;
const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const ShopParams = z.object({ shopId: id });
const RequirementParams = z.object({ shopId: id, category: z.string().max(64) });
const CertificateParams = z.object({ shopId: id, certificateId: z.uuid('a certificate id is a UUID') });
const text = (max: number) => z.string().trim().min(1).max(max);
const day = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a calendar day YYYY-MM-DD');
const category = z
  .string()
  .regex(/^[a-z][a-z0-9_]{0,63}$/, 'a category is a lowercase word such as dietary_supplements');
const MetadataFields = {
  documentType: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a document type such as certificate_of_analysis'),
  issuer: text(200).optional(),
  product: text(200).optional(),
  lot: text(100).optional(),
  identifier: text(100).optional(),
  issuedOn: day.optional(),
  expiresOn: day.optional(),
  categories: z.array(category).max(20).optional(),
  note: z.string().max(1000).optional(),
};
const Metadata = z.strictObject(MetadataFields);
/** A correction: any field, `null` clears an optional one. */
const MetadataPatch = z.strictObject({
  documentType: MetadataFields.documentType.optional(),
  ...Object.fromEntries(
    Object.entries(MetadataFields)
      .filter(([k]) => k !== 'documentType')
      .map(([k, v]) => [k, (v as z.ZodOptional<z.ZodType>).unwrap().nullable().optional()]),
  ),
});
const ListQuery = z.object({
  type: z.string().max(64).optional(),
  expiringWithinDays: z.coerce.number().int().min(0).max(3650).optional(),
  includeDeleted: z.enum(['true', 'false']).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

/** The largest document TikTok takes (a PDF, 20 MB), within what the file store takes (FILE_MAX_BYTES). */
const largestDocument = Math.max(...Object.values(CERTIFICATE_UPLOAD_LIMITS).map((l) => l.maxBytes));

/** The multipart text fields as metadata: each field by name, or all of them as JSON in `metadata`. */
function metadataOf(fields: Record<string, string>): unknown {
  const { metadata, categories, ...rest } = fields;
  let fromJson: unknown = {};
  if (metadata !== undefined) {
    try {
      fromJson = JSON.parse(metadata);
    } catch (err) {
      throw new HttpError(400, 'invalid_request', `the field "metadata" is not JSON: ${(err as Error).message}`);
    }
    if (typeof fromJson !== 'object' || fromJson === null || Array.isArray(fromJson)) {
      throw new HttpError(400, 'invalid_request', 'the field "metadata" must be a JSON object');
    }
  }
  const list =
    categories === undefined
      ? {}
      : {
          categories: categories
            .split(',')
            .map((c) => c.trim())
            .filter(Boolean),
        };
  return { ...(fromJson as object), ...rest, ...list };
}

/** 422 with every problem when the metadata breaks its document type's rules (policy/certificateRules.ts). */
function validated(m: CertificateMetadata): CertificateFields {
  const problems = validateCertificateMetadata(m);
  if (problems.length) {
    throw new HttpError(
      422,
      'invalid_certificate',
      problems.map((p) => `${p.field}: ${p.message}`).join('; '),
      problems,
    );
  }
  const rule = certificateTypeRule(m.documentType)!.value;
  return {
    document_type: m.documentType,
    issuer: m.issuer ?? null,
    product: m.product ?? null,
    lot: m.lot ?? null,
    identifier: m.identifier ? normalizeIdentifier(rule, m.identifier) : null,
    issued_on: m.issuedOn ?? null,
    expires_on: m.expiresOn ?? null,
    categories: m.categories ?? [],
    note: m.note ?? null,
  };
}

export function describeCertificate(row: CertificateRow, now: Date) {
  const rule = certificateTypeRule(row.document_type);
  return {
    certificateId: row.certificate_id,
    shopId: row.shop_id,
    documentType: row.document_type,
    documentLabel: rule?.value.label ?? row.document_type,
    issuer: row.issuer,
    product: row.product,
    lot: row.lot,
    identifier: row.identifier,
    issuedOn: row.issued_on,
    expiresOn: row.expires_on,
    daysLeft: row.expires_on ? daysUntilExpiry(row.expires_on, now) : null,
    categories: row.categories,
    note: row.note,
    fileId: row.file_id,
    mimeType: row.mime_type,
    sizeBytes: row.size_bytes,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedBy: row.updated_by,
    updatedAt: row.updated_at?.toISOString() ?? null,
    deletedBy: row.deleted_by,
    deletedAt: row.deleted_at?.toISOString() ?? null,
    content: `/v1/shops/${encodeURIComponent(row.shop_id)}/certificates/${row.certificate_id}/content`,
  };
}

/**
 * The certificate vault (issue 19 item 1): qualification documents a shop keeps for restricted categories, uploaded
 * with their metadata (validated against policy/certificateRules.ts), listed by type and by how soon they expire,
 * corrected, and deleted softly (kept for audit). Bytes in the file store (purpose `certificate`). Shop-scoped.
 */
export function certificateRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const certificates = createCertificateRepository(deps.db);
  const shops = createShopRepository(deps.db);
  const now = () => new Date();
  const found = async (shopId: string, certificateId: string) => {
    const row = await certificates.get(shopId, certificateId);
    if (!row) throw new HttpError(404, 'not_found', `no certificate ${certificateId} for shop ${shopId}`);
    return row;
  };

  router.post('/v1/shops/:shopId/certificates', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    if ((await shops.region(shopId)) === undefined) throw new HttpError(404, 'not_found', `no shop ${shopId}`);
    const cap = Math.min(largestDocument, deps.files.maxBytes);
    const upload = await readMultipartFile(req, { fileField: 'file', maxBytes: cap, prefixBytes: 0, maxFields: 12 });
    const received = upload.file;
    if (!received) throw new HttpError(400, 'invalid_request', 'no file: send it in the multipart field "file"');
    if (!received.bytes) {
      throw new HttpError(
        413,
        'file_too_large',
        `the file has ${received.sizeBytes} bytes; at most ${cap} per document`,
      );
    }
    const content = sniffContent(received.bytes);
    const problem = certificateFileProblem(content, received.bytes.length);
    if (problem?.reason === 'type') throw new HttpError(415, 'unsupported_file_type', problem.message);
    if (problem?.reason === 'size') throw new HttpError(413, 'file_too_large', problem.message);
    if (problem) throw new HttpError(422, 'unusable_file', problem.message);
    const fields = validated(parseOr400(Metadata, metadataOf(upload.fields), 'body'));
    const createdBy = callerIdentity(req).name;
    // Kept a year past its expiry (what an audit of an application may ask for), never less than the store's default.
    const untilExpiry = fields.expires_on ? daysUntilExpiry(fields.expires_on, now()) + 365 : 0;
    const file = await deps.files.put(shopId, received.bytes, {
      purpose: 'certificate',
      createdBy,
      retainDays: Math.max(deps.config.FILE_RETENTION_DAYS, untilExpiry),
    });
    const row = await certificates.insert({
      ...fields,
      shop_id: shopId,
      file_id: file.fileId,
      mime_type: file.mimeType,
      size_bytes: file.sizeBytes,
      created_by: createdBy,
    });
    // The shop's daily expiry check from its first document on; the document is kept even if Temporal is down (the
    // check's trigger route creates the Schedule too).
    await ensureCertificateExpirySchedule(
      { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE },
      shopId,
    ).catch((err: unknown) => deps.logger.warn({ err, shopId }, 'certificate expiry schedule not ensured'));
    const body = describeCertificate(row, now());
    res
      .status(201)
      .location(`/v1/shops/${encodeURIComponent(shopId)}/certificates/${row.certificate_id}`)
      .json(body);
  });

  router.get('/v1/shops/:shopId/certificates', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const at = now();
    const rows = await certificates.list(shopId, {
      documentType: q.type,
      // Expiring within N days: on or before that day, the expired ones included (they need a new document too).
      expiresBy:
        q.expiringWithinDays === undefined
          ? undefined
          : new Date(at.getTime() + q.expiringWithinDays * DAY_MS).toISOString().slice(0, 10),
      includeDeleted: q.includeDeleted === 'true',
      limit: q.limit,
    });
    res.json({ certificates: rows.map((r) => describeCertificate(r, at)) });
  });

  router.get('/v1/shops/:shopId/certificates/:certificateId', viewer, async (req, res) => {
    const { shopId, certificateId } = parseOr400(CertificateParams, req.params, 'params');
    requireShop(req, shopId);
    res.json(describeCertificate(await found(shopId, certificateId), now()));
  });

  router.get('/v1/shops/:shopId/certificates/:certificateId/content', viewer, async (req, res) => {
    const { shopId, certificateId } = parseOr400(CertificateParams, req.params, 'params');
    requireShop(req, shopId);
    const row = await found(shopId, certificateId);
    const stored = await deps.files.get(shopId, row.file_id);
    if (!stored) throw new HttpError(410, 'gone', `the file of certificate ${certificateId} is no longer stored`);
    res
      .status(200)
      .type(stored.file.mimeType)
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': `attachment; filename="${row.document_type}-${certificateId}.${extensionOf(stored.file.mimeType)}"`,
        'Cache-Control': 'private, max-age=0',
      })
      .send(stored.bytes);
  });

  router.patch('/v1/shops/:shopId/certificates/:certificateId', operator, async (req, res) => {
    const { shopId, certificateId } = parseOr400(CertificateParams, req.params, 'params');
    requireShop(req, shopId);
    const patch = parseOr400(MetadataPatch, req.body, 'body') as Record<string, unknown>;
    const row = await found(shopId, certificateId);
    if (row.deleted_at) throw new HttpError(409, 'deleted', `certificate ${certificateId} was deleted`);
    const current = describeCertificate(row, now());
    const merged: Record<string, unknown> = {
      documentType: current.documentType,
      issuer: current.issuer,
      product: current.product,
      lot: current.lot,
      identifier: current.identifier,
      issuedOn: current.issuedOn,
      expiresOn: current.expiresOn,
      categories: current.categories,
      note: current.note,
      ...patch,
    };
    const metadata = Object.fromEntries(
      Object.entries(merged).filter(([, v]) => v !== null),
    ) as unknown as CertificateMetadata;
    const updated = await certificates.update(shopId, certificateId, validated(metadata), callerIdentity(req).name);
    if (!updated) throw new HttpError(409, 'deleted', `certificate ${certificateId} was deleted`);
    res.json(describeCertificate(updated, now()));
  });

  router.delete('/v1/shops/:shopId/certificates/:certificateId', operator, async (req, res) => {
    const { shopId, certificateId } = parseOr400(CertificateParams, req.params, 'params');
    requireShop(req, shopId);
    await found(shopId, certificateId);
    const row = await certificates.softDelete(shopId, certificateId, callerIdentity(req).name);
    res.json(describeCertificate(row!, now()));
  });

  router.get('/v1/shops/:shopId/category-requirements/:category', viewer, async (req, res) => {
    const { shopId, category: name } = parseOr400(RequirementParams, req.params, 'params');
    requireShop(req, shopId);
    const row = categoryRequirement(name);
    if (!row) {
      throw new HttpError(
        404,
        'not_found',
        `no requirement row for category ${name}: one of ${RESTRICTED_CATEGORIES.join(', ')}`,
      );
    }
    const at = now();
    const documents = (await certificates.list(shopId, { limit: 500 })).map((r) => ({
      certificateId: r.certificate_id,
      documentType: r.document_type,
      ...(r.expires_on ? { expiresOn: r.expires_on } : {}),
    }));
    res.json({
      category: name,
      label: row.value.label,
      source: row.source,
      unverified: row.uncertain ?? false,
      documents: row.value.documents,
      ...missingDocuments(row.value.documents, documents, at),
    });
  });

  return router;
}
