/**
 * The operators' command line (`npm run cli -- <command>`): the human steps waiting for a person, by due time, and
 * their decisions, a shop's settings, chargebacks and appeals (cli/disputes.ts), all through the HTTP API with an API key (docs/case-contract.md).
 * OPS_API_URL (default http://127.0.0.1:<API_PORT>) and OPS_API_KEY (default: ADMIN_API_KEY, else the admin key
 * `npm start` keeps in DATA_DIR/secrets/admin-api-key), as the demo runner (config/opsApi.ts). Exit codes: 0 done, 1 failed (ApiError, ConnectionError, ConfigError), 2 the
 * command line is wrong (UsageError). On failure nothing goes to stdout, except with --json: a JSON error object.
 */
import fs from 'node:fs';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { loadConfig } from '../config';
import { opsApiTarget, OpsApiTargetError } from '../config/opsApi';
import { addAffiliateCommands } from './affiliateAudit';
import { addCertificateCommands } from './certificates';
import { createOpsApiClient, type OpsApiClient, type OpsApiTarget } from './apiClient';
import { addDisputeCommands } from './disputes';
import { ApiError, ConfigError, UsageError } from './errors';
import { formatStep, formatStepList, type StepRow } from './format';
import { addHealthCommands } from './health';
import { addSuspensionAppealCommands } from './suspensionAppeal';
import { addTaxCommands } from './tax';
import { addUngatingCommands } from './ungating';
import { addTaxImportCommand } from './taxImport';
import { addTaxReportCommands } from './taxReport';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Where the API is and the key (default: OPS_API_URL / OPS_API_KEY or the local stack, config/opsApi.ts). */
  target?: () => OpsApiTarget;
  fetch?: typeof fetch;
  now?: () => number;
}

/** OPS_API_URL and OPS_API_KEY, else the local `npm start` stack and its admin key (config/opsApi.ts). */
export function localTarget(env: NodeJS.ProcessEnv = process.env): OpsApiTarget {
  try {
    const { url, key } = opsApiTarget(loadConfig(env));
    return { baseUrl: url, apiKey: key };
  } catch (err) {
    if (err instanceof OpsApiTargetError) throw new ConfigError(err.message);
    throw err;
  }
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} is not JSON: ${(err as Error).message}`);
  }
}

function positiveInt(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 500) throw new InvalidArgumentError('a whole number from 1 to 500');
  return n;
}

/** The decision's body: --input '<json>' or --input-file <path> (exactly one), a JSON object. */
export function decisionInput(opts: { input?: string; inputFile?: string }): Record<string, unknown> {
  if ((opts.input === undefined) === (opts.inputFile === undefined))
    throw new UsageError('give the decision as --input <json> or --input-file <path> (one of them)');
  let text = opts.input;
  if (opts.inputFile !== undefined) {
    try {
      text = fs.readFileSync(opts.inputFile, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${opts.inputFile}: ${(err as Error).message}`);
    }
  }
  const input = parseJson(text!, opts.inputFile ?? '--input');
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw new UsageError('the decision is a JSON object, e.g. {"stopped": true}');
  return input as Record<string, unknown>;
}

const encode = encodeURIComponent;

/** The program: commands read `--json` from the top level (`steps list --json` works too). */
function buildProgram(io: CliIo, api: () => OpsApiClient, captured: { error?: string }): Command {
  const now = io.now ?? Date.now;
  const print = (json: boolean, value: unknown, text: () => string) =>
    io.stdout(`${json ? JSON.stringify(value, null, 2) : text()}\n`);
  const program = new Command()
    .name('npm run cli --')
    .description('Human steps and shop settings through the HTTP API (docs/case-contract.md)')
    // Anywhere on the line (`steps list --json` too): program options are recognised after the subcommand.
    .option('--json', 'print JSON (the API rows or answer; on failure a JSON error object)')
    .exitOverride()
    .configureOutput({
      writeOut: (s) => io.stdout(s),
      writeErr: (s) => io.stderr(s),
      // Usage errors are printed by run() with the others (stderr, or JSON with --json).
      outputError: (s) => (captured.error = s.replace(/^error: /, '').trim()),
    });
  const json = (cmd: Command): boolean => Boolean(cmd.optsWithGlobals<{ json?: boolean }>().json);

  const steps = program.command('steps').description('What people are asked to decide, by due time');
  steps
    .command('list')
    .description('Open human steps by due time, with the time left to each')
    .option('--shop <shopId>', 'only this shop')
    .option('--kind <caseKind>', 'only this case kind (order_cancellation, order_dispatch, return, …)')
    .option('--all', 'closed steps too')
    .option('--limit <n>', 'at most n steps (default 100)', positiveInt)
    .action(async (opts: { shop?: string; kind?: string; all?: boolean; limit?: number }, cmd: Command) => {
      const query = new URLSearchParams();
      if (opts.shop) query.set('shopId', opts.shop);
      if (opts.kind) query.set('caseKind', opts.kind);
      if (!opts.all) query.set('open', 'true');
      if (opts.limit) query.set('limit', String(opts.limit));
      const { steps: rows } = await api().get<{ steps: StepRow[] }>(`/v1/human-steps?${query.toString()}`);
      print(json(cmd), rows, () => formatStepList(rows, now()));
    });
  steps
    .command('show <id>')
    .description('One step: what is asked, its context and input schema, how it ended')
    .action(async (id: string, _opts: unknown, cmd: Command) => {
      const step = await api().get<StepRow>(`/v1/human-steps/${encode(id)}`);
      print(json(cmd), step, () => formatStep(step, now()));
    });
  steps
    .command('decide <id>')
    .description("Sends the decision as the step's update (decidedBy is your API key)")
    .option('--input <json>', 'the decision, e.g. \'{"stopped": true}\'')
    .option('--input-file <path>', 'the decision, from a JSON file')
    .action(async (id: string, opts: { input?: string; inputFile?: string }, cmd: Command) => {
      const input = decisionInput(opts);
      const out = await api().post<{ stepId: string; updateName: string; decidedBy: string; result: unknown }>(
        `/v1/human-steps/${encode(id)}/decision`,
        input,
      );
      print(
        json(cmd),
        out,
        () => `Step ${out.stepId} decided by ${out.decidedBy} (${out.updateName}): ${JSON.stringify(out.result)}`,
      );
    });

  const settings = program.command('settings').description("A shop's settings (thresholds, offsets, who is paged)");
  settings
    .command('show <shopId>')
    .description("The shop's effective settings")
    .action(async (shopId: string, _opts: unknown, cmd: Command) => {
      const out = await api().get<unknown>(`/v1/shops/${encode(shopId)}/settings`);
      print(json(cmd), out, () => JSON.stringify(out, null, 2));
    });
  settings
    .command('set <shopId>')
    .description("Changes the shop's settings with a partial document (audited)")
    .requiredOption('--patch <json>', 'the fields to change, e.g. \'{"returns": {"criticalBeforeDeadline": "2h"}}\'')
    .option('--if-match <version>', 'only if the settings are still at this version (else the API answers 412)')
    .action(async (shopId: string, opts: { patch: string; ifMatch?: string }, cmd: Command) => {
      const patch = parseJson(opts.patch, '--patch');
      const headers: Record<string, string> = opts.ifMatch ? { 'if-match': opts.ifMatch } : {};
      const out = await api().patch<unknown>(`/v1/shops/${encode(shopId)}/settings`, patch, headers);
      print(json(cmd), out, () => JSON.stringify(out, null, 2));
    });
  addAffiliateCommands(program, api, print, json);
  addHealthCommands(program, api, (cmd, value, text) => print(json(cmd), value, text));
  addDisputeCommands(program, { api, print, json, now });
  addTaxCommands(program, api, (cmd, value, text) => print(json(cmd), value, text));
  addTaxImportCommand(program, api, (cmd, value, text) => print(json(cmd), value, text));
  addTaxReportCommands(
    program.commands.find((c) => c.name() === 'tax')!,
    api,
    (cmd, value, text) => print(json(cmd), value, text),
  );
  addCertificateCommands(program, api, (cmd, value, text) => print(json(cmd), value, text));
  addSuspensionAppealCommands(program, api, (cmd, value, text) => print(json(cmd), value, text));
  addUngatingCommands(program, api, (cmd, value, text) => print(json(cmd), value, text));
  return program;
}

/** What a failure prints: `<name>: <message>` on stderr, or with --json `{ error: {…} }` on stdout. */
function report(err: Error, asJson: boolean, io: CliIo): void {
  if (asJson) {
    const api = err instanceof ApiError ? { status: err.status, code: err.code } : {};
    io.stdout(`${JSON.stringify({ error: { name: err.name, ...api, message: err.message } }, null, 2)}\n`);
    return;
  }
  const status = err instanceof ApiError ? ` ${err.status} ${err.code}` : '';
  io.stderr(`${err.name}${status}: ${err.message}\n`);
}

/** Runs one command line (without `node main.js`); returns the exit code. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  const captured: { error?: string } = {};
  let client: OpsApiClient | undefined;
  const api = () => (client ??= createOpsApiClient((io.target ?? localTarget)(), io.fetch));
  const asJson = argv.includes('--json');
  try {
    await buildProgram(io, api, captured).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      // --help and --version end here too, successfully.
      if (err.exitCode === 0) return 0;
      // A command group without its subcommand (`steps`): its help went to stderr already.
      if (err.code === 'commander.help' && !asJson) return 2;
      report(new UsageError(captured.error ?? err.message), asJson, io);
      return 2;
    }
    const e = err instanceof Error ? err : new Error(String(err));
    report(e, asJson, io);
    return e instanceof UsageError ? 2 : 1;
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2), {
    stdout: (s) => process.stdout.write(s),
    stderr: (s) => process.stderr.write(s),
  }).then((code) => {
    process.exitCode = code;
  });
}
