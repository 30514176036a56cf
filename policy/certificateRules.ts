/**
 * The certificate vault's rules (issue 19 item 1): which documents it takes, what metadata each document type needs and
 * what its identifier looks like, and TikTok's upload limits. Rows as data: a document type whose identifier format
 * has no public source says so (`uncertain`), and then only the identifier's length and characters are checked.
 * Pure; the API (api/routes/certificates.ts) validates every upload and correction against them.
 */
import type { PolicyRow } from './table';

/** Metadata fields the uploader enters, besides the document type. */
export type CertificateField = 'issuer' | 'product' | 'lot' | 'identifier' | 'issuedOn' | 'expiresOn';

export interface CertificateTypeRule {
  label: string;
  /** Fields a document of this type must carry (documentType always). */
  required: CertificateField[];
  identifier?: {
    /** What the identifier is called on the document. */
    label: string;
    /** The format, anchored; absent: any 1–64 letters, digits, spaces, ".", "/", "-" (the fallback below). */
    pattern?: string;
    example: string;
    /** Characters dropped before matching (people write "E-123456" or "123 456 789 01"). */
    ignore?: string;
  };
}

const UNDATED = '2023-09-01';
const FREE_IDENTIFIER = /^[0-9A-Za-z][0-9A-Za-z ./-]{0,63}$/;

/** One row per document type (key `certificate.<type>`); the type's word is the key's tail. */
export const CERTIFICATE_TYPE_ROWS: PolicyRow<CertificateTypeRule>[] = [
  {
    region: 'US',
    key: 'certificate.certificate_of_analysis',
    value: {
      label: 'Certificate of Analysis (third-party lab)',
      required: ['issuer', 'product', 'lot', 'issuedOn'],
      identifier: { label: 'report number', example: 'COA-2026-0142' },
    },
    effectiveFrom: UNDATED,
    source:
      'seller-us.tiktok.com "Your Guide to Category Qualification" (2025-09-18): supplements and beauty need lab test reports; a COA is per lot, its report number is the lab\'s own (no public format)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'certificate.fda_food_facility_registration',
    value: {
      label: 'FDA food facility registration',
      required: ['issuer', 'identifier', 'expiresOn'],
      // 11 digits; renewed every even-numbered year between October 1 and December 31 (21 CFR 1.230(b)).
      identifier: { label: 'FDA registration number', pattern: '^\\d{11}$', example: '12345678901', ignore: ' -' },
    },
    effectiveFrom: UNDATED,
    source:
      'https://www.fda.gov/food/online-registration-food-facilities/food-facility-registration-user-guide-step-step-instructions (11-digit registration number); https://www.ecfr.gov/current/title-21/section-1.230 (biennial renewal)',
  },
  {
    region: 'US',
    key: 'certificate.fda_device_establishment_registration',
    value: {
      label: 'FDA medical device establishment registration',
      required: ['issuer', 'identifier', 'expiresOn'],
      // Registrations are renewed each year between October 1 and December 31 (21 CFR 807.22).
      identifier: { label: 'FDA registration number (FEI)', pattern: '^\\d{7,10}$', example: '3012345678' },
    },
    effectiveFrom: UNDATED,
    source:
      'https://www.ecfr.gov/current/title-21/part-807 (annual registration, 807.22); https://www.fda.gov/medical-devices/device-registration-and-listing/establishment-registration-and-medical-device-listing-files-download (registration numbers 7 or 10 digits)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'certificate.fda_cosmetic_listing',
    value: {
      label: 'FDA cosmetic product listing (MoCRA)',
      required: ['issuer', 'product', 'identifier'],
      identifier: { label: 'listing number', example: 'CL-1234567' },
    },
    effectiveFrom: UNDATED,
    source:
      'https://www.fda.gov/cosmetics/registration-listing-cosmetic-product-facilities-and-products (Cosmetics Direct; the listing number format is not published)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'certificate.ul_certificate',
    value: {
      label: 'UL certificate',
      required: ['issuer', 'product', 'identifier', 'issuedOn'],
      // E123456 (component recognition) or a 1–2 letter prefix and digits, as UL Product iQ lists file numbers.
      identifier: { label: 'UL file number', pattern: '^[A-Z]{1,2}\\d{3,6}$', example: 'E123456', ignore: ' -' },
    },
    effectiveFrom: UNDATED,
    source: 'https://productiq.ulprospector.com/ (file numbers as listed, e.g. E123456; no published grammar)',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'certificate.fcc_authorization',
    value: {
      label: 'FCC equipment authorization (grant)',
      required: ['issuer', 'product', 'identifier', 'issuedOn'],
      // Grantee code (3 characters before 2013, 5 since) + product code (1–14 characters), at most 17 in all.
      identifier: {
        label: 'FCC ID',
        pattern: '^(?=.{4,19}$)(?:[A-Z0-9]{3}|[A-Z0-9]{5})[A-Z0-9-]{1,14}$',
        example: '2ABCD-XY100',
      },
    },
    effectiveFrom: UNDATED,
    source:
      'https://www.ecfr.gov/current/title-47/section-2.926 (FCC ID = grantee code + equipment product code); https://www.fcc.gov/oet/ea/granteecode (5-character grantee codes)',
  },
  {
    region: 'US',
    key: 'certificate.childrens_product_certificate',
    value: {
      label: "Children's Product Certificate (CPC)",
      required: ['issuer', 'product', 'issuedOn'],
    },
    effectiveFrom: UNDATED,
    source: 'https://www.ecfr.gov/current/title-16/part-1110 (CPC content: product, rules, importer, testing lab)',
  },
  {
    region: 'US',
    key: 'certificate.brand_authorization',
    value: { label: 'Brand authorization letter', required: ['issuer', 'product', 'expiresOn'] },
    effectiveFrom: UNDATED,
    source:
      'seller-us.tiktok.com "Applying for Category Permission" (2025-01-31): brand qualification in Seller Center > Qualification Center',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'certificate.other',
    value: { label: 'Other document', required: ['issuer'] },
    effectiveFrom: UNDATED,
    source: 'product decision: anything the reviewer asks for that no row names',
  },
];

export type CertificateType = string;

export const CERTIFICATE_TYPES: readonly string[] = CERTIFICATE_TYPE_ROWS.map((r) =>
  r.key.slice('certificate.'.length),
);

export function certificateTypeRule(type: string): PolicyRow<CertificateTypeRule> | undefined {
  return CERTIFICATE_TYPE_ROWS.find((r) => r.key === `certificate.${type}`);
}

/**
 * TikTok's upload limits for what a certification carries: images through Upload Product Image (`use_case`
 * CERTIFICATION_IMAGE; ≤10 MB, 100–20000 px a side), PDFs through Upload Product File (≤20 MB). The vault keeps
 * HEIC, BMP and WebP out: the reviewer opens the documents in a browser, and TikTok's reviewers see PDFs and photos.
 */
export const CERTIFICATE_UPLOAD_LIMITS = {
  'application/pdf': { maxBytes: 20 * 1024 * 1024 },
  'image/png': { maxBytes: 10 * 1024 * 1024, minSide: 100, maxSide: 20_000 },
  'image/jpeg': { maxBytes: 10 * 1024 * 1024, minSide: 100, maxSide: 20_000 },
} as const satisfies Record<string, { maxBytes: number; minSide?: number; maxSide?: number }>;
export const CERTIFICATE_UPLOAD_SOURCE =
  'https://partner.tiktokshop.com/docv2/page/upload-product-image-202309; https://partner.tiktokshop.com/docv2/page/upload-product-file-202309 (docs/tiktok-shop-api-sources.md §7.2)';

export type CertificateMimeType = keyof typeof CERTIFICATE_UPLOAD_LIMITS;

/** Why a file (its type and pixel size read from its content) cannot be a certificate: 'type', 'size' or 'dimensions'. */
export function certificateFileProblem(
  content: { mimeType: string; width?: number; height?: number } | undefined,
  sizeBytes: number,
): { reason: 'type' | 'size' | 'dimensions'; message: string } | undefined {
  const limits =
    content &&
    (CERTIFICATE_UPLOAD_LIMITS as Record<string, { maxBytes: number; minSide?: number; maxSide?: number }>)[
      content.mimeType
    ];
  if (!content || !limits) {
    return {
      reason: 'type',
      message: `${content ? content.mimeType : 'this content'} is not a certificate document: the bytes must be a PDF, PNG or JPEG (checked by content, not by name or Content-Type)`,
    };
  }
  if (sizeBytes > limits.maxBytes) {
    return {
      reason: 'size',
      message: `a ${content.mimeType} certificate has at most ${limits.maxBytes} bytes (TikTok's upload limit); this one has ${sizeBytes}`,
    };
  }
  if (limits.minSide !== undefined && limits.maxSide !== undefined) {
    const sides = [content.width ?? 0, content.height ?? 0];
    if (sides.some((s) => s < limits.minSide! || s > limits.maxSide!)) {
      return {
        reason: 'dimensions',
        message: `certificate images must be ${limits.minSide}–${limits.maxSide} px a side (TikTok's CERTIFICATION_IMAGE); this one is ${sides.join(' × ')}`,
      };
    }
  }
  return undefined;
}

/** What the uploader enters about a document. Dates are calendar days (YYYY-MM-DD). */
export interface CertificateMetadata {
  documentType: string;
  issuer?: string;
  product?: string;
  lot?: string;
  identifier?: string;
  issuedOn?: string;
  expiresOn?: string;
  /** The restricted categories it is meant for (policy/categoryRequirements.ts keys), optional. */
  categories?: string[];
  note?: string;
}

export interface CertificateProblem {
  field: keyof CertificateMetadata;
  message: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** Days from `asOf`'s UTC day to the expiry day (negative once expired); a document is valid through its expiry day. */
export function daysUntilExpiry(expiresOn: string, asOf: Date): number {
  const today = Date.parse(`${asOf.toISOString().slice(0, 10)}T00:00:00Z`);
  return Math.round((Date.parse(`${expiresOn}T00:00:00Z`) - today) / DAY_MS);
}
const validDay = (s: string) => DAY.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/** The identifier as it is stored: the rule's ignored characters dropped, upper-cased where the format is. */
export function normalizeIdentifier(rule: CertificateTypeRule, identifier: string): string {
  const id = rule.identifier;
  let out = identifier.trim();
  if (id?.ignore) out = [...id.ignore].reduce((s, ch) => s.split(ch).join(''), out);
  if (id?.pattern) out = out.toUpperCase();
  return out;
}

/**
 * Everything wrong with the metadata (empty: valid): an unknown type, missing required fields, an identifier not in
 * its format, impossible dates, an expiry before the issue date.
 */
export function validateCertificateMetadata(m: CertificateMetadata): CertificateProblem[] {
  const row = certificateTypeRule(m.documentType);
  if (!row) {
    return [
      {
        field: 'documentType',
        message: `unknown document type "${m.documentType}": one of ${CERTIFICATE_TYPES.join(', ')}`,
      },
    ];
  }
  const rule = row.value;
  const problems: CertificateProblem[] = [];
  for (const field of rule.required) {
    if (!m[field]?.trim()) problems.push({ field, message: `${rule.label} needs ${field}` });
  }
  if (m.identifier?.trim()) {
    const id = normalizeIdentifier(rule, m.identifier);
    const pattern = rule.identifier?.pattern ? new RegExp(rule.identifier.pattern) : FREE_IDENTIFIER;
    if (!pattern.test(id)) {
      const what = rule.identifier
        ? `a valid ${rule.identifier.label} (e.g. ${rule.identifier.example})`
        : 'a valid identifier';
      problems.push({
        field: 'identifier',
        message: `"${m.identifier}" is not ${what}${row.uncertain ? ' (format unverified)' : ''}`,
      });
    }
  }
  for (const field of ['issuedOn', 'expiresOn'] as const) {
    const day = m[field];
    if (day !== undefined && day !== '' && !validDay(day)) {
      problems.push({ field, message: `${field} must be a calendar day YYYY-MM-DD, not "${day}"` });
    }
  }
  if (m.issuedOn && m.expiresOn && validDay(m.issuedOn) && validDay(m.expiresOn) && m.expiresOn <= m.issuedOn) {
    problems.push({ field: 'expiresOn', message: `expiresOn ${m.expiresOn} is not after issuedOn ${m.issuedOn}` });
  }
  return problems;
}
