/**
 * `npm run bench:flash-sale [-- --quick] [-- --seed=N] [-- --no-baseline]`: the flash-sale benchmark.
 *
 * 5,000 orders over 10 minutes across 200 SKUs (quick: 100 over 60 s across 10 SKUs) on the TikTok Shop emulator
 * (10 s remorse window, webhooks duplicated and 2% dropped, 1% of calls applied with the response lost), a warehouse
 * that ships 0–5 min after hand-off (quick: 0–10 s), another channel selling 20% of the same stock. OUR system first,
 * then the polling baseline (bench/baseline/pollingConnector.ts) on a fresh emulator with the same seed; full runs
 * add the capacity and deadline-ordering scenarios. Every figure comes from the emulator's record and our tables.
 */
import os from 'node:os';
import { startTestServices } from '../scripts/testServices';
import { runBaseline } from './baseline/pollingConnector';
import { runCapacity, runDeadlineOrdering, type CapacityFigures, type DeadlineFigures } from './flashSaleCeilings';
import { runOurs, scenarioParams, type Services } from './flashSaleOurs';
import type { Figures } from './flashSaleWorld';
import { fmt } from './lib';

export interface FlashSaleOptions {
  quick: boolean;
  seed?: number;
  /** Run the polling baseline after ours (default: true). */
  baseline?: boolean;
  /** Capacity and deadline-ordering scenarios (default: full runs only). */
  ceilings?: boolean;
  /** Reuse running services (tests); otherwise PostgreSQL and a dev server (SQLite on disk) are started. */
  services?: Services;
  log?: (m: string) => void;
}

export interface FlashSaleResult {
  ours: Figures;
  baseline?: Figures;
  capacity?: CapacityFigures;
  deadline?: DeadlineFigures;
}

export async function runFlashSale(opts: FlashSaleOptions): Promise<FlashSaleResult> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`[bench] ${m}\n`));
  const params = scenarioParams(opts.quick, opts.seed);
  let stopServices: (() => Promise<void>) | undefined;
  let services = opts.services;
  if (!services) {
    const started = await startTestServices(log, { timeSkipping: false, temporalOnDisk: true });
    stopServices = () => started.stop();
    services = {
      temporalAddress: started.env.TEST_TEMPORAL_ADDRESS!,
      databaseAdminUrl: started.env.TEST_DATABASE_ADMIN_URL!,
    };
  }
  try {
    const result: FlashSaleResult = { ours: await runOurs(params, services, log) };
    if (opts.baseline ?? true) result.baseline = await runBaseline(params, log);
    if (opts.ceilings ?? !opts.quick) {
      result.capacity = await runCapacity(params, services, log);
      result.deadline = await runDeadlineOrdering(params, services, log);
    }
    return result;
  } finally {
    await stopServices?.();
  }
}

const s = (ms: number) => fmt(ms / 1000, 2);

/** The results table (markdown), targets beside the figures. */
export function resultsTable(r: FlashSaleResult): string[] {
  const o = r.ours;
  const b = r.baseline;
  const ratio = (a: number, c: number | undefined) =>
    c === undefined || !Number.isFinite(a) || !Number.isFinite(c) || c === 0 ? '—' : `${fmt(a / c, 2)}×`;
  const rows: [string, string, string, string, string][] = [
    [
      'orders placed / refused (sold out)',
      `${o.ordersPlaced} / ${o.ordersRefused}`,
      b ? `${b.ordersPlaced} / ${b.ordersRefused}` : '—',
      '',
      '—',
    ],
    ['orders lost', String(o.lost), b ? String(b.lost) : '—', '0', o.lost === 0 ? 'MET' : 'MISSED'],
    [
      'duplicate mutations',
      `${o.duplicateMutations} ${JSON.stringify(o.duplicatesByAction)}`,
      b ? `${b.duplicateMutations} ${JSON.stringify(b.duplicatesByAction)}` : '—',
      '0',
      o.duplicateMutations === 0 ? 'MET' : 'MISSED',
    ],
    [
      'units oversold (2-unit buffer)',
      String(o.unitsOversold),
      b ? String(b.unitsOversold) : '—',
      '0',
      o.unitsOversold === 0 ? 'MET' : 'MISSED',
    ],
    ['webhook p50 / p99 (ms)', `${fmt(o.webhookP50Ms)} / ${fmt(o.webhookP99Ms)}`, '— (polls)', '', '—'],
    [
      'hand-off p50 / p99 (s)',
      `${s(o.handoffP50Ms)} / ${s(o.handoffP99Ms)}`,
      b ? `${s(b.handoffP50Ms)} / ${s(b.handoffP99Ms)}` : '—',
      'p99 ≤ 5',
      o.handoffP99Ms <= 5_000 ? 'MET' : 'MISSED',
    ],
    [
      'warehouse-shipped → marked-shipped p99 (s)',
      s(o.shippedToMarkedP99Ms),
      b ? `${s(b.shippedToMarkedP99Ms)} (${ratio(b.shippedToMarkedP99Ms, o.shippedToMarkedP99Ms)})` : '—',
      '',
      '—',
    ],
    [
      'out-of-stock → confirmed delist p50 / p99 (s)',
      `${s(o.delistP50Ms)} / ${s(o.delistP99Ms)} (n=${o.delistSamples}, never ${o.delistMissed})`,
      b ? `${s(b.delistP50Ms)} / ${s(b.delistP99Ms)} (n=${b.delistSamples}, never ${b.delistMissed})` : '—',
      'p99 ≤ 60',
      o.delistMissed === 0 && o.delistP99Ms <= 60_000 ? 'MET' : 'MISSED',
    ],
    ['Temporal actions per order', fmt(o.temporalActionsPerOrder), b ? '0 (no Temporal)' : '—', '', '—'],
    [
      'worker peak RSS (MB)',
      fmt(o.workerPeakRssMb, 0),
      b ? `${fmt(b.workerPeakRssMb, 0)} (bench process)` : '—',
      '< 1536',
      o.workerPeakRssMb < 1536 ? 'MET' : 'MISSED',
    ],
    [
      'time to drain after the sale (s)',
      fmt(o.drainSeconds),
      b ? `${fmt(b.drainSeconds)} (${ratio(b.drainSeconds, o.drainSeconds)})` : '—',
      '',
      '—',
    ],
  ];
  if (r.capacity) {
    const c = r.capacity;
    rows.push([
      'capacity: hand-offs/s ÷ raw ceiling',
      `${fmt(c.handoffsPerSecond)} / ${fmt(c.rawCeilingPerSecond)} = ${fmt(c.share * 100, 0)}%`,
      '—',
      '≥ 40%',
      c.share >= 0.4 ? 'MET' : 'MISSED',
    ]);
  }
  if (r.deadline) {
    const d = r.deadline;
    rows.push([
      'deadline ordering: on time EDF (ours) / FCFS',
      `${fmt(d.edfOnTime * 100)}% / ${fmt(d.fcfsOnTime * 100)}% of ${d.orders}`,
      '—',
      'EDF ≥ 99%',
      d.edfOnTime >= 0.99 ? 'MET' : 'MISSED',
    ]);
  }
  return [
    '| figure | ours | baseline (polling 15 min) | target | ours vs target |',
    '| --- | --- | --- | --- | --- |',
    ...rows.map((row) => `| ${row.join(' | ')} |`),
  ];
}

async function main(): Promise<void> {
  const quick = process.argv.includes('--quick');
  const seedArg = process.argv.find((a) => a.startsWith('--seed='));
  const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  log(`${quick ? 'quick' : 'full'} flash-sale run on ${os.cpus().length} cores`);
  const result = await runFlashSale({
    quick,
    seed: seedArg ? Number(seedArg.slice(7)) : undefined,
    baseline: !process.argv.includes('--no-baseline'),
    ceilings: process.argv.includes('--no-ceilings') ? false : undefined,
    log,
  });
  log('');
  for (const line of resultsTable(result)) log(line);
  for (const f of [result.ours, result.baseline]) if (f) for (const n of f.notes) log(`note (${f.system}): ${n}`);
  for (const n of [...(result.capacity?.notes ?? []), ...(result.deadline?.notes ?? [])]) log(`note: ${n}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
