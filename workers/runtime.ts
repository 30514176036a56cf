import { Runtime } from '@temporalio/worker';
import type { Logger } from 'pino';
import { temporalLogger } from '../logging/temporalLogger';

/**
 * Installs the process's Temporal Runtime with our logger (once per process, before any worker or connection):
 * workflow, activity, worker and Core lines become one JSON stream with the API's redaction. Core's own lines are
 * forwarded too (https://typescript.temporal.io/api/interfaces/worker.TelemetryOptions#logging) instead of being
 * printed in its own format; the SDK's informational lines show at LOG_LEVEL=debug, as they did before.
 */
export function installRuntime(logger: Logger): Runtime {
  const verbose = logger.isLevelEnabled('debug');
  return Runtime.install({
    logger: temporalLogger(logger.child({ component: 'temporal' }), { sdkLevel: verbose ? 'INFO' : 'WARN' }),
    telemetryOptions: { logging: { forward: {}, filter: { core: verbose ? 'INFO' : 'WARN', other: 'ERROR' } } },
  });
}
