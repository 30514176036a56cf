import { CancellationScope, condition, sleep } from '@temporalio/workflow';

/**
 * `condition(woken, until at)` with one timer per wake-up instant: a webhook or update that leaves the next clock
 * where it was keeps the running timer, instead of cancelling it and starting another one (two history events and a
 * server timer each). The returned wait resolves true when `woken()` held, false when the clock fired.
 */
export function reusableWakeTimer(): (at: number, woken: () => boolean) => Promise<boolean> {
  let current: { at: number; fired: boolean; scope: CancellationScope } | undefined;
  return async (at, woken) => {
    if (!current || current.at !== at || current.fired) {
      current?.scope.cancel();
      const timer = { at, fired: false, scope: new CancellationScope() };
      timer.scope
        .run(() => sleep(Math.max(1, at - Date.now())))
        .then(
          () => void (timer.fired = true),
          () => undefined, // cancelled: the next clock moved
        );
      current = timer;
    }
    const timer = current;
    await condition(() => woken() || timer.fired);
    return !timer.fired;
  };
}
