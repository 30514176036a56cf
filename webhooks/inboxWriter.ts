import type { Db } from '../db/knex';

export interface InboxRowInput {
  dedupKey: string;
  type: number;
  kind: string;
  shopId: string | null;
  event: string;
  rawBody: string;
}

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

/**
 * Group commit for the webhook inbox. A lone webhook is written at once; webhooks that arrive while a write is in
 * flight are written together by the next statement, so under a burst one commit covers many of them. Each caller
 * is answered only after the commit that holds its row: nothing is acknowledged before it is durable.
 */
export class InboxWriter {
  private queue: Pending[] = [];
  private writing = false;

  constructor(
    private readonly db: Db,
    private readonly onCommitted: () => void = () => undefined,
  ) {}

  write(row: InboxRowInput): Promise<InboxWriteResult> {
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
          for (const p of batch) p.reject(err);
        }
      }
    } finally {
      this.writing = false;
    }
  }

  private async insert(rows: InboxRowInput[]): Promise<Map<string, InboxWriteResult>> {
    // One statement may not touch the same row twice: repeated deliveries inside a batch are counted, not repeated.
    const unique = new Map<string, { row: InboxRowInput; count: number }>();
    for (const row of rows) {
      const seen = unique.get(row.dedupKey);
      if (seen) seen.count += 1;
      else unique.set(row.dedupKey, { row, count: 1 });
    }
    const values: (string | number | null)[] = [];
    const tuples: string[] = [];
    for (const { row, count } of unique.values()) {
      tuples.push('(?, ?, ?, ?, ?, ?, ?)');
      values.push(row.dedupKey, row.type, row.kind, row.shopId, row.event, row.rawBody, count);
    }
    const result = await this.db.raw<{ rows: { id: string; dedup_key: string; deliveries: number }[] }>(
      `insert into webhook_inbox (dedup_key, type, kind, shop_id, event, raw_body, deliveries)
       values ${tuples.join(', ')}
       on conflict (dedup_key) do update set deliveries = webhook_inbox.deliveries + excluded.deliveries
       returning id, dedup_key, deliveries`,
      values,
    );
    return new Map(result.rows.map((r) => [r.dedup_key, { id: r.id, deliveries: r.deliveries }]));
  }
}
