// Returns (issue 15 item 6): three requests on shipped orders, TikTok's 48-hour window compressed. A low-value refund
// the shop's settings auto-approve; a return a person decides through the CLI (`steps list`, `steps decide`); one
// left undecided, which escalates at the first offset of the shop's settings.
import { notificationsSoFar, newNotifications } from './connection';
import { placeAndShip, stockedSku } from './orders';
import { compressedMs, DemoError, durationMs, seconds, type DemoContext, type DemoScenario } from './scenario';

/** TikTok's return_reason of the demo's requests (the emulator's default), the one reason the shop auto-approves. */
const REASON = 'ecom_order_delivered_refund_and_return_reason_damaged_product';

interface ReturnOnTikTok {
  return_status: string;
  /** Who moved it last: SELLER (us), SYSTEM (TikTok's auto-approval), BUYER. */
  role: string;
}

const returnOnTikTok = async (ctx: DemoContext, returnId: string): Promise<ReturnOnTikTok> =>
  (await ctx.emulator(`/returns/${returnId}`)) as ReturnOnTikTok;

/** Waits until TikTok shows the return in `status`, moved by the seller (not TikTok's own auto-approval). */
async function decidedBySeller(ctx: DemoContext, returnId: string, status: string, timeoutMs: number) {
  const seen = await ctx.until(
    `return ${returnId} ${status} on TikTok`,
    async () => {
      const r = await returnOnTikTok(ctx, returnId);
      return r.return_status === status || r.role === 'SYSTEM' ? r : undefined;
    },
    timeoutMs,
  );
  if (seen.role !== 'SELLER') {
    throw new DemoError(`return ${returnId} is ${seen.return_status} by ${seen.role}, not decided by the seller`);
  }
}

async function openReturn(ctx: DemoContext, orderId: string, type: 'REFUND' | 'RETURN_AND_REFUND'): Promise<string> {
  const opened = await ctx.emulator(`/orders/${orderId}/returns`, { return_type: type, reason: REASON });
  return opened.return_id as string;
}

interface StepRow {
  id: string | number;
  caseId?: string;
  case_id?: string;
}

/** The person: lists open return steps with the CLI, then decides the one for `returnId` with it. */
async function decideThroughCli(ctx: DemoContext, returnId: string, key: string | undefined, timeoutMs: number) {
  const step = await ctx.until(
    `the human step of return ${returnId} in \`steps list\``,
    async () => {
      const list = await ctx.cli(['steps', 'list', '--shop', ctx.shop.shopId, '--kind', 'return', '--json'], { key });
      if (list.code !== 0) throw new Error(`steps list exited ${list.code}: ${list.stderr.trim()}`);
      const parsed = JSON.parse(list.stdout) as StepRow[] | { steps: StepRow[] };
      const rows = Array.isArray(parsed) ? parsed : parsed.steps;
      return rows.find((r) => (r.caseId ?? r.case_id) === returnId);
    },
    timeoutMs,
  );
  const decided = await ctx.cli(
    ['steps', 'decide', String(step.id), '--input', JSON.stringify({ decision: 'approve' })],
    {
      key,
    },
  );
  if (decided.code !== 0) {
    throw new DemoError(`steps decide ${step.id} exited ${decided.code}: ${decided.stderr.trim() || decided.stdout}`);
  }
}

/** A shop-scoped operator key for the demo's person (decisions name it); none when the demo's key cannot create one. */
export async function operatorKey(ctx: DemoContext): Promise<{ key?: string; name: string; revoke(): Promise<void> }> {
  const name = 'demo-operator';
  const created = await ctx.api(
    'POST',
    '/v1/api-keys',
    { name, role: 'operator', shopIds: [ctx.shop.shopId] },
    { accept: [403] },
  );
  if (created.status !== 201) return { name: 'the demo key', revoke: () => Promise.resolve() };
  return {
    key: created.json.key as string,
    name,
    revoke: async () => void (await ctx.api('DELETE', `/v1/api-keys/${created.json.id}`)),
  };
}

export const returnsDemo: DemoScenario = {
  name: 'returns',
  summary: 'a low-value refund auto-approved, a return decided by a person through the CLI, one left to escalate',
  async run(ctx) {
    const window = compressedMs('48h', ctx.compression);
    const sku = await stockedSku(ctx, 4);
    // Three shipped orders: one unit (the low-value refund), one unit (a return and refund), two units (a refund over
    // the auto-approve limit).
    const [small, returned, large] = await placeAndShip(ctx, sku, [1, 1, 2]);
    if (!small || !returned || !large) throw new DemoError('the orders were not all shipped');

    const settingsPath = `/v1/shops/${ctx.shop.shopId}/settings`;
    const { json: settings } = await ctx.api('PATCH', settingsPath, {
      returns: {
        autoApprove: {
          enabled: true,
          maxRefund: { amount: small.amount, currency: small.currency },
          reasons: [REASON],
          types: ['REFUND'],
        },
      },
    });
    const firstEscalation = (settings.settings.returns.escalations as { beforeDeadline: string }[])
      .map((e) => e.beforeDeadline)
      .sort((a, b) => durationMs(b) - durationMs(a))[0];
    if (!firstEscalation) throw new DemoError('the shop settings have no return escalation');
    ctx.log(
      `shop settings: refunds up to ${small.amount} ${small.currency} auto-approved; first escalation ` +
        `${firstEscalation} before the deadline (TikTok's 48h window now ${seconds(window)})`,
    );

    const person = await operatorKey(ctx);
    try {
      const seen = await notificationsSoFar(ctx);
      const openedAt = Date.now();
      const autoId = await openReturn(ctx, small.orderId, 'REFUND');
      const personId = await openReturn(ctx, returned.orderId, 'RETURN_AND_REFUND');
      const escalatedId = await openReturn(ctx, large.orderId, 'REFUND');
      ctx.log(`the buyers opened returns ${autoId} (refund), ${personId} (return), ${escalatedId} (refund)`);

      await decidedBySeller(ctx, autoId, 'RETURN_OR_REFUND_REQUEST_SUCCESS', window);
      const autoMs = Date.now() - openedAt;
      ctx.log(`${autoId} auto-approved by the shop's settings`);

      await decideThroughCli(ctx, personId, person.key, window);
      await decidedBySeller(ctx, personId, 'AWAITING_BUYER_SHIP', window);
      const personMs = Date.now() - openedAt;
      ctx.log(`${personId} approved by ${person.name} through the CLI`);

      const escalation = await ctx.until(
        `the escalation of return ${escalatedId}`,
        async () =>
          (await newNotifications(ctx, seen)).find(
            (n) => n.kind.includes('escalation') && JSON.stringify(n).includes(escalatedId),
          ),
        window + 30_000,
      );
      const escalatedMs = Date.now() - openedAt;
      const pending = await returnOnTikTok(ctx, escalatedId);
      if (pending.return_status !== 'RETURN_OR_REFUND_REQUEST_PENDING') {
        throw new DemoError(`return ${escalatedId} is ${pending.return_status}, not still pending at its escalation`);
      }
      return (
        `3 returns, TikTok's 48h window compressed to ${seconds(window)} (×${ctx.compression}): ` +
        `${autoId} refund ${small.amount} ${small.currency} auto-approved in ${seconds(autoMs)}; ` +
        `${personId} return approved by ${person.name} through the CLI in ${seconds(personMs)}; ` +
        `${escalatedId} refund ${large.amount} ${large.currency} (over the limit) escalated ${escalation.severity} ` +
        `after ${seconds(escalatedMs)} (offset ${firstEscalation} before its deadline)`
      );
    } finally {
      await person.revoke();
    }
  },
};
