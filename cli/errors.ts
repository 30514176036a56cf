// The CLI's failures by name (cli/main.ts prints `<name>: <message>` on stderr, or a JSON error object with --json).
export { ConfigError } from '../config';

/** The API answered with an error: its HTTP status, error code and message as the API gave them. */
export class ApiError extends Error {
  override name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** The API could not be reached at all (nothing listening, DNS, a timeout). */
export class ConnectionError extends Error {
  override name = 'ConnectionError';
}

/** The command line itself is wrong (unknown option, missing argument, input that is not JSON): exit code 2. */
export class UsageError extends Error {
  override name = 'UsageError';
}
