// The order workflow's patches, oldest first: each keeps histories recorded before it replaying as they ran
// (test/replay replays histories recorded before several of them: test/fixtures/histories/*-before-*.json).

// Units handed to the warehouse are committed on the product's inventory feed (unitsCommitted) until shipped or
// cancelled. Patched: orders handed off before this existed replay as they ran and never release what they never held.
export const INVENTORY_HOLD_PATCH = 'order-inventory-hold';
// TikTok takes the units off its stock when the order is placed: they are held from the first read of the order
// (through payment and the remorse window), not only from the hand-off, so a stock push in between cannot offer
// them again. Patched: histories recorded before hold at hand-off as they ran.
export const EARLY_INVENTORY_HOLD_PATCH = 'order-inventory-hold-at-first-read';
// Fewer Temporal actions per order (the server is a flash sale's bottleneck): PostgreSQL-only steps as local
// activities, the outbox write and WMS delivery as one activity, search attributes upserted only when they change,
// and no read-back for a status webhook that repeats the status already read. Patched: earlier histories replay as
// they ran.
export const LEAN_PATCH = 'order-lean-actions';
// A status webhook that moves the order forward is taken at its word where the step needs nothing else (shipped →
// AWAITING_COLLECTION), and where it does, the read and the step are one activity (AWAITING_SHIPMENT: read and hand
// off; IN_TRANSIT: read and record tracking). Patched: earlier histories replay as they ran.
export const READ_WITH_STEP_PATCH = 'order-read-with-step';
// A repeated shipment report (the warehouse retrying while the first waits in the rate budget) joins the first
// instead of marking the package shipped a second time. Patched: earlier histories replay as they ran.
export const SHIPMENT_DEDUP_PATCH = 'order-shipment-dedup';
// The hand-off's read and step run as a local activity (proxies.ts: orderUrgentLocal). Patched: earlier
// histories replay with the activity they scheduled.
export const LOCAL_HAND_OFF_PATCH = 'order-local-hand-off';
// So does the first read of a new order, urgently in the rate budget: its clocks and its inventory hold come one
// workflow task sooner. Patched likewise.
export const LOCAL_FIRST_READ_PATCH = 'order-local-first-read';
