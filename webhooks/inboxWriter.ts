import type { Db } from '../db/knex';
import { createWebhookInboxRepository, type InboxInsert, type WebhookInboxRepository } from '../db/webhookInbox';

/** One accepted event to store; the writer counts its deliveries. */
export type InboxRowInput = Omit<InboxInsert, 'deliveries'>;

export interface InboxWriteResult {
  id: string;
  /** Deliveries of this notification so far (more than 1: TikTok sent it again). */
  deliveries: number;
}

interface Pending {
  row: InboxRowInput;
  resolve(r: InboxWriteResult): void;
  reject(err: unknown): void;
}

const MAX_BATCH = 500;

// Column sizes of webhook_inbox (db/migrations/002_tiktok_connection.ts).
const COLUMN_LIMITS = { dedupKey: 300, kind: 64, shopId: 64 } as const;

/** A row PostgreSQL cannot take (too long for its column, a NUL character): the sender gets a 400, not a 500. */
export class InboxRowRejected extends Error {}

// An escaped NUL in JSON text (not preceded by an escaping backslash): jsonb refuses \u0000, text refuses the byte.
const JSON_NUL = /(?:^|[^\\])(?:\\\\)*\\u0000/;

/** Why the inbox cannot store this row, checked before it joins a batch; undefined when it can. */
export function inboxRowProblem(row: InboxRowInput): string | undefined {
  for (const [field, max] of Object.entries(COLUMN_LIMITS) as [keyof typeof COLUMN_LIMITS, number][]) {
    const value = row[field];
    if (value !== null && value.length > max) return `${field} is ${value.length} characters long (at most ${max})`;
  }
  if (row.rawBody.includes('\u0000') || row.event.includes('\u0000')) return 'the body contains a NUL byte';
  if (JSON_NUL.test(row.event)) return 'the event contains a NUL character (\\u0000), which PostgreSQL cannot store';
  return undefined;
}

// SQLSTATE class 22 (data exception: too long, invalid text) and 23 (integrity): the row is at fault, not the database.
function isRowError(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (code.startsWith('22') || code.startsWith('23'));
}

/**
 * Group commit for the webhook inbox. A lone webhook is written at once; webhooks that arrive while a write is in
 * flight are written together by the next statement, so under a burst one commit covers many of them. Each caller
 * is answered only after the commit that holds its row: nothing is acknowledged before it is durable.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private writing = false;

  private readonly inbox: WebhookInboxRepository;

  constructor(
    db: Db,
    private readonly onCommitted: () => void = () => undefined,
  ) {
    this.inbox = createWebhookInboxRepository(db);
  }

  write(row: InboxRowInput): Promise<InboxWriteResult> {
    const problem = inboxRowProblem(row);
    if (problem) return Promise.reject(new InboxRowRejected(problem));
    return new Promise((resolve, reject) => {
      this.queue.push({ row, resolve, reject });
      if (!this.writing) void this.drain();
    });
  }

  private async drain(): Promise<void> {
    this.writing = true;
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          const results = await this.insert(batch.map((p) => p.row));
          for (const p of batch) p.resolve(results.get(p.row.dedupKey)!);
          this.onCommitted();
        } catch (err) {
          if (!isRowError(err) || batch.length === 1) {
            for (const p of batch) p.reject(isRowError(err) ? new InboxRowRejected((err as Error).message) : err);
          } else {
            await this.insertAlone(batch);
          }
        }
      }
    } finally {
      this.writing = false;
    }
  }

  /**
   * A batch failed because of one of its rows: each delivery is written on its own, so only the row at fault fails
   * (its sender is answered 400 and the event dead-lettered) and every other sender still gets its 200.
   */
  private async insertAlone(batch: Pending[]): Promise<void> {
    const byKey = new Map<string, Pending[]>();
    for (const p of batch) byKey.set(p.row.dedupKey, [...(byKey.get(p.row.dedupKey) ?? []), p]);
    let committed = false;
    for (const group of byKey.values()) {
      try {
        const results = await this.insert(group.map((p) => p.row));
        for (const p of group) p.resolve(results.get(p.row.dedupKey)!);
        committed = true;
      } catch (err) {
        for (const p of group) p.reject(isRowError(err) ? new InboxRowRejected((err as Error).message) : err);
      }
    }
    if (committed) this.onCommitted();
  }

  private async insert(rows: InboxRowInput[]): Promise<Map<string, InboxWriteResult>> {
    // One statement may not touch the same row twice: repeated deliveries inside a batch are counted, not repeated.
    const unique = new Map<string, { row: InboxRowInput; count: number }>();
    for (const row of rows) {
      const seen = unique.get(row.dedupKey);
      if (seen) seen.count += 1;
      else unique.set(row.dedupKey, { row, count: 1 });
    }
    return this.inbox.insertMany([...unique.values()].map(({ row, count }) => ({ ...row, deliveries: count })));
  }
}
