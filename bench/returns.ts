/**
 * `npm run bench:returns -- [--seed=N] [--compression=C] [--quick] [--only=ours,baseline]`: the returns benchmark of
 * issue 15. One TikTok Shop emulator, two shops: OUR product (API, worker, relay on Temporal and PostgreSQL) and the
 * polling baseline (bench/baseline/returnsPolling.ts), opened the same plan of requests at the same times
 * (bench/returnsWorld.ts): 1,000 over 10 minutes (quick: 60 over 12 s) — low-value refunds the shop automates,
 * requests a simulated person decides through the HTTP API at a seeded delay, returns the buyer ships back — with 10%
 * of RETURN_STATUS_CHANGE notifications dropped (seeded). One compression factor C divides every business interval
 * (default 720: TikTok's 48 h → 240 s; quick 10,800: → 16 s). Every figure comes from the emulator's record.
 */
import os from 'node:os';
import { parseCommandLine, UsageError } from '../scripts/commandLine';
import {
  BASELINE_APP_KEY,
  BASELINE_APP_SECRET,
  BASELINE_POLL_MS,
  ReturnsPollingConnector,
  connectBaseline,
} from './baseline/returnsPolling';
import { fmt, parseOnly, startBenchServices, wholeNumber } from './lib';
import { OURS_APP_KEY, OURS_APP_SECRET, ourApiPort, startOurs, type OursRun, type OursServices } from './returnsOurs';
import {
  RESPONSE_WINDOW_MS,
  SimulatedPerson,
  addShop,
  makeReturnsPlan,
  openReturns,
  returnsFigures,
  returnsParams,
  startBuyers,
  startReturnsWorld,
  untilSettled,
  type PlannedReturn,
  type ReturnsFigures,
  type ReturnsParams,
} from './returnsWorld';

export const RETURN_SYSTEMS = ['ours', 'baseline'] as const;
export type ReturnSystem = (typeof RETURN_SYSTEMS)[number];

export interface ReturnsOptions {
  quick: boolean;
  seed?: number;
  compression?: number;
  only?: ReturnSystem[];
  /** Reuse running services (tests); otherwise PostgreSQL and a Temporal dev server are started. */
  services?: OursServices;
  log?: (m: string) => void;
}

export interface ReturnsResult {
  params: ReturnsParams;
  ours?: ReturnsFigures;
  baseline?: ReturnsFigures;
  /** Pages the person received (ours), answers sent, refusals seen, baseline cycles. */
  notes: string[];
}

export async function runReturns(opts: ReturnsOptions): Promise<ReturnsResult> {
  const log = opts.log ?? ((m: string) => process.stdout.write(`[bench] ${m}\n`));
  const params = returnsParams({ quick: opts.quick, seed: opts.seed, compression: opts.compression });
  const systems = new Set<ReturnSystem>(opts.only ?? RETURN_SYSTEMS);
  const plan = makeReturnsPlan(params);
  const planByReturn = new Map<string, PlannedReturn>();
  const planOf = (id: string) => planByReturn.get(id);
  const cleanups: (() => Promise<void>)[] = [];
  const notes: string[] = [];
  try {
    let services = opts.services;
    if (systems.has('ours') && !services) {
      const started = await startBenchServices(log);
      cleanups.push(() => started.stop());
      services = started.services;
    }
    const apiPort = await ourApiPort();
    const world = await startReturnsWorld(params, [
      {
        appKey: OURS_APP_KEY,
        appSecret: OURS_APP_SECRET,
        redirectUrl: `http://127.0.0.1:${apiPort}/oauth/tiktok/callback`,
      },
      { appKey: BASELINE_APP_KEY, appSecret: BASELINE_APP_SECRET },
    ]);
    cleanups.push(() => world.close());
    // Ours first: the consent page authorizes the first seeded seller.
    const oursShop = await addShop(world, 'Returns Ours', { authorizeApps: false });
    const baselineShop = await addShop(world, 'Returns Baseline', { authorizeApps: false });
    const shops: string[] = [];
    let ours: OursRun | undefined;
    let oursPerson: SimulatedPerson | undefined;
    if (systems.has('ours') && services) {
      oursPerson = new SimulatedPerson(params.compression, planOf);
      ours = await startOurs({
        services,
        emulatorUrl: world.emulator.url,
        emulator: world.emulator,
        apiPort,
        shopId: oursShop.shopId,
        params,
        person: oursPerson,
        log: (m) => log(`[ours] ${m}`),
      });
      cleanups.push(() => ours!.stop());
      shops.push(oursShop.shopId);
      log(`ours: stack up, shop ${oursShop.shopId} connected, settings compressed ×${params.compression}`);
    }
    let connector: ReturnsPollingConnector | undefined;
    const baselinePerson = new SimulatedPerson(params.compression, planOf);
    if (systems.has('baseline')) {
      const { client, shop } = await connectBaseline(world, baselineShop.shopId);
      connector = new ReturnsPollingConnector(client, shop, BASELINE_POLL_MS / params.compression, baselinePerson);
      connector.start();
      cleanups.push(() => connector!.stop());
      shops.push(baselineShop.shopId);
      log(
        `baseline: shop ${baselineShop.shopId}, polling every ${fmt(BASELINE_POLL_MS / params.compression / 1000, 2)} s`,
      );
    }
    const buyers = startBuyers(world, params, planOf);
    cleanups.push(() => buyers.stop());
    const window = RESPONSE_WINDOW_MS / params.compression;
    log(
      `opening ${plan.length} requests over ${fmt(params.openOverMs / 1000, 0)} s in ${shops.length} shop(s); ` +
        `TikTok's 48 h window = ${fmt(window / 1000, 1)} s; ${params.dropFraction * 100}% of RETURN_STATUS_CHANGE dropped`,
    );
    const started = Date.now();
    await openReturns(world, plan, shops, (_shop, returnId, planned) => planByReturn.set(returnId, planned));
    log(`opened in ${fmt((Date.now() - started) / 1000, 1)} s; waiting for every request to be answered or expire`);
    // Every action ends by the last deadline: the request's window, a parcel's, and the person's slack.
    const settled = await untilSettled(
      world,
      shops,
      plan.length * shops.length,
      planOf,
      3 * window + (params.shipBackMaxHours * 3_600_000) / params.compression + 30_000,
    );
    if (!settled) notes.push('not every request had ended when the run stopped waiting (counted as undecided)');
    const result: ReturnsResult = { params, notes };
    if (ours && oursPerson) {
      result.ours = returnsFigures(world, 'ours', oursShop.shopId, params, planOf, { webhooks: true });
      notes.push(
        `ours: person sent ${ours.steps.sent} answers, ${oursPerson.pages} page(s) acted on, ` +
          `${ours.pager.received} chat notifications; refused: ${ours.steps.refused.slice(0, 5).join(' | ') || 'none'}`,
      );
    }
    if (connector) {
      result.baseline = returnsFigures(world, 'baseline', baselineShop.shopId, params, planOf, { webhooks: false });
      notes.push(
        `baseline: ${connector.cycles} polls, ${connector.autoApproved} auto-approved, ${connector.sentByPerson} ` +
          `answers sent, ${connector.tooLate} too late; errors: ${connector.errors.slice(0, 3).join(' | ') || 'none'}`,
      );
    }
    return result;
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
  }
}

const pct = (n: number, d: number) => (d === 0 ? 'n/a' : `${fmt((100 * n) / d, 1)}%`);

interface Row {
  name: string;
  value: (f: ReturnsFigures) => string;
  target?: string;
  met?: (f: ReturnsFigures) => boolean;
}

const ROWS: Row[] = [
  { name: 'requests opened / seller actions TikTok waited for', value: (f) => `${f.returns} / ${f.actions}` },
  {
    name: "decided by the seller before TikTok's deadline",
    value: (f) => `${pct(f.decidedInTime, f.actions)} (${f.decidedInTime})`,
    target: '100%',
    met: (f) => f.decidedInTime === f.actions && f.actions > 0,
  },
  {
    name: 'auto-approved by the platform (missed) / still open',
    value: (f) => `${f.autoApprovedByPlatform} / ${f.undecided}`,
    target: '0',
    met: (f) => f.autoApprovedByPlatform === 0 && f.undecided === 0,
  },
  {
    name: 'decisions sent twice (emulator mutation record)',
    value: (f) => String(f.decisionsSentTwice),
    target: '0',
    met: (f) => f.decisionsSentTwice === 0,
  },
  {
    name: 'decision latency p50 / p99, business hours',
    value: (f) => `${fmt(f.latency.business.p50Hours, 2)} / ${fmt(f.latency.business.p99Hours, 2)}`,
  },
  {
    name: 'decision latency p50 / p99, wall seconds',
    value: (f) => `${fmt(f.latency.wall.p50Ms / 1000, 2)} / ${fmt(f.latency.wall.p99Ms / 1000, 2)}`,
  },
  {
    name: 'latency p50 business hours: automated / person / ship-back cases',
    value: (f) =>
      ['auto', 'person', 'shipBack']
        .map((k) => `${fmt(f.latency.byKind[k]?.p50Hours ?? NaN, 2)} (n=${f.latency.byKind[k]?.n ?? 0})`)
        .join(' / '),
  },
  {
    name: 'RETURN_STATUS_CHANGE dropped / sent; requests hidden → decided in time (recovered)',
    value: (f) =>
      f.webhooks
        ? `${f.webhooks.dropped} / ${f.webhooks.sent}; ${f.webhooks.returnsWithDrop} → ${f.webhooks.thoseDecidedInTime}`
        : '— (polls; no webhooks)',
  },
];

export function returnsTable(r: ReturnsResult): string[] {
  const p = r.params;
  const head =
    `| figure (seed ${p.seed}, C = ${p.compression}${p.quick ? ', quick' : ''}, ${p.returns} requests) ` +
    '| ours | baseline (polls every 15 min) | target | ours vs target |';
  return [
    head,
    '| --- | --- | --- | --- | --- |',
    ...ROWS.map((row) => {
      const o = r.ours ? row.value(r.ours) : '—';
      const b = r.baseline ? row.value(r.baseline) : '—';
      const met = r.ours && row.met ? (row.met(r.ours) ? 'MET' : 'MISSED') : '';
      return `| ${row.name} | ${o} | ${b} | ${row.target ?? ''} | ${met} |`;
    }),
  ];
}

/** --compression: a whole number above 0. */
function compressionFlag(arg: string | undefined): number | undefined {
  const n = wholeNumber('compression', arg);
  if (n === 0) throw new UsageError('--compression must be above 0');
  return n;
}

const USAGE = 'npm run bench:returns -- [--seed=N] [--compression=C] [--quick] [--only=ours,baseline]';

async function main(): Promise<void> {
  const { values: flags } = parseCommandLine(USAGE, {
    quick: { type: 'boolean' },
    seed: { type: 'string' },
    compression: { type: 'string' },
    only: { type: 'string' },
  });
  const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  log(
    `returns run on ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const result = await runReturns({
    quick: flags.quick ?? false,
    seed: wholeNumber('seed', flags.seed),
    compression: compressionFlag(flags.compression),
    only: parseOnly(flags.only, RETURN_SYSTEMS),
    log,
  });
  log('');
  for (const line of returnsTable(result)) log(line);
  for (const n of result.notes) log(`note: ${n}`);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
