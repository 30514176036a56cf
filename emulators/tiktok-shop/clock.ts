// The emulator's business clock. It runs at real speed from a chosen start instant, and tests can jump it
// forward. API timestamps come from this clock; request signatures are checked against the real wall clock
// (ref §2.1, timestamp window).
import type { BusinessRules } from './rules';
import { DEFAULT_RULES } from './rules';

export type ClockListener = (nowMs: number) => void;

export class BusinessClock {
  private readonly realStart: number;
  private readonly businessStart: number;
  private offsetMs = 0;
  private readonly listeners: ClockListener[] = [];
  readonly rules: BusinessRules;

  constructor(startMs: number = Date.now(), rules: Partial<BusinessRules> = {}) {
    this.realStart = Date.now();
    this.businessStart = startMs;
    this.rules = { ...DEFAULT_RULES, ...rules };
  }

  /** Current business time in epoch milliseconds. */
  now(): number {
    return this.businessStart + (Date.now() - this.realStart) + this.offsetMs;
  }

  /** Current business time in Unix seconds, the unit the API reports (ref §1 "Timestamps"). */
  nowSeconds(): number {
    return Math.floor(this.now() / 1000);
  }

  /** Jump forward; due transitions are applied before this returns. */
  advance(ms: number): number {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError('advance() needs a non-negative number of ms');
    this.offsetMs += ms;
    this.notify();
    return this.now();
  }

  /** Jump to an absolute instant (only forward: business time never goes back). */
  set(epochMs: number): number {
    const delta = epochMs - this.now();
    if (delta > 0) this.advance(delta);
    return this.now();
  }

  /** Change rule durations, e.g. a 10 s remorse window for tests. */
  setRules(patch: Partial<BusinessRules>): BusinessRules {
    Object.assign(this.rules, patch);
    this.notify();
    return this.rules;
  }

  onChange(listener: ClockListener): void {
    this.listeners.push(listener);
  }

  private notify(): void {
    const now = this.now();
    for (const l of this.listeners) l(now);
  }
}
