// The raw ceiling's workflow (bundled on its own): three no-op activities in a row.
import { proxyActivities } from '@temporalio/workflow';

const { noop } = proxyActivities<{ noop(): Promise<void> }>({ startToCloseTimeout: '10 seconds' });

export async function noopThree(): Promise<void> {
  await noop();
  await noop();
  await noop();
}
