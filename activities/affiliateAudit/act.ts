import { ApplicationFailure } from '@temporalio/activity';
import { createAffiliateRepository } from '../../db/affiliate';
import { createAffiliateFindingsRepository, type ActionRow } from '../../db/affiliateFindings';
import { callEndpoint, endpoints } from '../../integrations/tiktok/endpoints';
import { TikTokNotFound, TikTokStateConflict } from '../../integrations/tiktok/errors';
import type { ActionDecisionResult } from '../../workflows/affiliateAudit/messages';
import type { AffiliateAuditDeps } from './deps';

/** How long a Targeted Plan the audit creates runs (Create Target Collaboration requires an end time). */
const PLAN_DAYS = 90;
/** The contact creators see on the plan (Create Target Collaboration requires one): the shop's affiliate settings. */
const unixSeconds = (ms: number) => String(Math.floor(ms / 1000));

export interface ApplyActionInput {
  shopId: string;
  periodKey: string;
  actionId: string;
  decidedBy: string;
  decidedAt: string;
  decision: 'approve' | 'reject';
  rate?: number;
  reference?: string;
  note?: string;
  contactEmail?: string;
}

const DONE = new Set(['applied', 'not_needed', 'task_done', 'rejected']);

/**
 * Step: an approved action done on TikTok, idempotently. The action's row is marked `calling` before the call and
 * `applied` after it, so a worker that dies in between leaves `calling` behind; the retry then reads TikTok first
 * (the plan's detail, the collaboration's creators) or relies on the call being a replacement (Update Target
 * Collaboration sets the rate, it does not add to it), and never acts twice. A row already done answers as it is.
 */
export function createAuditActionActivities(deps: AffiliateAuditDeps) {
  const repo = createAffiliateFindingsRepository(deps.db);
  const affiliate = createAffiliateRepository(deps.db);
  const client = deps.tiktok.client;

  async function removeCreator(row: ActionRow, retried: boolean) {
    const p = row.payload as { openCollaborationId: string; productId: string; creatorOpenId: string };
    const shop = await deps.tokens.shopRef(row.shop_id);
    let outcome: ActionDecisionResult['outcome'] = 'applied';
    try {
      await callEndpoint(client, endpoints.removeCreatorFromOpenCollaboration, shop, {
        open_collaboration_id: p.openCollaborationId,
        creator_user_open_id: p.creatorOpenId,
        product_id: p.productId,
      });
    } catch (err) {
      // TikTok no longer has the creator in the collaboration: removed by our earlier attempt (retried) or by hand.
      if (!(err instanceof TikTokNotFound || err instanceof TikTokStateConflict)) throw err;
      outcome = retried ? 'applied' : 'not_needed';
    }
    await affiliate.recordCreatorRemoved(row.shop_id, 'open', p.openCollaborationId, p.creatorOpenId, new Date());
    return { outcome, detail: { openCollaborationId: p.openCollaborationId, creatorOpenId: p.creatorOpenId } };
  }

  /** Update Target Collaboration replaces the whole plan: its detail first, then the same plan with `change`. */
  async function replacePlan(
    shopId: string,
    id: string,
    change: (plan: { creators: string[]; products: { id: string; rate: number }[] }) => {
      creators: string[];
      products: { id: string; rate: number }[];
    },
    contactEmail: string,
  ) {
    const shop = await deps.tokens.shopRef(shopId);
    const detail = await callEndpoint(client, endpoints.getTargetCollaboration, shop, { target_collaboration_id: id });
    const current = {
      creators: detail.creators
        .filter((c) => c.creator_open_id && c.collaboration_status !== 'DELETED')
        .map((c) => c.creator_open_id!),
      products: detail.products
        .filter((p) => p.collaboration_status !== 'DELETED')
        .map((p) => ({ id: p.id, rate: p.commission?.rate ?? 0 })),
    };
    const next = change(current);
    const same = JSON.stringify(next) === JSON.stringify(current);
    if (same) return { changed: false, before: current, after: next };
    await callEndpoint(client, endpoints.updateTargetCollaboration, shop, {
      target_collaboration_id: id,
      name: detail.name ?? id,
      end_time: String(detail.end_time ?? unixSeconds(Date.now() + PLAN_DAYS * 86_400_000)),
      creator_user_open_ids: next.creators.slice(0, 50),
      seller_contact_info: { email: contactEmail },
      free_sample_rule: {
        has_free_sample: detail.free_sample_rule?.has_free_sample ?? false,
        is_sample_approval_exempt: detail.free_sample_rule?.is_sample_approval_exempt ?? false,
      },
      products: next.products.map((p) => ({ id: p.id, commission_rate: p.rate })),
    });
    return { changed: true, before: current, after: next };
  }

  async function changeRate(row: ActionRow, rate: number, contactEmail: string) {
    const p = row.payload as { targetCollaborationId: string; products: { productId: string }[] };
    const ids = new Set(p.products.map((x) => x.productId));
    const r = await replacePlan(
      row.shop_id,
      p.targetCollaborationId,
      (plan) => ({ ...plan, products: plan.products.map((x) => (ids.has(x.id) ? { ...x, rate } : x)) }),
      contactEmail,
    );
    return {
      outcome: r.changed ? ('applied' as const) : ('not_needed' as const),
      detail: { targetCollaborationId: p.targetCollaborationId, rate, products: r.after.products },
    };
  }

  /** Finds the plan by its name on TikTok (a create whose answer was lost leaves it there), else creates it. */
  async function buildPlan(row: ActionRow, contactEmail: string) {
    const p = row.payload as {
      name: string;
      existingCollaborationId: string | null;
      rate: number;
      creators: { openId: string }[];
      products: string[];
    };
    const shop = await deps.tokens.shopRef(row.shop_id);
    let planId = p.existingCollaborationId ?? undefined;
    if (!planId) {
      const found = await callEndpoint(client, endpoints.searchTargetCollaborations, shop, {
        page_size: 20,
        collaboration_status: 'VALID',
        search_param: { keyword_type: 'TARGET_COLLABORATION_NAME', keyword: p.name },
      });
      planId = found.target_collaborations.find((t) => t.name === p.name)?.id;
    }
    const creators = p.creators.map((c) => c.openId);
    if (planId) {
      const r = await replacePlan(
        row.shop_id,
        planId,
        (plan) => ({
          creators: [...new Set([...plan.creators, ...creators])],
          products: [
            ...plan.products,
            ...p.products.filter((id) => !plan.products.some((x) => x.id === id)).map((id) => ({ id, rate: p.rate })),
          ],
        }),
        contactEmail,
      );
      return {
        outcome: r.changed ? ('applied' as const) : ('not_needed' as const),
        detail: { targetCollaborationId: planId, created: false, creators: r.after.creators.length },
      };
    }
    const created = await callEndpoint(client, endpoints.createTargetCollaboration, shop, {
      name: p.name,
      end_time: unixSeconds(Date.now() + PLAN_DAYS * 86_400_000),
      creator_user_open_ids: creators.slice(0, 50),
      seller_contact_info: { email: contactEmail },
      free_sample_rule: { has_free_sample: false, is_sample_approval_exempt: false },
      products: p.products.map((id) => ({ id, target_commission_rate: p.rate })),
    });
    return {
      outcome: 'applied' as const,
      detail: {
        targetCollaborationId: created.target_collaboration?.id,
        created: true,
        creators: creators.length,
        conflicts: created.target_collaboration_conflicts,
      },
    };
  }

  return {
    async applyAffiliateAction(input: ApplyActionInput): Promise<ActionDecisionResult> {
      const row = await repo.getAction(input.actionId);
      if (!row || row.shop_id !== input.shopId || row.period_key !== input.periodKey)
        throw ApplicationFailure.create({
          type: 'ActionNotFound',
          message: `no action ${input.actionId}`,
          nonRetryable: true,
        });
      if (DONE.has(row.status))
        return {
          actionId: row.id,
          kind: row.kind,
          outcome: row.status as ActionDecisionResult['outcome'],
          detail: row.result ?? {},
        };
      const decided = { decidedBy: input.decidedBy, decidedAt: input.decidedAt };
      if (input.decision === 'reject') {
        const detail = input.note ? { note: input.note } : {};
        await repo.markAction(row.id, 'rejected', { ...decided, result: detail });
        return { actionId: row.id, kind: row.kind, outcome: 'rejected', detail };
      }
      if (row.kind === 'claim') {
        // No claw-back API: the person filed the claim in Seller Center; the step's answer records it.
        const detail = { reference: input.reference ?? null, note: input.note ?? null, payload: row.payload };
        await repo.markAction(row.id, 'task_done', { ...decided, result: detail });
        return { actionId: row.id, kind: row.kind, outcome: 'task_done', detail };
      }
      const retried = row.status === 'calling';
      await repo.markAction(row.id, 'calling', decided);
      const contactEmail = input.contactEmail ?? 'affiliates@example.com';
      const done =
        row.kind === 'remove_creator'
          ? await removeCreator(row, retried)
          : row.kind === 'change_target_rate'
            ? await changeRate(
                row,
                input.rate ?? Number((row.payload as { proposedRate: number }).proposedRate),
                contactEmail,
              )
            : await buildPlan(row, contactEmail);
      const detail = { ...done.detail, ...(retried ? { retried: true } : {}) };
      await repo.markAction(row.id, done.outcome, { result: detail });
      return { actionId: row.id, kind: row.kind, outcome: done.outcome, detail };
    },
  };
}
