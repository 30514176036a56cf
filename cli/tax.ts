// `tax registrations list|set|remove`: the seller's sales-tax registrations per state, through the API
// (GET/PUT/DELETE /v1/shops/:shopId/tax/registrations[/:state]).
import { InvalidArgumentError, type Command } from 'commander';
import type { TaxRegistration } from '../db/taxRegistrations';
import type { OpsApiClient } from './apiClient';
import { table } from './format';

const encode = encodeURIComponent;
const FREQUENCIES = ['monthly', 'quarterly', 'semiannual', 'annual'];

function frequency(value: string): string {
  if (!FREQUENCIES.includes(value)) throw new InvalidArgumentError(`one of ${FREQUENCIES.join(', ')}`);
  return value;
}

function day(value: string): string {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) throw new InvalidArgumentError('a date as YYYY-MM-DD');
  return value;
}

/** Registrations as a table: state, permit, frequency, start, who changed it last. */
export function formatTaxRegistrations(shopId: string, rows: TaxRegistration[]): string {
  if (rows.length === 0) return `Shop ${shopId} has no sales-tax registrations`;
  return table(
    ['state', 'permit', 'frequency', 'start', 'updated by'],
    rows.map((r) => [r.state, r.permitNumber, r.filingFrequency, r.startDate, r.updatedBy]),
  );
}

/** Adds the `tax` commands to the program. */
export function addTaxCommands(
  program: Command,
  api: () => OpsApiClient,
  print: (cmd: Command, value: unknown, text: () => string) => void,
): void {
  const tax = program.command('tax').description('Sales tax: the shop’s registrations per state');
  const registrations = tax.command('registrations').description("The seller's sales-tax registrations per state");
  const path = (shopId: string, state?: string) =>
    `/v1/shops/${encode(shopId)}/tax/registrations${state === undefined ? '' : `/${encode(state.toUpperCase())}`}`;

  registrations
    .command('list <shopId>')
    .description("The shop's registrations: state, permit, filing frequency, start date")
    .action(async (shopId: string, _opts: unknown, cmd: Command) => {
      const out = await api().get<{ registrations: TaxRegistration[] }>(path(shopId));
      print(cmd, out, () => formatTaxRegistrations(shopId, out.registrations));
    });

  registrations
    .command('set <shopId> <state>')
    .description('Creates or replaces the registration in a state (updatedBy is your API key)')
    .requiredOption('--permit <number>', 'the permit or account number the state issued')
    .requiredOption(
      '--frequency <frequency>',
      `the filing frequency the state assigned (${FREQUENCIES.join(', ')})`,
      frequency,
    )
    .requiredOption('--start <date>', 'the first day the registration applies (YYYY-MM-DD)', day)
    .action(
      async (
        shopId: string,
        state: string,
        opts: { permit: string; frequency: string; start: string },
        cmd: Command,
      ) => {
        const out = await api().put<TaxRegistration>(path(shopId, state), {
          permitNumber: opts.permit,
          filingFrequency: opts.frequency,
          startDate: opts.start,
        });
        print(
          cmd,
          out,
          () =>
            `Registered ${out.state} for shop ${shopId}: permit ${out.permitNumber}, ${out.filingFrequency} from ${out.startDate}`,
        );
      },
    );

  registrations
    .command('remove <shopId> <state>')
    .description('Removes the registration in a state')
    .action(async (shopId: string, state: string, _opts: unknown, cmd: Command) => {
      await api().delete(path(shopId, state));
      const removed = { shopId, state: state.toUpperCase(), removed: true };
      print(cmd, removed, () => `Removed the ${removed.state} registration of shop ${shopId}`);
    });
}
