// Temporal's Logger interface on our pino logger: the SDK, the worker, workflow code (`log` from
// @temporalio/workflow, forwarded out of the sandbox by the worker) and activities (`log` from @temporalio/activity)
// all write through it (https://typescript.temporal.io/api/interfaces/worker.RuntimeOptions#logger), so their lines
// are JSON with the same redaction as the API's.
import type { Logger as TemporalLogger, LogLevel, LogMetadata } from '@temporalio/common';
import type { Logger } from 'pino';

const PINO_LEVEL = { TRACE: 'trace', DEBUG: 'debug', INFO: 'info', WARN: 'warn', ERROR: 'error' } as const;
const SEVERITY: Record<LogLevel, number> = { TRACE: 0, DEBUG: 1, INFO: 2, WARN: 3, ERROR: 4 };

export interface TemporalLoggerOptions {
  /**
   * Least level of the SDK's own lines (worker state, bundling, Core): its INFO lines are start-up chatter. Workflow
   * and activity lines are filtered by the pino level only.
   */
  sdkLevel?: LogLevel;
}

export function temporalLogger(logger: Logger, options: TemporalLoggerOptions = {}): TemporalLogger {
  const sdkSeverity = SEVERITY[options.sdkLevel ?? 'WARN'];
  const log = (level: LogLevel, message: string, meta: LogMetadata = {}): void => {
    const component: unknown = meta.sdkComponent;
    const fromCode = component === 'workflow' || component === 'activity';
    if (!fromCode && SEVERITY[level] < sdkSeverity) return;
    // The SDK's timestamp travels under a symbol key, which pino does not serialize; pino stamps the line itself.
    logger[PINO_LEVEL[level]]({ ...meta }, message);
  };
  return {
    log,
    trace: (message, meta) => log('TRACE', message, meta),
    debug: (message, meta) => log('DEBUG', message, meta),
    info: (message, meta) => log('INFO', message, meta),
    warn: (message, meta) => log('WARN', message, meta),
    error: (message, meta) => log('ERROR', message, meta),
  };
}
