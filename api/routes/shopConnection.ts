import { WorkflowNotFoundError } from '@temporalio/client';
import { Router } from 'express';
import { z } from 'zod';
import type { shopConnection } from '../../workflows/shopConnection/workflow';
import { requireRole } from '../auth';
import type { ApiDeps } from '../deps';
import { HttpError, parseOr400 } from '../errors';

// shopConnectionWorkflowId (workflows/ids.ts) of a consent link's state (base64url).
const Params = z.object({
  workflowId: z.string().regex(/^shop-connection:[0-9A-Za-z_-]{1,128}$/, 'a shop-connection:<state> workflow id'),
});

/**
 * A shop connection's outcome: the OAuth callback answers 202 with the `shopConnection` workflow's id when TikTok is
 * slow; this tells operators what became of it (connecting, connected with its shops, or failed and why).
 * Agency-wide keys only, like the consent links: a connection is about whichever shops the seller authorized.
 */
export function shopConnectionRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get(
    '/v1/shop-connections/:workflowId',
    requireRole(deps.apiKeys, 'operator', { agencyWide: true }),
    async (req, res) => {
      const { workflowId } = parseOr400(Params, req.params, 'params');
      const handle = deps.temporal.workflow.getHandle<typeof shopConnection>(workflowId);
      let description;
      try {
        description = await handle.describe();
      } catch (err) {
        if (err instanceof WorkflowNotFoundError)
          throw new HttpError(404, 'not_found', `no shop connection ${workflowId}`);
        throw err;
      }
      const base = {
        workflowId,
        startedAt: description.startTime.toISOString(),
        closedAt: description.closeTime?.toISOString() ?? null,
      };
      const status = description.status.name;
      if (status === 'RUNNING') {
        res.json({ ...base, status: 'connecting' });
        return;
      }
      try {
        res.json({ ...base, status: 'connected', ...(await handle.result()) });
      } catch (err) {
        const cause = (err as Error & { cause?: Error }).cause;
        res.json({
          ...base,
          status: 'failed',
          workflowStatus: status,
          failure: cause?.message ?? (err as Error).message,
        });
      }
    },
  );

  return router;
}
