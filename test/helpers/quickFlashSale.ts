// The flash-sale benchmark's quick run, ours only, on the dev server and PostgreSQL of the `npm test` run: shared by
// the plain and the chaos test (test/bench/), which assert only correctness figures, never timings.
import { runFlashSale } from '../../bench/flashSale';

type Options = Parameters<typeof runFlashSale>[0];

export async function runQuickFlashSale(extra: Partial<Options> = {}) {
  const temporalAddress = process.env.TEST_TEMPORAL_ADDRESS;
  const databaseAdminUrl = process.env.TEST_DATABASE_ADMIN_URL;
  if (!temporalAddress || !databaseAdminUrl) throw new Error('run with `npm test` (TEST_TEMPORAL_ADDRESS is not set)');
  const { ours } = await runFlashSale({
    quick: true,
    only: ['ours'],
    services: { temporalAddress, databaseAdminUrl },
    log: () => undefined,
    ...extra,
  });
  if (!ours) throw new Error('the ours scenario did not run');
  return ours;
}
