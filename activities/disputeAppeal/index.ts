import { createShopRepository } from '../../db/shops';
import type { Db } from '../../db/knex';
import { appealWindow } from '../../policy/disputeRows';

/**
 * The appeal's own activity: the appeal window for the shop's region, read once when the case opens so the value it
 * used stays in its history (a later policy row changes later appeals only). Recording and paging are the chargeback's
 * (activities/chargeback), the evidence the shared evidence activities'.
 */
export function createDisputeAppealActivities(deps: { db: Db }) {
  const shops = createShopRepository(deps.db);
  return {
    async readAppealWindow(input: {
      shopId: string;
      decidedAt: string;
    }): Promise<{ region: string; windowMs: number; source: string }> {
      const region = (await shops.region(input.shopId)) ?? 'US';
      return { region, ...appealWindow(region, new Date(input.decidedAt)) };
    },
  };
}

export type DisputeAppealActivities = ReturnType<typeof createDisputeAppealActivities>;
