import type http from 'node:http';
import type { Logger } from 'pino';

export interface DrainOptions {
  servers: http.Server[];
  /** Longest wait for in-flight requests; then their connections are cut. */
  graceMs: number;
  /** Closes the clients the requests use (Temporal, PostgreSQL); runs only once no request is in flight. */
  closeClients: () => Promise<void>;
  logger: Pick<Logger, 'info' | 'warn'>;
}

/**
 * Graceful stop: accept no new connections, let every in-flight request finish (up to the grace time), and only then
 * close the clients they use. Closing the clients first would fail the requests a deploy or scale-down interrupts.
 */
export async function drainAndClose(opts: DrainOptions): Promise<void> {
  const closed = opts.servers.map((server) => new Promise<void>((resolve) => server.close(() => resolve())));
  // Keep-alive connections with no request in flight would hold close() open until the client hangs up.
  for (const server of opts.servers) server.closeIdleConnections();
  const idleSweep = setInterval(() => opts.servers.forEach((s) => s.closeIdleConnections()), 100);
  const deadline = setTimeout(() => {
    opts.logger.warn({ graceMs: opts.graceMs }, 'shutdown grace time over: cutting the remaining connections');
    for (const server of opts.servers) server.closeAllConnections();
  }, opts.graceMs);
  try {
    await Promise.all(closed);
  } finally {
    clearInterval(idleSweep);
    clearTimeout(deadline);
  }
  opts.logger.info('in-flight requests drained');
  await opts.closeClients();
}
