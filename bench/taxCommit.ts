/**
 * `npm run bench:tax-commit -- [--count=N]`: the AvaTax commit of issue 20's target — 100,000 seller-owed
 * transactions of one month, committed in batches (TAX_COMMIT_BATCH per batch, TAX_COMMIT_PER_ACTIVITY per activity
 * call) through the official SDK against the AvaTax emulator, with the worker process SIGKILLed halfway through a
 * batch (the emulator holds that batch's requests, then completes them once the worker is dead: the engine took
 * transactions whose answers were lost) and a new worker resuming. Checks no duplicate: every code once at the engine,
 * only the batch in flight sent again (adjusted in place), the ledger complete. Prints the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import { Client, Connection } from '@temporalio/client';
import { TAX_COMMIT_BATCH, TAX_COMMIT_PER_ACTIVITY } from '../activities/taxCommit';
import { ensureDatabase } from '../db/ensureDatabase';
import { createDb, migrate } from '../db/knex';
import { createTaxEngineCommitRepository } from '../db/taxEngineCommits';
import { startAvaTaxEmulator } from '../emulators/avatax/server';
import { parseCommandLine } from '../scripts/commandLine';
import { fmt, startBenchServices, wholeNumber } from './lib';
import { startTaxCommitWorker, syntheticSellerOwed, type TaxCommitWorkerProcess } from './taxCommitWorld';
import type { TaxCommitDriverInput, TaxCommitDriverResult } from './taxCommitWorkflow';

const USAGE = 'npm run bench:tax-commit -- [--count=N]';
const PERIOD = '2026-11';
const ACCOUNT = '1100000777';
const LICENSE = 'BENCH-LICENSE-777';

/** Peak resident memory of a process (Linux /proc VmHWM), MB; undefined elsewhere. */
function peakRssMb(pid: number | undefined): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

async function until(what: string, fn: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await fn())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function main(): Promise<void> {
  const { values: flags } = parseCommandLine(USAGE, { count: { type: 'string' } });
  const count = wholeNumber('count', flags.count) ?? 100_000;
  const log = (m: string) => process.stdout.write(`[bench] ${m}\n`);
  log(
    `tax commit of ${count.toLocaleString('en-US')} transactions on ${os.cpus().length} cores, load average ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  const services = await startBenchServices(log);
  const emulator = await startAvaTaxEmulator({ accountId: ACCOUNT, licenseKey: LICENSE });
  const workers: TaxCommitWorkerProcess[] = [];
  const databaseUrl = await ensureDatabase(services.services.databaseAdminUrl, 'bench_tax_commit');
  const db = createDb(databaseUrl, 4);
  const connection = await Connection.connect({ address: services.services.temporalAddress });
  try {
    await migrate(db);
    const ledger = createTaxEngineCommitRepository(db);
    const shopId = `bench-shop-${Date.now()}`;
    let t = performance.now();
    await ledger.stage(shopId, PERIOD, syntheticSellerOwed(count, PERIOD));
    const stagedS = (performance.now() - t) / 1000;
    log(`staged ${count} transactions in ${fmt(stagedS)} s`);

    const admin = async (path: string, body?: object) =>
      (await (
        await fetch(`${emulator.url}/__admin${path}`, {
          method: body ? 'POST' : 'GET',
          headers: { 'content-type': 'application/json' },
          body: body ? JSON.stringify(body) : undefined,
        })
      ).json()) as any;
    // Half the month passes, then 37 calls into the next batch the rest of that batch is held at the engine.
    const passBeforeKill = Math.floor(count / 2 / TAX_COMMIT_BATCH) * TAX_COMMIT_BATCH + 37;
    await admin('/gate', { afterCalls: passBeforeKill });
    const taskQueue = `bench-tax-commit-${Date.now()}`;
    const workerEnv: NodeJS.ProcessEnv = {
      ...process.env,
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      DATABASE_URL: databaseUrl,
      TEMPORAL_ADDRESS: services.services.temporalAddress,
      TEMPORAL_TASK_QUEUE: taskQueue,
      AVATAX_ACCOUNT_ID: ACCOUNT,
      AVATAX_LICENSE_KEY: LICENSE,
      AVATAX_BASE_URL: emulator.url,
    };
    workers.push(await startTaxCommitWorker(workerEnv));
    const client = new Client({ connection });
    const input: TaxCommitDriverInput = { shopId, engine: 'avatax', period: PERIOD, heartbeatTimeoutMs: 5_000 };
    t = performance.now();
    const handle = await client.workflow.start('taxCommitDriver', {
      taskQueue,
      workflowId: `tax-commit-bench-${Date.now()}`,
      args: [input],
    });
    await until('the batch in flight to be held', async () => (await admin('/gate', {})).held >= 8, 30 * 60_000);
    const killAtS = (performance.now() - t) / 1000;
    const beforeKill = await ledger.counts(shopId, 'avatax', PERIOD);
    const firstRss = peakRssMb(workers[0]!.child.pid);
    await workers[0]!.kill();
    await admin('/gate', { open: true });
    log(`worker killed at ${fmt(killAtS)} s with ${beforeKill.committed} committed; a new worker starts`);
    const restartAt = performance.now();
    workers.push(await startTaxCommitWorker(workerEnv));
    const result = (await handle.result()) as TaxCommitDriverResult;
    const totalS = (performance.now() - t) / 1000;
    const afterRestartS = (performance.now() - restartAt) / 1000;
    const secondRss = peakRssMb(workers[1]!.child.pid);

    const state = await admin('/state');
    const calls = await admin('/calls');
    const done = await ledger.counts(shopId, 'avatax', PERIOD);
    const codes = new Set((state.transactions as { code: string }[]).map((x) => x.code));
    const adjustedAtEngine = (state.transactions as { version: number }[]).filter((x) => x.version > 1).length;
    const sent = calls['POST /api/v2/transactions/createoradjust 200'] as number;
    const checks: [string, boolean][] = [
      ['every transaction once at the engine', state.count === count && codes.size === count],
      ['ledger complete', done.committed === count && done.rejected === 0],
      ['only the batch in flight sent again', result.replaced <= TAX_COMMIT_BATCH && sent === count + result.replaced],
      ['re-sent ones adjusted in place', adjustedAtEngine === result.replaced],
    ];
    log('');
    log(`transactions              ${count}`);
    log(
      `batch / per activity      ${TAX_COMMIT_BATCH} / ${TAX_COMMIT_PER_ACTIVITY} (${result.activityCalls} activity calls)`,
    );
    log(`total (kill + resume)     ${fmt(totalS)} s   (${fmt(count / totalS, 0)} transactions/s overall)`);
    log(`killed at                 ${fmt(killAtS)} s, ${beforeKill.committed} in the ledger`);
    log(`resume → done             ${fmt(afterRestartS)} s (new worker start, heartbeat timeout 5 s, the rest)`);
    log(`sent again (adjusted)     ${result.replaced}; skipped by the ledger ${result.skipped}`);
    log(`createoradjust calls      ${sent} for ${count} transactions`);
    log(`engine tax committed      ${done.engineTax.toFixed(2)}`);
    log(`worker peak RSS           ${fmt(firstRss ?? NaN, 0)} MB (killed), ${fmt(secondRss ?? NaN, 0)} MB (resumed)`);
    log(`staging into PostgreSQL   ${fmt(stagedS)} s`);
    for (const [name, ok] of checks) log(`${ok ? 'ok  ' : 'FAIL'} ${name}`);
    if (checks.some(([, ok]) => !ok)) process.exitCode = 1;
  } finally {
    for (const w of workers) await w.stop();
    await connection.close();
    await db.destroy();
    await emulator.close();
    await services.stop();
  }
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
