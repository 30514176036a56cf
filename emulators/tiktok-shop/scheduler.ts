// Applies due business transitions (remorse end, auto-cancel, return auto-approval, audit completion, …).
// Timers live in a min-heap keyed by business time; a handler re-checks its preconditions when it fires, so
// stale timers are harmless. The scheduler runs whenever the business clock is advanced and periodically on
// real time.

export type TimerKind =
  | 'remorse_end'
  | 'unpaid_timeout'
  | 'auto_cancel'
  | 'late_dispatch'
  | 'complete'
  | 'return_deadline'
  | 'cancel_deadline'
  | 'audit_done'
  | 'edit_audit_done'
  | 'category_review';

interface Timer {
  at: number;
  seq: number;
  kind: TimerKind;
  id: string;
}

export type TimerHandler = (id: string, at: number) => void;

export class Scheduler {
  private heap: Timer[] = [];
  private seq = 0;
  private readonly handlers = new Map<TimerKind, TimerHandler>();
  private running = false;

  on(kind: TimerKind, handler: TimerHandler): void {
    this.handlers.set(kind, handler);
  }

  schedule(kind: TimerKind, id: string, at: number): void {
    this.heap.push({ at, seq: ++this.seq, kind, id });
    this.up(this.heap.length - 1);
  }

  get pending(): number {
    return this.heap.length;
  }

  /** Runs every timer due at or before `now`, in time order. Re-entrant calls are ignored. */
  tick(now: number): number {
    if (this.running) return 0;
    this.running = true;
    let n = 0;
    try {
      while (this.heap.length > 0 && (this.heap[0]?.at ?? Infinity) <= now) {
        const t = this.pop();
        if (!t) break;
        this.handlers.get(t.kind)?.(t.id, t.at);
        n++;
      }
    } finally {
      this.running = false;
    }
    return n;
  }

  clear(): void {
    this.heap = [];
  }

  private less(a: Timer, b: Timer): boolean {
    return a.at < b.at || (a.at === b.at && a.seq < b.seq);
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      const hi = h[i];
      const hp = h[p];
      if (!hi || !hp || !this.less(hi, hp)) break;
      h[i] = hp;
      h[p] = hi;
      i = p;
    }
  }

  private pop(): Timer | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        const r = l + 1;
        let m = i;
        const hl = h[l];
        const hr = h[r];
        if (hl && this.less(hl, h[m] as Timer)) m = l;
        if (hr && this.less(hr, h[m] as Timer)) m = r;
        if (m === i) break;
        const tmp = h[i] as Timer;
        h[i] = h[m] as Timer;
        h[m] = tmp;
        i = m;
      }
    }
    return top;
  }
}
