// The backfill's month windows (pure, sandbox-safe): whole UTC months before the one `nowMs` falls in, newest first.

export interface MonthWindow {
  /** 'YYYY-MM' */
  month: string;
  /** ISO instants, [from, to). */
  from: string;
  to: string;
}

export function monthsBefore(nowMs: number, count: number): MonthWindow[] {
  const now = new Date(nowMs);
  const out: MonthWindow[] = [];
  for (let i = 1; i <= count; i++) {
    const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i + 1, 1));
    out.push({ month: from.toISOString().slice(0, 7), from: from.toISOString(), to: to.toISOString() });
  }
  return out;
}
