// The categoryUngating workflow's own activities (the platform's — Get Category Rules, attaching certifications — are
// in ./platform.ts): check the vault against the category's requirements, build and store the application packet,
// record the application and its attempts (migration 034), notify. Ids, dates and counts in and out: documents stay
// in the vault and the file store.
import { ApplicationFailure } from '@temporalio/activity';
import type { AppConfig } from '../../config';
import { createCategoryUngatingRepository, type UngatingApplicationRecord } from '../../db/categoryUngating';
import { createCertificateRepository, type CertificateRow } from '../../db/certificates';
import type { Db } from '../../db/knex';
import { createFileStore } from '../../files/fileStore';
import type { Notifier, Severity } from '../../notifications/notifier';
import { renderPdfDocument } from '../../pdf/render';
import { categoryRequirement, missingDocuments, type RequiredDocument } from '../../policy/categoryRequirements';
import { CERTIFICATE_TYPES } from '../../policy/certificateRules';
import type { Keyring } from '../../secrets/keyring';
import type { UngatingAttempt, UngatingDocumentCheck } from '../../workflows/categoryUngating/messages';
import { certificationRuleFor } from './certificationMatch';
import { packetDocument } from './packet';

export interface UngatingActivityDeps {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES' | 'FILE_RETENTION_DAYS'>;
  db: Db;
  notifier: Pick<Notifier, 'notify'>;
  /** SECRETS_ENCRYPTION_KEY: the file store seals the packet with it. */
  secretsKeyring?: Keyring;
}

/** A requirement key no policy row names and no document added: nothing to apply with (not retried). */
export const UNKNOWN_CATEGORY_REQUIREMENT = 'UnknownCategoryRequirement';
/** The purpose the file store records for application packets. */
export const UNGATING_PACKET_PURPOSE = 'ungating-packet';

export interface UngatingRequirementsInput {
  requirementKey: string;
  extraDocumentTypes?: string[];
  notApplicable?: string[];
}

export interface CheckUngatingDocumentsInput extends UngatingRequirementsInput {
  shopId: string;
  /** Documents a person named: they answer their type (refused when unknown, deleted, expired or not required). */
  pinned?: string[];
  /** The day the documents must still be valid on (ISO): now, or past the expiry a re-qualification replaces. */
  asOf: string;
}

export interface CheckUngatingDocumentsResult {
  label: string;
  requirements: RequiredDocument[];
  check: UngatingDocumentCheck;
  refused: { certificateId: string; reason: string }[];
}

export interface BuildUngatingPacketInput extends UngatingRequirementsInput {
  shopId: string;
  categoryId: string;
  round: number;
  attempt: number;
  asOf: string;
  check: UngatingDocumentCheck;
  rejections: Pick<UngatingAttempt, 'attempt' | 'decidedAt' | 'reasons'>[];
  createdBy: string;
}

/** The category's requirements: its policy row's documents (minus those that do not apply) plus the operator's. */
export function ungatingRequirements(input: UngatingRequirementsInput): {
  label: string;
  documents: RequiredDocument[];
} {
  const row = categoryRequirement(input.requirementKey);
  const extra = input.extraDocumentTypes ?? [];
  const unknown = extra.filter((t) => !CERTIFICATE_TYPES.includes(t));
  if (unknown.length)
    throw ApplicationFailure.create({
      type: UNKNOWN_CATEGORY_REQUIREMENT,
      message: `unknown document types ${unknown.join(', ')} (policy/certificateRules.ts)`,
      nonRetryable: true,
    });
  if (!row && extra.length === 0)
    throw ApplicationFailure.create({
      type: UNKNOWN_CATEGORY_REQUIREMENT,
      message: `no requirement row category.${input.requirementKey} (policy/categoryRequirements.ts) and no document added`,
      nonRetryable: true,
    });
  const skip = new Set(input.notApplicable ?? []);
  const documents: RequiredDocument[] = (row?.value.documents ?? []).filter(
    (d) => !(d.conditional && skip.has(d.documentType)),
  );
  for (const documentType of extra)
    if (!documents.some((d) => d.documentType === documentType))
      documents.push({ documentType, why: 'added by the operator for this application' });
  return { label: row?.value.label ?? input.requirementKey, documents };
}

const vaultDocument = (r: CertificateRow) => ({
  certificateId: r.certificate_id,
  documentType: r.document_type,
  ...(r.expires_on ? { expiresOn: r.expires_on } : {}),
  deleted: r.deleted_at !== null,
});

export function createUngatingApplicationActivities(deps: UngatingActivityDeps) {
  const certificates = createCertificateRepository(deps.db);
  const applications = createCategoryUngatingRepository(deps.db);
  const store = createFileStore({
    db: deps.db,
    keyring: deps.secretsKeyring,
    maxBytes: deps.cfg.FILE_MAX_BYTES,
    retainDays: deps.cfg.FILE_RETENTION_DAYS,
  });

  async function check(input: CheckUngatingDocumentsInput): Promise<CheckUngatingDocumentsResult> {
    const { label, documents: requirements } = ungatingRequirements(input);
    const asOf = new Date(input.asOf);
    const day = input.asOf.slice(0, 10);
    const required = new Set(requirements.map((r) => r.documentType));
    const refused: CheckUngatingDocumentsResult['refused'] = [];
    // The document named last for a type answers it (a fix replaces what an earlier submission used).
    const pinnedByType = new Map<string, CertificateRow>();
    for (const certificateId of new Set(input.pinned ?? [])) {
      const row = /^[0-9a-f-]{36}$/i.test(certificateId)
        ? await certificates.get(input.shopId, certificateId)
        : undefined;
      if (!row || row.deleted_at) refused.push({ certificateId, reason: 'no such document in the shop’s vault' });
      else if (!required.has(row.document_type))
        refused.push({ certificateId, reason: `a ${row.document_type} is not among the category’s documents` });
      else if (row.expires_on && row.expires_on < day)
        refused.push({ certificateId, reason: `expired on ${row.expires_on}` });
      else pinnedByType.set(row.document_type, row);
    }
    const pinned = [...pinnedByType.values()];
    // A type a person named a document for is answered by the named documents only.
    const pinnedTypes = new Set(pinned.map((r) => r.document_type));
    const vault = (await certificates.list(input.shopId, { limit: 500 })).filter(
      (r) => !pinnedTypes.has(r.document_type),
    );
    const result = missingDocuments(requirements, [...pinned, ...vault].map(vaultDocument), asOf);
    return {
      label,
      requirements,
      check: {
        satisfied: result.satisfied,
        missing: result.missing.map((m) => ({
          documentType: m.documentType,
          why: m.why,
          reason: m.reason,
          ...(m.expiredOn ? { expiredOn: m.expiredOn } : {}),
        })),
      },
      refused,
    };
  }

  return {
    checkUngatingDocuments: check,

    /** Renders the packet and stores it (same data, same bytes, same file id: a retry stores nothing new). */
    async buildUngatingPacket(
      input: BuildUngatingPacketInput,
    ): Promise<{ fileId: string; pageCount: number; sizeBytes: number }> {
      const { label, documents: requirements } = ungatingRequirements(input);
      const documents = [];
      for (const s of input.check.satisfied) {
        const row = await certificates.get(input.shopId, s.certificateId);
        if (!row) continue;
        const file = row.mime_type === 'image/png' ? await store.get(input.shopId, row.file_id) : undefined;
        documents.push({ row, ...(file ? { png: file.bytes } : {}) });
      }
      const doc = packetDocument({
        shopId: input.shopId,
        categoryId: input.categoryId,
        categoryLabel: label,
        attempt: input.attempt,
        round: input.round,
        asOf: input.asOf,
        requirements,
        check: input.check,
        rejections: input.rejections,
        documents,
      });
      const { bytes, pageCount } = await renderPdfDocument(doc);
      const file = await store.put(input.shopId, bytes, {
        purpose: UNGATING_PACKET_PURPOSE,
        createdBy: input.createdBy,
      });
      return { fileId: file.fileId, pageCount, sizeBytes: bytes.length };
    },

    /**
     * Which of the application's documents the approved category's certifications take (Get Category Rules, matched by
     * name: ./certificationMatch.ts). The rest (a brand authorization, a facility registration the rules do not list)
     * served the application only and stay in the vault.
     */
    selectCertificationDocuments(input: {
      documents: { documentType: string; certificateId: string }[];
      certifications: { id: string; name: string }[];
    }): Promise<{ attach: string[]; applicationOnly: string[] }> {
      const attach: string[] = [];
      const applicationOnly: string[] = [];
      for (const d of input.documents)
        (certificationRuleFor(d.documentType, input.certifications) ? attach : applicationOnly).push(d.certificateId);
      return Promise.resolve({ attach, applicationOnly });
    },

    async recordUngatingApplication(input: UngatingApplicationRecord): Promise<void> {
      await applications.upsertApplication(input);
    },

    async recordUngatingAttempt(input: UngatingAttempt & { applicationId: string }): Promise<void> {
      await applications.upsertAttempt({
        applicationId: input.applicationId,
        attempt: input.attempt,
        packetFileId: input.packetFileId,
        submittedAt: input.submittedAt,
        submittedBy: input.submittedBy,
        reference: input.reference,
        decision: input.decision,
        decidedAt: input.decidedAt,
        decidedBy: input.decidedBy,
        reasons: input.reasons,
      });
    },

    async notifyUngating(input: {
      shopId: string;
      categoryId: string;
      key: string;
      severity: Severity;
      title: string;
      body: string;
    }): Promise<void> {
      await deps.notifier.notify({
        dedupKey: `ungating:${input.shopId}:${input.categoryId}:${input.key}`,
        shopId: input.shopId,
        kind: 'category_ungating',
        severity: input.severity,
        title: input.title,
        body: input.body,
      });
    },
  };
}
