/**
 * Account health regimes as sourced, effective-dated rows (issue 17): the US Account Health Rating and the 48-point
 * system of the regions that use it, the fulfilment metrics the dispatch rows do not cover (on-time delivery, response
 * rate), and the reserve levels driven by the metrics. The LDR, VTR and SFCR thresholds and windows are in
 * policy/dispatchRows.ts. Values the reference gives no official source for carry `uncertain: true` and every
 * account-health output shows them as "unverified" (accountHealth/index.ts). Read by computeAccountHealth.
 */
import type { PolicyRow } from './table';

const AHR =
  'seller-us.tiktok.com "Account Health Rating Requirements" (updated 2026-04-08), as cited by https://warptok.com (AHR guide); https://www.tktk.com (AHR launch for US cross-border)';
const TOKHQ = 'https://tokhq.io/account-health (3p)';
const TH_POINTS = 'seller-th.tiktok.com "Violation Reasons, Points & Enforcement Actions" (O)';
const SELLEROPS = 'https://sellerops.io (3p)';
const CS_POLICY = 'US Customer Service Policy change log, https://staging.polici.net (O via diff service)';
const UNDATED = '2023-09-01';
const AHR_FROM = '2026-04-08';

/** Per-violation points of the 48-point system, as a range the notice falls within. */
export interface PointsRange {
  min: number;
  max: number;
}

export const ACCOUNT_HEALTH_ROWS: PolicyRow[] = [
  // --- US: Account Health Rating -----------------------------------------------------------------------
  {
    region: 'US',
    key: 'health.regime',
    value: 'us_ahr',
    effectiveFrom: AHR_FROM,
    source: `${AHR}: the US uses the AHR, not the 48-point system`,
  },
  {
    region: 'US',
    key: 'ahr.scale',
    value: { min: 0, max: 1000 },
    effectiveFrom: AHR_FROM,
    source: `${AHR}: a score from 0 to 1000`,
  },
  { region: 'US', key: 'ahr.start', value: 200, effectiveFrom: AHR_FROM, source: `${AHR}: new shops start at 200` },
  {
    region: 'US',
    key: 'ahr.window.days',
    value: 180,
    effectiveFrom: AHR_FROM,
    source: `${AHR}: the score reflects the last 180 days; ${TOKHQ}: 180-day rolling point expiry`,
  },
  {
    region: 'US',
    key: 'ahr.milestones',
    value: [150, 100, 50, 0],
    effectiveFrom: AHR_FROM,
    source: `${AHR}: enforcement milestones at 150 / 100 / 50 / 0 (0 = permanent deactivation)`,
  },
  {
    // Only the 0 milestone's consequence is in the official text; the others come from one third party.
    region: 'US',
    key: 'ahr.milestone.restrictions',
    value: {
      '150': '7-day listing restriction',
      '100': '14-day listing restriction',
      '50': '28-day listing restriction',
      '0': 'permanent deactivation',
    },
    effectiveFrom: AHR_FROM,
    source: `${TOKHQ}: 150 → 7-day, 100 → 14-day, 50 → 28-day listing restriction; ${AHR}: 0 = permanent deactivation`,
    uncertain: true,
  },
  {
    // No public table of US points per violation: the person enters the points the Seller Center notice states.
    region: 'US',
    key: 'ahr.violationPoints',
    value: null,
    effectiveFrom: AHR_FROM,
    source: `${AHR}: violations cost points; no public per-violation value (enter the points the notice states)`,
    uncertain: true,
  },
  {
    // Fulfilled orders and passed policy quizzes earn points, at a rate nobody publishes: not modelled (0), so the
    // rating shown is start − active violation points, a floor of what Seller Center shows.
    region: 'US',
    key: 'ahr.earnedPoints.perDeliveredOrder',
    value: 0,
    effectiveFrom: AHR_FROM,
    source: `${AHR}: fulfilled orders and passed policy quizzes earn points; how many is not published (not modelled)`,
    uncertain: true,
  },

  // --- 48-point regime (SEA and other regions) --------------------------------------------------------------
  {
    region: 'TH',
    key: 'health.regime',
    value: 'points48',
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: 48-point system`,
  },
  {
    region: 'TH',
    key: 'points48.milestones',
    value: [48],
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: reaching 48 points means deactivation`,
  },
  {
    region: 'TH',
    key: 'points48.milestone.restrictions',
    value: { '48': 'deactivation' },
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: reaching 48 points means deactivation`,
  },
  {
    region: 'TH',
    key: 'points48.violationPoints',
    value: {
      seller_fault_cancellation_rate: { min: 2, max: 4 },
      late_dispatch_rate: { min: 2, max: 4 },
      snad: { min: 1, max: 48 },
      reproduced_content: { min: 48, max: 48 },
    } satisfies Record<string, PointsRange>,
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: high SFCR 2–4 points, high LDR 2–4, SNAD 1–48, reproduced content 48`,
  },
  {
    region: 'TH',
    key: 'points48.window.days',
    value: 180,
    effectiveFrom: UNDATED,
    source: `${TH_POINTS} states no expiry; 180-day rolling as in the US (${TOKHQ})`,
    uncertain: true,
  },
  {
    region: 'PH',
    key: 'health.regime',
    value: 'points48',
    effectiveFrom: UNDATED,
    source: `the 48-point system applies in SEA (https://warptok.com AHR guide); ${TH_POINTS} for its rules`,
    uncertain: true,
  },
  {
    region: 'PH',
    key: 'points48.milestones',
    value: [48],
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: 48 points = deactivation`,
    uncertain: true,
  },
  {
    region: 'PH',
    key: 'points48.milestone.restrictions',
    value: { '48': 'deactivation' },
    effectiveFrom: UNDATED,
    source: `${TH_POINTS}: 48 points = deactivation`,
    uncertain: true,
  },
  {
    region: 'PH',
    key: 'points48.window.days',
    value: 180,
    effectiveFrom: UNDATED,
    source: `${TOKHQ}: 180-day point expiry before June 2025`,
    uncertain: true,
  },
  {
    region: 'PH',
    key: 'points48.window.days',
    value: 90,
    effectiveFrom: '2025-06-01',
    source: `${TOKHQ}: the Philippines moved to a 90-day point expiry in June 2025`,
    uncertain: true,
  },

  // --- Metrics beyond dispatch (LDR, VTR, SFCR: policy/dispatchRows.ts) -------------------------------------
  {
    region: 'US',
    key: 'otdr.min',
    value: 0.8,
    effectiveFrom: UNDATED,
    source: `${SELLEROPS}: on-time delivery rate ≥80%`,
    uncertain: true,
  },
  {
    region: 'US',
    key: 'otdr.window.days',
    value: 30,
    effectiveFrom: UNDATED,
    source: 'Shop Performance Score: on-time delivery rate over 30 days (US Academy SPS guide via https://ppc.land)',
  },
  {
    region: 'US',
    key: 'response.sla.hours',
    value: 24,
    effectiveFrom: UNDATED,
    source: `${CS_POLICY}: reply within 24 hours`,
  },
  {
    region: 'US',
    key: 'response.recommendedMin',
    value: 0.9,
    effectiveFrom: UNDATED,
    source: 'https://eshoppick.com (3p): ≥90% response-rate target',
    uncertain: true,
  },
  {
    region: 'US',
    key: 'response.enforcementBelow',
    value: 0.85,
    effectiveFrom: UNDATED,
    source: 'https://eshoppick.com (3p): enforcement below 85%',
    uncertain: true,
  },

  // --- Reserves driven by the metrics ----------------------------------------------------------------------
  {
    region: 'US',
    key: 'reserve.levels',
    value: [
      { level: 1, metric: 'sfcr', above: 0.025, rate: 0.05 },
      { level: 2, metric: 'sfcr', above: 0.05, rate: 0.1 },
    ],
    effectiveFrom: '2025-01-22',
    source: `seller-us.tiktok.com "Reserve Policy" (2025-01-22): levels 0–3 driven by LDR/SFCR (levels: https://insights.dynogrowth.com, 3p); ${SELLEROPS}: SFCR > 2.5% → 5% reserve, > 5% → 10%; no LDR-driven level published`,
    uncertain: true,
  },

  // --- Our own product defaults ---------------------------------------------------------------------------
  {
    region: '*',
    key: 'health.warningMargin',
    value: 0.75,
    effectiveFrom: UNDATED,
    source: 'product decision: warn once a metric has used 75% of the room to its threshold',
  },
  {
    region: '*',
    key: 'health.forecastHorizon.days',
    value: 30,
    effectiveFrom: UNDATED,
    source: 'product decision: forecast the next 30 days',
  },
];
