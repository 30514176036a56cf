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
  // Indexes of the append-only settlements, extended on read with what was appended since: a Finance call scanning
  // every settlement made a month's import quadratic in its orders (bench/taxImport.ts measured the emulator).
  private indexed = 0;
  private readonly byOrder = new Map<string, Settlement[]>();
  private readonly byShopDay = new Map<string, Map<string, Settlement[]>>();

  private index(): void {
    for (; this.indexed < this.settlements.length; this.indexed += 1) {
      const s = this.settlements[this.indexed]!;
      const orderKey = `${s.shopId}|${s.orderId}`;
      const ofOrder = this.byOrder.get(orderKey);
      if (ofOrder) ofOrder.push(s);
      else this.byOrder.set(orderKey, [s]);
      let days = this.byShopDay.get(s.shopId);
      if (!days) this.byShopDay.set(s.shopId, (days = new Map<string, Settlement[]>()));
      const ofDay = days.get(s.day);
      if (ofDay) ofDay.push(s);
      else days.set(s.day, [s]);
    }
  }

  /** The settlements of one order, in the order they were made. */
  settlementsOfOrder(shopId: string, orderId: string): readonly Settlement[] {
    this.index();
    return this.byOrder.get(`${shopId}|${orderId}`) ?? [];
  }

  /** A shop's settlements by UTC day (days in the order their first settlement was made). */
  settlementsByDay(shopId: string): ReadonlyMap<string, readonly Settlement[]> {
    this.index();
    return this.byShopDay.get(shopId) ?? new Map();
  }

  clear(): void {
    this.settlements.length = 0;
    this.indexed = 0;
    this.byOrder.clear();
    this.byShopDay.clear();
    this.unsettled.length = 0;
    this.fbtWarehouses.length = 0;
    this.inventory.length = 0;
    this.statementIds.clear();
  }
}
