// What the Finance and FBT APIs of the emulator answer from (taxFinance.ts): which orders TikTok settled on which
// UTC day (a sale, or a refund of some of its lines), which are not settled yet, the shop's FBT warehouses and the
// inventory records of their stock movements. Orders themselves stay in EmulatorState.orders.

export interface Settlement {
  shopId: string;
  orderId: string;
  /** UTC day 'YYYY-MM-DD' the transaction settled; it appears in the statement generated at 00:00 UTC the next day. */
  day: string;
  kind: 'sale' | 'refund';
  /** The order's line items the transaction covers (a refund: the refunded ones). */
  lineIds: string[];
}

export interface FbtWarehouseRecord {
  shopId: string;
  id: string;
  name: string;
  state: string;
  city: string;
  postalCode: string;
}

export interface FbtInventoryMovement {
  shopId: string;
  warehouseId: string;
  goodsId: string;
  goodsName: string;
  /** Unix seconds. */
  createTime: number;
  before: number;
  after: number;
  orderType: string;
  orderId: string;
}

export class TaxFinanceState {
  readonly settlements: Settlement[] = [];
  /** Orders delivered or in transit whose settlement has not happened yet. */
  readonly unsettled: { shopId: string; orderId: string }[] = [];
  readonly fbtWarehouses: FbtWarehouseRecord[] = [];
  readonly inventory: FbtInventoryMovement[] = [];
  /** `shopId|day` → statement id. */
  readonly statementIds = new Map<string, string>();

  clear(): void {
    this.settlements.length = 0;
    this.unsettled.length = 0;
    this.fbtWarehouses.length = 0;
    this.inventory.length = 0;
    this.statementIds.clear();
  }
}
