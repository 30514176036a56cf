import type { AppConfig } from '.';

export interface AvaTaxSettings {
  accountId: string;
  licenseKey: string;
  /** "sandbox", "production" or a full URL (the SDK's `environment`); the emulator's URL offline. */
  baseUrl: string;
  companyCode: string;
  /** Calls in flight at once per batch (default 8). */
  concurrency?: number;
  /** Per-call timeout (the SDK's default is 20 minutes; default here 60 s). */
  timeoutMs?: number;
}

export interface TaxJarSettings {
  apiKey: string;
  /** https://api.taxjar.com, https://api.sandbox.taxjar.com or the emulator's URL (the SDK appends /v2/). */
  apiUrl: string;
  concurrency?: number;
}

export interface TaxEngineSettings {
  /** Absent when AvaTax is not configured (no account id / license key). */
  avatax?: AvaTaxSettings;
  /** Absent when TaxJar is not configured (no API key). */
  taxjar?: TaxJarSettings;
}

/** AvaTax sandbox host (https://developer.avalara.com/avatax/dev-guide/getting-started-with-avatax/). */
export const AVATAX_SANDBOX_URL = 'https://sandbox-rest.avatax.com';
/** TaxJar sandbox host (https://developers.taxjar.com/api/reference/#sandbox-environment). */
export const TAXJAR_SANDBOX_URL = 'https://api.sandbox.taxjar.com';

/** The engines the environment configures; secrets come from the environment only. */
export function taxEngineSettings(cfg: AppConfig): TaxEngineSettings {
  const settings: TaxEngineSettings = {};
  if (cfg.AVATAX_ACCOUNT_ID && cfg.AVATAX_LICENSE_KEY) {
    settings.avatax = {
      accountId: cfg.AVATAX_ACCOUNT_ID,
      licenseKey: cfg.AVATAX_LICENSE_KEY,
      baseUrl: cfg.AVATAX_BASE_URL ?? AVATAX_SANDBOX_URL,
      companyCode: cfg.AVATAX_COMPANY_CODE,
    };
  }
  if (cfg.TAXJAR_API_KEY) {
    settings.taxjar = {
      apiKey: cfg.TAXJAR_API_KEY,
      apiUrl: (cfg.TAXJAR_API_URL ?? TAXJAR_SANDBOX_URL).replace(/\/+$/, ''),
    };
  }
  return settings;
}
