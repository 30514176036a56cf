import crypto from 'node:crypto';
import { dropDatabase, ensureDatabase } from '../../db/ensureDatabase';
import { createDb, migrate, type Db } from '../../db/knex';

export interface TestDatabase {
  db: Db;
  url: string;
  drop(): Promise<void>;
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_ADMIN_URL;
  if (!url) throw new Error('TEST_DATABASE_ADMIN_URL is not set: run tests with `npm test`');
  return url;
}

/** A fresh, migrated database for one test file on the run's shared PostgreSQL. */
export async function testDatabase(opts: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const url = await ensureDatabase(adminUrl(), name);
  const db = createDb(url, 5);
  if (opts.migrate !== false) await migrate(db);
  return {
    db,
    url,
    drop: async () => {
      await db.destroy();
      await dropDatabase(adminUrl(), name);
    },
  };
}
