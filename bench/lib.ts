import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { REPO_ROOT } from '../config';
import { UsageError } from '../scripts/commandLine';
import { startTestServices } from '../scripts/testServices';

export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const idx = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[idx]!;
}

/** Calls `onBody` with a request's whole body once it has arrived. */
export function onRequestBody(req: http.IncomingMessage, onBody: (body: Buffer) => void): void {
  const chunks: Buffer[] = [];
  req.on('data', (c: Buffer) => chunks.push(c));
  req.on('end', () => onBody(Buffer.concat(chunks)));
}

export const fmt = (n: number, digits = 1): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');

/** Starts a compiled script as a child process; resolves once `ready` appears in its output. */
/** Every child process a benchmark started, so an interrupted run can stop them (see killBenchChildren). */
export const benchChildren = new Set<ChildProcess>();

/** Interrupted benchmark: SIGTERM every child still running (the product's API and worker processes). */
export function killBenchChildren(): void {
  for (const c of benchChildren) if (c.exitCode === null && c.signalCode === null) c.kill('SIGTERM');
}

export async function startChild(
  script: string,
  env: NodeJS.ProcessEnv,
  ready: RegExp | { url: string },
  timeoutMs = 60_000,
): Promise<ChildProcess> {
  const execArgv =
    process.env.BENCH_CHILD_EXEC_ARGV && script.startsWith('api/') ? process.env.BENCH_CHILD_EXEC_ARGV.split(' ') : [];
  const child = spawn(process.execPath, [...execArgv, path.join(REPO_ROOT, 'dist', script)], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  benchChildren.add(child);
  child.once('exit', () => benchChildren.delete(child));
  let out = '';
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${script} not ready in ${timeoutMs} ms:\n${out}`)), timeoutMs);
    const onData = (c: Buffer) => {
      out += c.toString();
      if (ready instanceof RegExp && ready.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    };
    if (!(ready instanceof RegExp)) {
      const poll = () => {
        fetch(ready.url)
          .then((r) => {
            if (r.ok) {
              clearTimeout(timer);
              resolve();
            } else setTimeout(poll, 200);
          })
          .catch(() => setTimeout(poll, 200));
      };
      poll();
    }
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`${script} exited with ${code}:\n${out}`));
    });
  });
  child.removeAllListeners('exit');
  return child;
}

export interface LoadResult {
  sent: number;
  ok: number;
  non2xx: number;
  errors: number;
  latenciesMs: number[];
  durationMs: number;
}

/**
 * Open-loop load: requests go out on a fixed schedule whatever the server's latency (a closed loop would hide
 * queueing). Each body is sent once, already signed.
 */
export async function openLoopLoad(opts: {
  url: string;
  ratePerSecond: number;
  seconds: number;
  request: (i: number) => { body: Buffer; headers: Record<string, string> };
}): Promise<LoadResult> {
  const target = new URL(opts.url);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 512 });
  const total = Math.round(opts.ratePerSecond * opts.seconds);
  const latencies: number[] = [];
  let ok = 0;
  let non2xx = 0;
  let errors = 0;
  let sent = 0;
  const started = performance.now();
  const inflight: Promise<void>[] = [];
  const send = (i: number) =>
    new Promise<void>((resolve) => {
      const { body, headers } = opts.request(i);
      const t0 = performance.now();
      const req = http.request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: { ...headers, 'content-length': String(body.length) },
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            latencies.push(performance.now() - t0);
            if (res.statusCode && res.statusCode >= 200 && res.statusCode < 300) ok += 1;
            else non2xx += 1;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors += 1;
        resolve();
      });
      req.end(body);
    });
  await new Promise<void>((resolve) => {
    const tick = setInterval(() => {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * opts.ratePerSecond));
      while (sent < due) inflight.push(send(sent++));
      if (sent >= total) {
        clearInterval(tick);
        resolve();
      }
    }, 2);
  });
  await Promise.all(inflight);
  agent.destroy();
  return {
    sent,
    ok,
    non2xx,
    errors,
    latenciesMs: latencies.sort((a, b) => a - b),
    durationMs: performance.now() - started,
  };
}

/** PostgreSQL and a Temporal dev server (on disk) for a benchmark run; an interrupted run stops them and its children. */
export async function startBenchServices(
  log: (m: string) => void,
): Promise<{ services: { temporalAddress: string; databaseAdminUrl: string }; stop(): Promise<void> }> {
  const started = await startTestServices(log, { temporalOnDisk: true });
  for (const signal of ['SIGINT', 'SIGTERM'] as const)
    process.once(signal, () => {
      killBenchChildren();
      void started.stop().finally(() => process.exit(130));
    });
  return {
    services: {
      temporalAddress: started.env.TEST_TEMPORAL_ADDRESS!,
      databaseAdminUrl: started.env.TEST_DATABASE_ADMIN_URL!,
    },
    stop: () => started.stop(),
  };
}

/** `--only=a,b`: names out of `allowed`; undefined when the flag is absent. */
export function parseOnly<T extends string>(arg: string | undefined, allowed: readonly T[]): T[] | undefined {
  if (arg === undefined) return undefined;
  const names = arg.split(',').filter(Boolean);
  const unknown = names.filter((n) => !(allowed as readonly string[]).includes(n));
  if (unknown.length || names.length === 0)
    throw new UsageError(`--only takes a comma-separated list of ${allowed.join(', ')}; got "${arg}"`);
  return names as T[];
}

/** A whole number for a flag such as --seed=7; undefined when the flag is absent. */
export function wholeNumber(flag: string, arg: string | undefined): number | undefined {
  if (arg === undefined) return undefined;
  if (!/^\d+$/.test(arg)) throw new UsageError(`--${flag} takes a whole number, not "${arg}"`);
  return Number(arg);
}

/** The emulator's admin API (unsigned JSON): GET without a body, POST with one; an error carries the HTTP status. */
export function emulatorAdminClient(emulatorUrl: string): (path: string, body?: unknown) => Promise<any> {
  return async (path: string, body?: unknown) => {
    const res = await fetch(`${emulatorUrl}/__admin${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw Object.assign(new Error(`admin ${path}: HTTP ${res.status} ${text}`), { status: res.status });
    return JSON.parse(text) as unknown;
  };
}

/** The largest VmRSS of `pid` seen until stop(), in MB (sampled every 200 ms from /proc). */
export function sampleRss(pid: number): { stop(): number } {
  let max = 0;
  const read = () => {
    try {
      const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
      if (m) max = Math.max(max, Number(m[1]) / 1024);
    } catch {
      // gone
    }
  };
  const timer = setInterval(read, 200);
  read();
  return {
    stop() {
      clearInterval(timer);
      read();
      return max;
    },
  };
}

/** The host line every benchmark starts with: CPUs and the load average at its start. */
export function hostLine(): string {
  return `host: ${os.cpus().length} CPUs, load average ${os
    .loadavg()
    .map((l) => fmt(l, 2))
    .join(' ')}`;
}

/**
 * Runs this benchmark's own script again as a measured child (`args`, e.g. `--child`), as the worker would run the
 * activity: wall time, its largest RSS, its stdout (each line to `onLine` as it comes), its exit code.
 */
export async function runMeasuredChild(
  script: string,
  args: string[],
  opts: { env?: NodeJS.ProcessEnv; onLine?: (line: string) => void } = {},
): Promise<{ code: number | null; out: string; ms: number; maxRssMb: number }> {
  const t = performance.now();
  const proc = spawn(process.execPath, [script, ...args], {
    env: opts.env ?? process.env,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  benchChildren.add(proc);
  const rss = sampleRss(proc.pid!);
  let out = '';
  proc.stdout.on('data', (c: Buffer) => {
    out += c.toString();
    if (opts.onLine) for (const l of c.toString().split('\n')) opts.onLine(l);
  });
  const code = await new Promise<number | null>((resolve) => proc.once('exit', resolve));
  return { code, out, ms: performance.now() - t, maxRssMb: rss.stop() };
}
