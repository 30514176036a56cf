/**
 * What a category application needs, per restricted US category (issue 19 item 2). A gated category
 * (`INVITE_ONLY` in Get Categories' `permission_statuses`) makes Get Category Rules refuse (12052223 / 12052226), so
 * the application's documents cannot be read from the API (ref §7.3 in docs/tiktok-shop-api-sources.md): they come
 * from these rows, plus what the operator adds. TikTok's guide names the 13 categories but not, per category, the
 * documents; rows whose documents no public page confirms are `uncertain` and say so to the operator.
 * Document types are policy/certificateRules.ts's.
 */
import { CERTIFICATE_TYPES } from './certificateRules';
import type { PolicyRow } from './table';

export interface RequiredDocument {
  documentType: string;
  /** Why the reviewer asks for it. */
  why: string;
  /** Only for some products of the category (the operator decides whether it applies). */
  conditional?: string;
}

export interface CategoryRequirement {
  label: string;
  documents: RequiredDocument[];
}

const GUIDE =
  'seller-us.tiktok.com "Your Guide to Category Qualification" (2025-09-18): the category needs qualification';
const GUIDE_DATE = '2025-09-18';

const row = (
  category: string,
  label: string,
  documents: RequiredDocument[],
  source: string,
  uncertain = true,
): PolicyRow<CategoryRequirement> => ({
  region: 'US',
  key: `category.${category}`,
  value: { label, documents },
  effectiveFrom: GUIDE_DATE,
  source,
  ...(uncertain ? { uncertain } : {}),
});

const brand: RequiredDocument = {
  documentType: 'brand_authorization',
  why: 'selling a brand the shop does not own',
  conditional: 'products of a brand the seller does not own',
};
const cpc: RequiredDocument = {
  documentType: 'childrens_product_certificate',
  why: 'children’s products need a CPC based on third-party testing (16 CFR 1110)',
};
const fcc: RequiredDocument = {
  documentType: 'fcc_authorization',
  why: 'radio-frequency devices need an FCC authorization (47 CFR 2.901)',
  conditional: 'products that emit radio frequencies (Wi-Fi, Bluetooth, chargers)',
};
const ul: RequiredDocument = {
  documentType: 'ul_certificate',
  why: 'safety certification of mains-powered and battery products',
  conditional: 'mains-powered products and lithium batteries',
};
const coa: RequiredDocument = { documentType: 'certificate_of_analysis', why: 'third-party lab test of the lot' };
const foodFacility: RequiredDocument = {
  documentType: 'fda_food_facility_registration',
  why: 'the manufacturer’s FDA food facility registration (21 CFR 1.225)',
};

/** Keys `category.<word>`; the 13 categories of TikTok's guide (US). */
export const CATEGORY_REQUIREMENT_ROWS: PolicyRow<CategoryRequirement>[] = [
  row('dietary_supplements', 'Dietary Supplements', [coa, foodFacility, brand], `${GUIDE}; lab reports per product`),
  row(
    'beauty_personal_care',
    'Beauty & Personal Care',
    [coa, { documentType: 'fda_cosmetic_listing', why: 'MoCRA product listing (21 U.S.C. 364c)' }, brand],
    GUIDE,
  ),
  row('food_beverage', 'Food & Beverage (shelf-stable)', [coa, foodFacility, brand], GUIDE),
  row(
    'medical_devices',
    'Medical Devices & Supplies',
    [
      {
        documentType: 'fda_device_establishment_registration',
        why: 'the establishment’s FDA registration (21 CFR 807)',
      },
      brand,
    ],
    GUIDE,
  ),
  row('electronics', 'Electronics', [fcc, ul, brand], GUIDE),
  row('household_appliances', 'Household Appliances', [ul, fcc, brand], GUIDE),
  row('toys_hobbies', 'Toys & Hobbies', [cpc, brand], `${GUIDE}; https://www.ecfr.gov/current/title-16/part-1110`),
  row('baby_maternity', 'Baby & Maternity', [cpc, brand], `${GUIDE}; https://www.ecfr.gov/current/title-16/part-1110`),
  row('kids_fashion', "Kids' Fashion", [cpc, brand], `${GUIDE}; https://www.ecfr.gov/current/title-16/part-1110`),
  row('automotive_parts', 'Automotive Parts', [brand], GUIDE),
  row(
    'live_plants',
    'Live Plants',
    [{ documentType: 'other', why: 'state phytosanitary certificate or nursery license' }],
    GUIDE,
  ),
  row('pet_supplies', 'Pet Supplies', [brand], GUIDE),
  row('sports_outdoor', 'Sports & Outdoor', [brand], GUIDE),
];

export const RESTRICTED_CATEGORIES: readonly string[] = CATEGORY_REQUIREMENT_ROWS.map((r) =>
  r.key.slice('category.'.length),
);

/** The category's requirement row, or undefined for a category no row names. */
export function categoryRequirement(category: string): PolicyRow<CategoryRequirement> | undefined {
  return CATEGORY_REQUIREMENT_ROWS.find((r) => r.key === `category.${category}`);
}

/** A vault document as the check needs it (db/certificates.ts rows map onto it). */
export interface VaultDocument {
  certificateId: string;
  documentType: string;
  /** YYYY-MM-DD, or undefined when the document does not expire. */
  expiresOn?: string;
  /** Deleted documents do not count. */
  deleted?: boolean;
}

export interface MissingDocument {
  documentType: string;
  why: string;
  conditional?: string;
  /** `absent`: no document of the type; `expired`: every one has expired (the latest is named). */
  reason: 'absent' | 'expired';
  expiredOn?: string;
  certificateId?: string;
}

export interface DocumentCheck {
  /** Each required type with the document that covers it (the one valid longest). */
  satisfied: { documentType: string; certificateId: string; expiresOn?: string }[];
  missing: MissingDocument[];
}

/**
 * What the application lacks at `at`: for each required document type, a vault document of that type that has not
 * expired (a document is valid through its expiry day, UTC), else why not. Conditional documents are required as
 * listed: the operator removes one that does not apply from the requirements before the check.
 */
export function missingDocuments(
  requirements: readonly RequiredDocument[],
  documents: readonly VaultDocument[],
  at: Date,
): DocumentCheck {
  const today = at.toISOString().slice(0, 10);
  const result: DocumentCheck = { satisfied: [], missing: [] };
  const seen = new Set<string>();
  for (const req of requirements) {
    if (seen.has(req.documentType)) continue;
    seen.add(req.documentType);
    const ofType = documents.filter((d) => d.documentType === req.documentType && !d.deleted);
    const valid = ofType
      .filter((d) => d.expiresOn === undefined || d.expiresOn >= today)
      // Longest valid first; a document without expiry outlasts any dated one.
      .sort((a, b) => ((a.expiresOn ?? '9999-12-31') < (b.expiresOn ?? '9999-12-31') ? 1 : -1))[0];
    if (valid) {
      result.satisfied.push({
        documentType: req.documentType,
        certificateId: valid.certificateId,
        ...(valid.expiresOn ? { expiresOn: valid.expiresOn } : {}),
      });
      continue;
    }
    const latest = ofType.sort((a, b) => ((a.expiresOn ?? '') < (b.expiresOn ?? '') ? 1 : -1))[0];
    const base = {
      documentType: req.documentType,
      why: req.why,
      ...(req.conditional ? { conditional: req.conditional } : {}),
    };
    result.missing.push(
      latest
        ? { ...base, reason: 'expired', expiredOn: latest.expiresOn, certificateId: latest.certificateId }
        : { ...base, reason: 'absent' },
    );
  }
  return result;
}

/** Rows that name a document type the vault does not know (a test keeps this empty). */
export function unknownDocumentTypes(rows = CATEGORY_REQUIREMENT_ROWS): string[] {
  return rows
    .flatMap((r) => r.value.documents.map((d) => d.documentType))
    .filter((t) => !CERTIFICATE_TYPES.includes(t));
}
