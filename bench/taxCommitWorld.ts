// What the tax-commit benchmark and its resume test share: synthetic seller-owed transactions over the emulators'
// seeded ZIPs, and the worker process (bench/taxCommitWorker.ts) they kill and restart.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import type { StagedTaxTransaction } from '../db/taxEngineCommits';
import type { SellerOwedTransaction, TaxAddress } from '../integrations/taxEngines/types';

/** Seeded ZIPs of emulators/taxRates/table.ts with a sales tax (the seller's own channels' destinations). */
const DESTINATIONS: TaxAddress[] = [
  { region: 'CA', postalCode: '92618', country: 'US', city: 'Irvine' },
  { region: 'CA', postalCode: '90012', country: 'US', city: 'Los Angeles' },
  { region: 'TX', postalCode: '78701', country: 'US', city: 'Austin' },
  { region: 'NY', postalCode: '10001', country: 'US', city: 'New York' },
  { region: 'WA', postalCode: '98101', country: 'US', city: 'Seattle' },
  { region: 'FL', postalCode: '33131', country: 'US', city: 'Miami' },
  { region: 'IL', postalCode: '60601', country: 'US', city: 'Chicago' },
  { region: 'GA', postalCode: '30303', country: 'US', city: 'Atlanta' },
  { region: 'AZ', postalCode: '85004', country: 'US', city: 'Phoenix' },
  { region: 'PA', postalCode: '19103', country: 'US', city: 'Philadelphia' },
];
const SHIP_FROM: TaxAddress = { region: 'CA', postalCode: '90012', country: 'US', city: 'Los Angeles' };

/** n seller-owed sales in a month (deterministic: order i always looks the same), one or two lines each. */
export function syntheticSellerOwed(n: number, period: string, prefix = '5770'): StagedTaxTransaction[] {
  return Array.from({ length: n }, (_, i) => {
    const lines = Array.from({ length: 1 + (i % 2) }, (__, l) => ({
      lineId: String(l + 1),
      collector: 'seller' as const,
      amount: 10 + ((i * 7 + l * 13) % 90),
      quantity: 1 + (l % 3),
      itemCode: `SKU-${(i + l) % 50}`,
      salesTaxCollected: 0,
    }));
    const sale: SellerOwedTransaction = {
      orderId: `${prefix}${String(i).padStart(9, '0')}`,
      date: `${period}-${String(1 + (i % 28)).padStart(2, '0')}`,
      customerCode: `buyer-${i % 997}`,
      shipFrom: SHIP_FROM,
      shipTo: DESTINATIONS[i % DESTINATIONS.length]!,
      shipping: i % 3 === 0 ? 5 : 0,
      lines,
    };
    return { kind: 'sale', sale };
  });
}

export interface TaxCommitWorkerProcess {
  child: ChildProcess;
  /** SIGKILL, as a crashed host: no shutdown, no last heartbeat. */
  kill(): Promise<void>;
  /** SIGTERM and wait for the exit. */
  stop(): Promise<void>;
}

/** Starts bench/taxCommitWorker.js with this environment; resolves once it polls. */
export async function startTaxCommitWorker(env: NodeJS.ProcessEnv): Promise<TaxCommitWorkerProcess> {
  const child = spawn(process.execPath, [path.join(__dirname, 'taxCommitWorker.js')], {
    env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  await new Promise<void>((resolve, reject) => {
    const lines = readline.createInterface({ input: child.stdout });
    lines.on('line', (line) => {
      if (line.includes('"ready":true')) resolve();
    });
    child.once('exit', (code) => reject(new Error(`tax commit worker exited with ${code} before it was ready`)));
  });
  const end = async (signal: NodeJS.Signals) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
    await exited;
  };
  return { child, kill: () => end('SIGKILL'), stop: () => end('SIGTERM') };
}
