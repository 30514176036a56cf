import type { Knex } from 'knex';
import * as m001 from './001_foundation';
import * as m002 from './002_tiktok_connection';
import * as m003 from './003_rate_budget';
import * as m004 from './004_orders';
import * as m005 from './005_inventory';
import * as m006 from './006_order_reconciliation';
import * as m007 from './007_inbox_order_index';
import * as m008 from './008_shop_scope';
import * as m009 from './009_notification_delivery';
import * as m011 from './011_catalog_import_progress';
import * as m013 from './013_edge_retention';
import * as m016 from './016_dead_letters_per_shop';
import * as m017 from './017_shop_settings';
import * as m018 from './018_human_steps';
import * as m019 from './019_stored_files';
import * as m021 from './021_return_reconciliation';
import * as m020 from './020_return_cases';
import * as m023 from './023_carrier_trackers';
import * as m024 from './024_dispute_cases';
import * as m025 from './025_account_health';
import * as m026 from './026_affiliate_data';
import * as m026v from './026_affiliate_video_performance';
import * as m022 from './022_evidence_bundles';
import * as m029 from './029_tax_registrations';
import * as m028 from './028_tax_engine_commits';
import * as m027 from './027_affiliate_findings';
import * as m030 from './030_certificates';
import * as m031 from './031_tax_sales';
import * as m032 from './032_tax_reports';
import * as m033 from './033_product_categories';
import * as m035 from './035_suspension_appeals';
import * as m034 from './034_category_ungating';

interface Migration {
  up(knex: Knex): Promise<void>;
}

// Order matters and names never change once released: knex records them in knex_migrations.
const MIGRATIONS: [string, Migration][] = [
  ['001_foundation', m001],
  ['002_tiktok_connection', m002],
  ['003_rate_budget', m003],
  ['004_orders', m004],
  ['005_inventory', m005],
  ['006_order_reconciliation', m006],
  ['007_inbox_order_index', m007],
  ['008_shop_scope', m008],
  ['009_notification_delivery', m009],
  ['011_catalog_import_progress', m011],
  ['013_edge_retention', m013],
  ['016_dead_letters_per_shop', m016],
  ['017_shop_settings', m017],
  ['018_human_steps', m018],
  ['019_stored_files', m019],
  ['021_return_reconciliation', m021],
  ['020_return_cases', m020],
  ['023_carrier_trackers', m023],
  ['024_dispute_cases', m024],
  ['025_account_health', m025],
  ['026_affiliate_data', m026],
  ['026_affiliate_video_performance', m026v],
  ['022_evidence_bundles', m022],
  ['028_tax_engine_commits', m028],
  ['027_affiliate_findings', m027],
  ['029_tax_registrations', m029],
  ['030_certificates', m030],
  ['031_tax_sales', m031],
  ['032_tax_reports', m032],
  ['033_product_categories', m033],
  ['035_suspension_appeals', m035],
  ['034_category_ungating', m034],
];

/** Explicit migration list (no directory scanning, so the compiled output and the sources cannot disagree). */
export const migrationSource: Knex.MigrationSource<string> = {
  getMigrations: () => Promise.resolve(MIGRATIONS.map(([name]) => name)),
  getMigrationName: (name) => name,
  getMigration: (name) => {
    const found = MIGRATIONS.find(([n]) => n === name);
    if (!found) throw new Error(`unknown migration ${name}`);
    const migration = found[1];
    return Promise.resolve({
      up: (knex: Knex) => migration.up(knex),
      // Forward-only: a rollback is a new migration.
      down: () => Promise.reject(new Error(`migration ${name} is forward-only`)),
    });
  },
};
