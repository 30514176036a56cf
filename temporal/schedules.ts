// Small pieces every per-shop Schedule needs: create-or-update, and "the shop has no such Schedule" as an answer
// rather than an error.
import { ScheduleAlreadyRunning, ScheduleNotFoundError, type Client, type ScheduleOptions } from '@temporalio/client';

/**
 * Creates the Schedule, or brings an existing one to `wanted` (spec, action, policies); either way with `state`
 * (running, and why).
 */
export async function upsertSchedule(
  temporal: Client,
  scheduleId: string,
  wanted: Omit<ScheduleOptions, 'scheduleId' | 'state'>,
  state: { paused: boolean; note: string },
): Promise<'created' | 'updated'> {
  const created = await temporal.schedule.create({ scheduleId, ...wanted, state }).then(
    () => true,
    (err: unknown) => {
      if (err instanceof ScheduleAlreadyRunning) return false;
      throw err;
    },
  );
  if (created) return 'created';
  await temporal.schedule
    .getHandle(scheduleId)
    .update((previous) => ({ ...previous, ...wanted, state: { ...previous.state, ...state } }));
  return 'updated';
}

/** `op`'s answer (as `{ value }`), or undefined when the Schedule does not exist. */
export async function ifScheduleExists<T>(op: () => Promise<T>): Promise<{ value: T } | undefined> {
  try {
    return { value: await op() };
  } catch (err) {
    if (err instanceof ScheduleNotFoundError) return undefined;
    throw err;
  }
}
