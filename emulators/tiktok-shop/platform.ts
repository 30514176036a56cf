// The shared context every business module works on.
import type { BusinessClock } from './clock';
import type { ErrorCodeTable } from './errorCodes';
import type { FaultInjector } from './faults';
import type { Scheduler } from './scheduler';
import type { EmulatorState } from './state';
import type { TokenService } from './tokens';
import type { WebhookDispatcher } from './webhooks';

export interface Platform {
  state: EmulatorState;
  clock: BusinessClock;
  scheduler: Scheduler;
  webhooks: WebhookDispatcher;
  tokens: TokenService;
  faults: FaultInjector;
  /** Error codes per situation and endpoint, with this instance's overrides (errorCodes.ts). */
  errors: ErrorCodeTable;
  /** Public base URL of the emulator (for shipping document links). */
  baseUrl: () => string;
}

/** Error raised by admin actions (answered as HTTP 4xx JSON by the admin API). */
export class AdminError extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
  ) {
    super(message);
  }
}

export const sec = (ms: number | null): number | undefined => (ms === null ? undefined : Math.floor(ms / 1000));
