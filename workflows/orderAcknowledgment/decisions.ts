// The input checks of the order's human-step updates (the warehouse's cancellation answer, a shipment report). They
// are the only check of a body sent through POST /v1/human-steps/:id/decision (api/routes/humanSteps.ts), so they
// enforce what CANCELLATION_DECISION_SCHEMA and SHIPMENT_SCHEMA (messages.ts) say: a refusal is InvalidDecision.
import { checkDecidedBy, invalidDecision } from '../shared/humanSteps';
import type { CancellationDecision, ShipmentRequest } from './messages';

const ID = /^[0-9A-Za-z_-]{1,64}$/;

function checkFields(input: unknown, allowed: string[], what: string): Record<string, unknown> {
  if (typeof input !== 'object' || input === null || Array.isArray(input))
    throw invalidDecision(`${what} is an object`);
  const unknown = Object.keys(input).filter((k) => !allowed.includes(k) && k !== 'decidedBy');
  if (unknown.length > 0) throw invalidDecision(`${what}: unknown field ${unknown.join(', ')}`);
  return input as Record<string, unknown>;
}

function checkLineItemIds(value: unknown, where: string): void {
  if (value === undefined) return;
  if (!Array.isArray(value) || value.length === 0 || !value.every((v) => typeof v === 'string' && ID.test(v)))
    throw invalidDecision(`${where}: a non-empty list of line item ids`);
}

const isText = (v: unknown): boolean => typeof v === 'string' && v.trim().length >= 1 && v.length <= 128;

/** `{ stopped: boolean, decidedBy? }` (decidedBy is optional: the warehouse answers through its own route). */
export function checkCancellationDecision(input: unknown): asserts input is CancellationDecision {
  const d = checkFields(input, ['stopped'], 'the answer');
  if (typeof d.stopped !== 'boolean') throw invalidDecision('stopped must be true or false');
  checkDecidedBy(d, false);
}

/** `{ packages: [{ trackingNumber, carrier, lineItemIds? }] }` or `{ tiktokShipping: true, lineItemIds? }`. */
export function checkShipmentRequest(input: unknown): asserts input is ShipmentRequest {
  const r = checkFields(input, ['packages', 'tiktokShipping', 'lineItemIds'], 'the shipment');
  checkDecidedBy(r, false);
  if (r.tiktokShipping !== undefined) {
    if (r.tiktokShipping !== true) throw invalidDecision('tiktokShipping must be true');
    if (r.packages !== undefined) throw invalidDecision('packages or tiktokShipping, not both');
    return checkLineItemIds(r.lineItemIds, 'lineItemIds');
  }
  if (r.lineItemIds !== undefined) throw invalidDecision('lineItemIds go with tiktokShipping, or on each package');
  const packages = r.packages;
  if (!Array.isArray(packages) || packages.length === 0) throw invalidDecision('no packages to ship');
  if (packages.length > 50) throw invalidDecision('at most 50 packages');
  packages.forEach((p: unknown, i) => {
    const pkg = checkFields(p, ['trackingNumber', 'carrier', 'lineItemIds'], `package ${i + 1}`);
    if ('decidedBy' in pkg) throw invalidDecision(`package ${i + 1}: unknown field decidedBy`);
    if (!isText(pkg.trackingNumber)) throw invalidDecision(`package ${i + 1}: trackingNumber, 1-128 characters`);
    if (!isText(pkg.carrier)) throw invalidDecision(`package ${i + 1}: carrier, 1-128 characters`);
    checkLineItemIds(pkg.lineItemIds, `package ${i + 1} lineItemIds`);
  });
}
