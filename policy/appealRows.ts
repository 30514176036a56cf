/**
 * Suspension appeals as rows (issue 18): which notices this product appeals with the shop's own records, which it
 * refuses and where to go instead, and the appeal windows. Read by appeal/eligibility.ts; the workflow reads them
 * through an activity (activities/suspensionAppeal/eligibility.ts), so the row an appeal used is in its history.
 *
 * The refusal rule is a product decision, not a TikTok rule: a technical partner can answer operational violations
 * (late dispatch, tracking, cancellations) with order, warehouse and carrier records it holds, but not counterfeit,
 * intellectual-property or prohibited-product cases, which turn on supply-chain documents, licences and legal advice.
 */
import type { AppealCategory, AppealReferral, BreachType } from '../appeal/model';
import type { PolicyRow } from './table';

/** One category of notice: how it is recognised, whether we appeal it, what we tell the seller. */
export interface AppealCategoryRule {
  category: AppealCategory;
  appealable: boolean;
  /** Breaches the appeal answers (appealable categories). */
  breachTypes: BreachType[];
  /** Words or policy names that identify the category in the notice's policy or reason (lower case, `_` or spaces). */
  match: string[];
  explanation: string;
  whereToGo: AppealReferral[];
}

const PRODUCT_DECISION = 'product decision (issue 18): a technical partner appeals operational violations only';

// seller-us "What To Do When You Receive A Violation": every violation is a ticket in Seller Center → Shop Health →
// Violation Records, appealed there before the deadline the ticket shows.
const VIOLATION_RECORDS: AppealReferral = {
  name: 'Seller Center → Shop Health → Violation Records',
  url: 'https://seller-us.tiktok.com/university/essay?knowledge_id=6291506660427575&lang=en',
  what: 'Open the violation ticket and use its Appeal button before the deadline the ticket shows.',
};
const IP_POLICY: AppealReferral = {
  name: 'TikTok Shop Intellectual Property Policy (US)',
  url: 'https://seller-us.tiktok.com/university/essay?knowledge_id=6837901778306818&lang=en',
  what: 'What TikTok accepts as proof of the right to sell the product or use the brand.',
};
const IP_RETRACTION: AppealReferral = {
  name: 'Ask the rights owner for a retraction',
  url: 'https://seller-th.tiktok.com/university/essay?knowledge_id=2868427963336450&lang=en',
  what: 'A notice filed in error can be withdrawn by the rights owner who filed it; TikTok also takes an appeal with a licence or authorisation.',
};
const LEGAL_ADVICE: AppealReferral = {
  name: 'An intellectual-property attorney',
  url: 'https://seller-us.tiktok.com/university/essay?knowledge_id=6837901778306818&lang=en',
  what: 'TikTok’s policy itself recommends independent legal advice for questions of US IP law.',
};

const RULES: AppealCategoryRule[] = [
  {
    category: 'counterfeit',
    appealable: false,
    breachTypes: [],
    match: [
      'counterfeit',
      'fake goods',
      'fake product',
      'replica',
      'inauthentic',
      'non authentic',
      'knockoff',
      'knock off',
      'authenticity',
    ],
    explanation:
      'A counterfeit finding is about where the goods came from, not about how orders were handled: it is answered ' +
      'with invoices and authorisation letters from the brand or its authorised distributors, which this product does ' +
      'not hold. We do not draft this appeal; a Plan of Action built from dispatch records would not address it.',
    whereToGo: [VIOLATION_RECORDS, IP_POLICY, LEGAL_ADVICE],
  },
  {
    category: 'intellectual_property',
    appealable: false,
    breachTypes: [],
    match: ['intellectual property', 'ipr', 'trademark', 'copyright', 'patent', 'infringement', 'infringing'],
    explanation:
      'An intellectual-property case turns on rights (a licence, an authorisation, a retraction by the rights owner), ' +
      'not on the shop’s operations. This product holds no evidence for it and does not draft this appeal.',
    whereToGo: [IP_RETRACTION, VIOLATION_RECORDS, IP_POLICY, LEGAL_ADVICE],
  },
  {
    category: 'prohibited_product',
    appealable: false,
    breachTypes: [],
    match: ['prohibited', 'restricted product', 'restricted item', 'banned product', 'product compliance'],
    explanation:
      'A prohibited or restricted product is a listing and compliance question: remove or correct the listing and ' +
      'appeal with the product’s compliance documents (certificates, lab reports). Order records do not answer it, ' +
      'so this product does not draft this appeal.',
    whereToGo: [VIOLATION_RECORDS],
  },
  {
    category: 'late_dispatch',
    appealable: true,
    breachTypes: ['late_dispatch'],
    match: ['late dispatch', 'ldr', 'dispatch rate', 'late shipment', 'shipping late', 'dispatch sla'],
    explanation:
      'Late dispatch is an operational metric: the appeal is drafted from our own dispatch records (warehouse ' +
      'hand-off, shipment, carrier scan, escalations) and what has changed since.',
    whereToGo: [VIOLATION_RECORDS],
  },
  {
    category: 'valid_tracking',
    appealable: true,
    breachTypes: ['valid_tracking'],
    match: ['valid tracking', 'vtr', 'tracking rate', 'invalid tracking', 'tracking number'],
    explanation:
      'Valid tracking is an operational metric: the appeal is drafted from the carrier scans our records hold and ' +
      'what has changed since.',
    whereToGo: [VIOLATION_RECORDS],
  },
  {
    category: 'seller_fault_cancellation',
    appealable: true,
    breachTypes: ['seller_fault_cancellation'],
    match: ['seller fault cancellation', 'sfcr', 'cancellation rate', 'seller cancellation', 'cancellations'],
    explanation:
      'Seller-fault cancellations are an operational metric: the appeal is drafted from the cancellations our ' +
      'records hold (stock-outs, missed SLAs) and what has changed since.',
    whereToGo: [VIOLATION_RECORDS],
  },
];

/** A notice whose policy none of the rules recognise: refused, since we cannot tell what would answer it. */
export const UNRECOGNISED_RULE: AppealCategoryRule = {
  category: 'unrecognised',
  appealable: false,
  breachTypes: [],
  match: [],
  explanation:
    'The notice names no operational metric this product measures (late dispatch, valid tracking, seller-fault ' +
    'cancellations), so it cannot draft a Plan of Action from the shop’s records. Appeal it in Seller Center, or ' +
    'correct the notice’s policy if it was entered wrongly.',
  whereToGo: [VIOLATION_RECORDS],
};

const DAY_MS = 86_400_000;
const APPEAL_GUIDELINES =
  'seller-th.tiktok.com "Appeal Guidelines for IPR Penalties": "For each violation, sellers can file up to two ' +
  'appeals. The first appeal must be filed within thirty (30) calendar days from the date the violation notification ' +
  'was issued. The second appeal must be filed within fifteen (15) calendar days after the rejection of the first ' +
  'appeal." https://seller-th.tiktok.com/university/essay?knowledge_id=6837794815887106&lang=en — a Thai page; the US ' +
  'page gives no number (the deadline is on each ticket: ' +
  'https://seller-us.tiktok.com/university/essay?knowledge_id=6291506660427575&lang=en), so the notice’s own ' +
  '`appealBy` wins where it is entered';

export const APPEAL_ROWS: PolicyRow[] = [
  ...RULES.map((rule): PolicyRow<AppealCategoryRule> => ({
    region: 'US',
    key: `appeals.category.${rule.category}`,
    value: rule,
    effectiveFrom: '2026-01-01',
    source: rule.appealable
      ? `${PRODUCT_DECISION}; the metric: seller-us guides as in policy/dispatchRows.ts and policy/accountHealthRows.ts`
      : `${PRODUCT_DECISION}; where to go: ${rule.whereToGo.map((w) => w.url).join(', ')}`,
  })),
  {
    region: 'US',
    key: 'appeals.firstAppealWindowMs',
    value: 30 * DAY_MS,
    effectiveFrom: '2025-06-18',
    source: APPEAL_GUIDELINES,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'appeals.secondAppealWindowMs',
    value: 15 * DAY_MS,
    effectiveFrom: '2025-06-18',
    source: APPEAL_GUIDELINES,
    uncertain: true,
  },
  // Thailand: the guidelines' own region, so its windows are confirmed there.
  ...(['appeals.firstAppealWindowMs', 'appeals.secondAppealWindowMs'] as const).map((key): PolicyRow<number> => ({
    region: 'TH',
    key,
    value: (key === 'appeals.firstAppealWindowMs' ? 30 : 15) * DAY_MS,
    effectiveFrom: '2025-06-18',
    source: APPEAL_GUIDELINES,
  })),
];

/** The category rules in the order they are tried: refusals first, so a counterfeit notice is never appealed. */
export const APPEAL_CATEGORY_KEYS = RULES.map((r) => `appeals.category.${r.category}`);
