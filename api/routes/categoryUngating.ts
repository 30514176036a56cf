import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import {
  createCategoryUngatingRepository,
  type UngatingApplicationRow,
  type UngatingAttemptRow,
} from '../../db/categoryUngating';
import { createShopRepository } from '../../db/shops';
import { categoryRequirement, RESTRICTED_CATEGORIES } from '../../policy/categoryRequirements';
import { CERTIFICATE_TYPES } from '../../policy/certificateRules';
import { startCategoryUngating } from '../../temporal/categoryUngatingStart';
import { getCategoryUngatingQuery } from '../../workflows/categoryUngating/messages';
import { categoryUngatingWorkflowId } from '../../workflows/ids';
import { callerIdentity, requireRole, requireShop } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

const id = z.string().regex(/^[0-9A-Za-z_-]{1,64}$/, 'ids are 1-64 letters, digits, "_" or "-"');
const word = z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'a lowercase word such as dietary_supplements');
const ShopParams = z.object({ shopId: id });
const CategoryParams = z.object({ shopId: id, categoryId: id });
const StartBody = z.strictObject({
  categoryId: id,
  /** The requirement row (policy/categoryRequirements.ts); default: the category id itself. */
  requirementKey: word.optional(),
  extraDocumentTypes: z.array(word).max(20).optional(),
  notApplicable: z.array(word).max(20).optional(),
});
const ListQuery = z.object({
  categoryId: id.optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
const PacketQuery = z.object({
  round: z.coerce.number().int().min(1).optional(),
  attempt: z.coerce.number().int().min(1).optional(),
});

function describeApplication(a: UngatingApplicationRow, attempts?: UngatingAttemptRow[]) {
  return {
    applicationId: a.application_id,
    shopId: a.shop_id,
    categoryId: a.category_id,
    round: a.round,
    workflowId: a.workflow_id,
    requirementKey: a.requirement_key,
    stage: a.stage,
    outcome: a.outcome,
    requiredDocumentTypes: a.required_types,
    documents: a.documents,
    earliestExpiry: a.earliest_expiry,
    requalifyAt: a.requalify_at?.toISOString() ?? null,
    requestedBy: a.requested_by,
    startedAt: a.started_at.toISOString(),
    updatedAt: a.updated_at.toISOString(),
    closedAt: a.closed_at?.toISOString() ?? null,
    ...(attempts
      ? {
          attempts: attempts.map((t) => ({
            attempt: t.attempt,
            packetFileId: t.packet_file_id,
            submittedAt: t.submitted_at?.toISOString() ?? null,
            submittedBy: t.submitted_by,
            reference: t.reference,
            decision: t.decision,
            decidedAt: t.decided_at?.toISOString() ?? null,
            decidedBy: t.decided_by,
            reasons: t.reasons,
          })),
        }
      : {}),
  };
}

/**
 * Category applications (workflows/categoryUngating, issue 19): start one for a shop and category, list a shop's,
 * show one (the workflow's view; once Temporal no longer keeps it, the recorded rows), download a submission's packet
 * PDF. The steps themselves (documents, submission, decision) are human steps: POST /v1/human-steps/:id/decision.
 */
export function categoryUngatingRoutes(deps: ApiDeps): Router {
  const router = Router();
  const operator = requireRole(deps.apiKeys, 'operator');
  const viewer = requireRole(deps.apiKeys, 'viewer');
  const applications = createCategoryUngatingRepository(deps.db);
  const shops = createShopRepository(deps.db);

  router.post('/v1/shops/:shopId/ungating', operator, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const body = parseOr400(StartBody, req.body, 'body');
    if ((await shops.region(shopId)) === undefined) throw new HttpError(404, 'not_found', `no shop ${shopId}`);
    const requirementKey = body.requirementKey ?? body.categoryId;
    const unknown = (body.extraDocumentTypes ?? []).filter((t) => !CERTIFICATE_TYPES.includes(t));
    if (unknown.length)
      throw new HttpError(422, 'unknown_document_type', `unknown document types: ${unknown.join(', ')}`);
    if (!categoryRequirement(requirementKey) && !body.extraDocumentTypes?.length)
      throw new HttpError(
        422,
        'unknown_category',
        `no requirement row for ${requirementKey} (one of ${RESTRICTED_CATEGORIES.join(', ')}): name a requirementKey or extraDocumentTypes`,
      );
    const started = await startCategoryUngating(
      { temporal: deps.temporal, taskQueue: deps.config.TEMPORAL_TASK_QUEUE },
      { shopId, ...body, requirementKey, requestedBy: callerIdentity(req).name },
    );
    res
      .status(started.started ? 201 : 200)
      .location(`/v1/shops/${encodeURIComponent(shopId)}/ungating/${encodeURIComponent(body.categoryId)}`)
      .json({ shopId, categoryId: body.categoryId, requirementKey, ...started });
  });

  router.get('/v1/shops/:shopId/ungating', viewer, async (req, res) => {
    const { shopId } = parseOr400(ShopParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(ListQuery, req.query, 'query');
    const rows = await applications.list(shopId, { categoryId: q.categoryId, limit: q.limit });
    res.json({ applications: rows.map((r) => describeApplication(r)) });
  });

  router.get('/v1/shops/:shopId/ungating/:categoryId', viewer, async (req, res) => {
    const { shopId, categoryId } = parseOr400(CategoryParams, req.params, 'params');
    requireShop(req, shopId);
    try {
      const view = await deps.temporal.workflow
        .getHandle(categoryUngatingWorkflowId(shopId, categoryId))
        .query(getCategoryUngatingQuery);
      res.json(view);
    } catch (err) {
      if (!(err instanceof WorkflowNotFoundError)) throw err;
      const latest = await applications.latest(shopId, categoryId);
      if (!latest) throw new HttpError(404, 'not_found', `no application for category ${categoryId}`);
      res.json({ recorded: true, ...describeApplication(latest.application, latest.attempts) });
    }
  });

  router.get('/v1/shops/:shopId/ungating/:categoryId/packet', viewer, async (req, res) => {
    const { shopId, categoryId } = parseOr400(CategoryParams, req.params, 'params');
    requireShop(req, shopId);
    const q = parseOr400(PacketQuery, req.query, 'query');
    const rounds = await applications.list(shopId, { categoryId, limit: 500 });
    const application = q.round ? rounds.find((r) => r.round === q.round) : rounds.sort((a, b) => b.round - a.round)[0];
    if (!application) throw new HttpError(404, 'not_found', `no application for category ${categoryId}`);
    const attempts = (await applications.attempts(application.application_id)).filter((a) => a.packet_file_id);
    const attempt = q.attempt ? attempts.find((a) => a.attempt === q.attempt) : attempts.at(-1);
    if (!attempt) throw new HttpError(404, 'not_found', `no packet for category ${categoryId} yet`);
    const stored = await deps.files.get(shopId, attempt.packet_file_id!);
    if (!stored) throw new HttpError(410, 'gone', 'the packet is no longer stored');
    res
      .status(200)
      .type('application/pdf')
      .set({
        'X-Content-Type-Options': 'nosniff',
        'Content-Disposition': `attachment; filename="ungating-${categoryId}-r${application.round}-${attempt.attempt}.pdf"`,
        'Cache-Control': 'private, max-age=0',
      })
      .send(stored.bytes);
  });

  return router;
}
