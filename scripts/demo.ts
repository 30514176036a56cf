/**
 * `npm run demo -- <name> [--compression <n>] [--shop <shopId>]` runs a demo scenario (demo/<name>.ts) against a
 * running `npm start`: the API on API_PORT (or OPS_API_URL) with the admin key `npm start` keeps (or OPS_API_KEY), the
 * TikTok emulator on EMULATOR_PORT, the AvaTax account of AVATAX_* (else the emulator `npm start` runs). It connects the demo shop when it is not, compresses time (demo/compressedTime.ts),
 * runs the scenario, puts time back and ends with one line: `demo <name>: ok — …` (exit 0) or
 * `demo <name>: FAILED — …` (exit 1). `npm run demo -- --list` lists the scenarios. A path instead of a name
 * (`npm run demo -- ./dist/demo/mine.js`) runs a scenario module that is not registered yet.
 */
import path from 'node:path';
import { ConfigError, loadConfig } from '../config';
import { opsApiTarget, OpsApiTargetError } from '../config/opsApi';
import { taxEngineSettings } from '../config/taxEngines';
import { DEFAULT_COMPRESSION } from '../demo/compressedTime';
import { openDemo, type OpenDemo } from '../demo/context';
import { DEMO_SCENARIOS } from '../demo/index';
import { DemoError, type DemoScenario } from '../demo/scenario';
import { parseCommandLine, UsageError } from './commandLine';
import { readLocalAvaTaxAccount } from './taxEngineEmulators';

const USAGE = 'npm run demo -- <name> [--compression <n>] [--shop <shopId>] | --list';

const isScenario = (v: unknown): v is DemoScenario =>
  typeof (v as DemoScenario | undefined)?.name === 'string' && typeof (v as DemoScenario).run === 'function';

async function findScenario(name: string): Promise<DemoScenario> {
  const known = DEMO_SCENARIOS.find((s) => s.name === name);
  if (known) return known;
  if (!/[/\\]/.test(name)) {
    throw new UsageError(`no demo named "${name}"; there are: ${DEMO_SCENARIOS.map((s) => s.name).join(', ')}`);
  }
  const mod = (await import(path.resolve(name))) as Record<string, unknown>;
  const scenario = Object.values(mod).find(isScenario);
  if (!scenario) throw new UsageError(`${name} exports no demo scenario ({ name, summary, run })`);
  return scenario;
}

async function main(): Promise<number> {
  const { values, positionals } = parseCommandLine(
    USAGE,
    { list: { type: 'boolean' }, compression: { type: 'string' }, shop: { type: 'string' } },
    { positionals: true },
  );
  if (values.list) {
    for (const s of DEMO_SCENARIOS) process.stdout.write(`${s.name.padEnd(12)} ${s.summary}\n`);
    return 0;
  }
  const [name, ...extra] = positionals;
  if (!name || extra.length > 0) throw new UsageError(`name one demo\nusage: ${USAGE}`);
  const compression = values.compression === undefined ? DEFAULT_COMPRESSION : Number(values.compression);
  if (!Number.isInteger(compression) || compression < 1 || compression > 100_000) {
    throw new UsageError('--compression is a whole factor from 1 to 100000');
  }
  let label = name;
  let open: OpenDemo | undefined;
  // Ctrl-C: time goes back to normal before the process ends.
  process.once('SIGINT', () => {
    void (open?.restore() ?? Promise.resolve())
      .catch(() => undefined)
      .finally(() => {
        process.stdout.write(`demo ${label}: FAILED — interrupted\n`);
        process.exit(130);
      });
  });
  try {
    const scenario = await findScenario(name);
    label = scenario.name;
    const cfg = loadConfig();
    const target = opsApiTarget(cfg);
    const log = (line: string) => process.stdout.write(`[demo] ${line}\n`);
    open = await openDemo({
      apiUrl: target.url,
      apiKey: target.key,
      emulatorUrl: `http://127.0.0.1:${cfg.EMULATOR_PORT}`,
      shopId: values.shop,
      compression,
      log,
      avatax: taxEngineSettings(cfg).avatax ?? readLocalAvaTaxAccount(cfg.DATA_DIR),
    });
    log(`running "${scenario.name}": ${scenario.summary}`);
    let summary: string;
    try {
      summary = await scenario.run(open.ctx);
    } finally {
      await open.restore();
    }
    process.stdout.write(`demo ${label}: ok — ${summary}\n`);
    return 0;
  } catch (err) {
    const known = [DemoError, ConfigError, OpsApiTargetError, UsageError].some((type) => err instanceof type);
    // Our own failures say what happened in their message; anything else also leaves its stack on stderr.
    if (!known) process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
    const message = err instanceof Error ? `${known ? '' : `${err.name}: `}${err.message}` : String(err);
    process.stdout.write(`demo ${label}: FAILED — ${message.replace(/\s*\n\s*/g, ' ')}\n`);
    return 1;
  }
}

main()
  .then((code) => process.exit(code))
  .catch((err: unknown) => {
    // Only a usage error of the command line itself gets here (before a demo is named).
    process.stderr.write(`${err instanceof UsageError ? err.message : String(err)}\n`);
    process.exit(2);
  });
