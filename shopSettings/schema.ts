// Per-shop settings: the choices a seller makes (thresholds, offsets, who is paged) as opposed to platform rules,
// which are sourced rows in policy/. Every human-in-the-loop process reads them through the readShopSettings activity
// (activities/shopSettings/); people change them through PATCH /v1/shops/:shopId/settings, audited in
// shop_settings_changes (db/shopSettings.ts). Durations are `ms`-format strings ('48h', '30m', '2.5s'), so a demo shop
// compresses time by changing its settings, not the code. Workflows import only its types from here, and
// parseDuration from ./duration.ts: a value import would put zod into the workflow bundle (see
// test/unit/workflowBundle.test.ts).
import { z } from 'zod';

import { parseDuration } from './duration';

export { parseDuration };

/** An `ms`-format duration of at least `minMs`, refused with a zod issue at its own path otherwise. */
function duration(description: string, minMs = 1) {
  return z
    .string()
    .max(100)
    .superRefine((text, ctx) => {
      const parsed = parseDuration(text);
      if ('error' in parsed) ctx.addIssue({ code: 'custom', message: parsed.error });
      else if (parsed.ms < minMs) ctx.addIssue({ code: 'custom', message: `'${text}' is shorter than ${minMs} ms` });
    })
    .describe(description);
}

/** Distinct values (an issue at the repeated item); items whose key is undefined are not compared. */
function distinct<T>(key: (item: T) => string | number | undefined, what: string) {
  return (items: T[], ctx: z.RefinementCtx<T[]>) => {
    const seen = new Set<string | number>();
    items.forEach((item, i) => {
      const k = key(item);
      if (k === undefined) return;
      if (seen.has(k))
        ctx.addIssue({ code: 'custom', path: [i], message: `${what} ${JSON.stringify(k)} is listed twice` });
      seen.add(k);
    });
  };
}

/** Milliseconds of a duration; undefined for one that is not valid (refused at its own path). */
const msOf = (text: string): number | undefined => {
  const parsed = parseDuration(text);
  return 'ms' in parsed ? parsed.ms : undefined;
};

const names = (description: string, max: number) =>
  z
    .array(z.string().trim().min(1).max(200))
    .max(max)
    .superRefine(distinct((s: string) => s, 'the name'))
    .describe(description);

/** A person or role named in a plan (free text: the seller's own titles). */
const owner = (description: string) => z.string().trim().min(1).max(200).describe(description);

const escalationSchema = z
  .strictObject({
    beforeDeadline: duration("How long before the case's response deadline this escalation fires, e.g. '6h'."),
    severity: z
      .enum(['warning', 'critical'])
      .describe('How loud: the recipients of `paging[severity]` are named in the notification.'),
  })
  .describe('One escalation of an undecided case.');

/** Escalations or reminders at distinct offsets before a deadline, earliest first. */
const offsetsBeforeDeadline = (description: string) =>
  z
    .array(escalationSchema)
    .max(10)
    .superRefine(distinct((e: { beforeDeadline: string }) => msOf(e.beforeDeadline), 'the offset (ms)'))
    // Earliest first (the longest offset fires first): the order a workflow sets its timers in.
    .overwrite((list) => [...list].sort((a, b) => (msOf(b.beforeDeadline) ?? 0) - (msOf(a.beforeDeadline) ?? 0)))
    .describe(description);

const autoApproveSchema = z
  .strictObject({
    enabled: z
      .boolean()
      .describe(
        'Whether requests that fit every rule below are approved without a person. Off until a seller opts in.',
      ),
    maxRefund: z
      .strictObject({
        amount: z
          .string()
          .regex(/^\d+(\.\d{1,2})?$/, "a decimal amount with at most two decimals, e.g. '25' or '25.00'")
          .describe("The largest refund (the return's refund_amount.refund_total) approved automatically, inclusive."),
        currency: z
          .string()
          .regex(/^[A-Z]{3}$/, "an ISO 4217 currency code, e.g. 'USD'")
          .describe('The currency of `amount`; a request in another currency goes to a person.'),
      })
      .describe('The refund limit of automatic approval.'),
    reasons: names(
      "TikTok `return_reason` names approved automatically (e.g. 'ecom_order_delivered_refund_and_return_reason_damaged_product'); " +
        'a request with any other reason goes to a person.',
      100,
    ),
    types: z
      .array(z.enum(['REFUND']))
      .max(1)
      .describe(
        "Return types approved automatically: only 'REFUND' (refund only, nothing shipped back); a return, or a " +
          'replacement, always goes to a person.',
      ),
  })
  .superRefine((auto, ctx) => {
    // Enabled with nothing that can match would look switched on while approving nothing.
    if (!auto.enabled) return;
    if (Number(auto.maxRefund.amount) === 0)
      ctx.addIssue({
        code: 'custom',
        path: ['maxRefund', 'amount'],
        message: 'auto-approve is enabled: set a limit above 0',
      });
    if (auto.reasons.length === 0)
      ctx.addIssue({ code: 'custom', path: ['reasons'], message: 'auto-approve is enabled: list at least one reason' });
    if (auto.types.length === 0)
      ctx.addIssue({ code: 'custom', path: ['types'], message: "auto-approve is enabled: list the type 'REFUND'" });
  })
  .describe('Low-value refund automation: approve a refund-only request under a limit for listed reasons.');

/** A commission rate in hundredths of a percent, as TikTok sends them (1500 = 15%; open collaborations: 1%-80%). */
const commissionRate = (description: string) => z.number().int().min(100).max(8000).describe(description);

const affiliateSettingsSchema = z
  .strictObject({
    targets: z
      .strictObject({
        maxReturnToOriginRate: z
          .number()
          .min(0)
          .max(1)
          .describe(
            "The largest share of a creator's shipped orders that may come back to us undelivered (the carrier's " +
              'return_to_sender), e.g. 0.1; a creator above it fails the vetting.',
          ),
        minGmvPerView: z
          .number()
          .min(0)
          .describe(
            "The smallest GMV per view (TikTok's GPM / 1000, in the shop's currency) a creator must reach, e.g. 0.02.",
          ),
        minOrders: z
          .number()
          .int()
          .min(1)
          .max(100_000)
          .describe('Orders a creator needs in the period before the return-to-origin rate is judged.'),
      })
      .describe("The shop's targets for the creators it works with (affiliate audit vetting)."),
    plan: z
      .strictObject({
        commissionRate: commissionRate(
          'The rate (1/100 %) offered to creators who pass the vetting in the Targeted Plan the audit builds.',
        ),
        reducedRate: commissionRate(
          'The rate (1/100 %) proposed for a creator of a target collaboration who fails the vetting.',
        ),
        maxCreators: z
          .number()
          .int()
          .min(1)
          .max(50)
          .describe('At most this many creators per Targeted Plan (Create Target Collaboration takes up to 50).'),
        contactEmail: z
          .string()
          .regex(/^[^@\s]+@[^@\s]+$/, 'an e-mail address')
          .max(200)
          .describe(
            "The seller's contact creators see on the plan (Create Target Collaboration's seller_contact_info).",
          ),
      })
      .describe('The Targeted Plan the audit proposes for creators who pass the vetting.'),
    decisionWindow: duration("How long an audit's proposed actions wait for a person before they expire."),
    weeklyLookback: duration(
      "How many whole days before its firing's day the weekly audit covers (default '7d'; '21d' reaches back three weeks).",
      86_400_000,
    ).refine((text) => (msOf(text) ?? 0) % 86_400_000 === 0 && (msOf(text) ?? 0) <= 93 * 86_400_000, {
      message: "whole days, at most '93d'",
    }),
    maxActionsPerAudit: z
      .number()
      .int()
      .min(1)
      .max(200)
      .describe('At most this many actions per audit are put to a person (largest money at stake first).'),
  })
  .describe('Affiliate commission audits (the affiliateAudit workflow).');

/** An IANA time zone name the runtime knows (Intl), e.g. 'America/New_York'. */
const ianaTimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(
    (name) => {
      try {
        new Intl.DateTimeFormat('en-US', { timeZone: name });
        return true;
      } catch {
        return false;
      }
    },
    { message: "an IANA time zone name, e.g. 'America/New_York'" },
  );

const taxSettingsSchema = z
  .strictObject({
    engine: z
      .enum(['none', 'avatax', 'taxjar'])
      .describe(
        "The tax engine an approved month's seller-owed transactions are committed to ('none': the report only); " +
          'the filing service (AvaTax Managed Returns, TaxJar AutoFile) files from it.',
      ),
    timeZone: ianaTimeZone
      .nullable()
      .describe(
        "The time zone of the shop's tax months (when a month begins and ends, and when its report is made); " +
          "null: the shop's region's (policy/regions.ts, 'America/Los_Angeles' in the US).",
      ),
    scheduleHour: z
      .number()
      .int()
      .min(0)
      .max(23)
      .describe("The hour of the 1st of each month, in the shop's tax time zone, the month before is reported."),
    approvalWindow: duration(
      "How long a month's report waits for a person's approval before it expires (uncommitted), e.g. '10d'.",
    ),
  })
  .describe('Monthly sales-tax reports (the monthlyTaxReport workflow and its Schedule).');

export const shopSettingsSchema = z
  .strictObject({
    returns: z
      .strictObject({
        autoApprove: autoApproveSchema,
        escalations: offsetsBeforeDeadline(
          'Escalations of a case nobody has decided yet, at offsets before its response deadline.',
        ),
        criticalBeforeDeadline: duration(
          'An undecided case pages as critical this long before its response deadline (default 1h).',
        ),
      })
      .describe('Return and refund requests (the returnRequest workflow).'),
    disputes: z
      .strictObject({
        reminders: offsetsBeforeDeadline(
          'Reminders of a chargeback or appeal whose evidence is not yet submitted in Seller Center, at offsets ' +
            "before its deadline (the notice's, or 21 days from a dispute decision).",
        ),
        outcomeExpectedWithin: duration(
          'After the submission, how long until a missing outcome is flagged (one warning; the case keeps waiting).',
        ),
      })
      .describe('Chargebacks and appeals of decided disputes (the chargeback and disputeAppeal workflows).'),
    suspensionAppeals: z
      .strictObject({
        reviewWithin: duration(
          'How long a person has to approve (or edit, then approve) a drafted Plan of Action before the appeal ' +
            "expires; never past the appeal window's close.",
        ),
        reminders: offsetsBeforeDeadline(
          'Reminders of an approved appeal not yet recorded as submitted in Seller Center, at offsets before the ' +
            'appeal window closes (policy/appealRows.ts).',
        ),
        decisionExpectedWithin: duration(
          "After the submission, how long until a missing decision of TikTok's is flagged (one warning; the appeal " +
            'keeps waiting).',
        ),
      })
      .describe('Appeals of account suspensions with a Plan of Action (the suspensionAppeal workflow).'),
    paging: z
      .strictObject({
        warning: names('Who is paged for a warning (named in the notification).', 20),
        critical: names('Who is paged for a critical escalation (named in the notification).', 20).refine(
          (list) => list.length > 0,
          'name at least one recipient of critical pages',
        ),
      })
      .describe('Who is paged, per severity.'),
    reconciliation: z
      .strictObject({
        returnsEvery: duration(
          "How often the shop's returns are searched for changes a dropped webhook did not bring (at least 1s).",
          1000,
        ),
      })
      .describe('Reconciliation Schedules of the shop.'),
    affiliate: affiliateSettingsSchema,
    carrierTracking: z
      .strictObject({
        trackAtShipment: z
          .boolean()
          .describe(
            "Whether each package's carrier tracker (EasyPost) is created when the order ships, so its scans " +
              'arrive by webhook from the start; off: a tracker is created when a case needs the history.',
          ),
      })
      .describe('Carrier tracking through EasyPost (docs/easypost-tracking.md).'),
    appealPlan: z
      .strictObject({
        owners: z
          .strictObject({
            warehouse: owner('Answers for hand-off and packing controls (ready to ship on time).'),
            shipping: owner('Answers for carrier pickup and tracking controls (first scan, valid tracking).'),
            inventory: owner('Answers for stock and feed controls (no sale of stock that is not there).'),
            operations: owner('Answers for escalations and the daily account-health review.'),
          })
          .describe("Who owns each kind of preventive control in a suspension appeal's Plan of Action."),
      })
      .describe('What a suspension appeal’s Plan of Action names (appeal/planOfAction.ts).'),
    ungating: z
      .strictObject({
        documentsWithin: duration('How long a category application waits for the missing documents (or a fix).'),
        submitWithin: duration("How long the packet waits to be submitted in Seller Center's Qualification Center."),
        decisionWithin: duration("How long after the submission TikTok's decision is awaited."),
        auditWithin: duration('How long the product audits that attaching certifications starts are followed.'),
        maxAttempts: z
          .number()
          .int()
          .min(1)
          .max(10)
          .describe('Submissions per application before a rejection ends it (each rejection opens a fix step).'),
        requalifyBefore: duration(
          'How long before the earliest document of an approved category expires re-qualification starts.',
        ),
      })
      .describe('Category applications (the categoryUngating workflow).'),
    tax: taxSettingsSchema,
  })
  .describe("A shop's settings: the choices its seller makes.");

export type ShopSettings = z.output<typeof shopSettingsSchema>;

/** The defaults are shared by every caller: frozen, so nobody changes them for everyone by mistake. */
function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) {
    for (const inner of Object.values(value)) deepFreeze(inner);
    Object.freeze(value);
  }
  return value;
}

/**
 * What a shop that never changed anything gets. Conservative: nothing is approved without a person until the seller
 * opts in; undecided cases escalate at 24 h and 6 h, and page as critical 1 h, before their deadline. Dispute evidence
 * not yet submitted is reminded 72 h and 24 h before its deadline, and paged as critical 4 h before it. Carrier
 * trackers are created when a case needs one, not at every shipment (each EasyPost tracker is billed). A month's tax
 * report is made on the 1st at 06:00 in the region's time zone, waits 10 days for approval and is committed nowhere
 * until the seller names a tax engine.
 */
export const DEFAULT_SHOP_SETTINGS: ShopSettings = deepFreeze<ShopSettings>({
  returns: {
    autoApprove: { enabled: false, maxRefund: { amount: '0', currency: 'USD' }, reasons: [], types: ['REFUND'] },
    escalations: [
      { beforeDeadline: '24h', severity: 'warning' },
      { beforeDeadline: '6h', severity: 'warning' },
    ],
    criticalBeforeDeadline: '1h',
  },
  disputes: {
    reminders: [
      { beforeDeadline: '72h', severity: 'warning' },
      { beforeDeadline: '24h', severity: 'warning' },
      { beforeDeadline: '4h', severity: 'critical' },
    ],
    outcomeExpectedWithin: '75d',
  },
  suspensionAppeals: {
    reviewWithin: '48h',
    reminders: [
      { beforeDeadline: '72h', severity: 'warning' },
      { beforeDeadline: '24h', severity: 'warning' },
      { beforeDeadline: '4h', severity: 'critical' },
    ],
    decisionExpectedWithin: '14d',
  },
  paging: { warning: ['operations'], critical: ['operations', 'owner'] },
  reconciliation: { returnsEvery: '15m' },
  affiliate: {
    targets: { maxReturnToOriginRate: 0.1, minGmvPerView: 0.02, minOrders: 5 },
    plan: { commissionRate: 1500, reducedRate: 1000, maxCreators: 50, contactEmail: 'affiliates@example.com' },
    decisionWindow: '7d',
    weeklyLookback: '7d',
    maxActionsPerAudit: 20,
  },
  carrierTracking: { trackAtShipment: false },
  appealPlan: {
    owners: {
      warehouse: 'Warehouse lead',
      shipping: 'Shipping coordinator',
      inventory: 'Inventory manager',
      operations: 'Operations lead',
    },
  },
  ungating: {
    documentsWithin: '14d',
    submitWithin: '7d',
    decisionWithin: '30d',
    auditWithin: '7d',
    maxAttempts: 4,
    requalifyBefore: '30d',
  },
  tax: { engine: 'none', timeZone: null, scheduleHour: 6, approvalWindow: '10d' },
});

type DeepPatch<T> = T extends readonly unknown[]
  ? T | null
  : T extends object
    ? { [K in keyof T]?: DeepPatch<T[K]> | null }
    : T | null;

/** A change of settings: any subset of the fields; `null` puts a field back to its default. */
export type ShopSettingsPatch = DeepPatch<ShopSettings>;

const isPlainObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

// Settings are JSON (a request body, a jsonb column): a JSON round trip copies them.
const cloneJson = <T>(v: T): T => (v === undefined ? v : (JSON.parse(JSON.stringify(v)) as T));

/** Whether two JSON values are equal (object keys in any order). */
export function sameJson(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  }
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && sameJson(a[k], b[k]));
  }
  return a === b;
}

function mergeAt(base: unknown, patch: unknown, defaults: unknown): unknown {
  if (patch === undefined) return cloneJson(base);
  if (patch === null) return cloneJson(defaults);
  // Arrays (reasons, escalations, recipients) are replaced whole: a list is one choice, not elements to merge into.
  if (!isPlainObject(patch) || !isPlainObject(base)) return cloneJson(patch);
  const out: Record<string, unknown> = cloneJson(base);
  const defaultsObject = isPlainObject(defaults) ? defaults : {};
  for (const [key, value] of Object.entries(patch)) {
    const own = (o: Record<string, unknown>) => (Object.hasOwn(o, key) ? o[key] : undefined);
    const merged = mergeAt(own(base), value, own(defaultsObject));
    if (merged === undefined) delete out[key];
    // defineProperty: a JSON key "__proto__" stays a key (refused as unknown by the strict schema), not a prototype.
    else Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
  }
  return out;
}

/**
 * `patch` applied over `base`: objects merge key by key, arrays and other values replace, `null` restores the
 * default. Not validated: parse the result with shopSettingsSchema (a patch may hold anything).
 */
export function mergeShopSettings(base: ShopSettings, patch: ShopSettingsPatch | undefined): ShopSettings {
  return mergeAt(base, patch, DEFAULT_SHOP_SETTINGS) as ShopSettings;
}

/**
 * The settings a shop runs with: its stored settings (undefined: it never changed any) over the defaults, so a field
 * added after the shop last saved takes its default. Throws when the stored settings no longer validate.
 */
export function effectiveShopSettings(stored: unknown): ShopSettings {
  const merged = mergeShopSettings(DEFAULT_SHOP_SETTINGS, isPlainObject(stored) ? stored : undefined);
  return shopSettingsSchema.parse(merged);
}

/** The dotted paths of the settings that differ between `before` and `after` (a list counts as one setting). */
export function changedPaths(before: unknown, after: unknown, prefix = ''): string[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) =>
      changedPaths(
        Object.hasOwn(before, key) ? before[key] : undefined,
        Object.hasOwn(after, key) ? after[key] : undefined,
        prefix ? `${prefix}.${key}` : key,
      ),
    );
  }
  return sameJson(before, after) ? [] : [prefix];
}
