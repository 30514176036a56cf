/**
 * The AvaTax and TaxJar emulators for a local stack: each one runs (in this process) when its engine has no real
 * credentials or base URL configured, with credentials made up for this run, and the returned environment points the
 * product's processes at it. Used by `npm start` (scripts/startStack.ts) and the benchmarks.
 */
import crypto from 'node:crypto';
import type { AppConfig } from '../config';
import { startAvaTaxEmulator } from '../emulators/avatax/server';
import { startTaxJarEmulator } from '../emulators/taxjar/server';

export interface LocalTaxEngines {
  /** AVATAX_* / TAXJAR_* for the child processes (empty for an engine that is really configured). */
  env: Record<string, string>;
  /** One line per emulator started, for the start-up banner. */
  lines: string[];
  stop(): Promise<void>;
}

export async function startLocalTaxEngines(
  cfg: Pick<
    AppConfig,
    'AVATAX_ACCOUNT_ID' | 'AVATAX_BASE_URL' | 'AVATAX_COMPANY_CODE' | 'TAXJAR_API_KEY' | 'TAXJAR_API_URL'
  >,
): Promise<LocalTaxEngines> {
  const env: Record<string, string> = {};
  const lines: string[] = [];
  const stops: (() => Promise<void>)[] = [];
  if (!cfg.AVATAX_ACCOUNT_ID && !cfg.AVATAX_BASE_URL) {
    const accountId = String(1_100_000_000 + crypto.randomInt(99_999_999));
    const licenseKey = crypto.randomBytes(16).toString('hex').toUpperCase();
    const avatax = await startAvaTaxEmulator({ accountId, licenseKey, companies: [cfg.AVATAX_COMPANY_CODE] });
    stops.push(() => avatax.close());
    Object.assign(env, { AVATAX_ACCOUNT_ID: accountId, AVATAX_LICENSE_KEY: licenseKey, AVATAX_BASE_URL: avatax.url });
    lines.push(`AvaTax emulator ${avatax.url}   (company ${cfg.AVATAX_COMPANY_CODE}; state in memory)`);
  }
  if (!cfg.TAXJAR_API_KEY && !cfg.TAXJAR_API_URL) {
    const apiKey = crypto.randomBytes(16).toString('hex');
    const taxjar = await startTaxJarEmulator({ apiKey });
    stops.push(() => taxjar.close());
    Object.assign(env, { TAXJAR_API_KEY: apiKey, TAXJAR_API_URL: taxjar.url });
    lines.push(`TaxJar emulator ${taxjar.url}   (state in memory)`);
  }
  return {
    env,
    lines,
    async stop() {
      for (const stop of stops) await stop();
    },
  };
}
