import crypto from 'node:crypto';
import {
  createAffiliateFindingsRepository,
  LINE_FINDING_KINDS,
  type ActionKind,
  type ActionRow,
  type AuditScope,
} from '../../db/affiliateFindings';
import type { ShopSettings } from '../../shopSettings/schema';
import type { AuditSummary, ProposedAction } from '../../workflows/affiliateAudit/messages';
import type { AffiliateAuditDeps } from './deps';

/** The Targeted Plan the audit builds and then keeps up to date (one per shop, found again by this name). */
export const AUDIT_PLAN_NAME = 'Vetted creators (affiliate audit)';

/** An action's id: md5 of the shop, period, kind and business key (the same action on a re-run keeps its decision). */
export function actionId(scope: AuditScope, kind: ActionKind, key: string): string {
  return crypto.createHash('md5').update(`${scope.shopId}|${scope.periodKey}|${kind}|${key}`).digest('hex');
}

const money = (n: number) => n.toFixed(2);
const pct = (rate: number) => `${(rate / 100).toFixed(2)}%`;

type Candidate = { id: string; kind: ActionKind; title: string; payload: Record<string, unknown>; money: string };

/**
 * Step: what the audit proposes to a person, from the period's findings and vetting. Claims for money paid wrongly
 * (one per kind of line finding: no claw-back API, a person files them), the removal of each creator failing the
 * vetting from each open collaboration they sold through, a rate change for each target collaboration with such a
 * creator (open collaborations have no rate update), and the Targeted Plan of the creators who pass. At most
 * `maxActionsPerAudit`, largest money at stake first; the plan last.
 */
export function createAuditProposalActivities(deps: Pick<AffiliateAuditDeps, 'db'>) {
  const repo = createAffiliateFindingsRepository(deps.db);
  return {
    async proposeAffiliateActions(
      input: AuditScope & { affiliate: ShopSettings['affiliate'] },
    ): Promise<Pick<AuditSummary, 'totals' | 'currency' | 'actions' | 'actionsNotProposed'>> {
      const scope: AuditScope = input;
      const { plan } = input.affiliate;
      const totals = await repo.totals(scope.shopId, scope.periodKey);
      const candidates: Candidate[] = [];

      for (const kind of LINE_FINDING_KINDS) {
        const t = totals[kind];
        if (!t || Number(t.money) <= 0) continue;
        candidates.push({
          id: actionId(scope, 'claim', kind),
          kind: 'claim',
          title: `file a claim with TikTok: ${t.count} ${kind.replace(/_/g, ' ')} finding(s), ${t.money} at stake`,
          payload: { findingKind: kind, findings: t.count, money: t.money },
          money: t.money,
        });
      }

      // One removal per creator and open collaboration; the open collaboration keeps its rate for everyone else.
      const removals = new Map<string, Candidate>();
      for (const r of await repo.failingInOpenCollaborations(scope)) {
        if (!r.creator_open_id) continue;
        const key = `${r.open_collaboration_id}:${r.creator_open_id}`;
        if (removals.has(key)) continue;
        const why = [r.rto_fail ? 'return-to-origin rate' : '', r.gpv_fail ? 'GMV per view' : ''].filter(Boolean);
        removals.set(key, {
          id: actionId(scope, 'remove_creator', key),
          kind: 'remove_creator',
          title: `remove ${r.creator_username} from open collaboration ${r.open_collaboration_id} (${why.join(', ')} outside the shop's targets)`,
          payload: {
            openCollaborationId: r.open_collaboration_id,
            productId: r.product_id,
            creatorOpenId: r.creator_open_id,
            creatorUsername: r.creator_username,
            failed: why,
            rateNote:
              'Open collaborations have no rate update: to pay this creator less instead, remove them and create a ' +
              `target collaboration with them at ${pct(plan.reducedRate)} (a lowered rate reaches creators only after ` +
              '30 days).',
          },
          money: money(Number(r.commission)),
        });
      }
      candidates.push(...removals.values());

      for (const t of await repo.failingInTargetCollaborations(scope)) {
        const products = (t.products ?? []).filter((p) => p.rate > plan.reducedRate);
        if (products.length === 0) continue;
        candidates.push({
          id: actionId(scope, 'change_target_rate', t.collaboration_id),
          kind: 'change_target_rate',
          title: `lower target collaboration ${t.collaboration_id} to ${pct(plan.reducedRate)} (${t.creators.join(', ')} outside the shop's targets)`,
          payload: {
            targetCollaborationId: t.collaboration_id,
            products,
            proposedRate: plan.reducedRate,
            creators: t.creators,
            note: 'Every creator of the collaboration gets the new rate; a lowered rate applies after 30 days.',
          },
          money: money(Number(t.commission)),
        });
      }

      const existingPlan = (await repo.targetCollaborationNamed(scope.shopId, AUDIT_PLAN_NAME)) ?? null;
      const passing = await repo.passingCreators(scope, existingPlan, plan.maxCreators);
      const planAction: Candidate | undefined =
        passing.length === 0
          ? undefined
          : {
              id: actionId(scope, 'build_target_plan', AUDIT_PLAN_NAME),
              kind: 'build_target_plan',
              title: `${existingPlan ? `add ${passing.length} vetted creator(s) to` : `create the Targeted Plan with ${passing.length} vetted creator(s):`} "${AUDIT_PLAN_NAME}" at ${pct(plan.commissionRate)}`,
              payload: {
                name: AUDIT_PLAN_NAME,
                existingCollaborationId: existingPlan,
                rate: plan.commissionRate,
                creators: passing.map((p) => ({ openId: p.creator_open_id, username: p.creator_username })),
                // Create Target Collaboration takes up to 100 products.
                products: [...new Set(passing.flatMap((p) => p.products ?? []))].sort().slice(0, 100),
              },
              money: '0.00',
            };

      candidates.sort((a, b) => Number(b.money) - Number(a.money) || a.id.localeCompare(b.id));
      const room = input.affiliate.maxActionsPerAudit - (planAction ? 1 : 0);
      const chosen = [...candidates.slice(0, Math.max(0, room)), ...(planAction ? [planAction] : [])];
      const rows = await repo.proposeActions(
        chosen.map((c) => ({ ...c, shopId: scope.shopId, periodKey: scope.periodKey })),
      );
      const byId = new Map(rows.map((r) => [r.id, r]));
      const currency = (await repo.list({ shopId: scope.shopId, periodKey: scope.periodKey, limit: 1 }))[0]?.currency;
      return {
        totals,
        ...(currency ? { currency } : {}),
        actions: chosen.map((c) => toProposed(c, byId.get(c.id), currency ?? undefined)),
        actionsNotProposed: candidates.length + (planAction ? 1 : 0) - chosen.length,
      };
    },
  };
}

/** Decided in an earlier run of the same period: kept as it was (its step is not opened again). */
const SETTLED = new Set(['rejected', 'applied', 'not_needed', 'task_done']);

function toProposed(c: Candidate, row: ActionRow | undefined, currency?: string): ProposedAction {
  return {
    actionId: c.id,
    kind: c.kind,
    title: c.title,
    money: c.money,
    ...(currency ? { currency } : {}),
    context: c.payload,
    ...(row && SETTLED.has(row.status) ? { settled: true } : {}),
  };
}
