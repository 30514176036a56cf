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
    // 'close' also fires for a request whose caller went away before the answer (a killed worker).
    res.on('close', () => {
      const route = (req.route as { path?: string } | undefined)?.path ?? req.path;
      log.record(req.method, `${req.baseUrl}${route}`, res.statusCode);
    });
    next();
  };
}

/**
 * Holds API requests for tests and benchmarks that kill a worker mid-batch: once armed, the first `afterCalls`
 * requests pass and later ones wait (unanswered) until the gate is opened; then they run, as an engine that took a
 * request whose answer never reached the caller.
 */
export class RequestGate {
  private remaining: number | undefined;
  private waiting: (() => void)[] = [];
  held = 0;
  arm(afterCalls: number): void {
    this.remaining = afterCalls;
  }
  open(): void {
    this.remaining = undefined;
    for (const release of this.waiting.splice(0)) release();
  }
  middleware(): express.RequestHandler {
    return (_req, _res, next) => {
      if (this.remaining === undefined) return next();
      if (this.remaining > 0) {
        this.remaining--;
        return next();
      }
      this.held++;
      this.waiting.push(() => next());
    };
  }
}

/** The emulator's admin router: health, the call log, a reset of its state, and the request gate. */
export function adminRoutes(log: CallLog, state: () => unknown, reset: () => void, gate?: RequestGate): express.Router {
  const admin = express.Router();
  admin.use(express.json());
  admin.post('/gate', (req, res) => {
    if (!gate) return void res.status(404).json({ ok: false });
    const body = req.body as { afterCalls?: unknown; open?: unknown };
    if (body.open === true) gate.open();
    else if (typeof body.afterCalls === 'number') gate.arm(body.afterCalls);
    res.json({ ok: true, held: gate.held });
  });
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
