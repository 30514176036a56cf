import type { AppConfig } from '../../config';
import type { Db } from '../../db/knex';
import type { Keyring } from '../../secrets/keyring';

/** What the monthly tax report's activities reach the outside world through. */
export interface TaxReportDeps {
  cfg: Pick<AppConfig, 'FILE_MAX_BYTES'>;
  db: Db;
  /** SECRETS_ENCRYPTION_KEY: the file store seals the CSV and PDF with it. */
  secretsKeyring?: Keyring;
}

/** Tuning of one `computeTaxReportStep` call (tests and the benchmark set them; the defaults serve the worker). */
export interface TaxReportTuning {
  /** Lines per page read from PostgreSQL (default 5,000). */
  pageLines?: number;
  /** A call returns its cursor after this long (default 60 s), so no activity runs for the whole month's lines. */
  callBudgetMs?: number;
}
