// What the AvaTax and TaxJar emulators share: listening on a port, the admin routes' health check, the call log.
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

export interface RunningTaxEmulator {
  url: string;
  close(): Promise<void>;
}

/** Listens on host:port (0: a free port) and closes with open keep-alive connections dropped. */
export async function listenEmulator(app: express.Express, port = 0, host = '127.0.0.1'): Promise<RunningTaxEmulator> {
  const server: Server = await new Promise((resolve, reject) => {
    const s = app.listen(port, host, (err?: Error) => (err ? reject(err) : resolve(s)));
  });
  const addr = server.address() as AddressInfo;
  return {
    url: `http://${host}:${addr.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** Counts of calls per route (method + route pattern) and status, for tests and benchmarks. */
export class CallLog {
  readonly counts = new Map<string, number>();
  record(method: string, route: string, status: number): void {
    const key = `${method} ${route} ${status}`;
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
  }
  toJSON(): Record<string, number> {
    return Object.fromEntries([...this.counts.entries()].sort());
  }
}

/** A JSON body parser whose malformed-JSON failure is answered in the engine's own error envelope. */
export function jsonBody(onMalformed: (res: express.Response) => void): express.RequestHandler[] {
  return [
    express.json({ limit: '5mb' }),
    (err: unknown, _req: express.Request, res: express.Response, next: express.NextFunction) => {
      if (err) onMalformed(res);
      else next();
    },
  ] as unknown as express.RequestHandler[];
}

/** Records each answered request in the call log under its route pattern. */
export function callLogger(log: CallLog): express.RequestHandler {
  return (req, res, next) => {
    res.on('finish', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      log.record(req.method, `${req.baseUrl}${route}`, res.statusCode);
    });
    next();
  };
}

/** The emulator's admin router: health, the call log, and a reset of its state. */
export function adminRoutes(log: CallLog, state: () => unknown, reset: () => void): express.Router {
  const admin = express.Router();
  admin.get('/health', (_req, res) => void res.json({ ok: true }));
  admin.get('/calls', (_req, res) => void res.json(log.toJSON()));
  admin.get('/state', (_req, res) => void res.json(state()));
  admin.post('/reset', (_req, res) => {
    reset();
    log.counts.clear();
    res.json({ ok: true });
  });
  return admin;
}
