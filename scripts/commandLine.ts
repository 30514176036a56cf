// Command-line flags of the scripts and benchmarks, read by node:util's parseArgs
// (https://nodejs.org/api/util.html#utilparseargsconfig): strict, so a mistyped flag stops the run with its name
// instead of being ignored (a benchmark run without the flag meant is an hour lost).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** A command line the script does not take: its message names the flag and shows the usage. */
export class UsageError extends Error {
  override name = 'UsageError';
}

type Options = NonNullable<ParseArgsConfig['options']>;

/** Parses `argv` (default: this process's arguments) against `options`; positionals only when `positionals`. */
export function parseCommandLine<O extends Options>(
  usage: string,
  options: O,
  { argv = process.argv.slice(2), positionals = false }: { argv?: string[]; positionals?: boolean } = {},
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: positionals, strict: true });
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS_')) {
      throw new UsageError(`${(err as Error).message.split('\n')[0]}\nusage: ${usage}`);
    }
    throw err;
  }
}
