/**
 * Worker failure and a slow machine, for the flash-sale benchmark (issue 12 items 11 and 12):
 * - `--chaos`: every `everyMs` a worker process is SIGKILLed (no graceful shutdown) and an identical one started in its
 *   place, as an orchestrator restarting a crashed container would.
 * - `--cpu-hog`: a process that keeps one core busy for the whole run (the machine other tenants share).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { benchChildren } from './lib';

export interface ChaosKill {
  /** Milliseconds since the chaos started. */
  atMs: number;
  killedPid: number;
  replacementPid: number;
  /** SIGKILL → the replacement polling the task queue. */
  restartMs: number;
}

export interface Chaos {
  /** Stops killing (a kill in progress completes, its replacement started) and returns every kill made. */
  stop(): Promise<ChaosKill[]>;
}

/**
 * Kills and replaces worker 0, then 1, … in turn, at `everyMs`, 2 × `everyMs`, … after the start (a tick that comes
 * while the previous replacement is still starting waits for it).
 */
export function startChaos(opts: {
  everyMs: number;
  workers: () => number;
  killAndReplace: (index: number) => Promise<{ killedPid: number; replacementPid: number }>;
  log: (m: string) => void;
}): Chaos {
  const kills: ChaosKill[] = [];
  const started = Date.now();
  let stopped = false;
  let wake: () => void = () => undefined;
  const loop = (async () => {
    for (let n = 0; ; n++) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(0, started + (n + 1) * opts.everyMs - Date.now()));
        wake = () => {
          clearTimeout(t);
          resolve();
        };
      });
      if (stopped) return;
      const t0 = Date.now();
      const { killedPid, replacementPid } = await opts.killAndReplace(n % Math.max(1, opts.workers()));
      const kill = { atMs: t0 - started, killedPid, replacementPid, restartMs: Date.now() - t0 };
      kills.push(kill);
      opts.log(
        `chaos: kill ${kills.length} at ${(kill.atMs / 1000).toFixed(1)} s: worker ${killedPid} SIGKILLed, ${replacementPid} polling ${kill.restartMs} ms later`,
      );
    }
  })();
  return {
    stop: async () => {
      stopped = true;
      wake();
      await loop;
      return kills;
    },
  };
}

/** One core kept busy by a child process until `stop()` (or the bench's interrupt handler) ends it. */
export function startCpuHog(): { pid: number; stop(): void } {
  const child: ChildProcess = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
  benchChildren.add(child);
  child.once('exit', () => benchChildren.delete(child));
  return {
    pid: child.pid ?? -1,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    },
  };
}
