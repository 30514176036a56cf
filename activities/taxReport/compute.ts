/**
 * `computeTaxReportStep`: the monthly tax report, built page by page (issue 20 item 3). The workflow calls it until
 * `done`; the month's lines never leave PostgreSQL except one page at a time here, and only counts, a cursor and the
 * summary go back to the workflow. Each page is classified (tax/classify.ts), added to the running totals
 * (tax/returnLines.ts), checked against the recomputed tax (tax/recompute.ts), and written in one transaction with
 * the new cursor (db/taxReports.ts savePage), so a retried call resumes after the last page written and never counts
 * a line twice. The last call reads the look-back's daily totals (one SQL aggregate), the stock presence, the
 * history coverage and the registrations, composes the report (tax/report.ts), stores its CSV and PDF in the file
 * store and links it into the shop's hash chain.
 */
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { createTaxRegistrationRepository } from '../../db/taxRegistrations';
import { createTaxReportRepository, type TaxReportRecord } from '../../db/taxReports';
import { createTaxSalesRepository, type TaxSalesLine } from '../../db/taxSales';
import { createFileStore } from '../../files/fileStore';
import { renderPdf } from '../../pdf/render';
import { localDateOf, zonedWallClockToUtc } from '../../policy/businessCalendar';
import { centsOf, money, type ReportLine } from '../../tax/classify';
import { endOfMonth, firstOfMonthAfter } from '../../tax/days';
import { RATE_TABLE_VERSION, rateFor } from '../../tax/rateTable';
import { differenceOf } from '../../tax/recompute';
import { composeReport, lookbackStart } from '../../tax/report';
import { reportCsv, reportPdfDoc } from '../../tax/reportDocument';
import { canonicalJson, MultisetDigest, sha256Hex } from '../../tax/reportHash';
import type { DifferenceRow, SellerOwedLineRecord } from '../../tax/reportModel';
import { addLine, emptyAccumulator, type ReportAccumulator } from '../../tax/returnLines';
import type { TaxReportDeps, TaxReportTuning } from './deps';

export interface ComputeTaxReportInput {
  shopId: string;
  /** YYYY-MM */
  period: string;
  /** IANA time zone the month is cut in (the shop's). */
  timeZone: string;
  /** From the previous call; absent on the first. */
  cursor?: string;
}

export interface TaxReportSummary {
  reportId: string;
  period: string;
  status: 'draft';
  /** States with a return line (any line this month, or a registration). */
  states: number;
  mustRegister: { state: string; nexusFrom: string; mustRegisterBy: string }[];
  sellerOwedTransactions: number;
  /** Tax due on the seller's own sales plus use tax, all states, in dollars ("1234.56"). */
  sellerOwedTax: string;
  differences: number;
  historyGaps: { from: string; to: string }[];
  flags: string[];
  csvFileId: string;
  pdfFileId: string;
  hash: string;
  rebuild: 'first' | 'same' | 'differs';
}

export interface ComputeTaxReportResult {
  done: boolean;
  cursor?: string;
  progress: { lines: number };
  summary?: TaxReportSummary;
}

/** The running state of a build between calls (tax_reports.progress). */
interface BuildProgress {
  acc: ReportAccumulator;
  linesDigest: string;
  differences: { count: number; overCents: number; underCents: number; digest: string };
  sellerOwed: { lines: number; digest: string };
}

const initialProgress = (): BuildProgress => ({
  acc: emptyAccumulator(),
  linesDigest: new MultisetDigest().hex,
  differences: { count: 0, overCents: 0, underCents: 0, digest: new MultisetDigest().hex },
  sellerOwed: { lines: 0, digest: new MultisetDigest().hex },
});

/** Tax records are kept for audits that reach back years; the report files outlive the default file retention. */
export const TAX_REPORT_RETAIN_DAYS = 7 * 366;
export const TAX_REPORT_PURPOSE = 'tax-report';
/** The differences a report's CSV and PDF list (largest first); all of them stay in tax_report_differences. */
export const LISTED_DIFFERENCES = 500;

const PERIOD = /^\d{4}-(0[1-9]|1[0-2])$/;

function currentContext(): Context | undefined {
  try {
    return Context.current();
  } catch {
    return undefined;
  }
}

/** The local day of an instant, cached per quarter hour (every zone's offset is a whole number of quarter hours). */
function dayCache(timeZone: string): (at: Date) => string {
  const cache = new Map<number, string>();
  return (at) => {
    const slot = Math.floor(at.getTime() / 900_000);
    let day = cache.get(slot);
    if (day === undefined) {
      day = localDateOf(at, timeZone);
      if (cache.size > 10_000) cache.clear();
      cache.set(slot, day);
    }
    return day;
  };
}

const lineDigestText = (l: TaxSalesLine): string =>
  [
    l.channel,
    l.source,
    l.orderId,
    l.lineId,
    l.kind,
    l.occurredAt.toISOString(),
    l.shipToState,
    l.shipToZip,
    l.shipToCity ?? '',
    l.quantity,
    l.gross,
    l.sellerDiscount,
    l.platformDiscount,
    l.shipping,
    l.itemTax,
    l.shippingTax,
    l.collectedBy,
    l.exemptReason ?? '',
    l.fulfilledBy,
    l.refundOfLineId ?? '',
    l.currency,
  ].join('|');

function toReportLine(l: TaxSalesLine, day: string): ReportLine {
  return {
    id: l.id.toString(),
    channel: l.channel,
    orderId: l.orderId,
    lineId: l.lineId,
    kind: l.kind,
    day,
    state: l.shipToState,
    zip: l.shipToZip,
    city: l.shipToCity,
    quantity: l.quantity,
    grossCents: centsOf(l.gross),
    sellerDiscountCents: centsOf(l.sellerDiscount),
    platformDiscountCents: centsOf(l.platformDiscount),
    shippingCents: centsOf(l.shipping),
    itemTaxCents: centsOf(l.itemTax),
    shippingTaxCents: centsOf(l.shippingTax),
    collectedBy: l.collectedBy,
    exemptReason: l.exemptReason,
    fulfilledBy: l.fulfilledBy,
    refundOfLineId: l.refundOfLineId,
  };
}

/** The summary the workflow gets of a finished report. */
export function summaryOf(r: TaxReportRecord): TaxReportSummary {
  const o = r.outputs!;
  return {
    reportId: r.id,
    period: r.period,
    status: 'draft',
    states: o.states.length,
    mustRegister: o.mustRegister.map((m) => ({
      state: m.state,
      nexusFrom: m.nexusFrom,
      mustRegisterBy: m.mustRegisterBy,
    })),
    sellerOwedTransactions: o.sellerOwed.transactions,
    sellerOwedTax: money(o.sellerOwed.taxDueCents),
    differences: o.differences.count,
    historyGaps: o.historyGaps,
    flags: o.flags,
    csvFileId: r.csvFileId!,
    pdfFileId: r.pdfFileId!,
    hash: r.hash!,
    rebuild: r.rebuild!,
  };
}

export function createTaxReportComputeActivities(deps: TaxReportDeps, tuning: TaxReportTuning = {}) {
  const reports = createTaxReportRepository(deps.db);
  const sales = createTaxSalesRepository(deps.db);
  const registrations = createTaxRegistrationRepository(deps.db);
  const store = createFileStore({ db: deps.db, keyring: deps.secretsKeyring, maxBytes: deps.cfg.FILE_MAX_BYTES });
  const pageLines = tuning.pageLines ?? 5_000;
  const callBudgetMs = tuning.callBudgetMs ?? 60_000;

  /** Reads, classifies and records the pages after the build's cursor until the month ends or the budget is spent. */
  async function readPages(report: TaxReportRecord, started: number): Promise<{ finished: boolean; lines: number }> {
    const ctx = currentContext();
    const monthStart = `${report.period}-01`;
    const from = zonedWallClockToUtc(monthStart, '00:00', report.timeZone);
    const to = zonedWallClockToUtc(firstOfMonthAfter(monthStart, 1), '00:00', report.timeZone);
    const dayOf = dayCache(report.timeZone);
    const progress = report.progress as BuildProgress;
    let cursor = report.cursor;
    let lines = report.linesSeen;
    for (;;) {
      const page = await sales.linesPage(report.shopId, { from, to, after: cursor, limit: pageLines });
      if (page.lines.length === 0) return { finished: true, lines };
      const linesDigest = new MultisetDigest(progress.linesDigest);
      const diffDigest = new MultisetDigest(progress.differences.digest);
      const sellerDigest = new MultisetDigest(progress.sellerOwed.digest);
      const differences: DifferenceRow[] = [];
      const sellerLines: { lineRef: string; kind: 'sale' | 'refund'; txnKey: string; record: SellerOwedLineRecord }[] =
        [];
      for (const raw of page.lines) {
        linesDigest.add(lineDigestText(raw));
        const line = toReportLine(raw, dayOf(raw.occurredAt));
        const rates = rateFor(line.zip);
        const cls = addLine(progress.acc, line, rates);
        if (cls === 'marketplace' && rates) {
          const d = differenceOf(line, rates);
          if (d) {
            differences.push(d);
            diffDigest.add(`${d.lineRef}|${d.chargedCents}|${d.expectedCents}`);
            progress.differences.count += 1;
            if (d.differenceCents > 0) progress.differences.overCents += d.differenceCents;
            else progress.differences.underCents -= d.differenceCents;
          }
        } else if ((cls === 'seller' || cls === 'exempt') && (line.kind === 'sale' || line.kind === 'refund')) {
          const txnKey = line.kind === 'sale' ? line.orderId : `${line.orderId}@${line.day}`;
          sellerLines.push({ lineRef: line.id, kind: line.kind, txnKey, record: { cls, line } });
          sellerDigest.add(lineDigestText(raw));
          progress.sellerOwed.lines += 1;
        }
      }
      progress.linesDigest = linesDigest.hex;
      progress.differences.digest = diffDigest.hex;
      progress.sellerOwed.digest = sellerDigest.hex;
      const next = page.lines.at(-1)!.id;
      lines += page.lines.length;
      await reports.savePage(report.id, {
        fromCursor: cursor,
        toCursor: next,
        linesSeen: lines,
        progress,
        differences,
        sellerLines,
      });
      cursor = next;
      ctx?.heartbeat({ reportId: report.id, lines });
      if (page.next === undefined) return { finished: true, lines };
      if (Date.now() - started >= callBudgetMs) return { finished: false, lines };
    }
  }

  /** The last step: the look-back, the composition, the files, the chain. */
  async function finish(report: TaxReportRecord): Promise<TaxReportRecord> {
    const ctx = currentContext();
    const progress = report.progress as BuildProgress;
    const monthStart = `${report.period}-01`;
    const lookFrom = lookbackStart(report.period);
    const monthEnd = endOfMonth(monthStart);
    const [dailyTotals, presence, coverage, regs, transactions] = await Promise.all([
      sales.dailyTotals(
        report.shopId,
        zonedWallClockToUtc(lookFrom, '00:00', report.timeZone),
        zonedWallClockToUtc(firstOfMonthAfter(monthStart, 1), '00:00', report.timeZone),
        { timeZone: report.timeZone },
      ),
      sales.presence(report.shopId, lookFrom, monthEnd),
      sales.coverage(report.shopId),
      registrations.list(report.shopId),
      reports.sellerTransactionCount(report.id),
    ]);
    ctx?.heartbeat({ reportId: report.id, lines: report.linesSeen, stage: 'compose' });
    const filing = regs.map((r) => ({ state: r.state, frequency: r.filingFrequency, startDate: r.startDate }));
    const { outputs, ruleVersions } = composeReport({
      period: report.period,
      timeZone: report.timeZone,
      acc: progress.acc,
      dailyTotals,
      presence,
      coverage: coverage.map((c) => ({ from: c.from, to: c.to })),
      registrations: filing,
      sellerOwed: { transactions, lines: progress.sellerOwed.lines, digest: progress.sellerOwed.digest },
      differences: progress.differences,
    });
    const inputsDigest = sha256Hex(
      canonicalJson({
        shopId: report.shopId,
        period: report.period,
        timeZone: report.timeZone,
        lines: { count: report.linesSeen, digest: progress.linesDigest },
        dailyTotals: sha256Hex(canonicalJson(dailyTotals)),
        presence,
        coverage,
        registrations: filing,
        rateTable: RATE_TABLE_VERSION,
      }),
    );
    const outputsDigest = sha256Hex(canonicalJson(outputs));
    const listed = await reports.differences(report.id, LISTED_DIFFERENCES);
    const doc = { shopId: report.shopId, outputs, differences: listed, inputsDigest, outputsDigest };
    const opts = {
      purpose: TAX_REPORT_PURPOSE,
      createdBy: `tax-report:${report.shopId}:${report.period}`,
      retainDays: TAX_REPORT_RETAIN_DAYS,
    };
    const csv = await store.put(report.shopId, Buffer.from(reportCsv(doc), 'utf8'), opts);
    const pdfBytes = await renderPdf(reportPdfDoc(doc));
    ctx?.heartbeat({ reportId: report.id, lines: report.linesSeen, stage: 'store' });
    const pdf = await store.put(report.shopId, pdfBytes, opts);
    return reports.finish(report.id, {
      inputsDigest,
      ruleVersions,
      outputs,
      outputsDigest,
      csvFileId: csv.fileId,
      pdfFileId: pdf.fileId,
    });
  }

  return {
    async computeTaxReportStep(input: ComputeTaxReportInput): Promise<ComputeTaxReportResult> {
      const started = Date.now();
      if (!PERIOD.test(input.period))
        throw ApplicationFailure.nonRetryable(`period ${input.period} is not YYYY-MM`, 'InvalidTaxPeriod');
      let report = input.cursor
        ? await reports.get(input.cursor)
        : await reports.startBuild(input.shopId, input.period, input.timeZone, initialProgress());
      if (!report || report.shopId !== input.shopId || report.period !== input.period)
        throw ApplicationFailure.nonRetryable(
          `no tax report build ${input.cursor} of ${input.shopId} ${input.period}`,
          'TaxReportNotFound',
        );
      if (report.status === 'abandoned')
        throw ApplicationFailure.nonRetryable(
          `tax report build ${report.id} was abandoned by a later build`,
          'TaxReportAbandoned',
        );
      if (report.status === 'building') {
        const read = await readPages(report, started);
        if (!read.finished) return { done: false, cursor: report.id, progress: { lines: read.lines } };
        report = await finish((await reports.get(report.id))!);
      }
      return { done: true, progress: { lines: report.linesSeen }, summary: summaryOf(report) };
    },
  };
}
