/**
 * What a finished monthly tax report holds (issue 20 item 3), as stored in tax_reports.outputs and rendered to CSV
 * and PDF. Amounts are integer cents.
 */
import type { LineClass, ReportLine } from './classify';
import type { DayRange } from './nexus';
import type { StateReturnLine } from './returnLines';

export interface MustRegister {
  state: string;
  nexusFrom: string;
  mustRegisterBy: string;
  kind: 'economic' | 'physical';
}

export interface ReportNexusLine {
  state: string;
  nexusFrom?: string;
  nexusKind?: 'economic' | 'physical';
  mustRegisterBy?: string;
  /** Nexus was found but an earlier window was not covered by the history: it may have begun earlier. */
  mayBeEarlier: boolean;
  /** Stock days the state's marketplace relief excused (TX, NY). */
  relievedStock?: { from: string; to: string; relief: string };
}

export interface DifferenceRow {
  lineRef: string;
  orderId: string;
  lineId: string;
  state: string;
  zip: string;
  day: string;
  chargedCents: number;
  expectedCents: number;
  differenceCents: number;
}

export interface TaxReportOutputs {
  period: string;
  timeZone: string;
  rateTableVersion: string;
  /** Lines read, by class. */
  lines: number;
  byClass: Record<LineClass, number>;
  states: StateReturnLine[];
  nexus: ReportNexusLine[];
  mustRegister: MustRegister[];
  sellerOwed: { transactions: number; lines: number; taxDueCents: number; digest: string };
  differences: { count: number; overCents: number; underCents: number; digest: string };
  /** Day ranges the nexus tests needed that the history does not cover. */
  historyGaps: DayRange[];
  /** Plain sentences: unsourced or uncertain rules used, lines the rate table could not rate, method caveats. */
  flags: string[];
}

/** A seller-owed line kept for the commit (tax_report_seller_lines.line). */
export interface SellerOwedLineRecord {
  cls: Extract<LineClass, 'seller' | 'exempt'>;
  line: ReportLine;
}

export type TaxReportStatus = 'building' | 'draft' | 'approved' | 'committed' | 'rejected' | 'expired' | 'abandoned';
