// Fulfilled by TikTok (FBT) family declared as endpoints: the FBT warehouses (with their addresses, hence their
// states) and the inventory records (every stock movement in an FBT warehouse with the quantity before and after),
// from which the tax-data sync derives the days each state held the seller's stock (physical nexus, issue 20).
// Field names follow public clients' models (docs/tiktok-shop-api-sources.md, "FBT"); FBT calls carry shop_cipher
// like every shop API (an assumption: the pages were not readable, see that file).
import { z } from 'zod';
import { idSchema, pageOutSchema, pageQuery, unixSecondsSchema } from './common';
import { defineEndpoint, docsPage } from './endpoint';

export const fbtWarehouseSchema = z.looseObject({
  fbt_warehouse_id: idSchema,
  warehouse_ids: z.array(z.string()).optional(),
  name: z.string().optional(),
  type: z.string().optional(),
  subscribed: z.boolean().optional(),
  addresses: z
    .array(
      z.looseObject({
        region_code: z.string().optional(),
        state: z.string().optional(),
        city: z.string().optional(),
        district: z.string().optional(),
        postal_code: z.string().optional(),
        address_line_1: z.string().optional(),
      }),
    )
    .optional()
    .default([]),
});
export type FbtWarehouse = z.output<typeof fbtWarehouseSchema>;

export const fbtInventoryRecordSchema = z.looseObject({
  fbt_warehouse_id: idSchema,
  goods: z
    .looseObject({ id: z.string(), reference_code: z.string().optional(), name: z.string().optional() })
    .optional(),
  order: z.looseObject({ type: z.string().optional(), id: z.string().optional() }).optional(),
  create_time: unixSecondsSchema,
  inventory_goods_type: z.string().optional(),
  initial_on_hand_quantity: z.number().int(),
  final_on_hand_quantity: z.number().int(),
  changed_quantity: z.number().int().optional(),
});
export type FbtInventoryRecord = z.output<typeof fbtInventoryRecordSchema>;

export const fbtEndpoints = {
  getFbtWarehouses: defineEndpoint({
    title: 'Get FBT Warehouse List',
    docs: docsPage('get-fbt-warehouse-list-202408'),
    method: 'GET',
    path: '/fbt/202408/warehouses',
    shopCipher: true,
    response: z
      .looseObject({ warehouses: z.array(fbtWarehouseSchema).optional().default([]) })
      .transform((d) => d.warehouses),
  }),

  searchFbtInventoryRecords: defineEndpoint({
    title: 'Search FBT Inventory Record',
    docs: docsPage('search-fbt-inventory-record-202410'),
    method: 'POST',
    path: '/fbt/202410/inventory_records/search',
    shopCipher: true,
    query: z.strictObject({ ...pageQuery({ max: 100, default: 50 }) }),
    body: z.strictObject({
      fbt_warehouse_ids: z.array(idSchema).optional(),
      goods_ids: z.array(idSchema).optional(),
      create_time_ge: unixSecondsSchema.optional(),
      create_time_le: unixSecondsSchema.optional(),
    }),
    response: z.looseObject({
      inventory_records: z.array(fbtInventoryRecordSchema).optional().default([]),
      ...pageOutSchema,
    }),
  }),
};
