import type { FilingFrequency } from '../policy/taxRules';
import type { Db } from './knex';

/** A shop's registration in one state, as the API answers it (dates as YYYY-MM-DD). */
export interface TaxRegistration {
  shopId: string;
  state: string;
  permitNumber: string;
  filingFrequency: FilingFrequency;
  startDate: string;
  updatedBy: string;
  createdAt: string;
  updatedAt: string;
}

export interface TaxRegistrationInput {
  permitNumber: string;
  filingFrequency: FilingFrequency;
  startDate: string;
  updatedBy: string;
}

interface Row {
  shop_id: string;
  state: string;
  permit_number: string;
  filing_frequency: FilingFrequency;
  start_date: string;
  updated_by: string;
  created_at: Date;
  updated_at: Date;
}

// start_date as text: a `date` read through node-postgres becomes a local-midnight Date, which shifts a day west of UTC.
const COLUMNS = [
  'shop_id',
  'state',
  'permit_number',
  'filing_frequency',
  'updated_by',
  'created_at',
  'updated_at',
] as const;

function toRegistration(r: Row): TaxRegistration {
  return {
    shopId: r.shop_id,
    state: r.state,
    permitNumber: r.permit_number,
    filingFrequency: r.filing_frequency,
    startDate: r.start_date,
    updatedBy: r.updated_by,
    createdAt: r.created_at.toISOString(),
    updatedAt: r.updated_at.toISOString(),
  };
}

/** The seller's sales-tax registrations per shop and state (tax_registrations, migration 029). */
export function createTaxRegistrationRepository(db: Db) {
  const select = (shopId: string) =>
    db('tax_registrations')
      .where({ shop_id: shopId })
      .select(...COLUMNS, db.raw(`to_char(start_date, 'YYYY-MM-DD') as start_date`));
  return {
    async list(shopId: string): Promise<TaxRegistration[]> {
      const rows = (await select(shopId).orderBy('state')) as unknown as Row[];
      return rows.map(toRegistration);
    },

    async get(shopId: string, state: string): Promise<TaxRegistration | undefined> {
      const row = (await select(shopId).andWhere({ state }).first()) as unknown as Row | undefined;
      return row ? toRegistration(row) : undefined;
    },

    /** Creates or replaces the registration of `state`; `created` tells which. */
    async put(
      shopId: string,
      state: string,
      input: TaxRegistrationInput,
    ): Promise<{ registration: TaxRegistration; created: boolean }> {
      const result = await db.raw<{ rows: { created: boolean }[] }>(
        `insert into tax_registrations (shop_id, state, permit_number, filing_frequency, start_date, updated_by)
         values (:shopId, :state, :permitNumber, :filingFrequency, :startDate, :updatedBy)
         on conflict (shop_id, state) do update set
           permit_number = excluded.permit_number, filing_frequency = excluded.filing_frequency,
           start_date = excluded.start_date, updated_by = excluded.updated_by, updated_at = now()
         returning (xmax = 0) as created`,
        { shopId, state, ...input },
      );
      const registration = await this.get(shopId, state);
      if (!registration) throw new Error(`tax registration ${shopId}/${state} vanished after its upsert`);
      return { registration, created: result.rows[0]?.created === true };
    },

    /** Removes the registration of `state`; false when there was none. */
    async remove(shopId: string, state: string): Promise<boolean> {
      return (await db('tax_registrations').where({ shop_id: shopId, state }).delete()) > 0;
    },
  };
}

export type TaxRegistrationRepository = ReturnType<typeof createTaxRegistrationRepository>;
