import type { Db } from '../db/knex';
import { createShopActivities } from './shop';

export interface ActivityDeps {
  db: Db;
}

/** All activities the worker registers, built from their dependencies. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createShopActivities(deps),
  };
}
