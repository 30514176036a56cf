import { Router } from 'express';
import { ping } from '../../db/knex';
import type { ApiDeps } from '../deps';

/** `GET /healthz`: 200 when PostgreSQL and Temporal both answer, 503 otherwise (with which one failed). */
export function healthRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/healthz', async (_req, res) => {
    const [postgres, temporal] = await Promise.all([
      check(async () => {
        await ping(deps.db);
      }),
      check(async () => {
        await deps.temporal.connection.workflowService.getSystemInfo({});
      }),
    ]);
    const ok = postgres.ok && temporal.ok;
    res.status(ok ? 200 : 503).json({ status: ok ? 'ok' : 'degraded', checks: { postgres, temporal } });
  });
  return router;
}

async function check(fn: () => Promise<void>): Promise<{ ok: boolean; error?: string }> {
  try {
    await withTimeout(fn(), 3000);
    return { ok: true };
  } catch (err) {
    return { ok: false, error: (err as Error).message };
  }
}

async function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
