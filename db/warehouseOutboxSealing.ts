import type { Keyring } from '../secrets/keyring';
import { sealJson } from '../secrets/sealedJson';
import type { Db } from './knex';

/**
 * Seals warehouse_outbox payloads written before they were sealed (issue 13 item 7), a batch at a time; run by each
 * worker at start, so an upgraded install keeps no buyer data in clear. A row rewritten meanwhile (sealed by
 * writeOutbox) is left alone. Returns the number of rows sealed.
 */
export async function sealPlainOutboxPayloads(db: Db, ring: Keyring, batchSize = 500): Promise<number> {
  let sealed = 0;
  for (;;) {
    const rows = await db('warehouse_outbox')
      .whereRaw("payload->>'sealed' is null and payload->>'purged' is null")
      .orderBy('id')
      .limit(batchSize)
      .select<{ id: string; payload: unknown }[]>('id', 'payload');
    if (rows.length === 0) return sealed;
    for (const row of rows) {
      sealed += await db('warehouse_outbox')
        .where({ id: row.id })
        .whereRaw("payload->>'sealed' is null and payload->>'purged' is null")
        .update({ payload: JSON.stringify(sealJson(ring, row.payload)) });
    }
  }
}
