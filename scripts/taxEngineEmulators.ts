/**
 * The AvaTax and TaxJar emulators for a local stack: each one runs (in this process) when its engine has no real
 * credentials or base URL configured, with credentials made up for this run, and the returned environment points the
 * product's processes at it. Used by `npm start` (scripts/startStack.ts) and the test stack. Given DATA_DIR, the AvaTax
 * emulator's account is kept in DATA_DIR/secrets while it runs, so a tool beside `npm start` (the tax demo) can read
 * back what was committed to it, as a user with the account would.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AppConfig } from '../config';
import type { AvaTaxSettings } from '../config/taxEngines';
import { startAvaTaxEmulator } from '../emulators/avatax/server';
import { startTaxJarEmulator } from '../emulators/taxjar/server';

export interface LocalTaxEngines {
  /** AVATAX_* / TAXJAR_* for the child processes (empty for an engine that is really configured). */
  env: Record<string, string>;
  /** One line per emulator started, for the start-up banner. */
  lines: string[];
  stop(): Promise<void>;
}

/** The file in DATA_DIR/secrets holding the local AvaTax emulator's account while `npm start` runs. */
export const AVATAX_EMULATOR_SECRET = 'avatax-emulator.json';
type AvaTaxAccount = Pick<AvaTaxSettings, 'accountId' | 'licenseKey' | 'baseUrl' | 'companyCode'>;

/** The AvaTax emulator account `npm start` keeps in `dataDir`, if one runs. */
export function readLocalAvaTaxAccount(dataDir: string): AvaTaxAccount | undefined {
  try {
    return JSON.parse(fs.readFileSync(path.join(dataDir, 'secrets', AVATAX_EMULATOR_SECRET), 'utf8')) as AvaTaxAccount;
  } catch {
    return undefined;
  }
}

export async function startLocalTaxEngines(
  cfg: Pick<
    AppConfig,
    'AVATAX_ACCOUNT_ID' | 'AVATAX_BASE_URL' | 'AVATAX_COMPANY_CODE' | 'TAXJAR_API_KEY' | 'TAXJAR_API_URL'
  > &
    Partial<Pick<AppConfig, 'DATA_DIR'>>,
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
    if (cfg.DATA_DIR) {
      const file = path.join(cfg.DATA_DIR, 'secrets', AVATAX_EMULATOR_SECRET);
      const account: AvaTaxAccount = {
        accountId,
        licenseKey,
        baseUrl: avatax.url,
        companyCode: cfg.AVATAX_COMPANY_CODE,
      };
      fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
      fs.writeFileSync(file, JSON.stringify(account), { mode: 0o600 });
      stops.push(() => fs.promises.rm(file, { force: true }));
    }
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
